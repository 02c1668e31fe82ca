"""The one interface every server backend speaks, the typed answers it returns, and its errors.

A backend answers for one server. Everything it returns has been shape-checked (see
:mod:`wallet.backends.schema`); nothing it returns has been *verified* — headers, proofs and
histories are claims, and the light node (``wallet/spv``) and the pool decide what to believe.
Hashes are bytes in internal order (as in transactions and the wallet database); script hashes
are ``sha256(scriptPubKey)`` as bytes, converted to each protocol's own spelling by the client.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import hashlib
import inspect
import logging
import random
import time
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from wallet.bitcoin.amount import FeeRate
from wallet.bitcoin.hashes import sha256d
from wallet.errors import PaylightError
from wallet.spv.merkle import CoinbaseProof, ElectrumProof

log = logging.getLogger(__name__)

__all__ = [
    "Backend",
    "Backoff",
    "CoinbaseProof",
    "ElectrumProof",
    "HeaderProof",
    "HeaderReply",
    "HistoryItem",
    "IncompatibleServer",
    "MalformedReply",
    "RequestRejected",
    "ServerError",
    "ServerState",
    "ServerStatus",
    "ServerUnavailable",
    "Tip",
    "UnsupportedRequest",
    "Utxo",
    "electrum_status",
    "scripthash_of",
]


# -- errors -------------------------------------------------------------------------------------


class ServerError(PaylightError):
    """Something went wrong with one server; ``server`` names it, ``reason`` says what.

    The subclass says whose fault it is: :class:`MalformedReply` and :class:`IncompatibleServer`
    are the server's (the pool drops it), :class:`ServerUnavailable` may pass (the pool asks
    another server), :class:`RequestRejected` is the server refusing a request on its merits.
    """

    kind: ClassVar[str] = "error"

    def __init__(self, server: str, reason: str) -> None:
        self.server = server
        self.reason = reason
        super().__init__(f"server {server}: {reason}")

    def again(self, reason: str | None = None) -> ServerError:
        """A fresh error of the same type (one exception object per waiting caller)."""
        err = type(self).__new__(type(self))
        err.__dict__.update({k: v for k, v in self.__dict__.items() if k != "_recorded"})
        ServerError.__init__(err, self.server, reason or self.reason)
        return err


class MalformedReply(ServerError):
    """A reply that breaks the protocol: bad JSON, wrong types, wrong sizes, over a limit, or
    data that contradicts itself (a transaction that does not hash to the txid asked for)."""

    kind = "malformed"


class IncompatibleServer(ServerError):
    """The server cannot serve this wallet: protocol version, network, or TLS certificate."""

    kind = "incompatible"


class ServerUnavailable(ServerError):
    """No usable answer in time: refused or dropped connection, timeout, HTTP 429/5xx.

    ``cause`` is ``"timeout"`` (asked, no answer in time) or ``"closed"`` (the connection was
    lost while a request waited) when the server itself stalled the request; None otherwise
    (refused connection, busy, waiting out a backoff). The pool drops a server that keeps
    stalling while another answers.
    """

    kind = "unavailable"

    def __init__(self, server: str, reason: str, cause: str | None = None) -> None:
        super().__init__(server, reason)
        self.cause = cause


class RequestRejected(ServerError):
    """A well-formed refusal: unknown transaction, broadcast rejected, height above the tip.

    ``code`` is the JSON-RPC error code or the HTTP status, when there is one.
    """

    kind = "rejected"

    def __init__(self, server: str, reason: str, code: int | None = None) -> None:
        super().__init__(server, reason)
        self.code = code


class UnsupportedRequest(ServerError):
    """The protocol has no way to ask this (e.g. checkpoint proofs over Esplora)."""

    kind = "unsupported"


# -- answers ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tip:
    """A server's claimed chain tip: its height and raw 80-byte header."""

    height: int
    header: bytes

    @property
    def hash(self) -> bytes:
        return sha256d(self.header)

    @property
    def hash_hex(self) -> str:
        return self.hash[::-1].hex()


@dataclass(frozen=True, slots=True)
class HeaderProof:
    """Electrum's ``cp_height`` proof: the header's hash is a leaf of the Merkle tree of all
    block hashes up to the checkpoint height, whose root is ``root`` (internal order)."""

    cp_height: int
    branch: tuple[bytes, ...]
    root: bytes


