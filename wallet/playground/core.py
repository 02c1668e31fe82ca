"""Bitcoin Core's HTTP interfaces on the playground's chain: the REST API and JSON-RPC.

One port, as ``bitcoind`` serves both on its RPC port: ``GET /rest/...`` without credentials
(when REST is on, as with ``-rest=1``) and ``POST /`` JSON-RPC 1.0/2.0 with HTTP basic auth, by
the cookie Core writes (``<datadir>/regtest/.cookie``, ``__cookie__:<hex>``) or a user and
password. Answers, status codes and error codes follow Core (``src/rest.cpp``,
``src/httprpc.cpp``, ``src/rpc/*.cpp``); the JSON comes from :mod:`core_formats`. The node acts as
if started with ``-txindex=1``, ``-txospenderindex=1`` and ``-blockfilterindex=1``;
:meth:`CoreServer.configure` turns REST or the filter index off to show what a client then hears.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hmac
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from wallet import __version__, bounded_json
from wallet.bitcoin.serialize import encode_varint
from wallet.bitcoin.transaction import OutPoint
from wallet.playground.chain import BlockRecord, TxEntry
from wallet.playground.core_formats import Amount, CoreView, difficulty, dumps
from wallet.playground.errors import TxRejected
from wallet.playground.mempool import INCREMENTAL_RELAY_FEERATE, MIN_RELAY_FEERATE, MempoolEntry
from wallet.playground.traffic import Traffic

if TYPE_CHECKING:
    from wallet.playground.service import Playground

MAX_HEAD = 16 * 1024
MAX_BODY = 32 * 1024 * 1024
MAX_REST_HEADERS = 2000
COOKIE_USER = "__cookie__"
REASONS = {
    200: "OK",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Bad Method",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
#: Core's version as ``getnetworkinfo`` reports it. The playground mimics a recent release, 31.0:
#: the first with ``-txospenderindex`` and confirmed spends in ``gettxspendingprevout``, which
#: indexers such as ElectrumX 2 require.
CORE_VERSION = 310000
SUBVERSION = f"/Satoshi:31.0.0/Paylight-playground:{__version__}/"
PROTOCOL_VERSION = 70016
#: NODE_NETWORK | NODE_WITNESS | NODE_COMPACT_FILTERS | NODE_NETWORK_LIMITED | NODE_P2P_V2
LOCAL_SERVICES = 0x0C49
SERVICE_NAMES = ["NETWORK", "WITNESS", "COMPACT_FILTERS", "NETWORK_LIMITED", "P2P_V2"]

# JSON-RPC error codes (src/rpc/protocol.h)
RPC_INVALID_REQUEST = -32600
RPC_METHOD_NOT_FOUND = -32601
RPC_PARSE_ERROR = -32700
RPC_MISC_ERROR = -1
RPC_TYPE_ERROR = -3
RPC_INVALID_ADDRESS_OR_KEY = -5
RPC_INVALID_PARAMETER = -8
RPC_DESERIALIZATION_ERROR = -22
RPC_VERIFY_ERROR = -25
RPC_VERIFY_REJECTED = -26
RPC_VERIFY_ALREADY_IN_UTXO_SET = -27

BLOCKFILTER_OFF = "Index is not enabled for filtertype basic"


class RPCError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "text/plain"
    headers: tuple[tuple[str, str], ...] = ()


def _rest_error(status: int, message: str) -> Reply:
    return Reply(status, (message + "\r\n").encode())


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _expect(value: Any, kind: str) -> None:
    if _json_type(value) != kind:
        raise RPCError(
            RPC_TYPE_ERROR, f"JSON value of type {_json_type(value)} is not of expected type {kind}"
        )


def _hash_param(value: Any, name: str) -> bytes:
    """Core's ``ParseHashV``: 64 hex digits, in display order; returns internal order."""
    _expect(value, "string")
    if len(value) != 64:
        raise RPCError(
            RPC_INVALID_PARAMETER, f"{name} must be of length 64 (not {len(value)}, for '{value}')"
        )
    if not re.fullmatch(r"[0-9a-fA-F]{64}", value):
        raise RPCError(RPC_INVALID_PARAMETER, f"{name} must be hexadecimal string (not '{value}')")
    return bytes.fromhex(value)[::-1]


def _check_object(obj: dict[str, Any], types: dict[str, str], allow_null: bool) -> None:
    """Core's ``RPCTypeCheckObj`` with ``fStrict``: the listed keys' types, no other keys."""
    for key, kind in types.items():
        value = obj.get(key)
        if value is None and allow_null:
            continue
        if value is None and key not in obj:
            raise RPCError(RPC_TYPE_ERROR, f"Missing {key}")
        if _json_type(value) != kind:
            raise RPCError(
                RPC_TYPE_ERROR,
                f"JSON value of type {_json_type(value)} for field {key} is not of expected "
                f"type {kind}",
            )
    for key in obj:
        if key not in types:
            raise RPCError(RPC_TYPE_ERROR, f"Unexpected key {key}")


def _int_param(value: Any) -> int:
    _expect(value, "number")
    if isinstance(value, float) and not value.is_integer():
        raise RPCError(RPC_TYPE_ERROR, "JSON integer out of range")
    return int(value)


