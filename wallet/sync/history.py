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
``concurrency`` outstanding, and raw transactions and proofs are spread over the servers.
Each step — one round of discovery — is written in one database transaction, together with
the address statuses it used, so a killed process leaves either the whole step or none of it.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Awaitable, Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from wallet.account.database import (
    AddressRecord,
    Chain,
    MerkleProof,
    TxRecord,
    TxState,
    WalletDatabase,
)
from wallet.account.wallet_file import Wallet
from wallet.backends.base import HistoryItem, ServerError, electrum_status
from wallet.backends.pool import CheckedHistory, Disagreement, ServerPool
from wallet.bitcoin.errors import BitcoinError
from wallet.bitcoin.hashes import sha256
from wallet.bitcoin.transaction import OutPoint, Transaction, TxOut
from wallet.errors import PaylightError
from wallet.spv.errors import MerkleProofError
from wallet.spv.merkle import ElectrumProof
from wallet.spv.store import HeaderStore
from wallet.sync.anchors import BlockAnchors
from wallet.sync.events import ServerEvent, SyncEvent, TxEvent
from wallet.sync.flood import FloodGuard
from wallet.sync.signatures import NeedPrevouts, invalid_inputs

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Requests outstanding at once (across all servers).
DEFAULT_CONCURRENCY = 64
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

    async def _fetch_raw(self, txid: bytes) -> bytes:
        """Raw transaction checked to hash to ``txid`` and not be 64 bytes (spread over servers)."""
        errors: list[str] = []
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

    async def _verified_proof(self, txid: bytes, raw: bytes, height: int) -> MerkleProof | None:
        """A Merkle proof of ``txid`` at ``height`` checked against our header, or None.

        A server whose proof fails is dropped and the next one asked.
        """
        header = self.headers.header(height)
        block_hash = self.headers.hash_at(height)
        start = next(self._spread_proofs)  # taken in request order, before any wait
        anchor = await self.anchors.get(height)
        if anchor is None:
            return None  # the block's depth is not proven: the branch cannot be judged yet
        for server in self._servers_from(start):
            try:
                _, proof = await self.pool.first(
                    "send a Merkle proof", lambda b: b.get_merkle(txid, height), server
                )
            except PaylightError:
                continue  # unreachable, refused (not at that height there), or dropped
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

    async def _history(self, sh: bytes) -> CheckedHistory:
        try:
            return await self.pool.get_history(sh)
        except ServerError as exc:
            raise HistoryError(f"could not fetch a history: {exc}") from None
        except PaylightError as exc:
            raise HistoryError(str(exc)) from None

    # -- addresses ----------------------------------------------------------------------------

    def extend_addresses(self) -> list[AddressRecord]:
        """Derive addresses so each chain has ``gap_limit`` unused ones past its last used one.

        Returns the addresses added (in one database transaction).
        """
        from wallet.account.setup import store_addresses

        config = self.wallet.config
        before = {a.script_hash for a in self.db.addresses()}
        with self.db.transaction():
            for chain in (Chain.RECEIVE, Chain.CHANGE):
                if chain is Chain.CHANGE and config.change_descriptor is None:
                    continue
                used = self.db.highest_index(chain, used_only=True)
                upto = (-1 if used is None else used) + 1 + config.gap_limit
                store_addresses(self.db, config, chain, upto)
        return [a for a in self.db.addresses() if a.script_hash not in before]

    # -- the steps ----------------------------------------------------------------------------

    async def discover(self) -> int:
        """Full sync of every address, extending both chains to the gap limit; steps taken."""
        queried: set[bytes] = set()
        steps = 0
        self.flood.start_sync()
        while True:
            self.extend_addresses()
            todo = [a for a in self.db.addresses() if a.script_hash not in queried]
            if not todo:
                return steps
            await self.step(todo)
            queried.update(a.script_hash for a in todo)
            steps += 1

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
        outcomes = await asyncio.gather(
            *(self._limited(self._proof_outcome(r.txid, r.raw, [r.height or 0])) for r in pending)
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
        histories = await asyncio.gather(
            *(self._limited(self._history(a.script_hash)) for a in addresses)
        )
        claims: dict[bytes, _Claim] = {}
        for checked in histories:
            self.stats.disagreements.extend(checked.disagreements)
            for server, items in checked.by_server.items():
                for item in items:
                    claims.setdefault(item.txid, _Claim(item.txid)).heights[server] = item.height
        records = {t: self.db.transaction_record(t) for t in claims}
        raws: dict[bytes, bytes] = {}
        # new claims no proof can check now (mempool, or above our tip): bounded per server
        base, tip = self.headers.base_height, self.headers.height
        unprovable: dict[str, set[bytes]] = {}
        for txid, claim in claims.items():
            if records[txid] is None:
                for server, height in claim.heights.items():
                    if not base < height <= tip:
                        unprovable.setdefault(server, set()).add(txid)
        floods = self.flood.listed(unprovable)
        held = self.db.count_transactions(TxState.UNCONFIRMED, TxState.UNVERIFIED)
        floods |= self.flood.stored(held, {s: t for s, t in unprovable.items() if s not in floods})
        discarded = self._drop_flooders(floods, claims, records, raws)
        missing = [t for t, r in records.items() if r is None]
        raws.update(
            zip(
                missing,
                await asyncio.gather(*(self._limited(self._fetch_raw(t)) for t in missing)),
                strict=True,
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
        outcomes: dict[bytes, _Outcome] = {}
        todo = []
        for txid, claim in claims.items():
            kept = self._still_confirmed(records[txid], claim)
            if kept is not None:
                outcomes[txid] = kept
            else:
                todo.append(txid)
        # proofs this session has to check (one kept from an earlier sync is not re-counted)
        self.stats.proofs_total += sum(1 for t in todo if claims[t].mined_heights())
        results = await asyncio.gather(
            *(
                self._limited(self._proof_outcome(t, raws[t], claims[t].mined_heights()))
                for t in todo
            )
        )
        outcomes.update(zip(todo, results, strict=True))
        self._judge_disagreements(histories, outcomes)
        if self.progress is not None:
            self.progress()
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
        scripts = {a.script_pubkey for a in self.db.addresses()}
        # the wallet's coins: those stored, and those the new transactions create
        coins: dict[OutPoint, TxOut] = {
            o.outpoint: TxOut(o.value, o.script_pubkey) for o in self.db.outputs()
        }
        parsed = {t: Transaction.parse(raws[t]) for t in new}
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

    async def _proof_outcome(self, txid: bytes, raw: bytes, heights: list[int]) -> _Outcome:
        if not heights:
            return _Outcome(TxState.UNCONFIRMED)
        for height in heights:
            if height <= self.headers.base_height or height > self.headers.height:
                continue  # our headers do not reach it (yet): stays unverified
            proof = await self._verified_proof(txid, raw, height)
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
        tx = Transaction.parse(raw)
    except BitcoinError as exc:
        return f"sent transaction {txid[::-1].hex()} in a form that does not parse: {exc}"
    if tx.txid() != txid:
        return f"sent a transaction hashing to {tx.txid_hex} when asked for {txid[::-1].hex()}"
    if len(tx.serialize_no_witness()) == 64:
        return f"sent a 64-byte transaction for {txid[::-1].hex()} (CVE-2017-12842)"
    return None


__all__ = ["HistoryError", "HistoryStats", "HistorySync", "touched_script_hashes"]
