#!/usr/bin/env bash
# Install Paylight into a fresh venv of each given Python (default: every supported version but
# the one of $PYTHON, else python3, on which CI runs the full suite) and run it as a user would
# (packaging/check-installed.sh: --version, addresses, a QR round trip, the playground, `headers
# verify` on real mainnet headers, the GUI offscreen), then the PySide6 checks of
# tests/test_gui_smoke.py with that venv's Qt. Interpreters come from pyenv (installed with
# `pyenv install` when missing), else from pythonX.Y on PATH. Any failure exits non-zero.
#
#   bash packaging/pyversions-smoke.sh [3.12 3.13 ...]
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
SUPPORTED=(3.11 3.12 3.13)  # pyproject.toml: requires-python = ">=3.11,<3.14"
VERSIONS=("$@")
if [ ${#VERSIONS[@]} -eq 0 ]; then
  OWN=$("${PYTHON:-python3}" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  for v in "${SUPPORTED[@]}"; do [ "$v" = "$OWN" ] || VERSIONS+=("$v"); done
fi
fail() { echo "pyversions: FAIL: $*" >&2; exit 1; }
grep -q '^requires-python = ">=3.11,<3.14"$' pyproject.toml ||
  fail "SUPPORTED here is out of step with requires-python in pyproject.toml"

# pyenv builds CPython from source: the headers of the libraries its modules link.
PYENV_BUILD_DEPS=(build-essential libssl-dev zlib1g-dev libbz2-dev libreadline-dev libsqlite3-dev
  libffi-dev liblzma-dev libncurses-dev tk-dev xz-utils curl)

interpreter() {  # the newest pyenv X.Y.Z for X.Y (installing it if need be), else pythonX.Y
  local want=$1 found=""
  if command -v pyenv >/dev/null; then
    found=$(pyenv versions --bare --skip-aliases 2>/dev/null | grep -E "^${want//./\\.}\.[0-9]+$" |
      sort -t. -k3 -n | tail -1 || true)
    if [ -z "$found" ]; then
      if [ "${CI:-}" = "true" ] && [ "$(id -u)" -eq 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
          --no-install-recommends "${PYENV_BUILD_DEPS[@]}" >/dev/null
      fi
      echo "pyversions: pyenv install $want (a few minutes, once)" >&2
      pyenv install --skip-existing "$want" >&2
      found=$(pyenv latest "$want")
    fi
    echo "$(pyenv root)/versions/$found/bin/python"
  elif command -v "python$want" >/dev/null; then
    command -v "python$want"
  else
    fail "no Python $want: install pyenv (https://github.com/pyenv/pyenv) or python$want"
  fi
}

for want in "${VERSIONS[@]}"; do
  PY=$(interpreter "$want")
  echo "== pyversions: Python $want ($("$PY" -c 'import sys; print(sys.version.split()[0])'), $PY)"
  SCRATCH=$(mktemp -d)
  trap 'rm -rf "$SCRATCH"' EXIT
  "$PY" -m venv "$SCRATCH/venv"
  VPY="$SCRATCH/venv/bin/python"
  "$VPY" -m pip install --quiet --disable-pip-version-check "$REPO[test]"
  "$VPY" -m pip list --disable-pip-version-check 2>/dev/null |
    grep -iE '^(pyside6[-_]essentials|py-bitcoinkernel|numpy|coincurve) ' | tr -s ' ' | paste -sd';'
  mkdir "$SCRATCH/run"
  bash packaging/check-installed.sh "$SCRATCH/venv/bin/paylight" "$SCRATCH/run"
  echo "== pyversions: PySide6 on Python $want (tests/test_gui_smoke.py)"
  # From the scratch folder, on the installed package: no conftest, no checkout on sys.path.
  (cd "$SCRATCH/run" && QT_QPA_PLATFORM=offscreen "$VPY" -m pytest -q -p no:cacheprovider \
    --noconftest --import-mode=importlib --rootdir "$SCRATCH/run" -c /dev/null \
    "$REPO/tests/test_gui_smoke.py") ||
    fail "PySide6 checks on Python $want"
  rm -rf "$SCRATCH"
  trap - EXIT
done
echo "pyversions: OK (${VERSIONS[*]})"