def _bool_param(value: Any) -> bool:
    _expect(value, "bool")
    return bool(value)


def _verbosity(value: Any, default: int) -> int:
    """Core's ``ParseVerbosity`` with ``allow_bool``: true is 1, false 0."""
    if value is None:
        return default
    if isinstance(value, bool):
        return int(value)
    return _int_param(value)


def _hash_text(text: str) -> bytes | None:
    if not re.fullmatch(r"[0-9a-fA-F]{64}", text):
        return None
    return bytes.fromhex(text)[::-1]


#: method -> parameter names (for named arguments and arity)
PARAMS: dict[str, tuple[str, ...]] = {
    "getblockchaininfo": (),
    "getnetworkinfo": (),
    "getblockcount": (),
    "getbestblockhash": (),
    "getblockhash": ("height",),
    "getblockheader": ("blockhash", "verbose"),
    "getblock": ("blockhash", "verbosity"),
    "getrawtransaction": ("txid", "verbosity", "blockhash"),
    "getrawmempool": ("verbose", "mempool_sequence"),
    "getmempoolinfo": (),
    "getmempoolentry": ("txid",),
    "sendrawtransaction": ("hexstring", "maxfeerate", "maxburnamount"),
    "estimatesmartfee": ("conf_target", "estimate_mode"),
    "getblockfilter": ("blockhash", "filtertype"),
    "getindexinfo": ("index_name",),
    "gettxspendingprevout": ("outputs", "options"),
    "getzmqnotifications": (),
    "uptime": (),
}
REQUIRED = {
    "getblockhash": 1,
    "getblockheader": 1,
    "getblock": 1,
    "getrawtransaction": 1,
    "getmempoolentry": 1,
    "sendrawtransaction": 1,
    "estimatesmartfee": 1,
    "getblockfilter": 1,
    "gettxspendingprevout": 1,
}
#: options objects whose keys may also be passed as named parameters (Core's OBJ_NAMED_PARAMS)
NAMED_OPTIONS = {"gettxspendingprevout": ("options", ("mempool_only", "return_spending_tx"))}
ALIASES = {"verbose": "verbosity"}


def _traffic_kind(target: str) -> str:
    """What a request is counted as: ``rest/<route>`` (``rest/blockfilter``, ...) or ``rpc``."""
    path = target.partition("?")[0]
    if path.startswith("/rest/"):
        return "rest/" + path[len("/rest/") :].split("/", 1)[0].split(".", 1)[0]
    return "rpc" if path == "/" or path.startswith("/wallet/") else "other"


