"""The merchant till: type an amount, show a big QR, watch it go waiting → seen → confirmed.

Two pages in one full-screen window. The keypad page takes the amount from large buttons or
the keyboard (digits, ``.``, Backspace, Escape to clear, Enter to charge). The charge page
shows the request's BIP21 URI as a large QR code and the request's state, recomputed from the
wallet database whenever the sync engine reports a change (``wallet.payments.requests``): a
payment seen in the mempool comes with its risk view; a confirmed one (its Merkle proof checked
against the local header chain) gives a receipt to save or to show as a QR code. ``N`` (or the
big button) starts a new charge in one key press.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from wallet.account.database import PaymentRequest, RequestState, TxState
from wallet.errors import PaylightError
from wallet.gui.controller import WalletController
from wallet.gui.format import Unit, format_amount, keypad_text, parse_amount
from wallet.gui.qr_view import QRView
from wallet.gui.tabs.receive import request_uri
from wallet.gui.theme import text_colour, text_style
from wallet.gui.widgets import CopyLine, note
from wallet.gui.workers import error_text, run_task
from wallet.payments.receipt import (
    Receipt,
    load_receipt,
    receipt_for_payment,
    receipt_qr_text,
    stored_coinbase,
)
from wallet.payments.requests import RequestStatus

log = logging.getLogger(__name__)

#: How long a till's QR code stays valid: a customer pays at the counter, now.
CHARGE_EXPIRY = 15 * 60

STATE_LOOK: dict[RequestState, tuple[str, str]] = {
    RequestState.WAITING: ("Waiting for payment…", "#2d6cdf"),
    RequestState.SEEN: ("Seen — not in a block yet", "#c88200"),
    RequestState.UNDERPAID: ("Underpaid", "#c0392b"),
    RequestState.CONFIRMED: ("Paid — proof checked here", "#1e9646"),
    RequestState.PAID: ("Paid — proof checked here", "#1e9646"),
    RequestState.OVERPAID: ("Overpaid — proof checked here", "#1e9646"),
    RequestState.EXPIRED: ("Expired — start a new charge", "#7f8c8d"),
}
DONE = (RequestState.CONFIRMED, RequestState.PAID, RequestState.OVERPAID)
PAY_NOTE = "Scan with any Bitcoin wallet. The code holds the address and amount."
RECEIPT_QR_OFF, RECEIPT_QR_ON = "Receipt as QR", "✓ Receipt as QR"
#: the charge page's right column at the design size
RIGHT_PANEL_WIDTH = 470
RECEIPT_NOTE = (
    "The receipt: the payment's transaction, Merkle proof and block header. Anyone can check "
    "it offline (paylight receipt verify)."
)


@dataclass(frozen=True)
class RiskLine:
    """One fact about an unconfirmed payment; ``warn`` lines are shown in amber."""

    text: str
    warn: bool = False


def risk_lines(controller: WalletController, status: RequestStatus) -> list[RiskLine]:
    """What the wallet itself knows about the payments not yet confirmed.

    Replace-by-fee, unconfirmed parents, replacements and double spends are read from the
    wallet's own records; the fee against the next-block estimate needs the payer's input
    values, which the wallet only has for coins of its own.
    """
    lines: list[RiskLine] = []
    conflicts = {t for txids in controller.db.conflicts().values() for t in txids}
    for txid in status.counted:
        record = controller.transaction(txid)
        if record is None or record.state is TxState.CONFIRMED:
            continue
        tx = record.transaction()
        short = record.txid_hex[:16] + "…"
        if record.state is TxState.UNVERIFIED:
            lines.append(
                RiskLine(
                    f"{short}: the server says it is in block {record.height:,}; "
                    "proof being checked"
                )
            )
            continue
        if tx.signals_rbf():
            lines.append(
                RiskLine(f"{short} signals replace-by-fee: the payer can still replace it", True)
            )
        else:
            lines.append(RiskLine(f"{short} does not signal replace-by-fee"))
        parents = []
        for txin in tx.inputs:
            parent = controller.transaction(txin.prevout.txid)
            if parent is not None and parent.state is TxState.UNCONFIRMED:
                parents.append(parent)
        if parents:
            lines.append(RiskLine(f"spends {len(parents)} unconfirmed parent(s)", True))
        if txid in conflicts:
            lines.append(RiskLine("another transaction spends the same coins", True))
        lines.append(RiskLine(f"{tx.vsize()} vB · first seen {time.strftime('%H:%M:%S')}"))
    for txid in status.replaced:
        lines.append(RiskLine(f"{txid[::-1].hex()[:16]}… was replaced by the payer", True))
    return lines


#: The size the till's fonts and controls are designed at; they scale with the window from it.
DESIGN_SIZE = (1100, 720)
SCALE_RANGE = (0.75, 2.0)
_POINTS = "pos_points"  # a widget's font size at the design size
_MIN_W, _MIN_H = "pos_min_width", "pos_min_height"


def _big(widget: QWidget, points: float | None = None, bold: bool = True) -> None:
    """Give ``widget`` a font of ``points`` (its own size if None) that scales with the till."""
    font = QFont(widget.font())
    if points is None:
        points = font.pointSizeF()
    else:
        font.setPointSizeF(points)
        font.setBold(bold)
    widget.setFont(font)
    widget.setProperty(_POINTS, float(points))


def _minimum(widget: QWidget, width: int = 0, height: int = 0) -> None:
    """A minimum size at the design size, scaled with the till."""
    widget.setProperty(_MIN_W, width)
    widget.setProperty(_MIN_H, height)
    widget.setMinimumSize(width, height)


def till_scale(width: int, height: int) -> float:
    """How much larger than at :data:`DESIGN_SIZE` the till draws in a ``width`` x ``height``
    window (both sides must fit), within :data:`SCALE_RANGE`."""
    w, h = DESIGN_SIZE
    low, high = SCALE_RANGE
    return max(low, min(high, min(width / w, height / h)))


class Keypad(QWidget):
    """Digits, decimal point, back and clear as large buttons."""

    key = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setSpacing(10)
        self.buttons: dict[str, QPushButton] = {}
        rows = ("789", "456", "123", ".0⌫")
        for r, row in enumerate(rows):
            for c, label in enumerate(row):
                button = QPushButton(label)
                button.setObjectName(f"key-{label}")
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                _minimum(button, 96, 72)
                button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
                _big(button, 26)
                button.clicked.connect(lambda _c=False, k=label: self.key.emit(k))
                grid.addWidget(button, r, c)
                self.buttons[label] = button


class PosWindow(QWidget):
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
    ) -> None:
        super().__init__()
        self.setObjectName("pos-window")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the keyboard types the amount
        self.setWindowTitle(f"Paylight till — {controller.name}")
        self.controller = controller
        self.unit = unit
        self.fullscreen = fullscreen
        self.label = label
        self.request: PaymentRequest | None = None
        self.status: RequestStatus | None = None
        self.receipt: Receipt | None = None
        self.typed = ""

        self.scale = 1.0
        self.pages = QStackedWidget()
        self.pages.addWidget(self._keypad_page())
        self.pages.addWidget(self._charge_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self.pages)
        # The window's size is the screen's (or the tablet's): the contents scale to it, so a
        # design-size minimum must not stop a smaller window (resizeEvent scales down).
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetNoConstraint)

        self.setStyleSheet(
            "#pos-state { border-radius: 10px; padding: 14px; color: white; }"
            "#pos-amount, #pos-charge-amount { padding: 6px; }"
            # a toggle: on, it must not look like the Save button beside it
            "#pos-receipt-qr:checked { background: palette(highlight); "
            "color: palette(highlighted-text); border: 1px solid palette(highlight); "
            "border-radius: 4px; }"
        )
        self.risks: tuple = ()  # wallet.payments.risk.RiskView of the till engine
        self.receipt_files: tuple[Path, ...] = ()  # written by the till engine
        controller.changed.connect(self.refresh)
        controller.tx_event.connect(lambda _e: self.refresh())
        controller.pos_update.connect(self.pos_update)
        self._clock = QTimer(self)  # expiry and confirmations move with time and blocks
        self._clock.setInterval(5000)
        self._clock.timeout.connect(self.refresh)
        self._clock.start()
        QShortcut(QKeySequence("Ctrl+W"), self, self.close)
        self.new_charge()

    # -- pages -------------------------------------------------------------------------------

    def _keypad_page(self) -> QWidget:
        page = QWidget()
        self.amount_display = QLabel()
        self.amount_display.setObjectName("pos-amount")
        self.amount_display.setAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        _big(self.amount_display, 44)
        self.amount_error = QLabel()
        self.amount_error.setStyleSheet(text_style("error"))
        _big(self.amount_error, 14, bold=False)
        self.conversion = QLabel()
        self.conversion.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.conversion.setStyleSheet("color: palette(placeholder-text);")
        _big(self.conversion, 14, bold=False)
        self.keypad = Keypad()
        self.keypad.key.connect(self.press)
        self.label_edit = QLineEdit(self.label)
        self.label_edit.setAccessibleName(self.tr("Label shown to the customer"))
        self.label_edit.setPlaceholderText("Label shown to the customer (optional)")
        self.label_edit.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        _minimum(self.label_edit, 0, 44)
        _big(self.label_edit, 14, bold=False)
        self.clear_button = QPushButton("Clear (Esc)")
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.clear_button.clicked.connect(lambda: self.press("C"))
        self.charge_button = QPushButton("Charge  ⏎")
        self.charge_button.setObjectName("pos-charge")
        self.charge_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        _minimum(self.charge_button, 0, 84)
        self.charge_button.setStyleSheet(
            "#pos-charge { background: #1e9646; color: white; border-radius: 8px; }"
            "#pos-charge:disabled { background: palette(mid); }"
        )
        _big(self.charge_button, 24)
        self.charge_button.clicked.connect(self.charge)
        _minimum(self.clear_button, 0, 84)
        _big(self.clear_button, 18)
        title = QLabel(f"New charge · {self.controller.name} · amounts in {self.unit.value}")
        _big(title, 14, bold=False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.clear_button, 1)
        buttons.addWidget(self.charge_button, 2)
        column = QVBoxLayout()
        column.addWidget(title)
        column.addWidget(self.amount_display)
        column.addWidget(self.conversion)
        column.addWidget(self.amount_error)
        column.addWidget(self.keypad, 1)
        column.addWidget(self.label_edit)
        column.addLayout(buttons)
        outer = QHBoxLayout(page)
        outer.addStretch(1)
        outer.addLayout(column, 4)
        outer.addStretch(1)
        return page

    def _charge_page(self) -> QWidget:
        page = QWidget()
        self.qr = QRView(minimum=320)
        self.charge_amount = QLabel()
        self.charge_amount.setObjectName("pos-charge-amount")
        self.charge_amount.setAlignment(Qt.AlignmentFlag.AlignCenter)
        _big(self.charge_amount, 34)
        self.charge_label = QLabel()
        self.charge_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        _big(self.charge_label, 16, bold=False)
        self.state_banner = QLabel()
        self.state_banner.setObjectName("pos-state")
        self.state_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.state_banner.setWordWrap(True)
        _big(self.state_banner, 22)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        _big(self.detail, 13, bold=False)
        self.risk = QLabel()
        self.risk.setObjectName("pos-risk")
        self.risk.setWordWrap(True)
        self.risk.setTextFormat(Qt.TextFormat.RichText)
        self.risk.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        _big(self.risk, 12, bold=False)
        risk_box = QFrame()
        risk_box.setObjectName("pos-risk-box")
        risk_box.setStyleSheet(
            "#pos-risk-box { border: 1px solid palette(mid); border-radius: 8px; }"
        )
        risk_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        risk_layout = QVBoxLayout(risk_box)
        risk_title = QLabel("Risk view")
        _big(risk_title, 13)
        risk_layout.addWidget(risk_title)
        risk_layout.addWidget(self.risk)
        self.risk_box = risk_box
        self.uri = CopyLine(wrap=True, name=self.tr("Payment link"))
        self.receipt_button = QPushButton("Save receipt…")
        self.receipt_button.clicked.connect(self.save_receipt_dialog)
        self.receipt_qr_button = QPushButton(RECEIPT_QR_OFF)
        self.receipt_qr_button.setObjectName("pos-receipt-qr")
        self.receipt_qr_button.setCheckable(True)
        self.receipt_qr_button.toggled.connect(self.show_receipt_qr)
        self.new_button = QPushButton("New charge (N)")
        self.new_button.setObjectName("pos-new")
        self.new_button.clicked.connect(self.new_charge)
        for b in (self.receipt_button, self.receipt_qr_button, self.new_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            _minimum(b, 0, 72 if b is self.new_button else 56)
            _big(b, 15)
        # the URI (or receipt) line, its Copy button and the caption grow with the till too
        _big(self.uri.edit)
        _big(self.uri.button)

        right_panel = QWidget()
        right_panel.setFixedWidth(RIGHT_PANEL_WIDTH)
        self.right_panel = right_panel
        right = QVBoxLayout(right_panel)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.charge_amount)
        right.addWidget(self.charge_label)
        right.addSpacing(8)
        right.addWidget(self.state_banner)
        right.addWidget(self.detail)
        right.addWidget(risk_box)
        right.addStretch(1)
        receipt_row = QHBoxLayout()
        receipt_row.addWidget(self.receipt_button)
        receipt_row.addWidget(self.receipt_qr_button)
        right.addLayout(receipt_row)
        right.addWidget(self.new_button)
        left = QVBoxLayout()
        left.addWidget(self.qr, 1)
        left.addWidget(self.uri)
        self.qr_note = note(PAY_NOTE)
        _big(self.qr_note, self.qr_note.font().pointSizeF() + 1, bold=False)
        left.addWidget(self.qr_note)
        outer = QHBoxLayout(page)
        outer.setSpacing(32)
        outer.addLayout(left, 1)
        outer.addWidget(right_panel)
        return page

    # -- the amount --------------------------------------------------------------------------

    def press(self, key: str) -> None:
        """One keypad key: a digit, ``.``, ``⌫`` (back) or ``C`` (clear)."""
        if self.pages.currentIndex() != 0:
            return
        if key == "C":
            self.typed = ""
        elif key == "⌫":
            self.typed = self.typed[:-1]
        elif key == ".":
            if self.unit is Unit.BTC and "." not in self.typed:
                self.typed = (self.typed or "0") + "."
        elif key.isdigit():
            candidate = self.typed + key
            if candidate.lstrip("0") or "." in candidate:
                if "." in candidate and len(candidate.split(".")[1]) > 8:
                    return
                if len(candidate.replace(".", "")) <= 16:
                    self.typed = candidate if candidate != "00" else "0"
        self._show_amount()

    def amount_sat(self) -> int | None:
        text = self.typed.rstrip(".")
        if not text:
            return None
        try:
            return parse_amount(text, self.unit, typed_on_keypad=True)
        except PaylightError:
            return None

    def _show_amount(self) -> None:
        sats = self.amount_sat()
        if self.typed:
            shown = f"{self.typed} {self.unit.value}"
        else:
            shown = f"0 {self.unit.value}"
        self.amount_display.setText(shown)
        self.amount_error.setText("")
        other = Unit.BTC if self.unit is Unit.SAT else Unit.SAT
        self.conversion.setText(format_amount(sats, other) if sats is not None else " ")
        self.charge_button.setEnabled(sats is not None)

    def set_amount(self, sats: int) -> None:
        """Type an amount as if keyed in (tests, and a future 'repeat last charge')."""
        self.typed = keypad_text(sats, self.unit)
        self._show_amount()

    # -- charging ------------------------------------------------------------------------------

    def charge(self) -> PaymentRequest | None:
        """Charge the typed amount: through the till engine when the sync engine runs (the
        request comes back on the UI thread), else as a request made here."""
        sats = self.amount_sat()
        if sats is None:
            self.amount_error.setText("Type the amount to charge.")
            return None
        till = self.controller.till()
        label = self.label_edit.text().strip()
        if till is not None:
            self.charge_button.setEnabled(False)

            def opened(charge) -> None:
                self.charge_button.setEnabled(True)
                self.show_charge(charge.request)
                self.charged.emit(charge.request)

            def failed(exc: BaseException) -> None:
                self.charge_button.setEnabled(True)
                self.amount_error.setText(error_text(exc))

            run_task(till.pos_charge, sats, label, on_done=opened, on_error=failed)
            return None
        try:
            request = self.controller.create_request(sats, label, "", CHARGE_EXPIRY)
        except PaylightError as exc:
            self.amount_error.setText(str(exc))
            return None
        self.show_charge(request)
        self.charged.emit(request)
        return request

    def show_charge(self, request: PaymentRequest) -> None:
        self.request = request
        self.status = None
        self.receipt = None
        self.risks = ()
        self.receipt_files = ()
        uri = request_uri(request, self.controller.network)
        self.qr.set_text(uri)
        self.uri.set_text(uri)
        amount = request.amount_sat or 0
        self.charge_amount.setText(format_amount(amount, self.unit))
        other = Unit.BTC if self.unit is Unit.SAT else Unit.SAT
        who = f"{request.label} · " if request.label else ""
        self.charge_label.setText(f"{who}{format_amount(amount, other)}")
        self.receipt_qr_button.setChecked(False)
        self.pages.setCurrentIndex(1)
        self.refresh()

    def new_charge(self) -> None:
        till = self.controller.till()
        if till is not None and self.request is not None:
            run_task(till.pos_cancel)  # the open charge, if not done (its request expires)
        self.request = None
        self.risks = ()
        self.receipt_files = ()
        self.status = None
        self.receipt = None
        self.typed = ""
        self.receipt_qr_button.setChecked(False)
        self.pages.setCurrentIndex(0)
        self._show_amount()

    def pos_update(self, update) -> None:
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

    def _show_state(self, status: RequestStatus) -> None:
        text, colour = STATE_LOOK[status.state]
        self.state_banner.setText(text)
        self.state_banner.setStyleSheet(f"background: {colour};")
        other = self.unit
        details = []
        if status.state is RequestState.WAITING and self.request and self.request.expires_at:
            left = max(0, self.request.expires_at - int(time.time()))
            details.append(f"The code is valid for {left // 60} more minute(s).")
        if status.state is RequestState.UNDERPAID:
            details.append(f"{format_amount(status.shortfall_sat, other)} still missing.")
        if status.state is RequestState.SEEN:
            details.append(
                f"{format_amount(status.pending_sat, other)} seen in the mempool. It counts once "
                "its block's proof checks out."
            )
        if status.state in DONE:
            n = status.confirmations
            details.append(f"{n} confirmation{'s' * (n != 1)}, Merkle proof checked locally.")
        if status.excess_sat:
            details.append(f"{format_amount(status.excess_sat, other)} more than asked.")
        self.detail.setText(" ".join(details))
        pending = bool(status.pending_sat or status.replaced)
        lines = self.risk_view_lines(status) if pending else []
        self.risk_box.setVisible(bool(lines))
        warn = f"<span style='color:{text_colour('warning').name()}'>⚠ {{}}</span>"
        self.risk.setText(
            "<br>".join(warn.format(ln.text) if ln.warn else f"• {ln.text}" for ln in lines)
        )
        done = status.state in DONE
        self.receipt_button.setEnabled(done)
        self.receipt_qr_button.setEnabled(done)
        if done and self.receipt is None:
            try:
                self.receipt = self.make_receipt()
            except PaylightError as exc:
                self.receipt_button.setToolTip(str(exc))
                self.receipt_button.setEnabled(False)
                self.receipt_qr_button.setEnabled(False)

    def risk_view_lines(self, status: RequestStatus) -> list[RiskLine]:
        """The till engine's risk view (asked of every server) when it came, else what the
        wallet's own records say."""
        if not self.risks:
            return risk_lines(self.controller, status)
        lines = []
        for view in self.risks:
            flags = set(view.flags())
            for text in view.lines():
                text = text.strip()
                if text.startswith("transaction "):
                    text = f"transaction {view.txid_hex[:16]}…"
                text = text.replace(" -- ", " — ")
                warn = any(
                    word in text
                    for word in ("RBF: signalled", "CONFLICT", "unconfirmed —", "below the")
                ) or (text.startswith("servers:") and any(f.startswith("seen by") for f in flags))
                lines.append(RiskLine(text, warn))
        return lines

    # -- receipts ------------------------------------------------------------------------------

    def make_receipt(self) -> Receipt:
        """The receipt of the confirmed payment that covers the charge (the one the till
        engine wrote, when it did)."""
        if self.receipt_files:
            return load_receipt(Path(self.receipt_files[0]).read_text(encoding="utf-8"))
        request, status = self.request, self.status
        if request is None or status is None or status.state not in DONE:
            raise PaylightError("There is no confirmed payment to make a receipt of yet.")
        chain = self.controller.header_chain()
        if chain is None:
            raise PaylightError("A receipt needs the light node's header chain, which is not open.")
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
            )
        raise PaylightError("No confirmed payment covers this charge.")

    def save_receipt(self, path: Path) -> Path:
        if self.receipt is None:
            self.receipt = self.make_receipt()
        path = Path(path)
        path.write_text(self.receipt.to_json_text(), encoding="utf-8")
        return path

    def save_receipt_dialog(self) -> None:
        if self.receipt is None:
            return
        name = f"receipt-{self.receipt.txid[::-1].hex()[:12]}.json"
        path, _ = QFileDialog.getSaveFileName(self, "Save receipt", name, "Receipts (*.json)")
        if path:
            self.save_receipt(Path(path))

    def show_receipt_qr(self, on: bool) -> None:
        """Swap the payment QR for the receipt's (the customer scans it to keep the proof)."""
        self.receipt_qr_button.setText(RECEIPT_QR_ON if on else RECEIPT_QR_OFF)
        if self.request is None:
            return
        if on and self.receipt is not None:
            text = receipt_qr_text(self.receipt)
            self.qr.set_text(text)
            self.uri.set_text(text)
            self.qr_note.setText(RECEIPT_NOTE)
        else:
            uri = request_uri(self.request, self.controller.network)
            self.qr.set_text(uri)
            self.uri.set_text(uri)
            self.qr_note.setText(PAY_NOTE)

    # -- size ------------------------------------------------------------------------------------

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        scale = till_scale(event.size().width(), event.size().height())
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
        if self.pages.currentIndex() == 0:
            if text and (text.isdigit() or text in ".,"):
                self.press("." if text == "," else text)
            elif key == Qt.Key.Key_Backspace:
                self.press("⌫")
            elif key == Qt.Key.Key_Escape:
                self.press("C")
            elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.charge()
            else:
                super().keyPressEvent(event)
            return
        if key in (Qt.Key.Key_N, Qt.Key.Key_Escape) or (
            key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.status is not None
            and self.status.state in DONE
        ):
            self.new_charge()
        else:
            super().keyPressEvent(event)

    def open(self) -> None:
        if self.fullscreen:
            self.showFullScreen()
        else:
            self.resize(1100, 720)
            self.show()
        self.activateWindow()
        self.setFocus()
