"""``paylight create``: a new wallet with a new BIP39 seed (12 or 24 words).

The seed words are printed once, here, and never again by any command. They go to a terminal,
or — when stdout is a pipe or a file (a script, a log) — only if ``--show-seed`` or ``--json``
asks for them explicitly (the JSON then has a ``mnemonic`` field): otherwise the command refuses
to make a wallet whose words nobody would see. At a terminal it then asks for three of the words
back, as the GUI does, and makes the wallet only when they match: a mis-copied seed is caught
while the wallet is still empty. A script that keeps the words itself skips this with
``--skip-seed-check``. The password must have at least 8 characters.

The descriptor printed covers receive and change (``/<0;1>/*``, BIP389): a watch-only wallet
made from the receive descriptor alone would miss every change output.
"""

from __future__ import annotations

import argparse
import sys
import time
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
    parser.add_argument(
        "--skip-seed-check",
        action="store_true",
        help="do not ask for three of the words back (for scripts that keep the words)",
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


#: How many words of a new seed are asked back, and how many tries are given.
CHECK_WORDS, CHECK_TRIES = 3, 3
NO_CHANGE_WARNING = (
    "this watch-only wallet has no change descriptor: it sees receive addresses only, so "
    "change coming back from payments (and any balance held in it) stays invisible. Restore "
    "from the /<0;1>/* descriptor, or the account xpub, to see both"
)


def describe(path: Path) -> dict[str, Any]:
    """What to print about a freshly made wallet (public facts only)."""
    from wallet.account.integrity import receive_fingerprint
    from wallet.account.setup import multipath_descriptor
    from wallet.account.wallet_file import Wallet

    with Wallet.open(path) as wallet:
        config = wallet.config
        stored = wallet.db.addresses()
    first_receive = next((a.address for a in stored if a.chain == 0), None)
    warnings = []
    if config.change_descriptor is None:
        warnings.append(NO_CHANGE_WARNING)
    return {
        "wallet": str(path),
        "name": path.name,
        "network": config.network,
        "kind": config.kind.value,
        "master_fingerprint": config.master_fingerprint,
        "descriptor": multipath_descriptor(
            config.receive_descriptor, config.change_descriptor, config.net
        ),
        "receive_descriptor": config.receive_descriptor,
        "receive_fingerprint": receive_fingerprint(config),
        "change_descriptor": config.change_descriptor,
        "gap_limit": config.gap_limit,
        "addresses_stored": len(stored),
        "first_address": first_receive,
        "warnings": warnings,
    }


def summary_text(info: dict[str, Any], verb: str) -> list[str]:
    lines = [
        f"{verb} {info['kind'].replace('_', '-')} wallet {info['name']!r} on {info['network']}",
        f"  folder:        {info['wallet']}",
    ]
    if info["descriptor"]:  # what a watch-only copy elsewhere needs: receive and change
        lines.append(f"  descriptor:    {info['descriptor']}")
    else:
        lines.append(f"  receive:       {info['receive_descriptor']}")
        if info["change_descriptor"]:
            lines.append(f"  change:        {info['change_descriptor']}")
    lines.append(f"  fingerprint:   {info['receive_fingerprint']}  (the app shows it too: compare)")
    lines.append(f"  first address: {info['first_address']}")
    lines += [f"  warning: {w}" for w in info["warnings"]]
    return lines


def seed_lines(mnemonic: str) -> list[str]:
    """The words in numbered rows of four, with what to do with them."""
    words = mnemonic.split()
    lines = [
        f"Your {len(words)} seed words — write them down in order and keep them offline.",
        "They are the only way to restore this wallet; Paylight will not show them again:",
        "",
    ]
    for row in range(0, len(words), 4):
        cells = [f"{i + 1:>2}. {words[i]:<10}" for i in range(row, min(row + 4, len(words)))]
        lines.append(("  " + "  ".join(cells)).rstrip())
    return lines


def check_words_back(mnemonic: str) -> None:
    """Ask for a few randomly chosen words at the terminal; CommandError after too many
    wrong answers (the wallet is made only after this passes)."""
    import secrets

    from wallet.commands.wallet_common import CommandError

    words = mnemonic.split()
    positions = sorted(secrets.SystemRandom().sample(range(len(words)), CHECK_WORDS))
    print("\nCheck your copy: type these words from it.", flush=True)
    for attempt in range(1, CHECK_TRIES + 1):
        try:
            answers = [input(f"  word {i + 1}: ").strip().lower() for i in positions]
        except EOFError:
            raise CommandError("no answer came; nothing was created") from None
        wrong = [i + 1 for i, answer in zip(positions, answers) if answer != words[i]]
        if not wrong:
            return
        which = ", ".join(str(n) for n in wrong)
        if attempt < CHECK_TRIES:
            print(f"  word {which} does not match your seed; check your copy and try again.")
    raise CommandError(
        f"word {which} did not match the seed words shown; nothing was created. Run "
        "'paylight create' again and copy the new words carefully"
    )


def run(args: argparse.Namespace) -> int:
    from wallet.account.setup import create_from_seed, new_seed, parse_script_choice
    from wallet.commands import emit
    from wallet.commands.wallet_common import (
        CommandError,
        chosen_network,
        read_password,
        wallet_path,
    )
    from wallet.sync.session import default_sources

    if not (sys.stdout.isatty() or args.show_seed or args.json):
        raise CommandError(
            "the new seed words would not be shown (output is not a terminal); add --show-seed "
            "(or --json) to print them, or run the command in a terminal. Nothing was created"
        )
    check = not args.skip_seed_check
    if check and (args.json or not (sys.stdin.isatty() and sys.stdout.isatty())):
        raise CommandError(
            "paylight create asks for three of the new words back, which needs a terminal; a "
            "script that keeps the words itself may add --skip-seed-check. Nothing was created"
        )
    script = parse_script_choice(args.script)
    path = wallet_path(args, new=True)
    if path.exists():
        raise CommandError(f"a wallet (or other file) already exists at {path}; nothing changed")
    passphrase = read_passphrase(args)
    password = read_password(args, new=True)
    mnemonic = new_seed(args.words)
    if check:  # the words first, then three of them back, then the wallet
        print("\n".join(seed_lines(mnemonic)), flush=True)
        check_words_back(mnemonic)
    network = chosen_network(args)
    create_from_seed(
        path,
        network,
        mnemonic,
        password,
        passphrase=passphrase,
        script=script,
        account=args.account,
        gap_limit=args.gap_limit,
        birth_time=int(time.time()),  # nothing can have paid it before now
        sources=default_sources(network),
    )
    info = describe(path)
    info.update(script=script.name.lower(), account=args.account, mnemonic=mnemonic)
    lines = summary_text(info, "Created")
    if passphrase:
        lines.append("  A BIP39 passphrase is in use: the words alone do not restore this wallet.")
    if not check:
        lines += ["", *seed_lines(mnemonic)]
    emit(args, info, "\n".join(line.rstrip() for line in lines))
    return 0
