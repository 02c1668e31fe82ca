"""The one object between the windows and the wallet: reads, writes, and the sync engine.

Every tab reads the open wallet's database through :class:`WalletController` and every change
goes through ``wallet.account`` here, so the widgets hold no wallet logic. What needs the
network or the light node (sync, fee estimates, signing and broadcasting a payment, the
header a proof was checked against) goes to a :class:`SyncEngine`, the interface the sync
engine of issue 5 implements. Until one is attached those actions raise
:class:`EngineUnavailable` with a sentence saying so, and the UI shows it instead of pretending.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from wallet.account.database import (
    AddressRecord,
    Balance,
    Chain,
    OutputRecord,
    PaymentRequest,
    TxRecord,
    TxState,
)
from wallet.account.fees import FeeRate
from wallet.account.keystore import KeystoreSecret
from wallet.account.tx_builder import (
    BuiltTransaction,
    ChangeDestination,
    Recipient,
    WalletCoin,
    build_payment,
    coin_from_output,
)
from wallet.account.wallet_file import Wallet
from wallet.bitcoin.descriptors import parse_descriptor
from wallet.bitcoin.transaction import OutPoint
from wallet.errors import PaylightError
from wallet.gui.wallet_setup import store_addresses
from wallet.gui.workers import run_task

log = logging.getLogger(__name__)


class EngineUnavailable(PaylightError):
    """An action needs the sync engine (network, light node), which is not running."""


NO_ENGINE = (
    "Paylight's sync engine is not part of this build yet, so {what} is not available. "
    "Your wallet file is not affected."
)


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar shows about the light node; the engine reports it."""

    headers: int = 0
    headers_target: int | None = None
    proofs_verified: int = 0
    proofs_total: int = 0
    servers: int = 0
    message: str = ""

    def text(self) -> str:
        if self.message:
            return self.message
        target = f"/{self.headers_target:,}" if self.headers_target is not None else ""
        return (
            f"Headers {self.headers:,}{target} · proofs verified "
            f"{self.proofs_verified}/{self.proofs_total} · {self.servers} server(s)"
        )


OFFLINE = SyncStatus(message="Not syncing: the sync engine is not part of this build yet.")


@dataclass(frozen=True)
class PaymentDraft:
    """What the Send tab asks for, before any coin is chosen."""

    address: str
    amount_sat: int
    fee_rate: FeeRate
    #: Coins the user picked on the Coins tab ("spend from"); empty means automatic selection.
    coins: tuple[OutPoint, ...] = ()
    label: str = ""


@dataclass(frozen=True)
class PaymentPlan:
    """A built, unsigned payment: everything the review screen shows before the password."""

    address: str
    amount_sat: int
    fee_sat: int
    change_sat: int
    change_address: str | None
    inputs: tuple[OutPoint, ...]
    vsize: int
    warnings: tuple[str, ...] = ()
    #: the builder's unsigned transaction (a PSBT inside), handed back to be signed
    unsigned: Any = field(default=None, repr=False)

    @property
    def total_sat(self) -> int:
        return self.amount_sat + self.fee_sat

    @classmethod
    def from_built(cls, built: BuiltTransaction) -> PaymentPlan:
        review = built.review
        address, amount = review.recipients[0]
        change_address, change = review.change if review.change is not None else (None, 0)
        return cls(
            address=address,
            amount_sat=amount,
            fee_sat=review.fee,
            change_sat=change,
            change_address=change_address,
            inputs=tuple(outpoint for outpoint, _value in review.inputs),
            vsize=review.vsize,
            warnings=tuple(w.message for w in review.warnings),
            unsigned=built,
        )


class SyncEngine(Protocol):
    """What the sync engine provides to the GUI. Methods may block: they run off the UI thread.

    ``start`` receives a callback to report :class:`SyncStatus` (from any thread) and a
    callback to call after it wrote to the wallet database (so views refresh).
    """

    def start(
        self,
        wallet: Wallet,
        report: Callable[[SyncStatus], None],
        changed: Callable[[], None],
    ) -> None: ...

    def stop(self) -> None: ...

    def sync_now(self) -> None: ...

    def tip_height(self) -> int | None: ...

    def header_at(self, height: int) -> bytes | None: ...

    def fee_estimate(self, target_blocks: int) -> FeeRate | None: ...

    def sign_and_broadcast(self, wallet: Wallet, plan: PaymentPlan, secret: KeystoreSecret) -> str:
        """Sign with the unlocked secret, broadcast, store the transaction; returns the txid."""
        ...


