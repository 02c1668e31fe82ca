"""Partially Signed Bitcoin Transactions, version 0 (BIP174), with the BIP371 taproot fields.

Each map (global, one per input, one per output) keeps its key-value pairs in the order they
were read, unknown ones included, so ``PSBT.parse(data).serialize() == data``. Entries the wallet
adds go where Bitcoin Core would put them, so a PSBT that Core made stays byte-identical to what
Core makes from it. Typed fields are read and written through properties of :class:`PSBTInput`,
:class:`PSBTOutput` and :class:`PSBT`; every field is validated when the PSBT is parsed.

Roles: ``PSBT.from_transaction`` (creator), ``update_input`` / ``update_output`` (updater),
``sign`` (signer), ``PSBT.combine`` (combiner), ``finalize`` (finalizer), ``extract`` (extractor).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from coincurve import PublicKey

from wallet.bitcoin.errors import BitcoinError, PSBTError
from wallet.bitcoin.hashes import hash160, ripemd160, sha256, sha256d
from wallet.bitcoin.script import (
    OP_0,
    ScriptType,
    classify,
    iter_ops,
    p2pkh_script,
    p2sh_script,
    p2tr_script,
    parse_witness_program,
    push_data,
)
from wallet.bitcoin.serialize import ByteReader, encode_bytes, encode_varint
from wallet.bitcoin.sighash import (
    ECDSA_SIGHASH_TYPES,
    SIGHASH_ALL,
    SIGHASH_DEFAULT,
    SIGHASH_SINGLE,
    TAPROOT_SIGHASH_TYPES,
    SighashCache,
)
from wallet.bitcoin.signing import public_key, sign_ecdsa, sign_schnorr, xonly_public_key
from wallet.bitcoin.taproot import taproot_output_key, taproot_tweak_seckey
from wallet.bitcoin.transaction import OutPoint, Transaction, TxIn, TxOut

MAGIC = b"psbt\xff"

# Global types
PSBT_GLOBAL_UNSIGNED_TX = 0x00
PSBT_GLOBAL_XPUB = 0x01
PSBT_GLOBAL_VERSION = 0xFB
PSBT_GLOBAL_PROPRIETARY = 0xFC
# Input types
PSBT_IN_NON_WITNESS_UTXO = 0x00
PSBT_IN_WITNESS_UTXO = 0x01
PSBT_IN_PARTIAL_SIG = 0x02
PSBT_IN_SIGHASH_TYPE = 0x03
PSBT_IN_REDEEM_SCRIPT = 0x04
PSBT_IN_WITNESS_SCRIPT = 0x05
PSBT_IN_BIP32_DERIVATION = 0x06
PSBT_IN_FINAL_SCRIPTSIG = 0x07
PSBT_IN_FINAL_SCRIPTWITNESS = 0x08
PSBT_IN_RIPEMD160 = 0x0A
PSBT_IN_SHA256 = 0x0B
PSBT_IN_HASH160 = 0x0C
PSBT_IN_HASH256 = 0x0D
PSBT_IN_TAP_KEY_SIG = 0x13
PSBT_IN_TAP_SCRIPT_SIG = 0x14
PSBT_IN_TAP_LEAF_SCRIPT = 0x15
PSBT_IN_TAP_BIP32_DERIVATION = 0x16
PSBT_IN_TAP_INTERNAL_KEY = 0x17
PSBT_IN_TAP_MERKLE_ROOT = 0x18
PSBT_IN_PROPRIETARY = 0xFC
# Output types
PSBT_OUT_REDEEM_SCRIPT = 0x00
PSBT_OUT_WITNESS_SCRIPT = 0x01
PSBT_OUT_BIP32_DERIVATION = 0x02
PSBT_OUT_TAP_INTERNAL_KEY = 0x05
PSBT_OUT_TAP_TREE = 0x06
PSBT_OUT_TAP_BIP32_DERIVATION = 0x07
PSBT_OUT_PROPRIETARY = 0xFC

# The order Bitcoin Core writes the fields in (unknown types go last, by key).
_GLOBAL_ORDER = (PSBT_GLOBAL_UNSIGNED_TX, PSBT_GLOBAL_XPUB, PSBT_GLOBAL_VERSION, 0xFC)
_INPUT_ORDER: tuple[int, ...] = (0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0A, 0x0B, 0x0C, 0x0D)
_INPUT_ORDER += (0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x1A, 0x1B, 0x1C, 0x07, 0x08, 0xFC)
_OUTPUT_ORDER = (0x00, 0x01, 0x02, 0x05, 0x06, 0x07, 0x08, 0xFC)

#: Input fields a finalized input keeps (BIP174: the UTXOs, the final scripts, unknowns).
_KEEP_AFTER_FINALIZE = {
    PSBT_IN_NON_WITNESS_UTXO,
    PSBT_IN_WITNESS_UTXO,
    PSBT_IN_FINAL_SCRIPTSIG,
    PSBT_IN_FINAL_SCRIPTWITNESS,
    PSBT_IN_PROPRIETARY,
}
_SINGLE_BUG = (
    "input {i}: refusing a legacy SIGHASH_SINGLE signature without an output {i}; it would "
    "sign the constant 1 and be valid for any transaction"
)
_KNOWN_INPUT_TYPES = set(_INPUT_ORDER) - {0x1A, 0x1B, 0x1C}


@dataclass(frozen=True)
class KeyOrigin:
    """Where a key comes from: the master key's fingerprint and the BIP32 path below it."""

    fingerprint: bytes
    path: tuple[int, ...] = ()

    def serialize(self) -> bytes:
        return self.fingerprint + b"".join(i.to_bytes(4, "little") for i in self.path)

    @classmethod
    def parse(cls, data: bytes) -> KeyOrigin:
        if len(data) < 4 or len(data) % 4:
            raise PSBTError(
                f"a key origin is a 4-byte fingerprint and 4 bytes per path step; got "
                f"{len(data)} bytes"
            )
        path = tuple(int.from_bytes(data[i : i + 4], "little") for i in range(4, len(data), 4))
        return cls(data[:4], path)

    def __str__(self) -> str:
        steps = [f"{i & 0x7FFFFFFF}'" if i & 0x80000000 else str(i) for i in self.path]
        return "/".join([self.fingerprint.hex(), *steps])


