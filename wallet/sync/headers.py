"""Header sync: keep the local header store on the most-work *valid* chain any server offers.

Trust model: a server's tip is a claim. Every header it sends goes through the light node's
store (:class:`~wallet.spv.store.HeaderStore`), which validates it with the full header rules
and switches branches by total work. This module only decides whom to ask and what to ask for:

1. Ask every server in the pool for its tip. A tip whose own hash misses its ``bits`` target is
   a claim of work the server does not have: that server is dropped before anything is fetched.
2. Group the servers by the tip they claim; skip those whose tip is already on our chain (up to
   date, or merely behind) or already held as a lesser fork. Take the highest claim first.
3. Find where that chain leaves ours (our tip in the usual case; after a reorg, a few
   ``get_header`` probes stepping back exponentially), then fetch the rest in ``chunk_size``
   chunks aligned to multiples of ``chunk_size`` (Electrum's 2016), ``in_flight`` at once,
   shared round-robin between the servers claiming that tip, and add them to the store in
   order.
4. A server whose headers the store rejects (bad proof of work, bad difficulty, a fork below a
   checkpoint, not connecting) is dropped with the store's reason; so is a server that stops
   short of the tip it claimed, or sends headers that do not connect or do not lead to it,
   while still claiming it (less work than it claimed). A server whose tip changed meanwhile
   (a new block, a reorg on its side) is not blamed: the next round starts again from its new
   tip. A server that is merely slow, unreachable, or behind is never dropped here.
5. Repeat from 1 (a few rounds at most, while something changes) so blocks found during a long
   sync are picked up and servers sharing a dropped liar's claim take over from it.

The store is fsynced after each chunk, so an interrupted sync resumes where it stopped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from wallet.backends.base import ServerError, Tip
from wallet.backends.electrum import CertPins
from wallet.backends.pool import ServerPool
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.networks import Network
from wallet.errors import PaylightError
from wallet.spv.errors import HeaderStoreError, InvalidHeader
from wallet.spv.header import HEADER_SIZE, HeaderError
from wallet.spv.pow import check_proof_of_work
from wallet.spv.store import HeaderStore

if TYPE_CHECKING:
    from wallet.account.wallet_file import Wallet
    from wallet.spv.checkpoints import Checkpoint

__all__ = [
    "ANCHOR_SETTING",
    "CHAIN_SETTING",
    "HeaderProgress",
    "HeaderSync",
    "HeaderSyncError",
    "HeaderSyncResult",
    "birth_checkpoint",
    "open_block_store",
    "open_header_store",
    "open_wallet_store",
    "regtest_chain",
    "wallet_store_dir",
]

log = logging.getLogger(__name__)

#: Tip checks per :meth:`HeaderSync.sync`: the first does the work, the next catch new blocks.
MAX_ROUNDS = 8


class HeaderSyncError(PaylightError):
    """No server offered a chain the light node accepts (all invalid, dropped or unreachable)."""


def open_tls_pins() -> CertPins:
    """The servers' pinned TLS certificates, saved in the data folder (every client that opens a
    pool passes these, so trust on first use holds across runs, not only within one). A damaged
    file raises :class:`~wallet.backends.electrum.PinStoreError` naming it."""
    from wallet.account.paths import tls_pins_file
    from wallet.sync.tls_pins import PinFile

    return PinFile(tls_pins_file())


def open_header_store(
    network: Network,
    directory: Path | None = None,
    *,
    from_genesis: bool = False,
    checkpoint: Checkpoint | None = None,
) -> HeaderStore:
    """Open (or create) the network's header store.

    A new store starts at the network's latest self-contained checkpoint (fast start: nothing
    below it is downloaded), or at genesis with ``from_genesis`` (and on networks without such a
    checkpoint, e.g. regtest). An existing store keeps its anchor; asking ``from_genesis`` of
    one anchored on a checkpoint raises :class:`~wallet.spv.errors.HeaderStoreError`.
    ``directory`` defaults to :func:`wallet.account.paths.header_store_dir`. ``checkpoint``:
    where a new store starts instead of the latest (an existing one keeps its anchor).
    """
    from wallet.spv.checkpoints import latest

    net = network
    if directory is None:
        from wallet.account.paths import header_store_dir

        directory = header_store_dir(net)
    directory = Path(directory)
    if (directory / "anchor.json").is_file():
        store = HeaderStore(directory, net)
        if from_genesis and store.base_height != 0:
            height = store.base_height
            store.close()
            raise HeaderStoreError(
                f"the header store {directory} starts at the checkpoint at height {height:,}, "
                "not at genesis; delete it (or use another folder) to sync from genesis"
            )
        return store
    if checkpoint is None and not from_genesis:
        checkpoint = latest(net, self_contained=True)
    return HeaderStore(directory, net, checkpoint=checkpoint)


#: The wallet setting naming the regtest chain its servers followed last (header_store_dir).
CHAIN_SETTING = "header_chain"
#: The wallet setting naming the height a block source's header store starts at, when the
#: wallet was born before the network's newest checkpoint (``headers-from-<height>``).
ANCHOR_SETTING = "header_anchor"
#: A birthday date is moved back by this much before it is compared with block times.
BIRTHDAY_MARGIN = 24 * 3600


def birth_checkpoint(wallet: Wallet) -> Checkpoint | str | None:
    """Where the header store of a wallet that reads blocks must start: the newest
    self-contained checkpoint before its birthday, "genesis" when it has none (or no
    birthday), None on a network without checkpoints (its store starts at genesis anyway)."""
    from wallet.spv.checkpoints import checkpoints

    usable = [cp for cp in checkpoints(wallet.network) if cp.self_contained]
    if not usable:
        return None
    config = wallet.config
    if config.birth_height is not None:
        before = [cp for cp in usable if cp.height < config.birth_height]
    elif config.birth_time:
        when = config.birth_time - BIRTHDAY_MARGIN
        before = [cp for cp in usable if cp.timestamps is not None and cp.timestamps[-1] < when]
    else:
        before = []
    return before[-1] if before else "genesis"


def open_block_store(wallet: Wallet, directory: Path | None = None) -> HeaderStore:
    """The header store for a wallet that reads blocks (compact filters, Core's REST): the
    chain's shared store when it starts at or below the wallet's birthday (or can be made to:
    a new one at the newest checkpoint), else a store of its own from the newest checkpoint
    before the birthday (``headers-from-<height>``, remembered in the wallet), so every block
    since the birthday can be checked against our headers."""
    from wallet.account.paths import header_store_dir, network_dir
    from wallet.spv.checkpoints import latest
    from wallet.spv.store import stored_base

    network = wallet.network
    needed = birth_checkpoint(wallet)
    if needed is None:
        return open_header_store(network, directory or wallet_store_dir(wallet))
    height = 0 if needed == "genesis" else needed.height  # type: ignore[union-attr]
    checkpoint = None if needed == "genesis" else needed
    if directory is not None:
        return open_header_store(
            network, directory, from_genesis=checkpoint is None, checkpoint=checkpoint
        )
    shared = header_store_dir(network)
    base = stored_base(shared, network)
    newest = latest(network, self_contained=True)
    if (base is not None and base <= height) or (
        base is None and newest is not None and newest.height <= height
    ):
        if wallet.db.get_setting(ANCHOR_SETTING) is not None:
            wallet.db.set_setting(ANCHOR_SETTING, None)
        return open_header_store(network, shared)
    if wallet.db.get_setting(ANCHOR_SETTING) != height:
        wallet.db.set_setting(ANCHOR_SETTING, height)
    return open_header_store(
        network,
        network_dir(network) / f"headers-from-{height}",
        from_genesis=checkpoint is None,
        checkpoint=checkpoint,
    )


async def regtest_chain(pool: ServerPool) -> str | None:
    """The regtest chain ``pool``'s servers follow, named by its block 1 (None when they have
    none, or cannot be reached)."""
    try:
        _, reply = await pool.get_header(1)
    except PaylightError:
        return None
    return sha256d(reply.header[:HEADER_SIZE])[::-1].hex()[:16]


def wallet_store_dir(wallet: Wallet) -> Path:
    """The header store of the chain ``wallet`` was last synced on, for reading offline."""
    from wallet.account.paths import header_store_dir

    network = wallet.network
    anchor = wallet.db.get_setting(ANCHOR_SETTING) if network.name != "regtest" else None
    if isinstance(anchor, int):
        from wallet.account.paths import network_dir

        return network_dir(network) / f"headers-from-{anchor}"
    chain = wallet.db.get_setting(CHAIN_SETTING) if network.name == "regtest" else None
    return header_store_dir(network, chain)


async def open_wallet_store(wallet: Wallet, pool: ServerPool) -> HeaderStore:
    """The header store of the chain ``pool``'s servers follow (on regtest, asked of them;
    when they cannot say, the wallet's last), remembered in the wallet for offline reads."""
    if wallet.network.name == "regtest":
        chain = await regtest_chain(pool)
        if chain is not None and chain != wallet.db.get_setting(CHAIN_SETTING):
            wallet.db.set_setting(CHAIN_SETTING, chain)
    return open_header_store(wallet.network, wallet_store_dir(wallet))


