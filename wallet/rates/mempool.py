"""mempool.space's price endpoint: ``GET /api/v1/prices``.

Documented reply: one object, ``{"time": 1703252411, "USD": 43753, "EUR": 40545, "GBP": ...,
"CAD": ..., "CHF": ..., "AUD": ..., "JPY": ...}`` -- whole-unit prices and the Unix time they
were taken. A self-hosted mempool instance answers the same, and so does the Paylight
playground (with more currencies), which is how tests and the demo get a rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wallet.rates.base import Quote, RateSourceError, get_json, price_of, timestamp

DEFAULT_URL = "https://mempool.space"
#: what mempool.space itself quotes; another instance (the playground) may quote more
MEMPOOL_CURRENCIES = frozenset({"USD", "EUR", "GBP", "CAD", "CHF", "AUD", "JPY"})


@dataclass(frozen=True)
class MempoolSource:
    base_url: str = DEFAULT_URL
    name: str = "mempool.space"
    #: None: ask for any currency (an instance that quotes more than mempool.space)
    currencies: frozenset[str] | None = MEMPOOL_CURRENCIES

    def quotes(self, code: str) -> bool:
        return self.currencies is None or code in self.currencies

    async def fetch(self, client: Any, code: str) -> Quote:
        doc = await get_json(client, self.name, self.base_url.rstrip("/") + "/api/v1/prices")
        return parse(self.name, doc, code)


def parse(name: str, doc: Any, code: str) -> Quote:
    if not isinstance(doc, dict):
        raise RateSourceError(name, "its reply is not shaped as documented")
    if code not in doc:
        raise RateSourceError(name, f"it does not quote {code}")
    at = timestamp(name, doc["time"]) if "time" in doc else None
    return Quote(name, code, price_of(name, doc[code], code), at)
