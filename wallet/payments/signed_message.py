"""Verifying a signed message in whichever format it came: what the CLI and the app both show.

A signature is either the legacy ``signmessage`` form (65 bytes in base64: a recoverable ECDSA
signature whose header byte says the address type, BIP137, or Electrum's header for every type)
or BIP322 (``smp``/``ful`` + base64, or an unprefixed simple witness). The answer names the
format it found, so a person can tell a legacy signature from a BIP322 one. Scripts Paylight does
not interpret itself (P2WSH, Taproot script paths) go to Bitcoin Core's script interpreter
(libbitcoinkernel), as BIP322 allows a full validator to decide them.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from wallet.bitcoin import bip322
from wallet.bitcoin.address import parse_address
from wallet.bitcoin.errors import BitcoinError
from wallet.bitcoin.message import verify_message
from wallet.bitcoin.script import ScriptType, classify

#: ``MessageCheck.format`` values
LEGACY = "legacy"  # BIP137 header for the address type
LEGACY_ELECTRUM = "legacy-electrum"  # Electrum's compressed-P2PKH header on a SegWit address
BIP322_SIMPLE = "bip322-simple"
BIP322_FULL = "bip322-full"


@dataclass(frozen=True)
class MessageCheck:
    """The verdict on one signed message, and the format the signature was read as."""

    verdict: str  # "valid", "invalid" or "inconclusive" (bip322.Verdict's values)
    format: str  # LEGACY, LEGACY_ELECTRUM, BIP322_SIMPLE or BIP322_FULL
    reason: str = ""

    @property
    def valid(self) -> bool:
        return self.verdict == "valid"

    @property
    def family(self) -> str:
        """The family, legacy or bip322 (what ``paylight message verify --json`` reports)."""
        return "bip322" if self.format.startswith("bip322") else "legacy"


def kernel_interpreter() -> Any:
    """Bitcoin Core's script interpreter (libbitcoinkernel) for BIP322's other scripts, or None."""
    try:
        import pbk
    except ImportError:
        return None

    def run(tx: Any, spent: Any) -> bool:
        ktx = pbk.Transaction(tx.serialize())
        outs = [pbk.TransactionOutput(pbk.ScriptPubkey(spent.script_pubkey), spent.value)]
        pre = pbk.script.PrecomputedTransactionData(ktx, outs)
        try:
            return bool(
                pbk.ScriptPubkey(spent.script_pubkey).verify(
                    spent.value, ktx, pre, 0, pbk.ScriptVerificationFlags.ALL
                )
            )
        except pbk.ScriptVerifyException:
            return False

    return run


def is_legacy(signature: str) -> bool:
    """A legacy signature: 65 bytes of base64, no BIP322 prefix."""
    text = signature.strip()
    if text[:3] in ("smp", "ful", "pof"):
        return False
    try:
        return len(base64.b64decode(text, validate=True)) == 65
    except (binascii.Error, ValueError):
        return False


def _legacy_format(address: str, signature: str, network: str) -> str:
    header = base64.b64decode(signature.strip())[0]  # is_legacy checked it decodes
    kind = classify(parse_address(address, network).script_pubkey)
    electrum = 31 <= header < 35 and kind is not ScriptType.P2PKH
    return LEGACY_ELECTRUM if electrum else LEGACY


def verify_signed_message(address: str, message: str, signature: str, network: str) -> MessageCheck:
    """Whether ``signature`` signs ``message`` with ``address``'s key, in any supported format.

    AddressError when ``address`` is not an address of ``network``; a signature that cannot be
    read is *invalid*, with the reason.
    """
    parse_address(address, network)  # an address of another network: a sentence, not "invalid"
    if is_legacy(signature):
        fmt = _legacy_format(address, signature, network)
        try:
            valid = verify_message(address, signature, message, network)
        except BitcoinError as exc:
            return MessageCheck("invalid", fmt, str(exc))
        if valid:
            return MessageCheck("valid", fmt)
        return MessageCheck(
            "invalid", fmt, "the signature is not by this address's key, or for another message"
        )
    fmt = BIP322_FULL if signature.strip().startswith("ful") else BIP322_SIMPLE
    result = bip322.verify(address, message, signature, network, interpreter=kernel_interpreter())
    return MessageCheck(str(result.verdict), fmt, result.reason)


__all__ = [
    "BIP322_FULL",
    "BIP322_SIMPLE",
    "LEGACY",
    "LEGACY_ELECTRUM",
    "MessageCheck",
    "is_legacy",
    "kernel_interpreter",
    "verify_signed_message",
]