#: A key origin, or the pair (4-byte fingerprint, path of ints) it is made of.
OriginLike = KeyOrigin | tuple[bytes, Sequence[int]]


def _origin(value: OriginLike) -> KeyOrigin:
    if isinstance(value, KeyOrigin):
        return value
    fingerprint, path = value
    if len(fingerprint) != 4:
        raise PSBTError("a key origin fingerprint is 4 bytes")
    if any(not 0 <= i < 2**32 for i in path):
        raise PSBTError("a BIP32 path step is a 32-bit number")
    return KeyOrigin(bytes(fingerprint), tuple(path))


# -- key-value maps ------------------------------------------------------------------------------


def _key_type(key: bytes) -> int:
    return ByteReader(key, PSBTError).varint()


def _key_data(key: bytes) -> bytes:
    r = ByteReader(key, PSBTError)
    r.varint()
    return r.read(r.remaining())


def _make_key(key_type: int, key_data: bytes = b"") -> bytes:
    return encode_varint(key_type) + key_data


class _Map:
    """One PSBT map: ordered key -> value.

    A parsed map keeps its order; a map the wallet changes is re-sorted into Bitcoin Core's
    order, since Core re-serializes every map it touches that way.
    """

    _order: tuple[int, ...] = ()
    what = "map"

    def __init__(self, entries: Mapping[bytes, bytes] | None = None) -> None:
        self.entries: dict[bytes, bytes] = dict(entries or {})

    def _rank(self, key: bytes) -> tuple[int, bytes]:
        t = _key_type(key)
        data = _key_data(key)
        rank = self._order.index(t) if t in self._order else len(self._order)
        if rank == len(self._order):
            return (rank, key)
        if self.what == "input" and t == PSBT_IN_PARTIAL_SIG:
            return (rank, hash160(data))  # Core keys partial signatures by key id
        return (rank, data)

    def get(self, key_type: int, key_data: bytes = b"") -> bytes | None:
        return self.entries.get(_make_key(key_type, key_data))

    def items_of(self, key_type: int) -> Iterator[tuple[bytes, bytes]]:
        for key, value in self.entries.items():
            if _key_type(key) == key_type:
                yield _key_data(key), value

    def set(self, key_type: int, key_data: bytes, value: bytes) -> None:
        self.put(_make_key(key_type, key_data), value)

    def put(self, key: bytes, value: bytes, replace: bool = True) -> None:
        """Set ``key``; a map that changes is put in the order Bitcoin Core writes it."""
        if key in self.entries:
            if replace and self.entries[key] != value:
                self.entries[key] = value
                self.sort()
            return
        self.entries[key] = value
        self.sort()

    def sort(self) -> None:
        """Core's order: by field type as Core writes them, then by key (stable otherwise)."""
        self.entries = dict(sorted(self.entries.items(), key=lambda kv: self._rank(kv[0])))

    def remove(self, key_type: int, key_data: bytes | None = None) -> None:
        for key in list(self.entries):
            if _key_type(key) == key_type and (key_data is None or _key_data(key) == key_data):
                del self.entries[key]

    def serialize(self) -> bytes:
        return (
            b"".join(encode_bytes(k) + encode_bytes(v) for k, v in self.entries.items()) + b"\x00"
        )

    def unknown(self) -> dict[bytes, bytes]:
        """Entries whose type this module does not interpret."""
        return {k: v for k, v in self.entries.items() if _key_type(k) not in self._order}


def _read_map(r: ByteReader, what: str) -> dict[bytes, bytes]:
    entries: dict[bytes, bytes] = {}
    while True:
        key = r.var_bytes()
        if not key:
            return entries
        if key in entries:
            raise PSBTError(f"duplicate key {key.hex()} in a PSBT {what} map")
        value = r.var_bytes()
        _key_type(key)  # the type must itself be a canonical CompactSize
        entries[key] = value


# -- field codecs --------------------------------------------------------------------------------


def _parse_unsigned_tx(data: bytes) -> Transaction:
    """The global transaction, read as Core reads it: never with witness serialization."""
    r = ByteReader(data, PSBTError)
    version = r.i32()
    inputs = []
    for _ in range(r.count(41)):
        prevout = OutPoint(r.read(32), r.u32())
        inputs.append(TxIn(prevout, r.var_bytes(), r.u32()))
    outputs = [TxOut(r.i64(), r.var_bytes()) for _ in range(r.count(9))]
    locktime = r.u32()
    if not r.at_end():
        raise PSBTError(
            "the unsigned transaction has trailing bytes (it must use the non-witness "
            "serialization)"
        )
    return Transaction(version, inputs, outputs, locktime)


def _parse_tx(data: bytes, what: str) -> Transaction:
    try:
        return Transaction.parse(data)
    except BitcoinError as exc:
        raise PSBTError(f"{what} does not parse: {exc}") from None


def _parse_txout(data: bytes) -> TxOut:
    r = ByteReader(data, PSBTError)
    value = r.i64()
    script = r.var_bytes()
    if not r.at_end():
        raise PSBTError("the witness UTXO has trailing bytes")
    return TxOut(value, script)


