"""Small widgets shared by the windows: messages, amount entry, copyable text, balance cards."""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QGuiApplication, QTextBlock, QTextDocument, QTextOption
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from wallet.errors import PaylightError
from wallet.gui.format import Unit, edit_text, format_amount, parse_amount
from wallet.gui.theme import text_style


def show_message(
    parent: QWidget | None,
    title: str,
    text: str,
    icon: QMessageBox.Icon = QMessageBox.Icon.Warning,
) -> QMessageBox:
    """A window-modal message that does not block the event loop (tests can find and close it)."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("paylight-message")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.open()
    return box


class VerticalScroll(QScrollArea):
    """``content`` that scrolls up and down when the window is too short for it (large text
    on a small screen), never sideways: it keeps at least the width its content needs."""

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(content)

    def minimumSizeHint(self) -> QSize:
        content = self.widget()
        bar = self.verticalScrollBar().sizeHint().width()
        width = content.minimumSizeHint().width() if content is not None else 0
        return QSize(width + bar, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        content = self.widget()
        hint = content.sizeHint() if content is not None else QSize()
        bar = self.verticalScrollBar().sizeHint().width()
        height = hint.height()
        width = self.viewport().width()
        if content is not None and content.hasHeightForWidth() and width > 0:
            # wrapped text: as tall as it is at the width it has, not at its own guess
            height = max(height, content.heightForWidth(width))
        return QSize(hint.width() + bar, height)


def fit_to_width(window: QWidget, width: int) -> None:
    """Size a dialog ``width`` wide (or its minimum) and as tall as its wrapped text needs at
    that width: Qt does not grow a window for the height-for-width of its labels, so at large
    text sizes they would be cut."""
    width = max(width, window.minimumSizeHint().width())
    height = window.heightForWidth(width) if window.hasHeightForWidth() else -1
    window.resize(width, max(height, window.sizeHint().height()))


def tab_in_drawn_order(box: QDialogButtonBox) -> None:
    """Tab through a button box's buttons left to right, as the platform draws them (Qt
    chains them in the order they were made); call it once every button is added and the box
    is in its window."""
    layout = box.layout()
    items = (layout.itemAt(i).widget() for i in range(layout.count()))
    buttons = [w for w in items if isinstance(w, QAbstractButton) and not w.isHidden()]
    for first, second in itertools.pairwise(buttons):
        QWidget.setTabOrder(first, second)


def with_detail(sentence: str, detail: str) -> str:
    """Rich text: a sentence in the person's language, then in small print the technical detail
    it rests on, in the words it came in (a server's, the system's, a parser's: not
    translated)."""
    return f"{_escaped(sentence)}<br><small>{_escaped(detail)}</small>"


def _escaped(text: str) -> str:
    # (the html module would load its 2,000 named entities at start-up for this)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def monospace() -> QFont:
    font = QFont("monospace")
    font.setStyleHint(QFont.StyleHint.Monospace)
    return font


def heading(text: str, size_delta: int = 3) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSize(font.pointSize() + size_delta)
    font.setBold(True)
    label.setFont(font)
    return label


def note(text: str) -> QLabel:
    """A wrapped explanatory sentence in the palette's secondary text colour."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text);")
    return label


class WrappedText(QTextEdit):
    """Read-only text shown whole: wrapped at any character (a URI has no spaces to break
    at) and exactly as tall as its lines, so selecting and copying give the real text.
    Beyond ``max_lines`` (a receipt's long code) it scrolls instead of growing."""

    def __init__(self, text: str = "", parent: QWidget | None = None, max_lines: int = 4):
        super().__init__(parent)
        self.max_lines = max_lines
        self.setReadOnly(True)
        self.setAcceptRichText(False)
        self.setFont(monospace())
        self.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().setDocumentMargin(3)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self.setPlainText(text)
        self._fit()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit()  # a larger font (the till scaling up) needs taller lines
            QTimer.singleShot(0, self, self._fit)  # and again once the document is laid out anew

    def _fit(self, *_args: object) -> None:
        margins = self.contentsMargins()
        document = self.document()
        margin = 2 * document.documentMargin()
        line = float(self.fontMetrics().lineSpacing())
        text_height = max(document.size().height() - margin, line)  # not laid out yet: 1 line
        lines = sum(b.layout().lineCount() for b in _blocks(document))
        if lines > 0:
            line = text_height / lines
        height = min(text_height, self.max_lines * line) + margin
        self.setFixedHeight(int(height + margins.top() + margins.bottom() + 0.999))


