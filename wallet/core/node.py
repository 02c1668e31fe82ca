"""Where a Bitcoin Core node is and how to log in: ports, data directories, the cookie file.

Core's defaults: RPC (and REST, on the same port) on 8332 for mainnet, 18332 testnet3, 48332
testnet4, 38332 signet, 18443 regtest; the data directory ``~/.bitcoin`` (Linux),
``~/Library/Application Support/Bitcoin`` (macOS), ``%LOCALAPPDATA%\\Bitcoin`` (Windows; before
Core 28 ``%APPDATA%\\Bitcoin``), with each test network in its own subfolder. Without a user
and password, ``bitcoind`` writes ``<datadir>/<network subfolder>/.cookie`` holding
``__cookie__:<random>`` each time it starts; a node on another machine needs ``rpcuser`` and
``rpcpassword`` (or a copy of the cookie).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from wallet.bitcoin.networks import Network, get_network
from wallet.errors import PaylightError

DEFAULT_RPC_PORTS = {
    "mainnet": 8332,
    "testnet3": 18332,
    "testnet4": 48332,
    "signet": 38332,
    "regtest": 18443,
}
NETWORK_SUBDIRS = {
    "mainnet": "",
    "testnet3": "testnet3",
    "testnet4": "testnet4",
    "signet": "signet",
    "regtest": "regtest",
}
PORTS_HINT = "mainnet 8332, testnet3 18332, testnet4 48332, signet 38332, regtest 18443"


class CoreError(PaylightError):
    """Bitcoin Core could not give what was asked; the message says what to change."""


class CoreUnavailable(CoreError):
    """The node cannot be reached (not running, wrong host or port, a proxy that failed)."""


class CoreAuthFailed(CoreError):
    """The node refused the RPC credentials (HTTP 401)."""


class CoreRestDisabled(CoreError):
    """The node does not serve REST (started without ``-rest=1``)."""


class CoreFilterIndexDisabled(CoreError):
    """The node keeps no compact block filters (started without ``-blockfilterindex=1``)."""


class CoreMisbehaved(CoreError):
    """The node's answer contradicts the headers we checked, or is malformed."""


class CoreRejected(CoreError):
    """An RPC error from the node (``code`` as in Core's ``rpc/protocol.h``)."""

    def __init__(self, method: str, code: int, message: str) -> None:
        self.method = method
        self.code = code
        self.message = message
        super().__init__(f"Bitcoin Core refused {method}: {message} (error {code})")


def default_datadir() -> Path:
    """Bitcoin Core's default data directory on this system."""
    home = Path.home()
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        roaming = os.environ.get("APPDATA")
        candidates = [Path(p) / "Bitcoin" for p in (local, roaming) if p]
        for path in candidates:
            if path.exists():
                return path
        return candidates[0] if candidates else home / "AppData" / "Local" / "Bitcoin"
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "Bitcoin"
    return home / ".bitcoin"


def cookie_path(network: Network | str, datadir: str | Path | None = None) -> Path:
    net = get_network(network)
    base = Path(datadir).expanduser() if datadir is not None else default_datadir()
    sub = NETWORK_SUBDIRS[net.name]
    return (base / sub if sub else base) / ".cookie"


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str


def read_cookie(path: Path) -> Credentials:
    try:
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise CoreAuthFailed(
            f"No Bitcoin Core cookie file at {path}: is bitcoind running on this machine with "
            "that data directory? Otherwise give rpcuser and rpcpassword."
        ) from None
    except OSError as exc:
        raise CoreAuthFailed(
            f"Cannot read Bitcoin Core's cookie file {path} ({exc.strerror}): run Paylight as "
            "the user that runs bitcoind, or give rpcuser and rpcpassword."
        ) from None
    user, sep, password = text.partition(":")
    if not sep or not user:
        raise CoreAuthFailed(f"{path} is not a Bitcoin Core cookie file (user:password).")
    return Credentials(user, password)


@dataclass(frozen=True)
class CoreNode:
    """One node: ``host:port`` for REST and RPC, and how to authenticate RPC."""

    network: Network
    host: str = "127.0.0.1"
    port: int = 0
    user: str | None = None
    password: str | None = None
    cookie: Path | None = None

    @classmethod
    def for_network(
        cls,
        network: Network | str,
        *,
        host: str = "127.0.0.1",
        port: int | None = None,
        user: str | None = None,
        password: str | None = None,
        datadir: str | Path | None = None,
        cookie: str | Path | None = None,
    ) -> CoreNode:
        """A node with Core's defaults for ``network``: its RPC port, and cookie auth from the
        default (or given) data directory unless a user and password are given."""
        net = get_network(network)
        if (user is None) != (password is None):
            raise CoreAuthFailed("give both rpcuser and rpcpassword, or neither (cookie auth)")
        cookie_file = None
        if user is None:
            cookie_file = Path(cookie) if cookie is not None else cookie_path(net, datadir)
        return cls(net, host, port or DEFAULT_RPC_PORTS[net.name], user, password, cookie_file)

    @classmethod
    def from_url(cls, url: str, network: Network | str, **auth) -> CoreNode:
        """``http://[user:password@]host[:port]`` (the port defaults to the network's)."""
        import httpx

        try:
            parsed = httpx.URL(url if "://" in url else f"http://{url}")
        except httpx.InvalidURL:
            raise CoreError(f"not a Bitcoin Core address: {url!r} (use http://host:port)") from None
        if parsed.scheme != "http" or not parsed.host:
            raise CoreError(
                f"not a Bitcoin Core address: {url!r} (use http://host:port; Core's RPC and "
                "REST speak plain HTTP: reach a remote node through an SSH tunnel or Tor)"
            )
        if parsed.username:
            auth.setdefault("user", parsed.username)
            auth.setdefault("password", parsed.password)
        return cls.for_network(network, host=parsed.host, port=parsed.port, **auth)

    @property
    def address(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.address}"

    def credentials(self) -> Credentials:
        if self.user is not None and self.password is not None:
            return Credentials(self.user, self.password)
        assert self.cookie is not None
        return read_cookie(self.cookie)
