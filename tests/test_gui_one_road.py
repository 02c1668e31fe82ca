"""The GUI builds payments and fee bumps the way the CLI does (``payments/send.Sender``), and its
amount fields read what a person types in their own locale (issue 14).

Real Qt widgets offscreen over a real wallet folder whose coins come from a running regtest
playground; the playground's mempool (BIP125 rules checked there, blocks by libbitcoinkernel)
is the judge of whether a replacement would be accepted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QLocale, Qt

from tests.playground_fixture import TestKey, in_mempool, playground_module  # noqa: F401
from wallet.account.database import Chain, MerkleProof, TxState
from wallet.account.keystore import ScryptParams
from wallet.account.setup import create_from_seed
from wallet.account.tx_builder import Recipient
from wallet.account.wallet_file import Wallet
from wallet.bitcoin.amount import FeeRate
from wallet.bitcoin.transaction import Transaction
from wallet.gui.controller import WalletController
from wallet.gui.format import read_system_locale
from wallet.gui.main_window import MainWindow
from wallet.gui.tabs.send import ReviewDialog
from wallet.payments.send import Sender
from wallet.spv.merkle import merkle_branch, verify_branch

pytestmark = pytest.mark.gui
MNEMONIC = "abandon " * 11 + "about"
PASSWORD = "correct horse"


@pytest.fixture(scope="module")
def pg(playground_module):  # noqa: F811
    return playground_module


@pytest.fixture
def wallet(tmp_path) -> Iterator[Wallet]:
    path = create_from_seed(
        tmp_path / "shop",
        "regtest",
        MNEMONIC,
        PASSWORD,
        kdf=ScryptParams.insecure_for_tests(),
        gap_limit=5,
    )
    w = Wallet.open(path)
    try:
        yield w
    finally:
        w.close()


@pytest.fixture
def open_window(qtbot, wallet: Wallet) -> Iterator[Callable[[], MainWindow]]:
    """Opens the main window over ``wallet`` (no sync engine: plans are built, nothing
    broadcast); its controller is closed after the test, so no timer of it outlives the
    wallet."""
    opened: list[MainWindow] = []

    def open_() -> MainWindow:
        window = MainWindow(WalletController(wallet))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        opened.append(window)
        return window

    yield open_
    for window in opened:
        window.controller.close()


def store(pg, wallet: Wallet, txid_hex: str) -> bytes:
    """Put a playground transaction into the wallet's database as the chain has it: a mined one
    with its Merkle proof from the playground's block (checked here against the header), as a
    sync would store it (only proven coins are spent without naming them)."""
    with pg.lock:
        found = pg.ledger.find_tx(bytes.fromhex(txid_hex)[::-1])
    assert found is not None
    if found.block is not None:
        entry, block = found.entry, found.block
        branch = merkle_branch([t.txid for t in block.txs], entry.pos)
        verify_branch(entry.raw, branch, entry.pos, block.header)
        proof = MerkleProof(entry.height, block.hash, entry.pos, tuple(branch))
        wallet.db.add_transaction(entry.raw, state=TxState.CONFIRMED, proof=proof)
    else:
        wallet.db.add_transaction(found.entry.raw)
    return found.entry.txid


def receive_address(wallet: Wallet, index: int) -> str:
    return wallet.db.address_at(Chain.RECEIVE, index).address


def planned(qtbot, parent) -> ReviewDialog | None:
    """Wait until the review dialog opened under ``parent`` or its tab shows an error."""
    error = getattr(parent, "error", None)

    def settled() -> bool:
        return parent.findChild(ReviewDialog) is not None or bool(error and error.text())

    qtbot.waitUntil(settled, timeout=20_000)
    return parent.findChild(ReviewDialog)


# -- coin choice: someone else's unconfirmed coin is not picked automatically ------------------


def test_send_does_not_pick_someone_elses_unconfirmed_coin(qtbot, pg, wallet, open_window):
    """``Sender.coins`` skips a coin from another wallet's unconfirmed transaction (it can be
    replaced under us); the GUI picks coins through it, so a payment that only such a coin
    could cover is refused, and the coin is spent only when chosen on the Coins tab."""
    store(pg, wallet, pg.fund(receive_address(wallet, 0), 60_000, confirm=True))
    foreign_txid = store(pg, wallet, pg.fund(receive_address(wallet, 1), 200_000))
    foreign = next(o for o in wallet.db.utxos() if o.outpoint.txid == foreign_txid)
    assert foreign.state is TxState.UNCONFIRMED

    window = open_window()
    tab = window.send
    window.tabs.setCurrentWidget(tab)
    tab.pay_to.setText(TestKey(b"gui road payee").address)
    tab.amount.set_sats(100_000)
    tab.fee_rate.setValue(2.0)
    qtbot.mouseClick(tab.review_button, Qt.MouseButton.LeftButton)
    review = planned(qtbot, tab)
    if review is not None:
        assert foreign.outpoint not in review.plan.inputs, "chose an unconfirmed foreign coin"
    assert review is None and tab.error.text()

    # Chosen explicitly ("spend from" on the Coins tab), it may be spent.
    tab.error.clear()
    tab.set_coins([foreign])
    qtbot.mouseClick(tab.review_button, Qt.MouseButton.LeftButton)
    review = planned(qtbot, tab)
    assert review is not None, tab.error.text()
    assert review.plan.inputs == (foreign.outpoint,)
    review.close()


# -- fee bump: the replacement pays for the children it evicts (BIP125 rule 3) ------------------


def test_bump_pays_for_the_unconfirmed_children_it_replaces(qtbot, pg, wallet, open_window):
    """Raising the fee of a payment whose change was already spent by an unconfirmed child
    replaces both: the replacement must pay more than the two together (BIP125 rule 3, as
    ``Sender.build_bump`` does). The playground's mempool must accept what the GUI built."""
    store(pg, wallet, pg.fund(receive_address(wallet, 0), 100_000, confirm=True))
    sender = Sender(wallet)
    secret = wallet.unlock(PASSWORD)
    payee = TestKey(b"gui road bump payee")
    parent = sender.sign(
        sender.build_payment([Recipient(payee.address, 30_000)], FeeRate(1_000)), secret
    )
    pg.broadcast(parent)
    wallet.db.add_transaction(parent.serialize())
    change = next(o.outpoint for o in wallet.db.utxos() if o.outpoint.txid == parent.txid())
    child = sender.sign(
        sender.build_payment(
            [Recipient(TestKey(b"gui road child payee").address, 20_000)],
            FeeRate.from_sat_per_vb(25),
            spend_from=[change],
        ),
        secret,
    )
    pg.broadcast(child)
    wallet.db.add_transaction(child.serialize())
    evicted_fees = fee_of(pg, parent) + fee_of(pg, child)

    window = open_window()
    history = window.history
    window.tabs.setCurrentWidget(history)
    qtbot.waitUntil(lambda: any(r.record.txid == parent.txid() for r in history.model.rows))
    row = next(i for i, r in enumerate(history.model.rows) if r.record.txid == parent.txid())
    history.view.selectRow(row)
    assert history.bump_button.isEnabled()
    qtbot.mouseClick(history.bump_button, Qt.MouseButton.LeftButton)
    bump = history.bump_dialog
    bump.rate.setValue(5.0)
    qtbot.mouseClick(bump.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: history.findChild(ReviewDialog) is not None or bool(bump.error.text()),
        timeout=20_000,
    )
    review = history.findChild(ReviewDialog)
    assert review is not None, bump.error.text()
    plan = review.plan
    assert (plan.address, plan.amount_sat) == (payee.address, 30_000)
    # rule 3: more than everything replaced; rule 4: plus its own size at the relay rate
    assert plan.fee_sat >= evicted_fees + plan.vsize
    replacement = sender.sign(plan.unsigned, secret)
    pg.broadcast(replacement)  # the playground's mempool applies BIP125 rules 3-5
    assert in_mempool(pg, replacement.txid())
    assert not in_mempool(pg, parent.txid()) and not in_mempool(pg, child.txid())
    review.close()