class CoreServer:
    def __init__(
        self,
        pg: Playground,
        host: str,
        port: int,
        *,
        datadir: Path,
        user: str | None = None,
        password: str | None = None,
    ) -> None:
        self.pg = pg
        self.host = host
        self.requested_port = port
        self.port = 0
        self.datadir = Path(datadir)
        self.user = user
        self.password = password
        self.rest = True
        self.blockfilterindex = True
        self.cookie = ""
        self.started_at = 0.0
        #: every request as (method, path, authorised) — what a client asked, for tests
        self.requests: list[tuple[str, str, bool]] = []
        #: HTTP requests by kind (``rest/<route>``, ``rpc``), bytes each way (sent by kind too)
        self.traffic = Traffic()
        self._server: asyncio.base_events.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self.view = CoreView(pg.chain, pg.stale)

    @property
    def cookie_path(self) -> Path:
        return self.datadir / "regtest" / ".cookie"

    def configure(self, *, rest: bool | None = None, blockfilterindex: bool | None = None) -> None:
        """What ``-rest`` and ``-blockfilterindex`` would be had the node started with them."""
        if rest is not None:
            self.rest = rest
        if blockfilterindex is not None:
            self.blockfilterindex = blockfilterindex

    async def start(self) -> None:
        import time

        self._server = await asyncio.start_server(
            self._client, self.host, self.requested_port, limit=MAX_HEAD
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self.started_at = time.time()
        # like bitcoind: a fresh random cookie each start, readable by the owner only
        self.cookie = os.urandom(32).hex()
        path = self.cookie_path
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(f"{COOKIE_USER}:{self.cookie}")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)

    async def close(self) -> None:
        with contextlib.suppress(OSError):
            self.cookie_path.unlink()
        if self._server is not None:
            self._server.close()
            for writer in list(self._writers):
                writer.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 5)

    # -- HTTP -----------------------------------------------------------------------------------

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        self.traffic.connections += 1
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                    break
                parsed = self._parse_head(head)
                if parsed is None:
                    await self._send(writer, Reply(400), False)
                    break
                method, target, headers, keep_alive, length = parsed
                if length > MAX_BODY:
                    await self._send(writer, Reply(413), False)
                    break
                body = await reader.readexactly(length) if length else b""
                reply = await self._respond(method, target, headers, body)
                sent = await self._send(writer, reply, keep_alive)
                kind = _traffic_kind(target)
                self.traffic.messages += 1
                self.traffic.requests[kind] += 1
                self.traffic.bytes_in += len(head) + length
                self.traffic.bytes_out += sent
                self.traffic.sent[kind] += sent
                if not keep_alive:
                    break
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    @staticmethod
    def _parse_head(head: bytes) -> tuple[str, str, dict[str, str], bool, int] | None:
        try:
            lines = head.decode("latin-1").split("\r\n")
            method, target, version = lines[0].split(" ")
            headers = {}
            for line in lines[1:]:
                if line:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length", "0"))
        except ValueError:
            return None
        if length < 0 or not version.startswith("HTTP/1."):
            return None
        connection = headers.get("connection", "").lower()
        keep_alive = connection != "close" if version == "HTTP/1.1" else connection == "keep-alive"
        return method.upper(), target, headers, keep_alive, length

    async def _send(self, writer: asyncio.StreamWriter, r: Reply, keep_alive: bool) -> int:
        lines = [f"HTTP/1.1 {r.status} {REASONS.get(r.status, 'Error')}"]
        if r.status != 204:
            lines.append(f"Content-Type: {r.content_type}")
            lines.append(f"Content-Length: {len(r.body)}")
        lines += [f"{k}: {v}" for k, v in r.headers]
        lines.append(f"Connection: {'keep-alive' if keep_alive else 'close'}")
        data = ("\r\n".join(lines) + "\r\n\r\n").encode() + r.body
        writer.write(data)
        await writer.drain()
        return len(data)

    async def _respond(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> Reply:
        path, _, query = target.partition("?")
        if path.startswith("/rest/"):
            self.requests.append((method, path, True))
            if not self.rest:
                return Reply(404)  # no handler is registered for /rest/ without -rest
            if method not in ("GET", "HEAD"):
                return Reply(405)
            with self.pg.lock:
                if not self.pg._started:
                    return _rest_error(503, "Service temporarily unavailable: shutting down")
                try:
                    return self._rest(path[len("/rest/") :], query)
                except Exception as exc:  # a bug must not take the server down
                    return _rest_error(500, f"internal error: {exc}")
        if path == "/" or path.startswith("/wallet/"):
            authorised = self._authorised(headers.get("authorization", ""))
            self.requests.append((method, path, authorised))
            if not authorised:
                return Reply(401, headers=(("WWW-Authenticate", 'Basic realm="jsonrpc"'),))
            if method != "POST":
                return Reply(405, b"JSONRPC server handles only POST requests")
            return await self._jsonrpc(body)
        self.requests.append((method, path, False))
        return Reply(404)

    def _authorised(self, header: str) -> bool:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            user, sep, password = base64.b64decode(token.strip()).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        if not sep:
            return False
        ok = hmac.compare_digest(f"{user}:{password}", f"{COOKIE_USER}:{self.cookie}")
        if self.user is not None and self.password is not None:
            ok |= hmac.compare_digest(f"{user}:{password}", f"{self.user}:{self.password}")
        return ok

    # -- JSON-RPC -------------------------------------------------------------------------------

    async def _jsonrpc(self, body: bytes) -> Reply:
        try:
            request = bounded_json.loads(body, max_bytes=len(body))
        except ValueError:
            error = {"result": None, "error": {"code": RPC_PARSE_ERROR, "message": "Parse error"}}
            return Reply(500, (dumps({**error, "id": None}) + "\n").encode(), "application/json")
        if isinstance(request, list):
            out = []
            for item in request:
                answer, _status = await self._one(item)
                if answer is not None:
                    out.append(answer)
            return Reply(200, (dumps(out) + "\n").encode(), "application/json")
        if not isinstance(request, dict):
            answer = self._error_object(
                RPC_PARSE_ERROR, "Top-level object parse error", None, False
            )
            return Reply(500, (dumps(answer) + "\n").encode(), "application/json")
        answer, status = await self._one(request)
        if answer is None:
            return Reply(204)
        return Reply(status, (dumps(answer) + "\n").encode(), "application/json")

    @staticmethod
    def _error_object(code: int, message: str, req_id: Any, v2: bool | int) -> dict[str, Any]:
        error = {"code": code, "message": message}
        if v2:
            return {"jsonrpc": "2.0", "error": error, "id": req_id}
        return {"result": None, "error": error, "id": req_id}

    async def _one(self, request: Any) -> tuple[dict[str, Any] | None, int]:
        """(reply object or None for a 2.0 notification, HTTP status for a lone request)."""
        if not isinstance(request, dict):
            answer = self._error_object(RPC_INVALID_REQUEST, "Invalid Request object", None, False)
            return answer, 400
        v2 = request.get("jsonrpc") == "2.0"
        req_id = request.get("id")
        notification = v2 and "id" not in request
        try:
            method = request.get("method")
            if not isinstance(method, str):
                raise RPCError(RPC_INVALID_REQUEST, "Method must be a string")
            params = request.get("params", [])
            if params is None:
                params = []
            if not isinstance(params, list | dict):
                raise RPCError(RPC_INVALID_REQUEST, "Params must be an array or object")
            result = await self._call(method, params)
        except RPCError as err:
            if notification:
                return None, 204
            status = 200 if v2 else 500
            if not v2 and err.code == RPC_INVALID_REQUEST:
                status = 400
            elif not v2 and err.code == RPC_METHOD_NOT_FOUND:
                status = 404
            return self._error_object(err.code, err.message, req_id, v2), status
        if notification:
            return None, 204
        if v2:
            return {"jsonrpc": "2.0", "result": result, "id": req_id}, 200
        return {"result": result, "error": None, "id": req_id}, 200

    def _positional(self, method: str, params: list[Any] | dict[str, Any]) -> list[Any]:
        names = PARAMS[method]
        if isinstance(params, dict):
            args: list[Any] = [None] * len(names)
            options_name, option_keys = NAMED_OPTIONS.get(method, ("", ()))
            for key, value in params.items():
                if key in option_keys:  # Core's OBJ_NAMED_PARAMS: an option passed by name
                    slot = names.index(options_name)
                    args[slot] = {**(args[slot] or {}), key: value}
                    continue
                name = ALIASES.get(key, key) if ALIASES.get(key, key) in names else key
                if name not in names:
                    raise RPCError(RPC_INVALID_PARAMETER, f"Unknown named parameter {key}")
                args[names.index(name)] = value
            while args and args[-1] is None:
                args.pop()
        else:
            args = list(params)
        needed = REQUIRED.get(method, 0)
        if len(args) > len(names) or len(args) < needed or any(a is None for a in args[:needed]):
            usage = " ".join([method, *(f'"{n}"' for n in names)])
            raise RPCError(RPC_MISC_ERROR, f"{usage}\n\nWrong number or type of arguments.")
        return args + [None] * (len(names) - len(args))

    async def _call(self, method: str, params: list[Any] | dict[str, Any]) -> Any:
        handler: Callable[..., Any] | None = getattr(self, f"rpc_{method}", None)
        if method not in PARAMS or handler is None:
            raise RPCError(RPC_METHOD_NOT_FOUND, "Method not found")
        args = self._positional(method, params)
        if method == "sendrawtransaction":
            return await self.rpc_sendrawtransaction(*args)
        with self.pg.lock:
            if not self.pg._started:
                raise RPCError(-28, "Shutting down")
            return handler(*args)

    # -- RPC methods: blockchain ----------------------------------------------------------------

    def _block(self, block_hash: bytes) -> BlockRecord:
        record = self.view.record(block_hash)
        if record is None:
            raise RPCError(RPC_INVALID_ADDRESS_OR_KEY, "Block not found")
        return record

    def chaininfo(self) -> dict[str, Any]:
        chain = self.pg.chain
        tip = chain.tip
        bits = int.from_bytes(tip.header[72:76], "little")
        from wallet.playground.blocks import bits_to_target

        return {
            "chain": "regtest",
            "blocks": chain.height,
            "headers": chain.height,
            "bestblockhash": tip.hash_hex,
            "bits": f"{bits:08x}",
            "target": f"{bits_to_target(bits):064x}",
            "difficulty": difficulty(bits),
            "time": tip.time,
            "mediantime": chain.mtp(),
            "verificationprogress": 1,
            "initialblockdownload": False,
            "chainwork": f"{self.view.chainwork(tip):064x}",
            "size_on_disk": sum(b.size for b in chain.blocks),
            "pruned": False,
            "warnings": [],
        }

    def rpc_getblockchaininfo(self) -> dict[str, Any]:
        return self.chaininfo()

    def rpc_getnetworkinfo(self) -> dict[str, Any]:
        listeners = len(getattr(self.pg, "p2p_listeners", []))
        networks = [
            {
                "name": name,
                "limited": name not in ("ipv4", "ipv6"),
                "reachable": name in ("ipv4", "ipv6"),
                "proxy": "",
                "proxy_randomize_credentials": False,
            }
            for name in ("ipv4", "ipv6", "onion", "i2p", "cjdns")
        ]
        return {
            "version": CORE_VERSION,
            "subversion": SUBVERSION,
            "protocolversion": PROTOCOL_VERSION,
            "localservices": f"{LOCAL_SERVICES:016x}",
            "localservicesnames": SERVICE_NAMES,
            "localrelay": True,
            "timeoffset": 0,
            "networkactive": True,
            "connections": listeners,
            "connections_in": listeners,
            "connections_out": 0,
            "networks": networks,
            "relayfee": Amount(int(MIN_RELAY_FEERATE * 1000)),
            "incrementalfee": Amount(int(INCREMENTAL_RELAY_FEERATE * 1000)),
            "localaddresses": [],
            "warnings": [],
        }

    def rpc_getblockcount(self) -> int:
        return self.pg.chain.height

    def rpc_getbestblockhash(self) -> str:
        return self.pg.chain.tip.hash_hex

    def rpc_getblockhash(self, height: Any) -> str:
        h = _int_param(height)
        chain = self.pg.chain
        if h < 0 or h > chain.height:
            raise RPCError(RPC_INVALID_PARAMETER, "Block height out of range")
        return chain.blocks[h].hash_hex

    def rpc_getblockheader(self, blockhash: Any, verbose: Any = None) -> Any:
        record = self._block(_hash_param(blockhash, "hash"))
        if verbose is not None and not _bool_param(verbose):
            return record.header.hex()
        return self.view.header_json(record)

    def rpc_getblock(self, blockhash: Any, verbosity: Any = None) -> Any:
        record = self._block(_hash_param(blockhash, "blockhash"))
        level = _verbosity(verbosity, 1)
        if level <= 0:
            return _block_raw(record).hex()
        return self.view.block_json(record, min(level, 3))

    def rpc_getblockfilter(self, blockhash: Any, filtertype: Any = None) -> dict[str, str]:
        block_hash = _hash_param(blockhash, "blockhash")
        kind = "basic" if filtertype is None else filtertype
        _expect(kind, "string")
        if kind != "basic":
            raise RPCError(RPC_INVALID_ADDRESS_OR_KEY, "Unknown filtertype")
        if not self.blockfilterindex:
            raise RPCError(RPC_MISC_ERROR, BLOCKFILTER_OFF)
        record = self._block(block_hash)
        if not self.view.in_active_chain(record):
            raise RPCError(
                RPC_INVALID_ADDRESS_OR_KEY,
                "Filter not found. Block was not connected to active chain.",
            )
        filters = self.pg.filters
        return {
            "filter": filters.filter(record).hex(),
            "header": filters.header(record.height)[::-1].hex(),
        }

    def rpc_getindexinfo(self, index_name: Any = None) -> dict[str, Any]:
        status = {"synced": True, "best_block_height": self.pg.chain.height}
        indexes = {"txindex": status, "txospenderindex": status}
        if self.blockfilterindex:
            indexes["basic block filter index"] = status
        if index_name is not None:
            _expect(index_name, "string")
            return {k: v for k, v in indexes.items() if k == index_name}
        return indexes

    def rpc_gettxspendingprevout(self, outputs: Any, options: Any = None) -> list[dict[str, Any]]:
        """The mempool's spender of each outpoint, else the confirmed one (``-txospenderindex``)."""
        _expect(outputs, "array")
        if not outputs:
            raise RPCError(RPC_INVALID_PARAMETER, "Invalid parameter, outputs are missing")
        opts = {} if options is None else options
        _expect(opts, "object")
        _check_object(opts, {"mempool_only": "bool", "return_spending_tx": "bool"}, True)
        mempool_only = bool(opts.get("mempool_only", False))
        return_tx = bool(opts.get("return_spending_tx", False))
        prevouts = []
        for item in outputs:
            _expect(item, "object")
            _check_object(item, {"txid": "string", "vout": "number"}, False)
            txid = _hash_param(item["txid"], "txid")
            vout = _int_param(item["vout"])
            if vout < 0:
                raise RPCError(RPC_INVALID_PARAMETER, "Invalid parameter, vout cannot be negative")
            prevouts.append((item, OutPoint(txid, vout)))
        chain, mempool = self.pg.chain, self.pg.mempool
        result = []
        for item, outpoint in prevouts:
            answer = dict(item)
            spender: TxEntry | None = None
            block: BlockRecord | None = None
            pooled = mempool.spent_by.get(outpoint)
            if pooled is not None:
                spender = mempool.entries[pooled].entry
            elif not mempool_only and outpoint in chain.spends:
                spender = chain.tx_index[chain.spends[outpoint][0]]
                block = chain.blocks[spender.height]
            if spender is not None:
                answer["spendingtxid"] = spender.txid[::-1].hex()
                if return_tx:
                    answer["spendingtx"] = spender.raw.hex()
            if block is not None:
                answer["blockhash"] = block.hash_hex
            result.append(answer)
        return result

    def rpc_getzmqnotifications(self) -> list[Any]:
        return []

    def rpc_uptime(self) -> int:
        import time

        return int(time.time() - self.started_at)

    # -- RPC methods: transactions --------------------------------------------------------------

    def rpc_getrawtransaction(self, txid: Any, verbosity: Any = None, blockhash: Any = None) -> Any:
        tx_hash = _hash_param(txid, "parameter 1")
        level = _verbosity(verbosity, 0)
        chain, mempool = self.pg.chain, self.pg.mempool
        block: BlockRecord | None = None
        if blockhash is not None:
            record = self.view.record(_hash_param(blockhash, "parameter 3"))
            if record is None:
                raise RPCError(RPC_INVALID_ADDRESS_OR_KEY, "Block hash not found")
            found = next((e for e in record.txs if e.txid == tx_hash), None)
            if found is None:
                raise RPCError(
                    RPC_INVALID_ADDRESS_OR_KEY,
                    "No such transaction found in the provided block. "
                    "Use gettransaction for wallet transactions.",
                )
            entry, block = found, record
        else:
            if chain.blocks and any(e.txid == tx_hash for e in chain.blocks[0].txs):
                raise RPCError(
                    RPC_INVALID_ADDRESS_OR_KEY,
                    "The genesis block coinbase is not considered an ordinary transaction and "
                    "cannot be retrieved",
                )
            pooled = mempool.get(tx_hash)
            indexed = chain.tx_index.get(tx_hash)
            if pooled is not None:
                entry = pooled.entry
            elif indexed is not None:
                entry, block = indexed, chain.blocks[indexed.height]
            else:
                raise RPCError(
                    RPC_INVALID_ADDRESS_OR_KEY,
                    "No such mempool or blockchain transaction. "
                    "Use gettransaction for wallet transactions.",
                )
        if level <= 0:
            return entry.raw.hex()
        data = self.view.tx_json(entry, block, verbosity=min(level, 2))
        if blockhash is not None and block is not None:
            data = {"in_active_chain": self.view.in_active_chain(block), **data}
        return data

    async def rpc_sendrawtransaction(
        self, hexstring: Any, maxfeerate: Any = None, maxburnamount: Any = None
    ) -> str:
        _expect(hexstring, "string")
        try:
            raw = bytes.fromhex(hexstring)
            from wallet.bitcoin.transaction import Transaction

            tx = Transaction.parse(raw)
        except Exception:
            raise RPCError(
                RPC_DESERIALIZATION_ERROR,
                "TX decode failed. Make sure the tx has at least one input.",
            ) from None
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(None, self.pg.broadcast, raw)
        except TxRejected as exc:
            if exc.reason == "txn-already-known":
                raise RPCError(
                    RPC_VERIFY_ALREADY_IN_UTXO_SET, "Transaction outputs already in utxo set"
                ) from None
            if exc.reason == "bad-txns-inputs-missingorspent":
                raise RPCError(RPC_VERIFY_ERROR, "bad-txns-inputs-missingorspent") from None
            if exc.reason == "TX decode failed":
                raise RPCError(RPC_DESERIALIZATION_ERROR, "TX decode failed") from None
            message = exc.reason + (f", {exc.detail}" if exc.detail else "")
            raise RPCError(RPC_VERIFY_REJECTED, message) from None
        finally:
            del tx

    # -- RPC methods: mempool and fees ----------------------------------------------------------

    def _entry(self, m: MempoolEntry) -> dict[str, Any]:
        mempool = self.pg.mempool
        ancestors = [mempool.entries[t] for t in mempool.ancestors(m.txid)]
        descendants = [mempool.entries[t] for t in mempool.descendants(m.txid)]
        return {
            "vsize": m.vsize,
            "vsize_bip141": m.vsize,
            "vsize_adjusted": m.vsize,
            "weight": m.entry.weight,
            "time": m.time,
            "height": self.pg.chain.height,
            "descendantcount": len(descendants),
            "descendantsize": sum(d.vsize for d in descendants),
            "ancestorcount": len(ancestors) + 1,
            "ancestorsize": sum(a.vsize for a in ancestors) + m.vsize,
            "chunkweight": m.entry.weight,
            "wtxid": m.entry.tx.wtxid()[::-1].hex(),
            "fees": {
                "base": Amount(m.fee),
                "modified": Amount(m.fee),
                "ancestor": Amount(sum(a.fee for a in ancestors) + m.fee),
                "descendant": Amount(sum(d.fee for d in descendants)),
                "chunk": Amount(m.fee),
            },
            "depends": sorted(p[::-1].hex() for p in m.parents),
            "spentby": sorted(c[::-1].hex() for c in mempool.children(m.txid)),
            "unbroadcast": False,
        }

    def mempool_info(self) -> dict[str, Any]:
        entries = list(self.pg.mempool.entries.values())
        return {
            "loaded": True,
            "size": len(entries),
            "bytes": sum(m.vsize for m in entries),
            "usage": sum(len(m.entry.raw) * 4 for m in entries),
            "total_fee": Amount(sum(m.fee for m in entries)),
            "maxmempool": 300_000_000,
            "mempoolminfee": Amount(int(MIN_RELAY_FEERATE * 1000)),
            "minrelaytxfee": Amount(int(MIN_RELAY_FEERATE * 1000)),
            "incrementalrelayfee": Amount(int(INCREMENTAL_RELAY_FEERATE * 1000)),
            "unbroadcastcount": 0,
            "permitbaremultisig": True,
            "maxdatacarriersize": 100_000,
            "limitclustercount": 64,
            "limitclustersize": 101_000,
            "optimal": True,
        }

    def rpc_getmempoolinfo(self) -> dict[str, Any]:
        return self.mempool_info()

    def mempool_contents(self, verbose: bool, sequence: bool) -> Any:
        mempool = self.pg.mempool
        if verbose:
            if sequence:
                raise RPCError(
                    RPC_INVALID_PARAMETER, "Verbose results cannot contain mempool sequence values."
                )
            return {t[::-1].hex(): self._entry(m) for t, m in mempool.entries.items()}
        txids = [t[::-1].hex() for t in mempool.entries]
        if sequence:
            return {"txids": txids, "mempool_sequence": len(txids)}
        return txids

    def rpc_getrawmempool(self, verbose: Any = None, mempool_sequence: Any = None) -> Any:
        return self.mempool_contents(
            verbose is not None and _bool_param(verbose),
            mempool_sequence is not None and _bool_param(mempool_sequence),
        )

    def rpc_getmempoolentry(self, txid: Any) -> dict[str, Any]:
        m = self.pg.mempool.get(_hash_param(txid, "txid"))
        if m is None:
            raise RPCError(RPC_INVALID_ADDRESS_OR_KEY, "Transaction not in mempool")
        return self._entry(m)

    def rpc_estimatesmartfee(self, conf_target: Any, estimate_mode: Any = None) -> dict[str, Any]:
        target = _int_param(conf_target)
        if not 1 <= target <= 1008:
            raise RPCError(RPC_INVALID_PARAMETER, "Invalid conf_target, must be between 1 and 1008")
        if estimate_mode is not None:
            _expect(estimate_mode, "string")
            if estimate_mode.lower() not in ("unset", "economical", "conservative"):
                raise RPCError(
                    RPC_INVALID_PARAMETER,
                    'Invalid estimate_mode parameter, must be one of: "unset", "economical", '
                    '"conservative"',
                )
        sat_per_vb = self.pg.ledger.fee_estimate(target)
        sats_per_kvb = round(sat_per_vb * 1000)
        return {
            "feerate": Amount(max(sats_per_kvb, int(MIN_RELAY_FEERATE * 1000))),
            "blocks": target,
        }

    # -- REST ---------------------------------------------------------------------------------

    def _rest(self, rest_path: str, query: str) -> Reply:
        for prefix, handler in (
            ("tx/", self._rest_tx),
            ("block/notxdetails/", lambda p, q: self._rest_block(p, 1)),
            ("block/", lambda p, q: self._rest_block(p, 3)),
            ("blockfilter/", self._rest_filter),
            ("blockfilterheaders/", self._rest_filter_headers),
            ("chaininfo", self._rest_chaininfo),
            ("mempool/", self._rest_mempool),
            ("headers/", self._rest_headers),
            ("blockhashbyheight/", self._rest_hash_by_height),
        ):
            if rest_path.startswith(prefix):
                return handler(rest_path[len(prefix) :], query)
        return Reply(404)

    @staticmethod
    def _format(param: str) -> tuple[str, str]:
        """Core's ``ParseDataFormat``: (the part before ``.ext``, ext or '')."""
        base, dot, ext = param.rpartition(".")
        if dot and ext in ("bin", "hex", "json"):
            return base, ext
        return param, ""

    @staticmethod
    def _no_format(only_json: bool = False) -> Reply:
        available = "json" if only_json else ".bin, .hex, .json"
        return _rest_error(404, f"output format not found (available: {available})")

    @staticmethod
    def _binary(data: bytes, fmt: str, as_json: Callable[[], Any]) -> Reply:
        if fmt == "bin":
            return Reply(200, data, "application/octet-stream")
        if fmt == "hex":
            return Reply(200, (data.hex() + "\n").encode(), "text/plain")
        return Reply(200, (dumps(as_json()) + "\n").encode(), "application/json")

    def _count(self, parts: list[str], query: str, raw_count: str | None) -> int | Reply:
        if raw_count is None:
            values = parse_qs(query).get("count")
            raw_count = values[0] if values else "5"
        if not raw_count.isdigit() or not 1 <= int(raw_count) <= MAX_REST_HEADERS:
            return _rest_error(
                400,
                "Header count is invalid or out of acceptable range "
                f"(1-{MAX_REST_HEADERS}): {raw_count}",
            )
        return int(raw_count)

    def _following(self, start: bytes, count: int) -> list[BlockRecord]:
        chain = self.pg.chain
        record = chain.by_hash.get(start)
        if record is None:
            return []
        return chain.blocks[record.height : record.height + count]

    def _rest_headers(self, rest: str, query: str) -> Reply:
        param, fmt = self._format(rest)
        parts = param.split("/")
        if len(parts) == 2:
            raw_count, hash_text = parts
        elif len(parts) == 1:
            raw_count, hash_text = None, parts[0]
        else:
            return _rest_error(
                400, "Invalid URI format. Expected /rest/headers/<hash>.<ext>?count=<count>"
            )
        count = self._count(parts, query, raw_count)
        if isinstance(count, Reply):
            return count
        start = _hash_text(hash_text)
        if start is None:
            return _rest_error(400, f"Invalid hash: {hash_text}")
        records = self._following(start, count)
        if not fmt:
            return self._no_format()
        data = b"".join(r.header for r in records)
        return self._binary(data, fmt, lambda: [self.view.header_json(r) for r in records])

    def _rest_filter_headers(self, rest: str, query: str) -> Reply:
        param, fmt = self._format(rest)
        parts = param.split("/")
        if len(parts) == 3:
            kind, raw_count, hash_text = parts
        elif len(parts) == 2:
            kind, hash_text = parts
            raw_count = None
        else:
            return _rest_error(
                400,
                "Invalid URI format. Expected "
                "/rest/blockfilterheaders/<filtertype>/<blockhash>.<ext>?count=<count>",
            )
        count = self._count(parts, query, raw_count)
        if isinstance(count, Reply):
            return count
        start = _hash_text(hash_text)
        if start is None:
            return _rest_error(400, f"Invalid hash: {hash_text}")
        if kind != "basic":
            return _rest_error(400, f"Unknown filtertype {kind}")
        if not self.blockfilterindex:
            return _rest_error(400, f"Index is not enabled for filtertype {kind}")
        records = self._following(start, count)
        headers = [self.pg.filters.header(r.height) for r in records]
        if not fmt:
            return self._no_format()
        return self._binary(b"".join(headers), fmt, lambda: [h[::-1].hex() for h in headers])

    def _rest_filter(self, rest: str, query: str) -> Reply:
        param, fmt = self._format(rest)
        parts = param.split("/")
        if len(parts) != 2:
            return _rest_error(
                400, "Invalid URI format. Expected /rest/blockfilter/<filtertype>/<blockhash>"
            )
        kind, hash_text = parts
        block_hash = _hash_text(hash_text)
        if block_hash is None:
            return _rest_error(400, f"Invalid hash: {hash_text}")
        if kind != "basic":
            return _rest_error(400, f"Unknown filtertype {kind}")
        if not self.blockfilterindex:
            return _rest_error(400, f"Index is not enabled for filtertype {kind}")
        record = self.view.record(block_hash)
        if record is None:
            return _rest_error(404, f"{hash_text} not found")
        if not self.view.in_active_chain(record):
            return _rest_error(404, "Filter not found. Block was not connected to active chain.")
        data = self.pg.filters.filter(record)
        if not fmt:
            return self._no_format()
        # BlockFilter's serialization: filter type, block hash, the encoded filter as a vector
        serialized = bytes([0]) + record.hash + encode_varint(len(data)) + data
        return self._binary(serialized, fmt, lambda: {"filter": data.hex()})

    def _rest_block(self, rest: str, verbosity: int) -> Reply:
        hash_text, fmt = self._format(rest)
        block_hash = _hash_text(hash_text)
        if block_hash is None:
            return _rest_error(400, f"Invalid hash: {hash_text}")
        record = self.view.record(block_hash)
        if record is None:
            return _rest_error(404, f"{hash_text} not found")
        if not fmt:
            return self._no_format()
        return self._binary(
            _block_raw(record), fmt, lambda: self.view.block_json(record, verbosity)
        )

    def _rest_chaininfo(self, rest: str, query: str) -> Reply:
        _param, fmt = self._format(rest)
        if fmt != "json":
            return self._no_format(only_json=True)
        return Reply(200, (dumps(self.chaininfo()) + "\n").encode(), "application/json")

    def _rest_mempool(self, rest: str, query: str) -> Reply:
        param, fmt = self._format(rest)
        if param not in ("contents", "info"):
            return _rest_error(
                400, "Invalid URI format. Expected /rest/mempool/<info|contents>.json"
            )
        if fmt != "json":
            return self._no_format(only_json=True)
        if param == "info":
            value: Any = self.mempool_info()
        else:
            args = parse_qs(query)
            verbose = args.get("verbose", ["true"])[0]
            sequence = args.get("mempool_sequence", ["false"])[0]
            if verbose not in ("true", "false"):
                return _rest_error(
                    400, 'The "verbose" query parameter must be either "true" or "false".'
                )
            if sequence not in ("true", "false"):
                return _rest_error(
                    400, 'The "mempool_sequence" query parameter must be either "true" or "false".'
                )
            if verbose == "true" and sequence == "true":
                return _rest_error(
                    400,
                    "Verbose results cannot contain mempool sequence values. (hint: set "
                    '"verbose=false")',
                )
            value = self.mempool_contents(verbose == "true", sequence == "true")
        return Reply(200, (dumps(value) + "\n").encode(), "application/json")

    def _rest_tx(self, rest: str, query: str) -> Reply:
        hash_text, fmt = self._format(rest)
        txid = _hash_text(hash_text)
        if txid is None:
            return _rest_error(400, f"Invalid hash: {hash_text}")
        chain, mempool = self.pg.chain, self.pg.mempool
        pooled = mempool.get(txid)
        entry: TxEntry | None = pooled.entry if pooled is not None else chain.tx_index.get(txid)
        if entry is None:
            return _rest_error(404, f"{hash_text} not found")
        block = chain.blocks[entry.height] if pooled is None else None
        if not fmt:
            return self._no_format()

        def as_json() -> dict[str, Any]:
            data = self.view.tx_json(entry, None)
            if block is not None:
                data["blockhash"] = block.hash_hex
            return data

        return self._binary(entry.raw, fmt, as_json)

    def _rest_hash_by_height(self, rest: str, query: str) -> Reply:
        height_text, fmt = self._format(rest)
        if not height_text.isdigit():
            return _rest_error(400, f"Invalid height: {height_text}")
        chain = self.pg.chain
        if int(height_text) > chain.height:
            return _rest_error(404, "Block height out of range")
        record = chain.blocks[int(height_text)]
        if fmt == "hex":
            return Reply(200, (record.hash_hex + "\n").encode(), "text/plain")
        if not fmt:
            return self._no_format()
        return self._binary(record.hash, fmt, lambda: {"blockhash": record.hash_hex})


def _block_raw(record: BlockRecord) -> bytes:
    return record.header + encode_varint(len(record.txs)) + b"".join(t.raw for t in record.txs)


__all__ = ["BLOCKFILTER_OFF", "CoreServer", "RPCError"]