@dataclass(frozen=True)
class HeaderProgress:
    """Sync progress: headers stored so far and the best claimed tip height."""

    height: int
    target: int


@dataclass(frozen=True)
class HeaderSyncResult:
    """What one :meth:`HeaderSync.sync` or :meth:`HeaderSync.on_tip` call did."""

    height: int
    #: internal byte order
    tip_hash: bytes
    #: lowest height whose header changed in this call (None: no reorg); transactions confirmed
    #: at or above it must be moved back
    reorg_from: int | None
    #: servers dropped during this call -> reason
    dropped: dict[str, str] = field(default_factory=dict)

    @property
    def tip_hash_hex(self) -> str:
        return self.tip_hash[::-1].hex()


@dataclass
class _Call:
    """What one sync/on_tip call has done so far."""

    dropped_before: dict[str, str]
    target: int = 0
    reorg_from: int | None = None
    #: servers whose latest tip request failed -> why (told to the user if none answers)
    unanswered: dict[str, str] = field(default_factory=dict)

    def reorged(self, fork_point: int) -> None:
        first = fork_point + 1
        self.reorg_from = first if self.reorg_from is None else min(self.reorg_from, first)


class HeaderSync:
    """Fetches headers from the pool's servers into a :class:`HeaderStore`.

    The store validates every header and reorganises to the most-work branch; this class
    decides whom to ask, fetches in ``chunk_size`` chunks with ``in_flight`` requests at once,
    and drops servers whose chains fail validation or carry less work than they claimed.
    Methods are coroutines on one event loop; one call at a time (they serialise on a lock).
    """

    def __init__(
        self,
        pool: ServerPool,
        store: HeaderStore,
        *,
        chunk_size: int = 2016,
        in_flight: int = 4,
        progress: Callable[[HeaderProgress], None] | None = None,
    ) -> None:
        if chunk_size < 1 or in_flight < 1:
            raise ValueError("chunk_size and in_flight must be at least 1")
        self.pool = pool
        self.store = store
        self.chunk_size = chunk_size
        self.in_flight = in_flight
        self.progress = progress
        self._lock = asyncio.Lock()
        #: tips whose chain is in the store (on the best chain or kept as a lesser fork)
        self._known: set[bytes] = set()

    # -- the public calls ---------------------------------------------------------------------

    async def sync(self) -> HeaderSyncResult:
        """Bring the store to the most-work valid chain the servers offer.

        Raises :class:`HeaderSyncError` when no server is left that answered with a chain the
        store accepts (every one dropped, or none reachable); headers already validated stay.
        """
        async with self._lock:
            call = _Call(self.pool.dropped())
            answered: set[str] = set()
            for _ in range(MAX_ROUNDS):
                tips = await self._tips(call)
                answered |= set(tips)
                groups = self._candidates(tips)
                if not groups:
                    break
                before = (self.store.tip.hash, len(self._known), len(self.pool.dropped()))
                for tip, names in groups:
                    if self.store.height_of(tip.hash) == tip.height or tip.hash in self._known:
                        continue  # an earlier group brought it in
                    await self._follow(tip, names, call)
                if (self.store.tip.hash, len(self._known), len(self.pool.dropped())) == before:
                    break  # nothing moved: what is left is unreachable for now
            alive = [n for n in answered if not self.pool.is_dropped(n)]
            if not alive:
                raise HeaderSyncError(self._nobody(call))
            self._progress(call)
            return self._result(call)

    async def on_tip(self, server: str, tip: Tip) -> HeaderSyncResult | None:
        """Handle a header-subscription notification (``pool.subscribe_headers`` callback).

        Returns None when nothing changed (a tip we already have, a lesser chain we hold, a
        dropped server), else the result: the new height, ``reorg_from`` when the best chain
        switched branch, ``dropped`` when this server's chain was refused.
        """
        async with self._lock:
            if self.pool.is_dropped(server):
                return None
            if self.store.height_of(tip.hash) == tip.height or tip.hash in self._known:
                return None
            call = _Call(self.pool.dropped(), target=tip.height)
            before = self.store.tip.hash
            reason = self._tip_lie(tip)
            if reason is not None:
                self.pool.drop(server, reason)
            elif tip.header[4:36] == self.store.tip.hash and tip.height == self.store.height + 1:
                self._add(server, tip.header, call)  # the usual case: one new block
                if self.store.tip.hash == tip.hash:
                    self._known.add(tip.hash)
            else:
                await self._follow(tip, [server], call)
            result = self._result(call)
            if self.store.tip.hash == before and not result.dropped:
                return None
            self._progress(call)
            return result

    # -- tips -----------------------------------------------------------------------------------

    async def _tips(self, call: _Call) -> dict[str, Tip]:
        """Every active server's tip that passes the cheap checks; the liars are dropped."""
        if not self.pool.active():
            raise HeaderSyncError(self._nobody(call))
        try:
            answers = await self.pool.get_tips()
        except PaylightError as err:
            raise HeaderSyncError(f"no server to sync headers from: {err}") from None
        tips: dict[str, Tip] = {}
        for name, answer in answers.items():
            if isinstance(answer, ServerError):
                log.info("no tip from %s: %s", name, answer.reason)
                call.unanswered[name] = answer.reason
                continue
            call.unanswered.pop(name, None)
            reason = self._tip_lie(answer)
            if reason is not None:
                self.pool.drop(name, reason)
                continue
            tips[name] = answer
        if tips:
            call.target = max(call.target, *(t.height for t in tips.values()))
        return tips

    def _tip_lie(self, tip: Tip) -> str | None:
        bits = int.from_bytes(tip.header[72:76], "little")
        if not check_proof_of_work(tip.hash, bits, self.store.network):
            return (
                f"its tip {tip.hash_hex} at height {tip.height:,} does not meet its own "
                "proof-of-work target: it claims work it does not have"
            )
        return None

    def _candidates(self, tips: dict[str, Tip]) -> list[tuple[Tip, list[str]]]:
        """Claimed tips not yet in the store, highest first, with the servers claiming each."""
        groups: dict[tuple[bytes, int], tuple[Tip, list[str]]] = {}
        store = self.store
        for name, tip in tips.items():
            if tip.height <= store.base_height:
                continue  # behind our checkpoint: merely behind
            if tip.height <= store.height and store.hash_at(tip.height) == tip.hash:
                continue  # on our chain: up to date or behind
            if tip.hash in self._known:
                continue  # a lesser branch we already hold
            groups.setdefault((tip.hash, tip.height), (tip, []))[1].append(name)
        return sorted(groups.values(), key=lambda g: -g[0].height)

    # -- fetching one claimed chain ----------------------------------------------------------------

    async def _follow(self, tip: Tip, names: list[str], call: _Call) -> None:
        """Fetch the chain ending at ``tip`` from ``names`` into the store."""
        common = await self._common_height(tip, names)
        if common is None:
            return
        store = self.store
        ranges = []
        start = common + 1
        while start <= tip.height:
            stop = min(tip.height, (start // self.chunk_size + 1) * self.chunk_size - 1)
            ranges.append((start, stop - start + 1))
            start = stop + 1
        expected = store.hash_at(common)
        tasks: dict[int, asyncio.Task[tuple[str, bytes] | None]] = {}
        launched = 0

        def launch() -> None:
            nonlocal launched
            while launched < len(ranges) and len(tasks) < self.in_flight:
                i = launched
                order = names[i % len(names) :] + names[: i % len(names)]
                tasks[i] = asyncio.ensure_future(self._chunk(*ranges[i], order))
                launched += 1

        try:
            for i, (start, count) in enumerate(ranges):
                launch()
                got = await tasks.pop(i)
                if got is None:
                    return  # nobody could send it now: try again next round
                server, raw = got
                if raw and raw[4:36] != expected:
                    # Either the server's chain moved between requests (start again from its
                    # new tip next round) or its headers do not connect to its own chain.
                    if await self._still_claims(server, tip):
                        self.pool.drop(
                            server,
                            f"its headers from height {start:,} do not connect to the chain "
                            f"below them (prev-blk-not-found: the parent named is "
                            f"{raw[4:36][::-1].hex()}, block {start - 1:,} is "
                            f"{expected[::-1].hex()})",
                        )
                    return
                if raw and not self._add(server, raw, call):
                    return
                if raw:
                    expected = sha256d(raw[-HEADER_SIZE:])
                self._progress(call)
                if len(raw) < count * HEADER_SIZE:
                    await self._short(server, tip, start - 1 + len(raw) // HEADER_SIZE)
                    return
        finally:
            for task in tasks.values():
                task.cancel()
            if tasks:
                await asyncio.gather(*tasks.values(), return_exceptions=True)
        if expected == tip.hash:
            self._known.add(tip.hash)
        else:
            await self._short(names[(len(ranges) - 1) % len(names)], tip, None)

    async def _common_height(self, tip: Tip, names: list[str]) -> int | None:
        """The highest height where the chain ending at ``tip`` and ours share a block."""
        store = self.store
        if tip.header[4:36] == store.tip.hash or store.height == store.base_height:
            return store.height
        height = min(store.height, tip.height)
        step = 1
        while height > store.base_height:
            header = await self._header(height, names)
            if header is None:
                return None
            if sha256d(header) == store.hash_at(height):
                return height
            height = max(store.base_height, height - step)
            step *= 2
        return store.base_height

    async def _header(self, height: int, names: list[str]) -> bytes | None:
        for name in names:
            if self.pool.is_dropped(name):
                continue
            try:
                _, reply = await self.pool.get_header(height, server=name)
            except PaylightError as err:
                log.info("no header %d from %s: %s", height, name, err)
                continue
            return reply.header
        return None

    async def _chunk(self, start: int, count: int, names: list[str]) -> tuple[str, bytes] | None:
        """Headers [start, start + count) from the first of ``names`` that sends them."""
        for name in names:
            if self.pool.is_dropped(name):
                continue
            try:
                _, raw = await self.pool.get_headers(start, count, server=name)
            except PaylightError as err:
                log.info("no headers %d+%d from %s: %s", start, count, name, err)
                continue
            return name, raw
        return None

    def _add(self, server: str, raw: bytes, call: _Call) -> bool:
        """Hand ``raw`` to the store; drop ``server`` if the store refuses any of it."""
        try:
            result = self.store.add_headers(raw)
        except (InvalidHeader, HeaderError) as err:
            self.pool.drop(server, f"it sent an invalid header chain: {err}")
            return False
        if result.fork_point is not None:
            call.reorged(result.fork_point)
        if result.error is not None:
            self.pool.drop(server, f"it sent an invalid header chain: {result.error}")
            return False
        return True

    async def _short(self, server: str, tip: Tip, reached: int | None) -> None:
        """``server`` did not deliver the chain to ``tip``: drop it if it still claims it."""
        if not await self._still_claims(server, tip):
            return  # its chain moved on (or reorganised) meanwhile: not a lie
        if reached is None:
            why = "the headers it sent do not lead to that tip"
        else:
            why = f"it sent headers only up to height {reached:,}"
        self.pool.drop(
            server,
            f"it claims a chain to height {tip.height:,} ({tip.hash_hex}) but {why}: "
            "less work than it claimed",
        )

    async def _still_claims(self, server: str, tip: Tip) -> bool:
        """Whether ``server`` (not dropped, reachable) still claims ``tip`` as its tip."""
        if self.pool.is_dropped(server):
            return False
        try:
            _, now = await self.pool.first("send its tip", lambda b: b.get_tip(), server)
        except PaylightError:
            return False
        return now.hash == tip.hash

    # -- reporting ------------------------------------------------------------------------------

    def _progress(self, call: _Call) -> None:
        if self.progress is not None:
            self.progress(HeaderProgress(self.store.height, max(call.target, self.store.height)))

    def _result(self, call: _Call) -> HeaderSyncResult:
        dropped = {n: r for n, r in self.pool.dropped().items() if n not in call.dropped_before}
        return HeaderSyncResult(self.store.height, self.store.tip.hash, call.reorg_from, dropped)

    def _nobody(self, call: _Call) -> str:
        """Why no server is left, naming each one and its reason (the user must know which)."""
        dropped = self.pool.dropped()
        silent = [f"{n}: {r}" for n, r in call.unanswered.items() if n not in dropped]
        if dropped:
            detail = "; ".join([*(f"{n}: {r}" for n, r in dropped.items()), *silent])
            return (
                f"no server offered a valid header chain (the local chain stays at height "
                f"{self.store.height:,}): {detail}"
            )
        if not self.pool.names:
            return "no server is configured to sync headers from"
        detail = f" ({'; '.join(silent)})" if silent else ""
        return (
            f"no server answered with its chain tip{detail}; check the server addresses and "
            "try again"
        )
