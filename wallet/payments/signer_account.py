"""A watch-only account from what an air-gapped signer shows: its account QR or text export.

Signers show their account as a BC-UR (``crypto-account``/``account-descriptor`` with several
script types, ``crypto-output``/``output-descriptor``, ``crypto-hdkey``), as a descriptor, as a
key with its origin (``[fingerprint/84h/0h/0h]xpub...``), or as a bare SLIP-132 key
(``zpub``/``ypub``...). All become public receive and change descriptors with key origins, so
the PSBTs the watch-only wallet makes tell the signer which keys to use.

Every check that can catch a wrong key happens here, before a wallet exists: the account's
master fingerprint must be the one its keys' origins name (and the one the user read off the
signer, when given); a key's depth must match its origin path, and a depth-1 key's parent must
be the master; the path's purpose must fit the script type; multisig keys (``Zpub``...) are
refused with a sentence, since these wallets are single-signature.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wallet.account.setup import (
    AccountDescriptors,
    ScriptChoice,
    watch_only_descriptors,
)
from wallet.bitcoin.base58 import b58check_decode
from wallet.bitcoin.bip32 import ExtendedKey
from wallet.bitcoin.descriptors import parse_descriptor
from wallet.bitcoin.errors import BitcoinError, DescriptorError
from wallet.bitcoin.networks import get_network
from wallet.bitcoin.script import ScriptType
from wallet.errors import PaylightError
from wallet.payments.animated_qr import CollectedCode, Standard
from wallet.payments.qr_errors import AnimatedQRError
from wallet.payments.ur import registry
from wallet.payments.ur.ur import UR, decode_single, is_ur


class SignerAccountError(PaylightError, ValueError):
    """A signer's account export that cannot become a watch-only wallet."""


#: SLIP-132 multisig key versions (Ypub/Zpub/Upub/Vpub), refused with a sentence.
_MULTISIG_VERSIONS = {
    bytes.fromhex("0295b43f"): "Ypub",
    bytes.fromhex("02aa7ed3"): "Zpub",
    bytes.fromhex("024289ef"): "Upub",
    bytes.fromhex("02575483"): "Vpub",
}
#: Script types a single-key account can have, by descriptor function and BIP purpose.
_SCRIPT_BY_FUNCTION = {
    "wpkh": ScriptChoice.P2WPKH,
    "tr": ScriptChoice.P2TR,
    "sh": ScriptChoice.P2SH_P2WPKH,
    "pkh": ScriptChoice.P2PKH,
}
_SCRIPT_BY_PURPOSE = {c.purpose: c for c in ScriptChoice}
_SCRIPT_BY_SLIP132 = {
    ScriptType.P2WPKH: ScriptChoice.P2WPKH,
    ScriptType.P2SH_P2WPKH: ScriptChoice.P2SH_P2WPKH,
}
_PREFERENCE = (ScriptChoice.P2WPKH, ScriptChoice.P2TR, ScriptChoice.P2SH_P2WPKH, ScriptChoice.P2PKH)
_ORIGIN_KEY = re.compile(
    r"^\[([0-9a-fA-F]{8})((?:/[0-9]+['hH]?)*)\]([1-9A-HJ-NP-Za-km-z]{100,120})(/.*)?$"
)


@dataclass(frozen=True)
class SignerAccount:
    descriptors: AccountDescriptors
    script: ScriptChoice
    source: str  # "crypto-account", "descriptor", "key with origin", "extended key"...
    master_fingerprint: str | None


def _script_of(text: str) -> ScriptChoice | None:
    function = text.split("(", 1)[0].strip()
    if function == "sh" and not text.replace(" ", "").startswith("sh(wpkh("):
        return None
    return _SCRIPT_BY_FUNCTION.get(function)


def _refuse_multisig_key(text: str) -> None:
    for word in re.findall(r"[1-9A-HJ-NP-Za-km-z]{100,120}", text):
        try:
            version = b58check_decode(word)[:4]
        except BitcoinError:
            continue
        if version in _MULTISIG_VERSIONS:
            raise SignerAccountError(
                f"This is a {_MULTISIG_VERSIONS[version]}, a key of a multisig wallet; Paylight's "
                "watch-only wallets are single-signature. Export the signer's single-signature "
                "account (zpub, ypub or its descriptor) instead."
            )


