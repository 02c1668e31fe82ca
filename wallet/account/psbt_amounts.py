"""Where each PSBT input's amount comes from, and whether a signature can trust it.

A segwit v0 signature (BIP143) commits to the amount of its own input only. A PSBT's
``witness_utxo`` is whatever its maker wrote, so two signing sessions can each be shown a small
fee -- each lying about a *different* input -- and the honest signature from each session
combine into one transaction that pays a far larger fee (CVE-2020-14199). So an amount is taken
as verified only when it comes from

* the wallet's own record of the transaction that made the coin (it hashes to the txid the
  input spends), or
* the PSBT's ``non_witness_utxo``: the whole previous transaction, whose txid must be the one
  the input spends (the PSBT parser checks it), or
* BIP341: when every input is taproot and every spent output is given, each taproot signature
  commits to *all* the amounts and scripts, so a lie about any of them makes every signature
  invalid instead of the fee larger than shown.

A ``witness_utxo`` that contradicts a verified source is a lie and is always refused.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wallet.bitcoin.errors import SigningError
from wallet.bitcoin.script import ScriptType, classify
from wallet.bitcoin.transaction import TxOut

if TYPE_CHECKING:
    from wallet.account.database import WalletDatabase
    from wallet.bitcoin.psbt import PSBT


class AmountSource(enum.StrEnum):
    WALLET = "wallet"
    NON_WITNESS_UTXO = "non_witness_utxo"
    TAPROOT = "taproot"
    UNVERIFIED = "unverified"
    MISSING = "missing"
    CONTRADICTED = "contradicted"


_LABELS = {
    AmountSource.WALLET: "verified: the wallet's own record",
    AmountSource.NON_WITNESS_UTXO: "verified: the PSBT's full previous transaction",
    AmountSource.TAPROOT: "committed: every input is taproot (BIP341 signs every amount)",
    AmountSource.UNVERIFIED: "UNVERIFIED: only the PSBT's witness_utxo says so",
    AmountSource.MISSING: "unknown",
    AmountSource.CONTRADICTED: "CONTRADICTED",
}


class UnverifiedAmountsError(SigningError):
    """A PSBT input's amount has no source a signature can trust (or a lying one)."""


@dataclass(frozen=True)
class InputAmount:
    """What input ``index`` spends, and where that came from."""

    index: int
    txout: TxOut | None
    source: AmountSource
    #: for CONTRADICTED: what the PSBT claims against what the verified source says
    detail: str = ""

    @property
    def verified(self) -> bool:
        return self.source in (
            AmountSource.WALLET,
            AmountSource.NON_WITNESS_UTXO,
            AmountSource.TAPROOT,
        )

    @property
    def label(self) -> str:
        text = _LABELS[self.source]
        return f"{text} ({self.detail})" if self.detail else text


def input_amounts(psbt: PSBT, db: WalletDatabase | None = None) -> tuple[InputAmount, ...]:
    """Each input's spent output with its source (see the module docstring)."""
    out = []
    for i, txin in enumerate(psbt.tx.inputs):
        m = psbt.inputs[i]
        prevout = txin.prevout
        claimed = m.witness_utxo
        known: TxOut | None = None
        source = None
        if db is not None:
            record = db.transaction_record(prevout.txid)
            if record is not None:
                tx = record.transaction()
                if tx.txid() == prevout.txid and prevout.vout < len(tx.outputs):
                    known, source = tx.outputs[prevout.vout], AmountSource.WALLET
        previous = m.non_witness_utxo
        if previous is not None and previous.txid() == prevout.txid:  # the parser checked it
            spent = previous.outputs[prevout.vout]
            if known is not None and spent != known:
                out.append(_contradiction(i, spent, known, "its non_witness_utxo"))
                continue
            if known is None:
                known, source = spent, AmountSource.NON_WITNESS_UTXO
        if known is not None and claimed is not None and claimed != known:
            out.append(_contradiction(i, claimed, known, "its witness_utxo"))
            continue
        if known is not None:
            assert source is not None
            out.append(InputAmount(i, known, source))
        elif claimed is not None:
            out.append(InputAmount(i, claimed, AmountSource.UNVERIFIED))
        else:
            out.append(InputAmount(i, None, AmountSource.MISSING))
    if out and all(
        a.txout is not None
        and a.source is not AmountSource.CONTRADICTED
        and classify(a.txout.script_pubkey) is ScriptType.P2TR
        for a in out
    ):
        out = [
            dataclasses.replace(a, source=AmountSource.TAPROOT)
            if a.source is AmountSource.UNVERIFIED
            else a
            for a in out
        ]
    return tuple(out)


def _contradiction(i: int, claimed: TxOut, known: TxOut, what: str) -> InputAmount:
    detail = (
        f"{what} says {claimed.value:,} sat, the transaction it spends pays {known.value:,} sat"
        if claimed.value != known.value
        else f"{what} names another script than the transaction it spends pays"
    )
    return InputAmount(i, known, AmountSource.CONTRADICTED, detail)


def require_verified(amounts: Sequence[InputAmount], *, allow_unverified: bool = False) -> None:
    """Refuse to sign a PSBT that lies about an amount, or (unless allowed) one whose amounts
    are unverified."""
    lies = [a for a in amounts if a.source is AmountSource.CONTRADICTED]
    if lies:
        raise UnverifiedAmountsError(
            "the PSBT lies about what it spends: "
            + "; ".join(f"input {a.index}: {a.detail}" for a in lies)
            + ". Nothing was signed"
        )
    unverified = [str(a.index) for a in amounts if not a.verified]
    if unverified and not allow_unverified:
        raise UnverifiedAmountsError(
            f"the amount spent by input(s) {', '.join(unverified)} is unverified: only the "
            "PSBT's witness_utxo gives it, and a segwit v0 signature does not bind the other "
            "inputs' amounts (two signed PSBTs that each showed a small fee can be combined "
            "into one that pays far more, CVE-2020-14199). Sync the wallet that holds these "
            "coins, or give a PSBT with non_witness_utxo (the full previous transactions); "
            "--allow-unverified-amounts signs anyway, with the fee unverified"
        )


__all__ = [
    "AmountSource",
    "InputAmount",
    "UnverifiedAmountsError",
    "input_amounts",
    "require_verified",
]
