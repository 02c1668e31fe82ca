"""blockchain.com's ticker: ``GET https://blockchain.info/ticker``.

Documented reply: one object per currency code, ``{"USD": {"15m": 43753.1, "last": 43753.1,
"buy": 43753.1, "sell": 43753.1, "symbol": "USD"}, "EUR": {...}, ...}`` -- JSON numbers; "15m"
is delayed by 15 minutes, "last" is the latest, which is taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wallet.rates.base import Quote, RateSourceError, field, get_json, price_of

DEFAULT_URL = "https://blockchain.info"


@dataclass(frozen=True)
class BlockchainSource:
    base_url: str = DEFAULT_URL
    name: str = "blockchain.com"

    def quotes(self, code: str) -> bool:
        return True

    async def fetch(self, client: Any, code: str) -> Quote:
        doc = await get_json(client, self.name, self.base_url.rstrip("/") + "/ticker")
        return parse(self.name, doc, code)


def parse(name: str, doc: Any, code: str) -> Quote:
    if not isinstance(doc, dict):
        raise RateSourceError(name, "its reply is not shaped as documented")
    if code not in doc:
        raise RateSourceError(name, f"it does not quote {code}")
    return Quote(name, code, price_of(name, field(name, doc, code, "last"), code))
