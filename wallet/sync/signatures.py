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
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence

from wallet.kernel_library import preload

preload()  # before pbk loads it: CDLL would hold the GIL (and freeze the UI) for ~100 ms

import pbk  # noqa: E402
from pbk.capi.base import KernelOpaquePtr  # noqa: E402
from pbk.script import PrecomputedTransactionData  # noqa: E402

from wallet.bitcoin.script import parse_witness_program  # noqa: E402
from wallet.bitcoin.transaction import TxOut  # noqa: E402

#: Consensus script flags with every soft fork (P2SH, BIP66, BIP147, BIP65, BIP112, SegWit,
#: Taproot) active, as for a block today.
ALL_FLAGS = pbk.ScriptVerificationFlags.ALL
WITHOUT_TAPROOT = ALL_FLAGS & ~pbk.ScriptVerificationFlags.TAPROOT


class NeedPrevouts(Exception):
    """A Taproot wallet input's signature commits to the other inputs' coins, which are not
    all known: fetch those (``missing``: input indexes) and ask again."""

    def __init__(self, missing: list[int]) -> None:
        super().__init__(f"the coins of inputs {missing} are needed")
        self.missing = missing


def _buffer(data: bytes) -> ctypes.Array:
    return (ctypes.c_ubyte * len(data)).from_buffer_copy(data) if data else (ctypes.c_ubyte * 1)()


class _Transaction(pbk.Transaction):
    """A kernel transaction made with one buffer copy (the stock constructor copies per byte)."""

    def __init__(self, raw: bytes) -> None:
        KernelOpaquePtr.__init__(self, _buffer(raw), len(raw))


class _Script(pbk.ScriptPubkey):
    def __init__(self, raw: bytes) -> None:
        KernelOpaquePtr.__init__(self, _buffer(raw), len(raw))


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
    try:
        tx = _Transaction(raw_tx)
    except Exception:  # the kernel could not read it: no input of it is valid
        return list(check)
    outputs = (
        [pbk.TransactionOutput(_Script(p.script_pubkey), p.value) for p in known]
        if complete
        else None
    )
    precomputed = PrecomputedTransactionData(tx, outputs)
    flags = ALL_FLAGS if complete else WITHOUT_TAPROOT
    bad = []
    for i in check:
        coin = prevouts[i]
        assert coin is not None
        try:
            ok = _Script(coin.script_pubkey).verify(coin.value, tx, precomputed, i, flags)
        except pbk.ScriptVerifyException:
            ok = False
        if not ok:
            bad.append(i)
    return bad


__all__ = ["NeedPrevouts", "invalid_inputs"]
