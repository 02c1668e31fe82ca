"""The fee as a person chooses it: Slow, Normal or Fast, each with how long it takes and what it
costs; a custom rate behind them.

The rates are the servers' estimates for each target (``WalletController.fee_estimate``, asked
off the UI thread); the cost is for a typical payment of one coin with change
(:data:`TYPICAL_VSIZE`), in bitcoin and the local currency. Without estimates (no engine, or
the servers have none) the three choices say so and the custom rate is used.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QRadioButton,
    QWidget,
)

from wallet.bitcoin.amount import FeeRate
from wallet.gui.format import Unit, format_amount

#: One P2WPKH coin in, a payment and change out: 10.5 + 68 + 2 x 31 vbytes.
TYPICAL_VSIZE = 141


class FeeChoice(QWidget):
    """Slow / Normal / Fast / Custom; :meth:`rate` is the chosen fee rate."""

    changed = Signal()

    #: (choice, confirmation target in blocks)
    SPEEDS = (("slow", 144), ("normal", 6), ("fast", 2))

    def __init__(self, controller: Any, unit: Unit = Unit.BTC, parent: QWidget | None = None):
        super().__init__(parent)
        self.controller = controller
        self.unit = unit
        self.estimates: dict[str, FeeRate | None] = {}
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        self.costs: dict[str, QLabel] = {}
        names = {
            "slow": self.tr("Slow"),
            "normal": self.tr("Normal"),
            "fast": self.tr("Fast"),
            "custom": self.tr("Custom"),
        }
        self.times = {
            "slow": self.tr("about a day"),
            "normal": self.tr("about an hour"),
            "fast": self.tr("about 20 minutes"),
        }
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        for row, key in enumerate(("slow", "normal", "fast", "custom")):
            button = QRadioButton(names[key])
            button.setObjectName(f"fee-{key}")
            self.group.addButton(button)
            self.buttons[key] = button
            cost = QLabel()
            cost.setObjectName(f"fee-{key}-cost")
            cost.setToolTip(
                self.tr("The fee of a typical payment: one coin in, the payment and change out")
            )
            self.costs[key] = cost
            grid.addWidget(button, row, 0)
            if key != "custom":
                grid.addWidget(cost, row, 1, 1, 2)
        self.custom = QDoubleSpinBox()
        self.custom.setDecimals(1)
        self.custom.setRange(1.0, 1000.0)
        self.custom.setValue(2.0)
        self.custom.setSuffix(" sat/vB")
        self.custom.setAccessibleName(self.tr("Custom fee rate"))
        grid.addWidget(self.custom, 3, 1)
        grid.addWidget(self.costs["custom"], 3, 2)
        grid.setColumnStretch(2, 1)
        self._custom_touched = False
        # a rate typed (or set) is a custom choice
        self.custom.valueChanged.connect(self._custom_changed)
        self.group.buttonToggled.connect(lambda _b, on: on and self._chosen())
        self.buttons["custom"].setChecked(True)
        rates = getattr(controller, "rates", None)
        if rates is not None:
            rates.changed.connect(self._show)
        self._show()
        targets = [target for _key, target in self.SPEEDS]
        controller.fee_estimates(targets, self._estimates)  # one task for the three

    def _estimates(self, rates: dict[int, FeeRate | None]) -> None:
        for key, target in self.SPEEDS:
            self._estimate(key, rates.get(target))

    def _estimate(self, key: str, rate: FeeRate | None) -> None:
        self.estimates[key] = rate
        if key == "normal" and rate is not None and not self._custom_touched:
            self.buttons["normal"].setChecked(True)  # the default once the servers say
        self._show()

    def _custom_changed(self, _value: float) -> None:
        self._custom_touched = True
        self.buttons["custom"].setChecked(True)
        self._show()
        self.changed.emit()

    def _chosen(self) -> None:
        self._show()
        self.changed.emit()

    def set_custom(self, sat_per_vb: float) -> None:
        """Choose a custom rate (tests, and a rate a person types)."""
        self.custom.setValue(sat_per_vb)
        self._custom_changed(sat_per_vb)

    def choice(self) -> str:
        return next(k for k, b in self.buttons.items() if b.isChecked())

    def rate(self) -> FeeRate:
        """The chosen fee rate (an estimate, or the custom one)."""
        key = self.choice()
        estimate = self.estimates.get(key)
        if key != "custom" and estimate is not None:
            return estimate
        return FeeRate.from_sat_per_vb(Decimal(str(round(self.custom.value(), 1))))

    def set_unit(self, unit: Unit) -> None:
        self.unit = unit
        self._show()

    def _cost(self, rate: FeeRate) -> str:
        fee = rate.fee(TYPICAL_VSIZE)
        text = f"{rate} · ≈ {format_amount(fee, self.unit)}"
        rates = getattr(self.controller, "rates", None)
        fiat = rates.fiat_text(fee) if rates is not None else ""
        return text + (f" ({fiat})" if fiat else "")

    def _show(self) -> None:
        for key, _target in self.SPEEDS:
            rate = self.estimates.get(key)
            button = self.buttons[key]
            button.setEnabled(rate is not None)
            if rate is None:
                self.costs[key].setText(
                    self.tr("{when} · no estimate from the servers").format(when=self.times[key])
                )
            else:
                self.costs[key].setText(f"{self.times[key]} · {self._cost(rate)}")
        custom = FeeRate.from_sat_per_vb(Decimal(str(round(self.custom.value(), 1))))
        self.costs["custom"].setText(self._cost(custom).split(" · ", 1)[1])