@dataclass(frozen=True, slots=True)
class HeaderReply:
    height: int
    header: bytes
    proof: HeaderProof | None = None


@dataclass(frozen=True, slots=True)
class HistoryItem:
    """One transaction touching a script hash, as Electrum lists it.

    ``height`` is the block height; 0 means in the mempool with confirmed inputs, -1 in the
    mempool with an unconfirmed input. ``fee`` (satoshis) is given for mempool transactions.
    """

    txid: bytes
    height: int
    fee: int | None = None

    @property
    def txid_hex(self) -> str:
        return self.txid[::-1].hex()

    @property
    def confirmed(self) -> bool:
        return self.height > 0


@dataclass(frozen=True, slots=True)
class Utxo:
    txid: bytes
    vout: int
    value: int
    #: block height, 0 when unconfirmed
    height: int

    @property
    def txid_hex(self) -> str:
        return self.txid[::-1].hex()


class ServerState(enum.StrEnum):
    IDLE = "idle"  # not connected, nothing failing (nothing asked yet, or an idle close)
    CONNECTED = "connected"  # the last exchange worked
    UNREACHABLE = "unreachable"  # the last attempt failed; retried with backoff
    FAULTY = "faulty"  # the last reply was malformed or the server is incompatible
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class ServerStatus:
    """What the light-node panel shows for one server."""

    name: str
    url: str
    protocol: str
    state: ServerState
    tip_height: int | None = None
    tip_hash: str | None = None
    #: smoothed round-trip time of successful requests, milliseconds
    latency_ms: float | None = None
    requests: int = 0
    failures: int = 0
    last_error: str | None = None
    #: set by the pool: why this server is no longer used this session
    dropped: str | None = None


HeaderCallback = Callable[[Tip], Awaitable[None] | None]
ScripthashCallback = Callable[[bytes, str | None], Awaitable[None] | None]


# -- helpers ------------------------------------------------------------------------------------


def scripthash_of(script_pubkey: bytes) -> bytes:
    """The script hash both protocols index by: sha256 of the scriptPubKey (natural order)."""
    return hashlib.sha256(script_pubkey).digest()


def electrum_status(items: Iterable[HistoryItem]) -> str | None:
    """Electrum's status of a history (protocol-basics "Status"): None when empty."""
    text = "".join(f"{i.txid_hex}:{i.height}:" for i in items)
    return hashlib.sha256(text.encode()).hexdigest() if text else None


def electrum_order(items: Iterable[HistoryItem]) -> list[HistoryItem]:
    """Confirmed first (in the given chain order), then the mempool by (-height, txid)."""
    items = list(items)
    confirmed = [i for i in items if i.height > 0]
    pooled = sorted((i for i in items if i.height <= 0), key=lambda i: (-i.height, i.txid_hex))
    return confirmed + pooled


def txid_bytes(txid: bytes | str) -> bytes:
    """Accept a txid as internal-order bytes or display hex; return internal-order bytes."""
    if isinstance(txid, str):
        try:
            raw = bytes.fromhex(txid)
        except ValueError:
            raw = b""
        if len(raw) != 32:
            raise ValueError(f"a txid is 64 hex digits, got {txid!r}")
        return raw[::-1]
    if len(txid) != 32:
        raise ValueError(f"a txid is 32 bytes, got {len(txid)}")
    return bytes(txid)


def check_scripthash(sh: bytes) -> bytes:
    if not isinstance(sh, bytes | bytearray) or len(sh) != 32:
        raise ValueError("a script hash is the 32-byte sha256 of a scriptPubKey")
    return bytes(sh)


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter: attempt n waits about ``base * factor**(n-1)``."""

    base: float = 0.5
    maximum: float = 30.0
    factor: float = 2.0
    jitter: float = 0.2

    def delay(self, attempt: int) -> float:
        if attempt <= 0:
            return 0.0
        raw = min(self.maximum, self.base * self.factor ** min(attempt - 1, 32))
        return max(0.0, raw * (1 + random.uniform(-self.jitter, self.jitter)))


async def call_back(callback: Callable[..., Any], *args: Any) -> None:
    """Run a subscriber's callback (plain or async); its failure is logged, never ours."""
    try:
        result = callback(*args)
        if inspect.isawaitable(result):
            await result
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("a subscription callback failed")