def _parse_witness(data: bytes) -> list[bytes]:
    r = ByteReader(data, PSBTError)
    items = [r.var_bytes() for _ in range(r.count(1))]
    if not r.at_end():
        raise PSBTError("the final script witness has trailing bytes")
    return items


def _serialize_witness(items: list[bytes]) -> bytes:
    return encode_varint(len(items)) + b"".join(encode_bytes(i) for i in items)


def _check_pubkey(data: bytes, what: str) -> None:
    if len(data) not in (33, 65):
        raise PSBTError(f"{what}: a public key is 33 or 65 bytes, got {len(data)}")
    try:
        PublicKey(data)
    except (ValueError, TypeError):
        raise PSBTError(f"{what}: {data.hex()} is not a valid public key") from None


def _parse_tap_bip32(value: bytes) -> tuple[list[bytes], KeyOrigin]:
    r = ByteReader(value, PSBTError)
    leaves = [r.read(32) for _ in range(r.count(32))]
    return leaves, KeyOrigin.parse(r.read(r.remaining()))


def _serialize_tap_bip32(leaf_hashes: Iterable[bytes], origin: KeyOrigin) -> bytes:
    leaves = list(leaf_hashes)
    return encode_varint(len(leaves)) + b"".join(leaves) + origin.serialize()


def _expect_key_len(key: bytes, n: int, what: str) -> None:
    if len(key) != n:
        raise PSBTError(f"{what}: the key must be {n} bytes, got {len(key)}")


def _check_tap_tree(value: bytes) -> None:
    r = ByteReader(value, PSBTError)
    depths = []
    while not r.at_end():
        depth, leaf_version = r.u8(), r.u8()
        r.var_bytes()
        if depth > 128:
            raise PSBTError(f"output taproot tree has a leaf at depth {depth}, above 128")
        if leaf_version & 1:
            raise PSBTError(f"output taproot tree has an invalid leaf version 0x{leaf_version:02x}")
        depths.append(depth)
    if not depths:
        raise PSBTError("output taproot tree is empty")
    # The leaves, in depth-first order, must fill a binary tree exactly.
    stack: list[int] = []
    for depth in depths:
        while stack and stack[-1] == depth:
            stack.pop()
            depth -= 1
            if depth < 0:
                raise PSBTError("output taproot tree is malformed")
        stack.append(depth)
    if stack != [0]:
        raise PSBTError("output taproot tree is malformed (its leaves do not fill a tree)")


# -- the three kinds of map ----------------------------------------------------------------------


