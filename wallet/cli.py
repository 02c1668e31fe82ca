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
from wallet.commands import NETWORK_CHOICES
from wallet.errors import PaylightError

#: Subcommands, in help order: the name typed, and the module that defines it with
#: ``register(subparsers, common)``. ``paylight NAME ...`` imports NAME's module only, and
#: ``--version`` none: each module imports its heavy dependencies inside its handler.
COMMANDS: dict[str, str] = {
    "create": "wallet.commands.create",
    "restore": "wallet.commands.restore",
    "sync": "wallet.commands.sync",
    "servers": "wallet.commands.servers",
    "balance": "wallet.commands.balance",
    "history": "wallet.commands.history",
    "coins": "wallet.commands.coins",
    "pay": "wallet.commands.pay",
    "send": "wallet.commands.send",
    "request": "wallet.commands.request",
    "charge": "wallet.commands.charge",
    "requests": "wallet.commands.requests_list",
    "bump": "wallet.commands.bump",
    "psbt": "wallet.commands.psbt",
    "message": "wallet.commands.message",
    "labels": "wallet.commands.labels",
    "password": "wallet.commands.password",
    "addresses": "wallet.commands.addresses",
    "headers": "wallet.commands.headers",
    "playground": "wallet.commands.playground",
    "qr": "wallet.commands.qr",
    "receipt": "wallet.commands.receipt",
    "uri": "wallet.commands.uri",
    "proxy": "wallet.commands.proxy",
}
COMMAND_MODULES = tuple(dict.fromkeys(COMMANDS.values()))


def common_options() -> argparse.ArgumentParser:
    """Options every subcommand takes: ``--network`` and ``--json``."""
    common = argparse.ArgumentParser(add_help=False)
    # No default here: a wallet command takes the wallet's own network when none is given
    # (it sets ``network_optional``), as does a receipt; every other command gets mainnet.
    common.add_argument(
        "--network", default=None, choices=NETWORK_CHOICES, help="network (default: mainnet)"
    )
    common.add_argument("--json", action="store_true", help="print JSON instead of text")
    common.add_argument(
        "--proxy",
        metavar="URL",
        help="send every connection through a SOCKS5 proxy, names resolved by it: "
        "socks5://[user:password@]host:port, 'tor' (127.0.0.1:9050) or 'tor-browser' "
        "(127.0.0.1:9150); needed for .onion servers and peers. Default: the stored setting "
        "(paylight proxy set ...; the app's Connection settings); 'none' connects directly",
    )
    return common


def build_parser(modules: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser with the subcommands of ``modules`` (default: all of them)."""
    parser = argparse.ArgumentParser(
        prog="paylight",
        description="Paylight: a Bitcoin wallet and light node that checks its own payments.",
    )
    parser.add_argument("--version", action="version", version=f"paylight {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = common_options()
    for name in COMMAND_MODULES if modules is None else modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # a command not built yet; the others still work
                continue
            raise
        module.register(subparsers, common)
    return parser


def modules_for(argv: Sequence[str]) -> list[str] | None:
    """The command modules parsing ``argv`` needs: the named command's, none for ``--version``,
    or all (None) to list them for ``--help`` or a mistyped command."""
    if argv and argv[0] in COMMANDS:
        return [COMMANDS[argv[0]]]
    if argv and argv[0] == "--version":
        return []
    return None


def apply_proxy(args: argparse.Namespace) -> None:
    """``--proxy`` for this run, else the stored setting (the app's "use Tor", or
    ``paylight proxy set``): a script that forgets ``--proxy`` does not bypass Tor."""
    if not hasattr(args, "proxy") or getattr(args, "reads_proxy_setting", False):
        return  # --help, --version: nothing connects; ``paylight proxy`` reads it itself
    from wallet.net.proxy import set_default_proxy

    if args.proxy is not None:
        set_default_proxy(args.proxy)  # 'none' connects directly for this run
        return
    from wallet.account.proxy_setting import load_proxy_setting

    set_default_proxy(load_proxy_setting() or None)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        from wallet.gui.app import run_gui

        return run_gui()
    parser = build_parser(modules_for(argv))
    args = parser.parse_args(argv)
    if getattr(args, "network", "") is None and not getattr(args, "network_optional", False):
        args.network = "mainnet"
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        apply_proxy(args)
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
