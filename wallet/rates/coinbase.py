"""Coinbase's exchange rates: ``GET https://api.coinbase.com/v2/exchange-rates?currency=BTC``.

Documented reply: ``{"data": {"currency": "BTC", "rates": {"USD": "43753.12", "EUR": "...",
...}}}`` -- how much of each currency one BTC buys, as decimal strings. No time is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wallet.rates.base import Quote, RateSourceError, field, get_json, price_of

DEFAULT_URL = "https://api.coinbase.com"


@dataclass(frozen=True)
class CoinbaseSource:
    base_url: str = DEFAULT_URL
    name: str = "Coinbase"

    def quotes(self, code: str) -> bool:
        return True  # it lists about 150 fiat currencies; an unlisted one is said so

    async def fetch(self, client: Any, code: str) -> Quote:
        url = self.base_url.rstrip("/") + "/v2/exchange-rates"
        doc = await get_json(client, self.name, url, {"currency": "BTC"})
        return parse(self.name, doc, code)


def parse(name: str, doc: Any, code: str) -> Quote:
    if field(name, doc, "data", "currency") != "BTC":
        raise RateSourceError(name, "its rates are not for BTC")
    rates = field(name, doc, "data", "rates")
    if not isinstance(rates, dict):
        raise RateSourceError(name, "its reply is not shaped as documented")
    if code not in rates:
        raise RateSourceError(name, f"it does not quote {code}")
    return Quote(name, code, price_of(name, rates[code], code))
