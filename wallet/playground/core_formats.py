"""Bitcoin Core's JSON shapes for the playground's RPC and REST (``TxToUniv``, ``blockToJSON``,
``blockheaderToJSON``, the mempool entry), from what the playground's indexes hold.

Amounts are :class:`Amount` values and :func:`dumps` writes them as Core does: a JSON number with
exactly 8 decimals (``0.00001000``), never a float's ``1e-05``, so a client parsing amounts as
decimals reads the same satoshis Core would give it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from wallet.bitcoin.descriptors import add_checksum
from wallet.bitcoin.script import ScriptType, classify
from wallet.playground.blocks import bits_to_target
from wallet.playground.chain import BlockRecord, ChainIndex, TxEntry
from wallet.playground.scriptfmt import address_of, core_asm, core_type, is_p2pk

_DIFF1_TARGET = bits_to_target(0x1D00FFFF)
_AMOUNT = re.compile(r'"\\u0000AMT:(-?\d+\.\d{8})\\u0000"')


class Amount:
    """Satoshis shown in BTC with 8 decimals (Core's ``ValueFromAmount``)."""

    __slots__ = ("sats",)

    def __init__(self, sats: int) -> None:
        self.sats = int(sats)

    def text(self) -> str:
        sign = "-" if self.sats < 0 else ""
        whole, frac = divmod(abs(self.sats), 100_000_000)
        return f"{sign}{whole}.{frac:08d}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Amount) and other.sats == self.sats

    def __repr__(self) -> str:
        return f"Amount({self.text()})"


def _encode(value: Any) -> Any:
    if isinstance(value, Amount):
        return f"\x00AMT:{value.text()}\x00"
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    return value


def dumps(value: Any) -> str:
    """JSON as Core writes it (compact, amounts with 8 decimals)."""
    text = json.dumps(_encode(value), separators=(",", ":"))
    return _AMOUNT.sub(r"\1", text)


def difficulty(bits: int) -> float:
    return _DIFF1_TARGET / bits_to_target(bits)


def block_work(bits: int) -> int:
    """Expected hashes for one block at ``bits`` (Core's ``GetBlockProof``)."""
    target = bits_to_target(bits)
    return (1 << 256) // (target + 1)


def output_descriptor(spk: bytes) -> str:
    """Core's inferred descriptor of an output script with no key information."""
    kind = classify(spk)
    if is_p2pk(spk):
        body = f"pk({spk[1:-1].hex()})"
    elif kind == ScriptType.P2TR:
        body = f"rawtr({spk[2:].hex()})"
    else:
        address = address_of(spk)
        body = f"addr({address})" if address is not None else f"raw({spk.hex()})"
    return add_checksum(body)


def script_pubkey(spk: bytes) -> dict[str, Any]:
    """``ScriptToUniv`` with hex and address: asm, desc, hex, address (when one exists), type."""
    data: dict[str, Any] = {"asm": core_asm(spk), "desc": output_descriptor(spk), "hex": spk.hex()}
    address = address_of(spk)
    if address is not None:
        data["address"] = address
    data["type"] = core_type(spk)
    return data


class CoreView:
    """Core's JSON for the playground's chain (callers hold the playground's lock)."""

    def __init__(self, chain: ChainIndex, stale: dict[bytes, BlockRecord]) -> None:
        self.chain = chain
        self.stale = stale
        self._work: dict[bytes, int] = {}

    # -- blocks ---------------------------------------------------------------------------------

    def record(self, block_hash: bytes) -> BlockRecord | None:
        return self.chain.by_hash.get(block_hash) or self.stale.get(block_hash)

    def in_active_chain(self, record: BlockRecord) -> bool:
        return self.chain.by_hash.get(record.hash) is record

    def chainwork(self, record: BlockRecord) -> int:
        work = self._work.get(record.hash)
        if work is not None:
            return work
        todo = [record]
        prev = record.header[4:36]
        while record.height > 0 and prev not in self._work:
            parent = self.record(prev)
            if parent is None:
                break
            todo.append(parent)
            prev = parent.header[4:36]
        total = self._work.get(prev, 0) if todo[-1].height > 0 else 0
        for r in reversed(todo):
            total += block_work(int.from_bytes(r.header[72:76], "little"))
            self._work[r.hash] = total
        return total

    def mediantime(self, record: BlockRecord) -> int:
        if self.in_active_chain(record):
            return self.chain.mtp(record.height)
        times = [record.time]
        prev = record.header[4:36]
        while len(times) < 11:
            parent = self.record(prev)
            if parent is None:
                break
            times.append(parent.time)
            prev = parent.header[4:36]
        return sorted(times)[len(times) // 2]

    def header_json(self, record: BlockRecord) -> dict[str, Any]:
        """``blockheaderToJSON``."""
        header = record.header
        version = int.from_bytes(header[0:4], "little", signed=True)
        bits = int.from_bytes(header[72:76], "little")
        active = self.in_active_chain(record)
        data: dict[str, Any] = {
            "hash": record.hash_hex,
            "confirmations": self.chain.height - record.height + 1 if active else -1,
            "height": record.height,
            "version": version,
            "versionHex": f"{version & 0xFFFFFFFF:08x}",
            "merkleroot": header[36:68][::-1].hex(),
            "time": record.time,
            "mediantime": self.mediantime(record),
            "nonce": int.from_bytes(header[76:80], "little"),
            "bits": f"{bits:08x}",
            "difficulty": difficulty(bits),
            "chainwork": f"{self.chainwork(record):064x}",
            "nTx": len(record.txs),
        }
        if record.height > 0:
            data["previousblockhash"] = header[4:36][::-1].hex()
        if active and record.height < self.chain.height:
            data["nextblockhash"] = self.chain.blocks[record.height + 1].hash_hex
        return data

    def block_json(self, record: BlockRecord, verbosity: int) -> dict[str, Any]:
        """``blockToJSON``: 1 txids, 2 transactions with fees, 3 with their prevouts too."""
        head = self.header_json(record)
        stripped = (record.weight - record.size) // 3
        data: dict[str, Any] = {
            "hash": head["hash"],
            "confirmations": head["confirmations"],
            "size": record.size,
            "strippedsize": stripped,
            "weight": record.weight,
        }
        for key in ("height", "version", "versionHex", "merkleroot"):
            data[key] = head[key]
        if verbosity <= 1:
            data["tx"] = [e.txid[::-1].hex() for e in record.txs]
        else:
            data["tx"] = [
                self.tx_json(e, None, verbosity=verbosity, in_block=True) for e in record.txs
            ]
        for key, value in head.items():
            if key not in data:
                data[key] = value
        return data

    # -- transactions ---------------------------------------------------------------------------

    def _prevout(self, entry: TxEntry, index: int) -> dict[str, Any]:
        out = entry.prevouts[index]
        spent = entry.tx.inputs[index].prevout
        source = self.chain.tx_index.get(spent.txid)
        return {
            "generated": bool(source is not None and source.is_coinbase),
            "height": source.height if source is not None else self.chain.height + 1,
            "value": Amount(out.value),
            "scriptPubKey": script_pubkey(out.script_pubkey),
        }

    def tx_json(
        self,
        entry: TxEntry,
        block: BlockRecord | None,
        *,
        verbosity: int = 1,
        in_block: bool = False,
        include_hex: bool = True,
    ) -> dict[str, Any]:
        """``TxToUniv`` (and, with ``block``, what ``getrawtransaction`` adds: blockhash,
        confirmations, time, blocktime). Verbosity 2 adds the fee; 3 (2 outside a block) the
        spent outputs as ``prevout``."""
        tx = entry.tx
        data: dict[str, Any] = {
            "txid": entry.txid[::-1].hex(),
            "hash": tx.wtxid()[::-1].hex(),
            "version": tx.version,
            "size": len(entry.raw),
            "vsize": entry.vsize,
            "weight": entry.weight,
            "locktime": tx.locktime,
        }
        with_prevout = verbosity >= 3 or (verbosity == 2 and not in_block)
        vin: list[dict[str, Any]] = []
        for i, txin in enumerate(tx.inputs):
            if entry.is_coinbase:
                item: dict[str, Any] = {"coinbase": txin.script_sig.hex()}
            else:
                item = {
                    "txid": txin.prevout.txid_hex,
                    "vout": txin.prevout.vout,
                    "scriptSig": {"asm": core_asm(txin.script_sig), "hex": txin.script_sig.hex()},
                }
            if txin.witness:
                item["txinwitness"] = [w.hex() for w in txin.witness]
            if with_prevout and not entry.is_coinbase:
                item["prevout"] = self._prevout(entry, i)
            item["sequence"] = txin.sequence
            vin.append(item)
        data["vin"] = vin
        data["vout"] = [
            {"value": Amount(o.value), "n": n, "scriptPubKey": script_pubkey(o.script_pubkey)}
            for n, o in enumerate(tx.outputs)
        ]
        if verbosity >= 2 and not entry.is_coinbase:
            data["fee"] = Amount(entry.fee)
        if include_hex:
            data["hex"] = entry.raw.hex()
        if block is not None:
            active = self.in_active_chain(block)
            data["blockhash"] = block.hash_hex
            data["confirmations"] = self.chain.height - block.height + 1 if active else 0
            data["time"] = block.time
            data["blocktime"] = block.time
        return data
