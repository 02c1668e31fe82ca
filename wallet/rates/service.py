"""Ask every source at once; the rate is the median of those that answer.

A source that fails, times out, does not quote the currency or gives a price older than
:data:`MAX_QUOTE_AGE` is left out and named with its reason in the :class:`Reading`; the others'
median is the rate, so one source alone (lying, or broken) cannot set it as long as two more
answer honestly. The reading keeps which sources answered and when it was taken, so a screen
can say "median of 3 sources, 2 minutes old" -- and a till can refuse a rate too old to price by.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from wallet.bitcoin.fiat import Rate, fiat_unit, median_price
from wallet.net.proxy import Proxy, open_http_client
from wallet.rates.base import USER_AGENT, Quote, RatesError, RateSource, RateSourceError
from wallet.rates.blockchain import BlockchainSource
from wallet.rates.coinbase import CoinbaseSource
from wallet.rates.coingecko import CoinGeckoSource
from wallet.rates.kraken import KrakenSource
from wallet.rates.mempool import MempoolSource

#: The public sources asked by default, each with its documented endpoint.
DEFAULT_SOURCES: tuple[RateSource, ...] = (
    MempoolSource(),
    CoinbaseSource(),
    KrakenSource(),
    CoinGeckoSource(),
    BlockchainSource(),
)
#: Seconds a source may take to answer.
TIMEOUT = 10.0
#: A price a source says it took longer ago than this is not used.
MAX_QUOTE_AGE = 60 * 60
#: A source's clock may run ahead of ours by this much.
CLOCK_SLACK = 10 * 60
#: Sources that disagree by more than this fraction are named in the reading's warning.
SPREAD_WARNING = Decimal("0.05")


@dataclass(frozen=True)
class Reading:
    """What asking the sources gave: the median ``rate`` (None if no source answered), every
    answer, and every failure with its reason."""

    currency: str
    rate: Rate | None
    quotes: tuple[Quote, ...] = ()
    failures: tuple[tuple[str, str], ...] = ()
    fetched_at: int = 0
    warning: str = ""
    #: sources not asked because they do not quote this currency
    skipped: tuple[str, ...] = field(default=())

    def age(self, now: float | None = None) -> int:
        """Seconds since the rate was taken (its oldest answer's own time, when given)."""
        taken = self.rate.at if self.rate is not None else self.fetched_at
        return max(0, int((time.time() if now is None else now) - taken))

    def require(self) -> Rate:
        """The rate, or RatesError saying why there is none."""
        if self.rate is not None:
            return self.rate
        if not self.failures:
            raise RatesError(f"no rate source quotes {self.currency}; set a rate by hand")
        reasons = "; ".join(f"{name}: {why}" for name, why in self.failures)
        raise RatesError(f"no source gave a {self.currency} rate ({reasons})")


async def _ask(source: RateSource, client: object, code: str, timeout: float) -> Quote:
    try:
        return await asyncio.wait_for(source.fetch(client, code), timeout)
    except TimeoutError:
        raise RateSourceError(source.name, "did not answer in time") from None


async def fetch_rate(
    code: str,
    sources: Sequence[RateSource] = DEFAULT_SOURCES,
    *,
    timeout: float = TIMEOUT,
    proxy: Proxy | None = None,
    now: float | None = None,
) -> Reading:
    """Ask ``sources`` (concurrently, through the proxy) for the price of a bitcoin in
    ``code``; the :class:`Reading`. Raises only for a currency code that is not one."""
    import httpx

    unit = fiat_unit(code)
    code = unit.code
    asked = [s for s in sources if s.quotes(code)]
    skipped = tuple(s.name for s in sources if not s.quotes(code))
    quotes: list[Quote] = []
    failures: list[tuple[str, str]] = []
    if asked:
        client = open_http_client(
            proxy=proxy,
            timeout=httpx.Timeout(timeout),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=False,
        )
        async with client:
            answers = await asyncio.gather(
                *(_ask(s, client, code, timeout) for s in asked), return_exceptions=True
            )
        clock = time.time() if now is None else now
        for source, answer in zip(asked, answers, strict=True):
            if isinstance(answer, RateSourceError):
                failures.append((source.name, answer.reason))
            elif isinstance(answer, BaseException):
                if not isinstance(answer, Exception):
                    raise answer
                failures.append((source.name, f"failed ({type(answer).__name__})"))
            elif answer.at is not None and answer.at < clock - MAX_QUOTE_AGE:
                minutes = int(clock - answer.at) // 60
                failures.append((source.name, f"its price is {minutes:,} minutes old"))
            elif answer.at is not None and answer.at > clock + CLOCK_SLACK:
                failures.append((source.name, "its price is dated in the future"))
            else:
                quotes.append(answer)
    fetched = int(time.time() if now is None else now)
    rate = None
    warning = ""
    if quotes:
        price = median_price([q.price for q in quotes])
        taken = min((q.at for q in quotes if q.at is not None), default=fetched)
        names = ", ".join(q.source for q in quotes)
        rate = Rate(unit, price, names, min(taken, fetched))
        low, high = min(q.price for q in quotes), max(q.price for q in quotes)
        if high - low > price * SPREAD_WARNING:
            warning = (
                f"the sources disagree by {((high - low) / price * 100):.0f} % "
                f"({low} to {high} {code}); the median is used"
            )
    return Reading(code, rate, tuple(quotes), tuple(failures), fetched, warning, skipped)


def manual_reading(rate: Rate) -> Reading:
    """A rate set by hand (an offline stall): a reading with no source asked."""
    return Reading(rate.code, rate, (), (), rate.at)


__all__ = [
    "DEFAULT_SOURCES",
    "MAX_QUOTE_AGE",
    "Reading",
    "fetch_rate",
    "manual_reading",
]
