"""The mempool: Bitcoin Core's relay policy, enough of it for a wallet to be tested for real.

A transaction is accepted only if its inputs exist and are unspent (in the chain or in the pool),
every input's script passes libbitcoinkernel's verifier with all spent outputs, and it meets the
usual standardness limits (dust, minimum relay fee, size, finality) and, when it conflicts with
pooled transactions, full-RBF replacement rules (BIP125 rules 3, 4 and 5; no signalling needed,
as in Bitcoin Core 28+). Reject reasons use Core's short strings.
"""

from __future__ import annotations

import contextlib
import time as _time
from collections.abc import Iterable
from dataclasses import dataclass

from wallet.bitcoin.amount import MAX_MONEY
from wallet.bitcoin.errors import TransactionError
from wallet.bitcoin.script import ScriptType, classify, iter_ops
from wallet.bitcoin.serialize import encode_bytes
from wallet.bitcoin.transaction import SEQUENCE_FINAL, OutPoint, Transaction, TxOut
from wallet.playground.blocks import COINBASE_MATURITY
from wallet.playground.chain import ChainIndex, Coin, TxEntry, scripthash
from wallet.playground.errors import TxRejected
from wallet.playground.kernel import Kernel
from wallet.playground.scriptfmt import is_p2pk

#: sat/vB
MIN_RELAY_FEERATE = 1.0
INCREMENTAL_RELAY_FEERATE = 1.0
#: sat/kvB, Bitcoin Core's -dustrelayfee default
DUST_RELAY_FEE = 3000
MAX_STANDARD_TX_WEIGHT = 400_000
MIN_STANDARD_TX_NONWITNESS_SIZE = 65
MAX_SCRIPT_SIG_SIZE = 1650
MAX_OP_RETURN_RELAY = 83
MAX_REPLACEMENTS = 100
MAX_ANCESTORS = 25
LOCKTIME_THRESHOLD = 500_000_000
SEQUENCE_DISABLE_FLAG = 1 << 31
SEQUENCE_TYPE_FLAG = 1 << 22
SEQUENCE_MASK = 0xFFFF


