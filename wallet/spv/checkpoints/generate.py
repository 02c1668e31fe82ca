"""Generate the hard-coded checkpoints from real chain data (``python3 -m
wallet.spv.checkpoints.generate [--shared ../shared]``).

Inputs (read-only, under ``../shared/data``): Electrum's checkpoint files (entry *i* = hash of block
2016*i*+2015 and the target of period *i*+1), bitcoinj's checkpoints (chainwork and the full header
at heights 2016*k*), and the real header runs (mainnet, testnet3 0..9999, signet 0..2015).

For every Electrum entry we write: height, hash, the next period's bits (its target in compact
form; refused unless it round-trips exactly), the chainwork where real data gives it, and where a
real run of headers covers the 11 blocks ending at the checkpoint, the block's own bits and those
11 timestamps (what median-time-past needs to go on from there). Every value is cross-checked:
run hashes against Electrum's, bitcoinj headers' prev-hash and bits against Electrum's, computed
mainnet chainwork against the independent ckb and bitcoinj tables.
"""

from __future__ import annotations

import argparse
import base64
import csv
import json
import sys
from pathlib import Path
from typing import Any

from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.networks import MAINNET, SIGNET, TESTNET3, TESTNET4, Network
from wallet.spv.pow import bits_to_target, block_work, target_to_bits

HERE = Path(__file__).parent
INTERVAL = 2016

ELECTRUM_FILES = {
    "mainnet": "mainnet_checkpoints.json",
    "testnet3": "testnet_checkpoints.json",
    "testnet4": "testnet4_checkpoints.json",
    "signet": "signet_checkpoints.json",
}
BITCOINJ_FILES = {
    "mainnet": "org.bitcoin.production.checkpoints.txt",
    "testnet3": "org.bitcoin.test.checkpoints.txt",
    "signet": "org.bitcoin.signet.checkpoints.txt",
}


def _runs(data: Path, network: Network) -> list[tuple[int, bytes]]:
    """Real header runs as (first height, raw bytes)."""
    runs = []
    if network is MAINNET:
        for path in sorted((data / "headers/mainnet").glob("mainnet_headers_*.bin")):
            first = int(path.stem.split("_")[2])
            runs.append((first, path.read_bytes()))
    elif network is TESTNET3:
        path = data / "headers/testnet3/veriblock_btc_blockheaders_testnet_0_10000.txt"
        runs.append((0, bytes.fromhex("".join(path.read_text().split()))))
    elif network is SIGNET:
        runs.append((0, (data / "headers/signet/floresta_signet_headers.bin").read_bytes()))
    for first, raw in runs:
        if len(raw) % 80:
            raise SystemExit(f"a header run at {first} is not whole headers")
        if first == 0 and sha256d(raw[:80])[::-1].hex() != network.genesis_hash:
            raise SystemExit(f"{network.name}: the run from 0 does not start at genesis")
        for o in range(80, len(raw), 80):
            if raw[o + 4 : o + 36] != sha256d(raw[o - 80 : o]):
                raise SystemExit(f"{network.name}: run at {first} breaks at {first + o // 80}")
    return runs


def _bitcoinj(data: Path, network: Network) -> dict[int, tuple[int, bytes]]:
    """bitcoinj checkpoints: height -> (chainwork, 80-byte header)."""
    name = BITCOINJ_FILES.get(network.name)
    if not name:
        return {}
    lines = (data / "checkpoints/bitcoinj" / name).read_text().split("\n")
    count = int(lines[2])
    out = {}
    for line in lines[3 : 3 + count]:
        blob = base64.b64decode(line)
        work, height, header = blob[:12], blob[12:16], blob[16:96]
        out[int.from_bytes(height, "big")] = (int.from_bytes(work, "big"), header)
    return out


