"""``paylight restore``: a wallet from its BIP39 seed words, or a watch-only one from an xpub.

The words are read from ``--seed-file``, from a hidden prompt on a terminal, or from stdin when
it is a pipe — never from the command line, where every user of the machine could read them.
``--watch`` takes an account xpub/ypub/zpub (SLIP-132 prefixes pick the script type) or a
ranged descriptor, and makes a wallet with no keys and no password.

Restoring stores the first gap-limit addresses of each chain; ``paylight sync`` then finds the
history (and derives further addresses while they turn out used).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from wallet.commands.create import add_account_options
from wallet.commands.wallet_common import add_wallet_options

#: Seed files and piped input hold a few words; refuse to read anything large.
MAX_SEED_INPUT = 4096


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "restore",
        parents=[common],
        help="restore a wallet from seed words, or watch an xpub/descriptor",
        description="Restore a wallet from its BIP39 seed words (from --seed-file, a prompt, or "
        "stdin), or make a watch-only wallet with --watch XPUB|DESCRIPTOR. Then run "
        "'paylight sync' to find its history.",
    )
    add_wallet_options(parser, password=True)
    add_account_options(parser)
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--seed-file", metavar="FILE", help="read the seed words from FILE")
    source.add_argument(
        "--watch",
        metavar="KEY|DESCRIPTOR",
        help="watch-only: an account xpub/ypub/zpub (tpub/upub/vpub) or a ranged descriptor",
    )
    parser.set_defaults(func=run)


def read_seed(args: argparse.Namespace) -> str:
    """The seed words from ``--seed-file``, a hidden prompt, or piped stdin."""
    import getpass

    from wallet.commands.wallet_common import CommandError

    if args.seed_file:
        path = Path(args.seed_file)
        try:
            with open(path, "rb") as handle:
                blob = handle.read(MAX_SEED_INPUT + 1)
        except OSError as exc:
            raise CommandError(f"cannot read the seed file {path}: {exc.strerror}") from None
        where = f"the seed file {path}"
    elif sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass("Seed words (hidden, separated by spaces): ")
    elif sys.stdin is not None:
        blob = sys.stdin.buffer.read(MAX_SEED_INPUT + 1)
        where = "standard input"
    else:
        raise CommandError("give the seed words with --seed-file FILE or on standard input")
    if len(blob) > MAX_SEED_INPUT:
        raise CommandError(f"{where} is too large to hold seed words")
    try:
        text = blob.decode("utf-8")
    except UnicodeDecodeError:
        raise CommandError(f"{where} is not UTF-8 text") from None
    if not text.strip():
        raise CommandError(f"{where} holds no seed words")
    return text


def run(args: argparse.Namespace) -> int:
    from wallet.account.setup import create_from_seed, create_watch_only, parse_script_choice
    from wallet.bitcoin.bip39 import validate_mnemonic
    from wallet.commands import emit
    from wallet.commands.create import describe, read_passphrase, summary_text
    from wallet.commands.wallet_common import (
        CommandError,
        network_name,
        read_password,
        wallet_path,
    )

    script = parse_script_choice(args.script)
    path = wallet_path(args, new=True)
    if path.exists():
        raise CommandError(f"a wallet (or other file) already exists at {path}; nothing changed")
    network = network_name(args)
    if args.watch:
        if args.passphrase_file or args.ask_passphrase or args.account:
            raise CommandError(
                "a watch-only wallet takes its account from the key or descriptor given; "
                "--account and passphrases apply to seed words only"
            )
        # a password only when asked for: it seals wallet.json (a watch-only wallet has no keys)
        password = read_password(args, new=True) if args.password_file else None
        create_watch_only(
            path, network, args.watch, script=script, gap_limit=args.gap_limit, password=password
        )
    else:
        mnemonic = validate_mnemonic(read_seed(args))  # a typo is reported before any prompt
        passphrase = read_passphrase(args)
        password = read_password(args, new=True)
        create_from_seed(
            path,
            network,
            mnemonic,
            password,
            passphrase=passphrase,
            script=script,
            account=args.account,
            gap_limit=args.gap_limit,
        )
    info = describe(path)
    if not args.watch:
        info.update(script=script.name.lower(), account=args.account)
    lines = summary_text(info, "Restored")
    lines.append("Run 'paylight sync' to find its transactions.")
    emit(args, info, "\n".join(lines))
    return 0
