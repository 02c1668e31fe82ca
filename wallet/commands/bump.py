"""``paylight bump TXID --fee-rate R``: raise the fee of an unconfirmed transaction.

By default a replacement (BIP125 RBF) of one of our own payments: same recipients, the extra fee
taken from the change (or from more coins). ``--cpfp`` instead spends our output of the
transaction in a child paying for both (for a payment *to* us, or one that did not signal RBF).
"""

from __future__ import annotations

import argparse
from typing import Any

from wallet.commands.pay import add_send_options, review_and_send
from wallet.commands.wallet_common import CommandError


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "bump",
        parents=[common],
        help="raise the fee of an unconfirmed transaction (RBF, or --cpfp)",
        description="Replace an unconfirmed payment of this wallet with one paying a higher "
        "fee rate (BIP125), or with --cpfp spend its output to this wallet in a child that "
        "pays for both.",
    )
    parser.add_argument("txid", metavar="TXID")
    parser.add_argument(
        "--cpfp", action="store_true", help="child pays for parent instead of replacing"
    )
    add_send_options(parser)
    parser.set_defaults(func=run)


async def _bump(args: argparse.Namespace) -> int:
    from wallet.commands.pay import fee_choice
    from wallet.commands.wallet_common import session
    from wallet.payments.send import Sender

    text = args.txid.strip().lower()
    if len(text) != 64 or any(c not in "0123456789abcdef" for c in text):
        raise CommandError(f"{args.txid!r} is not a transaction id (64 hex digits)")
    txid = bytes.fromhex(text)[::-1]
    if args.fee_rate is None:
        raise CommandError("give the new fee rate with --fee-rate SAT/VB")
    async with session(args) as opened:
        wallet, pool = opened.wallet, opened.pool
        sync = opened.engine()
        await sync.sync()
        sender = Sender(wallet, sync)
        fee = await fee_choice(sender, args)
        if args.cpfp:
            built = await sender.build_cpfp(
                txid, fee.rate, pool=pool, allow_high_fee_rate=args.confirm_high_fee
            )
            return await review_and_send(args, wallet, sender, built, fee)
        built = sender.build_bump(txid, fee.rate, allow_high_fee_rate=args.confirm_high_fee)
        return await review_and_send(args, wallet, sender, built, fee, replaces=txid)


def run(args: argparse.Namespace) -> int:
    from wallet.commands.wallet_common import run as run_async

    return int(run_async(_bump(args)))
