"""What the wallet's views show, read from the database off the UI thread.

While the sync engine writes, its thread runs Python almost without pause. SQLite's Python
module lets go of the GIL at every row it steps through, and each time it may take up to the
interpreter's switch interval (5 ms) to get it back from a busy thread. Reading a few hundred
rows for the tables on the UI thread then stalled the window for over 100 ms
(``bench/ui_latency.py``). So refreshes the engine asks for are read here, on a thread with a
database connection of its own, and the UI thread only gets the finished lists.
"""

from __future__ import annotations

import concurrent.futures
import logging
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from wallet.account.database import (
    AddressRecord,
    Balance,
    OutputRecord,
    TxRecord,
    TxState,
    WalletDatabase,
)
from wallet.bitcoin.transaction import Transaction

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class HistoryRow:
    """One transaction as the History tab shows it."""

    record: TxRecord
    #: coins the transaction paid to the wallet minus wallet coins it spent
    net_sat: int
    confirmations: int | None
    label: str


def parsed(cache: dict[bytes, Transaction], record: TxRecord) -> Transaction:
    """``record.transaction()``, parsed once (a txid's bytes never change)."""
    tx = cache.get(record.txid)
    if tx is None:
        tx = cache[record.txid] = record.transaction()
    return tx


def history_rows(
    db: WalletDatabase,
    tip: int | None,
    cache: dict[bytes, Transaction],
    transactions: list[TxRecord] | None = None,
    outputs: list[OutputRecord] | None = None,
) -> list[HistoryRow]:
    """The History tab's rows, newest first, replaced transactions included (they say so)."""
    by_outpoint = {o.outpoint: o for o in (db.outputs() if outputs is None else outputs)}
    received: dict[bytes, int] = {}
    for o in by_outpoint.values():
        received[o.outpoint.txid] = received.get(o.outpoint.txid, 0) + o.value
    labels = {label.ref: label.label for label in db.labels("tx")}
    rows = []
    for record in db.transactions() if transactions is None else transactions:
        spent = 0
        tx = parsed(cache, record)
        if not tx.is_coinbase():
            for txin in tx.inputs:
                mine = by_outpoint.get(txin.prevout)
                if mine is not None:
                    spent += mine.value
        confirmations = None
        if record.state is TxState.CONFIRMED and tip is not None and record.height is not None:
            confirmations = max(0, tip - record.height + 1)
        rows.append(
            HistoryRow(
                record,
                received.get(record.txid, 0) - spent,
                confirmations,
                labels.get(record.txid_hex, ""),
            )
        )
    rows.reverse()
    return rows


def proof_counts(transactions: list[TxRecord]) -> tuple[int, int]:
    """(proven, mined) transactions: confirmed ones, and confirmed plus unverified."""
    proven = sum(1 for r in transactions if r.state is TxState.CONFIRMED)
    return proven, proven + sum(1 for r in transactions if r.state is TxState.UNVERIFIED)


@dataclass(frozen=True)
class WalletSnapshot:
    """Everything the tables, the balance and the status line read on a refresh."""

    balance: Balance
    transactions: list[TxRecord]
    history: list[HistoryRow]
    utxos: list[OutputRecord]
    addresses: list[AddressRecord]
    proof_counts: tuple[int, int]
    #: the controller's change counter when the read began (newer changes make it stale)
    changes: int
    #: the controller's count of its own writes when the read began
    local_changes: int
    #: what the visible tables computed from this snapshot on the reader thread, by table
    prepared: dict[Hashable, Any] = field(default_factory=dict)


#: Computes, on the reader thread, what a table shows from a snapshot (wallet.gui.models).
Preparer = Callable[[WalletDatabase, "WalletSnapshot"], Any]


def read_snapshot(
    db: WalletDatabase,
    tip: int | None,
    cache: dict[bytes, Transaction],
    changes: int,
    local_changes: int,
    preparers: dict[Hashable, Preparer] | None = None,
) -> WalletSnapshot:
    transactions = db.transactions()
    outputs = db.outputs()
    snapshot = WalletSnapshot(
        balance=db.balance(tip),
        transactions=transactions,
        history=history_rows(db, tip, cache, transactions, outputs),
        utxos=db.utxos(),
        addresses=db.addresses(),
        proof_counts=proof_counts(transactions),
        changes=changes,
        local_changes=local_changes,
    )
    for key, prepare in (preparers or {}).items():
        try:
            snapshot.prepared[key] = prepare(db, snapshot)
        except Exception:  # that table is then read on the UI thread, as without a preparer
            log.warning("could not prepare a table off the UI thread", exc_info=True)
    return snapshot


class SnapshotReader:
    """One thread with its own connection to the wallet database (SQLite connections belong
    to the thread that opened them), running reads handed to it one at a time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: WalletDatabase | None = None
        self._executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="paylight-reader"
        )

    def submit(self, read: Callable[[WalletDatabase], T]) -> concurrent.futures.Future[T]:
        return self._executor.submit(self._run, read)

    def _run(self, read: Callable[[WalletDatabase], T]) -> T:
        if self._db is None:
            self._db = WalletDatabase.open(self.path, create=False)
        return read(self._db)

    def _close_db(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def close(self) -> None:
        """Finish the read under way, close the connection, end the thread."""
        try:
            self._executor.submit(self._close_db).result(30)
        except Exception:  # already shut down, or the close failed: nothing more to do
            log.debug("closing the snapshot reader", exc_info=True)
        self._executor.shutdown(wait=True, cancel_futures=True)
