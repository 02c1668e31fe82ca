"""The first-run wizard: create a seed, restore one, or watch an xpub; then a password.

Pages: start (name, network, what to do) → new seed → confirm three words → options
(passphrase, script type, account) → password → connection → create; or start → restore words
→ options → password → connection → create; or start → watch-only key → connection → create.
The connection page (:class:`ConnectionPage`) chooses the wallet's chain sources, the light node
by default, and asks a restored wallet's birthday. The last page makes the wallet folder
through :func:`wallet.gui.wallet_setup.create_wallet` on the thread pool (scrypt takes about
half a second) and, for the playground option, starts the local regtest chain and funds the
new wallet.
"""

from __future__ import annotations

import calendar
import datetime
import secrets
import time
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from wallet.account.keystore import ScryptParams
from wallet.account.paths import MAX_WALLET_NAME, check_wallet_name, list_wallets, wallet_dir
from wallet.account.setup import MIN_PASSWORD_LENGTH
from wallet.bitcoin.bip39 import VALID_WORD_COUNTS, generate_mnemonic
from wallet.bitcoin.networks import MAINNET, Network, get_network
from wallet.errors import PaylightError
from wallet.gui.connection import ConnectionChoice
from wallet.gui.playground_session import PlaygroundSession, start_and_fund
from wallet.gui.restore_estimate import mainnet_height_at
from wallet.gui.seed_widgets import SeedEntry, SeedGrid, error_field, word_completer
from wallet.gui.signer_import import SignerImportPage
from wallet.gui.theme import text_style
from wallet.gui.wallet_setup import (
    AccountDescriptors,
    ScriptChoice,
    create_wallet,
    script_label,
    seed_descriptors,
    watch_only_descriptors,
)
from wallet.gui.widgets import VerticalScroll, monospace, note, with_detail
from wallet.gui.workers import error_text, run_task

PAGE_START, PAGE_NEW_SEED, PAGE_CONFIRM, PAGE_RESTORE, PAGE_OPTIONS = range(5)
PAGE_WATCH, PAGE_PASSWORD, PAGE_CREATE, PAGE_SIGNER, PAGE_CONNECTION = range(5, 10)

NETWORK_CHOICES = (
    ("mainnet", QT_TRANSLATE_NOOP("StartPage", "Bitcoin (mainnet)")),
    ("testnet4", "Testnet4"),
    ("signet", "Signet"),
    ("testnet3", "Testnet3"),
    ("regtest", QT_TRANSLATE_NOOP("StartPage", "Regtest (local)")),
)
CONFIRM_WORDS = 3
MIN_PASSWORD = MIN_PASSWORD_LENGTH


def default_wallet_name(network: Network) -> str:
    """ "My wallet", or "My wallet 2"... (in the person's language) if that name is taken."""
    taken = set(list_wallets(network))
    first = QCoreApplication.translate("StartPage", "My wallet")
    name, n = first, 2
    while name in taken:
        name, n = QCoreApplication.translate("StartPage", "My wallet {n}").format(n=n), n + 1
    return name


class StartPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Welcome to Paylight"))
        self.setSubTitle(
            self.tr("A Bitcoin wallet that checks its own payments. Let's set one up.")
        )
        self.create = QRadioButton(self.tr("Create a new wallet (new seed words)"))
        self.restore = QRadioButton(self.tr("Restore a wallet from its seed words"))
        self.watch = QRadioButton(
            self.tr("Watch a wallet (xpub, zpub or descriptor — no keys here)")
        )
        self.signer = QRadioButton(self.tr("Watch-only from a signer (scan its QR)"))
        self.create.setChecked(True)
        self.kind = QButtonGroup(self)
        for i, button in enumerate((self.create, self.restore, self.watch, self.signer)):
            self.kind.addButton(button, i)

        self.name = QLineEdit()
        self.network = QComboBox()
        for key, text in NETWORK_CHOICES:
            self.network.addItem(self.tr(text), key)
        self.network.currentIndexChanged.connect(self._network_changed)
        self.playground = QCheckBox(
            self.tr("Try it on a local playground (regtest, with test coins)")
        )
        self.playground.setToolTip(
            self.tr(
                "Runs a private regtest chain on this computer, validated by Bitcoin Core's "
                "consensus engine, and sends the new wallet 1 test BTC. Nothing touches a real "
                "network."
            )
        )
        self.playground.toggled.connect(self._playground_toggled)
        self.error = QLabel()
        self.error.setStyleSheet(text_style("error"))
        self.error.setWordWrap(True)
        self.name.textChanged.connect(self._name_changed)

        form = QFormLayout()
        form.addRow(self.tr("Wallet &name:"), self.name)
        form.addRow(self.tr("Net&work:"), self.network)
        form.addRow("", self.playground)
        layout = QVBoxLayout(self)
        for button in (self.create, self.restore, self.watch, self.signer):
            layout.addWidget(button)
        layout.addSpacing(12)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.registerField("name*", self.name)
        self.name.setText(default_wallet_name(MAINNET))

    def network_key(self) -> str:
        return str(self.network.currentData())

    def chosen_network(self) -> Network:
        """The network chosen in the list (the GUI's edge: below it, a Network is passed)."""
        return get_network(self.network_key())

    def _network_changed(self) -> None:
        if self.name.text().startswith(self.tr("My wallet")):
            self.name.setText(default_wallet_name(self.chosen_network()))
        self._name_changed()

    def _playground_toggled(self, on: bool) -> None:
        if on:
            self.network.setCurrentIndex([k for k, _ in NETWORK_CHOICES].index("regtest"))
            if self.watch.isChecked() or self.signer.isChecked():
                self.create.setChecked(True)
        self.network.setEnabled(not on)
        self.watch.setEnabled(not on)
        self.signer.setEnabled(not on)

    def _name_changed(self) -> None:
        self.error.clear()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        name = self.name.text()
        try:
            path = wallet_dir(name, self.chosen_network())
        except PaylightError as exc:
            self.error.setText(self.name_problem(name) or str(exc))
            return False
        if path.exists():
            self.error.setText(
                self.tr("A wallet called “{name}” already exists on this network.").format(
                    name=name
                )
            )
            return False
        return True

    def name_problem(self, name: str) -> str:
        """Why ``name`` cannot name a wallet, in the person's words (the rules of
        ``wallet.account.paths.check_wallet_name``, which has the last word)."""
        if not name.strip():
            return self.tr("Give the wallet a name.")
        if len(name) > MAX_WALLET_NAME:
            return self.tr("A wallet name has at most {n} characters.").format(n=MAX_WALLET_NAME)
        if name != name.strip():
            return self.tr("A wallet name cannot start or end with a space.")
        if name.startswith(".") or name.endswith("."):
            return self.tr("A wallet name cannot start or end with a dot.")
        if any(ch in '<>:"/\\|?*' or ord(ch) < 32 for ch in name):
            return self.tr('A wallet name cannot contain any of < > : " / \\ | ? *.')
        return ""

    def nextId(self) -> int:
        if self.restore.isChecked():
            return PAGE_RESTORE
        if self.watch.isChecked():
            return PAGE_WATCH
        if self.signer.isChecked():
            return PAGE_SIGNER
        return PAGE_NEW_SEED


