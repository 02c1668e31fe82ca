"""``paylight coins``: the wallet's unspent coins, each with its trust state and whether frozen.

What the GUI's Coins tab shows: every unspent output paying the wallet (outpoint, amount,
address, receive or change, confirmations counted from the local header chain for confirmed
ones), as of the last sync. Frozen coins are listed (marked) unless ``--spendable``.
"""

from __future__ import annotations

import argparse
from typing import Any

from wallet.commands.wallet_common import add_wallet_options


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "coins",
        parents=[common],
        help="list the wallet's unspent coins (state, confirmations, frozen)",
        description="List the wallet's unspent outputs as of the last sync: outpoint, amount, "
        "address, receive or change, state (confirmed: proof checked here; unverified; "
        "unconfirmed) and confirmations. Amounts in JSON are satoshis.",
    )
    add_wallet_options(parser)
    parser.add_argument(
        "--spendable", action="store_true", help="leave out frozen coins (coin control)"
    )
    parser.set_defaults(func=run)


def coin_rows(wallet: Any, tip: int | None, *, spendable: bool = False) -> list[dict[str, Any]]:
    from wallet.account.database import TxState
    from wallet.bitcoin.address import script_to_address

    network = wallet.config.network
    rows = []
    for coin in wallet.db.utxos(include_frozen=not spendable):
        confirmations = None
        if coin.state is TxState.CONFIRMED and tip is not None and coin.height is not None:
            confirmations = max(0, tip - coin.height + 1)
        outpoint = f"{coin.outpoint.txid_hex}:{coin.outpoint.vout}"
        rows.append(
            {
                "outpoint": outpoint,
                "value": coin.value,
                "address": script_to_address(coin.script_pubkey, network),
                "chain": coin.chain.name.lower(),
                "index": coin.index,
                "state": coin.state.value,
                "height": coin.height,
                "confirmations": confirmations,
                "frozen": coin.frozen,
                "label": wallet.db.label("output", outpoint) or "",
            }
        )
    return rows


def run(args: argparse.Namespace) -> int:
    from wallet.bitcoin.amount import format_btc
    from wallet.commands import emit
    from wallet.commands.wallet_common import header_tip, open_wallet

    with open_wallet(args) as wallet:
        rows = coin_rows(wallet, header_tip(wallet), spendable=args.spendable)
    lines = []
    for r in rows:
        when = f"{r['confirmations']} conf" if r["confirmations"] is not None else r["state"]
        flags = "  frozen" if r["frozen"] else ""
        label = f"  {r['label']}" if r["label"] else ""
        lines.append(
            f"{format_btc(r['value']):>14} BTC  {when:<12} {r['outpoint']}  {r['address']} "
            f"({r['chain']} {r['index']}){flags}{label}"
        )
    total = sum(r["value"] for r in rows)
    lines.append(f"{len(rows)} coins, {format_btc(total)} BTC" if rows else "no coins")
    emit(args, rows, "\n".join(lines))
    return 0
