"""Script building blocks and the standard output templates the wallet uses.

Only templates live here; addresses (their text form) are in ``address.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum

from wallet.bitcoin.errors import ScriptError

OP_0 = 0x00
OP_PUSHDATA1 = 0x4C
OP_PUSHDATA2 = 0x4D
OP_PUSHDATA4 = 0x4E
OP_1NEGATE = 0x4F
OP_1 = 0x51
OP_16 = 0x60
OP_RETURN = 0x6A
OP_DUP = 0x76
OP_EQUAL = 0x87
OP_EQUALVERIFY = 0x88
OP_HASH160 = 0xA9
OP_CHECKSIG = 0xAC
OP_CHECKSIGVERIFY = 0xAD
OP_CHECKMULTISIG = 0xAE
OP_CHECKSIGADD = 0xBA


def push_data(data: bytes) -> bytes:
    """The minimal push of ``data`` (BIP62 minimal encoding for data pushes)."""
    n = len(data)
    if n < OP_PUSHDATA1:
        return bytes([n]) + data
    if n <= 0xFF:
        return bytes([OP_PUSHDATA1, n]) + data
    if n <= 0xFFFF:
        return bytes([OP_PUSHDATA2]) + n.to_bytes(2, "little") + data
    return bytes([OP_PUSHDATA4]) + n.to_bytes(4, "little") + data


def push_int(n: int) -> bytes:
    """Push a small integer with OP_0/OP_1..OP_16, or as a minimal script number."""
    if n == 0:
        return bytes([OP_0])
    if n == -1:
        return bytes([OP_1NEGATE])
    if 1 <= n <= 16:
        return bytes([OP_1 + n - 1])
    return push_data(script_number(n))


def script_number(n: int) -> bytes:
    """Minimal CScriptNum encoding (little-endian, sign bit in the top byte)."""
    if n == 0:
        return b""
    neg = n < 0
    v = abs(n)
    out = bytearray()
    while v:
        out.append(v & 0xFF)
        v >>= 8
    if out[-1] & 0x80:
        out.append(0x80 if neg else 0x00)
    elif neg:
        out[-1] |= 0x80
    return bytes(out)


def iter_ops(script: bytes) -> Iterator[tuple[int, bytes | None]]:
    """Yield ``(opcode, pushed_data_or_None)``; raises ScriptError on a truncated push."""
    i = 0
    n = len(script)
    while i < n:
        op = script[i]
        i += 1
        if op <= OP_PUSHDATA4:
            if op < OP_PUSHDATA1:
                size = op
            else:
                width = {OP_PUSHDATA1: 1, OP_PUSHDATA2: 2, OP_PUSHDATA4: 4}[op]
                if i + width > n:
                    raise ScriptError("script ends inside a push length")
                size = int.from_bytes(script[i : i + width], "little")
                i += width
            if i + size > n:
                raise ScriptError(f"script push of {size} bytes runs past the end of the script")
            yield op, script[i : i + size]
            i += size
        else:
            yield op, None


class ScriptType(StrEnum):
    P2PKH = "p2pkh"
    P2SH = "p2sh"
    #: only known from context (the redeem script), never from the output itself
    P2SH_P2WPKH = "p2sh-p2wpkh"
    P2WPKH = "p2wpkh"
    P2WSH = "p2wsh"
    P2TR = "p2tr"
    OP_RETURN = "op_return"
    WITNESS_UNKNOWN = "witness_unknown"
    NONSTANDARD = "nonstandard"


def p2pkh_script(pubkey_hash: bytes) -> bytes:
    _check_len(pubkey_hash, 20, "P2PKH public key hash")
    return bytes([OP_DUP, OP_HASH160, 20]) + pubkey_hash + bytes([OP_EQUALVERIFY, OP_CHECKSIG])


def p2sh_script(script_hash: bytes) -> bytes:
    _check_len(script_hash, 20, "P2SH script hash")
    return bytes([OP_HASH160, 20]) + script_hash + bytes([OP_EQUAL])


def p2wpkh_script(pubkey_hash: bytes) -> bytes:
    _check_len(pubkey_hash, 20, "P2WPKH public key hash")
    return bytes([OP_0, 20]) + pubkey_hash


def p2wsh_script(script_hash: bytes) -> bytes:
    _check_len(script_hash, 32, "P2WSH script hash")
    return bytes([OP_0, 32]) + script_hash


def p2tr_script(output_key: bytes) -> bytes:
    _check_len(output_key, 32, "P2TR x-only output key")
    return bytes([OP_1, 32]) + output_key


def witness_script(version: int, program: bytes) -> bytes:
    """The scriptPubKey for a witness program of any version (BIP141/BIP341)."""
    if not 0 <= version <= 16:
        raise ScriptError(f"witness version {version} is outside 0..16")
    if not 2 <= len(program) <= 40:
        raise ScriptError(f"witness program of {len(program)} bytes is outside 2..40")
    if version == 0 and len(program) not in (20, 32):
        raise ScriptError("a version 0 witness program must be 20 or 32 bytes")
    op = OP_0 if version == 0 else OP_1 + version - 1
    return bytes([op, len(program)]) + program


def parse_witness_program(script: bytes) -> tuple[int, bytes] | None:
    """``(version, program)`` if ``script`` is a witness program (BIP141 rules), else None."""
    if not 4 <= len(script) <= 42:
        return None
    op = script[0]
    if op != OP_0 and not OP_1 <= op <= OP_16:
        return None
    if script[1] + 2 != len(script):
        return None
    return (0 if op == OP_0 else op - OP_1 + 1), script[2:]


def classify(script: bytes) -> ScriptType:
    """Recognise the standard output templates."""
    n = len(script)
    if (
        n == 25
        and script[:3] == bytes([OP_DUP, OP_HASH160, 20])
        and script[23:] == bytes([OP_EQUALVERIFY, OP_CHECKSIG])
    ):
        return ScriptType.P2PKH
    if n == 23 and script[:2] == bytes([OP_HASH160, 20]) and script[22] == OP_EQUAL:
        return ScriptType.P2SH
    if n >= 1 and script[0] == OP_RETURN:
        return ScriptType.OP_RETURN
    wp = parse_witness_program(script)
    if wp is not None:
        version, program = wp
        if version == 0 and len(program) == 20:
            return ScriptType.P2WPKH
        if version == 0 and len(program) == 32:
            return ScriptType.P2WSH
        if version == 1 and len(program) == 32:
            return ScriptType.P2TR
        return ScriptType.WITNESS_UNKNOWN
    return ScriptType.NONSTANDARD


def _check_len(data: bytes, n: int, what: str) -> None:
    if len(data) != n:
        raise ScriptError(f"{what} must be {n} bytes, got {len(data)}")
