"""The proxy setting and the two ways to open a connection with it.

A setting is ``""`` (no proxy), ``"tor"`` (Tor's daemon, 127.0.0.1:9050), ``"tor-browser"``
(Tor Browser's, 127.0.0.1:9150) or ``socks5://[user:password@]host:port``. The process-wide
proxy (:func:`set_default_proxy`, from ``--proxy`` or the app settings) applies to every
connection that is not given another: once the user asks for Tor, nothing may bypass it.

With a proxy, names are resolved by the proxy, never here, and ``.onion`` hosts work; without
one, a ``.onion`` host is refused with a sentence instead of a failed DNS lookup that would
leak the name.
"""

from __future__ import annotations

import asyncio
import ssl as _ssl
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from wallet.net.socks import ProxyError, handshake


@dataclass(frozen=True)
class Proxy:
    host: str
    port: int
    username: str | None = None
    password: str | None = None

    @property
    def address(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def url(self) -> str:
        """``socks5://...`` as httpx takes it (names resolved by the proxy)."""
        from urllib.parse import quote

        auth = ""
        if self.username is not None:
            auth = f"{quote(self.username, safe='')}:{quote(self.password or '', safe='')}@"
        return f"socks5://{auth}{self.address}"

    def __str__(self) -> str:
        return f"socks5://{self.address}"


TOR = Proxy("127.0.0.1", 9050)
TOR_BROWSER = Proxy("127.0.0.1", 9150)
PRESETS = {"tor": TOR, "tor-browser": TOR_BROWSER}

_default: Proxy | None = None


def parse_proxy(text: str | None) -> Proxy | None:
    """A setting or ``--proxy`` value as a :class:`Proxy` (None for no proxy)."""
    value = (text or "").strip()
    if value.lower() in ("", "none", "off", "direct"):
        return None
    if value.lower() in PRESETS:
        return PRESETS[value.lower()]
    parts = urlsplit(value if "://" in value else f"socks5://{value}")
    if parts.scheme not in ("socks5", "socks5h"):
        raise ProxyError(
            f"not a proxy: {text!r} (give socks5://host:port, or 'tor' for 127.0.0.1:9050, "
            "'tor-browser' for 127.0.0.1:9150)"
        )
    try:
        port = parts.port
    except ValueError:
        port = None
    if not parts.hostname or port is None or parts.path not in ("", "/"):
        raise ProxyError(f"not a proxy: {text!r} (give socks5://host:port)")
    user = unquote(parts.username) if parts.username is not None else None
    password = unquote(parts.password) if parts.password is not None else None
    return Proxy(parts.hostname, port, user, password)


def set_default_proxy(proxy: Proxy | str | None) -> None:
    """Route every later connection of this process through ``proxy`` (None: directly)."""
    global _default
    _default = parse_proxy(proxy) if isinstance(proxy, str) else proxy


def default_proxy() -> Proxy | None:
    return _default


def _effective(proxy: Proxy | None) -> Proxy | None:
    return proxy if proxy is not None else _default


def is_onion(host: str) -> bool:
    return host.rstrip(".").lower().endswith(".onion")


def check_reachable(host: str, proxy: Proxy | None = None) -> None:
    """Refuse a ``.onion`` host when no proxy is set (there is no other way to reach it)."""
    if is_onion(host) and _effective(proxy) is None:
        raise ProxyError(
            f"{host} is a Tor onion address: set a Tor proxy first (--proxy tor, or "
            "socks5://127.0.0.1:9050)"
        )


async def open_stream(
    host: str,
    port: int,
    *,
    ssl: _ssl.SSLContext | None = None,
    server_hostname: str | None = None,
    limit: int = 2**16,
    proxy: Proxy | None = None,
    ssl_handshake_timeout: float | None = None,
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """``asyncio.open_connection`` through the proxy (``proxy``, else the process default).

    TLS, when asked, runs inside the tunnel to ``host``, so the certificate checks are those of
    a direct connection; ``ssl_handshake_timeout`` bounds its handshake."""
    check_reachable(host, proxy)
    chosen = _effective(proxy)
    if chosen is None:
        return await asyncio.open_connection(
            host,
            port,
            ssl=ssl,
            server_hostname=server_hostname,
            limit=limit,
            ssl_handshake_timeout=ssl_handshake_timeout if ssl is not None else None,
        )
    try:
        reader, writer = await asyncio.open_connection(chosen.host, chosen.port, limit=limit)
    except OSError as exc:
        raise ProxyError(
            f"cannot reach the proxy {chosen} ({exc.strerror or exc}): is Tor (or the proxy) "
            "running?"
        ) from None
    try:
        await handshake(
            reader,
            writer,
            host,
            port,
            username=chosen.username,
            password=chosen.password,
            proxy_name=f"the proxy {chosen}",
        )
        if ssl is not None:
            await writer.start_tls(
                ssl,
                server_hostname=server_hostname or host,
                ssl_handshake_timeout=ssl_handshake_timeout,
            )
    except BaseException:
        writer.close()
        raise
    return reader, writer


def open_http_client(*, proxy: Proxy | None = None, **options: Any):
    """An ``httpx.AsyncClient`` whose connections go through the proxy (``proxy``, else the
    process default), with names resolved by the proxy. For Esplora, Bitcoin Core, and the
    fiat-rate sources to come: give ``base_url`` to have a ``.onion`` host checked at once."""
    import httpx

    base = options.get("base_url")
    if base:
        check_reachable(httpx.URL(str(base)).host, proxy)
    chosen = _effective(proxy)
    if chosen is not None:
        options["proxy"] = chosen.url
    return httpx.AsyncClient(**options)
