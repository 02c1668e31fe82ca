"""A chain source that holds whole blocks: compact filters over P2P, or Bitcoin Core's REST.

Both clients (:class:`wallet.p2p.client.LightClient`, :class:`wallet.core.source.CoreSource`)
bring our header store and the filter-header chain to the most-work chain, then scan the
filters from the wallet's birthday with the wallet's scripts and coins
(:class:`wallet.p2p.scanner.Scanner`: each filter checked against its filter header, each
matching block against our header with its Merkle root recomputed). :class:`BlockScanSync`
turns what they find into one :class:`~wallet.account.update.WalletUpdate` and hands it to the
same :func:`~wallet.account.update.apply_update` the Electrum and Esplora servers' updates go
to. Nothing above ``wallet/sync`` knows which source filled the wallet.

The trust checks hold as for the servers:

* **proofs and depth**: each transaction's position and Merkle branch are computed from the
  block, and the block's coinbase (its first transaction) with its branch proves the tree's
  depth; the gate in ``apply_update`` checks both against our header again;
* **signatures**: a new transaction spending a wallet coin is checked by libbitcoinkernel
  (:func:`wallet.sync.signatures.invalid_spends`); where a Taproot spend needs coins of others
  that no block source can send, the block's proof of work vouches for it;
* **flood bounds** count claims no proof can check (mempools, heights above our tip): a scan
  of blocks makes none, so there is nothing to bound;
* **listed by**: each transaction records who served its block.

The gap limit is the wallet's (:func:`wallet.account.setup.extend_addresses`): addresses that
found transactions reveal in use extend the scripts scanned for, and the blocks already scanned
are matched again for the new ones. A later sync scans only the blocks past the last one
scanned, unless the wallet's addresses changed meanwhile (then from the birthday again).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from wallet.account.database import AddressRecord, Chain, MerkleProof, TxState
from wallet.account.setup import extend_addresses
from wallet.account.update import BlockAnchor, ChainTip, SeenTx, WalletUpdate
from wallet.account.wallet_file import Wallet
from wallet.bitcoin.transaction import OutPoint, Transaction
from wallet.p2p.scanner import FoundTx, ScanResult
from wallet.spv.store import HeaderStore
from wallet.sync.engine import SyncReport
from wallet.sync.events import SyncEvent, SyncStatus, TxEvent
from wallet.sync.signatures import invalid_spends
from wallet.sync.updates import UpdateSink

log = logging.getLogger(__name__)

#: Where the last scan ended (wallet database setting): {"height", "hash", "addresses",
#: "last_address"} -- the highest address id scanned for.
SCANNED_SETTING = "block_scan"
#: A birthday date is moved back by this much: a block's time may run up to two hours ahead
#: of the clock, or far behind the blocks after it (median-time-past is the only floor).
BIRTHDAY_MARGIN = 24 * 3600


class BlockClient(Protocol):
    """What :class:`BlockScanSync` needs of a client: LightClient and CoreSource both are."""

    store: HeaderStore

    async def sync(self) -> Any:
        """Headers and filter headers to the most-work chain; the report has ``fork_point``."""
        ...

    async def scan(
        self,
        scripts: Iterable[bytes],
        birthday: int = 0,
        *,
        end: int | None = None,
        outpoints: Iterable[OutPoint] = (),
        more_scripts: Callable[[list[FoundTx]], Iterable[bytes]] | None = None,
    ) -> ScanResult: ...


class BlockScanSync:
    """Keeps one wallet in step with a block source (see the module docstring)."""

    def __init__(
        self,
        wallet: Wallet,
        client: BlockClient,
        *,
        source: str,
        on_event: Callable[[SyncEvent], None] | None = None,
    ) -> None:
        self.wallet = wallet
        self.db = wallet.db
        self.client = client
        self.source = source
        self.headers = client.store
        self._emit = on_event or (lambda event: None)
        self.sink = UpdateSink(self.db, self.headers, self._emit)
        self._added: list[AddressRecord] = []
        #: what the last scan fetched (for reports: filters, blocks, who served them)
        self.last_scan: ScanResult | None = None
        #: running totals of this session, as the servers' engine reports them: Merkle
        #: proofs computed from blocks and handed to the wallet, and those it stored as proven
        self.proofs_total = 0
        self.proofs_verified = 0

    def _status(self, phase: str) -> None:
        height = self.headers.height
        self._emit(
            SyncStatus(
                phase=phase,
                header_height=height,
                header_target=height,
                proofs_verified=self.proofs_verified,
                proofs_total=self.proofs_total,
            )
        )

    def _count_proofs(self, update: WalletUpdate) -> None:
        """Count the update's proofs, and those the wallet checked against our headers and
        stored (confirmed, with that proof): a block's proofs count as a server's do."""
        for seen in update.transactions:
            if seen.proof is None:
                continue
            self.proofs_total += 1
            record = self.db.transaction_record(seen.txid)
            if (
                record is not None
                and record.state is TxState.CONFIRMED
                and record.proof == seen.proof
            ):
                self.proofs_verified += 1

    def _dropped(self) -> dict[str, str]:
        return {d.peer: d.reason for d in getattr(self.client, "dropped", ())}

    async def sync(self) -> SyncReport:
        """Headers and filter headers, then the wallet's transactions from the blocks."""
        self._status("headers")
        report = await self.client.sync()
        store = self.headers
        tip = ChainTip(store.height, store.hash_at(store.height))
        fork = report.fork_point  # the last block both branches share: undo above it
        self.sink.apply(
            WalletUpdate(
                self.source,
                tip=tip,
                reorg_from=None if fork is None else fork + 1,
                dropped=self._dropped(),
            )
        )
        self._status("history")
        config = self.wallet.config
        extend_addresses(self.db, config)
        birthday = self.birthday()
        start, new = self._plan(report.fork_point, birthday)
        changed = getattr(report, "filters_changed_from", None)
        if changed is not None and changed < start:
            # filters we matched before came from a peer since caught lying: again from there
            start = max(birthday, changed)
            self._scanned_below(start)
        self._added = []
        outpoints = [o.outpoint for o in self.db.outputs()]
        result = await self.client.scan(
            [a.script_pubkey for a in self.db.addresses()],
            start,
            outpoints=outpoints,
            more_scripts=self._more_scripts,
        )
        older_scripts = [a.script_pubkey for a in (*new, *self._added)]
        if start > birthday and older_scripts:
            # addresses added since the last scan, or revealed by the new blocks, may have
            # been paid before those blocks too
            older = await self.client.scan(
                older_scripts,
                birthday,
                end=start - 1,
                outpoints=outpoints,
                more_scripts=self._more_scripts,
            )
            _merge(result, older)
        update = await self._update(result, tip)
        events = self.sink.apply(self._unproven(update, result, start))
        self._count_proofs(update)
        extend_addresses(self.db, config)
        addresses = self.db.addresses()
        with self.db.transaction():
            self.db.set_setting(
                SCANNED_SETTING,
                {
                    "height": tip.height,
                    "hash": tip.block_hash.hex(),
                    "addresses": len(addresses),
                    "last_address": max((a.id for a in addresses), default=0),
                },
            )
        self.last_scan = result
        self._status("idle")
        return self._report(result, events)

    def _scanned_below(self, start: int) -> None:
        """Record that only the blocks below ``start`` stay scanned: the honest filter headers
        are kept already, so a scan cut short here would otherwise never be done again."""
        last = self.db.get_setting(SCANNED_SETTING)
        if not isinstance(last, dict):
            return
        store = self.headers
        below = start - 1
        block_hash = store.hash_at(below).hex() if below > store.base_height else ""
        self.db.set_setting(SCANNED_SETTING, {**last, "height": below, "hash": block_hash})

    def birthday(self) -> int:
        """The first block that may hold the wallet's transactions: its birth height, else
        the first block of its birthday (a date, less a day for block times that run behind;
        found in our headers and kept as the birth height), else the first we hold."""
        config = self.wallet.config
        if config.birth_height is not None:
            return config.birth_height
        when = config.birth_time
        if not when:
            return 0
        height = height_at_time(self.headers, when - BIRTHDAY_MARGIN)
        if height is None:  # every block we hold is later: from the first one
            if self.headers.base_height == 0 and self.headers.height > 0:
                self.wallet.update_config(birth_height=0)
            return 0
        if height < self.headers.height:  # the date is behind our tip: it is settled
            self.wallet.update_config(birth_height=height)
        return height

    def _plan(self, fork_point: int | None, birthday: int) -> tuple[int, list[AddressRecord]]:
        """(the first block to scan for every address, the addresses added since the last
        scan -- scanned from the birthday up to there). From the birthday when no earlier scan
        is on our chain; past the fork point after a reorg; else past the last block scanned."""
        last = self.db.get_setting(SCANNED_SETTING)
        if not isinstance(last, dict):
            return birthday, []
        height, block_hash = last.get("height"), last.get("hash")
        if not isinstance(height, int) or not isinstance(block_hash, str):
            return birthday, []
        store = self.headers
        on_chain = store.base_height < height <= store.height and (
            store.hash_at(height).hex() == block_hash
        )
        if not on_chain:
            if fork_point is None or not fork_point < height:
                return birthday, []
            height = fork_point  # the blocks above it were replaced: scan them again
        seen = last.get("last_address")
        if not isinstance(seen, int):  # a scan of an earlier version: count only
            if last.get("addresses") != len(self.db.addresses()):
                return birthday, []
            seen = max((a.id for a in self.db.addresses()), default=0)
        new = [a for a in self.db.addresses() if a.id > seen]
        return max(birthday, height + 1), new

    def _unproven(self, update: WalletUpdate, result: ScanResult, start: int) -> WalletUpdate:
        """Add to ``update`` the transactions stored as mined in a block the scan went through
        without finding them (a reorg took them out, or a server's claim): every such block
        was matched against all the wallet's scripts and coins, so they are in no block of
        ours there -- back to unconfirmed (a mempool may still hold them)."""
        found = {t.txid for t in result.txs}
        tip = self.headers.height
        demoted = tuple(
            SeenTx(r.txid, r.raw)
            for r in self.db.transactions(TxState.UNVERIFIED)
            if r.height is not None and start <= r.height <= tip and r.txid not in found
        )
        if not demoted:
            return update
        return dataclasses.replace(update, transactions=update.transactions + demoted)

    def _more_scripts(self, found: list[FoundTx]) -> list[bytes]:
        """The gap limit past the addresses ``found`` pays (their scripts, for the scanner)."""
        used: dict[Chain, int] = {}
        for item in found:
            for out in Transaction.parse(item.raw).outputs:
                record = self.db.address_by_script(out.script_pubkey)
                if record is not None:
                    used[record.chain] = max(used.get(record.chain, -1), record.index)
        added = extend_addresses(self.db, self.wallet.config, used)
        self._added += added
        return [a.script_pubkey for a in added]

    async def _update(self, result: ScanResult, tip: ChainTip) -> WalletUpdate:
        """The scan's transactions with their proofs and blocks' coinbase proofs, less any
        that spends a wallet coin without a valid signature."""
        raws = {t.txid: t.raw for t in result.txs}
        new = [t.txid for t in result.txs if self.db.transaction_record(t.txid) is None]
        refused = await invalid_spends(self.db, new, raws, None, proven=raws)
        for txid, problem in refused.items():
            log.warning("%s: not stored: transaction %s %s", self.source, txid[::-1].hex(), problem)
        seen = tuple(
            SeenTx(
                t.txid,
                t.raw,
                proof=MerkleProof(t.height, t.block_hash, t.pos, t.branch),
                listed_by=(result.block_peers.get(t.height, self.source),),
                asked=1,
            )
            for t in result.txs
            if t.txid not in refused
        )
        anchors = tuple(
            BlockAnchor(b.height, b.block_hash, b.coinbase, b.coinbase_branch)
            for b in result.blocks.values()
        )
        return WalletUpdate(self.source, seen, anchors, tip=tip, dropped=self._dropped())

    def _report(self, result: ScanResult, events: Sequence[TxEvent]) -> SyncReport:
        counts = dict.fromkeys(TxState, 0)
        for record in self.db.transactions():
            counts[record.state] += 1
        return SyncReport(
            header_height=self.headers.height,
            transactions=sum(n for s, n in counts.items() if s is not TxState.REPLACED),
            confirmed=counts[TxState.CONFIRMED],
            unverified=counts[TxState.UNVERIFIED],
            unconfirmed=counts[TxState.UNCONFIRMED],
            proofs_verified=sum(1 for e in events if e.new is TxState.CONFIRMED),
            # filters and blocks downloaded
            requests_made=result.filters_downloaded + len(result.block_peers),
            dropped=self._dropped(),
        )


