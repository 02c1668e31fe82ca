"""Scripts as text: Bitcoin Core's ``asm`` and type names, and Esplora's (rust-bitcoin's) forms."""

from __future__ import annotations

import functools

from wallet.bitcoin.errors import BitcoinError
from wallet.bitcoin.script import ScriptType, classify, iter_ops

_NAMES = {
    0x00: "0", 0x4F: "-1", 0x50: "OP_RESERVED",
    0x61: "OP_NOP", 0x62: "OP_VER", 0x63: "OP_IF", 0x64: "OP_NOTIF", 0x65: "OP_VERIF",
    0x66: "OP_VERNOTIF", 0x67: "OP_ELSE", 0x68: "OP_ENDIF", 0x69: "OP_VERIFY", 0x6A: "OP_RETURN",
    0x6B: "OP_TOALTSTACK", 0x6C: "OP_FROMALTSTACK", 0x6D: "OP_2DROP", 0x6E: "OP_2DUP",
    0x6F: "OP_3DUP", 0x70: "OP_2OVER", 0x71: "OP_2ROT", 0x72: "OP_2SWAP", 0x73: "OP_IFDUP",
    0x74: "OP_DEPTH", 0x75: "OP_DROP", 0x76: "OP_DUP", 0x77: "OP_NIP", 0x78: "OP_OVER",
    0x79: "OP_PICK", 0x7A: "OP_ROLL", 0x7B: "OP_ROT", 0x7C: "OP_SWAP", 0x7D: "OP_TUCK",
    0x7E: "OP_CAT", 0x7F: "OP_SUBSTR", 0x80: "OP_LEFT", 0x81: "OP_RIGHT", 0x82: "OP_SIZE",
    0x83: "OP_INVERT", 0x84: "OP_AND", 0x85: "OP_OR", 0x86: "OP_XOR", 0x87: "OP_EQUAL",
    0x88: "OP_EQUALVERIFY", 0x89: "OP_RESERVED1", 0x8A: "OP_RESERVED2", 0x8B: "OP_1ADD",
    0x8C: "OP_1SUB", 0x8D: "OP_2MUL", 0x8E: "OP_2DIV", 0x8F: "OP_NEGATE", 0x90: "OP_ABS",
    0x91: "OP_NOT", 0x92: "OP_0NOTEQUAL", 0x93: "OP_ADD", 0x94: "OP_SUB", 0x95: "OP_MUL",
    0x96: "OP_DIV", 0x97: "OP_MOD", 0x98: "OP_LSHIFT", 0x99: "OP_RSHIFT", 0x9A: "OP_BOOLAND",
    0x9B: "OP_BOOLOR", 0x9C: "OP_NUMEQUAL", 0x9D: "OP_NUMEQUALVERIFY", 0x9E: "OP_NUMNOTEQUAL",
    0x9F: "OP_LESSTHAN", 0xA0: "OP_GREATERTHAN", 0xA1: "OP_LESSTHANOREQUAL",
    0xA2: "OP_GREATERTHANOREQUAL", 0xA3: "OP_MIN", 0xA4: "OP_MAX", 0xA5: "OP_WITHIN",
    0xA6: "OP_RIPEMD160", 0xA7: "OP_SHA1", 0xA8: "OP_SHA256", 0xA9: "OP_HASH160",
    0xAA: "OP_HASH256", 0xAB: "OP_CODESEPARATOR", 0xAC: "OP_CHECKSIG",
    0xAD: "OP_CHECKSIGVERIFY", 0xAE: "OP_CHECKMULTISIG", 0xAF: "OP_CHECKMULTISIGVERIFY",
    0xB0: "OP_NOP1", 0xB1: "OP_CHECKLOCKTIMEVERIFY", 0xB2: "OP_CHECKSEQUENCEVERIFY",
    0xB3: "OP_NOP4", 0xB4: "OP_NOP5", 0xB5: "OP_NOP6", 0xB6: "OP_NOP7", 0xB7: "OP_NOP8",
    0xB8: "OP_NOP9", 0xB9: "OP_NOP10", 0xBA: "OP_CHECKSIGADD",
}  # fmt: skip
_ESPLORA_RENAMES = {
    0x00: "OP_0", 0x4F: "OP_PUSHNUM_NEG1", 0xB1: "OP_CLTV", 0xB2: "OP_CSV",
}  # fmt: skip


