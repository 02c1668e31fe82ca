"""BIP322 generic signed messages: a message signed by proving the address's script.

Two virtual transactions: ``to_spend`` pays 0 to the address's scriptPubKey from an input whose
scriptSig commits to the tagged hash of the message; ``to_sign`` spends it to ``OP_RETURN``.
The signature is what makes ``to_sign`` valid: its witness (``smp`` + base64, the *simple*
form, for native SegWit addresses) or the whole transaction (``ful`` + base64, the *full* form,
for any address). Legacy 65-byte signatures are :mod:`wallet.bitcoin.message`'s.

Verification checks the scripts Paylight understands -- P2WPKH, P2TR key path, P2SH-P2WPKH and
P2PKH -- with the same sighash and libsecp256k1 code that signs transactions, under BIP322's
required rules (SIGHASH_ALL or DEFAULT, low-S strict DER, clean stack). For any other script
(P2WSH, script paths) the answer is *inconclusive*, as BIP322 asks of a validator without a
full script interpreter.
"""

from __future__ import annotations

import base64
import binascii
import enum
from collections.abc import Callable
from dataclasses import dataclass

from wallet.bitcoin.address import p2wpkh_redeem_script, parse_address
from wallet.bitcoin.errors import BitcoinError, SigningError
from wallet.bitcoin.hashes import hash160, sha256, tagged_hash
from wallet.bitcoin.networks import Network
from wallet.bitcoin.script import (
    ScriptType,
    iter_ops,
    p2pkh_script,
    p2wpkh_script,
    parse_witness_program,
    push_data,
)
from wallet.bitcoin.serialize import ByteReader, encode_bytes, encode_varint
from wallet.bitcoin.sighash import SIGHASH_ALL, SIGHASH_DEFAULT, SighashCache
from wallet.bitcoin.signing import (
    public_key,
    sign_ecdsa,
    sign_schnorr,
    verify_ecdsa,
    verify_schnorr,
    xonly_public_key,
)
from wallet.bitcoin.taproot import taproot_output_key, taproot_tweak_seckey
from wallet.bitcoin.transaction import OutPoint, Transaction, TxIn, TxOut

TAG = "BIP0322-signed-message"
OP_RETURN_SCRIPT = b"\x6a"


class Bip322Error(BitcoinError):
    """A BIP322 signature that cannot be made or decoded."""


class Verdict(enum.StrEnum):
    VALID = "valid"
    INVALID = "invalid"
    INCONCLUSIVE = "inconclusive"  # a script this validator does not interpret


@dataclass(frozen=True)
class Verification:
    verdict: Verdict
    reason: str = ""
    locktime: int = 0  # "valid at time T and age S"
    sequence: int = 0

    @property
    def valid(self) -> bool:
        return self.verdict is Verdict.VALID


def message_hash(message: str | bytes) -> bytes:
    raw = message.encode("utf-8") if isinstance(message, str) else bytes(message)
    return tagged_hash(TAG, raw)


def to_spend(script_pubkey: bytes, message: str | bytes) -> Transaction:
    txin = TxIn(OutPoint(b"\0" * 32, 0xFFFFFFFF), b"\x00" + push_data(message_hash(message)), 0, [])
    return Transaction(0, [txin], [TxOut(0, script_pubkey)], 0)


def to_sign(
    spend: Transaction,
    witness: list[bytes] | None = None,
    script_sig: bytes = b"",
    *,
    version: int = 0,
    locktime: int = 0,
    sequence: int = 0,
) -> Transaction:
    txin = TxIn(OutPoint(spend.txid(), 0), script_sig, sequence, list(witness or []))
    return Transaction(version, [txin], [TxOut(0, OP_RETURN_SCRIPT)], locktime)


def _encode_witness(items: list[bytes]) -> bytes:
    return encode_varint(len(items)) + b"".join(encode_bytes(i) for i in items)


def _decode_witness(raw: bytes) -> list[bytes]:
    reader = ByteReader(raw, Bip322Error)
    items = [reader.var_bytes() for _ in range(reader.count())]
    reader.expect_end("the witness")
    return items


# -- signing -------------------------------------------------------------------------------------


