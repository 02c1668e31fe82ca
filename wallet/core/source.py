"""Bitcoin Core as a chain source: headers and filter headers over REST into our own stores,
scans with the compact-filter scanner, broadcasts and fee estimates over RPC.

The node is the user's own, yet it is checked like any peer: every header goes through the
header store (proof of work, difficulty, checkpoints, most work wins), every filter must hash
to the filter header chain, every block must hash to our header with its Merkle root recomputed
(and its witness commitment). What REST serves is public, so nothing tells the node which
scripts the wallet has; RPC is used only for broadcasting, fees and mempool questions.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from wallet.bitcoin.amount import FeeRate
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.transaction import OutPoint, Transaction
from wallet.core.node import CoreMisbehaved, CoreNode
from wallet.core.rest import MAX_HEADERS, CoreRest
from wallet.core.rpc import CoreRpc
from wallet.p2p.scanner import FoundTx, Scanner, ScanResult
from wallet.p2p.sync import block_locator
from wallet.spv.errors import InvalidHeader
from wallet.spv.filter_store import FilterHeaderFile
from wallet.spv.filters import FilterHeaderChain
from wallet.spv.header import HeaderError
from wallet.spv.merkle import Block
from wallet.spv.store import HeaderStore

#: filters asked at once (REST serves one block's filter per request)
FILTER_REQUESTS_IN_FLIGHT = 8
#: mempool transactions fetched per poll at most (the node is the user's own)
MEMPOOL_FETCH = 2000


class RestSource:
    """The scanner's :class:`~wallet.p2p.scanner.FilterSource` over Core's REST."""

    def __init__(self, rest: CoreRest) -> None:
        self.rest = rest
        self.name = f"core {rest.node.address}"

    async def filters(self, first: int, last: int, hashes: list[bytes]) -> tuple[str, list[bytes]]:
        gate = asyncio.Semaphore(FILTER_REQUESTS_IN_FLIGHT)

        async def one(block_hash: bytes) -> bytes:
            async with gate:
                return await self.rest.block_filter(block_hash)

        return self.name, list(await asyncio.gather(*(one(h) for h in hashes)))

    async def block(self, height: int, block_hash: bytes, not_from: str) -> tuple[str, Block]:
        return self.name, await self.rest.block(block_hash)

    def refuse(self, served_by: str, reason: str) -> None:
        # one node, nobody else to ask: its lie ends the scan with the reason
        raise CoreMisbehaved(f"Bitcoin Core at {self.rest.node.address}: {reason}.")


@dataclass
class CoreSyncReport:
    tip_height: int
    added: int
    #: lowest height where our best chain changed branch (the wallet undoes above it)
    fork_point: int | None
    filter_tip: int


@dataclass
class CoreBroadcast:
    txid: bytes
    #: the node holds it in its mempool (asked back with getmempoolentry)
    in_mempool: bool


class CoreSource:
    def __init__(
        self, node: CoreNode, store: HeaderStore, *, timeout: float = 30.0, persist: bool = True
    ) -> None:
        self.node = node
        self.store = store
        self.rest = CoreRest(node, timeout=timeout)
        self.rpc = CoreRpc(node, timeout=timeout)
        #: the filter headers, kept beside the header store (shared with the P2P client: the
        #: same BIP158 values for the same chain)
        self.filter_file = FilterHeaderFile(store) if persist else None
        loaded = self.filter_file.load() if self.filter_file is not None else None
        self.filter_headers = loaded or FilterHeaderChain(
            -1 if not store.base_height else store.base_height
        )
        self._anchored = loaded is not None or not store.base_height
        self.scanner = Scanner(RestSource(self.rest), store, self.filter_headers)
        self._mempool: set[bytes] | None = None
        #: seconds spent per phase since made ("headers", "filter_headers")
        self.seconds: Counter[str] = Counter()

    def phase_seconds(self) -> dict[str, float]:
        """Seconds spent so far per phase: headers, filter headers, filters, matching, blocks."""
        return {**self.seconds, **self.scanner.seconds}

    async def close(self) -> None:
        await self.rest.close()
        await self.rpc.close()

    @property
    def name(self) -> str:
        return f"core {self.node.address}"

    #: Core is one node the user chose: nothing is dropped
    dropped: tuple[Any, ...] = ()

    # -- headers --------------------------------------------------------------------------------

    async def sync_headers(self) -> tuple[int, int | None]:
        """Bring the header store to the node's tip; (headers added, fork point or None)."""
        info = await self.rest.chaininfo()
        if info.get("chain") != self.node.network.core_name:
            raise CoreMisbehaved(
                f"Bitcoin Core at {self.node.address} runs {info.get('chain')!r}, not "
                f"{self.node.network.name}: point Paylight at the node of that network."
            )
        added, fork_point = 0, None
        while True:
            headers = await self._from_common_block()
            new = headers[1:]
            if not new:
                return added, fork_point
            try:
                result = self.store.add_headers(b"".join(new))
            except (InvalidHeader, HeaderError) as err:
                raise CoreMisbehaved(
                    f"Bitcoin Core at {self.node.address} sent invalid headers: {err}."
                ) from None
            if result.error is not None:
                raise CoreMisbehaved(
                    f"Bitcoin Core at {self.node.address} sent an invalid header: {result.error}."
                )
            added += result.accepted
            if result.fork_point is not None:
                fork_point = (
                    result.fork_point if fork_point is None else min(fork_point, result.fork_point)
                )
            if len(headers) < MAX_HEADERS or not result.accepted:
                return added, fork_point

    async def _from_common_block(self) -> list[bytes]:
        """Headers from the highest block of ours that is on the node's active chain (our tip,
        unless the node reorganised: then back along a block locator)."""
        for block_hash in block_locator(self.store):
            headers = await self.rest.headers(block_hash, MAX_HEADERS)
            if headers and sha256d(headers[0]) == block_hash:
                return headers
        raise CoreMisbehaved(
            f"Bitcoin Core at {self.node.address} does not have our genesis block: it runs "
            "another network."
        )

    async def _anchor(self) -> None:
        """A store anchored at a checkpoint: the filter header of the checkpoint's block, from
        the node (the user's own; nothing below the checkpoint could check it anyway)."""
        store = self.store
        headers = await self.rest.filter_headers(store.hash_at(store.base_height), 1)
        if len(headers) != 1:
            raise CoreMisbehaved(
                f"Bitcoin Core at {self.node.address} has no filter header for the checkpoint "
                f"at height {store.base_height:,}."
            )
        header = headers[0]
        self.filter_headers = FilterHeaderChain(store.base_height, header)
        self.scanner.chain = self.filter_headers
        self._anchored = True

    async def sync_filter_headers(self) -> int:
        """Filter headers for every block of the store, from the node; returns their tip."""
        file = self.filter_file
        if file is not None and self._anchored and not file.still_on_chain(self.filter_headers):
            loaded = file.load()  # another process moved the shared store to another branch
            self._anchored = loaded is not None or not self.store.base_height
            self.filter_headers = loaded or FilterHeaderChain()
            self.scanner.chain = self.filter_headers
        if not self._anchored:
            await self._anchor()
        chain, store = self.filter_headers, self.store
        if chain.tip_height > store.height:
            chain.rewind(store.height)
        while chain.tip_height < store.height:
            first = chain.tip_height + 1
            count = min(MAX_HEADERS, store.height - first + 1)
            headers = await self.rest.filter_headers(store.hash_at(first), count)
            if len(headers) != count:
                raise CoreMisbehaved(
                    f"Bitcoin Core at {self.node.address} gave {len(headers)} filter headers for "
                    f"{count} blocks: its chain moved while we synced; sync again."
                )
            chain.adopt(first, headers)
            if self.filter_file is not None:
                self.filter_file.save(chain)
        return chain.tip_height

    async def sync(self) -> CoreSyncReport:
        clock = time.perf_counter()
        added, fork_point = await self.sync_headers()
        self.seconds["headers"] += time.perf_counter() - clock
        clock = time.perf_counter()
        if fork_point is not None:
            self.filter_headers.rewind(fork_point)
        tip = await self.sync_filter_headers()
        self.seconds["filter_headers"] += time.perf_counter() - clock
        return CoreSyncReport(self.store.height, added, fork_point, tip)

    # -- scans, broadcasts, fees ----------------------------------------------------------------

    async def scan(
        self,
        scripts: Iterable[bytes],
        birthday: int = 0,
        *,
        end: int | None = None,
        outpoints: Iterable[OutPoint] = (),
        more_scripts: Callable[[list[FoundTx]], Iterable[bytes]] | None = None,
    ) -> ScanResult:
        start = max(birthday, self.filter_headers.base_height + 1)
        return await self.scanner.scan(
            scripts, start, end, outpoints=outpoints, more_scripts=more_scripts
        )

    async def broadcast(self, raw: bytes) -> CoreBroadcast:
        """``sendrawtransaction``; the node's txid must be the transaction's own."""
        txid = Transaction.parse(raw).txid()
        reported = await self.rpc.send_raw_transaction(raw)
        if reported != txid:
            raise CoreMisbehaved(
                f"Bitcoin Core at {self.node.address} answered the broadcast with another txid."
            )
        entry = await self.rpc.mempool_entry(txid)
        return CoreBroadcast(txid, entry is not None)

    async def fee_estimate(self, blocks: int) -> FeeRate | None:
        return await self.rpc.estimate_smart_fee(blocks)

    # -- following ------------------------------------------------------------------------------

    async def best_block(self) -> bytes:
        """The node's best block hash (internal order), from REST's chaininfo."""
        info = await self.rest.chaininfo()
        best = info.get("bestblockhash")
        if not isinstance(best, str) or len(best) != 64:
            raise CoreMisbehaved(f"Bitcoin Core at {self.node.address} named no best block.")
        try:
            return bytes.fromhex(best)[::-1]
        except ValueError:
            raise CoreMisbehaved(
                f"Bitcoin Core at {self.node.address} named no best block."
            ) from None

    async def new_mempool_transactions(self) -> list[tuple[Transaction, bytes]]:
        """Transactions that entered the node's mempool since the last call (at most
        :data:`MEMPOOL_FETCH` a call; the first call only notes what is there)."""
        now = set(await self.rpc.raw_mempool())
        before, self._mempool = self._mempool, now
        if before is None:
            return []
        out = []
        for txid in list(now - before)[:MEMPOOL_FETCH]:
            raw = await self.rpc.raw_transaction(txid)
            if raw is not None:
                out.append((Transaction.parse(raw), raw))
        return out
