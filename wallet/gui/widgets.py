"""Small widgets shared by the windows: messages, amount entry, copyable text, balance cards."""

from __future__ import annotations

import itertools

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

from wallet.gui.format import Unit, edit_text, parse_amount


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
        return QSize(hint.width() + bar, hint.height())


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


class AmountEdit(QWidget):
    """An amount typed in BTC or sats in the person's locale, read exactly (never through a
    float; text that could mean two amounts is refused with how to write it)."""

    changed = Signal()

    def __init__(
        self, parent: QWidget | None = None, unit: Unit = Unit.BTC, name: str = ""
    ) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.edit.setAccessibleName(name or self.tr("Amount"))
        self.setFocusProxy(self.edit)
        self.unit_box = QComboBox()
        self.unit_box.setAccessibleName(self.tr("Unit of the amount"))
        for u in Unit:
            self.unit_box.addItem(u.value, u)
        self.unit_box.setCurrentIndex(list(Unit).index(unit))
        self.unit_box.currentIndexChanged.connect(self._unit_changed)
        self.edit.textChanged.connect(self.changed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.unit_box)
        self._unit = unit
        self._placeholder()

    def _placeholder(self) -> None:
        self.edit.setPlaceholderText(edit_text(150_000, self._unit))

    @property
    def unit(self) -> Unit:
        return self._unit

    def _unit_changed(self) -> None:
        old, new = self._unit, Unit(self.unit_box.currentData())
        try:
            sats = parse_amount(self.edit.text(), old) if self.edit.text().strip() else None
        except ValueError:
            sats = None
        self._unit = new
        self._placeholder()
        if sats is not None:
            self.set_sats(sats)
        self.changed.emit()

    def sats(self) -> int | None:
        """The amount in satoshis, None when empty; AmountError when it is not an amount."""
        if not self.edit.text().strip():
            return None
        return parse_amount(self.edit.text(), self._unit)

    def set_sats(self, sats: int | None) -> None:
        if sats is None:
            self.edit.clear()
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
        self.explanation = note(explanation)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.title)
        layout.addWidget(self.amount)
        layout.addWidget(self.explanation)
        if glossary_key is not None:
            from wallet.gui.glossary import link_label

            layout.addWidget(link_label(glossary_key))
        layout.addStretch(1)
