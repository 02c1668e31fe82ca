"""Shared helpers for the wallet-sync tests (no tests here): wallets, pools, and the
playground's own view of a wallet, computed from its chain and mempool without our sync code.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wallet.account.database import Chain, TxState
from wallet.account.keystore import ScryptParams
from wallet.account.setup import create_from_seed
from wallet.account.signer import sign_transaction
from wallet.account.tx_builder import (
    BuiltTransaction,
    ChangeDestination,
    Recipient,
    build_payment,
    coin_from_output,
)
from wallet.account.wallet_file import Wallet
from wallet.backends.electrum import ElectrumClient
from wallet.backends.esplora import EsploraClient
from wallet.backends.pool import ServerPool
from wallet.bitcoin.amount import FeeRate
from wallet.bitcoin.descriptors import parse_descriptor
from wallet.bitcoin.networks import REGTEST
from wallet.spv.store import HeaderStore
from wallet.sync.engine import WalletSync

MNEMONIC = (
    "legal winner thank year wave sausage worth useful legal winner thank yellow"  # BIP39 vector
)
PASSWORD = "correct horse"


def new_wallet(path: Path, mnemonic: str = MNEMONIC, gap_limit: int = 20) -> Wallet:
    """A seed wallet (cheap KDF: tests only) opened from ``path``."""
    create_from_seed(
        path,
        REGTEST,
        mnemonic,
        PASSWORD,
        kdf=ScryptParams.insecure_for_tests(),
        gap_limit=gap_limit,
    )
    return Wallet.open(path)


def make_pool(pg: Any, *, timeout: float = 10.0, esplora: bool = True) -> ServerPool:
    """The playground's Electrum and Esplora servers in one pool (named by protocol)."""
    backends: list[Any] = [
        ElectrumClient(
            "127.0.0.1", pg.electrum_port, network=REGTEST, name="electrum", timeout=timeout
        )
    ]
    if esplora:
        backends.append(
            EsploraClient(
                pg.esplora_url,
                network=REGTEST,
                name="esplora",
                timeout=timeout,
                retries=1,
                poll_interval=0.5,
            )
        )
    return ServerPool(backends)


@dataclass
class Session:
    """A wallet, a pool, a header store and the engine over them (one event loop)."""

    wallet: Wallet
    pool: ServerPool
    store: HeaderStore
    sync: WalletSync
    events: list[Any]

    async def close(self) -> None:
        await self.pool.close()
        self.store.close()


def open_session(pg: Any, wallet: Wallet, headers_dir: Path, **pool_options: Any) -> Session:
    """Build a session; call from inside the event loop that will use it."""
    pool = make_pool(pg, **pool_options)
    store = HeaderStore(headers_dir, "regtest")
    events: list[Any] = []
    return Session(
        wallet, pool, store, WalletSync(wallet, pool, store, on_event=events.append), events
    )


def run(coro: Any, timeout: float = 60) -> Any:
    return asyncio.run(asyncio.wait_for(coro, timeout))


# -- the playground's own view ---------------------------------------------------------------


@dataclass
class PlaygroundView:
    """What the playground's chain and mempool say about a set of scripts."""

    #: txid -> block height (0 for the mempool)
    txs: dict[bytes, int]
    confirmed_balance: int
    unconfirmed_delta: int


def wallet_scripts(wallet: Wallet, count: int = 200) -> list[bytes]:
    """The wallet's scriptPubKeys on both chains up to ``count`` (derived from its descriptors)."""
    scripts = []
    for text in (wallet.config.receive_descriptor, wallet.config.change_descriptor):
        assert text is not None
        descriptor = parse_descriptor(text, "regtest")
        scripts += [descriptor.script_pubkey(i) for i in range(count)]
    return scripts


def playground_view(pg: Any, scripts: list[bytes]) -> PlaygroundView:
    """The playground ledger's history and Electrum-style balances (honest view)."""
    txs: dict[bytes, int] = {}
    confirmed = unconfirmed = 0
    with pg.lock:
        for script in scripts:
            sh = hashlib.sha256(script).digest()
            for item in pg.ledger.history(sh, "reference"):
                txs[item.txid] = max(item.height, 0)
            c, u = pg.ledger.balance(sh)
            confirmed += c
            unconfirmed += u
    return PlaygroundView(txs, confirmed, unconfirmed)


def fold_branch(txid: bytes, branch: tuple[bytes, ...], pos: int) -> bytes:
    """Merkle root from a leaf and its branch, written out with hashlib (independent check)."""
    node = txid
    for sibling in branch:
        pair = sibling + node if pos & 1 else node + sibling
        node = hashlib.sha256(hashlib.sha256(pair).digest()).digest()
        pos >>= 1
    return node


def assert_matches_playground(pg: Any, wallet: Wallet) -> PlaygroundView:
    """The wallet's history, states, balance and proofs agree exactly with the playground's."""
    view = playground_view(pg, wallet_scripts(wallet))
    db = wallet.db
    live = {r.txid: r for r in db.transactions() if r.state is not TxState.REPLACED}
    assert set(live) == set(view.txs), (
        f"wallet has {len(set(live) - set(view.txs))} extra, "
        f"misses {len(set(view.txs) - set(live))}"
    )
    with pg.lock:
        blocks = list(pg.chain.blocks)
    for txid, height in view.txs.items():
        record = live[txid]
        if height == 0:
            assert record.state is TxState.UNCONFIRMED, record
            assert record.height is None
            continue
        assert record.state is TxState.CONFIRMED, record
        proof = record.proof
        assert proof is not None and proof.height == height
        block = blocks[height]
        assert proof.block_hash == block.hash
        assert [t.txid for t in block.txs].index(txid) == proof.position
        assert fold_branch(txid, proof.branch, proof.position) == block.header[36:68]
    balance = db.balance()
    assert balance.confirmed == view.confirmed_balance
    assert balance.unconfirmed == view.unconfirmed_delta
    assert balance.unverified == 0
    return view


# -- spending from the wallet (our own builder and signer) -----------------------------------


def pay(
    wallet: Wallet,
    address: str,
    amount: int,
    fee_rate: str = "2",
    *,
    states: tuple[TxState, ...] = (TxState.CONFIRMED,),
) -> tuple[BuiltTransaction, ChangeDestination]:
    """A payment from the wallet's coins in ``states``, change to the next change address."""
    db = wallet.db
    config = wallet.config
    descriptors = {
        Chain.RECEIVE: parse_descriptor(config.receive_descriptor, "regtest"),
        Chain.CHANGE: parse_descriptor(config.change_descriptor or "", "regtest"),
    }
    coins = [coin_from_output(o, descriptors[o.chain]) for o in db.utxos(states)]
    change_address = db.first_unused(Chain.CHANGE)
    assert change_address is not None
    change = ChangeDestination(descriptors[Chain.CHANGE], change_address.index)
    built = build_payment(
        [Recipient(address, amount)], coins, FeeRate.from_sat_per_vb(fee_rate), change, REGTEST
    )
    return built, change


def sign(wallet: Wallet, built: BuiltTransaction):
    return sign_transaction(built.psbt, wallet.unlock(PASSWORD), REGTEST, db=wallet.db)
