"""Several servers at once: fail over, cross-check histories, drop the ones that misbehave.

A single server can hide a transaction from a wallet (it cannot forge a confirmation: the light
node checks every proof). So the pool asks for each script hash's history from at least two
servers when two are available, answers with everything any of them listed, and reports each
difference as a :class:`Disagreement` for the wallet to show.

A server is dropped for the rest of the session — never asked again, its reason kept for the
status panel — when it sends a malformed reply or proves incompatible (wrong network, protocol,
changed certificate), and when the light node calls :meth:`ServerPool.drop` because its proof or
its chain failed verification. A server that *stalls* — a request times out, or its connection
is lost while a request waits — is dropped too once it has done so ``stall_limit`` times in a row
(no answer in between; the requests one lost connection fails together count once) while another
server answered: otherwise it would slow every sync for the whole session. Short of that, and
always when no other server answers (a lone server, or our own network down), it is only skipped
for now and shown unreachable: its client retries with backoff, and one answer clears the count.
A refused connection or an HTTP 429/5xx is not a stall (the server is down or busy, not holding
us up). When several servers are asked the same thing (histories, fee estimates), once one has
answered the others get a grace period (:data:`GRACE_MIN` seconds, or :data:`GRACE_FACTOR` times
the first answer's time if longer); a request still unanswered then is given up, and a server
that lets the grace period pass ``stall_limit`` times in a row, answering nothing in between,
is dropped (a batch given up counts once for each request it carries): a server that never
answers histories costs one grace period, not its timeout, and is gone within the sync.
Choosing the best header chain and checking proofs belong to ``wallet/spv``; the pool fetches
and reports.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from wallet.backends.base import (
    Backend,
    ElectrumProof,
    HeaderReply,
    HistoryItem,
    IncompatibleServer,
    MalformedReply,
    RequestRejected,
    ServerError,
    ServerState,
    ServerStatus,
    ServerUnavailable,
    Tip,
    Utxo,
    check_scripthash,
    electrum_order,
)
from wallet.bitcoin.amount import FeeRate, median_fee_rate
from wallet.errors import PaylightError

log = logging.getLogger(__name__)

T = TypeVar("T")

_KIND_LABEL = {"malformed": "malformed reply", "incompatible": "incompatible server"}
#: Once one server has answered a request asked of several, the others get at least this long...
GRACE_MIN = 4.0
#: ...or this many times the first answer's time, if that is longer (a slow link for all).
GRACE_FACTOR = 10.0
_STALL_LABEL = {"timeout": "stalled", "closed": "lost the connection"}


class PoolError(PaylightError):
    """No server could answer: every one is dropped, unreachable, or refused."""


@dataclass(frozen=True, slots=True)
class Disagreement:
    """Servers told different stories about one transaction of one script hash.

    ``kind`` is ``"missing"`` (listed by some servers, not by others: the hiding attack, or a
    server that is behind or has not seen a mempool transaction yet) or ``"height"`` (listed by
    all, at different heights). ``heights`` maps each server that listed it to its height.
    """

    scripthash: bytes
    txid: bytes
    kind: str
    heights: dict[str, int]
    missing_from: tuple[str, ...]
    note: str

    @property
    def txid_hex(self) -> str:
        return self.txid[::-1].hex()

    @property
    def confirmed(self) -> bool:
        """Whether any server claims the transaction is in a block (the serious case)."""
        return any(h > 0 for h in self.heights.values())


@dataclass(frozen=True, slots=True)
class CheckedHistory:
    """One script hash's history as several servers gave it.

    ``items`` holds every transaction any server listed (Electrum order); where servers differ
    on a height, the first server's claim is used and ``disagreements`` has them all.
    """

    scripthash: bytes
    items: list[HistoryItem]
    by_server: dict[str, list[HistoryItem]]
    disagreements: list[Disagreement]

    @property
    def servers(self) -> list[str]:
        return list(self.by_server)

    @property
    def cross_checked(self) -> bool:
        return len(self.by_server) >= 2


@dataclass(frozen=True, slots=True)
class BroadcastResult:
    txid: bytes
    accepted: tuple[str, ...]
    #: server -> why it refused or failed
    refused: dict[str, str]

    @property
    def txid_hex(self) -> str:
        return self.txid[::-1].hex()


@dataclass
class _Stalls:
    """One server's run of stalled requests with no answer in between, and its last answer."""

    count: int = 0
    #: when the latest counted stall was seen; a request sent before then was in flight during
    #: it (a lost connection fails all of them at once) and is part of the same stall
    seen_at: float = -math.inf
    #: when the request of the latest counted stall was sent
    sent_at: float = -math.inf
    reason: str = ""
    cause: str = ""
    answered_at: float = -math.inf
    #: requests given up after the grace period in a row (each counts), with no answer between
    lags: int = 0


