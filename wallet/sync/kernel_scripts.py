"""Input scripts checked by Bitcoin Core's interpreter (libbitcoinkernel, via py-bitcoinkernel).

Its own module so that the library is loaded only when a check is first made (on the sync
thread), and loaded with the GIL released (:mod:`wallet.kernel_library`).
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence

from wallet.kernel_library import preload

preload()  # before pbk loads it: CDLL would hold the GIL (and freeze the UI) for ~100 ms

import pbk  # noqa: E402
from pbk.capi.base import KernelOpaquePtr  # noqa: E402
from pbk.script import PrecomputedTransactionData  # noqa: E402

from wallet.bitcoin.transaction import TxOut  # noqa: E402

#: Consensus script flags with every soft fork (P2SH, BIP66, BIP147, BIP65, BIP112, SegWit,
#: Taproot) active, as for a block today.
ALL_FLAGS = pbk.ScriptVerificationFlags.ALL
WITHOUT_TAPROOT = ALL_FLAGS & ~pbk.ScriptVerificationFlags.TAPROOT


def kernel_buffer(data: bytes) -> ctypes.Array:
    """``data`` as the C buffer the kernel's constructors read, in one copy."""
    return (ctypes.c_ubyte * len(data)).from_buffer_copy(data) if data else (ctypes.c_ubyte * 1)()


class KernelTransaction(pbk.Transaction):
    """A kernel transaction made with one buffer copy (the stock constructor copies per byte)."""

    def __init__(self, raw: bytes) -> None:
        KernelOpaquePtr.__init__(self, kernel_buffer(raw), len(raw))


class KernelScript(pbk.ScriptPubkey):
    def __init__(self, raw: bytes) -> None:
        KernelOpaquePtr.__init__(self, kernel_buffer(raw), len(raw))


def failing_inputs(
    raw_tx: bytes,
    prevouts: Sequence[TxOut | None],
    every_prevout: Sequence[TxOut] | None,
    check: Sequence[int],
) -> list[int]:
    """The inputs among ``check`` whose script does not verify against the coin in
    ``prevouts``; ``every_prevout`` (all inputs' coins, in order) enables Taproot's checks."""
    try:
        tx = KernelTransaction(raw_tx)
    except Exception:  # the kernel could not read it: no input of it is valid
        return list(check)
    outputs = (
        [pbk.TransactionOutput(KernelScript(p.script_pubkey), p.value) for p in every_prevout]
        if every_prevout is not None
        else None
    )
    precomputed = PrecomputedTransactionData(tx, outputs)
    flags = ALL_FLAGS if every_prevout is not None else WITHOUT_TAPROOT
    bad = []
    for i in check:
        coin = prevouts[i]
        assert coin is not None
        try:
            ok = KernelScript(coin.script_pubkey).verify(coin.value, tx, precomputed, i, flags)
        except pbk.ScriptVerifyException:
            ok = False
        if not ok:
            bad.append(i)
    return bad
