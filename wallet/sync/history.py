"""The wallet's history: address discovery, transactions, and their Merkle proofs checked locally.

For every script hash of the wallet (both chains, extended to the gap limit past the last used
address) the history is asked of at least two servers when two are available
(:meth:`ServerPool.get_history`); the union is used and each difference is reported. Then, per
transaction:

1. the raw bytes are fetched and must hash to the txid (and not be 64 bytes long) — a server
   that sends anything else is dropped; a transaction that spends a wallet coin must carry a
   signature valid for that coin (:mod:`wallet.sync.signatures`), else every server listing it
   is dropped and it is not stored;
2. if a server says it is mined at height *h* and our header store reaches *h*, its Merkle
   branch is fetched and checked against **our** header at *h* and against the block's tree
   depth, proven by the block's coinbase (:mod:`wallet.sync.anchors`); a server whose branch
   fails is dropped and the next one asked. Only a checked proof makes a transaction
   ``confirmed`` (the proof is stored with it); mined but unproven is ``unverified``; in a
   mempool ``unconfirmed``;
3. a transaction no server lists any more is ``replaced`` when a live transaction spends the
   same wallet coin (RBF, double spend), else forgotten (evicted from the mempools).

A server that leaves out a transaction another server lists, when the transaction's proof then
checks out and that server's tip is past its block, is hiding it: it is dropped with that reason.
A server that lists more unprovable transactions than a wallet could have is flooding
(:mod:`wallet.sync.flood`): it is dropped before they are downloaded, and none is stored.

Requests are issued together (the clients pipeline them on one connection) with at most
``concurrency`` outstanding. Histories go out in batches (one JSON-RPC batch per Electrum server,
the single calls together on Esplora), asked of every server cross-checking. Each raw
transaction and each proof is fetched once, from one server — those that batch first (Electrum),
split between them — and checked here exactly as a single answer is (hash, flood bounds,
signatures, tree depth); whatever that fails is asked one by one of every server.
Each step — one round of discovery — is written in one database transaction, together with
the address statuses it used, so a killed process leaves either the whole step or none of it.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Collection,
    Hashable,
    Iterable,
    Iterator,
    Sequence,
)
from dataclasses import dataclass, field
from typing import Any, TypeVar

from wallet.account.database import (
    AddressRecord,
    Chain,
    MerkleProof,
    TxRecord,
    TxState,
    WalletDatabase,
)
from wallet.account.wallet_file import Wallet
from wallet.backends.base import Backend, HistoryItem, ServerError, electrum_status
from wallet.backends.pool import CheckedHistory, Disagreement, ServerPool
from wallet.bitcoin.errors import BitcoinError
from wallet.bitcoin.hashes import sha256
from wallet.bitcoin.transaction import OutPoint, Transaction, TxOut, identify
from wallet.errors import PaylightError
from wallet.spv.errors import MerkleProofError
from wallet.spv.merkle import CoinbaseProof, ElectrumProof
from wallet.spv.store import HeaderStore
from wallet.sync.anchors import BlockAnchors
from wallet.sync.events import ServerEvent, SyncEvent, TxEvent
from wallet.sync.flood import FloodGuard
from wallet.sync.signatures import NeedPrevouts, invalid_inputs

log = logging.getLogger(__name__)

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)

#: Requests outstanding at once (across all servers); a batch counts as one.
DEFAULT_CONCURRENCY = 64
#: Script hashes, transactions or proofs asked for in one batch.
BATCH = 50
#: Parent transactions fetched to check one Taproot spend of a wallet coin beside others' coins.
MAX_PARENTS_FETCHED = 500


class HistoryError(PaylightError):
    """The history could not be fetched: no server answered."""


@dataclass
class _Claim:
    """What the servers said about one transaction in this step."""

    txid: bytes
    #: server -> height it listed (0/-1 mempool)
    heights: dict[str, int] = field(default_factory=dict)

    def mined_heights(self) -> list[int]:
        """Distinct positive heights claimed, the most often claimed first."""
        counts: dict[int, int] = {}
        for h in self.heights.values():
            if h > 0:
                counts[h] = counts.get(h, 0) + 1
        return sorted(counts, key=lambda h: (-counts[h], h))


@dataclass
class _Outcome:
    state: TxState
    height: int | None = None
    proof: MerkleProof | None = None


@dataclass
class HistoryStats:
    """Running totals the engine reports."""

    proofs_verified: int = 0
    proofs_total: int = 0
    disagreements: list[Disagreement] = field(default_factory=list)
    #: wall-clock seconds spent waiting on each phase of the steps (benchmarks report them)
    seconds: dict[str, float] = field(default_factory=dict)

    @contextlib.contextmanager
    def timed(self, phase: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            elapsed = time.perf_counter() - started
            self.seconds[phase] = self.seconds.get(phase, 0.0) + elapsed


def touched_script_hashes(tx: Transaction, spent: dict[OutPoint, bytes]) -> set[bytes]:
    """Script hashes a transaction pays to, or spends from (``spent``: wallet outpoint -> sh)."""
    out = {sha256(o.script_pubkey) for o in tx.outputs}
    for txin in tx.inputs:
        sh = spent.get(txin.prevout)
        if sh is not None:
            out.add(sh)
    return out


class HistorySync:
    """Fetches and verifies one wallet's history into its database (see the module docstring)."""

    def __init__(
        self,
        wallet: Wallet,
        pool: ServerPool,
        headers: HeaderStore,
        *,
        emit: Callable[[SyncEvent], None] | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
    ) -> None:
        self.wallet = wallet
        self.db: WalletDatabase = wallet.db
        self.pool = pool
        self.headers = headers
        self._emit = emit or (lambda event: None)
        self._limit = asyncio.Semaphore(max(1, concurrency))
        # one round-robin per kind of request, so each kind is spread evenly over the servers
        self._spread = itertools.count()
        self._spread_proofs = itertools.count()
        self._spread_anchors = itertools.count()
        self.stats = HistoryStats()
        self.progress: Callable[[], None] | None = None
        self.flood = FloodGuard()
        self.anchors = BlockAnchors(
            self.db,
            pool,
            headers,
            drop=self._drop,
            servers=lambda: self._servers_from(next(self._spread_anchors)),
        )

    # -- helpers ------------------------------------------------------------------------------

    async def _limited(self, coro: Awaitable[T]) -> T:
        async with self._limit:
            return await coro

    def _drop(self, server: str, reason: str) -> None:
        if self.pool.is_dropped(server):
            return
        self.pool.drop(server, reason)
        # pool.on_drop (set by the engine) reports it; without an engine, report here
        if self.pool.on_drop is None:
            self._emit(ServerEvent(server, "dropped", reason))

    def _servers_from(self, start: int) -> list[str]:
        """The servers not dropped, in the pool's fixed order, rotated to start at ``start``."""
        names = [n for n in self.pool.names if not self.pool.is_dropped(n)]
        if not names:
            return []
        k = start % len(names)
        return names[k:] + names[:k]

    async def _bulk(
        self,
        what: str,
        items: Sequence[K],
        call: Callable[[Backend, list[K]], Awaitable[list[Any]]],
    ) -> dict[K, tuple[str, Any]]:
        """Fetch ``items`` in batches from the servers that batch, split between them: item ->
        (server, answer). Items that failed are left out, for the one-at-a-time path to ask of
        every server (which also judges the answers: nothing here is trusted yet).

        Each server that cannot batch still answers for one item (a spot check, the rest costs
        it nothing), so one that lies about transactions or proofs is caught and dropped too.
        """
        active = self.pool.active()
        names = [b.name for b in active if b.batches]
        if not names or not items:
            return {}
        checked = [b.name for b in active if not b.batches][: len(items)]
        spots = [[items[i]] for i in range(len(checked))]
        rest = items[len(checked) :]
        chunks = [list(rest[i : i + BATCH]) for i in range(0, len(rest), BATCH)]

        async def fetch(server: str, chunk: list[K]) -> list[tuple[K, tuple[str, Any]]]:
            try:
                _, answers = await self.pool.first(what, lambda b: call(b, chunk), server)
            except PaylightError:
                return []  # unreachable, dropped meanwhile: the items go one by one
            return [
                (item, (server, answer))
                for item, answer in zip(chunk, answers, strict=True)
                if not isinstance(answer, BaseException)
            ]

        parts = await asyncio.gather(
            *(self._limited(fetch(server, spot)) for server, spot in zip(checked, spots)),
            *(self._limited(fetch(names[k % len(names)], c)) for k, c in enumerate(chunks)),
        )
        return dict(pair for part in parts for pair in part)

    async def _each(
        self,
        items: Sequence[K],
        prefetched: Callable[[K], tuple[str, Any] | None],
        work: Callable[[K], Awaitable[T]],
    ) -> dict[K, T]:
        """``work(item)`` for each item: one by one where a batch brought the answer (checking it
        needs no network, so no task is made for it), together for the rest (and for those whose
        batch came from a server dropped meanwhile: they will be asked of others)."""
        done: dict[K, T] = {}
        rest = []
        for item in items:
            answer = prefetched(item)
            if answer is None or self.pool.is_dropped(answer[0]):
                rest.append(item)
            else:
                done[item] = await work(item)
        found = await asyncio.gather(*(self._limited(work(item)) for item in rest))
        done.update(zip(rest, found, strict=True))
        return {item: done[item] for item in items}  # in the order asked

    async def _fetch_raw(self, txid: bytes, prefetched: tuple[str, bytes] | None = None) -> bytes:
        """Raw transaction checked to hash to ``txid`` and not be 64 bytes: ``prefetched`` (a
        server's answer from a batch), else asked of the servers in turn (spread over them)."""
        errors: list[str] = []
        if prefetched is not None:
            server, raw = prefetched
            problem = _raw_problem(raw, txid)
            if problem is None:
                return raw
            self._drop(server, problem)
            errors.append(f"{server}: {problem}")
        for server in self._servers_from(next(self._spread)):
            try:
                _, raw = await self.pool.first(
                    "send the transaction", lambda b: b.get_transaction(txid), server
                )
            except PaylightError as exc:  # dropped (malformed), unreachable, or refused
                errors.append(str(exc))
                continue
            problem = _raw_problem(raw, txid)
            if problem is None:
                return raw
            self._drop(server, problem)
            errors.append(f"{server}: {problem}")
        raise HistoryError(
            f"no server sent transaction {txid[::-1].hex()}: " + ("; ".join(errors) or "none left")
        )

    async def _proofs(
        self,
        txid: bytes,
        height: int,
        prefetched: tuple[str, ElectrumProof] | None,
        start: int,
    ) -> AsyncIterator[tuple[str, ElectrumProof]]:
        """Servers' proofs of ``txid`` at ``height``: ``prefetched`` first, then each active
        server's in turn (from the ``start``-th, spread over them), for the caller to check
        until one holds."""
        if prefetched is not None:
            yield prefetched
        for server in self._servers_from(start):
            try:
                _, proof = await self.pool.first(
                    "send a Merkle proof", lambda b: b.get_merkle(txid, height), server
                )
            except PaylightError:
                continue  # unreachable, refused (not at that height there), or dropped
            yield server, proof

    async def _verified_proof(
        self,
        txid: bytes,
        raw: bytes,
        height: int,
        prefetched: tuple[str, ElectrumProof] | None = None,
    ) -> MerkleProof | None:
        """A Merkle proof of ``txid`` at ``height`` checked against our header and the block's
        tree depth (its coinbase proof), or None. ``prefetched`` (a batch's answer) is checked
        the same way. A server whose proof fails is dropped and the next one asked.
        """
        header = self.headers.header(height)
        block_hash = self.headers.hash_at(height)
        start = next(self._spread_proofs)  # taken in request order, before any wait
        anchor = await self.anchors.get(height)
        if anchor is None:
            return None  # the block's depth is not proven: the branch cannot be judged yet
        async for server, proof in self._proofs(txid, height, prefetched, start):
            try:
                if proof.block_height != height:
                    raise MerkleProofError(
                        f"asked for a proof at height {height}, got one for {proof.block_height}"
                    )
                ElectrumProof(height, proof.branch, proof.pos).verify(
                    raw, header, depth=anchor.depth
                )
            except (MerkleProofError, BitcoinError) as exc:
                self._drop(
                    server,
                    f"bad Merkle proof for {txid[::-1].hex()} at height {height}: {exc}",
                )
                continue
            self.stats.proofs_verified += 1
            return MerkleProof(height, block_hash, proof.pos, tuple(proof.branch))
        return None

    async def _histories(self, shs: list[bytes]) -> list[CheckedHistory]:
        """Histories of ``shs`` from every server cross-checking, in batches."""
        chunks = [shs[i : i + BATCH] for i in range(0, len(shs), BATCH)]
        parts = await asyncio.gather(*(self._limited(self._history(c)) for c in chunks))
        return [h for part in parts for h in part]

    async def _history(self, shs: list[bytes]) -> list[CheckedHistory]:
        try:
            return await self.pool.get_histories(shs)
        except ServerError as exc:
            raise HistoryError(f"could not fetch a history: {exc}") from None
        except PaylightError as exc:
            raise HistoryError(str(exc)) from None

    # -- addresses ----------------------------------------------------------------------------

    def extend_addresses(self, used: dict[Chain, int] | None = None) -> list[AddressRecord]:
        """Derive addresses so each chain has ``gap_limit`` unused ones past its last used one
        (or past ``used[chain]``, an index a history just showed in use, if that is later).

        Returns the addresses added (in one database transaction).
        """
        from wallet.account.setup import store_addresses

        config = self.wallet.config
        before = {chain: self.db.highest_index(chain) for chain in (Chain.RECEIVE, Chain.CHANGE)}
        with self.db.transaction():
            for chain in (Chain.RECEIVE, Chain.CHANGE):
                if chain is Chain.CHANGE and config.change_descriptor is None:
                    continue
                last = self.db.highest_index(chain, used_only=True)
                last = max(-1 if last is None else last, (used or {}).get(chain, -1))
                store_addresses(self.db, config, chain, last + 1 + config.gap_limit)
        added = []
        for chain, last in before.items():
            top = self.db.highest_index(chain)
            for index in range(
                (-1 if last is None else last) + 1, (-1 if top is None else top) + 1
            ):
                record = self.db.address_at(chain, index)
                if record is not None:
                    added.append(record)
        return added

    # -- the steps ----------------------------------------------------------------------------

    async def discover(self) -> int:
        """Full sync of every address, extending both chains to the gap limit; steps taken.

        Runs a step ahead: once a step's histories show which addresses are in use, the
        addresses past them are derived and their histories asked for while the step's
        transactions and proofs are fetched, checked and stored (steps still store in order).
        """
        queried: set[bytes] = set()
        steps = 0
        self.flood.start_sync()
        with self.stats.timed("addresses"):
            self.extend_addresses()
        todo = [a for a in self.db.addresses() if a.script_hash not in queried]
        ahead = self._ask_histories(todo)
        while todo:
            with self.stats.timed("histories"):
                histories = await ahead
            queried.update(a.script_hash for a in todo)
            used: dict[Chain, int] = {}
            for address, checked in zip(todo, histories, strict=True):
                if checked.items:
                    used[address.chain] = max(used.get(address.chain, -1), address.index)
            with self.stats.timed("addresses"):
                following = [a for a in self.extend_addresses(used) if a.script_hash not in queried]
            ahead = self._ask_histories(following)
            try:
                await self._finish_step(todo, histories)
            except BaseException:
                ahead.cancel()
                with contextlib.suppress(BaseException):
                    await ahead
                raise
            steps += 1
            # what the step stored may show more in use than its histories did: extend as usual
            with self.stats.timed("addresses"):
                more = [a for a in self.extend_addresses() if a.script_hash not in queried]
            if more:
                with self.stats.timed("histories"):
                    ahead_histories = await ahead
                following += more
                ahead = self._ask_histories(more, ahead_histories)
            todo = following
        if not self.pool.active():  # every server was dropped on the way: nothing is current
            detail = "; ".join(f"{n} ({r})" for n, r in self.pool.dropped().items())
            raise HistoryError(f"no server left to sync with: all were dropped: {detail}")
        return steps

    def _ask_histories(
        self, addresses: Sequence[AddressRecord], known: list[CheckedHistory] | None = None
    ) -> asyncio.Future[list[CheckedHistory]]:
        """Start fetching the histories of ``addresses`` (after ``known`` ones, if given)."""

        async def fetch() -> list[CheckedHistory]:
            found = await self._histories([a.script_hash for a in addresses]) if addresses else []
            return (known or []) + found

        return asyncio.ensure_future(fetch())

    async def refresh(self, script_hashes: Iterable[bytes]) -> list[AddressRecord]:
        """Re-sync these script hashes, then discover past any newly used address.

        Returns the addresses derived on the way (the caller subscribes to them).
        """
        wanted = set(script_hashes)
        todo = [a for a in self.db.addresses() if a.script_hash in wanted]
        self.flood.start_sync()
        added: list[AddressRecord] = []
        while todo:
            await self.step(todo)
            new = self.extend_addresses()
            added += new
            todo = new
        return added

    async def verify_pending(self) -> None:
        """Try to prove unverified transactions our headers now reach (after new headers)."""
        tip = self.headers.height
        pending = [
            r
            for r in self.db.transactions(TxState.UNVERIFIED)
            if r.height is not None and r.height <= tip
        ]
        if not pending:
            return
        proofs = await self._prefetch_proofs((r.txid, [r.height or 0]) for r in pending)
        outcomes = await asyncio.gather(
            *(
                self._limited(self._proof_outcome(r.txid, r.raw, [r.height or 0], proofs))
                for r in pending
            )
        )
        events = []
        with self.db.transaction():
            for record, outcome in zip(pending, outcomes, strict=True):
                event = self._apply(record, record.raw, outcome)
                if event is not None:
                    events.append(event)
        for event in events:
            self._emit(event)

    def check_chain(self) -> list[TxEvent]:
        """Move back confirmed transactions whose block is no longer in our best chain.

        Catches a reorg that happened while this wallet was closed (the header store is shared
        by the network's wallets) or a header store that was rebuilt.
        """
        tip = self.headers.height
        lowest: int | None = None
        for record in self.db.transactions(TxState.CONFIRMED):
            proof = record.proof
            assert proof is not None
            stale = proof.height > tip or proof.height <= self.headers.base_height
            if not stale:
                stale = self.headers.hash_at(proof.height) != proof.block_hash
            if stale and (lowest is None or proof.height < lowest):
                lowest = proof.height
        if lowest is None:
            return []
        return self.reorg(lowest)

    def reorg(self, from_height: int) -> list[TxEvent]:
        """Our chain changed from ``from_height``: those confirmations no longer hold."""
        heights = {r.txid: r.height for r in self.db.transactions(TxState.CONFIRMED)}
        moved = self.db.mark_reorg(from_height)
        events = [TxEvent(t, TxState.CONFIRMED, TxState.UNVERIFIED, heights.get(t)) for t in moved]
        for event in events:
            self._emit(event)
        return events

    async def step(self, addresses: Sequence[AddressRecord]) -> None:
        """Fetch, check and store the histories of ``addresses`` (one database transaction)."""
        with self.stats.timed("histories"):
            histories = await self._histories([a.script_hash for a in addresses])
        await self._finish_step(addresses, histories)

    async def _finish_step(
        self, addresses: Sequence[AddressRecord], histories: list[CheckedHistory]
    ) -> None:
        """The rest of a step: its transactions and proofs fetched, checked, and stored."""
        claims: dict[bytes, _Claim] = {}
        for checked in histories:
            self.stats.disagreements.extend(checked.disagreements)
            for server, items in checked.by_server.items():
                for item in items:
                    claims.setdefault(item.txid, _Claim(item.txid)).heights[server] = item.height
        records = {t: self.db.transaction_record(t) for t in claims}
        raws: dict[bytes, bytes] = {}
        # new claims no proof can check now (mempool, or above our tip): bounded per server,
        # before anything is downloaded
        unprovable: dict[str, set[bytes]] = {}
        for txid, claim in claims.items():
            if records[txid] is None:
                for server, height in claim.heights.items():
                    if not self._provable(height):
                        unprovable.setdefault(server, set()).add(txid)
        floods = self.flood.listed(unprovable)
        held = self.db.count_transactions(TxState.UNCONFIRMED, TxState.UNVERIFIED)
        floods |= self.flood.stored(held, {s: t for s, t in unprovable.items() if s not in floods})
        discarded = self._drop_flooders(floods, claims, records, raws)
        missing = [t for t, r in records.items() if r is None]
        outcomes: dict[bytes, _Outcome] = {}
        todo = []
        for txid, claim in claims.items():
            kept = self._still_confirmed(records[txid], claim)
            if kept is not None:
                outcomes[txid] = kept
            else:
                todo.append(txid)
        with self.stats.timed("transactions and proofs"):  # both at once: neither needs the other
            fetched, proofs = await asyncio.gather(
                self._bulk("send transactions", missing, lambda b, c: b.get_transactions(c)),
                self._prefetch_proofs((t, claims[t].mined_heights()) for t in todo),
            )
        with self.stats.timed("checks"):  # and what failed there, asked one by one
            raws.update(
                await self._each(
                    missing,
                    lambda t: fetched.get(t),
                    lambda t: self._fetch_raw(t, fetched.get(t)),
                )
            )
            floods = self.flood.served({t: len(raws[t]) for t in missing})
            discarded |= self._drop_flooders(floods, claims, records, raws)
            for txid, record in records.items():
                if record is not None:
                    raws[txid] = record.raw
            missing = [t for t in missing if t in raws]
            discarded |= self._discard(
                await self._refuse_invalid_spends(missing, raws, claims), claims, records, raws
            )
            for txid in discarded:
                outcomes.pop(txid, None)
            todo = [t for t in todo if t in claims]
            # proofs this session has to check (one kept from an earlier sync is not re-counted)
            self.stats.proofs_total += sum(1 for t in todo if claims[t].mined_heights())

            def proof(t: bytes) -> tuple[str, ElectrumProof] | None:
                """The batch's proof, if checking it needs no network (its depth is known)."""
                first = next((h for h in claims[t].mined_heights() if self._provable(h)), None)
                if first is None or self.anchors.kept(self.headers.hash_at(first)) is None:
                    return None
                return proofs.get((t, first))

            outcomes.update(
                await self._each(
                    todo,
                    proof,
                    lambda t: self._proof_outcome(t, raws[t], claims[t].mined_heights(), proofs),
                )
            )
        self._judge_disagreements(histories, outcomes)
        if self.progress is not None:
            self.progress()
        with self.stats.timed("store"):
            events = self._write(addresses, histories, raws, records, outcomes, claims, discarded)
        for event in events:
            self._emit(event)

    # -- deciding -----------------------------------------------------------------------------

    @staticmethod
    def _discard(
        txids: Iterable[bytes],
        claims: dict[bytes, _Claim],
        records: dict[bytes, TxRecord | None],
        raws: dict[bytes, bytes],
    ) -> set[bytes]:
        """Forget these claims for this step (nothing of them is stored); their txids."""
        gone = set(txids)
        for txid in gone:
            claims.pop(txid, None)
            records.pop(txid, None)
            raws.pop(txid, None)
        return gone

    def _drop_flooders(
        self,
        floods: dict[str, str],
        claims: dict[bytes, _Claim],
        records: dict[bytes, TxRecord | None],
        raws: dict[bytes, bytes],
    ) -> set[bytes]:
        """Drop the flooding servers; forget the claims that only dropped servers made."""
        if not floods:
            return set()
        for server, reason in floods.items():
            self._drop(server, reason)
        alone = [
            txid
            for txid, claim in claims.items()
            if all(self.pool.is_dropped(s) for s in claim.heights)
            and any(s in floods for s in claim.heights)
        ]
        return self._discard(alone, claims, records, raws)

    async def _refuse_invalid_spends(
        self, new: Sequence[bytes], raws: dict[bytes, bytes], claims: dict[bytes, _Claim]
    ) -> set[bytes]:
        """New transactions spending a wallet coin without a valid signature for it (checked by
        libbitcoinkernel against the coin's script and amount): a lie, so every server that
        listed one is dropped, and it is not stored. Returns their txids."""
        if not new:
            return set()
        scripts = self.db.script_pubkeys()
        parsed = {t: Transaction.parse(raws[t]) for t in new}
        # the wallet's coins these transactions spend: those stored, and those they create
        coins = self.db.wallet_coins(
            txin.prevout for tx in parsed.values() for txin in tx.inputs if not tx.is_coinbase()
        )
        for txid, tx in parsed.items():
            for vout, out in enumerate(tx.outputs):
                if out.script_pubkey in scripts:
                    coins[OutPoint(txid, vout)] = out
        lies: set[bytes] = set()
        for txid in new:
            tx = parsed[txid]
            ours = [i for i, txin in enumerate(tx.inputs) if txin.prevout in coins]
            if not ours or tx.is_coinbase():
                continue
            problem = await self._spend_problem(tx, ours, coins, raws)
            if problem is None:
                continue
            lies.add(txid)
            for server in claims[txid].heights:
                self._drop(server, f"it lists transaction {txid[::-1].hex()}, which {problem}")
        return lies

    async def _spend_problem(
        self,
        tx: Transaction,
        ours: list[int],
        coins: dict[OutPoint, TxOut],
        raws: dict[bytes, bytes],
    ) -> str | None:
        """Why ``tx``'s inputs ``ours`` (spending wallet coins) are invalid, or None."""

        def known(op: OutPoint) -> TxOut | None:
            if op in coins:
                return coins[op]
            raw = raws.get(op.txid)  # a parent in this step (parsed only when needed)
            if raw is not None:
                parent = Transaction.parse(raw)
                if op.vout < len(parent.outputs):
                    return parent.outputs[op.vout]
            return None

        prevouts = [known(txin.prevout) for txin in tx.inputs]
        raw = tx.serialize()
        try:
            bad = invalid_inputs(raw, prevouts, ours)
        except NeedPrevouts as need:
            if len(need.missing) > MAX_PARENTS_FETCHED:
                return (
                    f"spends a Taproot wallet coin beside {len(need.missing)} coins of others "
                    f"(over {MAX_PARENTS_FETCHED}, too many to check its signature)"
                )
            for i in need.missing:
                op = tx.inputs[i].prevout
                try:
                    parent = Transaction.parse(await self._fetch_raw(op.txid))
                except (HistoryError, BitcoinError):
                    return f"spends coin {op}, which no server can send (it does not exist)"
                if op.vout >= len(parent.outputs):
                    return f"spends coin {op}, which does not exist"
                prevouts[i] = parent.outputs[op.vout]
            bad = invalid_inputs(raw, prevouts, ours)
        if not bad:
            return None
        coins_text = ", ".join(str(tx.inputs[i].prevout) for i in bad)
        return (
            f"spends wallet coin {coins_text} without a valid signature for it (checked with "
            "libbitcoinkernel against the coin's script and amount)"
        )

    def _still_confirmed(self, record: TxRecord | None, claim: _Claim) -> _Outcome | None:
        """Keep a stored proof while its block is still in our chain at a claimed height."""
        if record is None or record.state is not TxState.CONFIRMED or record.proof is None:
            return None
        proof = record.proof
        if proof.height not in claim.mined_heights() or proof.height > self.headers.height:
            return None
        if self.headers.hash_at(proof.height) != proof.block_hash:
            return None
        anchor = self.anchors.kept(proof.block_hash)
        if anchor is None or anchor.depth != len(proof.branch):
            return None  # kept before depths were proven (or of another depth): prove it again
        return _Outcome(TxState.CONFIRMED, proof.height, proof)

    def _provable(self, height: int) -> bool:
        """Our headers reach ``height`` (above their base): a proof there can be checked."""
        return self.headers.base_height < height <= self.headers.height

    async def _prefetch_proofs(
        self, claims: Iterable[tuple[bytes, list[int]]]
    ) -> dict[tuple[bytes, int], tuple[str, ElectrumProof]]:
        """Proofs at each transaction's first provable claimed height, in batches (see _bulk)."""
        wanted = []
        for txid, heights in claims:
            height = next((h for h in heights if self._provable(h)), None)
            if height is not None:
                wanted.append((txid, height))
        # the blocks' tree depths are learnt meanwhile, so checking a batch's proofs waits on none
        proofs: dict[tuple[bytes, int], tuple[str, ElectrumProof]]
        proofs, _ = await asyncio.gather(
            self._bulk("send Merkle proofs", wanted, lambda b, chunk: b.get_merkles(chunk)),
            self._learn_anchors({h for _, h in wanted}),
        )
        return proofs

    async def _learn_anchors(self, heights: Collection[int]) -> None:
        """The coinbase proofs (tree depths) of the blocks at ``heights`` not yet known: the
        branches in batches (see _bulk), each coinbase from the server that named it, in
        batches too, all checked as one asked alone is (:meth:`BlockAnchors.offer`); what
        that did not settle is asked one by one (:meth:`BlockAnchors.get`)."""
        blocks = [(h, self.headers.hash_at(h)) for h in sorted(heights)]
        wanted = [(h, b) for h, b in blocks if self.anchors.kept(b) is None]
        branches: dict[tuple[int, bytes], tuple[str, CoinbaseProof]] = await self._bulk(
            "send coinbases' Merkle proofs", wanted, lambda b, c: b.get_coinbase_branches(c)
        )
        by_server: dict[str, list[tuple[int, bytes]]] = {}
        for block, (server, branch) in branches.items():
            if self.anchors.holds(block[0], server, branch):  # else dropped, as for one alone
                by_server.setdefault(server, []).append(block)

        async def coinbases(server: str, chunk: list[tuple[int, bytes]]) -> None:
            txids = [branches[block][1].txid for block in chunk]
            try:
                _, raws = await self.pool.first(
                    "send coinbases", lambda b: b.get_transactions(txids), server
                )
            except PaylightError:
                return  # unreachable, dropped meanwhile: asked one by one below
            with self.db.transaction():  # one commit for the batch
                for block, raw in zip(chunk, raws, strict=True):
                    if not isinstance(raw, BaseException):
                        self.anchors.offer(*block, server, branches[block][1], raw)

        await asyncio.gather(
            *(
                self._limited(coinbases(server, named[i : i + BATCH]))
                for server, named in by_server.items()
                for i in range(0, len(named), BATCH)
            )
        )
        await asyncio.gather(*(self._limited(self.anchors.get(h)) for h, _ in wanted))

    async def _proof_outcome(
        self,
        txid: bytes,
        raw: bytes,
        heights: list[int],
        prefetched: dict[tuple[bytes, int], tuple[str, ElectrumProof]] | None = None,
    ) -> _Outcome:
        if not heights:
            return _Outcome(TxState.UNCONFIRMED)
        for height in heights:
            if not self._provable(height):
                continue  # our headers do not reach it (yet): stays unverified
            proof = await self._verified_proof(
                txid, raw, height, (prefetched or {}).get((txid, height))
            )
            if proof is not None:
                return _Outcome(TxState.CONFIRMED, height, proof)
        return _Outcome(TxState.UNVERIFIED, heights[0])

    def _judge_disagreements(
        self, histories: Sequence[CheckedHistory], outcomes: dict[bytes, _Outcome]
    ) -> None:
        """Report every disagreement; drop a server that hid a transaction we then proved."""
        for checked in histories:
            for d in checked.disagreements:
                outcome = outcomes.get(d.txid)
                for server in d.missing_from or tuple(d.heights):
                    self._emit(ServerEvent(server, "disagreement", d.note))
                if d.kind != "missing" or outcome is None or outcome.state is not TxState.CONFIRMED:
                    continue
                height = outcome.height or 0
                for server in d.missing_from:
                    if self.pool.is_dropped(server):
                        continue
                    tip = self.pool.backend(server).status().tip_height
                    if tip is not None and tip >= height:
                        self._drop(
                            server,
                            f"it hid transaction {d.txid_hex}, which is in block {height} "
                            f"(proof checked against our headers) below its own tip {tip}",
                        )

    # -- writing ------------------------------------------------------------------------------

    def _apply(self, record: TxRecord | None, raw: bytes, outcome: _Outcome) -> TxEvent | None:
        """Store ``raw`` and move it to ``outcome``; the event when its state changed."""
        db = self.db
        stored = db.add_transaction(raw)  # new: unconfirmed; known: re-matches outputs
        height = None if outcome.state is TxState.UNCONFIRMED else outcome.height
        if (stored.state, stored.height, stored.proof) != (outcome.state, height, outcome.proof):
            db.set_tx_state(
                stored.txid,
                outcome.state,
                height=height if outcome.state is TxState.UNVERIFIED else None,
                proof=outcome.proof,
            )
        old = (record.state, record.height) if record is not None else (None, None)
        if old == (outcome.state, height):
            return None
        return TxEvent(stored.txid, old[0], outcome.state, height)

    def _write(
        self,
        addresses: Sequence[AddressRecord],
        histories: Sequence[CheckedHistory],
        raws: dict[bytes, bytes],
        records: dict[bytes, TxRecord | None],
        outcomes: dict[bytes, _Outcome],
        claims: dict[bytes, _Claim],
        discarded: Collection[bytes] = (),
    ) -> list[TxEvent]:
        db = self.db
        events: list[TxEvent] = []
        queried = {a.script_hash for a in addresses}
        asked: dict[bytes, int] = {}
        for checked in histories:
            for item in checked.items:
                asked[item.txid] = max(asked.get(item.txid, 0), len(checked.by_server))
        with db.transaction():
            for txid, outcome in outcomes.items():
                event = self._apply(records[txid], raws[txid], outcome)
                if event is not None:
                    events.append(event)
                listed = tuple(sorted(claims[txid].heights))
                record = records[txid]
                if record is None or (record.listed_by, record.asked) != (listed, asked[txid]):
                    db.set_listed_by(txid, listed, asked[txid])
            for address, checked in zip(addresses, histories, strict=True):
                status = electrum_status(i for i in _merged(checked) if i.txid not in discarded)
                if status != address.status:
                    db.set_address_status(address.id, status)
            events += self._gone(queried, set(outcomes))
        return events

    def _gone(self, queried: set[bytes], listed: set[bytes]) -> list[TxEvent]:
        """Unconfirmed/unverified transactions of these script hashes no server lists now."""
        db = self.db
        candidates = [
            r
            for state in (TxState.UNCONFIRMED, TxState.UNVERIFIED)
            for r in db.transactions(state)
            if r.txid not in listed
        ]
        if not candidates:
            return []
        spent = {
            o.outpoint: sha256(o.script_pubkey) for o in db.outputs()
        }  # wallet outpoints -> script hash
        vanished = []
        for record in candidates:
            try:
                tx = record.transaction()
            except BitcoinError:
                continue
            if touched_script_hashes(tx, spent) & queried:
                vanished.append(record)
        if not vanished:
            return []
        gone = {r.txid for r in vanished}
        replacement: dict[bytes, bytes] = {}
        for spenders in db.conflicts().values():
            live = [t for t in spenders if t not in gone]
            for t in spenders:
                if t in gone and live:
                    replacement.setdefault(t, live[0])
        events = []
        for record in vanished:
            by = replacement.get(record.txid)
            if by is not None:
                db.set_tx_state(record.txid, TxState.REPLACED, replaced_by=by)
                events.append(TxEvent(record.txid, record.state, TxState.REPLACED, None))
            else:
                db.remove_transaction(record.txid)
                events.append(TxEvent(record.txid, record.state, None, None))
        return events


def _merged(checked: CheckedHistory) -> list[HistoryItem]:
    return checked.items


def _raw_problem(raw: bytes, txid: bytes) -> str | None:
    """Why ``raw`` cannot be transaction ``txid`` (None: it is)."""
    try:
        got, stripped_size = identify(raw)
    except BitcoinError as exc:
        return f"sent transaction {txid[::-1].hex()} in a form that does not parse: {exc}"
    if got != txid:
        return f"sent a transaction hashing to {got[::-1].hex()} when asked for {txid[::-1].hex()}"
    if stripped_size == 64:
        return f"sent a 64-byte transaction for {txid[::-1].hex()} (CVE-2017-12842)"
    return None


__all__ = ["HistoryError", "HistoryStats", "HistorySync", "touched_script_hashes"]
