"""Bounds on what one server can make the wallet store: a server that floods is dropped.

Everything a server lists for the wallet's script hashes is fetched and stored. A confirmed
transaction costs a liar nothing to list but fails its Merkle proof at once (and the server is
dropped); a transaction in a mempool, or in a block above our own tip, cannot be checked that
way, so a lying server could list thousands of them. This guard counts, per server:

* per sync, the transactions it listed that are new to the wallet and not provable now (in a
  mempool, or above our tip): more than :data:`MAX_NEW_UNPROVEN` is a flood, found before any
  of them is downloaded;
* per sync, the bytes of those it served: more than :data:`MAX_NEW_BYTES` is a flood;
* in total, the unproven transactions the wallet would then hold: past :data:`MAX_STORED`,
  the server adding the most is the flooder.

A flooding server is dropped with the reason, and what only it listed is not stored. The limits
are far above what a wallet receives in a sync (a busy till sees tens of payments a minute).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

#: New, unprovable transactions one server may list in one sync.
MAX_NEW_UNPROVEN = 500
#: Their bytes, per server and sync.
MAX_NEW_BYTES = 10_000_000
#: Unproven (mempool or unverified) transactions the wallet holds at most.
MAX_STORED = 5_000


class FloodGuard:
    """Per-server counts for one sync (:meth:`start_sync` begins the next)."""

    def __init__(
        self,
        max_new: int = MAX_NEW_UNPROVEN,
        max_bytes: int = MAX_NEW_BYTES,
        max_stored: int = MAX_STORED,
    ) -> None:
        self.max_new = max_new
        self.max_bytes = max_bytes
        self.max_stored = max_stored
        self._new: dict[str, set[bytes]] = {}
        self._bytes: dict[str, int] = {}
        self._sized: set[bytes] = set()

    def start_sync(self) -> None:
        self._new.clear()
        self._bytes.clear()
        self._sized.clear()

    def listed(self, new_by_server: Mapping[str, Iterable[bytes]]) -> dict[str, str]:
        """Count each server's new unprovable txids; the servers now over the limit -> why."""
        floods = {}
        for server, txids in new_by_server.items():
            seen = self._new.setdefault(server, set())
            seen.update(txids)
            if len(seen) > self.max_new:
                floods[server] = (
                    f"flooding: it listed {len(seen):,} transactions this sync that are new to "
                    f"the wallet and in no block we can check (the limit is {self.max_new:,}); "
                    "none of them is stored"
                )
        return floods

    def served(self, sizes: Mapping[bytes, int]) -> dict[str, str]:
        """Add the byte sizes of new unprovable transactions fetched (txid -> size) to each
        server that listed them; the servers now over the limit -> why."""
        floods = {}
        for server, txids in self._new.items():
            added = sum(size for txid, size in sizes.items() if txid in txids)
            if not added:
                continue
            self._bytes[server] = self._bytes.get(server, 0) + added
            if self._bytes[server] > self.max_bytes:
                floods[server] = (
                    f"flooding: the new transactions in no block we can check that it listed "
                    f"this sync add up to {self._bytes[server]:,} bytes (the limit is "
                    f"{self.max_bytes:,}); none of them is stored"
                )
        return floods

    def stored(self, held: int, new_by_server: Mapping[str, Iterable[bytes]]) -> dict[str, str]:
        """With ``held`` unproven transactions stored: the server whose new ones would take the
        wallet past the total limit (the one adding the most), -> why."""
        counts = {server: len(set(txids)) for server, txids in new_by_server.items()}
        added = len({t for txids in new_by_server.values() for t in txids})
        if held + added <= self.max_stored or not counts:
            return {}
        server = max(counts, key=lambda s: counts[s])
        return {
            server: (
                f"flooding: its {counts[server]:,} new unconfirmed transactions would take the "
                f"wallet past {self.max_stored:,} unproven ones (it holds {held:,}); none of "
                "them is stored"
            )
        }


__all__ = ["MAX_NEW_BYTES", "MAX_NEW_UNPROVEN", "MAX_STORED", "FloodGuard"]
