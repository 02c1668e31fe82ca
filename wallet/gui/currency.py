"""The local currency: which one is shown beside bitcoin, where its rate comes from, and a rate
set by hand for a stall with no connection.

The rates themselves are :func:`wallet.gui.rates.make_rates`'s (imported without this dialog
when a window opens).
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wallet.bitcoin.amount import AmountError
from wallet.bitcoin.fiat import MANUAL, Rate, fiat_unit, format_price, known_currencies, read_price
from wallet.bitcoin.networks import Network
from wallet.gui.format import number_locale
from wallet.gui.rates import FiatRates
from wallet.gui.settings import AppSettings
from wallet.gui.theme import text_style
from wallet.gui.widgets import fit_to_width


class CurrencyDialog(QDialog):
    """Choose the local currency, whether public price sources are asked, or a rate by hand."""

    def __init__(
        self,
        rates: FiatRates,
        settings: AppSettings,
        parent: QWidget | None = None,
        *,
        network: Network | None = None,
    ) -> None:
        super().__init__(parent)
        self.network = network
        self.setObjectName("currency-dialog")
        self.setWindowTitle(self.tr("Local currency"))
        self.rates = rates
        self.settings = settings
        self.currency = QComboBox()
        self.currency.setAccessibleName(self.tr("Local currency"))
        self.currency.addItem(self.tr("None (bitcoin only)"), "")
        for code in known_currencies():
            self.currency.addItem(code, code)
        index = self.currency.findData(rates.code or "")
        self.currency.setCurrentIndex(max(0, index))
        self.sources = QCheckBox(self.tr("Ask public price sources"))
        # named apart, wrapped: a long check box is the dialog's width at large text sizes
        sources_note = QLabel(
            self.tr(
                "mempool.space, Coinbase, Kraken, CoinGecko and blockchain.com, through the "
                "connection setting"
            )
        )
        sources_note.setWordWrap(True)
        sources_note.setStyleSheet("color: palette(placeholder-text);")
        self.sources.setChecked(settings.ask_rate_sources())
        self.manual = QLineEdit()
        self.manual.setPlaceholderText(self.tr("empty: use the sources"))
        self.manual.setAccessibleName(self.tr("Price of one bitcoin set by hand"))
        if rates.manual is not None:
            self.manual.setText(format_price(rates.manual, number_locale()))
        self.status = QLabel(rates.describe())
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(text_style("error"))
        self.refresh_button = QPushButton(self.tr("Ask again"))
        self.refresh_button.clicked.connect(rates.refresh)
        status_row = QHBoxLayout()
        status_row.addWidget(self.refresh_button)
        status_row.addStretch(1)
        form = QFormLayout()
        form.addRow(self.tr("Show amounts also in:"), self.currency)
        form.addRow("", self.sources)
        form.addRow("", sources_note)
        form.addRow(self.tr("1 BTC costs (set by hand):"), self.manual)
        form.addRow(self.tr("Rate now:"), self.status)  # wraps: a row of its own
        form.addRow("", status_row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        note = QLabel(
            self.tr(
                "The rate is only used to show values and to price amounts typed in the local "
                "currency: a request or a till charge locks the rate when it is made. A rate "
                "set by hand is for a stall with no connection; it is used until cleared."
            )
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        rates.changed.connect(self._show_status)
        fit_to_width(self, 560)

    def _show_status(self) -> None:
        self.status.setText(self.rates.describe())

    def apply(self) -> bool:
        """Store and use the choices; False (with the reason shown) if the rate is not one."""
        code = str(self.currency.currentData() or "")
        manual: Rate | None = None
        text = self.manual.text().strip()
        if text and code:
            try:
                price = read_price(text, code, number_locale())
            except AmountError as exc:
                self.error.setText(str(exc))
                return False
            manual = Rate(fiat_unit(code), price, MANUAL, int(time.time()))
        self.settings.set_currency(code)
        self.settings.set_ask_rate_sources(self.sources.isChecked())
        if code:
            self.settings.set_manual_rate(
                code, manual.price_text() if manual else None, manual.at if manual else 0
            )
        # a playground wallet keeps its playground's rate
        if self.network is not None and self.network.name == "mainnet":
            from wallet.rates.service import DEFAULT_SOURCES

            self.rates.set_sources(DEFAULT_SOURCES if self.sources.isChecked() else ())
        self.rates.set_currency(code or None)
        self.rates.set_manual(manual)
        self.accept()
        return True
