"""The playground as Bitcoin P2P peers: listeners acting like Bitcoin Core nodes on its chain.

Each listener is one "node" (``NODE_NETWORK | NODE_WITNESS | NODE_COMPACT_FILTERS``) on its own
port; all serve the same chain and mempool, so a client connected to several has several peers.
A listener answers the handshake as Core does (``version``, ``wtxidrelay``, ``sendaddrv2``,
``verack``; then ``sendheaders`` and a ``ping``), and serves ``getheaders``, ``getdata``
(witness blocks and transactions), ``getcfcheckpt`` / ``getcfheaders`` / ``getcfilters``
(BIP157), ``mempool`` and ``getaddr`` (the other listeners). Transactions a client announces
are fetched, offered to the mempool, and announced to every other connection, as the network
would relay them; new blocks are announced with ``headers`` (or ``inv``).

Each listener has its own misbehaviour switches (:data:`P2P_MODES`), and records every message it
receives (``received``) and every announcement it sends (``announced``), so a test can check
what a client revealed to which peer, and that it only asked for what that peer announced.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from wallet.bitcoin.bip158 import basic_filter_elements, build_filter, filter_header
from wallet.bitcoin.errors import DecodeError
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.serialize import encode_varint
from wallet.p2p import messages as m
from wallet.p2p.stream import StreamClosed, read_message, write_message
from wallet.playground.chain import BlockRecord
from wallet.playground.errors import PlaygroundError, TxRejected
from wallet.playground.misbehave import forge_low_work
from wallet.playground.traffic import Traffic

if TYPE_CHECKING:
    from wallet.playground.service import Playground

SERVICES = m.NODE_NETWORK | m.NODE_WITNESS | m.NODE_COMPACT_FILTERS
USER_AGENT = "/Satoshi:27.0.0(Paylight-playground)/"
#: Core announces at most this many new headers; more and it sends an inv of the tip.
MAX_BLOCKS_TO_ANNOUNCE = 8
CFCHECKPT_INTERVAL = 1000

#: Misbehaviour modes of one listener:
#: ``wrong-filter``: filters leave out every script but the coinbase's (the filter headers stay
#: honest, so the lie shows against them); ``wrong-filter-headers``: the same wrong filters with
#: filter headers and checkpoints computed from them (only other peers can expose it);
#: ``withhold-block``: ``getdata`` for blocks is answered ``notfound``; ``low-work``: the last
#: ``depth`` headers (default 6) of ``getheaders`` replies do not meet their target; ``stall``:
#: after the handshake nothing is answered.
P2P_MODES = ("wrong-filter", "wrong-filter-headers", "withhold-block", "low-work", "stall")


@dataclass(eq=False)
class _Session:
    number: int
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    version: m.Version | None = None
    ready: bool = False
    wtxid_relay: bool = False
    addrv2: bool = False
    send_headers: bool = False
    announced_tip: bytes | None = None
    announced_txs: set[bytes] = field(default_factory=set)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class P2PListener:
    """One Core-like node on ``host:port`` serving the playground's chain."""

    def __init__(self, pg: Playground, host: str, port: int, index: int) -> None:
        self.pg = pg
        self.host = host
        self.requested_port = port
        self.index = index
        self.port = 0
        self.modes: dict[str, dict[str, Any]] = {}
        #: every message received: (connection number, message), in arrival order
        self.received: list[tuple[int, m.Message]] = []
        #: every announcement sent (``inv``): (connection number, message) -- what each client
        #: was told of (blocks and transactions sent are not kept)
        self.announced: list[tuple[int, m.Inv]] = []
        self.sessions: set[_Session] = set()
        self.connections = 0
        #: messages received by command, bytes each way (bytes sent by command too)
        self.traffic = Traffic()
        self._numbers = itertools.count(1)
        self._server: asyncio.base_events.Server | None = None
        self._nonce = int.from_bytes(os.urandom(8), "little")
        self._wrong_headers: dict[bytes, bytes] = {}

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    # -- switches -------------------------------------------------------------------------------

    def misbehave(self, mode: str, **options: Any) -> None:
        if mode not in P2P_MODES:
            raise PlaygroundError(
                f"unknown P2P misbehaviour {mode!r}: use one of {', '.join(P2P_MODES)}"
            )
        self.modes[mode] = options

    def behave(self, mode: str | None = None) -> None:
        if mode is None:
            self.modes.clear()
        else:
            self.modes.pop(mode, None)

    def commands_received(self) -> list[str]:
        return [msg.command for _, msg in self.received]

    # -- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._client, self.host, self.requested_port, limit=m.MAX_PAYLOAD + m.HEADER_LEN
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            for session in list(self.sessions):
                session.writer.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 5)

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        session = _Session(next(self._numbers), reader, writer)
        self.connections += 1
        self.traffic.connections += 1
        self.sessions.add(session)
        magic = self.pg.network.magic
        try:
            while True:
                msg, size = await read_message(reader, magic)
                self.received.append((session.number, msg))
                self.traffic.messages += 1
                self.traffic.requests[msg.command] += 1
                self.traffic.bytes_in += size
                await self._handle(session, msg)
        except (StreamClosed, ConnectionError, DecodeError, OSError):
            pass  # a malformed message ends the connection, as Core disconnects
        finally:
            self.sessions.discard(session)
            writer.close()

    async def _send(self, session: _Session, *msgs: m.Message) -> None:
        async with session.lock:
            for msg in msgs:
                if type(msg) is m.Inv:
                    self.announced.append((session.number, msg))
                size = write_message(session.writer, self.pg.network.magic, msg)
                self.traffic.bytes_out += size
                self.traffic.sent[msg.command] += size
            with contextlib.suppress(ConnectionError, RuntimeError):
                await session.writer.drain()

    # -- requests -------------------------------------------------------------------------------

    async def _handle(self, session: _Session, msg: m.Message) -> None:
        if isinstance(msg, m.Version):
            session.version = msg
            await self._send(
                session, self._version(msg), m.WtxidRelay(), m.SendAddrV2(), m.Verack()
            )
            return
        if isinstance(msg, m.WtxidRelay):
            session.wtxid_relay = True
            return
        if isinstance(msg, m.SendAddrV2):
            session.addrv2 = True
            return
        if isinstance(msg, m.Verack):
            session.ready = True
            with self.pg.lock:
                session.announced_tip = self.pg.chain.tip.hash
            await self._send(session, m.SendHeaders(), m.Ping(self._nonce))
            return
        if not session.ready or "stall" in self.modes:
            return
        handler = getattr(self, f"_on_{msg.command}", None)
        if handler is not None:
            await handler(session, msg)

    def _version(self, theirs: m.Version) -> m.Version:
        with self.pg.lock:
            height = self.pg.chain.height
        peer = theirs.sender
        return m.Version(
            m.PROTOCOL_VERSION,
            SERVICES,
            int(time.time()),
            m.NetAddr(peer.host, peer.port, theirs.services),
            m.NetAddr("0.0.0.0", 0, SERVICES),
            self._nonce,
            USER_AGENT,
            height,
            True,
        )

    async def _on_ping(self, session: _Session, msg: m.Ping) -> None:
        await self._send(session, m.Pong(msg.nonce))

    async def _on_sendheaders(self, session: _Session, _msg: m.Message) -> None:
        session.send_headers = True

    async def _on_getheaders(self, session: _Session, msg: m.GetHeaders) -> None:
        with self.pg.lock:
            chain = self.pg.chain
            start = 1
            for h in msg.locator:
                record = chain.by_hash.get(h)
                if record is not None:
                    start = record.height + 1
                    break
            headers = []
            for height in range(start, min(chain.height, start + m.MAX_HEADERS - 1) + 1):
                record = chain.blocks[height]
                headers.append(record.header)
                if record.hash == msg.stop:
                    break
            headers = self._maybe_low_work(start, headers)
        await self._send(session, m.Headers(tuple(headers)))

    def _maybe_low_work(self, start: int, headers: list[bytes]) -> list[bytes]:
        opts = self.modes.get("low-work")
        if opts is None or not headers:
            return headers
        chain = self.pg.chain
        depth = max(1, min(int(opts.get("depth", 6)), chain.height))
        first_forged = chain.height - depth + 1
        end = start + len(headers) - 1
        if end < first_forged:
            return headers
        forged = forge_low_work(
            [b.header for b in chain.blocks[first_forged:]], chain.blocks[first_forged - 1].hash
        )
        out = list(headers)
        for height in range(max(start, first_forged), end + 1):
            out[height - start] = forged[height - first_forged]
        return out

    async def _on_getdata(self, session: _Session, msg: m.GetData) -> None:
        replies: list[m.Message] = []
        missing = []
        with self.pg.lock:
            for item in msg.items:
                base = item.type & ~m.MSG_WITNESS_FLAG
                witness = bool(item.type & m.MSG_WITNESS_FLAG) or item.type == m.MSG_WTX
                if base == m.MSG_BLOCK:
                    record = self.pg.chain.by_hash.get(item.hash) or self.pg.stale.get(item.hash)
                    if record is None or "withhold-block" in self.modes:
                        missing.append(item)
                        continue
                    replies.append(_RawMessage("block", _block_bytes(record, witness)))
                elif base in (m.MSG_TX, m.MSG_WTX):
                    raw = self._mempool_tx(item.hash, by_wtxid=base == m.MSG_WTX)
                    if raw is None:
                        missing.append(item)
                        continue
                    if not witness:
                        from wallet.bitcoin.transaction import Transaction

                        raw = Transaction.parse(raw).serialize_no_witness()
                    replies.append(_RawMessage("tx", raw))
                else:
                    missing.append(item)
        if missing:
            replies.append(m.NotFound(tuple(missing)))
        await self._send(session, *replies)

    def _mempool_tx(self, h: bytes, by_wtxid: bool) -> bytes | None:
        pool = self.pg.mempool
        if not by_wtxid:
            entry = pool.get(h)
            return entry.entry.raw if entry is not None else None
        for entry in pool.entries.values():
            if sha256d(entry.entry.raw) == h:
                return entry.entry.raw
        return None

    def _range(self, start: int, stop_hash: bytes, limit: int) -> list[BlockRecord] | None:
        """Blocks ``start..stop`` of the active chain, or None for a request Core refuses."""
        stop = self.pg.chain.by_hash.get(stop_hash)
        if stop is None or start > stop.height or stop.height - start >= limit:
            return None
        return self.pg.chain.blocks[start : stop.height + 1]

    async def _on_getcfilters(self, session: _Session, msg: m.GetCFilters) -> None:
        with self.pg.lock:
            blocks = self._range(msg.start_height, msg.stop_hash, 1000)
            if blocks is None:
                return
            replies = [m.CFilter(b.hash, self._filter(b)) for b in blocks]
        await self._send(session, *replies)

    async def _on_getcfheaders(self, session: _Session, msg: m.GetCFHeaders) -> None:
        with self.pg.lock:
            blocks = self._range(msg.start_height, msg.stop_hash, 2000)
            if blocks is None:
                return
            prev = self._filter_header(msg.start_height - 1)
            hashes = tuple(sha256d(self._filter(b, for_headers=True)) for b in blocks)
        await self._send(session, m.CFHeaders(msg.stop_hash, prev, hashes))

    async def _on_getcfcheckpt(self, session: _Session, msg: m.GetCFCheckpt) -> None:
        with self.pg.lock:
            stop = self.pg.chain.by_hash.get(msg.stop_hash)
            if stop is None:
                return
            heights = range(CFCHECKPT_INTERVAL, stop.height + 1, CFCHECKPT_INTERVAL)
            headers = tuple(self._filter_header(h) for h in heights)
        await self._send(session, m.CFCheckpt(msg.stop_hash, headers))

    def _filter(self, record: BlockRecord, for_headers: bool = False) -> bytes:
        lying = "wrong-filter-headers" in self.modes or (
            "wrong-filter" in self.modes and not for_headers
        )
        if not lying:
            return self.pg.filters.filter(record)
        coinbase = record.txs[0].tx
        return build_filter(record.hash, basic_filter_elements([coinbase], []))

    def _filter_header(self, height: int) -> bytes:
        if "wrong-filter-headers" not in self.modes:
            return self.pg.filters.header(height)
        if height < 0:
            return bytes(32)
        blocks = self.pg.chain.blocks
        prev = bytes(32)
        for h in range(height + 1):
            cached = self._wrong_headers.get(blocks[h].hash)
            if cached is None:
                cached = filter_header(sha256d(self._filter(blocks[h])), prev, is_hash=True)
                self._wrong_headers[blocks[h].hash] = cached
            prev = cached
        return prev

    async def _on_inv(self, session: _Session, msg: m.Inv) -> None:
        wanted = []
        with self.pg.lock:
            for item in msg.items:
                if item.type in (m.MSG_TX, m.MSG_WTX, m.MSG_WITNESS_TX):
                    session.announced_txs.add(item.hash)
                    if self._mempool_tx(item.hash, item.type == m.MSG_WTX) is None:
                        wanted.append(item)
        if wanted:
            await self._send(session, m.GetData(tuple(wanted)))

    async def _on_tx(self, session: _Session, msg: m.TxMessage) -> None:
        session.announced_txs.update({msg.tx.txid(), msg.tx.wtxid()})
        with contextlib.suppress(TxRejected, PlaygroundError):
            self.pg.broadcast(msg.raw)

    async def _on_mempool(self, session: _Session, _msg: m.Message) -> None:
        with self.pg.lock:
            items = self._tx_items(session, list(self.pg.mempool.entries.values()))
        if items:
            await self._send(session, m.Inv(tuple(items)))

    async def _on_getaddr(self, session: _Session, _msg: m.Message) -> None:
        now = int(time.time())
        others = [x for x in self.pg.p2p_listeners if x is not self]
        if session.addrv2:
            entries = tuple(
                m.AddrV2Entry(now, SERVICES, 1, bytes(map(int, x.host.split("."))), x.port)
                for x in others
            )
            await self._send(session, m.AddrV2(entries))
        else:
            addrs = tuple(m.NetAddr(x.host, x.port, SERVICES, now) for x in others)
            await self._send(session, m.Addr(addrs))

    # -- announcements --------------------------------------------------------------------------

    def _tx_items(self, session: _Session, pooled: list) -> list[m.InvItem]:
        items = []
        for p in pooled:
            txid, wtxid = p.entry.txid, sha256d(p.entry.raw)
            if txid in session.announced_txs or wtxid in session.announced_txs:
                continue
            session.announced_txs.update({txid, wtxid})
            if session.wtxid_relay:
                items.append(m.InvItem(m.MSG_WTX, wtxid))
            else:
                items.append(m.InvItem(m.MSG_TX, txid))
        return items

    async def notify_all(self) -> None:
        if "stall" in self.modes:
            return
        for session in list(self.sessions):
            if session.ready:
                with contextlib.suppress(Exception):
                    await self._announce(session)

    async def _announce(self, session: _Session) -> None:
        replies: list[m.Message] = []
        with self.pg.lock:
            chain = self.pg.chain
            if session.announced_tip != chain.tip.hash:
                fork = self._fork_height(session.announced_tip)
                new = chain.blocks[fork + 1 :]
                if session.send_headers and 0 < len(new) <= MAX_BLOCKS_TO_ANNOUNCE:
                    replies.append(m.Headers(tuple(b.header for b in new)))
                else:
                    replies.append(m.Inv((m.InvItem(m.MSG_BLOCK, chain.tip.hash),)))
                session.announced_tip = chain.tip.hash
            items = self._tx_items(session, list(self.pg.mempool.entries.values()))
            if items:
                replies.append(m.Inv(tuple(items)))
        if replies:
            await self._send(session, *replies)

    def _fork_height(self, announced: bytes | None) -> int:
        """Height of the last block of the active chain at or below what was announced."""
        chain = self.pg.chain
        h = announced
        while h is not None:
            record = chain.by_hash.get(h)
            if record is not None:
                return record.height
            stale = self.pg.stale.get(h)
            if stale is None:
                break
            h = stale.header[4:36]
        return chain.height - 1


class _RawMessage(m.Message):
    """A message whose payload is already serialized (blocks and transactions as stored)."""

    def __init__(self, command: str, data: bytes) -> None:
        self._command = command
        self._data = data

    @property
    def command(self) -> str:  # type: ignore[override]
        return self._command

    def payload(self) -> bytes:
        return self._data


def _block_bytes(record: BlockRecord, witness: bool) -> bytes:
    txs = [e.raw if witness else e.tx.serialize_no_witness() for e in record.txs]
    return record.header + encode_varint(len(txs)) + b"".join(txs)