def _name(op: int, esplora: bool) -> str:
    if esplora and op in _ESPLORA_RENAMES:
        return _ESPLORA_RENAMES[op]
    if 0x51 <= op <= 0x60:
        return f"OP_PUSHNUM_{op - 0x50}" if esplora else str(op - 0x50)
    if op in _NAMES:
        return _NAMES[op]
    return f"OP_RETURN_{op}" if esplora else "OP_UNKNOWN"


def core_asm(script: bytes) -> str:
    """Bitcoin Core's ``asm``: data pushes as hex, small numbers as digits."""
    parts = []
    try:
        for op, data in iter_ops(script):
            if data is not None:
                parts.append(data.hex() if data or op else "0")
            else:
                parts.append(_name(op, esplora=False))
    except BitcoinError:
        parts.append("[error]")
    return " ".join(parts)


def esplora_asm(script: bytes) -> str:
    """Esplora's ``scriptpubkey_asm``: ``OP_0 OP_PUSHBYTES_20 <hex>`` and so on."""
    parts = []
    try:
        for op, data in iter_ops(script):
            if data is None or op == 0:
                parts.append(_name(op, esplora=True))
            elif op < 0x4C:
                parts.append(f"OP_PUSHBYTES_{op} {data.hex()}")
            else:
                name = {0x4C: "OP_PUSHDATA1", 0x4D: "OP_PUSHDATA2", 0x4E: "OP_PUSHDATA4"}[op]
                parts.append(f"{name} {data.hex()}")
    except BitcoinError:
        parts.append("<push past end>")
    return " ".join(parts)


def is_p2pk(spk: bytes) -> bool:
    """A bare pay-to-public-key output: a 33- or 65-byte key push, then OP_CHECKSIG."""
    size = len(spk)
    return ((size == 35 and spk[0] == 33) or (size == 67 and spk[0] == 65)) and spk[-1] == 0xAC


_CORE_TYPES = {
    ScriptType.P2PKH: "pubkeyhash",
    ScriptType.P2SH: "scripthash",
    ScriptType.P2WPKH: "witness_v0_keyhash",
    ScriptType.P2WSH: "witness_v0_scripthash",
    ScriptType.P2TR: "witness_v1_taproot",
    ScriptType.OP_RETURN: "nulldata",
    ScriptType.WITNESS_UNKNOWN: "witness_unknown",
}
_ESPLORA_TYPES = {
    ScriptType.P2PKH: "p2pkh",
    ScriptType.P2SH: "p2sh",
    ScriptType.P2WPKH: "v0_p2wpkh",
    ScriptType.P2WSH: "v0_p2wsh",
    ScriptType.P2TR: "v1_p2tr",
    ScriptType.OP_RETURN: "op_return",
}


def core_type(spk: bytes) -> str:
    if is_p2pk(spk):
        return "pubkey"
    if spk == bytes.fromhex("51024e73"):
        return "anchor"
    return _CORE_TYPES.get(classify(spk), "nonstandard")


def esplora_type(spk: bytes) -> str:
    if not spk:
        return "empty"
    if is_p2pk(spk):
        return "p2pk"
    return _ESPLORA_TYPES.get(classify(spk), "unknown")


@functools.lru_cache(maxsize=65_536)
def address_of(spk: bytes) -> str | None:
    """The regtest address of an output script, or None when it has none (or no encoder yet).

    Remembered: the servers spell the same scripts again and again (every transaction's JSON
    names each output's and each spent output's address), and bech32 in Python is slow."""
    try:
        from wallet.bitcoin.address import script_to_address
        from wallet.bitcoin.networks import REGTEST
    except ImportError:  # the address module arrives with the keys work
        return None
    try:
        return script_to_address(spk, REGTEST)
    except (BitcoinError, ValueError):
        return None
