"""``paylight charge AMOUNT``: the till on the command line.

Makes a payment request (default expiry 15 minutes), prints its URI and QR code, then follows
the servers' subscriptions and prints each state change as it happens -- *seen* with the risk
view of the unconfirmed payment, *confirmed* once its Merkle proof checked out against the local
header chain -- and finally the path of the receipt it wrote. Exit code 0 when the payment is
confirmed; 1 if the request expires or ``--timeout`` passes first.

With ``--json`` it streams one JSON object per line as things happen, so a script can show
the URI at once: ``{"event": "request", "id", "uri", "address", "amount_sat"}`` first, then
``{"event": "update", "t", "state", ...}`` per state change, and last
``{"event": "result", "result", "receipts"}``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from pathlib import Path
from typing import Any

from wallet.commands.request import add_request_options
from wallet.commands.wallet_common import CommandError, add_wallet_options


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "charge",
        parents=[common],
        help="take a payment: show a QR code and follow it until confirmed",
        description="Point of sale: create a payment request for AMOUNT, show its QR code, "
        "print its state changes live, and write a receipt once it is confirmed.",
    )
    parser.add_argument("amount", metavar="AMOUNT", help="BTC, or Nsat")
    add_request_options(parser, expiry=15 * 60)
    parser.add_argument(
        "--timeout", type=float, metavar="SECONDS", help="give up waiting after this long"
    )
    parser.add_argument("--no-qr", action="store_true", help="do not draw the QR code")
    parser.add_argument(
        "--receipts", type=Path, metavar="DIR", help="where receipts go (default: the wallet's)"
    )
    add_wallet_options(parser, servers=True)
    parser.set_defaults(func=run)


def _say(args: argparse.Namespace, line: str) -> None:
    if not args.json:
        print(line, flush=True)


def _stream(args: argparse.Namespace, event: str, data: dict[str, Any]) -> None:
    """One JSON line, at once (``--json``)."""
    if args.json:
        print(json.dumps({"event": event, **data}), flush=True)


async def _charge(args: argparse.Namespace) -> int:
    import asyncio

    from wallet.bitcoin.amount import format_btc
    from wallet.commands.pay import parse_amount
    from wallet.commands.request import request_lines, terminal_qr
    from wallet.commands.wallet_common import session
    from wallet.payments.pos import PosEngine, PosUpdate
    from wallet.payments.tracker import RequestTracker, fan_out, watch_expiries
    from wallet.sync.engine import WalletSync
    from wallet.sync.events import ServerEvent

    amount = parse_amount(args.amount)
    started = time.monotonic()

    def on_update(update: PosUpdate) -> None:
        at = round(time.monotonic() - started, 3)
        entry: dict[str, Any] = {"t": at, "state": update.state.value}
        status = update.status
        if update.note:
            entry["note"] = update.note
        if update.risks:
            entry["risk"] = [r.to_json() for r in update.risks]
            if update.note:  # e.g. the payment was double-spent: say so before the details
                _say(args, f"[{at:7.2f}s] {update.state.value} ({update.note})")
            for risk in update.risks:
                for line in risk.lines():
                    _say(args, f"  {line}")
        else:
            text = f"[{at:7.2f}s] {update.state.value}"
            if status is not None and status.received_sat:
                text += (
                    f": {format_btc(status.received_sat)} BTC received"
                    f" ({format_btc(status.confirmed_sat)} confirmed)"
                )
            if update.note:
                text += f" ({update.note})"
            _say(args, text)
        for path in update.receipts:
            entry.setdefault("receipts", []).append(str(path))
            _say(args, f"receipt: {path}")
        if status is not None:
            entry["received_sat"] = status.received_sat
            entry["txids"] = [t[::-1].hex() for t in status.counted]
        _stream(args, "update", entry)

    def on_event(event: Any) -> None:
        if isinstance(event, ServerEvent) and event.state == "dropped":
            print(f"paylight: server {event.server} dropped: {event.reason}", file=sys.stderr)

    async with session(args) as (wallet, pool, headers):
        tracker = RequestTracker(wallet, headers)
        sync = WalletSync(wallet, pool, headers, on_event=fan_out(tracker.on_event, on_event))
        tracker.watcher = sync.watch  # a request past the gap limit is followed too
        await sync.sync()
        pos = PosEngine(
            tracker,
            headers=headers,
            pool=pool,
            fee_estimate=sync.fee_estimate,
            receipts_dir=args.receipts,
            expires_in=args.expiry,
        )
        charge = pos.charge(amount, label=args.label, message=args.message)
        made_lines = request_lines(charge)
        if not args.no_qr and not args.json:
            made_lines[1:1] = [terminal_qr(charge.uri)]
        _say(args, "\n".join(made_lines))
        made = {"id": charge.id, "uri": charge.uri, "address": charge.address}
        _stream(args, "request", {**made, "amount_sat": amount})
        pos.add_listener(on_update)
        on_update(pos.last)  # the opening "waiting"
        tasks = [
            asyncio.create_task(sync.follow()),
            asyncio.create_task(watch_expiries(tracker, max_sleep=5.0)),
        ]
        try:
            final = await pos.wait(args.timeout)
        except TimeoutError:
            final = None
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            pos.close()
    if final is None:
        _stream(args, "result", {"result": "timeout", "receipts": []})
        _say(args, "gave up waiting (--timeout)")
        return 1
    _stream(
        args, "result", {"result": final.state.value, "receipts": [str(p) for p in final.receipts]}
    )
    if final.state.value in ("confirmed", "paid", "overpaid"):
        return 0
    raise CommandError(f"the request ended {final.state.value} without a confirmed payment")


def run(args: argparse.Namespace) -> int:
    from wallet.commands.wallet_common import run as run_async

    return int(run_async(_charge(args)))
