"""``paylight balance``: the wallet's balance, one figure per trust state — never one total.

* confirmed — in blocks whose Merkle proofs were checked against our own header chain;
* unverified — a server says mined, but no proof has been checked yet;
* unconfirmed — in a mempool only;
* immature — mining rewards proven here but under 100 confirmations (not yet spendable; shown
  only when there are some, and never inside "confirmed").

Read from the wallet database (instant, offline) as of the last sync; ``--sync`` syncs first.
"""

from __future__ import annotations

import argparse
from typing import Any

from wallet.commands.wallet_common import add_wallet_options


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "balance",
        parents=[common],
        help="show the balance: confirmed (verified here), unverified, unconfirmed",
        description="Show the wallet's balance split by trust state, as of the last sync "
        "(--sync to sync first). Amounts in JSON are satoshis.",
    )
    add_wallet_options(parser, servers=True)
    parser.add_argument("--sync", action="store_true", help="sync with the servers first")
    parser.set_defaults(func=run)


def last_sync_text(last: dict[str, Any] | None) -> str:
    import time

    if not last:
        return "never synced — run 'paylight sync' (or add --sync)"
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(last.get("time", 0)))
    return f"as of the sync at {when}, header {last.get('height')}"


def balance_data(wallet: Any, header_height: int | None) -> dict[str, Any]:
    from wallet.commands.create import NO_CHANGE_WARNING
    from wallet.commands.sync import LAST_SYNC_KEY

    balance = wallet.db.balance(header_height)
    return {
        "wallet": str(wallet.path),
        "network": wallet.config.network,
        "unit": "sat",
        "confirmed": balance.confirmed,
        "unverified": balance.unverified,
        "unconfirmed": balance.unconfirmed,
        "immature": balance.immature,
        "header_height": header_height,
        "last_sync": wallet.db.get_setting(LAST_SYNC_KEY),
        "warnings": [NO_CHANGE_WARNING] if wallet.config.change_descriptor is None else [],
    }


def run(args: argparse.Namespace) -> int:
    from wallet.bitcoin.amount import format_amount
    from wallet.commands import emit
    from wallet.commands.wallet_common import header_tip, open_wallet, session
    from wallet.commands.wallet_common import run as run_coro

    if args.sync:
        from wallet.commands.sync import sync_wallet

        async def main() -> dict[str, Any]:
            async with session(args) as opened:
                await sync_wallet(opened)
                return balance_data(opened.wallet, opened.headers.height)

        data = run_coro(main())
    else:
        with open_wallet(args) as wallet:
            data = balance_data(wallet, header_tip(wallet))
    width = 14
    lines = [
        f"Confirmed:   {format_amount(data['confirmed']):>{width}} BTC  "
        "(in blocks; Merkle proofs checked here)",
        f"Unverified:  {format_amount(data['unverified']):>{width}} BTC  "
        "(a server says mined; proof not checked yet)",
        f"Unconfirmed: {format_amount(data['unconfirmed']):>{width}} BTC  (in the mempool only)",
    ]
    if data["immature"]:
        lines.append(
            f"Immature:    {format_amount(data['immature']):>{width}} BTC  "
            "(mining rewards: spendable at 100 confirmations)"
        )
    lines.append(f"  {last_sync_text(data['last_sync'])}")
    lines += [f"  warning: {w}" for w in data["warnings"]]
    emit(args, data, "\n".join(lines))
    return 0
