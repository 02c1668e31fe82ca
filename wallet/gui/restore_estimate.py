"""What a sync over the light node will download, estimated before the wallet exists (no Qt here).

A light node downloads one compact filter (BIP158 basic) per block from the wallet's birthday to
the tip, and the whole blocks whose filter matches one of the wallet's scripts: its own
transactions' blocks, plus false positives at about one in :data:`M` per script and block.

Mainnet figures (filter and block size by height) were derived from the real mainnet blocks in
the project's shared test data (``../shared/data/blocks/mainnet``: heights 169482, 227835,
300025, 363703, 383616, 413567, 426884, 481829, 830000 and 831328..831335), each block's filter
built with :func:`wallet.bitcoin.bip158.build_filter` from its output scripts and one element
per input (the scripts those inputs spend are not in the block; each is counted once, so the
figures lean high). Single blocks are noisy: the estimate is "about", and says so.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

from wallet.bitcoin.bip158 import M

#: (height, filter bytes, block bytes) on mainnet; linear in between, the last one after it.
MAINNET_SIZES = (
    (0, 100, 300),
    (169_482, 770, 18_700),
    (227_835, 1_200, 54_000),
    (300_025, 6_600, 284_000),
    (373_000, 15_300, 680_000),
    (420_000, 19_200, 998_000),
    (481_829, 26_500, 998_000),
    (830_000, 33_000, 1_770_000),
)
#: Other networks: rough per-block figures, not measured here (testnets' and signet's blocks
#: are mostly small; regtest is the playground's own near-empty chain).
FLAT_SIZES = {
    "regtest": (60, 600),
    "signet": (1_000, 30_000),
    "testnet3": (1_500, 40_000),
    "testnet4": (1_500, 40_000),
}
#: (height, Unix time) of mainnet blocks (each halving's block), to place dates and the tip.
MAINNET_TIMES = (
    (0, 1_231_006_505),
    (210_000, 1_354_116_278),
    (420_000, 1_468_082_773),
    (630_000, 1_589_225_023),
    (840_000, 1_713_571_767),
)
#: The scripts a new wallet watches: receive and change to the default gap limit.
WATCHED_SCRIPTS = 40


@dataclass(frozen=True)
class Estimate:
    blocks_scanned: int
    filter_bytes: int
    #: blocks expected to match by chance (false positives) and their bytes
    chance_blocks: int
    chance_bytes: int
    #: the average size of one block in the range: each of the wallet's own payments costs one
    block_bytes: int

    @property
    def total_bytes(self) -> int:
        return self.filter_bytes + self.chance_bytes


def _sizes(network: str, height: int) -> tuple[float, float]:
    if network != "mainnet":
        return FLAT_SIZES.get(network, FLAT_SIZES["testnet4"])
    table = MAINNET_SIZES
    if height >= table[-1][0]:
        return table[-1][1], table[-1][2]
    for (h0, f0, b0), (h1, f1, b1) in itertools.pairwise(table):
        if h0 <= height < h1:
            share = (height - h0) / (h1 - h0)
            return f0 + (f1 - f0) * share, b0 + (b1 - b0) * share
    return table[0][1], table[0][2]


def mainnet_height_at(when: float) -> int:
    """The mainnet height at Unix time ``when`` (about: blocks come every ~10 minutes)."""
    pairs = MAINNET_TIMES
    if when <= pairs[0][1]:
        return 0
    for (h0, t0), (h1, t1) in itertools.pairwise(pairs):
        if t0 <= when < t1:
            return int(h0 + (h1 - h0) * (when - t0) / (t1 - t0))
    h, t = pairs[-1]
    return int(h + (when - t) / 600)


def estimate(
    network: str,
    birth_height: int,
    tip_height: int,
    scripts: int = WATCHED_SCRIPTS,
    step: int = 1000,
) -> Estimate:
    """What a scan from ``birth_height`` to ``tip_height`` downloads, about."""
    start, end = max(0, birth_height), max(birth_height, tip_height)
    count = end - start + 1
    filters = 0.0
    blocks = 0.0
    for h in range(start, end + 1, step):
        n = min(step, end + 1 - h)
        f, b = _sizes(network, h + n // 2)
        filters += f * n
        blocks += b * n
    chance = count * scripts / M
    average_block = blocks / count if count else 0.0
    return Estimate(
        count, int(filters), round(chance), int(chance * average_block), int(average_block)
    )


def tip_now(network: str) -> int | None:
    """Mainnet's height now, about (None elsewhere: only mainnet's pace is known here)."""
    return mainnet_height_at(time.time()) if network == "mainnet" else None


__all__ = ["Estimate", "estimate", "mainnet_height_at", "tip_now"]
