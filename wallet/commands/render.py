"""How the command line shows a transaction before it is signed: text lines and ``--json``.

``wallet.payments.send`` decides what a payment, bump or PSBT is; this module only says it,
for ``paylight pay|send|bump|psbt`` (the GUI shows the same fields in its own widgets).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from wallet.account.tx_builder import TxReview
from wallet.bitcoin.amount import format_btc
from wallet.payments.send import FeeChoice, PsbtView


def review_lines(review: TxReview) -> list[str]:
    """What the user approves, as lines of text (CLI; the GUI shows the same fields)."""
    lines = []
    if review.replaces:
        lines.append(f"replaces:  {review.replaces} (fee bump)")
    for address, amount in review.recipients:
        lines.append(f"pay:       {format_btc(amount)} BTC ({amount:,} sat) to {address}")
    if review.change is not None:
        address, amount = review.change
        kind = "keep:      " if not review.recipients else "change:    "
        lines.append(f"{kind}{format_btc(amount)} BTC ({amount:,} sat) to {address} (yours)")
    lines.append(
        f"fee:       {review.fee:,} sat ({review.fee_rate:.2f} sat/vB for ~{review.vsize} vB)"
    )
    if review.package_fee_rate is not None:
        lines.append(f"package:   {review.package_fee_rate:.2f} sat/vB with its parent")
    spent = sum(v for _, v in review.inputs)
    lines.append(f"inputs:    {len(review.inputs)} coin(s), {spent:,} sat")
    lines.append(f"RBF:       {'signalled (the fee can be raised later)' if review.rbf else 'no'}")
    for w in review.warnings:
        lines.append(f"warning:   {w.message}")
    return lines


def review_json(review: TxReview) -> dict[str, Any]:
    return {
        "recipients": [{"address": a, "amount_sat": v} for a, v in review.recipients],
        "change": None
        if review.change is None
        else {"address": review.change[0], "amount_sat": review.change[1]},
        "fee_sat": review.fee,
        "vsize": review.vsize,
        "fee_rate": str(review.fee_rate.quantize(Decimal("0.001"))),
        # a CPFP child: the rate of parent and child together, what miners weigh
        "package_fee_rate": None
        if review.package_fee_rate is None
        else str(review.package_fee_rate.quantize(Decimal("0.001"))),
        "inputs": [{"outpoint": str(o), "value_sat": v} for o, v in review.inputs],
        "rbf": review.rbf,
        "replaces": review.replaces,
        "warnings": [
            {"code": w.code, "message": w.message, "needs_confirmation": w.needs_confirmation}
            for w in review.warnings
        ],
    }


def fee_choice_text(fee: FeeChoice) -> str:
    """``2 sat/vB (estimate: 2-block target)``."""
    return f"{fee.rate} ({fee.source}{': ' + fee.note if fee.note else ''})"


def psbt_lines(view: PsbtView) -> list[str]:
    """What ``paylight psbt show`` prints: inputs, outputs, fee, state, warnings."""
    out = [f"txid:      {view.txid}"]
    for i, txin in enumerate(view.inputs):
        value = "value unknown" if txin.value is None else f"{txin.value:,} sat"
        where = f" from {txin.address}" if txin.address else ""
        mark = " (yours)" if txin.own else ""
        state = "finalized" if txin.finalized else ("signed" if txin.signed else "unsigned")
        source = f" [{txin.amount_label}]" if txin.value is not None else ""
        out.append(f"input {i}:   {txin.outpoint} {value}{source}{where}{mark}, {state}")
    for i, o in enumerate(view.outputs):
        mark = f" (yours: {o.own})" if o.own else ""
        out.append(f"output {i}:  {format_btc(o.value)} BTC ({o.value:,} sat) to {o.address}{mark}")
    if view.fee is None:
        out.append("fee:       unknown (the PSBT lacks the value of an input)")
    else:
        about = "" if view.complete else "~"
        size = "" if view.vsize is None else f" for {about}{view.vsize} vB"
        rate = "" if view.fee_rate is None else f" ({view.fee_rate:.2f} sat/vB{size})"
        trust = "" if all(i.verified for i in view.inputs) else " UNVERIFIED"
        out.append(f"fee:       {view.fee:,} sat{rate}{trust}")
    out.append(f"RBF:       {'signalled' if view.rbf else 'no'}; locktime {view.locktime}")
    out.append(f"complete:  {'yes, ready to broadcast' if view.complete else 'no'}")
    out += [f"warning:   {w.message}" for w in view.warnings]
    return out


def psbt_json(view: PsbtView) -> dict[str, Any]:
    return {
        "txid": view.txid,
        "version": view.version,
        "locktime": view.locktime,
        "rbf": view.rbf,
        "inputs": [
            {
                "outpoint": str(i.outpoint),
                "value_sat": i.value,
                "value_source": i.amount_source,
                "value_verified": i.verified,
                "address": i.address,
                "own": i.own,
                "signed": i.signed,
                "finalized": i.finalized,
            }
            for i in view.inputs
        ],
        "outputs": [
            {"address": o.address, "value_sat": o.value, "own": o.own} for o in view.outputs
        ],
        "fee_sat": view.fee,
        "fee_verified": view.fee is not None and all(i.verified for i in view.inputs),
        "vsize": view.vsize,
        "fee_rate": None
        if view.fee_rate is None
        else str(view.fee_rate.quantize(Decimal("0.001"))),
        "complete": view.complete,
        "warnings": [
            {"code": w.code, "message": w.message, "needs_confirmation": w.needs_confirmation}
            for w in view.warnings
        ],
    }
