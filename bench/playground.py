"""The playground's speed: mining blocks that libbitcoinkernel validates, and what else a test
session waits for (start, restart, funding, a reorg).

``mine_1000_s`` is the acceptance figure (under 5 s): 1,000 blocks built, proof-of-work ground,
handed to the kernel's ``process_block`` one by one and indexed. ``kernel_alone_1000_s`` feeds
the same 1,000 blocks to a fresh kernel, the floor the playground cannot beat.

    python3 bench/playground.py [--save-reference]
"""

from __future__ import annotations

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


def main() -> None:
    figures: dict[str, float | int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        pg = Playground(Path(tmp) / "pg", electrum_port=0, esplora_port=0).start()
        figures["first_start_101_blocks_s"] = round(time.perf_counter() - started, 3)
        try:
            started = time.perf_counter()
            pg.mine(1000)
            elapsed = time.perf_counter() - started
            figures["mine_1000_s"] = round(elapsed, 3)
            figures["blocks_per_s"] = round(1000 / elapsed)

            with pg.lock:
                raws = [
                    b.header + encode_varint(len(b.txs)) + b"".join(t.raw for t in b.txs)
                    for b in pg.chain.blocks[1:]
                ]
                hashes = [b.hash for b in pg.chain.blocks[1:]]

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
        finally:
            pg.stop()

        started = time.perf_counter()
        again = Playground(Path(tmp) / "pg", electrum_port=0, esplora_port=0).start()
        figures["restart_1100_blocks_s"] = round(time.perf_counter() - started, 3)
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
    report("playground", figures)


if __name__ == "__main__":
    main()