class PSBTInput(_Map):
    _order = _INPUT_ORDER
    what = "input"

    def validate(self, index: int) -> None:
        where = f"input {index}"
        for key, value in self.entries.items():
            t = _key_type(key)
            data = _key_data(key)
            if t in (
                PSBT_IN_NON_WITNESS_UTXO,
                PSBT_IN_WITNESS_UTXO,
                PSBT_IN_SIGHASH_TYPE,
                PSBT_IN_REDEEM_SCRIPT,
                PSBT_IN_WITNESS_SCRIPT,
                PSBT_IN_FINAL_SCRIPTSIG,
                PSBT_IN_FINAL_SCRIPTWITNESS,
                PSBT_IN_TAP_KEY_SIG,
                PSBT_IN_TAP_INTERNAL_KEY,
                PSBT_IN_TAP_MERKLE_ROOT,
            ):
                _expect_key_len(key, 1, f"{where} field type 0x{t:02x}")
            if t == PSBT_IN_NON_WITNESS_UTXO:
                _parse_tx(value, f"{where} non-witness UTXO")
            elif t == PSBT_IN_WITNESS_UTXO:
                _parse_txout(value)
            elif t == PSBT_IN_PARTIAL_SIG:
                _check_pubkey(data, f"{where} partial signature")
                if not value:
                    raise PSBTError(f"{where} has an empty partial signature")
            elif t == PSBT_IN_SIGHASH_TYPE:
                if len(value) != 4:
                    raise PSBTError(f"{where} sighash type must be 4 bytes, got {len(value)}")
            elif t == PSBT_IN_BIP32_DERIVATION:
                _check_pubkey(data, f"{where} BIP32 derivation")
                KeyOrigin.parse(value)
            elif t == PSBT_IN_FINAL_SCRIPTWITNESS:
                _parse_witness(value)
            elif t in (PSBT_IN_RIPEMD160, PSBT_IN_SHA256, PSBT_IN_HASH160, PSBT_IN_HASH256):
                fn, size = {
                    PSBT_IN_RIPEMD160: (ripemd160, 20),
                    PSBT_IN_SHA256: (sha256, 32),
                    PSBT_IN_HASH160: (hash160, 20),
                    PSBT_IN_HASH256: (sha256d, 32),
                }[t]
                _expect_key_len(key, 1 + size, f"{where} hash preimage")
                if fn(value) != data:
                    raise PSBTError(f"{where}: a hash preimage does not hash to its key")
            elif t == PSBT_IN_TAP_KEY_SIG:
                if len(value) not in (64, 65):
                    raise PSBTError(f"{where} taproot key signature must be 64 or 65 bytes")
            elif t == PSBT_IN_TAP_SCRIPT_SIG:
                _expect_key_len(key, 65, f"{where} taproot script signature")
                if len(value) not in (64, 65):
                    raise PSBTError(f"{where} taproot script signature must be 64 or 65 bytes")
            elif t == PSBT_IN_TAP_LEAF_SCRIPT:
                if len(data) < 33 or (len(data) - 33) % 32 or len(data) > 33 + 128 * 32:
                    raise PSBTError(f"{where} taproot leaf script has a malformed control block")
                if not value:
                    raise PSBTError(f"{where} taproot leaf script is missing its leaf version")
            elif t == PSBT_IN_TAP_BIP32_DERIVATION:
                _expect_key_len(key, 33, f"{where} taproot BIP32 derivation")
                _parse_tap_bip32(value)
            elif t in (PSBT_IN_TAP_INTERNAL_KEY, PSBT_IN_TAP_MERKLE_ROOT) and len(value) != 32:
                raise PSBTError(f"{where} taproot internal key / merkle root must be 32 bytes")

    # typed fields

    @property
    def non_witness_utxo(self) -> Transaction | None:
        v = self.get(PSBT_IN_NON_WITNESS_UTXO)
        return None if v is None else _parse_tx(v, "non-witness UTXO")

    @non_witness_utxo.setter
    def non_witness_utxo(self, tx: Transaction | None) -> None:
        self._set_or_remove(PSBT_IN_NON_WITNESS_UTXO, None if tx is None else tx.serialize())

    @property
    def witness_utxo(self) -> TxOut | None:
        v = self.get(PSBT_IN_WITNESS_UTXO)
        return None if v is None else _parse_txout(v)

    @witness_utxo.setter
    def witness_utxo(self, out: TxOut | None) -> None:
        self._set_or_remove(PSBT_IN_WITNESS_UTXO, None if out is None else out.serialize())

    @property
    def partial_sigs(self) -> dict[bytes, bytes]:
        return dict(self.items_of(PSBT_IN_PARTIAL_SIG))

    @property
    def sighash_type(self) -> int | None:
        v = self.get(PSBT_IN_SIGHASH_TYPE)
        return None if v is None else int.from_bytes(v, "little")

    @sighash_type.setter
    def sighash_type(self, value: int | None) -> None:
        self._set_or_remove(
            PSBT_IN_SIGHASH_TYPE, None if value is None else value.to_bytes(4, "little")
        )

    @property
    def redeem_script(self) -> bytes | None:
        return self.get(PSBT_IN_REDEEM_SCRIPT)

    @redeem_script.setter
    def redeem_script(self, script: bytes | None) -> None:
        self._set_or_remove(PSBT_IN_REDEEM_SCRIPT, script)

    @property
    def witness_script(self) -> bytes | None:
        return self.get(PSBT_IN_WITNESS_SCRIPT)

    @witness_script.setter
    def witness_script(self, script: bytes | None) -> None:
        self._set_or_remove(PSBT_IN_WITNESS_SCRIPT, script)

    @property
    def bip32_derivations(self) -> dict[bytes, KeyOrigin]:
        return {k: KeyOrigin.parse(v) for k, v in self.items_of(PSBT_IN_BIP32_DERIVATION)}

    def add_bip32_derivation(self, pubkey: bytes, origin: KeyOrigin) -> None:
        _check_pubkey(pubkey, "BIP32 derivation")
        self.set(PSBT_IN_BIP32_DERIVATION, pubkey, origin.serialize())

    @property
    def final_script_sig(self) -> bytes | None:
        return self.get(PSBT_IN_FINAL_SCRIPTSIG)

    @property
    def final_script_witness(self) -> list[bytes] | None:
        v = self.get(PSBT_IN_FINAL_SCRIPTWITNESS)
        return None if v is None else _parse_witness(v)

    @property
    def tap_key_sig(self) -> bytes | None:
        return self.get(PSBT_IN_TAP_KEY_SIG)

    @property
    def tap_internal_key(self) -> bytes | None:
        return self.get(PSBT_IN_TAP_INTERNAL_KEY)

    @tap_internal_key.setter
    def tap_internal_key(self, key: bytes | None) -> None:
        if key is not None and len(key) != 32:
            raise PSBTError("a taproot internal key is 32 bytes (x-only)")
        self._set_or_remove(PSBT_IN_TAP_INTERNAL_KEY, key)

    @property
    def tap_merkle_root(self) -> bytes | None:
        return self.get(PSBT_IN_TAP_MERKLE_ROOT)

    @tap_merkle_root.setter
    def tap_merkle_root(self, root: bytes | None) -> None:
        self._set_or_remove(PSBT_IN_TAP_MERKLE_ROOT, root)

    @property
    def tap_bip32_derivations(self) -> dict[bytes, tuple[list[bytes], KeyOrigin]]:
        return {k: _parse_tap_bip32(v) for k, v in self.items_of(PSBT_IN_TAP_BIP32_DERIVATION)}

    def add_tap_bip32_derivation(
        self, xonly: bytes, origin: KeyOrigin, leaf_hashes: Iterable[bytes] = ()
    ) -> None:
        if len(xonly) != 32:
            raise PSBTError("a taproot BIP32 derivation is keyed by a 32-byte x-only key")
        self.set(PSBT_IN_TAP_BIP32_DERIVATION, xonly, _serialize_tap_bip32(leaf_hashes, origin))

    def is_finalized(self) -> bool:
        return (
            self.get(PSBT_IN_FINAL_SCRIPTSIG) is not None
            or self.get(PSBT_IN_FINAL_SCRIPTWITNESS) is not None
        )

    def drop_signing_data(self) -> None:
        """BIP174 finalizer: keep only the UTXOs, the final scripts and unknown fields."""
        for key in list(self.entries):
            t = _key_type(key)
            if t in _KNOWN_INPUT_TYPES and t not in _KEEP_AFTER_FINALIZE:
                del self.entries[key]

    def _set_or_remove(self, key_type: int, value: bytes | None) -> None:
        if value is None:
            self.remove(key_type)
        else:
            self.set(key_type, b"", value)


