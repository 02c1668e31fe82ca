"""The playground's faucet pays at least the fee rate it is asked for, whatever the signatures.

An ECDSA signature is 71 or 72 bytes (a shorter S about once in 256 signings, and the faucet
signs twice: before and after setting its change). Sized on the first signing, a funding
transaction once paid 140 sat for 141 vbytes and the mempool refused it ("min relay fee not
met"), failing tests/test_pay_cli.py now and then.
"""

from __future__ import annotations

import random

from wallet.bitcoin.script import p2wpkh_script
from wallet.bitcoin.transaction import OutPoint, TxOut
from wallet.playground.faucet import Faucet


def test_every_funding_transaction_pays_at_least_its_fee_rate():
    rng = random.Random(7)
    faucet = Faucet(bytes(31) + b"\x07")
    payee = TxOut(0, p2wpkh_script(bytes(20)))
    for i in range(1500):
        coins = [(OutPoint(rng.randbytes(32), 0), 50_000_000) for _ in range(1 + i % 2)]
        sats = rng.randrange(10_000, 40_000_000)
        rate = rng.choice([1.0, 2.0, 2.5])
        tx = faucet.build(coins, [TxOut(sats, payee.script_pubkey)], rate)
        fee = sum(v for _, v in coins[: len(tx.inputs)]) - sum(o.value for o in tx.outputs)
        assert fee >= rate * tx.vsize(), (i, fee, tx.vsize(), rate)
