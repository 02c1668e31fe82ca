"""The consensus engine: Bitcoin Core's libbitcoinkernel (py-bitcoinkernel, ``import pbk``).

Every block the playground makes goes through :meth:`Kernel.submit_block`, and every mempool
input through :meth:`Kernel.verify_scripts`. The kernel keeps its own block files and UTXO set
in ``datadir``; the playground's indexes only follow the kernel's active chain.
"""

from __future__ import annotations

import ctypes
import gc
import threading
from collections import deque
from pathlib import Path

import pbk
from pbk.capi.base import KernelOpaquePtr
from pbk.script import PrecomputedTransactionData

from wallet.bitcoin.transaction import TxOut
from wallet.playground.errors import BlockRejected, PlaygroundError

#: Consensus script flags for a regtest chain where every soft fork is active from the start.
SCRIPT_FLAGS = pbk.ScriptVerificationFlags.ALL

_LOG_LOCK = threading.Lock()
_CONNECT_LOCK = threading.Lock()
_LOG: deque[str] = deque(maxlen=400)
_LOG_SEQ = [0]
_LOG_CONNECTION: pbk.LoggingConnection | None = None


def _on_log(message: str) -> None:
    with _LOG_LOCK:
        _LOG.append(message)
        _LOG_SEQ[0] += 1


def _ensure_logging() -> None:
    """The kernel logs globally; one connection per process captures the reject reasons."""
    global _LOG_CONNECTION
    with _CONNECT_LOCK:  # not _LOG_LOCK: the kernel replays its early messages on connecting
        if _LOG_CONNECTION is None:
            _LOG_CONNECTION = pbk.LoggingConnection(_on_log)


def _log_mark() -> int:
    with _LOG_LOCK:
        return _LOG_SEQ[0]


def _log_since(mark: int) -> list[str]:
    with _LOG_LOCK:
        n = min(_LOG_SEQ[0] - mark, len(_LOG))
        return list(_LOG)[len(_LOG) - n :] if n > 0 else []


def _reject_reason(lines: list[str]) -> str:
    """The most specific reject reason in the kernel's log lines (Core's own words)."""
    for key in ("Block validation error:", "AcceptBlock FAILED", "[error]"):
        for line in lines:
            if key in line:
                return line.split(key, 1)[1].strip().strip("()").strip()
    return "the block did not become the chain tip (no reason was logged)"


def _buffer(data: bytes) -> ctypes.Array:
    return (ctypes.c_ubyte * len(data)).from_buffer_copy(data) if data else (ctypes.c_ubyte * 1)()


class _Block(pbk.Block):
    """A kernel block built with one buffer copy (the stock constructor unpacks every byte)."""

    def __init__(self, raw: bytes) -> None:
        KernelOpaquePtr.__init__(self, _buffer(raw), len(raw))


class _Transaction(pbk.Transaction):
    def __init__(self, raw: bytes) -> None:
        KernelOpaquePtr.__init__(self, _buffer(raw), len(raw))


class _Script(pbk.ScriptPubkey):
    def __init__(self, raw: bytes) -> None:
        KernelOpaquePtr.__init__(self, _buffer(raw), len(raw))


class Kernel:
    """One regtest ``ChainstateManager`` in ``datadir`` (exclusive: one process at a time)."""

    def __init__(self, datadir: Path) -> None:
        _ensure_logging()
        self.datadir = Path(datadir)
        self.datadir.mkdir(parents=True, exist_ok=True)
        self._checked: list[tuple[int, int]] = []
        self._callbacks = pbk.ValidationInterfaceCallbacks(block_checked=self._on_checked)
        context = pbk.make_context(pbk.ChainType.REGTEST, self._callbacks)
        options = pbk.ChainstateManagerOptions(
            context, str(self.datadir.absolute()), str((self.datadir / "blocks").absolute())
        )
        try:
            self._chainman: pbk.ChainstateManager | None = pbk.ChainstateManager(options)
        except RuntimeError as exc:
            raise PlaygroundError(
                f"cannot open the chain in {self.datadir} ({exc}); is another playground "
                "using this data directory?"
            ) from None
        self._chain = self._chainman.get_active_chain()

    def _on_checked(self, _user_data, _block, state) -> None:
        self._checked.append((int(state.validation_mode), int(state.block_validation_result)))

    @property
    def chainman(self) -> pbk.ChainstateManager:
        if self._chainman is None:
            raise PlaygroundError("the playground's chain is closed")
        return self._chainman

    # -- the active chain ----------------------------------------------------------------------

    @property
    def height(self) -> int:
        return self._chain.height

    def hash_at(self, height: int) -> bytes:
        """Block hash (internal byte order) at ``height`` on the kernel's active chain."""
        return bytes(self._chain.block_tree_entries[height].block_hash)

    def block_at(self, height: int) -> bytes:
        """Raw block at ``height`` on the active chain, read from the kernel's block files."""
        entry = self._chain.block_tree_entries[height]
        return bytes(self.chainman.blocks[entry])

    # -- validation ----------------------------------------------------------------------------

    def submit_block(self, raw: bytes, block_hash: bytes, expect_tip: bool = True) -> None:
        """Hand a block to the kernel; raise :class:`BlockRejected` unless it is accepted.

        With ``expect_tip`` the block must also become the active tip (it extends the chain, or
        completes a heavier branch); a block stored but not connected is a refusal too.
        """
        mark = _log_mark()
        self._checked.clear()
        display = block_hash[::-1].hex()
        try:
            self.chainman.process_block(_Block(raw))
        except pbk.ProcessBlockException:
            raise BlockRejected(display, _reject_reason(_log_since(mark))) from None
        invalid = any(mode != 0 for mode, _ in self._checked)
        if invalid or (expect_tip and self.hash_at(self.height) != block_hash):
            raise BlockRejected(display, _reject_reason(_log_since(mark)))

    def verify_scripts(self, raw_tx: bytes, spent: list[TxOut]) -> int | None:
        """Check every input's script with the kernel; the index of the first failure, or None."""
        tx = _Transaction(raw_tx)
        outputs = [pbk.TransactionOutput(_Script(o.script_pubkey), o.value) for o in spent]
        precomputed = PrecomputedTransactionData(tx, outputs)
        for i, out in enumerate(spent):
            try:
                ok = _Script(out.script_pubkey).verify(out.value, tx, precomputed, i, SCRIPT_FLAGS)
            except pbk.ScriptVerifyException:
                ok = False
            if not ok:
                return i
        return None

    def close(self) -> None:
        """Flush and release the data directory (the kernel writes its state on destruction)."""
        self._chain = None
        self._chainman = None
        gc.collect()
