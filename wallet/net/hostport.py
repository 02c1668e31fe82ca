"""Where to connect, as people write it: ``host``, ``host:port`` or ``[v6]:port``.

One parser for P2P peers, Bitcoin Core nodes and the app's connection settings.
"""

from __future__ import annotations


def parse_host_port(text: str, default_port: int) -> tuple[str, int]:
    """``host``, ``host:port``, ``[v6]:port`` as (host, port); ``ValueError`` when it is none."""
    t = text.strip()
    if t.startswith("["):
        host, _, rest = t[1:].partition("]")
        port = rest.lstrip(":")
    elif t.count(":") == 1:
        host, port = t.split(":")
    else:
        host, port = t, ""
    if not host or (port and not port.isdigit()) or (port and not 0 < int(port) < 65536):
        raise ValueError(f"not an address: {text!r} (use host:port)")
    return host, int(port) if port else default_port


__all__ = ["parse_host_port"]
