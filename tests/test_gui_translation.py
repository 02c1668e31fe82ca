"""The whole app in Chinese (issue 15, build 5): no untranslated visible string on the main
window, the till, the wizard and the dialogs.

Every screen is walked twice (``tests.gui_screens``): in English, then in Simplified Chinese.
Each visible text (labels, buttons, check boxes, group boxes, tabs, table headers, menus,
window titles, placeholders) that has Latin letters once its allowed non-words are taken out
(BTC, sat, URIs, addresses, txids, numbers, paths, product names, seed words, the user's own
labels) must differ from the English text at the same place, and must keep none of the English
sources' words. The Spanish translation is checked for completeness in the .ts files.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QTabWidget,
    QWidget,
)

from tests.gui_screens import settle, walk_screens
from wallet.bitcoin.bip39 import wordlist
from wallet.gui import i18n, i18n_build
from wallet.gui.format import read_system_locale

pytestmark = pytest.mark.gui

#: Non-words a translation keeps as they are.
ALLOWED = [
    r"(bitcoin|https?|tcp|ssl|socks5):\S*",
    r"\b(bc1|tb1|bcrt1)[02-9ac-hj-np-z]{6,}\S*",
    r"\b[13mn2][1-9A-HJ-NP-Za-km-z]{25,34}\b",
    r"[0-9a-f]{8,}…?",
    r"(?<!\w)/[^\s,;)]*",  # paths
    r"\b(BTC|sats?|sat/vB|vB|ms|kB|MB|CNY|EUR|USD)\b",
    r"\b(Paylight|Bitcoin Core|Electrum|Esplora|Lightning|Merkle)\b",
    r"\b(mempool\.space|Coinbase|Kraken|CoinGecko|blockchain\.com)\b",  # price sources
    r"\b(Sparrow|Keystone|Passport|SeedSigner|Jade|Krux|Coldcard( Q)?)\b",  # signers
    r"\bur:[a-z-]+\S*|\bcrypto-psbt\b|\bsignmessage\b",  # format names
    r"\b(BIP\d+|BC-UR|BBQr|PSBT|QR|RBF|SegWit|Taproot|P2SH-P2WPKH|P2WPKH|P2TR|P2PKH)\b",
    r"\b[xyztuv]pub\w*…?",
    r"\bwpkh\(\S*",
    r"\b(mainnet|regtest|signet|testnet3|testnet4|Regtest|Signet|Testnet3|Testnet4)\b",
    r"\b(Ctrl|Shift|Esc|Enter|Tab)\b(\+\w)?",
    r"\bfingerprint\b",  # inside the descriptor placeholder's [fingerprint/84h/0h/0h]
    r"\b(Tor|SOCKS5|RPC|REST|IP)\b",  # how Paylight reaches a node, and through what
    r"(?<!\w)-\w+=\w+",  # Bitcoin Core's options (-rest=1)
    r"\.(cookie|onion)\b",  # Core's .cookie file, Tor's .onion addresses
    r"\b[A-Z][A-Z0-9]*(_[A-Z0-9]+)+\b",  # environment variables (PAYLIGHT_CORE_PASSWORD)
]
#: What the screens' own data is (wallet names, labels typed in, the bad name tried).
USER_DATA = {"Shop", "Shop 2", "Bike repair", "Coffee stall", "bad/name", "abandon", "zzz", "zoo"}


def without_allowed(text: str) -> str:
    # small print quotes a technical detail in its own words (widgets.with_detail)
    text = re.sub(r"<small>.*?</small>", " ", text, flags=re.S)
    text = unescape(re.sub(r"<[^>]+>", " ", text))
    for value in sorted(USER_DATA, key=len, reverse=True):
        text = text.replace(value, " ")
    for pattern in ALLOWED:
        text = re.sub(pattern, " ", text)
    words = set(wordlist())
    return " ".join(w for w in re.findall(r"[A-Za-z][A-Za-z'’-]*", text) if w not in words)


def visible_texts(window: QWidget) -> list[tuple[str, str]]:
    """(where, text) of everything a person can read in ``window``."""
    out: list[tuple[str, str]] = [("window title", window.windowTitle())]
    widgets = window.findChildren(QWidget)
    for n, widget in enumerate(widgets):
        if not widget.isVisibleTo(window):
            continue
        where = f"{n}:{type(widget).__name__}:{widget.objectName()}"
        if isinstance(widget, (QLabel, QAbstractButton)):
            out.append((where, widget.text().replace("&", "")))
            out.append((where + ":tooltip", widget.toolTip()))
        elif isinstance(widget, QGroupBox):
            out.append((where, widget.title()))
        elif isinstance(widget, (QLineEdit, QPlainTextEdit)):
            out.append((where + ":placeholder", widget.placeholderText()))
        if isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                if widget.isTabVisible(i):
                    out.append((f"{where}:tab{i}", widget.tabText(i).replace("&", "")))
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            for c in range(model.columnCount()):
                out.append(
                    (f"{where}:col{c}", str(model.headerData(c, Qt.Orientation.Horizontal) or ""))
                )
            for r in range(min(model.rowCount(), 6)):
                for c in range(model.columnCount()):
                    out.append((f"{where}:{r},{c}", str(model.index(r, c).data() or "")))
    if isinstance(window, QMainWindow):
        for action in window.menuBar().actions():
            out.append((f"menu:{action.text()}", action.text().replace("&", "")))
            if action.menu() is not None:
                for item in action.menu().actions():
                    out.append((f"menu item:{item.text()}", item.text().replace("&", "")))
    return [(w, t) for w, t in out if t and t.strip()]


def english_vocabulary() -> set[str]:
    """Words of the English sources (3+ letters, not allowed non-words)."""
    tree = ET.parse(i18n_build.ts_file("zh_CN"))
    words = set()
    for source in tree.getroot().iter("source"):
        words |= {w.lower() for w in without_allowed(source.text or "").split() if len(w) >= 3}
    return words


def walk(tmp_path, monkeypatch, name: str) -> dict[tuple[str, str], str]:
    texts = {}
    for screen, window in walk_screens(tmp_path / name, monkeypatch):
        settle()
        for where, text in visible_texts(window):
            texts[(screen, where)] = text
    return texts


@pytest.fixture
def in_chinese(qapp):
    yield lambda: (i18n.translations.install(qapp, "zh_CN"), read_system_locale())
    i18n.translations.install(qapp, "en")
    read_system_locale()


def test_every_visible_string_is_translated_in_chinese(qapp, in_chinese, tmp_path, monkeypatch):
    english = walk(tmp_path, monkeypatch, "en")
    in_chinese()
    assert i18n.current_language() == "zh_CN"
    chinese = walk(tmp_path, monkeypatch, "zh")
    assert len(chinese) > 500 and {k[0] for k in chinese} == {k[0] for k in english}
    vocabulary = english_vocabulary()
    untranslated = []
    for key, text in sorted(chinese.items()):
        left = without_allowed(text)
        if not left:
            continue
        if english.get(key) == text:
            untranslated.append(f"{key[0]} | {key[1]}: {text[:90]!r} (as in English)")
        elif english_words := [w for w in left.split() if w.lower() in vocabulary]:
            untranslated.append(f"{key[0]} | {key[1]}: {text[:90]!r} keeps {english_words[:4]}")
    assert not untranslated, f"{len(untranslated)} untranslated:\n" + "\n".join(untranslated)


@pytest.mark.parametrize("language", i18n_build.LANGUAGES)
def test_every_source_string_has_a_finished_translation(language):
    tree = ET.parse(i18n_build.ts_file(language))
    missing = []
    for context in tree.getroot().iter("context"):
        name = context.find("name").text
        for message in context.iter("message"):
            translation = message.find("translation")
            forms = [f.text for f in translation.iter("numerusform")] or [translation.text]
            if translation.get("type") in ("unfinished", "vanished", "obsolete") or not all(forms):
                missing.append(f"{name}: {message.find('source').text!r}")
    assert not missing, f"{len(missing)} not translated:\n" + "\n".join(missing)


def test_every_string_has_the_context_it_is_looked_up_in():
    """A ``tr()`` outside a class (or a helper named tr) gives lupdate no context, and the
    string is then never found at run time: every context is a real one."""
    tree = ET.parse(i18n_build.ts_file("zh_CN"))
    names = [c.find("name").text for c in tree.getroot().iter("context")]
    assert all(names), [n for n in names if not n]


@pytest.mark.parametrize("language", i18n_build.LANGUAGES)
def test_translations_keep_every_placeholder_and_accelerator(language):
    """``{name}`` fields survive translation (a lost one raises at run time, a changed one
    shows the wrong value), and a menu's ``&`` shortcut marker is kept."""
    tree = ET.parse(i18n_build.ts_file(language))
    wrong = []
    for message in tree.getroot().iter("message"):
        source = message.find("source").text or ""
        translation = message.find("translation").text or ""
        if not translation:
            continue
        if sorted(re.findall(r"\{\w*\}", source)) != sorted(re.findall(r"\{\w*\}", translation)):
            wrong.append(f"{source!r} -> {translation!r}")
        if "&" in source.replace("&&", "") and "&" not in translation:
            wrong.append(f"{source!r} -> {translation!r} (no & shortcut)")
    assert not wrong, "\n".join(wrong)