class Notifier:
    """Delivers notifications to callbacks in order on one task, newest-wins per key.

    A burst of new blocks or status changes collapses to the latest one per subscription, so a
    slow callback can never make the queue grow without bound.
    """

    def __init__(self) -> None:
        self._due: dict[Any, tuple[list[Callable[..., Any]], tuple[Any, ...]]] = {}
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopped = False

    def post(self, key: Any, callbacks: list[Callable[..., Any]], args: tuple[Any, ...]) -> None:
        if not callbacks or self._stopped:
            return
        self._due.pop(key, None)
        self._due[key] = (list(callbacks), args)
        if self._wake is None:
            self._wake = asyncio.Event()
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())
        self._wake.set()

    async def _run(self) -> None:
        assert self._wake is not None
        while not self._stopped:
            await self._wake.wait()
            self._wake.clear()
            while self._due and not self._stopped:
                key = next(iter(self._due))
                callbacks, args = self._due.pop(key)
                for callback in callbacks:
                    await call_back(callback, *args)

    async def close(self) -> None:
        task, self._task = self._task, None
        self._due.clear()
        self._stopped = True
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        # (a callback closing its own client: the loop ends once the callback returns)


@dataclass
class _Stats:
    requests: int = 0
    failures: int = 0
    latency: float | None = None
    last_error: str | None = None
    state: ServerState = ServerState.IDLE
    tip: Tip | None = None
    extra: dict[str, Any] = field(default_factory=dict)


# -- the interface ------------------------------------------------------------------------------


