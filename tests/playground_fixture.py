"""pytest fixtures for tests that need a real chain: a running playground on free ports.

tests/conftest.py registers this module (``pytest_plugins``): any test asks for ``playground``
(or ``playground_module`` for one chain shared by a module) by name. The object is a started
:class:`wallet.playground.Playground`: ``.electrum_port``, ``.esplora_url``, ``.mine(n,
address=None)``, ``.fund(address, sats)``, ``.reorg(depth, ...)``, ``.misbehave(mode, ...)``,
``.broadcast(raw)``. It stops with no leftovers (servers, threads, the temporary directory).

:class:`ElectrumClient` is a small asyncio JSON-RPC client for tests that talk to the Electrum
port over a real socket; ``run(coro)`` runs a coroutine from a plain test.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import ssl
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # registered by tests/conftest.py for every session: imported when used
    from wallet.playground import Playground


def start_playground(datadir, **options: Any) -> Playground:
    """A started playground on free loopback ports (options as for :class:`Playground`)."""
    from wallet.playground import Playground

    options.setdefault("electrum_port", 0)
    options.setdefault("esplora_port", 0)
    return Playground(datadir, **options).start()


@pytest.fixture
def playground(tmp_path):
    pg = start_playground(tmp_path / "playground")
    try:
        yield pg
    finally:
        pg.stop()


@pytest.fixture(scope="module")
def playground_module(tmp_path_factory):
    pg = start_playground(tmp_path_factory.mktemp("playground"))
    try:
        yield pg
    finally:
        pg.stop()


def control_headers(pg: Playground) -> dict[str, str]:
    """The header an HTTP control request (``/playground/...`` on the Esplora port) needs."""
    return {"Authorization": f"Bearer {pg.control_token}"}


def run(coro: Coroutine[Any, Any, Any], timeout: float = 30) -> Any:
    return asyncio.run(asyncio.wait_for(coro, timeout))


def in_mempool(pg: Any, txid: bytes) -> bool:
    """``txid`` (internal order) is in the playground's mempool, not in a block."""
    with pg.lock:
        found = pg.ledger.find_tx(txid)
    return found is not None and found.block is None


class ElectrumError(Exception):
    def __init__(self, error: dict) -> None:
        super().__init__(f"{error.get('code')}: {error.get('message')}")
        self.code = error.get("code")
        self.message = error.get("message")


class ElectrumClient:
    """Newline-delimited JSON-RPC over asyncio streams; notifications go to a queue."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.ids = itertools.count(1)
        self.pending: dict[Any, asyncio.Future] = {}
        self.notifications: asyncio.Queue = asyncio.Queue()
        self.raw_lines: asyncio.Queue = asyncio.Queue()
        self._task = asyncio.create_task(self._read())

    @classmethod
    async def connect(
        cls, port: int, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None
    ) -> ElectrumClient:
        reader, writer = await asyncio.open_connection(host, port, ssl=tls, limit=2**22)
        return cls(reader, writer)

    async def _read(self) -> None:
        try:
            while True:
                line = await self.reader.readline()
                if not line:
                    break
                try:
                    message = json.loads(line)
                except ValueError:
                    await self.raw_lines.put(line)
                    continue
                if isinstance(message, dict) and "method" in message and "id" not in message:
                    await self.notifications.put(message)
                    continue
                key = message.get("id") if isinstance(message, dict) else "batch"
                future = self.pending.pop(key, None)
                if future is not None and not future.done():
                    future.set_result(message)
                else:
                    await self.raw_lines.put(line)
        finally:
            for future in self.pending.values():
                if not future.done():
                    future.set_exception(ConnectionError("the server closed the connection"))
            await self.raw_lines.put(b"")

    async def request(self, method: str, *params: Any) -> dict:
        """The full reply object (with ``result`` or ``error``)."""
        req_id = next(self.ids)
        future = asyncio.get_running_loop().create_future()
        self.pending[req_id] = future
        payload = {"jsonrpc": "2.0", "id": req_id, "method": method, "params": list(params)}
        self.writer.write(json.dumps(payload).encode() + b"\n")
        await self.writer.drain()
        return await future

    async def call(self, method: str, *params: Any) -> Any:
        reply = await self.request(method, *params)
        if "error" in reply:
            raise ElectrumError(reply["error"])
        return reply["result"]

    async def send_line(self, line: bytes) -> None:
        self.writer.write(line)
        await self.writer.drain()

    async def next_raw(self, timeout: float = 10) -> bytes:
        """The next line that answered no pending request (errors to bad lines, junk)."""
        return await asyncio.wait_for(self.raw_lines.get(), timeout)

    async def notification(self, timeout: float = 10) -> dict:
        return await asyncio.wait_for(self.notifications.get(), timeout)

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(ConnectionError, ssl.SSLError):
            await self.writer.wait_closed()
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError, ConnectionError):
            await self._task


class TestKey:
    """A throwaway P2WPKH key for tests: its address, script, and signed spends of its coins."""

    __test__ = False  # not a test class, despite the name

    def __init__(self, seed: bytes = b"paylight playground test key") -> None:
        from wallet.bitcoin.address import script_to_address
        from wallet.bitcoin.hashes import hash160, sha256
        from wallet.bitcoin.networks import REGTEST
        from wallet.bitcoin.script import p2wpkh_script
        from wallet.bitcoin.signing import public_key

        self.secret = sha256(seed)
        self.script = p2wpkh_script(hash160(public_key(self.secret)))
        self.address = script_to_address(self.script, REGTEST)

    def spend(self, coins: list[tuple[Any, int]], outputs: list[Any], **tx_fields: Any):
        """A signed transaction spending ``coins`` ((OutPoint, value) of this key's outputs)."""
        from wallet.bitcoin.signing import sign_transaction
        from wallet.bitcoin.transaction import SEQUENCE_RBF, Transaction, TxIn, TxOut

        sequence = tx_fields.pop("sequence", SEQUENCE_RBF)
        tx = Transaction(
            tx_fields.pop("version", 2),
            [TxIn(op, b"", sequence) for op, _ in coins],
            list(outputs),
            tx_fields.pop("locktime", 0),
        )
        spent = [TxOut(value, self.script) for _, value in coins]
        sign_transaction(tx, [self.secret], spent)
        return tx


def funded_coin(pg: Playground, key: TestKey, sats: int, confirm: bool = True):
    """Fund ``key`` from the faucet; return its coin as (OutPoint, value)."""
    from wallet.bitcoin.transaction import OutPoint

    txid = pg.fund(key.address, sats, confirm=confirm)
    with pg.lock:
        found = pg.ledger.find_tx(bytes.fromhex(txid)[::-1])
    vout = next(i for i, o in enumerate(found.entry.tx.outputs) if o.script_pubkey == key.script)
    return OutPoint.from_hex(txid, vout), sats


def read_json(stream) -> dict:
    """The first JSON value a playground process prints on ``stream`` (it may span lines)."""
    text = ""
    decoder = json.JSONDecoder()
    while True:
        line = stream.readline()
        assert line, "the playground exited before printing JSON"
        text += line
        try:
            value, _ = decoder.raw_decode(text.strip())
            return value
        except ValueError:
            continue
