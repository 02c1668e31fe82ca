"""Render every screen of the app at a realistic wallet state, in English, Chinese and Spanish,
in a light and a dark palette.

    python3 -m wallet.gui.screenshots [--out docs/screenshots] [--language zh_CN] [--palette dark]

Nothing here is mocked: a regtest playground is started in a temporary folder, a wallet is
made and paid (confirmed payments, a payment sent and confirmed, one seen in the mempool, a
frozen coin, requests waiting, paid and expired), and the real main window syncs it through
the real sync engine. Then each screen is shown and grabbed offscreen into
``<out>/<language>/<palette>/NN-name.png``. Each language and palette gets its own playground,
wallet and app state, built the same way from scratch, so all show the same wallet. The wizard
runs for real too (its playground option starts a second chain and funds the new wallet).

The last scene is the light node defending itself: both servers are told to serve wrong
Merkle proofs (the playground's ``wrong-merkle`` switch), a payment is mined, each server's
proof fails against the local headers and the server is dropped with the reason, and the
payment stays *unverified* -- a server says it is in a block, no proof has checked out.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


from PySide6.QtWidgets import QApplication, QMessageBox, QStyleFactory, QWidget

from wallet.bitcoin.networks import REGTEST, Network
from wallet.gui.theme import dark_palette, legible

MNEMONIC = "legal winner thank year wave sausage worth useful legal winner thank yellow"
PASSWORD = "screenshots only"
SHOP = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080"
#: The words the wizard's seed page shows (a BIP39 test vector: never a real wallet's).
SHOWN_SEED = "letter advice cage absurd amount doctor acoustic avoid letter advice cage above"
#: The languages photographed (wallet.gui.i18n.LANGUAGES), each in its own folder.
LANGUAGES = ("en", "zh_CN", "es")
#: Screens the merchant till is also photographed at (beside its 1100x720 shots).
TILL_SIZES = ((1024, 600), (1920, 1080))


def pump(app: QApplication, seconds: float = 0.05) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.005)


def wait_until(app: QApplication, condition: Callable[[], bool], timeout: float = 30) -> None:
    end = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > end:
            raise TimeoutError("the app did not reach the state to photograph")
        app.processEvents()
        time.sleep(0.005)


class Shooter:
    def __init__(self, app: QApplication, out: Path) -> None:
        self.app = app
        self.out = out
        self.n = 0
        self.files: list[Path] = []

    def __call__(self, widget: QWidget, name: str) -> None:
        self.app.processEvents()
        pump(self.app, 0.03)
        self.n += 1
        path = self.out / f"{self.n:02d}-{name}.png"
        widget.grab().save(str(path))
        self.files.append(path)


@dataclass
class State:
    pg: Any
    wallet: Any
    controller: Any
    window: Any


def build_state(app: QApplication, home: Path) -> State:
    """The playground, the wallet and the main window synced to a lived-in state."""
    from decimal import Decimal

    from wallet.account.keystore import ScryptParams
    from wallet.account.paths import wallet_dir
    from wallet.account.wallet_file import Wallet
    from wallet.bitcoin.amount import FeeRate
    from wallet.gui.controller import WalletController
    from wallet.gui.engine import RunnerEngine
    from wallet.gui.main_window import MainWindow
    from wallet.gui.wallet_setup import create_wallet, seed_descriptors
    from wallet.playground import Playground

    pg = Playground(home / "playground", electrum_port=0, esplora_port=0).start()
    pg.mine(140)
    path = create_wallet(
        wallet_dir("Market stall", REGTEST),
        REGTEST,
        seed_descriptors(MNEMONIC, "", REGTEST),
        mnemonic=MNEMONIC,
        password=PASSWORD,
        kdf=ScryptParams.insecure_for_tests(),
    )
    wallet = Wallet.open(path)
    servers = [f"tcp://127.0.0.1:{pg.electrum_port}", pg.esplora_url]
    from wallet.gui.rates import make_rates
    from wallet.gui.settings import AppSettings

    # the local currency (the system locale's) priced by the playground's price endpoint
    rates = make_rates(AppSettings(), REGTEST, lambda: pg.esplora_url)
    controller = WalletController(wallet, RunnerEngine(servers), rates)
    rates.refresh()
    window = MainWindow(controller)
    window.resize(1000, 680)
    window.show()
    state = State(pg, wallet, controller, window)
    wait_until(app, lambda: controller.status.phase == "idle")

    def request(amount: int | None, label: str, expires: int | None = 86_400):
        return controller.create_request(amount, label, "", expires)

    savings = request(50_000_000, "Savings")
    pg.fund(savings.address, 50_000_000)
    pg.mine(1)
    for amount, label in ((1_250_000, "Invoice 7"), (420_000, "Market day")):
        r = request(amount, label)
        pg.fund(r.address, amount)
    pg.mine(2)
    wait_until(app, lambda: controller.balance().confirmed == 51_670_000)
    # A coin kept out of automatic coin selection (before paying: the choice is then the same
    # in every run).
    market = next(c for c in controller.coins() if c.value == 420_000)
    controller.set_frozen(market.outpoint, True)
    # A payment the wallet sends, confirmed.
    # (from the savings coin: automatic selection may pick other coins in another run)
    savings_coin = next(c for c in controller.coins() if c.value == 50_000_000)
    rate = FeeRate.from_sat_per_vb(Decimal(3))
    pay(app, controller, 1_500_000, "Stall rent", rate, [savings_coin.outpoint])
    pg.mine(1)
    # A request paid but only seen in the mempool, one waiting, one expired.
    pg.mine(3)
    table = request(80_000, "Table 4")
    pg.fund(table.address, 80_000)
    request(210_000, "Coffee beans")
    old = controller.create_request(55_000, "Yesterday's order", "", 1)
    wait_until(app, lambda: controller.balance().unconfirmed == 80_000)
    wait_until(app, lambda: controller.status.phase == "idle")
    # the expiry passes; the controller's timer has the request tracker store it
    wait_until(app, lambda: controller.db.payment_request(old.id).state.value == "expired", 10)
    return state


def pay(app: QApplication, controller, amount: int, label: str, rate, coins=()) -> str:
    """Plan, sign and broadcast a payment to the shop through the controller (from ``coins``
    if given); its txid."""
    from wallet.gui.controller import PaymentDraft

    plans: list = []
    draft = PaymentDraft(SHOP, amount, rate, tuple(coins), label=label)
    controller.plan_payment(draft, plans.append, plans.append)
    wait_until(app, lambda: bool(plans))
    if isinstance(plans[0], BaseException):
        raise plans[0]
    sent: list = []
    controller.sign_and_broadcast(plans[0], PASSWORD, sent.append, sent.append)
    wait_until(app, lambda: bool(sent))
    if isinstance(sent[0], BaseException):
        raise sent[0]
    controller.set_label("tx", sent[0], label)
    return sent[0]


def account_xpub(mnemonic: str, network: Network) -> str:
    """The BIP84 account's extended public key of ``mnemonic`` (what a watch-only wallet gets)."""
    from wallet.gui.wallet_setup import seed_descriptors

    found = re.search(r"\]([a-z]pub\w+)", seed_descriptors(mnemonic, "", network).receive)
    assert found is not None
    return found.group(1)