@dataclass(frozen=True)
class HistoryRow:
    """One transaction as the History tab shows it."""

    record: TxRecord
    #: coins the transaction paid to the wallet minus wallet coins it spent
    net_sat: int
    confirmations: int | None
    label: str


class WalletController(QObject):
    """The open wallet, as the GUI sees it. Lives on the UI thread (SQLite is per-thread)."""

    changed = Signal()
    status_changed = Signal(object)  # SyncStatus
    _engine_changed = Signal()  # engine writes happen on its thread; refresh on ours

    def __init__(self, wallet: Wallet, engine: SyncEngine | None = None) -> None:
        super().__init__()
        self.wallet = wallet
        self.engine = engine
        self.status = OFFLINE
        self._engine_changed.connect(self.changed)
        if engine is not None:
            engine.start(wallet, self._report, self._engine_changed.emit)

    # -- the wallet ------------------------------------------------------------------------------

    @property
    def db(self):
        return self.wallet.db

    @property
    def network(self) -> str:
        return self.wallet.config.network

    @property
    def is_watch_only(self) -> bool:
        return self.wallet.is_watch_only

    @property
    def name(self) -> str:
        return self.wallet.path.name

    def close(self) -> None:
        if self.engine is not None:
            self.engine.stop()
        self.wallet.close()

    def _report(self, status: SyncStatus) -> None:
        self.status = status
        self.status_changed.emit(status)

    # -- reading ---------------------------------------------------------------------------------

    def balance(self) -> Balance:
        return self.db.balance()

    def tip_height(self) -> int | None:
        return self.engine.tip_height() if self.engine is not None else None

    def history(self) -> list[HistoryRow]:
        """Newest first, replaced transactions included (they say so)."""
        outputs = {o.outpoint: o for o in self.db.outputs()}
        received: dict[bytes, int] = {}
        for o in outputs.values():
            received[o.outpoint.txid] = received.get(o.outpoint.txid, 0) + o.value
        tip = self.tip_height()
        labels = {label.ref: label.label for label in self.db.labels("tx")}
        rows = []
        for record in self.db.transactions():
            spent = 0
            tx = record.transaction()
            if not tx.is_coinbase():
                for txin in tx.inputs:
                    mine = outputs.get(txin.prevout)
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

    def coins(self) -> list[OutputRecord]:
        return self.db.utxos()

    def addresses(self) -> list[AddressRecord]:
        return self.db.addresses()

    def requests(self) -> list[PaymentRequest]:
        return list(reversed(self.db.payment_requests()))

    def address_label(self, address: str) -> str:
        return self.db.label("addr", address) or ""

    def header_at(self, height: int) -> bytes | None:
        """The header a proof was checked against, from the light node's store if it runs."""
        return self.engine.header_at(height) if self.engine is not None else None

    # -- changing the wallet (through wallet.account) --------------------------------------------

    def set_frozen(self, outpoint: OutPoint, frozen: bool) -> None:
        self.db.set_frozen(outpoint, frozen)
        self.changed.emit()

    def set_label(self, type: str, ref: str, label: str) -> None:
        self.db.set_label(type, ref, label)
        self.changed.emit()

    def next_receive_address(self) -> AddressRecord:
        """The first receive address never used and not promised to a waiting request."""
        promised = {r.address_id for r in self.db.payment_requests() if r.state == "waiting"}
        for record in self.db.addresses(Chain.RECEIVE):
            if not record.used and record.id not in promised:
                return record
        highest = self.db.highest_index(Chain.RECEIVE)
        upto = (highest + 1 if highest is not None else 0) + self.wallet.config.gap_limit
        store_addresses(self.db, self.wallet.config, Chain.RECEIVE, upto)
        return self.next_receive_address()

    def create_request(
        self,
        amount_sat: int | None,
        label: str = "",
        message: str = "",
        expires_in: int | None = None,
    ) -> PaymentRequest:
        address = self.next_receive_address()
        now = int(time.time())
        request = self.db.add_payment_request(
            address.id,
            amount_sat,
            label=label,
            message=message,
            created_at=now,
            expires_at=now + expires_in if expires_in else None,
        )
        if label:
            self.db.set_label("addr", address.address, label)
        self.changed.emit()
        return request

    # -- slow work, off the UI thread -------------------------------------------------------------

    def unlock(
        self,
        password: str,
        on_done: Callable[[KeystoreSecret], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """Check the password (scrypt, ~0.5 s) on the thread pool; the keystore only reads."""
        keystore = self.wallet.keystore
        run_task(keystore.unlock, password, on_done=on_done, on_error=on_error)

    def _need_engine(self, what: str) -> SyncEngine:
        if self.engine is None:
            raise EngineUnavailable(NO_ENGINE.format(what=what))
        return self.engine

    def sync_now(self) -> None:
        self._need_engine("syncing with servers").sync_now()

    def fee_estimate(self, target_blocks: int, on_done: Callable[[FeeRate | None], None]) -> None:
        if self.engine is None:
            on_done(None)
            return
        run_task(self.engine.fee_estimate, target_blocks, on_done=on_done, on_error=lambda _e: None)

    def _spendable_coins(self) -> list[WalletCoin]:
        config = self.wallet.config
        receive = parse_descriptor(config.receive_descriptor, config.network)
        change = (
            parse_descriptor(config.change_descriptor, config.network)
            if config.change_descriptor
            else receive
        )
        coins = []
        for output in self.db.utxos():
            record = self.db.transaction_record(output.outpoint.txid)
            prev_tx = record.transaction() if record is not None else None
            descriptor = change if output.chain is Chain.CHANGE else receive
            coins.append(coin_from_output(output, descriptor, prev_tx))
        return coins

    def _change_destination(self) -> ChangeDestination:
        config = self.wallet.config
        chain = Chain.CHANGE if config.change_descriptor else Chain.RECEIVE
        text = config.change_descriptor or config.receive_descriptor
        record = self.db.first_unused(chain)
        if record is None:
            highest = self.db.highest_index(chain)
            upto = (highest + 1 if highest is not None else 0) + config.gap_limit
            store_addresses(self.db, config, chain, upto)
            record = self.db.first_unused(chain)
            assert record is not None
        return ChangeDestination(parse_descriptor(text, config.network), record.index)

    def plan_payment(
        self,
        draft: PaymentDraft,
        on_done: Callable[[PaymentPlan], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """Choose coins and build the unsigned transaction (``wallet.account.tx_builder``).

        The database is read here (its connection belongs to this thread); coin selection and
        the PSBT are built on the thread pool.
        """
        try:
            coins = self._spendable_coins()
            change = self._change_destination()
        except PaylightError as exc:
            on_error(exc)
            return
        network = self.network
        height = self.tip_height()

        def build() -> PaymentPlan:
            built = build_payment(
                [Recipient(draft.address, draft.amount_sat)],
                coins,
                draft.fee_rate,
                change,
                network,
                spend_from=draft.coins or None,
                current_height=height,
            )
            return PaymentPlan.from_built(built)

        run_task(build, on_done=on_done, on_error=on_error)

    def can_broadcast(self) -> bool:
        return self.engine is not None and not self.is_watch_only

    def sign_and_broadcast(
        self,
        plan: PaymentPlan,
        password: str,
        on_done: Callable[[str], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        try:
            engine = self._need_engine("sending a payment")
        except EngineUnavailable as exc:
            on_error(exc)
            return

        def work() -> str:
            secret = self.wallet.keystore.unlock(password)
            return engine.sign_and_broadcast(self.wallet, plan, secret)

        def done(txid: str) -> None:
            self.changed.emit()
            on_done(txid)

        run_task(work, on_done=done, on_error=on_error)