def dust_threshold(out: TxOut) -> int:
    """Bitcoin Core's GetDustThreshold at the default dust relay fee (546 sat for P2PKH...)."""
    spk = out.script_pubkey
    if spk[:1] == b"\x6a" or len(spk) > 10_000:
        return 0
    size = 8 + len(encode_bytes(spk))
    is_witness = 4 <= len(spk) <= 42 and (spk[0] == 0 or 0x51 <= spk[0] <= 0x60)
    is_witness = is_witness and spk[1] + 2 == len(spk)
    size += 32 + 4 + 1 + (107 // 4) + 4 if is_witness else 32 + 4 + 1 + 107 + 4
    return size * DUST_RELAY_FEE // 1000


def _standard_output(spk: bytes) -> bool:
    kind = classify(spk)
    if kind == ScriptType.OP_RETURN:
        return len(spk) <= MAX_OP_RETURN_RELAY
    if kind != ScriptType.NONSTANDARD:
        return True
    return is_p2pk(spk)


def _push_only(script: bytes) -> bool:
    try:
        return all(op <= 0x60 for op, _ in iter_ops(script))
    except Exception:
        return False


@dataclass(slots=True)
class MempoolEntry:
    entry: TxEntry
    time: int
    #: txids of pooled transactions this one spends from
    parents: set[bytes]

    @property
    def txid(self) -> bytes:
        return self.entry.txid

    @property
    def fee(self) -> int:
        return self.entry.fee

    @property
    def vsize(self) -> int:
        return self.entry.vsize

    @property
    def feerate(self) -> float:
        return self.entry.fee / self.entry.vsize


class Mempool:
    def __init__(self, chain: ChainIndex, kernel: Kernel) -> None:
        self.chain = chain
        self.kernel = kernel
        self.entries: dict[bytes, MempoolEntry] = {}
        self.spent_by: dict[OutPoint, bytes] = {}
        self.by_scripthash: dict[bytes, set[bytes]] = {}

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, txid: bytes) -> MempoolEntry | None:
        return self.entries.get(txid)

    def output(self, outpoint: OutPoint) -> TxOut | None:
        """An output of a pooled transaction (spent or not)."""
        parent = self.entries.get(outpoint.txid)
        if parent is None or outpoint.vout >= len(parent.entry.tx.outputs):
            return None
        return parent.entry.tx.outputs[outpoint.vout]

    def children(self, txid: bytes) -> set[bytes]:
        entry = self.entries[txid]
        return {
            self.spent_by[OutPoint(txid, i)]
            for i in range(len(entry.entry.tx.outputs))
            if OutPoint(txid, i) in self.spent_by
        }

    def descendants(self, txid: bytes) -> list[bytes]:
        """``txid`` and everything in the pool that spends from it, parents before children."""
        order: list[bytes] = []
        seen: set[bytes] = set()
        stack = [txid]
        while stack:
            t = stack.pop()
            if t in seen or t not in self.entries:
                continue
            seen.add(t)
            order.append(t)
            stack.extend(self.children(t))
        return order

    def ancestors(self, txid: bytes) -> set[bytes]:
        out: set[bytes] = set()
        stack = list(self.entries[txid].parents)
        while stack:
            t = stack.pop()
            if t not in out and t in self.entries:
                out.add(t)
                stack.extend(self.entries[t].parents)
        return out

    # -- acceptance -----------------------------------------------------------------------------

    def accept(self, raw: bytes, now: int | None = None) -> MempoolEntry:
        """Check ``raw`` against consensus (via the kernel) and policy; add it or raise."""
        try:
            tx = Transaction.parse(raw)
        except TransactionError as exc:
            raise TxRejected("TX decode failed", str(exc)) from None
        raw = tx.serialize()  # canonical bytes (the input may carry a needless witness flag)
        txid = tx.txid()
        self._check_standalone(tx)
        if txid in self.entries:
            raise TxRejected("txn-already-in-mempool")
        if txid in self.chain.tx_index:
            raise TxRejected("txn-already-known", "the transaction is already in a block")

        next_height = self.chain.height + 1
        tip_mtp = self.chain.mtp()
        self._check_final(tx, next_height, tip_mtp)

        prevouts: list[TxOut] = []
        parents: set[bytes] = set()
        conflicts: set[bytes] = set()
        for txin in tx.inputs:
            coin = self.chain.coin(txin.prevout)
            if coin is not None:
                if coin.coinbase and next_height - coin.height < COINBASE_MATURITY:
                    raise TxRejected(
                        "bad-txns-premature-spend-of-coinbase",
                        f"tried to spend coinbase at depth {next_height - coin.height}",
                    )
                self._check_sequence_lock(tx, txin.sequence, coin.height)
                prevouts.append(coin.output)
            else:
                out = self.output(txin.prevout)
                if out is None:
                    raise TxRejected(
                        "bad-txns-inputs-missingorspent",
                        f"input {txin.prevout} is unknown or already spent in a block",
                    )
                self._check_sequence_lock(tx, txin.sequence, next_height)
                prevouts.append(out)
                parents.add(txin.prevout.txid)
            spender = self.spent_by.get(txin.prevout)
            if spender is not None:
                conflicts.add(spender)

        in_value = sum(o.value for o in prevouts)
        out_value = sum(o.value for o in tx.outputs)
        if in_value < out_value:
            raise TxRejected("bad-txns-in-belowout", f"{in_value} < {out_value}")
        entry = TxEntry(tx, raw, txid, prevouts)
        fee = in_value - out_value
        vsize = entry.vsize
        if fee < MIN_RELAY_FEERATE * vsize:
            raise TxRejected("min relay fee not met", f"{fee} < {int(MIN_RELAY_FEERATE * vsize)}")

        evict = self._check_replacement(entry, conflicts, parents) if conflicts else []

        ancestors: set[bytes] = set()
        for p in parents:
            ancestors |= {p} | self.ancestors(p)
        if len(ancestors) + 1 > MAX_ANCESTORS:
            raise TxRejected(
                "too-long-mempool-chain", f"too many unconfirmed ancestors [limit: {MAX_ANCESTORS}]"
            )

        failed = self.kernel.verify_scripts(raw, prevouts)
        if failed is not None:
            raise TxRejected(
                "mandatory-script-verify-flag-failed",
                f"input {failed} fails its script (checked by libbitcoinkernel)",
            )

        for t in evict:
            self._remove_one(t)
        added = MempoolEntry(entry, int(now if now is not None else _time.time()), parents)
        self._add(added)
        return added

    def _check_standalone(self, tx: Transaction) -> None:
        if not tx.inputs:
            raise TxRejected("bad-txns-vin-empty")
        if not tx.outputs:
            raise TxRejected("bad-txns-vout-empty")
        if tx.is_coinbase():
            raise TxRejected("coinbase", "a coinbase transaction cannot be broadcast")
        if sum(o.value for o in tx.outputs) > MAX_MONEY:
            raise TxRejected("bad-txns-txouttotal-toolarge")
        if len({i.prevout for i in tx.inputs}) != len(tx.inputs):
            raise TxRejected("bad-txns-inputs-duplicate")
        if any(i.prevout.is_null() for i in tx.inputs):
            raise TxRejected("bad-txns-prevout-null")
        if not 1 <= tx.version <= 3:
            raise TxRejected("version", f"transaction version {tx.version} is not standard")
        if tx.weight() > MAX_STANDARD_TX_WEIGHT:
            raise TxRejected("tx-size", f"weight {tx.weight()} > {MAX_STANDARD_TX_WEIGHT}")
        if len(tx.serialize_no_witness()) < MIN_STANDARD_TX_NONWITNESS_SIZE:
            raise TxRejected("tx-size-small")
        for txin in tx.inputs:
            if len(txin.script_sig) > MAX_SCRIPT_SIG_SIZE:
                raise TxRejected("scriptsig-size")
            if not _push_only(txin.script_sig):
                raise TxRejected("scriptsig-not-pushonly")
        op_returns = 0
        for n, out in enumerate(tx.outputs):
            if not _standard_output(out.script_pubkey):
                raise TxRejected("scriptpubkey", f"output {n} has a non-standard script")
            if out.script_pubkey[:1] == b"\x6a":
                op_returns += 1
            elif out.value < dust_threshold(out):
                raise TxRejected(
                    "dust", f"output {n} pays {out.value} sat, below {dust_threshold(out)}"
                )
        if op_returns > 1:
            raise TxRejected("multi-op-return")

    @staticmethod
    def _check_final(tx: Transaction, next_height: int, tip_mtp: int) -> None:
        lock = tx.locktime
        if lock == 0 or all(i.sequence == SEQUENCE_FINAL for i in tx.inputs):
            return
        limit = next_height if lock < LOCKTIME_THRESHOLD else tip_mtp
        if lock >= limit:
            raise TxRejected("non-final", f"locktime {lock} is not reached yet")

    def _check_sequence_lock(self, tx: Transaction, sequence: int, coin_height: int) -> None:
        """BIP68 relative locks (transaction version 2 and later)."""
        if tx.version < 2 or sequence & SEQUENCE_DISABLE_FLAG:
            return
        value = sequence & SEQUENCE_MASK
        next_height = self.chain.height + 1
        if sequence & SEQUENCE_TYPE_FLAG:
            base = self.chain.mtp(min(max(coin_height - 1, 0), self.chain.height))
            if base + (value << 9) - 1 >= self.chain.mtp():
                raise TxRejected("non-BIP68-final", "a relative time lock is not reached yet")
        elif coin_height + value - 1 >= next_height:
            raise TxRejected("non-BIP68-final", "a relative height lock is not reached yet")

    def _check_replacement(
        self, entry: TxEntry, conflicts: set[bytes], parents: set[bytes]
    ) -> list[bytes]:
        """Full-RBF: pay more in total and per vbyte than everything replaced (BIP125 3-5)."""
        evict: list[bytes] = []
        for c in sorted(conflicts):
            for t in self.descendants(c):
                if t not in evict:
                    evict.append(t)
        if len(evict) > MAX_REPLACEMENTS:
            raise TxRejected(
                "too many potential replacements", f"{len(evict)} > {MAX_REPLACEMENTS}"
            )
        if parents & set(evict):
            raise TxRejected("bad-txns-spends-conflicting-tx")
        fee, vsize = entry.fee, entry.vsize
        for c in conflicts:
            old = self.entries[c]
            if fee / vsize <= old.feerate:
                raise TxRejected(
                    "insufficient fee",
                    f"rejecting replacement {entry.txid[::-1].hex()}; new feerate "
                    f"{fee / vsize:.2f} sat/vB <= old feerate {old.feerate:.2f} sat/vB",
                )
        old_fees = sum(self.entries[t].fee for t in evict)
        needed = old_fees + int(INCREMENTAL_RELAY_FEERATE * vsize)
        if fee < needed:
            raise TxRejected(
                "insufficient fee",
                f"rejecting replacement {entry.txid[::-1].hex()}, not enough additional fees "
                f"to relay; {fee} < {needed}",
            )
        return evict

    # -- bookkeeping ----------------------------------------------------------------------------

    def _add(self, m: MempoolEntry) -> None:
        self.entries[m.txid] = m
        for txin in m.entry.tx.inputs:
            self.spent_by[txin.prevout] = m.txid
        for sh in m.entry.scripthashes():
            self.by_scripthash.setdefault(sh, set()).add(m.txid)

    def _remove_one(self, txid: bytes) -> MempoolEntry | None:
        m = self.entries.pop(txid, None)
        if m is None:
            return None
        for txin in m.entry.tx.inputs:
            if self.spent_by.get(txin.prevout) == txid:
                del self.spent_by[txin.prevout]
        for sh in m.entry.scripthashes():
            txids = self.by_scripthash.get(sh)
            if txids is not None:
                txids.discard(txid)
                if not txids:
                    del self.by_scripthash[sh]
        for other in self.entries.values():
            other.parents.discard(txid)
        return m

    def remove(self, txid: bytes) -> list[bytes]:
        """Drop ``txid`` and its descendants; returns what was dropped."""
        gone = self.descendants(txid)
        for t in reversed(gone):
            self._remove_one(t)
        return gone

    def block_connected(self, entries: Iterable[TxEntry]) -> None:
        """Drop what a new block confirmed, and whatever conflicts with it."""
        for e in entries:
            if e.is_coinbase:
                continue
            if e.txid in self.entries:
                self._remove_one(e.txid)
            for txin in e.tx.inputs:
                spender = self.spent_by.get(txin.prevout)
                if spender is not None and spender != e.txid:
                    self.remove(spender)

    def rebuild(self, first: Iterable[bytes] = ()) -> None:
        """Re-check the whole pool after a reorg: ``first`` (disconnected txs) then the rest."""
        old = [(m.entry.raw, m.time) for m in self.entries.values()]
        self.entries.clear()
        self.spent_by.clear()
        self.by_scripthash.clear()
        for raw, when in [(r, None) for r in first] + old:
            with contextlib.suppress(TxRejected):
                self.accept(raw, now=when)

    def select(self, max_weight: int) -> list[MempoolEntry]:
        """Transactions for the next block by fee rate, parents always before children."""
        chosen: list[MempoolEntry] = []
        included: set[bytes] = set()
        weight = 0
        pending = sorted(self.entries.values(), key=lambda m: m.feerate, reverse=True)
        progress = True
        while pending and progress:
            progress = False
            rest = []
            for m in pending:
                if m.parents <= included and weight + m.entry.weight <= max_weight:
                    chosen.append(m)
                    included.add(m.txid)
                    weight += m.entry.weight
                    progress = True
                else:
                    rest.append(m)
            pending = rest
        return chosen

    def history_entries(self, sh: bytes) -> list[MempoolEntry]:
        return [self.entries[t] for t in self.by_scripthash.get(sh, ())]

    def coins_for(self, sh: bytes) -> list[tuple[OutPoint, Coin]]:
        """Outputs of pooled transactions paying ``sh`` and not spent in the pool."""
        out = []
        for m in self.history_entries(sh):
            for vout, o in enumerate(m.entry.tx.outputs):
                op = OutPoint(m.txid, vout)
                if scripthash(o.script_pubkey) == sh and op not in self.spent_by:
                    out.append((op, Coin(o, -1, False)))
        return out
