"""Deliberate misbehaviour, so the wallet's defences are tested against a real server that lies.

Modes (any number at once; both servers unless ``protocols`` narrows them):

- ``wrong-merkle``: transaction Merkle branches (Electrum ``get_merkle``/``id_from_pos``, Esplora
  ``merkle-proof`` and ``merkleblock-proof``) have one hash altered.
- ``low-work``: the last ``depth`` headers (default 6) are re-linked with nonces that do *not*
  meet their target, so the served chain claims work it does not have.
- ``omit-tx``: histories and UTXO lists leave out ``txid`` (default: the newest transaction of
  every history).
- ``slow``: every answer waits ``delay`` seconds (default 3).
- ``drop``: the connection is closed instead of answering (after ``after`` good answers, 0 default).
- ``malformed-json``: answers are cut-off JSON.
- ``wrong-raw``: raw transactions (Electrum ``transaction.get``, Esplora ``/tx/:txid/hex`` and
  ``/raw``) come back altered (first output's value changed): they parse, but hash to another
  txid than the one asked for.
- ``oversized``: every answer is padded to ``size`` bytes (default 11 MiB, past the clients'
  limits) with JSON whitespace, so it is still well-formed, only too big.
- ``wrong-txid``: a broadcast (Electrum ``transaction.broadcast``, Esplora ``POST /tx``) is
  answered with another txid (the transaction's own, one bit changed) and the transaction is
  not relayed: a server claiming to have sent what it dropped.
- ``deep-coinbase``: in a block whose coinbase is 64 bytes (``mine(tiny_coinbase=True)``), the
  coinbase's proof (Electrum ``id_from_pos`` at position 0 with ``merkle``, Esplora
  ``/block/:hash/txid/0`` and that txid's ``merkle-proof``) names the coinbase's first half as
  the block's first "transaction", one level deeper, with its second half as the sibling: a
  branch through a real 64-byte transaction (CVE-2017-12842) that reaches the real root.
- ``deep-branch``: Merkle branches of transactions after the coinbase carry one hash too many
  (a branch of the wrong depth for the block).
- ``phantom``: the last transaction of a block with an odd number of them is said to be one
  position further on, in the tree's duplicated tail, with its own (still valid) branch.
- ``fake-spend``: every history with a confirmed unspent output also lists an unconfirmed
  transaction spending it without any signature (served in full, hashing to its txid).
- ``flood``: every history also lists ``count`` (default 60) made-up mempool transactions.
- ``extra-tx``: histories also list the given raw transactions (``raws``: hex strings) as
  unconfirmed, where they pay or spend the script: a real, signed transaction only this server
  claims to have in its mempool.
- ``stall-history``: history, mempool and unspent requests are never answered (Electrum: no
  reply; Esplora: the request hangs); everything else is.
"""

from __future__ import annotations

import struct
import threading
from dataclasses import dataclass, field
from typing import Any

from wallet.bitcoin.hashes import sha256d
from wallet.playground.blocks import bits_to_target
from wallet.playground.errors import PlaygroundError

MODES = (
    "wrong-merkle",
    "low-work",
    "omit-tx",
    "slow",
    "drop",
    "malformed-json",
    "wrong-raw",
    "oversized",
    "wrong-txid",
    "deep-coinbase",
    "deep-branch",
    "phantom",
    "fake-spend",
    "flood",
    "extra-tx",
    "stall-history",
)
PROTOCOLS = ("electrum", "esplora")
_OPTIONS = {
    "wrong-merkle": {"protocols"},
    "low-work": {"protocols", "depth"},
    "omit-tx": {"protocols", "txid"},
    "slow": {"protocols", "delay"},
    "drop": {"protocols", "after"},
    "malformed-json": {"protocols"},
    "wrong-raw": {"protocols"},
    "oversized": {"protocols", "size"},
    "wrong-txid": {"protocols"},
    "deep-coinbase": {"protocols"},
    "deep-branch": {"protocols"},
    "phantom": {"protocols"},
    "fake-spend": {"protocols"},
    "flood": {"protocols", "count"},
    "extra-tx": {"protocols", "raws"},
    "stall-history": {"protocols"},
}
#: Default padded size of an ``oversized`` answer: past Electrum's 10 MiB line limit and
#: Esplora's 8 MiB body limit in the clients.
OVERSIZED_DEFAULT = 11 * 1024 * 1024


