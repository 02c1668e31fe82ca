"""``paylight servers list|add|remove``: the saved server lists, changed on purpose only.

Two lists exist. A wallet's own (``--wallet NAME``), kept in its database and edited by the
GUI too; and the network's (no ``--wallet``), used by every wallet without a list of its own:
the user's ``servers.json`` in the config folder when it names the network, else the bundled
defaults. Adding to or removing from the network's list writes ``servers.json``, starting from
the list in use. ``--server URL`` on other commands never changes either list.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from wallet.commands.wallet_common import CommandError, add_wallet_options


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "servers",
        help="list, add or remove saved servers (a wallet's, or the network's)",
        description="The servers commands use when no --server is given: a wallet's own list "
        "(--wallet NAME), else the network's (servers.json in the config folder, else the "
        "bundled defaults).",
    )
    actions = parser.add_subparsers(dest="servers_command", metavar="ACTION")
    listing = actions.add_parser(
        "list", parents=[common], help="show a saved list and the servers in use"
    )
    add_wallet_options(listing)
    listing.set_defaults(func=run_list)
    for name, verb in (("add", "add a server to"), ("remove", "remove a server from")):
        action = actions.add_parser(
            name, parents=[common], help=f"{verb} the wallet's list (--wallet) or the network's"
        )
        action.add_argument(
            "url", metavar="URL", help="ssl://host:port, tcp://host:port or https://host/api"
        )
        add_wallet_options(action)
        action.set_defaults(func=run_change, change=name)


def _wallet_or_none(args: argparse.Namespace) -> Any:
    from wallet.commands.wallet_common import open_wallet

    return open_wallet(args) if args.wallet is not None else None


def run_list(args: argparse.Namespace) -> int:
    from wallet.commands import emit
    from wallet.commands.wallet_common import network_name, network_servers

    wallet = _wallet_or_none(args)
    if wallet is None:
        network = network_name(args)
        specs = network_servers(network)
        rows = [{"url": s.url, "name": s.name, "list": "network"} for s in specs]
        lines = [f"{network} servers (used by wallets without their own list):"]
        lines += [f"  {s.url}  {s.name}" for s in specs] or ["  (none)"]
        data = {"network": network, "servers": rows, "in_use": [s.url for s in specs]}
        emit(args, data, "\n".join(lines))
        return 0
    with wallet:
        network = wallet.config.network
        records = wallet.db.servers(network)
    own = [
        {
            "url": r.url,
            "enabled": r.enabled,
            "status": r.last_status.value,
            "dropped_reason": r.dropped_reason,
        }
        for r in records
    ]
    enabled = [r["url"] for r in own if r["enabled"]]
    in_use = enabled or [s.url for s in network_servers(network)]
    lines = [f"wallet {wallet.path.name!r} on {network}:"]
    for r in own:
        state = "" if r["enabled"] else "  (disabled)"
        reason = f"  dropped: {r['dropped_reason']}" if r["dropped_reason"] else ""
        lines.append(f"  {r['url']}{state}{reason}")
    if not enabled:
        lines.append("  no servers of its own: it uses the network's list:")
        lines += [f"  {url}" for url in in_use] or ["  (none)"]
    data = {"network": network, "wallet": str(wallet.path), "servers": own, "in_use": in_use}
    emit(args, data, "\n".join(lines))
    return 0


def run_change(args: argparse.Namespace) -> int:
    from wallet.backends.servers import ServerSpec
    from wallet.commands import emit
    from wallet.commands.wallet_common import network_name

    spec = ServerSpec.parse(args.url)
    wallet = _wallet_or_none(args)
    if wallet is None:
        network = network_name(args)
        urls = _change_network_list(network, spec, args.change)
        where = f"the {network} list"
    else:
        with wallet:
            network = wallet.config.network
            if args.change == "add":
                wallet.db.add_server(spec.url, network)
            elif not wallet.db.remove_server(spec.url, network):
                raise CommandError(f"{spec.url} is not in this wallet's server list")
            urls = [r.url for r in wallet.db.servers(network) if r.enabled]
        where = f"wallet {wallet.path.name!r}'s list"
    verb = "added to" if args.change == "add" else "removed from"
    text = f"{spec.url} {verb} {where}"
    if not urls:
        text += " (now empty: " + (
            "the network's list is used)" if wallet is not None else "give --server URL)"
        )
    emit(args, {"network": network, "url": spec.url, "servers": urls}, text)
    return 0


def _change_network_list(network: str, spec: Any, change: str) -> list[str]:
    """Add ``spec`` to or remove it from the network's list in the user's ``servers.json``
    (other networks' entries kept as they are); the list's URLs afterwards."""
    from wallet.account.atomic import atomic_write
    from wallet.account.paths import config_dir, ensure_private_dir
    from wallet.backends.servers import FILE_NAME
    from wallet.commands.wallet_common import network_servers

    path = config_dir() / FILE_NAME
    doc: dict[str, Any] = {"version": 1, "networks": {}}
    if path.is_file():
        network_servers(network)  # a broken file is reported (one sentence) before any change
        doc = json.loads(path.read_text(encoding="utf-8"))
    entries = [{"url": s.url, "name": s.name} for s in network_servers(network)]
    urls = [e["url"] for e in entries]
    if change == "add":
        if spec.url in urls:
            raise CommandError(f"{spec.url} is already in the {network} list")
        entries.append({"url": spec.url, "name": spec.name})
    else:
        if spec.url not in urls:
            raise CommandError(f"{spec.url} is not in the {network} list")
        entries = [e for e in entries if e["url"] != spec.url]
    doc.setdefault("networks", {})[network] = entries
    ensure_private_dir(path.parent)
    atomic_write(path, (json.dumps(doc, indent=2) + "\n").encode(), mode=0o644)
    return [e["url"] for e in entries]