def _check_origin(descriptor_text: str, network: str) -> str | None:
    """The master fingerprint the descriptor's key origin names, after checking the key's depth
    (and parent, at depth 1) against the origin path and the path's purpose against the script."""
    parts = parse_descriptor(descriptor_text, network).split_multipath()
    key_origins = re.findall(r"\[([0-9a-fA-F]{8})((?:/[0-9]+['hH]?)*)\]", descriptor_text)
    if not key_origins:
        return None
    fingerprint, path_text = key_origins[0]
    steps = [s for s in path_text.split("/") if s]
    ext = None
    for key in re.findall(r"\]([1-9A-HJ-NP-Za-km-z]{100,120})", descriptor_text)[:1]:
        ext = ExtendedKey.parse(key)
    if ext is not None:
        if ext.depth != len(steps):
            raise SignerAccountError(
                f"The key's origin [{fingerprint}{path_text}] has {len(steps)} steps, but the key "
                f"itself is at depth {ext.depth}: they do not belong together."
            )
        if ext.depth == 1 and ext.parent_fingerprint.hex() != fingerprint.lower():
            raise SignerAccountError(
                f"The key's parent is {ext.parent_fingerprint.hex()}, not the master "
                f"{fingerprint.lower()} its origin names."
            )
    script = _script_of(parts[0].to_string())
    if steps and script is not None:
        purpose = int(steps[0].rstrip("'hH"))
        expected = _SCRIPT_BY_PURPOSE.get(purpose)
        if expected is not None and expected is not script:
            raise SignerAccountError(
                f"The key was derived for {expected.label.split(' —')[0]} (purpose {purpose}), "
                f"but the descriptor spends it as {script.label.split(' —')[0]}."
            )
    return fingerprint.lower()


def _from_descriptor(text: str, network: str, source: str) -> SignerAccount:
    _refuse_multisig_key(text)
    script = _script_of(text)
    if script is None:
        raise SignerAccountError(
            "This descriptor is not a single-key account (wpkh, tr, sh(wpkh) or pkh); Paylight's "
            "watch-only wallets are single-signature."
        )
    fingerprint = _check_origin(text, network)
    descriptors = watch_only_descriptors(text, network)
    descriptors = AccountDescriptors(descriptors.receive, descriptors.change, fingerprint)
    return SignerAccount(descriptors, script, source, fingerprint)


def _from_origin_key(match: re.Match, network: str, script: ScriptChoice | None) -> SignerAccount:
    fingerprint, path_text, key_text, tail = match.groups()
    ext = ExtendedKey.parse(key_text, get_network(network))
    steps = [s for s in path_text.split("/") if s]
    from_prefix = _SCRIPT_BY_SLIP132.get(ext.script_type) if ext.script_type else None
    from_purpose = _SCRIPT_BY_PURPOSE.get(int(steps[0].rstrip("'hH"))) if steps else None
    chosen = from_prefix or script or from_purpose or ScriptChoice.P2WPKH
    plain = ext.serialize("tpub" if ext.network.is_test else "xpub")
    children = tail.lstrip("/") if tail else "<0;1>/*"
    text = chosen.wrap(f"[{fingerprint}{path_text}]{plain}/{children}")
    return _from_descriptor(text, network, "key with origin")


def _from_account(
    account: registry.Account, network: str, script: ScriptChoice | None, source: str
) -> SignerAccount:
    fingerprint = account.master_fingerprint.hex()
    usable: dict[ScriptChoice, registry.OutputDescriptor] = {}
    for out in account.outputs:
        choice = _script_of(out.text)
        if choice is not None and choice not in usable:
            usable[choice] = out
    if not usable:
        raise SignerAccountError(
            "The signer's account holds no single-signature script type this wallet can watch."
        )
    if script is not None and script not in usable:
        names = ", ".join(c.name.lower().replace("_", "-") for c in usable)
        raise SignerAccountError(
            f"The signer's account has no {script.name.lower().replace('_', '-')} keys; it "
            f"offers {names}."
        )
    chosen = script or next(c for c in _PREFERENCE if c in usable)
    out = usable[chosen]
    for key in out.keys:
        origin = key.origin
        if origin is not None and origin.source_fingerprint is not None:
            named = f"{origin.source_fingerprint:08x}"
            if fingerprint != "00000000" and named != fingerprint:
                raise SignerAccountError(
                    f"The account says its master fingerprint is {fingerprint}, but its key was "
                    f"derived from {named}: the export is inconsistent."
                )
    result = _from_descriptor(out.text, network, source)
    if fingerprint == "00000000":
        return result
    descriptors = AccountDescriptors(
        result.descriptors.receive, result.descriptors.change, fingerprint
    )
    return SignerAccount(descriptors, chosen, source, fingerprint)


