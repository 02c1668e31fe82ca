"""``paylight pay URI``: pay a BIP21/BIP321 payment request.

Syncs the wallet (coins and their states), builds the payment (fee rate from the servers unless
``--fee-rate``), shows what will happen -- address, amount, fee, change -- and asks. ``--yes``
answers for scripts; a fee above 5 % of the amount (or above the fee-rate ceiling) still needs
``--confirm-high-fee``. Then the wallet password (``--password-file``, ``$PAYLIGHT_PASSWORD`` or
a prompt) unlocks the keystore, the transaction is signed and broadcast to every server.
``--psbt-out FILE`` writes the unsigned PSBT instead (for signing elsewhere; no password).

The helpers here (``add_send_options``, ``review_and_send``) are shared by ``send`` and
``bump``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from wallet.commands import emit
from wallet.commands.wallet_common import CommandError, add_wallet_options


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "pay",
        parents=[common],
        help="pay a bitcoin: URI (BIP21/BIP321)",
        description="Pay a bitcoin: payment URI: shows the address, amount, fee and change, "
        "asks, then signs and broadcasts to every server.",
    )
    parser.add_argument("uri", metavar="URI", help="a bitcoin: URI (quote it in the shell)")
    parser.add_argument(
        "--amount", metavar="BTC", help="amount to pay when the URI names none (BTC, or Nsat)"
    )
    add_send_options(parser)
    parser.set_defaults(func=run)


def add_send_options(parser: argparse.ArgumentParser) -> None:
    add_wallet_options(parser, servers=True, password=True)
    parser.add_argument(
        "--fee-rate",
        metavar="SAT/VB",
        help="fee rate in sat/vB (default: the servers' estimate for 2 blocks)",
    )
    parser.add_argument("--yes", "-y", action="store_true", help="do not ask; send at once")
    parser.add_argument(
        "--confirm-high-fee",
        action="store_true",
        help="accept a fee above 5%% of the amount or above the usual fee-rate ceiling",
    )
    parser.add_argument(
        "--psbt-out",
        type=Path,
        metavar="FILE",
        help="write the unsigned PSBT (base64) to FILE instead of signing and sending",
    )


def parse_amount(text: str) -> int:
    """``0.001`` (BTC) or ``100000sat`` -> satoshis, read exactly as a person writes it
    (``wallet.bitcoin.amount`` in the C locale: "0,5" is half, "1,000" is refused as
    ambiguous, with how to write it)."""
    from wallet.bitcoin.amount import BTC, C_LOCALE, SAT, AmountError
    from wallet.bitcoin.amount import parse_amount as read_amount

    value, unit = text.strip().lower(), BTC
    if value.endswith(("sat", "sats")):
        value, unit = value.removesuffix("s").removesuffix("sat"), SAT
    try:
        return read_amount(value.removesuffix("btc"), unit, C_LOCALE)
    except AmountError as exc:
        raise CommandError(f"{text!r} is not an amount in {unit} ({exc})") from None


def ask(question: str, args: argparse.Namespace) -> bool:
    """A yes/no question on the terminal; without one, refuse with how to answer."""
    if getattr(args, "json", False) or sys.stdin is None or not sys.stdin.isatty():
        raise CommandError(f"{question} -- not asked: no terminal; add --yes to send anyway")
    answer = input(f"{question} [y/N] ").strip().lower()
    return answer in ("y", "yes")


def confirm(review: Any, args: argparse.Namespace) -> None:
    """Ask the user (or check ``--yes`` / ``--confirm-high-fee``); CommandError on no."""
    if not args.yes and not ask("Send this transaction?", args):
        raise CommandError("nothing was sent")
    if review.needs_confirmation and not args.confirm_high_fee:
        reasons = "; ".join(w.message for w in review.warnings if w.needs_confirmation)
        if args.yes:
            raise CommandError(f"{reasons}; add --confirm-high-fee to pay that much")
        if not ask(f"{reasons}. Really pay that much?", args):
            raise CommandError("nothing was sent")


async def fee_choice(sender: Any, args: argparse.Namespace) -> Any:
    from wallet.payments.send import parse_fee_rate

    return await sender.fee_rate(parse_fee_rate(getattr(args, "fee_rate", None)))


async def review_and_send(
    args: argparse.Namespace,
    wallet: Any,
    sender: Any,
    built: Any,
    fee: Any,
    *,
    replaces: bytes | None = None,
    extra: dict[str, Any] | None = None,
) -> int:
    """Show ``built``'s review, ask, then export the PSBT or sign and broadcast it."""
    from wallet.commands.render import fee_choice_text, review_json, review_lines
    from wallet.payments.send import export_psbt

    lines = review_lines(built.review)
    lines.append(f"fee rate:  {fee_choice_text(fee)}")
    data: dict[str, Any] = {**(extra or {}), "review": review_json(built.review)}
    if args.psbt_out is not None:
        args.psbt_out.write_text(export_psbt(built) + "\n")
        data["psbt"] = str(args.psbt_out)
        emit(args, data, "\n".join([*lines, f"wrote the unsigned PSBT to {args.psbt_out}"]))
        return 0
    if wallet.is_watch_only:
        raise CommandError(
            "this watch-only wallet cannot sign; add --psbt-out FILE to sign it elsewhere"
        )
    if not args.json:
        print("\n".join(lines))
    confirm(built.review, args)
    from wallet.commands.wallet_common import read_password

    secret = wallet.unlock(read_password(args))
    tx = sender.sign(built, secret)
    del secret
    txid = await sender.broadcast(tx, replaces=replaces)
    data.update(txid=txid[::-1].hex(), vsize=tx.vsize(), fee_sat=built.review.fee)
    text = f"sent: {txid[::-1].hex()}"
    last = getattr(sender.sync, "last_broadcast", None)
    if last is not None:
        data["accepted_by"] = list(last.accepted)
        relayed = getattr(last, "relayed_by", None)
        if relayed is not None:  # over P2P: announced back by other peers
            data["relayed_by"] = list(relayed)
            text += (
                f" (taken by {', '.join(last.accepted)}; relayed back by {', '.join(relayed)})"
                if relayed
                else f" (taken by {', '.join(last.accepted)}; no other peer announced it yet)"
            )
    if args.json:
        emit(args, data, text)
    else:
        print(text)
    return 0


async def _pay(args: argparse.Namespace) -> int:
    from wallet.commands.wallet_common import session
    from wallet.payments.send import Sender
    from wallet.payments.uri import parse_uri

    async with session(args) as opened:
        wallet = opened.wallet
        uri = parse_uri(args.uri, wallet.network)
        sync = opened.engine()
        await sync.sync()
        sender = Sender(wallet, sync)
        fee = await fee_choice(sender, args)
        amount = None if args.amount is None else parse_amount(args.amount)
        _uri, built = sender.build_for_uri(
            uri, fee.rate, amount_sat=amount, allow_high_fee_rate=args.confirm_high_fee
        )
        extra = {"uri": args.uri, "label": uri.label, "message": uri.message}
        if not args.json:
            for key in ("label", "message"):
                if getattr(uri, key):
                    print(f"{key + ':':<11}{getattr(uri, key)} (from the payee)")
            if uri.lightning:
                print("lightning: offered, not used (Paylight pays on-chain)")
        return await review_and_send(args, wallet, sender, built, fee, extra=extra)


def run(args: argparse.Namespace) -> int:
    from wallet.commands.wallet_common import run as run_async

    return int(run_async(_pay(args)))
