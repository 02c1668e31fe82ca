"""``paylight message sign|verify``: signed messages (BIP322, and the legacy signmessage format).

``sign`` proves that the wallet controls one of its addresses: ``--format bip322`` (default:
the *simple* form for native SegWit and Taproot, *full* for others), ``simple``, ``full``,
``legacy`` (65-byte signatures with BIP137 headers, as Trezor, Coldcard and Sparrow write them)
or ``electrum`` (the same with Electrum's header). ``verify`` takes any of these and says
valid / invalid / inconclusive; scripts Paylight does not interpret itself (P2WSH, script
paths) are run through Bitcoin Core's script interpreter (libbitcoinkernel). The message comes
from the argument, ``--message-file``, or standard input with ``-``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from wallet.commands import emit
from wallet.commands.wallet_common import CommandError, add_wallet_options, read_limited

MAX_MESSAGE = 1024 * 1024


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "message",
        help="sign or verify a message with an address (BIP322, legacy)",
        description="Sign a message with one of the wallet's addresses, or verify a signed "
        "message (BIP322 simple/full, or the legacy signmessage format).",
    )
    sub = parser.add_subparsers(dest="message_command", metavar="ACTION")
    sign = sub.add_parser(
        "sign",
        parents=[common],
        help="sign a message with one of the wallet's addresses",
        description="Sign MESSAGE with ADDRESS's key (an address of this wallet).",
    )
    sign.add_argument("address", metavar="ADDRESS")
    sign.add_argument("message", metavar="MESSAGE", nargs="?", help="the text, or - for stdin")
    sign.add_argument("--message-file", type=Path, metavar="FILE", help="read the message here")
    sign.add_argument(
        "--format",
        default="bip322",
        choices=("bip322", "simple", "full", "legacy", "electrum"),
        help="bip322 (default), simple, full, legacy (BIP137) or electrum",
    )
    add_wallet_options(sign, password=True)
    sign.set_defaults(func=_sign)
    verify = sub.add_parser(
        "verify",
        parents=[common],
        help="verify a signed message (BIP322 or legacy)",
        description="Verify that SIGNATURE signs MESSAGE with ADDRESS's key. Exit code 0 when "
        "valid, 1 when invalid or inconclusive.",
    )
    verify.add_argument("address", metavar="ADDRESS")
    verify.add_argument("signature", metavar="SIGNATURE")
    verify.add_argument("message", metavar="MESSAGE", nargs="?", help="the text, or - for stdin")
    verify.add_argument("--message-file", type=Path, metavar="FILE", help="read the message here")
    verify.set_defaults(func=_verify)
    parser.set_defaults(func=lambda args: parser.print_help() or 2)


def _message(args: argparse.Namespace) -> str:
    if args.message_file is not None:
        if args.message is not None:
            raise CommandError("give the message as an argument or with --message-file, not both")
        raw = read_limited(args.message_file, MAX_MESSAGE, str(args.message_file), "be a message")
    elif args.message == "-":
        raw = sys.stdin.buffer.read(MAX_MESSAGE + 1)
        if len(raw) > MAX_MESSAGE:
            raise CommandError("the message on standard input is larger than 1 MiB")
    elif args.message is not None:
        return args.message
    else:
        raise CommandError("give the MESSAGE, --message-file FILE, or - to read standard input")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CommandError("the message is not UTF-8 text") from None


def _sign(args: argparse.Namespace) -> int:
    from wallet.account.message_signer import MessageFormat, sign_with_wallet
    from wallet.commands.wallet_common import open_wallet, read_password

    message = _message(args)
    with open_wallet(args) as wallet:
        if wallet.is_watch_only:
            raise CommandError(
                "this watch-only wallet holds no keys; sign the message on the signer"
            )
        secret = wallet.unlock(read_password(args))
        signature = sign_with_wallet(
            wallet.config, wallet.db, secret, args.address, message, MessageFormat(args.format)
        )
        del secret
    emit(args, {"address": args.address, "format": args.format, "signature": signature}, signature)
    return 0


def _verify(args: argparse.Namespace) -> int:
    from wallet.commands.wallet_common import network_name
    from wallet.payments.signed_message import verify_signed_message

    message = _message(args)
    check = verify_signed_message(args.address, message, args.signature, network_name(args))
    data = {
        "address": args.address,
        "format": check.family,
        "verdict": check.verdict,
        "valid": check.valid,
    }
    if check.reason:
        data["reason"] = check.reason
    emit(args, data, check.verdict + (f": {check.reason}" if check.reason else ""))
    return 0 if check.valid else 1
