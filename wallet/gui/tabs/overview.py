"""Overview: the balance in its three trust states, side by side, never summed into one figure."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wallet.account.database import Balance
from wallet.account.integrity import receive_fingerprint
from wallet.gui.controller import WalletController
from wallet.gui.format import Unit, format_amount
from wallet.gui.models import HistoryModel
from wallet.gui.tabs.tables import fill_with_last_column
from wallet.gui.widgets import BalanceCard, heading, note, show_message
from wallet.sync.events import SyncStatus


class OverviewTab(QWidget):
    def __init__(self, controller: WalletController, unit: Unit = Unit.BTC) -> None:
        super().__init__()
        self.setObjectName("tab-overview")
        self.controller = controller
        self.unit = unit
        self.confirmed = BalanceCard(
            "Confirmed",
            "Proven on this computer: each payment's Merkle proof was checked against the "
            "block headers this wallet verified itself.",
            "#1e9646",
        )
        self.unverified = BalanceCard(
            "Unverified",
            "A server says these payments are in a block, but their proofs have not been "
            "checked yet. Do not treat them as final.",
            "#c88200",
        )
        self.pending = BalanceCard(
            "Pending",
            "Seen in the mempool, not yet in any block. They can still be replaced or "
            "dropped. Negative while a payment you sent is pending.",
            "#7878c8",
        )
        cards = QGridLayout()
        cards.setHorizontalSpacing(12)
        for column, card in enumerate((self.confirmed, self.unverified, self.pending)):
            cards.addWidget(card, 0, column)
            cards.setColumnStretch(column, 1)

        self.wallet_line = QLabel()
        self.wallet_line.setWordWrap(True)
        self.sync_line = QLabel()
        self.sync_line.setWordWrap(True)
        self.sync_button = QPushButton("Sync now")
        self.sync_button.clicked.connect(self._sync)
        sync_row = QHBoxLayout()
        sync_row.addWidget(self.sync_line, 1)
        sync_row.addWidget(self.sync_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 18)
        layout.setSpacing(12)
        layout.addWidget(heading("Balance"))
        layout.addLayout(cards)
        layout.addWidget(
            note(
                "Only the confirmed figure is checked by this wallet. The three are kept "
                "apart on purpose: adding them would hide what is not yet proven."
            )
        )
        layout.addSpacing(8)
        layout.addWidget(heading("Wallet", 1))
        layout.addWidget(self.wallet_line)
        layout.addLayout(sync_row)
        layout.addSpacing(8)
        layout.addWidget(heading("Recent activity", 1))
        self.recent = QTableView()
        self.recent.setObjectName("recent-activity")
        recent = HistoryModel(controller, unit)
        self.recent.setModel(recent)
        recent.keep_selection(self.recent)  # its scroll position
        self.recent.verticalHeader().hide()
        self.recent.setShowGrid(False)
        self.recent.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.recent.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        fill_with_last_column(self.recent)
        layout.addWidget(self.recent, 1)

        controller.changed.connect(self.refresh)
        controller.rates.changed.connect(self.refresh)
        controller.status_changed.connect(self.show_status)
        controller.changed.connect(self.show_status)  # the proven/mined count
        self.show_status(controller.status)
        self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.recent.model().shown()

    def set_unit(self, unit: Unit) -> None:
        self.unit = unit
        self.recent.model().set_unit(unit)
        self.refresh()

    def refresh(self) -> None:
        self.show_balance(self.controller.balance())
        wallet = self.controller.wallet
        kind = "watch-only (no keys on this computer)" if wallet.is_watch_only else "seed wallet"
        self.wallet_line.setText(
            f"<b>{self.controller.name}</b> · {wallet.config.network} · {kind}<br>"
            f"<span style='color: palette(placeholder-text)'>{wallet.path}<br>"
            f"receive keys fingerprint {receive_fingerprint(wallet.config)}</span>"
        )
        self.wallet_line.setToolTip(
            "Compare this fingerprint with the one shown when the wallet was made: if it "
            "differs, the wallet's configuration was changed and its addresses may not be yours."
        )

    def show_balance(self, balance: Balance) -> None:
        self.confirmed.amount.setText(format_amount(balance.confirmed, self.unit))
        self.unverified.amount.setText(format_amount(balance.unverified, self.unit))
        self.pending.amount.setText(format_amount(balance.unconfirmed, self.unit, sign=True))
        rates = self.controller.rates
        for card, sats, sign in (
            (self.confirmed, balance.confirmed, False),
            (self.unverified, balance.unverified, False),
            (self.pending, balance.unconfirmed, True),
        ):
            card.fiat.setText(rates.fiat_text(sats, sign=sign))
            card.fiat.setToolTip(rates.describe())

    def show_status(self, _status: SyncStatus | None = None) -> None:
        self.sync_line.setText(self.controller.status_text())
        self.sync_line.setToolTip(self.controller.status_details())

    def _sync(self) -> None:
        try:
            self.controller.sync_now()
        except Exception as exc:  # EngineUnavailable, or an engine's own error
            show_message(self, "Sync", str(exc))
