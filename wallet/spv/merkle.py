"""Merkle roots and inclusion proofs, checked locally (internal byte order unless it says hex).

Three proof formats lead from a transaction to a header's merkle root:

* an Electrum ``blockchain.transaction.get_merkle`` branch (sibling hashes + position), which is
  also what Esplora's ``/tx/:txid/merkle-proof`` returns;
* Bitcoin Core's ``gettxoutproof`` (a ``CMerkleBlock``: header + BIP37 partial merkle tree),
  extracted with Core's rules: bits and hashes fully consumed, at most 16,666 transactions, and
  the mutation check (a node whose two children are equal is refused, CVE-2012-2459);
* a whole block, whose root is recomputed (with Core's mutation flag).

Attacks refused everywhere:

* a 64-byte transaction (its bytes could be an inner node, CVE-2017-12842, the shallow form);
* a branch running *through* a 64-byte transaction (the deep form of the same CVE: a fake
  leaf below a real 64-byte transaction, whose two halves pose as a fake leaf and its sibling).
  Every pair of nodes hashed on the way up is checked not to be a transaction
  (:func:`pair_is_transaction`), and where the block's tree depth is known (proven by its
  coinbase's branch, :class:`CoinbaseProof`) the branch must have exactly that many hashes;
* a phantom leaf in the duplicated tail of the tree: a position at or beyond the block's
  transaction count. Such a branch pairs a node with a copy of itself from the right at some
  level (the tree copies only the last node of an odd level, which is always on the left), so
  it is refused with or without the count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from wallet import bounded_json
from wallet.bitcoin.amount import MAX_MONEY
from wallet.bitcoin.errors import DecodeError
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.serialize import ByteReader
from wallet.bitcoin.transaction import Transaction, identify
from wallet.spv.errors import MerkleProofError
from wallet.spv.header import HEADER_SIZE, BlockHeader

#: Core's MAX_BLOCK_WEIGHT / MIN_TRANSACTION_WEIGHT: the most transactions a block can hold.
MAX_BLOCK_TXS = 4_000_000 // 240


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


def merkle_root_mutated(hashes: Sequence[bytes]) -> tuple[bytes, bool]:
    """Core's ``ComputeMerkleRoot`` with its ``mutated`` flag: True when two equal hashes are
    paired anywhere other than the odd-level duplicate, i.e. a list with repeated transactions
    that yields the same root as a shorter one (CVE-2012-2459)."""
    if not hashes:
        raise ValueError("a Merkle tree needs at least one leaf")
    level = list(hashes)
    mutated = False
    while len(level) > 1:
        for i in range(0, len(level) - 1, 2):
            if level[i] == level[i + 1]:
                mutated = True
        if len(level) % 2:
            level.append(level[-1])
        level = [sha256d(level[i] + level[i + 1]) for i in range(0, len(level), 2)]
    return level[0], mutated


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


def tree_depth(tx_count: int) -> int:
    """Number of levels above the leaves in a block of ``tx_count`` transactions."""
    depth = 0
    while (tx_count + (1 << depth) - 1) >> depth > 1:
        depth += 1
    return depth


def pair_is_transaction(pair: bytes) -> bool:
    """True when 64 bytes -- two Merkle nodes side by side -- read as a whole transaction.

    A real 64-byte transaction hashes to its txid exactly as such a pair hashes to its parent,
    so a branch through it can hang a fake leaf below a real one (CVE-2017-12842). Consensus
    needs at least one input and one output, which in 64 bytes means exactly one of each
    (41 + k and 9 + m bytes, k + m = 4: version, counts and locktime take the other 14), in the
    txid's serialization (no witness). So this is an exact test, not a guess: byte 4 is the
    input count 1, byte 41 the scriptSig length k <= 4, then the output count 1, an amount
    within 0..21 million BTC and the scriptPubKey length 4 - k at their fixed places. A random
    pair passes about once in 2^40.
    """
    if len(pair) != 64 or pair[4] != 1:
        return False
    k = pair[41]
    if k > 4 or pair[46 + k] != 1 or pair[55 + k] != 4 - k:
        return False
    return 0 <= int.from_bytes(pair[47 + k : 55 + k], "little", signed=True) <= MAX_MONEY


def root_from_branch(
    leaf: bytes,
    branch: Sequence[bytes],
    index: int,
    tx_count: int | None = None,
    depth: int | None = None,
) -> bytes:
    """Hash ``leaf`` up ``branch`` at position ``index`` and return the root it leads to.

    Always refused: a pair of nodes on the way that reads as a 64-byte transaction, and a node
    paired with a copy of itself from the right (a phantom position). With ``depth`` (the
    block's proven tree depth) the branch must have exactly that many hashes. With
    ``tx_count`` the shape is checked exactly: the depth, the position a real leaf, and a
    sibling equal to the node only where the tree duplicates the last node of an odd level.
    """
    if depth is not None and len(branch) != depth:
        raise MerkleProofError(
            f"the branch has {len(branch)} hashes, but the block's Merkle tree is {depth} "
            f"levels deep (proven by its coinbase's branch): a branch of the wrong depth"
        )
    if index < 0 or index >> len(branch):
        raise MerkleProofError(
            f"position {index} does not fit a branch of {len(branch)} hashes (at most "
            f"{(1 << len(branch)) - 1})"
        )
    if tx_count is not None:
        if not 0 < tx_count <= MAX_BLOCK_TXS:
            raise MerkleProofError(f"a block cannot hold {tx_count} transactions")
        if index >= tx_count:
            raise MerkleProofError(
                f"position {index} is beyond the block's {tx_count} transactions"
            )
        if len(branch) != tree_depth(tx_count):
            raise MerkleProofError(
                f"a branch in a block of {tx_count} transactions has {tree_depth(tx_count)} "
                f"hashes, not {len(branch)}"
            )
    node = leaf
    width = tx_count
    for level, sibling in enumerate(branch):
        if len(sibling) != 32:
            raise MerkleProofError("a Merkle branch hash is 32 bytes")
        if width is not None:
            is_dup_slot = index % 2 == 0 and index == width - 1
            if (sibling == node) != is_dup_slot:
                raise MerkleProofError(
                    "the branch duplicates a node where the tree has a distinct sibling "
                    "(or the other way round): a forged position"
                )
            width = (width + 1) // 2
        elif index & 1 and sibling == node:
            raise MerkleProofError(
                f"at level {level} the branch pairs the node with a copy of itself from the "
                "right, where only the last node of an odd level (always on the left) is "
                "copied: the position is a phantom leaf beyond the block's transactions"
            )
        pair = sibling + node if index & 1 else node + sibling
        if pair_is_transaction(pair):
            raise MerkleProofError(
                f"at level {level} the two nodes hashed together read as a 64-byte "
                "transaction: the branch runs through a real transaction to a fake leaf "
                "below it (CVE-2017-12842)"
            )
        node = sha256d(pair)
        index >>= 1
    return node


def txid_of(raw_tx: bytes) -> bytes:
    """The txid of a raw transaction, refusing the 64-byte ones (CVE-2017-12842)."""
    try:
        txid, stripped_size = identify(raw_tx)
    except DecodeError as exc:
        raise MerkleProofError(f"the transaction does not parse: {exc}") from None
    if stripped_size == 64:
        raise MerkleProofError(
            "a 64-byte transaction cannot be proven by a Merkle branch: its bytes could be an "
            "inner node of the tree (CVE-2017-12842)"
        )
    return txid


def _header(header: BlockHeader | bytes) -> BlockHeader:
    return header if isinstance(header, BlockHeader) else BlockHeader.parse(header)


def verify_branch(
    raw_tx: bytes,
    branch: Sequence[bytes],
    index: int,
    header: BlockHeader | bytes,
    tx_count: int | None = None,
    depth: int | None = None,
) -> bytes:
    """Check that ``raw_tx`` sits at ``index`` in the block of ``header``; return its txid.

    Raises :class:`MerkleProofError` when the branch leads anywhere but the header's root, or
    has another length than the block's proven ``depth``.
    """
    txid = txid_of(raw_tx)
    root = root_from_branch(txid, branch, index, tx_count, depth)
    want = _header(header).merkle_root
    if root != want:
        raise MerkleProofError(
            f"the branch for {txid[::-1].hex()} leads to root {root[::-1].hex()}, not the "
            f"header's {want[::-1].hex()}"
        )
    return txid


@dataclass(frozen=True)
class ElectrumProof:
    """An Electrum ``get_merkle`` / Esplora ``merkle-proof`` result."""

    block_height: int
    branch: tuple[bytes, ...]
    pos: int

    @classmethod
    def from_json(cls, doc: dict[str, Any] | str) -> ElectrumProof:
        """Read ``{"block_height": h, "merkle": [hex, ...], "pos": n}`` (hashes in display
        order, as both protocols send them)."""
        try:
            data: Any = bounded_json.loads(doc) if isinstance(doc, str) else doc
            height, pos = data["block_height"], data["pos"]
            if not isinstance(height, int) or not isinstance(pos, int) or min(height, pos) < 0:
                raise TypeError("block_height and pos must be non-negative integers")
            branch = []
            for item in data["merkle"]:
                node = bytes.fromhex(item)
                if len(node) != 32:
                    raise ValueError(f"{item!r} is not a 32-byte hash")
                branch.append(node[::-1])
        except (KeyError, TypeError, ValueError) as exc:
            raise MerkleProofError(f"the Merkle proof is malformed: {exc}") from None
        return cls(height, tuple(branch), pos)

    def verify(
        self,
        raw_tx: bytes,
        header: BlockHeader | bytes,
        tx_count: int | None = None,
        depth: int | None = None,
    ) -> bytes:
        """Check the proof for ``raw_tx`` against the header at ``block_height``; the txid."""
        return verify_branch(raw_tx, self.branch, self.pos, header, tx_count, depth)


@dataclass(frozen=True)
class CoinbaseProof:
    """A block's coinbase txid and its branch at position 0: the proof of the tree's depth.

    The depth of a block's Merkle tree is the length of every honest branch in it. A branch of
    another length that still reaches the root needs a fake leaf below a real 64-byte
    transaction, or a "transaction" that is an inner node. The coinbase's branch cannot be
    forged either way once the coinbase itself is checked (:meth:`check_coinbase`): it is at
    position 0 and has a null prevout (27 zero bytes where a pair of hashes has random ones,
    so even a 64-byte coinbase cannot be an inner node). Without
    the coinbase's bytes (as in a receipt) a forger could only make the depth look *smaller*,
    which makes honest branches fail, never a forged one pass; a larger depth would need the
    coinbase to be a 64-byte transaction, which :func:`pair_is_transaction` refuses.
    """

    txid: bytes
    branch: tuple[bytes, ...]

    @property
    def depth(self) -> int:
        return len(self.branch)

    def verify(self, header: BlockHeader | bytes) -> int:
        """Check the branch from position 0 to ``header``'s merkle root; the tree's depth."""
        if len(self.branch) > tree_depth(MAX_BLOCK_TXS):
            raise MerkleProofError(
                f"a coinbase branch of {len(self.branch)} hashes is deeper than any block"
            )
        root = root_from_branch(self.txid, self.branch, 0)
        want = _header(header).merkle_root
        if root != want:
            raise MerkleProofError(
                f"the coinbase branch leads to root {root[::-1].hex()}, not the header's "
                f"{want[::-1].hex()}"
            )
        return len(self.branch)

    def check_coinbase(self, raw_tx: bytes) -> None:
        """Check that ``raw_tx`` is the coinbase this proof names: it parses, is a coinbase
        (one input, null prevout) and hashes to ``txid``."""
        try:
            tx = Transaction.parse(raw_tx)
        except DecodeError as exc:
            raise MerkleProofError(f"the coinbase does not parse: {exc}") from None
        if not tx.is_coinbase():
            raise MerkleProofError(
                f"transaction {tx.txid_hex}, named as the block's first, is not a coinbase"
            )
        if tx.txid() != self.txid:
            raise MerkleProofError(
                f"the coinbase sent hashes to {tx.txid_hex}, not {self.txid[::-1].hex()}"
            )


def verify_esplora_proof(
    doc: dict[str, Any] | str,
    raw_tx: bytes,
    header: BlockHeader | bytes,
    tx_count: int | None = None,
) -> bytes:
    """Esplora's ``GET /tx/:txid/merkle-proof`` has the Electrum shape; check it the same way."""
    return ElectrumProof.from_json(doc).verify(raw_tx, header, tx_count)


@dataclass(frozen=True)
class MerkleBlock:
    """Bitcoin Core's ``CMerkleBlock`` (``gettxoutproof``; BIP37 ``merkleblock``)."""

    header: BlockHeader
    tx_count: int
    hashes: tuple[bytes, ...]
    flags: bytes

    @classmethod
    def parse(cls, data: bytes) -> MerkleBlock:
        r = ByteReader(data, MerkleProofError)
        header = BlockHeader.parse(r.read(HEADER_SIZE))
        tx_count = r.u32()
        hashes = tuple(r.read(32) for _ in range(r.count(32)))
        flags = r.var_bytes()
        r.expect_end("merkle block")
        return cls(header, tx_count, hashes, flags)

    @classmethod
    def from_hex(cls, text: str) -> MerkleBlock:
        try:
            return cls.parse(bytes.fromhex(text.strip()))
        except ValueError as exc:
            if isinstance(exc, MerkleProofError):
                raise
            raise MerkleProofError(f"the proof is not hex: {exc}") from None

    def extract(self) -> tuple[bytes, list[tuple[int, bytes]]]:
        """Core's ``CPartialMerkleTree::ExtractMatches``: the root and the (position, txid)
        pairs matched. Raises :class:`MerkleProofError` where Core returns a null root."""
        n = self.tx_count
        if n == 0:
            raise MerkleProofError("a merkle block with no transactions proves nothing")
        if n > MAX_BLOCK_TXS:
            raise MerkleProofError(f"a block cannot hold {n} transactions")
        if len(self.hashes) > n:
            raise MerkleProofError("the proof carries more hashes than the block has transactions")
        bits = [(self.flags[i // 8] >> (i % 8)) & 1 for i in range(8 * len(self.flags))]
        if len(bits) < len(self.hashes):
            raise MerkleProofError("the proof has fewer flag bits than hashes")

        def width(height: int) -> int:
            return (n + (1 << height) - 1) >> height

        height = 0
        while width(height) > 1:
            height += 1
        used_bits = used_hashes = 0
        matches: list[tuple[int, bytes]] = []

        def walk(h: int, pos: int) -> bytes:
            nonlocal used_bits, used_hashes
            if used_bits >= len(bits):
                raise MerkleProofError("the proof ran out of flag bits")
            parent_of_match = bits[used_bits]
            used_bits += 1
            if h == 0 or not parent_of_match:
                if used_hashes >= len(self.hashes):
                    raise MerkleProofError("the proof ran out of hashes")
                node = self.hashes[used_hashes]
                used_hashes += 1
                if h == 0 and parent_of_match:
                    matches.append((pos, node))
                return node
            left = walk(h - 1, pos * 2)
            if pos * 2 + 1 < width(h - 1):
                right = walk(h - 1, pos * 2 + 1)
                if right == left:
                    raise MerkleProofError(
                        "two sibling subtrees of the proof are identical: a mutated tree "
                        "(CVE-2012-2459)"
                    )
            else:
                right = left
            return sha256d(left + right)

        root = walk(height, 0)
        if (used_bits + 7) // 8 != (len(bits) + 7) // 8:
            raise MerkleProofError("the proof has flag bits left over")
        if used_hashes != len(self.hashes):
            raise MerkleProofError("the proof has hashes left over")
        return root, matches

    def verify(self) -> list[tuple[int, bytes]]:
        """Check the tree against the header's merkle root; return the matched (pos, txid)."""
        root, matches = self.extract()
        if root != self.header.merkle_root:
            raise MerkleProofError(
                f"the partial tree leads to root {root[::-1].hex()}, not the header's "
                f"{self.header.merkle_root_hex}"
            )
        return matches

    def proves(self, raw_tx: bytes) -> int:
        """Position of ``raw_tx`` in the block if this proof proves it (refusing 64-byte ones)."""
        txid = txid_of(raw_tx)
        for pos, matched in self.verify():
            if matched == txid:
                return pos
        raise MerkleProofError(f"the proof does not include transaction {txid[::-1].hex()}")


@dataclass(frozen=True)
class Block:
    """A whole block: header and transactions (as ``getblock`` or ``/block/:hash/raw`` give)."""

    header: BlockHeader
    transactions: tuple[Transaction, ...]

    @classmethod
    def parse(cls, data: bytes) -> Block:
        r = ByteReader(data, DecodeError)
        header = BlockHeader.parse(r.read(HEADER_SIZE))
        count = r.count(60)
        txs = tuple(Transaction.read(r) for _ in range(count))
        r.expect_end("block")
        if not txs:
            raise DecodeError("a block holds at least its coinbase transaction")
        return cls(header, txs)

    def txids(self) -> list[bytes]:
        return [tx.txid() for tx in self.transactions]

    def computed_merkle_root(self) -> bytes:
        """The root recomputed from the transactions (raises on a mutated transaction list)."""
        root, mutated = merkle_root_mutated(self.txids())
        if mutated:
            raise MerkleProofError(
                "the block repeats transactions so that it shares its root with a shorter "
                "list (a mutated block, CVE-2012-2459)"
            )
        return root

    def check_merkle_root(self) -> None:
        root = self.computed_merkle_root()
        if root != self.header.merkle_root:
            raise MerkleProofError(
                f"the transactions hash to root {root[::-1].hex()}, not the header's "
                f"{self.header.merkle_root_hex}"
            )