@dataclass
class Misbehavior:
    """The active modes and their options; shared by both servers, safe across threads."""

    modes: dict[str, dict[str, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def set(self, mode: str, **options: Any) -> None:
        if mode not in MODES:
            raise PlaygroundError(f"unknown misbehaviour {mode!r}: use one of {', '.join(MODES)}")
        unknown = set(options) - _OPTIONS[mode]
        if unknown:
            raise PlaygroundError(
                f"misbehaviour {mode!r} takes no option {', '.join(sorted(unknown))}"
            )
        protocols = options.get("protocols", PROTOCOLS)
        if isinstance(protocols, str):
            protocols = (protocols,)
        if not set(protocols) <= set(PROTOCOLS):
            raise PlaygroundError(f"protocols must be among {', '.join(PROTOCOLS)}")
        options["protocols"] = tuple(protocols)
        with self._lock:
            self.modes[mode] = options

    def clear(self, mode: str | None = None) -> None:
        with self._lock:
            if mode is None:
                self.modes.clear()
            else:
                self.modes.pop(mode, None)

    def get(self, mode: str, protocol: str) -> dict[str, Any] | None:
        """The options of ``mode`` if it applies to ``protocol`` now, else None."""
        with self._lock:
            opts = self.modes.get(mode)
        if opts is None or protocol not in opts["protocols"]:
            return None
        return opts

    def snapshot(self) -> dict[str, dict[str, Any]]:
        with self._lock:
            return {m: dict(o) for m, o in self.modes.items()}


def corrupt_branch(branch: list[bytes]) -> list[bytes]:
    """A Merkle branch with its first hash altered (or one bogus hash for a one-leaf tree)."""
    if not branch:
        return [bytes(31) + b"\x01"]
    first = bytearray(branch[0])
    first[0] ^= 0x01
    return [bytes(first), *branch[1:]]


def tamper_raw(raw: bytes) -> bytes:
    """``raw`` with its first output's value lowered by one satoshi (another txid, still valid
    serialization); a coinbase or output-less transaction gets its locktime changed instead."""
    from wallet.bitcoin.transaction import Transaction, TxOut

    tx = Transaction.parse(raw)
    if tx.outputs and tx.outputs[0].value > 0:
        first = tx.outputs[0]
        tx.outputs[0] = TxOut(first.value - 1, first.script_pubkey)
    else:
        tx.locktime ^= 1
    return tx.serialize()


def wrong_txid(raw: bytes) -> str | None:
    """A txid (display hex) that is not ``raw``'s, or None when ``raw`` is no transaction (then
    the broadcast goes on, to be rejected as usual)."""
    from wallet.bitcoin.errors import BitcoinError
    from wallet.bitcoin.transaction import Transaction

    try:
        txid = bytearray(Transaction.parse(raw).txid())
    except BitcoinError:
        return None
    txid[0] ^= 0x01
    return bytes(txid)[::-1].hex()


def unsigned_spend(outpoint: Any, value: int, script_pubkey: bytes) -> Any:
    """A transaction spending ``outpoint`` (worth ``value``) back to ``script_pubkey`` minus a
    fee, with no signature at all: it parses and hashes, and no node would accept it."""
    from wallet.bitcoin.transaction import Transaction, TxIn, TxOut

    return Transaction(2, [TxIn(outpoint, b"", 0xFFFFFFFD)], [TxOut(value - 500, script_pubkey)])


def made_up(sh: bytes, i: int, script_pubkey: bytes) -> Any:
    """The ``i``-th made-up transaction a flooding server lists for script hash ``sh``: it pays
    ``script_pubkey`` 1,000 sat from an input that does not exist."""
    import hashlib

    from wallet.bitcoin.transaction import OutPoint, Transaction, TxIn, TxOut

    prev = OutPoint(hashlib.sha256(sh + i.to_bytes(4, "little")).digest(), 0)
    return Transaction(2, [TxIn(prev, b"", 0xFFFFFFFD)], [TxOut(1_000, script_pubkey)])


def pad_json(body: bytes, size: int) -> bytes:
    """``body`` (JSON) followed by spaces up to ``size`` bytes: valid JSON, oversized."""
    return body + b" " * max(0, size - len(body))


def forge_low_work(headers: list[bytes], prev_hash: bytes) -> list[bytes]:
    """Re-link ``headers`` onto ``prev_hash`` with nonces whose hash misses the target."""
    forged = []
    for header in headers:
        bits = int.from_bytes(header[72:76], "little")
        target = bits_to_target(bits)
        prefix = header[:4] + prev_hash + header[36:76]
        nonce = int.from_bytes(header[76:80], "little")
        while True:
            nonce = (nonce + 1) & 0xFFFFFFFF
            candidate = prefix + struct.pack("<I", nonce)
            digest = sha256d(candidate)
            if int.from_bytes(digest, "little") > target:
                break
        forged.append(candidate)
        prev_hash = digest
    return forged
