"""Local currency in the wallet database (issue 15): a request priced in fiat keeps its locked
rate; each transaction keeps the rate of the day it arrived; older wallet files upgrade."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest

from tests.test_wallet_db import external_outpoint, make_tx, script, txid_of
from wallet.account.database import MIGRATIONS, Chain, WalletDatabase
from wallet.account.errors import WalletDatabaseError
from wallet.bitcoin.fiat import Price, Rate, fiat_unit

CNY = Rate(fiat_unit("CNY"), Decimal("431234.56"), "mempool.space, Coinbase", 1_700_000_000)


def test_a_request_priced_in_fiat_keeps_its_locked_rate(tmp_path):
    with WalletDatabase.open(tmp_path / "w.sqlite") as db:
        address = db.add_address(Chain.RECEIVE, 0, "a", script(0, 0))
        price = Price(3500, CNY)
        request = db.add_payment_request(address.id, price.sats, label="Noodles", price=price)
        assert request.amount_sat == 8117 and request.price == price
        assert db.payment_request(request.id).price == price
        plain = db.add_payment_request(address.id, 10_000)
        assert plain.price is None
        # The bitcoin asked must be what the price costs at its rate.
        with pytest.raises(WalletDatabaseError, match="8117 satoshis, not 9000"):
            db.add_payment_request(address.id, 9000, price=price)


def test_each_transaction_keeps_the_first_rate_it_was_given(tmp_path):
    with WalletDatabase.open(tmp_path / "w.sqlite") as db:
        db.add_address(Chain.RECEIVE, 0, "a", script(0, 0))
        raw = make_tx([external_outpoint(1)], [(50_000, script(0, 0))])
        db.add_transaction(raw)
        txid = txid_of(raw)
        assert db.set_tx_rate(txid, CNY)
        later = Rate(CNY.currency, Decimal("500000"), "later", 1_800_000_000)
        assert not db.set_tx_rate(txid, later)  # the rate of the day it arrived stays
        usd = Rate(fiat_unit("USD"), Decimal("60000"), "x", 1_700_000_000)
        assert db.set_tx_rate(txid, usd)  # another currency has its own
        assert db.tx_rates("CNY") == {txid: CNY}
        assert not db.set_tx_rate(b"\x01" * 32, CNY)  # not a wallet transaction: nothing kept
        # A damaged row shows no value rather than a wrong one.
        db._conn.execute("UPDATE tx_fiat_rates SET rate = 'oops' WHERE currency = 'USD'")
        assert db.tx_rates("USD") == {}


def test_a_wallet_file_from_before_fiat_upgrades_with_its_requests(tmp_path):
    path = tmp_path / "w.sqlite"
    with WalletDatabase.open(path, migrations=MIGRATIONS[:1]) as old:
        address = old.add_address(Chain.RECEIVE, 0, "a", script(0, 0))
        conn = old._conn
        conn.execute(
            "INSERT INTO payment_requests (address_id, amount_sat, label, message, created_at, "
            "expires_at, state, updated_at) VALUES (?, 5000, 'old', '', 1, NULL, 'waiting', 1)",
            (address.id,),
        )
        assert old.schema_version == 1
    with WalletDatabase.open(path) as db:
        assert db.schema_version == len(MIGRATIONS)
        (request,) = db.payment_requests()
        assert (request.amount_sat, request.label, request.price) == (5000, "old", None)
    names = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")}
    assert "tx_fiat_rates" in names
