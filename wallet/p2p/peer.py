"""One outbound Bitcoin P2P connection (asyncio streams, like the Electrum client).

:meth:`Peer.connect` opens the socket and does the handshake: our ``version``; their ``version``
(network, service bits, protocol version checked); ``wtxidrelay`` and ``sendaddrv2`` before our
``verack``; their ``verack``; then ``sendheaders``. A reader task then takes every message: pings
are answered, ``getdata`` for a transaction we announced is served, replies go to the request
waiting for them, and everything else (``inv``, ``headers`` announcements, ``addr``...) goes to the
``on_message`` callback.

The protocol has no request ids, so each request registers a :class:`_Wait` that recognises its
reply by content (headers linking to the locator, filters for the blocks asked, the block whose
hash was asked); at most one request of each kind is in flight per peer. A request unanswered
within ``timeout`` fails with :class:`PeerStalled`; a reply that breaks the protocol with
:class:`PeerMisbehaved`: the caller (the pool) scores and drops the peer with the reason.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from wallet import __version__
from wallet.bitcoin.networks import Network
from wallet.errors import PaylightError
from wallet.net.proxy import open_stream
from wallet.p2p import messages as m
from wallet.p2p.stream import StreamClosed, read_message, write_message
from wallet.spv.merkle import Block

REQUIRED_SERVICES = m.NODE_NETWORK | m.NODE_WITNESS | m.NODE_COMPACT_FILTERS
USER_AGENT = f"/Paylight:{__version__}/"


class PeerError(PaylightError):
    """Something went wrong with one peer; ``peer`` names it, ``reason`` says what."""

    def __init__(self, peer: str, reason: str) -> None:
        self.peer = peer
        self.reason = reason
        super().__init__(f"peer {peer}: {reason}")


class PeerUnavailable(PeerError):
    """The peer cannot be reached, or closed the connection."""


class PeerStalled(PeerUnavailable):
    """A request went unanswered in time."""


class PeerMisbehaved(PeerError):
    """The peer broke the protocol or lied (malformed message, wrong network or services,
    invalid headers, a filter that contradicts its header...)."""


@dataclass
class PeerStats:
    connected_at: float = 0.0
    bytes_in: int = 0
    bytes_out: int = 0
    messages_in: int = 0
    requests: int = 0
    blocks: int = 0
    filters: int = 0
    #: blocks asked of it that it did not give (withheld, stalled)
    asked_blocks: int = 0
    #: the last round trip measured (the handshake's, then each ping's), for the panel
    ping_seconds: float | None = None


@dataclass(eq=False)
class _Wait:
    """A request's expectation: ``accept`` takes a message (True when it belongs here)."""

    accept: Callable[[m.Message], bool]
    future: asyncio.Future[Any]
    items: list[m.Message] = field(default_factory=list)


