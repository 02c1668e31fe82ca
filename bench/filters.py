"""BIP158 filter matching speed: mainnet-sized filters (10,000 elements, P=19), 100-script wallet.

Prints filters per second for Paylight's matcher (``wallet.bitcoin.bip158_match``: many filters
decoded in lockstep with numpy, the wallet hashed with a vectorised SipHash) and for the
straightforward pure-Python decoder (``bip158.match_any``: bit-by-bit reading, a set lookup),
both on the same filters in the same run, with wall and CPU (process) time: the CPU figure is
the steadier one on a shared machine. Filters are random sorted sets encoded as BIP158 does
(what matters to the decoder is their size and the gaps between values); a few have one of
the wallet's scripts planted, and both matchers must find exactly those.

    python3 bench/filters.py [--save-reference] [--filters N] [--plain N]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.harness import report  # noqa: E402
from wallet.bitcoin.bip158 import (  # noqa: E402
    M,
    filter_key,
    golomb_encode,
    hash_to_range,
    match_any,
)
from wallet.bitcoin.bip158_match import match_filters  # noqa: E402
from wallet.bitcoin.serialize import encode_varint  # noqa: E402

ELEMENTS = 10_000
WALLET = 100
DISTINCT = 40  # distinct random bodies (encoding 10,000 elements in Python takes a while)


def make_filters(count: int, rng: random.Random, wallet: list[bytes]) -> tuple[list, list]:
    """``count`` (block hash, filter) pairs and which hold a wallet script (every 97th)."""
    bodies = []
    for _ in range(DISTINCT):
        values = sorted(rng.randrange(ELEMENTS * M) for _ in range(ELEMENTS))
        bodies.append(encode_varint(ELEMENTS) + golomb_encode(values))
    filters, planted = [], []
    for i in range(count):
        block_hash = rng.randbytes(32)
        if i % 97 == 5:
            k0, k1 = filter_key(block_hash)
            values = sorted(rng.randrange(ELEMENTS * M) for _ in range(ELEMENTS - 1))
            values.append(hash_to_range(k0, k1, wallet[i % WALLET], ELEMENTS * M))
            filters.append((block_hash, encode_varint(ELEMENTS) + golomb_encode(sorted(values))))
            planted.append(True)
        else:
            filters.append((block_hash, bodies[i % DISTINCT]))
            planted.append(False)
    return filters, planted


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--filters", type=int, default=3000)
    parser.add_argument("--plain", type=int, default=6, help="filters for the plain decoder")
    parser.add_argument("--save-reference", action="store_true")
    args = parser.parse_args()
    rng = random.Random(158)
    wallet = [bytes([0, 20]) + rng.randbytes(20) for _ in range(WALLET)]
    filters, planted = make_filters(args.filters, rng, wallet)

    fast, fast_wall, fast_cpu = timed(lambda: match_filters(filters, wallet))
    if fast != planted:
        raise SystemExit("the fast matcher disagrees with the planted matches")
    sample = [i for i, p in enumerate(planted) if p][:1] + list(range(args.plain - 1))
    plain, plain_wall, plain_cpu = timed(lambda: [match_any(*filters[i], wallet) for i in sample])
    if plain != [planted[i] for i in sample]:
        raise SystemExit("the plain decoder disagrees with the planted matches")
    n = len(filters)
    figures = {
        "filters": n,
        "elements_per_filter": ELEMENTS,
        "wallet_scripts": WALLET,
        "paylight_filters_per_s_cpu": round(n / fast_cpu),
        "paylight_filters_per_s_wall": round(n / fast_wall),
        "plain_python_filters_per_s_cpu": round(len(sample) / plain_cpu, 1),
        "plain_python_filters_per_s_wall": round(len(sample) / plain_wall, 1),
        "speedup_cpu": round((n / fast_cpu) / (len(sample) / plain_cpu), 1),
        "year_of_mainnet_blocks_s_cpu": round(52_560 / (n / fast_cpu), 1),
    }
    report("filters", figures, save=args.save_reference)


if __name__ == "__main__":
    main()
