"""Signed messages in the legacy ``signmessage`` format (Bitcoin Core, BIP137, Electrum).

A signature is 65 bytes, base64: a header byte, then R and S of a recoverable ECDSA signature
over ``sha256d(varstr("Bitcoin Signed Message:\\n") + varstr(message))``. The header tells the
verifier how to recover the key (27 + recovery id) and what address it stands for: +4 for a
compressed key (P2PKH as Core writes it, and any address type as Electrum writes it), +8 for
P2SH-P2WPKH and +12 for P2WPKH (BIP137, as Trezor, Coldcard and Sparrow write them).

Verification recovers the public key and accepts the signature when that key's address of the
type the header names equals the address given; a compressed-key header without a BIP137 type
(31-34) is checked against the key's P2PKH, P2WPKH and P2SH-P2WPKH addresses, as Electrum does.
"""

from __future__ import annotations

import base64
import binascii
import enum

from coincurve import PrivateKey, PublicKey

from wallet.bitcoin.address import (
    p2pkh_address,
    p2sh_p2wpkh_address,
    p2wpkh_address,
    parse_address,
)
from wallet.bitcoin.errors import BitcoinError, SigningError
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.networks import Network
from wallet.bitcoin.script import ScriptType
from wallet.bitcoin.serialize import encode_bytes

MAGIC = b"Bitcoin Signed Message:\n"


class MessageError(BitcoinError):
    """A message signature that cannot be made or read."""


class HeaderStyle(enum.Enum):
    BIP137 = "bip137"  # the header names the address type (Trezor, Coldcard, Sparrow)
    ELECTRUM = "electrum"  # 31-34 for every compressed key (Electrum, Core for P2PKH)


def message_hash(message: str | bytes) -> bytes:
    raw = message.encode("utf-8") if isinstance(message, str) else bytes(message)
    return sha256d(encode_bytes(MAGIC) + encode_bytes(raw))


_TYPE_OFFSET = {ScriptType.P2PKH: 4, ScriptType.P2SH_P2WPKH: 8, ScriptType.P2WPKH: 12}


def sign_message(
    secret: bytes,
    message: str | bytes,
    script_type: ScriptType = ScriptType.P2PKH,
    *,
    compressed: bool = True,
    style: HeaderStyle = HeaderStyle.BIP137,
) -> str:
    """A base64 signature of ``message`` by ``secret`` for an address of ``script_type``."""
    if script_type not in _TYPE_OFFSET:
        raise SigningError(
            f"the legacy message format has no {script_type} addresses; use BIP322 instead"
        )
    if not compressed and script_type is not ScriptType.P2PKH:
        raise SigningError("segwit addresses use compressed keys only")
    recoverable = PrivateKey(secret).sign_recoverable(message_hash(message), hasher=None)
    recid = recoverable[64]
    if not compressed:
        header = 27 + recid
    elif style is HeaderStyle.ELECTRUM:
        header = 31 + recid
    else:
        header = 27 + _TYPE_OFFSET[script_type] + recid
    return base64.b64encode(bytes([header]) + recoverable[:64]).decode()


def recover_public_key(signature: str, message: str | bytes) -> tuple[bytes, int]:
    """``(public key as the header says to encode it, header byte)``."""
    try:
        raw = base64.b64decode(signature.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise MessageError("the signature is not base64 text") from None
    if len(raw) != 65:
        raise MessageError(f"a legacy message signature is 65 bytes, this one is {len(raw)}")
    header = raw[0]
    if not 27 <= header <= 42:
        raise MessageError(f"the signature's header byte {header} is not 27 to 42")
    recid = (header - 27) & 3
    try:
        key = PublicKey.from_signature_and_message(
            raw[1:] + bytes([recid]), message_hash(message), hasher=None
        )
    except (ValueError, TypeError):  # libsecp256k1 refuses an unrecoverable signature
        raise MessageError("no public key can be recovered from this signature") from None
    return key.format(compressed=header >= 31), header


def verify_message(
    address: str, signature: str, message: str | bytes, network: Network | str
) -> bool:
    """True when ``signature`` signs ``message`` with the key of ``address``.

    MessageError for a signature that is not one (bad base64, length or header);
    AddressError for an address that is not one of ``network``.
    """
    parsed = parse_address(address, network)
    pubkey, header = recover_public_key(signature, message)
    if header < 31:
        candidates = [p2pkh_address(pubkey, network)]
    elif header < 35:
        candidates = [
            p2pkh_address(pubkey, network),
            p2wpkh_address(pubkey, network),
            p2sh_p2wpkh_address(pubkey, network),
        ]
    elif header < 39:
        candidates = [p2sh_p2wpkh_address(pubkey, network)]
    else:
        candidates = [p2wpkh_address(pubkey, network)]
    mine = {parse_address(c, network).script_pubkey for c in candidates}
    return parsed.script_pubkey in mine


__all__ = [
    "HeaderStyle",
    "MessageError",
    "message_hash",
    "recover_public_key",
    "sign_message",
    "verify_message",
]