class NewSeedPage(QWizardPage):
    """Shows the new words once. They are kept in memory only until the wallet is created."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Your seed words"))
        self.setSubTitle(
            self.tr(
                "Write these words on paper, in order. They are the only way to restore this "
                "wallet; Paylight will not show them again."
            )
        )
        self.twelve = QRadioButton(self.tr("12 words"))
        self.twentyfour = QRadioButton(self.tr("24 words"))
        self.twelve.setChecked(True)
        self.twelve.toggled.connect(lambda _on: self.generate())
        row = QHBoxLayout()
        row.addWidget(self.twelve)
        row.addWidget(self.twentyfour)
        row.addStretch(1)
        self.grid = SeedGrid()
        self.written = QCheckBox(self.tr("I have written the words down, in order"))
        self.written.toggled.connect(self.completeChanged)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.grid)
        layout.addWidget(
            note(
                self.tr(
                    "Anyone who sees these words can take your coins. Never type them into a "
                    "website or share a photo of them."
                )
            )
        )
        layout.addStretch(1)
        layout.addWidget(self.written)
        self.mnemonic = ""

    def initializePage(self) -> None:
        if not self.mnemonic:
            self.generate()

    def generate(self) -> None:
        self.mnemonic = generate_mnemonic(24 if self.twentyfour.isChecked() else 12)
        self.grid.set_words(self.mnemonic.split())
        self.written.setChecked(False)

    def isComplete(self) -> bool:
        return bool(self.mnemonic) and self.written.isChecked()

    def nextId(self) -> int:
        return PAGE_CONFIRM


class ConfirmSeedPage(QWizardPage):
    """Asks for three randomly chosen words back, so a mis-copied seed is caught now."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Check your copy"))
        self.setSubTitle(self.tr("Type these words from your paper copy."))
        self.form = QFormLayout()
        self.feedback = QLabel()
        self.feedback.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.feedback)
        layout.addStretch(1)
        self.positions: list[int] = []
        self.fields: list[QLineEdit] = []
        self.expected: list[str] = []

    def initializePage(self) -> None:
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        words = wizard.new_seed.mnemonic.split()
        self.expected = words
        rng = secrets.SystemRandom()
        self.positions = sorted(rng.sample(range(len(words)), CONFIRM_WORDS))
        while self.form.rowCount():
            self.form.removeRow(0)
        self.fields = []
        for position in self.positions:
            field = QLineEdit()
            field.setObjectName(f"confirm-word-{position + 1}")
            field.setCompleter(word_completer(field))
            field.textChanged.connect(self._check)
            self.form.addRow(self.tr("Word {n}:").format(n=position + 1), field)
            self.fields.append(field)
        self.feedback.clear()

    def _check(self) -> None:
        wrong = []
        for position, field in zip(self.positions, self.fields):
            typed = field.text().strip().lower()
            ok = typed == self.expected[position]
            field.setStyleSheet("" if ok or not typed or field.hasFocus() else error_field())
            if typed and not ok and not field.hasFocus():
                wrong.append(position + 1)
        self.feedback.setText(
            self.tr("Word {n} does not match your seed.").format(n=wrong[0]) if wrong else ""
        )
        self.feedback.setStyleSheet(text_style("error"))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.fields) and all(
            f.text().strip().lower() == self.expected[p]
            for p, f in zip(self.positions, self.fields)
        )

    def nextId(self) -> int:
        return PAGE_OPTIONS


class RestorePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Restore from seed words"))
        self.setSubTitle(
            self.tr(
                "Type your words in order. A few letters are enough; pick the word from the "
                "list, or paste the whole phrase into the first field."
            )
        )
        self.count = QComboBox()
        for n in VALID_WORD_COUNTS:
            self.count.addItem(self.tr("{n} words").format(n=n), n)
        self.entry = SeedEntry(12)
        self.count.currentIndexChanged.connect(
            lambda: self.entry.set_count(self.count.currentData())
        )
        self.feedback = QLabel()
        self.feedback.setWordWrap(True)
        self.feedback.setObjectName("seed-feedback")
        self.entry.changed.connect(self._changed)
        row = QHBoxLayout()
        length = QLabel(self.tr("Seed &length:"))
        length.setBuddy(self.count)
        row.addWidget(length)
        row.addWidget(self.count)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.entry)
        layout.addWidget(self.feedback)
        layout.addStretch(1)
        self._changed()

    def _changed(self) -> None:
        self.feedback.setText(self.entry.feedback)
        state = self.entry.state
        styles = {"ok": text_style("success"), "bad": text_style("error")}
        self.feedback.setStyleSheet(styles.get(state, ""))
        self.completeChanged.emit()

    @property
    def mnemonic(self) -> str | None:
        return self.entry.phrase

    def isComplete(self) -> bool:
        return self.entry.phrase is not None

    def nextId(self) -> int:
        return PAGE_OPTIONS