def shoot_wizard(app: QApplication, shot: Shooter) -> None:
    """Welcome, then the wizard's three paths: a new seed (with the playground option, to the
    funded wallet), a restore, and a watch-only key."""
    from wallet.account.keystore import ScryptParams
    from wallet.gui.app import WelcomeWindow
    from wallet.gui.wizard import SetupWizard

    welcome = WelcomeWindow()
    welcome.show()
    shot(welcome, "welcome")
    welcome.close()

    def new_wizard() -> SetupWizard:
        wizard = SetupWizard(kdf=ScryptParams.insecure_for_tests())
        wizard.resize(760, 560)
        wizard.show()
        return wizard

    wizard = new_wizard()
    wizard.start.playground.setChecked(True)
    shot(wizard, "wizard-start")
    wizard.next()
    seed = wizard.new_seed
    seed.mnemonic = SHOWN_SEED  # the same words in both palettes
    seed.grid.set_words(SHOWN_SEED.split())
    shot(wizard, "wizard-seed")
    seed.written.setChecked(True)
    wizard.next()
    shot(wizard, "wizard-confirm-words")
    confirm = wizard.confirm
    for position, field in zip(confirm.positions, confirm.fields, strict=True):
        field.setText(confirm.expected[position])
    wizard.next()
    options = wizard.options
    options.use_passphrase.setChecked(True)
    options.passphrase.setText("tangerine bicycle")
    options.passphrase_again.setText("tangerine bicycle")
    options.passphrase.setFocus()
    shot(wizard, "wizard-options")
    options.use_passphrase.setChecked(False)
    wizard.next()
    wizard.password.password.setText(PASSWORD)
    wizard.password.again.setText(PASSWORD)
    wizard.password.again.setFocus()
    shot(wizard, "wizard-password")
    wizard.next()
    shot(wizard, "wizard-connection-new")  # the light node over the playground's peers
    wizard.next()  # creates the wallet, starts a playground and funds it
    wait_until(app, wizard.create.isComplete, 60)
    shot(wizard, "wizard-playground-ready")
    if wizard.playground is not None:
        wizard.playground.stop()
    wizard.close()

    wizard = new_wizard()
    wizard.start.restore.setChecked(True)
    wizard.next()
    fields = wizard.restore.entry.fields
    for field, word in zip(fields, MNEMONIC.split()[:7], strict=False):
        field.setText(word)
    fields[7].setText("sausag")
    fields[7].setFocus()
    fields[8].setFocus()
    shot(wizard, "wizard-restore")
    for field, word in zip(fields, MNEMONIC.split(), strict=False):
        field.setText(word)
    wizard.next()  # the seed options
    wizard.next()
    wizard.password.password.setText(PASSWORD)
    wizard.password.again.setText(PASSWORD)
    wizard.next()
    connection = wizard.connection
    # a mainnet wallet first used in 2019: what the light node would download to restore it
    connection.birthday.setCurrentIndex(connection.birthday.findData(2019))
    shot(wizard, "wizard-connection-restore")
    wizard.close()

    wizard = new_wizard()
    wizard.start.watch.setChecked(True)
    wizard.next()
    wizard.watch.key.setPlainText(account_xpub(MNEMONIC, wizard.network()))
    shot(wizard, "wizard-watch-only")
    wizard.close()

    wizard = new_wizard()
    wizard.start.signer.setChecked(True)
    wizard.next()
    shot(wizard, "wizard-from-a-signer")
    wizard.close()