def fee_of(pg, tx: Transaction) -> int:
    """The fee the playground's mempool computed for ``tx``."""
    with pg.lock:
        entry = pg.mempool.get(tx.txid())
    assert entry is not None
    return entry.fee


# -- amounts typed with a decimal comma ---------------------------------------------------------


@pytest.fixture(params=["en_US", "de_DE", "fr_FR", "C"])
def locale(request) -> Iterator[QLocale]:
    """The app's locale for one test (as a person's system would set it)."""
    old = QLocale()
    QLocale.setDefault(QLocale(request.param))
    try:
        yield QLocale()
    finally:
        QLocale.setDefault(old)
        read_system_locale()  # later tests format in the locale they run in


@pytest.mark.parametrize(
    ("typed", "sats"),
    [
        ("0,5", 50_000_000),
        ("0,0015", 150_000),
        ("0.5", 50_000_000),
        ("12,5", 1_250_000_000),
    ],
)
def test_send_and_receive_read_a_decimal_comma(open_window, locale, qtbot, typed, sats):
    """ "0,5" is half a bitcoin in every locale (it cannot be a thousands group), not 5 BTC."""
    window = open_window()
    send = window.send
    qtbot.keyClicks(send.amount.edit, typed)
    assert send.amount.sats() == sats

    receive = window.receive
    window.tabs.setCurrentWidget(receive)
    qtbot.keyClicks(receive.amount.edit, typed)
    qtbot.mouseClick(receive.create_button, Qt.MouseButton.LeftButton)
    assert receive.error.text() == ""
    assert receive.request is not None and receive.request.amount_sat == sats


