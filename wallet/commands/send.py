"""``paylight send ADDRESS AMOUNT``: pay an address (``--max`` for everything spendable).

Coin control: ``--from TXID:VOUT`` (repeatable) spends only those coins (frozen ones too: naming
a coin is explicit). Otherwise as ``paylight pay``: review, ask (``--yes``), sign, broadcast.
"""

from __future__ import annotations

import argparse
from typing import Any

from wallet.commands.pay import add_send_options, fee_choice, parse_amount, review_and_send
from wallet.commands.wallet_common import CommandError


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "send",
        parents=[common],
        help="send bitcoin to an address",
        description="Send to an address: AMOUNT in BTC (0.001) or satoshis (100000sat), or "
        "--max for everything spendable. Shows the fee and change and asks before signing.",
    )
    parser.add_argument("address", metavar="ADDRESS")
    parser.add_argument("amount", metavar="AMOUNT", nargs="?", help="BTC, or Nsat")
    parser.add_argument("--max", action="store_true", help="send everything (no change)")
    parser.add_argument(
        "--from",
        dest="spend_from",
        action="append",
        metavar="TXID:VOUT",
        help="spend only this coin (repeatable)",
    )
    add_send_options(parser)
    parser.set_defaults(func=run)


def _outpoint(text: str) -> Any:
    from wallet.bitcoin.transaction import OutPoint

    txid, sep, vout = text.strip().rpartition(":")
    if not sep or len(txid) != 64 or not vout.isdigit():
        raise CommandError(f"{text!r} is not a coin: give TXID:VOUT")
    try:
        return OutPoint.from_hex(txid, int(vout))
    except ValueError:
        raise CommandError(f"{text!r} is not a coin: the txid is not hex") from None


async def _send(args: argparse.Namespace) -> int:
    from wallet.account.tx_builder import Recipient
    from wallet.commands.wallet_common import session
    from wallet.payments.send import Sender

    if args.max == (args.amount is not None):
        raise CommandError("give an AMOUNT, or --max to send everything (not both)")
    spend_from = [_outpoint(t) for t in args.spend_from] if args.spend_from else None
    async with session(args) as opened:
        wallet = opened.wallet
        sync = opened.engine()
        await sync.sync()
        sender = Sender(wallet, sync)
        fee = await fee_choice(sender, args)
        recipient = (
            Recipient.send_max(args.address)
            if args.max
            else Recipient(args.address, parse_amount(args.amount))
        )
        built = sender.build_payment(
            [recipient],
            fee.rate,
            spend_from=spend_from,
            allow_high_fee_rate=args.confirm_high_fee,
        )
        return await review_and_send(args, wallet, sender, built, fee)


def run(args: argparse.Namespace) -> int:
    from wallet.commands.wallet_common import run as run_async

    return int(run_async(_send(args)))