def servers_current(state: State) -> bool:
    """The light node has the chain's tip, and every server has told it of that tip."""
    node = state.controller.engine.node_state()
    height = state.pg.height
    return node.header_height == height and all(s.tip_height == height for s in node.servers)


def node_current(window) -> bool:
    """The light-node panel lists both servers, each at the verified header height."""
    node = window.node
    height = node.height_label.text()
    rows = node.servers.rowCount()
    return rows == 2 and all(node.servers.item(r, 3).text() == height for r in range(rows))


def wait_node_shown_current(app: QApplication, state: State) -> None:
    """Until every server's tip is the chain's (Esplora's is polled) and the panel shows it."""
    wait_until(app, lambda: servers_current(state), 20)
    node = state.window.node
    node.poll()
    wait_until(app, lambda: node.height_label.text() == f"{state.pg.height:,}", 10)
    wait_until(app, lambda: node_current(state.window), 10)


def shoot_main(app: QApplication, shot: Shooter, state: State) -> None:
    from wallet.gui.format import Unit
    from wallet.gui.glossary import GlossaryDialog
    from wallet.gui.tabs.history import TxDetailsDialog
    from wallet.gui.tabs.send import ReviewDialog

    controller, window = state.controller, state.window
    window.raise_()
    tabs = window.tabs
    window.set_advanced(False)  # the first screen as a new user sees it
    tabs.setCurrentWidget(window.overview)
    shot(window, "home")
    window.overview.show_details(True)
    shot(window, "home-details")
    window.overview.show_details(False)
    glossary = GlossaryDialog(window, "rbf")
    glossary.show()
    shot(glossary, "glossary")
    glossary.close()
    window.set_advanced(True)  # Coins, Addresses, Light node
    for tab, name in (
        (window.history, "history"),
        (window.coins, "coins"),
        (window.addresses, "addresses"),
        (window.requests, "requests"),
        (window.node, "light-node"),
    ):
        tabs.setCurrentWidget(tab)
        if tab is window.node:
            wait_node_shown_current(app, state)
        shot(window, name)

    tabs.setCurrentWidget(window.history)
    rows = window.history.model.rows
    confirmed = next(r for r in rows if r.confirmations)
    details = TxDetailsDialog(controller, confirmed, Unit.BTC, window)
    details.resize(860, 620)
    details.show()
    shot(details, "history-proof-details")
    details.close()

    tabs.setCurrentWidget(window.receive)
    window.receive.amount.set_sats(125_000)
    window.receive.label.setText("Bike repair")
    window.receive.message.setText("Thanks!")
    window.receive.create_request()
    shot(window, "receive")

    tabs.setCurrentWidget(window.send)
    # paid from the savings coin's change (the largest): the later scenes' coins stay as they are
    largest = max(controller.coins(), key=lambda c: c.value)
    window.send.set_coins([largest])
    window.send.pay_to.setText(f"bitcoin:{SHOP}?amount=0.0015&label=Coffee%20stall")
    window.send.fee_rate.setValue(4.0)
    shot(window, "send")
    window.send.review()
    pump(app, 0.05)
    asked = window.send.findChild(QMessageBox, "paid-before")  # the shop was paid before
    if asked is not None:
        shot(asked, "send-paid-before")
        asked.button(QMessageBox.StandardButton.Yes).click()
    wait_until(app, lambda: window.send.findChild(ReviewDialog) is not None)
    review = window.send.findChild(ReviewDialog)
    shot(review, "send-review")
    review.password.setText(PASSWORD)  # sent for real, to the playground
    review.send_button.click()
    wait_until(app, lambda: window.send.pages.currentIndex() == 1, 30)
    shot(window, "send-sent")
    window.send.show_form()
    # the same payment as an unsigned PSBT, for a signer (Send → Create PSBT…)
    window.send.pay_to.setText(f"bitcoin:{SHOP}?amount=0.0015&label=Coffee%20stall")
    window.send.create_psbt()
    wait_until(app, lambda: getattr(window.send, "psbt_dialog", None) is not None, 30)
    pump(app, 0.3)
    shot(window.send.psbt_dialog, "psbt")
    window.send.psbt_dialog.reject()
    from wallet.gui.tools_menu import open_message

    message = open_message(window)
    pump(app, 0.1)
    shot(message, "sign-message")
    message.reject()
    dialog = window.send.open_scanner()
    pump(app, 0.3)
    shot(dialog, "send-scanner")
    dialog.reject()
    window.send.clear()
    currency = window.open_currency()
    pump(app, 0.1)
    shot(currency, "local-currency")
    currency.reject()
    dialog = window.open_connection()
    dialog.tor.setChecked(True)
    pump(app, 0.1)
    shot(dialog, "connection-tor")
    dialog.reject()


