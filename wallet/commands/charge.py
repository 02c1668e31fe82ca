"""``paylight charge AMOUNT``: the till on the command line.

Makes a payment request (default expiry 15 minutes), prints its URI and QR code, then follows
the servers' subscriptions and prints each state change as it happens -- *seen* with the risk
view of the unconfirmed payment, *confirmed* once its Merkle proof checked out against the local
header chain -- and finally the path of the receipt it wrote. Exit code 0 when the payment is
confirmed; 1 if the request expires or ``--timeout`` passes first.

``--fiat CUR`` prices the charge in a local currency: the rate is asked of the public sources
(``wallet.rates``; through ``--proxy``), or of ``--rate-source URL`` (a mempool.space-compatible
server such as the playground), or given by hand with ``--rate``; it is locked when the charge
is made, and the request and the receipt keep it.

``--accept-unconfirmed AMOUNT`` is the merchant policy (``payments.risk.MerchantPolicy``): a
payment seen but not yet in a block, up to AMOUNT (BTC, Nsat, or in CUR with ``--fiat``), is
"OK to hand over" when every risk check passes; each risk view prints the decision.

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
    parser.add_argument("amount", metavar="AMOUNT", help="BTC, or Nsat (or in CUR with --fiat)")
    add_request_options(parser, expiry=15 * 60)
    parser.add_argument(
        "--fiat",
        metavar="CUR",
        help="AMOUNT is in this currency (ISO 4217: USD, EUR, CNY...); the rate is locked now",
    )
    parser.add_argument(
        "--rate",
        metavar="PRICE",
        help="with --fiat: the price of one bitcoin in CUR, set by hand (no source is asked)",
    )
    parser.add_argument(
        "--rate-source",
        metavar="URL",
        action="append",
        help="with --fiat: ask this mempool.space-compatible server's /api/v1/prices instead "
        "of the public sources (repeatable)",
    )
    parser.add_argument(
        "--accept-unconfirmed",
        metavar="AMOUNT",
        default="0",
        help="hand over before a block for payments up to AMOUNT (BTC, Nsat, or in CUR with "
        "--fiat) when every risk check passes: no RBF signal, a fee at or above the next-block "
        "estimate, confirmed parents, seen by every server, no conflict (default 0: always wait "
        "for a block)",
    )
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
    from wallet.payments.risk import MerchantPolicy
    from wallet.payments.tracker import RequestTracker, fan_out, watch_expiries
    from wallet.sync.events import ServerEvent

    price = await _price(args) if args.fiat else None
    amount = price.sats if price is not None else parse_amount(args.amount)
    policy = MerchantPolicy(_zero_conf_limit(args, price))
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
            verdict = policy.decide(amount, update.risks)
            entry["decision"] = {
                "hand_over": verdict.hand_over,
                "reasons": [r.code for r in verdict.reasons],
            }
            _say(args, f"decision: {verdict.headline}")
            for reason in verdict.reasons:
                _say(args, f"  {reason.text}")
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
            print(f"paylight: {event.server} dropped: {event.reason}", file=sys.stderr)

    async with session(args) as opened:
        wallet, headers = opened.wallet, opened.headers
        tracker = RequestTracker(wallet, headers)
        sync = opened.engine(on_event=fan_out(tracker.on_event, on_event))
        tracker.watcher = sync.watch  # a request past the gap limit is followed too
        await sync.sync()
        pos = PosEngine(
            tracker,
            headers=headers,
            pool=opened.pool,
            mempool=sync.mempool_view() if hasattr(sync, "mempool_view") else None,
            fee_estimate=sync.fee_estimate,
            receipts_dir=args.receipts,
            expires_in=args.expiry,
        )
        charge = pos.charge(amount, label=args.label, message=args.message, price=price)
        made_lines = request_lines(charge)
        if price is not None:
            made_lines.append(_price_text(price))
        if not args.no_qr and not args.json:
            made_lines[1:1] = [terminal_qr(charge.uri)]
        _say(args, "\n".join(made_lines))
        made = {"id": charge.id, "uri": charge.uri, "address": charge.address}
        if price is not None:
            from wallet.payments.receipt import price_json

            made["price"] = price_json(price)
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


async def _price(args: argparse.Namespace) -> Any:
    """The charge's fiat price with its rate locked now (manual, or the sources' median)."""
    from wallet.bitcoin.amount import C_LOCALE, AmountError, parse_amount
    from wallet.bitcoin.fiat import MANUAL, Price, Rate, fiat_unit, read_price
    from wallet.rates.mempool import MempoolSource
    from wallet.rates.service import DEFAULT_SOURCES, fetch_rate

    unit = fiat_unit(args.fiat)
    try:
        minor = parse_amount(args.amount, unit, C_LOCALE)
    except AmountError as exc:
        raise CommandError(str(exc)) from None
    if args.rate is not None:
        rate = Rate(
            unit, read_price(args.rate, unit.code, C_LOCALE), MANUAL, int(time.time())
        )
    else:
        sources = (
            [MempoolSource(url, url, currencies=None) for url in args.rate_source]
            if args.rate_source
            else list(DEFAULT_SOURCES)
        )
        reading = await fetch_rate(unit.code, sources)
        for name, why in reading.failures:
            print(f"paylight: rate source {name}: {why}", file=sys.stderr)
        if reading.warning:
            print(f"paylight: {reading.warning}", file=sys.stderr)
        rate = reading.require()
    return Price(minor, rate)


def _zero_conf_limit(args: argparse.Namespace, price: Any) -> int:
    """``--accept-unconfirmed`` in satoshis (in the charge's currency at its locked rate)."""
    from wallet.bitcoin.amount import C_LOCALE, AmountError, parse_amount
    from wallet.commands.pay import parse_amount as parse_bitcoin

    text = args.accept_unconfirmed.strip()
    if text in ("", "0"):
        return 0
    if price is None:
        return parse_bitcoin(text)
    try:
        minor = parse_amount(text, price.rate.currency, C_LOCALE, positive=False)
    except AmountError as exc:
        raise CommandError(f"--accept-unconfirmed: {exc}") from None
    return int(price.rate.to_sats(minor)) if minor else 0


def _price_text(price: Any) -> str:
    from wallet.bitcoin.amount import C_LOCALE, format_amount
    from wallet.bitcoin.fiat import format_price

    rate = price.rate
    return (
        f"price:   {format_amount(price.amount, rate.currency, C_LOCALE, code=True)} at "
        f"{format_price(rate, C_LOCALE)} {rate.code}/BTC ({rate.source}), locked for this charge"
    )


def run(args: argparse.Namespace) -> int:
    from wallet.commands.wallet_common import run as run_async

    return int(run_async(_charge(args)))
