"""``paylight labels export [-o FILE]`` and ``paylight labels import FILE``: BIP329 label files.

Labels move between wallets (Paylight, Sparrow, and others) as BIP329 JSON Lines. ``export``
writes every label of the wallet, the labels of its payment requests, and its frozen coins
(``"spendable": false``), with the wallet's key origin; to stdout, or to ``-o FILE`` (replaced
atomically, readable by the owner only: labels say who paid whom). ``import`` checks every line
before writing anything: one bad line refuses the whole file, named by its line number, and the
wallet is left as it was (``--skip-bad-lines`` imports the good lines and lists the bad ones).
``--policy replace`` (the default) lets the file's labels win; ``--policy keep`` keeps the
wallet's and only adds the missing ones (a ``"spendable": false`` still freezes the coin).
The rules are in :mod:`wallet.account.labels_bip329`.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from wallet.commands import emit
from wallet.commands.wallet_common import CommandError, add_wallet_options, read_limited

#: A label file larger than this is refused (a mistake, not a wallet's labels).
MAX_FILE = 64 * 1024 * 1024
#: A key expression with its origin: the origin is kept, the key and its child path dropped.
_KEY_WITH_ORIGIN = re.compile(r"(\[[0-9a-fA-F]{8}(?:/[0-9]+['hH]?)*\])[^,()\[\]]*")


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "labels",
        help="export or import the wallet's labels (BIP329)",
        description="Move labels (transactions, addresses, coins, payment requests, frozen "
        "coins) between wallets as BIP329 JSON Lines files.",
    )
    sub = parser.add_subparsers(dest="labels_command", metavar="ACTION")

    export = sub.add_parser(
        "export",
        parents=[common],
        help="write the wallet's labels as a BIP329 file",
        description="Write every label of the wallet, its payment requests' labels and its "
        "frozen coins as BIP329 JSON Lines, to stdout or to -o FILE. With --json and no -o, the "
        "records are printed as one JSON array.",
    )
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the file here")
    add_wallet_options(export)
    export.set_defaults(func=_export)

    imp = sub.add_parser(
        "import",
        parents=[common],
        help="import a BIP329 label file into the wallet",
        description="Check every line of a BIP329 file, then import its labels and frozen "
        "coins in one database transaction. A bad line refuses the whole file (the wallet is "
        "left unchanged) unless --skip-bad-lines is given.",
    )
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument(
        "--policy",
        choices=("replace", "keep"),
        default="replace",
        help="replace: the file's labels win, an empty label removes one (default); keep: "
        "labels the wallet has are kept, only missing ones are added",
    )
    imp.add_argument(
        "--skip-bad-lines",
        action="store_true",
        help="import the good lines of a file that has bad ones (they are listed)",
    )
    add_wallet_options(imp)
    imp.set_defaults(func=_import)

    parser.set_defaults(func=lambda args: parser.print_help() or 2)


def wallet_origin(descriptor: str) -> str | None:
    """BIP329's ``origin`` for the wallet: its descriptor with key origins only (``wpkh([fp/84h/
    0h/0h]xpub.../0/*)#c`` -> ``wpkh([fp/84h/0h/0h])``), which tells another wallet which keys
    the labels belong to; None when a key has no origin."""
    from wallet.account.labels_bip329 import check_origin

    abbreviated = _KEY_WITH_ORIGIN.sub(r"\1", descriptor.split("#", 1)[0])
    try:
        return check_origin(abbreviated)
    except ValueError:
        return None


def _export(args: argparse.Namespace) -> int:
    from wallet.account.atomic import atomic_write
    from wallet.account.labels_bip329 import export_labels
    from wallet.commands.wallet_common import header_tip, open_wallet

    with open_wallet(args) as wallet:
        network = wallet.config.network
        text = export_labels(
            wallet.db,
            network,
            origin=wallet_origin(wallet.config.receive_descriptor),
            tip_height=header_tip(wallet),
        )
    records = text.splitlines()
    if args.output is None:
        if args.json:
            import json

            emit(args, [json.loads(line) for line in records], "")
        else:
            print(text, end="")
        return 0
    try:
        atomic_write(args.output, text.encode("utf-8"))
    except OSError as exc:
        raise CommandError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    data = {"file": str(args.output), "records": len(records)}
    emit(args, data, f"wrote {len(records)} label records to {args.output}")
    return 0


def _import(args: argparse.Namespace) -> int:
    from wallet.account.labels_bip329 import import_labels
    from wallet.commands.wallet_common import open_wallet

    data = read_limited(args.file, MAX_FILE, str(args.file), "be a label file")
    with open_wallet(args) as wallet:
        report = import_labels(
            wallet.db,
            data,
            wallet.config.network,
            policy=args.policy,
            strict=not args.skip_bad_lines,
        )
    issues = {
        kind: [{"line": i.line, "message": i.message} for i in getattr(report, kind)]
        for kind in ("errors", "warnings", "ignored")
    }
    result = {
        "file": str(args.file),
        "policy": args.policy,
        "labels_set": report.labels_set,
        "labels_removed": report.labels_removed,
        "labels_kept": report.labels_kept,
        "frozen": report.frozen,
        "unfrozen": report.unfrozen,
        **issues,
    }
    lines = [f"imported {args.file}: {report.summary()}"]
    for word, kind in (("bad", "errors"), ("warning", "warnings"), ("ignored", "ignored")):
        lines += [f"  {word}: {issue}" for issue in getattr(report, kind)]
    emit(args, result, "\n".join(lines))
    return 0
