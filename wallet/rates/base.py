"""What every rate source shares: the quote it returns, its errors, and one bounded GET.

A source's reply is outside input: it may be slow, huge, not JSON, nested without end, or a
number that is no price. :func:`get_json` reads at most :data:`MAX_REPLY` bytes through the
bounded JSON reader, refuses redirects and non-200 statuses, and every failure is a
:class:`RateSourceError` naming the source and saying what was wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from wallet import __version__, bounded_json
from wallet.bitcoin.fiat import RateError, parse_price
from wallet.errors import PaylightError

#: No price reply needs more (blockchain.com's ticker of ~30 currencies is ~3 kB).
MAX_REPLY = 256 * 1024
USER_AGENT = f"Paylight/{__version__}"


class RatesError(PaylightError):
    """No usable rate: every source failed, or none quotes the currency; says why."""


class RateSourceError(RatesError):
    """One source's reply was missing, refused or not a price."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


@dataclass(frozen=True)
class Quote:
    """One source's price of a bitcoin in ``currency`` (major units), and when it says it was
    taken (None when the source does not say)."""

    source: str
    currency: str
    price: Decimal
    at: int | None = None


class RateSource(Protocol):
    """A public price source: ``name`` as shown to a person, and how to ask it."""

    name: str

    def quotes(self, code: str) -> bool:
        """Whether it can quote ``code`` at all (asking for one it cannot is skipped)."""
        ...

    async def fetch(self, client: Any, code: str) -> Quote: ...


async def get_json(
    client: Any, source: str, url: str, params: Mapping[str, str] | None = None
) -> Any:
    """GET ``url`` with ``client`` (an ``httpx.AsyncClient``) and parse the JSON reply,
    bounded; RateSourceError with the reason otherwise."""
    import httpx

    try:
        async with client.stream("GET", url, params=params) as response:
            if response.status_code != 200:
                raise RateSourceError(source, f"answered HTTP {response.status_code}")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > MAX_REPLY:
                raise RateSourceError(source, f"its reply is over {MAX_REPLY // 1024} kB")
            body = bytearray()
            async for chunk in response.aiter_raw():
                body += chunk
                if len(body) > MAX_REPLY:
                    raise RateSourceError(source, f"its reply is over {MAX_REPLY // 1024} kB")
    except httpx.TimeoutException:
        raise RateSourceError(source, "did not answer in time") from None
    except httpx.HTTPError as exc:
        raise RateSourceError(source, f"could not be reached ({type(exc).__name__})") from None
    except PaylightError as exc:  # the proxy's sentence (Tor not running...)
        if isinstance(exc, RateSourceError):
            raise
        raise RateSourceError(source, str(exc)) from None
    try:
        return bounded_json.loads(bytes(body), max_bytes=MAX_REPLY)
    except ValueError:
        raise RateSourceError(source, "its reply is not JSON") from None


def price_of(source: str, value: Any, code: str) -> Decimal:
    """A price field of a reply as an exact Decimal, or RateSourceError."""
    try:
        return parse_price(value, f"its {code} price")
    except RateError as exc:
        raise RateSourceError(source, str(exc)) from None


def field(source: str, doc: Any, *path: str) -> Any:
    """``doc[path[0]][path[1]]...`` where each step must be a JSON object holding the key."""
    node = doc
    for key in path:
        if not isinstance(node, dict):
            raise RateSourceError(source, "its reply is not shaped as documented")
        if key not in node:
            raise RateSourceError(source, f"its reply has no {key!r}")
        node = node[key]
    return node


def timestamp(source: str, value: Any) -> int:
    """A Unix time field (seconds; an int or a whole float)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RateSourceError(source, "its time is not a number")
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        raise RateSourceError(source, "its time is not a number")
    seconds = int(value)
    if not 0 < seconds < 2**40:
        raise RateSourceError(source, "its time is not a plausible Unix time")
    return seconds
