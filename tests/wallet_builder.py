"""A BIP84 wallet's history made on the playground, for sync tests and ``bench/sync.py``.

:class:`HistoryBuilder` holds the wallet's keys (from its seed words, as any restoring wallet
would) and makes real transactions that libbitcoinkernel checks: receives from the faucet
(several per address, as a shop reuses nothing but a donation address does), sends to an
outside address with change back to the change chain, and full-RBF replacements of some sends.
It never looks at Paylight's wallet database: what the playground's ledger says about the
wallet's scripts (:meth:`HistoryBuilder.view`) is the independent answer a sync must match.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from wallet.bitcoin.bip32 import ExtendedKey
from wallet.bitcoin.bip39 import mnemonic_to_seed
from wallet.bitcoin.hashes import hash160, sha256
from wallet.bitcoin.networks import REGTEST
from wallet.bitcoin.script import p2wpkh_script
from wallet.bitcoin.signing import public_key, sign_transaction
from wallet.bitcoin.transaction import SEQUENCE_RBF, OutPoint, Transaction, TxIn, TxOut
from wallet.playground import Playground
from wallet.playground.chain import scripthash

#: Where sends go: a key outside the wallet.
EXTERNAL_SCRIPT = p2wpkh_script(hash160(public_key(sha256(b"paylight test payee"))))
SEND_FEE = 600
REPLACEMENT_FEE = 2500
#: The faucet chains its change through the mempool; mine before the 25-ancestor limit.
MINE_EVERY = 20


@dataclass
class Coin:
    value: int
    script: bytes
    secret: bytes
    mined: bool


@dataclass(frozen=True)
class View:
    """The playground's own view of the wallet's scripts (Electrum's semantics)."""

    confirmed: int
    unconfirmed: int
    #: txid hex -> block height (None in the mempool)
    txs: dict[str, int | None]


class HistoryBuilder:
    """Makes a P2WPKH (BIP84, account 0) wallet's history on a running regtest playground."""

    def __init__(
        self, pg: Playground, mnemonic: str, *, per_address: int = 3, gap_limit: int = 20
    ) -> None:
        root = ExtendedKey.from_seed(mnemonic_to_seed(mnemonic), REGTEST)
        self.account = root.derive_path("m/84'/1'/0'")
        self.pg = pg
        self.per_address = per_address
        self.gap_limit = gap_limit
        self.coins: dict[OutPoint, Coin] = {}
        self.receives = 0
        self.next_change = 0
        self.unmined = 0
        self.sends = 0
        self.replaced: list[str] = []
        self._keys: dict[tuple[int, int], tuple[bytes, bytes]] = {}

    # -- keys ---------------------------------------------------------------------------------

    def key(self, chain: int, index: int) -> tuple[bytes, bytes]:
        """(secret, scriptPubKey) of m/84'/1'/0'/chain/index."""
        found = self._keys.get((chain, index))
        if found is None:
            child = self.account.derive_path([chain, index])
            found = (child.secret, p2wpkh_script(hash160(child.public_key)))
            self._keys[(chain, index)] = found
        return found

    def scripts(self) -> list[bytes]:
        """Every script the wallet watches: used ones and a gap limit past them, both chains."""
        receive_used = (self.receives - 1) // self.per_address if self.receives else -1
        change_used = self.next_change - 1
        return [
            self.key(chain, i)[1]
            for chain, used in ((0, receive_used), (1, change_used))
            for i in range(used + 1 + self.gap_limit)
        ]

    # -- transactions -------------------------------------------------------------------------

    def receive(self, sats: int) -> str:
        """The faucet pays the next receive address (each address gets ``per_address``)."""
        secret, script = self.key(0, self.receives // self.per_address)
        txid = self.pg.fund(script, sats)
        self.receives += 1
        with self.pg.lock:
            found = self.pg.ledger.find_tx(bytes.fromhex(txid)[::-1])
        assert found is not None
        for vout, out in enumerate(found.entry.tx.outputs):
            if out.script_pubkey == script:
                self.coins[OutPoint.from_hex(txid, vout)] = Coin(out.value, script, secret, False)
        self._count()
        return txid

    def send(self, sats: int, *, replace: bool = False, inputs: int = 1) -> str | None:
        """Pay ``sats`` out from mined coins with change; ``replace`` then RBF-bumps it.

        Returns the txid that stands (the replacement, if any); None without enough mined coins.
        """
        spendable = sorted(
            ((op, c) for op, c in self.coins.items() if c.mined), key=lambda x: -x[1].value
        )[:inputs]
        total = sum(c.value for _, c in spendable)
        if not spendable or total < sats + REPLACEMENT_FEE + 1000:
            return None
        for op, _ in spendable:
            del self.coins[op]
        change_secret, change_script = self.key(1, self.next_change)
        self.next_change += 1
        txid = self._spend(spendable, sats, change_script, change_secret, SEND_FEE)
        if replace:
            self.replaced.append(txid)
            del self.coins[OutPoint.from_hex(txid, 1)]
            txid = self._spend(spendable, sats, change_script, change_secret, REPLACEMENT_FEE)
        self.sends += 1
        self._count()
        return txid

    def _spend(
        self,
        coins: list[tuple[OutPoint, Coin]],
        sats: int,
        change_script: bytes,
        change_secret: bytes,
        fee: int,
    ) -> str:
        change = sum(c.value for _, c in coins) - sats - fee
        tx = Transaction(
            2,
            [TxIn(op, b"", SEQUENCE_RBF) for op, _ in coins],
            [TxOut(sats, EXTERNAL_SCRIPT), TxOut(change, change_script)],
            0,
        )
        sign_transaction(
            tx, [c.secret for _, c in coins], [TxOut(c.value, c.script) for _, c in coins]
        )
        txid = self.pg.broadcast(tx)
        self.coins[OutPoint.from_hex(txid, 1)] = Coin(change, change_script, change_secret, False)
        return txid

    def _count(self) -> None:
        self.unmined += 1
        if self.unmined >= MINE_EVERY:
            self.mine()

    def mine(self, n: int = 1) -> None:
        self.pg.mine(n)
        self.unmined = 0
        for coin in self.coins.values():
            coin.mined = True

    def build(self, transactions: int, *, seed: int = 1, leave_unmined: int = 3) -> None:
        """About ``transactions`` wallet transactions: 70 % receives, the rest sends, a quarter
        of those replaced; the last ``leave_unmined`` stay in the mempool."""
        rng = random.Random(seed)
        made = 0
        while made < transactions:
            if made == transactions - leave_unmined and self.unmined:
                self.mine()
            roll = rng.random()
            txid = None
            if roll >= 0.7 and made > 5:
                txid = self.send(
                    rng.randrange(5_000, 50_000),
                    replace=roll >= 0.925,
                    inputs=1 if rng.random() < 0.8 else 2,
                )
            if txid is None:
                self.receive(rng.randrange(60_000, 400_000))
            made += 1

    def view(self) -> View:
        """What the playground's ledger says about every script the wallet watches."""
        confirmed = unconfirmed = 0
        txs: dict[str, int | None] = {}
        with self.pg.lock:
            for script in self.scripts():
                sh = scripthash(script)
                c, u = self.pg.ledger.balance(sh)
                confirmed += c
                unconfirmed += u
                for item in self.pg.ledger.history(sh, "electrum"):
                    txs[item.txid_hex] = item.height if item.height > 0 else None
        return View(confirmed, unconfirmed, txs)