def _merge(result: ScanResult, other: ScanResult) -> None:
    """Add ``other``'s findings (an earlier range) to ``result``."""
    known = {t.txid for t in result.txs}
    result.txs = sorted(
        [*result.txs, *(t for t in other.txs if t.txid not in known)],
        key=lambda t: (t.height, t.pos),
    )
    result.blocks.update(other.blocks)
    result.matched_heights = sorted({*result.matched_heights, *other.matched_heights})
    result.filter_peers.update(other.filter_peers)
    result.block_peers.update(other.block_peers)
    result.filters_downloaded += other.filters_downloaded
    result.filter_bytes += other.filter_bytes
    for name, count in other.filters_by.items():
        result.filters_by[name] = result.filters_by.get(name, 0) + count


def height_at_time(store: HeaderStore, when: int) -> int | None:
    """The height of the last block of ``store`` whose time is before ``when`` (+1: the first
    block that may be later), found by bisection over the header times; None when our headers
    start after ``when`` (the caller takes the first block it holds)."""
    lo, hi = store.base_height + 1, store.height
    if hi < lo or _time(store, lo) >= when:
        return None
    while lo < hi:  # header times are not strictly ordered: the margin covers that
        mid = (lo + hi + 1) // 2
        if _time(store, mid) < when:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _time(store: HeaderStore, height: int) -> int:
    return int.from_bytes(store.header(height)[68:72], "little")


__all__ = ["BIRTHDAY_MARGIN", "SCANNED_SETTING", "BlockClient", "BlockScanSync", "height_at_time"]
