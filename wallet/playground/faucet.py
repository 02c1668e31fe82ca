"""The playground's own wallet: one P2WPKH key that mined the coins and hands them out.

Its secret lives in the data directory (regtest coins only) and is never printed. Signing uses
``wallet.bitcoin.signing``, so every funding transaction is also a test of the wallet's signer:
the mempool checks it with libbitcoinkernel like any other.
"""

from __future__ import annotations

import os
from pathlib import Path

from wallet.bitcoin.hashes import hash160
from wallet.bitcoin.script import p2wpkh_script
from wallet.bitcoin.signing import public_key, sign_transaction
from wallet.bitcoin.transaction import SEQUENCE_RBF, OutPoint, Transaction, TxIn, TxOut
from wallet.playground.errors import PlaygroundError
from wallet.playground.mempool import dust_threshold


class Faucet:
    def __init__(self, secret: bytes) -> None:
        self._secret = secret
        self.script_pubkey = p2wpkh_script(hash160(public_key(secret)))

    @classmethod
    def load(cls, path: Path) -> Faucet:
        """The key in ``path``, created (owner-only) on first use."""
        if path.exists():
            secret = bytes.fromhex(path.read_text().strip())
        else:
            secret = os.urandom(32)
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secret.hex() + "\n")
        return cls(secret)

    def build(
        self, coins: list[tuple[OutPoint, int]], outputs: list[TxOut], fee_rate: float
    ) -> Transaction:
        """A signed transaction paying ``outputs`` from ``coins`` (largest first), change back
        to the faucet, at ``fee_rate`` sat/vB."""
        want = sum(o.value for o in outputs)
        chosen: list[tuple[OutPoint, int]] = []
        for coin in sorted(coins, key=lambda c: c[1], reverse=True):
            chosen.append(coin)
            total = sum(v for _, v in chosen)
            tx = self._signed(chosen, outputs, total - want, fee_rate)
            if tx is not None:
                return tx
        have = sum(v for _, v in coins)
        raise PlaygroundError(
            f"the faucet has {have} sat spendable, not enough for {want} sat plus fee; "
            "mine more blocks (coinbase outputs mature after 100)"
        )

    def _signed(
        self, coins: list[tuple[OutPoint, int]], outputs: list[TxOut], spare: int, rate: float
    ) -> Transaction | None:
        spent = [TxOut(v, self.script_pubkey) for _, v in coins]
        inputs = [TxIn(op, b"", SEQUENCE_RBF) for op, _ in coins]
        change = TxOut(0, self.script_pubkey)
        tx = Transaction(2, inputs, [*outputs, change], 0)
        sign_transaction(tx, [self._secret], spent)
        # Signed again below, a signature may come out a byte longer (a shorter S the first
        # time): room for one more byte an input, so the fee never falls under the rate.
        fee = int(rate * (tx.vsize() + len(coins)) + 0.999)
        if spare - fee >= dust_threshold(change):
            change.value = spare - fee
        else:
            tx.outputs.pop()
            fee = int(rate * (tx.vsize() + len(coins)) + 0.999)
            if spare < fee:
                return None
        sign_transaction(tx, [self._secret], spent)
        return tx