class PSBTOutput(_Map):
    _order = _OUTPUT_ORDER
    what = "output"

    def validate(self, index: int) -> None:
        where = f"output {index}"
        for key, value in self.entries.items():
            t = _key_type(key)
            data = _key_data(key)
            if t in (
                PSBT_OUT_REDEEM_SCRIPT,
                PSBT_OUT_WITNESS_SCRIPT,
                PSBT_OUT_TAP_INTERNAL_KEY,
                PSBT_OUT_TAP_TREE,
            ):
                _expect_key_len(key, 1, f"{where} field type 0x{t:02x}")
            if t == PSBT_OUT_BIP32_DERIVATION:
                _check_pubkey(data, f"{where} BIP32 derivation")
                KeyOrigin.parse(value)
            elif t == PSBT_OUT_TAP_INTERNAL_KEY:
                if len(value) != 32:
                    raise PSBTError(f"{where} taproot internal key must be 32 bytes")
            elif t == PSBT_OUT_TAP_TREE:
                _check_tap_tree(value)
            elif t == PSBT_OUT_TAP_BIP32_DERIVATION:
                _expect_key_len(key, 33, f"{where} taproot BIP32 derivation")
                _parse_tap_bip32(value)

    @property
    def redeem_script(self) -> bytes | None:
        return self.get(PSBT_OUT_REDEEM_SCRIPT)

    @property
    def witness_script(self) -> bytes | None:
        return self.get(PSBT_OUT_WITNESS_SCRIPT)

    @property
    def bip32_derivations(self) -> dict[bytes, KeyOrigin]:
        return {k: KeyOrigin.parse(v) for k, v in self.items_of(PSBT_OUT_BIP32_DERIVATION)}

    @property
    def tap_internal_key(self) -> bytes | None:
        return self.get(PSBT_OUT_TAP_INTERNAL_KEY)

    @property
    def tap_bip32_derivations(self) -> dict[bytes, tuple[list[bytes], KeyOrigin]]:
        return {k: _parse_tap_bip32(v) for k, v in self.items_of(PSBT_OUT_TAP_BIP32_DERIVATION)}


class _GlobalMap(_Map):
    _order = _GLOBAL_ORDER
    what = "global"


# -- the PSBT ------------------------------------------------------------------------------------


