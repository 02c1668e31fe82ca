#!/usr/bin/env bash
# Run an installed `paylight` the way a new user would, from a scratch folder with its own HOME:
# --version, an address derivation (libsecp256k1), a QR round trip (qrcode, Pillow, zxing-cpp),
# the playground (libbitcoinkernel validates 3 regtest blocks), `headers verify` on real mainnet
# headers from ../shared, and the GUI offscreen until its main window is shown. Any failure exits
# non-zero. Used by smoke.sh (the bundle and .deb) and pyversions-smoke.sh (a venv per Python).
#
#   bash packaging/check-installed.sh PAYLIGHT SCRATCH_DIR
set -euo pipefail
PAYLIGHT=$1
SCRATCH=$2
REPO=$(cd "$(dirname "$0")/.." && pwd)
VERSION=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$REPO/wallet/__init__.py")
SHARED_HEADERS="$REPO/../shared/data/headers/mainnet/mainnet_headers_0000000_0010236.bin"
# BIP84's account-0 xpub and its first receiving address (bips_spec/bip-0084.mediawiki).
ZPUB=zpub6rFR7y4Q2AijBEqTUquhVz398htDFrtymD9xYYfG1m4wAcvPhXNfE3EfH1r1ADqtfSdVCToUG868RvUUkgDKf31mGDtKsAYz2oz2AGutZYs
BIP84_FIRST=bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f s", b - a }'; }
fail() { echo "check: FAIL: $*" >&2; exit 1; }

cd "$SCRATCH"  # away from the source tree, so nothing is imported from it
# A new user: settings, wallets and the playground go to the scratch folder, not to this home.
export HOME="$SCRATCH/home" XDG_CONFIG_HOME="$SCRATCH/home/.config"
export XDG_DATA_HOME="$SCRATCH/home/.local/share" XDG_CACHE_HOME="$SCRATCH/home/.cache"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"

echo "== check: paylight --version"
t=$(now)
OUT=$("$PAYLIGHT" --version)
echo "$OUT (first start: $(since "$t"))"
[ "$OUT" = "paylight $VERSION" ] || fail "--version printed '$OUT', not 'paylight $VERSION'"

echo "== check: paylight addresses (libsecp256k1)"
OUT=$("$PAYLIGHT" addresses --descriptor "wpkh($ZPUB/0/*)" --count 1)
grep -q "$BIP84_FIRST" <<<"$OUT" || fail "addresses printed '$OUT', not BIP84's $BIP84_FIRST"

echo "== check: paylight qr encode + decode (qrcode, Pillow, zxing-cpp)"
URI="bitcoin:$BIP84_FIRST?amount=0.001&label=smoke"
"$PAYLIGHT" qr encode --exact "$URI" -o "$SCRATCH/request.png" >/dev/null
OUT=$("$PAYLIGHT" qr decode "$SCRATCH/request.png")
[ "$OUT" = "$URI" ] || fail "qr decode read '$OUT', not '$URI'"

echo "== check: paylight playground (libbitcoinkernel validates 3 regtest blocks)"
OUT=$(printf 'info\nquit\n' | timeout 120 "$PAYLIGHT" playground --network regtest --temp \
  --electrum-port 0 --esplora-port 0 --p2p-port 0 --core-port 0 --blocks 3 --exit-on-eof 2>&1) || fail "playground: $OUT"
grep -qE "height +3 " <<<"$OUT" || fail "the playground did not reach height 3:"$'\n'"$OUT"

echo "== check: paylight headers verify (real mainnet headers)"
if [ ! -f "$SHARED_HEADERS" ]; then
  echo "check: SKIPPED headers verify: $SHARED_HEADERS is absent (no ../shared beside the repo)"
else
  t=$(now)
  "$PAYLIGHT" headers verify "$SHARED_HEADERS" --network mainnet
  echo "check: verified in $(since "$t")"
fi

echo "== check: GUI offscreen until the main window is shown"
t=$(now)
OUT=$(QT_QPA_PLATFORM=offscreen PAYLIGHT_EXIT_AFTER_SHOW=1 timeout 120 "$PAYLIGHT" 2>&1) ||
  fail "the GUI exited with $? before showing its main window:"$'\n'"$OUT"
grep -q "main window shown" <<<"$OUT" || fail "the GUI did not report its main window:"$'\n'"$OUT"
echo "$OUT" | grep "main window shown"
echo "check: GUI start to shown window: $(since "$t")"
