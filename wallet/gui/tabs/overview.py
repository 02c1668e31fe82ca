"""Home: what a person needs first — the money available, and Receive, Pay and Till buttons.

The one figure shown big is what can be spent now: coins whose payment this wallet proved itself
(a Merkle proof checked against its own headers), plus the change of its own payments on their
way. Money coming in that is not proven yet is said apart ("on its way"), never added in. The
balance per trust state (confirmed, unverified, pending), the wallet's fingerprint and the sync
line are the details, shown on demand.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from wallet.account.database import Balance, Chain, OutputRecord, TxState
from wallet.account.integrity import receive_fingerprint
from wallet.gui import glossary
from wallet.gui.controller import WalletController
from wallet.gui.format import Unit, format_amount
from wallet.gui.models import HistoryModel
from wallet.gui.tabs.tables import fill_with_last_column
from wallet.gui.theme import text_style
from wallet.gui.widgets import BalanceCard, VerticalScroll, heading, note, show_message
from wallet.sync.events import SyncStatus


def available_sats(coins: list[OutputRecord]) -> int:
    """What can be spent now: unspent coins whose payment is proven here, and the change of
    the wallet's own payments (it comes back from a transaction this wallet signed)."""
    return sum(
        c.value
        for c in coins
        if c.state is TxState.CONFIRMED
        or (c.chain is Chain.CHANGE and c.state in (TxState.UNVERIFIED, TxState.UNCONFIRMED))
    )


def incoming_sats(coins: list[OutputRecord]) -> int:
    """Money paid to the wallet whose payment is not proven yet (unverified or unconfirmed)."""
    return sum(
        c.value
        for c in coins
        if c.chain is not Chain.CHANGE and c.state in (TxState.UNVERIFIED, TxState.UNCONFIRMED)
    )


def big_button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    font = button.font()
    font.setPointSizeF(font.pointSizeF() * 1.35)
    font.setBold(True)
    button.setFont(font)
    button.setMinimumHeight(round(button.fontMetrics().height() * 2.6))
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    button.setAutoDefault(True)  # Enter presses it when it has the focus
    return button


