"""Signature hashes: legacy (pre-segwit), BIP143 (segwit v0) and BIP341/342 (taproot).

A signature commits to a digest of the spending transaction; which parts it covers is chosen by
the sighash type. :class:`SighashCache` keeps the per-transaction hashes (BIP143's hashPrevouts,
BIP341's sha_amounts, ...) so signing a transaction with many inputs stays linear.
"""

from __future__ import annotations

from collections.abc import Sequence

from wallet.bitcoin.errors import SigningError
from wallet.bitcoin.hashes import sha256, sha256d, tagged_hash
from wallet.bitcoin.serialize import encode_bytes, encode_varint
from wallet.bitcoin.transaction import Transaction, TxOut

SIGHASH_DEFAULT = 0x00  # taproot only: like ALL, and the signature stays 64 bytes
SIGHASH_ALL = 0x01
SIGHASH_NONE = 0x02
SIGHASH_SINGLE = 0x03
SIGHASH_ANYONECANPAY = 0x80

#: Hash types a taproot signature may use (BIP341); any other byte makes the signature invalid.
TAPROOT_SIGHASH_TYPES = frozenset({0x00, 0x01, 0x02, 0x03, 0x81, 0x82, 0x83})
#: Hash types the wallet signs ECDSA with (the defined ones; others are non-standard).
ECDSA_SIGHASH_TYPES = frozenset({0x01, 0x02, 0x03, 0x81, 0x82, 0x83})

SIGHASH_NAMES = {
    SIGHASH_DEFAULT: "DEFAULT",
    SIGHASH_ALL: "ALL",
    SIGHASH_NONE: "NONE",
    SIGHASH_SINGLE: "SINGLE",
    SIGHASH_ALL | SIGHASH_ANYONECANPAY: "ALL|ANYONECANPAY",
    SIGHASH_NONE | SIGHASH_ANYONECANPAY: "NONE|ANYONECANPAY",
    SIGHASH_SINGLE | SIGHASH_ANYONECANPAY: "SINGLE|ANYONECANPAY",
}

_OP_CODESEPARATOR = 0xAB
#: What the legacy algorithm returns for SIGHASH_SINGLE without a matching output (a Core bug
#: kept for consensus): the number one as a little-endian uint256.
_LEGACY_ONE = b"\x01" + bytes(31)


def _u32(n: int) -> bytes:
    return (n & 0xFFFFFFFF).to_bytes(4, "little")


def _strip_codeseparators(script: bytes) -> bytes:
    """The script code as legacy sighash serializes it: without OP_CODESEPARATOR opcodes."""
    if _OP_CODESEPARATOR not in script:
        return script
    out = bytearray()
    i, n = 0, len(script)
    while i < n:
        op = script[i]
        start = i
        i += 1
        if op < 0x4C:
            i += op
        elif op <= 0x4E:
            width = {0x4C: 1, 0x4D: 2, 0x4E: 4}[op]
            if i + width > n:  # truncated push: Core copies the rest as it is
                out += script[start:]
                break
            i += width + int.from_bytes(script[i : i + width], "little")
        if op != _OP_CODESEPARATOR:
            out += script[start : min(i, n)]
    return bytes(out)


def _check_index(tx: Transaction, input_index: int) -> None:
    if not 0 <= input_index < len(tx.inputs):
        raise SigningError(
            f"input index {input_index} is out of range: the transaction has "
            f"{len(tx.inputs)} inputs"
        )


