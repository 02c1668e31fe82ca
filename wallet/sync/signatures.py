"""Does a transaction that spends a wallet coin carry a signature that is valid for that coin?

A server can list any transaction it likes, and one that spends a wallet coin would make the
coin look spent. The wallet knows each of its coins' script and amount, so it checks, with
Bitcoin Core's own script interpreter (libbitcoinkernel, through py-bitcoinkernel), that every
input spending one of them is valid -- every soft fork on, as for a block. A transaction whose
wallet input fails is not one any node would relay or mine: the servers that list it lie.

Segwit v0 and legacy signatures commit only to their own input's coin, so knowing our coins is
enough. A Taproot signature commits to every input's amount and script, so when a Taproot wallet
coin is spent beside coins of others, their outputs are needed too (:class:`NeedPrevouts`); the
caller fetches the parent transactions, each checked to hash to its txid.

:func:`invalid_spends` runs the check over a chain source's new transactions, for every source:
the servers' (which can send parents) and those holding whole blocks (which cannot).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence

from wallet.account.database import WalletDatabase
from wallet.bitcoin.errors import BitcoinError
from wallet.bitcoin.script import parse_witness_program
from wallet.bitcoin.transaction import OutPoint, Transaction, TxOut

#: Parent transactions fetched to check one Taproot spend of a wallet coin beside others' coins.
MAX_PARENTS_FETCHED = 500


class NeedPrevouts(Exception):
    """A Taproot wallet input's signature commits to the other inputs' coins, which are not
    all known: fetch those (``missing``: input indexes) and ask again."""

    def __init__(self, missing: list[int]) -> None:
        super().__init__(f"the coins of inputs {missing} are needed")
        self.missing = missing


def _is_taproot(script_pubkey: bytes) -> bool:
    program = parse_witness_program(script_pubkey)
    return program is not None and program[0] == 1


def invalid_inputs(
    raw_tx: bytes, prevouts: Sequence[TxOut | None], check: Sequence[int]
) -> list[int]:
    """The inputs among ``check`` whose script does not verify (libbitcoinkernel).

    ``prevouts`` has one entry per input: the coin it spends, or None where unknown; every
    input in ``check`` must be known. Raises :class:`NeedPrevouts` when a Taproot input is
    checked and some other coin is unknown.
    """
    known = [p for p in prevouts if p is not None]
    complete = len(known) == len(prevouts)
    if not complete:
        missing = [i for i, p in enumerate(prevouts) if p is None]
        if any(_is_taproot(prevouts[i].script_pubkey) for i in check):  # type: ignore[union-attr]
            raise NeedPrevouts(missing)
    # libbitcoinkernel is loaded on the first check, on the sync thread, not when the GUI
    # imports the sync layer at start (it costs ~0.1 s of start-up otherwise)
    from wallet.sync.kernel_scripts import failing_inputs

    return failing_inputs(raw_tx, prevouts, known if complete else None, check)


#: A parent transaction by txid, checked to hash to it; None when no one can send it.
FetchParent = Callable[[bytes], Awaitable[bytes | None]]


async def invalid_spends(
    db: WalletDatabase,
    new: Sequence[bytes],
    raws: Mapping[bytes, bytes],
    fetch_parent: FetchParent | None,
    proven: Collection[bytes] = (),
) -> dict[bytes, str]:
    """The transactions among ``new`` (txid -> bytes in ``raws``) that spend a wallet coin
    without a valid signature for it: txid -> what is wrong (libbitcoinkernel, against the
    coin's script and amount).

    The wallet's coins are those stored and those the new transactions create. A Taproot
    wallet coin spent beside coins of others needs their outputs: they are taken from ``raws``
    or asked of ``fetch_parent``; a source that holds whole blocks cannot ask for a
    transaction by txid (``fetch_parent`` None) -- then a transaction in ``proven`` (found in a
    block of our own chain, its Merkle root recomputed) is taken on its block's proof of work,
    and any other is refused.
    """
    if not new:
        return {}
    scripts = db.script_pubkeys()
    parsed = {t: Transaction.parse(raws[t]) for t in new}
    # the wallet's coins these transactions spend: those stored, and those they create
    coins = db.wallet_coins(
        txin.prevout for tx in parsed.values() for txin in tx.inputs if not tx.is_coinbase()
    )
    for txid, tx in parsed.items():
        for vout, out in enumerate(tx.outputs):
            if out.script_pubkey in scripts:
                coins[OutPoint(txid, vout)] = out
    problems: dict[bytes, str] = {}
    for txid in new:
        tx = parsed[txid]
        ours = [i for i, txin in enumerate(tx.inputs) if txin.prevout in coins]
        if not ours or tx.is_coinbase():
            continue
        problem = await _spend_problem(tx, ours, coins, raws, fetch_parent, txid in proven)
        if problem is not None:
            problems[txid] = problem
    return problems


async def _spend_problem(
    tx: Transaction,
    ours: list[int],
    coins: Mapping[OutPoint, TxOut],
    raws: Mapping[bytes, bytes],
    fetch_parent: FetchParent | None,
    proven: bool,
) -> str | None:
    """Why ``tx``'s inputs ``ours`` (spending wallet coins) are invalid, or None."""

    def known(op: OutPoint) -> TxOut | None:
        if op in coins:
            return coins[op]
        raw = raws.get(op.txid)  # a parent among the new ones (parsed only when needed)
        if raw is not None:
            parent = Transaction.parse(raw)
            if op.vout < len(parent.outputs):
                return parent.outputs[op.vout]
        return None

    prevouts = [known(txin.prevout) for txin in tx.inputs]
    raw = tx.serialize()
    try:
        bad = invalid_inputs(raw, prevouts, ours)
    except NeedPrevouts as need:
        if fetch_parent is None:
            if proven:
                return None  # in a block of our chain: its proof of work vouches for it
            return (
                "spends a Taproot wallet coin beside coins of others, which this source cannot "
                "send to check its signature"
            )
        if len(need.missing) > MAX_PARENTS_FETCHED:
            return (
                f"spends a Taproot wallet coin beside {len(need.missing)} coins of others "
                f"(over {MAX_PARENTS_FETCHED}, too many to check its signature)"
            )
        for i in need.missing:
            op = tx.inputs[i].prevout
            parent_raw = await fetch_parent(op.txid)
            try:
                if parent_raw is None:
                    raise BitcoinError("not sent")
                parent = Transaction.parse(parent_raw)
            except BitcoinError:
                return f"spends coin {op}, which no server can send (it does not exist)"
            if op.vout >= len(parent.outputs):
                return f"spends coin {op}, which does not exist"
            prevouts[i] = parent.outputs[op.vout]
        bad = invalid_inputs(raw, prevouts, ours)
    if not bad:
        return None
    coins_text = ", ".join(str(tx.inputs[i].prevout) for i in bad)
    return (
        f"spends wallet coin {coins_text} without a valid signature for it (checked with "
        "libbitcoinkernel against the coin's script and amount)"
    )


__all__ = ["MAX_PARENTS_FETCHED", "NeedPrevouts", "invalid_inputs", "invalid_spends"]
