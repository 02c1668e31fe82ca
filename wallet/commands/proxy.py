"""``paylight proxy [show|set VALUE]``: the stored proxy setting ("use Tor").

Every command and the app connect through it unless ``--proxy`` says otherwise for one run;
the app's Connection settings change the same setting. ``set none`` connects directly again.
"""

from __future__ import annotations

import argparse
from typing import Any

from wallet.commands import emit


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "proxy",
        help="show or set the stored proxy (Tor) every command and the app use",
        description="The proxy every connection goes through unless --proxy is given for one "
        "run: 'tor' (Tor's daemon, 127.0.0.1:9050), 'tor-browser' (127.0.0.1:9150), "
        "socks5://[user:password@]host:port, or 'none'. Tor hides your IP address from "
        "servers and peers; .onion servers and peers need it.",
    )
    sub = parser.add_subparsers(dest="proxy_command", metavar="ACTION")
    show = sub.add_parser("show", parents=[common], help="print the stored setting")
    show.set_defaults(func=_show, reads_proxy_setting=True)
    change = sub.add_parser("set", parents=[common], help="store a new setting")
    change.add_argument(
        "value", metavar="VALUE", help="tor, tor-browser, socks5://host:port or none"
    )
    change.set_defaults(func=_set, reads_proxy_setting=True)
    parser.set_defaults(func=_show, reads_proxy_setting=True)


def _describe(value: str) -> str:
    from wallet.net.proxy import parse_proxy

    proxy = parse_proxy(value)
    if proxy is None:
        return "no proxy: connections go directly"
    named = f" ({value})" if "://" not in value else ""
    return f"every connection goes through {proxy}{named}"


def _show(args: argparse.Namespace) -> int:
    from wallet.account.proxy_setting import load_proxy_setting, proxy_setting_file

    value = load_proxy_setting()
    emit(args, {"proxy": value, "file": str(proxy_setting_file())}, _describe(value))
    return 0


def _set(args: argparse.Namespace) -> int:
    from wallet.account.proxy_setting import (
        load_proxy_setting,
        proxy_setting_file,
        save_proxy_setting,
    )

    save_proxy_setting(args.value)
    value = load_proxy_setting()
    emit(args, {"proxy": value, "file": str(proxy_setting_file())}, f"saved: {_describe(value)}")
    return 0
