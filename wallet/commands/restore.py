"""``paylight restore``: a wallet from its BIP39 seed words, or a watch-only one from an xpub.

The words are read from ``--seed-file``, from a hidden prompt on a terminal, or from stdin when
it is a pipe — never from the command line, where every user of the machine could read them.
``--watch`` takes what an air-gapped signer shows for its account: a ``ur:crypto-account``
(or ``crypto-output``/``crypto-hdkey``, and their newer names), a descriptor, a key with its
origin (``[fingerprint/84h/0h/0h]xpub...``) or an xpub/ypub/zpub (SLIP-132 prefixes pick the
script type); ``--watch-file`` reads it from files -- the frames of an animated code as text
lines, QR images or a GIF. ``--fingerprint`` checks the master fingerprint the signer shows.
The wallet has no keys and no password.

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
        metavar="EXPORT",
        help="watch-only: a signer's account (ur:crypto-account..., a descriptor, "
        "[fingerprint/path]xpub, or an xpub/ypub/zpub)",
    )
    source.add_argument(
        "--watch-file",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="watch-only: the signer's account export from files (text, the frames of an "
        "animated code as lines, QR images or a GIF)",
    )
    parser.add_argument(
        "--birthday",
        metavar="DATE|HEIGHT",
        help="when the wallet was first used: a date (2024-05-01, UTC) or a block height; a "
        "sync over P2P peers or Bitcoin Core reads no block before it (default: from the "
        "network's first block -- every block's filter is fetched)",
    )
    parser.add_argument(
        "--fingerprint",
        metavar="HEX",
        help="with --watch: the master fingerprint the signer shows (8 hex digits), checked",
    )
    parser.set_defaults(func=run, script=None)


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


def parse_birthday(text: str | None) -> tuple[int | None, int | None]:
    """``--birthday``: (a block height, None) or (None, a date's Unix time at 00:00 UTC)."""
    import datetime

    from wallet.commands.wallet_common import CommandError

    if text is None:
        return None, None
    value = text.strip()
    if value.isdigit():
        return int(value), None
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--birthday {text!r} is neither a date (YYYY-MM-DD) nor a block height"
        ) from None
    moment = datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)
    if moment.timestamp() < 1231006505:  # the genesis block
        raise CommandError(f"--birthday {text!r} is before Bitcoin's first block (2009-01-03)")
    return None, int(moment.timestamp())


def run(args: argparse.Namespace) -> int:
    from wallet.account.setup import create_from_seed, create_wallet, parse_script_choice
    from wallet.bitcoin.bip39 import validate_mnemonic
    from wallet.commands import emit
    from wallet.commands.create import describe, read_passphrase, summary_text
    from wallet.commands.wallet_common import (
        CommandError,
        chosen_network,
        read_password,
        wallet_path,
    )
    from wallet.sync.session import default_sources

    birth_height, birth_time = parse_birthday(args.birthday)
    chosen = parse_script_choice(args.script) if args.script else None
    script = chosen or parse_script_choice("p2wpkh")
    path = wallet_path(args, new=True)
    if path.exists():
        raise CommandError(f"a wallet (or other file) already exists at {path}; nothing changed")
    network = chosen_network(args)
    watching = args.watch is not None or args.watch_file is not None
    signer = None
    if args.fingerprint and not watching:
        raise CommandError("--fingerprint checks a watch-only export (--watch or --watch-file)")
    if watching:
        if args.passphrase_file or args.ask_passphrase or args.account:
            raise CommandError(
                "a watch-only wallet takes its account from the key or descriptor given; "
                "--account and passphrases apply to seed words only"
            )
        from wallet.payments.signer_account import parse_signer_account

        export = args.watch
        if export is None:
            from wallet.commands.animated_io import read_code

            export = read_code(args.watch_file)
        signer = parse_signer_account(export, network, script=chosen, fingerprint=args.fingerprint)
        # a password only when asked for: it seals wallet.json (a watch-only wallet has no keys)
        password = read_password(args, new=True) if args.password_file else None
        create_wallet(
            path,
            network,
            signer.descriptors,
            gap_limit=args.gap_limit,
            password=password,
            birth_height=birth_height,
            birth_time=birth_time,
            sources=default_sources(network),
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
            birth_height=birth_height,
            birth_time=birth_time,
            sources=default_sources(network),
        )
    info = describe(path)
    if signer is not None:
        info.update(script=signer.script.name.lower(), source=signer.source)
    else:
        info.update(script=script.name.lower(), account=args.account)
    lines = summary_text(info, "Restored")
    lines.append("Run 'paylight sync' to find its transactions.")
    emit(args, info, "\n".join(lines))
    return 0
