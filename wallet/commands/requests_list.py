"""``paylight requests``: the wallet's payment requests and where each stands.

Each request with its state (waiting, seen, confirmed, paid, underpaid, overpaid, expired),
recomputed from the wallet's transactions as of the last sync, the amount asked and received,
label, expiry and URI. Listing changes nothing; ``--state`` keeps one state.
"""

from __future__ import annotations

import argparse
from typing import Any

from wallet.commands.wallet_common import add_wallet_options

STATES = ("waiting", "seen", "confirmed", "paid", "underpaid", "overpaid", "expired")


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "requests",
        parents=[common],
        help="list the wallet's payment requests and their states",
        description="List the wallet's payment requests, oldest first: state (as of the last "
        "sync), amount asked and received, label, expiry and the bitcoin: URI.",
    )
    add_wallet_options(parser)
    parser.add_argument("--state", choices=STATES, help="only requests in this state")
    parser.set_defaults(func=run)


def request_rows(wallet: Any, headers: Any, state: str | None = None) -> list[dict[str, Any]]:
    from wallet.payments.tracker import RequestTracker
    from wallet.payments.uri import make_uri

    tracker = RequestTracker(wallet, headers)
    rows = []
    for request in wallet.db.payment_requests():
        status = tracker.status(request.id)  # recomputed; nothing stored
        if state is not None and status.state.value != state:
            continue
        rows.append(
            {
                "id": request.id,
                "state": status.state.value,
                "amount_sat": request.amount_sat,
                "received_sat": status.received_sat,
                "confirmed_sat": status.confirmed_sat,
                "label": request.label,
                "message": request.message,
                "address": request.address,
                "created_at": request.created_at,
                "expires_at": request.expires_at,
                "txids": [t[::-1].hex() for t in status.counted],
                "uri": make_uri(
                    request.address,
                    request.amount_sat,
                    request.label or None,
                    request.message or None,
                    network=wallet.config.network,
                ),
            }
        )
    return rows


def run(args: argparse.Namespace) -> int:
    from wallet.bitcoin.amount import format_btc
    from wallet.commands import emit
    from wallet.commands.request import open_headers_quietly
    from wallet.commands.wallet_common import open_wallet

    with open_wallet(args) as wallet:
        headers = open_headers_quietly(wallet)
        try:
            rows = request_rows(wallet, headers, args.state)
        finally:
            if headers is not None:
                headers.close()
    lines = []
    for r in rows:
        asked = format_btc(r["amount_sat"]) if r["amount_sat"] is not None else "any"
        got = f", received {format_btc(r['received_sat'])}" if r["received_sat"] else ""
        label = f"  {r['label']}" if r["label"] else ""
        lines.append(f"#{r['id']:<4} {r['state']:<10} {asked} BTC{got}{label}")
        lines.append(f"      {r['uri']}")
    emit(args, rows, "\n".join(lines) or "no payment requests")
    return 0
