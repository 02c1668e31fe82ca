"""The merchant till: type a price, show a big QR, and say clearly when it is paid.

Three pages in one full-screen window, each in big type:

* **keypad** -- the price in the merchant's currency (the local one when it has a rate, else
  BTC or sats; a unit switch), from large buttons or the keyboard (digits, the decimal mark,
  Backspace; Esc clears; Enter charges). A price above the per-sale limit is asked about.
  A price typed in the local currency locks its rate into the request (and the receipt);
* **waiting** -- the request's BIP21 URI as a large QR code (for an underpaid request, the QR of
  what is still missing);
* **status** -- once the payment is seen the QR is gone (a second scan would pay twice): the
  payment seen, with the merchant policy's verdict ("OK to hand over" or "Wait for a block",
  the reasons folded under Details), then a ✓ with the amount once it is in a block and its
  Merkle proof checked against the local header chain; it stays until the next sale, with the
  receipt to save or to show as a QR code.

Money arriving is announced (``wallet.gui.announce``: a chime, and the amount spoken where the
system has a speech engine). Esc never abandons a live charge without asking; every control is
reachable with Tab; a Close button leaves the full-screen till. The state is recomputed from the
wallet database whenever the sync engine reports a change (``wallet.payments.requests``); with
the till engine running, risk views and receipts come from it (``wallet.payments.pos``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QFileDialog,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from wallet.account.database import PaymentRequest, RequestState, TxState
from wallet.bitcoin import amount as money
from wallet.bitcoin.fiat import Price, Rate
from wallet.errors import PaylightError
from wallet.gui.controller import WalletController
from wallet.gui.format import Unit, format_amount, keypad_text, number_locale, parse_amount
from wallet.gui.tabs.receive import request_uri
from wallet.gui.theme import fill_colour, text_colour, text_style
from wallet.gui.till_pages import RIGHT_PANEL_WIDTH, TillPages
from wallet.gui.till_parts import (
    _MIN_H,
    _MIN_W,
    _POINTS,
    AMBER,
    DESIGN_SIZE,
    GREEN,
    GREY,
    RiskLine,
    _big,
    _minimum,
    reason_text,
    risk_lines,
    risk_view_lines,
    spoken_amount,
    state_look,
    till_scale,
)
from wallet.gui.workers import error_text, run_task
from wallet.payments.receipt import (
    Receipt,
    load_receipt,
    receipt_for_payment,
    receipt_qr_text,
    stored_coinbase,
)
from wallet.payments.requests import RequestStatus
from wallet.payments.risk import MerchantPolicy, Verdict
from wallet.payments.uri import make_uri

log = logging.getLogger(__name__)

#: How long a till's QR code stays valid: a customer pays at the counter, now.
CHARGE_EXPIRY = 15 * 60

DONE = (RequestState.CONFIRMED, RequestState.PAID, RequestState.OVERPAID)
#: the pages of :attr:`PosWindow.pages`
KEYPAD, WAITING, STATUS = 0, 1, 2


class PosWindow(TillPages, QWidget):
    """The till. ``fullscreen=False`` keeps it a normal window (tests, screenshots)."""

    charged = Signal(object)  # PaymentRequest
    state_changed = Signal(object)  # RequestState

    def __init__(
        self,
        controller: WalletController,
        unit: Unit = Unit.SAT,
        *,
        fullscreen: bool = True,
        label: str = "",
        settings: Any = None,
        announcer: Any = None,
    ) -> None:
        super().__init__()
        self.setObjectName("pos-window")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the keyboard types the amount
        self.setWindowTitle(self.tr("Paylight till — {name}").format(name=controller.name))
        self.controller = controller
        self.rates = controller.rates
        self.bitcoin_unit = unit
        #: the unit typed in: a bitcoin Unit, or the local currency's amount.Unit
        self.unit: Unit | money.Unit = (
            self.rates.currency if self.rates.rate() is not None else unit  # type: ignore[assignment]
        )
        self.fullscreen = fullscreen
        self.label = label
        if settings is None:
            from wallet.gui.settings import AppSettings

            settings = AppSettings()
        self.settings = settings
        if announcer is None:
            from wallet.gui.announce import Announcer

            announcer = Announcer(self)
        self.announcer = announcer
        self.request: PaymentRequest | None = None
        self.status: RequestStatus | None = None
        self.receipt: Receipt | None = None
        self.verdict: Verdict | None = None
        self.typed = ""
        self._announced = False
        self._asking: QMessageBox | None = None
        self.risks: tuple = ()  # wallet.payments.risk.RiskView of the till engine
        self.receipt_files: tuple[Path, ...] = ()  # written by the till engine

        self.scale = 1.0
        self.pages = QStackedWidget()
        self.pages.addWidget(self._keypad_page())
        self.pages.addWidget(self._waiting_page())
        self.pages.addWidget(self._status_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self.pages)
        # The window's size is the screen's (or the tablet's): the contents scale to it, so a
        # design-size minimum must not stop a smaller window (resizeEvent scales down).
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetNoConstraint)

        self.setStyleSheet(
            "#pos-state, #pos-verdict { border-radius: 10px; padding: 14px; color: white; }"
            "#pos-amount, #pos-charge-amount { padding: 6px; }"
            # a toggle: on, it must not look like the Save button beside it
            "#pos-receipt-qr:checked { background: palette(highlight); "
            "color: palette(highlighted-text); border: 1px solid palette(highlight); "
            "border-radius: 4px; }"
            f"#pos-charge {{ background: {fill_colour(GREEN).name()}; color: white; "
            "border-radius: 8px; }"
            # the unit the price is typed in: plainly marked
            'QPushButton[posUnit="true"]:checked { background: palette(highlight); '
            "color: palette(highlighted-text); border: 1px solid palette(highlight); "
            "border-radius: 4px; }"
            "#pos-charge:disabled { background: palette(mid); }"
            "#pos-charge:focus, #pos-new:focus { border: 3px solid palette(highlight); }"
        )
        controller.changed.connect(self.refresh)
        controller.tx_event.connect(lambda _e: self.refresh())
        controller.pos_update.connect(self.pos_update)
        self.rates.changed.connect(self._rates_changed)
        self._clock = QTimer(self)  # expiry and confirmations move with time and blocks
        self._clock.setInterval(5000)
        self._clock.timeout.connect(self.refresh)
        self._clock.start()
        QShortcut(QKeySequence("Ctrl+W"), self, self.close_till)
        QShortcut(QKeySequence("Ctrl+S"), self, self.save_receipt_dialog)
        QShortcut(QKeySequence("Ctrl+R"), self, self.receipt_qr_button.toggle)
        self.new_charge()

    # -- units and the amount ----------------------------------------------------------------

    def _unit_choices(self) -> list[Unit | money.Unit]:
        choices: list[Unit | money.Unit] = []
        if self.rates.currency is not None:
            choices.append(self.rates.currency)
        return [*choices, Unit.BTC, Unit.SAT]

    @staticmethod
    def _code(unit: Unit | money.Unit) -> str:
        return unit.value if isinstance(unit, Unit) else unit.code

    def _show_units(self) -> None:
        """One checkable button per unit the price can be typed in."""
        for button in self.unit_buttons.values():
            button.deleteLater()
        self.unit_buttons = {}
        for unit in self._unit_choices():
            code = self._code(unit)
            button = QPushButton(code)
            button.setObjectName(f"pos-unit-{code}")
            button.setProperty("posUnit", True)
            button.setCheckable(True)
            button.setAccessibleName(self.tr("Type the price in {code}").format(code=code))
            _minimum(button, 64, 44)
            _big(button, 14)
            button.clicked.connect(lambda _c=False, u=unit: self.set_unit(u))
            self.units_row.addWidget(button)
            self.unit_buttons[code] = button
        buttons = list(self.unit_buttons.values())
        for before, after in zip(buttons, [*buttons[1:], self.settings_button]):
            QWidget.setTabOrder(before, after)  # left to right: the units, then Limits
        if self._code(self.unit) not in self.unit_buttons:
            self.unit = self.bitcoin_unit
        self._check_unit()
        if self.scale != 1.0:
            self.apply_scale(self.scale)

    def _check_unit(self) -> None:
        for code, button in self.unit_buttons.items():
            button.setChecked(code == self._code(self.unit))

    def _rates_changed(self) -> None:
        codes = [self._code(u) for u in self._unit_choices()]
        if codes != list(self.unit_buttons):
            self._show_units()
        if self.pages.currentIndex() == KEYPAD:
            self._show_amount()

    @property
    def in_fiat(self) -> bool:
        return isinstance(self.unit, money.Unit) and not self.unit.is_bitcoin

    def _amount_unit(self) -> money.Unit:
        if isinstance(self.unit, money.Unit):
            return self.unit
        return money.SAT if self.unit is Unit.SAT else money.BTC

    def set_unit(self, unit: Unit | money.Unit) -> None:
        """Type the price in ``unit`` (what is typed is converted when it can be)."""
        sats = self.amount_sat()
        self.unit = unit
        if isinstance(unit, Unit):
            self.bitcoin_unit = unit  # bitcoin amounts are shown as typed
        self.typed = ""
        self._check_unit()
        if sats is not None:
            if self.in_fiat:
                minor = self.rates.to_fiat(sats)
                if minor:
                    self.typed = keypad_text(minor, self._amount_unit())
            else:
                self.typed = keypad_text(sats, self._amount_unit())
        self._show_amount()

    def press(self, key: str) -> None:
        """One keypad key: a digit, ``.``, ``⌫`` (back) or ``C`` (clear)."""
        if self.pages.currentIndex() != KEYPAD:
            return
        decimals = self._amount_unit().decimals
        if key == "C":
            self.typed = ""
        elif key == "⌫":
            self.typed = self.typed[:-1]
        elif key == ".":
            if decimals and "." not in self.typed:
                self.typed = (self.typed or "0") + "."
        elif key.isdigit():
            candidate = self.typed + key
            if candidate.lstrip("0") or "." in candidate:
                if "." in candidate and len(candidate.split(".")[1]) > decimals:
                    return
                if len(candidate.replace(".", "")) <= 16:
                    self.typed = candidate if candidate != "00" else "0"
        self._show_amount()

    def _typed_minor(self) -> int | None:
        """What is typed, in the typed unit's smallest part (None when nothing or zero)."""
        text = self.typed.rstrip(".")
        if not text:
            return None
        try:
            return parse_amount(text, self._amount_unit(), typed_on_keypad=True)
        except PaylightError:
            return None

    def price(self) -> Price | None:
        """Typed in the local currency: the price with the rate to lock now (None if there is
        no rate, or nothing typed)."""
        minor = self._typed_minor()
        rate = self.rates.rate()
        if not self.in_fiat or minor is None or rate is None:
            return None
        try:
            return Price(minor, rate)
        except money.AmountError:
            return None

    def amount_sat(self) -> int | None:
        minor = self._typed_minor()
        if minor is None:
            return None
        if not self.in_fiat:
            return minor
        price = self.price()
        try:
            return price.sats if price is not None else None
        except money.AmountError:
            return None

    def _show_amount(self) -> None:
        unit = self._amount_unit()
        shown = self._typed_text()
        self.amount_display.setText(f"{shown} {unit.code}")
        self.amount_error.setText("")
        sats = self.amount_sat()
        parts = []
        if self.in_fiat:
            if sats is not None:
                parts.append(f"= {format_amount(sats, self.bitcoin_unit)}")
            parts.append(self.rates.describe())  # the rate, its sources and its age
        elif sats is not None:
            other = Unit.BTC if unit is money.SAT else Unit.SAT
            parts.append(format_amount(sats, other))
            fiat = self.rates.fiat_text(sats)
            if fiat:
                parts.append(fiat)
        self.conversion.setText(" · ".join(parts) or " ")
        self.charge_button.setEnabled(sats is not None)
        self.title.setText(self.tr("New sale · {name}").format(name=self.controller.name))

    def _typed_text(self) -> str:
        """What is typed as the person writes numbers: digit groups and their decimal mark,
        the decimals as typed so far ("1,234.5" while typing 1234.50)."""
        whole, dot, fraction = (self.typed or "0").partition(".")
        locale = number_locale()
        grouped = money.format_amount(int(whole or "0"), money.SAT, locale)
        return grouped + (locale.decimal + fraction if dot else "")

    def set_amount(self, sats: int) -> None:
        """Type an amount in satoshis as if keyed in, in the current unit."""
        if self.in_fiat:
            self.set_unit(self.bitcoin_unit)
        self.typed = keypad_text(sats, self._amount_unit())
        self._show_amount()

    # -- charging ------------------------------------------------------------------------------

    def sale_limit_sat(self, price: Price | None) -> int | None:
        from wallet.gui.till_settings import SALE_LIMIT, read_limit

        limit = read_limit(self.settings, SALE_LIMIT)
        return limit.sats(price.rate if price is not None else self.rates.rate())

    def charge(self) -> None:
        """Charge the typed price (asking first above the per-sale limit)."""
        if self.pages.currentIndex() != KEYPAD or self._asking is not None:
            return
        sats = self.amount_sat()
        price = self.price()
        if sats is None:
            if self.in_fiat and self._typed_minor() is not None:
                self.amount_error.setText(
                    self.tr(
                        "There is no current {code} rate to price by: type the price in BTC, "
                        "or set a rate (Local currency)."
                    ).format(code=self._amount_unit().code)
                )
            else:
                self.amount_error.setText(self.tr("Type the amount to charge."))
            return
        limit = self.sale_limit_sat(price)
        if limit is not None and limit > 0 and sats > limit:
            from wallet.gui.till_settings import SALE_LIMIT, read_limit

            shown = self._price_text(sats, price)
            self.ask(
                self.tr("Charge {amount}?").format(amount=shown),
                self.tr(
                    "{amount} is more than this till's limit of {limit} a sale. Charge it anyway?"
                ).format(amount=shown, limit=read_limit(self.settings, SALE_LIMIT).shown()),
                self.tr("Charge it"),
                self.tr("Change the amount"),
                lambda: self._open_charge(sats, price),
            )
            return
        self._open_charge(sats, price)

    def _price_text(self, sats: int, price: Price | None) -> str:
        btc = format_amount(sats, self.bitcoin_unit)
        if price is None:
            return btc
        fiat = money.format_amount(price.amount, price.rate.currency, number_locale(), code=True)
        return f"{fiat} ({btc})"

    def _open_charge(self, sats: int, price: Price | None) -> None:
        """The request: through the till engine when the sync engine runs (it comes back on
        the UI thread), else made here."""
        till = self.controller.till()
        label = self.label_edit.text().strip()
        if till is not None:
            self.charge_button.setEnabled(False)

            def opened(charge: Any) -> None:
                self.charge_button.setEnabled(True)
                self.show_charge(charge.request)
                self.charged.emit(charge.request)

            def failed(exc: BaseException) -> None:
                self.charge_button.setEnabled(True)
                self.amount_error.setText(error_text(exc))

            run_task(
                lambda: till.pos_charge(sats, label, "", price),
                on_done=opened,
                on_error=failed,
            )
            return
        try:
            request = self.controller.create_request(sats, label, "", CHARGE_EXPIRY, price=price)
        except PaylightError as exc:
            self.amount_error.setText(str(exc))
            return
        self.show_charge(request)
        self.charged.emit(request)

    def show_charge(self, request: PaymentRequest) -> None:
        self.request = request
        self.status = None
        self.receipt = None
        self.verdict = None
        self.risks = ()
        self.receipt_files = ()
        self._announced = False
        self.receipt_qr_button.setChecked(False)
        self.details_button.setChecked(False)
        uri = request_uri(request, self.controller.network)
        self.qr.set_text(uri)
        self.uri.set_text(uri)
        amount = request.amount_sat or 0
        self.charge_amount.setText(self._amount_text(request))
        who = f"{request.label} · " if request.label else ""
        second = format_amount(amount, self.bitcoin_unit) if request.price is not None else ""
        self.charge_label.setText(f"{who}{second}".rstrip(" ·"))
        self.pages.setCurrentIndex(WAITING)
        self.refresh()
        self.cancel_button.setFocus()

    def _amount_text(self, request: PaymentRequest) -> str:
        """The request's amount as asked: the price in the local currency if it was priced so."""
        price = request.price
        if price is not None:
            return money.format_amount(
                price.amount, price.rate.currency, number_locale(), code=True
            )
        return format_amount(request.amount_sat or 0, self.bitcoin_unit)

    def new_charge(self) -> None:
        """Back to the keypad for the next sale (the open charge, if any, is given up)."""
        till = self.controller.till()
        if till is not None and self.request is not None and not self._done():
            # this charge only (its request expires as usual): the next one may open first
            run_task(till.pos_cancel, self.request.id)
        self.request = None
        self.risks = ()
        self.receipt_files = ()
        self.status = None
        self.receipt = None
        self.verdict = None
        self.typed = ""
        self.receipt_qr_button.setChecked(False)
        self.pages.setCurrentIndex(KEYPAD)
        self._show_amount()
        self.setFocus()

    def _done(self) -> bool:
        return self.status is not None and self.status.state in (
            *DONE,
            RequestState.EXPIRED,
        )

    # -- asking ------------------------------------------------------------------------------

    def ask(
        self, title: str, text: str, yes: str, no: str, on_yes: Callable[[], None]
    ) -> QMessageBox:
        """A question that does not block the event loop; "no" is the default (Esc, Enter)."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("pos-question")
        box.button(QMessageBox.StandardButton.Yes).setText(yes)
        box.button(QMessageBox.StandardButton.No).setText(no)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._asking = box

        def answered(result: int) -> None:
            self._asking = None
            if result == QMessageBox.StandardButton.Yes:
                on_yes()
            else:
                self.setFocus()

        box.finished.connect(answered)
        box.open()
        return box

    def escape(self) -> None:
        """Esc (or Cancel sale / New sale): clear the keypad; leave a finished sale; ask
        before giving up one that is open -- above all one whose payment was seen."""
        page = self.pages.currentIndex()
        if page == KEYPAD:
            self.press("C")
            return
        if self.request is None or self._done():
            self.new_charge()
            return
        seen = self.status is not None and self.status.state is not RequestState.WAITING
        if seen:
            text = self.tr(
                "A payment for this sale was seen but is not in a block yet. Stop following "
                "it and start a new sale? (It stays in the wallet's requests.)"
            )
        else:
            text = self.tr(
                "Cancel this sale? Its QR code will no longer be shown (a payment made to it "
                "later still arrives in the wallet)."
            )
        self.ask(
            self.tr("Abandon this sale?"),
            text,
            self.tr("Abandon it"),
            self.tr("Keep waiting"),
            self.new_charge,
        )

    def close_till(self) -> None:
        """Leave the till (asking first while a sale is open)."""
        if self.request is None or self._done():
            self.close()
            return
        self.ask(
            self.tr("Close the till?"),
            self.tr("A sale is open. Close the till and stop following it?"),
            self.tr("Close the till"),
            self.tr("Keep the till open"),
            self._close_now,
        )

    def _close_now(self) -> None:
        self.new_charge()
        self.close()

    def open_settings(self) -> Any:
        from wallet.gui.till_settings import TillSettingsDialog

        dialog = TillSettingsDialog(self.settings, self.rates.code, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # -- following the charge ------------------------------------------------------------------

    def pos_update(self, update: Any) -> None:
        """An update of the till engine (``PosUpdate``): risk views, receipts written."""
        if self.request is None or update.charge.id != self.request.id:
            return
        if update.risks:
            self.risks = tuple(update.risks)
        if update.receipts:
            self.receipt_files = tuple(update.receipts)
            self.receipt = None
        self.refresh()

    def refresh(self) -> None:
        """Recompute the current charge's state from the wallet database."""
        request = self.request
        if request is None:
            return
        try:
            status = self.controller.request_status(request)
        except Exception:  # the wallet closed under us
            log.debug("could not compute the request state", exc_info=True)
            return
        old = self.status.state if self.status is not None else None
        self.status = status
        self._show_state(status)
        if status.state != old:
            self.state_changed.emit(status.state)

    def policy(self) -> MerchantPolicy:
        from wallet.gui.till_settings import ZERO_CONF, read_limit

        price = self.request.price if self.request is not None else None
        limit = read_limit(self.settings, ZERO_CONF)
        sats = limit.sats(price.rate if price is not None else self.rates.rate())
        return MerchantPolicy(sats or 0)

    def _show_state(self, status: RequestStatus) -> None:
        state = status.state
        request = self.request
        assert request is not None
        if state in (RequestState.WAITING, RequestState.UNDERPAID):
            self._show_waiting(status)
            return
        self.pages.setCurrentIndex(STATUS)
        self.qr.set_text("")  # the payment QR is gone: a second scan would pay twice
        text = state_look(state)[0]
        done = state in DONE
        self.big_amount.setText(self._amount_text(request))
        details = []
        self.verdict = None
        if state is RequestState.SEEN:
            self.verdict = self.policy().decide(request.amount_sat or 0, self.risks)
            ok = self.verdict.hand_over
            self.big_mark.setText("✓" if ok else "…")
            self.big_mark.setStyleSheet(text_style(GREEN if ok else AMBER))
            self.big_state.setText(text)
            self.verdict_banner.setText(
                self.tr("OK to hand over") if ok else self.tr("Wait for a block")
            )
            self.verdict_banner.setStyleSheet(
                f"background: {fill_colour(GREEN if ok else AMBER).name()};"
            )
            self.verdict_banner.show()
            details.append(
                self.tr(
                    "{amount} seen, not in a block yet. It counts once its block's proof "
                    "checks out."
                ).format(amount=format_amount(status.pending_sat, self.bitcoin_unit))
            )
        elif done:
            self.big_mark.setText("✓")
            self.big_mark.setStyleSheet(text_style(GREEN))
            self.big_state.setText(text)
            self.verdict_banner.hide()
            n = status.confirmations
            details.append(
                self.tr("In a block, its Merkle proof checked here ({n} confirmation(s)).").format(
                    n=n
                )
            )
            if status.excess_sat:
                details.append(
                    self.tr("{amount} more than asked.").format(
                        amount=format_amount(status.excess_sat, self.bitcoin_unit)
                    )
                )
        else:  # expired
            self.big_mark.setText("✕")
            self.big_mark.setStyleSheet(text_style(GREY))
            self.big_state.setText(text)
            self.verdict_banner.hide()
        if request.price is not None:
            details.append(self._rate_line(request.price.rate))
        self.status_detail.setText(" ".join(details))
        self._show_details(status)
        can_receipt = done
        self.receipt_button.setVisible(can_receipt)
        self.receipt_qr_button.setVisible(can_receipt)
        self.details_button.setVisible(state is RequestState.SEEN)
        if state is not RequestState.SEEN:
            self.details_button.setChecked(False)
        if done and self.receipt is None:
            try:
                self.receipt = self.make_receipt()
            except PaylightError as exc:
                self.receipt_button.setToolTip(str(exc))
        self.receipt_button.setEnabled(self.receipt is not None)
        self.receipt_qr_button.setEnabled(self.receipt is not None)
        if (state is RequestState.SEEN or done) and not self._announced:
            self._announced = True
            self._announce(request)
        if not self.new_button.hasFocus() and done:
            self.new_button.setFocus()

    def _rate_line(self, rate: Rate) -> str:
        return self.tr("Rate locked for this sale: {price} ({source}).").format(
            price=self.rates.price_text(rate), source=rate.source
        )

    def _show_waiting(self, status: RequestStatus) -> None:
        request = self.request
        assert request is not None
        self.pages.setCurrentIndex(WAITING)
        text, colour = state_look(status.state)
        self.state_banner.setText(text)
        self.state_banner.setStyleSheet(f"background: {fill_colour(colour).name()};")
        details = []
        uri = request_uri(request, self.controller.network)
        if status.state is RequestState.UNDERPAID:
            missing = format_amount(status.shortfall_sat, self.bitcoin_unit)
            details.append(
                self.tr("{amount} still missing: the code asks for it.").format(amount=missing)
            )
            uri = make_uri(
                request.address,
                status.shortfall_sat,
                request.label or None,
                request.message or None,
                network=self.controller.network,
            )
        elif request.expires_at:
            left = max(0, request.expires_at - int(time.time()))
            details.append(
                self.tr("The code is valid for {n} more minute(s).").format(n=left // 60)
            )
        if request.price is not None:
            details.append(self._rate_line(request.price.rate))
        if self.qr.text != uri:
            self.qr.set_text(uri)
            self.uri.set_text(uri)
        self.detail.setText(" ".join(details))

    def _show_details(self, status: RequestStatus) -> None:
        """The risk view and the policy's reasons, folded under Details."""
        lines = self.risk_view_lines(status) if status.pending_sat or status.replaced else []
        parts = []
        if self.verdict is not None:
            for reason in self.verdict.reasons:
                parts.append(
                    f"<span style='color:{text_colour(AMBER).name()}'>"
                    f"⚠ {reason_text(reason.code, reason.text)}</span>"
                )
        warn = "<span style='color:" + text_colour(AMBER).name() + "'>⚠ {}</span>"
        parts += [warn.format(ln.text) if ln.warn else f"• {ln.text}" for ln in lines]
        self.risk.setText("<br>".join(parts))

    def _fold_details(self, shown: bool) -> None:
        self.risk_box.setVisible(shown)
        # the reasons take the mark's room (the banner above them says the state): on a
        # 720-pixel screen they showed three lines at a time otherwise
        self.big_mark.setVisible(not shown)
        self.details_button.setText(self.tr("Details ▾") if shown else self.tr("Details ▸"))

    def risk_view_lines(self, status: RequestStatus) -> list[RiskLine]:
        """The till engine's risk view (asked of every server) when it came, else what the
        wallet's own records say."""
        if not self.risks:
            return risk_lines(self.controller, status)
        return [line for view in self.risks for line in risk_view_lines(view)]

    def _announce(self, request: PaymentRequest) -> None:
        """The chime, and the amount spoken: "Received 35 yuan"."""
        price = request.price
        if price is not None:
            spoken = spoken_amount(price.amount, price.rate.currency)
        else:
            spoken = spoken_amount(request.amount_sat or 0, self._bitcoin_amount_unit())
        self.announcer.announce(self.tr("Received {amount}").format(amount=spoken))

    def _bitcoin_amount_unit(self) -> money.Unit:
        return money.SAT if self.bitcoin_unit is Unit.SAT else money.BTC

    # -- receipts ------------------------------------------------------------------------------

    def make_receipt(self) -> Receipt:
        """The receipt of the confirmed payment that covers the charge (the one the till
        engine wrote, when it did)."""
        if self.receipt_files:
            return load_receipt(Path(self.receipt_files[0]).read_text(encoding="utf-8"))
        request, status = self.request, self.status
        if request is None or status is None or status.state not in DONE:
            raise PaylightError(
                QCoreApplication.translate(
                    "PosWindow", "There is no confirmed payment to make a receipt of yet."
                )
            )
        chain = self.controller.header_chain()
        if chain is None:
            raise PaylightError(
                QCoreApplication.translate(
                    "PosWindow", "A receipt needs the light node's header chain, which is not open."
                )
            )
        script = self.controller.request_script(request)
        for txid in status.counted:
            record = self.controller.transaction(txid)
            if record is None or record.state is not TxState.CONFIRMED:
                continue
            tx = record.transaction()
            index = next(i for i, o in enumerate(tx.outputs) if o.script_pubkey == script)
            return receipt_for_payment(
                record,
                chain,
                index,
                confirmations=status.confirmations,
                label=request.label or None,
                message=request.message or None,
                coinbase=stored_coinbase(self.controller.db, record),
                price=request.price,
            )
        raise PaylightError(
            QCoreApplication.translate("PosWindow", "No confirmed payment covers this charge.")
        )

    def save_receipt(self, path: Path) -> Path:
        if self.receipt is None:
            self.receipt = self.make_receipt()
        path = Path(path)
        path.write_text(self.receipt.to_json_text(), encoding="utf-8")
        return path

    def save_receipt_dialog(self) -> QFileDialog | None:
        """Ask where to save the receipt (a dialog that does not block: Ctrl+S, or the
        button)."""
        if self.receipt is None or self.pages.currentIndex() != STATUS:
            return None
        name = f"receipt-{self.receipt.txid[::-1].hex()[:12]}.json"
        dialog = QFileDialog(self, self.tr("Save receipt"), name, self.tr("Receipts (*.json)"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.selectFile(name)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda path: self.save_receipt(Path(path)))
        dialog.open()
        return dialog

    def show_receipt_qr(self, on: bool) -> None:
        """Show the receipt's QR code (the customer scans it to keep the proof)."""
        shown = on and self.receipt is not None
        self.receipt_qr_button.setText(
            self.tr("✓ Receipt as &QR (Ctrl+R)") if on else self.tr("Receipt as &QR (Ctrl+R)")
        )
        if shown:
            assert self.receipt is not None
            self.receipt_view.set_text(receipt_qr_text(self.receipt))
        self.receipt_view.setVisible(shown)
        self.receipt_note.setVisible(shown)
        self.big_mark.setVisible(not shown)  # the receipt's code takes their room
        self.status_detail.setVisible(not shown)

    # -- size ------------------------------------------------------------------------------------

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # The window's own size, not the event's: a window manager can deliver a configure for
        # a size the window no longer has (its first one, before full screen), and the till
        # then stayed drawn at that size's scale.
        self._fit_scale()
        QTimer.singleShot(0, self, self._fit_scale)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self, self._fit_scale)

    def _fit_scale(self) -> None:
        scale = till_scale(self.width(), self.height())
        if abs(scale - self.scale) > 0.01:
            self.apply_scale(scale)

    def apply_scale(self, scale: float) -> None:
        """Fonts, control sizes and the right column at ``scale`` times the design size."""
        self.scale = scale
        for widget in [self, *self.findChildren(QWidget)]:
            points = widget.property(_POINTS)
            if points:
                font = QFont(widget.font())
                font.setPointSizeF(float(points) * scale)
                widget.setFont(font)
            width, height = widget.property(_MIN_W), widget.property(_MIN_H)
            if width is not None or height is not None:
                widget.setMinimumSize(round((width or 0) * scale), round((height or 0) * scale))
        self.right_panel.setFixedWidth(round(RIGHT_PANEL_WIDTH * scale))

    # -- the keyboard --------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, text = event.key(), event.text()
        focus = self.focusWidget()
        on_button = isinstance(focus, QAbstractButton) and focus not in set(
            self.keypad.buttons.values()
        )
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if key == Qt.Key.Key_Escape:
            self.escape()
            return
        if enter and on_button and focus.isVisible() and focus.isEnabled():
            focus.click()  # Enter presses the focused button, as Space does
            return
        page = self.pages.currentIndex()
        if page == KEYPAD:
            if text and (text.isdigit() or text in ".,"):
                self.press("." if text == "," else text)
            elif key == Qt.Key.Key_Backspace:
                self.press("⌫")
            elif enter:
                self.charge()
            else:
                super().keyPressEvent(event)
            return
        if key == Qt.Key.Key_N or (enter and self._done()):
            self.escape()
        else:
            super().keyPressEvent(event)

    def open(self) -> None:
        if self.fullscreen:
            self.showFullScreen()
        else:
            self.resize(*DESIGN_SIZE)
            self.show()
        self.activateWindow()
        self.setFocus()

    def closeEvent(self, event) -> None:
        self.announcer.stop()
        self._clock.stop()
        super().closeEvent(event)
