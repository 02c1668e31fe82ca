"""Proofs the servers hand out: Merkle branches for transactions and for headers (``cp_height``),
and Bitcoin Core's ``merkleblock`` (a partial Merkle tree, BIP37) for Esplora's merkleblock-proof.

The partial Merkle tree lives here until ``wallet/spv`` grows its own encoder; it is checked
byte for byte against real ``gettxoutproof`` outputs in the tests.
"""

from __future__ import annotations

from collections.abc import Sequence

from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.serialize import encode_varint
from wallet.spv.merkle import merkle_branch, merkle_root


def tx_branch(txids: Sequence[bytes], pos: int) -> list[bytes]:
    """Electrum's ``merkle`` list for the transaction at ``pos`` (internal byte order)."""
    return merkle_branch(list(txids), pos)


def header_proof(block_hashes: Sequence[bytes], height: int) -> tuple[list[bytes], bytes]:
    """Branch and root proving ``block_hashes[height]`` is in the tree of all of them.

    ``block_hashes`` are the hashes of heights 0..cp_height (Electrum protocol 1.4).
    """
    leaves = list(block_hashes)
    return merkle_branch(leaves, height), merkle_root(leaves)


def _levels(txids: Sequence[bytes]) -> list[list[bytes]]:
    levels = [list(txids)]
    while len(levels[-1]) > 1:
        cur = levels[-1]
        nxt = []
        for i in range(0, len(cur), 2):
            right = cur[i + 1] if i + 1 < len(cur) else cur[i]
            nxt.append(sha256d(cur[i] + right))
        levels.append(nxt)
    return levels


def partial_merkle_tree(txids: Sequence[bytes], matches: set[int]) -> bytes:
    """Serialized CPartialMerkleTree: tx count, hashes, flag bits (as Bitcoin Core builds it)."""
    n = len(txids)
    if n == 0:
        raise ValueError("a block has at least one transaction")
    levels = _levels(txids)
    height = len(levels) - 1
    bits: list[bool] = []
    hashes: list[bytes] = []

    def width(h: int) -> int:
        return (n + (1 << h) - 1) >> h

    def build(h: int, pos: int) -> None:
        lo, hi = pos << h, min((pos + 1) << h, n)
        parent_of_match = any(i in matches for i in range(lo, hi))
        bits.append(parent_of_match)
        if h == 0 or not parent_of_match:
            hashes.append(levels[h][pos])
        else:
            build(h - 1, pos * 2)
            if pos * 2 + 1 < width(h - 1):
                build(h - 1, pos * 2 + 1)

    build(height, 0)
    flags = bytearray((len(bits) + 7) // 8)
    for i, bit in enumerate(bits):
        flags[i // 8] |= bit << (i % 8)
    return (
        n.to_bytes(4, "little")
        + encode_varint(len(hashes))
        + b"".join(hashes)
        + encode_varint(len(flags))
        + bytes(flags)
    )


def merkle_block(header: bytes, txids: Sequence[bytes], matches: set[int]) -> bytes:
    """A serialized CMerkleBlock (what ``gettxoutproof`` returns) for the matched positions."""
    return header + partial_merkle_tree(txids, matches)