def build(data: Path, network: Network) -> list[list[Any]]:
    entries = json.loads((data / "checkpoints/electrum" / ELECTRUM_FILES[network.name]).read_text())
    runs = _runs(data, network)
    bj = _bitcoinj(data, network)
    # bits of period i (exact on networks without min-diff)
    period_bits: list[int | None] = [network.genesis_bits]
    rows: list[list[Any]] = []
    constant_bits = not network.allow_min_difficulty_blocks
    chainwork: int | None = 0
    for i, (hash_hex, target) in enumerate(entries):
        height = INTERVAL * i + INTERVAL - 1
        next_bits: int | None = None
        if target:  # Electrum's testnet files carry 0: it does not check testnet difficulty
            next_bits = target_to_bits(target)
            if bits_to_target(next_bits) != target:
                raise SystemExit(f"{network.name}: target at entry {i} has no exact compact form")
        elif network is MAINNET:
            raise SystemExit(f"{network.name}: entry {i} has no target")
        # Without minimum-difficulty blocks every block of a period has the period's bits, so
        # chainwork is exact while every earlier period's bits are known.
        period = period_bits[i]
        if chainwork is not None and constant_bits and period is not None:
            chainwork += INTERVAL * block_work(period)
        else:
            chainwork = None
        work: int | None = chainwork
        # bitcoinj's header at the next height gives the chainwork for testnets, and a check.
        if height + 1 in bj:
            bj_work, header = bj[height + 1]
            if header[4:36][::-1].hex() != hash_hex:
                raise SystemExit(f"{network.name}: bitcoinj header {height + 1} not on {hash_hex}")
            bj_bits = int.from_bytes(header[72:76], "little")
            if next_bits is not None and bj_bits != next_bits:
                raise SystemExit(f"{network.name}: bitcoinj bits at {height + 1} disagree")
            next_bits = bj_bits
            derived = bj_work - block_work(next_bits)
            if work is not None and work != derived:
                raise SystemExit(f"{network.name}: chainwork at {height} disagrees with bitcoinj")
            work = derived
        bits = timestamps = None
        for first, raw in runs:
            lo, hi = height - 10, height
            if first <= lo and hi < first + len(raw) // 80:
                recs = [raw[(h - first) * 80 : (h - first) * 80 + 80] for h in range(lo, hi + 1)]
                if sha256d(recs[-1])[::-1].hex() != hash_hex:
                    raise SystemExit(f"{network.name}: run hash at {height} is not Electrum's")
                if height + 1 < first + len(raw) // 80:
                    nxt = raw[(height + 1 - first) * 80 :][:80]
                    run_bits = int.from_bytes(nxt[72:76], "little")
                    if next_bits is not None and run_bits != next_bits:
                        raise SystemExit(f"{network.name}: run bits at {height + 1} disagree")
                    next_bits = run_bits
                bits = int.from_bytes(recs[-1][72:76], "little")
                timestamps = [int.from_bytes(r[68:72], "little") for r in recs]
        rows.append(
            [height, hash_hex, next_bits, None if work is None else hex(work), bits, timestamps]
        )
        period_bits.append(next_bits)
    return rows


def _cross_check_mainnet(data: Path, rows: list[list[Any]]) -> int:
    """Computed mainnet chainwork against ckb's independent table; returns the rows compared."""
    table = {}
    with open(data / "headers/mainnet/mainnet_chainwork.csv") as f:
        for rec in csv.DictReader(f):
            table[int(rec["height"])] = int(rec["chainwork_hex_32bytes_as_stored"], 16)
    compared = 0
    for height, _, _, work, *_ in rows:
        if height in table:
            if int(work, 16) != table[height]:
                raise SystemExit(f"mainnet: chainwork at {height} disagrees with ckb")
            compared += 1
    return compared


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[4] / "shared"
    parser.add_argument("--shared", type=Path, default=default, help="the shared data folder")
    parser.add_argument("--out", type=Path, default=HERE, help="where to write (default: here)")
    args = parser.parse_args(argv)
    data = args.shared / "data"
    for network in (MAINNET, TESTNET3, TESTNET4, SIGNET):
        rows = build(data, network)
        note = ""
        if network is MAINNET:
            note = f", chainwork matches ckb at {_cross_check_mainnet(data, rows)} heights"
        doc = {
            "network": network.name,
            "format": "[height, hash, next_bits or null, chainwork hex or null, bits or null, "
            "11 timestamps ending at height or null]",
            "source": "generated by wallet/spv/checkpoints/generate.py from Electrum and bitcoinj "
            "checkpoints and real header runs",
            "checkpoints": rows,
        }
        out = args.out / f"{network.name}.json"
        text = json.dumps(doc, separators=(",", ":"))
        text = text.replace("],[", "],\n[")
        out.write_text(text + "\n")
        anchored = sum(1 for r in rows if r[5])
        print(
            f"{network.name}: {len(rows)} checkpoints to {rows[-1][0]}, {anchored} with "
            f"timestamps, {sum(1 for r in rows if r[2])} with next bits, "
            f"{sum(1 for r in rows if r[3])} with chainwork{note}",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