class OptionsPage(QWizardPage):
    """BIP39 passphrase, script type and account: the defaults suit almost everyone."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Seed options"))
        self.setSubTitle(
            self.tr("The defaults suit almost everyone. Change them only if you know you need to.")
        )
        self.use_passphrase = QCheckBox(self.tr("Use a BIP39 passphrase (a 25th word)"))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_again = QLineEdit()
        self.passphrase_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.use_passphrase.toggled.connect(self._toggle)
        self.script = QComboBox()
        for choice in ScriptChoice:
            self.script.addItem(script_label(choice), choice)
        self.account = QSpinBox()
        self.account.setRange(0, 1000)
        self.preview = QLabel()
        self.preview.setFont(monospace())
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem = QLabel()
        self.problem.setStyleSheet(text_style("error"))
        self.problem.setWordWrap(True)
        for widget in (self.passphrase, self.passphrase_again):
            widget.textChanged.connect(self._changed)
        self.script.currentIndexChanged.connect(self._changed)
        self.account.valueChanged.connect(self._changed)

        form = QFormLayout()
        form.addRow("", self.use_passphrase)
        form.addRow(self.tr("&Passphrase:"), self.passphrase)
        self.again_label = QLabel(self.tr("Passphrase &again:"))
        self.again_label.setBuddy(self.passphrase_again)
        form.addRow(self.again_label, self.passphrase_again)
        form.addRow(self.tr("Address &type:"), self.script)
        form.addRow(self.tr("A&ccount:"), self.account)
        form.addRow(self.tr("First address:"), self.preview)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(
            note(
                self.tr(
                    "A passphrase makes a different wallet from the same words: forget it and "
                    "the coins are gone. It is not stored; you will be asked for it when you pay."
                )
            )
        )
        layout.addStretch(1)
        self._toggle(False)

    def restoring(self) -> bool:
        wizard = self.wizard()
        return isinstance(wizard, SetupWizard) and wizard.start.restore.isChecked()

    def initializePage(self) -> None:
        self.passphrase_again.setVisible(not self.restoring() and self.use_passphrase.isChecked())
        self.again_label.setVisible(self.passphrase_again.isVisible())
        self._changed()

    def _toggle(self, on: bool) -> None:
        self.passphrase.setEnabled(on)
        self.passphrase_again.setEnabled(on)
        self.passphrase_again.setVisible(on and not self.restoring())
        self.again_label.setVisible(self.passphrase_again.isVisible())
        if not on:
            self.passphrase.clear()
            self.passphrase_again.clear()
        self._changed()

    def passphrase_text(self) -> str:
        return self.passphrase.text() if self.use_passphrase.isChecked() else ""

    def descriptors(self) -> AccountDescriptors | None:
        wizard = self.wizard()
        if not isinstance(wizard, SetupWizard) or wizard.mnemonic() is None:
            return None
        return seed_descriptors(
            wizard.mnemonic() or "",
            self.passphrase_text(),
            wizard.network(),
            self.script.currentData(),
            self.account.value(),
        )

    def _changed(self) -> None:
        self.problem.clear()
        wizard = self.wizard()
        if isinstance(wizard, SetupWizard) and wizard.mnemonic() is not None:
            descriptors = self.descriptors()
            assert descriptors is not None
            self.preview.setText(descriptors.first_address(wizard.network()))
        if (
            self.passphrase_again.isVisible()
            and self.passphrase_again.text()
            and self.passphrase.text() != self.passphrase_again.text()
        ):
            self.problem.setText(self.tr("The two passphrases differ."))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        if not self.use_passphrase.isChecked():
            return True
        if not self.passphrase.text():
            return False
        return not self.passphrase_again.isVisible() or (
            self.passphrase.text() == self.passphrase_again.text()
        )

    def nextId(self) -> int:
        return PAGE_PASSWORD


class WatchOnlyPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Watch a wallet"))
        self.setSubTitle(
            self.tr(
                "Paste the account's extended public key (xpub, ypub, zpub, tpub, vpub…) or an "
                "output descriptor. This wallet can see payments but not spend them."
            )
        )
        self.key = QPlainTextEdit()
        self.key.setFont(monospace())
        self.key.setPlaceholderText(
            self.tr("zpub6r… or wpkh([fingerprint/84h/0h/0h]xpub…/<0;1>/*)")
        )
        self.key.setAccessibleName(self.tr("Extended public key or descriptor"))
        self.key.setTabChangesFocus(True)
        self.key.setMaximumHeight(90)
        self.key.textChanged.connect(self._changed)
        self.script = QComboBox()
        for choice in ScriptChoice:
            self.script.addItem(script_label(choice), choice)
        self.script.currentIndexChanged.connect(self._changed)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow(self.tr("Address &type for xpub/tpub:"), self.script)
        layout = QVBoxLayout(self)
        layout.addWidget(self.key)
        layout.addLayout(form)
        layout.addWidget(self.preview)
        layout.addStretch(1)
        self.result: AccountDescriptors | None = None

    def _changed(self) -> None:
        self.result = None
        text = self.key.toPlainText().strip()
        # A SLIP-132 prefix (ypub, zpub…) or a descriptor already says the address type.
        self.script.setEnabled(not text or text[:4] in ("xpub", "tpub"))
        wizard = self.wizard()
        if text and isinstance(wizard, SetupWizard):
            try:
                self.result = watch_only_descriptors(
                    text, wizard.network(), self.script.currentData()
                )
            except PaylightError as exc:
                self.preview.setStyleSheet(text_style("error"))
                sentence = self.tr(
                    "This is not an extended public key or descriptor Paylight can read."
                )
                self.preview.setText(with_detail(sentence, str(exc)))
            else:
                self.preview.setStyleSheet("")
                address = self.result.first_address(wizard.network())
                text = self.tr("First address: {address}").format(address=f"<tt>{address}</tt>")
                if not self.result.change:
                    text += "<br>" + self.tr("(no change chain in this descriptor)")
                self.preview.setText(text)
        else:
            self.preview.clear()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.result is not None

    def nextId(self) -> int:
        return PAGE_CONNECTION


class PasswordPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Choose a password"))
        self.setSubTitle(
            self.tr(
                "It encrypts your seed on this computer, and is asked for each time you pay. "
                "It is not a backup: the seed words are."
            )
        )
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(text_style("error"))
        for field in (self.password, self.again):
            field.textChanged.connect(self._changed)
        form = QFormLayout()
        form.addRow(self.tr("&Password:"), self.password)
        form.addRow(self.tr("&Again:"), self.again)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addStretch(1)

    def _changed(self) -> None:
        problem = ""
        if self.password.text() and len(self.password.text()) < MIN_PASSWORD:
            problem = self.tr("Use at least {n} characters.").format(n=MIN_PASSWORD)
        elif self.again.text() and self.again.text() != self.password.text():
            problem = self.tr("The two passwords differ.")
        self.problem.setText(problem)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        text = self.password.text()
        return len(text) >= MIN_PASSWORD and text == self.again.text()

    def nextId(self) -> int:
        return PAGE_CONNECTION


class ConnectionPage(QWizardPage):
    """How this wallet connects (:class:`wallet.gui.connection.ConnectionChoice`): the light
    node by default on every network with peers, the playground's included; a restored or
    watched wallet's birthday, so the light node skips the blocks before it."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("How this wallet connects"))
        self.setSubTitle(self.tr("You can change this later under File → Connection…"))
        self.birthday = QComboBox()
        self.birthday.setObjectName("wallet-birthday")
        self.birthday_label = QLabel(self.tr("First &used in:"))
        self.birthday_label.setBuddy(self.birthday)
        self.choice = ConnectionChoice()
        self.choice.changed.connect(self.completeChanged)
        self.birthday.currentIndexChanged.connect(self._birthday_changed)
        row = QHBoxLayout()
        row.addWidget(self.birthday_label)
        row.addWidget(self.birthday)
        row.addStretch(1)
        content = QWidget()
        inner = QVBoxLayout(content)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(row)
        inner.addWidget(self.choice)
        inner.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(VerticalScroll(content))  # large text on a small screen scrolls
        self._network = ""

    def _wizard(self) -> SetupWizard:
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        return wizard

    def new_seed(self) -> bool:
        return self._wizard().start.create.isChecked()

    def on_playground(self) -> bool:
        return self._wizard().start.playground.isChecked()

    def initializePage(self) -> None:
        wizard = self._wizard()
        network = wizard.network()
        restoring = not self.new_seed()
        self.birthday_label.setVisible(restoring)
        self.birthday.setVisible(restoring)
        if self.birthday.count() == 0:
            self.birthday.addItem(self.tr("I don't know (check every block)"), None)
            this_year = datetime.datetime.now(datetime.UTC).year
            for year in range(this_year, 2008, -1):
                self.birthday.addItem(str(year), year)
        self.choice.core.setEnabled(not self.on_playground())
        if network.name != self._network:  # first shown, or another network chosen
            from wallet.sync.session import PEER_NETWORKS

            self._network = network.name
            with_peers = self.on_playground() or network.name in PEER_NETWORKS
            (self.choice.private if with_peers else self.choice.quick).setChecked(True)
            self.choice.private.setEnabled(with_peers)
        self._birthday_changed()

    def birth_time(self) -> int | None:
        """The wallet's birthday as a Unix time: now for a new seed; the first day of the
        year chosen for a restore (None: unknown, every block)."""
        if self.new_seed():
            return int(time.time())
        year = self.birthday.currentData()
        if year is None:
            return None
        return calendar.timegm((int(year), 1, 1, 0, 0, 0))

    def _birthday_changed(self) -> None:
        if self.wizard() is None:
            return
        network = self._wizard().network()
        birth = self.birth_time()
        height: int | None = None
        if not self.new_seed():
            height = 0
            if birth is not None and network.name == "mainnet":
                height = mainnet_height_at(birth)
        tip = None
        if self.on_playground():
            servers, peers = ["tcp://playground"], ["p2p://playground"]
            tip = 0 if height is not None else None
        else:
            servers, peers = self._network_servers(network), None
        self.choice.set_context(
            network.name, servers=servers, peers=peers, birth_height=height, tip_height=tip
        )

    @staticmethod
    def _network_servers(network: Network) -> list[str]:
        from wallet.sync.session import network_servers

        try:
            return [spec.url for spec in network_servers(network)]
        except PaylightError:
            return []

    def sources(self) -> list[str]:
        """The wallet's source list (the playground's are set when it runs: see
        :meth:`playground_mode`)."""
        return [] if self.on_playground() else self.choice.sources()

    def playground_mode(self) -> str:
        """For a playground wallet: "p2p", "servers" or "both"."""
        mode = self.choice.mode()
        if mode == "quick":
            return "servers"
        return "both" if self.choice.combine.isChecked() else "p2p"

    def isComplete(self) -> bool:
        return not self.choice.problem_text()

    def nextId(self) -> int:
        return PAGE_CREATE


