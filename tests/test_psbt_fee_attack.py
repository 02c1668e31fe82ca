"""The PSBT fee attack on segwit v0 amounts (issue 13, item 2; cf. CVE-2020-14199), on the
playground, whose blocks libbitcoinkernel validates.

A wallet owns two coins of 100,000 sat. The attacker's transaction spends both and pays 100,000
sat to the attacker: a real fee of 100,000 sat. It hands the signer two PSBTs of that same
transaction, each with one ``witness_utxo`` understated to 500 sat, so each review shows a fee
of 500 sat. A BIP143 signature commits to its own input's amount only, so the signature of the
truthful input from each session is valid: combined, they make a valid transaction paying the
whole 100,000 sat fee. The signer must not trust ``witness_utxo`` amounts: they come from the
wallet's own records or a ``non_witness_utxo`` whose txid matches, or signing is refused (or
done under an explicit override that says the fee is unverified). Taproot inputs commit to all
amounts (BIP341): a taproot-only PSBT signs safely.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from tests.pay_support import fund, mined_height
from tests.playground_fixture import TestKey
from wallet.account.keystore import ScryptParams
from wallet.account.psbt_amounts import AmountSource, UnverifiedAmountsError, input_amounts
from wallet.account.setup import ScriptChoice, create_from_seed
from wallet.account.signer import sign_psbt
from wallet.account.tx_builder import Recipient
from wallet.account.wallet_file import Wallet
from wallet.bitcoin.networks import REGTEST
from wallet.bitcoin.psbt import PSBT
from wallet.bitcoin.transaction import Transaction, TxIn, TxOut
from wallet.cli import main
from wallet.commands.render import psbt_lines
from wallet.payments.send import Sender, describe_psbt, export_psbt
from wallet.playground.errors import TxRejected

MNEMONIC = "legal winner thank year wave sausage worth useful legal winner thank yellow"
PASSWORD = "fee attack"
COIN = 100_000
SHOWN_FEE = 500


@pytest.fixture(scope="module")
def pg(playground_module):
    return playground_module


def _wallet(path: Path, script: ScriptChoice = ScriptChoice.P2WPKH) -> Wallet:
    made = create_from_seed(
        path, REGTEST, MNEMONIC, PASSWORD, script=script,
        kdf=ScryptParams.insecure_for_tests(), gap_limit=5,
    )  # fmt: skip
    return Wallet.open(made)


@pytest.fixture
def online(tmp_path):
    """The wallet that watches the coins (its database holds their transactions)."""
    wallet = _wallet(tmp_path / "online")
    yield wallet
    wallet.close()


@pytest.fixture
def cold(tmp_path):
    """An offline signer of the same seed: it has never seen the coins."""
    wallet = _wallet(tmp_path / "cold")
    yield wallet
    wallet.close()


def _thiefs_psbts(pg, wallet: Wallet, thief: TestKey) -> tuple[PSBT, PSBT, PSBT]:
    """The honest PSBT of the thief's transaction, and the two lying ones."""
    fund(pg, wallet, COIN, COIN)
    built = Sender(wallet).build_payment([Recipient(thief.address, COIN)], _rate())
    assert len(built.tx.inputs) == 2
    tx = Transaction(
        built.tx.version,
        [TxIn(i.prevout, sequence=i.sequence) for i in built.tx.inputs],
        [TxOut(COIN, thief.script)],  # no change: everything else is fee
        built.tx.locktime,
    )
    honest = PSBT.from_transaction(tx)
    honest.inputs = [copy.deepcopy(m) for m in built.psbt.inputs]
    liars = []
    for lie_about in (1, 0):
        psbt = honest.copy()
        for m in psbt.inputs:
            m.non_witness_utxo = None  # a signer then has only the witness_utxo to go by
        real = psbt.inputs[lie_about].witness_utxo
        psbt.inputs[lie_about].witness_utxo = TxOut(SHOWN_FEE, real.script_pubkey)
        liars.append(psbt)
    return honest, liars[0], liars[1]