def sign(
    secret: bytes,
    address: str,
    message: str | bytes,
    network: Network | str,
    *,
    full: bool | None = None,
) -> str:
    """A BIP322 signature of ``message`` for ``address`` (whose key ``secret`` is).

    ``full=None`` picks *simple* for native SegWit and *full* otherwise (P2SH-P2WPKH, P2PKH).
    """
    parsed = parse_address(address, network)
    spk, kind = parsed.script_pubkey, parsed.script_type
    pub = public_key(secret)
    spend = to_spend(spk, message)
    spent = [spend.outputs[0]]
    script_sig = b""
    if kind == ScriptType.P2WPKH:
        _expect(spk == p2wpkh_script(hash160(pub)), address)
        tx = to_sign(spend)
        digest = SighashCache(tx, spent).segwit_v0(0, p2pkh_script(hash160(pub)), 0, SIGHASH_ALL)
        witness = [sign_ecdsa(secret, digest) + bytes([SIGHASH_ALL]), pub]
    elif kind == ScriptType.P2TR:
        xonly = xonly_public_key(secret)
        _expect(spk == b"\x51\x20" + taproot_output_key(xonly)[0], address)
        tx = to_sign(spend)
        digest = SighashCache(tx, spent).taproot(0, SIGHASH_DEFAULT)
        witness = [sign_schnorr(taproot_tweak_seckey(secret), digest)]
    elif kind == ScriptType.P2SH:  # P2SH-P2WPKH, the only P2SH a single key makes
        redeem = p2wpkh_redeem_script(pub)
        _expect(spk == b"\xa9\x14" + hash160(redeem) + b"\x87", address)
        script_sig = push_data(redeem)
        tx = to_sign(spend, script_sig=script_sig)
        digest = SighashCache(tx, spent).segwit_v0(0, p2pkh_script(hash160(pub)), 0, SIGHASH_ALL)
        witness = [sign_ecdsa(secret, digest) + bytes([SIGHASH_ALL]), pub]
        full = True if full is None else full
    elif kind == ScriptType.P2PKH:
        for candidate in (pub, public_key(secret, False)):
            if spk == p2pkh_script(hash160(candidate)):
                break
        else:
            _expect(False, address)
        tx = to_sign(spend)
        digest = SighashCache(tx, spent).legacy(0, spk, SIGHASH_ALL)
        sig = sign_ecdsa(secret, digest) + bytes([SIGHASH_ALL])
        script_sig = push_data(sig) + push_data(candidate)
        witness = []
        full = True if full is None else full
    else:
        raise SigningError(f"signing messages for {kind} addresses is not supported")
    if full:
        signed = to_sign(spend, witness, script_sig)
        return "ful" + base64.b64encode(signed.serialize()).decode()
    if script_sig:
        raise SigningError("a P2SH or P2PKH address needs the full BIP322 form")
    return "smp" + base64.b64encode(_encode_witness(witness)).decode()


def _expect(ok: bool, address: str) -> None:
    if not ok:
        raise SigningError(f"this key is not the key of {address}")


# -- verifying -----------------------------------------------------------------------------------


def decode_signature(signature: str, spend: Transaction) -> Transaction:
    """``to_sign`` from a ``smp``/``ful`` (or unprefixed simple) signature."""
    text = signature.strip()
    prefix = text[:3]
    body = text[3:] if prefix in ("smp", "ful", "pof") else text
    if prefix == "pof":
        raise Bip322Error("proof-of-funds signatures are not supported")
    if not body:
        raise Bip322Error("the signature is empty (signature too short)")
    try:
        raw = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise Bip322Error("the signature is not valid base64") from None
    if prefix == "ful":
        try:
            return Transaction.parse(raw)
        except BitcoinError as exc:
            raise Bip322Error(f"the full signature is not a transaction: {exc}") from None
    return to_sign(spend, _decode_witness(raw))


#: A full script interpreter: does ``to_sign``'s input validly spend the output?
Interpreter = Callable[[Transaction, TxOut], bool]


def verify(
    address: str,
    message: str | bytes,
    signature: str,
    network: Network | str,
    *,
    interpreter: Interpreter | None = None,
) -> Verification:
    """BIP322's verdict on ``signature`` for ``message`` and ``address``.

    Scripts this module does not interpret are *inconclusive*, unless ``interpreter`` (such as
    Bitcoin Core's, through libbitcoinkernel) is given to decide them.
    """
    parsed = parse_address(address, network)
    spend = to_spend(parsed.script_pubkey, message)
    try:
        tx = decode_signature(signature, spend)
    except Bip322Error as exc:
        return Verification(Verdict.INVALID, str(exc))
    problem = _shape(tx, spend)
    if problem:
        return Verification(Verdict.INVALID, problem)
    if tx.version not in (0, 2):
        return Verification(Verdict.INCONCLUSIVE, "to_sign's version is not 0 or 2")
    ok, reason = _check_script(tx, spend.outputs[0])
    if ok is None and interpreter is not None:
        ok = bool(interpreter(tx, spend.outputs[0]))
        reason = "" if ok else "invalid signature (the script interpreter rejects it)"
    if ok is None:
        return Verification(Verdict.INCONCLUSIVE, reason)
    if not ok:
        return Verification(Verdict.INVALID, reason or "invalid signature")
    return Verification(Verdict.VALID, "", tx.locktime, tx.inputs[0].sequence)


