"""``paylight uri parse URI``: what a ``bitcoin:`` payment URI asks for, checked for a network.

The address must belong to ``--network`` (mainnet by default). Lightning invoices and other
payment instructions are shown but never paid (Paylight pays on-chain); unknown optional
parameters are shown as they are. A bad URI is one sentence on stderr and exit code 1.
"""

from __future__ import annotations

import argparse
from typing import Any

from wallet.commands import emit


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "uri", help="read bitcoin: payment URIs", description="BIP21/BIP321 payment URIs."
    )
    sub = parser.add_subparsers(dest="uri_command", metavar="ACTION")
    parse = sub.add_parser(
        "parse",
        parents=[common],
        help="print the fields of a bitcoin: URI",
        description="Parse a bitcoin: URI (BIP21/BIP321) and print its address, amount (BTC "
        "and satoshis), label, message, payment instructions such as lightning= (shown, not "
        "paid) and unknown parameters. The address must be of --network.",
    )
    parse.add_argument("uri", metavar="URI", help="the bitcoin: URI (quote it in the shell)")
    parse.set_defaults(func=_parse)
    parser.set_defaults(func=lambda args: parser.print_help() or 2)


def _network_of(text: str, network: str) -> str | None:
    """Another network whose address the URI's body holds, when that is what made it fail."""
    from wallet.bitcoin.address import parse_address
    from wallet.bitcoin.errors import AddressError
    from wallet.bitcoin.networks import NETWORK_NAMES
    from wallet.payments.uri import UriError, parse_uri

    try:
        address = parse_uri(text).address
    except UriError:
        return None
    if address is None:
        return None
    for name in NETWORK_NAMES:
        try:
            parse_address(address, name)
        except AddressError:
            continue
        return None if name == network else name
    return None


def _parse(args: argparse.Namespace) -> int:
    from wallet.payments.uri import UriError, parse_uri

    try:
        uri = parse_uri(args.uri, args.network)
    except UriError as exc:
        other = _network_of(args.uri, args.network)
        if other is None:
            raise
        raise UriError(f"{exc}; to read it for {other}, add --network {other}") from None
    try:
        payable: str | None = uri.payable_address(args.network)
        unpayable = None
    except UriError as exc:
        payable, unpayable = None, str(exc)
    data = {
        "network": args.network,
        "address": uri.address,
        "amount_btc": uri.amount_btc,
        "amount_sat": uri.amount_sat,
        "label": uri.label,
        "message": uri.message,
        "lightning": uri.lightning,
        "instructions": [
            {"key": i.key, "value": i.value, "description": i.description} for i in uri.instructions
        ],
        "unknown_parameters": [{"key": k, "value": v} for k, v in uri.extras],
        "pop": uri.pop,
        "payable_address": payable,
        "not_payable_reason": unpayable,
    }
    lines = [f"address:   {uri.address or '(none)'}"]
    if uri.amount_sat is not None:
        lines.append(f"amount:    {uri.amount_btc} BTC ({uri.amount_sat:,} sat)")
    else:
        lines.append("amount:    (not given: the payer chooses)")
    if uri.label is not None:
        lines.append(f"label:     {uri.label}")
    if uri.message is not None:
        lines.append(f"message:   {uri.message}")
    for ins in uri.instructions:
        note = "shown, not paid: Paylight pays on-chain" if ins.key == "lightning" else ""
        lines.append(f"{ins.key}: {ins.value} ({ins.description}{'; ' + note if note else ''})")
    for key, value in uri.extras:
        lines.append(f"unknown parameter {key}: {value}")
    if uri.pop is not None:
        lines.append(f"proof-of-payment callback: {uri.pop}")
    if payable is not None and payable != uri.address:
        lines.append(f"pays on {args.network}: {payable}")
    if unpayable is not None:
        lines.append(f"not payable: {unpayable}")
    emit(args, data, "\n".join(lines))
    return 0
