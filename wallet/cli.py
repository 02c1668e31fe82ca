"""The ``paylight`` command line: one subcommand per module in ``wallet/commands/``.

With no arguments it opens the GUI. Subcommands print human text, or JSON with ``--json``; errors
go to stderr as one sentence, with exit code 1 (2 for usage errors, from argparse). Ctrl-D at a
prompt cancels with exit code 1, Ctrl-C with 130; a closed output pipe (``| head -1``) ends
quietly with 141, as a program killed by SIGPIPE would.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from wallet import __version__
from wallet.errors import PaylightError

#: Subcommand modules, in help order. Each defines ``register(subparsers, common)``.
COMMAND_MODULES = (
    "wallet.commands.create",
    "wallet.commands.restore",
    "wallet.commands.sync",
    "wallet.commands.balance",
    "wallet.commands.history",
    "wallet.commands.pay",
    "wallet.commands.send",
    "wallet.commands.request",
    "wallet.commands.charge",
    "wallet.commands.bump",
    "wallet.commands.psbt",
    "wallet.commands.message",
    "wallet.commands.labels",
    "wallet.commands.password",
    "wallet.commands.addresses",
    "wallet.commands.headers",
    "wallet.commands.playground",
    "wallet.commands.qr",
    "wallet.commands.receipt",
    "wallet.commands.uri",
)


def common_options() -> argparse.ArgumentParser:
    """Options every subcommand takes (DESIGN.md: ``--network`` and ``--json``)."""
    from wallet.bitcoin.networks import NETWORK_NAMES

    common = argparse.ArgumentParser(add_help=False)
    # No default here: a wallet command takes the wallet's own network when none is given
    # (it sets ``network_optional``), as does a receipt; every other command gets mainnet.
    common.add_argument(
        "--network", default=None, choices=NETWORK_NAMES, help="network (default: mainnet)"
    )
    common.add_argument("--json", action="store_true", help="print JSON instead of text")
    common.add_argument(
        "--proxy",
        metavar="URL",
        help="send every connection through a SOCKS5 proxy, names resolved by it: "
        "socks5://[user:password@]host:port, 'tor' (127.0.0.1:9050) or 'tor-browser' "
        "(127.0.0.1:9150); needed for .onion servers and peers",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="paylight",
        description="Paylight: a Bitcoin wallet and light node that checks its own payments.",
    )
    parser.add_argument("--version", action="version", version=f"paylight {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = common_options()
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # a command not built yet; the others still work
                continue
            raise
        module.register(subparsers, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        from wallet.gui.app import run_gui

        return run_gui()
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "network", "") is None and not getattr(args, "network_optional", False):
        args.network = "mainnet"
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        if getattr(args, "proxy", None):
            from wallet.net.proxy import set_default_proxy

            set_default_proxy(args.proxy)
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit flush
        return code
    except PaylightError as exc:
        print(f"paylight: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("paylight: interrupted", file=sys.stderr)
        return 130
    except EOFError:  # Ctrl-D at a prompt (password, seed words, "Send this transaction?")
        print("\npaylight: cancelled (end of input); nothing was done", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader went away (``paylight addresses ... | head -1``)
        _discard_stdout()
        return 141


def _discard_stdout() -> None:
    """Point stdout at the null device so the interpreter's exit flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no file descriptor (stdout replaced): nothing to flush
        pass


if __name__ == "__main__":
    raise SystemExit(main())
