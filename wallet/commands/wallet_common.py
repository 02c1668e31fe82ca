"""What every wallet subcommand shares: which wallet, which servers, the password, the session.

Options (added by :func:`add_wallet_options`):

* ``--wallet NAME|PATH`` — a name is a folder under the network's wallets directory
  (``$PAYLIGHT_HOME/<network>/wallets/NAME``); anything with a path separator is a folder path.
  Without it: the wallet called ``default``, else the only wallet on the network.
* ``--server URL`` (repeatable) — ``tcp://host:port``, ``ssl://host:port`` (Electrum protocol)
  or ``https://host/api`` (Esplora), ``p2p://host:port`` (a Bitcoin peer), ``p2p://`` (the
  network's peers) or ``core://host:port`` (a Bitcoin Core node), for this run only;
  ``--p2p [PEER ...]`` and ``--core [URL]`` say the same in short. Without any: the wallet's
  own sources, else the user's ``servers.json`` in the config folder, else the bundled
  defaults for the network (wallet/backends/servers.py). ``paylight servers`` edits those
  lists. Sources of different kinds are used together (servers with peers or a node).
* ``--password-file FILE`` — the password is its first line. Otherwise ``$PAYLIGHT_PASSWORD``,
  otherwise a prompt when stdin is a terminal. A password is never taken as an argument: the
  command line is visible to every user of the machine (``ps``).

``--network`` defaults to "the wallet's own" for these commands: given with a wallet path it must
match the wallet; with a name it picks the network folder (mainnet when absent).
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wallet.errors import PaylightError

if TYPE_CHECKING:
    from wallet.account.wallet_file import Wallet
    from wallet.backends.pool import ServerPool
    from wallet.backends.servers import ServerSpec
    from wallet.bitcoin.networks import Network
    from wallet.sync.session import SyncSession

PASSWORD_ENV = "PAYLIGHT_PASSWORD"
DEFAULT_WALLET = "default"
DEFAULT_NETWORK = "mainnet"
#: A password file is one short line; refuse to read a large file by mistake.
MAX_PASSWORD_FILE = 4096


class CommandError(PaylightError):
    """A wallet command cannot go ahead (missing wallet, password, server...)."""


# -- options ----------------------------------------------------------------------------------


def add_wallet_options(
    parser: argparse.ArgumentParser, *, servers: bool = False, password: bool = False
) -> None:
    """Add ``--wallet`` (and ``--server``, ``--password-file`` when asked) to ``parser``."""
    parser.add_argument(
        "--wallet",
        metavar="NAME|PATH",
        help="wallet name (in the network's wallets folder) or folder path",
    )
    if servers:
        parser.add_argument(
            "--server",
            dest="servers",
            action="append",
            metavar="URL",
            help="server to use for this run only, repeatable: tcp://host:port, ssl://host:port "
            "(Electrum) or https://host/api (Esplora), p2p://host:port (a Bitcoin peer), "
            "p2p:// (the network's peers), core://host:port (Bitcoin Core); default: the saved "
            "list (paylight servers)",
        )
        parser.add_argument(
            "--p2p",
            nargs="*",
            metavar="PEER",
            help="sync from Bitcoin P2P peers with compact block filters, for this run: the "
            "peers named (host:port), or the network's own peers when none is named; no peer "
            "learns the wallet's addresses",
        )
        parser.add_argument(
            "--core",
            nargs="?",
            const="",
            metavar="URL",
            help="sync from a Bitcoin Core node's REST and RPC, for this run: http://host:port "
            "(default: this machine, the network's RPC port); logs in with the node's cookie, "
            "or as user@host with the password in $PAYLIGHT_CORE_PASSWORD; the node needs "
            "-rest=1 and -blockfilterindex=1",
        )
        parser.add_argument(
            "--core-cookie",
            metavar="FILE",
            help="the node's .cookie file when it is not in Core's default data directory",
        )
    if password:
        parser.add_argument(
            "--password-file",
            metavar="FILE",
            help=f"read the wallet password from FILE (else ${PASSWORD_ENV}, else a prompt)",
        )
    # --network unset means "the wallet's own network" here (wallet/cli.py leaves it None).
    # Not set_defaults(network=None): that would change the shared action for every command.
    parser.set_defaults(network_optional=True)


def chosen_network(args: argparse.Namespace) -> Network:
    """The network the user chose, or mainnet: the command line's edge, where a name becomes
    the :class:`~wallet.bitcoin.networks.Network` passed below it."""
    from wallet.bitcoin.networks import get_network

    return get_network(getattr(args, "network", None) or DEFAULT_NETWORK)


def network_name(args: argparse.Namespace) -> str:
    """The name of :func:`chosen_network` (for messages and JSON)."""
    return chosen_network(args).name


# -- which wallet -----------------------------------------------------------------------------


def _looks_like_path(value: str) -> bool:
    return any(sep in value for sep in ("/", "\\", os.sep)) or value.startswith(("~", "."))


def wallet_path(args: argparse.Namespace, *, new: bool = False) -> Path:
    """The folder ``--wallet`` names. ``new``: the wallet is about to be created."""
    from wallet.account.paths import list_wallets, wallet_dir

    value = getattr(args, "wallet", None)
    network = chosen_network(args)
    if value is not None and _looks_like_path(value):
        return Path(value).expanduser().absolute()
    if value is not None:
        return wallet_dir(value, network)
    if new:
        return wallet_dir(DEFAULT_WALLET, network)
    names = list_wallets(network)
    if DEFAULT_WALLET in names or len(names) == 1:
        return wallet_dir(DEFAULT_WALLET if DEFAULT_WALLET in names else names[0], network)
    if not names:
        raise CommandError(
            f"there is no wallet on {network.name} yet; make one with 'paylight create' or "
            f"'paylight restore' (add --network NAME for another network)"
        )
    raise CommandError(
        f"there are several wallets on {network.name} ({', '.join(names)}); choose one with "
        "--wallet"
    )


def open_wallet(args: argparse.Namespace) -> Wallet:
    """Open the wallet ``--wallet`` names (taking its lock); a clear error when it is not there."""
    from wallet.account.paths import list_wallets
    from wallet.account.session import open_wallet as open_wallet_at
    from wallet.account.wallet_file import CONFIG_FILE
    from wallet.bitcoin.networks import NETWORK_NAMES, get_network

    path = wallet_path(args)
    if not (path / CONFIG_FILE).is_file():
        value = getattr(args, "wallet", None)
        hint = ""
        if value is not None and not _looks_like_path(value):
            elsewhere = sorted(
                {n.name for n in map(get_network, NETWORK_NAMES) if value in list_wallets(n)}
            )
            if elsewhere:
                hint = f"; there is one on {', '.join(elsewhere)} (add --network {elsewhere[0]})"
            else:
                hint = f"; wallets on {network_name(args)}: " + (
                    ", ".join(list_wallets(chosen_network(args))) or "none"
                )
        raise CommandError(f"there is no Paylight wallet at {path}{hint}")
    chosen = getattr(args, "network", None)
    # a watch-only wallet sealed with a password has its configuration checked with it
    return open_wallet_at(
        path,
        network=None if chosen is None else get_network(chosen),
        password=lambda: read_password(args),
    )


# -- passwords --------------------------------------------------------------------------------


def read_password(args: argparse.Namespace, *, new: bool = False) -> str:
    """The password from ``--password-file``, ``$PAYLIGHT_PASSWORD`` or a terminal prompt.

    ``new``: it will seal a new keystore, so a prompt asks twice, and it must be long enough.
    """
    password = _read_password(args, new)
    if new:
        check_new_password(password)
    return password


def check_new_password(password: str) -> None:
    """Refuse a password too short to protect a seed (the GUI's rule too)."""
    from wallet.account.setup import MIN_PASSWORD_LENGTH

    if len(password) < MIN_PASSWORD_LENGTH:
        raise CommandError(
            f"the password has {len(password)} characters; use at least {MIN_PASSWORD_LENGTH} "
            "to protect the seed. Nothing was changed"
        )


def _read_password(args: argparse.Namespace, new: bool) -> str:
    file = getattr(args, "password_file", None)
    if file:
        return password_from_file(Path(file))
    env = os.environ.get(PASSWORD_ENV)
    if env:
        return env
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass("New wallet password: " if new else "Wallet password: ")
        if not first:
            raise CommandError("the password is empty; choose one to protect the seed")
        if new and getpass.getpass("Repeat the password: ") != first:
            raise CommandError("the two passwords differ; nothing was created")
        return first
    raise CommandError(
        f"a password is needed: give --password-file FILE, set {PASSWORD_ENV}, or run the "
        "command in a terminal to be asked"
    )


def read_limited(path: Path, limit: int, name: str, purpose: str) -> bytes:
    """The bytes of ``path``, reading no more than ``limit`` + 1 of them: a file that big is a
    mistake (``"{name} is too large to {purpose}"``), not something to load into memory."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise CommandError(f"cannot read {name}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise CommandError(f"{name} is too large to {purpose}")
    return data


def password_from_file(path: Path) -> str:
    blob = read_limited(path, MAX_PASSWORD_FILE, f"the password file {path}", "hold one password")
    try:
        text = blob.decode("utf-8")
    except UnicodeDecodeError:
        raise CommandError(f"the password file {path} is not UTF-8 text") from None
    lines = text.splitlines()
    password = lines[0] if lines else ""
    if not password:
        raise CommandError(f"the password file {path} is empty")
    return password


# -- servers and the session ------------------------------------------------------------------


def server_specs(
    args: argparse.Namespace, network: Network, wallet: Wallet | None = None
) -> list[ServerSpec]:
    """``--server`` URLs if given, else the wallet's servers, else the network's list.

    ``--server`` is for this run only: the saved lists change through ``paylight servers``
    alone (a one-off server once replaced the wallet's list, and later runs lost the
    cross-check between servers without a word).
    """
    from wallet.backends.servers import ServerSpec
    from wallet.sync.session import saved_servers

    urls = list(getattr(args, "servers", None) or [])
    peers = getattr(args, "p2p", None)
    if peers is not None:
        urls += [f"p2p://{peer}" for peer in peers] or ["p2p://"]
    core = getattr(args, "core", None)
    cookie = getattr(args, "core_cookie", None)
    if core is not None or cookie:
        urls.append(core_url(core or "", cookie))
    if urls:
        return [ServerSpec.parse(url) for url in urls]
    specs = saved_servers(wallet) if wallet is not None else network_servers(network)
    if not specs:
        raise CommandError(
            f"no chain source is configured for {network.name}; add one with 'paylight servers "
            "add URL', or give one for this run: --p2p HOST:PORT, --core URL or --server URL "
            "(tcp://host:port, ssl://host:port or https://host/api)"
        )
    return specs


def core_url(url: str, cookie: str | None = None) -> str:
    """``--core URL`` (``http://[user@]host:port``, ``host:port``, or empty: this machine) and
    ``--core-cookie FILE`` as a ``core://`` source."""
    from urllib.parse import quote

    text = url.strip()
    for scheme in ("http://", "core://"):
        if text.lower().startswith(scheme):
            text = text[len(scheme) :]
    if "@" in text.split("/", 1)[0] and ":" in text.split("@", 1)[0]:
        raise CommandError(
            "give Bitcoin Core's RPC password in $PAYLIGHT_CORE_PASSWORD, not in the URL (the "
            "command line is visible to every user of the machine)"
        )
    text = text.rstrip("/")
    if cookie:
        text += "?cookie=" + quote(str(Path(cookie).expanduser().absolute()))
    return f"core://{text}"


def network_servers(network: Network) -> list[ServerSpec]:
    """The network's list: the user's ``servers.json`` if it names the network, else ours."""
    from wallet.sync.session import network_servers as saved_network_servers

    return saved_network_servers(network)


def open_pool(specs: list[ServerSpec], network: Network) -> ServerPool:
    """A pool of ``specs`` that trusts TLS certificates as earlier runs pinned them."""
    from wallet.sync.session import open_pool as open_session_pool

    return open_session_pool(specs, network)


async def open_session(args: argparse.Namespace) -> SyncSession:
    """The wallet with its chain sources and the header store of their chain, ready for its
    engine (``SyncSession.engine()``) -- opened as the GUI opens them
    (:mod:`wallet.sync.session`). On regtest the sources are asked which chain they follow
    (block 1), so nothing else connects yet. Close with :func:`close_session`; on any error
    here, what was opened is closed again.
    """
    from wallet.sync.session import open_sync_session

    wallet = open_wallet(args)
    try:
        # --server/--p2p/--core for this run, else the saved lists (a sentence when none)
        specs = server_specs(args, wallet.network, wallet)
        return await open_sync_session(wallet, servers=specs)
    except BaseException:
        wallet.close()
        raise


async def close_session(opened: SyncSession) -> None:
    """Close the connections, the header store and the wallet (each even if one fails)."""
    try:
        with contextlib.suppress(Exception):
            await opened.close()
    finally:
        opened.wallet.close()


@contextlib.asynccontextmanager
async def session(args: argparse.Namespace) -> AsyncIterator[SyncSession]:
    """``async with session(args) as s:`` — ``s.wallet``, ``s.headers``, ``s.engine()``;
    open, then always close."""
    opened = await open_session(args)
    try:
        yield opened
    finally:
        await close_session(opened)


def run(coro: Any) -> Any:
    """Run a command's coroutine on a fresh event loop."""
    import asyncio

    return asyncio.run(coro)


def header_tip(wallet: Wallet) -> int | None:
    """The height of the header chain ``wallet`` was synced on, for counting confirmations
    (None: never synced). Read from the store's files, without opening the store: opening
    re-validates every header, and waits for another process writing it."""
    from wallet.spv.store import stored_height
    from wallet.sync.headers import wallet_store_dir

    return stored_height(wallet_store_dir(wallet), wallet.network)
