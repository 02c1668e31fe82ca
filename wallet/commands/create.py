"""``paylight create``: a new wallet with a new BIP39 seed (12 or 24 words).

The seed words are printed once, here, and never again by any command. They go to a terminal,
or — when stdout is a pipe or a file (a script, a log) — only if ``--show-seed`` or ``--json``
asks for them explicitly (the JSON then has a ``mnemonic`` field): otherwise the command refuses
to make a wallet whose words nobody would see.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from wallet.commands.wallet_common import add_wallet_options


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "create",
        parents=[common],
        help="create a wallet with new seed words",
        description="Create a wallet with a new BIP39 seed. The words are shown once: write them "
        "down. The seed is stored encrypted with your password.",
    )
    add_wallet_options(parser, password=True)
    add_account_options(parser)
    parser.add_argument(
        "--words", type=int, choices=(12, 24), default=12, help="seed length (default 12)"
    )
    parser.add_argument(
        "--show-seed",
        action="store_true",
        help="print the seed words even when output is not a terminal (scripts, --json)",
    )
    parser.set_defaults(func=run)


def add_account_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by create and restore: script type, account, passphrase, gap limit."""
    parser.add_argument(
        "--script",
        default="p2wpkh",
        metavar="TYPE",
        help="p2wpkh (default, bc1q…), p2tr (bc1p…), p2sh-p2wpkh (3…) or p2pkh (1…)",
    )
    parser.add_argument("--account", type=int, default=0, help="BIP44 account number (default 0)")
    parser.add_argument(
        "--passphrase-file",
        metavar="FILE",
        help="BIP39 passphrase (the optional 'extra word') from the first line of FILE",
    )
    parser.add_argument(
        "--ask-passphrase", action="store_true", help="ask for a BIP39 passphrase at a prompt"
    )
    parser.add_argument(
        "--gap-limit", type=int, default=20, help="unused addresses to watch per chain (20)"
    )


def read_passphrase(args: argparse.Namespace) -> str:
    """The BIP39 passphrase: from ``--passphrase-file``, a prompt, or none."""
    import getpass

    from wallet.commands.wallet_common import CommandError, password_from_file

    if args.passphrase_file:
        return password_from_file(Path(args.passphrase_file))
    if args.ask_passphrase:
        if not sys.stdin.isatty():
            raise CommandError("--ask-passphrase needs a terminal; use --passphrase-file FILE")
        first = getpass.getpass("BIP39 passphrase: ")
        if getpass.getpass("Repeat the passphrase: ") != first:
            raise CommandError("the two passphrases differ; nothing was created")
        return first
    return ""


def describe(path: Path) -> dict[str, Any]:
    """What to print about a freshly made wallet (public facts only)."""
    from wallet.account.integrity import receive_fingerprint
    from wallet.account.wallet_file import Wallet

    with Wallet.open(path) as wallet:
        config = wallet.config
        stored = wallet.db.addresses()
    first_receive = next((a.address for a in stored if a.chain == 0), None)
    return {
        "wallet": str(path),
        "name": path.name,
        "network": config.network,
        "kind": config.kind.value,
        "master_fingerprint": config.master_fingerprint,
        "receive_descriptor": config.receive_descriptor,
        "receive_fingerprint": receive_fingerprint(config),
        "change_descriptor": config.change_descriptor,
        "gap_limit": config.gap_limit,
        "addresses_stored": len(stored),
        "first_address": first_receive,
    }


def summary_text(info: dict[str, Any], verb: str) -> list[str]:
    return [
        f"{verb} {info['kind'].replace('_', '-')} wallet {info['name']!r} on {info['network']}",
        f"  folder:        {info['wallet']}",
        f"  receive:       {info['receive_descriptor']}",
        f"  fingerprint:   {info['receive_fingerprint']}  (the app shows it too: compare)",
        f"  first address: {info['first_address']}",
    ]


def run(args: argparse.Namespace) -> int:
    from wallet.account.setup import create_from_seed, new_seed, parse_script_choice
    from wallet.commands import emit
    from wallet.commands.wallet_common import CommandError, network_name, read_password, wallet_path

    if not (sys.stdout.isatty() or args.show_seed or args.json):
        raise CommandError(
            "the new seed words would not be shown (output is not a terminal); add --show-seed "
            "(or --json) to print them, or run the command in a terminal. Nothing was created"
        )
    script = parse_script_choice(args.script)
    path = wallet_path(args, new=True)
    if path.exists():
        raise CommandError(f"a wallet (or other file) already exists at {path}; nothing changed")
    passphrase = read_passphrase(args)
    password = read_password(args, new=True)
    mnemonic = new_seed(args.words)
    create_from_seed(
        path,
        network_name(args),
        mnemonic,
        password,
        passphrase=passphrase,
        script=script,
        account=args.account,
        gap_limit=args.gap_limit,
    )
    info = describe(path)
    info.update(script=script.name.lower(), account=args.account, mnemonic=mnemonic)
    lines = summary_text(info, "Created")
    if passphrase:
        lines.append("  A BIP39 passphrase is in use: the words alone do not restore this wallet.")
    lines += [
        "",
        f"Your {args.words} seed words — write them down in order and keep them offline.",
        "They are the only way to restore this wallet; Paylight will not show them again:",
        "",
    ]
    words = mnemonic.split()
    for row in range(0, len(words), 4):
        cells = [f"{i + 1:>2}. {words[i]:<10}" for i in range(row, min(row + 4, len(words)))]
        lines.append("  " + "  ".join(cells))
    emit(args, info, "\n".join(line.rstrip() for line in lines))
    return 0
