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

#: Where the last scan ended (wallet database setting): {"height", "hash", "addresses"}.
SCANNED_SETTING = "block_scan"


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

    def _status(self, phase: str) -> None:
        height = self.headers.height
        self._emit(SyncStatus(phase=phase, header_height=height, header_target=height))

    def _dropped(self) -> dict[str, str]:
        return {d.peer: d.reason for d in getattr(self.client, "dropped", ())}

    async def sync(self) -> SyncReport:
        """Headers and filter headers, then the wallet's transactions from the blocks."""
        self._status("headers")
        report = await self.client.sync()
        store = self.headers
        tip = ChainTip(store.height, store.hash_at(store.height))
        self.sink.apply(
            WalletUpdate(
                self.source, tip=tip, reorg_from=report.fork_point, dropped=self._dropped()
            )
        )
        self._status("history")
        config = self.wallet.config
        extend_addresses(self.db, config)
        start, birthday = self._start(), config.birth_height or 0
        self._added = []
        outpoints = [o.outpoint for o in self.db.outputs()]
        result = await self.client.scan(
            [a.script_pubkey for a in self.db.addresses()],
            start,
            outpoints=outpoints,
            more_scripts=self._more_scripts,
        )
        if start > birthday and self._added:
            # addresses the new blocks revealed may have been paid before them too
            older = await self.client.scan(
                [a.script_pubkey for a in self._added],
                birthday,
                end=start - 1,
                outpoints=outpoints,
                more_scripts=self._more_scripts,
            )
            _merge(result, older)
        events = self.sink.apply(await self._update(result, tip))
        extend_addresses(self.db, config)
        with self.db.transaction():
            self.db.set_setting(
                SCANNED_SETTING,
                {
                    "height": tip.height,
                    "hash": tip.block_hash.hex(),
                    "addresses": len(self.db.addresses()),
                },
            )
        self._status("idle")
        return self._report(result, events)

    def _start(self) -> int:
        """The first block to scan: past the last scan if it is still ours and no address was
        added since, else the wallet's birthday."""
        birthday = self.wallet.config.birth_height or 0
        last = self.db.get_setting(SCANNED_SETTING)
        if not isinstance(last, dict):
            return birthday
        height, block_hash = last.get("height"), last.get("hash")
        if (
            not isinstance(height, int)
            or not isinstance(block_hash, str)
            or last.get("addresses") != len(self.db.addresses())
            or not self.headers.base_height < height <= self.headers.height
            or self.headers.hash_at(height).hex() != block_hash
        ):
            return birthday
        return max(birthday, height + 1)

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


__all__ = ["SCANNED_SETTING", "BlockClient", "BlockScanSync"]
