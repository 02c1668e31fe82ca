"""An Esplora HTTP API client (blockstream.info, mempool.space, self-hosted esplora/electrs).

One ``httpx.AsyncClient`` per server with a connection limit and timeouts. HTTP 429 and 5xx
answers, dropped connections and timeouts are retried with exponential backoff (honouring a
short ``Retry-After``) up to ``retries`` times, then fail with :class:`ServerUnavailable`; other
4xx answers are the server refusing the request (:class:`RequestRejected`). Bodies are read as
a stream and refused past ``max_body`` bytes, so a hostile server cannot make us buffer
gigabytes; every JSON reply is shape-checked.

Esplora has no header-range or subscription calls, so:

* ``get_headers`` rebuilds each 80-byte header from ``GET /blocks/:height`` (ten blocks per
  request) and checks that it hashes to the block id the server gave and links to its parent;
* subscriptions poll and report Electrum-style statuses computed from the history, so callers
  see the same values from both protocols. Once anything is subscribed, the tip
  (``/blocks/tip/hash``, one small request) is polled every ``tip_interval`` seconds -- whether
  or not headers are subscribed, so the tip this client reports (``status()``, the light-node
  panel) stays current as blocks come -- and each script hash's ``/scripthash/:hash`` stats (a
  cheap change detector) every ``poll_interval`` seconds, and at once after a new block (a
  confirmation changes a history's status).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import itertools
import json
import logging
import ssl
import time
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from wallet import __version__, bounded_json
from wallet.backends import schema as S
from wallet.backends.base import (
    Backend,
    Backoff,
    CoinbaseProof,
    ElectrumProof,
    HeaderCallback,
    HeaderReply,
    HistoryItem,
    IncompatibleServer,
    MalformedReply,
    Notifier,
    RequestRejected,
    ScripthashCallback,
    ServerError,
    ServerState,
    ServerUnavailable,
    Tip,
    UnsupportedRequest,
    Utxo,
    check_scripthash,
    electrum_order,
    electrum_status,
    txid_bytes,
)
from wallet.backends.http_transport import BodyTooLarge, LeanHTTP, Timeouts, lean_http
from wallet.bitcoin.amount import FeeError, FeeRate
from wallet.bitcoin.errors import DecodeError
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.networks import Network
from wallet.bitcoin.transaction import identify
from wallet.net.proxy import open_http_client

log = logging.getLogger(__name__)

#: set while the network check's own request runs
_checking: contextvars.ContextVar[bool] = contextvars.ContextVar("checking", default=False)

#: a 4 MB transaction in raw bytes, with room to spare; JSON pages are far smaller
DEFAULT_MAX_BODY = 8 * 1024 * 1024
#: Esplora's page size for /txs/chain
CHAIN_PAGE = 25
#: Esplora lists at most this many mempool transactions per script hash
MEMPOOL_PAGE = 50
#: the most confirmed transactions read for one script hash (400 pages)
MAX_HISTORY = 10_000
#: the default relay fee: Esplora has no endpoint for it; Bitcoin Core's -minrelaytxfee default
DEFAULT_RELAY_FEE = FeeRate(1_000)
#: parent-status look-ups per history (to tell Electrum's height 0 from -1); beyond: 0
MAX_PARENT_LOOKUPS = 64
MAX_RETRY_AFTER = 30.0
#: headers fetched per window of parallel /blocks requests
HEADERS_WINDOW = 2016
#: seconds between tip polls: a server on this machine (the playground, your own esplora) is
#: asked every second, a remote one every 10 s (blocks come every ten minutes on mainnet)
LOCAL_TIP_INTERVAL = 1.0
REMOTE_TIP_INTERVAL = 10.0


@dataclass
class _Subscription:
    callbacks: list[ScripthashCallback] = field(default_factory=list)
    status: str | None = None
    stats: Any = None


class EsploraClient(Backend):
    """One Esplora server, given by its API base URL (``https://mempool.space/api``)."""

    protocol = "esplora"

    def __init__(
        self,
        base_url: str,
        *,
        name: str | None = None,
        network: Network | None = None,
        timeout: float = 20.0,
        connect_timeout: float = 10.0,
        max_body: int = DEFAULT_MAX_BODY,
        retries: int = 3,
        backoff: Backoff | None = None,
        max_connections: int = 8,
        poll_interval: float = 30.0,
        tip_interval: float | None = None,
        verify: bool | str = True,
        total_timeout: float | None = None,
    ) -> None:
        base = base_url.strip().rstrip("/")
        if not base.startswith(("http://", "https://")):
            raise ValueError(f"an Esplora URL starts with https:// (or http://), not {base_url!r}")
        super().__init__(name or httpx.URL(base).host or base, base)
        self.network = network
        self.timeout = timeout
        #: the whole exchange, however slowly the server drips its bytes
        self.total_timeout = total_timeout if total_timeout is not None else 3 * timeout
        self.connect_timeout = connect_timeout
        self.max_body = max_body
        self.retries = max(0, retries)
        self.backoff = backoff or Backoff()
        self.max_connections = max(1, max_connections)
        self.poll_interval = poll_interval
        if tip_interval is None:
            host = httpx.URL(base).host
            local = host in ("localhost", "::1") or host.startswith("127.")
            tip_interval = LOCAL_TIP_INTERVAL if local else REMOTE_TIP_INTERVAL
        #: never less often than the script hashes
        self.tip_interval = min(tip_interval, poll_interval)
        self.verify = verify
        self._client: httpx.AsyncClient | LeanHTTP | None = None
        self._limit: asyncio.Semaphore | None = None
        self._closed = False
        self._network_check: asyncio.Future[None] | None = None
        self._header_callbacks: list[HeaderCallback] = []
        self._subs: dict[bytes, _Subscription] = {}
        self._poller: asyncio.Task[None] | None = None
        self._poll_wake: asyncio.Event | None = None
        self._notifier = Notifier()

    # -- HTTP -----------------------------------------------------------------------------------

    def _http(self) -> httpx.AsyncClient | LeanHTTP:
        """The lean HTTP client (see http_transport.py), or httpx's behind a proxy."""
        if self._closed:
            raise ServerUnavailable(self.name, "the client is closed")
        if self._client is None:
            self._client = lean_http(self.url, self.verify, f"Paylight/{__version__}")
            self._limit = asyncio.Semaphore(self.max_connections)
        if self._client is None:
            self._client = open_http_client(
                base_url=self.url,
                timeout=httpx.Timeout(self.timeout, connect=self.connect_timeout),
                limits=httpx.Limits(
                    max_connections=self.max_connections,
                    max_keepalive_connections=self.max_connections,
                ),
                headers={"User-Agent": f"Paylight/{__version__}"},
                follow_redirects=False,
                verify=self.verify,
            )
        return self._client

    async def _request(
        self,
        method: str,
        path: str,
        *,
        want: Literal["json", "text", "bytes"] = "json",
        body: bytes | None = None,
    ) -> Any:
        """One API call with retries; the decoded body. Raises ServerError subclasses."""
        if self.network is not None and not _checking.get():
            if self._network_check is None or (
                self._network_check.done() and self._network_check.exception() is not None
            ):
                self._network_check = asyncio.ensure_future(self._check_network())
            await asyncio.shield(self._network_check)
        what = f"{method} {path}"
        client = self._http()
        last: ServerError | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                delay = self.backoff.delay(attempt)
                retry_after = getattr(last, "retry_after", None)
                if retry_after is not None:
                    delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
                await asyncio.sleep(delay)
            started = time.monotonic()
            try:
                status, headers, data = await asyncio.wait_for(
                    self._fetch(client, method, path, body), self.total_timeout
                )
            except TimeoutError:
                last = ServerUnavailable(
                    self.name, f"{what}: not finished within {self.total_timeout:g} s", "timeout"
                )
                continue
            except ServerUnavailable as err:
                last = err
                if self._closed:  # closed meanwhile (e.g. dropped by the pool): no retry
                    break
                continue
            except ServerError as err:
                raise self._failed(err) from None
            if status == 429 or status >= 500:
                last = ServerUnavailable(self.name, f"{what} answered HTTP {status}")
                last.retry_after = _retry_after(headers.get("retry-after"))
                continue
            if 400 <= status < 500:
                text = _snippet(data)
                err = RequestRejected(self.name, f"{what}: HTTP {status} {text}".rstrip(), status)
                raise self._failed(err)
            if 300 <= status < 400 and headers.get("location"):
                where = headers["location"][:200]
                raise self._failed(
                    IncompatibleServer(
                        self.name, f"{what} redirects to {where}; configure that URL instead"
                    )
                )
            if status != 200:
                raise self._failed(MalformedReply(self.name, f"{what} answered HTTP {status}"))
            value = self._decode(data, want, what)
            self._ok(started)
            return value
        assert last is not None
        tries = self.retries + 1
        raise self._failed(
            ServerUnavailable(
                self.name,
                f"{last.reason} ({tries} attempt{'s' if tries > 1 else ''})",
                getattr(last, "cause", None),
            )
        )

    async def _fetch(
        self, client: httpx.AsyncClient | LeanHTTP, method: str, path: str, body: bytes | None
    ) -> tuple[int, httpx.Headers | dict[str, str], bytes]:
        what = f"{method} {path}"
        assert self._limit is not None
        async with self._limit:
            try:
                if isinstance(client, LeanHTTP):
                    timeouts = Timeouts(connect=self.connect_timeout, read=self.timeout)
                    try:
                        return await client.fetch(method, path, body, timeouts, self.max_body)
                    except BodyTooLarge as exc:
                        size = f"of {exc.declared} bytes " if exc.declared is not None else ""
                        raise MalformedReply(
                            self.name,
                            f"{what}: the reply {size}is over the {self.max_body}-byte limit",
                        ) from None
                async with client.stream(method, path, content=body) as response:
                    declared = _declared_length(response.headers.get("content-length"))
                    if declared is not None and declared > self.max_body:
                        raise MalformedReply(
                            self.name,
                            f"{what}: a reply of {declared} bytes is over the "
                            f"{self.max_body}-byte limit",
                        )
                    data = bytearray()
                    async for chunk in response.aiter_bytes():
                        data += chunk
                        if len(data) > self.max_body:
                            raise MalformedReply(
                                self.name,
                                f"{what}: the reply is over the {self.max_body}-byte limit",
                            )
                    return response.status_code, response.headers, bytes(data)
            except httpx.TimeoutException as exc:
                # a connect (or our own pool) timeout says the server is unreachable, not stalling
                stalled = not isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout)
                raise ServerUnavailable(
                    self.name,
                    f"{what}: no answer within {self.timeout:g} s",
                    "timeout" if stalled else None,
                ) from None
            except httpx.DecodingError as exc:
                raise MalformedReply(
                    self.name, f"{what}: the reply cannot be decoded: {exc}"
                ) from None
            except httpx.TransportError as exc:
                untrusted = _certificate_error(exc)
                if untrusted is not None:  # retrying cannot help: say what would
                    raise IncompatibleServer(
                        self.name,
                        f"its TLS certificate is not trusted ({untrusted.verify_message}); an "
                        "https:// server needs a certificate this system trusts (for a "
                        "self-signed one, point SSL_CERT_FILE at it)",
                    ) from None
                reason = str(exc) or type(exc).__name__
                # refused is "unreachable"; closed or broken mid-request is the server stalling
                lost = isinstance(
                    exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError
                )
                raise ServerUnavailable(
                    self.name,
                    f"{what}: the connection failed ({reason})",
                    "closed" if lost else None,
                ) from None
            except RuntimeError:
                if not self._closed:
                    raise
                raise ServerUnavailable(self.name, f"{what}: the client was closed") from None

    def _decode(self, data: bytes, want: str, what: str) -> Any:
        if want == "bytes":
            return data
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise self._failed(
                MalformedReply(self.name, f"{what}: the reply is not text")
            ) from None
        if want == "text":
            return text.strip()
        try:
            return bounded_json.loads(text, max_bytes=len(text))
        except ValueError:
            raise self._failed(
                MalformedReply(self.name, f"{what}: the reply is not valid JSON")
            ) from None

    @contextlib.contextmanager
    def _shape(self, what: str):
        try:
            yield
        except S.SchemaError as exc:
            raise self._failed(MalformedReply(self.name, f"bad reply to {what}: {exc}")) from None

    async def _get_json(self, path: str) -> Any:
        return await self._request("GET", path)

    async def _get_text(self, path: str) -> str:
        return await self._request("GET", path, want="text")

    async def _check_network(self) -> None:
        """Once per client (every request waits for it): the server's genesis is ours."""
        assert self.network is not None
        token = _checking.set(True)  # the request below must not wait for itself
        try:
            genesis = await self._block_hash(0)
        finally:
            _checking.reset(token)
        if genesis[::-1].hex() != self.network.genesis_hash:
            raise self._failed(
                IncompatibleServer(
                    self.name,
                    f"it serves a chain with genesis {genesis[::-1].hex()[:16]}..., "
                    f"not {self.network.name}",
                )
            )

    async def close(self) -> None:
        self._closed = True
        self._stats.state = ServerState.CLOSED
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
            self._poller = None
        await self._notifier.close()
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    # -- blocks and headers ---------------------------------------------------------------------

    async def _block_hash(self, height: int) -> bytes:
        path = f"/block-height/{height}"
        text = await self._get_text(path)
        with self._shape(f"GET {path}"):
            return S.as_hash(text, "the block hash")

    async def _block_header(self, block_hash: bytes) -> bytes:
        path = f"/block/{block_hash[::-1].hex()}/header"
        text = await self._get_text(path)
        with self._shape(f"GET {path}"):
            header = S.as_header(text)
        if sha256d(header) != block_hash:
            raise self._failed(
                MalformedReply(self.name, f"GET {path}: the header does not hash to the block")
            )
        return header

    async def get_tip(self) -> Tip:
        for _ in range(3):  # the tip may move between the three requests
            text = await self._get_text("/blocks/tip/hash")
            with self._shape("GET /blocks/tip/hash"):
                tip_hash = S.as_hash(text, "the tip hash")
            header = await self._block_header(tip_hash)
            path = f"/block/{tip_hash[::-1].hex()}/status"
            status = await self._get_json(path)
            with self._shape(f"GET {path}"):
                status = S.as_dict(status, "the block status")
                in_best = S.as_bool(S.field(status, "in_best_chain", "the status"), "in_best")
                if not in_best:
                    continue
                height = S.as_int(S.field(status, "height", "the status"), "the height")
            tip = Tip(height, header)
            self._saw_tip(tip)
            return tip
        raise self._failed(ServerUnavailable(self.name, "the tip kept changing; try again"))

    async def get_tip_height(self) -> int:
        text = await self._get_text("/blocks/tip/height")
        with self._shape("GET /blocks/tip/height"):
            return S.as_decimal(text, "the tip height", max_digits=10)

    async def _blocks_page(self, top: int) -> dict[int, tuple[bytes, bytes, bytes]]:
        """``GET /blocks/:top``: {height: (header, block hash, previous hash)} rebuilt from JSON."""
        path = f"/blocks/{top}"
        value = await self._get_json(path)
        out: dict[int, tuple[bytes, bytes, bytes]] = {}
        with self._shape(f"GET {path}"):
            for block in S.as_list(value, "the block list", max_items=100):
                block = S.as_dict(block, "a block")
                height = S.as_int(S.field(block, "height", "a block"), "height", maximum=top)
                block_hash = S.as_hash(S.field(block, "id", "a block"), "id")
                header = _header_from_json(block)
                if sha256d(header) != block_hash:
                    raise S.SchemaError(
                        f"the fields of block {height} do not hash to its id "
                        f"{block_hash[::-1].hex()}"
                    )
                out[height] = (header, block_hash, header[4:36])
        return out

    async def get_headers(self, start: int, count: int) -> bytes:
        _check_height(start, "start")
        if not isinstance(count, int) or count < 0:
            raise ValueError("count must be a non-negative integer")
        if count == 0:
            return b""
        for _ in range(2):  # a reorg between page requests: fetch again once
            tip = await self.get_tip_height()
            last = min(start + count - 1, tip)
            if last < start:
                return b""
            out = bytearray()
            previous: bytes | None = None
            linked = True
            # a window at a time, its pages in parallel: a bounded number of requests in flight
            for low in range(start, last + 1, HEADERS_WINDOW):
                high = min(low + HEADERS_WINDOW - 1, last)
                pages = await _all_or_cancel(
                    [self._blocks_page(top) for top in range(high, low - 1, -10)]
                )
                blocks: dict[int, tuple[bytes, bytes, bytes]] = {}
                for page in pages:
                    blocks.update(page)
                for height in range(low, high + 1):
                    if height not in blocks:
                        raise self._failed(
                            MalformedReply(self.name, f"GET /blocks left out the block at {height}")
                        )
                    header, block_hash, prev = blocks[height]
                    if previous is not None and prev != previous:
                        linked = False
                        break
                    out += header
                    previous = block_hash
                if not linked:
                    break
            if linked:
                return bytes(out)
        raise self._failed(
            MalformedReply(self.name, "the blocks it lists do not link into one chain")
        )

    async def get_header(self, height: int, cp_height: int = 0) -> HeaderReply:
        _check_height(height, "height")
        if cp_height:
            raise UnsupportedRequest(self.name, "Esplora has no checkpoint (cp_height) proofs")
        return HeaderReply(height, await self._block_header(await self._block_hash(height)))

    # -- script hashes --------------------------------------------------------------------------

    def _txs(self, value: Any, what: str, *, max_items: int) -> list[dict[str, Any]]:
        with self._shape(what):
            return [
                S.as_dict(t, "a transaction")
                for t in S.as_list(value, "the list", max_items=max_items)
            ]

    async def _confirmed_history(
        self, sh_hex: str, first: tuple[str, list[dict[str, Any]]] | None = None
    ) -> list[HistoryItem]:
        """The confirmed history, oldest first, a page of 25 at a time; ``first`` is its
        first page already fetched (with the path it came from)."""
        newest_first: list[HistoryItem] = []
        last_seen = ""
        for _ in range(MAX_HISTORY // CHAIN_PAGE + 1):
            if first is not None:
                path, txs = first
                first = None
            else:
                path = f"/scripthash/{sh_hex}/txs/chain" + (f"/{last_seen}" if last_seen else "")
                txs = self._txs(await self._get_json(path), f"GET {path}", max_items=100)
            with self._shape(f"GET {path}"):
                for tx in txs:
                    txid = S.as_hash(S.field(tx, "txid", "a transaction"), "txid")
                    status = S.as_dict(S.field(tx, "status", "a transaction"), "its status")
                    if not S.as_bool(S.field(status, "confirmed", "the status"), "confirmed"):
                        raise S.SchemaError(
                            f"the chain history lists unconfirmed {txid[::-1].hex()}"
                        )
                    height = S.as_int(S.field(status, "block_height", "the status"), "height")
                    newest_first.append(HistoryItem(txid, height))
            if len(txs) < CHAIN_PAGE:
                break
            last_seen = newest_first[-1].txid_hex
        else:
            raise self._failed(
                ServerUnavailable(
                    self.name, f"the history is longer than {MAX_HISTORY} transactions"
                )
            )
        items = newest_first[::-1]
        for a, b in itertools.pairwise(items):
            if b.height < a.height:
                raise self._failed(
                    MalformedReply(self.name, "the confirmed history is not in block order")
                )
        return items

    async def _mempool_history(
        self, sh_hex: str, confirmed: set[bytes], fetched: list[dict[str, Any]] | None = None
    ) -> list[HistoryItem]:
        """The mempool part; ``fetched``: its transactions already fetched (from ``/txs``)."""
        path = f"/scripthash/{sh_hex}/txs/mempool"
        if fetched is None:
            txs = self._txs(await self._get_json(path), f"GET {path}", max_items=500)
        else:
            txs = fetched
        rows: list[tuple[bytes, int, set[bytes]]] = []
        with self._shape(f"GET {path}"):
            for tx in txs:
                txid = S.as_hash(S.field(tx, "txid", "a transaction"), "txid")
                fee = S.as_amount(S.field(tx, "fee", "a transaction"), "fee")
                vin = S.as_list(S.field(tx, "vin", "a transaction"), "vin", max_items=100_000)
                parents = {
                    S.as_hash(
                        S.field(S.as_dict(i, "an input"), "txid", "an input"), "an input txid"
                    )
                    for i in vin
                }
                rows.append((txid, fee, parents))
        pooled = {txid for txid, _, _ in rows}
        # Electrum says -1 for a mempool transaction with an unconfirmed input: find out which
        unknown = {p for _, _, ps in rows for p in ps} - pooled - confirmed
        unconfirmed = set(pooled)
        lookups = sorted(unknown)[:MAX_PARENT_LOOKUPS]
        states = await _all_or_cancel([self._is_confirmed(p) for p in lookups])
        unconfirmed |= {p for p, ok in zip(lookups, states) if ok is False}
        return [
            HistoryItem(txid, -1 if parents & unconfirmed else 0, fee)
            for txid, fee, parents in rows
        ]

    async def _is_confirmed(self, txid: bytes) -> bool | None:
        path = f"/tx/{txid[::-1].hex()}/status"
        try:
            value = await self._get_json(path)
        except RequestRejected:
            return None
        with self._shape(f"GET {path}"):
            return S.as_bool(
                S.field(S.as_dict(value, "the status"), "confirmed", "it"), "confirmed"
            )

    async def get_history(self, scripthash: bytes) -> list[HistoryItem]:
        """One request for most script hashes: ``/txs`` lists up to 50 mempool transactions,
        then the newest 25 confirmed ones; only a longer confirmed history is paged on."""
        sh_hex = check_scripthash(scripthash).hex()
        path = f"/scripthash/{sh_hex}/txs"
        txs = self._txs(await self._get_json(path), f"GET {path}", max_items=MEMPOOL_PAGE + 50)
        with self._shape(f"GET {path}"):
            mined = [
                S.as_bool(
                    S.field(
                        S.as_dict(S.field(t, "status", "a transaction"), "its status"),
                        "confirmed",
                        "the status",
                    ),
                    "confirmed",
                )
                for t in txs
            ]
        if mined != sorted(mined):  # mempool first, then the chain, newest first
            raise self._failed(
                MalformedReply(self.name, f"GET {path}: mempool and chain transactions are mixed")
            )
        pooled_json = [t for t, m in zip(txs, mined, strict=True) if not m]
        chain_json = [t for t, m in zip(txs, mined, strict=True) if m]
        confirmed = await self._confirmed_history(sh_hex, (path, chain_json))
        pooled = await self._mempool_history(sh_hex, {i.txid for i in confirmed}, pooled_json)
        seen = {i.txid for i in confirmed}
        return electrum_order(confirmed + [i for i in pooled if i.txid not in seen])

    async def get_mempool(self, scripthash: bytes) -> list[HistoryItem]:
        sh_hex = check_scripthash(scripthash).hex()
        return electrum_order(await self._mempool_history(sh_hex, set()))

    async def list_unspent(self, scripthash: bytes) -> list[Utxo]:
        path = f"/scripthash/{check_scripthash(scripthash).hex()}/utxo"
        value = await self._get_json(path)
        out = []
        with self._shape(f"GET {path}"):
            for row in S.as_list(value, "the unspent list", max_items=200_000):
                row = S.as_dict(row, "an unspent output")
                status = S.as_dict(S.field(row, "status", "an unspent output"), "its status")
                confirmed = S.as_bool(S.field(status, "confirmed", "the status"), "confirmed")
                height = (
                    S.as_int(S.field(status, "block_height", "the status"), "block_height")
                    if confirmed
                    else 0
                )
                out.append(
                    Utxo(
                        S.as_hash(S.field(row, "txid", "an unspent output"), "txid"),
                        S.as_int(S.field(row, "vout", "an unspent output"), "vout"),
                        S.as_amount(S.field(row, "value", "an unspent output"), "value"),
                        height,
                    )
                )
        out.sort(key=lambda u: (u.height <= 0, u.height, u.txid_hex, u.vout))
        return out

    # -- transactions ---------------------------------------------------------------------------

    async def get_transaction(self, txid: bytes | str) -> bytes:
        want = txid_bytes(txid)
        path = f"/tx/{want[::-1].hex()}/raw"
        raw = await self._request("GET", path, want="bytes")
        got = _txid_of(raw)
        if got != want:
            reason = (
                "the transaction does not parse"
                if got is None
                else f"asked for {want[::-1].hex()}, got a transaction that hashes to "
                f"{got[::-1].hex()}"
            )
            raise self._failed(MalformedReply(self.name, f"GET {path}: {reason}"))
        return raw

    async def get_merkle(self, txid: bytes | str, height: int) -> ElectrumProof:
        want = txid_bytes(txid)
        _check_height(height, "height")
        path = f"/tx/{want[::-1].hex()}/merkle-proof"
        value = await self._get_json(path)
        with self._shape(f"GET {path}"):
            proof = S.as_merkle_proof(value)
        if proof.block_height != height:
            raise self._failed(
                RequestRejected(
                    self.name,
                    f"{path}: the transaction is in block {proof.block_height}, not {height}",
                )
            )
        return proof

    async def get_coinbase_branch(self, height: int, block_hash: bytes) -> CoinbaseProof:
        _check_height(height, "height")
        path = f"/block/{block_hash[::-1].hex()}/txid/0"
        text = await self._get_text(path)
        with self._shape(f"GET {path}"):
            txid = S.as_hash(text, "the coinbase txid")
        proof = await self.get_merkle(txid, height)
        if proof.pos != 0:
            raise self._failed(
                MalformedReply(
                    self.name,
                    f"it names {txid[::-1].hex()} as the first transaction of block {height}, "
                    f"but its proof puts it at position {proof.pos}",
                )
            )
        return CoinbaseProof(txid, proof.branch)

    async def broadcast(self, raw_tx: bytes) -> bytes:
        mine = _txid_of(raw_tx)
        text = await self._request("POST", "/tx", want="text", body=bytes(raw_tx).hex().encode())
        with self._shape("POST /tx"):
            theirs = S.as_hash(text, "the txid")
        if mine is not None and theirs != mine:
            raise self._failed(
                MalformedReply(
                    self.name,
                    f"POST /tx: the server answered txid {theirs[::-1].hex()}, but the "
                    f"transaction's txid is {mine[::-1].hex()}",
                )
            )
        return theirs

    async def fee_estimates(self) -> dict[int, FeeRate]:
        """Esplora's whole table: confirmation target -> fee rate (its sat/vB rounded up)."""
        value = await self._get_json("/fee-estimates")
        with self._shape("GET /fee-estimates"):
            table = S.as_dict(value, "the fee estimates")
            if len(table) > 1000:
                raise S.SchemaError("the fee estimates have over 1000 entries")
            out = {}
            for key, rate in table.items():
                if not (key.isascii() and key.isdigit()) or len(key) > 6:
                    raise S.SchemaError(f"the fee target {key[:20]!r} is not a number of blocks")
                target = int(key)
                rate = S.as_number(rate, f"the fee rate for {target} blocks")
                if rate < 0:
                    raise S.SchemaError(f"the fee rate for {target} blocks is negative")
                try:
                    out[target] = FeeRate.from_reported_sat_per_vb(rate)
                except FeeError as exc:
                    raise S.SchemaError(f"the fee rate for {target} blocks: {exc}") from None
            return out

    async def estimate_fee(self, blocks: int) -> FeeRate | None:
        if not isinstance(blocks, int) or blocks < 1:
            raise ValueError("the confirmation target is a number of blocks, at least 1")
        table = await self.fee_estimates()
        usable = [t for t in table if t <= blocks]
        return table[max(usable)] if usable else None

    async def relay_fee(self) -> FeeRate:
        """Esplora does not publish one; Bitcoin Core's default (1 sat/vB)."""
        return DEFAULT_RELAY_FEE

    # -- subscriptions (polling) ----------------------------------------------------------------

    def _ensure_poller(self) -> None:
        if self._poll_wake is None:
            self._poll_wake = asyncio.Event()
        if self._poller is None or self._poller.done():
            self._poller = asyncio.get_running_loop().create_task(self._poll_loop())

    async def _poll_loop(self) -> None:
        failures = 0
        scripts_due = time.monotonic() + self.poll_interval
        while not self._closed:
            wait = min(self.tip_interval, max(0.0, scripts_due - time.monotonic()))
            if failures:
                wait = max(wait, self.backoff.delay(failures))
            assert self._poll_wake is not None
            woken = False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._poll_wake.wait(), wait)
                woken = True
            self._poll_wake.clear()
            try:
                new_block = await self._poll_tip()
                if woken or new_block or time.monotonic() >= scripts_due:
                    scripts_due = time.monotonic() + self.poll_interval
                    await self._poll_scripts()
                failures = 0
            except ServerError as err:
                failures += 1
                log.info("polling %s failed: %s", self.name, err.reason)

    def poll_now(self) -> None:
        """Poll at once instead of waiting for the interval (e.g. after a broadcast)."""
        if self._poll_wake is not None:
            self._poll_wake.set()

    async def _poll_tip(self) -> bool:
        """Ask for the tip's hash; on a new one read the tip (``status()`` reports it) and tell
        the header subscribers. True when the tip changed."""
        text = await self._get_text("/blocks/tip/hash")
        with self._shape("GET /blocks/tip/hash"):
            tip_hash = S.as_hash(text, "the tip hash")
        known = self._stats.tip
        if known is not None and known.hash == tip_hash:
            return False
        tip = await self.get_tip()
        self._notifier.post("headers", list(self._header_callbacks), (tip,))
        return True

    async def _poll_scripts(self) -> None:
        for sh, sub in list(self._subs.items()):
            stats = await self._sh_stats(sh)
            if stats == sub.stats:
                continue
            status = electrum_status(await self.get_history(sh))
            sub.stats = stats
            if status != sub.status and sh in self._subs:
                sub.status = status
                self._notifier.post(sh, list(sub.callbacks), (sh, status))

    async def _sh_stats(self, sh: bytes) -> Any:
        path = f"/scripthash/{sh.hex()}"
        value = await self._get_json(path)
        with self._shape(f"GET {path}"):
            doc = S.as_dict(value, "the script hash summary")
            return (
                json.dumps(S.field(doc, "chain_stats", "the summary"), sort_keys=True),
                json.dumps(S.field(doc, "mempool_stats", "the summary"), sort_keys=True),
            )

    async def subscribe_headers(self, callback: HeaderCallback) -> Tip:
        tip = await self.get_tip()
        self._header_callbacks.append(callback)
        self._ensure_poller()
        return tip

    async def subscribe_scripthash(
        self, scripthash: bytes, callback: ScripthashCallback
    ) -> str | None:
        sh = check_scripthash(scripthash)
        sub = self._subs.get(sh)
        if sub is None:
            stats = await self._sh_stats(sh)
            status = electrum_status(await self.get_history(sh))
            sub = self._subs.setdefault(sh, _Subscription(status=status, stats=stats))
        sub.callbacks.append(callback)
        self._ensure_poller()
        return sub.status

    async def unsubscribe_scripthash(self, scripthash: bytes) -> None:
        self._subs.pop(check_scripthash(scripthash), None)


