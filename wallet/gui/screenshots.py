"""Render every screen of the app at a realistic wallet state, in a light and a dark palette.

    python3 -m wallet.gui.screenshots [--out docs/screenshots]

Nothing here is mocked: a regtest playground is started in a temporary folder, a wallet is
made and paid (confirmed payments, a payment sent and confirmed, one seen in the mempool,
requests waiting, paid and expired), and the real main window syncs it through the real sync
engine. Then each screen is shown and grabbed offscreen into ``<out>/<palette>/NN-name.png``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

MNEMONIC = "legal winner thank year wave sausage worth useful legal winner thank yellow"
PASSWORD = "screenshots only"
SHOP = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080"
#: Screens the merchant till is also photographed at (beside its 1100x720 shots).
TILL_SIZES = ((1024, 600), (1920, 1080))


def dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor(37, 38, 41), QColor(27, 28, 30), QColor(230, 230, 230)
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: QColor(44, 45, 48),
        QPalette.ColorRole.ToolTipBase: window,
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor(50, 52, 56),
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor(255, 90, 90),
        QPalette.ColorRole.Link: QColor(110, 170, 255),
        QPalette.ColorRole.Highlight: QColor(45, 108, 223),
        QPalette.ColorRole.HighlightedText: QColor(255, 255, 255),
        QPalette.ColorRole.PlaceholderText: QColor(160, 160, 165),
        QPalette.ColorRole.Mid: QColor(80, 82, 88),
        QPalette.ColorRole.Midlight: QColor(70, 72, 76),
        QPalette.ColorRole.Dark: QColor(20, 20, 22),
        QPalette.ColorRole.Light: QColor(90, 92, 96),
        QPalette.ColorRole.Shadow: QColor(0, 0, 0),
    }
    for role, colour in roles.items():
        p.setColor(role, colour)
    grey = QColor(120, 120, 125)
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.WindowText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, grey)
    return p


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


def build_state(app: QApplication, home: Path):
    """The playground, the wallet and the main window synced to a lived-in state."""
    from wallet.account.keystore import ScryptParams
    from wallet.account.paths import wallet_dir
    from wallet.account.wallet_file import Wallet
    from wallet.gui.controller import PaymentDraft, WalletController
    from wallet.gui.engine import RunnerEngine
    from wallet.gui.main_window import MainWindow
    from wallet.gui.wallet_setup import create_wallet, seed_descriptors
    from wallet.playground import Playground

    pg = Playground(home / "playground", electrum_port=0, esplora_port=0).start()
    pg.mine(140)
    path = create_wallet(
        wallet_dir("Market stall", "regtest"),
        "regtest",
        seed_descriptors(MNEMONIC, "", "regtest"),
        mnemonic=MNEMONIC,
        password=PASSWORD,
        kdf=ScryptParams.insecure_for_tests(),
    )
    wallet = Wallet.open(path)
    servers = [f"tcp://127.0.0.1:{pg.electrum_port}", pg.esplora_url]
    engine = RunnerEngine(servers)
    controller = WalletController(wallet, engine)
    window = MainWindow(controller)
    window.resize(1000, 680)
    window.show()
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
    # A payment the wallet sends, confirmed.
    from decimal import Decimal

    from wallet.account.fees import FeeRate

    plans: list = []
    controller.plan_payment(
        PaymentDraft(SHOP, 1_500_000, FeeRate.from_sat_per_vb(Decimal(3)), label="Stall rent"),
        plans.append,
        lambda exc: plans.append(exc),
    )
    wait_until(app, lambda: bool(plans))
    sent: list = []
    controller.sign_and_broadcast(plans[0], PASSWORD, sent.append, sent.append)
    wait_until(app, lambda: bool(sent))
    controller.set_label("tx", sent[0], "Stall rent, March")
    pg.mine(1)
    # A request paid but only seen in the mempool, one waiting, one expired.
    pg.mine(3)
    table = request(80_000, "Table 4")
    pg.fund(table.address, 80_000)
    request(210_000, "Coffee beans")
    old = controller.create_request(55_000, "Yesterday's order", "", 1)
    wait_until(app, lambda: controller.balance().unconfirmed == 80_000)
    wait_until(app, lambda: controller.status.phase == "idle")
    pump(app, 1.5)  # the expiry passes; the tracker stores it
    return [pg, wallet, controller, window, old]


def shoot_all(app: QApplication, out: Path, state, palette_name: str) -> list[Path]:
    from wallet.gui.app import WelcomeWindow
    from wallet.gui.format import Unit
    from wallet.gui.main_window import MainWindow
    from wallet.gui.tabs.history import TxDetailsDialog
    from wallet.gui.tabs.send import ReviewDialog
    from wallet.gui.wizard import SetupWizard

    pg, _wallet, controller, first_window, _old = state
    first_window.close()  # widgets resolve palette() in style sheets when made: make them anew
    window = MainWindow(controller)
    window.resize(1000, 680)
    window.show()
    if controller.balance().unconfirmed == 0:  # the last palette's till mined the pending one
        pending = controller.create_request(80_000, "Table 4", "", 86_400)
        pg.fund(pending.address, 80_000)
        wait_until(app, lambda: controller.balance().unconfirmed == 80_000)
    out.mkdir(parents=True, exist_ok=True)
    shot = Shooter(app, out)

    welcome = WelcomeWindow()
    welcome.show()
    shot(welcome, "welcome")
    welcome.close()

    wizard = SetupWizard()
    wizard.resize(760, 560)
    wizard.show()
    wizard.start.playground.setChecked(True)
    shot(wizard, "wizard-start")
    wizard.next()
    shot(wizard, "wizard-seed")
    wizard.new_seed.written.setChecked(True)
    wizard.next()
    shot(wizard, "wizard-confirm-words")
    wizard.close()
    wizard = SetupWizard()
    wizard.resize(760, 560)
    wizard.show()
    wizard.start.restore.setChecked(True)
    wizard.next()
    for field, word in zip(wizard.restore.entry.fields, MNEMONIC.split()[:7], strict=False):
        field.setText(word)
    wizard.restore.entry.fields[7].setText("sausag")
    wizard.restore.entry.fields[7].setFocus()
    wizard.restore.entry.fields[8].setFocus()
    shot(wizard, "wizard-restore")
    wizard.close()

    window.raise_()
    tabs = window.tabs
    for tab, name in (
        (window.overview, "overview"),
        (window.history, "history"),
        (window.coins, "coins"),
        (window.addresses, "addresses"),
        (window.requests, "requests"),
        (window.node, "light-node"),
    ):
        tabs.setCurrentWidget(tab)
        if tab is window.node:
            node = window.node
            node.poll()
            wait_until(app, lambda n=node: n.servers.rowCount() == 2)
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
    window.send.pay_to.setText(f"bitcoin:{SHOP}?amount=0.0015&label=Coffee%20stall")
    window.send.fee_rate.setValue(4.0)
    shot(window, "send")
    window.send.review()
    wait_until(app, lambda: window.send.findChild(ReviewDialog) is not None)
    review = window.send.findChild(ReviewDialog)
    shot(review, "send-review")
    review.reject()
    dialog = window.send.open_scanner()
    pump(app, 0.3)
    shot(dialog, "send-scanner")
    dialog.reject()
    window.send.clear()

    till = window.open_pos(fullscreen=False)
    till.resize(1100, 720)

    def till_sizes(name: str) -> None:
        """The till also at a small tablet's and a full-HD monitor's size (it runs full-screen)."""
        for width, height in TILL_SIZES:
            till.resize(width, height)
            shot(till, f"{name}-{width}x{height}")
        till.resize(1100, 720)

    for key in "48000" if till.unit is Unit.SAT else "0.00048":
        till.press(key)
    shot(till, "till-keypad")
    till_sizes("till-keypad")
    till.charge()
    wait_until(app, lambda: till.pages.currentIndex() == 1)
    shot(till, "till-waiting")
    till_sizes("till-waiting")
    pg.fund(till.request.address, till.request.amount_sat)
    wait_until(app, lambda: till.status is not None and till.status.state.value == "seen")
    wait_until(app, lambda: bool(till.risks), 15)
    shot(till, "till-seen-risk")
    pg.mine(1)
    wait_until(app, lambda: bool(till.receipt_files), 15)
    shot(till, "till-confirmed")
    till_sizes("till-confirmed")
    till.receipt_qr_button.setChecked(True)
    shot(till, "till-receipt-qr")
    till_sizes("till-receipt-qr")
    till.close()
    tabs.setCurrentWidget(window.overview)
    state[3] = window
    return shot.files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="paylight-shots-"))
    os.environ["PAYLIGHT_HOME"] = str(tmp / "home")
    from wallet.gui.app import create_application

    app = create_application(["paylight"])
    app.setStyle(QStyleFactory.create("Fusion"))
    light = app.style().standardPalette()
    state = None
    try:
        app.setPalette(light)
        state = build_state(app, tmp)
        for name, palette in (("light", light), ("dark", dark_palette())):
            app.setPalette(palette)
            target = args.out / name
            if target.exists():
                shutil.rmtree(target)
            files = shoot_all(app, target, state, name)
            print(f"{len(files)} screenshots in {target}")
    finally:
        if state is not None:
            pg, _wallet, controller, window, _old = state
            controller.close()
            window.close()
            pg.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
