"""``paylight history``: the wallet's transactions with their trust state and confirmations.

Each transaction shows its state — confirmed (proof checked against our headers; confirmations
counted from our own tip), unverified (a server claims a height; not counted), unconfirmed
(mempool), replaced (a conflicting transaction took its inputs) — and its net effect on the
wallet. Read from the database as of the last sync; ``--sync`` syncs first.
"""

from __future__ import annotations

import argparse
from typing import Any

from wallet.commands.wallet_common import add_wallet_options


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "history",
        parents=[common],
        help="list the wallet's transactions with state and confirmations",
        description="List the wallet's transactions, oldest first, with their state, "
        "confirmations (counted from the local header chain, confirmed ones only), the net "
        "amount to the wallet and the fee when known. Amounts in JSON are satoshis.",
    )
    add_wallet_options(parser, servers=True)
    parser.add_argument("--sync", action="store_true", help="sync with the servers first")
    parser.set_defaults(func=run)


def history_rows(db: Any, tip: int | None) -> list[dict[str, Any]]:
    """One row per stored transaction: state, height, confirmations, net amount, fee."""
    from wallet.account.database import TxState

    records = db.transactions()
    parsed = {r.txid: r.transaction() for r in records}
    ours = {a.script_pubkey for a in db.addresses()}
    rows = []
    for record in records:
        tx = parsed[record.txid]
        received = sum(o.value for o in tx.outputs if o.script_pubkey in ours)
        spent = 0
        in_total: int | None = 0
        for txin in tx.inputs:
            prev = parsed.get(txin.prevout.txid)
            if prev is None or txin.prevout.vout >= len(prev.outputs):
                in_total = None
                continue
            out = prev.outputs[txin.prevout.vout]
            if out.script_pubkey in ours:
                spent += out.value
            if in_total is not None:
                in_total += out.value
        fee = None
        if in_total is not None and not tx.is_coinbase():
            fee = in_total - sum(o.value for o in tx.outputs)
        confirmations = None
        if record.state is TxState.CONFIRMED and tip is not None and record.height is not None:
            confirmations = max(0, tip - record.height + 1)
        rows.append(
            {
                "txid": record.txid_hex,
                "state": record.state.value,
                "height": record.height,
                "confirmations": confirmations,
                "amount": received - spent,
                "fee": fee,
                "first_seen": record.first_seen,
                "replaced_by": record.replaced_by[::-1].hex() if record.replaced_by else None,
                "listed_by": list(record.listed_by) if record.listed_by is not None else None,
                "servers_asked": record.asked,
            }
        )
    return rows


def row_text(row: dict[str, Any]) -> str:
    from wallet.bitcoin.amount import format_amount

    state = row["state"]
    if state == "confirmed":
        where = f"{row['confirmations']} conf" if row["confirmations"] is not None else "confirmed"
        where += f" (block {row['height']})"
    elif state == "unverified":
        where = f"unverified (server says block {row['height']})"
    elif state == "replaced":
        where = f"replaced by {row['replaced_by'][:16]}…" if row["replaced_by"] else "replaced"
    else:
        where = "unconfirmed (mempool)"
    listed = row.get("listed_by") or ()
    asked = row.get("servers_asked") or 0
    if state in ("unconfirmed", "unverified") and len(listed) == 1 and asked > 1:
        where += f" — only {listed[0]} lists it, of {asked} servers asked"
    fee = f"  fee {row['fee']} sat" if row["fee"] is not None else ""
    return f"{row['txid']}  {format_amount(row['amount']):>14} BTC  {where}{fee}"


def run(args: argparse.Namespace) -> int:
    from wallet.commands import emit
    from wallet.commands.balance import last_sync_text
    from wallet.commands.sync import LAST_SYNC_KEY
    from wallet.commands.wallet_common import header_tip, open_wallet, session
    from wallet.commands.wallet_common import run as run_coro

    if args.sync:
        from wallet.commands.sync import sync_wallet

        async def main() -> tuple[list[dict[str, Any]], Any]:
            async with session(args) as opened:
                await sync_wallet(opened)
                db = opened.wallet.db
                return history_rows(db, opened.headers.height), db.get_setting(LAST_SYNC_KEY)

        rows, last = run_coro(main())
    else:
        with open_wallet(args) as wallet:
            rows = history_rows(wallet.db, header_tip(wallet))
            last = wallet.db.get_setting(LAST_SYNC_KEY)
    lines = [row_text(r) for r in rows] or ["No transactions yet."]
    lines.append(f"  {len(rows)} transactions, {last_sync_text(last)}")
    emit(args, rows, "\n".join(lines))
    return 0
