"""An Electrum protocol 1.4 client: newline-delimited JSON-RPC over TCP or TLS (asyncio streams).

One connection per server carries any number of requests at once (each has its own id, replies
are matched by id), and the server's notifications for header and script-hash subscriptions.
What the client accepts is bounded: a reply line longer than ``max_line`` bytes, a reply that is
not JSON, an id never sent, or a result of the wrong shape is a :class:`MalformedReply`, and the
connection is closed because nothing after it on the stream can be trusted. A request that takes
longer than ``timeout`` closes the connection too (a stalled server), failing the requests that
were waiting on it with :class:`ServerUnavailable`.

Connections are opened on demand. After a failed attempt the next waits with exponential backoff
(requests in that window fail at once, so a pool can ask another server); when subscriptions are
active a background task reconnects, renegotiates, resubscribes and reports any status that
changed while the connection was down.

TLS: like Electrum, trust on first use, recorded for every server in :class:`CertPins`. A server
whose certificate a CA vouches for (with the right host name) is recorded as "CA-verified": from
then on it must always show a CA-verified certificate (CA certificates are renewed every few
months, so the certificate itself is not pinned), and a self-signed one later is refused as a
possible man-in-the-middle. Otherwise — most Electrum servers use self-signed certificates — the
first certificate seen is pinned (its SHA-256) and every later connection must present the same
one; a pinned server is held to its pin even if it later shows a CA certificate.
``verify="ca"`` accepts CA-signed certificates only.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import json
import logging
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from wallet import __version__, bounded_json
from wallet.backends import schema as S
from wallet.backends.base import (
    Backend,
    Backoff,
    CoinbaseProof,
    ElectrumProof,
    HeaderCallback,
    HeaderProof,
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
    txid_bytes,
)
from wallet.bitcoin.amount import FeeError, FeeRate
from wallet.bitcoin.errors import DecodeError
from wallet.bitcoin.networks import Network
from wallet.bitcoin.transaction import identify
from wallet.errors import PaylightError
from wallet.net.proxy import open_stream

log = logging.getLogger(__name__)

PROTOCOL_VERSION = "1.4"
#: a 4 MB transaction is 8 MB of hex; 2016 headers are 322 kB
DEFAULT_MAX_LINE = 10 * 1024 * 1024
MAX_ITEMS = 200_000
HEADERS_CHUNK = 2016
#: requests per JSON-RPC batch (one line each way); bounded so a reply line stays well under
#: ``max_line`` and a server's own batch limits (ElectrumX, Fulcrum) are not reached
BATCH_SIZE = 50
#: a connection that dies sooner than this after opening counts as a failed attempt (backoff)
_SHORT_LIVED = 10.0
#: how long the plain-text probe after a failed TLS handshake may take, per step
_PROBE_TIMEOUT = 2.0
_PLAIN_TCP = (
    "it answers in plain text on this port, not TLS: use tcp://host:port for it (or the "
    "server's TLS port with ssl://)"
)


#: The entry of a server that showed a CA-verified certificate when first used.
CA_VERIFIED = "ca-verified"


class PinStoreError(PaylightError):
    """The record of pinned certificates cannot be read or written (it is never taken as empty)."""


class CertPins:
    """What each ``host:port`` showed when first used over TLS: the SHA-256 of its certificate
    (hex), or :data:`CA_VERIFIED`. In memory only; ``wallet.sync.tls_pins.PinFile`` keeps it in a
    file shared by every Paylight process. ``path`` only names that file in messages."""

    path: Path | None = None

    def __init__(self) -> None:
        self._pins: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        return self._pins.get(key)

    def first(self, key: str, entry: str) -> str:
        """The entry recorded for ``key``, recording ``entry`` if there is none yet."""
        return self._pins.setdefault(key, entry)

    def set(self, key: str, entry: str) -> None:
        self._pins[key] = entry

    def forget(self, key: str) -> None:
        """Drop ``key`` (the user knows its certificate changed): its next connection is a
        first use again."""
        self._pins.pop(key, None)


@dataclass
class _Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    opened: float = field(default_factory=time.monotonic)
    pending: dict[int, tuple[str, asyncio.Future[Any]]] = field(default_factory=dict)
    #: ids sent in batches still waiting (a server that cannot batch answers them with one error)
    batched: set[int] = field(default_factory=set)
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)
    closed: bool = False
    server_software: str = ""
    protocol_version: str = ""


@dataclass
class _Subscription:
    callbacks: list[ScripthashCallback] = field(default_factory=list)
    status: str | None = None


def parse_electrum_url(url: str) -> tuple[str, int, bool]:
    """``tcp://host:port``, ``ssl://host:port`` (or ``tls://``), or Electrum's ``host:port:s``/
    ``host:port:t``; returns (host, port, tls)."""
    text = url.strip()
    if "://" in text:
        parts = urlsplit(text)
        scheme = parts.scheme.lower()
        if scheme not in ("tcp", "ssl", "tls"):
            raise ValueError(f"an Electrum server URL starts with tcp:// or ssl://, not {url!r}")
        try:
            host, port = parts.hostname, parts.port
        except ValueError:
            host = port = None
        if not host or port is None:
            raise ValueError(f"an Electrum server URL needs a host and a port: {url!r}")
        return host, port, scheme != "tcp"
    pieces = text.rsplit(":", 2)
    if len(pieces) == 3 and pieces[2] in ("s", "t") and pieces[1].isdigit():
        return pieces[0].strip("[]"), int(pieces[1]), pieces[2] == "s"
    raise ValueError(f"not an Electrum server address: {url!r} (use ssl://host:port)")


class _BatchTooLong(UnsupportedRequest):
    """A reply line over the limit while a batch waited: not held against the server (the
    batch's items are asked for in smaller batches, and a single reply that long is a fault)."""


class ElectrumClient(Backend):
    """One Electrum server (ElectrumX, electrs, Fulcrum, the playground)."""

    protocol = "electrum"
    batches = True

    def __init__(
        self,
        host: str,
        port: int,
        *,
        tls: bool = False,
        name: str | None = None,
        network: Network | None = None,
        timeout: float = 30.0,
        connect_timeout: float = 10.0,
        tls_handshake_timeout: float = 5.0,
        max_line: int = DEFAULT_MAX_LINE,
        verify: Literal["tofu", "ca"] = "tofu",
        pins: CertPins | None = None,
        ca_file: str | Path | None = None,
        backoff: Backoff | None = None,
        ping_interval: float | None = 60.0,
        client_name: str = f"Paylight {__version__}",
    ) -> None:
        url = f"{'ssl' if tls else 'tcp'}://{host}:{port}"
        super().__init__(name or f"{host}:{port}", url)
        if verify not in ("tofu", "ca"):
            raise ValueError("verify must be 'tofu' or 'ca'")
        self.host = host
        self.port = port
        self.tls = tls
        self.network = network
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.tls_handshake_timeout = tls_handshake_timeout
        self.max_line = max_line
        self.verify = verify
        self.pins = pins if pins is not None else CertPins()
        self.ca_file = str(ca_file) if ca_file is not None else None
        self.backoff = backoff or Backoff()
        self.ping_interval = ping_interval
        self.client_name = client_name
        self._conn: _Connection | None = None
        self._connect_lock: asyncio.Lock | None = None
        self._ids = itertools.count(1)
        self._last_id = 0
        self._connect_failures = 0
        self._next_attempt = 0.0
        self._closed = False
        self._reconnect_task: asyncio.Task[None] | None = None
        self._header_callbacks: list[HeaderCallback] = []
        self._subs: dict[bytes, _Subscription] = {}
        self._notifier = Notifier()
        #: False once the server answered a batch with a plain error: ask one by one from then
        self._can_batch = True

    @classmethod
    def from_url(cls, url: str, **options: Any) -> ElectrumClient:
        host, port, tls = parse_electrum_url(url)
        return cls(host, port, tls=tls, **options)

    @property
    def server_version(self) -> str | None:
        """``"software protocol"`` of the current connection, None when disconnected."""
        conn = self._conn
        if conn is None or conn.closed:
            return None
        return f"{conn.server_software} {conn.protocol_version}"

    # -- connection -----------------------------------------------------------------------------

    async def connect(self) -> None:
        """Connect now (otherwise the first request does); raises ServerError on failure."""
        await self._ensure_connected(force=True)

    async def _ensure_connected(self, force: bool = False) -> _Connection:
        if self._closed:
            raise ServerUnavailable(self.name, "the client is closed")
        conn = self._conn
        if conn is not None and not conn.closed:
            return conn
        if self._connect_lock is None:
            self._connect_lock = asyncio.Lock()
        async with self._connect_lock:
            conn = self._conn
            if conn is not None and not conn.closed:
                return conn
            wait = self._next_attempt - time.monotonic()
            if wait > 0 and not force:
                raise ServerUnavailable(
                    self.name,
                    f"not connected ({self._stats.last_error or 'connection lost'}); "
                    f"next attempt in {wait:.1f} s",
                )
            conn = None
            try:
                conn = await self._open()
                await self._resubscribe(conn)
            except ServerError as err:
                if conn is not None:
                    self._lose(conn, err)
                self._connect_failures += 1
                self._next_attempt = time.monotonic() + self.backoff.delay(self._connect_failures)
                raise self._failed(err) from None
            if self._closed:  # closed while connecting
                self._lose(conn, ServerUnavailable(self.name, "the client was closed"))
                raise ServerUnavailable(self.name, "the client is closed")
            self._conn = conn
            self._connect_failures = 0
            self._next_attempt = 0.0
            self._stats.state = ServerState.CONNECTED
            return conn

    def _ssl_context(self, check: bool) -> ssl.SSLContext:
        if check:
            return ssl.create_default_context(cafile=self.ca_file)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        return context

    async def _open_stream(
        self, context: ssl.SSLContext | None
    ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        handshake = self.tls_handshake_timeout if context is not None else None
        try:
            return await asyncio.wait_for(
                open_stream(
                    self.host,
                    self.port,
                    ssl=context,
                    server_hostname=self.host if context is not None else None,
                    ssl_handshake_timeout=handshake,
                    limit=self.max_line,
                ),
                self.connect_timeout + (handshake or 0),
            )
        except ssl.SSLCertVerificationError:
            raise
        except TimeoutError:
            if context is not None and await self._speaks_plain_tcp():
                raise IncompatibleServer(self.name, _PLAIN_TCP) from None
            raise ServerUnavailable(
                self.name, f"no connection within {self.connect_timeout:g} s"
            ) from None
        except ssl.SSLError as exc:
            if await self._speaks_plain_tcp():
                raise IncompatibleServer(self.name, _PLAIN_TCP) from None
            raise ServerUnavailable(self.name, f"the TLS handshake failed: {exc}") from None
        except ConnectionAbortedError as exc:  # asyncio: the handshake took too long
            if context is not None and await self._speaks_plain_tcp():
                raise IncompatibleServer(self.name, _PLAIN_TCP) from None
            raise ServerUnavailable(self.name, f"the TLS handshake failed: {exc}") from None
        except OSError as exc:
            detail = exc.strerror or str(exc) or type(exc).__name__
            if context is not None:
                detail += " (during the TLS handshake: is this a TLS port?)"
            raise ServerUnavailable(self.name, f"cannot connect: {detail}") from None

    async def _speaks_plain_tcp(self) -> bool:
        """After a failed TLS handshake: does the port answer an Electrum request in plain
        text? Then the address is wrong (tcp://, or another port), and retrying cannot help."""
        writer = None
        try:
            reader, writer = await asyncio.wait_for(
                open_stream(self.host, self.port, limit=64 * 1024), _PROBE_TIMEOUT
            )
            request = {"jsonrpc": "2.0", "id": 0, "method": "server.version", "params": []}
            writer.write(json.dumps(request).encode() + b"\n")
            line = await asyncio.wait_for(reader.readline(), _PROBE_TIMEOUT)
            reply = bounded_json.loads(line, max_bytes=64 * 1024)
        except (OSError, TimeoutError, ValueError, asyncio.LimitOverrunError):
            return False
        finally:
            if writer is not None:
                writer.close()
        return isinstance(reply, dict) and ("result" in reply or "error" in reply)

    def _pins(self, operation: Callable[[], str | None]) -> str | None:
        try:
            return operation()
        except PinStoreError as exc:
            raise IncompatibleServer(
                self.name, f"its TLS certificate cannot be checked: {exc}"
            ) from None

    def _where(self) -> str:
        return f"its line in {self.pins.path}" if self.pins.path is not None else "its pin"

    async def _open_tls(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        key = f"{self.host}:{self.port}"
        pinned = self._pins(lambda: self.pins.get(key))
        if pinned is None or pinned == CA_VERIFIED:
            try:
                reader, writer = await self._open_stream(self._ssl_context(check=True))
            except ssl.SSLCertVerificationError as exc:
                if self.verify == "ca":
                    raise IncompatibleServer(
                        self.name,
                        f"its TLS certificate is not trusted ({exc.verify_message}); "
                        "trust-on-first-use is off",
                    ) from None
                if pinned == CA_VERIFIED:
                    raise IncompatibleServer(
                        self.name,
                        f"its TLS certificate is not trusted ({exc.verify_message}), although a "
                        "certificate authority vouched for it when first used: possibly a "
                        "man-in-the-middle. If the operator now uses a self-signed certificate, "
                        f"remove {self._where()} and connect again",
                    ) from None
            else:
                try:
                    recorded = self._pins(lambda: self.pins.first(key, CA_VERIFIED))
                    if recorded != CA_VERIFIED:  # another process pinned its certificate first
                        self._check_pin(key, recorded, writer)
                except BaseException:
                    writer.close()
                    raise
                return reader, writer
        reader, writer = await self._open_stream(self._ssl_context(check=False))
        try:
            self._check_pin(key, pinned, writer)
        except BaseException:
            writer.close()
            raise
        return reader, writer

    def _check_pin(self, key: str, pinned: str | None, writer: asyncio.StreamWriter) -> None:
        """The certificate on ``writer`` is the one pinned for ``key`` (pinned now if none was)."""
        ssl_object = writer.get_extra_info("ssl_object")
        der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
        if not der:
            raise IncompatibleServer(self.name, "the server showed no TLS certificate")
        fingerprint = hashlib.sha256(der).hexdigest()
        if pinned is None:
            log.info("pinning the TLS certificate of %s (sha256 %s)", key, fingerprint)
            pinned = self._pins(lambda: self.pins.first(key, fingerprint))
        if fingerprint != pinned:
            raise IncompatibleServer(
                self.name,
                f"its TLS certificate changed since first use (pinned sha256 {pinned[:16]}..., "
                f"now {fingerprint[:16]}...): possibly a man-in-the-middle. If the operator "
                f"replaced the certificate, remove {self._where()} and connect again",
            )

    async def _open(self) -> _Connection:
        if self.tls:
            reader, writer = await self._open_tls()
        else:
            reader, writer = await self._open_stream(None)
        conn = _Connection(reader, writer)
        conn.tasks.append(asyncio.get_running_loop().create_task(self._read_loop(conn)))
        try:
            await self._negotiate(conn)
        except RequestRejected as exc:
            err = IncompatibleServer(
                self.name, f"it refused protocol {PROTOCOL_VERSION}: {exc.reason}"
            )
            self._lose(conn, err)
            raise err from None
        except ServerError as err:
            self._lose(conn, err)
            raise
        if self.ping_interval:
            conn.tasks.append(asyncio.get_running_loop().create_task(self._ping_loop(conn)))
        return conn

    async def _negotiate(self, conn: _Connection) -> None:
        method = "server.version"
        result = await self._call_on(conn, method, [self.client_name, PROTOCOL_VERSION])
        with self._shape(method):
            pair = S.as_list(result, "the result", max_items=2)
            if len(pair) != 2:
                raise S.SchemaError("the result should be [server software, protocol version]")
            software = S.as_str(pair[0], "the server software", max_len=200)
            version = S.as_str(pair[1], "the protocol version", max_len=20)
        if version != PROTOCOL_VERSION and not version.startswith(PROTOCOL_VERSION + "."):
            raise IncompatibleServer(
                self.name, f"it answered protocol {version!r}; Paylight speaks {PROTOCOL_VERSION}"
            )
        conn.server_software, conn.protocol_version = software, version
        if self.network is not None:
            method = "server.features"
            result = await self._call_on(conn, method, [])
            with self._shape(method):
                features = S.as_dict(result, "the result")
                genesis = S.as_hash(S.field(features, "genesis_hash", "the result"), "genesis")
            if genesis[::-1].hex() != self.network.genesis_hash:
                raise IncompatibleServer(
                    self.name,
                    f"it serves a chain with genesis {genesis[::-1].hex()[:16]}..., "
                    f"not {self.network.name}",
                )

    async def _ping_loop(self, conn: _Connection) -> None:
        assert self.ping_interval
        with contextlib.suppress(ServerError):
            while not conn.closed:
                await asyncio.sleep(self.ping_interval)
                await self._call_on(conn, "server.ping", [])

    def _lose(self, conn: _Connection, err: ServerError) -> None:
        """Close ``conn`` and fail whatever waits on it with ``err``; maybe reconnect."""
        if conn.closed:
            return
        conn.closed = True
        with contextlib.suppress(Exception):
            conn.writer.close()
        for method, future in conn.pending.values():
            if not future.done():
                future.set_exception(err.again(f"{err.reason} (while waiting for {method})"))
                future.exception()  # mark retrieved: a caller may have gone (timeout)
        conn.pending.clear()
        current = asyncio.current_task()
        for task in conn.tasks:
            if task is not current:
                task.cancel()
        if self._conn is conn:
            self._conn = None
            if time.monotonic() - conn.opened < _SHORT_LIVED:
                self._connect_failures += 1
            self._next_attempt = time.monotonic() + self.backoff.delay(self._connect_failures)
            if not self._closed and self._has_subscriptions():
                self._start_reconnect()

    def _has_subscriptions(self) -> bool:
        return bool(self._header_callbacks or self._subs)

    def _start_reconnect(self) -> None:
        if self._reconnect_task is None or self._reconnect_task.done():
            loop = asyncio.get_running_loop()
            self._reconnect_task = loop.create_task(self._reconnect_loop())

    async def _reconnect_loop(self) -> None:
        while not self._closed and self._has_subscriptions():
            if self._conn is not None and not self._conn.closed:
                return
            await asyncio.sleep(self.backoff.delay(max(1, self._connect_failures)))
            try:
                await self._ensure_connected(force=True)
                return
            except ServerError as err:
                log.info("reconnecting to %s failed: %s", self.name, err.reason)

    async def close(self) -> None:
        self._closed = True
        self._stats.state = ServerState.CLOSED
        task = self._reconnect_task
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        conn = self._conn
        if conn is not None:
            self._lose(conn, ServerUnavailable(self.name, "the client was closed"))
            for t in conn.tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await t
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.writer.wait_closed(), 2)
        await self._notifier.close()

    # -- requests -------------------------------------------------------------------------------

    async def _call(self, method: str, params: list[Any]) -> Any:
        conn = await self._ensure_connected()
        return await self._call_on(conn, method, params)

    async def _call_on(self, conn: _Connection, method: str, params: list[Any]) -> Any:
        if conn.closed:
            raise self._failed(ServerUnavailable(self.name, "the connection is closed"))
        request_id = self._last_id = next(self._ids)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        conn.pending[request_id] = (method, future)
        line = json.dumps(
            {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params},
            separators=(",", ":"),
        )
        started = time.monotonic()
        try:
            conn.writer.write(line.encode() + b"\n")
            await asyncio.wait_for(conn.writer.drain(), self.timeout)
            result = await asyncio.wait_for(future, self.timeout)
        except TimeoutError:
            err = ServerUnavailable(
                self.name, f"no answer to {method} within {self.timeout:g} s", "timeout"
            )
            self._lose(conn, err)
            raise self._failed(err) from None
        except (ConnectionError, OSError) as exc:
            err = ServerUnavailable(self.name, f"the connection broke: {exc}", "closed")
            self._lose(conn, err)
            raise self._failed(err) from None
        except ServerError as err:
            raise self._failed(err) from None
        finally:
            conn.pending.pop(request_id, None)
        self._ok(started)
        return result

    async def _call_batch(self, method: str, params: list[list[Any]]) -> list[Any]:
        """``method`` with each of ``params`` in one JSON-RPC batch (one line each way); each
        result in order, or the :class:`RequestRejected` the server answered for that one.

        A server that cannot batch (it answers the line with one error) is asked one by one.
        """
        if not self._can_batch:
            return await asyncio.gather(
                *(self._call(method, p) for p in params), return_exceptions=True
            )
        conn = await self._ensure_connected()
        if conn.closed:
            raise self._failed(ServerUnavailable(self.name, "the connection is closed"))
        loop = asyncio.get_running_loop()
        ids = [next(self._ids) for _ in params]
        self._last_id = ids[-1]
        futures = []
        for request_id in ids:
            future: asyncio.Future[Any] = loop.create_future()
            conn.pending[request_id] = (method, future)
            futures.append(future)
        conn.batched.update(ids)
        line = json.dumps(
            [
                {"jsonrpc": "2.0", "id": i, "method": method, "params": p}
                for i, p in zip(ids, params, strict=True)
            ],
            separators=(",", ":"),
        )
        started = time.monotonic()
        try:
            conn.writer.write(line.encode() + b"\n")
            await asyncio.wait_for(conn.writer.drain(), self.timeout)
            answers = await asyncio.wait_for(
                asyncio.gather(*futures, return_exceptions=True), self.timeout
            )
        except TimeoutError:
            err = ServerUnavailable(
                self.name, f"no answer to a batch of {method} within {self.timeout:g} s", "timeout"
            )
            self._lose(conn, err)
            raise self._failed(err) from None
        except (ConnectionError, OSError) as exc:
            err = ServerUnavailable(self.name, f"the connection broke: {exc}", "closed")
            self._lose(conn, err)
            raise self._failed(err) from None
        finally:
            for request_id in ids:
                conn.pending.pop(request_id, None)
            conn.batched.difference_update(ids)
        if any(isinstance(a, UnsupportedRequest) for a in answers):
            if not self._can_batch or len(params) == 1:  # the server refused batches
                return await asyncio.gather(
                    *(self._call(method, p) for p in params), return_exceptions=True
                )
            half = len(params) // 2  # the reply was over the line limit: two smaller batches
            await self._ensure_connected(force=True)  # that connection was closed
            first, second = await asyncio.gather(
                self._call_batch(method, params[:half]), self._call_batch(method, params[half:])
            )
            return first + second
        for answer in answers:
            if isinstance(answer, ServerError):
                if not isinstance(answer, RequestRejected):
                    raise self._failed(answer)  # the connection was lost meanwhile
                self._failed(answer)
            elif isinstance(answer, BaseException):
                raise answer
            else:
                self._ok(started)
        return answers

    def _batch_refused(self, conn: _Connection, text: str) -> None:
        """The server answered a batch with one error: it cannot batch. Fail what the batches
        wait for with UnsupportedRequest (their callers ask again one by one)."""
        log.info("%s does not take JSON-RPC batches (%s); asking one by one", self.name, text)
        self._can_batch = False
        for request_id in list(conn.batched):
            entry = conn.pending.get(request_id)
            if entry is not None and not entry[1].done():
                entry[1].set_exception(UnsupportedRequest(self.name, f"batch refused: {text}"))
        conn.batched.clear()

    async def _batched(
        self, method: str, params: list[list[Any]], check: Callable[[Any], Any]
    ) -> list[Any]:
        """:meth:`_call_batch` in chunks of :data:`BATCH_SIZE`, sent together; each result
        shape-checked with ``check`` (a bad one is a MalformedReply for the whole call)."""
        chunks = [params[i : i + BATCH_SIZE] for i in range(0, len(params), BATCH_SIZE)]
        replies = await asyncio.gather(*(self._call_batch(method, c) for c in chunks))
        out = []
        with self._shape(method):
            for reply in replies:
                for answer in reply:
                    out.append(answer if isinstance(answer, ServerError) else check(answer))
        return out

    @contextlib.contextmanager
    def _shape(self, method: str):
        """Turn a SchemaError (or an amount no fee rate can be) in the block into a
        MalformedReply naming the request."""
        try:
            yield
        except (S.SchemaError, FeeError) as exc:
            raise self._failed(MalformedReply(self.name, f"bad reply to {method}: {exc}")) from None

    async def _read_loop(self, conn: _Connection) -> None:
        try:
            while not conn.closed:
                try:
                    line = await conn.reader.readuntil(b"\n")
                except asyncio.IncompleteReadError as exc:
                    where = "in the middle of a reply" if exc.partial.strip() else ""
                    raise ServerUnavailable(
                        self.name, f"the server closed the connection {where}".strip(), "closed"
                    ) from None
                except asyncio.LimitOverrunError:
                    if conn.batched:  # most likely a batch's: its items are asked for in halves
                        raise _BatchTooLong(
                            self.name,
                            f"a batch's reply is longer than the {self.max_line}-byte line limit",
                        ) from None
                    raise MalformedReply(
                        self.name, f"a reply line is longer than the {self.max_line}-byte limit"
                    ) from None
                except (ConnectionError, OSError) as exc:
                    raise ServerUnavailable(
                        self.name, f"the connection broke: {exc}", "closed"
                    ) from None
                if line.strip():
                    self._dispatch(conn, line)
        except ServerError as err:
            if isinstance(err, MalformedReply | IncompatibleServer) and not conn.pending:
                self._failed(err)  # nobody waits: record it (and tell the pool) here
            else:
                self._stats.last_error = err.reason
                if not conn.pending and self._stats.state == ServerState.CONNECTED:
                    self._stats.state = ServerState.IDLE  # an idle connection was closed
            self._lose(conn, err)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a bug here must cost a connection, not the program
            log.exception("Electrum reader for %s failed", self.name)
            self._lose(conn, MalformedReply(self.name, f"a reply could not be handled: {exc}"))

    def _dispatch(self, conn: _Connection, line: bytes) -> None:
        try:
            message = bounded_json.loads(line, max_bytes=self.max_line)
        except ValueError:
            raise MalformedReply(self.name, "a reply is not valid JSON") from None
        if isinstance(message, list) and message:  # a batch's replies (late ones are ignored)
            for item in message:
                if not isinstance(item, dict):
                    raise MalformedReply(self.name, "a batch reply holds something not an object")
                self._dispatch_one(conn, item)
            return
        if not isinstance(message, dict):
            raise MalformedReply(self.name, "a reply is not a JSON object")
        self._dispatch_one(conn, message)

    def _dispatch_one(self, conn: _Connection, message: dict[str, Any]) -> None:
        if "method" in message and message.get("id") is None:
            self._notification(message)
            return
        request_id = message.get("id")
        entry = None
        if isinstance(request_id, int) and not isinstance(request_id, bool):
            entry = conn.pending.get(request_id)
        if entry is None:
            if isinstance(request_id, int) and 0 < request_id <= self._last_id:
                return  # a late answer to a request its caller gave up on (cancelled)
            if request_id is None and isinstance(message.get("error"), dict) and conn.batched:
                self._batch_refused(conn, str(message["error"].get("message", ""))[:200])
                return
            if request_id is None and isinstance(message.get("error"), dict):
                text = str(message["error"].get("message", ""))[:200]
                raise MalformedReply(self.name, f"the server reported an error: {text}")
            raise MalformedReply(self.name, f"a reply to request id {request_id!r} never sent")
        method, future = entry
        conn.batched.discard(request_id)
        if future.done():
            return
        if "error" in message and message["error"] is not None:
            error = message["error"]
            if not isinstance(error, dict) or not isinstance(error.get("message", ""), str):
                raise MalformedReply(self.name, f"the error reply to {method} is malformed")
            code = error.get("code")
            code = code if isinstance(code, int) and not isinstance(code, bool) else None
            text = error.get("message", "")[:2000]
            future.set_exception(RequestRejected(self.name, f"{method}: {text}", code))
        elif "result" in message:
            future.set_result(message["result"])
        else:
            raise MalformedReply(self.name, f"the reply to {method} has neither result nor error")

    def _notification(self, message: dict[str, Any]) -> None:
        method = message["method"]
        params = message.get("params")
        try:
            if method == "blockchain.headers.subscribe":
                items = S.as_list(params, "the params", max_items=4)
                if not items:
                    raise S.SchemaError("the params are empty")
                tip = _tip(items[0])
                self._saw_tip(tip)
                self._notifier.post("headers", list(self._header_callbacks), (tip,))
            elif method == "blockchain.scripthash.subscribe":
                items = S.as_list(params, "the params", max_items=2)
                if len(items) != 2:
                    raise S.SchemaError("the params should be [scripthash, status]")
                sh = S.as_hash(items[0], "the script hash")
                status = S.as_status(items[1])
                sub = self._subs.get(sh)
                if sub is not None:
                    sub.status = status
                    self._notifier.post(sh, list(sub.callbacks), (sh, status))
            else:
                log.debug("ignoring notification %s from %s", method, self.name)
        except S.SchemaError as exc:
            raise MalformedReply(self.name, f"bad {method} notification: {exc}") from None

    # -- subscriptions --------------------------------------------------------------------------

    async def _resubscribe(self, conn: _Connection) -> None:
        """After a reconnect: subscribe again and report what changed while we were away."""
        if self._header_callbacks:
            method = "blockchain.headers.subscribe"
            result = await self._call_on(conn, method, [])
            with self._shape(method):
                tip = _tip(result)
            before = self._stats.tip
            self._saw_tip(tip)
            if before is not None and before.header != tip.header:
                self._notifier.post("headers", list(self._header_callbacks), (tip,))
        for sh, sub in list(self._subs.items()):
            method = "blockchain.scripthash.subscribe"
            result = await self._call_on(conn, method, [sh[::-1].hex()])
            with self._shape(method):
                status = S.as_status(result)
            if status != sub.status:
                sub.status = status
                self._notifier.post(sh, list(sub.callbacks), (sh, status))

    async def subscribe_headers(self, callback: HeaderCallback) -> Tip:
        self._header_callbacks.append(callback)
        try:
            return await self.get_tip()
        except BaseException:
            self._header_callbacks.remove(callback)
            raise

    async def subscribe_scripthash(
        self, scripthash: bytes, callback: ScripthashCallback
    ) -> str | None:
        sh = check_scripthash(scripthash)
        sub = self._subs.setdefault(sh, _Subscription())
        sub.callbacks.append(callback)
        method = "blockchain.scripthash.subscribe"
        try:
            result = await self._call(method, [sh[::-1].hex()])
            with self._shape(method):
                sub.status = S.as_status(result)
        except BaseException:
            sub.callbacks.remove(callback)
            if not sub.callbacks:
                self._subs.pop(sh, None)
            raise
        return sub.status

    async def unsubscribe_scripthash(self, scripthash: bytes) -> None:
        sh = check_scripthash(scripthash)
        if self._subs.pop(sh, None) is None:
            return
        conn = self._conn
        if conn is not None and not conn.closed:
            with contextlib.suppress(RequestRejected):
                await self._call_on(conn, "blockchain.scripthash.unsubscribe", [sh[::-1].hex()])

    # -- the API --------------------------------------------------------------------------------

    async def _checked(self, method: str, params: list[Any], check: Callable[[Any], Any]) -> Any:
        result = await self._call(method, params)
        with self._shape(method):
            return check(result)

    async def get_tip(self) -> Tip:
        tip = await self._checked("blockchain.headers.subscribe", [], _tip)
        self._saw_tip(tip)
        return tip

    async def get_headers(self, start: int, count: int) -> bytes:
        _check_height(start, "start")
        if not isinstance(count, int) or count < 0:
            raise ValueError("count must be a non-negative integer")
        out = bytearray()
        height, remaining = start, count
        while remaining > 0:
            asked = min(remaining, HEADERS_CHUNK)
            method = "blockchain.block.headers"
            result = await self._call(method, [height, asked])
            with self._shape(method):
                reply = S.as_dict(result, "the result")
                got = S.as_int(S.field(reply, "count", "the result"), "count", maximum=asked)
                raw = S.as_hex(S.field(reply, "hex", "the result"), "hex", size=80 * got)
                limit = S.as_int(reply["max"], "max", minimum=1) if "max" in reply else None
            out += raw
            height += got
            remaining -= got
            if got == 0 or (got < asked and got != limit):
                break  # the chain ends here
        return bytes(out)

    async def get_header(self, height: int, cp_height: int = 0) -> HeaderReply:
        _check_height(height, "height")
        _check_height(cp_height, "cp_height")
        method = "blockchain.block.header"
        result = await self._call(method, [height, cp_height] if cp_height else [height])
        with self._shape(method):
            if not cp_height:
                return HeaderReply(height, S.as_header(result, "the result"))
            reply = S.as_dict(result, "the result")
            header = S.as_header(S.field(reply, "header", "the result"))
            branch = S.as_list(S.field(reply, "branch", "the result"), "branch", max_items=64)
            hashes = tuple(S.as_hash(h, "a branch hash") for h in branch)
            root = S.as_hash(S.field(reply, "root", "the result"), "root")
            return HeaderReply(height, header, HeaderProof(cp_height, hashes, root))

    async def get_history(self, scripthash: bytes) -> list[HistoryItem]:
        sh = check_scripthash(scripthash)
        return await self._checked("blockchain.scripthash.get_history", [sh[::-1].hex()], _history)

    async def get_histories(self, scripthashes: Sequence[bytes]) -> list[list[HistoryItem]]:
        params = [[check_scripthash(sh)[::-1].hex()] for sh in scripthashes]
        answers = await self._batched("blockchain.scripthash.get_history", params, _history)
        for answer in answers:
            if isinstance(answer, ServerError):
                raise answer
        return answers

    async def get_transactions(self, txids: Sequence[bytes]) -> list[bytes | ServerError]:
        method = "blockchain.transaction.get"
        wanted = [txid_bytes(t) for t in txids]
        answers = await self._batched(
            method,
            [[t[::-1].hex()] for t in wanted],
            lambda r: S.as_hex(r, "the transaction", max_size=self.max_line // 2),
        )
        return [
            a if isinstance(a, ServerError) else self._check_tx(a, t, method)
            for a, t in zip(answers, wanted, strict=True)
        ]

    async def get_merkles(
        self, wanted: Sequence[tuple[bytes, int]]
    ) -> list[ElectrumProof | ServerError]:
        for _, height in wanted:
            _check_height(height, "height")
        params = [[txid_bytes(t)[::-1].hex(), h] for t, h in wanted]
        return await self._batched("blockchain.transaction.get_merkle", params, S.as_merkle_proof)

    async def get_mempool(self, scripthash: bytes) -> list[HistoryItem]:
        sh = check_scripthash(scripthash)
        return await self._checked("blockchain.scripthash.get_mempool", [sh[::-1].hex()], _history)

    async def list_unspent(self, scripthash: bytes) -> list[Utxo]:
        sh = check_scripthash(scripthash)
        return await self._checked("blockchain.scripthash.listunspent", [sh[::-1].hex()], _unspent)

    async def get_transaction(self, txid: bytes | str) -> bytes:
        want = txid_bytes(txid)
        method = "blockchain.transaction.get"
        result = await self._call(method, [want[::-1].hex()])
        with self._shape(method):
            raw = S.as_hex(result, "the transaction", max_size=self.max_line // 2)
        return self._check_tx(raw, want, method)

    def _check_tx(self, raw: bytes, want: bytes, method: str) -> bytes:
        got = _txid_of(raw)
        if got is None:
            raise self._failed(
                MalformedReply(self.name, f"{method}: the transaction does not parse")
            )
        if got != want:
            raise self._failed(
                MalformedReply(
                    self.name,
                    f"{method}: asked for {want[::-1].hex()}, got a transaction that hashes to "
                    f"{got[::-1].hex()}",
                )
            )
        return raw

    async def get_merkle(self, txid: bytes | str, height: int) -> ElectrumProof:
        want = txid_bytes(txid)
        _check_height(height, "height")
        return await self._checked(
            "blockchain.transaction.get_merkle", [want[::-1].hex(), height], S.as_merkle_proof
        )

    async def get_coinbase_branch(self, height: int, block_hash: bytes) -> CoinbaseProof:
        _check_height(height, "height")
        return await self._checked(
            "blockchain.transaction.id_from_pos", [height, 0, True], _coinbase_branch
        )

    async def get_coinbase_branches(
        self, wanted: Sequence[tuple[int, bytes]]
    ) -> list[CoinbaseProof | ServerError]:
        for height, _ in wanted:
            _check_height(height, "height")
        params = [[height, 0, True] for height, _ in wanted]
        return await self._batched("blockchain.transaction.id_from_pos", params, _coinbase_branch)

    async def broadcast(self, raw_tx: bytes) -> bytes:
        mine = _txid_of(raw_tx)
        method = "blockchain.transaction.broadcast"
        result = await self._call(method, [bytes(raw_tx).hex()])
        with self._shape(method):
            theirs = S.as_hash(result, "the txid")
        if mine is not None and theirs != mine:
            raise self._failed(
                MalformedReply(
                    self.name,
                    f"{method}: the server answered txid {theirs[::-1].hex()}, but the "
                    f"transaction's txid is {mine[::-1].hex()}",
                )
            )
        return theirs

    async def estimate_fee(self, blocks: int) -> FeeRate | None:
        if not isinstance(blocks, int) or blocks < 1:
            raise ValueError("the confirmation target is a number of blocks, at least 1")
        method = "blockchain.estimatefee"
        result = await self._call(method, [blocks])
        with self._shape(method):
            btc_per_kvb = S.as_number(result, "the fee rate")
            if btc_per_kvb < 0:
                return None  # -1: the server's node has no estimate
            return FeeRate.from_btc_per_kvb(btc_per_kvb)

    async def relay_fee(self) -> FeeRate:
        method = "blockchain.relayfee"
        result = await self._call(method, [])
        with self._shape(method):
            btc_per_kvb = S.as_number(result, "the relay fee")
            if btc_per_kvb < 0:
                raise S.SchemaError(f"the relay fee is negative ({btc_per_kvb})")
            return FeeRate.from_btc_per_kvb(btc_per_kvb)

    async def ping(self) -> None:
        await self._call("server.ping", [])


# -- result shapes ------------------------------------------------------------------------------


def _check_height(value: int, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{what} must be a non-negative integer, got {value!r}")


def _txid_of(raw: bytes) -> bytes | None:
    try:
        return identify(raw)[0]
    except (DecodeError, ValueError):
        return None


def _tip(value: Any) -> Tip:
    reply = S.as_dict(value, "the tip")
    height = S.as_int(S.field(reply, "height", "the tip"), "the tip height")
    header = S.as_header(S.field(reply, "hex", "the tip"), "the tip header")
    return Tip(height, header)


def _coinbase_branch(value: Any) -> CoinbaseProof:
    reply = S.as_dict(value, "the result")
    txid = S.as_hash(S.field(reply, "tx_hash", "the result"), "tx_hash")
    branch = S.as_list(S.field(reply, "merkle", "the result"), "merkle", max_items=S.MAX_BRANCH)
    return CoinbaseProof(txid, tuple(S.as_hash(h, "a merkle branch hash") for h in branch))


def _history(value: Any) -> list[HistoryItem]:
    items = []
    for row in S.as_list(value, "the history", max_items=MAX_ITEMS):
        row = S.as_dict(row, "a history item")
        txid = S.as_hash(S.field(row, "tx_hash", "a history item"), "tx_hash")
        height = S.as_int(S.field(row, "height", "a history item"), "height", minimum=-1)
        fee = S.as_amount(row["fee"], "fee") if row.get("fee") is not None else None
        items.append(HistoryItem(txid, height, fee))
    return items


def _unspent(value: Any) -> list[Utxo]:
    out = []
    for row in S.as_list(value, "the unspent list", max_items=MAX_ITEMS):
        row = S.as_dict(row, "an unspent output")
        out.append(
            Utxo(
                S.as_hash(S.field(row, "tx_hash", "an unspent output"), "tx_hash"),
                S.as_int(S.field(row, "tx_pos", "an unspent output"), "tx_pos"),
                S.as_amount(S.field(row, "value", "an unspent output"), "value"),
                S.as_int(S.field(row, "height", "an unspent output"), "height"),
            )
        )
    return out
