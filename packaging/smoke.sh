#!/usr/bin/env bash
# Build the Linux installers (packaging/build.py), install the .deb and run the installed program
# (packaging/check-installed.sh: --version, an address derivation, a QR round trip, the playground,
# `headers verify` on real mainnet headers, the GUI offscreen), then the GUI under Xvfb. Any
# failure exits non-zero, so a broken bundle fails CI (.ci/run calls this). Install mode: with
# CI=true as root, a real `dpkg -i` (then `dpkg -r`); otherwise `dpkg -x` into a scratch root.
# Needs the system packages of packaging/debian-deps.sh and the app's Python dependencies
# installed in $PYTHON (default: python3; .ci/run: the README's .venv).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
PYTHON=${PYTHON:-python3}

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f s", b - a }'; }
fail() { echo "smoke: FAIL: $*" >&2; exit 1; }

# The build's own tools: binutils (PyInstaller's objdump; strip, objcopy, as, ld for the spec) and
# dpkg-deb. A clean CI machine (CI=true, root) gets binutils; elsewhere a missing tool is an error.
NEED=""
for tool in objdump objcopy strip nm as ld; do command -v "$tool" >/dev/null || NEED=binutils; done
if [ -n "$NEED" ] && [ "${CI:-}" = "true" ] && [ "$(id -u)" -eq 0 ]; then
  apt-get install -y -qq --no-install-recommends binutils >/dev/null
fi
for tool in objdump objcopy strip nm as ld dpkg-deb; do
  command -v "$tool" >/dev/null || fail "the build needs '$tool' (Debian: apt-get install binutils)"
done

echo "== smoke: Qt sorts and maps case the same with the trimmed ICU data (packaging/icu_check.py)"
"$PYTHON" packaging/icu_check.py || fail "icu_trim.py drops ICU data Qt uses"

echo "== smoke: build ($PYTHON packaging/build.py --quick)"
t=$(now)
"$PYTHON" packaging/build.py --quick  # the release build's files, with a faster xz level for the .deb
echo "smoke: build took $(since "$t")"
VERSION=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' wallet/__init__.py)
DEB=$(ls "$REPO"/packaging/dist/paylight_"$VERSION"_*.deb)
TARBALL=$(ls "$REPO"/packaging/dist/paylight-"$VERSION"-linux-*.tar.gz)

echo "== smoke: package contents"
CONTENTS=$(dpkg-deb --contents "$DEB")
for want in ./usr/bin/paylight' -> '/opt/paylight/paylight ./opt/paylight/paylight \
  ./usr/share/applications/paylight.desktop ./usr/share/icons/hicolor/scalable/apps/paylight.svg \
  ./usr/share/icons/hicolor/{16x16,32x32,48x48,256x256}/apps/paylight.png; do
  grep -qF -- "$want" <<<"$CONTENTS" || fail "$DEB lacks $want"
done
DEPENDS=$(dpkg-deb --field "$DEB" Depends)
for pkg in $(bash packaging/debian-deps.sh --list); do
  grep -qE "(^|, )$pkg( |,|$)" <<<"$DEPENDS" || fail "Depends lacks $pkg"
done
LISTING=$(tar -tzf "$TARBALL")
grep -qx "paylight-$VERSION-linux-$(uname -m)/paylight" <<<"$LISTING" || fail "$TARBALL lacks the program"

SCRATCH=$(mktemp -d)
INSTALLED_BY_DPKG=""
cleanup() {
  [ -z "$INSTALLED_BY_DPKG" ] || dpkg -r paylight >/dev/null
  rm -rf "$SCRATCH"
}
trap cleanup EXIT
if [ "${CI:-}" = "true" ] && [ "$(id -u)" -eq 0 ]; then
  echo "== smoke: dpkg -i $DEB"
  INSTALLED_BY_DPKG=1
  dpkg -i "$DEB"  # fails here (and leaves it unconfigured) when a Depends is not installed
  APP_DIR=/opt/paylight
  PAYLIGHT=/usr/bin/paylight
else
  echo "== smoke: dpkg -x $DEB $SCRATCH/root"
  dpkg -x "$DEB" "$SCRATCH/root"
  APP_DIR="$SCRATCH/root/opt/paylight"
  mkdir "$SCRATCH/bin"  # what /usr/bin/paylight is after dpkg -i: a symlink to the bundle
  ln -s "$APP_DIR/paylight" "$SCRATCH/bin/paylight"
  PAYLIGHT="$SCRATCH/bin/paylight"
fi
echo "== smoke: every library the bundle loads is found (ldd)"
MISSING=$(find "$APP_DIR" -type f \( -name '*.so*' -o -name paylight \) -print0 |
  LD_LIBRARY_PATH="$APP_DIR/_internal" xargs -0 ldd 2>/dev/null | grep 'not found' | sort -u || true)
[ -z "$MISSING" ] || fail "libraries not found on this system:"$'\n'"$MISSING"

bash "$REPO/packaging/check-installed.sh" "$PAYLIGHT" "$SCRATCH"
if [ -n "$INSTALLED_BY_DPKG" ] && ! command -v xvfb-run >/dev/null; then
  apt-get install -y -qq --no-install-recommends xvfb xauth >/dev/null  # CI: test X11 too
fi
if command -v xvfb-run >/dev/null; then  # the xcb platform and the system's X11 libraries too
  echo "== smoke: GUI on an X server (Xvfb) until the main window is shown"
  OUT=$(cd "$SCRATCH" && HOME="$SCRATCH/home" XDG_CONFIG_HOME="$SCRATCH/home/.config" \
    XDG_DATA_HOME="$SCRATCH/home/.local/share" XDG_CACHE_HOME="$SCRATCH/home/.cache" \
    QT_QPA_PLATFORM=xcb PAYLIGHT_EXIT_AFTER_SHOW=1 timeout 120 xvfb-run -a "$PAYLIGHT" 2>&1) ||
    fail "the GUI under Xvfb exited with $? before showing its main window:"$'\n'"$OUT"
  grep -q "main window shown" <<<"$OUT" || fail "the GUI under Xvfb did not report:"$'\n'"$OUT"
else
  echo "smoke: SKIPPED the X11 run: xvfb-run is absent (apt-get install xvfb xauth)"
fi

echo "smoke: bundle $(du -s --apparent-size -B MB "$APP_DIR" | cut -f1) unpacked;" \
  "$(basename "$DEB") $(du --apparent-size -B MB "$DEB" | cut -f1);" \
  "$(basename "$TARBALL") $(du --apparent-size -B MB "$TARBALL" | cut -f1)"
echo "smoke: OK"