def _shape(tx: Transaction, spend: Transaction) -> str:
    if len(tx.inputs) != 1:
        return "to_sign must have exactly one input (proof of funds is not supported)"
    if tx.inputs[0].prevout != OutPoint(spend.txid(), 0):
        return "to_sign does not spend the message's to_spend output"
    if len(tx.outputs) != 1 or tx.outputs[0] != TxOut(0, OP_RETURN_SCRIPT):
        return "to_sign must have exactly one output: 0 to OP_RETURN"
    return ""


def _der_ok(sig: bytes) -> bool:
    return len(sig) >= 9 and sig[-1] == SIGHASH_ALL


def _check_script(tx: Transaction, spent: TxOut) -> tuple[bool | None, str]:
    """(True valid / False invalid / None inconclusive, reason)."""
    txin = tx.inputs[0]
    spk, witness, script_sig = spent.script_pubkey, txin.witness, txin.script_sig
    cache = SighashCache(tx, [spent])
    program = parse_witness_program(spk)
    if spk[:2] == b"\xa9\x14" and len(spk) == 23 and spk[-1] == 0x87:  # P2SH
        try:
            last = [data for _op, data in iter_ops(script_sig)][-1:]
        except BitcoinError:
            last = []
        if not last or last[0] is None or hash160(last[0]) != spk[2:22]:
            return False, "invalid signature (the scriptSig does not reveal the script)"
        inner = parse_witness_program(last[0])
        if inner is None or inner[0] != 0 or len(inner[1]) != 20:
            return None, "this P2SH script is not interpreted (only P2SH-P2WPKH is)"
        if _pushes(script_sig) != last:
            return False, "invalid signature (a P2SH-P2WPKH scriptSig is one push)"
        return _p2wpkh(cache, inner[1], witness)
    if program is not None:
        if script_sig:
            return False, "invalid signature (a native SegWit input has a scriptSig)"
        version, data = program
        if version == 0 and len(data) == 20:
            return _p2wpkh(cache, data, witness)
        if version == 1 and len(data) == 32:
            if len(witness) == 1 or (len(witness) == 2 and witness[1][:1] == b"\x50"):
                if len(witness) == 2:
                    return None, "taproot annexes are not interpreted"
                sig = witness[0]
                if len(sig) == 65 and sig[64] != SIGHASH_ALL:
                    return False, "invalid signature (a sighash other than ALL or DEFAULT)"
                if len(sig) not in (64, 65):
                    return False, "invalid signature (not a Schnorr signature)"
                digest = cache.taproot(0, SIGHASH_DEFAULT if len(sig) == 64 else SIGHASH_ALL)
                return verify_schnorr(data, sig[:64], digest), "invalid signature"
            return None, "taproot script paths are not interpreted"
        if version > 1:
            return None, "segwit versions above 1 are not used"
        if version == 0 and len(data) == 32:
            if not witness or sha256(witness[-1]) != data:
                return False, "invalid signature (the witness does not reveal the script)"
            return None, "P2WSH scripts are not interpreted"
        return None, "this script is not interpreted"
    if len(spk) == 25 and spk[:3] == b"\x76\xa9\x14" and spk[23:] == b"\x88\xac":  # P2PKH
        if witness:
            return False, "invalid signature (a P2PKH input has a witness)"
        pushes = _pushes(script_sig)
        if pushes is None or len(pushes) != 2:
            return False, "invalid signature (the scriptSig is not <signature> <key>)"
        sig, pub = pushes
        if hash160(pub) != spk[3:23] or not _der_ok(sig):
            return False, "invalid signature"
        digest = cache.legacy(0, spk, SIGHASH_ALL)
        return verify_ecdsa(pub, sig[:-1], digest), "invalid signature"
    return None, "this script is not interpreted"


def _p2wpkh(cache: SighashCache, key_hash: bytes, witness: list[bytes]) -> tuple[bool, str]:
    if len(witness) != 2:
        return False, "invalid signature (a P2WPKH witness is <signature> <key>)"
    sig, pub = witness
    if len(pub) != 33 or hash160(pub) != key_hash:
        return False, "invalid signature (the witness key is not the address's)"
    if not _der_ok(sig):
        return False, "invalid signature (not SIGHASH_ALL)"
    digest = cache.segwit_v0(0, p2pkh_script(key_hash), 0, SIGHASH_ALL)
    return verify_ecdsa(pub, sig[:-1], digest), "invalid signature"


def _pushes(script: bytes) -> list[bytes] | None:
    """The data of a push-only, minimally pushed script; None for anything else."""
    try:
        ops = list(iter_ops(script))
    except BitcoinError:
        return None
    out = []
    for _op, data in ops:
        if data is None:
            return None
        out.append(data)
    if b"".join(push_data(d) for d in out) != script:
        return None  # not minimal pushes (MINIMALDATA)
    return out


__all__ = [
    "Bip322Error",
    "Verdict",
    "Verification",
    "message_hash",
    "sign",
    "to_sign",
    "to_spend",
    "verify",
]