def _blocks(document: QTextDocument) -> list[QTextBlock]:
    blocks, block = [], document.begin()
    while block.isValid():
        blocks.append(block)
        block = block.next()
    return blocks


class CopyLine(QWidget):
    """Read-only text with a Copy button (addresses, URIs, txids).

    ``wrap``: show long text whole over several lines instead of a line that scrolls.
    """

    def __init__(
        self, text: str = "", parent: QWidget | None = None, *, wrap: bool = False, name: str = ""
    ):
        super().__init__(parent)
        self.wrap = wrap
        self.edit: QLineEdit | WrappedText
        if wrap:
            self.edit = WrappedText(text)
        else:
            self.edit = QLineEdit(text)
            self.edit.setReadOnly(True)
            self.edit.setFont(monospace())
            self.edit.setCursorPosition(0)
        self.edit.setAccessibleName(name)  # a screen reader names the text by it
        self.setFocusProxy(self.edit)
        self.button = QPushButton(self.tr("Copy"))
        if name:
            self.button.setAccessibleName(self.tr("Copy {what}").format(what=name))
        self.button.clicked.connect(self.copy)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)

    def text(self) -> str:
        edit = self.edit
        return edit.toPlainText() if isinstance(edit, WrappedText) else edit.text()

    def set_text(self, text: str) -> None:
        edit = self.edit
        if isinstance(edit, WrappedText):
            edit.setPlainText(text)
        else:
            edit.setText(text)
            edit.setCursorPosition(0)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text())


#: the unit box's data for the local currency (the bitcoin units carry their ``Unit``)
FIAT = "fiat"