class OverviewTab(QWidget):
    """The Home tab (kept as ``MainWindow.overview``)."""

    receive_requested = Signal()
    pay_requested = Signal()
    till_requested = Signal()

    def __init__(self, controller: WalletController, unit: Unit = Unit.BTC) -> None:
        super().__init__()
        self.setObjectName("tab-overview")
        self.controller = controller
        self.unit = unit

        # -- the money --------------------------------------------------------------------------
        self.available_title = QLabel(self.tr("Available"))
        self.available_title.setObjectName("home-available-title")
        self.available = QLabel()
        self.available.setObjectName("home-available")
        font = self.available.font()
        font.setPointSizeF(font.pointSizeF() * 2.4)
        font.setBold(True)
        self.available.setFont(font)
        self.available.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.available.setToolTip(
            self.tr(
                "Money you can spend now: payments this wallet proved itself, and the change "
                "of your own payments. Money coming in counts once its proof checks out."
            )
        )
        self.available_title.setBuddy(self.available)
        #: the amount in the person's currency, beside the bitcoin figure (empty until a rate
        #: is known: :meth:`set_fiat_text`)
        self.fiat = QLabel()
        self.fiat.setObjectName("home-fiat")
        fiat_font = self.fiat.font()
        fiat_font.setPointSizeF(fiat_font.pointSizeF() * 1.5)
        self.fiat.setFont(fiat_font)
        self.fiat.setStyleSheet("color: palette(placeholder-text);")
        self.fiat.hide()
        amount_row = QHBoxLayout()
        amount_row.setSpacing(16)
        amount_row.addWidget(self.available)
        amount_row.addWidget(self.fiat, 0, Qt.AlignmentFlag.AlignBottom)
        amount_row.addStretch(1)
        self.incoming = QLabel()
        self.incoming.setObjectName("home-incoming")
        self.incoming.setWordWrap(True)
        self.incoming.setTextFormat(Qt.TextFormat.RichText)
        self.incoming.linkActivated.connect(lambda href: glossary.open_link(self, href))

        # -- what to do -------------------------------------------------------------------------
        self.receive_button = big_button(self.tr("Receive"), "home-receive")
        self.receive_button.setToolTip(self.tr("Show a QR code to get paid"))
        self.pay_button = big_button(self.tr("Pay (scan)"), "home-pay")
        self.pay_button.setToolTip(self.tr("Scan a payment QR code, or paste an address"))
        self.till_button = big_button(self.tr("Till"), "home-till")
        self.till_button.setToolTip(self.tr("The merchant till, full screen (Ctrl+T)"))
        self.receive_button.clicked.connect(self.receive_requested)
        self.pay_button.clicked.connect(self.pay_requested)
        self.till_button.clicked.connect(self.till_requested)
        if controller.is_watch_only:
            self.pay_button.setEnabled(False)
            self.pay_button.setToolTip(self.tr("A watch-only wallet cannot pay."))
        actions = QHBoxLayout()
        actions.setSpacing(12)
        for button in (self.receive_button, self.pay_button, self.till_button):
            actions.addWidget(button)

        # -- recent activity --------------------------------------------------------------------
        self.recent_title = heading(self.tr("Recent activity"), 1)
        self.recent = QTableView()
        self.recent.setObjectName("recent-activity")
        self.recent.setAccessibleName(self.tr("Recent activity"))
        recent = HistoryModel(controller, unit)
        self.recent.setModel(recent)
        recent.keep_selection(self.recent)  # its scroll position
        self.recent.verticalHeader().hide()
        self.recent.setShowGrid(False)
        self.recent.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.recent.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.recent.setMinimumHeight(self.recent.fontMetrics().height() * 6)
        fill_with_last_column(self.recent)

        # -- details on demand ------------------------------------------------------------------
        self.details_button = QToolButton()
        self.details_button.setObjectName("home-details-toggle")
        self.details_button.setCheckable(True)
        self.details_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.details_button.setArrowType(Qt.ArrowType.RightArrow)
        self.details_button.setText(self.tr("Details: the balance by state, and this wallet"))
        self.details_button.setAutoRaise(True)
        self.details_button.toggled.connect(self.show_details)
        self.details = self._details()
        self.details.hide()
        self.sync_line = QLabel()
        self.sync_line.setObjectName("home-sync")
        self.sync_line.setWordWrap(True)
        self.sync_button = QPushButton(self.tr("Sync now"))
        self.sync_button.clicked.connect(self._sync)
        sync_row = QHBoxLayout()
        sync_row.addWidget(self.sync_line, 1)
        sync_row.addWidget(self.sync_button)

        # Everything scrolls as one page when it does not fit (large text on a small screen)
        content = QWidget()
        content.setObjectName("home-content")
        scroll = VerticalScroll(content)
        scroll.setObjectName("home-scroll")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(18, 18, 18, 18)
        layout.setSpacing(10)
        layout.addWidget(self.available_title)
        layout.addLayout(amount_row)
        layout.addWidget(self.incoming)
        layout.addSpacing(6)
        layout.addLayout(actions)
        layout.addSpacing(6)
        layout.addWidget(self.recent_title)
        layout.addWidget(self.recent, 1)
        layout.addLayout(sync_row)
        layout.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.details)

        controller.changed.connect(self.refresh)
        controller.rates.changed.connect(self.refresh)
        controller.status_changed.connect(self.show_status)
        controller.changed.connect(self.show_status)  # the proven/mined count
        self.show_status(controller.status)
        self.refresh()

    def _details(self) -> QWidget:
        box = QFrame()
        box.setObjectName("home-details")
        self.confirmed = BalanceCard(
            self.tr("Confirmed"),
            self.tr(
                "Proven on this computer: each payment's Merkle proof was checked against the "
                "block headers this wallet verified itself."
            ),
            "#1e9646",
            glossary_key="proof",
        )
        self.unverified = BalanceCard(
            self.tr("Unverified"),
            self.tr(
                "A server says these payments are in a block, but their proofs have not been "
                "checked yet. Do not treat them as final."
            ),
            "#c88200",
            glossary_key="unverified",
        )
        self.pending = BalanceCard(
            self.tr("Pending"),
            self.tr(
                "Seen in the mempool, not yet in any block. They can still be replaced or "
                "dropped. Negative while a payment you sent is pending."
            ),
            "#7878c8",
            glossary_key="mempool",
        )
        cards = QGridLayout()
        cards.setHorizontalSpacing(12)
        for column, card in enumerate((self.confirmed, self.unverified, self.pending)):
            cards.addWidget(card, 0, column)
            cards.setColumnStretch(column, 1)
        self.wallet_line = QLabel()
        self.wallet_line.setObjectName("home-wallet")
        self.wallet_line.setWordWrap(True)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(cards)
        layout.addWidget(
            note(
                self.tr(
                    "Only the confirmed figure is checked by this wallet. The three are kept "
                    "apart on purpose: adding them would hide what is not yet proven."
                )
            )
        )
        layout.addWidget(self.wallet_line)
        return box

    def show_details(self, on: bool) -> None:
        self.details_button.setChecked(on)
        self.details_button.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.details.setVisible(on)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.recent.model().shown()

    def set_unit(self, unit: Unit) -> None:
        self.unit = unit
        self.recent.model().set_unit(unit)
        self.refresh()

    def set_fiat_text(self, text: str) -> None:
        """The available amount in the person's currency ("" hides it)."""
        self.fiat.setText(text)
        self.fiat.setVisible(bool(text))

    def refresh(self) -> None:
        if self.controller.closed:  # a rate that arrived after the wallet was closed
            return
        coins = self.controller.coins()
        self.show_available(available_sats(coins), incoming_sats(coins))
        self.show_balance(self.controller.balance())
        wallet = self.controller.wallet
        kind = (
            self.tr("watch-only (no keys on this computer)")
            if wallet.is_watch_only
            else self.tr("seed wallet")
        )
        fingerprint = self.tr("receive keys fingerprint {fingerprint}").format(
            fingerprint=receive_fingerprint(wallet.config)
        )
        self.wallet_line.setText(
            f"<b>{self.controller.name}</b> · {wallet.config.network} · {kind}<br>"
            f"<span style='color: palette(placeholder-text)'>{wallet.path}<br>"
            f"{fingerprint}</span>"
        )
        self.wallet_line.setToolTip(
            self.tr(
                "Compare this fingerprint with the one shown when the wallet was made: if it "
                "differs, the wallet's configuration was changed and its addresses may not be "
                "yours."
            )
        )

    def show_available(self, available: int, incoming: int) -> None:
        self.available.setText(format_amount(available, self.unit))
        rates = self.controller.rates
        self.set_fiat_text(rates.fiat_text(available))  # "≈ 3,650.00 CNY", or hidden
        self.fiat.setToolTip(rates.describe())
        if incoming:
            fiat = rates.fiat_text(incoming, sign=True)
            amount = format_amount(incoming, self.unit, sign=True)
            text = self.tr("{amount} on its way: it counts once it is confirmed.").format(
                amount=f"{amount} ({fiat})" if fiat else amount
            )
            self.incoming.setStyleSheet(text_style("pending"))
        else:
            text = self.tr("Nothing on its way.")
            self.incoming.setStyleSheet("color: palette(placeholder-text);")
        self.incoming.setText(f"{text} {glossary.link('confirmation')}")

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
            show_message(self, self.tr("Sync"), str(exc))