def _rate():
    from wallet.bitcoin.amount import FeeRate

    return FeeRate.from_sat_per_vb(2)


def test_an_offline_signer_refuses_amounts_only_the_psbt_gives(pg, online, cold):
    thief = TestKey(b"fee thief one")
    _honest, first, second = _thiefs_psbts(pg, online, thief)
    for psbt in (first, second):
        view = describe_psbt(psbt, REGTEST)  # what `paylight psbt show` says, no wallet
        assert view.fee == SHOWN_FEE  # each review shows 500 sat...
        # ...and says it is unverified
        assert any(w.code == "fee-unverified" for w in view.warnings)
        assert [i.amount_source for i in view.inputs] == ["unverified", "unverified"]
        assert "UNVERIFIED" in "\n".join(psbt_lines(view))
        with pytest.raises(UnverifiedAmountsError, match="CVE-2020-14199"):
            sign_psbt(psbt, cold.unlock(PASSWORD), REGTEST, db=cold.db)


def test_the_override_signs_and_shows_what_it_risks(pg, online, cold):
    """With --allow-unverified-amounts the two 500-sat sessions combine into a transaction
    the kernel accepts, paying 100,000 sat: the attack is real, and the override says so."""
    thief = TestKey(b"fee thief two")
    _honest, first, second = _thiefs_psbts(pg, online, thief)
    secret = cold.unlock(PASSWORD)
    signed = [
        sign_psbt(p, secret, REGTEST, db=cold.db, allow_unverified_amounts=True)
        for p in (first, second)
    ]
    # the truthful input of each session carries a valid signature
    combined = signed[0].extract()
    combined.inputs[1].witness = signed[1].extract().inputs[1].witness
    pg.broadcast(combined)
    pg.mine(1)
    assert mined_height(pg, combined) == pg.height
    assert 2 * COIN - sum(o.value for o in combined.outputs) == COIN  # the fee actually paid
    # each lying session alone is not valid: its lie breaks the other input's signature
    with pytest.raises(TxRejected):
        pg.broadcast(signed[0].extract())


def test_the_wallet_that_holds_the_coins_catches_the_lie(pg, online):
    thief = TestKey(b"fee thief three")
    honest, first, _second = _thiefs_psbts(pg, online, thief)
    view = describe_psbt(first, REGTEST, online.db)
    assert view.inputs[1].amount_source == "contradicted" and view.fee == COIN
    assert any(w.code == "amount-contradicted" for w in view.warnings)
    secret = online.unlock(PASSWORD)
    for allow in (False, True):  # a lie is refused even under the override
        with pytest.raises(UnverifiedAmountsError, match="lies about what it spends"):
            sign_psbt(first, secret, REGTEST, db=online.db, allow_unverified_amounts=allow)
    # the same transaction with its amounts stated truly: verified by the wallet's records
    truthful = first.copy()
    truthful.inputs[1].witness_utxo = honest.inputs[1].witness_utxo
    assert {a.source for a in input_amounts(truthful, online.db)} == {AmountSource.WALLET}
    assert describe_psbt(truthful, REGTEST, online.db).fee == COIN  # the real fee shown


def test_a_full_previous_transaction_verifies_the_amount_for_an_offline_signer(pg, online, cold):
    thief = TestKey(b"fee thief four")
    honest, _first, _second = _thiefs_psbts(pg, online, thief)
    assert {a.source for a in input_amounts(honest)} == {AmountSource.NON_WITNESS_UTXO}
    view = describe_psbt(honest, REGTEST)
    assert view.fee == COIN and not any(w.code == "fee-unverified" for w in view.warnings)
    lying = honest.copy()  # a witness_utxo against its own non_witness_utxo
    lying.inputs[0].witness_utxo = TxOut(SHOWN_FEE, lying.inputs[0].witness_utxo.script_pubkey)
    with pytest.raises(UnverifiedAmountsError, match="lies"):
        sign_psbt(lying, cold.unlock(PASSWORD), REGTEST, db=cold.db)
    signed = sign_psbt(honest, cold.unlock(PASSWORD), REGTEST, db=cold.db)
    assert signed.is_complete()


