"""The wallet database on real SQLite files: schema invariants, trust states, balances per state,
reorgs, replacements, migrations, and crash safety under SIGKILL of a real writer process."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from wallet.account.database import (
    MIGRATIONS,
    SCHEMA_VERSION,
    Balance,
    Chain,
    MerkleProof,
    Migration,
    RequestState,
    ServerStatus,
    TxState,
    WalletDatabase,
)
from wallet.account.errors import WalletDatabaseError
from wallet.bitcoin.hashes import sha256, sha256d
from wallet.bitcoin.script import p2wpkh_script
from wallet.bitcoin.transaction import OutPoint, Transaction, TxIn, TxOut
from wallet.spv.merkle import merkle_branch, merkle_root

REPO = Path(__file__).resolve().parents[1]
FOREIGN = p2wpkh_script(b"\xee" * 20)  # someone else's script


def script(chain: int, index: int) -> bytes:
    return p2wpkh_script(hashlib.sha256(f"{chain}/{index}".encode()).digest()[:20])


def external_outpoint(n: int) -> OutPoint:
    return OutPoint(sha256d(f"outside {n}".encode()), 0)


def make_tx(inputs: list[OutPoint], outputs: list[tuple[int, bytes]], locktime: int = 0) -> bytes:
    tx = Transaction(2, [TxIn(p) for p in inputs], [TxOut(v, s) for v, s in outputs], locktime)
    return tx.serialize()


def txid_of(raw: bytes) -> bytes:
    return Transaction.parse(raw).txid()


def proof_for(raw: bytes, height: int, others: int = 3, position: int = 1) -> MerkleProof:
    """A real branch for ``raw`` in a block of made-up neighbours."""
    leaves = [sha256d(f"neighbour {height} {i}".encode()) for i in range(others)]
    leaves.insert(position, txid_of(raw))
    root = merkle_root(leaves)
    return MerkleProof(height, sha256d(root + bytes([height % 256])), position,
                       tuple(merkle_branch(leaves, position)))  # fmt: skip


@pytest.fixture
def db(tmp_path):
    database = WalletDatabase.open(tmp_path / "wallet.sqlite")
    database.add_addresses(
        (Chain(c), i, f"addr-{c}-{i}", script(c, i)) for c in (0, 1) for i in range(5)
    )
    yield database
    database.close()


def run_python(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=REPO,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# -- the connection ---------------------------------------------------------------------------


def test_pragmas_and_schema(tmp_path):
    path = tmp_path / "wallet.sqlite"
    with WalletDatabase.open(path, busy_timeout_ms=1234) as db:
        conn = db._conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 1234
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert db.schema_version == SCHEMA_VERSION == len(MIGRATIONS)
        assert db.integrity_check() == "ok"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"addresses", "transactions", "txos", "txins", "labels", "payment_requests"} <= tables
    assert {"servers", "settings"} <= tables
    assert "headers" not in tables  # the light node keeps its own header store
    # A second open of an up-to-date file applies nothing.
    with WalletDatabase.open(path) as again:
        assert again.migrate() == []


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "wallet.sqlite"
    path.write_bytes(os.urandom(8192))
    before = path.read_bytes()
    with pytest.raises(WalletDatabaseError, match="damaged or not a database"):
        WalletDatabase.open(path)
    assert path.read_bytes() == before
    with pytest.raises(WalletDatabaseError, match="missing"):
        WalletDatabase.open(tmp_path / "absent.sqlite", create=False)


# -- addresses --------------------------------------------------------------------------------


def test_addresses(db):
    a = db.address_at(Chain.RECEIVE, 3)
    assert a is not None and a.script_pubkey == script(0, 3) and a.address == "addr-0-3"
    assert a.script_hash == sha256(script(0, 3))
    assert a.electrum_script_hash == sha256(script(0, 3))[::-1].hex()
    assert db.address_by_script(script(1, 2)).index == 2
    assert db.address_by_script_hash(a.script_hash) == a
    assert db.add_address(Chain.RECEIVE, 3, "addr-0-3", script(0, 3)) == a  # idempotent
    with pytest.raises(WalletDatabaseError, match="descriptors changed"):
        db.add_address(Chain.RECEIVE, 3, "other", script(9, 9))
    with pytest.raises(WalletDatabaseError, match="refused"):
        db.add_address(Chain.RECEIVE, 7, "dup", script(0, 1))  # one script, one address
    assert [x.index for x in db.addresses(Chain.CHANGE)] == [0, 1, 2, 3, 4]
    assert (
        db.highest_index(Chain.RECEIVE) == 4
        and db.highest_index(Chain.RECEIVE, used_only=True) is None
    )
    db.set_address_status(a.id, "abc")
    assert db.address_at(Chain.RECEIVE, 3).used and db.address_at(Chain.RECEIVE, 3).status == "abc"
    assert db.first_unused(Chain.RECEIVE).index == 0
    assert db.highest_index(Chain.RECEIVE, used_only=True) == 3


# -- transactions and states ------------------------------------------------------------------


def test_add_transaction_computes_txid_and_matches_outputs(db):
    raw = make_tx(
        [external_outpoint(1)], [(50_000, script(0, 0)), (7, FOREIGN), (900, script(1, 4))]
    )
    record = db.add_transaction(raw, first_seen=1000)
    assert record.txid == txid_of(raw) and record.raw == raw
    assert record.state is TxState.UNCONFIRMED and record.height is None and record.proof is None
    assert record.first_seen == 1000
    outputs = db.outputs()
    assert [(o.outpoint.vout, o.value, o.chain, o.index) for o in outputs] == [
        (0, 50_000, Chain.RECEIVE, 0),
        (2, 900, Chain.CHANGE, 4),
    ]
    assert db.address_at(Chain.RECEIVE, 0).used and db.address_at(Chain.CHANGE, 4).used
    assert not db.address_at(Chain.RECEIVE, 1).used
    assert db.add_transaction(raw) == record  # adding again changes nothing
    assert "raw" not in repr(record).split("txid")[0] and repr(record).count("raw=") == 0


def test_outputs_to_addresses_derived_later_are_found_when_the_tx_comes_again(db):
    raw = make_tx([external_outpoint(2)], [(1000, script(0, 0)), (2000, script(0, 30))])
    db.add_transaction(raw)
    assert [o.value for o in db.outputs()] == [1000]
    db.add_address(Chain.RECEIVE, 30, "addr-0-30", script(0, 30))
    db.add_transaction(raw)
    assert sorted(o.value for o in db.outputs()) == [1000, 2000]


def test_refuses_bad_raw_transactions(db):
    with pytest.raises(WalletDatabaseError, match="does not parse"):
        db.add_transaction(b"\x02\x00\x00\x00garbage")
    # A well-formed 64-byte transaction could pose as an inner Merkle node: refused.
    raw64 = make_tx([external_outpoint(3)], [(1, b"\x51\x51\x51\x51")])
    assert len(raw64) == 64
    with pytest.raises(WalletDatabaseError, match="64-byte"):
        db.add_transaction(raw64)
    assert db.transactions() == []


def test_state_transitions_carry_exactly_their_data(db):
    raw = make_tx([external_outpoint(4)], [(5000, script(0, 1))])
    txid = db.add_transaction(raw).txid
    with pytest.raises(WalletDatabaseError, match="height claimed"):
        db.set_tx_state(txid, TxState.UNVERIFIED)
    with pytest.raises(WalletDatabaseError, match="Merkle proof"):
        db.set_tx_state(txid, TxState.CONFIRMED, height=10)
    with pytest.raises(WalletDatabaseError, match="no height"):
        db.set_tx_state(txid, TxState.UNCONFIRMED, height=10)
    db.set_tx_state(txid, TxState.UNVERIFIED, height=10)
    assert db.transaction_record(txid).height == 10
    proof = proof_for(raw, 10)
    with pytest.raises(WalletDatabaseError, match="only with a confirmed"):
        db.set_tx_state(txid, TxState.UNVERIFIED, height=10, proof=proof)
    db.set_tx_state(txid, TxState.CONFIRMED, proof=proof)
    stored = db.transaction_record(txid)
    assert stored.state is TxState.CONFIRMED and stored.proof == proof
    assert stored.verified_at is not None and stored.height == 10
    # The stored branch is the real one: it leads from the txid to the block's Merkle root.
    node, index = txid, stored.proof.position
    for sibling in stored.proof.branch:
        node = sha256d(sibling + node) if index & 1 else sha256d(node + sibling)
        index >>= 1
    leaves = [sha256d(f"neighbour 10 {i}".encode()) for i in range(3)]
    leaves.insert(1, txid)
    assert node == merkle_root(leaves)
    with pytest.raises(WalletDatabaseError, match="No transaction"):
        db.set_tx_state(b"\x00" * 32, TxState.UNCONFIRMED)


def test_the_schema_itself_refuses_a_confirmed_row_without_proof(db):
    raw = make_tx([external_outpoint(5)], [(5000, script(0, 1))])
    txid = db.add_transaction(raw).txid
    conn = db._conn
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "UPDATE transactions SET state = 'confirmed', height = 5 WHERE txid = ?", (txid,)
        )
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE transactions SET merkle_branch = ? WHERE txid = ?", (b"\0" * 32, txid))
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE transactions SET state = 'mined' WHERE txid = ?", (txid,))
    with pytest.raises(sqlite3.IntegrityError):  # foreign key: outputs need their transaction
        conn.execute(
            "INSERT INTO txos (txid, vout, value, script_pubkey, address_id) VALUES (?,0,1,?,1)",
            (b"\x01" * 32, b""),
        )
    assert db.transaction_record(txid).state is TxState.UNCONFIRMED


def _wallet_history(db):
    """Four receipts in four states, and a pending payment from a confirmed coin."""
    r_conf = make_tx([external_outpoint(10)], [(100_000, script(0, 0))])
    r_unver = make_tx([external_outpoint(11)], [(20_000, script(0, 1))])
    r_unconf = make_tx([external_outpoint(12)], [(3_000, script(0, 2))])
    r_old = make_tx([external_outpoint(13)], [(400_000, script(0, 3))])
    db.add_transaction(r_old, state=TxState.CONFIRMED, proof=proof_for(r_old, 90))
    db.add_transaction(r_conf, state=TxState.CONFIRMED, proof=proof_for(r_conf, 100))
    db.add_transaction(r_unver, state=TxState.UNVERIFIED, height=105)
    db.add_transaction(r_unconf)
    # Pay 60,000 to someone from the 100,000 coin, 39,000 change back, 1,000 fee; unconfirmed.
    pay = make_tx([OutPoint(txid_of(r_conf), 0)], [(60_000, FOREIGN), (39_000, script(1, 0))])
    db.add_transaction(pay)
    return {"conf": r_conf, "unver": r_unver, "unconf": r_unconf, "old": r_old, "pay": pay}


def test_balance_is_split_by_state_and_never_summed(db):
    txs = _wallet_history(db)
    balance = db.balance()
    # confirmed: 400,000 + 100,000 received and verified; the spend of the 100,000 is pending.
    assert balance == Balance(confirmed=500_000, unverified=20_000, unconfirmed=3_000 - 61_000)
    assert set(Balance.__dataclass_fields__) == {
        "confirmed",
        "unverified",
        "unconfirmed",
        "immature",  # proven mining rewards under 100 confirmations: not in confirmed
    }
    assert not hasattr(balance, "total")
    # The payment gets mined and verified: its spend and change move to confirmed.
    db.set_tx_state(txid_of(txs["pay"]), TxState.CONFIRMED, proof=proof_for(txs["pay"], 106))
    assert db.balance() == Balance(confirmed=439_000, unverified=20_000, unconfirmed=3_000)


def test_utxos(db):
    txs = _wallet_history(db)
    utxos = db.utxos()
    assert sorted(u.value for u in utxos) == [3_000, 20_000, 39_000, 400_000]
    assert all(u.spent_by is None for u in utxos)
    assert [u.value for u in db.utxos([TxState.CONFIRMED])] == [400_000]
    spent = [o for o in db.outputs() if o.spent_by is not None]
    assert [(o.value, o.spent_by, o.spent_state) for o in spent] == [
        (100_000, txid_of(txs["pay"]), TxState.UNCONFIRMED)
    ]
    old = OutPoint(txid_of(txs["old"]), 0)
    db.set_frozen(old, True)
    assert [u.frozen for u in db.utxos([TxState.CONFIRMED])] == [True]
    assert db.utxos([TxState.CONFIRMED], include_frozen=False) == []
    with pytest.raises(WalletDatabaseError, match="no output"):
        db.set_frozen(OutPoint(b"\x00" * 32, 0), True)


def test_reorg_moves_confirmed_transactions_back(db):
    txs = _wallet_history(db)
    moved = db.mark_reorg(95)
    assert moved == [txid_of(txs["conf"])]
    record = db.transaction_record(txid_of(txs["conf"]))
    assert record.state is TxState.UNVERIFIED and record.proof is None and record.height == 100
    assert db.transaction_record(txid_of(txs["old"])).state is TxState.CONFIRMED
    assert db.balance() == Balance(confirmed=400_000, unverified=120_000, unconfirmed=-58_000)
    assert db.mark_reorg(95) == []  # nothing confirmed above 95 any more
    # The transaction is found again in the new chain and its new proof checked.
    db.set_tx_state(txid_of(txs["conf"]), TxState.CONFIRMED, proof=proof_for(txs["conf"], 97))
    assert db.transaction_record(txid_of(txs["conf"])).height == 97
    assert db.balance().confirmed == 500_000


def test_rbf_replacement_and_conflicts(db):
    txs = _wallet_history(db)
    coin = OutPoint(txid_of(txs["conf"]), 0)
    bump = make_tx([coin], [(60_000, FOREIGN), (38_000, script(1, 1))], locktime=1)
    db.add_transaction(bump)
    # Both spends are live until sync learns which one won: the coin is counted spent once.
    assert db.conflicts() == {coin: sorted([txid_of(txs["pay"]), txid_of(bump)])}
    assert db.balance().unconfirmed == 3_000 + 39_000 + 38_000 - 100_000
    db.set_tx_state(txid_of(txs["pay"]), TxState.REPLACED, replaced_by=txid_of(bump))
    assert db.conflicts() == {}
    assert db.balance() == Balance(confirmed=500_000, unverified=20_000, unconfirmed=-59_000)
    assert sorted(u.value for u in db.utxos([TxState.UNCONFIRMED])) == [3_000, 38_000]
    assert db.transaction_record(txid_of(txs["pay"])).replaced_by == txid_of(bump)
    assert db.remove_transaction(txid_of(txs["pay"]))
    assert db.transaction_record(txid_of(txs["pay"])) is None
    assert db.balance().unconfirmed == -59_000


def test_history_order(db):
    txs = _wallet_history(db)
    order = [r.txid for r in db.transactions()]
    expected = [txs[k] for k in ("old", "conf", "unver", "unconf", "pay")]
    assert order[:3] == [txid_of(r) for r in expected[:3]]
    assert set(order[3:]) == {txid_of(r) for r in expected[3:]}
    assert [r.txid for r in db.transactions(TxState.UNVERIFIED)] == [txid_of(txs["unver"])]


# -- atomic transactions ----------------------------------------------------------------------


def test_a_failed_transaction_writes_nothing(db):
    raw = make_tx([external_outpoint(20)], [(1_000, script(0, 4))])
    with pytest.raises(RuntimeError), db.transaction():
        db.add_transaction(raw)
        db.set_setting("tip", 123)
        raise RuntimeError("interrupted")
    assert db.transactions() == [] and db.get_setting("tip") is None
    assert not db.address_at(Chain.RECEIVE, 4).used
    # Nested: the inner block rolls back alone.
    with db.transaction():
        db.set_setting("outer", 1)
        with pytest.raises(RuntimeError), db.transaction():
            db.set_setting("inner", 2)
            raise RuntimeError
    assert db.get_setting("outer") == 1 and db.get_setting("inner") is None


def test_a_second_writer_waits_for_the_first(tmp_path):
    path = tmp_path / "wallet.sqlite"
    first = WalletDatabase.open(path)
    second = WalletDatabase.open(path)
    held = threading.Event()

    def hold_write_lock():
        with WalletDatabase.open(path) as other, other.transaction():
            other.set_setting("holder", True)
            held.set()
            time.sleep(0.4)

    thread = threading.Thread(target=hold_write_lock)
    thread.start()
    held.wait()
    started = time.perf_counter()
    second.set_setting("waiter", True)  # blocks on the busy timeout, then succeeds
    waited = time.perf_counter() - started
    thread.join()
    assert waited > 0.2
    assert first.get_setting("holder") is True and first.get_setting("waiter") is True
    first.close()
    second.close()


# -- migrations -------------------------------------------------------------------------------


def _v2_add_column(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE transactions ADD COLUMN fee INTEGER")


_V3_BACKFILL = (
    "UPDATE transactions SET fee = length(raw)",
    "CREATE INDEX tx_fee ON transactions (fee)",
)


def test_migrations_from_an_older_version_apply_in_order(tmp_path):
    path = tmp_path / "wallet.sqlite"
    n = len(MIGRATIONS)
    with WalletDatabase.open(path) as old:  # a file made by the current release
        old.add_address(Chain.RECEIVE, 0, "a", script(0, 0))
        raw = make_tx([external_outpoint(30)], [(1_000, script(0, 0))])
        old.add_transaction(raw)
        assert old.schema_version == n
    steps = [
        *MIGRATIONS,
        Migration(n + 1, "fee column", _v2_add_column),
        Migration(n + 2, "fees", _V3_BACKFILL),
    ]
    with WalletDatabase.open(path, migrations=steps) as upgraded:
        assert upgraded.schema_version == n + 2
        fee = upgraded._conn.execute("SELECT fee FROM transactions").fetchone()[0]
        assert fee == len(raw)  # step 3 ran after step 2 made its column
        assert upgraded.balance().unconfirmed == 1_000  # data intact
    # The order is enforced: a list out of order is refused, before anything runs.
    with pytest.raises(WalletDatabaseError, match="numbered"):
        WalletDatabase.open(path, migrations=[*steps[:n], steps[n + 1], steps[n]])


def test_a_failing_migration_leaves_the_previous_version(tmp_path):
    path = tmp_path / "wallet.sqlite"
    WalletDatabase.open(path).close()
    broken = (
        "UPDATE transactions SET fee = 1",
        "CREATE TABLE half_done (x)",
        "SELECT * FROM nowhere",
    )
    n = len(MIGRATIONS)
    steps = [
        *MIGRATIONS,
        Migration(n + 1, "fee column", _v2_add_column),
        Migration(n + 2, "broken", broken),
    ]
    with pytest.raises(WalletDatabaseError, match=f"left at version {n + 1}"):
        WalletDatabase.open(path, migrations=steps)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == n + 1
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "half_done" not in names
    conn.close()


def test_a_database_from_a_newer_release_is_refused(tmp_path):
    path = tmp_path / "wallet.sqlite"
    WalletDatabase.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(WalletDatabaseError, match="newer Paylight"):
        WalletDatabase.open(path)


# -- crash safety -----------------------------------------------------------------------------

_KILLED_IN_TRANSACTION = r"""
import sys, time
from wallet.account.database import WalletDatabase, Chain
db = WalletDatabase.open(sys.argv[1])
db._conn.execute("PRAGMA cache_size = 8")  # uncommitted pages spill into the WAL file
with db.transaction():
    db.set_setting("committed", "yes")
    db.add_address(Chain.RECEIVE, 0, "committed", b"\x00\x14" + b"\x01" * 20)
