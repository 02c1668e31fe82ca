"""Fiat rates: each source's adapter against a real HTTP server on 127.0.0.1 serving that
source's documented reply, hostile replies, the median of those that answer, and the
playground's own price endpoint (mempool.space's shape)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.playground_fixture import playground  # noqa: F401
from wallet.bitcoin.amount import NumberLocale
from wallet.bitcoin.fiat import Rate, RateError, fiat_unit, median_price, read_price
from wallet.rates.base import MAX_REPLY, RatesError
from wallet.rates.blockchain import BlockchainSource
from wallet.rates.coinbase import CoinbaseSource
from wallet.rates.coingecko import CoinGeckoSource
from wallet.rates.kraken import KrakenSource
from wallet.rates.mempool import MempoolSource
from wallet.rates.service import MAX_QUOTE_AGE, fetch_rate, manual_reading

NOW = int(time.time())

#: Each source's documented reply shape, with made-up prices.
MEMPOOL = {"time": NOW, "USD": 65010, "EUR": 60020, "GBP": 51000, "CAD": 89000, "CHF": 57000,
           "AUD": 99000, "JPY": 9800000}  # fmt: skip
COINBASE = {"data": {"currency": "BTC", "rates": {"USD": "65020.50", "EUR": "60010.1",
                                                  "CNY": "470100.25", "ETH": "20.1"}}}  # fmt: skip
KRAKEN = {
    "error": [],
    "result": {
        "XXBTZUSD": {
            "a": ["65030.10000", "1", "1.000"],
            "b": ["65029.90000", "2", "2.000"],
            "c": ["65030.00000", "0.00100000"],
            "v": ["1000.1", "2000.2"],
            "p": ["65000.0", "64900.0"],
            "t": [1000, 2000],
            "l": ["64000.0", "63000.0"],
            "h": ["66000.0", "66500.0"],
            "o": "64500.0",
        }
    },
}
COINGECKO = {"bitcoin": {"usd": 65040.33, "last_updated_at": NOW - 30}}
BLOCKCHAIN = {
    "USD": {"15m": 65000.1, "last": 65050.5, "buy": 65050.5, "sell": 65050.5, "symbol": "USD"},
    "CNY": {"15m": 470000.0, "last": 470200.0, "buy": 470200.0, "sell": 470200.0, "symbol": "CNY"},
}


class Server:
    """A real HTTP server on 127.0.0.1: ``routes[path] = (status, body)``; ``delay`` seconds
    before each answer; every request's path and query recorded."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, bytes]] = {}
        self.delay = 0.0
        self.requests: list[tuple[str, dict[str, list[str]]]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                outer.requests.append((parts.path, parse_qs(parts.query)))
                if outer.delay:
                    time.sleep(outer.delay)
                status, body = outer.routes.get(parts.path, (404, b"not found"))
                try:
                    self.send_response(status)
                    if status in (301, 302):
                        self.send_header("Location", "http://127.0.0.1:1/elsewhere")
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def serve(self, path: str, doc: object, status: int = 200) -> None:
        body = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
        self.routes[path] = (status, body)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server()
    try:
        yield s
    finally:
        s.close()


def sources(url: str) -> list:
    return [
        MempoolSource(url),
        CoinbaseSource(url),
        KrakenSource(url),
        CoinGeckoSource(url),
        BlockchainSource(url),
    ]


def serve_all(server: Server) -> None:
    server.serve("/api/v1/prices", MEMPOOL)
    server.serve("/v2/exchange-rates", COINBASE)
    server.serve("/0/public/Ticker", KRAKEN)
    server.serve("/api/v3/simple/price", COINGECKO)
    server.serve("/ticker", BLOCKCHAIN)


def fetch(code: str, srcs, **options):
    return asyncio.run(fetch_rate(code, srcs, **options))


# -- each adapter reads its source's documented reply ---------------------------------------------


@pytest.mark.parametrize(
    ("index", "path", "price", "at"),
    [
        (0, "/api/v1/prices", "65010", NOW),
        (1, "/v2/exchange-rates", "65020.5", None),
        (2, "/0/public/Ticker", "65030", None),
        (3, "/api/v3/simple/price", "65040.33", NOW - 30),
        (4, "/ticker", "65050.5", None),
    ],
)
def test_each_adapter_reads_its_documented_reply(server, index, path, price, at):
    serve_all(server)
    source = sources(server.url)[index]
    reading = fetch("USD", [source], now=NOW)
    assert reading.failures == ()
    (quote,) = reading.quotes
    assert (quote.source, quote.currency, quote.price, quote.at) == (
        source.name,
        "USD",
        Decimal(price),
        at,
    )
    assert reading.rate is not None and reading.rate.price == Decimal(price)
    asked_path, query = server.requests[-1]
    assert asked_path == path
    if isinstance(source, CoinbaseSource):
        assert query == {"currency": ["BTC"]}
    if isinstance(source, KrakenSource):
        assert query == {"pair": ["XBTUSD"]}
    if isinstance(source, CoinGeckoSource):
        assert query["ids"] == ["bitcoin"] and query["vs_currencies"] == ["usd"]


def test_the_rate_is_the_median_of_those_that_answer_with_its_sources(server):
    serve_all(server)
    reading = fetch("USD", sources(server.url), now=NOW)
    assert [q.source for q in reading.quotes] == [
        "mempool.space", "Coinbase", "Kraken", "CoinGecko", "blockchain.com"
    ]  # fmt: skip
    assert reading.rate.price == Decimal("65030")  # the middle of five
    assert reading.rate.source == "mempool.space, Coinbase, Kraken, CoinGecko, blockchain.com"
    assert reading.rate.at == NOW - 30  # the oldest answer's own time
    assert reading.age(NOW + 90) == 120
    assert reading.warning == ""
    # Only the sources quoting a currency are asked: CNY from Coinbase and blockchain.com
    # (their mean: two middle values), mempool.space and Kraken skipped, CoinGecko says no.
    cny = fetch("CNY", sources(server.url), now=NOW)
    assert cny.skipped == ("mempool.space", "Kraken")
    assert cny.rate.price == (Decimal("470100.25") + Decimal("470200")) / 2
    assert cny.failures == (("CoinGecko", "it does not quote CNY"),)
    assert cny.rate.currency.decimals == 2


def test_one_lying_source_does_not_move_the_median(server):
    serve_all(server)
    server.serve("/ticker", {"USD": {"last": 1.0, "symbol": "USD"}})  # a liar, off by 65,000x
    reading = fetch("USD", sources(server.url), now=NOW)
    # 1, 65010, 65020.5, 65030, 65040.33: the median is an honest source's price
    assert reading.rate.price == Decimal("65020.5")
    assert "disagree" in reading.warning


# -- hostile and broken replies -------------------------------------------------------------------

HOSTILE = [
    (b"<html>rate limited</html>", 200, "its reply is not JSON"),
    (b"[" * 5000 + b"]" * 5000, 200, "its reply is not JSON"),
    (b'{"time": 1, "USD": NaN}', 200, "its reply is not JSON"),
    (b" " * (MAX_REPLY + 10), 200, "over 256 kB"),
    (json.dumps({"time": NOW, "USD": -5}).encode(), 200, "must be more than zero"),
    (json.dumps({"time": NOW, "USD": 0}).encode(), 200, "must be more than zero"),
    (json.dumps({"time": NOW, "USD": "sixty"}).encode(), 200, "is not a number"),
    (json.dumps({"time": NOW, "USD": True}).encode(), 200, "is not a number"),
    (json.dumps({"time": NOW, "USD": [1]}).encode(), 200, "is not a number"),
    (json.dumps({"time": NOW, "USD": 1e300}).encode(), 200, "absurdly large"),
    (json.dumps({"time": NOW, "USD": 1e-12}).encode(), 200, "too small"),
    (json.dumps({"time": "now", "USD": 65000}).encode(), 200, "its time is not a number"),
    (json.dumps({"time": NOW - MAX_QUOTE_AGE - 600, "USD": 65000}).encode(), 200, "minutes old"),
    (json.dumps({"time": NOW + 86400, "USD": 65000}).encode(), 200, "in the future"),
    (json.dumps({"EUR": 60000}).encode(), 200, "does not quote USD"),
    (json.dumps([65000]).encode(), 200, "not shaped as documented"),
    (b"{}", 500, "answered HTTP 500"),
    (b"{}", 302, "answered HTTP 302"),
]


@pytest.mark.parametrize(("body", "status", "reason"), HOSTILE)
def test_a_hostile_reply_is_a_named_failure_never_a_rate(server, body, status, reason):
    server.routes["/api/v1/prices"] = (status, body)
    reading = fetch("USD", [MempoolSource(server.url)], now=NOW)
    assert reading.rate is None
    ((name, why),) = reading.failures
    assert name == "mempool.space" and reason in why, why
    with pytest.raises(RatesError, match="no source gave a USD rate"):
        reading.require()


@pytest.mark.parametrize(
    ("path", "doc", "reason"),
    [
        ("/v2/exchange-rates", {"data": {"currency": "ETH", "rates": {"USD": "3"}}}, "for BTC"),
        ("/v2/exchange-rates", {"data": []}, "not shaped as documented"),
        ("/0/public/Ticker", {"error": ["EQuery:Unknown asset pair"], "result": {}}, "refused"),
        ("/0/public/Ticker", {"error": [], "result": {"XETHZUSD": {"c": ["3"]}}}, "not bitcoin"),
        ("/0/public/Ticker", {"error": [], "result": {"XXBTZUSD": {"c": []}}}, "last trade"),
        ("/api/v3/simple/price", {"ethereum": {"usd": 3000}}, "no 'bitcoin'"),
        ("/ticker", {"USD": {"15m": 65000}}, "no 'last'"),
    ],
)  # fmt: skip
def test_shapes_that_are_not_the_documented_one_are_refused(server, path, doc, reason):
    server.serve(path, doc)
    by_path = {
        "/v2/exchange-rates": CoinbaseSource,
        "/0/public/Ticker": KrakenSource,
        "/api/v3/simple/price": CoinGeckoSource,
        "/ticker": BlockchainSource,
    }
    reading = fetch("USD", [by_path[path](server.url)], now=NOW)
    assert reading.rate is None and reason in reading.failures[0][1], reading.failures


def test_a_source_that_does_not_answer_in_time_is_left_out(server):
    serve_all(server)
    slow = Server()
    try:
        slow.serve("/ticker", BLOCKCHAIN)
        slow.delay = 3.0
        started = time.monotonic()
        reading = fetch(
            "USD", [MempoolSource(server.url), BlockchainSource(slow.url)], timeout=0.5, now=NOW
        )
        assert time.monotonic() - started < 2.5
    finally:
        slow.close()
    assert reading.rate.price == Decimal("65010")
    assert reading.failures == (("blockchain.com", "did not answer in time"),)


def test_an_unreachable_source_is_named(server):
    server.close()
    reading = fetch("USD", [MempoolSource(server.url)], timeout=2, now=NOW)
    assert reading.rate is None
    assert reading.failures[0][0] == "mempool.space"
    assert "could not be reached" in reading.failures[0][1]


def test_no_source_for_a_currency_says_to_set_a_rate_by_hand(server):
    reading = fetch("CNY", [MempoolSource(server.url), KrakenSource(server.url)], now=NOW)
    assert server.requests == []  # neither quotes CNY: nobody is asked
    with pytest.raises(RatesError, match="set a rate by hand"):
        reading.require()


def test_a_currency_code_that_is_not_one_is_refused():
    with pytest.raises(RateError, match="ISO 4217"):
        asyncio.run(fetch_rate("XYZ", []))


# -- the money side: exact conversions, manual rates ----------------------------------------------


def test_conversions_are_exact_and_a_price_asked_rounds_up():
    cny = Rate(fiat_unit("CNY"), Decimal("431234.56"), "manual", NOW)
    assert cny.to_sats(3500) == 8117  # 35.00 CNY: 8116.18... sats, rounded up
    assert cny.to_fiat(8117) == 3500
    jpy = Rate(fiat_unit("JPY"), Decimal("9800000"))
    assert jpy.currency.decimals == 0
    assert jpy.to_sats(980) == 10_000
    assert fiat_unit("kwd").decimals == 3
    assert median_price([Decimal(3), Decimal(1), Decimal(2)]) == 2
    german = NumberLocale(",", ".")
    assert read_price("431.234,56", "CNY", german) == Decimal("431234.56")
    with pytest.raises(Exception, match="could mean"):
        read_price("1,000", "USD", NumberLocale(".", ","))
    reading = manual_reading(cny)
    assert reading.require() is cny and reading.failures == ()


# -- the playground serves mempool.space's shape --------------------------------------------------


def test_the_playground_serves_a_rate_in_mempool_spaces_shape(playground):  # noqa: F811
    source = MempoolSource(playground.esplora_url, "playground", currencies=None)
    reading = fetch("CNY", [source])
    assert reading.rate.price == Decimal(470000)
    assert reading.rate.source == "playground"
    playground.set_prices({"CNY": "431234.56", "USD": 60000})
    assert fetch("CNY", [source]).rate.price == Decimal("431234.56")
    playground.set_prices({"USD": "nonsense"})
    assert "is not a number" in fetch("USD", [source]).failures[0][1]


def test_every_source_is_asked_through_the_proxy(server, tmp_path):
    """With a proxy set (Tor, say), the rate sources are reached through it, by name: pproxy in
    its own process logs each connection it made for us."""
    from tests.test_proxy import SocksProxy
    from wallet.net.proxy import Proxy

    serve_all(server)
    port = server.url.rsplit(":", 1)[1]
    proxy = SocksProxy(tmp_path / "pproxy.log")
    try:
        by_name = f"http://localhost:{port}"  # a name: resolved by the proxy, not here
        reading = fetch(
            "USD", sources(by_name), proxy=Proxy("127.0.0.1", proxy.port), now=NOW, timeout=5
        )
        log = "\n".join(proxy.lines())
    finally:
        proxy.stop()
    assert reading.failures == () and len(reading.quotes) == 5
    assert f"localhost:{port}" in log
