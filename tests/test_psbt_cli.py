"""``paylight psbt`` on the playground: a watch-only wallet exports, the seed wallet signs.

The watch-only copy (the seed wallet's public descriptor, restored with ``restore --watch``)
builds a payment and writes the unsigned PSBT (``send --psbt-out``); ``psbt sign`` with the seed
wallet shows what it pays and signs it offline; ``psbt finalize`` gives the raw transaction;
``psbt broadcast`` sends it to the playground's Electrum and Esplora servers, and the block
mined next holds it -- the playground hands every block to libbitcoinkernel, which rejects a
bad signature. Corrupt or unsigned PSBT files fail with a sentence and exit code 1.
"""

from __future__ import annotations

import base64
import json

import pytest

from tests.psbt_cli_support import (
    PASSWORD,
    PAYEE,
    cli,
    cli_home,
    cold_and_watch_only,
    kernel_height_of,
    servers,
)
from wallet.account.keystore import ScryptParams
from wallet.account.paths import wallet_dir
from wallet.account.setup import create_from_seed
from wallet.account.wallet_file import Wallet
from wallet.bitcoin.bip39 import entropy_to_mnemonic
from wallet.bitcoin.hashes import sha256
from wallet.bitcoin.networks import REGTEST
from wallet.bitcoin.psbt import PSBT
from wallet.bitcoin.script import p2wpkh_script
from wallet.bitcoin.transaction import OutPoint, Transaction, TxIn, TxOut


@pytest.fixture(scope="module")
def pg(playground_module):
    return playground_module


@pytest.fixture
def home(tmp_path, monkeypatch):
    return cli_home(tmp_path, monkeypatch)


def test_export_sign_finalize_broadcast(pg, home, capsys, tmp_path):
    cold, first_address = cold_and_watch_only(capsys, "a")
    pg.fund(first_address, 200_000, confirm=True)
    psbt_file = tmp_path / "payment.psbt"

    # 1. the watch-only wallet builds the payment and exports it (no password, no keys)
    code, out, err = cli(
        capsys,
        "send",
        PAYEE,
        "0.0007",
        "--wallet",
        "a-watch",
        *servers(pg),
        "--fee-rate",
        "3",
        "--psbt-out",
        str(psbt_file),
        "--json",
    )
    assert code == 0, err
    review = json.loads(out)["review"]
    unsigned = psbt_file.read_text()
    assert not PSBT.from_base64(unsigned).is_complete()

    # the watch-only wallet cannot sign it
    code, _, err = cli(capsys, "psbt", "sign", str(psbt_file), "--wallet", "a-watch", "--yes")
    assert code == 1 and "watch-only" in err
    # show: what it pays and the fee, from the PSBT alone
    code, out, err = cli(capsys, "psbt", "show", str(psbt_file), "--json")
    assert code == 0, err
    shown = json.loads(out)
    assert {"address": PAYEE, "value_sat": 70_000, "own": None} in shown["outputs"]
    assert shown["fee_sat"] == review["fee_sat"] and not shown["complete"]
    assert [i["value_sat"] for i in shown["inputs"]] == [200_000]
    # finalize and broadcast refuse an unsigned PSBT, saying so
    code, _, err = cli(capsys, "psbt", "finalize", str(psbt_file))
    assert code == 1 and "not fully signed" in err and "psbt sign" in err
    code, _, err = cli(capsys, "psbt", "broadcast", str(psbt_file), *servers(pg))
    assert code == 1 and "not fully signed" in err

    # 2. the seed wallet signs it: the review names the payee, the amount and the fee
    code, out, err = cli(capsys, "psbt", "sign", str(psbt_file), "--wallet", cold, "--yes")
    assert code == 0, err
    assert f"0.0007 BTC (70,000 sat) to {PAYEE}" in out
    assert f"fee:       {review['fee_sat']:,} sat" in out and "(yours: change)" in out
    signed = PSBT.from_base64(psbt_file.read_text())
    assert signed.is_complete() and signed.tx.txid() == PSBT.from_base64(unsigned).tx.txid()
    # signing it again is refused (it is complete)
    code, _, err = cli(capsys, "psbt", "sign", str(psbt_file), "--wallet", cold, "--yes")
    assert code == 1 and "already signed" in err

    # 3. finalize: the raw transaction
    hex_file = tmp_path / "payment.hex"
    code, out, err = cli(capsys, "psbt", "finalize", str(psbt_file), "-o", str(hex_file))
    assert code == 0, err
    tx = Transaction.from_hex(hex_file.read_text().strip())
    code, out, _ = cli(capsys, "psbt", "finalize", str(psbt_file))
    assert out.strip() == tx.serialize().hex()
    assert tx.outputs[[o.value for o in tx.outputs].index(70_000)].value == 70_000

    # 4. broadcast to every server (no wallet needed), then mined and accepted by the kernel
    code, out, err = cli(capsys, "psbt", "broadcast", str(hex_file), *servers(pg), "--json")
    assert code == 0, err
    sent = json.loads(out)
    assert sent["txid"] == tx.txid_hex and sent["accepted_by"]
    # both playground servers share one mempool; the second answers the txid, as Core does
    assert len(sent["accepted_by"]) == 2 and not sent["refused_by"], sent
    with pg.lock:
        found = pg.ledger.find_tx(tx.txid())
    assert found is not None and found.block is None  # in the mempool
    pg.mine(1)
    assert kernel_height_of(pg, tx.txid_hex) == pg.height

    # the watch-only wallet sees its payment confirmed after a sync
    code, out, err = cli(
        capsys, "history", "--sync", "--wallet", "a-watch", *servers(pg), "--json"
    )
    assert code == 0, err
    (entry,) = [t for t in json.loads(out) if t["txid"] == tx.txid_hex]
    assert entry["state"] == "confirmed" and entry["fee"] == review["fee_sat"]


