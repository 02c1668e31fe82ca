"""The playground's indexes of the kernel's active chain: blocks, transactions, UTXOs, histories.

The kernel validates; this module only remembers what it accepted, in the shapes the servers
need (Electrum histories by script hash, Esplora's prevouts and spends). Blocks are connected and
disconnected at the tip only, so a reorg is "disconnect to the fork point, connect the branch".
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from wallet.bitcoin.errors import DecodeError
from wallet.bitcoin.serialize import ByteReader
from wallet.bitcoin.transaction import OutPoint, Transaction, TxOut
from wallet.playground.blocks import median_time_past


def scripthash(script_pubkey: bytes) -> bytes:
    """The Electrum script hash, as raw sha256 bytes (its hex form is these bytes reversed)."""
    return hashlib.sha256(script_pubkey).digest()


@dataclass(slots=True)
class Coin:
    output: TxOut
    height: int
    coinbase: bool


@dataclass(slots=True)
class TxEntry:
    """A transaction with what the servers need to describe it."""

    tx: Transaction
    raw: bytes
    txid: bytes
    #: the outputs its inputs spend, in input order (empty for a coinbase)
    prevouts: list[TxOut]
    #: block height and position, or (-1, -1) while in the mempool
    height: int = -1
    pos: int = -1
    _weight: int = 0

    @property
    def is_coinbase(self) -> bool:
        return not self.prevouts

    @property
    def fee(self) -> int:
        if not self.prevouts:
            return 0
        return sum(o.value for o in self.prevouts) - sum(o.value for o in self.tx.outputs)

    @property
    def weight(self) -> int:
        if not self._weight:
            self._weight = self.tx.weight()
        return self._weight

    @property
    def vsize(self) -> int:
        return (self.weight + 3) // 4

    def scripthashes(self) -> set[bytes]:
        """Every script hash the transaction pays to or spends from."""
        shs = {scripthash(o.script_pubkey) for o in self.tx.outputs}
        shs.update(scripthash(o.script_pubkey) for o in self.prevouts)
        return shs


@dataclass(slots=True)
class BlockRecord:
    height: int
    hash: bytes
    header: bytes
    txs: list[TxEntry]
    size: int
    #: the coins this block spent, to put back when it is disconnected
    undo: list[tuple[OutPoint, Coin]] = field(default_factory=list)

    @property
    def time(self) -> int:
        return int.from_bytes(self.header[68:72], "little")

    @property
    def hash_hex(self) -> str:
        return self.hash[::-1].hex()

    @property
    def weight(self) -> int:
        base = self.size - sum(len(t.raw) for t in self.txs)  # header + tx count
        return base * 4 + sum(t.weight for t in self.txs)


def parse_block(raw: bytes) -> tuple[bytes, list[tuple[Transaction, bytes]]]:
    """Header and ``(transaction, its bytes)`` pairs of a serialized block."""
    reader = ByteReader(raw, DecodeError)
    header = reader.read(80)
    txs = []
    for _ in range(reader.count(60)):
        start = reader.pos
        tx = Transaction.read(reader)
        txs.append((tx, raw[start : reader.pos]))
    reader.expect_end("block")
    return header, txs


class ChainIndex:
    """What the active chain holds, by height, txid, outpoint and script hash."""

    def __init__(self) -> None:
        self.blocks: list[BlockRecord] = []
        self.by_hash: dict[bytes, BlockRecord] = {}
        self.tx_index: dict[bytes, TxEntry] = {}
        self.utxos: dict[OutPoint, Coin] = {}
        #: script hash -> confirmed (height, pos, txid) in chain order
        self.history: dict[bytes, list[tuple[int, int, bytes]]] = defaultdict(list)
        #: confirmed spends: outpoint -> (spending txid, input index)
        self.spends: dict[OutPoint, tuple[bytes, int]] = {}

    @property
    def height(self) -> int:
        return len(self.blocks) - 1

    @property
    def tip(self) -> BlockRecord:
        return self.blocks[-1]

    def times(self, height: int | None = None) -> list[int]:
        """Times of the (up to) 11 blocks ending at ``height`` (the tip by default)."""
        end = self.height if height is None else height
        return [b.time for b in self.blocks[max(0, end - 10) : end + 1]]

    def mtp(self, height: int | None = None) -> int:
        return median_time_past(self.times(height))

    def coin(self, outpoint: OutPoint) -> Coin | None:
        return self.utxos.get(outpoint)

    def connect(
        self, block_hash: bytes, header: bytes, txs: list[tuple[Transaction, bytes]], size: int
    ) -> BlockRecord:
        """Index a block the kernel has made the next tip."""
        height = len(self.blocks)
        entries: list[TxEntry] = []
        undo: list[tuple[OutPoint, Coin]] = []
        record = BlockRecord(height, block_hash, header, entries, size, undo)
        index_outputs = height > 0  # the genesis output is unspendable and not indexed
        for pos, (tx, raw) in enumerate(txs):
            txid = tx.txid()
            prevouts: list[TxOut] = []
            coinbase = pos == 0
            if not coinbase:
                for i, txin in enumerate(tx.inputs):
                    coin = self.utxos.pop(txin.prevout)
                    undo.append((txin.prevout, coin))
                    prevouts.append(coin.output)
                    self.spends[txin.prevout] = (txid, i)
            entry = TxEntry(tx, raw, txid, prevouts, height, pos)
            entries.append(entry)
            if not index_outputs:
                continue
            self.tx_index[txid] = entry
            for vout, out in enumerate(tx.outputs):
                if out.script_pubkey[:1] != b"\x6a":  # OP_RETURN outputs are never spendable
                    self.utxos[OutPoint(txid, vout)] = Coin(out, height, coinbase)
            for sh in entry.scripthashes():
                self.history[sh].append((height, pos, txid))
        self.blocks.append(record)
        self.by_hash[block_hash] = record
        return record

    def disconnect_tip(self) -> BlockRecord:
        """Undo the tip block (a reorg); returns it so its transactions can go back to the pool."""
        if len(self.blocks) <= 1:
            raise ValueError("cannot disconnect the genesis block")
        record = self.blocks.pop()
        del self.by_hash[record.hash]
        for entry in reversed(record.txs):
            self.tx_index.pop(entry.txid, None)
            for vout in range(len(entry.tx.outputs)):
                self.utxos.pop(OutPoint(entry.txid, vout), None)
            for sh in entry.scripthashes():
                items = self.history.get(sh)
                if items and items[-1][2] == entry.txid:
                    items.pop()
                    if not items:
                        del self.history[sh]
            for txin in entry.tx.inputs if not entry.is_coinbase else ():
                self.spends.pop(txin.prevout, None)
        for outpoint, coin in record.undo:
            self.utxos[outpoint] = coin
        return record
