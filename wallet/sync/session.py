"""The network side of a wallet session, opened the same way by the command line and the GUI.

Given an open wallet (:func:`wallet.account.session.open_wallet`), :func:`open_sync_session`
opens, in this order and closing what it opened if a step fails:

* the **proxy** setting (``--proxy``, or the app's setting), process-wide, before any
  connection (:mod:`wallet.net.proxy`);
* the **chain sources**: those given for this run only, else the wallet's own list, else the
  user's ``servers.json`` in the config folder when it names the network, else the bundled
  defaults (:func:`saved_servers`; ``paylight servers`` and the GUI edit the saved lists). A
  list names Electrum and Esplora servers, Bitcoin P2P peers (``p2p://host:port``, or
  ``p2p://`` for the network's own peers from its DNS and fixed seeds) and a Bitcoin Core node
  (``core://host:port``), alone or together;
* a **server pool** that trusts TLS certificates as earlier runs pinned them
  (:class:`wallet.sync.tls_pins.PinFile` in the data folder), for the servers;
* the **header store** of the chain the sources follow (per network; on regtest per
  playground, asked of the sources), unless a folder is given. A wallet that reads blocks and
  was born before the network's newest checkpoint gets a store anchored at an older one;
* the **light client** for the peers (:class:`wallet.p2p.client.LightClient`) or the
  **Core source** (:class:`wallet.core.source.CoreSource`).

:class:`SyncSession` holds them; :meth:`SyncSession.engine` makes the sync engine over them:
:class:`~wallet.sync.engine.WalletSync` for servers, :class:`~wallet.sync.light.LightSync`
for peers or a node, :class:`~wallet.sync.light.CombinedSync` for both.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from wallet.account.wallet_file import Wallet
from wallet.backends.pool import ServerPool
from wallet.backends.servers import (
    NETWORK_PEERS,
    ServerListError,
    ServerSpec,
    load_servers,
    make_pool,
)
from wallet.bitcoin.networks import Network
from wallet.bitcoin.transaction import Transaction
from wallet.errors import PaylightError
from wallet.spv.store import HeaderStore
from wallet.sync.engine import WalletSync
from wallet.sync.events import SyncEvent

#: Where the RPC password of a ``core://user@host`` node is read from (never an argument).
CORE_PASSWORD_ENV = "PAYLIGHT_CORE_PASSWORD"
#: Networks whose peers a new wallet can find by itself (DNS seeds): it uses them by default.
PEER_NETWORKS = ("mainnet", "testnet3", "testnet4", "signet")


def network_servers(network: Network) -> list[ServerSpec]:
    """The network's list: the user's ``servers.json`` if it names the network, else ours."""
    from wallet.account.paths import config_dir
    from wallet.backends.servers import FILE_NAME

    return load_servers(network, user_file=config_dir() / FILE_NAME)


def saved_servers(wallet: Wallet) -> list[ServerSpec]:
    """The sources a session of ``wallet`` uses when none is given for the run: the wallet's
    own enabled ones, else the network's list (:func:`network_servers`)."""
    network = wallet.network
    mine = [r.url for r in wallet.db.servers(network.name) if r.enabled]
    if mine:
        return [ServerSpec.parse(url) for url in mine]
    return network_servers(network)


def default_sources(network: Network) -> list[str]:
    """What a new wallet uses: the network's own P2P peers where it can find them (private:
    no server learns its addresses), else nothing saved (the network's server list)."""
    return [NETWORK_PEERS] if network.name in PEER_NETWORKS else []


def use_proxy(setting: str | None) -> None:
    """Apply a proxy setting to every later connection of the process (None: leave it)."""
    if setting is not None:
        from wallet.net.proxy import set_default_proxy

        set_default_proxy(setting)


def open_pool(specs: Sequence[ServerSpec | str], network: Network, **options: Any) -> ServerPool:
    """A pool of ``specs`` that trusts TLS certificates as earlier runs pinned them
    (``options`` go to the clients; tests may pass their own ``pins``)."""
    if "pins" not in options:
        from wallet.sync.headers import open_tls_pins

        options["pins"] = open_tls_pins()
    return make_pool(specs, network, **options)


def split_sources(
    specs: Sequence[ServerSpec | str],
) -> tuple[list[ServerSpec], list[ServerSpec], list[ServerSpec]]:
    """(servers, P2P peers, Bitcoin Core nodes) of a source list."""
    parsed = [s if isinstance(s, ServerSpec) else ServerSpec.parse(s) for s in specs]
    return (
        [s for s in parsed if s.is_server],
        [s for s in parsed if s.protocol == "p2p"],
        [s for s in parsed if s.protocol == "core"],
    )