class Backend(ABC):
    """One server. Methods are coroutines; a client belongs to the event loop that first uses it.

    Every method raises :class:`ServerError` (a subclass) for anything the server did wrong,
    and ``ValueError`` for a bad argument from the caller.
    """

    protocol: ClassVar[str] = ""
    #: one request can carry many (Electrum's JSON-RPC batches): bulk fetches of transactions
    #: and proofs go to such a server first, as one exchange costs it and us far less than many
    batches: ClassVar[bool] = False

    def __init__(self, name: str, url: str) -> None:
        self.name = name
        self.url = url
        self._stats = _Stats()
        #: called with every MalformedReply/IncompatibleServer the client meets, including those
        #: no caller sees (a bad notification); the pool uses it to drop the server
        self.on_fault: Callable[[ServerError], None] | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"

    # bookkeeping shared by the clients

    def _ok(self, started: float) -> None:
        elapsed = (time.monotonic() - started) * 1000
        stats = self._stats
        stats.requests += 1
        stats.latency = elapsed if stats.latency is None else 0.8 * stats.latency + 0.2 * elapsed
        if stats.state != ServerState.CLOSED:
            stats.state = ServerState.CONNECTED

    def _failed(self, err: ServerError) -> ServerError:
        """Record ``err`` once (it may pass through several layers) and return it."""
        if getattr(err, "_recorded", False):
            return err
        err._recorded = True
        stats = self._stats
        stats.requests += 1
        stats.failures += 1
        stats.last_error = err.reason
        if stats.state != ServerState.CLOSED and not isinstance(err, RequestRejected):
            if isinstance(err, MalformedReply | IncompatibleServer):
                stats.state = ServerState.FAULTY
            elif isinstance(err, ServerUnavailable):
                stats.state = ServerState.UNREACHABLE
        if isinstance(err, MalformedReply | IncompatibleServer) and self.on_fault is not None:
            try:
                self.on_fault(err)
            except Exception:
                log.exception("the fault handler failed")
        return err

    def _saw_tip(self, tip: Tip) -> None:
        self._stats.tip = tip  # the latest claim, even a lower one after a reorg

    def status(self) -> ServerStatus:
        s = self._stats
        return ServerStatus(
            name=self.name,
            url=self.url,
            protocol=self.protocol,
            state=s.state,
            tip_height=s.tip.height if s.tip else None,
            tip_hash=s.tip.hash_hex if s.tip else None,
            latency_ms=None if s.latency is None else round(s.latency, 2),
            requests=s.requests,
            failures=s.failures,
            last_error=s.last_error,
        )

    async def __aenter__(self) -> Backend:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # the protocol-independent API

    @abstractmethod
    async def close(self) -> None:
        """Close connections and stop subscriptions; the client cannot be used afterwards."""

    @abstractmethod
    async def get_tip(self) -> Tip: ...

    @abstractmethod
    async def get_headers(self, start: int, count: int) -> bytes:
        """Up to ``count`` raw headers from ``start`` (fewer only where the chain ends)."""

    @abstractmethod
    async def get_header(self, height: int, cp_height: int = 0) -> HeaderReply:
        """The header at ``height``; with ``cp_height`` also its proof to that checkpoint."""

    @abstractmethod
    async def get_history(self, scripthash: bytes) -> list[HistoryItem]:
        """Confirmed transactions in chain order, then mempool ones (Electrum's order)."""

    @abstractmethod
    async def get_mempool(self, scripthash: bytes) -> list[HistoryItem]: ...

    @abstractmethod
    async def list_unspent(self, scripthash: bytes) -> list[Utxo]: ...

    @abstractmethod
    async def get_transaction(self, txid: bytes | str) -> bytes:
        """Raw transaction bytes, checked to hash to ``txid``."""

    @abstractmethod
    async def get_merkle(self, txid: bytes | str, height: int) -> ElectrumProof: ...

    async def get_coinbase_branch(self, height: int, block_hash: bytes) -> CoinbaseProof:
        """The coinbase txid of the block ``block_hash`` at ``height`` and its Merkle branch
        (position 0): what proves the depth of the block's tree. Unchecked, like every answer."""
        raise UnsupportedRequest(self.name, "this server cannot send a coinbase's Merkle branch")

    # several at once: one exchange where the protocol batches, else the single calls together

    async def get_histories(self, scripthashes: Sequence[bytes]) -> list[list[HistoryItem]]:
        """:meth:`get_history` of each script hash, in order; the first failure is raised."""
        answers = await _each([self.get_history(sh) for sh in scripthashes])
        for answer in answers:
            if isinstance(answer, ServerError):
                raise answer
        return answers  # type: ignore[return-value]

    async def get_transactions(self, txids: Sequence[bytes]) -> list[bytes | ServerError]:
        """:meth:`get_transaction` of each txid, in order; a failed one is its error."""
        return await _each([self.get_transaction(t) for t in txids])

    async def get_merkles(
        self, wanted: Sequence[tuple[bytes, int]]
    ) -> list[ElectrumProof | ServerError]:
        """:meth:`get_merkle` of each ``(txid, height)``, in order; a failed one is its error."""
        return await _each([self.get_merkle(t, h) for t, h in wanted])

    async def get_coinbase_branches(
        self, wanted: Sequence[tuple[int, bytes]]
    ) -> list[CoinbaseProof | ServerError]:
        """:meth:`get_coinbase_branch` of each ``(height, block_hash)``, in order; a failed one
        is its error."""
        return await _each([self.get_coinbase_branch(h, b) for h, b in wanted])

    @abstractmethod
    async def broadcast(self, raw_tx: bytes) -> bytes:
        """Send a transaction; its txid (internal order) once the server accepts it."""

    @abstractmethod
    async def estimate_fee(self, blocks: int) -> FeeRate | None:
        """The fee rate to confirm within ``blocks`` blocks, or None when the server cannot
        tell."""

    @abstractmethod
    async def relay_fee(self) -> FeeRate:
        """The lowest fee rate the server relays."""

    @abstractmethod
    async def subscribe_headers(self, callback: HeaderCallback) -> Tip:
        """Call ``callback(tip)`` on each new tip (newest wins in a burst); the current tip."""

    @abstractmethod
    async def subscribe_scripthash(
        self, scripthash: bytes, callback: ScripthashCallback
    ) -> str | None:
        """Call ``callback(scripthash, status)`` when the history changes; the current status."""

    @abstractmethod
    async def unsubscribe_scripthash(self, scripthash: bytes) -> None: ...


async def _each(calls: list[Awaitable[Any]]) -> list[Any]:
    """Run ``calls`` together; each answer or its ServerError (any other exception is raised)."""
    answers = await asyncio.gather(*calls, return_exceptions=True)
    for answer in answers:
        if isinstance(answer, BaseException) and not isinstance(answer, ServerError):
            raise answer
    return answers
