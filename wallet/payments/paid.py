"""Has this wallet paid this address before? Asked before a payment is prepared, so a payment
link scanned twice (or a form left filled in) is not paid twice without a question.

A prior payment is a transaction of the wallet, not replaced, that spends at least one of the
wallet's coins and has an output to the address. Runs on the thread owning the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from wallet.account.database import TxState, WalletDatabase
from wallet.bitcoin.address import address_to_script


@dataclass(frozen=True)
class PriorPayment:
    txid: bytes
    #: what its outputs to the address add up to
    amount_sat: int
    #: when the wallet first saw it (Unix time)
    when: int
    state: TxState

    @property
    def txid_hex(self) -> str:
        return self.txid[::-1].hex()


def payments_to(db: WalletDatabase, address: str, network: str) -> list[PriorPayment]:
    """The wallet's payments to ``address``, newest first."""
    script = address_to_script(address, network)
    ours = {o.outpoint for o in db.outputs()}
    found = []
    for record in db.transactions():
        if record.state is TxState.REPLACED:
            continue
        tx = record.transaction()
        paid = sum(o.value for o in tx.outputs if o.script_pubkey == script)
        if not paid or not any(i.prevout in ours for i in tx.inputs):
            continue
        found.append(PriorPayment(record.txid, paid, record.first_seen, record.state))
    return sorted(found, key=lambda p: -p.when)


__all__ = ["PriorPayment", "payments_to"]
