"""Helpers of the end-to-end payment tests (no tests here): wallets paying each other through
the playground, each with its own engine, and the till on the merchant's."""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path

from wallet.account.database import RequestState
from wallet.account.keystore import ScryptParams
from wallet.account.setup import create_from_seed
from wallet.account.wallet_file import Wallet
from wallet.backends.servers import make_pool
from wallet.bitcoin.amount import FeeRate
from wallet.bitcoin.bip39 import entropy_to_mnemonic
from wallet.bitcoin.hashes import sha256
from wallet.bitcoin.networks import REGTEST
from wallet.bitcoin.transaction import Transaction
from wallet.payments.pos import PosEngine, PosUpdate
from wallet.payments.send import Sender
from wallet.payments.tracker import RequestTracker, fan_out
from wallet.playground.chain import parse_block
from wallet.sync.engine import WalletSync
from wallet.sync.headers import open_header_store

PASSWORD = "till password"


def words(name: str) -> str:
    """A distinct, fixed seed per test and role (the playground is shared by the module)."""
    return entropy_to_mnemonic(sha256(name.encode())[:16])


def kernel_has(pg, tx: Transaction) -> int:
    """The height of the block holding ``tx`` in libbitcoinkernel's own active chain."""
    with pg.lock:
        for height in range(pg.kernel.height, 0, -1):
            _header, txs = parse_block(pg.kernel.block_at(height))
            if any(t.txid() == tx.txid() for t, _raw in txs):
                return height
    raise AssertionError(f"{tx.txid_hex} is in no block the kernel accepted")


async def until(predicate, timeout: float = 10.0, what: str = "the condition") -> float:
    """Poll ``predicate`` on the loop (so the engine keeps running); the time it held."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.005)
    return time.monotonic()


class Party:
    """One wallet with its own header store, server pool and sync engine."""

    def __init__(self, pg, folder: Path, words: str) -> None:
        self.pg = pg
        path = create_from_seed(
            folder / "wallet",
            REGTEST,
            words,
            PASSWORD,
            kdf=ScryptParams.insecure_for_tests(),
            gap_limit=5,
        )
        self.wallet = Wallet.open(path)
        self.headers_dir = folder / "headers"
        self.events: list = []
        self.task: asyncio.Task | None = None

    async def start(self, *, follow: bool) -> Party:
        pg = self.pg
        self.pool = make_pool([f"tcp://127.0.0.1:{pg.electrum_port}", pg.esplora_url], REGTEST)
        self.headers = open_header_store(REGTEST, self.headers_dir)
        self.tracker = RequestTracker(self.wallet, self.headers)
        self.sync = WalletSync(
            self.wallet,
            self.pool,
            self.headers,
            on_event=fan_out(self.tracker.on_event, self.events.append),
        )
        await self.sync.sync()
        if follow:
            self.task = asyncio.create_task(self.sync.follow())
        self.sender = Sender(self.wallet, self.sync)
        return self

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
        await self.pool.close()
        self.headers.close()
        self.wallet.close()

    def receive_address(self, index: int = 0) -> str:
        from wallet.account.database import Chain

        return self.wallet.db.address_at(Chain.RECEIVE, index).address

    def secret(self):
        return self.wallet.unlock(PASSWORD)

    async def pay_uri(self, uri: str, rate: FeeRate) -> tuple[Transaction, float]:
        _parsed, built = self.sender.build_for_uri(uri, rate)
        tx = self.sender.sign(built, self.secret())
        started = time.monotonic()
        assert await self.sender.broadcast(tx) == tx.txid()
        return tx, started


class Till:
    """A POS engine on the merchant's tracker, recording every update with its time."""

    def __init__(self, merchant: Party, receipts: Path) -> None:
        self.updates: list[tuple[float, PosUpdate]] = []
        self.pos = PosEngine(
            merchant.tracker,
            headers=merchant.headers,
            pool=merchant.pool,
            fee_estimate=merchant.sync.fee_estimate,
            on_update=lambda u: self.updates.append((time.monotonic(), u)),
            receipts_dir=receipts,
        )

    def charge(self, sats: int, **kw):
        self.updates.clear()
        return self.pos.charge(sats, **kw)

    def reached(self, state: RequestState) -> bool:
        return any(u.state is state for _, u in self.updates)

    async def wait(self, state: RequestState, timeout: float = 10.0) -> float:
        return await until(lambda: self.reached(state), timeout, state.value)

    def status(self):
        return self.pos.tracker.statuses[self.pos.current.id]


def run(coro, timeout: float = 60):
    return asyncio.run(asyncio.wait_for(coro, timeout))