def test_the_language_follows_the_system_and_loads_fast(qapp):
    assert i18n.system_language(["zh-Hans-CN", "en-US"]) == "zh_CN"
    assert i18n.system_language(["zh-CN"]) == "zh_CN"
    assert i18n.system_language(["zh-TW", "es-MX"]) == "es"
    assert i18n.system_language(["de-DE", "fr-FR"]) == "en"
    assert i18n.system_language(["es-419"]) == "es"
    assert i18n.qm_file("zh_CN") is not None and i18n.qm_file("es") is not None
    app = QApplication.instance()
    try:
        assert i18n.translations.install(app, "es")
        assert QApplication.translate("MainWindow", "Home") != "Home"
    finally:
        i18n.translations.install(app, "en")
    assert QApplication.translate("MainWindow", "Home") == "Home"


def test_choosing_a_language_redraws_the_window_in_it_with_the_wallet_still_open(
    qtbot, tmp_path, monkeypatch
):
    from tests.test_gui_main import make_wallet
    from wallet.gui.app import PaylightApp
    from wallet.gui.main_window import MainWindow
    from wallet.gui.settings import AppSettings

    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))
    settings = AppSettings(tmp_path / "gui.ini")
    app = PaylightApp(settings=settings, engine_factory=None)
    window = app.open_wallet(make_wallet())
    assert isinstance(window, MainWindow) and window.tabs.tabText(0) == "Home"
    controller = app.controller
    window.tabs.setCurrentWidget(window.history)
    try:
        window.language_actions["es"].trigger()  # View › Language › Español
        spanish = app.window
        assert isinstance(spanish, MainWindow) and spanish is not window
        assert spanish.controller is controller  # the wallet stayed open
        assert spanish.tabs.tabText(0) == "Inicio"
        assert spanish.tabs.currentWidget() is spanish.history
        assert settings.language() == "es" and i18n.current_language() == "es"
        assert spanish.language_actions["es"].isChecked()
        assert read_system_locale().decimal == ","  # Spain's decimal comma
        spanish.language_actions[i18n.SYSTEM].trigger()  # back to the system's (English here)
        assert app.window.tabs.tabText(0) == "Home" and settings.language() == ""
    finally:
        app.window.close()
        app.shutdown()
        i18n.translations.install(QApplication.instance(), "en")
        read_system_locale()


