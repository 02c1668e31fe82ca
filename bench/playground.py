"""The playground's speed: mining blocks that libbitcoinkernel validates, and what else a test
session waits for (start, restart, funding, a reorg).

Blocks are built, proof-of-work ground, handed to the kernel's ``process_block`` one by one and
indexed. ``blocks_per_s_to_1k`` / ``_10k`` / ``_100k`` are the rates from one mark to the next
(101 -> 1,101 -> 10,000 -> 100,000 blocks, flushes included), with the process's CPU time per
block beside them (less moved by a loaded machine): a steady rate means they agree (before the
block index check was spread thin they fell as the chain grew: 3,900/s at 1k, ~100/s at 40k).
``kernel_alone_1000_s`` feeds 1,000 of the same blocks to a fresh kernel, the floor the
playground cannot beat; ``playground_vs_kernel`` is the ratio to it.

    python3 bench/playground.py [--height 100000] [--save-reference]

The 100k point takes about a minute (and the restart at that height some more); it runs with
``--height 100000`` or ``PAYLIGHT_BENCH_100K=1``.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.harness import report  # noqa: E402
from wallet.bitcoin.serialize import encode_varint  # noqa: E402
from wallet.playground import Playground  # noqa: E402
from wallet.playground.kernel import Kernel  # noqa: E402


def _mine_to(pg: Playground, height: int, figures: dict, label: str) -> None:
    """Mine up to ``height``; the segment's rate (wall clock and CPU) goes in ``figures``."""
    n = height - pg.height
    wall, cpu = time.perf_counter(), time.process_time()
    pg.mine(n)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    figures[f"blocks_per_s_to_{label}"] = round(n / wall)
    figures[f"cpu_us_per_block_to_{label}"] = round(cpu / n * 1e6)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--height", type=int, default=None, help="10000 (default) or 100000")
    parser.add_argument("--save-reference", action="store_true")
    args, _ = parser.parse_known_args()
    top = args.height or (100_000 if os.environ.get("PAYLIGHT_BENCH_100K") else 10_000)
    figures: dict[str, float | int | str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        pg = Playground(Path(tmp) / "pg", electrum_port=0, esplora_port=0).start()
        figures["first_start_101_blocks_s"] = round(time.perf_counter() - started, 3)
        try:
            started = time.perf_counter()
            _mine_to(pg, 1_101, figures, "1k")
            figures["mine_1000_s"] = round(time.perf_counter() - started, 3)
            with pg.lock:
                raws = [
                    b.header + encode_varint(len(b.txs)) + b"".join(t.raw for t in b.txs)
                    for b in pg.chain.blocks[1:1101]
                ]
                hashes = [b.hash for b in pg.chain.blocks[1:1101]]

            address = pg.faucet_address
            started = time.perf_counter()
            for _ in range(100):
                pg.fund(address, 10_000)
            figures["fund_100_txs_s"] = round(time.perf_counter() - started, 3)
            started = time.perf_counter()
            pg.mine(1)
            figures["mine_block_of_100_txs_s"] = round(time.perf_counter() - started, 4)
            started = time.perf_counter()
            pg.reorg(3)
            figures["reorg_3_s"] = round(time.perf_counter() - started, 4)

            _mine_to(pg, 10_000, figures, "10k")
            if top >= 100_000:
                _mine_to(pg, 100_000, figures, "100k")
            figures["height"] = pg.height
            last = "100k" if top >= 100_000 else "10k"
            figures[f"rate_{last}_vs_1k"] = round(
                figures[f"blocks_per_s_to_{last}"] / figures["blocks_per_s_to_1k"], 2
            )
            figures["block_index_check"] = pg.kernel.block_index_check
            started = time.perf_counter()
            pg.fund(address, 10_000, confirm=True)
            figures["fund_and_confirm_at_top_s"] = round(time.perf_counter() - started, 4)
        finally:
            pg.stop()
        figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

        started = time.perf_counter()
        again = Playground(Path(tmp) / "pg", electrum_port=0, esplora_port=0).start()
        figures["restart_at_top_s"] = round(time.perf_counter() - started, 3)
        figures["restart_resumed"] = "yes" if again.height == figures["height"] + 1 else "NO"
        again.stop()

        kernel = Kernel(Path(tmp) / "kernel-alone")
        for raw, block_hash in zip(raws[:100], hashes[:100]):
            kernel.submit_block(raw, block_hash)
        started = time.perf_counter()
        for raw, block_hash in zip(raws[100:1100], hashes[100:1100]):
            kernel.submit_block(raw, block_hash)
        figures["kernel_alone_1000_s"] = round(time.perf_counter() - started, 3)
        kernel.close()
    figures["playground_vs_kernel"] = round(
        figures["mine_1000_s"] / figures["kernel_alone_1000_s"], 2
    )
    anchors = {"mine_1000_s": {"floor": "kernel_alone_1000_s"}}
    report("playground", figures, save=args.save_reference, anchors=anchors)
    if figures["restart_resumed"] != "yes":
        raise SystemExit("the playground did not resume its chain after a restart")


if __name__ == "__main__":
    main()
