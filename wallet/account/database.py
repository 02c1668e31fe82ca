"""The wallet database: addresses, transactions and their verification state, labels, requests.

SQLite in WAL mode with foreign keys on, ``synchronous=FULL`` (a committed write survives a power
cut, not only a crash) and a busy timeout. Every write runs in an explicit transaction
(``BEGIN IMMEDIATE``), so a killed process leaves the last committed state and nothing of the
one in flight. The schema version is SQLite's ``user_version``; :data:`MIGRATIONS` upgrade it in
order, each in its own transaction.

Trust model (docs: DESIGN.md). A transaction is in exactly one state:

* ``unconfirmed`` — seen in a mempool; no height.
* ``unverified`` — a server says it is mined at ``height``; no proof checked yet.
* ``confirmed`` — its Merkle branch was checked against the header at ``height`` in our own best
  chain; the proof (block hash, position, branch) is stored with it. The schema refuses a
  confirmed row without a proof, and a proof on any other row.
* ``replaced`` — a conflicting transaction took its inputs (RBF or a double spend); it no longer
  counts anywhere.

A reorg (:meth:`WalletDatabase.mark_reorg`) moves confirmed transactions at or above the fork
back to unverified and forgets their proofs. Block headers are not stored here: the light node
keeps its own header store; confirmations are counted from its tip.

Balances are reported per state and never summed into one number (:class:`Balance`).
"""

from __future__ import annotations

import contextlib
import enum
import json
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wallet.account.errors import WalletDatabaseError
from wallet.bitcoin.amount import MAX_MONEY, AmountError
from wallet.bitcoin.errors import TransactionError
from wallet.bitcoin.fiat import Price, Rate, RateError, fiat_unit
from wallet.bitcoin.hashes import sha256
from wallet.bitcoin.transaction import COINBASE_MATURITY, OutPoint, Transaction, TxOut

log = logging.getLogger(__name__)

#: How long a writer waits for another connection's write to finish before giving up.
DEFAULT_BUSY_TIMEOUT_MS = 5000


class Chain(enum.IntEnum):
    """BIP32 chain of an address: 0 receive (external), 1 change (internal)."""

    RECEIVE = 0
    CHANGE = 1


class TxState(enum.StrEnum):
    UNCONFIRMED = "unconfirmed"
    UNVERIFIED = "unverified"
    CONFIRMED = "confirmed"
    REPLACED = "replaced"


class RequestState(enum.StrEnum):
    """Payment request states (issue 6): waiting → seen → confirmed → paid, and the others."""

    WAITING = "waiting"
    SEEN = "seen"
    CONFIRMED = "confirmed"
    PAID = "paid"
    UNDERPAID = "underpaid"
    OVERPAID = "overpaid"
    EXPIRED = "expired"


class ServerStatus(enum.StrEnum):
    UNKNOWN = "unknown"
    OK = "ok"
    UNREACHABLE = "unreachable"
    DROPPED = "dropped"


#: BIP329 label types.
LABEL_TYPES = ("tx", "addr", "pubkey", "input", "output", "xpub")


