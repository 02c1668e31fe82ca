"""Seed word display and entry: a numbered grid to read, and a grid of fields that complete
BIP39 words and say, as you type, which word is wrong or whether the checksum holds."""

from __future__ import annotations

import difflib
import functools

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCompleter, QGridLayout, QLabel, QLineEdit, QWidget

from wallet.bitcoin.bip39 import (
    complete_word,
    normalize_mnemonic,
    suggest_words,
    validate_mnemonic,
    wordlist,
)
from wallet.bitcoin.errors import MnemonicError
from wallet.gui.theme import text_colour
from wallet.gui.widgets import monospace


def error_field() -> str:
    """A field's style sheet that marks its text as wrong."""
    return f"QLineEdit {{ border: 2px solid {text_colour('error').name()}; }}"


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
        self.setAccessibleName(self.tr("Word {n}").format(n=position + 1))
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
        #: "typing", "bad" (a wrong word or checksum) or "ok" (the phrase holds)
        self.state = "typing"
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
        self.state = "typing"
        for field in self.fields:
            field.setStyleSheet("")
        filled = [(i, w) for i, w in enumerate(words) if w]
        if not filled:
            self.feedback = self.tr(
                "Type the {count} words in order; a few letters complete a word."
            ).format(count=len(words))
            self.changed.emit()
            return
        unknown = next(((i, w) for i, w in filled if w not in _word_set()), None)
        if unknown is not None:
            self.feedback = self._unknown(*unknown)
        elif len(filled) < len(words):
            self.feedback = self._entered(len(filled), len(words))
        else:
            try:
                self.phrase = validate_mnemonic(" ".join(w for _, w in filled))
            except MnemonicError:
                self.state = "bad"
                self.feedback = self.tr(
                    "The checksum does not match: a word is wrong or the words are out of "
                    "order (every word is in the list)."
                )
            else:
                self.state = "ok"
                self.feedback = self.tr("✓ All words are in the list and the checksum matches.")
        self.changed.emit()

    def _entered(self, filled: int, count: int) -> str:
        return self.tr("{filled} of {count} words entered.").format(filled=filled, count=count)

    def _unknown(self, index: int, word: str) -> str:
        """Feedback on a word not in the list: still being typed, or wrong (with the words it
        may have been meant to be)."""
        field = self.fields[index]
        if field.hasFocus() and suggest_words(word, limit=1):
            return self.tr("Word {n}: keep typing…").format(n=index + 1)
        self.state = "bad"
        field.setStyleSheet(error_field())
        close = likely_words(word)
        if close:
            quoted = self.tr(" or ").join(f"“{w}”" for w in close)
            return self.tr(
                "Word {n}, “{word}”, is not in the word list (did you mean {words}?)."
            ).format(n=index + 1, word=word, words=quoted)
        return self.tr("Word {n}, “{word}”, is not in the word list.").format(
            n=index + 1, word=word
        )


@functools.cache
def _word_set() -> frozenset[str]:
    return frozenset(wordlist())


def likely_words(word: str) -> list[str]:
    """The words ``word`` was probably meant to be: the one it begins, else close spellings."""
    unique = complete_word(word)
    if unique is not None:
        return [unique]
    return difflib.get_close_matches(word, wordlist(), n=3, cutoff=0.75)
