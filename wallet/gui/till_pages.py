"""The till's three pages as the window builds them: the keypad, the QR while waiting, and the
big status (seen, paid, expired). A mixin of :class:`wallet.gui.pos.PosWindow`, whose methods
the buttons call; the widgets become the window's attributes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from wallet.gui.qr_view import QRView
from wallet.gui.theme import text_style
from wallet.gui.till_parts import RED, Keypad, _big, _minimum
from wallet.gui.widgets import CopyLine, VerticalScroll, note

#: the charge page's right column at the design size
RIGHT_PANEL_WIDTH = 470


class TillPages:
    """Builds the pages; ``self`` is the till window."""

    tr: Any
    label: str

    def _exit_button(self) -> QPushButton:
        button = QPushButton(self.tr("Close till"))
        button.setObjectName("pos-exit")
        button.setToolTip(self.tr("Leave the till (Ctrl+W)"))
        button.clicked.connect(self.close_till)
        _minimum(button, 0, 44)
        _big(button, 13, bold=False)
        return button

    def _keypad_page(self) -> QWidget:
        page = QWidget()
        self.title = QLabel()
        _big(self.title, 14, bold=False)
        self.unit_buttons: dict[str, QPushButton] = {}
        # checkable buttons, not a QButtonGroup: a group takes only its checked button into the
        # Tab chain (the others answer to arrow keys only)
        units = QHBoxLayout()
        units.setSpacing(4)
        self.units_row = units
        self.settings_button = QPushButton(self.tr("Limits…"))
        self.settings_button.setToolTip(
            self.tr("The per-sale limit, and what may be handed over before a block")
        )
        self.settings_button.clicked.connect(self.open_settings)
        _minimum(self.settings_button, 0, 44)
        _big(self.settings_button, 13, bold=False)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addLayout(units)
        top.addSpacing(12)
        top.addWidget(self.settings_button)
        top.addWidget(self._exit_button())

        self.amount_display = QLabel()
        self.amount_display.setObjectName("pos-amount")
        self.amount_display.setAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        _big(self.amount_display, 44)
        self.amount_error = QLabel()
        self.amount_error.setWordWrap(True)
        self.amount_error.setStyleSheet(text_style(RED))
        _big(self.amount_error, 14, bold=False)
        self.conversion = QLabel()
        self.conversion.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.conversion.setWordWrap(True)
        _big(self.conversion, 14, bold=False)
        self.keypad = Keypad()
        self.keypad.key.connect(self.press)
        self.label_edit = QLineEdit(self.label)
        self.label_edit.setPlaceholderText(self.tr("Label shown to the customer (optional)"))
        self.label_edit.setAccessibleName(self.tr("Label shown to the customer"))
        self.label_edit.returnPressed.connect(self.charge)
        _minimum(self.label_edit, 0, 44)
        _big(self.label_edit, 14, bold=False)
        self.clear_button = QPushButton(self.tr("Clear (Esc)"))
        self.clear_button.clicked.connect(lambda: self.press("C"))
        self.charge_button = QPushButton(self.tr("Charge  ⏎"))
        self.charge_button.setObjectName("pos-charge")
        _minimum(self.charge_button, 0, 84)
        _big(self.charge_button, 24)
        self.charge_button.clicked.connect(self.charge)
        _minimum(self.clear_button, 0, 84)
        _big(self.clear_button, 18)
        buttons = QHBoxLayout()
        buttons.addWidget(self.clear_button, 1)
        buttons.addWidget(self.charge_button, 2)
        column = QVBoxLayout()
        column.addLayout(top)
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
        self._show_units()
        return page

    def _waiting_page(self) -> QWidget:
        page = QWidget()
        self.qr = QRView(minimum=320)
        self.qr.setAccessibleName(self.tr("Payment QR code"))
        self.charge_amount = QLabel()
        self.charge_amount.setObjectName("pos-charge-amount")
        self.charge_amount.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.charge_amount.setWordWrap(True)
        _big(self.charge_amount, 34)
        self.charge_label = QLabel()
        self.charge_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.charge_label.setWordWrap(True)
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
        self.uri = CopyLine(wrap=True, name=self.tr("Payment link"))
        self.uri.button.setAccessibleName(self.tr("Copy the payment link"))
        self.cancel_button = QPushButton(self.tr("Cancel sale (Esc)"))
        self.cancel_button.setObjectName("pos-cancel")
        self.cancel_button.clicked.connect(self.escape)
        _minimum(self.cancel_button, 0, 64)
        _big(self.cancel_button, 15)
        # the URI line, its Copy button and the caption grow with the till too
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
        right.addStretch(1)
        right.addWidget(self.cancel_button)
        right.addWidget(self._exit_button())
        left = QVBoxLayout()
        left.addWidget(self.qr, 1)
        left.addWidget(self.uri)
        self.qr_note = note(
            self.tr("Scan with any Bitcoin wallet. The code holds the address and amount.")
        )
        _big(self.qr_note, self.qr_note.font().pointSizeF() + 1, bold=False)
        left.addWidget(self.qr_note)
        outer = QHBoxLayout(page)
        outer.setSpacing(32)
        outer.addLayout(left, 1)
        outer.addWidget(right_panel)
        return page

    def _status_page(self) -> QWidget:
        page = QWidget()
        self.big_mark = QLabel()
        self.big_mark.setObjectName("pos-mark")
        self.big_mark.setAlignment(Qt.AlignmentFlag.AlignCenter)
        _big(self.big_mark, 110)
        self.big_state = QLabel()
        self.big_state.setObjectName("pos-big-state")
        self.big_state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.big_state.setWordWrap(True)
        _big(self.big_state, 40)
        self.big_amount = QLabel()
        self.big_amount.setObjectName("pos-big-amount")
        self.big_amount.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.big_amount.setWordWrap(True)
        self.big_amount.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        _big(self.big_amount, 30)
        self.verdict_banner = QLabel()
        self.verdict_banner.setObjectName("pos-verdict")
        self.verdict_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.verdict_banner.setWordWrap(True)
        _big(self.verdict_banner, 28)
        self.status_detail = QLabel()
        self.status_detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status_detail.setWordWrap(True)
        _big(self.status_detail, 14, bold=False)

        self.details_button = QPushButton(self.tr("Details ▸"))
        self.details_button.setObjectName("pos-details")
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(self._fold_details)
        _big(self.details_button, 13, bold=False)
        self.risk = QLabel()
        self.risk.setObjectName("pos-risk")
        self.risk.setWordWrap(True)
        self.risk.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.risk.setTextFormat(Qt.TextFormat.RichText)
        self.risk.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        _big(self.risk, 12, bold=False)
        risk_box = QFrame()
        risk_box.setObjectName("pos-risk-box")
        risk_box.setStyleSheet(
            "#pos-risk-box { border: 1px solid palette(mid); border-radius: 8px; }"
        )
        # takes the spare room when shown (every reason readable at once), and scrolls only
        # when the screen is too short for them
        risk_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.risk.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        risk_layout = QVBoxLayout(risk_box)
        # scrolls when the screen is short (a tablet), rather than cutting the last lines
        risk_layout.addWidget(VerticalScroll(self.risk))
        self.risk_box = risk_box
        risk_box.hide()

        self.receipt_view = QRView(minimum=240)
        self.receipt_view.setAccessibleName(self.tr("Receipt QR code"))
        self.receipt_view.hide()
        self.receipt_note = note(
            self.tr(
                "The receipt: the payment's transaction, Merkle proof and block header. Anyone "
                "can check it offline (paylight receipt verify)."
            )
        )
        self.receipt_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.receipt_note.hide()
        self.receipt_button = QPushButton(self.tr("&Save receipt… (Ctrl+S)"))
        self.receipt_button.setObjectName("pos-save-receipt")
        self.receipt_button.clicked.connect(self.save_receipt_dialog)
        self.receipt_qr_button = QPushButton(self.tr("Receipt as &QR (Ctrl+R)"))
        self.receipt_qr_button.setObjectName("pos-receipt-qr")
        self.receipt_qr_button.setCheckable(True)
        self.receipt_qr_button.toggled.connect(self.show_receipt_qr)
        self.new_button = QPushButton(self.tr("New sale (N)"))
        self.new_button.setObjectName("pos-new")
        self.new_button.clicked.connect(self.escape)
        for b in (self.receipt_button, self.receipt_qr_button, self.new_button):
            _minimum(b, 0, 72 if b is self.new_button else 56)
            _big(b, 15)

        center = QVBoxLayout()
        center.addStretch(1)
        center.addWidget(self.big_mark)
        center.addWidget(self.big_state)
        center.addWidget(self.big_amount)
        center.addWidget(self.verdict_banner)
        center.addWidget(self.status_detail)
        center.addWidget(self.receipt_view, 12)  # shown: it takes the room the mark had
        center.addWidget(self.receipt_note)
        details_row = QHBoxLayout()
        details_row.addStretch(1)
        details_row.addWidget(self.details_button)
        details_row.addStretch(1)
        center.addLayout(details_row)
        center.addWidget(risk_box, 12)  # sizes follow the stretch: this many times a spacer
        center.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.receipt_button)
        buttons.addWidget(self.receipt_qr_button)
        buttons.addStretch(1)
        buttons.addWidget(self.new_button, 2)
        buttons.addWidget(self._exit_button())
        center.addLayout(buttons)
        outer = QHBoxLayout(page)
        outer.addStretch(1)
        outer.addLayout(center, 6)
        outer.addStretch(1)
        return page
