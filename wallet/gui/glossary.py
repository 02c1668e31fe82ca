"""Plain words for the few Bitcoin terms the screens cannot avoid, shown on demand.

A screen says what matters in everyday words and puts a "What's this?" link beside a term;
the link opens :class:`GlossaryDialog` at that term (every term is listed, so one look explains
the neighbours too). Help › Glossary opens it at the top.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

#: term key -> (name, explanation), in the order the glossary lists them.
TERMS: dict[str, tuple[str, str]] = {
    "confirmation": (
        QT_TRANSLATE_NOOP("Glossary", "Confirmation"),
        QT_TRANSLATE_NOOP(
            "Glossary",
            "A payment is confirmed once it is in a block of the Bitcoin chain. Each block "
            "added after that one is one more confirmation: the more there are, the harder "
            "the payment is to undo. Six are usually treated as final.",
        ),
    ),
    "proof": (
        QT_TRANSLATE_NOOP("Glossary", "Proof (Merkle proof)"),
        QT_TRANSLATE_NOOP(
            "Glossary",
            "A short list of fingerprints (hashes) that shows a payment is inside a block. "
            "Paylight checks it against block headers it verified itself, so you need not "
            "take a server's word that you were paid.",
        ),
    ),
    "unverified": (
        QT_TRANSLATE_NOOP("Glossary", "Unverified"),
        QT_TRANSLATE_NOOP(
            "Glossary",
            "A server says the payment is in a block, but Paylight has not yet checked the "
            "proof itself. It does not count as yours until the proof checks out.",
        ),
    ),
    "mempool": (
        QT_TRANSLATE_NOOP("Glossary", "Mempool"),
        QT_TRANSLATE_NOOP(
            "Glossary",
            "The waiting room for payments: sent to the network, not yet in a block. A "
            "payment there can still be replaced or dropped, so it is not final yet.",
        ),
    ),
    "rbf": (
        QT_TRANSLATE_NOOP("Glossary", "RBF (replace-by-fee)"),
        QT_TRANSLATE_NOOP(
            "Glossary",
            "A payer can mark a payment as replaceable and later swap it for one paying a "
            "higher fee, to speed it up, or paying someone else. Until it is in a block, "
            "treat such a payment as not yet received.",
        ),
    ),
    "fee-rate": (
        QT_TRANSLATE_NOOP("Glossary", "Fee rate"),
        QT_TRANSLATE_NOOP(
            "Glossary",
            "What a payment offers the miners per unit of its size, in satoshis per virtual "
            "byte (sat/vB). A higher rate gets into a block sooner; the fee is the rate times "
            "the payment's size.",
        ),
    ),
}
LINK_SCHEME = "glossary:"


def term_name(key: str) -> str:
    return QCoreApplication.translate("Glossary", TERMS[key][0])


def term_text(key: str) -> str:
    return QCoreApplication.translate("Glossary", TERMS[key][1])


def link(key: str, text: str | None = None) -> str:
    """Rich text of a link that opens the glossary at ``key`` (for a label's text)."""
    shown = text or QCoreApplication.translate("Glossary", "What's this?")
    return f"<a href='{LINK_SCHEME}{key}'>{shown}</a>"


def link_label(key: str, text: str | None = None) -> QLabel:
    """A "What's this?" link on its own; its tooltip already says what the term means."""
    label = QLabel(link(key, text))
    label.setObjectName(f"glossary-{key}")
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
    label.setToolTip(term_text(key))
    label.setAccessibleName(
        QCoreApplication.translate("Glossary", "What is “{term}”?").format(term=term_name(key))
    )
    label.linkActivated.connect(lambda href: open_link(label, href))
    return label


def open_link(parent: QWidget | None, href: str) -> GlossaryDialog | None:
    """Open the glossary for a ``glossary:`` link (any other link is not ours: None)."""
    if not href.startswith(LINK_SCHEME):
        return None
    return show_glossary(parent, href[len(LINK_SCHEME) :])


def show_glossary(parent: QWidget | None, key: str | None = None) -> GlossaryDialog:
    dialog = GlossaryDialog(parent, key)
    dialog.open()
    return dialog


class GlossaryDialog(QDialog):
    """Every term in plain words, scrolled to (and marking) the one asked about."""

    def __init__(self, parent: QWidget | None = None, key: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("glossary")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("Glossary"))
        self.key = key
        self.text = QTextBrowser()
        self.text.setObjectName("glossary-text")
        self.text.setOpenLinks(False)
        self.text.setAccessibleName(self.tr("Glossary"))
        self.text.setHtml(self.html(key))
        if key in TERMS:
            self.text.scrollToAnchor(key)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(520, 440)

    @staticmethod
    def html(key: str | None) -> str:
        parts = []
        for term in TERMS:
            name = term_name(term)
            shown = f"▸ <u>{name}</u>" if term == key else name
            parts.append(f"<h3><a name='{term}'></a>{shown}</h3><p>{term_text(term)}</p>")
        return "".join(parts)
