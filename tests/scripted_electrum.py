"""A real Electrum-protocol server on 127.0.0.1 whose answers a test scripts per method, and a
self-signed certificate for it (helpers of the backend tests; no tests here)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import ipaddress
import json
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from wallet.backends import (
    Backoff,
    ElectrumClient,
)
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.networks import REGTEST

FAST = Backoff(base=0.01, maximum=0.05, jitter=0.0)


def regtest_genesis() -> bytes:
    n = REGTEST
    header = (
        n.genesis_version.to_bytes(4, "little")
        + bytes(32)
        + bytes.fromhex(n.genesis_merkle_root)[::-1]
        + n.genesis_time.to_bytes(4, "little")
        + n.genesis_bits.to_bytes(4, "little")
        + n.genesis_nonce.to_bytes(4, "little")
    )
    assert sha256d(header)[::-1].hex() == n.genesis_hash
    return header


@dataclass
class Raw:
    """Send these bytes instead of a JSON reply."""

    data: bytes


@dataclass
class Close:
    """Close the connection instead of answering (after sending ``partial`` bytes)."""

    partial: bytes = b""


@dataclass
class Delay:
    seconds: float
    then: Any = None


@dataclass
class Error:
    code: int
    message: str


class ScriptedElectrum:
    """A real Electrum-protocol server on 127.0.0.1 whose answers a test scripts per method.

    ``handlers[method](params)`` returns a JSON result, or :class:`Raw`, :class:`Close`,
    :class:`Delay`, :class:`Error`. ``server.version`` answers 1.4 unless scripted. Each request
    line is handled in its own task, so replies can come back in any order.
    """

    def __init__(
        self,
        handlers: dict[str, Callable[[list[Any]], Any]] | None = None,
        *,
        tls: ssl.SSLContext | None = None,
        genesis: str = REGTEST.genesis_hash,
    ) -> None:
        self.handlers: dict[str, Callable[[list[Any]], Any]] = {
            "server.version": lambda p: ["Scripted 0.1", "1.4"],
            "server.features": lambda p: {"genesis_hash": genesis, "hash_function": "sha256"},
            "server.ping": lambda p: None,
        }
        self.handlers.update(handlers or {})
        self.tls = tls
        self.requests: list[tuple[str, list[Any]]] = []
        self.connections = 0
        self.connect_times: list[float] = []
        self.refuse = False  # close new connections at once
        self.writers: set[asyncio.StreamWriter] = set()
        self._server: asyncio.base_events.Server | None = None
        self.port = 0

    async def __aenter__(self) -> ScriptedElectrum:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", 0, ssl=self.tls)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self.writers):
            writer.close()
        await asyncio.wait_for(self._server.wait_closed(), 5)

    def client(self, **options: Any) -> ElectrumClient:
        options.setdefault("timeout", 2.0)
        options.setdefault("backoff", FAST)
        options.setdefault("name", "scripted")
        return ElectrumClient("127.0.0.1", self.port, tls=self.tls is not None, **options)

    async def notify(self, method: str, params: list[Any]) -> None:
        line = json.dumps({"jsonrpc": "2.0", "method": method, "params": params}).encode()
        for writer in list(self.writers):
            writer.write(line + b"\n")
            await writer.drain()

    def drop_all(self) -> None:
        for writer in list(self.writers):
            writer.close()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self.connect_times.append(time.monotonic())
        if self.refuse:
            writer.close()
            return
        self.writers.add(writer)
        tasks = set()
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                task = asyncio.ensure_future(self._answer(json.loads(line), writer))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
        except (ConnectionError, ssl.SSLError, ValueError):
            pass  # ValueError: not JSON (a TLS hello on a plain port)
        finally:
            self.writers.discard(writer)
            writer.close()

    async def _answer(self, request: dict[str, Any], writer: asyncio.StreamWriter) -> None:
        method, params = request["method"], request.get("params", [])
        self.requests.append((method, params))
        handler = self.handlers.get(method)
        result = handler(params) if handler else Error(-32601, f"unknown method {method}")
        while isinstance(result, Delay):
            await asyncio.sleep(result.seconds)
            result = result.then
        if isinstance(result, Close):
            if result.partial:
                writer.write(result.partial)
                await writer.drain()
            writer.close()
            return
        if isinstance(result, Raw):
            data = result.data
        elif isinstance(result, Error):
            error = {"code": result.code, "message": result.message}
            data = json.dumps({"jsonrpc": "2.0", "id": request["id"], "error": error}).encode()
            data += b"\n"
        else:
            data = json.dumps({"jsonrpc": "2.0", "id": request["id"], "result": result}).encode()
            data += b"\n"
        if writer.is_closing():
            return
        writer.write(data)
        with contextlib.suppress(ConnectionError):
            await writer.drain()


GENESIS = regtest_genesis()

TIP = {"hex": GENESIS.hex(), "height": 0}


def answer(value: Any) -> Callable[[list[Any]], Any]:
    return lambda params: value


def make_cert(directory: Path, name: str) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / f"{name}.pem", directory / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def server_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context