class CreatePage(QWizardPage):
    """Makes the wallet off the UI thread; Finish is enabled once it exists."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Creating your wallet"))
        self.setSubTitle(
            self.tr(
                "Each wallet gets its own folder; a seed is stored there encrypted with your "
                "password."
            )
        )
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.path: Path | None = None
        self.busy = False
        self._ready_text = ""
        self.setFinalPage(True)

    def initializePage(self) -> None:
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        if self.path is not None or self.busy:
            return
        self.busy = True
        self.progress.show()
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Encrypting the seed and deriving the first addresses…"))
        try:
            job = wizard.creation_job()
        except PaylightError as exc:
            self._failed(exc)
            return
        run_task(job, on_done=self._created, on_error=self._failed)

    def _created(self, path: Path) -> None:
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        self.path = path
        descriptors = wizard.descriptors()
        address = descriptors.first_address(wizard.network()) if descriptors else ""
        text = self.tr("Your wallet “{name}” is ready.").format(name=path.name) + "<br>"
        text += self.tr("First receive address: {address}").format(address=f"<tt>{address}</tt>")
        self._ready_text = text
        if wizard.start.playground.isChecked():
            starting = self.tr("Starting the local playground and sending 1 test BTC…")
            self.message.setText(f"{text}<br>{starting}")
            run_task(start_and_fund, address, on_done=self._funded, on_error=self._fund_failed)
            return
        self._finish(text)

    def _funded(self, session: PlaygroundSession) -> None:
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        wizard.playground = session
        ends = session.endpoints
        running = self.tr(
            "The local playground is running (Electrum {electrum}, Esplora {esplora}) and sent "
            "1 test BTC to this wallet in a new block (transaction {txid})."
        ).format(
            electrum=f"<tt>{ends.get('electrum')}</tt>",
            esplora=f"<tt>{ends.get('esplora')}</tt>",
            txid=f"<tt>{session.funded_txid[:16]}…</tt>",
        )
        self._finish(f"{self._ready_text}<br>{running}")

    def _fund_failed(self, exc: BaseException) -> None:
        failed = with_detail(self.tr("The playground could not start."), error_text(exc))
        self._finish(f"{self._ready_text}<br>{failed}")

    def _finish(self, text: str) -> None:
        self.setTitle(self.tr("Your wallet is ready"))
        self.busy = False
        self.progress.hide()
        self.message.setText(text)
        self.completeChanged.emit()

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.progress.hide()
        self.message.setStyleSheet(text_style("error"))
        self.message.setText(with_detail(self.tr("The wallet was not created."), error_text(exc)))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.path is not None and not self.busy

    def cleanupPage(self) -> None:
        if not self.busy and self.path is None:
            self.message.clear()


class SetupWizard(QWizard):
    """Emits ``wallet_created`` with the new wallet folder when the user presses Finish."""

    wallet_created = Signal(Path)

    def __init__(self, parent: QWidget | None = None, *, kdf: ScryptParams | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setup-wizard")
        self.setWindowTitle(self.tr("Set up Paylight"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.kdf = kdf
        self.playground: PlaygroundSession | None = None
        self._question: QMessageBox | None = None
        self.start = StartPage()
        self.new_seed = NewSeedPage()
        self.confirm = ConfirmSeedPage()
        self.restore = RestorePage()
        self.options = OptionsPage()
        self.watch = WatchOnlyPage()
        self.signer = SignerImportPage(PAGE_CONNECTION)
        self.password = PasswordPage()
        self.connection = ConnectionPage()
        self.create = CreatePage()
        for page_id, page in (
            (PAGE_START, self.start),
            (PAGE_NEW_SEED, self.new_seed),
            (PAGE_CONFIRM, self.confirm),
            (PAGE_RESTORE, self.restore),
            (PAGE_OPTIONS, self.options),
            (PAGE_WATCH, self.watch),
            (PAGE_PASSWORD, self.password),
            (PAGE_CREATE, self.create),
            (PAGE_SIGNER, self.signer),
            (PAGE_CONNECTION, self.connection),
        ):
            self.setPage(page_id, page)
        self.setStartId(PAGE_START)
        self.resize(720, 560)

    def network(self) -> Network:
        return self.start.chosen_network()

    def wallet_name(self) -> str:
        return check_wallet_name(self.start.name.text())

    def mnemonic(self) -> str | None:
        if self.start.restore.isChecked():
            return self.restore.mnemonic
        if self.start.create.isChecked():
            return self.new_seed.mnemonic or None
        return None

    def descriptors(self) -> AccountDescriptors | None:
        if self.start.watch.isChecked():
            return self.watch.result
        if self.start.signer.isChecked():
            return self.signer.result
        return self.options.descriptors()

    def creation_job(self):
        """A callable that makes the wallet (run it off the UI thread); checks inputs now."""
        path = wallet_dir(self.wallet_name(), self.network())
        descriptors = self.descriptors()
        if descriptors is None:
            raise PaylightError(
                self.tr("The wallet's keys are not complete; go back and finish them.")
            )
        network = self.network()
        where = {"birth_time": self.connection.birth_time(), "sources": self.connection.sources()}
        if self.start.watch.isChecked() or self.start.signer.isChecked():
            return lambda: create_wallet(path, network, descriptors, **where)
        mnemonic = self.mnemonic()
        passphrase = self.options.passphrase_text()
        password = self.password.password.text()
        kdf = self.kdf

        def job() -> Path:
            return create_wallet(
                path,
                network,
                descriptors,
                mnemonic=mnemonic,
                passphrase=passphrase,
                password=password,
                kdf=kdf,
                **where,
            )

        return job

    def accept(self) -> None:
        path = self.create.path
        super().accept()
        if path is not None:
            self.new_seed.mnemonic = ""  # shown once: drop our copy
            self.wallet_created.emit(path)

    def holds_unsaved_seed(self) -> bool:
        """Seed words are in this wizard (shown, or typed in) and no wallet holds them yet:
        closing now would lose them."""
        if self.create.path is not None:
            return False
        return bool(self.new_seed.mnemonic) or any(self.restore.entry.typed())

    def reject(self) -> None:
        """Esc, Cancel or the window's close button: over seed words, ask first."""
        if self.holds_unsaved_seed():
            self._ask_to_discard()
            return
        self._discard()
        super().reject()

    def _ask_to_discard(self) -> None:
        if self._question is not None and self._question.isVisible():
            self._question.raise_()
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Stop setting up?"),
            self.tr(
                "The seed words are not saved anywhere yet. If you stop now they are gone "
                "and no wallet is made."
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("discard-seed-question")
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Stop and forget the words"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("Keep going"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(self._answered)
        self._question = box
        box.open()

    def _answered(self, result: int) -> None:
        self._question = None
        if result == QMessageBox.StandardButton.Yes:
            self._discard()
            super().reject()

    def _discard(self) -> None:
        """Drop every copy of the seed this wizard holds."""
        self.new_seed.mnemonic = ""
        self.new_seed.grid.set_words([])
        self.restore.entry.set_words([""] * len(self.restore.entry.fields))


__all__ = ["SetupWizard"]
