"""The server list: defaults per network in ``resources/servers.json``, editable by the user.

A server is named by a URL: ``ssl://host:port`` or ``tcp://host:port`` (also Electrum's
``host:port:s``) for the Electrum protocol, ``https://host/path`` for an Esplora API. The same
lists name the chain sources that are no servers (``wallet.sync.session`` opens them):
``p2p://host:port`` a Bitcoin peer, ``p2p://`` the network's peers (DNS and fixed seeds), and
``core://[user@]host[:port][?cookie=PATH]`` a Bitcoin Core node's REST and RPC. The user's
own ``servers.json`` (same format; the caller says where, normally Paylight's config folder)
replaces the defaults network by network: a network it lists uses exactly its servers.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wallet import bounded_json
from wallet.backends.base import Backend
from wallet.backends.electrum import CertPins, ElectrumClient, parse_electrum_url
from wallet.backends.pool import ServerPool
from wallet.bitcoin.networks import Network, get_network
from wallet.errors import PaylightError
from wallet.net.hostport import parse_host_port

FILE_NAME = "servers.json"
#: A server list is a few kilobytes; a larger file is a mistake, not something to load.
MAX_FILE = 1 << 20


class ServerListError(PaylightError):
    """A server URL or a server list file that cannot be used."""


#: The protocols of chain sources that are no Electrum/Esplora server (no pool client).
BLOCK_SOURCES = ("p2p", "core")
#: ``p2p://`` with no host: the network's own peers (DNS seeds, fixed seeds, gossip).
NETWORK_PEERS = "p2p://"


@dataclass(frozen=True, slots=True)
class ServerSpec:
    url: str
    protocol: str  # "electrum", "esplora", "p2p" or "core"
    name: str

    @classmethod
    def parse(cls, url: str, name: str | None = None) -> ServerSpec:
        """Read a server URL; the protocol follows from the scheme."""
        if not isinstance(url, str) or not url.strip():
            raise ServerListError("a server is given by a URL such as ssl://host:50002")
        text = url.strip()
        scheme = text.split("://", 1)[0].lower() if "://" in text else text.lower()
        if scheme in BLOCK_SOURCES:
            return cls._block_source(text, scheme, name)
        if text.lower().startswith(("http://", "https://")):
            host = text.split("://", 1)[1].split("/", 1)[0]
            if not host:
                raise ServerListError(f"the Esplora URL {text!r} has no host")
            return cls(text.rstrip("/"), "esplora", name or host)
        try:
            host, port, tls = parse_electrum_url(text)
        except ValueError as exc:
            raise ServerListError(
                f"{exc}; an Electrum server is ssl://host:port or tcp://host:port, "
                "an Esplora API https://host/api"
            ) from None
        canonical = f"{'ssl' if tls else 'tcp'}://{host}:{port}"
        return cls(canonical, "electrum", name or f"{host}:{port}")

    @classmethod
    def _block_source(cls, text: str, scheme: str, name: str | None) -> ServerSpec:
        rest = text.split("://", 1)[1] if "://" in text else ""
        rest = rest.rstrip("/")
        if scheme == "p2p":
            if not rest:
                return cls(NETWORK_PEERS, "p2p", name or "the network's peers")
            host = rest.rsplit("@", 1)[-1]
            if "/" in host or "?" in host or not _host_port_ok(host):
                raise ServerListError(
                    f"{text!r} is not a peer: write p2p://host:port (or p2p:// for the "
                    "network's peers)"
                )
            return cls(f"p2p://{host}", "p2p", name or host)
        where = rest.split("?", 1)[0].rsplit("@", 1)[-1]
        if not where:  # this machine's node on the network's RPC port
            return cls(f"core://{rest}", "core", name or "Bitcoin Core on this machine")
        if not _host_port_ok(where):
            raise ServerListError(
                f"{text!r} is not a Bitcoin Core node: write core://host:port (and "
                "?cookie=PATH for a cookie file elsewhere than the data directory's)"
            )
        return cls(f"core://{rest}", "core", name or f"Bitcoin Core at {where}")

    @property
    def is_server(self) -> bool:
        """An Electrum or Esplora server (a pool client), not a P2P peer or a node."""
        return self.protocol not in BLOCK_SOURCES


def _host_port_ok(text: str) -> bool:
    """``host``, ``host:port`` or ``[v6]:port`` with a port in range."""
    try:
        parse_host_port(text, 0)
    except ValueError:
        return False
    return True


def default_servers_file() -> Path | None:
    """The bundled ``resources/servers.json``: source tree, installed wheel or bundle."""
    # source tree, then a wheel's data files (<prefix>/share/paylight/resources/)
    roots = [Path(__file__).resolve().parents[2], Path(sys.prefix) / "share" / "paylight"]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        roots.insert(0, Path(bundle))
    for root in roots:
        path = root / "resources" / FILE_NAME
        if path.is_file():
            return path
    return None


def _read(path: Path) -> dict[str, list[ServerSpec]]:
    try:
        with open(path, "rb") as handle:
            doc = bounded_json.loads(handle.read(MAX_FILE + 1), max_bytes=MAX_FILE)
    except OSError as exc:
        raise ServerListError(f"cannot read the server list {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise ServerListError(f"the server list {path} cannot be read: {exc}") from None
    networks = doc.get("networks") if isinstance(doc, dict) else None
    if not isinstance(networks, dict):
        raise ServerListError(f'the server list {path} needs a "networks" object')
    out: dict[str, list[ServerSpec]] = {}
    for key, entries in networks.items():
        try:
            network = get_network(key).name
        except Exception:
            raise ServerListError(
                f"the server list {path} names an unknown network {key!r}"
            ) from None
        if not isinstance(entries, list):
            raise ServerListError(f"in {path}, {key} should list servers")
        specs = []
        for entry in entries:
            specs.append(_entry(entry, path, key))
        out[network] = specs
    return out


def _entry(entry: Any, path: Path, network: str) -> ServerSpec:
    if isinstance(entry, str):
        return _parse_in(entry, None, path, network)
    if isinstance(entry, dict) and isinstance(entry.get("url"), str):
        name = entry.get("name")
        return _parse_in(entry["url"], name if isinstance(name, str) else None, path, network)
    raise ServerListError(f'in {path}, each {network} server is a URL or {{"url": ...}}')


def _parse_in(url: str, name: str | None, path: Path, network: str) -> ServerSpec:
    try:
        return ServerSpec.parse(url, name)
    except ServerListError as exc:
        raise ServerListError(f"in {path} ({network}): {exc}") from None


def load_servers(
    network: Network,
    *,
    user_file: str | Path | None = None,
    defaults_file: str | Path | None = None,
) -> list[ServerSpec]:
    """The servers to use on ``network``: the user's list for it if it has one, else ours."""
    name = network.name
    if user_file is not None and Path(user_file).is_file():
        mine = _read(Path(user_file))
        if name in mine:
            return _unique(mine[name])
    path = Path(defaults_file) if defaults_file is not None else default_servers_file()
    if path is None:
        raise ServerListError(
            "the default server list (resources/servers.json) is missing from this install; "
            "give a server with --server"
        )
    return _unique(_read(path).get(name, []))


