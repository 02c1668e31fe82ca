"""Signing messages with a wallet address's key: BIP322 or the legacy ``signmessage`` format.

The address must be one the wallet stores (receive or change); its key is derived from the
unlocked seed along the key origin its descriptor gives, and used only when the derived public
key is the address's -- the same rule :mod:`wallet.account.signer` applies to PSBTs. The
private key lives only in local variables here.
"""

from __future__ import annotations

import enum

from wallet.account.database import AddressRecord, Chain, WalletDatabase
from wallet.account.keystore import KeystoreSecret
from wallet.account.signer import master_key
from wallet.account.wallet_file import WalletConfig
from wallet.bitcoin import bip322
from wallet.bitcoin.address import parse_address
from wallet.bitcoin.descriptors import parse_descriptor
from wallet.bitcoin.errors import SigningError
from wallet.bitcoin.message import HeaderStyle, sign_message
from wallet.bitcoin.script import ScriptType
from wallet.bitcoin.signing import public_key


class MessageFormat(enum.StrEnum):
    BIP322 = "bip322"  # simple for native SegWit, full otherwise
    SIMPLE = "simple"
    FULL = "full"
    LEGACY = "legacy"  # BIP137 headers (Trezor, Coldcard, Sparrow)
    ELECTRUM = "electrum"  # legacy with Electrum's header for every address type


_LEGACY_TYPES = {
    "pkh": ScriptType.P2PKH,
    "sh-wpkh": ScriptType.P2SH_P2WPKH,
    "wpkh": ScriptType.P2WPKH,
}


def own_address(db: WalletDatabase, address: str, network: str) -> AddressRecord:
    """The wallet's record of ``address``; SigningError when the wallet has not derived it."""
    script = parse_address(address, network).script_pubkey
    record = db.address_by_script(script)
    if record is None:
        raise SigningError(
            f"{address} is not one of this wallet's addresses (only those it has derived)"
        )
    return record


def _key_for(
    config: WalletConfig,
    record: AddressRecord,
    secret: KeystoreSecret,
    passphrase: str | None,
) -> tuple[bytes, str]:
    """(private key, descriptor kind) of one of the wallet's own addresses."""
    address = record.address
    text = config.receive_descriptor if record.chain is Chain.RECEIVE else config.change_descriptor
    if text is None:
        raise SigningError(f"this wallet has no descriptor for {address}")
    descriptor = parse_descriptor(text, config.network)
    (origin,) = descriptor.key_origins(record.index)
    master = master_key(secret, config.network, passphrase=passphrase)
    if master.depth == 0:
        if origin.fingerprint != master.fingerprint:
            raise SigningError("the seed (or passphrase) gives another wallet than this one")
        path = origin.path
    else:
        path = origin.path[master.depth :]
    key = master.derive_path(list(path)).secret
    derived = public_key(key, len(origin.pubkey) == 33)
    if derived[-32:] != origin.pubkey[-32:]:
        raise SigningError("the seed does not give this address's key: check the passphrase")
    return key, descriptor.kind


def sign_with_wallet(
    config: WalletConfig,
    db: WalletDatabase,
    secret: KeystoreSecret,
    address: str,
    message: str,
    fmt: MessageFormat = MessageFormat.BIP322,
    *,
    passphrase: str | None = None,
) -> str:
    """The signature of ``message`` by ``address``'s key, in ``fmt``."""
    record = own_address(db, address, config.network)
    return sign_for_address(config, record, secret, message, fmt, passphrase=passphrase)


def sign_for_address(
    config: WalletConfig,
    record: AddressRecord,
    secret: KeystoreSecret,
    message: str,
    fmt: MessageFormat = MessageFormat.BIP322,
    *,
    passphrase: str | None = None,
) -> str:
    """:func:`sign_with_wallet` for an address already looked up (:func:`own_address`): no
    database here, so the GUI signs on its worker pool."""
    key, kind = _key_for(config, record, secret, passphrase)
    address = record.address
    if fmt in (MessageFormat.LEGACY, MessageFormat.ELECTRUM):
        script_type = _LEGACY_TYPES.get(kind)
        if script_type is None:
            raise SigningError(
                "the legacy message format has no Taproot addresses; use --format bip322"
            )
        style = HeaderStyle.ELECTRUM if fmt is MessageFormat.ELECTRUM else HeaderStyle.BIP137
        return sign_message(key, message, script_type, style=style)
    full = {MessageFormat.SIMPLE: False, MessageFormat.FULL: True}.get(fmt)
    if full is False and kind in ("pkh", "sh-wpkh"):
        raise SigningError("a simple BIP322 signature is for native SegWit addresses; use full")
    return bip322.sign(key, address, message, config.network, full=full)


__all__ = ["MessageFormat", "own_address", "sign_for_address", "sign_with_wallet"]
