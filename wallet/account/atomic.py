"""Crash-safe file replacement, the one helper every writer of small state files uses.

A reader sees either the old file or the new one, never a mix: the data goes to a temporary
file in the same directory, is fsynced, renamed over the target (atomic on POSIX and on NTFS),
and then the directory is fsynced so the rename itself survives a power cut.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

#: Temporary files are named ``.<target name>.<random>.tmp`` beside the target.
TEMP_SUFFIX = ".tmp"


def fsync_directory(directory: str | os.PathLike[str]) -> None:
    """Make a rename or creation inside ``directory`` durable (a no-op where unsupported)."""
    if os.name == "nt":  # Windows cannot open a directory; NTFS journals the rename itself.
        return
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(
    path: str | os.PathLike[str], data: bytes, *, overwrite: bool = True, mode: int = 0o600
) -> None:
    """Replace (or, with ``overwrite=False``, create) ``path`` with ``data`` atomically.

    With ``overwrite=False`` an existing file is never touched: ``FileExistsError`` is raised.
    Any failure leaves the old file as it was and removes the temporary file.
    """
    target = Path(path)
    directory = target.parent
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=directory or "."
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if os.name != "nt":
            os.chmod(tmp_name, mode)
        if overwrite:
            os.replace(tmp_name, target)
        elif os.name == "nt":
            os.rename(tmp_name, target)  # Windows' rename refuses an existing target.
        else:
            _link_without_overwrite(tmp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    fsync_directory(directory)


def _link_without_overwrite(tmp_name: str, target: Path) -> None:
    try:
        os.link(tmp_name, target)  # link(2) refuses an existing target, atomically.
    except FileExistsError:
        raise
    except OSError:
        # No hard links here (FAT/exFAT sticks for portable use, some network shares): check,
        # then rename. Racy only against a concurrent creator, which the wallet lock excludes.
        if target.exists():
            raise FileExistsError(errno.EEXIST, "File exists", str(target)) from None
        os.replace(tmp_name, target)
        return
    os.unlink(tmp_name)


def remove_stale_temporaries(path: str | os.PathLike[str]) -> list[Path]:
    """Delete temporary files a crashed :func:`atomic_write` of ``path`` left behind.

    Call this only while holding the lock that serialises writers of ``path``.
    """
    target = Path(path)
    removed = []
    for candidate in target.parent.glob(f".{glob.escape(target.name)}.*{TEMP_SUFFIX}"):
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()
            removed.append(candidate)
    return removed


@contextlib.contextmanager
def file_lock(path: str | os.PathLike[str]) -> Iterator[None]:
    """Hold an exclusive OS lock on ``path`` (created if missing) while the block runs, waiting
    for another process that holds it. For read-modify-write of a file several processes share
    (each then re-reads it inside the lock); the OS releases it if the holder dies."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if sys.platform == "win32":  # (what mypy follows)
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # retries for 10 s, then OSError
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        if sys.platform == "win32":  # (what mypy follows)
            import msvcrt

            with contextlib.suppress(OSError):
                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        os.close(fd)  # closing releases flock