def _unique(specs: Iterable[ServerSpec]) -> list[ServerSpec]:
    seen: set[str] = set()
    out = []
    for spec in specs:
        if spec.url not in seen and spec.name not in seen:
            seen.update((spec.url, spec.name))
            out.append(spec)
    return out


def make_backend(
    spec: ServerSpec | str,
    network: Network | None = None,
    *,
    pins: CertPins | None = None,
    **options: Any,
) -> Backend:
    """A client for ``spec``; ``options`` go to its constructor (timeouts, limits...)."""
    if isinstance(spec, str):
        spec = ServerSpec.parse(spec)
    if not spec.is_server:
        raise ServerListError(f"{spec.url} is not an Electrum or Esplora server")
    net = network
    if spec.protocol == "esplora":
        # imported when first used: its HTTP library is a tenth of the app's start-up otherwise
        from wallet.backends.esplora import EsploraClient

        return EsploraClient(spec.url, name=spec.name, network=net, **options)
    return ElectrumClient.from_url(spec.url, name=spec.name, network=net, pins=pins, **options)


def make_pool(
    specs: Iterable[ServerSpec | str],
    network: Network | None = None,
    *,
    pins: CertPins | None = None,
    cross_check: int = 2,
    **options: Any,
) -> ServerPool:
    """A pool of clients for ``specs`` (see :func:`make_backend` for ``options``)."""
    return ServerPool(
        [make_backend(s, network, pins=pins, **options) for s in specs], cross_check=cross_check
    )