def shoot_till(app: QApplication, shot: Shooter, state: State) -> None:

    pg, window = state.pg, state.window
    till = window.open_pos(fullscreen=False)
    till.resize(1100, 720)

    def till_sizes(name: str) -> None:
        """The till also at a small tablet's and a full-HD monitor's size (it runs full-screen)."""
        for width, height in TILL_SIZES:
            till.resize(width, height)
            pump(app, 0.1)  # the new scale's fonts and sizes settle
            shot(till, f"{name}-{width}x{height}")
        till.resize(1100, 720)
        pump(app, 0.1)

    wait_until(app, lambda: till.rates.rate() is not None, 10)
    till.set_unit(till.rates.currency)  # a stall prices in its own currency
    for key in "12.50":
        till.press(key)
    shot(till, "till-keypad")
    limits = till.open_settings()
    pump(app, 0.05)
    shot(limits, "till-limits")
    limits.reject()
    till_sizes("till-keypad")
    till.charge()
    wait_until(app, lambda: till.pages.currentIndex() == 1)
    shot(till, "till-waiting")
    till_sizes("till-waiting")
    pg.fund(till.request.address, till.request.amount_sat)
    wait_until(app, lambda: till.status is not None and till.status.state.value == "seen")
    wait_until(app, lambda: bool(till.risks), 15)
    till.details_button.setChecked(True)  # the risk view, folded by default
    shot(till, "till-seen-risk")
    pg.mine(1)
    wait_until(app, lambda: bool(till.receipt_files), 15)
    shot(till, "till-confirmed")
    till_sizes("till-confirmed")
    till.receipt_qr_button.setChecked(True)
    shot(till, "till-receipt-qr")
    till_sizes("till-receipt-qr")
    till.close()