def test_a_taproot_only_psbt_is_signed_safely_from_witness_utxos(pg, tmp_path):
    """BIP341 signs every input's amount: a lie makes every signature invalid."""
    online = _wallet(tmp_path / "tr-online", ScriptChoice.P2TR)
    cold = _wallet(tmp_path / "tr-cold", ScriptChoice.P2TR)
    try:
        thief = TestKey(b"fee thief five")
        honest, first, _second = _thiefs_psbts(pg, online, thief)
        assert all(m.non_witness_utxo is None for m in honest.inputs)  # taproot PSBTs omit it
        amounts = input_amounts(first)
        assert {a.source for a in amounts} == {AmountSource.TAPROOT}
        assert "BIP341" in amounts[0].label
        secret = cold.unlock(PASSWORD)
        lied = sign_psbt(first, secret, REGTEST, db=cold.db).extract()
        with pytest.raises(TxRejected):  # no signature of the lying session is valid
            pg.broadcast(lied)
        lone = Transaction.parse(honest.tx.serialize())
        lone.inputs[0].witness = lied.inputs[0].witness
        truthful = sign_psbt(honest, secret, REGTEST, db=cold.db).extract()
        lone.inputs[1].witness = truthful.inputs[1].witness
        with pytest.raises(TxRejected):  # nor can it be combined with a truthful one
            pg.broadcast(lone)
        pg.broadcast(truthful)  # the truthful one, whose real fee the review showed
        pg.mine(1)
        assert mined_height(pg, truthful) == pg.height
    finally:
        online.close()
        cold.close()


def test_cli_psbt_show_labels_each_amount_and_sign_refuses(
    pg, online, cold, tmp_path, capsys, monkeypatch
):
    thief = TestKey(b"fee thief six")
    honest, first, _second = _thiefs_psbts(pg, online, thief)
    files = {}
    for name, psbt in (("honest", honest), ("lying", first)):
        files[name] = tmp_path / f"{name}.psbt"
        files[name].write_text(export_psbt(psbt))
    online.close()  # the CLI takes the wallets' locks
    cold.close()
    monkeypatch.setenv("PAYLIGHT_PASSWORD", PASSWORD)
    capsys.readouterr()
    assert main(["psbt", "show", str(files["honest"]), "--network", "regtest"]) == 0
    shown = capsys.readouterr().out
    assert shown.count("[verified: the PSBT's full previous transaction]") == 2, shown
    assert main(["psbt", "show", str(files["lying"]), "--network", "regtest"]) == 0
    shown = capsys.readouterr().out
    assert shown.count("[UNVERIFIED: only the PSBT's witness_utxo says so]") == 2, shown
    assert "fee:       500 sat" in shown and "UNVERIFIED" in shown.split("fee:", 1)[1]
    assert main(["psbt", "show", str(files["lying"]), "--wallet", str(online.path)]) == 0
    shown = capsys.readouterr().out
    assert "CONTRADICTED" in shown and "[verified: the wallet's own record]" in shown
    assert main(["psbt", "sign", str(files["lying"]), "--wallet", str(cold.path), "--yes"]) == 1
    err = capsys.readouterr().err
    assert "CVE-2020-14199" in err and "--allow-unverified-amounts" in err
    code = main(
        ["psbt", "sign", str(files["lying"]), "--wallet", str(cold.path), "--yes",
         "--allow-unverified-amounts", "-o", str(tmp_path / "signed.psbt")]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert "UNVERIFIED" in capsys.readouterr().out  # the review it signed said so