def parse_signer_account(
    export: str | CollectedCode,
    network: str,
    *,
    script: ScriptChoice | None = None,
    fingerprint: str | None = None,
) -> SignerAccount:
    """The watch-only account in a signer's export (a scanned code or pasted text).

    ``fingerprint`` (8 hex digits, as the signer shows it) must match the export's master
    fingerprint. ``script`` picks a script type when the export offers several (default:
    native SegWit, then Taproot, nested SegWit, legacy) and for a bare xpub.
    """
    net = get_network(network)
    try:
        account = _parse(export, net.name, script)
    except AnimatedQRError as exc:
        raise SignerAccountError(f"The signer's account code cannot be read: {exc}") from None
    except (BitcoinError, DescriptorError) as exc:
        raise SignerAccountError(f"The signer's account cannot be used: {exc}") from None
    if fingerprint is not None:
        wanted = fingerprint.strip().lower()
        if not re.fullmatch(r"[0-9a-f]{8}", wanted):
            raise SignerAccountError("A master fingerprint is 8 hex digits, such as 37b5eed4.")
        if account.master_fingerprint is None:
            raise SignerAccountError(
                "This export carries no master fingerprint to check; export the account with "
                "its key origin ([fingerprint/path]) or as a UR."
            )
        if account.master_fingerprint != wanted:
            raise SignerAccountError(
                f"The export's master fingerprint is {account.master_fingerprint}, not {wanted}: "
                "it is another wallet (or another passphrase) than the one on the signer."
            )
    return account


def _parse(export: str | CollectedCode, network: str, script: ScriptChoice | None) -> SignerAccount:
    if isinstance(export, CollectedCode):
        if export.standard is Standard.UR:
            ur = export.ur
            assert ur is not None
            return _from_ur(ur, network, script)
        if export.standard is Standard.BBQR and export.type not in ("U", "J"):
            raise SignerAccountError("This BBQr code holds a file, not an account export.")
        return _parse(export.text(), network, script)
    text = export.strip()
    if not text:
        raise SignerAccountError("The signer's export is empty.")
    if is_ur(text):
        return _from_ur(decode_single(text), network, script)
    _refuse_multisig_key(text)
    match = _ORIGIN_KEY.match(text)
    if match:
        return _from_origin_key(match, network, script)
    if "(" in text:
        lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
        if len(lines) > 1:  # one descriptor per line: receive and change, or several scripts
            lines = [ln.split("#")[0] for ln in lines]
            by_script: dict[ScriptChoice | None, str] = {}
            for line in lines:
                known = by_script.setdefault(_script_of(line), line)
                if line == known.replace("/0/*", "/1/*") and line != known:  # its change chain
                    by_script[_script_of(line)] = known.replace("/0/*", "/<0;1>/*")
            chosen = script or next((c for c in _PREFERENCE if c in by_script), None)
            if chosen is None or chosen not in by_script:
                raise SignerAccountError("None of these descriptors is a single-key account.")
            return _from_descriptor(by_script[chosen], network, "descriptor")
        return _from_descriptor(text, network, "descriptor")
    descriptors = watch_only_descriptors(text, network, script or ScriptChoice.P2WPKH)
    chosen = _script_of(descriptors.receive) or ScriptChoice.P2WPKH
    return SignerAccount(descriptors, chosen, "extended key", None)


def _from_ur(ur: UR, network: str, script: ScriptChoice | None) -> SignerAccount:
    account = registry.decode_account_ur(ur, get_network(network))
    return _from_account(account, network, script, ur.type)


__all__ = ["SignerAccount", "SignerAccountError", "parse_signer_account"]
