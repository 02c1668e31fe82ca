"""Signing transaction inputs: ECDSA (low-R, low-S, as Bitcoin Core) and BIP340 Schnorr.

``sign_input`` knows the four output types the wallet spends (P2PKH, P2SH-P2WPKH, P2WPKH and
BIP86 key-path P2TR) and fills in the scriptSig and witness; ``sign_transaction`` does that for
every input of a transaction it holds a key for, sharing one :class:`SighashCache`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence

from coincurve import PrivateKey, PublicKey, PublicKeyXOnly
from coincurve._libsecp256k1 import ffi, lib

from wallet.bitcoin.errors import SigningError
from wallet.bitcoin.hashes import hash160
from wallet.bitcoin.script import (
    ScriptType,
    classify,
    p2pkh_script,
    p2sh_script,
    p2tr_script,
    p2wpkh_script,
    push_data,
)
from wallet.bitcoin.sighash import (
    ECDSA_SIGHASH_TYPES,
    SIGHASH_ALL,
    SIGHASH_DEFAULT,
    SIGHASH_SINGLE,
    TAPROOT_SIGHASH_TYPES,
    SighashCache,
)
from wallet.bitcoin.taproot import taproot_output_key, taproot_tweak_seckey
from wallet.bitcoin.transaction import Transaction, TxOut

#: Output types ``sign_input`` can complete on its own.
SIGNABLE_TYPES = (ScriptType.P2PKH, ScriptType.P2SH_P2WPKH, ScriptType.P2WPKH, ScriptType.P2TR)

_BIP340_EXTRAPARAMS_MAGIC = b"\xda\x6f\xb3\x8c"


def _private_key(secret: bytes) -> PrivateKey:
    if not isinstance(secret, bytes | bytearray) or len(secret) != 32:
        raise SigningError("a private key is 32 bytes")
    try:
        return PrivateKey(bytes(secret))
    except ValueError:
        raise SigningError("the private key is zero or not below the curve order") from None


# -- ECDSA ---------------------------------------------------------------------------------------


def sign_ecdsa(secret: bytes, msg32: bytes) -> bytes:
    """A DER signature with low S and, like Bitcoin Core, a low R (71 bytes at most).

    RFC6979 nonces are retried with an extra-entropy counter until R's top bit is clear, which
    saves a byte per signature in half the cases and keeps fee estimates exact.
    """
    if len(msg32) != 32:
        raise SigningError("an ECDSA signature hash is 32 bytes")
    key = _private_key(secret)
    counter = 0
    while True:
        if counter == 0:
            nonce = (lib.secp256k1_nonce_function_rfc6979, ffi.NULL)
        else:
            extra = ffi.new("unsigned char[32]", counter.to_bytes(32, "little"))
            nonce = (lib.secp256k1_nonce_function_rfc6979, extra)
        der = key.sign(msg32, hasher=None, custom_nonce=nonce)
        # DER: 30 len 02 rlen r...; a 33-byte R carries a 0x00 pad because its top bit is set.
        if der[3] == 32:
            return der
        counter += 1


def verify_ecdsa(pubkey: bytes, signature_der: bytes, msg32: bytes) -> bool:
    """Strict DER and low-S, as libsecp256k1 (and so Bitcoin Core) checks them."""
    try:
        return PublicKey(pubkey).verify(signature_der, msg32, hasher=None)
    except (ValueError, TypeError):
        return False


# -- Schnorr (BIP340) ----------------------------------------------------------------------------


def sign_schnorr(secret: bytes, msg: bytes, aux_rand: bytes | None = None) -> bytes:
    """A 64-byte BIP340 signature; fresh auxiliary randomness unless ``aux_rand`` is given.

    ``msg`` is normally a 32-byte sighash; BIP340 allows any length, so other lengths work too.
    """
    key = _private_key(secret)
    if aux_rand is None:
        aux_rand = os.urandom(32)
    if len(aux_rand) != 32:
        raise SigningError("BIP340 auxiliary randomness is 32 bytes")
    keypair = ffi.new("secp256k1_keypair *")
    if not lib.secp256k1_keypair_create(key.context.ctx, keypair, key.secret):
        raise SigningError("the private key is not valid")
    params = ffi.new("secp256k1_schnorrsig_extraparams *")
    params.magic = list(_BIP340_EXTRAPARAMS_MAGIC)
    params.noncefp = ffi.NULL
    aux = ffi.new("unsigned char[32]", aux_rand)
    params.ndata = aux
    sig = ffi.new("unsigned char[64]")
    ok = lib.secp256k1_schnorrsig_sign_custom(key.context.ctx, sig, msg, len(msg), keypair, params)
    if not ok:
        raise SigningError("Schnorr signing failed")
    out = bytes(ffi.buffer(sig))
    if not verify_schnorr(key.public_key_xonly.format(), out, msg):  # fault-attack guard
        raise SigningError("the Schnorr signature did not verify after signing")
    return out


def verify_schnorr(xonly_pubkey: bytes, signature: bytes, msg: bytes) -> bool:
    if len(xonly_pubkey) != 32 or len(signature) != 64:
        return False
    try:
        return PublicKeyXOnly(xonly_pubkey).verify(signature, msg)
    except ValueError:  # not an x coordinate on the curve
        return False


# -- keys and the scripts they can spend ---------------------------------------------------------


def public_key(secret: bytes, compressed: bool = True) -> bytes:
    return _private_key(secret).public_key.format(compressed=compressed)


def xonly_public_key(secret: bytes) -> bytes:
    return _private_key(secret).public_key.format(compressed=True)[1:]


def output_scripts(secret: bytes) -> dict[bytes, ScriptType]:
    """Every scriptPubKey of a supported type this key can spend, mapped to its type.

    Taproot is the BIP86 output (key path only, no script tree).
    """
    pub = public_key(secret)
    pkh = hash160(pub)
    return {
        p2pkh_script(pkh): ScriptType.P2PKH,
        p2pkh_script(hash160(public_key(secret, compressed=False))): ScriptType.P2PKH,
        p2wpkh_script(pkh): ScriptType.P2WPKH,
        p2sh_script(hash160(p2wpkh_script(pkh))): ScriptType.P2SH_P2WPKH,
        p2tr_script(taproot_output_key(pub[1:])[0]): ScriptType.P2TR,
    }


def infer_script_type(script_pubkey: bytes, secret: bytes) -> ScriptType:
    """Which of the supported types ``script_pubkey`` is, for this key; SigningError if none."""
    found = output_scripts(secret).get(script_pubkey)
    if found is not None:
        return found
    kind = classify(script_pubkey)
    if kind in SIGNABLE_TYPES or kind == ScriptType.P2SH:
        raise SigningError(f"the key does not match the {kind} output being spent")
    raise SigningError(
        f"cannot sign for a {kind} output (supported: P2PKH, P2SH-P2WPKH, P2WPKH, P2TR)"
    )


# -- inputs --------------------------------------------------------------------------------------


def sign_input(
    tx: Transaction,
    input_index: int,
    secret: bytes,
    spent_outputs: Sequence[TxOut],
    script_type: ScriptType | None = None,
    sighash_type: int | None = None,
    *,
    cache: SighashCache | None = None,
    aux_rand: bytes | None = None,
    tap_merkle_root: bytes | None = None,
) -> bytes:
    """Sign one input in place (its scriptSig and witness) and return the signature pushed.

    ``spent_outputs`` has one entry per input (taproot commits to all of them). The default
    sighash type is ALL for ECDSA and DEFAULT for taproot. A taproot output is BIP86 (no
    script tree) unless ``tap_merkle_root`` is given; either way this signs the key path.
    """
    if not 0 <= input_index < len(tx.inputs):
        raise SigningError(
            f"input index {input_index} is out of range: the transaction has "
            f"{len(tx.inputs)} inputs"
        )
    if len(spent_outputs) != len(tx.inputs):
        raise SigningError(
            f"{len(spent_outputs)} spent outputs given for {len(tx.inputs)} inputs; "
            "give the output spent by every input, in input order"
        )
    spent = spent_outputs[input_index]
    if script_type is None:
        script_type = infer_script_type(spent.script_pubkey, secret)
    if cache is None:
        cache = SighashCache(tx, spent_outputs)
    txin = tx.inputs[input_index]

    if script_type == ScriptType.P2TR:
        htype = SIGHASH_DEFAULT if sighash_type is None else sighash_type
        if htype not in TAPROOT_SIGHASH_TYPES:
            raise SigningError(f"sighash type 0x{htype:02x} is not valid for taproot")
        internal = xonly_public_key(secret)
        if spent.script_pubkey != p2tr_script(taproot_output_key(internal, tap_merkle_root)[0]):
            raise SigningError(
                f"input {input_index}: the key's taproot output does not match the output "
                "being spent"
            )
        digest = cache.taproot(input_index, htype)
        sig = sign_schnorr(taproot_tweak_seckey(secret, tap_merkle_root), digest, aux_rand)
        if htype != SIGHASH_DEFAULT:
            sig += bytes([htype])
        txin.script_sig = b""
        txin.witness = [sig]
        return sig

    htype = SIGHASH_ALL if sighash_type is None else sighash_type
    if htype not in ECDSA_SIGHASH_TYPES:
        raise SigningError(
            f"sighash type 0x{htype:02x} is not one of ALL, NONE, SINGLE (optionally with "
            "ANYONECANPAY) for an ECDSA signature"
        )
    pub = public_key(secret)
    pkh = hash160(pub)
    if script_type == ScriptType.P2PKH:
        if spent.script_pubkey == p2pkh_script(pkh):
            key_bytes = pub
        elif spent.script_pubkey == p2pkh_script(hash160(public_key(secret, False))):
            key_bytes = public_key(secret, False)
        else:
            raise SigningError(f"input {input_index}: the key does not match the P2PKH output")
        if htype & 0x1F == SIGHASH_SINGLE and input_index >= len(tx.outputs):
            raise SigningError(
                f"input {input_index}: refusing a legacy SIGHASH_SINGLE signature without an "
                f"output {input_index}; it would sign the constant 1 (valid for any transaction)"
            )
        digest = cache.legacy(input_index, spent.script_pubkey, htype)
        sig = sign_ecdsa(secret, digest) + bytes([htype])
        txin.script_sig = push_data(sig) + push_data(key_bytes)
        txin.witness = []
        return sig

    if script_type == ScriptType.P2WPKH:
        expected = p2wpkh_script(pkh)
    elif script_type == ScriptType.P2SH_P2WPKH:
        expected = p2sh_script(hash160(p2wpkh_script(pkh)))
    else:
        raise SigningError(f"cannot sign a {script_type} input")
    if spent.script_pubkey != expected:
        raise SigningError(
            f"input {input_index}: the key does not match the {script_type} output being spent"
        )
    digest = cache.segwit_v0(input_index, p2pkh_script(pkh), spent.value, htype)
    sig = sign_ecdsa(secret, digest) + bytes([htype])
    txin.script_sig = (
        push_data(p2wpkh_script(pkh)) if script_type == ScriptType.P2SH_P2WPKH else b""
    )
    txin.witness = [sig, pub]
    return sig


KeySource = Mapping[int, bytes] | Callable[[int, TxOut], bytes | None] | Iterable[bytes]


def sign_transaction(
    tx: Transaction,
    keys: KeySource,
    spent_outputs: Sequence[TxOut],
    sighash_type: int | None = None,
    *,
    require_all: bool = True,
) -> list[int]:
    """Sign every input there is a key for; return the indices signed.

    ``keys`` is one of: a mapping input index -> secret; a function (index, spent output) ->
    secret or None; or a collection of secrets, matched against each spent scriptPubKey.
    With ``require_all`` an input without a key is a SigningError.
    """
    if len(spent_outputs) != len(tx.inputs):
        raise SigningError(
            f"{len(spent_outputs)} spent outputs given for {len(tx.inputs)} inputs; "
            "give the output spent by every input, in input order"
        )
    lookup: Callable[[int, TxOut], bytes | None]
    if isinstance(keys, Mapping):
        mapping = keys

        def by_index(i: int, _out: TxOut) -> bytes | None:
            return mapping.get(i)

        lookup = by_index
    elif callable(keys):
        lookup = keys
    else:
        by_script: dict[bytes, bytes] = {}
        for secret in keys:
            for script in output_scripts(secret):
                by_script.setdefault(script, secret)

        def by_output(_i: int, out: TxOut) -> bytes | None:
            return by_script.get(out.script_pubkey)

        lookup = by_output

    cache = SighashCache(tx, spent_outputs)
    signed = []
    for i, out in enumerate(spent_outputs):
        key = lookup(i, out)
        if key is None:
            if require_all:
                raise SigningError(f"no key for input {i} ({classify(out.script_pubkey)})")
            continue
        sign_input(tx, i, key, spent_outputs, sighash_type=sighash_type, cache=cache)
        signed.append(i)
    return signed
