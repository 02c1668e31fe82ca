"""``paylight request AMOUNT``: make a payment request and print its URI and QR code.

The request gets a fresh receive address (or the address of an expired request nobody paid,
before the gap limit is pushed; see wallet/payments/requests.py), is stored in the wallet, and
its state is followed by ``paylight charge`` / the GUI / any ``paylight sync``. Works offline.
The QR code is drawn in the terminal with block characters (light modules drawn, for the
usual dark terminal background), or written to ``--png FILE`` (``.svg`` works too).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from wallet.commands import emit
from wallet.commands.wallet_common import add_wallet_options


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "request",
        parents=[common],
        help="make a payment request (address, amount, label, expiry) and show its QR code",
        description="Create a payment request: prints its bitcoin: URI and QR code.",
    )
    parser.add_argument("amount", metavar="AMOUNT", nargs="?", help="BTC, or Nsat (optional)")
    add_request_options(parser)
    parser.add_argument("--png", type=Path, metavar="FILE", help="write the QR code to FILE")
    parser.add_argument("--no-qr", action="store_true", help="do not draw the QR code")
    add_wallet_options(parser)
    parser.set_defaults(func=run)


def add_request_options(parser: argparse.ArgumentParser, *, expiry: int | None = None) -> None:
    parser.add_argument("--label", default="", help="what the payment is for (shown to the payer)")
    parser.add_argument("--message", default="", help="a message for the payer")
    parser.add_argument(
        "--expiry",
        type=int,
        default=expiry,
        metavar="SECONDS",
        help="the request expires after this many seconds"
        + (f" (default {expiry})" if expiry else " (default: never)"),
    )


def terminal_qr(text: str) -> str:
    """The QR code of ``text`` as lines of half-block characters (two modules a character)."""
    import numpy as np

    from wallet.payments.qr_render import make_qr

    symbol = make_qr(text)
    light = ~np.pad(symbol.modules, symbol.border, constant_values=False)
    if light.shape[0] % 2:
        light = np.vstack([light, np.ones((1, light.shape[1]), dtype=bool)])
    chars = {(True, True): "\u2588", (True, False): "\u2580", (False, True): "\u2584"}
    lines = []
    for top, bottom in zip(light[0::2], light[1::2], strict=True):
        lines.append("".join(chars.get((bool(t), bool(b)), " ") for t, b in zip(top, bottom)))
    return "\n".join(lines)


def open_headers_quietly(wallet: Any) -> Any:
    """The header store of the wallet's chain if it exists (for tip and block times), else
    None: a request can be made offline."""
    from wallet.errors import PaylightError
    from wallet.sync.headers import open_header_store, wallet_store_dir

    directory = wallet_store_dir(wallet)
    if not directory.is_dir():
        return None
    try:
        return open_header_store(wallet.config.network, directory)
    except PaylightError:
        return None


def request_data(made: Any) -> dict[str, Any]:
    r = made.request
    return {
        "id": r.id,
        "uri": made.uri,
        "address": r.address,
        "amount_sat": r.amount_sat,
        "label": r.label,
        "message": r.message,
        "created_at": r.created_at,
        "expires_at": r.expires_at,
        "address_choice": made.choice.reason,
    }


def request_lines(made: Any) -> list[str]:
    import time

    from wallet.bitcoin.amount import format_btc

    r = made.request
    lines = [made.uri, f"address: {r.address}"]
    if r.amount_sat is not None:
        lines.append(f"amount:  {format_btc(r.amount_sat)} BTC ({r.amount_sat:,} sat)")
    if r.label:
        lines.append(f"label:   {r.label}")
    if r.expires_at is not None:
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(r.expires_at))
        lines.append(f"expires: {when}")
    if made.choice.reason == "reused":
        lines.append("(this address belonged to an expired request that nobody paid)")
    if made.choice.extends_gap:
        lines.append(
            "warning: this address is beyond the gap limit; restoring the wallet from its "
            "seed needs a larger gap limit to find a payment to it"
        )
    return lines


def run(args: argparse.Namespace) -> int:
    from wallet.commands.pay import parse_amount
    from wallet.commands.wallet_common import open_wallet
    from wallet.payments.tracker import RequestTracker

    amount = None if args.amount is None else parse_amount(args.amount)
    with open_wallet(args) as wallet:
        headers = open_headers_quietly(wallet)
        try:
            tracker = RequestTracker(wallet, headers)
            made = tracker.create_request(
                amount, label=args.label, message=args.message, expires_in=args.expiry
            )
        finally:
            if headers is not None:
                headers.close()
    data = request_data(made)
    lines = request_lines(made)
    if args.png is not None:
        from wallet.payments.qr_render import save_qr

        save_qr(made.uri, args.png)
        data["qr"] = str(args.png)
        lines.append(f"QR code written to {args.png}")
    elif not args.no_qr and not args.json:
        lines[1:1] = [terminal_qr(made.uri)]
    emit(args, data, "\n".join(lines))
    return 0
