"""Making regtest blocks: coinbase (BIP34 height, BIP141 witness commitment) and proof of work.

Regtest's target (bits 0x207fffff) is half of the hash space, so grinding a nonce takes about two
tries. The functions here only build bytes; the kernel decides whether a block is valid.
"""

from __future__ import annotations

import hashlib
import os
import struct
from collections.abc import Sequence
from dataclasses import dataclass

from wallet.bitcoin.amount import COIN
from wallet.bitcoin.script import push_data, push_int
from wallet.bitcoin.serialize import encode_varint
from wallet.bitcoin.transaction import SEQUENCE_FINAL, OutPoint, Transaction, TxIn, TxOut
from wallet.spv.merkle import merkle_root
from wallet.spv.pow import MAX_FUTURE_BLOCK_TIME

REGTEST_BITS = 0x207FFFFF
#: Regtest halves the subsidy every 150 blocks (Bitcoin Core's chainparams).
HALVING_INTERVAL = 150
COINBASE_MATURITY = 100
BLOCK_VERSION = 0x20000000
MAX_BLOCK_WEIGHT = 4_000_000
#: BIP141: the commitment output's script starts with OP_RETURN, a 36-byte push and this tag.
WITNESS_TAG = bytes.fromhex("aa21a9ed")
WITNESS_RESERVED_VALUE = bytes(32)
#: Weight kept free for the coinbase when filling a block with mempool transactions.
COINBASE_WEIGHT_RESERVE = 4_000
#: How far back an empty block of a burst may be dated (so a fresh chain starts a week ago).
BACKDATE_LIMIT = 7 * 24 * 3600


def bits_to_target(bits: int) -> int:
    exponent = bits >> 24
    mantissa = bits & 0x007FFFFF
    return mantissa << (8 * (exponent - 3)) if exponent > 3 else mantissa >> (8 * (3 - exponent))


REGTEST_TARGET = bits_to_target(REGTEST_BITS)


def block_subsidy(height: int) -> int:
    halvings = height // HALVING_INTERVAL
    return 0 if halvings >= 64 else (50 * COIN) >> halvings


def median_time_past(times: Sequence[int]) -> int:
    """The median of the last (up to) 11 block times; a new block's time must exceed it."""
    last = sorted(times[-11:])
    return last[len(last) // 2]


def block_time(recent: Sequence[int], now: int, *, current: bool) -> int:
    """The time for the next block's header, after the ``recent`` block times (oldest first).

    Consensus wants a time above the median of the last 11 blocks, and Core refuses one more
    than :data:`MAX_FUTURE_BLOCK_TIME` (2 hours) after its clock. The median rule lets a chain's
    time advance by as little as one second per six blocks, so a burst of blocks dated now
    carries the chain ahead of the clock: 43,200 blocks in a burst pass the 2 hours. A
    ``current`` block (it confirms transactions, or ends a request to mine) is dated now, as a
    person watching expects; the other blocks of a burst are dated as early as consensus allows
    (but at most :data:`BACKDATE_LIMIT` back), a simulated time that leaves the chain's clock
    behind the real one: the next burst goes back under the median of the last 11, not under
    one current block.
    """
    earliest = median_time_past(recent) + 1
    return max(earliest, now if current else now - BACKDATE_LIMIT)


def ahead_of_clock(when: int, now: int) -> bool:
    """True if Core would refuse a block dated ``when`` as too far ahead of ``now``."""
    return when > now + MAX_FUTURE_BLOCK_TIME


def witness_commitment_script(witness_root: bytes) -> bytes:
    commitment = _sha256d(witness_root + WITNESS_RESERVED_VALUE)
    return b"\x6a" + push_data(WITNESS_TAG + commitment)


def coinbase_tx(
    height: int, script_pubkey: bytes, value: int, witness_root: bytes, extra_nonce: bytes
) -> Transaction:
    """The coinbase: BIP34 height push first, then an extra nonce so sibling blocks differ."""
    script_sig = push_int(height) + push_data(extra_nonce)
    txin = TxIn(
        OutPoint(bytes(32), 0xFFFFFFFF), script_sig, SEQUENCE_FINAL, [WITNESS_RESERVED_VALUE]
    )
    outputs = [TxOut(value, script_pubkey), TxOut(0, witness_commitment_script(witness_root))]
    return Transaction(2, [txin], outputs, 0)


def grind_header(prev_hash: bytes, root: bytes, time: int, bits: int = REGTEST_BITS) -> bytes:
    """An 80-byte header whose hash meets ``bits``."""
    target = bits_to_target(bits)
    prefix = struct.pack("<i32s32sII", BLOCK_VERSION, prev_hash, root, time, bits)
    sha256 = hashlib.sha256
    for nonce in range(1 << 32):
        header = prefix + nonce.to_bytes(4, "little")
        if int.from_bytes(sha256(sha256(header).digest()).digest(), "little") <= target:
            return header
    raise RuntimeError("no nonce meets the target; change the time or the extra nonce")


def tiny_coinbase(height: int, value: int) -> Transaction:
    """A coinbase exactly 64 bytes long (no witness commitment, so its block may hold no
    witness transactions): the kernel accepts it, and its two halves read like two Merkle
    nodes. Lets the tests forge a branch through a real 64-byte transaction (CVE-2017-12842)."""
    script_sig = push_int(height)
    script_sig += b"\x00" * (2 - len(script_sig))  # a coinbase scriptSig is 2..100 bytes
    if len(script_sig) > 4:
        raise ValueError(f"no 64-byte coinbase at height {height}")
    txin = TxIn(OutPoint(bytes(32), 0xFFFFFFFF), script_sig, SEQUENCE_FINAL)
    tx = Transaction(1, [txin], [TxOut(value, b"\x51" * (4 - len(script_sig)))], 0)
    assert len(tx.serialize()) == 64
    return tx


@dataclass(slots=True)
class BuiltBlock:
    raw: bytes
    hash: bytes
    header: bytes
    #: every transaction with its serialized bytes, the coinbase first
    txs: list[tuple[Transaction, bytes]]


def build_block(
    prev_hash: bytes,
    height: int,
    time: int,
    script_pubkey: bytes,
    txs: Sequence[tuple[Transaction, bytes]] = (),
    fees: int = 0,
    extra_nonce: bytes | None = None,
    tiny: bool = False,
) -> BuiltBlock:
    """A mined block on ``prev_hash`` paying subsidy + ``fees`` to ``script_pubkey`` (with
    ``tiny``: to a 64-byte coinbase, see :func:`tiny_coinbase`)."""
    if extra_nonce is None:
        extra_nonce = os.urandom(4)
    wtxids = [bytes(32)] + [_sha256d(raw) for _, raw in txs]
    if tiny:
        coinbase = tiny_coinbase(height, block_subsidy(height) + fees)
    else:
        coinbase = coinbase_tx(
            height, script_pubkey, block_subsidy(height) + fees, merkle_root(wtxids), extra_nonce
        )
    cb_raw = coinbase.serialize()
    all_txs = [(coinbase, cb_raw), *txs]
    txids = [coinbase.txid()] + [tx.txid() for tx, _ in txs]
    header = grind_header(prev_hash, merkle_root(txids), time)
    raw = b"".join([header, encode_varint(len(all_txs)), *(r for _, r in all_txs)])
    return BuiltBlock(raw, _sha256d(header), header, all_txs)


def _sha256d(data: bytes) -> bytes:
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()
