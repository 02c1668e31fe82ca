"""What the servers answer: the chain and mempool seen through one protocol's eyes.

All reads go through here so the two servers agree, and so a misbehaviour (a forged header, an
omitted transaction) is applied in one place. Callers hold the playground's lock.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from wallet.bitcoin.transaction import OutPoint, Transaction, TxOut
from wallet.playground.blocks import MAX_BLOCK_WEIGHT
from wallet.playground.chain import BlockRecord, ChainIndex, TxEntry, scripthash
from wallet.playground.mempool import MIN_RELAY_FEERATE, Mempool, MempoolEntry
from wallet.playground.misbehave import (
    Misbehavior,
    corrupt_branch,
    forge_low_work,
    made_up,
    unsigned_spend,
)
from wallet.playground.proofs import tx_branch

#: Esplora's confirmation targets.
FEE_TARGETS = (*range(1, 26), 144, 504, 1008)


@dataclass(slots=True)
class FoundTx:
    entry: TxEntry
    block: BlockRecord | None
    pooled: MempoolEntry | None


@dataclass(slots=True)
class HistoryItem:
    txid: bytes
    #: block height; 0 in the mempool with confirmed inputs, -1 with unconfirmed ones
    height: int
    fee: int | None = None

    @property
    def txid_hex(self) -> str:
        return self.txid[::-1].hex()


@dataclass(slots=True)
class Unspent:
    outpoint: OutPoint
    value: int
    #: block height, or 0 in the mempool
    height: int


class Ledger:
    def __init__(
        self,
        chain: ChainIndex,
        mempool: Mempool,
        misbehavior: Misbehavior,
        stale: dict[bytes, BlockRecord],
    ) -> None:
        self.chain = chain
        self.mempool = mempool
        self.misbehavior = misbehavior
        self.stale = stale
        self.fee_overrides: dict[int, float] | None = None
        self._forged_cache: tuple[tuple[bytes, int], dict[int, bytes]] | None = None
        #: protocol -> made-up mempool transactions it has listed (to serve them in full)
        self._fakes: dict[str, dict[bytes, MempoolEntry]] = {}

    # -- headers --------------------------------------------------------------------------------

    def _forged(self, protocol: str) -> dict[int, bytes]:
        opts = self.misbehavior.get("low-work", protocol)
        if opts is None:
            return {}
        depth = max(1, min(int(opts.get("depth", 6)), self.chain.height))
        key = (self.chain.tip.hash, depth)
        if self._forged_cache is None or self._forged_cache[0] != key:
            start = self.chain.height - depth + 1
            real = [b.header for b in self.chain.blocks[start:]]
            forged = forge_low_work(real, self.chain.blocks[start - 1].hash)
            self._forged_cache = (key, {start + i: h for i, h in enumerate(forged)})
        return self._forged_cache[1]

    def header(self, height: int, protocol: str) -> bytes:
        return self._forged(protocol).get(height) or self.chain.blocks[height].header

    def headers(self, start: int, count: int, protocol: str) -> list[bytes]:
        end = min(start + count, self.chain.height + 1)
        forged = self._forged(protocol)
        return [forged.get(h) or self.chain.blocks[h].header for h in range(start, end)]

    def block_hash(self, height: int, protocol: str) -> bytes:
        forged = self._forged(protocol).get(height)
        return (
            hashlib.sha256(hashlib.sha256(forged).digest()).digest()
            if forged
            else (self.chain.blocks[height].hash)
        )

    def block_by_hash(self, block_hash: bytes, protocol: str) -> tuple[int, bytes, bool] | None:
        """(height, header, in the best chain) for a block hash, forged ones included."""
        record = self.chain.by_hash.get(block_hash)
        if record is not None:
            return record.height, self.header(record.height, protocol), True
        for height, header in self._forged(protocol).items():
            if hashlib.sha256(hashlib.sha256(header).digest()).digest() == block_hash:
                return height, header, True
        record = self.stale.get(block_hash)
        if record is not None:
            return record.height, record.header, False
        return None

    # -- transactions ---------------------------------------------------------------------------

    def find_tx(self, txid: bytes, protocol: str | None = None) -> FoundTx | None:
        entry = self.chain.tx_index.get(txid)
        if entry is not None:
            return FoundTx(entry, self.chain.blocks[entry.height], None)
        pooled = self.pooled_entry(txid, protocol)
        if pooled is not None:
            return FoundTx(pooled.entry, None, pooled)
        return None

    def pooled_entry(self, txid: bytes, protocol: str | None = None) -> MempoolEntry | None:
        """A mempool transaction, or one this protocol made up while misbehaving."""
        pooled = self.mempool.get(txid)
        if pooled is None and protocol is not None:
            pooled = self._fakes.get(protocol, {}).get(txid)
        return pooled

    def branch(self, block: BlockRecord, pos: int, protocol: str) -> list[bytes]:
        branch = tx_branch([t.txid for t in block.txs], pos)
        if self.misbehavior.get("wrong-merkle", protocol) is not None:
            branch = corrupt_branch(branch)
        if pos > 0 and self.misbehavior.get("deep-branch", protocol) is not None:
            branch = [*branch, branch[-1] if branch else bytes(32)]
        return branch

    def position(self, block: BlockRecord, pos: int, protocol: str) -> int:
        """The position a server reports: with ``phantom``, the last transaction of an odd-sized
        block is moved into the tree's duplicated tail (its branch still reaches the root)."""
        last = len(block.txs) - 1
        if self.misbehavior.get("phantom", protocol) is not None and pos == last and pos % 2 == 0:
            return pos + 1 if pos > 0 else pos
        return pos

    def _deep_coinbase(self, block: BlockRecord, protocol: str) -> tuple[bytes, list[bytes]] | None:
        if self.misbehavior.get("deep-coinbase", protocol) is None:
            return None
        raw = block.txs[0].tx.serialize_no_witness()
        if len(raw) != 64:
            return None
        return raw[:32], [raw[32:], *self.branch(block, 0, protocol)]

    def coinbase_claim(self, block: BlockRecord, protocol: str) -> tuple[bytes, list[bytes]]:
        """(txid, branch) a server gives for the block's first transaction (see deep-coinbase)."""
        forged = self._deep_coinbase(block, protocol)
        if forged is not None:
            return forged
        return block.txs[0].txid, self.branch(block, 0, protocol)

    def forged_coinbase(self, txid: bytes, protocol: str) -> BlockRecord | None:
        """The block whose forged first "transaction" is ``txid`` (deep-coinbase), if any."""
        if self.misbehavior.get("deep-coinbase", protocol) is None:
            return None
        for block in self.chain.blocks[1:]:
            forged = self._deep_coinbase(block, protocol)
            if forged is not None and forged[0] == txid:
                return block
        return None

    def mempool_height(self, pooled: MempoolEntry) -> int:
        return -1 if pooled.parents else 0

    # -- script hashes --------------------------------------------------------------------------

    def _omitted(self, protocol: str) -> tuple[bool, bytes | None]:
        opts = self.misbehavior.get("omit-tx", protocol)
        if opts is None:
            return False, None
        txid = opts.get("txid")
        return True, (bytes.fromhex(txid)[::-1] if txid else None)

    def history(self, sh: bytes, protocol: str) -> list[HistoryItem]:
        """Electrum's history order: confirmed by (height, position), then the mempool sorted
        by (-height, txid) (protocol-basics, "Status")."""
        items = [HistoryItem(txid, height) for height, _pos, txid in self.chain.history.get(sh, ())]
        pooled = [
            HistoryItem(m.txid, self.mempool_height(m), m.fee)
            for m in self.mempool.history_entries(sh)
        ]
        pooled += [HistoryItem(m.txid, 0, m.fee) for m in self._made_up(sh, protocol)]
        pooled.sort(key=lambda i: (-i.height, i.txid_hex))
        items += pooled
        omit, txid = self._omitted(protocol)
        if omit and items:
            target = txid if txid is not None else items[-1].txid
            items = [i for i in items if i.txid != target]
        return items

    def _made_up(self, sh: bytes, protocol: str) -> list[MempoolEntry]:
        """Mempool transactions that only a misbehaving server lists for ``sh``."""
        out: list[Transaction | tuple[Transaction, list[TxOut]]] = []
        script = self._script_of(sh)
        if self.misbehavior.get("fake-spend", protocol) is not None:
            for _height, _pos, txid in self.chain.history.get(sh, ()):
                entry = self.chain.tx_index[txid]
                spends = [
                    (OutPoint(txid, vout), o)
                    for vout, o in enumerate(entry.tx.outputs)
                    if scripthash(o.script_pubkey) == sh
                    and OutPoint(txid, vout) in self.chain.utxos
                    and OutPoint(txid, vout) not in self.mempool.spent_by
                ]
                if spends:
                    op, o = spends[0]
                    out.append((unsigned_spend(op, o.value, o.script_pubkey), [o]))
                    break
        flood = self.misbehavior.get("flood", protocol)
        if flood is not None and script is not None:
            fake_prevout = TxOut(2_000, script)
            for i in range(int(flood.get("count", 60))):
                out.append((made_up(sh, i, script), [fake_prevout]))
        extra = self.misbehavior.get("extra-tx", protocol)
        if extra is not None:
            for raw_hex in extra.get("raws", ()):
                tx = Transaction.parse(bytes.fromhex(raw_hex))
                prevouts = [self._output(i.prevout) for i in tx.inputs]
                touched = [o for o in [*prevouts, *tx.outputs] if o is not None]
                if all(p is not None for p in prevouts) and any(
                    scripthash(o.script_pubkey) == sh for o in touched
                ):
                    out.append((tx, prevouts))
        registry = self._fakes.setdefault(protocol, {})
        entries = []
        for tx, prevouts in out:
            txid = tx.txid()
            if txid not in registry:
                entry = TxEntry(tx, tx.serialize(), txid, list(prevouts))
                registry[txid] = MempoolEntry(entry, int(time.time()), set())
            entries.append(registry[txid])
        return entries

    def _script_of(self, sh: bytes) -> bytes | None:
        """The scriptPubKey behind ``sh``, when the chain has paid it."""
        for _height, _pos, txid in self.chain.history.get(sh, ()):
            for o in self.chain.tx_index[txid].tx.outputs:
                if scripthash(o.script_pubkey) == sh:
                    return o.script_pubkey
        return None

    def _output(self, outpoint: OutPoint) -> TxOut | None:
        coin = self.chain.coin(outpoint)
        return coin.output if coin is not None else self.mempool.output(outpoint)

    @staticmethod
    def status(items: list[HistoryItem]) -> str | None:
        if not items:
            return None
        text = "".join(f"{i.txid_hex}:{i.height}:" for i in items)
        return hashlib.sha256(text.encode()).hexdigest()

    def unspent(self, sh: bytes, protocol: str) -> list[Unspent]:
        """Unspent outputs paying ``sh``: confirmed in chain order, then the mempool's."""
        out: list[Unspent] = []
        visible = {i.txid for i in self.history(sh, protocol)}
        for height, _pos, txid in self.chain.history.get(sh, ()):
            if txid not in visible:
                continue
            entry = self.chain.tx_index[txid]
            for vout, o in enumerate(entry.tx.outputs):
                op = OutPoint(txid, vout)
                if (
                    scripthash(o.script_pubkey) == sh
                    and op in self.chain.utxos
                    and op not in self.mempool.spent_by
                ):
                    out.append(Unspent(op, o.value, height))
        for op, coin in self.mempool.coins_for(sh):
            if op.txid in visible:
                out.append(Unspent(op, coin.output.value, 0))
        return out

    def balance(self, sh: bytes) -> tuple[int, int]:
        """(confirmed, unconfirmed delta) as Electrum's get_balance defines them."""
        confirmed = 0
        for _height, _pos, txid in self.chain.history.get(sh, ()):
            for vout, o in enumerate(self.chain.tx_index[txid].tx.outputs):
                if scripthash(o.script_pubkey) == sh and OutPoint(txid, vout) in self.chain.utxos:
                    confirmed += o.value
        delta = 0
        for m in self.mempool.history_entries(sh):
            delta += sum(o.value for o in m.entry.tx.outputs if scripthash(o.script_pubkey) == sh)
            delta -= sum(o.value for o in m.entry.prevouts if scripthash(o.script_pubkey) == sh)
        return confirmed, delta

    # -- fees -----------------------------------------------------------------------------------

    def fee_estimate(self, target: int) -> float:
        """sat/vB to confirm within ``target`` blocks: the rate at that depth of the pool."""
        if self.fee_overrides:
            keys = sorted(self.fee_overrides)
            usable = [k for k in keys if k <= max(target, keys[0])]
            return float(self.fee_overrides[usable[-1]])
        capacity = target * MAX_BLOCK_WEIGHT // 4
        used = 0
        for m in sorted(self.mempool.entries.values(), key=lambda m: m.feerate, reverse=True):
            used += m.vsize
            if used > capacity:
                return max(round(m.feerate, 3), MIN_RELAY_FEERATE)
        return MIN_RELAY_FEERATE

    def fee_histogram(self) -> list[list[float | int]]:
        """[[fee rate, vsize], ...] from the highest rate down (rates in sat/vB, 0.1 steps)."""
        bins: dict[float, int] = {}
        for m in self.mempool.entries.values():
            rate = int(m.feerate * 10) / 10
            bins[rate] = bins.get(rate, 0) + m.vsize
        return [[rate, bins[rate]] for rate in sorted(bins, reverse=True)]
