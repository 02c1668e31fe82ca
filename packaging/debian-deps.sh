#!/usr/bin/env bash
# The Debian packages Paylight needs at run time (Qt's offscreen/xcb platforms, QtMultimedia's audio
# library, a font with Chinese characters for the zh_CN translation) on a clean machine. Used by
# .ci/run, by the README's install command and by the .deb recipe.
set -euo pipefail
PACKAGES=(
  libegl1 libgl1 libopengl0 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6
  libdbus-1-3 libglib2.0-0 libpulse0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
  libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libx11-xcb1 libxrender1 libxi6
  fonts-dejavu-core fonts-noto-cjk
  libxrandr2 libgssapi-krb5-2 libwayland-client0 libwayland-cursor0 libwayland-egl1
)
if [ "${1:-}" = "--list" ]; then
  printf '%s\n' "${PACKAGES[@]}"
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