class PSBT:
    """A version 0 PSBT: the unsigned transaction plus one map per input and per output."""

    def __init__(
        self,
        global_map: _GlobalMap,
        inputs: list[PSBTInput],
        outputs: list[PSBTOutput],
    ) -> None:
        self.global_map = global_map
        self.inputs = inputs
        self.outputs = outputs
        #: The unsigned transaction (a parsed copy: change it through the global map, not here).
        self.tx = _parse_unsigned_tx(global_map.get(PSBT_GLOBAL_UNSIGNED_TX) or b"")
        self._scratch: dict[str, dict[bytes, bytes]] = {}  # per-``sign`` lookup tables

    # -- creator -------------------------------------------------------------------------------

    @classmethod
    def from_transaction(cls, tx: Transaction) -> PSBT:
        """A PSBT for an unsigned transaction (scriptSigs and witnesses must be empty)."""
        if any(i.script_sig or i.witness for i in tx.inputs):
            raise PSBTError("a PSBT is made from an unsigned transaction: clear its scriptSigs")
        g = _GlobalMap()
        g.set(PSBT_GLOBAL_UNSIGNED_TX, b"", tx.serialize(include_witness=False))
        return cls(g, [PSBTInput() for _ in tx.inputs], [PSBTOutput() for _ in tx.outputs])

    # -- parsing and serialization ---------------------------------------------------------------

    @classmethod
    def parse(cls, data: bytes) -> PSBT:
        if not data.startswith(MAGIC):
            raise PSBTError("not a PSBT: it does not start with the magic bytes 'psbt' 0xff")
        r = ByteReader(data[len(MAGIC) :], PSBTError)
        g = _GlobalMap(_read_map(r, "global"))
        for key, value in g.entries.items():
            t = _key_type(key)
            if t == PSBT_GLOBAL_UNSIGNED_TX:
                _expect_key_len(key, 1, "global unsigned transaction")
            elif t == PSBT_GLOBAL_XPUB:
                _expect_key_len(key, 79, "global xpub")
                KeyOrigin.parse(value)
            elif t == PSBT_GLOBAL_VERSION:
                _expect_key_len(key, 1, "global version")
                if len(value) != 4:
                    raise PSBTError("the PSBT version must be 4 bytes")
                version = int.from_bytes(value, "little")
                if version != 0:
                    raise PSBTError(f"PSBT version {version} is not supported (only version 0)")
        tx_bytes = g.get(PSBT_GLOBAL_UNSIGNED_TX)
        if tx_bytes is None:
            raise PSBTError("the PSBT has no unsigned transaction (global key 0x00)")
        tx = _parse_unsigned_tx(tx_bytes)
        for n, txin in enumerate(tx.inputs):
            if txin.script_sig:
                raise PSBTError(f"input {n} of the unsigned transaction has a scriptSig")
        inputs = []
        for n in range(len(tx.inputs)):
            if r.at_end():
                raise PSBTError(
                    f"the PSBT has {n} input maps but its transaction has {len(tx.inputs)} inputs"
                )
            m = PSBTInput(_read_map(r, f"input {n}"))
            m.validate(n)
            nwu = m.get(PSBT_IN_NON_WITNESS_UTXO)
            if nwu is not None:
                prev = _parse_tx(nwu, f"input {n} non-witness UTXO")
                prevout = tx.inputs[n].prevout
                if prev.txid() != prevout.txid:
                    raise PSBTError(
                        f"input {n}: the non-witness UTXO is transaction {prev.txid_hex}, but the "
                        f"input spends {prevout.txid_hex}"
                    )
                if prevout.vout >= len(prev.outputs):
                    raise PSBTError(
                        f"input {n} spends output {prevout.vout} of a transaction with only "
                        f"{len(prev.outputs)} outputs"
                    )
            inputs.append(m)
        outputs = []
        for n in range(len(tx.outputs)):
            if r.at_end():
                raise PSBTError(
                    f"the PSBT has {n} output maps but its transaction has "
                    f"{len(tx.outputs)} outputs"
                )
            out_map = PSBTOutput(_read_map(r, f"output {n}"))
            out_map.validate(n)
            outputs.append(out_map)
        if not r.at_end():
            raise PSBTError(f"{r.remaining()} unexpected bytes after the last PSBT map")
        return cls(g, inputs, outputs)

    @classmethod
    def from_base64(cls, text: str) -> PSBT:
        try:
            raw = base64.b64decode(text.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise PSBTError("the PSBT is not valid base64") from None
        return cls.parse(raw)

    def serialize(self) -> bytes:
        parts = [MAGIC, self.global_map.serialize()]
        parts += [m.serialize() for m in self.inputs]
        parts += [m.serialize() for m in self.outputs]
        return b"".join(parts)

    def to_base64(self) -> str:
        return base64.b64encode(self.serialize()).decode()

    def copy(self) -> PSBT:
        return PSBT.parse(self.serialize())

    # -- updater -------------------------------------------------------------------------------

    def update_input(
        self,
        index: int,
        *,
        non_witness_utxo: Transaction | None = None,
        witness_utxo: TxOut | None = None,
        redeem_script: bytes | None = None,
        witness_script: bytes | None = None,
        bip32_derivations: Mapping[bytes, OriginLike] | None = None,
        tap_internal_key: bytes | None = None,
        tap_merkle_root: bytes | None = None,
        tap_bip32_derivations: Mapping[bytes, tuple[Iterable[bytes], OriginLike]] | None = None,
        sighash_type: int | None = None,
    ) -> None:
        """Add what a signer needs to know about input ``index`` (fields left None are kept)."""
        m = self._input(index)
        if non_witness_utxo is not None:
            prevout = self.tx.inputs[index].prevout
            if non_witness_utxo.txid() != prevout.txid:
                raise PSBTError(
                    f"input {index} spends {prevout.txid_hex}, not {non_witness_utxo.txid_hex}"
                )
            if prevout.vout >= len(non_witness_utxo.outputs):
                raise PSBTError(f"transaction {non_witness_utxo.txid_hex} has no such output")
            m.non_witness_utxo = non_witness_utxo
        if witness_utxo is not None:
            m.witness_utxo = witness_utxo
        if redeem_script is not None:
            m.redeem_script = redeem_script
        if witness_script is not None:
            m.witness_script = witness_script
        for pub, origin in (bip32_derivations or {}).items():
            m.add_bip32_derivation(pub, _origin(origin))
        if tap_internal_key is not None:
            m.tap_internal_key = tap_internal_key
        if tap_merkle_root is not None:
            m.tap_merkle_root = tap_merkle_root
        for xonly, (leaves, origin) in (tap_bip32_derivations or {}).items():
            m.add_tap_bip32_derivation(xonly, _origin(origin), leaves)
        if sighash_type is not None:
            m.sighash_type = sighash_type

    def update_output(
        self,
        index: int,
        *,
        redeem_script: bytes | None = None,
        witness_script: bytes | None = None,
        bip32_derivations: Mapping[bytes, OriginLike] | None = None,
        tap_internal_key: bytes | None = None,
        tap_bip32_derivations: Mapping[bytes, tuple[Iterable[bytes], OriginLike]] | None = None,
    ) -> None:
        if not 0 <= index < len(self.outputs):
            raise PSBTError(f"the PSBT has no output {index}")
        m = self.outputs[index]
        if redeem_script is not None:
            m.set(PSBT_OUT_REDEEM_SCRIPT, b"", redeem_script)
        if witness_script is not None:
            m.set(PSBT_OUT_WITNESS_SCRIPT, b"", witness_script)
        for pub, origin in (bip32_derivations or {}).items():
            _check_pubkey(pub, "output BIP32 derivation")
            m.set(PSBT_OUT_BIP32_DERIVATION, pub, _origin(origin).serialize())
        if tap_internal_key is not None:
            if len(tap_internal_key) != 32:
                raise PSBTError("a taproot internal key is 32 bytes (x-only)")
            m.set(PSBT_OUT_TAP_INTERNAL_KEY, b"", tap_internal_key)
        for xonly, (leaves, origin) in (tap_bip32_derivations or {}).items():
            m.set(
                PSBT_OUT_TAP_BIP32_DERIVATION, xonly, _serialize_tap_bip32(leaves, _origin(origin))
            )

    def _input(self, index: int) -> PSBTInput:
        if not 0 <= index < len(self.inputs):
            raise PSBTError(f"the PSBT has no input {index}")
        return self.inputs[index]

    # -- UTXO lookup ---------------------------------------------------------------------------

    def spent_output(self, index: int) -> TxOut | None:
        """The output input ``index`` spends, from its witness or non-witness UTXO."""
        m = self._input(index)
        wu = m.witness_utxo
        if wu is not None:
            return wu
        nwu = m.non_witness_utxo
        if nwu is not None:
            return nwu.outputs[self.tx.inputs[index].prevout.vout]
        return None

    def spent_outputs(self) -> list[TxOut] | None:
        outs = [self.spent_output(i) for i in range(len(self.inputs))]
        return None if any(o is None for o in outs) else outs  # type: ignore[return-value]

    # -- signer --------------------------------------------------------------------------------

    def sign(self, keys: Iterable[bytes], sighash_type: int | None = None) -> list[int]:
        """Add signatures from ``keys`` (32-byte secrets) wherever they apply.

        Handles P2PKH, P2WPKH, P2SH-P2WPKH, P2TR key path (BIP86 or with a merkle root) and
        scripts (P2SH, P2WSH, P2SH-P2WSH) that contain one of the keys. An input whose scripts
        do not match its UTXO is refused. Returns the indices of inputs that got a signature.
        """
        secrets = list(keys)
        by_pub: dict[bytes, bytes] = {}
        by_xonly: dict[bytes, bytes] = {}
        for secret in secrets:
            by_pub[public_key(secret)] = secret
            by_pub[public_key(secret, compressed=False)] = secret
            by_xonly[xonly_public_key(secret)] = secret
        by_hash = {hash160(p): p for p in by_pub}
        self._scratch = {}
        cache = SighashCache(self.tx, self.spent_outputs())
        signed = []
        for i, m in enumerate(self.inputs):
            if m.is_finalized():
                continue
            if self._sign_input(i, m, by_pub, by_hash, by_xonly, sighash_type, cache):
                signed.append(i)
        return signed

    def _sign_input(
        self,
        i: int,
        m: PSBTInput,
        by_pub: dict[bytes, bytes],
        by_hash: dict[bytes, bytes],
        by_xonly: dict[bytes, bytes],
        sighash_type: int | None,
        cache: SighashCache,
    ) -> bool:
        utxo = self.spent_output(i)
        if utxo is None:
            return False
        if (
            sighash_type is not None
            and m.sighash_type is not None
            and m.sighash_type != sighash_type
        ):
            raise PSBTError(f"input {i} asks for sighash type {m.sighash_type}, not {sighash_type}")
        htype = m.sighash_type if m.sighash_type is not None else sighash_type
        spk = utxo.script_pubkey
        kind = classify(spk)

        if kind == ScriptType.P2TR:
            return self._sign_taproot(i, m, spk, by_xonly, htype, cache)

        htype = SIGHASH_ALL if htype is None else htype
        if htype not in ECDSA_SIGHASH_TYPES:
            raise PSBTError(f"input {i}: sighash type {htype} cannot be used with ECDSA")
        script = spk
        if kind == ScriptType.P2SH:
            redeem = m.redeem_script
            if redeem is None or p2sh_script(hash160(redeem)) != spk:
                return False  # BIP174: never sign with a redeem script that does not match
            script = redeem
        segwit = False
        wp = parse_witness_program(script)
        if wp is not None:
            version, program = wp
            if version != 0:
                return False
            segwit = True
            if len(program) == 20:
                script_code = p2pkh_script(program)
            else:
                ws = m.witness_script
                if ws is None or sha256(ws) != program:
                    return False
                script_code = ws
        else:
            if m.witness_utxo is not None and m.non_witness_utxo is None:
                return False  # legacy signing needs the full previous transaction
            script_code = script
        if segwit:
            digest = cache.segwit_v0(i, script_code, utxo.value, htype)
        else:
            if htype & 0x1F == SIGHASH_SINGLE and i >= len(self.tx.outputs):
                raise PSBTError(_SINGLE_BUG.format(i=i))
            digest = cache.legacy(i, script_code, htype)
        did = False
        for pub in _keys_in(script_code, by_pub, by_hash):
            secret = by_pub[pub]
            if segwit and len(pub) != 33:
                continue  # segwit requires compressed keys
            if m.get(PSBT_IN_PARTIAL_SIG, pub) is None:  # like Core, keep a signature given
                m.set(PSBT_IN_PARTIAL_SIG, pub, sign_ecdsa(secret, digest) + bytes([htype]))
            did = True
        if did and segwit and m.witness_utxo is None:
            m.witness_utxo = utxo  # as Core does: segwit signers need only this output
        return did

    def _sign_taproot(
        self,
        i: int,
        m: PSBTInput,
        spk: bytes,
        by_xonly: dict[bytes, bytes],
        htype: int | None,
        cache: SighashCache,
    ) -> bool:
        htype = SIGHASH_DEFAULT if htype is None else htype
        if htype not in TAPROOT_SIGHASH_TYPES:
            raise PSBTError(f"input {i}: sighash type {htype} is not valid for taproot")
        if cache.spent_outputs is None:
            return False  # taproot signatures commit to every spent output
        if m.tap_key_sig is not None:
            return True
        merkle_root = m.tap_merkle_root
        internal = m.tap_internal_key
        if internal is not None:
            candidates = [internal] if internal in by_xonly else []
        elif merkle_root is None:  # BIP86 guess: one lookup in the keys' BIP86 outputs
            if "bip86" not in self._scratch:
                self._scratch["bip86"] = {
                    p2tr_script(taproot_output_key(x)[0]): x for x in by_xonly
                }
            found = self._scratch["bip86"].get(spk)
            candidates = [found] if found is not None else []
        else:
            candidates = list(by_xonly)
        for xonly in candidates:
            secret = by_xonly[xonly]
            if p2tr_script(taproot_output_key(xonly, merkle_root)[0]) != spk:
                continue
            digest = cache.taproot(i, htype)
            sig = sign_schnorr(taproot_tweak_seckey(secret, merkle_root), digest)
            if htype != SIGHASH_DEFAULT:
                sig += bytes([htype])
            m.set(PSBT_IN_TAP_KEY_SIG, b"", sig)
            return True
        return False

    # -- combiner ------------------------------------------------------------------------------

    @classmethod
    def combine(cls, psbts: Iterable[PSBT]) -> PSBT:
        """Merge the maps of PSBTs for the same transaction (the first value of a key wins)."""
        items = list(psbts)
        if not items:
            raise PSBTError("nothing to combine")
        out = items[0].copy()
        txid = out.tx.txid()
        for other in items[1:]:
            if other.tx.txid() != txid:
                raise PSBTError("cannot combine PSBTs for different transactions")
            for key, value in other.global_map.entries.items():
                out.global_map.put(key, value, replace=False)
            for mine, theirs in zip(out.inputs, other.inputs, strict=True):
                for key, value in theirs.entries.items():
                    mine.put(key, value, replace=False)
                if mine.is_finalized():  # as Core: a final input carries no signing data
                    mine.drop_signing_data()
            for mine_o, theirs_o in zip(out.outputs, other.outputs, strict=True):
                for key, value in theirs_o.entries.items():
                    mine_o.put(key, value, replace=False)
        return out

    # -- finalizer -----------------------------------------------------------------------------

    def finalize(self) -> bool:
        """Build final scriptSigs/witnesses where the signatures suffice; True if all done."""
        return all([self.finalize_input(i) for i in range(len(self.inputs))])

    def finalize_input(self, i: int) -> bool:
        m = self._input(i)
        if m.is_finalized():
            return True
        utxo = self.spent_output(i)
        if utxo is None:
            return False
        spk = utxo.script_pubkey
        kind = classify(spk)
        script_sig: bytes | None = None
        witness: list[bytes] | None = None
        sigs = m.partial_sigs

        if kind == ScriptType.P2TR:
            sig = m.tap_key_sig
            if sig is None:
                return False
            witness = [sig]
        else:
            script = spk
            redeem = None
            if kind == ScriptType.P2SH:
                redeem = m.redeem_script
                if redeem is None or p2sh_script(hash160(redeem)) != spk:
                    return False
                script = redeem
            wp = parse_witness_program(script)
            if wp is not None:
                version, program = wp
                if version != 0:
                    return False
                if len(program) == 20:
                    pair = next(((p, s) for p, s in sigs.items() if hash160(p) == program), None)
                    if pair is None:
                        return False
                    witness = [pair[1], pair[0]]
                else:
                    ws = m.witness_script
                    if ws is None or sha256(ws) != program:
                        return False
                    stack = _satisfy(ws, sigs)
                    if stack is None:
                        return False
                    witness = [*stack, ws]
                script_sig = push_data(redeem) if redeem is not None else b""
            else:
                if classify(script) == ScriptType.P2PKH:
                    pair = next(
                        ((p, s) for p, s in sigs.items() if p2pkh_script(hash160(p)) == script),
                        None,
                    )
                    if pair is None:
                        return False
                    stack = [pair[1], pair[0]]
                else:
                    stack = _satisfy(script, sigs)
                    if stack is None:
                        return False
                if redeem is not None:
                    stack.append(redeem)
                script_sig = b"".join(_push_stack_item(x) for x in stack)
        if script_sig:
            m.set(PSBT_IN_FINAL_SCRIPTSIG, b"", script_sig)
        if witness is not None:
            m.set(PSBT_IN_FINAL_SCRIPTWITNESS, b"", _serialize_witness(witness))
        m.drop_signing_data()
        return True

    # -- extractor -----------------------------------------------------------------------------

    def extract(self) -> Transaction:
        """The signed network transaction; every input must be finalized."""
        tx = _parse_unsigned_tx(self.tx.serialize(include_witness=False))
        for i, (txin, m) in enumerate(zip(tx.inputs, self.inputs, strict=True)):
            if not m.is_finalized():
                raise PSBTError(f"input {i} is not finalized; finalize the PSBT first")
            txin.script_sig = m.final_script_sig or b""
            txin.witness = m.final_script_witness or []
        return tx

    def is_complete(self) -> bool:
        return all(m.is_finalized() for m in self.inputs)


def _push_stack_item(item: bytes) -> bytes:
    return bytes([OP_0]) if item == b"" else push_data(item)


def _keys_in(
    script_code: bytes, by_pub: Mapping[bytes, bytes], by_hash: Mapping[bytes, bytes]
) -> list[bytes]:
    """The public keys in ``by_pub`` that ``script_code`` checks signatures for."""
    if classify(script_code) == ScriptType.P2PKH:
        found = by_hash.get(script_code[3:23])
        return [found] if found is not None else []
    try:
        pushes = [data for _, data in iter_ops(script_code) if data is not None]
    except BitcoinError:
        return []
    return list(dict.fromkeys(p for p in pushes if p in by_pub))


def _satisfy(script: bytes, sigs: Mapping[bytes, bytes]) -> list[bytes] | None:
    """Stack for a ``<m> <keys...> <n> OP_CHECKMULTISIG`` or ``<key> OP_CHECKSIG`` script."""
    try:
        ops = list(iter_ops(script))
    except BitcoinError:
        return None
    if len(ops) == 2 and ops[0][1] is not None and ops[1][0] == 0xAC:
        sig = sigs.get(ops[0][1])
        return None if sig is None else [sig]
    if len(ops) < 4 or ops[-1][0] != 0xAE:
        return None
    m_op, n_op = ops[0][0], ops[-2][0]
    if not (0x51 <= m_op <= 0x60 and 0x51 <= n_op <= 0x60):
        return None
    need = m_op - 0x50
    pushed = [data for _, data in ops[1:-2]]
    keys = [k for k in pushed if k is not None]
    if len(keys) != n_op - 0x50 or len(keys) != len(pushed):
        return None
    chosen = [sigs[k] for k in keys if k in sigs][:need]
    if len(chosen) < need:
        return None
    return [b"", *chosen]


__all__ = [
    "PSBT",
    "KeyOrigin",
    "PSBTInput",
    "PSBTOutput",
]