class ServerPool:
    """A small set of backends used together. Methods are coroutines on one event loop.

    ``stall_limit``: stalls in a row (timeouts, lost connections) after which a server is
    dropped, provided another server answered meanwhile; None never drops a server for stalls.
    """

    def __init__(
        self,
        backends: Iterable[Backend] = (),
        *,
        cross_check: int = 2,
        stall_limit: int | None = 3,
        on_drop: Callable[[str, str], None] | None = None,
    ) -> None:
        if stall_limit is not None and stall_limit < 1:
            raise ValueError("stall_limit is at least 1 (or None: never drop for stalls)")
        self.cross_check = max(1, cross_check)
        self.stall_limit = stall_limit
        self.on_drop = on_drop
        self._backends: dict[str, Backend] = {}
        self._dropped: dict[str, str] = {}
        self._stalls: dict[str, _Stalls] = {}
        self._closing: set[asyncio.Task[None]] = set()
        #: the latest disagreements (newest last), for the status panel
        self.disagreements: deque[Disagreement] = deque(maxlen=200)
        for backend in backends:
            self.add(backend)

    # -- membership -----------------------------------------------------------------------------

    def add(self, backend: Backend) -> None:
        if backend.name in self._backends:
            raise ValueError(f"two servers are named {backend.name!r}; give one another name")
        self._backends[backend.name] = backend
        self._stalls[backend.name] = _Stalls()
        backend.on_fault = lambda err, b=backend: self._fault(b, err)

    def backend(self, name: str) -> Backend:
        try:
            return self._backends[name]
        except KeyError:
            raise PoolError(f"there is no server named {name!r} in the pool") from None

    @property
    def names(self) -> list[str]:
        return list(self._backends)

    def is_dropped(self, name: str) -> bool:
        return name in self._dropped

    def dropped(self) -> dict[str, str]:
        """server -> the reason it was dropped."""
        return dict(self._dropped)

    def active(self) -> list[Backend]:
        """Servers not dropped, best first: working (by latency), not yet tried, unreachable."""
        rank = {
            ServerState.CONNECTED: 0,
            ServerState.IDLE: 1,
            ServerState.UNREACHABLE: 2,
            ServerState.FAULTY: 3,
            ServerState.CLOSED: 4,
        }

        def key(b: Backend) -> tuple[int, float]:
            s = b.status()
            return rank[s.state], s.latency_ms if s.latency_ms is not None else 1e9

        live = [b for n, b in self._backends.items() if n not in self._dropped]
        return sorted(live, key=key)

    def stalls(self, name: str) -> int:
        """How many times in a row ``name`` stalled (0 once it answers)."""
        return self._stalls[self.backend(name).name].count

    def status(self) -> list[ServerStatus]:
        """Per-server status (tip, latency, state, dropped reason) in the order added."""
        return [
            dataclasses.replace(b.status(), dropped=self._dropped.get(n))
            for n, b in self._backends.items()
        ]

    def drop(self, server: str | Backend, reason: str) -> None:
        """Stop using ``server`` for this session (bad proof, invalid chain, malformed replies)."""
        name = server if isinstance(server, str) else server.name
        backend = self._backends.get(name)
        if backend is None or name in self._dropped:
            return
        self._dropped[name] = reason
        log.warning("dropping server %s: %s", name, reason)
        if self.on_drop is not None:
            try:
                self.on_drop(name, reason)
            except Exception:
                log.exception("the on_drop handler failed")
        with contextlib.suppress(RuntimeError):  # no running loop: close() will do it
            task = asyncio.get_running_loop().create_task(backend.close())
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)

    def _fault(self, backend: Backend, err: ServerError) -> None:
        self.drop(backend, f"{_KIND_LABEL.get(err.kind, err.kind)}: {err.reason}")

    def _answered(self, backend: Backend) -> None:
        """``backend`` answered: its stall count restarts, and its answer may show others stall."""
        mine = self._stalls[backend.name]
        recovering = mine.count > 0  # it was stalling too: our network may just be back
        mine.count = 0
        mine.lags = 0
        mine.answered_at = time.monotonic()
        if recovering or self.stall_limit is None:
            return
        for name, run in self._stalls.items():
            if name != backend.name and run.count >= self.stall_limit:
                self._check_stalls(name)

    def _stalled(self, backend: Backend, err: ServerUnavailable, sent_at: float) -> None:
        """``backend`` stalled the request sent at ``sent_at``: count it, drop it past the limit."""
        run = self._stalls[backend.name]
        if sent_at < run.seen_at:
            return  # in flight during the stall already counted
        run.count += 1
        run.seen_at = time.monotonic()
        run.sent_at = sent_at
        run.reason = err.reason
        run.cause = err.cause or ""
        self._check_stalls(backend.name)

    def _lagged(self, name: str, witness: str, grace: float, requests: int = 1) -> None:
        """``name`` let the grace period pass after ``witness`` answered the same ``requests``
        (a batch carries several); at ``stall_limit`` in a row (no answer from it in between)
        it is dropped."""
        run = self._stalls[name]
        run.lags += requests
        if self.stall_limit is None or run.lags < self.stall_limit or name in self._dropped:
            return
        self.drop(
            name,
            f"stalled: no answer within the {grace:.1f} s grace period after {witness} answered, "
            f"{run.lags} times in a row",
        )

    def _check_stalls(self, name: str) -> None:
        """Drop ``name`` if it reached the stall limit while another server answered."""
        run = self._stalls[name]
        if self.stall_limit is None or run.count < self.stall_limit or name in self._dropped:
            return
        witness = next(
            (
                other
                for other, o in self._stalls.items()
                if other != name and other not in self._dropped and o.answered_at >= run.sent_at
            ),
            None,
        )
        if witness is None:
            return  # nobody else answers: keep it (unreachable) so the wallet can recover
        label = _STALL_LABEL.get(run.cause, "stalled")
        self.drop(
            name, f"{label}: {run.reason}, {run.count} times in a row, while {witness} answered"
        )

    async def close(self) -> None:
        for backend in self._backends.values():
            with contextlib.suppress(Exception):
                await backend.close()
        if self._closing:
            await asyncio.gather(*self._closing, return_exceptions=True)

    async def __aenter__(self) -> ServerPool:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- asking ---------------------------------------------------------------------------------

    def _no_server(self, what: str, errors: list[ServerError]) -> PaylightError:
        rejected = [e for e in errors if isinstance(e, RequestRejected)]
        if rejected:
            return rejected[0]
        if errors:
            detail = "; ".join(str(e) for e in errors)
            return PoolError(f"no server could {what}: {detail}")
        if self._dropped:
            detail = "; ".join(f"{n} ({r})" for n, r in self._dropped.items())
            return PoolError(f"no server left to {what}: all were dropped: {detail}")
        return PoolError(f"no server is configured to {what}")

    async def _ask(self, backend: Backend, op: Callable[[Backend], Awaitable[T]]) -> T:
        """``op(backend)``; a fault drops the server (on_fault did it), stalls are counted."""
        sent_at = time.monotonic()
        try:
            result = await op(backend)
        except (MalformedReply, IncompatibleServer) as err:
            self._fault(backend, err)  # also when the client's on_fault was replaced
            raise
        except RequestRejected:
            self._answered(backend)  # a refusal is an answer: the server is not stalling
            raise
        except ServerUnavailable as err:
            if err.cause in _STALL_LABEL:
                self._stalled(backend, err, sent_at)
            raise
        self._answered(backend)
        return result

    async def first(
        self, what: str, op: Callable[[Backend], Awaitable[T]], server: str | None = None
    ) -> tuple[str, T]:
        """Ask the best server, failing over to the next; (server name, answer)."""
        candidates = [self.backend(server)] if server is not None else self.active()
        if server is not None and server in self._dropped:
            raise PoolError(f"server {server} was dropped: {self._dropped[server]}")
        errors: list[ServerError] = []
        for backend in candidates:
            if backend.name in self._dropped:
                continue
            try:
                return backend.name, await self._ask(backend, op)
            except ServerError as err:
                errors.append(err)
        raise self._no_server(what, errors)

    async def _several(
        self, n: int, op: Callable[[Backend], Awaitable[T]], requests: int = 1
    ) -> tuple[dict[str, T], list[ServerError]]:
        """Answers from ``n`` servers (fewer if fewer work), asking the next when one fails.

        Once one has answered, the others have the grace period (see the module docstring);
        ``op`` carries ``requests`` requests (a batch), each given up with it."""
        queue = list(self.active())
        answers: dict[str, T] = {}
        errors: list[ServerError] = []
        running: dict[asyncio.Task[T], str] = {}
        sent: dict[asyncio.Task[T], float] = {}
        deadline: float | None = None
        first = ""
        grace = GRACE_MIN

        def launch() -> None:
            while queue and len(running) + len(answers) < n:
                backend = queue.pop(0)
                if backend.name not in self._dropped:
                    task = asyncio.ensure_future(self._ask(backend, op))
                    running[task] = backend.name
                    sent[task] = time.monotonic()

        launch()
        try:
            while running:
                wait = None if deadline is None else max(0.0, deadline - time.monotonic())
                done, _ = await asyncio.wait(
                    running, timeout=wait, return_when=asyncio.FIRST_COMPLETED
                )
                if not done:  # the grace period is over: give the others up
                    for task, name in running.items():
                        if not task.done():
                            self._lagged(name, first, grace, requests)
                    break
                for task in done:
                    name = running.pop(task)
                    err = task.exception()
                    if err is None:
                        answers[name] = task.result()
                        if deadline is None:
                            first = name
                            grace = max(GRACE_MIN, GRACE_FACTOR * (time.monotonic() - sent[task]))
                            deadline = time.monotonic() + grace
                    elif isinstance(err, ServerError):
                        errors.append(err)
                    else:
                        raise err
                launch()
        finally:
            for task in running:
                task.cancel()
                task.add_done_callback(_forget)
        return answers, errors

    async def everyone(self, op: Callable[[Backend], Awaitable[T]]) -> dict[str, T | ServerError]:
        """Ask every active server at once; server -> answer or its error."""
        backends = self.active()
        if not backends:
            raise self._no_server("answer", [])
        results = await asyncio.gather(
            *(self._ask(b, op) for b in backends), return_exceptions=True
        )
        out: dict[str, T | ServerError] = {}
        for backend, result in zip(backends, results):
            if isinstance(result, BaseException) and not isinstance(result, ServerError):
                raise result
            out[backend.name] = result
        return out

    # -- chain data (the light node chooses and verifies) ---------------------------------------

    async def get_tips(self) -> dict[str, Tip | ServerError]:
        """Every active server's claimed tip, for the light node to pick the most-work chain."""
        return await self.everyone(lambda b: b.get_tip())

    async def get_headers(
        self, start: int, count: int, server: str | None = None
    ) -> tuple[str, bytes]:
        return await self.first("send headers", lambda b: b.get_headers(start, count), server)

    async def get_header(
        self, height: int, cp_height: int = 0, server: str | None = None
    ) -> tuple[str, HeaderReply]:
        return await self.first("send a header", lambda b: b.get_header(height, cp_height), server)

    async def get_transaction(self, txid: bytes | str, server: str | None = None) -> bytes:
        return (
            await self.first("send the transaction", lambda b: b.get_transaction(txid), server)
        )[1]

    async def get_merkle(
        self, txid: bytes | str, height: int, server: str | None = None
    ) -> tuple[str, ElectrumProof]:
        """A Merkle proof and the server that gave it (to drop it if the proof fails)."""
        return await self.first("send a Merkle proof", lambda b: b.get_merkle(txid, height), server)

    # -- script hashes --------------------------------------------------------------------------

    async def get_history(self, scripthash: bytes) -> CheckedHistory:
        """The history from ``cross_check`` servers (when available), compared."""
        sh = check_scripthash(scripthash)
        answers, errors = await self._several(self.cross_check, lambda b: b.get_history(sh))
        if not answers:
            raise self._no_server("send a history", errors)
        order = [b.name for b in self.active() if b.name in answers]
        by_server = {name: answers[name] for name in order}
        result = _compare(sh, by_server, self._tip_heights())
        self.disagreements.extend(result.disagreements)
        return result

    async def get_histories(self, scripthashes: Sequence[bytes]) -> list[CheckedHistory]:
        """:meth:`get_history` of several script hashes: each server asked for all of them at
        once (one exchange where its protocol batches), the answers compared per script hash."""
        shs = [check_scripthash(sh) for sh in scripthashes]
        if not shs:
            return []
        answers, errors = await self._several(
            self.cross_check, lambda b: b.get_histories(shs), requests=len(shs)
        )
        if not answers:
            raise self._no_server("send a history", errors)
        order = [b.name for b in self.active() if b.name in answers]
        tips = self._tip_heights()
        out = []
        for i, sh in enumerate(shs):
            result = _compare(sh, {name: answers[name][i] for name in order}, tips)
            self.disagreements.extend(result.disagreements)
            out.append(result)
        return out

    def _tip_heights(self) -> dict[str, int | None]:
        return {n: b.status().tip_height for n, b in self._backends.items()}

    async def list_unspent(self, scripthash: bytes) -> tuple[str, list[Utxo]]:
        sh = check_scripthash(scripthash)
        return await self.first("list unspent outputs", lambda b: b.list_unspent(sh))

    async def get_mempool(self, scripthash: bytes) -> tuple[str, list[HistoryItem]]:
        sh = check_scripthash(scripthash)
        return await self.first("list mempool transactions", lambda b: b.get_mempool(sh))

    # -- sending and fees -----------------------------------------------------------------------

    async def broadcast(self, raw_tx: bytes) -> BroadcastResult:
        """Send to every active server (one honest relay is enough); refused by all: raises."""
        results = await self.everyone(lambda b: b.broadcast(raw_tx))
        accepted = {n: r for n, r in results.items() if not isinstance(r, ServerError)}
        refused = {n: r for n, r in results.items() if isinstance(r, ServerError)}
        if not accepted:
            raise self._no_server("broadcast the transaction", list(refused.values()))
        txid = next(iter(accepted.values()))
        return BroadcastResult(txid, tuple(accepted), {n: e.reason for n, e in refused.items()})

    async def estimate_fee(self, blocks: int) -> FeeRate | None:
        """The median of up to three servers' estimates: one server cannot set our fee alone."""
        answers, errors = await self._several(3, lambda b: b.estimate_fee(blocks))
        if not answers:
            raise self._no_server("estimate a fee", errors)
        return median_fee_rate([r for r in answers.values() if r is not None])

    async def relay_fee(self) -> FeeRate:
        """The highest of up to three servers' relay fees (a transaction must pass them all)."""
        answers, errors = await self._several(3, lambda b: b.relay_fee())
        if not answers:
            raise self._no_server("tell the relay fee", errors)
        return max(answers.values())

    # -- subscriptions --------------------------------------------------------------------------

    async def subscribe_headers(
        self, callback: Callable[[str, Tip], Any]
    ) -> dict[str, Tip | ServerError]:
        """Follow every active server's tip: ``callback(server, tip)`` on each new one."""

        def bind(name: str) -> Callable[[Tip], Any]:
            return lambda tip: callback(name, tip)

        return await self.everyone(lambda b: b.subscribe_headers(bind(b.name)))

    async def subscribe_scripthash(
        self, scripthash: bytes, callback: Callable[[str, bytes, str | None], Any]
    ) -> dict[str, str | None]:
        """Watch ``scripthash`` on ``cross_check`` servers: ``callback(server, sh, status)``."""
        sh = check_scripthash(scripthash)

        def bind(name: str) -> Callable[[bytes, str | None], Any]:
            return lambda s, status: callback(name, s, status)

        answers, errors = await self._several(
            self.cross_check, lambda b: b.subscribe_scripthash(sh, bind(b.name))
        )
        if not answers:
            raise self._no_server("watch the script hash", errors)
        return answers


