#!/usr/bin/env bash
# Build the installers a second time from a copy of this checkout in another folder (other
# paths, fresh file times) and compare with the build already in packaging/dist: the SHA256SUMS
# must be the same, byte for byte. Run after a build (smoke.sh does one); uses $PYTHON (default
# python3) as build.py does. On a difference it names the files and archive members that differ.
#
#   bash packaging/repro-check.sh [BUILD_ARGS...]     (e.g. --quick, as the first build was made)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
PYTHON=${PYTHON:-python3}
fail() { echo "repro: FAIL: $*" >&2; exit 1; }
[ -f packaging/dist/SHA256SUMS ] || fail "no packaging/dist/SHA256SUMS: build first (build.py)"
EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
COPY=$(mktemp -d)
trap 'rm -rf "$COPY"' EXIT
# The files git would check out (committed or not), with fresh times, as another clone would have.
git ls-files -z --cached --others --exclude-standard | xargs -0 tar -cf - | tar -xmf - -C "$COPY"
echo "== repro: second build in $COPY (SOURCE_DATE_EPOCH=$EPOCH)"
(cd "$COPY" && SOURCE_DATE_EPOCH=$EPOCH "$PYTHON" packaging/build.py "$@" >"$COPY/build.log" 2>&1) ||
  { tail -30 "$COPY/build.log" >&2; fail "the second build failed"; }
if cmp -s packaging/dist/SHA256SUMS "$COPY/packaging/dist/SHA256SUMS"; then
  echo "repro: identical:"
  sed 's/^/  /' packaging/dist/SHA256SUMS
  exit 0
fi
echo "repro: the two builds differ:" >&2
diff packaging/dist/SHA256SUMS "$COPY/packaging/dist/SHA256SUMS" >&2 || true
for tarball in packaging/dist/*.tar.gz; do  # which members differ (content, then metadata)
  other="$COPY/packaging/dist/$(basename "$tarball")"
  diff <(tar -tvzf "$tarball") <(tar -tvzf "$other") | head -20 >&2 || true
  mkdir -p "$COPY/a" "$COPY/b"
  tar -xzf "$tarball" -C "$COPY/a" && tar -xzf "$other" -C "$COPY/b"
  diff -rq "$COPY/a" "$COPY/b" | head -20 >&2 || true
done
fail "the installers are not reproducible"
