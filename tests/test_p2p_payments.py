"""Payments over the light node alone, over real sockets on the playground.

A merchant's ``paylight charge --p2p`` and a customer's ``paylight pay --p2p``: the payment is
announced to one peer, served when it asks, and relayed back by another; the till sees it
from the peers' announcements (every announced transaction fetched, the wallet's found
here), with its risk view, then confirmed from the block. Through all of it -- the restore,
the payment sent, the payment received -- no peer is told an address, a script or a txid of
either wallet but the customer's own broadcast.

The risk view from the peers' announcements alone: how many peers announced it, its
unconfirmed parents, a conflicting spend, and an unknown fee when the coins it spends are in
blocks (their amounts are never asked for by id).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.e2e_support import words
from tests.light_support import leaks, peer_args, wallet_secrets
from tests.playground_fixture import TestKey, funded_coin, start_playground
from tests.wallet_builder import HistoryBuilder
from wallet.bitcoin.networks import REGTEST
from wallet.bitcoin.transaction import OutPoint, Transaction, TxOut
from wallet.cli import main
from wallet.p2p.client import LightClient
from wallet.payments.risk import UNKNOWN_AMOUNTS, assess_risk_from_peers
from wallet.spv.store import HeaderStore
from wallet.sync.light import PeerMempoolView

MNEMONIC = "abandon " * 11 + "about"
PASSWORD = "light payments password"


@pytest.fixture
def pg(tmp_path):
    pg = start_playground(tmp_path / "pg", p2p_listeners=3)
    try:
        yield pg
    finally:
        pg.stop()


def env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PAYLIGHT_HOME": str(tmp_path / "home"),
        "PAYLIGHT_PASSWORD": PASSWORD,
        "PYTHONPATH": os.getcwd(),
    }


def cli_json(capsys, *argv: str):
    capsys.readouterr()
    code = main([*argv, "--network", "regtest", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def restore(capsys, tmp_path: Path, name: str, mnemonic: str) -> Path:
    seed = tmp_path / f"{name}.seed"
    seed.write_text(mnemonic + "\n")
    info = cli_json(capsys, "restore", "--wallet", name, "--seed-file", str(seed),
                    "--gap-limit", "5")  # fmt: skip
    return Path(info["wallet"])


class Charge:
    """``paylight charge`` running in its own process, its JSON lines read as they come."""

    def __init__(self, tmp_path: Path, *argv: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "wallet", "charge", *argv, "--json", "--no-qr",
             "--network", "regtest"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env(tmp_path),
        )  # fmt: skip
        self.lines: list[dict] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(json.loads(line))

    def wait_for(self, predicate, timeout: float = 60.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines:
                if predicate(line):
                    return line
            if self.proc.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.05)
        err = self.proc.stderr.read() if self.proc.poll() is not None else ""
        raise AssertionError(f"not seen: {self.lines} {err}")

    def finish(self, timeout: float = 60.0) -> tuple[int, str]:
        code = self.proc.wait(timeout)
        self._reader.join(5)
        return code, self.proc.stderr.read()


def test_a_payment_over_p2p_sent_seen_by_the_till_and_confirmed_telling_no_peer(
    pg, tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PAYLIGHT_PASSWORD", PASSWORD)
    builder = HistoryBuilder(pg, MNEMONIC, per_address=2, gap_limit=5)
    builder.build(12, seed=2, leave_unmined=0)
    builder.mine()
    for listener in pg.p2p_listeners:  # from here on, everything the peers are told counts
        listener.received.clear()
        listener.announced.clear()
    peers = peer_args(pg)
    customer = restore(capsys, tmp_path, "customer", MNEMONIC)
    merchant = restore(capsys, tmp_path, "merchant", words("p2p merchant"))
    cli_json(capsys, "sync", "--wallet", "customer", *peers)
    cli_json(capsys, "sync", "--wallet", "merchant", *peers)

    till = Charge(tmp_path, "0.001", "--wallet", "merchant", "--timeout", "90", *peers)
    try:
        request = till.wait_for(lambda x: x["event"] == "request")
        till.wait_for(lambda x: x.get("state") == "waiting")
        sent = cli_json(capsys, "pay", request["uri"], "--wallet", "customer", "--yes", *peers)
        # announced to one peer, which fetched it; another announced it back
        assert len(sent["accepted_by"]) == 1 and sent["relayed_by"]
        assert sent["accepted_by"][0] not in sent["relayed_by"]
        seen = till.wait_for(lambda x: x.get("state") == "seen" and "risk" in x)
        (view,) = seen["risk"]
        assert view["txid"] == sent["txid"] and len(view["seen_by"]) >= 2
        assert UNKNOWN_AMOUNTS in view["problems"]  # the customer's coins are in blocks
        assert seen["decision"]["hand_over"] is False
        pg.mine(1)
        result = till.wait_for(lambda x: x["event"] == "result")
    finally:
        if till.proc.poll() is None:
            time.sleep(0.5)
        code, err = till.finish()
    assert result["result"] in ("paid", "confirmed") and code == 0, err
    assert result["receipts"] and Path(result["receipts"][0]).is_file()
    merchant_history = cli_json(capsys, "history", "--wallet", "merchant", *peers, "--sync")
    assert [(r["txid"], r["state"]) for r in merchant_history] == [(sent["txid"], "confirmed")]

    own = [_tx_of(pg, sent["txid"])]
    marks, txids = set(), set()
    for folder in (customer, merchant):
        m, t = wallet_secrets(folder / "wallet.sqlite")
        marks |= m
        txids |= t
    assert leaks(pg, marks, txids, own=own) == []
    # (the search is not blind: the broadcast itself, not excused, is found in what the peer
    # it was announced to received -- its tx holds the customer's change script)
    found = leaks(pg, marks, txids)
    taker = sent["accepted_by"][0]
    assert any(f.startswith(f"{taker}: tx holds") for f in found), found


def _tx_of(pg, txid_hex: str) -> Transaction:
    with pg.lock:
        found = pg.ledger.find_tx(bytes.fromhex(txid_hex)[::-1])
    return found.entry.tx


def test_the_risk_view_from_the_peers_announcements(pg, tmp_path):
    key = TestKey(b"risk view over p2p")
    coin = funded_coin(pg, key, 60_000)  # confirmed: its amount is not asked of any peer
    merchant = b"\x00\x14" + bytes(20)

    async def go():
        store = HeaderStore(tmp_path / "headers", REGTEST, fsync=False)
        client = LightClient(REGTEST, store, peers=peer_args(pg)[1:], target_peers=3,
                             use_dns=False, use_fixed=False, timeout=10)  # fmt: skip
        try:
            await client.start()
            await client.sync()
            view = PeerMempoolView(client, client.mempool)

            async def announced(tx: Transaction) -> None:
                await asyncio.get_running_loop().run_in_executor(None, pg.broadcast, tx.serialize())
                for _ in range(200):
                    # announced by every peer, and the transaction itself fetched (the spends
                    # are indexed from it, not from the announcements)
                    if len(view.seen_by(tx)) == 3 and view.transaction(tx.txid()) is not None:
                        return
                    await asyncio.sleep(0.02)
                raise AssertionError("the peers did not announce it")

            pay = key.spend([coin], [TxOut(59_000, merchant)])
            await announced(pay)
            first = await assess_risk_from_peers(pay, view)
            child = key.spend([(OutPoint(pay.txid(), 0), 59_000)], [TxOut(58_000, key.script)])
            # (the child spends the merchant's output only in form: the risk view reads, it
            # does not validate; the playground would refuse it, so it is assessed unsent)
            second = await assess_risk_from_peers(child, view)
            bump = key.spend([coin], [TxOut(58_500, merchant)])  # RBF: same coin, higher fee
            await announced(bump)
            third = await assess_risk_from_peers(pay, view)
            return first, second, third, bump
        finally:
            await client.close()
            store.close()

    first, second, third, bump = asyncio.run(asyncio.wait_for(go(), 60))
    assert len(first.seen_by) == 3 and first.not_seen_by == ()
    assert first.fee is None and first.problems == (UNKNOWN_AMOUNTS,)
    assert first.rbf and first.unconfirmed_parents == () and first.conflicts == ()
    assert second.unconfirmed_parents == (first.txid,) and second.fee == 1_000
    assert [c.txid for c in third.conflicts] == [bump.txid()]
    assert "conflicting spend seen" in third.flags()
