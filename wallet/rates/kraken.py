"""Kraken's public ticker: ``GET https://api.kraken.com/0/public/Ticker?pair=XBTUSD``.

Documented reply: ``{"error": [], "result": {"XXBTZUSD": {"a": [ask, ...], "b": [bid, ...],
"c": [last trade price, lot volume], ...}}}`` -- prices as decimal strings under Kraken's own
pair name (``XXBTZUSD``, ``XXBTZEUR``, ``XBTCHF``...); a non-empty ``error`` list is a refusal.
The last trade's price (``c[0]``) is taken. Kraken trades bitcoin against a few currencies only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wallet.rates.base import Quote, RateSourceError, field, get_json, price_of

DEFAULT_URL = "https://api.kraken.com"
KRAKEN_CURRENCIES = frozenset({"USD", "EUR", "GBP", "CAD", "JPY", "CHF", "AUD"})


@dataclass(frozen=True)
class KrakenSource:
    base_url: str = DEFAULT_URL
    name: str = "Kraken"

    def quotes(self, code: str) -> bool:
        return code in KRAKEN_CURRENCIES

    async def fetch(self, client: Any, code: str) -> Quote:
        url = self.base_url.rstrip("/") + "/0/public/Ticker"
        doc = await get_json(client, self.name, url, {"pair": f"XBT{code}"})
        return parse(self.name, doc, code)


def parse(name: str, doc: Any, code: str) -> Quote:
    errors = field(name, doc, "error")
    if not isinstance(errors, list):
        raise RateSourceError(name, "its reply is not shaped as documented")
    if errors:
        raise RateSourceError(name, f"it refused: {str(errors[0])[:80]}")
    result = field(name, doc, "result")
    if not isinstance(result, dict) or len(result) != 1:
        raise RateSourceError(name, "its reply does not hold exactly one pair")
    ((pair, ticker),) = result.items()
    if not (isinstance(pair, str) and pair.startswith(("XXBT", "XBT")) and pair.endswith(code)):
        raise RateSourceError(name, f"it answered for {str(pair)[:20]!r}, not bitcoin in {code}")
    last = field(name, ticker, "c")
    if not isinstance(last, list) or not last:
        raise RateSourceError(name, "its last trade is missing")
    return Quote(name, code, price_of(name, last[0], code))