def shoot_fee_bump(app: QApplication, shot: Shooter, state: State) -> None:
    """A payment of ours still in the mempool, and the dialog that raises its fee."""
    from decimal import Decimal

    from wallet.bitcoin.amount import FeeRate

    controller, window = state.controller, state.window
    invoice = next(c for c in controller.coins() if c.value == 1_250_000)  # the same coin each run
    rate = FeeRate.from_sat_per_vb(Decimal(1))
    txid = bytes.fromhex(pay(app, controller, 250_000, "Flowers", rate, [invoice.outpoint]))[::-1]
    history = window.history
    window.tabs.setCurrentWidget(history)
    wait_until(app, lambda: any(r.record.txid == txid for r in history.model.rows))
    history.view.selectRow(
        next(i for i, r in enumerate(history.model.rows) if r.record.txid == txid)
    )
    wait_until(app, history.bump_button.isEnabled)
    dialog = history.bump_selected()
    assert dialog is not None
    wait_until(app, lambda: bool(dialog.estimate.text()), 10)  # the next-block estimate
    shot(dialog, "history-fee-bump")
    dialog.reject()


def shoot_unverified(app: QApplication, shot: Shooter, state: State) -> None:
    """Both servers serve wrong Merkle proofs: each is dropped when its proof fails, and the
    payment mined meanwhile stays unverified (shown apart on the Overview)."""
    pg, controller, window = state.pg, state.controller, state.window
    pg.mine(1)  # the fee-bump scene's payment, proven while the servers still behave
    wait_until(app, lambda: controller.balance().unconfirmed == 0, 30)
    wait_until(app, lambda: controller.status.phase == "idle")
    wait_until(app, lambda: servers_current(state), 20)
    pg.misbehave("wrong-merkle")
    stall = controller.create_request(300_000, "Flower stall", "", 86_400)
    pg.fund(stall.address, 300_000)
    wait_until(app, lambda: controller.balance().unconfirmed == 300_000, 30)
    pg.mine(1)
    wait_until(app, lambda: controller.balance().unverified == 300_000, 30)
    node = window.node
    window.tabs.setCurrentWidget(window.overview)
    wait_until(app, lambda: window.overview.unverified.amount.text() != "0.00000000 BTC", 10)
    shot(window, "overview-unverified")
    window.tabs.setCurrentWidget(node)
    node.poll()
    wait_until(app, lambda: node.dropped.rowCount() == 2, 20)
    shot(window, "light-node-dropped")
    pg.behave()


