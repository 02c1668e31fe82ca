"""The accepted filter headers of a chain, kept on disk beside its header store.

A compact-filter client accepts each block's filter header only after peers agreed on it (or a
block settled who lied): work worth keeping, so a restart asks only for the headers of new
blocks. Layout, in the header store's directory::

    filters/basic-anchor.json   where the chain starts: the height below its first header,
                                that block's hash and its filter header (-1 and zeros from
                                genesis; a checkpoint's height for a store anchored there)
    filters/basic.bin           one 64-byte record per block above it: the block's hash, then
                                its filter header

Each record names its block, so what a reorg left behind is recognised: on load only the
records whose block is on the header store's best chain are taken (the first one that is not
ends the load). Writes follow the header store's rules for crash safety: records are only
appended or the file cut back, fsynced before the call returns, under the header store's lock
(several processes share a chain); the anchor is written once, atomically. A torn last record
is ignored on load and cut by the next save.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from wallet import bounded_json
from wallet.spv.filters import FilterHeaderChain, FilterHeaderError
from wallet.spv.store import HeaderStore

RECORD = 64
ANCHOR_LIMIT = 1 << 12


class FilterHeaderFile:
    """The saved filter-header chain of ``store``'s best chain (basic filters)."""

    def __init__(self, store: HeaderStore, kind: str = "basic") -> None:
        self.store = store
        self.folder = store.directory / "filters"
        self.anchor_path = self.folder / f"{kind}-anchor.json"
        self.path = self.folder / f"{kind}.bin"

    # -- reading --------------------------------------------------------------------------------

    def _anchor(self) -> tuple[int, bytes, bytes] | None:
        try:
            doc = bounded_json.loads(self.anchor_path.read_bytes(), max_bytes=ANCHOR_LIMIT)
            height = int(doc["height"])
            block = bytes.fromhex(doc["block"])
            header = bytes.fromhex(doc["header"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            return None  # unreadable: the headers are asked of peers again (and rewritten)
        if len(header) != 32 or len(block) not in (0, 32):
            return None
        return height, block, header

    def _matches_store(self, height: int, block: bytes) -> bool:
        store = self.store
        if height == -1:
            return store.base_height == 0 and not block
        return store.base_height <= height <= store.height and store.hash_at(height) == block

    def load(self) -> FilterHeaderChain | None:
        """The saved chain, cut where it leaves the header store's best chain; None when
        nothing usable is saved (no anchor, or one that is not on this chain)."""
        anchor = self._anchor()
        if anchor is None or not self._matches_store(anchor[0], anchor[1]):
            return None
        base, _block, header = anchor
        chain = FilterHeaderChain(base, header)
        try:
            with open(self.path, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            return chain
        store = self.store
        headers = []
        for i in range(len(data) // RECORD):
            height = base + 1 + i
            record = data[i * RECORD : (i + 1) * RECORD]
            if height > store.height or store.hash_at(height) != record[:32]:
                break
            headers.append(record[32:])
        if headers:
            chain.adopt(base + 1, headers)
        return chain

    def still_on_chain(self, chain: FilterHeaderChain) -> bool:
        """Whether ``chain`` (saved here earlier) still ends on the header store's best chain:
        another process sharing the store may have moved it to another branch since."""
        store, tip = self.store, chain.tip_height
        if tip <= chain.base_height:
            return True
        if tip > store.height:
            return False
        try:
            with open(self.path, "rb") as handle:
                handle.seek((tip - chain.base_height - 1) * RECORD)
                record = handle.read(RECORD)
        except FileNotFoundError:
            return False
        return record == store.hash_at(tip) + chain.header(tip)

    # -- writing --------------------------------------------------------------------------------

    def save(self, chain: FilterHeaderChain) -> None:
        """Make the file hold ``chain`` (whose headers are for the store's best chain): the
        records past the last one both agree on are cut and ours appended."""
        store = self.store
        base = chain.base_height
        if base != -1 and not store.base_height <= base <= store.height:
            raise FilterHeaderError(base, "the chain does not start on the header store's chain")
        block = b"" if base == -1 else store.hash_at(base)
        ours = [
            store.hash_at(h) + chain.header(h)
            for h in range(base + 1, min(chain.tip_height, store.height) + 1)
        ]
        with store.locked():
            self.folder.mkdir(exist_ok=True)
            anchor = self._anchor()
            if anchor != (base, block, chain.header(base)):
                self._write_anchor(base, block, chain.header(base))
                keep = 0
                mode = "wb"
            else:
                keep, mode = self._agreeing(ours), "r+b" if self.path.exists() else "wb"
            with open(self.path, mode) as handle:
                handle.truncate(keep * RECORD)
                handle.seek(keep * RECORD)
                handle.write(b"".join(ours[keep:]))
                handle.flush()
                if store.fsync:
                    os.fsync(handle.fileno())

    def _agreeing(self, ours: list[bytes]) -> int:
        """How many leading records the file shares with ``ours`` (each record commits to the
        ones before it, block hash and filter header alike: a binary search finds the end)."""
        try:
            with open(self.path, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size // RECORD

                def same(i: int) -> bool:
                    handle.seek(i * RECORD)
                    return handle.read(RECORD) == ours[i]

                lo, hi = 0, min(size, len(ours))  # records [0, lo) agree
                while lo < hi:
                    mid = (lo + hi + 1) // 2
                    if same(mid - 1):
                        lo = mid
                    else:
                        hi = mid - 1
                return lo
        except FileNotFoundError:
            return 0

    def _write_anchor(self, height: int, block: bytes, header: bytes) -> None:
        doc = {"height": height, "block": block.hex(), "header": header.hex()}
        tmp = self.anchor_path.with_suffix(".tmp")
        with open(tmp, "wb") as handle:
            handle.write(json.dumps(doc).encode())
            handle.flush()
            if self.store.fsync:
                os.fsync(handle.fileno())
        os.replace(tmp, self.anchor_path)

    def remove(self) -> None:
        """Forget what is saved (tests, and a chain that must be asked for again)."""
        for path in (self.path, self.anchor_path):
            Path(path).unlink(missing_ok=True)


__all__ = ["FilterHeaderFile"]