class AmountEdit(QWidget):
    """An amount typed in BTC, sats or the local currency in the person's locale, read exactly
    (never through a float; text that could mean two amounts is refused with how to write it).
    In the local currency it is converted at the current rate (``rates``, a
    ``wallet.gui.rates.FiatRates``): :meth:`price` gives that rate locked with the amount."""

    changed = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        unit: Unit = Unit.BTC,
        rates: Any = None,
        name: str = "",
    ) -> None:
        super().__init__(parent)
        self.rates = rates
        self.edit = QLineEdit()
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.edit.setAccessibleName(name or self.tr("Amount"))
        self.setFocusProxy(self.edit)
        self.unit_box = QComboBox()
        self.unit_box.setAccessibleName(self.tr("Unit of the amount"))
        for u in Unit:
            self.unit_box.addItem(u.value, u)
        self._unit = unit
        self._fiat_shown: str | None = None
        self._show_fiat_unit()
        self.unit_box.setCurrentIndex(list(Unit).index(unit))
        self.unit_box.currentIndexChanged.connect(self._unit_changed)
        self.edit.textChanged.connect(self.changed)
        #: the amount as read, under the field as it is typed ("0,5" reads as half a bitcoin)
        self.hint = QLabel()
        self.hint.setObjectName("amount-hint")
        self.hint.setWordWrap(True)
        self.changed.connect(self._show_hint)
        if rates is not None:
            rates.changed.connect(self._show_fiat_unit)
            rates.changed.connect(self._show_hint)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.unit_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.hint)
        self._typed_in: Unit | str = unit
        self._placeholder()

    def _show_fiat_unit(self) -> None:
        """The local currency as the unit box's last choice, while one is shown."""
        code = self.rates.code if self.rates is not None else None
        if code == self._fiat_shown:
            return
        was_fiat = self.in_fiat
        index = self.unit_box.findData(FIAT)
        if index >= 0:
            if was_fiat:
                self.unit_box.setCurrentIndex(list(Unit).index(self._unit))
            self.unit_box.removeItem(index)
        if code is not None:
            self.unit_box.addItem(code, FIAT)
        self._fiat_shown = code

    def _show_hint(self) -> None:
        """What the text reads as: in BTC and sats, and the local currency (or why it is not an
        amount)."""
        if not self.edit.text().strip():
            self.hint.clear()
            return
        try:
            sats = self.sats()
        except (ValueError, PaylightError) as exc:
            self.hint.setStyleSheet(text_style("error"))
            self.hint.setText(str(exc))
            return
        assert sats is not None
        self.hint.setStyleSheet("color: palette(placeholder-text);")
        parts = [f"= {format_amount(sats, Unit.BTC)}", format_amount(sats, Unit.SAT)]
        if self.in_fiat and self.rates is not None:
            parts.append(self.rates.price_text())
        elif self.rates is not None:
            fiat = self.rates.fiat_text(sats)
            if fiat:
                parts.append(fiat)
        self.hint.setText(" · ".join(parts))

    def _placeholder(self) -> None:
        currency = self.currency
        if self.in_fiat and currency is not None:
            self.edit.setPlaceholderText(edit_text(1250 * 10**currency.decimals // 100, currency))
        else:
            self.edit.setPlaceholderText(edit_text(150_000, self._unit))

    @property
    def unit(self) -> Unit:
        """The bitcoin unit amounts are shown in (the last one chosen, when typing fiat)."""
        return self._unit

    @property
    def in_fiat(self) -> bool:
        return self.unit_box.currentData() == FIAT

    @property
    def currency(self) -> Any:
        return self.rates.currency if self.rates is not None else None

    def set_unit(self, unit: Unit) -> None:
        self.unit_box.setCurrentIndex(list(Unit).index(unit))

    def set_fiat(self) -> None:
        """Type in the local currency (when one is shown)."""
        index = self.unit_box.findData(FIAT)
        if index >= 0:
            self.unit_box.setCurrentIndex(index)

    def _read(self, unit: Unit | str) -> int | None:
        """The text as satoshis, read in ``unit`` (a bitcoin unit, or FIAT)."""
        if not self.edit.text().strip():
            return None
        if unit == FIAT:
            return self._fiat_price().sats
        return parse_amount(self.edit.text(), Unit(unit))

    def _unit_changed(self) -> None:
        old = self._typed_in
        try:
            sats = self._read(old)
        except (ValueError, PaylightError):
            sats = None
        data = self.unit_box.currentData()
        self._typed_in = FIAT if data == FIAT else Unit(data)
        if data != FIAT:
            self._unit = Unit(data)
        self._placeholder()
        if sats is not None:
            self._put(sats)
        self.changed.emit()

    def _fiat_price(self) -> Any:
        """The fiat amount typed, with the rate to price it by now; AmountError if none."""
        from wallet.bitcoin.amount import AmountError
        from wallet.bitcoin.fiat import Price

        currency = self.currency
        assert currency is not None
        minor = parse_amount(self.edit.text(), currency)
        rate = self.rates.rate()
        if rate is None:
            raise AmountError(
                self.tr(
                    "There is no current {code} rate to convert with; type the amount in BTC, "
                    "or set a rate (View → Local currency)."
                ).format(code=currency.code)
            )
        return Price(minor, rate)

    def sats(self) -> int | None:
        """The amount in satoshis, None when empty; AmountError when it is not an amount (or,
        typed in the local currency, when there is no rate to convert it with)."""
        return self._read(self._typed_in)

    def price(self) -> Any:
        """Typed in the local currency: a ``wallet.bitcoin.fiat.Price`` (the amount and the
        rate locked now); None when typed in bitcoin or empty."""
        if not self.in_fiat or not self.edit.text().strip():
            return None
        return self._fiat_price()

    def set_sats(self, sats: int | None) -> None:
        """Show ``sats`` (a bitcoin unit is chosen if the local currency was: an amount asked in
        bitcoin is kept exactly)."""
        if sats is not None and self.in_fiat:
            self.unit_box.blockSignals(True)
            self.set_unit(self._unit)
            self.unit_box.blockSignals(False)
            self._typed_in = self._unit
            self._placeholder()
        self._put(sats)

    def _put(self, sats: int | None) -> None:
        if sats is None:
            self.edit.clear()
        elif self.in_fiat:
            minor = self.rates.to_fiat(sats) if self.rates is not None else None
            self.edit.setText("" if minor is None else edit_text(minor, self.currency))
        else:
            self.edit.setText(edit_text(sats, self._unit))


class BalanceCard(QFrame):
    """One balance figure with its name and what it means; the Overview shows three."""

    def __init__(
        self, title: str, explanation: str, colour: str, glossary_key: str | None = None
    ) -> None:
        super().__init__()
        self.setObjectName("balance-card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#balance-card { border: 1px solid palette(mid); border-radius: 6px; "
            f"border-left: 6px solid {colour}; }}"
        )
        self.title = heading(title, 1)
        self.amount = QLabel("")
        font = self.amount.font()
        font.setPointSize(font.pointSize() + 9)
        font.setBold(True)
        self.amount.setFont(font)
        self.amount.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        #: the figure in the local currency at the current rate ("" without one)
        self.fiat = QLabel("")
        self.fiat.setObjectName("balance-fiat")
        self.fiat.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.explanation = note(explanation)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.title)
        layout.addWidget(self.amount)
        layout.addWidget(self.fiat)
        layout.addWidget(self.explanation)
        if glossary_key is not None:
            from wallet.gui.glossary import link_label

            layout.addWidget(link_label(glossary_key))
        layout.addStretch(1)
