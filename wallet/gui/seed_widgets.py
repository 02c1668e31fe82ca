"""Seed word display and entry: a numbered grid to read, and a grid of fields that complete
BIP39 words and say, as you type, which word is wrong or whether the checksum holds."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCompleter, QGridLayout, QLabel, QLineEdit, QWidget

from wallet.bitcoin.bip39 import normalize_mnemonic, suggest_words, validate_mnemonic, wordlist
from wallet.bitcoin.errors import MnemonicError
from wallet.gui.widgets import monospace

ERROR_FIELD = "QLineEdit { border: 2px solid #c0392b; }"
_POSITION = re.compile(r"^word (\d+), ")


def word_completer(parent: QWidget) -> QCompleter:
    completer = QCompleter(wordlist(), parent)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchStartsWith)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    completer.setMaxVisibleItems(8)
    return completer


class SeedGrid(QWidget):
    """The words of a new seed, numbered, in columns (read-only, selectable)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setHorizontalSpacing(28)
        self.grid.setVerticalSpacing(6)
        self.labels: list[QLabel] = []

    def set_words(self, words: list[str]) -> None:
        for label in self.labels:  # gone from the grid now, not at the next event loop turn
            self.grid.removeWidget(label)
            label.hide()
            label.deleteLater()
        self.labels = []
        rows = (len(words) + 2) // 3
        font = monospace()
        font.setPointSize(font.pointSize() + 2)
        for i, word in enumerate(words):
            label = QLabel(f"{i + 1:>2}. {word}")
            label.setFont(font)
            label.setObjectName(f"seed-word-{i + 1}")
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.grid.addWidget(label, i % rows, i // rows)
            self.labels.append(label)

    def words(self) -> list[str]:
        return [label.text().split(". ", 1)[1] for label in self.labels]


class WordField(QLineEdit):
    """One seed word, completed from the BIP39 list."""

    def __init__(self, position: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.position = position
        self.setObjectName(f"word-{position + 1}")
        self.setPlaceholderText(f"{position + 1}")
        self.setCompleter(word_completer(self))
        self.setMinimumWidth(110)


class SeedEntry(QWidget):
    """Fields for 12–24 words with live feedback; ``phrase`` is set once the checksum holds.

    Each field has its position beside it (``labels``), so it stays numbered once filled."""

    changed = Signal()

    def __init__(self, count: int = 12, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setHorizontalSpacing(6)
        self.fields: list[WordField] = []
        self.labels: list[QLabel] = []
        self.feedback = ""
        self.phrase: str | None = None
        self.set_count(count)

    def set_count(self, count: int) -> None:
        kept = [f.text() for f in self.fields]
        for widget in (*self.fields, *self.labels):
            self.grid.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self.fields = []
        self.labels = []
        columns = 4 if count > 12 else 3
        rows = (count + columns - 1) // columns
        for column in range(columns):
            self.grid.setColumnStretch(2 * column, 0)
            self.grid.setColumnStretch(2 * column + 1, 1)
            if column:
                self.grid.setColumnMinimumWidth(2 * column, 34)  # room between word columns
        for i in range(count):
            field = WordField(i, self)
            if i < len(kept):
                field.setText(kept[i])
            field.textChanged.connect(lambda text, i=i: self._typed_into(i, text))
            label = QLabel(f"{i + 1}.", self)
            label.setObjectName(f"word-label-{i + 1}")
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            label.setBuddy(field)
            row, column = i % rows, i // rows
            self.grid.addWidget(label, row, 2 * column)
            self.grid.addWidget(field, row, 2 * column + 1)
            self.fields.append(field)
            self.labels.append(label)
        self._check()

    def set_words(self, words: list[str], start: int = 0) -> None:
        for field, word in zip(self.fields[start:], words, strict=False):
            field.blockSignals(True)
            field.setText(word)
            field.blockSignals(False)
        self._check()

    def _typed_into(self, index: int, text: str) -> None:
        words = normalize_mnemonic(text).split()
        if len(words) > 1:  # a whole phrase pasted into one field: spread it
            self.set_words(words, index)
            return
        self._check()

    def typed(self) -> list[str]:
        return [normalize_mnemonic(f.text()) for f in self.fields]

    def _check(self) -> None:
        words = self.typed()
        self.phrase = None
        for field in self.fields:
            field.setStyleSheet("")
        filled = [(i, w) for i, w in enumerate(words) if w]
        if not filled:
            self.feedback = f"Type the {len(words)} words in order; a few letters complete a word."
            self.changed.emit()
            return
        try:
            phrase = validate_mnemonic(" ".join(w for _, w in filled))
        except MnemonicError as exc:
            self.feedback = self._explain(str(exc), filled, len(words))
        else:
            if len(filled) == len(words):
                self.phrase = phrase
                self.feedback = "✓ All words are in the list and the checksum matches."
            else:
                self.feedback = f"{len(filled)} of {len(words)} words entered."
        self.changed.emit()

    def _explain(self, message: str, filled: list[tuple[int, str]], count: int) -> str:
        match = _POSITION.match(message)
        if match is not None:
            field_index, word = filled[int(match.group(1)) - 1]
            field = self.fields[field_index]
            if field.hasFocus() and suggest_words(word, limit=1):
                return f"Word {field_index + 1}: keep typing…"
            field.setStyleSheet(ERROR_FIELD)
            rest = message[match.end() :]
            return f"Word {field_index + 1}, {rest}."
        if len(filled) < count:
            return f"{len(filled)} of {count} words entered."
        return message[0].upper() + message[1:] + "."
