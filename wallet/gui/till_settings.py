"""The till's two limits, chosen by the merchant: a sale above the per-sale limit is asked about
(a slip of the keypad must not become a 35 BTC charge), and an unconfirmed payment up to the
0-conf amount may be handed over when the risk checks pass (``payments.risk.MerchantPolicy``).

Each limit is an amount in a unit -- the local currency, BTC or sats -- stored as machine text
("0.01 BTC", "50.00 CNY") in the app settings; a fiat limit is converted at the charge's locked
rate (or the current one), and with no rate it counts as none for 0-conf (wait for a block).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from wallet.bitcoin import amount as money
from wallet.bitcoin.fiat import Rate, RateError, fiat_unit
from wallet.gui.format import edit_text, number_locale, parse_amount
from wallet.gui.settings import AppSettings
from wallet.gui.theme import text_style
from wallet.gui.widgets import fit_to_width

SALE_LIMIT = "sale_limit"
ZERO_CONF = "zero_conf"
DEFAULTS = {SALE_LIMIT: "0.01 BTC", ZERO_CONF: "0 BTC"}


def unit_of(code: str) -> money.Unit:
    for unit in money.BITCOIN_UNITS:
        if unit.code == code:
            return unit
    return fiat_unit(code)


@dataclass(frozen=True)
class Limit:
    """An amount in ``unit``'s smallest part (satoshis for BTC and sat); 0 is none."""

    minor: int
    unit: money.Unit

    @classmethod
    def parse(cls, text: str) -> Limit:
        value, _, code = text.strip().partition(" ")
        unit = unit_of(code or "BTC")
        return cls(money.parse_amount(value, unit, positive=False), unit)

    def text(self) -> str:
        return f"{money.format_amount(self.minor, self.unit, trim=True)} {self.unit.code}"

    def shown(self) -> str:
        return money.format_amount(self.minor, self.unit, number_locale(), trim=True, code=True)

    def sats(self, rate: Rate | None) -> int | None:
        """The limit in satoshis (a fiat one at ``rate``; None without a rate for it)."""
        if self.unit.is_bitcoin:
            return self.minor
        if rate is None or rate.code != self.unit.code:
            return None
        return rate.to_sats(self.minor) if self.minor else 0


def read_limit(settings: AppSettings, key: str) -> Limit:
    try:
        return Limit.parse(settings.till_value(key, DEFAULTS[key]))
    except (money.AmountError, RateError):
        return Limit.parse(DEFAULTS[key])


class LimitEdit(QWidget):
    """An amount and its unit (the local currency when one is shown, BTC, sat)."""

    def __init__(self, limit: Limit, codes: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(edit_text(limit.minor, limit.unit))
        self.unit = QComboBox()
        self.unit.setAccessibleName(self.tr("Unit"))
        for code in dict.fromkeys([*codes, limit.unit.code]):
            self.unit.addItem(code, code)
        self.unit.setCurrentIndex(self.unit.findData(limit.unit.code))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.unit)

    def limit(self) -> Limit:
        unit = unit_of(str(self.unit.currentData()))
        text = self.edit.text().strip() or "0"
        return Limit(parse_amount(text, unit) if text != "0" else 0, unit)


class TillSettingsDialog(QDialog):
    """The per-sale limit and the 0-conf amount."""

    def __init__(
        self, settings: AppSettings, currency: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("till-settings")
        self.setWindowTitle(self.tr("Till settings"))
        self.settings = settings
        codes = ([currency] if currency else []) + ["BTC", "sat"]
        self.sale_limit = LimitEdit(read_limit(settings, SALE_LIMIT), codes)
        self.zero_conf = LimitEdit(read_limit(settings, ZERO_CONF), codes)
        self.sale_limit.edit.setAccessibleName(self.tr("Ask before charging more than"))
        self.zero_conf.edit.setAccessibleName(self.tr("Hand over before a block up to"))
        form = QFormLayout()
        form.addRow(self.tr("Ask before charging more than:"), self.sale_limit)
        form.addRow(self.tr("Hand over before a block, up to:"), self.zero_conf)
        explain = QLabel(
            self.tr(
                "A payment not yet in a block can still be undone by the payer. Up to the "
                "amount above (0: never), the till says \u201cOK to hand over\u201d when every "
                "check passes: it does not signal replace-by-fee, its fee is at or above the "
                "next-block estimate, the coins it spends are in blocks, every server has it, "
                "and no other transaction spends the same coins. Otherwise it says \u201cWait "
                "for a block\u201d."
            )
        )
        explain.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(text_style("error"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(explain)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        fit_to_width(self, 520)

    def apply(self) -> bool:
        try:
            sale, zero = self.sale_limit.limit(), self.zero_conf.limit()
        except money.AmountError as exc:
            self.error.setText(str(exc))
            return False
        self.settings.set_till_value(SALE_LIMIT, sale.text())
        self.settings.set_till_value(ZERO_CONF, zero.text())
        self.accept()
        return True
