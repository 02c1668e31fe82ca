"""The consensus engine: Bitcoin Core's libbitcoinkernel (py-bitcoinkernel, ``import pbk``).

Every block the playground makes goes through :meth:`Kernel.submit_block`, and every mempool
input through :meth:`Kernel.verify_scripts`. The kernel keeps its own block files and UTXO set
in ``datadir``; the playground's indexes only follow the kernel's active chain.
"""

from __future__ import annotations

import ctypes
import gc
import threading
import weakref
from collections import deque
from pathlib import Path

import pbk
from pbk.capi.base import KernelOpaquePtr
from pbk.capi.bindings import btck_block_to_bytes, btck_WriteBytes

from wallet.bitcoin.networks import REGTEST
from wallet.bitcoin.transaction import TxOut
from wallet.playground.errors import BlockRejected, PlaygroundError
from wallet.playground.kernel_options import set_check_block_index
from wallet.sync.kernel_scripts import failing_inputs, kernel_buffer

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


class _Block(pbk.Block):
    """A kernel block built with one buffer copy (the stock constructor unpacks every byte)."""

    def __init__(self, raw: bytes) -> None:
        KernelOpaquePtr.__init__(self, kernel_buffer(raw), len(raw))


_CHUNKS: list[bytes] = []
_CHUNKS_LOCK = threading.Lock()


@btck_WriteBytes
def _collect(data: int, size: int, _user_data: int) -> int:
    _CHUNKS.append(ctypes.string_at(data, size))
    return 0


def _block_bytes(block: pbk.Block) -> bytes:
    """A block's bytes. pbk's own writer costs ~130 us a block in per-chunk Python (about 27
    chunks), which made restarting a 100,000-block playground take minutes; this is ~4x less."""
    with _CHUNKS_LOCK:
        _CHUNKS.clear()
        if btck_block_to_bytes(block, _collect, None) != 0:
            raise PlaygroundError("the kernel could not serialise a block it stored")
        return b"".join(_CHUNKS)


class Kernel:
    """One regtest ``ChainstateManager`` in ``datadir`` (exclusive: one process at a time)."""

    def __init__(self, datadir: Path) -> None:
        _ensure_logging()
        self.datadir = Path(datadir)
        self.datadir.mkdir(parents=True, exist_ok=True)
        self._checked: list[tuple[int, int]] = []
        self._callbacks = pbk.ValidationInterfaceCallbacks(block_checked=self._on_checked)
        self._context = pbk.make_context(pbk.ChainType.REGTEST, self._callbacks)
        #: how often Core checks its block index: "1 in N" calls, or why it checks every call
        self.block_index_check = ""
        self._chainman: pbk.ChainstateManager | None = None
        self._chain: pbk.Chain | None = None
        self._open(check_one_in(0))
        if self._one_in and check_one_in(self.height) > 2 * self._one_in:
            self.flush()  # a long chain: open again with N sized to its height

    def _open(self, one_in: int) -> None:
        datadir = str(self.datadir.absolute())
        options = pbk.ChainstateManagerOptions(
            self._context, datadir, str((self.datadir / "blocks").absolute())
        )
        genesis = bytes.fromhex(REGTEST.genesis_hash)[::-1]
        if set_check_block_index(options, datadir, genesis, one_in):
            self._one_in = one_in
            self.block_index_check = f"1 in {one_in}"
        else:
            self._one_in = 0
            self.block_index_check = "every call (this kernel build's options are not recognised)"
        try:
            self._chainman = pbk.ChainstateManager(options)
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
        return _block_bytes(self.chainman.blocks[entry])

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
        bad = failing_inputs(raw_tx, spent, spent, range(len(spent)))
        return bad[0] if bad else None

    def flush(self) -> None:
        """Write the chain to disk now, so a crash or a kill keeps it.

        The C API has no flush: Core writes its block index and coins only from time to time
        (about hourly) or when the chainstate manager is destroyed, so this closes the manager
        and opens it again (about 0.05 s at 10,000 blocks, 0.5 s at 40,000). The block index
        check is sized to the chain's new height on the way.
        """
        height = self.height
        self.close()
        self._open(check_one_in(height))

    def close(self) -> None:
        """Flush and release the data directory (the kernel writes its state on destruction)."""
        alive = weakref.ref(self._chainman) if self._chainman is not None else None
        self._chain = None
        self._chainman = None
        if alive is not None and alive() is not None:
            gc.collect()  # only if a cycle still holds it: a full pass over a long chain is slow


#: Block index entries Core walks, on average, per block-index check call whatever the height.
CHECK_ENTRIES_PER_CALL = 64


def check_one_in(height: int) -> int:
    """Core's ``-checkblockindex=N`` for a chain of ``height``: the full walk costs ``height``
    steps, so checking on one call in ``height / 64`` costs each block about 64 steps on
    average, the same at 1,000 blocks as at 1,000,000. Short chains keep a check every 16 calls.
    """
    return max(16, height // CHECK_ENTRIES_PER_CALL)
