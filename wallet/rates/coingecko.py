"""CoinGecko's simple price:
``GET https://api.coingecko.com/api/v3/simple/price?ids=bitcoin&vs_currencies=usd&include_last_updated_at=true``.

Documented reply: ``{"bitcoin": {"usd": 67187.33, "last_updated_at": 1711356300}}`` -- the
currency in lower case, a JSON number, and the Unix time of the price.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wallet.rates.base import Quote, RateSourceError, field, get_json, price_of, timestamp

DEFAULT_URL = "https://api.coingecko.com"


@dataclass(frozen=True)
class CoinGeckoSource:
    base_url: str = DEFAULT_URL
    name: str = "CoinGecko"

    def quotes(self, code: str) -> bool:
        return True

    async def fetch(self, client: Any, code: str) -> Quote:
        url = self.base_url.rstrip("/") + "/api/v3/simple/price"
        params = {
            "ids": "bitcoin",
            "vs_currencies": code.lower(),
            "include_last_updated_at": "true",
        }
        return parse(self.name, await get_json(client, self.name, url, params), code)


def parse(name: str, doc: Any, code: str) -> Quote:
    coin = field(name, doc, "bitcoin")
    if not isinstance(coin, dict):
        raise RateSourceError(name, "its reply is not shaped as documented")
    key = code.lower()
    if key not in coin:
        raise RateSourceError(name, f"it does not quote {code}")
    at = timestamp(name, coin["last_updated_at"]) if "last_updated_at" in coin else None
    return Quote(name, code, price_of(name, coin[key], code), at)
