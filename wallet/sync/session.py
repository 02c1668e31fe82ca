"""The network side of a wallet session, opened the same way by the command line and the GUI.

Given an open wallet (:func:`wallet.account.session.open_wallet`), :func:`open_sync_session`
opens, in this order and closing what it opened if a step fails:

* the **proxy** setting (``--proxy``, or the app's setting), process-wide, before any
  connection (:mod:`wallet.net.proxy`);
* the **servers**: those given for this run only, else the wallet's own list, else the user's
  ``servers.json`` in the config folder when it names the network, else the bundled defaults
  (:func:`saved_servers`; ``paylight servers`` and the GUI edit the saved lists);
* a **server pool** that trusts TLS certificates as earlier runs pinned them
  (:class:`wallet.sync.tls_pins.PinFile` in the data folder);
* the **header store** of the chain the servers follow (per network; on regtest per
  playground, asked of the servers), unless a folder is given.

:class:`SyncSession` holds them; :meth:`SyncSession.engine` makes the sync engine over them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wallet.account.wallet_file import Wallet
from wallet.backends.pool import ServerPool
from wallet.backends.servers import ServerSpec, load_servers, make_pool
from wallet.bitcoin.networks import Network
from wallet.spv.store import HeaderStore
from wallet.sync.engine import WalletSync
from wallet.sync.events import SyncEvent


def network_servers(network: Network) -> list[ServerSpec]:
    """The network's list: the user's ``servers.json`` if it names the network, else ours."""
    from wallet.account.paths import config_dir
    from wallet.backends.servers import FILE_NAME

    return load_servers(network, user_file=config_dir() / FILE_NAME)


def saved_servers(wallet: Wallet) -> list[ServerSpec]:
    """The servers a session of ``wallet`` uses when none is given for the run: the wallet's
    own enabled ones, else the network's list (:func:`network_servers`)."""
    network = wallet.network
    mine = [r.url for r in wallet.db.servers(network.name) if r.enabled]
    if mine:
        return [ServerSpec.parse(url) for url in mine]
    return network_servers(network)


def use_proxy(setting: str | None) -> None:
    """Apply a proxy setting to every later connection of the process (None: leave it)."""
    if setting is not None:
        from wallet.net.proxy import set_default_proxy

        set_default_proxy(setting)


def open_pool(
    specs: Sequence[ServerSpec | str], network: Network, **options: Any
) -> ServerPool:
    """A pool of ``specs`` that trusts TLS certificates as earlier runs pinned them
    (``options`` go to the clients; tests may pass their own ``pins``)."""
    if "pins" not in options:
        from wallet.sync.headers import open_tls_pins

        options["pins"] = open_tls_pins()
    return make_pool(specs, network, **options)


@dataclass
class SyncSession:
    """A wallet with its server pool and header store (see the module docstring)."""

    wallet: Wallet
    pool: ServerPool
    headers: HeaderStore

    def engine(self, on_event: Callable[[SyncEvent], None] | None = None) -> WalletSync:
        """The sync engine of this session."""
        return WalletSync(self.wallet, self.pool, self.headers, on_event=on_event)

    async def close(self) -> None:
        """Close the pool's connections and the header store (the wallet stays open)."""
        try:
            with contextlib.suppress(Exception):
                await self.pool.close()
        finally:
            self.headers.close()


async def open_sync_session(
    wallet: Wallet,
    *,
    servers: Sequence[ServerSpec | str] | None = None,
    proxy: str | None = None,
    header_dir: Path | None = None,
    pool_options: dict[str, Any] | None = None,
) -> SyncSession:
    """Open the network side of ``wallet``'s session (see the module docstring).

    ``servers``: for this session only (``--server``); None: :func:`saved_servers`.
    ``proxy``: a proxy setting to apply first; None: as the process has it.
    ``header_dir``: a header store folder; None: the one of the chain the servers follow.
    """
    from wallet.sync.headers import open_header_store, open_wallet_store

    use_proxy(proxy)
    network = wallet.network
    specs = list(servers) if servers is not None else saved_servers(wallet)
    pool = open_pool(specs, network, **(pool_options or {}))
    try:
        if header_dir is not None:
            headers = open_header_store(network, header_dir)
        else:  # regtest: the servers are asked which chain they follow (block 1)
            headers = await open_wallet_store(wallet, pool)
    except BaseException:
        with contextlib.suppress(Exception):
            await pool.close()
        raise
    return SyncSession(wallet, pool, headers)


__all__ = [
    "SyncSession",
    "network_servers",
    "open_pool",
    "open_sync_session",
    "saved_servers",
    "use_proxy",
]
