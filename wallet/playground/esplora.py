"""The Esplora HTTP API (the endpoints a wallet needs), as blockstream/esplora shapes them.

A small asyncio HTTP/1.1 server with keep-alive: each connection is its own task, so clients are
served concurrently, and a bad request gets a 4xx answer without disturbing anyone else. The
same port also takes control requests under ``/playground/`` (mine, fund, reorg, misbehave),
which can make the chain lie: each needs the playground's token (``Authorization: Bearer TOKEN``,
from ``<datadir>/control-token``), and one from a web page (it carries ``Origin``) is refused.
Any request whose ``Host`` is not this machine is refused too, so a web page cannot reach the
servers through DNS rebinding (a name of its own that resolves to 127.0.0.1).
Given an SSL context it serves HTTPS instead (the playground's ``tls=True``), so ``https://``
URLs can be tried against a local chain too.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import json
import re
import ssl as _ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wallet import bounded_json
from wallet.bitcoin.errors import BitcoinError
from wallet.bitcoin.transaction import OutPoint
from wallet.playground.chain import BlockRecord, TxEntry, scripthash
from wallet.playground.errors import PlaygroundError, TxRejected
from wallet.playground.formats import esplora_block, esplora_status, esplora_tx
from wallet.playground.ledger import FEE_TARGETS
from wallet.playground.misbehave import OVERSIZED_DEFAULT, pad_json, tamper_raw, wrong_txid
from wallet.playground.proofs import merkle_block
from wallet.playground.traffic import Traffic

if TYPE_CHECKING:
    from wallet.playground.service import Playground

MAX_HEAD = 16 * 1024
MAX_BODY = 4 * 1024 * 1024
REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    411: "Length Required",
    413: "Payload Too Large",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    501: "Not Implemented",
}
_HASH = "([0-9a-fA-F]{64})"
#: what ``stall-history`` never answers: script hash and address histories, mempool, unspent
_HISTORY = re.compile(r"^(/api)?/(scripthash|address)/[^/]+/(txs|utxo)")


class HTTPError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = "text/plain"
    #: readable by any web page's scripts (the chain data); never a control answer
    any_origin: bool = True
    #: the route that answered (its handler's name), for the traffic counts
    kind: str = ""



def is_loopback(host: str) -> bool:
    """``localhost`` or a loopback address (``127.0.0.1``, ``::1``), with or without a port."""
    name = host.strip().lower()
    if name.startswith("["):
        name = name[1 : name.find("]")] if "]" in name else name
    elif name.count(":") == 1:
        name = name.partition(":")[0]
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _text(value: Any) -> Response:
    return Response(200, str(value).encode())


def _json(value: Any) -> Response:
    return Response(200, json.dumps(value, separators=(",", ":")).encode(), "application/json")


def _private(response: Response) -> Response:
    response.any_origin = False
    return response


def _hash(text: str) -> bytes:
    return bytes.fromhex(text)[::-1]


#: transactions whose JSON the server keeps ready (dropped all at once past this many)
TX_JSON_CACHE = 50_000


class EsploraServer:
    def __init__(
        self, pg: Playground, host: str, port: int, ssl: _ssl.SSLContext | None = None
    ) -> None:
        self.pg = pg
        self.host = host
        self.requested_port = port
        self.ssl = ssl
        self.port = 0
        self._server: asyncio.base_events.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self.traffic = Traffic()
        #: (raw transaction, block hash or None) -> its JSON: lists of transactions are built
        #: from these, so a history page costs a join, not a dozen dicts per transaction
        self._tx_json: dict[tuple[bytes, bytes | None], str] = {}
        self.routes: list[tuple[str, re.Pattern[str], Callable[..., Any]]] = []
        for method, pattern, handler in self._route_table():
            self.routes.append((method, re.compile(f"^{pattern}$"), handler))

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._client, self.host, self.requested_port, ssl=self.ssl, limit=MAX_HEAD
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
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
        answered = 0
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except asyncio.IncompleteReadError:
                    break
                except asyncio.LimitOverrunError:
                    await self._send(writer, Response(431, b"request head too large"), False)
                    break
                try:
                    method, path, keep_alive, length, headers = self._parse_head(head)
                except HTTPError as exc:
                    await self._send(writer, Response(exc.status, exc.message.encode()), False)
                    break
                body = await reader.readexactly(length) if length else b""
                mis = self.pg.misbehavior
                drop = mis.get("drop", "esplora")
                if drop is not None and answered >= int(drop.get("after", 0)):
                    break
                slow = mis.get("slow", "esplora")
                if slow is not None:
                    await asyncio.sleep(float(slow.get("delay", 3.0)))
                if mis.get("stall-history", "esplora") is not None and _HISTORY.match(path):
                    with contextlib.suppress(asyncio.CancelledError):
                        await asyncio.Event().wait()  # never answered (until the server closes)
                    break
                response = self._refusal(path, headers) or await self._respond(method, path, body)
                if (
                    response.content_type == "application/json"
                    and mis.get("malformed-json", "esplora") is not None
                ):
                    response.body = response.body[: max(1, len(response.body) // 2)]
                oversized = mis.get("oversized", "esplora")
                if oversized is not None and response.content_type == "application/json":
                    size = int(oversized.get("size", OVERSIZED_DEFAULT))
                    response.body = pad_json(response.body, size)
                sent = await self._send(writer, response, keep_alive)
                if response.kind != "control_traffic":
                    self.traffic.messages += 1
                    self.traffic.requests[response.kind or "unknown"] += 1
                    self.traffic.bytes_in += len(head) + length
                    self.traffic.bytes_out += sent
                answered += 1
                if not keep_alive:
                    break
        except (ConnectionError, asyncio.IncompleteReadError, _ssl.SSLError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    def _refusal(self, path: str, headers: dict[str, str]) -> Response | None:
        """Why a request is refused before it is routed, if it is."""
        host = headers.get("host")
        if host is not None and not is_loopback(host):  # DNS rebinding: a page's own name
            return Response(403, b"the playground answers requests addressed to this machine only")
        if not path.removeprefix("/api").startswith("/playground/"):
            return None
        if "origin" in headers:  # browsers send it; the playground's own clients do not
            return Response(403, b"control requests from a web page are refused", any_origin=False)
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            token.strip().encode(), self.pg.control_token.encode()
        ):
            return Response(
                401,
                b"a control request needs the playground's token: 'Authorization: Bearer TOKEN' "
                b"(printed at start, and in the file control-token of its data folder)",
                any_origin=False,
            )
        return None

    @staticmethod
    def _parse_head(head: bytes) -> tuple[str, str, bool, int, dict[str, str]]:
        try:
            lines = head.decode("latin-1").split("\r\n")
            method, target, version = lines[0].split(" ")
        except ValueError:
            raise HTTPError(400, "malformed request line") from None
        if not version.startswith("HTTP/1.") or not target.startswith("/"):
            raise HTTPError(400, "malformed request line")
        headers = {}
        for line in lines[1:]:
            if not line:
                continue
            name, sep, value = line.partition(":")
            if not sep:
                raise HTTPError(400, "malformed header line")
            headers[name.strip().lower()] = value.strip()
        if "chunked" in headers.get("transfer-encoding", "").lower():
            raise HTTPError(501, "chunked request bodies are not supported; send Content-Length")
        try:
            length = int(headers.get("content-length", "0"))
        except ValueError:
            raise HTTPError(400, "Content-Length is not a number") from None
        if length < 0:
            raise HTTPError(400, "Content-Length is negative")
        if length > MAX_BODY:
            raise HTTPError(413, f"request body over {MAX_BODY} bytes")
        connection = headers.get("connection", "").lower()
        keep_alive = connection != "close" if version == "HTTP/1.1" else connection == "keep-alive"
        return method.upper(), target.split("?", 1)[0], keep_alive, length, headers

    async def _send(self, writer: asyncio.StreamWriter, r: Response, keep_alive: bool) -> int:
        head = (
            f"HTTP/1.1 {r.status} {REASONS.get(r.status, 'Error')}\r\n"
            f"Content-Type: {r.content_type}\r\n"
            f"Content-Length: {len(r.body)}\r\n"
            + ("Access-Control-Allow-Origin: *\r\n" if r.any_origin else "")
            + f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n\r\n"
        )
        data = head.encode() + r.body
        writer.write(data)
        await writer.drain()
        return len(data)

    async def _respond(self, method: str, path: str, body: bytes) -> Response:
        if path.startswith("/api/"):
            path = path[4:]
        path = path.rstrip("/") or "/"
        allowed = False
        for route_method, pattern, handler in self.routes:
            match = pattern.match(path)
            if match is None:
                continue
            allowed = True
            if route_method != method:
                continue
            response = await self._call(handler, match.groups(), body)
            response.kind = handler.__name__
            return response
        if allowed:
            return Response(405, f"{method} is not allowed on {path}".encode())
        return Response(404, b"not found")

    async def _call(self, handler: Callable[..., Any], groups: tuple, body: bytes) -> Response:
        try:
            if asyncio.iscoroutinefunction(handler):
                return await handler(*groups, body=body)
            with self.pg.lock:
                if not self.pg._started:
                    raise HTTPError(500, "the playground is stopping")
                return handler(*groups)
        except HTTPError as exc:
            return Response(exc.status, exc.message.encode())
        except (PlaygroundError, BitcoinError) as exc:
            return Response(400, str(exc).encode())
        except Exception as exc:  # a bug must not take the server down
            return Response(500, f"internal error: {exc}".encode())

    def _txs_json(self, items: list[tuple[TxEntry, BlockRecord | None]]) -> Response:
        """A JSON list of transactions (each as esplora_tx), from the ready-made texts."""
        cache = self._tx_json
        if len(cache) > TX_JSON_CACHE:
            cache.clear()
        texts = []
        for entry, block in items:
            key = (entry.raw, block.hash if block is not None else None)
            text = cache.get(key)
            if text is None:
                text = cache[key] = json.dumps(esplora_tx(entry, block), separators=(",", ":"))
            texts.append(text)
        return Response(200, ("[" + ",".join(texts) + "]").encode(), "application/json")

    # -- routes ---------------------------------------------------------------------------------

    def _route_table(self) -> list[tuple[str, str, Callable[..., Any]]]:
        sh = "(address|scripthash)/([^/]+)"
        return [
            ("GET", "/blocks/tip/height", self.tip_height),
            ("GET", "/blocks/tip/hash", self.tip_hash),
            ("GET", r"/blocks(?:/(\d+))?", self.blocks),
            ("GET", r"/block-height/(\d+)", self.block_height),
            ("GET", f"/block/{_HASH}", self.block),
            ("GET", f"/block/{_HASH}/header", self.block_header),
            ("GET", f"/block/{_HASH}/status", self.block_status),
            ("GET", f"/block/{_HASH}/txids", self.block_txids),
            ("GET", rf"/block/{_HASH}/txid/(\d+)", self.block_txid),
            ("GET", rf"/block/{_HASH}/txs(?:/(\d+))?", self.block_txs),
            ("GET", f"/block/{_HASH}/raw", self.block_raw),
            ("GET", f"/tx/{_HASH}", self.tx),
            ("GET", f"/tx/{_HASH}/status", self.tx_status),
            ("GET", f"/tx/{_HASH}/hex", self.tx_hex),
            ("GET", f"/tx/{_HASH}/raw", self.tx_raw),
            ("GET", f"/tx/{_HASH}/merkle-proof", self.tx_merkle_proof),
            ("GET", f"/tx/{_HASH}/merkleblock-proof", self.tx_merkleblock_proof),
            ("GET", rf"/tx/{_HASH}/outspend/(\d+)", self.tx_outspend),
            ("GET", f"/tx/{_HASH}/outspends", self.tx_outspends),
            ("POST", "/tx", self.post_tx),
            ("GET", f"/{sh}", self.sh_stats),
            ("GET", f"/{sh}/txs", self.sh_txs),
            ("GET", f"/{sh}/txs/chain(?:/{_HASH})?", self.sh_txs_chain),
            ("GET", f"/{sh}/txs/mempool", self.sh_txs_mempool),
            ("GET", f"/{sh}/utxo", self.sh_utxo),
            ("GET", "/mempool", self.mempool),
            ("GET", "/mempool/txids", self.mempool_txids),
            ("GET", "/mempool/recent", self.mempool_recent),
            ("GET", "/fee-estimates", self.fee_estimates),
            ("GET", "/v1/prices", self.prices),
            ("GET", "/playground/info", self.control_info),
            ("GET", "/playground/traffic", self.control_traffic),
            ("POST", "/playground/mine", self.control_mine),
            ("POST", "/playground/fund", self.control_fund),
            ("POST", "/playground/reorg", self.control_reorg),
            ("POST", "/playground/misbehave", self.control_misbehave),
            ("DELETE", "/playground/misbehave", self.control_behave),
        ]

    # blocks

    def tip_height(self) -> Response:
        return _text(self.pg.chain.height)

    def tip_hash(self) -> Response:
        return _text(self.pg.ledger.block_hash(self.pg.chain.height, "esplora")[::-1].hex())

    def _record(self, block_hash: str) -> BlockRecord:
        h = _hash(block_hash)
        record = self.pg.chain.by_hash.get(h) or self.pg.stale.get(h)
        if record is None:
            found = self.pg.ledger.block_by_hash(h, "esplora")
            if found is not None:
                return self.pg.chain.blocks[found[0]]
            raise HTTPError(404, "Block not found")
        return record

    def _block_json(self, record: BlockRecord) -> dict[str, Any]:
        chain = self.pg.chain
        in_chain = chain.by_hash.get(record.hash) is record
        previous = chain.blocks[record.height - 1] if record.height else None
        mtp = chain.mtp(record.height) if in_chain else 0
        data = esplora_block(record, mtp, previous)
        if not in_chain:
            data["previousblockhash"] = record.header[4:36][::-1].hex()
        return data

    def blocks(self, start: str | None) -> Response:
        chain = self.pg.chain
        top = chain.height if start is None else min(int(start), chain.height)
        return _json([self._block_json(chain.blocks[h]) for h in range(top, max(top - 10, -1), -1)])

    def block_height(self, height: str) -> Response:
        h = int(height)
        if h > self.pg.chain.height:
            raise HTTPError(404, "Block not found")
        return _text(self.pg.ledger.block_hash(h, "esplora")[::-1].hex())

    def block(self, block_hash: str) -> Response:
        return _json(self._block_json(self._record(block_hash)))

    def block_header(self, block_hash: str) -> Response:
        found = self.pg.ledger.block_by_hash(_hash(block_hash), "esplora")
        if found is None:
            raise HTTPError(404, "Block not found")
        return _text(found[1].hex())

    def block_status(self, block_hash: str) -> Response:
        found = self.pg.ledger.block_by_hash(_hash(block_hash), "esplora")
        if found is None:
            raise HTTPError(404, "Block not found")
        height, _header, in_best = found
        if not in_best:
            return _json({"in_best_chain": False})
        chain = self.pg.chain
        following = (
            self.pg.ledger.block_hash(height + 1, "esplora")[::-1].hex()
            if height < chain.height
            else None
        )
        return _json({"in_best_chain": True, "height": height, "next_best": following})

    def block_txids(self, block_hash: str) -> Response:
        return _json([t.txid[::-1].hex() for t in self._record(block_hash).txs])

    def block_txid(self, block_hash: str, index: str) -> Response:
        record = self._record(block_hash)
        if int(index) >= len(record.txs):
            raise HTTPError(404, "Transaction not found")
        if int(index) == 0:
            return _text(self.pg.ledger.coinbase_claim(record, "esplora")[0][::-1].hex())
        return _text(record.txs[int(index)].txid[::-1].hex())

    def block_txs(self, block_hash: str, start: str | None) -> Response:
        record = self._record(block_hash)
        first = int(start or 0)
        if first % 25:
            raise HTTPError(400, "start index must be a multiple of 25")
        if first >= len(record.txs) and first:
            raise HTTPError(404, "start index out of range")
        return self._txs_json([(t, record) for t in record.txs[first : first + 25]])

    def block_raw(self, block_hash: str) -> Response:
        record = self._record(block_hash)
        from wallet.bitcoin.serialize import encode_varint

        raw = record.header + encode_varint(len(record.txs)) + b"".join(t.raw for t in record.txs)
        return Response(200, raw, "application/octet-stream")

    # transactions

    def _found(self, txid: str):
        found = self.pg.ledger.find_tx(_hash(txid), "esplora")
        if found is None:
            raise HTTPError(404, "Transaction not found")
        return found

    def tx(self, txid: str) -> Response:
        found = self._found(txid)
        return _json(esplora_tx(found.entry, found.block))

    def tx_status(self, txid: str) -> Response:
        return _json(esplora_status(self._found(txid).block))

    def _raw(self, txid: str) -> bytes:
        raw = self._found(txid).entry.raw
        if self.pg.misbehavior.get("wrong-raw", "esplora") is not None:
            return tamper_raw(raw)
        return raw

    def tx_hex(self, txid: str) -> Response:
        return _text(self._raw(txid).hex())

    def tx_raw(self, txid: str) -> Response:
        return Response(200, self._raw(txid), "application/octet-stream")

    def _confirmed(self, txid: str):
        found = self._found(txid)
        if found.block is None:
            raise HTTPError(404, "Transaction not found or is unconfirmed")
        return found

    def tx_merkle_proof(self, txid: str) -> Response:
        ledger = self.pg.ledger
        forged = ledger.forged_coinbase(_hash(txid), "esplora")
        if forged is not None:
            branch = ledger.coinbase_claim(forged, "esplora")[1]
            return _json(
                {
                    "block_height": forged.height,
                    "merkle": [h[::-1].hex() for h in branch],
                    "pos": 0,
                }
            )
        found = self._confirmed(txid)
        if found.entry.pos == 0:
            branch = ledger.coinbase_claim(found.block, "esplora")[1]
        else:
            branch = ledger.branch(found.block, found.entry.pos, "esplora")
        return _json(
            {
                "block_height": found.block.height,
                "merkle": [h[::-1].hex() for h in branch],
                "pos": ledger.position(found.block, found.entry.pos, "esplora"),
            }
        )

    def tx_merkleblock_proof(self, txid: str) -> Response:
        found = self._confirmed(txid)
        block = found.block
        proof = bytearray(
            merkle_block(block.header, [t.txid for t in block.txs], {found.entry.pos})
        )
        if self.pg.misbehavior.get("wrong-merkle", "esplora") is not None:
            proof[85] ^= 0x01  # the first hash of the partial tree (after header, count, n)
        return _text(bytes(proof).hex())

    def _spend(self, outpoint: OutPoint) -> dict[str, Any]:
        chain, mempool = self.pg.chain, self.pg.mempool
        spend = chain.spends.get(outpoint)
        if spend is not None:
            txid, vin = spend
            block = chain.blocks[chain.tx_index[txid].height]
            return {
                "spent": True,
                "txid": txid[::-1].hex(),
                "vin": vin,
                "status": esplora_status(block),
            }
        spender = mempool.spent_by.get(outpoint)
        if spender is not None:
            tx = mempool.entries[spender].entry.tx
            vin = next(i for i, t in enumerate(tx.inputs) if t.prevout == outpoint)
            return {
                "spent": True,
                "txid": spender[::-1].hex(),
                "vin": vin,
                "status": {"confirmed": False},
            }
        return {"spent": False}

    def tx_outspend(self, txid: str, vout: str) -> Response:
        found = self._found(txid)
        if int(vout) >= len(found.entry.tx.outputs):
            raise HTTPError(404, "output not found")
        return _json(self._spend(OutPoint(found.entry.txid, int(vout))))

    def tx_outspends(self, txid: str) -> Response:
        found = self._found(txid)
        n = len(found.entry.tx.outputs)
        return _json([self._spend(OutPoint(found.entry.txid, i)) for i in range(n)])

    async def post_tx(self, body: bytes) -> Response:
        try:
            raw = bytes.fromhex(body.decode("ascii").strip())
        except (UnicodeDecodeError, ValueError):
            raise HTTPError(400, "Invalid hex string") from None
        if self.pg.misbehavior.get("wrong-txid", "esplora") is not None:
            lie = wrong_txid(raw)
            if lie is not None:
                return _text(lie)
        loop = asyncio.get_running_loop()
        try:
            txid = await loop.run_in_executor(None, self.pg.broadcast, raw)
        except TxRejected as exc:
            message = exc.reason + (f" ({exc.detail})" if exc.detail else "")
            error = json.dumps({"code": -26, "message": message})
            raise HTTPError(400, f"sendrawtransaction RPC error: {error}") from None
        return _text(txid)

    # addresses and script hashes

    def _sh(self, kind: str, value: str) -> bytes:
        if kind == "address":
            from wallet.bitcoin.address import address_to_script

            try:
                return scripthash(address_to_script(value, self.pg.network))
            except BitcoinError as exc:
                raise HTTPError(400, f"Invalid Bitcoin address: {exc}") from None
        try:
            raw = bytes.fromhex(value)
        except ValueError:
            raw = b""
        if len(raw) != 32:
            raise HTTPError(400, "Invalid scripthash: give sha256(scriptPubKey) as 64 hex digits")
        return raw  # Esplora's script hash is the sha256 in natural byte order

    def _visible(self, sh: bytes) -> tuple[list[Any], list[Any]]:
        """(confirmed TxEntries newest first, mempool entries newest first) after misbehaviour."""
        chain, ledger = self.pg.chain, self.pg.ledger
        items = ledger.history(sh, "esplora")
        confirmed = [chain.tx_index[i.txid] for i in items if i.fee is None]
        confirmed.sort(key=lambda e: (e.height, e.pos), reverse=True)
        pooled = [ledger.pooled_entry(i.txid, "esplora") for i in items if i.fee is not None]
        pooled.sort(key=lambda m: m.time, reverse=True)
        return confirmed, pooled

    @staticmethod
    def _stats(entries: list[Any], sh: bytes) -> dict[str, int]:
        funded = funded_sum = spent = spent_sum = 0
        for e in entries:
            for o in e.tx.outputs:
                if scripthash(o.script_pubkey) == sh:
                    funded += 1
                    funded_sum += o.value
            for o in e.prevouts:
                if scripthash(o.script_pubkey) == sh:
                    spent += 1
                    spent_sum += o.value
        return {
            "funded_txo_count": funded,
            "funded_txo_sum": funded_sum,
            "spent_txo_count": spent,
            "spent_txo_sum": spent_sum,
            "tx_count": len(entries),
        }

    def sh_stats(self, kind: str, value: str) -> Response:
        sh = self._sh(kind, value)
        confirmed, pooled = self._visible(sh)
        return _json(
            {
                kind: value if kind == "address" else sh.hex(),
                "chain_stats": self._stats(confirmed, sh),
                "mempool_stats": self._stats([m.entry for m in pooled], sh),
            }
        )

    def sh_txs(self, kind: str, value: str) -> Response:
        confirmed, pooled = self._visible(self._sh(kind, value))
        chain = self.pg.chain
        out = [(m.entry, None) for m in pooled[:50]]
        out += [(e, chain.blocks[e.height]) for e in confirmed[:25]]
        return self._txs_json(out)

    def sh_txs_chain(self, kind: str, value: str, last_seen: str | None) -> Response:
        confirmed, _ = self._visible(self._sh(kind, value))
        if last_seen is not None:
            ids = [e.txid for e in confirmed]
            seen = _hash(last_seen)
            if seen not in ids:
                raise HTTPError(400, "last_seen_txid is not in this history")
            confirmed = confirmed[ids.index(seen) + 1 :]
        chain = self.pg.chain
        return self._txs_json([(e, chain.blocks[e.height]) for e in confirmed[:25]])

    def sh_txs_mempool(self, kind: str, value: str) -> Response:
        _, pooled = self._visible(self._sh(kind, value))
        return self._txs_json([(m.entry, None) for m in pooled[:50]])

    def sh_utxo(self, kind: str, value: str) -> Response:
        sh = self._sh(kind, value)
        chain = self.pg.chain
        out = []
        for u in self.pg.ledger.unspent(sh, "esplora"):
            block = chain.blocks[u.height] if u.height > 0 else None
            out.append(
                {
                    "txid": u.outpoint.txid_hex,
                    "vout": u.outpoint.vout,
                    "status": esplora_status(block),
                    "value": u.value,
                }
            )
        return _json(out)

    # mempool and fees

    def mempool(self) -> Response:
        entries = self.pg.mempool.entries.values()
        return _json(
            {
                "count": len(entries),
                "vsize": sum(m.vsize for m in entries),
                "total_fee": sum(m.fee for m in entries),
                "fee_histogram": self.pg.ledger.fee_histogram(),
            }
        )

    def mempool_txids(self) -> Response:
        return _json([t[::-1].hex() for t in self.pg.mempool.entries])

    def mempool_recent(self) -> Response:
        recent = sorted(self.pg.mempool.entries.values(), key=lambda m: m.time, reverse=True)
        return _json(
            [
                {
                    "txid": m.txid[::-1].hex(),
                    "fee": m.fee,
                    "vsize": m.vsize,
                    "value": sum(o.value for o in m.entry.tx.outputs),
                }
                for m in recent[:10]
            ]
        )

    def fee_estimates(self) -> Response:
        ledger = self.pg.ledger
        return _json({str(t): ledger.fee_estimate(t) for t in FEE_TARGETS})

    def prices(self) -> Response:
        """mempool.space's ``/api/v1/prices``: the time and a price per currency."""
        return _json({"time": int(time.time()), **self.pg.prices})

    # control

    def control_traffic(self) -> Response:
        """Both servers' request and byte counts since start (see traffic.py)."""
        return _json(self.pg.traffic())

    def control_info(self) -> Response:
        info = self.pg.endpoints()
        info["misbehaving"] = self.pg.misbehavior.snapshot()
        info["mempool"] = len(self.pg.mempool)
        return _private(_json(info))

    @staticmethod
    def _body(body: bytes) -> dict[str, Any]:
        try:
            data = bounded_json.loads(body or b"{}")
        except ValueError:
            raise HTTPError(400, "the control request body must be a JSON object") from None
        if not isinstance(data, dict):
            raise HTTPError(400, "the control request body must be a JSON object")
        return data

    async def _control(self, fn: Callable[[], Any]) -> Response:
        loop = asyncio.get_running_loop()
        try:
            return _private(_json(await loop.run_in_executor(None, fn)))
        except TypeError as exc:
            raise HTTPError(400, f"bad control request: {exc}") from None

    async def control_mine(self, body: bytes) -> Response:
        data = self._body(body)
        return await self._control(
            lambda: self.pg.mine(int(data.get("blocks", 1)), data.get("address"))
        )

    async def control_fund(self, body: bytes) -> Response:
        data = self._body(body)
        if "address" not in data or "sats" not in data:
            raise HTTPError(400, 'fund needs "address" and "sats"')
        return await self._control(
            lambda: self.pg.fund(
                str(data["address"]), int(data["sats"]), confirm=bool(data.get("confirm"))
            )
        )

    async def control_reorg(self, body: bytes) -> Response:
        data = self._body(body)
        return await self._control(lambda: self.pg.reorg(int(data.get("depth", 1))))

    async def control_misbehave(self, body: bytes) -> Response:
        data = self._body(body)
        mode = data.pop("mode", None)
        if not isinstance(mode, str):
            raise HTTPError(400, 'misbehave needs a "mode"')
        return await self._control(lambda: self.pg.misbehave(mode, **data) or {"mode": mode})

    async def control_behave(self, body: bytes) -> Response:
        return await self._control(lambda: self.pg.behave() or {"misbehaving": {}})