def test_the_tills_conflict_check_limit_is_said_in_chinese(qapp, in_chinese):
    """The till's risk view quotes an incomplete check's detail; the one the risk check
    writes when a script has too many transactions is said in the person's language."""
    from wallet.gui.till_parts import problem_text, reason_text
    from wallet.payments.risk import MAX_CANDIDATES

    english = (
        "not every check could be made: looked for conflicts among "
        f"{MAX_CANDIDATES} of 247 other transactions on the spent scripts"
    )
    in_chinese()
    text = reason_text("unchecked", english)
    assert "247" in text and str(MAX_CANDIDATES) in text
    assert not without_allowed(text), text
    # and where the view lists what could not be checked
    assert problem_text(english.split(": ", 1)[1]) == text.split("：", 1)[1]


def test_the_tills_fee_rates_are_written_as_the_person_writes_numbers(qapp):
    """In Spanish the till's risk view said "2.01 sat/vB" beside amounts written "0,0002":
    fee rates follow the person's decimal mark too."""
    from decimal import Decimal

    from wallet.bitcoin.amount import FeeRate
    from wallet.gui.till_parts import risk_view_lines
    from wallet.payments.risk import RiskView

    view = RiskView(
        txid=bytes(32), rbf=False, fee=284, vsize=141,
        next_block_rate=FeeRate.from_sat_per_vb(Decimal("1.5")),
        unconfirmed_parents=(), seen_by=("a",), not_seen_by=(), conflicts=(),
    )  # fmt: skip
    i18n.translations.install(qapp, "es")
    read_system_locale()
    try:
        spanish = " ".join(line.text for line in risk_view_lines(view))
    finally:
        i18n.translations.install(qapp, "en")
        read_system_locale()
    english = " ".join(line.text for line in risk_view_lines(view))
    assert "2,01 sat/vB" in spanish and "1,50 sat/vB" in spanish, spanish
    assert "2.01 sat/vB" in english and "1.50 sat/vB" in english, english