class Peer:
    def __init__(
        self,
        host: str,
        port: int,
        network: Network,
        *,
        timeout: float = 20.0,
        connect_timeout: float = 10.0,
        start_height: int = 0,
        on_message: Callable[[Peer, m.Message], Any] | None = None,
        source: str = "",
    ) -> None:
        self.host = host
        self.port = port
        self.network = network
        self.name = f"{host}:{port}"
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.start_height = start_height
        self.on_message = on_message
        self.source = source
        self.version: m.Version | None = None
        self.wtxid_relay = False
        self.addrv2 = False
        self.stats = PeerStats()
        self.closed = False
        self.close_reason = ""
        self.close_error: PeerError | None = None
        #: transactions we announced, by txid and wtxid, served on getdata
        self.offered: dict[bytes, bytes] = {}
        #: (inv type, hash) of every getdata the peer sent us
        self.asked_for: list[tuple[int, bytes]] = []
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._task: asyncio.Task[None] | None = None
        self._waits: list[_Wait] = []
        self._locks: dict[str, asyncio.Lock] = {}

    # -- connection -----------------------------------------------------------------------------

    @property
    def services(self) -> int:
        return self.version.services if self.version else 0

    @property
    def user_agent(self) -> str:
        return self.version.user_agent if self.version else ""

    @property
    def height(self) -> int:
        return self.version.start_height if self.version else 0

    async def connect(self) -> None:
        try:
            reader, writer = await asyncio.wait_for(
                open_stream(self.host, self.port, limit=m.MAX_PAYLOAD + 24),
                self.connect_timeout,
            )
        except TimeoutError:
            raise PeerUnavailable(
                self.name, f"no connection within {self.connect_timeout:g} s"
            ) from None
        except OSError as exc:
            raise PeerUnavailable(self.name, f"cannot connect: {exc.strerror or exc}") from None
        self._reader, self._writer = reader, writer
        self.stats.connected_at = time.time()
        try:
            await asyncio.wait_for(self._handshake(), self.timeout)
        except TimeoutError:
            self._close("no handshake in time")
            raise PeerStalled(self.name, "the handshake did not finish in time") from None
        except PeerError as err:
            self._close(err.reason)
            raise
        self._task = asyncio.get_running_loop().create_task(self._read_loop())

    async def _handshake(self) -> None:
        nonce = int.from_bytes(os.urandom(8), "little")
        started = time.monotonic()
        self._send(
            m.Version(
                m.PROTOCOL_VERSION,
                0,
                int(time.time()),
                m.NetAddr("0.0.0.0", 0),
                m.NetAddr("0.0.0.0", 0),
                nonce,
                USER_AGENT,
                self.start_height,
                True,  # relay: announcements of new transactions confirm our broadcasts
            )
        )
        got_verack = False
        while self.version is None or not got_verack:
            msg = await self._read()
            if isinstance(msg, m.Version):
                if self.version is not None:
                    raise PeerMisbehaved(self.name, "it sent version twice")
                self._check_version(msg, nonce)
                self.version = msg
                self.stats.ping_seconds = time.monotonic() - started
                self._send(m.WtxidRelay(), m.SendAddrV2(), m.Verack())
            elif isinstance(msg, m.WtxidRelay):
                self.wtxid_relay = True
            elif isinstance(msg, m.SendAddrV2):
                self.addrv2 = True
            elif isinstance(msg, m.Verack):
                if self.version is None:
                    raise PeerMisbehaved(self.name, "it sent verack before version")
                got_verack = True
        self._send(m.SendHeaders())
        await self._drain()

    def _check_version(self, msg: m.Version, nonce: int) -> None:
        if msg.nonce == nonce:
            raise PeerMisbehaved(self.name, "it is ourselves (our own version nonce came back)")
        if msg.version < m.MIN_PEER_VERSION:
            raise PeerMisbehaved(self.name, f"protocol version {msg.version} is too old")
        missing = REQUIRED_SERVICES & ~msg.services
        if missing:
            names = ", ".join(m.service_names(missing))
            raise PeerMisbehaved(
                self.name, f"it does not offer {names} (compact filters need a node that does)"
            )

    async def _read(self) -> m.Message:
        assert self._reader is not None
        try:
            msg, size = await read_message(self._reader, self.network.magic)
        except StreamClosed as exc:
            raise PeerUnavailable(self.name, f"the connection was {exc}") from None
        except m.MessageError as exc:
            raise PeerMisbehaved(self.name, str(exc)) from None
        except (ConnectionError, OSError) as exc:
            raise PeerUnavailable(self.name, f"the connection broke: {exc}") from None
        self.stats.bytes_in += size
        self.stats.messages_in += 1
        return msg

    def _send(self, *msgs: m.Message) -> None:
        if self.closed or self._writer is None:
            # the reason it closed (a misbehaviour stays one, for the pool to drop it)
            kind = type(self.close_error) if self.close_error else PeerUnavailable
            raise kind(self.name, self.close_reason or "the connection is closed")
        for msg in msgs:
            self.stats.bytes_out += write_message(self._writer, self.network.magic, msg)

    async def _drain(self) -> None:
        assert self._writer is not None
        try:
            await asyncio.wait_for(self._writer.drain(), self.timeout)
        except (TimeoutError, ConnectionError, OSError) as exc:
            self._close(f"sending failed: {exc or 'timeout'}")
            raise PeerUnavailable(self.name, "sending failed") from None

    async def send(self, *msgs: m.Message) -> None:
        self._send(*msgs)
        await self._drain()

    async def _read_loop(self) -> None:
        try:
            while not self.closed:
                msg = await self._read()
                await self._dispatch(msg)
        except PeerError as err:
            self._close(err.reason, err)
        except asyncio.CancelledError:
            raise

    async def _dispatch(self, msg: m.Message) -> None:
        if isinstance(msg, m.Ping) and not isinstance(msg, m.Pong):
            await self.send(m.Pong(msg.nonce))
            return  # (a pong goes on to the ping waiting for it)
        if isinstance(msg, m.GetData):
            await self._serve(msg)
        for wait in list(self._waits):
            if not wait.future.done() and wait.accept(msg):
                return
        if self.on_message is not None:
            result = self.on_message(self, msg)
            if asyncio.iscoroutine(result):
                await result

    async def _serve(self, msg: m.GetData) -> None:
        missing = []
        for item in msg.items:
            self.asked_for.append((item.type, item.hash))
            raw = self.offered.get(item.hash)
            if raw is None:
                missing.append(item)
            else:
                self._send(m.TxMessage(_tx(raw), raw))
        if missing:
            self._send(m.NotFound(tuple(missing)))
        await self._drain()

    def _close(self, reason: str, err: PeerError | None = None) -> None:
        if self.closed:
            return
        self.closed = True
        self.close_reason = reason
        failure = err or PeerUnavailable(self.name, reason)
        self.close_error = failure
        for wait in self._waits:
            if not wait.future.done():
                wait.future.set_exception(type(failure)(self.name, failure.reason))
                wait.future.exception()
        self._waits.clear()
        if self._writer is not None:
            with contextlib.suppress(Exception):
                self._writer.close()

    async def close(self, reason: str = "closed") -> None:
        self._close(reason)
        task = self._task
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    # -- requests -------------------------------------------------------------------------------

    async def _request(self, kind: str, request: m.Message, wait: _Wait) -> Any:
        lock = self._locks.setdefault(kind, asyncio.Lock())
        async with lock:
            self._waits.append(wait)
            self.stats.requests += 1
            try:
                await self.send(request)
                return await asyncio.wait_for(wait.future, self.timeout)
            except TimeoutError:
                raise PeerStalled(
                    self.name, f"no answer to {request.command} within {self.timeout:g} s"
                ) from None
            finally:
                with contextlib.suppress(ValueError):
                    self._waits.remove(wait)

    def _waiter(self, accept: Callable[[_Wait, m.Message], bool]) -> _Wait:
        future = asyncio.get_running_loop().create_future()
        wait = _Wait(lambda msg: False, future)
        wait.accept = lambda msg: accept(wait, msg)
        return wait

    async def get_headers(self, locator: list[bytes], stop: bytes = bytes(32)) -> list[bytes]:
        """Raw headers following the first locator hash the peer knows (up to 2,000)."""
        wanted = set(locator)

        def accept(wait: _Wait, msg: m.Message) -> bool:
            # a reply links to the locator (or is empty); other headers are announcements
            if not isinstance(msg, m.Headers):
                return False
            if msg.headers and msg.headers[0][4:36] not in wanted and len(locator) > 1:
                return False
            wait.future.set_result(list(msg.headers))
            return True

        return await self._request(
            "headers", m.GetHeaders(tuple(locator), stop), self._waiter(accept)
        )

    async def get_cfcheckpt(self, stop_hash: bytes) -> list[bytes]:
        def accept(wait: _Wait, msg: m.Message) -> bool:
            if not isinstance(msg, m.CFCheckpt) or msg.stop_hash != stop_hash:
                return False
            wait.future.set_result(list(msg.headers))
            return True

        return await self._request("cfcheckpt", m.GetCFCheckpt(stop_hash), self._waiter(accept))

    async def get_cfheaders(self, start: int, stop_hash: bytes) -> m.CFHeaders:
        def accept(wait: _Wait, msg: m.Message) -> bool:
            if not isinstance(msg, m.CFHeaders) or msg.stop_hash != stop_hash:
                return False
            wait.future.set_result(msg)
            return True

        return await self._request(
            "cfheaders", m.GetCFHeaders(start, stop_hash), self._waiter(accept)
        )

    async def get_cfilters(
        self, start: int, stop_hash: bytes, block_hashes: list[bytes]
    ) -> list[bytes]:
        """Filters of ``block_hashes`` (heights ``start..``, ending at ``stop_hash``), in order."""
        expected = list(block_hashes)

        def accept(wait: _Wait, msg: m.Message) -> bool:
            if not isinstance(msg, m.CFilter) or msg.block_hash not in expected:
                return False
            i = len(wait.items)
            if msg.block_hash != expected[i]:
                wait.future.set_exception(
                    PeerMisbehaved(self.name, "it sent filters out of order or for other blocks")
                )
                return True
            wait.items.append(msg)
            if len(wait.items) == len(expected):
                wait.future.set_result([f.filter for f in wait.items])
            return True

        filters = await self._request(
            "cfilters", m.GetCFilters(start, stop_hash), self._waiter(accept)
        )
        self.stats.filters += len(filters)
        return filters

    async def get_block(self, block_hash: bytes) -> Block:
        """The witness block ``block_hash``, its hash checked (its content: the caller's job)."""

        def accept(wait: _Wait, msg: m.Message) -> bool:
            if isinstance(msg, m.BlockMessage) and msg.block.header.hash() == block_hash:
                wait.future.set_result(msg.block)
                return True
            if isinstance(msg, m.NotFound) and any(i.hash == block_hash for i in msg.items):
                wait.future.set_exception(
                    PeerUnavailable(self.name, f"it does not have block {block_hash[::-1].hex()}")
                )
                return True
            return False

        item = m.InvItem(m.MSG_WITNESS_BLOCK, block_hash)
        try:
            block = await self._request("block", m.GetData((item,)), self._waiter(accept))
        except PeerError:
            self.stats.asked_blocks += 1
            raise
        self.stats.blocks += 1
        return block

    async def ping(self) -> float:
        nonce = int.from_bytes(os.urandom(8), "little")
        started = time.monotonic()

        def accept(wait: _Wait, msg: m.Message) -> bool:
            if isinstance(msg, m.Pong) and msg.nonce == nonce:
                wait.future.set_result(None)
                return True
            return False

        await self._request("ping", m.Ping(nonce), self._waiter(accept))
        self.stats.ping_seconds = time.monotonic() - started
        return self.stats.ping_seconds

    async def announce_tx(self, raw: bytes) -> m.InvItem:
        """Offer a transaction by ``inv`` (served when the peer asks with ``getdata``)."""
        tx = _tx(raw)
        self.offered[tx.txid()] = raw
        self.offered[tx.wtxid()] = raw
        item = (
            m.InvItem(m.MSG_WTX, tx.wtxid()) if self.wtxid_relay else m.InvItem(m.MSG_TX, tx.txid())
        )
        await self.send(m.Inv((item,)))
        return item


def _tx(raw: bytes):
    from wallet.bitcoin.transaction import Transaction

    return Transaction.parse(raw)
