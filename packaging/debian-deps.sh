#!/usr/bin/env bash
# The Debian/Ubuntu packages Paylight needs at run time (Qt's offscreen/xcb platforms,
# QtMultimedia's audio library, a font with Chinese characters for the zh_CN translation, the
# speech-dispatcher client that QtTextToSpeech's plugin loads to say "paid" where a speech engine
# runs) on a clean machine, and python3 with venv for the README's venv. Used by .ci/run, by the README's install
# command and (--list: run-time packages only) by the .deb recipe. apt waits up to 10 minutes for
# another apt/dpkg to release its locks.
#   bash packaging/debian-deps.sh [--list | MORE_PACKAGES...]
set -euo pipefail
PACKAGES=(
  libegl1 libgl1 libopengl0 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6
  libdbus-1-3 libglib2.0-0 libpulse0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
  libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libx11-xcb1 libxrender1 libxi6
  fonts-dejavu-core fonts-noto-cjk
  libspeechd2
  libxrandr2 libgssapi-krb5-2 libwayland-client0 libwayland-cursor0 libwayland-egl1
)
# The README's install: Debian 12+/Ubuntu 23.04+ refuse `pip install` into the system Python
# (PEP 668, externally managed), so Paylight goes into a venv; the bundle carries its own Python.
SETUP_PACKAGES=(python3 python3-venv)
if [ "${1:-}" = "--list" ]; then
  printf '%s\n' "${PACKAGES[@]}"
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
# Another apt or dpkg (unattended-upgrades, a second CI job) may hold the locks: dpkg's is waited
# for by apt's own option; the package lists' lock (apt-get update) is not, so update is retried.
APT=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600)
deadline=$((SECONDS + 600))
until err=$($SUDO "${APT[@]}" update -qq 2>&1 >/dev/null); do
  if ! grep -q "Could not get lock" <<<"$err" || [ $SECONDS -ge $deadline ]; then
    echo "$err" >&2
    exit 1
  fi
  sleep 5
done
[ -z "$err" ] || echo "$err" >&2  # warnings
# Any arguments are more packages to install with these (.ci/run: the build's and tests' tools).
$SUDO "${APT[@]}" install -y -qq --no-install-recommends "${PACKAGES[@]}" "${SETUP_PACKAGES[@]}" \
  "$@" >/dev/null