def test_broadcast_a_signed_psbt_through_the_wallet(pg, home, capsys, tmp_path):
    """``broadcast FILE --wallet``: the wallet's servers, and the wallet records it at once."""
    cold, first_address = cold_and_watch_only(capsys, "b")
    pg.fund(first_address, 90_000, confirm=True)
    psbt_file = tmp_path / "b.psbt"
    signed_file = tmp_path / "b-signed.psbt"
    common = ["--wallet", "b-watch", *servers(pg)]
    code, _, err = cli(
        capsys, "send", PAYEE, "40000sat", *common, "--fee-rate", "2", "--psbt-out", str(psbt_file)
    )
    assert code == 0, err
    code, _, err = cli(
        capsys, "psbt", "sign", str(psbt_file), "--wallet", cold, "--yes", "-o", str(signed_file)
    )
    assert code == 0, err
    assert not PSBT.from_base64(psbt_file.read_text()).is_complete()  # -o left it as it was
    code, out, err = cli(capsys, "psbt", "broadcast", str(signed_file), *common, "--json")
    assert code == 0, err
    txid = json.loads(out)["txid"]
    with Wallet.open(wallet_dir("b-watch", REGTEST)) as wallet:
        record = wallet.db.transaction_record(bytes.fromhex(txid)[::-1])
        assert record is not None and record.state.value == "unconfirmed"
    pg.mine(1)
    assert kernel_height_of(pg, txid) == pg.height


def test_corrupt_psbt_files_are_refused(home, capsys, tmp_path):
    cold = create_from_seed(
        wallet_dir("c", REGTEST),
        REGTEST,
        entropy_to_mnemonic(sha256(b"psbt corrupt")[:16]),
        PASSWORD,
        kdf=ScryptParams.insecure_for_tests(),
    )
    unsigned = Transaction(
        2,
        [TxIn(OutPoint(sha256(b"a coin"), 0), b"")],
        [TxOut(50_000, p2wpkh_script(bytes(20)))],
        0,
    )
    good = PSBT.from_transaction(unsigned).serialize()
    assert PSBT.parse(good).tx.txid() == unsigned.txid()
    cases = {
        "garbage.psbt": b"this is not a psbt\n",
        "truncated.psbt": base64.b64encode(good[: len(good) // 2]) + b"\n",
        "binary-truncated.psbt": good[:-3],
        "badmagic.psbt": b"psbu" + good[4:],
        "bad-length.psbt": good[:7] + b"\xfd\xff\xff" + good[8:],  # tx longer than the file
        "empty.psbt": b"",
    }
    for name, blob in cases.items():
        path = tmp_path / name
        path.write_bytes(blob)
        for argv in (
            ["psbt", "show", str(path)],
            ["psbt", "finalize", str(path)],
            ["psbt", "sign", str(path), "--wallet", str(cold), "--yes"],
            ["psbt", "broadcast", str(path), "--server", "tcp://127.0.0.1:1"],
        ):
            code, out, err = cli(capsys, *argv)
            assert code == 1, (name, argv, out, err)
            assert err.startswith("paylight: error: ") and str(path) in err, (name, err)
            assert "Traceback" not in err
            assert len(err.strip().splitlines()) == 1, err
    code, _, err = cli(capsys, "psbt", "show", str(tmp_path / "missing.psbt"))
    assert code == 1 and "cannot read" in err
