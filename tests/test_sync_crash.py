"""Crash safety: ``kill -9`` a ``paylight sync`` at random moments, many times, and reopen.

A wallet with a few hundred transactions (receives, sends with change, RBF replacements) is
synced by a real ``paylight sync`` subprocess that is SIGKILLed after a random delay, again and
again, with new transactions arriving now and then. After every kill the wallet must open (its
lock died with the process), SQLite's integrity check must pass, and nothing may be
half-written: every confirmed transaction carries a proof that checks against the header at its
height in our store (and that header is the playground's block), and nothing is stored that the
playground never had. The last sync runs to the end and must equal the playground's own view,
and a clean restore synced from scratch must agree with it.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.playground_fixture import playground  # noqa: F401
from tests.wallet_builder import HistoryBuilder
from wallet.account.database import TxState
from wallet.account.keystore import ScryptParams
from wallet.account.setup import create_from_seed
from wallet.account.wallet_file import Wallet
from wallet.spv.merkle import verify_branch
from wallet.sync.headers import open_header_store, wallet_store_dir

REPO = Path(__file__).resolve().parents[1]
MNEMONIC = (
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
)
KILLS = 15

pytestmark = pytest.mark.slow  # about 30 s; part of the default run


def _sync_command(pg, wallet: Path, output: str = "--quiet") -> list[str]:
    return [
        sys.executable,
        "-m",
        "wallet",
        "sync",
        "--network",
        "regtest",
        "--wallet",
        str(wallet),
        "--server",
        f"tcp://127.0.0.1:{pg.electrum_port}",
        "--server",
        pg.esplora_url,
        output,
        "--json",
    ]


def _sync_and_kill(pg, wallet: Path, env: dict[str, str], lines: int, delay: float) -> bool:
    """Start a sync, SIGKILL it after ``lines`` status lines and ``delay`` seconds; whether
    it was still running when killed."""
    proc = subprocess.Popen(
        [*_sync_command(pg, wallet, "--verbose")],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen = 0
    captured = []
    assert proc.stderr is not None
    while seen < lines:
        line = proc.stderr.readline()
        if not line:
            break
        captured.append(line)
        seen += line.strip().startswith("status ")
    time.sleep(delay)
    running = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    rest = proc.stderr.read()
    proc.wait(timeout=30)
    assert proc.returncode in (0, -signal.SIGKILL), "".join(captured) + rest
    return running


def _run_sync(pg, wallet: Path, env: dict[str, str]) -> None:
    done = subprocess.run(
        _sync_command(pg, wallet), env=env, cwd=REPO, capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr.decode()


def _check_consistent(folder: Path, pg, known: set[str]) -> dict[str, TxState]:
    """Open the wallet as a user would after the crash; return its transactions' states."""
    with Wallet.open(folder) as wallet:
        assert wallet.db.integrity_check() == "ok"
        records = wallet.db.transactions()
        store = open_header_store("regtest", wallet_store_dir(wallet))
        try:
            tip = store.height
            for record in records:
                assert record.txid_hex in known, "a transaction the playground never had"
                if record.state is not TxState.CONFIRMED:
                    assert record.proof is None
                    continue
                proof = record.proof
                assert proof is not None and proof.height <= tip
                assert store.hash_at(proof.height) == proof.block_hash
                with pg.lock:
                    assert pg.chain.blocks[proof.height].hash == proof.block_hash
                verify_branch(record.raw, proof.branch, proof.position, store.header(proof.height))
        finally:
            store.close()
        # A stored transaction comes with all of its outputs that pay the wallet's addresses
        # whose history was stored (an address derived but not yet asked about may be paid by
        # a stored transaction: its step comes next).
        ours = {a.script_pubkey for a in wallet.db.addresses() if a.status is not None}
        outputs = {(o.outpoint.txid, o.outpoint.vout) for o in wallet.db.outputs()}
        for record in records:
            if record.state is TxState.REPLACED:
                continue
            for vout, out in enumerate(record.transaction().outputs):
                if out.script_pubkey in ours:
                    assert (record.txid, vout) in outputs
        wallet.db.balance()  # computable from whatever was committed
        return {r.txid_hex: r.state for r in records}


def test_sigkill_during_sync_loses_nothing_and_resumes(tmp_path, monkeypatch, playground):  # noqa: F811
    pg = playground
    home = tmp_path / "home"
    monkeypatch.setenv("PAYLIGHT_HOME", str(home))
    env = dict(os.environ, PAYLIGHT_HOME=str(home), PYTHONPATH=str(REPO))
    folder = create_from_seed(
        tmp_path / "wallet", "regtest", MNEMONIC, "pw", kdf=ScryptParams.insecure_for_tests()
    )
    pg.mine(110)
    builder = HistoryBuilder(pg, MNEMONIC)
    builder.build(400, seed=11)
    known = set(builder.view().txs) | set(builder.replaced)

    # An uninterrupted sync of a second copy of the wallet, with its own header store: how
    # long a whole sync takes here (the kills' extra delays scale with it), and at the end
    # the reference the interrupted wallet must equal.
    clean = create_from_seed(
        tmp_path / "clean", "regtest", MNEMONIC, "pw", kdf=ScryptParams.insecure_for_tests()
    )
    clean_env = dict(env, PAYLIGHT_HOME=str(tmp_path / "clean-home"))  # its own header store
    started = time.monotonic()
    _run_sync(pg, clean, clean_env)
    whole = time.monotonic() - started

    rng = random.Random(2024)
    interrupted = 0
    seen_counts = set()
    for kill in range(KILLS):
        if kill % 3 == 2:  # new payments arrive between runs: there is always work to resume
            for _ in range(6):
                builder.receive(rng.randrange(60_000, 200_000))
            builder.send(20_000, replace=kill % 2 == 0)
            if kill % 2:
                builder.mine()
            known |= set(builder.view().txs) | set(builder.replaced)
        # Kill after a random number of progress lines (a phase began, a step was committed)
        # plus a random part of the next step, so kills land in every phase on any machine.
        lines = rng.randrange(0, 6)
        delay = rng.uniform(0.0, whole / 4)
        if _sync_and_kill(pg, folder, env, lines, delay):
            interrupted += 1
        states = _check_consistent(folder, pg, known)
        seen_counts.add(sum(s is TxState.CONFIRMED for s in states.values()))
    assert interrupted >= KILLS // 2, f"only {interrupted} kills landed during a sync"
    assert len(seen_counts) >= 3, f"the kills all found the same state: {seen_counts}"

    _run_sync(pg, folder, env)
    states = _check_consistent(folder, pg, known)
    view = builder.view()
    standing = {t: s for t, s in states.items() if s is not TxState.REPLACED}
    assert set(standing) == set(view.txs)
    for txid, height in view.txs.items():
        assert standing[txid] is (TxState.UNCONFIRMED if height is None else TxState.CONFIRMED)
    with Wallet.open(folder) as wallet:
        balance = wallet.db.balance()
    assert (balance.confirmed, balance.unverified, balance.unconfirmed) == (
        view.confirmed,
        0,
        view.unconfirmed,
    )

    # The copy that was never interrupted, synced again, agrees.
    _run_sync(pg, clean, clean_env)
    with Wallet.open(clean) as wallet:
        assert wallet.db.balance() == balance
        clean_states = {r.txid_hex: r.state for r in wallet.db.transactions()}
    assert {t: s for t, s in clean_states.items() if s is not TxState.REPLACED} == standing
