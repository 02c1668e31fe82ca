"""Merkle roots and branches over transaction ids (internal byte order throughout)."""

from __future__ import annotations

from wallet.bitcoin.hashes import sha256d


def merkle_root(hashes: list[bytes]) -> bytes:
    """Bitcoin's Merkle root: pairs hashed with sha256d, the last one duplicated on odd levels."""
    if not hashes:
        raise ValueError("a Merkle tree needs at least one leaf")
    level = list(hashes)
    while len(level) > 1:
        if len(level) % 2:
            level.append(level[-1])
        level = [sha256d(level[i] + level[i + 1]) for i in range(0, len(level), 2)]
    return level[0]


def merkle_branch(hashes: list[bytes], index: int) -> list[bytes]:
    """The sibling hashes from leaf ``index`` up to the root (Electrum ``get_merkle`` order)."""
    if not 0 <= index < len(hashes):
        raise ValueError(f"leaf {index} is outside a tree of {len(hashes)} leaves")
    branch = []
    level = list(hashes)
    while len(level) > 1:
        if len(level) % 2:
            level.append(level[-1])
        branch.append(level[index ^ 1])
        level = [sha256d(level[i] + level[i + 1]) for i in range(0, len(level), 2)]
        index >>= 1
    return branch