def core_node(spec: ServerSpec, network: Network, password: str | None = None) -> Any:
    """The :class:`~wallet.core.node.CoreNode` a ``core://[user@]host[:port][?cookie=PATH]``
    names; a user's password comes from ``password`` or :data:`CORE_PASSWORD_ENV`."""
    from wallet.core.node import CoreAuthFailed, CoreNode

    rest = spec.url.split("://", 1)[1]
    where, _, query = rest.partition("?")
    user, _, hostport = where.rpartition("@")
    cookie = (parse_qs(query).get("cookie") or [None])[0]
    host, port = "127.0.0.1", None
    if hostport:
        from wallet.net.hostport import parse_host_port

        host, port = parse_host_port(hostport, 0)
    if user:
        secret = password if password is not None else os.environ.get(CORE_PASSWORD_ENV)
        if not secret:
            raise CoreAuthFailed(
                f"Bitcoin Core's RPC user {user!r} needs its password: set "
                f"${CORE_PASSWORD_ENV} (or drop the user to log in with the node's cookie)"
            )
        return CoreNode.for_network(network, host=host, port=port or None, user=user,
                                    password=secret)  # fmt: skip
    return CoreNode.for_network(network, host=host, port=port or None, cookie=cookie)


@dataclass
class SyncSession:
    """A wallet with its chain sources and header store (see the module docstring)."""

    wallet: Wallet
    pool: ServerPool | None
    headers: HeaderStore
    #: the P2P light client (``wallet.p2p.client.LightClient``), or None
    light: Any = None
    #: the Bitcoin Core source (``wallet.core.source.CoreSource``), or None
    core: Any = None
    _engine: Any = field(default=None, repr=False)

    @property
    def block_source(self) -> Any:
        return self.light if self.light is not None else self.core

    def source_names(self) -> list[str]:
        """Who the session asks: servers, peers, the node."""
        names = list(self.pool.names) if self.pool is not None else []
        if self.light is not None:
            names += [p.name for p in self.light.pool.peers] or ["P2P peers"]
        if self.core is not None:
            names.append(self.core.name)
        return names

    def engine(self, on_event: Callable[[SyncEvent], None] | None = None) -> Any:
        """The sync engine of this session (one per session: the block client has one
        mempool watch and one filter-header chain)."""
        from wallet.sync.light import CombinedSync, LightSync

        servers = (
            WalletSync(self.wallet, self.pool, self.headers, on_event=on_event)
            if self.pool is not None
            else None
        )
        blocks = None
        if self.block_source is not None:
            source = "P2P peers" if self.light is not None else self.core.name
            blocks = LightSync(self.wallet, self.block_source, source=source, on_event=on_event)
        if servers is not None and blocks is not None:
            self._engine = CombinedSync(servers, blocks)
        else:
            self._engine = servers or blocks
        return self._engine

    async def close(self) -> None:
        """Close the connections and the header store (the wallet stays open)."""
        try:
            for client in (self.pool, self.light, self.core):
                if client is not None:
                    with contextlib.suppress(Exception):
                        await client.close()
        finally:
            self.headers.close()


async def open_sync_session(
    wallet: Wallet,
    *,
    servers: Sequence[ServerSpec | str] | None = None,
    proxy: str | None = None,
    header_dir: Path | None = None,
    pool_options: dict[str, Any] | None = None,
    peer_options: dict[str, Any] | None = None,
    core_password: str | None = None,
) -> SyncSession:
    """Open the network side of ``wallet``'s session (see the module docstring).

    ``servers``: the sources for this session only (``--server``, ``--p2p``, ``--core``);
    None: :func:`saved_servers`. ``proxy``: a proxy setting to apply first; None: as the
    process has it. ``header_dir``: a header store folder; None: the one of the chain the
    sources follow. ``peer_options`` go to the light client (timeouts, how many peers).
    """
    use_proxy(proxy)
    network = wallet.network
    specs = list(servers) if servers is not None else saved_servers(wallet)
    server_specs, peer_specs, core_specs = split_sources(specs)
    if not (server_specs or peer_specs or core_specs):
        raise ServerListError(
            f"no chain source is configured for {network.name}: name P2P peers, a Bitcoin Core "
            "node or servers"
        )
    if len(core_specs) > 1 or (core_specs and peer_specs):
        raise ServerListError(
            "use one block source at a time: P2P peers or one Bitcoin Core node (servers may "
            "be added to either)"
        )
    session = SyncSession(wallet, None, None)  # type: ignore[arg-type]
    try:
        if server_specs:
            session.pool = open_pool(server_specs, network, **(pool_options or {}))
        if peer_specs:
            session.light = await _light_client(wallet, peer_specs, peer_options or {})
        elif core_specs:
            session.core = core_node(core_specs[0], network, core_password)
        session.headers = await _header_store(session, header_dir)
        if session.light is not None:
            session.light.attach(session.headers)
        elif session.core is not None:
            from wallet.core.source import CoreSource

            session.core = CoreSource(session.core, session.headers)
    except BaseException:
        if session.core is not None and not hasattr(session.core, "store"):
            session.core = None  # a CoreNode only: nothing to close
        if session.headers is None:
            session.headers = _Closed()  # type: ignore[assignment]
        with contextlib.suppress(Exception):
            await session.close()
        raise
    return session


