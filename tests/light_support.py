"""Helpers of the light-node tests (no tests here): a wallet database's rows to compare between
sources, the playground's P2P peers as command-line arguments, and what each P2P listener was
told that it should not have been."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from wallet.bitcoin.hashes import hash160, sha256
from wallet.bitcoin.transaction import Transaction
from wallet.p2p import messages as m
from wallet.sync.blocks import SCANNED_SETTING

#: Columns that say who listed a transaction or when we saw it: they differ between sources.
SOURCE_COLUMNS = {"first_seen", "verified_at", "listed_by", "asked"}
#: Settings a source or a front end keeps for itself (where a scan ended, when the CLI synced,
#: which regtest chain, where the header store starts).
OWN_SETTINGS = {SCANNED_SETTING, "cli.last_sync", "header_chain", "header_anchor"}


def contents(db_path: Path) -> dict[str, list[tuple]]:
    """Every wallet table's rows, less the columns that name a source or a time."""
    conn = sqlite3.connect(db_path)
    try:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1")
        ]
        out = {}
        for table in tables:
            columns = [
                f"t.{r[1]}"
                for r in conn.execute(f"PRAGMA table_info({table})")
                if r[1] not in SOURCE_COLUMNS and (table, r[1]) != ("addresses", "id")
            ]
            # an address is named by its chain and index: row ids follow the order addresses
            # were derived in, which differs between sources (and is no part of the wallet)
            columns = ["a.chain, a.idx" if c == "t.address_id" else c for c in columns]
            join = " JOIN addresses a ON a.id = t.address_id" if "a.chain, a.idx" in columns else ""
            rows = conn.execute(f"SELECT {', '.join(columns)} FROM {table} t{join}").fetchall()
            if table == "settings":
                rows = [r for r in rows if r[0] not in OWN_SETTINGS]
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        conn.close()


def peer_args(pg, listeners: Iterable[int] | None = None) -> list[str]:
    """``--p2p HOST:PORT ...`` for the playground's listeners (all, or those given)."""
    ports = pg.p2p_ports if listeners is None else [pg.p2p_ports[i] for i in listeners]
    return ["--p2p", *(f"127.0.0.1:{p}" for p in ports)]


def wallet_secrets(db_path: Path) -> tuple[set[bytes], set[bytes]]:
    """(what identifies the wallet's addresses in any encoding a message could carry: scripts,
    their hashes, the 20/32-byte programs inside them, addresses as text; the wallet's txids
    in both byte orders)."""
    conn = sqlite3.connect(db_path)
    try:
        marks: set[bytes] = set()
        for script, address in conn.execute("SELECT script_pubkey, address FROM addresses"):
            script = bytes(script)
            marks |= {script, sha256(script), sha256(script)[::-1], hash160(script)}
            marks.add(script[2:])  # the witness program (a P2WPKH key hash, a P2TR key)
            marks.add(address.encode())
        txids = {bytes(r[0]) for r in conn.execute("SELECT txid FROM transactions")}
    finally:
        conn.close()
    return marks, txids | {t[::-1] for t in txids}


def leaks(pg, marks: set[bytes], txids: set[bytes], own: Iterable[Transaction] = ()) -> list[str]:
    """What the P2P listeners were told that identifies the wallet, as sentences (empty: none).

    Every message each listener received is searched, whatever its type, for any of ``marks``
    and ``txids``. Allowed: the wallet's own broadcast transactions (``own``: their ``inv``
    and ``tx``), and a ``getdata`` for a transaction that the same listener announced on the
    same connection first -- and only when every transaction it announced there was asked
    for too (so the request reveals nothing: we fetch them all).
    """
    own_ids = {h for tx in own for h in (tx.txid(), tx.wtxid())}
    own_raws = {tx.serialize() for tx in own} | {tx.serialize_no_witness() for tx in own}
    found = []
    for listener in pg.p2p_listeners:
        told: dict[int, set[bytes]] = {}
        for conn, inv in listener.announced:
            told.setdefault(conn, set()).update(i.hash for i in inv.items)
        asked: dict[int, set[bytes]] = {}
        for conn, msg in listener.received:
            payload = msg.payload()
            if isinstance(msg, m.TxMessage) and payload in own_raws:
                continue
            if type(msg) is m.Inv and all(i.hash in own_ids for i in msg.items):
                continue
            if isinstance(msg, m.GetData):
                txs = [i.hash for i in msg.items if i.type & ~m.MSG_WITNESS_FLAG != m.MSG_BLOCK]
                asked.setdefault(conn, set()).update(txs)
                stray = [h for h in txs if h not in told.get(conn, set())]
                if stray:
                    found.append(f"{listener.address}: getdata for {len(stray)} unannounced tx")
                continue
            for secret in marks | txids:
                if secret in payload:
                    found.append(f"{listener.address}: {msg.command} holds {secret.hex()}")
                    break
        for conn, names in told.items():
            tx_announced = {h for h in names if h not in own_ids}
            missing = tx_announced - asked.get(conn, set())
            blocks = {h for _, inv in listener.announced for i in inv.items
                      if i.type & ~m.MSG_WITNESS_FLAG == m.MSG_BLOCK for h in [i.hash]}  # fmt: skip
            missing -= blocks
            if missing:
                found.append(
                    f"{listener.address}: {len(missing)} announced transaction(s) not fetched "
                    "(a selective getdata would tell which ones interest us)"
                )
    return found
