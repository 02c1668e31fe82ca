"""The Electrum protocol 1.4 server: newline-delimited JSON-RPC over TCP (or TLS).

Methods and result shapes follow the published protocol (protocol-methods.rst), including
``cp_height`` header proofs and status hashes as protocol-basics.rst defines them. Bad input gets
a JSON-RPC error and the server keeps serving: malformed JSON (-32700), a request that is not a
request object (-32600), unknown methods (-32601), wrong parameters (-32602), values that are
well-formed but wrong (1, as ElectrumX), and lines over :data:`MAX_LINE` bytes (-32600, then the
connection is closed because the rest of the line cannot be trusted).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import ssl as _ssl
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from wallet import __version__, bounded_json
from wallet.playground.errors import TxRejected
from wallet.playground.mempool import MIN_RELAY_FEERATE
from wallet.playground.misbehave import OVERSIZED_DEFAULT, pad_json, tamper_raw, wrong_txid
from wallet.playground.proofs import header_proof
from wallet.playground.traffic import Traffic

if TYPE_CHECKING:
    from wallet.playground.service import Playground

PROTOCOL_MIN = (1, 4)
PROTOCOL_MAX = (1, 4, 2)
SERVER_VERSION = f"Paylight-playground {__version__}"
MAX_LINE = 1_000_000
MAX_HEADERS = 2016
BAD_REQUEST = 1
PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS = -32700, -32600, -32601, -32602
INTERNAL_ERROR = -32603


class RPCError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _version_text(v: tuple[int, ...]) -> str:
    return ".".join(map(str, v))


def _parse_version(value: Any) -> tuple[int, ...]:
    if not isinstance(value, str):
        raise RPCError(INVALID_PARAMS, 'a protocol version is a string such as "1.4"')
    try:
        parts = tuple(int(p) for p in value.split("."))
    except ValueError:
        raise RPCError(INVALID_PARAMS, f"invalid protocol version {value!r}") from None
    if len(parts) < 2:
        raise RPCError(INVALID_PARAMS, f"invalid protocol version {value!r}")
    return parts


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RPCError(INVALID_PARAMS, f"{name} should be a non-negative integer, got {value!r}")
    return value


def _bool(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise RPCError(INVALID_PARAMS, f"{name} should be true or false, got {value!r}")
    return value


def _hash(value: Any, name: str) -> bytes:
    """A 64-hex-digit hash, returned in internal byte order (reversed display hex)."""
    if not isinstance(value, str) or len(value) != 64:
        raise RPCError(INVALID_PARAMS, f"{name} should be a 64-character hex string")
    try:
        return bytes.fromhex(value)[::-1]
    except ValueError:
        raise RPCError(INVALID_PARAMS, f"{name} should be a 64-character hex string") from None


def _scripthash(value: Any) -> bytes:
    """An Electrum script hash (reversed sha256 hex) as raw sha256 bytes."""
    return _hash(value, "scripthash")


class Session:
    """One client connection: its negotiated version and subscriptions."""

    def __init__(self, server: ElectrumServer, reader: asyncio.StreamReader, writer) -> None:
        self.server = server
        self.pg = server.pg
        self.reader = reader
        self.writer = writer
        self.version: tuple[int, ...] | None = None
        self.headers_subscribed = False
        self.last_tip: tuple[int, str] | None = None
        self.scripthashes: dict[bytes, str | None] = {}
        self.answered = 0
        self.closing = False
        self.close_after_reply = False
        self._write_lock = asyncio.Lock()

    # -- transport ------------------------------------------------------------------------------

    async def send(self, message: Any) -> None:
        data = json.dumps(message, separators=(",", ":")).encode() + b"\n"
        await self.send_raw(data)

    async def send_raw(self, data: bytes) -> None:
        if self.closing:
            return
        async with self._write_lock:
            self.server.traffic.bytes_out += len(data)
            try:
                self.writer.write(data)
                await self.writer.drain()
            except (ConnectionError, RuntimeError):
                self.closing = True

    async def run(self) -> None:
        try:
            while not self.closing:
                try:
                    line = await self.reader.readuntil(b"\n")
                except asyncio.IncompleteReadError:
                    break
                except asyncio.LimitOverrunError:
                    await self.send(_error(None, INVALID_REQUEST, f"request over {MAX_LINE} bytes"))
                    break
                if not line.strip():
                    continue
                await self.handle_line(line)
        except (ConnectionError, _ssl.SSLError):
            pass
        finally:
            self.closing = True
            self.writer.close()
            with contextlib.suppress(Exception):
                await self.writer.wait_closed()

    async def handle_line(self, line: bytes) -> None:
        self.server.traffic.messages += 1
        self.server.traffic.bytes_in += len(line)
        mis = self.pg.misbehavior
        drop = mis.get("drop", "electrum")
        if drop is not None and self.answered >= int(drop.get("after", 0)):
            self.closing = True
            return
        slow = mis.get("slow", "electrum")
        if slow is not None:
            await asyncio.sleep(float(slow.get("delay", 3.0)))
        try:
            request = bounded_json.loads(line, max_bytes=len(line))
        except ValueError:
            await self.send(_error(None, PARSE_ERROR, "invalid JSON"))
            return
        if isinstance(request, list):
            if not request:
                await self.send(_error(None, INVALID_REQUEST, "empty batch"))
                return
            replies = [r for r in [await self.handle_request(item) for item in request] if r]
            if replies:
                await self.reply(replies)
        else:
            reply = await self.handle_request(request)
            if reply is not None:
                await self.reply(reply)
        if self.close_after_reply:
            self.closing = True

    async def reply(self, message: Any) -> None:
        self.answered += 1
        if self.pg.misbehavior.get("malformed-json", "electrum") is not None:
            text = json.dumps(message, separators=(",", ":"))
            await self.send_raw(text[: max(1, len(text) // 2)].encode() + b"\n")
            return
        oversized = self.pg.misbehavior.get("oversized", "electrum")
        if oversized is not None:
            text = json.dumps(message, separators=(",", ":")).encode()
            size = int(oversized.get("size", OVERSIZED_DEFAULT))
            await self.send_raw(pad_json(text, size) + b"\n")
            return
        await self.send(message)

    # -- dispatch -------------------------------------------------------------------------------

    async def handle_request(self, request: Any) -> dict | None:
        if not isinstance(request, dict):
            return _error(None, INVALID_REQUEST, "a request is a JSON object")
        req_id = request.get("id")
        if isinstance(req_id, dict | list | bool):
            return _error(None, INVALID_REQUEST, "the request id must be a string, number or null")
        method = request.get("method")
        if not isinstance(method, str):
            return _error(req_id, INVALID_REQUEST, "the request has no method name")
        params = request.get("params", [])
        if not isinstance(params, list | dict):
            return _error(req_id, INVALID_REQUEST, "params must be an array or an object")
        handler = self.server.handlers.get(method)
        self.server.traffic.requests[method if handler is not None else "unknown"] += 1
        if handler is None:
            return _error(req_id, METHOD_NOT_FOUND, f"unknown method {method!r}")
        if method in _HISTORY_METHODS and self.pg.misbehavior.get("stall-history", "electrum"):
            return None  # stall-history: never answered
        try:
            result = await self.call(handler, params)
        except RPCError as exc:
            if "id" not in request:
                return None
            return _error(req_id, exc.code, exc.message)
        except Exception as exc:  # a bug must not kill the server
            return _error(req_id, INTERNAL_ERROR, f"internal error: {exc}")
        if "id" not in request:
            return None  # a notification gets no reply
        return {"jsonrpc": "2.0", "id": req_id, "result": result}

    async def call(self, handler: Callable[..., Any], params: list | dict) -> Any:
        signature = inspect.signature(handler)
        try:
            if isinstance(params, dict):
                bound = signature.bind(self, **params)
            else:
                bound = signature.bind(self, *params)
        except TypeError as exc:
            raise RPCError(INVALID_PARAMS, f"invalid parameters: {exc}") from None
        result = handler(*bound.args, **bound.kwargs)
        if inspect.isawaitable(result):
            result = await result
        return result

    # -- notifications --------------------------------------------------------------------------

    async def notify(self) -> None:
        if self.closing:
            return
        messages = []
        with self.pg.lock:
            if not self.pg._started:
                return
            ledger = self.pg.ledger
            if self.headers_subscribed:
                height = ledger.chain.height
                header = ledger.header(height, "electrum").hex()
                if self.last_tip != (height, header):
                    self.last_tip = (height, header)
                    messages.append(
                        _notification(
                            "blockchain.headers.subscribe", [{"hex": header, "height": height}]
                        )
                    )
            for sh, last in list(self.scripthashes.items()):
                status = ledger.status(ledger.history(sh, "electrum"))
                if status != last:
                    self.scripthashes[sh] = status
                    messages.append(
                        _notification("blockchain.scripthash.subscribe", [sh[::-1].hex(), status])
                    )
        for message in messages:
            await self.send(message)


_HISTORY_METHODS = frozenset(
    {
        "blockchain.scripthash.get_history",
        "blockchain.scripthash.get_mempool",
        "blockchain.scripthash.listunspent",
    }
)


def _error(req_id: Any, code: int, message: str) -> dict:
    return {"jsonrpc": "2.0", "id": req_id, "error": {"code": code, "message": message}}


def _notification(method: str, params: list) -> dict:
    return {"jsonrpc": "2.0", "method": method, "params": params}


# -- methods (each takes the session first; positional parameters as the protocol names them) ---


def server_version(s: Session, client_name: Any = "", protocol_version: Any = "1.4", *_: Any):
    if s.version is not None:
        raise RPCError(BAD_REQUEST, "server.version already sent")
    if isinstance(protocol_version, list) and len(protocol_version) == 2:
        client_min, client_max = (_parse_version(v) for v in protocol_version)
    else:
        client_min = client_max = _parse_version(protocol_version)
    chosen = min(client_max, PROTOCOL_MAX)
    if chosen < max(client_min, PROTOCOL_MIN):
        s.close_after_reply = True
        raise RPCError(
            BAD_REQUEST,
            f"unsupported protocol version: this server speaks {_version_text(PROTOCOL_MIN)} "
            f"to {_version_text(PROTOCOL_MAX)}",
        )
    s.version = chosen
    return [SERVER_VERSION, _version_text(chosen)]


def server_features(s: Session):
    servers = s.pg._servers
    tls = servers.get("tls")
    return {
        "genesis_hash": s.pg.network.genesis_hash,
        "hosts": {
            s.pg.host: {
                "tcp_port": servers["electrum"].port,
                "ssl_port": tls.port if tls is not None else None,
            }
        },
        "protocol_max": _version_text(PROTOCOL_MAX),
        "protocol_min": _version_text(PROTOCOL_MIN),
        "pruning": None,
        "server_version": SERVER_VERSION,
        "hash_function": "sha256",
    }


def server_banner(s: Session):
    return s.pg.banner


def server_donation_address(s: Session):
    return s.pg.faucet_address


def server_ping(s: Session):
    return None


def server_peers_subscribe(s: Session):
    return []


def headers_subscribe(s: Session):
    with s.pg.lock:
        height = s.pg.chain.height
        header = s.pg.ledger.header(height, "electrum").hex()
    s.headers_subscribed = True
    s.last_tip = (height, header)
    return {"hex": header, "height": height}


def _check_cp(s: Session, last: int, cp_height: int) -> None:
    if cp_height and last > cp_height:
        raise RPCError(BAD_REQUEST, f"header height {last} is above cp_height {cp_height}")
    if cp_height > s.pg.chain.height:
        raise RPCError(
            BAD_REQUEST, f"cp_height {cp_height} is above the chain height {s.pg.chain.height}"
        )


def _cp_proof(s: Session, height: int, cp_height: int) -> dict:
    ledger = s.pg.ledger
    hashes = [ledger.block_hash(h, "electrum") for h in range(cp_height + 1)]
    branch, root = header_proof(hashes, height)
    return {"branch": [h[::-1].hex() for h in branch], "root": root[::-1].hex()}


def block_header(s: Session, height: Any, cp_height: Any = 0):
    height, cp_height = _int(height, "height"), _int(cp_height, "cp_height")
    with s.pg.lock:
        if height > s.pg.chain.height:
            raise RPCError(BAD_REQUEST, f"height {height} is above the chain tip")
        _check_cp(s, height, cp_height)
        header = s.pg.ledger.header(height, "electrum").hex()
        if not cp_height:
            return header
        return {**_cp_proof(s, height, cp_height), "header": header}


def block_headers(s: Session, start_height: Any, count: Any, cp_height: Any = 0):
    start, count = _int(start_height, "start_height"), _int(count, "count")
    cp_height = _int(cp_height, "cp_height")
    with s.pg.lock:
        headers = s.pg.ledger.headers(start, min(count, MAX_HEADERS), "electrum")
        result: dict[str, Any] = {
            "count": len(headers),
            "hex": b"".join(headers).hex(),
            "max": MAX_HEADERS,
        }
        if cp_height and headers:
            last = start + len(headers) - 1
            _check_cp(s, last, cp_height)
            result.update(_cp_proof(s, last, cp_height))
        return result


def estimatefee(s: Session, number: Any, mode: Any = None):
    target = _int(number, "number")
    with s.pg.lock:
        rate = s.pg.ledger.fee_estimate(max(target, 1))
    return round(rate * 1000 / 1e8, 8)


def relayfee(s: Session):
    return round(MIN_RELAY_FEERATE * 1000 / 1e8, 8)


def sh_get_balance(s: Session, scripthash: Any):
    sh = _scripthash(scripthash)
    with s.pg.lock:
        confirmed, unconfirmed = s.pg.ledger.balance(sh)
    return {"confirmed": confirmed, "unconfirmed": unconfirmed}


def _history_json(items) -> list[dict]:
    out = []
    for item in items:
        row: dict[str, Any] = {"tx_hash": item.txid_hex, "height": item.height}
        if item.fee is not None:
            row["fee"] = item.fee
        out.append(row)
    return out


def sh_get_history(s: Session, scripthash: Any):
    sh = _scripthash(scripthash)
    with s.pg.lock:
        return _history_json(s.pg.ledger.history(sh, "electrum"))


def sh_get_mempool(s: Session, scripthash: Any):
    sh = _scripthash(scripthash)
    with s.pg.lock:
        items = s.pg.ledger.history(sh, "electrum")
    return _history_json([i for i in items if i.fee is not None])


def sh_listunspent(s: Session, scripthash: Any):
    sh = _scripthash(scripthash)
    with s.pg.lock:
        return [
            {
                "tx_pos": u.outpoint.vout,
                "value": u.value,
                "tx_hash": u.outpoint.txid_hex,
                "height": u.height,
            }
            for u in s.pg.ledger.unspent(sh, "electrum")
        ]


def sh_subscribe(s: Session, scripthash: Any):
    sh = _scripthash(scripthash)
    with s.pg.lock:
        status = s.pg.ledger.status(s.pg.ledger.history(sh, "electrum"))
    s.scripthashes[sh] = status
    return status


def sh_unsubscribe(s: Session, scripthash: Any):
    sh = _scripthash(scripthash)
    return s.scripthashes.pop(sh, 0) != 0


def tx_get(s: Session, tx_hash: Any, verbose: Any = False):
    txid = _hash(tx_hash, "tx_hash")
    verbose = _bool(verbose, "verbose")
    from wallet.playground.formats import bitcoind_tx

    with s.pg.lock:
        found = s.pg.ledger.find_tx(txid, "electrum")
        if found is None:
            raise RPCError(BAD_REQUEST, f"no transaction {tx_hash} in the chain or the mempool")
        if not verbose:
            if s.pg.misbehavior.get("wrong-raw", "electrum") is not None:
                return tamper_raw(found.entry.raw).hex()
            return found.entry.raw.hex()
        return bitcoind_tx(found.entry, found.block, s.pg.chain.height)


def tx_get_merkle(s: Session, tx_hash: Any, height: Any):
    txid = _hash(tx_hash, "tx_hash")
    height = _int(height, "height")
    with s.pg.lock:
        entry = s.pg.chain.tx_index.get(txid)
        if entry is None or entry.height != height:
            raise RPCError(BAD_REQUEST, f"tx {tx_hash} is not in the block at height {height}")
        block = s.pg.chain.blocks[height]
        branch = s.pg.ledger.branch(block, entry.pos, "electrum")
        return {
            "block_height": height,
            "merkle": [h[::-1].hex() for h in branch],
            "pos": s.pg.ledger.position(block, entry.pos, "electrum"),
        }


def tx_id_from_pos(s: Session, height: Any, tx_pos: Any, merkle: Any = False):
    height, tx_pos = _int(height, "height"), _int(tx_pos, "tx_pos")
    merkle = _bool(merkle, "merkle")
    with s.pg.lock:
        if height > s.pg.chain.height:
            raise RPCError(BAD_REQUEST, f"no block at height {height}")
        block = s.pg.chain.blocks[height]
        if tx_pos >= len(block.txs):
            raise RPCError(BAD_REQUEST, f"no tx at position {tx_pos} in block {height}")
        txid = block.txs[tx_pos].txid
        branch = None
        if tx_pos == 0:
            txid, branch = s.pg.ledger.coinbase_claim(block, "electrum")
        if not merkle:
            return txid[::-1].hex()
        if branch is None:
            branch = s.pg.ledger.branch(block, tx_pos, "electrum")
        return {"tx_hash": txid[::-1].hex(), "merkle": [h[::-1].hex() for h in branch]}


async def tx_broadcast(s: Session, raw_tx: Any):
    if not isinstance(raw_tx, str):
        raise RPCError(INVALID_PARAMS, "raw_tx should be a hex string")
    try:
        raw = bytes.fromhex(raw_tx)
    except ValueError:
        raise RPCError(BAD_REQUEST, "raw_tx is not valid hex") from None
    if s.pg.misbehavior.get("wrong-txid", "electrum") is not None:
        lie = wrong_txid(raw)
        if lie is not None:
            return lie
    loop = asyncio.get_running_loop()
    try:
        return await loop.run_in_executor(None, s.pg.broadcast, raw)
    except TxRejected as exc:
        detail = f"{exc.reason}" + (f" ({exc.detail})" if exc.detail else "")
        raise RPCError(
            BAD_REQUEST, f"the transaction was rejected by network rules.\n\n{detail}\n[{raw_tx}]"
        ) from None


def fee_histogram(s: Session):
    with s.pg.lock:
        return s.pg.ledger.fee_histogram()


HANDLERS: dict[str, Callable[..., Any]] = {
    "server.version": server_version,
    "server.features": server_features,
    "server.banner": server_banner,
    "server.donation_address": server_donation_address,
    "server.ping": server_ping,
    "server.peers.subscribe": server_peers_subscribe,
    "blockchain.headers.subscribe": headers_subscribe,
    "blockchain.block.header": block_header,
    "blockchain.block.headers": block_headers,
    "blockchain.estimatefee": estimatefee,
    "blockchain.relayfee": relayfee,
    "blockchain.scripthash.get_balance": sh_get_balance,
    "blockchain.scripthash.get_history": sh_get_history,
    "blockchain.scripthash.get_mempool": sh_get_mempool,
    "blockchain.scripthash.listunspent": sh_listunspent,
    "blockchain.scripthash.subscribe": sh_subscribe,
    "blockchain.scripthash.unsubscribe": sh_unsubscribe,
    "blockchain.transaction.get": tx_get,
    "blockchain.transaction.get_merkle": tx_get_merkle,
    "blockchain.transaction.id_from_pos": tx_id_from_pos,
    "blockchain.transaction.broadcast": tx_broadcast,
    "mempool.get_fee_histogram": fee_histogram,
}


class ElectrumServer:
    def __init__(
        self, pg: Playground, host: str, port: int, ssl: _ssl.SSLContext | None = None
    ) -> None:
        self.pg = pg
        self.host = host
        self.requested_port = port
        self.ssl = ssl
        self.handlers = HANDLERS
        self.sessions: set[Session] = set()
        self.traffic = Traffic()
        self._server: asyncio.base_events.Server | None = None
        self.port = 0

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._client, self.host, self.requested_port, ssl=self.ssl, limit=MAX_LINE
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def _client(self, reader: asyncio.StreamReader, writer) -> None:
        session = Session(self, reader, writer)
        self.sessions.add(session)
        self.traffic.connections += 1
        try:
            await session.run()
        finally:
            self.sessions.discard(session)

    async def notify_all(self) -> None:
        for session in list(self.sessions):
            with contextlib.suppress(Exception):
                await session.notify()

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            for session in list(self.sessions):
                session.closing = True
                session.writer.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 5)
