"""The header store: the best chain in one flat file of 80-byte headers, forks beside it.

Layout of a store directory (one per network)::

    anchor.json      where the chain starts: genesis, or a checkpoint (+ headers linking to it)
    headers.bin      the best chain above the anchor, header at height h at (h - anchor - 1) * 80
    forks/*.bin      competing branches, each the headers above a block of the best chain
    lock             an advisory lock, held only while the store is opened or written

Several processes (and several stores in one process) share a directory: each keeps its view in
memory and takes the lock only to open, write or catch up. Under the lock a store first reads
what others wrote since it last looked -- headers appended are validated from its own tip, any
other change (another process's reorg) reloads the file -- so every write lands on the
current chain. A reorg seen that way is reported by the next :meth:`HeaderStore.add_headers`
(``fork_point``) as if this store had made it. Reads between writes use the view in memory;
a header read back that no longer matches it makes the store catch up first.

Crash safety: headers are only ever appended (or the file truncated, for a reorg) and fsynced
before the call returns; ``anchor.json`` is written once, atomically (temp file, fsync, rename).
On open the whole file is validated again from the anchor with the fast validator, and the file
is cut back to its longest valid prefix: a torn last write (a partial header, or a zero-filled
tail after a power cut) is dropped, never trusted. A reorg writes the winning branch to its fork
file first, then truncates and appends; a crash in between leaves a valid shorter chain plus the
branch, and reopening redoes the reorg.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from wallet import bounded_json
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.networks import Network, get_network
from wallet.spv.chain import ChainTip, verify_headers
from wallet.spv.checkpoints import (
    Checkpoint,
    checkpoint_at,
    checkpoint_hashes,
    tip_from_checkpoint,
)
from wallet.spv.errors import HeaderStoreError, InvalidHeader
from wallet.spv.header import HEADER_SIZE, HeaderError
from wallet.spv.pow import block_work, pow_limit_bits

#: A fork whose tip is this far below the best tip is resolved (lost) and deleted.
FORK_KEEP_DEPTH = 144
#: How long to wait for another process's write (held for one fsync'd append, normally ms).
LOCK_TIMEOUT = 60.0


@dataclass
class AddResult:
    """What :meth:`HeaderStore.add_headers` did."""

    #: headers accepted (on the best chain or on a fork)
    accepted: int
    #: set when the best chain changed branch: the height of the last block both share; the
    #: wallet must undo confirmations above it
    fork_point: int | None
    tip_height: int
    #: the first rejected header's error, if any (headers before it were kept)
    error: InvalidHeader | None = None


@dataclass
class _Fork:
    parent_height: int
    raw: bytes
    tip: ChainTip
    path: Path

    @property
    def tip_height(self) -> int:
        return self.parent_height + len(self.raw) // HEADER_SIZE


class HeaderStore:
    """A network's validated header chain on disk (see the module docstring for the layout)."""

    def __init__(
        self,
        directory: str | os.PathLike[str],
        network: Network | str,
        *,
        checkpoint: Checkpoint | None = None,
        checkpoint_tail: bytes | None = None,
        fsync: bool = True,
        now: int | None = None,
    ) -> None:
        self.network = get_network(network)
        self.directory = Path(directory)
        self.fsync = fsync
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / "forks").mkdir(exist_ok=True)
        self._lock_file = open(self.directory / "lock", "a+b")  # noqa: SIM115 (held open)
        self._lock_depth = 0
        self._fork_files: tuple[tuple[str, int], ...] = ()
        #: the lowest fork point of reorgs other processes made, until add_headers reports it
        self._foreign_fork_point: int | None = None
        self._checkpoints = checkpoint_hashes(self.network)
        self._path = self.directory / "headers.bin"
        self._forks: list[_Fork] = []
        self._tip: ChainTip  # set by _recover
        self._hashes: bytearray
        try:
            with self._locked():
                self._anchor = self._load_anchor(checkpoint, checkpoint_tail)
                self._file = open(self._path, "a+b")  # noqa: SIM115 (held open)
                self._recover(now)
        except BaseException:
            if hasattr(self, "_file"):
                self._file.close()
            self._lock_file.close()
            raise

    # -- sharing -----------------------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the store's lock (re-entrant), waiting up to :data:`LOCK_TIMEOUT` for it."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no advisory lock
            yield
            return
        if self._lock_depth == 0:
            deadline = time.monotonic() + LOCK_TIMEOUT
            while True:
                try:
                    fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise HeaderStoreError(
                            f"the header store {self.directory} stayed locked by another "
                            f"Paylight process for {LOCK_TIMEOUT:.0f} s; try again"
                        ) from None
                    time.sleep(0.01)
        self._lock_depth += 1
        try:
            yield
        finally:
            self._lock_depth -= 1
            if self._lock_depth == 0:
                self._fork_files = self._list_forks()  # what this store has seen
                fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_UN)

    def locked(self) -> contextlib.AbstractContextManager[None]:
        """The store's lock, for files kept beside it (the filter headers of its chain)."""
        return self._locked()

    def _list_forks(self) -> tuple[tuple[str, int], ...]:
        files = []
        for path in (self.directory / "forks").glob("*.bin"):
            with contextlib.suppress(FileNotFoundError):
                files.append((path.name, path.stat().st_size))
        return tuple(sorted(files))

    def refresh(self, now: int | None = None) -> None:
        """Catch up with what other processes wrote (the next write does so by itself)."""
        with self._locked():
            self._catch_up(now)

    def _catch_up(self, now: int | None) -> None:
        """Under the lock: bring this view up to the files. Appended headers are validated
        from our tip; any other change to the best chain reloads it (and remembers the fork
        point for :meth:`add_headers` to report); changed fork files are read again."""
        fd = self._file.fileno()
        size = os.fstat(fd).st_size
        known = (self.height - self.base_height) * HEADER_SIZE
        ours = known == 0 or (
            size >= known
            and sha256d(os.pread(fd, HEADER_SIZE, known - HEADER_SIZE)) == self.tip.hash
        )
        if ours and size > known:
            tail = os.pread(fd, size - known, known)
            tail = tail[: len(tail) - len(tail) % HEADER_SIZE]
            result = verify_headers(tail, self._tip, now, self._checkpoints)
            if result.count:
                self._tip = result.tip
                self._hashes += b"".join(result.hashes)
            if known + result.count * HEADER_SIZE != size:  # a torn write by a killed writer
                self._truncate(known + result.count * HEADER_SIZE)
        elif not ours or size < known:
            old_hashes, old_height = bytes(self._hashes), self.height
            self._forks = []
            self._recover(now)
            shared = self._shared_height(old_hashes)
            if shared < old_height:
                previous = self._foreign_fork_point
                self._foreign_fork_point = shared if previous is None else min(previous, shared)
            return
        if self._list_forks() != self._fork_files:
            self._forks = []
            for path in sorted((self.directory / "forks").glob("*.bin")):
                self._load_fork(path, now)

    def _shared_height(self, old_hashes: bytes) -> int:
        """The highest height where an earlier view (its hashes) and the current chain agree."""
        lo, hi = 0, min(len(old_hashes), len(self._hashes)) // 32  # hashes[:lo] agree
        while lo < hi:  # a chain: once two differ, every later pair differs too
            mid = (lo + hi + 1) // 2
            if old_hashes[32 * (mid - 1) : 32 * mid] == self._hashes[32 * (mid - 1) : 32 * mid]:
                lo = mid
            else:
                hi = mid - 1
        return self.base_height + lo

    # -- opening -----------------------------------------------------------------------------

    def _load_anchor(self, checkpoint: Checkpoint | None, tail: bytes | None) -> ChainTip:
        path = self.directory / "anchor.json"
        if path.exists():
            try:
                doc = bounded_json.loads(path.read_bytes(), max_bytes=1 << 16)
                if doc["network"] != self.network.name:
                    raise HeaderStoreError(
                        f"{self.directory} holds {doc['network']} headers, not {self.network.name}"
                    )
                height = int(doc["height"])
                tail = bytes.fromhex(doc["tail"]) if doc.get("tail") else None
            except (ValueError, KeyError, TypeError) as exc:
                raise HeaderStoreError(f"{path} is unreadable ({exc}); delete the store") from None
            if checkpoint is not None and checkpoint.height != height:
                raise HeaderStoreError(
                    f"{self.directory} starts at height {height}, not at the checkpoint "
                    f"{checkpoint.height}; use another directory"
                )
            if height == 0:
                return ChainTip.genesis(self.network)
            cp = checkpoint_at(self.network, height)
            if cp is None or cp.hash.hex() != doc.get("hash"):
                raise HeaderStoreError(f"{path} names no known checkpoint at height {height}")
            return tip_from_checkpoint(self.network, cp, tail)
        if checkpoint is None:
            tip = ChainTip.genesis(self.network)
        else:
            tip = tip_from_checkpoint(self.network, checkpoint, tail)
        doc = {"network": self.network.name, "height": tip.height, "hash": tip.hash.hex()}
        if checkpoint is not None and tail:
            doc["tail"] = tail.hex()
        self._write_atomic(path, json.dumps(doc).encode())
        return tip

    def _write_atomic(self, path: Path, data: bytes) -> None:
        tmp = path.with_suffix(".tmp")
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            if self.fsync:
                os.fsync(f.fileno())
        os.replace(tmp, path)
        self._sync_dir()

    def _sync_dir(self) -> None:
        if self.fsync and hasattr(os, "O_DIRECTORY"):
            fd = os.open(self.directory, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    def _recover(self, now: int | None) -> None:
        """Validate the file from the anchor and cut it back to its longest valid prefix."""
        size = os.fstat(self._file.fileno()).st_size
        raw = os.pread(self._file.fileno(), size - size % HEADER_SIZE, 0) if size else b""
        result = verify_headers(raw, self._anchor, now, self._checkpoints)
        if result.count * HEADER_SIZE != size:
            self._truncate(result.count * HEADER_SIZE)
        self._tip = result.tip
        self._hashes = bytearray(b"".join(result.hashes))
        for path in sorted((self.directory / "forks").glob("*.bin")):
            self._load_fork(path, now)
        self._maybe_reorg(now)

    def _load_fork(self, path: Path, now: int | None) -> None:
        data = path.read_bytes()
        data = data[: len(data) - len(data) % HEADER_SIZE]
        parent = self.height_of(data[4:36]) if data else None
        if parent is None:
            path.unlink()
            return
        result = verify_headers(data, self._tip_at(parent), now, self._checkpoints)
        if not result.count:
            path.unlink()
            return
        raw = data[: result.count * HEADER_SIZE]
        if len(raw) != len(path.read_bytes()):
            path.write_bytes(raw)
        self._forks.append(_Fork(parent, raw, result.tip, path))

    # -- reading -----------------------------------------------------------------------------

    @property
    def tip(self) -> ChainTip:
        return self._tip

    @property
    def height(self) -> int:
        return self._tip.height

    @property
    def base_height(self) -> int:
        """Height of the anchor (0 for genesis): the store holds headers above it."""
        return self._anchor.height

    @property
    def forks(self) -> list[tuple[int, int]]:
        """(parent height, tip height) of each fork kept beside the best chain."""
        return [(f.parent_height, f.tip_height) for f in self._forks]

    def header(self, height: int) -> bytes:
        """The raw header at ``height`` on the best chain."""
        if not self.base_height < height <= self.height:
            raise HeaderError(
                f"no header at height {height}: the store holds {self.base_height + 1}.."
                f"{self.height}"
            )
        return self.headers(height, height + 1)

    def headers(self, start: int, stop: int) -> bytes:
        """Raw headers at heights [start, stop) on the best chain, in one read.

        Another process may have rewritten the file (a reorg) since this view was taken: what
        is read must end in the block this view has at ``stop - 1`` (which commits to all
        before it), else the store catches up and reads again.
        """
        for attempt in range(2):
            if not (self.base_height < start <= stop <= self.height + 1):
                raise HeaderError(f"heights {start}..{stop - 1} are not all in the store")
            if start == stop:
                return b""
            off = (start - self.base_height - 1) * HEADER_SIZE
            raw = os.pread(self._file.fileno(), (stop - start) * HEADER_SIZE, off)
            if len(raw) == (stop - start) * HEADER_SIZE and (
                sha256d(raw[-HEADER_SIZE:]) == self.hash_at(stop - 1)
            ):
                return raw
            if attempt == 0:
                self.refresh()
        raise HeaderStoreError(f"the header store {self.directory} changed while being read")

    def hash_at(self, height: int) -> bytes:
        """Block hash (internal order) at ``height`` on the best chain, anchor included."""
        if height == self.base_height:
            return self._anchor.hash
        i = height - self.base_height - 1
        if not 0 <= i < len(self._hashes) // 32:
            raise HeaderError(f"no header at height {height}")
        return bytes(self._hashes[32 * i : 32 * i + 32])

    def height_of(self, block_hash: bytes) -> int | None:
        """Height of a block of the best chain (anchor included), or None."""
        if block_hash == self._anchor.hash:
            return self.base_height
        pos = self._hashes.rfind(block_hash)
        while pos >= 0 and pos % 32:
            pos = self._hashes.rfind(block_hash, 0, pos + 31)
        return None if pos < 0 else self.base_height + 1 + pos // 32

    def _tip_at(self, height: int) -> ChainTip:
        """The validation context at ``height`` of the best chain (for a fork from there)."""
        if height == self.height:
            return self._tip
        if height == self.base_height:
            return self._anchor
        net = self.network
        interval = net.retarget_interval
        lo = max(self.base_height + 1, height - 10)
        recs = self.headers(lo, height + 1)
        times = [int.from_bytes(recs[o + 68 : o + 72], "little") for o in range(0, len(recs), 80)]
        times = ([*self._anchor.times, *times])[-11:]
        bits = int.from_bytes(recs[-8:-4], "little")
        start = height - height % interval
        start_time: int | None
        start_bits: int | None
        if start > self.base_height:
            rec = self.header(start)
            start_time = int.from_bytes(rec[68:72], "little")
            start_bits = int.from_bytes(rec[72:76], "little")
        else:
            start_time, start_bits = self._anchor.period_start_time, self._anchor.period_start_bits
        walk = self._anchor.walk_bits
        if start > self.base_height and start_bits is not None:  # (never None there)
            walk = start_bits
        limit = pow_limit_bits(net)
        above = self.headers(max(start, self.base_height + 1), height + 1)
        for o in range(len(above) - HEADER_SIZE, -1, -HEADER_SIZE):
            b = int.from_bytes(above[o + 72 : o + 76], "little")
            if b != limit:
                walk = b
                break
        work = None
        if self._tip.chainwork is not None:
            cut = self.headers(height + 1, self.height + 1)
            work = self._tip.chainwork - sum(
                block_work(int.from_bytes(cut[o + 72 : o + 76], "little"))
                for o in range(0, len(cut), HEADER_SIZE)
            )
        return ChainTip(
            network=net,
            height=height,
            hash=self.hash_at(height),
            bits=bits,
            times=tuple(times),
            period_start_time=start_time,
            period_start_bits=start_bits,
            walk_bits=walk,
            chainwork=work,
        )

    # -- writing -----------------------------------------------------------------------------

    def _append(self, raw: bytes) -> None:
        self._file.seek(0, os.SEEK_END)
        self._file.write(raw)
        self._file.flush()
        if self.fsync:
            os.fdatasync(self._file.fileno()) if hasattr(os, "fdatasync") else os.fsync(
                self._file.fileno()
            )

    def _truncate(self, size: int) -> None:
        self._file.flush()
        os.ftruncate(self._file.fileno(), size)
        if self.fsync:
            os.fsync(self._file.fileno())

    def _last_checkpoint_height(self) -> int:
        """The highest checkpoint the best chain has passed (forks below it are refused)."""
        passed = [h for h in self._checkpoints if h <= self.height]
        return max(passed, default=self.base_height)

    def add_headers(self, raw: bytes, now: int | None = None) -> AddResult:
        """Add consecutive raw headers: extend the best chain, grow or start a fork, reorg.

        Raises :class:`InvalidHeader` when not even the first header can be accepted; when a
        later one fails, the valid ones before it are kept and the error is in the result.
        First it catches up with other processes' writes; a reorg one of them made since is
        reported here (``fork_point``) as if this call had made it.
        """
        with self._locked():
            self._catch_up(now)
            result = self._add_headers(raw, now)
            foreign, self._foreign_fork_point = self._foreign_fork_point, None
        if foreign is not None:
            point = foreign if result.fork_point is None else min(foreign, result.fork_point)
            result = AddResult(result.accepted, point, result.tip_height, result.error)
        return result

    def _add_headers(self, raw: bytes, now: int | None = None) -> AddResult:
        if len(raw) % HEADER_SIZE:
            raise HeaderError(f"{len(raw)} bytes is not a whole number of 80-byte headers")
        if not raw:
            return AddResult(0, None, self.height)
        prev = raw[4:36]
        if prev == self._tip.hash:
            result = verify_headers(raw, self._tip, now, self._checkpoints)
            if result.count:
                self._append(raw[: result.count * HEADER_SIZE])
                self._tip = result.tip
                self._hashes += b"".join(result.hashes)
            self._prune_forks()
            if result.error and not result.count:
                raise result.error
            return AddResult(result.count, None, self.height, result.error)
        # Skip headers we already have on the best chain (servers resend overlapping ranges).
        parent = self.height_of(prev)
        if parent is not None:
            skip = 0
            while (
                skip * HEADER_SIZE < len(raw)
                and parent + skip + 1 <= self.height
                and sha256d(raw[skip * 80 : skip * 80 + 80]) == self.hash_at(parent + skip + 1)
            ):
                skip += 1
            if skip:
                rest = raw[skip * HEADER_SIZE :]
                if not rest:
                    return AddResult(0, None, self.height)
                return self._add_headers(rest, now)
            return self._add_to_fork(None, parent, raw, now)
        for fork in self._forks:
            if prev == fork.tip.hash:
                return self._add_to_fork(fork, fork.parent_height, raw, now)
        for fork in list(self._forks):  # a branch off the middle of a fork: a new fork
            for o in range(0, len(fork.raw) - HEADER_SIZE, HEADER_SIZE):
                if sha256d(fork.raw[o : o + 80]) == prev:
                    shared = fork.raw[: o + 80]
                    tip = verify_headers(shared, self._tip_at(fork.parent_height), now).tip
                    sub = _Fork(
                        fork.parent_height, shared, tip, self._fork_path(fork.parent_height)
                    )
                    return self._add_to_fork(sub, fork.parent_height, raw, now, new_file=True)
        height = self.height + 1
        raise InvalidHeader(
            "prev-blk-not-found",
            height,
            f"its parent {prev[::-1].hex()} is not in the best chain or any fork kept",
            sha256d(raw[:80])[::-1].hex(),
        )

    def _fork_path(self, parent: int) -> Path:
        return self.directory / "forks" / f"{parent}-{os.urandom(6).hex()}.bin"

    def _add_to_fork(
        self,
        fork: _Fork | None,
        parent: int,
        raw: bytes,
        now: int | None,
        new_file: bool = False,
    ) -> AddResult:
        if fork is None:
            if parent + 1 <= self._last_checkpoint_height():
                raise InvalidHeader(
                    "bad-fork-prior-to-checkpoint",
                    parent + 1,
                    f"a fork from height {parent} is below the checkpoint at "
                    f"{self._last_checkpoint_height()}",
                    sha256d(raw[:80])[::-1].hex(),
                )
            fork = _Fork(parent, b"", self._tip_at(parent), self._fork_path(parent))
            new_file = True
        result = verify_headers(raw, fork.tip, now, self._checkpoints)
        if not result.count:
            assert result.error is not None
            raise result.error
        added = raw[: result.count * HEADER_SIZE]
        fork.raw += added
        fork.tip = result.tip
        if new_file:
            fork.path.write_bytes(fork.raw)
        else:
            with open(fork.path, "ab") as f:
                f.write(added)
        if fork not in self._forks:
            self._forks.append(fork)
        self._sync_file(fork.path)
        fork_point = self._maybe_reorg(now)
        self._prune_forks()
        return AddResult(result.count, fork_point, self.height, result.error)

    def _sync_file(self, path: Path) -> None:
        if self.fsync:
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            self._sync_dir()

    @staticmethod
    def _work(raw: bytes) -> int:
        return sum(
            block_work(int.from_bytes(raw[o + 72 : o + 76], "little"))
            for o in range(0, len(raw), HEADER_SIZE)
        )

    def _maybe_reorg(self, now: int | None) -> int | None:
        """Switch to the fork with the most work, if any beats the best chain; return the
        fork point height."""
        best = None
        best_work = 0
        for fork in self._forks:
            if fork.parent_height > self.height:
                continue
            main = self.headers(fork.parent_height + 1, self.height + 1)
            main_work = self._work(main)
            fork_work = self._work(fork.raw)
            if fork_work > main_work and fork_work - main_work > best_work:
                best, best_work = fork, fork_work - main_work
        if best is None:
            return None
        parent = best.parent_height
        old = self.headers(parent + 1, self.height + 1)
        old_tip = self._tip
        # The winning branch is already fsynced in its fork file; now rewrite the best chain.
        self._truncate((parent - self.base_height) * HEADER_SIZE)
        del self._hashes[(parent - self.base_height) * 32 :]
        self._append(best.raw)
        self._hashes += b"".join(
            sha256d(best.raw[o : o + 80]) for o in range(0, len(best.raw), HEADER_SIZE)
        )
        self._tip = best.tip
        self._forks.remove(best)
        best.path.unlink()
        if old:  # the old best chain becomes a fork, kept until resolved
            path = self._fork_path(parent)
            path.write_bytes(old)
            self._sync_file(path)
            # Forks that hung off the old chain now hang off it through the new fork point.
            for fork in self._forks:
                if fork.parent_height > parent:
                    fork.raw = old[: (fork.parent_height - parent) * HEADER_SIZE] + fork.raw
                    fork.parent_height = parent
                    fork.path.write_bytes(fork.raw)
                    self._sync_file(fork.path)
            self._forks.append(_Fork(parent, old, old_tip, path))
        return parent

    def _prune_forks(self) -> None:
        for fork in list(self._forks):
            if fork.tip_height + FORK_KEEP_DEPTH < self.height:
                self._forks.remove(fork)
                fork.path.unlink(missing_ok=True)

    def close(self) -> None:
        self._file.close()
        self._lock_file.close()

    def __enter__(self) -> HeaderStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def stored_base(directory: str | os.PathLike[str], network: Network) -> int | None:
    """The height the store in ``directory`` starts at (its anchor), without opening it; None
    when there is no store of ``network`` there."""
    try:
        doc = bounded_json.loads((Path(directory) / "anchor.json").read_bytes(), max_bytes=1 << 16)
        if doc["network"] != network.name:
            return None
        return int(doc["height"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def stored_height(directory: str | os.PathLike[str], network: Network) -> int | None:
    """The height of the store in ``directory`` as its files say, without opening it.

    For showing confirmations: opening a store validates every header again (and waits for
    another process writing it). The best chain's file only ever holds headers this code
    validated, appended whole or cut back; a torn last write (a partial header, a zero-filled
    or garbage tail after a power cut: headers that do not link) counts for nothing here, and
    the store cuts it back when it next opens. None: no store of ``network`` there (or an
    unreadable one).
    """
    path = Path(directory)
    try:
        doc = bounded_json.loads((path / "anchor.json").read_bytes(), max_bytes=1 << 16)
        if doc["network"] != network.name:
            return None
        base = int(doc["height"])
        with open(path / "headers.bin", "rb") as handle:
            count = os.fstat(handle.fileno()).st_size // HEADER_SIZE
            while count > 1:  # the last header must link to the one before it
                handle.seek((count - 2) * HEADER_SIZE)
                pair = handle.read(2 * HEADER_SIZE)
                if pair[HEADER_SIZE + 4 : HEADER_SIZE + 36] == sha256d(pair[:HEADER_SIZE]):
                    break
                count -= 1
    except FileNotFoundError:
        return None if not (path / "anchor.json").is_file() else base
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return base + count
