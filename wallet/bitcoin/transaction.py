"""Transactions: the data model and its consensus serialization (BIP144 for witness data).

Sighash and signing live in ``sighash.py`` and ``signing.py``; this module only knows bytes.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from wallet.bitcoin.amount import MAX_MONEY
from wallet.bitcoin.errors import TransactionError
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.serialize import ByteReader, encode_bytes, encode_varint

#: A coinbase output can be spent only once it has this many confirmations (consensus).
COINBASE_MATURITY = 100
SEQUENCE_FINAL = 0xFFFFFFFF
#: nSequence that signals BIP125 replaceability and enables nLockTime (the wallet's default).
SEQUENCE_RBF = 0xFFFFFFFD
#: No real block has more than this many transactions; bounds counts read from hostile bytes.
MAX_BLOCK_WEIGHT = 4_000_000


@dataclass(frozen=True)
class OutPoint:
    #: txid in internal byte order (as serialized), not the reversed display hex.
    txid: bytes
    vout: int

    @classmethod
    def from_hex(cls, txid_hex: str, vout: int) -> OutPoint:
        return cls(bytes.fromhex(txid_hex)[::-1], vout)

    @property
    def txid_hex(self) -> str:
        return self.txid[::-1].hex()

    def serialize(self) -> bytes:
        return self.txid + self.vout.to_bytes(4, "little")

    def is_null(self) -> bool:
        return self.txid == bytes(32) and self.vout == 0xFFFFFFFF

    def __str__(self) -> str:
        return f"{self.txid_hex}:{self.vout}"


@dataclass
class TxIn:
    prevout: OutPoint
    script_sig: bytes = b""
    sequence: int = SEQUENCE_RBF
    witness: list[bytes] = field(default_factory=list)

    def serialize(self) -> bytes:
        return (
            self.prevout.serialize()
            + encode_bytes(self.script_sig)
            + self.sequence.to_bytes(4, "little")
        )


@dataclass
class TxOut:
    value: int
    script_pubkey: bytes

    def serialize(self) -> bytes:
        return self.value.to_bytes(8, "little", signed=True) + encode_bytes(self.script_pubkey)


@dataclass
class Transaction:
    version: int = 2
    inputs: list[TxIn] = field(default_factory=list)
    outputs: list[TxOut] = field(default_factory=list)
    locktime: int = 0

    # -- serialization -------------------------------------------------------------------------

    def has_witness(self) -> bool:
        return any(i.witness for i in self.inputs)

    def serialize(self, include_witness: bool = True) -> bytes:
        witness = include_witness and self.has_witness()
        parts = [self.version.to_bytes(4, "little", signed=True)]
        if witness:
            parts.append(b"\x00\x01")
        parts.append(encode_varint(len(self.inputs)))
        parts.extend(i.serialize() for i in self.inputs)
        parts.append(encode_varint(len(self.outputs)))
        parts.extend(o.serialize() for o in self.outputs)
        if witness:
            for i in self.inputs:
                parts.append(encode_varint(len(i.witness)))
                parts.extend(encode_bytes(item) for item in i.witness)
        parts.append(self.locktime.to_bytes(4, "little"))
        return b"".join(parts)

    def serialize_no_witness(self) -> bytes:
        return self.serialize(include_witness=False)

    @classmethod
    def parse(cls, data: bytes) -> Transaction:
        """Parse one transaction that must span all of ``data``."""
        reader = ByteReader(data, TransactionError)
        tx = cls.read(reader)
        reader.expect_end("transaction")
        return tx

    @classmethod
    def from_hex(cls, hex_str: str) -> Transaction:
        try:
            raw = bytes.fromhex(hex_str.strip())
        except ValueError:
            raise TransactionError("transaction hex contains non-hex characters") from None
        return cls.parse(raw)

    @classmethod
    def read(cls, r: ByteReader) -> Transaction:
        """Read one transaction from a reader (used for blocks, which hold many)."""
        version = r.i32()
        segwit = False
        if r.remaining() >= 2 and r.peek(2) == b"\x00\x01":
            r.read(2)
            segwit = True
        elif r.remaining() >= 1 and r.peek(1) == b"\x00":
            # A marker without a valid flag; also a transaction with zero inputs, which is invalid.
            raise TransactionError("transaction has no inputs or a bad segwit marker/flag")
        n_in = r.count(41)
        inputs = []
        for _ in range(n_in):
            prevout = OutPoint(r.read(32), r.u32())
            script_sig = r.var_bytes()
            inputs.append(TxIn(prevout, script_sig, r.u32()))
        n_out = r.count(9)
        outputs = []
        for _ in range(n_out):
            value = r.i64()
            if not 0 <= value <= MAX_MONEY:
                raise TransactionError(f"output value {value} is outside 0..21,000,000 BTC")
            outputs.append(TxOut(value, r.var_bytes()))
        if segwit:
            for txin in inputs:
                n_items = r.count(1)
                txin.witness = [r.var_bytes() for _ in range(n_items)]
            if not any(i.witness for i in inputs):
                raise TransactionError("segwit flag set but every witness is empty (not canonical)")
        locktime = r.u32()
        return cls(version, inputs, outputs, locktime)

    # -- identity and size ---------------------------------------------------------------------

    def txid(self) -> bytes:
        """The txid in internal byte order."""
        return sha256d(self.serialize_no_witness())

    def wtxid(self) -> bytes:
        return sha256d(self.serialize())

    @property
    def txid_hex(self) -> str:
        return self.txid()[::-1].hex()

    @property
    def wtxid_hex(self) -> str:
        return self.wtxid()[::-1].hex()

    def weight(self) -> int:
        base = len(self.serialize_no_witness())
        total = len(self.serialize()) if self.has_witness() else base
        return base * 3 + total

    def vsize(self) -> int:
        return (self.weight() + 3) // 4

    def is_coinbase(self) -> bool:
        return len(self.inputs) == 1 and self.inputs[0].prevout.is_null()

    def signals_rbf(self) -> bool:
        """BIP125: any input with nSequence below 0xfffffffe."""
        return any(i.sequence < 0xFFFFFFFE for i in self.inputs)


#: raw transactions up to this size have their identity remembered (at most 2,048 of them)
_IDENTIFY_CACHED = 10_000


def identify(raw: bytes) -> tuple[bytes, int]:
    """``(txid, size without witness)`` of a raw transaction; TransactionError if it does not
    parse. Remembered for small ones: a sync checks each transaction it fetches in several
    places (the client, the history, the Merkle proof), and parsing is the costly part."""
    raw = bytes(raw)
    if len(raw) > _IDENTIFY_CACHED:
        return _identify.__wrapped__(raw)
    return _identify(raw)


@functools.lru_cache(maxsize=2048)
def _identify(raw: bytes) -> tuple[bytes, int]:
    stripped = Transaction.parse(raw).serialize_no_witness()
    return sha256d(stripped), len(stripped)