@pytest.mark.parametrize("typed", ["1,000", "1.000", "2,500"])
def test_an_amount_that_could_mean_one_or_a_thousand_is_refused(open_window, locale, qtbot, typed):
    """ "1,000" is one bitcoin to some and a thousand to others: no request is made, and the
    sentence says how to write it."""
    window = open_window()
    receive = window.receive
    window.tabs.setCurrentWidget(receive)
    qtbot.keyClicks(receive.amount.edit, typed)
    qtbot.mouseClick(receive.create_button, Qt.MouseButton.LeftButton)
    assert receive.request is None
    assert "could mean" in receive.error.text()

    send = window.send
    window.tabs.setCurrentWidget(send)
    send.pay_to.setText(TestKey(b"gui road payee").address)
    qtbot.keyClicks(send.amount.edit, typed)
    qtbot.mouseClick(send.review_button, Qt.MouseButton.LeftButton)
    assert "could mean" in send.error.text()


# -- CPFP and cancel take the same road ---------------------------------------------------------


def plan_with(qtbot, start) -> object:
    """Run a controller ``plan_*`` call and wait for its plan (or fail with its error)."""
    got: list[object] = []
    start(got.append, got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=20_000)
    assert not isinstance(got[0], BaseException), got[0]
    return got[0]


def test_cpfp_and_cancel_from_the_controller_are_accepted_by_the_mempool(qtbot, pg, wallet):
    """The controller builds a child-pays-for-parent and a cancel through ``Sender`` too; the
    playground's mempool takes the child with its parent, and the cancel in place of both."""
    store(pg, wallet, pg.fund(receive_address(wallet, 0), 90_000, confirm=True))
    sender = Sender(wallet)
    secret = wallet.unlock(PASSWORD)
    parent = sender.sign(
        sender.build_payment(
            [Recipient(TestKey(b"gui road cpfp payee").address, 40_000)], FeeRate(1_000)
        ),
        secret,
    )
    pg.broadcast(parent)
    wallet.db.add_transaction(parent.serialize())
    controller = WalletController(wallet)
    try:
        child_plan = plan_with(
            qtbot,
            lambda done, fail: controller.plan_cpfp(
                parent.txid(), FeeRate.from_sat_per_vb(10), done, fail
            ),
        )
        assert child_plan.inputs[0].txid == parent.txid() and child_plan.change_address is None
        child = sender.sign(child_plan.unsigned, secret)
        pg.broadcast(child)
        package = fee_of(pg, parent) + fee_of(pg, child)
        assert package >= 10 * (parent.vsize() + child.vsize())
        wallet.db.add_transaction(child.serialize())

        cancel_plan = plan_with(
            qtbot,
            lambda done, fail: controller.plan_cancel(
                parent.txid(), FeeRate.from_sat_per_vb(30), done, fail
            ),
        )
        mine = {a.address for a in wallet.db.addresses()}
        assert cancel_plan.address in mine and cancel_plan.inputs == tuple(
            i.prevout for i in parent.inputs
        )
        cancel = sender.sign(cancel_plan.unsigned, secret)
        pg.broadcast(cancel)
        assert in_mempool(pg, cancel.txid())
        assert not in_mempool(pg, parent.txid()) and not in_mempool(pg, child.txid())
    finally:
        controller.close()