class _Closed:
    def close(self) -> None:
        pass


async def _light_client(wallet: Wallet, specs: list[ServerSpec], options: dict[str, Any]) -> Any:
    """A light client for the peers ``specs`` name (``p2p://`` alone: the network's own);
    its header store is attached once known (on regtest, the peers say which chain)."""
    from wallet.p2p.client import LightClient

    named = [s.url.split("://", 1)[1] for s in specs if s.url != NETWORK_PEERS]
    everyone = any(s.url == NETWORK_PEERS for s in specs)
    options = dict(options)
    options.setdefault("use_dns", everyone)
    options.setdefault("use_fixed", everyone)
    options.setdefault("target_peers", max(2, min(4, len(named))) if named and not everyone else 4)
    return LightClient(wallet.network, None, peers=named, **options)


async def _header_store(session: SyncSession, header_dir: Path | None) -> HeaderStore:
    """The header store of the chain the session's sources follow: on regtest the sources are
    asked which one (servers first, else the peers or the node), remembered in the wallet."""
    from wallet.sync.headers import (
        CHAIN_SETTING,
        open_block_store,
        open_header_store,
        open_wallet_store,
        regtest_chain,
    )

    wallet, network = session.wallet, session.wallet.network
    blocks = session.block_source is not None
    if header_dir is not None and not blocks:
        return open_header_store(network, header_dir)
    if session.pool is not None and not blocks:
        return await open_wallet_store(wallet, session.pool)
    if network.name == "regtest" and header_dir is None:
        chain = None
        if session.pool is not None:
            chain = await regtest_chain(session.pool)
        elif session.light is not None:
            chain = await session.light.first_block()
        elif session.core is not None:
            chain = await _core_first_block(session.core)
        if chain is not None and chain != wallet.db.get_setting(CHAIN_SETTING):
            wallet.db.set_setting(CHAIN_SETTING, chain)
    return open_block_store(wallet, header_dir)


async def _core_first_block(node: Any) -> str | None:
    from wallet.core.rest import CoreRest

    rest = CoreRest(node)
    try:
        genesis = bytes.fromhex(node.network.genesis_hash)[::-1]
        headers = await rest.headers(genesis, 2)
    except PaylightError:
        return None
    finally:
        await rest.close()
    if len(headers) < 2:
        return None
    from wallet.bitcoin.hashes import sha256d

    return sha256d(headers[1])[::-1].hex()[:16]


async def broadcast_only(session: SyncSession, tx: Transaction) -> tuple[list[str], dict[str, str]]:
    """Send a transaction that is not the wallet's through every source of ``session``:
    (who accepted it, who refused it and why). Nothing is stored."""
    accepted: list[str] = []
    refused: dict[str, str] = {}
    if session.pool is not None:
        from wallet.sync.engine import broadcast_everywhere

        try:
            result = await broadcast_everywhere(session.pool, tx)
            accepted += list(result.accepted)
            refused.update(result.refused)
        except PaylightError as exc:
            refused["servers"] = str(exc)
    block = session.block_source
    if block is not None:
        try:
            result = await block.broadcast(tx.serialize())
            name = getattr(result, "sent_to", None) or getattr(block, "name", "node")
            accepted.append(name)
        except PaylightError as exc:
            refused[getattr(block, "name", "P2P peers")] = str(exc)
    return accepted, refused


__all__ = [
    "CORE_PASSWORD_ENV",
    "SyncSession",
    "broadcast_only",
    "core_node",
    "default_sources",
    "network_servers",
    "open_pool",
    "open_sync_session",
    "saved_servers",
    "split_sources",
    "use_proxy",
]