def p2p_window(app: QApplication, state: State, name: str, listeners: tuple[int, ...]):
    """A second wallet (the same seed) whose sources are the playground's P2P listeners, its
    window on the light-node panel once synced: (window, controller)."""
    from wallet.account.keystore import ScryptParams
    from wallet.account.paths import wallet_dir
    from wallet.account.setup import create_from_seed
    from wallet.account.wallet_file import Wallet
    from wallet.gui.controller import WalletController
    from wallet.gui.engine import RunnerEngine
    from wallet.gui.main_window import MainWindow

    pg = state.pg
    path = create_from_seed(
        wallet_dir(name, REGTEST),
        REGTEST,
        MNEMONIC,
        PASSWORD,
        kdf=ScryptParams.insecure_for_tests(),
        birth_height=100,
        sources=[f"p2p://127.0.0.1:{pg.p2p_ports[i]}" for i in listeners],
    )
    controller = WalletController(Wallet.open(path), RunnerEngine(retry_seconds=1.0))
    window = MainWindow(controller)
    window.resize(1000, 680)
    window.set_advanced(True)
    window.show()
    window.tabs.setCurrentWidget(window.node)
    engine = controller.engine
    wait_until(app, lambda: engine.runner is not None and engine.runner.wait_synced(0), 60)
    return window, controller


def shoot_p2p(app: QApplication, shot: Shooter, state: State) -> None:
    """The light node over the playground's P2P listeners: the peers with their services, the
    filter progress and downloads; then a peer serving wrong filter headers, dropped."""
    pg = state.pg
    window, controller = p2p_window(app, state, "Market stall P2P", (0, 1, 2))
    node = window.node
    try:
        wait_until(app, lambda: node.peers.rowCount() == 3 and bool(node.state.light), 20)
        wait_until(app, lambda: "scan" in node.state.light and node.state.light["scan"], 20)
        pump(app, 0.2)
        shot(window, "light-node-peers")
    finally:
        controller.close()
        window.close()
    # a listener serving wrong filter headers from the start: every sync compares the peers'
    # filter headers, and the block settles who lied
    pg.p2p(1).misbehave("wrong-filter-headers")
    try:
        window, controller = p2p_window(app, state, "Market stall P2P 2", (0, 1))
        node = window.node
        try:
            wait_until(app, lambda: node.dropped.rowCount() == 1 and node.peers.rowCount() == 1, 20)
            pump(app, 0.2)
            shot(window, "light-node-peer-dropped")
        finally:
            controller.close()
            window.close()
    finally:
        pg.p2p(1).behave()


def shoot_palette(
    app: QApplication, name: str, palette, out: Path, tmp: Path, language: str = "en"
) -> list[Path]:
    """Every screen in one language and palette, from a wallet state built from scratch for it."""
    from wallet.account.paths import HOME_ENV
    from wallet.gui import i18n
    from wallet.gui.format import read_system_locale

    home = tmp / language / name
    os.environ[HOME_ENV] = str(home / "home")  # its own wallets, headers and playground
    app.setPalette(palette)  # before any widget: style sheets resolve palette() when made
    i18n.translations.install(app, language)  # and its numbers and dates (QLocale)
    read_system_locale()
    target = out / language / name
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shot = Shooter(app, target)
    state = build_state(app, home)
    try:
        shoot_wizard(app, shot)
        shoot_main(app, shot, state)
        shoot_till(app, shot, state)
        shoot_fee_bump(app, shot, state)
        shoot_p2p(app, shot, state)
        shoot_unverified(app, shot, state)
    finally:
        state.controller.close()
        state.window.close()
        state.pg.stop()
    return shot.files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--palette", choices=("light", "dark"), action="append")
    parser.add_argument("--language", choices=LANGUAGES, action="append")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="paylight-shots-"))
    os.environ["PAYLIGHT_HOME"] = str(tmp / "home")
    from wallet.gui.app import create_application

    app = create_application(["paylight"], language="en")
    app.setStyle(QStyleFactory.create("Fusion"))
    # as at start-up (theme.apply_legible_palette): fields visible, secondary text readable
    palettes = {"light": legible(app.style().standardPalette()), "dark": legible(dark_palette())}
    try:
        for language in args.language or LANGUAGES:
            for name in args.palette or ("light", "dark"):
                files = shoot_palette(app, name, palettes[name], args.out, tmp, language)
                print(f"{len(files)} screenshots in {args.out / language / name}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