# -- helpers ------------------------------------------------------------------------------------


async def _all_or_cancel(coros: list[Any]) -> list[Any]:
    """``gather`` that cancels the other requests as soon as one fails."""
    tasks = [asyncio.ensure_future(c) for c in coros]
    try:
        return await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()


def _check_height(value: int, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{what} must be a non-negative integer, got {value!r}")


def _txid_of(raw: bytes) -> bytes | None:
    try:
        return identify(raw)[0]
    except (DecodeError, ValueError):
        return None


def _declared_length(value: str | None) -> int | None:
    """A Content-Length in ASCII digits (a huge one stays huge without ``int`` of 4,301 digits)."""
    if value is None or not (value.isascii() and value.isdigit()):
        return None  # httpx itself refuses a body whose length does not match
    return int(value) if len(value) <= 18 else 10**18


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff


def _snippet(data: bytes, limit: int = 300) -> str:
    text = data[:limit].decode("utf-8", "replace").strip()
    return text + ("..." if len(data) > limit else "")


def _header_from_json(block: dict[str, Any]) -> bytes:
    """The 80-byte header from an Esplora block object's fields."""
    version = S.as_int(
        S.field(block, "version", "a block"), "version", minimum=-(2**31), maximum=2**32 - 1
    )
    prev_value = block.get("previousblockhash")
    prev = bytes(32) if prev_value is None else S.as_hash(prev_value, "previousblockhash")
    root = S.as_hash(S.field(block, "merkle_root", "a block"), "merkle_root")
    when = S.as_int(S.field(block, "timestamp", "a block"), "timestamp", maximum=2**32 - 1)
    bits = S.as_int(S.field(block, "bits", "a block"), "bits", maximum=2**32 - 1)
    nonce = S.as_int(S.field(block, "nonce", "a block"), "nonce", maximum=2**32 - 1)
    return (
        (version & 0xFFFFFFFF).to_bytes(4, "little")
        + prev
        + root
        + when.to_bytes(4, "little")
        + bits.to_bytes(4, "little")
        + nonce.to_bytes(4, "little")
    )


def _certificate_error(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    """The certificate check that failed under an httpx transport error, if that is the cause."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return cause
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return None
