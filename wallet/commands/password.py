"""``paylight password``: change the password that seals a wallet's seed.

The current password comes as for every command (``--password-file``, ``$PAYLIGHT_PASSWORD``
or a prompt); the new one from ``--new-password-file`` or a prompt asked twice. The keystore is
re-sealed with a fresh salt and nonce and replaced atomically; a wrong current password changes
nothing on disk. A watch-only wallet has no keystore: its password seals ``wallet.json`` with a
MAC (account/integrity.py), so a changed descriptor is caught; one without a password gets one.
"""

from __future__ import annotations

import argparse
from typing import Any

from wallet.commands.wallet_common import add_wallet_options


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "password",
        parents=[common],
        help="change the wallet's password",
        description="Re-encrypt the wallet's seed under a new password.",
    )
    add_wallet_options(parser, password=True)
    parser.add_argument(
        "--new-password-file", metavar="FILE", help="read the new password from FILE"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import getpass
    import sys
    from pathlib import Path

    from wallet.commands import emit
    from wallet.commands.wallet_common import (
        CommandError,
        check_new_password,
        open_wallet,
        password_from_file,
        read_password,
    )

    with open_wallet(args) as wallet:  # a sealed watch-only wallet: its password checked here
        old = None if wallet.is_watch_only else read_password(args)
        if old is not None:
            wallet.keystore.unlock(old)  # refuse a wrong password before asking for a new one
        if args.new_password_file:
            new = password_from_file(Path(args.new_password_file))
        elif sys.stdin is not None and sys.stdin.isatty():
            new = getpass.getpass("New wallet password: ")
            if getpass.getpass("Repeat the new password: ") != new:
                raise CommandError("the two passwords differ; nothing changed")
        else:
            raise CommandError("give the new password with --new-password-file FILE")
        if not new:
            raise CommandError("the new password is empty; nothing changed")
        check_new_password(new)
        if new == old:
            raise CommandError("the new password is the same as the current one; nothing changed")
        path = str(wallet.path)
        if old is None:
            first = not wallet.needs_config_password
            wallet.seal_config(new)
            text = (
                f"{path} is watch-only: its wallet.json now carries a MAC under this password "
                "(commands that open it ask for the password and refuse a changed file)."
                if first
                else f"The password sealing {path}'s wallet.json was changed."
            )
            emit(args, {"wallet": path, "changed": True, "sealed": True}, text)
            return 0
        wallet.change_password(old, new)
    emit(args, {"wallet": path, "changed": True}, f"The password of {path} was changed.")
    return 0
