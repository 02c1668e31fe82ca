"""JSON shapes: Esplora's transactions, blocks and statuses, and bitcoind's verbose transaction."""

from __future__ import annotations

from typing import Any

from wallet.bitcoin.transaction import TxOut
from wallet.playground.blocks import bits_to_target
from wallet.playground.chain import BlockRecord, TxEntry
from wallet.playground.scriptfmt import address_of, core_asm, core_type, esplora_asm, esplora_type

_DIFF1_TARGET = bits_to_target(0x1D00FFFF)


def difficulty(bits: int) -> float:
    return _DIFF1_TARGET / bits_to_target(bits)


def esplora_output(out: TxOut) -> dict[str, Any]:
    spk = out.script_pubkey
    data: dict[str, Any] = {
        "scriptpubkey": spk.hex(),
        "scriptpubkey_asm": esplora_asm(spk),
        "scriptpubkey_type": esplora_type(spk),
    }
    address = address_of(spk)
    if address is not None:
        data["scriptpubkey_address"] = address
    data["value"] = out.value
    return data


def esplora_status(block: BlockRecord | None) -> dict[str, Any]:
    if block is None:
        return {"confirmed": False}
    return {
        "confirmed": True,
        "block_height": block.height,
        "block_hash": block.hash_hex,
        "block_time": block.time,
    }


def esplora_tx(entry: TxEntry, block: BlockRecord | None) -> dict[str, Any]:
    tx = entry.tx
    vin = []
    for i, txin in enumerate(tx.inputs):
        item: dict[str, Any] = {
            "txid": txin.prevout.txid_hex,
            "vout": txin.prevout.vout,
            "prevout": None if entry.is_coinbase else esplora_output(entry.prevouts[i]),
            "scriptsig": txin.script_sig.hex(),
            "scriptsig_asm": esplora_asm(txin.script_sig),
        }
        if txin.witness:
            item["witness"] = [w.hex() for w in txin.witness]
        item["is_coinbase"] = entry.is_coinbase
        item["sequence"] = txin.sequence
        vin.append(item)
    return {
        "txid": entry.txid[::-1].hex(),
        "version": tx.version,
        "locktime": tx.locktime,
        "vin": vin,
        "vout": [esplora_output(o) for o in tx.outputs],
        "size": len(entry.raw),
        "weight": entry.weight,
        "fee": entry.fee,
        "status": esplora_status(block),
    }


def esplora_block(block: BlockRecord, mtp: int, previous: BlockRecord | None) -> dict[str, Any]:
    header = block.header
    bits = int.from_bytes(header[72:76], "little")
    return {
        "id": block.hash_hex,
        "height": block.height,
        "version": int.from_bytes(header[0:4], "little", signed=True),
        "timestamp": block.time,
        "tx_count": len(block.txs),
        "size": block.size,
        "weight": block.weight,
        "merkle_root": header[36:68][::-1].hex(),
        "previousblockhash": previous.hash_hex if previous is not None else None,
        "mediantime": mtp,
        "nonce": int.from_bytes(header[76:80], "little"),
        "bits": bits,
        "difficulty": difficulty(bits),
    }


def _btc(sats: int) -> float:
    return round(sats / 100_000_000, 8)


def bitcoind_tx(entry: TxEntry, block: BlockRecord | None, tip_height: int) -> dict[str, Any]:
    """``getrawtransaction txid true`` as Bitcoin Core answers it (Electrum's verbose get)."""
    tx = entry.tx
    vin: list[dict[str, Any]] = []
    for txin in tx.inputs:
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
        item["sequence"] = txin.sequence
        vin.append(item)
    vout = []
    for n, out in enumerate(tx.outputs):
        spk: dict[str, Any] = {
            "asm": core_asm(out.script_pubkey),
            "hex": out.script_pubkey.hex(),
            "type": core_type(out.script_pubkey),
        }
        address = address_of(out.script_pubkey)
        if address is not None:
            spk["address"] = address
        vout.append({"value": _btc(out.value), "n": n, "scriptPubKey": spk})
    data: dict[str, Any] = {
        "txid": entry.txid[::-1].hex(),
        "hash": _wtxid(entry)[::-1].hex(),
        "version": tx.version,
        "size": len(entry.raw),
        "vsize": entry.vsize,
        "weight": entry.weight,
        "locktime": tx.locktime,
        "vin": vin,
        "vout": vout,
        "hex": entry.raw.hex(),
    }
    if block is not None:
        data.update(
            blockhash=block.hash_hex,
            confirmations=tip_height - block.height + 1,
            time=block.time,
            blocktime=block.time,
        )
    return data


def _wtxid(entry: TxEntry) -> bytes:
    from wallet.bitcoin.hashes import sha256d

    return sha256d(entry.raw)