def _forget(task: asyncio.Task[Any]) -> None:
    """A request given up on: its outcome is not wanted (and not worth a warning)."""
    if not task.cancelled():
        task.exception()


def _compare(
    sh: bytes, by_server: dict[str, list[HistoryItem]], tips: dict[str, int | None]
) -> CheckedHistory:
    merged: dict[bytes, HistoryItem] = {}
    heights: dict[bytes, dict[str, int]] = {}
    for name, items in by_server.items():
        for item in items:
            merged.setdefault(item.txid, item)
            heights.setdefault(item.txid, {})[name] = item.height
    disagreements = []
    for txid, seen in heights.items():
        missing = tuple(n for n in by_server if n not in seen)
        if missing:
            claimed = max(seen.values())
            notes = []
            for name in missing:
                tip = tips.get(name)
                if claimed > 0 and tip is not None and tip < claimed:
                    notes.append(f"{name} is behind (its tip is {tip}, the block {claimed})")
            where = f"in block {claimed}" if claimed > 0 else "in the mempool"
            note = (
                f"{', '.join(seen)} list{'s' if len(seen) == 1 else ''} transaction "
                f"{txid[::-1].hex()} ({where}); {', '.join(missing)} "
                f"{'does' if len(missing) == 1 else 'do'} not"
            )
            if notes:
                note += " — " + "; ".join(notes)
            disagreements.append(Disagreement(sh, txid, "missing", dict(seen), missing, note))
            continue
        # 0 and -1 both mean "in the mempool" (they differ only on the parents' state)
        if len({max(h, 0) for h in seen.values()}) > 1:
            listed = ", ".join(f"{n} says {h if h > 0 else 'mempool'}" for n, h in seen.items())
            note = f"servers differ on the height of {txid[::-1].hex()}: {listed}"
            disagreements.append(Disagreement(sh, txid, "height", dict(seen), (), note))
    confirmed = sorted(
        (i for i in merged.values() if i.height > 0), key=lambda i: i.height
    )  # stable: each block's transactions keep the first server's order
    items = electrum_order(confirmed + [i for i in merged.values() if i.height <= 0])
    return CheckedHistory(sh, items, by_server, disagreements)