def _sql_in(values: Iterable[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


# -- schema -----------------------------------------------------------------------------------

_SCHEMA_V1: tuple[str, ...] = (
    """
    CREATE TABLE addresses (
        id INTEGER PRIMARY KEY,
        chain INTEGER NOT NULL CHECK (chain IN (0, 1)),
        idx INTEGER NOT NULL CHECK (idx >= 0 AND idx < 2147483648),
        address TEXT NOT NULL,
        script_pubkey BLOB NOT NULL UNIQUE,
        -- sha256(script_pubkey), internal order; Electrum's script hash is its reversed hex.
        script_hash BLOB NOT NULL UNIQUE CHECK (length(script_hash) = 32),
        used INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1)),
        -- Electrum status hash last seen for this script hash (NULL: no history).
        status TEXT,
        UNIQUE (chain, idx)
    )
    """,
    f"""
    CREATE TABLE transactions (
        txid BLOB PRIMARY KEY CHECK (length(txid) = 32),
        raw BLOB NOT NULL,
        state TEXT NOT NULL CHECK (state IN ({_sql_in(TxState)})),
        height INTEGER CHECK (height IS NULL OR height >= 0),
        block_hash BLOB CHECK (block_hash IS NULL OR length(block_hash) = 32),
        position INTEGER CHECK (position IS NULL OR position >= 0),
        merkle_branch BLOB CHECK (merkle_branch IS NULL OR length(merkle_branch) % 32 = 0),
        verified_at INTEGER,
        first_seen INTEGER NOT NULL,
        replaced_by BLOB CHECK (replaced_by IS NULL OR length(replaced_by) = 32),
        CHECK (state <> 'confirmed' OR (height IS NOT NULL AND block_hash IS NOT NULL
               AND position IS NOT NULL AND merkle_branch IS NOT NULL
               AND verified_at IS NOT NULL)),
        CHECK (state = 'confirmed' OR (block_hash IS NULL AND position IS NULL
               AND merkle_branch IS NULL AND verified_at IS NULL)),
        CHECK (state <> 'unverified' OR height IS NOT NULL),
        CHECK (state <> 'unconfirmed' OR height IS NULL),
        CHECK (state = 'replaced' OR replaced_by IS NULL)
    )
    """,
    "CREATE INDEX transactions_state_height ON transactions (state, height)",
    f"""
    CREATE TABLE txos (
        txid BLOB NOT NULL REFERENCES transactions (txid) ON DELETE CASCADE,
        vout INTEGER NOT NULL CHECK (vout >= 0),
        value INTEGER NOT NULL CHECK (value >= 0 AND value <= {MAX_MONEY}),
        script_pubkey BLOB NOT NULL,
        address_id INTEGER NOT NULL REFERENCES addresses (id),
        frozen INTEGER NOT NULL DEFAULT 0 CHECK (frozen IN (0, 1)),
        PRIMARY KEY (txid, vout)
    )
    """,
    "CREATE INDEX txos_address ON txos (address_id)",
    """
    CREATE TABLE txins (
        txid BLOB NOT NULL REFERENCES transactions (txid) ON DELETE CASCADE,
        vin INTEGER NOT NULL CHECK (vin >= 0),
        prev_txid BLOB NOT NULL CHECK (length(prev_txid) = 32),
        prev_vout INTEGER NOT NULL CHECK (prev_vout >= 0),
        PRIMARY KEY (txid, vin)
    )
    """,
    "CREATE INDEX txins_prevout ON txins (prev_txid, prev_vout)",
    f"""
    CREATE TABLE labels (
        type TEXT NOT NULL CHECK (type IN ({_sql_in(LABEL_TYPES)})),
        ref TEXT NOT NULL,
        label TEXT NOT NULL,
        origin TEXT,
        PRIMARY KEY (type, ref)
    )
    """,
    f"""
    CREATE TABLE payment_requests (
        id INTEGER PRIMARY KEY,
        address_id INTEGER NOT NULL REFERENCES addresses (id),
        amount_sat INTEGER CHECK (amount_sat IS NULL OR (amount_sat > 0
                                  AND amount_sat <= {MAX_MONEY})),
        label TEXT NOT NULL DEFAULT '',
        message TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        expires_at INTEGER CHECK (expires_at IS NULL OR expires_at >= created_at),
        state TEXT NOT NULL CHECK (state IN ({_sql_in(RequestState)})),
        updated_at INTEGER NOT NULL
    )
    """,
    "CREATE INDEX payment_requests_address ON payment_requests (address_id)",
    "CREATE INDEX payment_requests_state ON payment_requests (state)",
    f"""
    CREATE TABLE servers (
        url TEXT NOT NULL,
        network TEXT NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
        last_status TEXT NOT NULL DEFAULT 'unknown' CHECK (last_status IN
                                                          ({_sql_in(ServerStatus)})),
        last_checked INTEGER,
        dropped_reason TEXT,
        PRIMARY KEY (url, network)
    )
    """,
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)


@dataclass(frozen=True)
class Migration:
    """One schema step: ``apply`` is SQL statements, or a function given the connection.

    The runner wraps each migration in its own transaction and sets ``user_version`` to
    ``version`` in that same transaction, so a failed step leaves the previous version intact.
    """

    version: int
    description: str
    apply: Sequence[str] | Callable[[sqlite3.Connection], None]


_BLOCK_ANCHORS_V2: tuple[str, ...] = (
    """
    CREATE TABLE block_anchors (
        -- a block's coinbase txid and its Merkle branch at position 0, checked against the
        -- header at ``height``: the proof of the block's tree depth (wallet.spv.merkle)
        block_hash BLOB PRIMARY KEY CHECK (length(block_hash) = 32),
        height INTEGER NOT NULL CHECK (height >= 0),
        coinbase_txid BLOB NOT NULL CHECK (length(coinbase_txid) = 32),
        merkle_branch BLOB NOT NULL CHECK (length(merkle_branch) % 32 = 0)
    )
    """,
)


def _mark_coinbases(conn: sqlite3.Connection) -> None:
    """Migration 4: a coinbase column, set from each stored transaction's bytes."""
    conn.execute("ALTER TABLE transactions ADD COLUMN coinbase INTEGER NOT NULL DEFAULT 0")
    marked = []
    for txid, raw in conn.execute("SELECT txid, raw FROM transactions").fetchall():
        try:
            if Transaction.parse(bytes(raw)).is_coinbase():
                marked.append((txid,))
        except TransactionError:
            continue
    conn.executemany("UPDATE transactions SET coinbase = 1 WHERE txid = ?", marked)


#: Local currency (issue 15): a request priced in fiat keeps the rate locked when it was made;
#: each transaction keeps the rate of the day it arrived, per currency (the history's "then").
_FIAT_V5: tuple[str, ...] = (
    "ALTER TABLE payment_requests ADD COLUMN fiat_currency TEXT",
    "ALTER TABLE payment_requests ADD COLUMN fiat_amount INTEGER CHECK (fiat_amount > 0)",
    "ALTER TABLE payment_requests ADD COLUMN fiat_rate TEXT",
    "ALTER TABLE payment_requests ADD COLUMN fiat_rate_source TEXT",
    "ALTER TABLE payment_requests ADD COLUMN fiat_rate_time INTEGER",
    """
    CREATE TABLE tx_fiat_rates (
        txid BLOB NOT NULL REFERENCES transactions (txid) ON DELETE CASCADE,
        currency TEXT NOT NULL CHECK (length(currency) = 3),
        rate TEXT NOT NULL,
        source TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (txid, currency)
    )
    """,
)


#: The schema history, oldest first. Append new steps; never edit a released one.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _SCHEMA_V1),
    Migration(2, "block anchors: each block's coinbase proof (its tree depth)", _BLOCK_ANCHORS_V2),
    Migration(
        3,
        "which servers list each transaction",
        (
            # the servers whose histories listed it at the last sync (JSON list), and how many
            # servers those histories were asked of: "1 of 2" is one server's word only
            "ALTER TABLE transactions ADD COLUMN listed_by TEXT",
            "ALTER TABLE transactions ADD COLUMN asked INTEGER",
        ),
    ),
    Migration(4, "coinbase transactions marked (their outputs mature)", _mark_coinbases),
    Migration(5, "fiat prices of requests and rates of transactions", _FIAT_V5),
)
SCHEMA_VERSION = MIGRATIONS[-1].version


# -- records ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AddressRecord:
    id: int
    chain: Chain
    index: int
    address: str
    script_pubkey: bytes
    script_hash: bytes
    used: bool
    status: str | None

    @property
    def electrum_script_hash(self) -> str:
        """The Electrum protocol's script hash: sha256(script) reversed, as hex."""
        return self.script_hash[::-1].hex()


@dataclass(frozen=True)
class MerkleProof:
    """Where a transaction sits in a block: what a confirmed transaction must carry."""

    height: int
    block_hash: bytes
    position: int
    branch: tuple[bytes, ...]

    def __post_init__(self) -> None:
        if self.height < 0 or self.position < 0:
            raise WalletDatabaseError("A Merkle proof needs a non-negative height and position.")
        if len(self.block_hash) != 32 or any(len(h) != 32 for h in self.branch):
            raise WalletDatabaseError("A Merkle proof holds 32-byte hashes only.")


@dataclass(frozen=True)
class TxRecord:
    txid: bytes
    raw: bytes = field(repr=False)
    state: TxState
    height: int | None
    proof: MerkleProof | None
    verified_at: int | None
    first_seen: int
    replaced_by: bytes | None
    #: the servers that listed it at the last sync, and how many were asked (None: unknown)
    listed_by: tuple[str, ...] | None = None
    asked: int | None = None

    @property
    def txid_hex(self) -> str:
        return self.txid[::-1].hex()

    @property
    def one_server_only(self) -> bool:
        """Listed by a single server where several were asked: one server's word only."""
        return self.listed_by is not None and len(self.listed_by) == 1 and (self.asked or 0) > 1

    def transaction(self) -> Transaction:
        return Transaction.parse(self.raw)


@dataclass(frozen=True)
class OutputRecord:
    """A transaction output paying one of the wallet's addresses, and what spent it."""

    outpoint: OutPoint
    value: int
    script_pubkey: bytes
    address_id: int
    chain: Chain
    index: int
    #: State and height of the transaction that created the output.
    state: TxState
    height: int | None
    frozen: bool
    #: The transaction spending it (the best-ranked one if several conflict), or None.
    spent_by: bytes | None
    spent_state: TxState | None
    #: Paid by a coinbase: spendable only at COINBASE_MATURITY confirmations.
    coinbase: bool = False

    def immature(self, tip: int | None) -> bool:
        """A coinbase output with fewer than 100 confirmations counted from our ``tip`` (or
        whose confirmations we cannot count): not spendable yet."""
        if not self.coinbase:
            return False
        if tip is None or self.height is None or self.state is not TxState.CONFIRMED:
            return True
        return tip - self.height + 1 < COINBASE_MATURITY


@dataclass(frozen=True)
class Balance:
    """The wallet's balance, one figure per trust state, in satoshis; deliberately no total.

    Each figure is the net effect of the wallet's transactions in that state: coins they pay to
    the wallet minus wallet coins they spend. So a pending payment from confirmed coins shows as
    a negative ``unconfirmed`` figure while ``confirmed`` still holds the coins, until it is
    mined and verified. Only ``confirmed`` has been checked against our own header chain.
    """

    confirmed: int
    unverified: int
    unconfirmed: int
    #: mined coins (coinbase outputs) proven but under 100 confirmations: not in ``confirmed``,
    #: as they cannot be spent yet
    immature: int = 0


@dataclass(frozen=True)
class PaymentRequest:
    id: int
    address_id: int
    address: str
    amount_sat: int | None
    label: str
    message: str
    created_at: int
    expires_at: int | None
    state: RequestState
    updated_at: int
    #: asked in fiat: the amount and the rate locked when the request was made
    price: Price | None = None


def _stored_price(row: sqlite3.Row) -> Price | None:
    """A request's fiat price from its row (None for one asked in bitcoin, or a damaged one)."""
    if row["fiat_currency"] is None:
        return None
    try:
        rate = Rate(
            fiat_unit(row["fiat_currency"]),
            row["fiat_rate"],
            row["fiat_rate_source"] or "",
            row["fiat_rate_time"] or 0,
        )
        return Price(row["fiat_amount"], rate)
    except (RateError, AmountError):
        return None


@dataclass(frozen=True)
class ServerRecord:
    url: str
    network: str
    enabled: bool
    last_status: ServerStatus
    last_checked: int | None
    dropped_reason: str | None


@dataclass(frozen=True)
class Label:
    """One BIP329 record (type, ref, label, origin)."""

    type: str
    ref: str
    label: str
    origin: str | None = None


# -- the database -----------------------------------------------------------------------------

_TX_COLUMNS = (
    "txid, raw, state, height, block_hash, position, merkle_branch, verified_at, first_seen, "
    "replaced_by, listed_by, asked"
)
_ADDRESS_COLUMNS = "id, chain, idx, address, script_pubkey, script_hash, used, status"
_STATE_RANK = "CASE {0} WHEN 'confirmed' THEN 0 WHEN 'unverified' THEN 1 ELSE 2 END"


def _now() -> int:
    return int(time.time())


def _split_branch(blob: bytes) -> tuple[bytes, ...]:
    return tuple(blob[i : i + 32] for i in range(0, len(blob), 32))


class WalletDatabase:
    """One connection to a wallet database. Use one object per thread."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self._depth = 0

    def __repr__(self) -> str:
        return f"WalletDatabase({str(self.path)!r})"

    # -- opening, migrations, transactions -------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        migrations: Sequence[Migration] = MIGRATIONS,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
        create: bool = True,
    ) -> WalletDatabase:
        """Open (creating if allowed) and upgrade the database at ``path``."""
        path = Path(path)
        if not create and not path.is_file():
            raise WalletDatabaseError(f"The wallet database {path} is missing.")
        try:
            conn = sqlite3.connect(
                path, timeout=busy_timeout_ms / 1000, isolation_level=None, cached_statements=256
            )
        except sqlite3.Error as exc:
            raise WalletDatabaseError(
                f"Could not open the wallet database {path}: {exc}."
            ) from None
        conn.row_factory = sqlite3.Row
        db = cls(conn, path)
        try:
            db._configure(busy_timeout_ms)
            db.migrate(migrations)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise WalletDatabaseError(
                f"The wallet database {path} is damaged or not a database ({exc}); restore it "
                "from a backup, or delete it and sync again from the seed."
            ) from None
        except BaseException:
            conn.close()
            raise
        return db

    def _configure(self, busy_timeout_ms: int) -> None:
        conn = self._conn
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise WalletDatabaseError(
                f"The wallet database {self.path} cannot use write-ahead logging (journal mode "
                f"{mode}); keep wallets on a local disk."
            )
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> WalletDatabase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self, migrations: Sequence[Migration] = MIGRATIONS) -> list[int]:
        """Apply the missing migrations in order; returns the versions applied."""
        versions = [m.version for m in migrations]
        if versions != list(range(1, len(migrations) + 1)):
            raise WalletDatabaseError(f"Migrations must be numbered 1, 2, 3…; got {versions}.")
        latest = len(migrations)
        current = self.schema_version
        if current > latest:
            raise WalletDatabaseError(
                f"The wallet database {self.path} has schema version {current}, made by a newer "
                f"Paylight (this one knows up to {latest}); update Paylight to open it."
            )
        applied = []
        for migration in migrations[current:]:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                # Another process may have migrated while we waited for the write lock.
                if self.schema_version >= migration.version:
                    conn.execute("ROLLBACK")
                    continue
                if callable(migration.apply):
                    migration.apply(conn)
                else:
                    for statement in migration.apply:
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {migration.version}")
                conn.execute("COMMIT")
            except BaseException as exc:
                conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise WalletDatabaseError(
                        f"Could not upgrade the wallet database {self.path} to schema version "
                        f"{migration.version} ({migration.description}): {exc}. It is left at "
                        f"version {migration.version - 1}."
                    ) from exc
                raise
            log.info("wallet database %s: applied migration %d", self.path, migration.version)
            applied.append(migration.version)
        return applied

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all; nests through savepoints."""
        conn = self._conn
        if self._depth == 0:
            conn.execute("BEGIN IMMEDIATE")
        else:
            conn.execute(f"SAVEPOINT sp{self._depth}")
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            if self._depth == 0:
                conn.execute("ROLLBACK")
            else:
                conn.execute(f"ROLLBACK TO sp{self._depth}")
                conn.execute(f"RELEASE sp{self._depth}")
            raise
        self._depth -= 1
        if self._depth == 0:
            conn.execute("COMMIT")
        else:
            conn.execute(f"RELEASE sp{self._depth}")

    def _write(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        """One statement, in the current transaction or in its own."""
        try:
            if self._depth:
                return self._conn.execute(sql, params)
            with self.transaction():
                return self._conn.execute(sql, params)
        except sqlite3.IntegrityError as exc:
            raise WalletDatabaseError(f"The wallet database refused a write: {exc}.") from None

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        return self._conn.execute(sql, params).fetchall()

    def integrity_check(self) -> str:
        """SQLite's own full check; ``"ok"`` when the file is sound."""
        return str(self._conn.execute("PRAGMA integrity_check").fetchone()[0])

    # -- addresses ------------------------------------------------------------------------------

    @staticmethod
    def _address(row: sqlite3.Row) -> AddressRecord:
        return AddressRecord(
            id=row["id"],
            chain=Chain(row["chain"]),
            index=row["idx"],
            address=row["address"],
            script_pubkey=bytes(row["script_pubkey"]),
            script_hash=bytes(row["script_hash"]),
            used=bool(row["used"]),
            status=row["status"],
        )

    def add_address(
        self, chain: Chain, index: int, address: str, script_pubkey: bytes
    ) -> AddressRecord:
        """Store a derived address; adding the same one again returns the stored record."""
        existing = self.address_at(chain, index)
        if existing is not None:
            if existing.script_pubkey != script_pubkey:
                raise WalletDatabaseError(
                    f"Address {Chain(chain).name.lower()}/{index} is already stored with another "
                    "script; the wallet's descriptors changed."
                )
            return existing
        self._write(
            "INSERT INTO addresses (chain, idx, address, script_pubkey, script_hash) "
            "VALUES (?, ?, ?, ?, ?)",
            (int(chain), index, address, script_pubkey, sha256(script_pubkey)),
        )
        record = self.address_at(chain, index)
        assert record is not None
        return record

    def add_addresses(self, items: Iterable[tuple[Chain, int, str, bytes]]) -> list[AddressRecord]:
        with self.transaction():
            return [self.add_address(*item) for item in items]

    def address_at(self, chain: Chain, index: int) -> AddressRecord | None:
        rows = self._query(
            f"SELECT {_ADDRESS_COLUMNS} FROM addresses WHERE chain = ? AND idx = ?",
            (int(chain), index),
        )
        return self._address(rows[0]) if rows else None

    def address_by_script(self, script_pubkey: bytes) -> AddressRecord | None:
        rows = self._query(
            f"SELECT {_ADDRESS_COLUMNS} FROM addresses WHERE script_pubkey = ?", (script_pubkey,)
        )
        return self._address(rows[0]) if rows else None

    def address_by_script_hash(self, script_hash: bytes) -> AddressRecord | None:
        rows = self._query(
            f"SELECT {_ADDRESS_COLUMNS} FROM addresses WHERE script_hash = ?", (script_hash,)
        )
        return self._address(rows[0]) if rows else None

    def addresses(self, chain: Chain | None = None) -> list[AddressRecord]:
        if chain is None:
            rows = self._query(f"SELECT {_ADDRESS_COLUMNS} FROM addresses ORDER BY chain, idx")
        else:
            rows = self._query(
                f"SELECT {_ADDRESS_COLUMNS} FROM addresses WHERE chain = ? ORDER BY idx",
                (int(chain),),
            )
        return [self._address(r) for r in rows]

    def set_address_used(self, address_id: int, used: bool = True) -> None:
        self._write("UPDATE addresses SET used = ? WHERE id = ?", (int(used), address_id))

    def set_address_status(self, address_id: int, status: str | None) -> None:
        """Remember the Electrum status hash; a non-empty history also marks the address used."""
        self._write(
            "UPDATE addresses SET status = ?, used = MAX(used, ?) WHERE id = ?",
            (status, int(status is not None), address_id),
        )

    def highest_index(self, chain: Chain, *, used_only: bool = False) -> int | None:
        """The last derived index on ``chain`` (or the last used one), None if there is none."""
        sql = "SELECT MAX(idx) FROM addresses WHERE chain = ?" + (" AND used" if used_only else "")
        value = self._conn.execute(sql, (int(chain),)).fetchone()[0]
        return None if value is None else int(value)

    def first_unused(self, chain: Chain) -> AddressRecord | None:
        rows = self._query(
            f"SELECT {_ADDRESS_COLUMNS} FROM addresses WHERE chain = ? AND NOT used "
            "ORDER BY idx LIMIT 1",
            (int(chain),),
        )
        return self._address(rows[0]) if rows else None

    # -- transactions ---------------------------------------------------------------------------

    @staticmethod
    def _tx(row: sqlite3.Row) -> TxRecord:
        proof = None
        if row["block_hash"] is not None:
            proof = MerkleProof(
                row["height"],
                bytes(row["block_hash"]),
                row["position"],
                _split_branch(bytes(row["merkle_branch"])),
            )
        return TxRecord(
            txid=bytes(row["txid"]),
            raw=bytes(row["raw"]),
            state=TxState(row["state"]),
            height=row["height"],
            proof=proof,
            verified_at=row["verified_at"],
            first_seen=row["first_seen"],
            replaced_by=None if row["replaced_by"] is None else bytes(row["replaced_by"]),
            listed_by=None if row["listed_by"] is None else tuple(json.loads(row["listed_by"])),
            asked=row["asked"],
        )

    def add_transaction(
        self,
        raw: bytes,
        *,
        state: TxState = TxState.UNCONFIRMED,
        height: int | None = None,
        proof: MerkleProof | None = None,
        first_seen: int | None = None,
    ) -> TxRecord:
        """Store a raw transaction (its txid is computed here, never taken on trust).

        Records its inputs and the outputs that pay the wallet's stored addresses (marking those
        used). If the transaction is already stored, only the output matching runs again (an
        address derived since may be paid by it); its state is changed with
        :meth:`set_tx_state`.
        """
        try:
            tx = Transaction.parse(raw)
        except TransactionError as exc:
            raise WalletDatabaseError(f"Refused a transaction that does not parse: {exc}") from None
        if len(raw) == 64:
            raise WalletDatabaseError(
                "Refused a 64-byte transaction: it could pass for an inner Merkle node."
            )
        txid = tx.txid()
        with self.transaction():
            if self.transaction_record(txid) is None:
                self._write(
                    "INSERT INTO transactions (txid, raw, state, first_seen, coinbase) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (txid, raw, TxState.UNCONFIRMED.value, first_seen or _now(), tx.is_coinbase()),
                )
                self._conn.executemany(
                    "INSERT INTO txins (txid, vin, prev_txid, prev_vout) VALUES (?, ?, ?, ?)",
                    [
                        (txid, vin, txin.prevout.txid, txin.prevout.vout)
                        for vin, txin in enumerate(tx.inputs)
                        if not tx.is_coinbase()
                    ],
                )
                if state is not TxState.UNCONFIRMED:
                    self.set_tx_state(txid, state, height=height, proof=proof)
            self._match_outputs(txid, tx)
            record = self.transaction_record(txid)
        assert record is not None
        return record

    def _match_outputs(self, txid: bytes, tx: Transaction) -> None:
        for vout, txout in enumerate(tx.outputs):
            address = self.address_by_script(txout.script_pubkey)
            if address is None:
                continue
            self._write(
                "INSERT OR IGNORE INTO txos (txid, vout, value, script_pubkey, address_id) "
                "VALUES (?, ?, ?, ?, ?)",
                (txid, vout, txout.value, txout.script_pubkey, address.id),
            )
            if not address.used:
                self.set_address_used(address.id)

    def transaction_record(self, txid: bytes) -> TxRecord | None:
        rows = self._query(f"SELECT {_TX_COLUMNS} FROM transactions WHERE txid = ?", (txid,))
        return self._tx(rows[0]) if rows else None

    def transactions(self, state: TxState | None = None) -> list[TxRecord]:
        """History, oldest first: mined ones by height and position, then unmined by first seen."""
        where, params = ("WHERE state = ?", (state.value,)) if state else ("", ())
        rows = self._query(
            f"SELECT {_TX_COLUMNS} FROM transactions {where} "
            "ORDER BY height IS NULL, height, position, first_seen, txid",
            params,
        )
        return [self._tx(r) for r in rows]

    def count_transactions(self, *states: TxState) -> int:
        """How many transactions are in ``states`` (all of them when none is given)."""
        if not states:
            return int(self._conn.execute("SELECT COUNT(*) FROM transactions").fetchone()[0])
        marks = ", ".join("?" for _ in states)
        sql = f"SELECT COUNT(*) FROM transactions WHERE state IN ({marks})"
        return int(self._conn.execute(sql, [TxState(s).value for s in states]).fetchone()[0])

    def set_tx_state(
        self,
        txid: bytes,
        state: TxState,
        *,
        height: int | None = None,
        proof: MerkleProof | None = None,
        replaced_by: bytes | None = None,
    ) -> None:
        """Move a transaction to ``state`` with exactly the data that state needs.

        ``confirmed`` needs the verified ``proof`` (call it only after checking the proof
        against the local header chain); ``unverified`` needs the ``height`` a server claims;
        ``unconfirmed`` and ``replaced`` carry no height. Any other combination is refused.
        """
        state = TxState(state)
        if state is TxState.CONFIRMED:
            if proof is None or (height is not None and height != proof.height):
                raise WalletDatabaseError(
                    "A confirmed transaction needs its verified Merkle proof."
                )
            values: tuple[Any, ...] = (
                proof.height,
                proof.block_hash,
                proof.position,
                b"".join(proof.branch),
                _now(),
                None,
            )
        else:
            if proof is not None:
                raise WalletDatabaseError("A Merkle proof is stored only with a confirmed state.")
            if state is TxState.UNVERIFIED and height is None:
                raise WalletDatabaseError("An unverified transaction needs the height claimed.")
            if state is not TxState.UNVERIFIED and height is not None:
                raise WalletDatabaseError(f"A {state.value} transaction has no height.")
            if state is not TxState.REPLACED and replaced_by is not None:
                raise WalletDatabaseError("Only a replaced transaction has a replacement.")
            values = (height, None, None, None, None, replaced_by)
        cursor = self._write(
            "UPDATE transactions SET state = ?, height = ?, block_hash = ?, position = ?, "
            "merkle_branch = ?, verified_at = ?, replaced_by = ? WHERE txid = ?",
            (state.value, *values, txid),
        )
        if cursor.rowcount != 1:
            raise WalletDatabaseError(f"No transaction {txid[::-1].hex()} in the wallet.")

    def set_listed_by(self, txid: bytes, servers: Sequence[str], asked: int) -> None:
        """Record which servers listed the transaction at this sync, of how many asked."""
        self._write(
            "UPDATE transactions SET listed_by = ?, asked = ? WHERE txid = ?",
            (json.dumps(sorted(servers)), asked, txid),
        )

    def mark_reorg(self, from_height: int) -> list[bytes]:
        """A reorg replaced blocks from ``from_height`` up: their proofs no longer hold.

        Confirmed transactions at or above that height go back to unverified (keeping the
        height last claimed, which sync will ask about again) and lose their proofs. Returns
        the txids moved.
        """
        with self.transaction():
            moved = [
                bytes(row[0])
                for row in self._conn.execute(
                    "SELECT txid FROM transactions WHERE state = 'confirmed' AND height >= ?",
                    (from_height,),
                )
            ]
            self._write(
                "UPDATE transactions SET state = 'unverified', block_hash = NULL, "
                "position = NULL, merkle_branch = NULL, verified_at = NULL "
                "WHERE state = 'confirmed' AND height >= ?",
                (from_height,),
            )
        if moved:
            log.info(
                "reorg from height %d: %d transactions back to unverified", from_height, len(moved)
            )
        return moved

    # -- block anchors (the depth of a block's Merkle tree) --------------------------------------

    def set_block_anchor(
        self, block_hash: bytes, height: int, coinbase_txid: bytes, branch: Sequence[bytes]
    ) -> None:
        """Keep a block's checked coinbase proof (its txid and branch at position 0)."""
        self._write(
            "INSERT INTO block_anchors (block_hash, height, coinbase_txid, merkle_branch) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (block_hash) DO UPDATE SET "
            "height = excluded.height, coinbase_txid = excluded.coinbase_txid, "
            "merkle_branch = excluded.merkle_branch",
            (block_hash, height, coinbase_txid, b"".join(branch)),
        )

    def block_anchor(self, block_hash: bytes) -> tuple[int, bytes, tuple[bytes, ...]] | None:
        """(height, coinbase txid, branch) kept for ``block_hash``, or None."""
        row = self._conn.execute(
            "SELECT height, coinbase_txid, merkle_branch FROM block_anchors WHERE block_hash = ?",
            (block_hash,),
        ).fetchone()
        if row is None:
            return None
        return int(row[0]), bytes(row[1]), _split_branch(bytes(row[2]))

    def remove_transaction(self, txid: bytes) -> bool:
        """Forget a transaction (e.g. dropped from every mempool); its outputs go with it."""
        return self._write("DELETE FROM transactions WHERE txid = ?", (txid,)).rowcount == 1

    # -- outputs, UTXOs, balance ----------------------------------------------------------------

    _OUTPUTS_SQL = f"""
        WITH live AS (
            SELECT txid, state, {_STATE_RANK.format("state")} AS rank
            FROM transactions WHERE state <> 'replaced'
        ),
        spends AS (
            SELECT i.prev_txid, i.prev_vout, l.txid AS spender, l.state AS spender_state,
                   ROW_NUMBER() OVER (PARTITION BY i.prev_txid, i.prev_vout
                                      ORDER BY l.rank, l.txid) AS n
            FROM txins i JOIN live l ON l.txid = i.txid
        )
        SELECT o.txid, o.vout, o.value, o.script_pubkey, o.address_id, o.frozen,
               a.chain, a.idx, t.state, t.height, t.coinbase, s.spender, s.spender_state
        FROM txos o
        JOIN transactions t ON t.txid = o.txid AND t.state <> 'replaced'
        JOIN addresses a ON a.id = o.address_id
        LEFT JOIN spends s ON s.prev_txid = o.txid AND s.prev_vout = o.vout AND s.n = 1
    """

    def wallet_coins(self, outpoints: Iterable[OutPoint]) -> dict[OutPoint, TxOut]:
        """Those of ``outpoints`` that are outputs paying the wallet, with their amount and
        script (a look-up by key each, not a scan of every output)."""
        found: dict[OutPoint, TxOut] = {}
        for outpoint in set(outpoints):
            rows = self._query(
                "SELECT value, script_pubkey FROM txos WHERE txid = ? AND vout = ?",
                (outpoint.txid, outpoint.vout),
            )
            if rows:
                found[outpoint] = TxOut(rows[0]["value"], bytes(rows[0]["script_pubkey"]))
        return found

    def script_pubkeys(self) -> set[bytes]:
        """The scripts of every address the wallet has derived."""
        return {
            bytes(r["script_pubkey"]) for r in self._query("SELECT script_pubkey FROM addresses")
        }

    def outputs(self) -> list[OutputRecord]:
        """Every live output paying the wallet, with what spends it (replaced txs excluded)."""
        rows = self._query(
            self._OUTPUTS_SQL + " ORDER BY t.height IS NULL, t.height, o.txid, o.vout"
        )
        return [
            OutputRecord(
                outpoint=OutPoint(bytes(r["txid"]), r["vout"]),
                value=r["value"],
                script_pubkey=bytes(r["script_pubkey"]),
                address_id=r["address_id"],
                chain=Chain(r["chain"]),
                index=r["idx"],
                state=TxState(r["state"]),
                height=r["height"],
                frozen=bool(r["frozen"]),
                spent_by=None if r["spender"] is None else bytes(r["spender"]),
                spent_state=None if r["spender_state"] is None else TxState(r["spender_state"]),
                coinbase=bool(r["coinbase"]),
            )
            for r in rows
        ]

    def utxos(
        self,
        states: Iterable[TxState] = (TxState.CONFIRMED, TxState.UNVERIFIED, TxState.UNCONFIRMED),
        *,
        include_frozen: bool = True,
    ) -> list[OutputRecord]:
        """Unspent outputs whose funding transaction is in one of ``states``."""
        wanted = {TxState(s) for s in states}
        return [
            o
            for o in self.outputs()
            if o.spent_by is None and o.state in wanted and (include_frozen or not o.frozen)
        ]

    def balance(self, tip: int | None = None) -> Balance:
        """Per-state net amounts (see :class:`Balance`); states are never added together.

        A proven coinbase output under 100 confirmations from ``tip`` (our header chain's
        height; unknown: every one) counts as ``immature``, not ``confirmed``.
        """
        totals = dict.fromkeys((TxState.CONFIRMED, TxState.UNVERIFIED, TxState.UNCONFIRMED), 0)
        immature = 0
        for output in self.outputs():
            if output.state is TxState.CONFIRMED and output.immature(tip):
                immature += output.value
            else:
                totals[output.state] += output.value
            if output.spent_state is not None:
                totals[output.spent_state] -= output.value
        return Balance(
            confirmed=totals[TxState.CONFIRMED],
            unverified=totals[TxState.UNVERIFIED],
            unconfirmed=totals[TxState.UNCONFIRMED],
            immature=immature,
        )

    def conflicts(self) -> dict[OutPoint, list[bytes]]:
        """Wallet outputs spent by more than one live transaction (a double spend in flight)."""
        rows = self._query(
            """
            SELECT i.prev_txid, i.prev_vout, i.txid FROM txins i
            JOIN transactions t ON t.txid = i.txid AND t.state <> 'replaced'
            JOIN txos o ON o.txid = i.prev_txid AND o.vout = i.prev_vout
            WHERE (i.prev_txid, i.prev_vout) IN (
                SELECT i2.prev_txid, i2.prev_vout FROM txins i2
                JOIN transactions t2 ON t2.txid = i2.txid AND t2.state <> 'replaced'
                GROUP BY i2.prev_txid, i2.prev_vout HAVING COUNT(*) > 1)
            ORDER BY i.prev_txid, i.prev_vout, i.txid
            """
        )
        result: dict[OutPoint, list[bytes]] = {}
        for r in rows:
            result.setdefault(OutPoint(bytes(r[0]), r[1]), []).append(bytes(r[2]))
        return result

    def set_frozen(self, outpoint: OutPoint, frozen: bool) -> None:
        """Coin control: a frozen output is left out of automatic coin selection."""
        cursor = self._write(
            "UPDATE txos SET frozen = ? WHERE txid = ? AND vout = ?",
            (int(frozen), outpoint.txid, outpoint.vout),
        )
        if cursor.rowcount != 1:
            raise WalletDatabaseError(f"The wallet has no output {outpoint}.")

    # -- labels (BIP329) ------------------------------------------------------------------------

    def set_label(self, type: str, ref: str, label: str, origin: str | None = None) -> None:
        """Set a BIP329 label; an empty label removes it."""
        if type not in LABEL_TYPES:
            raise WalletDatabaseError(f"{type!r} is not a BIP329 label type {LABEL_TYPES}.")
        if not label:
            self._write("DELETE FROM labels WHERE type = ? AND ref = ?", (type, ref))
            return
        self._write(
            "INSERT INTO labels (type, ref, label, origin) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (type, ref) DO UPDATE SET label = excluded.label, "
            "origin = excluded.origin",
            (type, ref, label, origin),
        )

    def label(self, type: str, ref: str) -> str | None:
        row = self._conn.execute(
            "SELECT label FROM labels WHERE type = ? AND ref = ?", (type, ref)
        ).fetchone()
        return None if row is None else str(row[0])

    def labels(self, type: str | None = None) -> list[Label]:
        if type is None:
            rows = self._query("SELECT * FROM labels ORDER BY type, ref")
        else:
            rows = self._query("SELECT * FROM labels WHERE type = ? ORDER BY ref", (type,))
        return [Label(r["type"], r["ref"], r["label"], r["origin"]) for r in rows]

    # -- payment requests -----------------------------------------------------------------------

    _REQUEST_SQL = (
        "SELECT r.*, a.address FROM payment_requests r JOIN addresses a ON a.id = r.address_id"
    )

    @staticmethod
    def _request(row: sqlite3.Row) -> PaymentRequest:
        return PaymentRequest(
            id=row["id"],
            address_id=row["address_id"],
            address=row["address"],
            amount_sat=row["amount_sat"],
            label=row["label"],
            message=row["message"],
            created_at=row["created_at"],
            expires_at=row["expires_at"],
            state=RequestState(row["state"]),
            updated_at=row["updated_at"],
            price=_stored_price(row),
        )

    def add_payment_request(
        self,
        address_id: int,
        amount_sat: int | None,
        *,
        label: str = "",
        message: str = "",
        expires_at: int | None = None,
        created_at: int | None = None,
        price: Price | None = None,
    ) -> PaymentRequest:
        """A new request; ``price``: asked in fiat, its rate locked now (``amount_sat`` must
        be what the price costs at that rate)."""
        created = created_at or _now()
        fiat: tuple[Any, ...] = (None,) * 5
        if price is not None:
            if amount_sat != price.sats:
                raise WalletDatabaseError(
                    f"A request priced {price.amount} {price.rate.code} at that rate asks "
                    f"{price.sats} satoshis, not {amount_sat}."
                )
            rate = price.rate
            fiat = (rate.code, price.amount, rate.price_text(), rate.source, rate.at)
        cursor = self._write(
            "INSERT INTO payment_requests (address_id, amount_sat, label, message, created_at, "
            "expires_at, state, updated_at, fiat_currency, fiat_amount, fiat_rate, "
            "fiat_rate_source, fiat_rate_time) "
            "VALUES (?, ?, ?, ?, ?, ?, 'waiting', ?, ?, ?, ?, ?, ?)",
            (address_id, amount_sat, label, message, created, expires_at, created, *fiat),
        )
        request = self.payment_request(int(cursor.lastrowid or 0))
        assert request is not None
        return request

    def payment_request(self, request_id: int) -> PaymentRequest | None:
        rows = self._query(self._REQUEST_SQL + " WHERE r.id = ?", (request_id,))
        return self._request(rows[0]) if rows else None

    def payment_requests(self, state: RequestState | None = None) -> list[PaymentRequest]:
        if state is None:
            rows = self._query(self._REQUEST_SQL + " ORDER BY r.created_at, r.id")
        else:
            rows = self._query(
                self._REQUEST_SQL + " WHERE r.state = ? ORDER BY r.created_at, r.id",
                (RequestState(state).value,),
            )
        return [self._request(r) for r in rows]

    def set_request_state(self, request_id: int, state: RequestState) -> None:
        cursor = self._write(
            "UPDATE payment_requests SET state = ?, updated_at = ? WHERE id = ?",
            (RequestState(state).value, _now(), request_id),
        )
        if cursor.rowcount != 1:
            raise WalletDatabaseError(f"No payment request {request_id} in the wallet.")

    # -- fiat rates of transactions ---------------------------------------------------------------

    def set_tx_rate(self, txid: bytes, rate: Rate) -> bool:
        """Keep ``rate`` as the rate of the day ``txid`` arrived, unless one is kept already for
        that currency (the first stays); True if stored."""
        cursor = self._write(
            "INSERT OR IGNORE INTO tx_fiat_rates (txid, currency, rate, source, at) "
            "SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM transactions WHERE txid = ?)",
            (txid, rate.code, rate.price_text(), rate.source, rate.at, txid),
        )
        return cursor.rowcount == 1

    def tx_rates(self, code: str) -> dict[bytes, Rate]:
        """Every transaction's kept rate in currency ``code``."""
        rows = self._query(
            "SELECT txid, rate, source, at FROM tx_fiat_rates WHERE currency = ?", (code,)
        )
        unit = fiat_unit(code)
        out = {}
        for row in rows:
            try:
                out[bytes(row["txid"])] = Rate(unit, row["rate"], row["source"], row["at"])
            except RateError:
                continue  # a damaged row shows no value rather than a wrong one
        return out

    # -- servers --------------------------------------------------------------------------------

    def add_server(self, url: str, network: str, *, enabled: bool = True) -> None:
        self._write(
            "INSERT INTO servers (url, network, enabled) VALUES (?, ?, ?) "
            "ON CONFLICT (url, network) DO UPDATE SET enabled = excluded.enabled",
            (url, network, int(enabled)),
        )

    def remove_server(self, url: str, network: str) -> bool:
        """Forget a server of the wallet's list; False when it was not there."""
        cursor = self._write("DELETE FROM servers WHERE url = ? AND network = ?", (url, network))
        return cursor.rowcount == 1

    def set_server_status(
        self, url: str, network: str, status: ServerStatus, reason: str | None = None
    ) -> None:
        """Record how a server last behaved; ``reason`` says why it was dropped."""
        cursor = self._write(
            "UPDATE servers SET last_status = ?, last_checked = ?, dropped_reason = ? "
            "WHERE url = ? AND network = ?",
            (ServerStatus(status).value, _now(), reason, url, network),
        )
        if cursor.rowcount != 1:
            raise WalletDatabaseError(f"No server {url} for {network} in the wallet.")

    def servers(self, network: str) -> list[ServerRecord]:
        rows = self._query("SELECT * FROM servers WHERE network = ? ORDER BY url", (network,))
        return [
            ServerRecord(
                url=r["url"],
                network=r["network"],
                enabled=bool(r["enabled"]),
                last_status=ServerStatus(r["last_status"]),
                last_checked=r["last_checked"],
                dropped_reason=r["dropped_reason"],
            )
            for r in rows
        ]

    # -- settings -------------------------------------------------------------------------------

    def set_setting(self, key: str, value: Any) -> None:
        """Store a JSON-serialisable value (sync progress, preferences)."""
        self._write(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )

    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self._conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])