with db.transaction():
    for i in range(1, 2000):
        db.add_address(Chain.RECEIVE, i, f"uncommitted {i}", b"\x00\x14" + i.to_bytes(20, "big"))
    db.set_setting("committed", "no")
    print("in transaction", flush=True)
    time.sleep(60)
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_sigkill_mid_transaction_keeps_committed_and_drops_the_rest(tmp_path):
    path = tmp_path / "wallet.sqlite"
    proc = run_python(_KILLED_IN_TRANSACTION, str(path))
    assert proc.stdout.readline() == "in transaction\n", proc.stderr.read()
    # The uncommitted transaction's pages are already on disk, in the WAL, without a commit.
    assert Path(f"{path}-wal").stat().st_size > 100_000
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    proc.stderr.close()
    with WalletDatabase.open(path) as db:
        assert db.integrity_check() == "ok"
        assert db.get_setting("committed") == "yes"
        assert [a.address for a in db.addresses()] == ["committed"]


_WRITE_BATCHES = r"""
import sys
from wallet.account.database import WalletDatabase
db = WalletDatabase.open(sys.argv[1])
batch = db.get_setting("batches", 0)
print("writing", flush=True)
while True:
    batch += 1
    with db.transaction():
        for i in range(50):
            db.set_setting(f"b{batch}-{i}", batch)
        db.set_setting("batches", batch)
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_sigkill_at_random_moments_never_leaves_half_a_batch(tmp_path):
    path = tmp_path / "wallet.sqlite"
    rng = random.Random(7)
    last = 0
    for _ in range(5):
        proc = run_python(_WRITE_BATCHES, str(path))
        assert proc.stdout.readline() == "writing\n", proc.stderr.read()
        time.sleep(rng.uniform(0.05, 0.3))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()
        with WalletDatabase.open(path) as db:
            assert db.integrity_check() == "ok"
            batches = db.get_setting("batches", 0)
            rows = db._conn.execute("SELECT COUNT(*) FROM settings").fetchone()[0]
            assert rows == 50 * batches + (1 if batches else 0)  # whole batches only
            assert batches >= last
            last = batches
    assert last > 0


# -- labels, requests, servers, settings ------------------------------------------------------


def test_labels_bip329(db):
    db.set_label("addr", "addr-0-1", "Market stall", origin="wpkh([d34db33f/84'/0'/0'])")
    db.set_label("tx", "ab" * 32, "Coffee")
    db.set_label("tx", "ab" * 32, "Coffee and cake")
    assert db.label("tx", "ab" * 32) == "Coffee and cake"
    assert [(x.type, x.ref) for x in db.labels()] == [("addr", "addr-0-1"), ("tx", "ab" * 32)]
    assert db.labels("addr")[0].origin == "wpkh([d34db33f/84'/0'/0'])"
    db.set_label("tx", "ab" * 32, "")
    assert db.label("tx", "ab" * 32) is None
    with pytest.raises(WalletDatabaseError, match="BIP329"):
        db.set_label("note", "x", "y")


def test_payment_requests(db):
    address = db.address_at(Chain.RECEIVE, 2)
    request = db.add_payment_request(
        address.id, 25_000, label="Apples", message="Thanks!", expires_at=2000, created_at=1000
    )
    assert request.state is RequestState.WAITING and request.address == "addr-0-2"
    assert (request.amount_sat, request.created_at, request.expires_at) == (25_000, 1000, 2000)
    db.set_request_state(request.id, RequestState.SEEN)
    assert db.payment_request(request.id).state is RequestState.SEEN
    open_ended = db.add_payment_request(address.id, None)  # any amount, never expires
    assert open_ended.amount_sat is None and open_ended.expires_at is None
    assert [r.id for r in db.payment_requests(RequestState.WAITING)] == [open_ended.id]
    with pytest.raises(WalletDatabaseError):
        db.add_payment_request(address.id, 0)
    with pytest.raises(WalletDatabaseError):
        db.add_payment_request(9999, 10)  # no such address
    with pytest.raises(ValueError):
        db.set_request_state(request.id, "lost")


def test_servers_and_settings(db):
    db.add_server("ssl://electrum.example:50002", "mainnet")
    db.add_server("https://esplora.example/api", "mainnet")
    db.set_server_status(
        "ssl://electrum.example:50002", "mainnet", ServerStatus.DROPPED, "served a bad proof"
    )
    servers = {s.url: s for s in db.servers("mainnet")}
    dropped = servers["ssl://electrum.example:50002"]
    assert dropped.last_status is ServerStatus.DROPPED
    assert dropped.dropped_reason == "served a bad proof" and dropped.last_checked
    assert servers["https://esplora.example/api"].last_status is ServerStatus.UNKNOWN
    assert db.servers("testnet4") == []
    db.set_setting("sync", {"tip": 840_000, "servers": ["a", "b"]})
    assert db.get_setting("sync") == {"tip": 840_000, "servers": ["a", "b"]}
    assert db.get_setting("absent", 5) == 5