class SighashCache:
    """Sighash computation for one transaction, with the shared hashes computed once.

    The cache assumes the transaction's prevouts, sequences and outputs do not change while it
    is in use (filling in scriptSigs and witnesses is fine: no sighash covers them).
    """

    def __init__(self, tx: Transaction, spent_outputs: Sequence[TxOut] | None = None) -> None:
        self.tx = tx
        if spent_outputs is not None and len(spent_outputs) != len(tx.inputs):
            raise SigningError(
                f"{len(spent_outputs)} spent outputs given for a transaction with "
                f"{len(tx.inputs)} inputs; taproot signing needs one per input"
            )
        self.spent_outputs = list(spent_outputs) if spent_outputs is not None else None
        self._single: dict[str, bytes] = {}

    # -- shared single-SHA256 hashes (BIP341 uses them as they are, BIP143 hashes them again) --

    def _sha(self, name: str) -> bytes:
        cached = self._single.get(name)
        if cached is not None:
            return cached
        tx = self.tx
        if name == "prevouts":
            data = b"".join(i.prevout.serialize() for i in tx.inputs)
        elif name == "sequences":
            data = b"".join(_u32(i.sequence) for i in tx.inputs)
        elif name == "outputs":
            data = b"".join(o.serialize() for o in tx.outputs)
        elif name == "amounts":
            data = b"".join(o.value.to_bytes(8, "little") for o in self._spent())
        elif name == "scriptpubkeys":
            data = b"".join(encode_bytes(o.script_pubkey) for o in self._spent())
        else:  # pragma: no cover - internal names only
            raise KeyError(name)
        digest = sha256(data)
        self._single[name] = digest
        return digest

    def _spent(self) -> list[TxOut]:
        if self.spent_outputs is None:
            raise SigningError("taproot signature hashes need the outputs spent by every input")
        return self.spent_outputs

    # -- legacy --------------------------------------------------------------------------------

    def legacy(self, input_index: int, script_code: bytes, sighash_type: int) -> bytes:
        """The original algorithm (P2PKH, bare and P2SH scripts); quirks included."""
        tx = self.tx
        if input_index >= len(tx.inputs) or input_index < 0:
            return _LEGACY_ONE  # Core returns one for an out-of-range input too
        base = sighash_type & 0x1F
        anyone = bool(sighash_type & SIGHASH_ANYONECANPAY)
        if base == SIGHASH_SINGLE and input_index >= len(tx.outputs):
            return _LEGACY_ONE
        script_code = _strip_codeseparators(script_code)
        parts = [tx.version.to_bytes(4, "little", signed=True)]
        inputs = [input_index] if anyone else range(len(tx.inputs))
        parts.append(encode_varint(len(inputs)))
        for n in inputs:
            txin = tx.inputs[n]
            parts.append(txin.prevout.serialize())
            parts.append(encode_bytes(script_code if n == input_index else b""))
            if n != input_index and base in (SIGHASH_NONE, SIGHASH_SINGLE):
                parts.append(_u32(0))
            else:
                parts.append(_u32(txin.sequence))
        if base == SIGHASH_NONE:
            parts.append(encode_varint(0))
        elif base == SIGHASH_SINGLE:
            parts.append(encode_varint(input_index + 1))
            blank = TxOut(-1, b"").serialize()
            parts.extend(blank for _ in range(input_index))
            parts.append(tx.outputs[input_index].serialize())
        else:
            parts.append(encode_varint(len(tx.outputs)))
            parts.extend(o.serialize() for o in tx.outputs)
        parts.append(_u32(tx.locktime))
        parts.append(_u32(sighash_type))
        return sha256d(b"".join(parts))

    # -- BIP143 --------------------------------------------------------------------------------

    def segwit_v0_preimage(
        self, input_index: int, script_code: bytes, amount: int, sighash_type: int
    ) -> bytes:
        _check_index(self.tx, input_index)
        tx = self.tx
        base = sighash_type & 0x1F
        anyone = bool(sighash_type & SIGHASH_ANYONECANPAY)
        zero = bytes(32)
        hash_prevouts = zero if anyone else sha256(self._sha("prevouts"))
        if anyone or base in (SIGHASH_SINGLE, SIGHASH_NONE):
            hash_sequence = zero
        else:
            hash_sequence = sha256(self._sha("sequences"))
        if base not in (SIGHASH_SINGLE, SIGHASH_NONE):
            hash_outputs = sha256(self._sha("outputs"))
        elif base == SIGHASH_SINGLE and input_index < len(tx.outputs):
            hash_outputs = sha256d(tx.outputs[input_index].serialize())
        else:
            hash_outputs = zero
        txin = tx.inputs[input_index]
        return b"".join(
            (
                tx.version.to_bytes(4, "little", signed=True),
                hash_prevouts,
                hash_sequence,
                txin.prevout.serialize(),
                encode_bytes(script_code),
                amount.to_bytes(8, "little", signed=True),
                _u32(txin.sequence),
                hash_outputs,
                _u32(tx.locktime),
                _u32(sighash_type),
            )
        )

    def segwit_v0(
        self, input_index: int, script_code: bytes, amount: int, sighash_type: int
    ) -> bytes:
        return sha256d(self.segwit_v0_preimage(input_index, script_code, amount, sighash_type))

    # -- BIP341 / BIP342 -----------------------------------------------------------------------

    def taproot_sigmsg(
        self,
        input_index: int,
        sighash_type: int = SIGHASH_DEFAULT,
        annex: bytes | None = None,
        leaf_hash: bytes | None = None,
        codesep_pos: int = 0xFFFFFFFF,
    ) -> bytes:
        """BIP341 SigMsg (plus BIP342's extension when ``leaf_hash`` is given)."""
        tx = self.tx
        _check_index(tx, input_index)
        if sighash_type not in TAPROOT_SIGHASH_TYPES:
            raise SigningError(f"sighash type 0x{sighash_type:02x} is not valid for taproot")
        spent = self._spent()
        base = sighash_type & 0x03
        anyone = bool(sighash_type & SIGHASH_ANYONECANPAY)
        if base == SIGHASH_SINGLE and input_index >= len(tx.outputs):
            raise SigningError(
                f"SIGHASH_SINGLE on input {input_index} needs an output with the same index, "
                f"but the transaction has {len(tx.outputs)} outputs"
            )
        if annex is not None and (not annex or annex[0] != 0x50):
            raise SigningError("a taproot annex must start with the byte 0x50")
        parts = [
            bytes([sighash_type]),
            tx.version.to_bytes(4, "little", signed=True),
            _u32(tx.locktime),
        ]
        if not anyone:
            parts += [
                self._sha("prevouts"),
                self._sha("amounts"),
                self._sha("scriptpubkeys"),
                self._sha("sequences"),
            ]
        if base not in (SIGHASH_NONE, SIGHASH_SINGLE):
            parts.append(self._sha("outputs"))
        ext_flag = 1 if leaf_hash is not None else 0
        parts.append(bytes([ext_flag * 2 + (1 if annex is not None else 0)]))
        if anyone:
            txin = tx.inputs[input_index]
            parts += [
                txin.prevout.serialize(),
                spent[input_index].value.to_bytes(8, "little"),
                encode_bytes(spent[input_index].script_pubkey),
                _u32(txin.sequence),
            ]
        else:
            parts.append(_u32(input_index))
        if annex is not None:
            parts.append(sha256(encode_bytes(annex)))
        if base == SIGHASH_SINGLE:
            parts.append(sha256(tx.outputs[input_index].serialize()))
        if leaf_hash is not None:
            if len(leaf_hash) != 32:
                raise SigningError("a tapleaf hash is 32 bytes")
            parts += [leaf_hash, b"\x00", _u32(codesep_pos)]
        return b"".join(parts)

    def taproot(
        self,
        input_index: int,
        sighash_type: int = SIGHASH_DEFAULT,
        annex: bytes | None = None,
        leaf_hash: bytes | None = None,
        codesep_pos: int = 0xFFFFFFFF,
    ) -> bytes:
        msg = self.taproot_sigmsg(input_index, sighash_type, annex, leaf_hash, codesep_pos)
        return tagged_hash("TapSighash", b"\x00" + msg)


def legacy_sighash(
    tx: Transaction, input_index: int, script_code: bytes, sighash_type: int
) -> bytes:
    """Legacy sighash (returns the little-endian number one for SIGHASH_SINGLE without output)."""
    return SighashCache(tx).legacy(input_index, script_code, sighash_type)


def segwit_v0_sighash(
    tx: Transaction, input_index: int, script_code: bytes, amount: int, sighash_type: int
) -> bytes:
    """BIP143 sighash; ``script_code`` for P2WPKH is the P2PKH script of the key hash."""
    return SighashCache(tx).segwit_v0(input_index, script_code, amount, sighash_type)


def taproot_sighash(
    tx: Transaction,
    input_index: int,
    spent_outputs: Sequence[TxOut],
    sighash_type: int = SIGHASH_DEFAULT,
    annex: bytes | None = None,
    leaf_hash: bytes | None = None,
    codesep_pos: int = 0xFFFFFFFF,
) -> bytes:
    """BIP341 key-path sighash, or BIP342 script-path sighash when ``leaf_hash`` is given."""
    cache = SighashCache(tx, spent_outputs)
    return cache.taproot(input_index, sighash_type, annex, leaf_hash, codesep_pos)
