"""Headers and filter headers over P2P, from several peers, believing none of them alone.

**Headers.** One peer (the one claiming the highest chain) downloads in 2,000-header steps with
a block locator from the local store; then every other peer is asked from the new tip. The store
validates every header (proof of work, difficulty, times, checkpoints) and keeps forks, so the
chain with the most work wins whoever sent it; a peer whose headers break a rule is dropped.

**Filter headers** (BIP157), Neutrino's way: every peer's ``cfcheckpt`` and ``cfheaders`` are
compared. Where peers disagree, the first block they disagree on is fetched (its Merkle root
checked against our header), each peer's filter for it is fetched and checked against the
peer's own claim and against the block: a filter missing a script the block holds (every output
script, and the spent scripts the inputs reveal) is a lie, and when every input reveals its
spent script the exact filter is computed and compared. Liars are dropped with the reason.
Every sync also asks every connected peer for the filter header of the tip we already hold:
a chain accepted from a peer alone (or in an earlier session) is checked against each peer that
joined since, and where it was the lie the blocks from the first replaced header are reported
for a new scan.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from wallet.bitcoin.bip158 import (
    BlockFilter,
    FilterError,
    all_prevouts_derivable,
    missing_from_filter,
)
from wallet.bitcoin.hashes import sha256d
from wallet.errors import PaylightError
from wallet.p2p.messages import MAX_HEADERS
from wallet.p2p.peer import Peer, PeerError, PeerMisbehaved
from wallet.p2p.pool import NoPeers, PeerPool
from wallet.spv.errors import InvalidHeader, MerkleProofError
from wallet.spv.filters import (
    CHECKPOINT_INTERVAL,
    MAX_CFHEADERS,
    FilterHeaderChain,
    FilterHeaderError,
    chain_headers,
    first_difference,
)
from wallet.spv.header import HeaderError
from wallet.spv.merkle import Block
from wallet.spv.store import HeaderStore


class FilterConflict(PaylightError):
    """Peers disagree about a filter and the block does not show who lies."""


def block_locator(store: HeaderStore) -> list[bytes]:
    """Hashes from the tip back to the store's base: the last 10, then doubling steps."""
    out = []
    height, step = store.height, 1
    while height > store.base_height:
        out.append(store.hash_at(height))
        if len(out) >= 10:
            step *= 2
        height -= step
    out.append(store.hash_at(store.base_height))
    return out


@dataclass
class HeaderSyncReport:
    tip_height: int
    #: lowest height where the best chain changed branch (the wallet undoes above it)
    fork_point: int | None = None
    added: int = 0
    peers_asked: list[str] = field(default_factory=list)


def _gather(coros):
    return asyncio.gather(*coros, return_exceptions=True)


async def sync_headers(pool: PeerPool, store: HeaderStore) -> HeaderSyncReport:
    report = HeaderSyncReport(store.height)
    await pool.ensure()
    # the bulk from the peer claiming the most, then every other one from our new tip (a peer
    # on a branch with more work answers from the fork point, and the store switches to it)
    for peer in sorted(pool.peers, key=lambda p: -p.height):
        while not peer.closed:
            try:
                raw = await peer.get_headers(block_locator(store))
            except PeerError as err:
                pool.fault(peer, err)
                break
            if peer.name not in report.peers_asked:
                report.peers_asked.append(peer.name)
            accepted = _add_headers(pool, store, peer, raw, report)
            if not accepted or len(raw) < MAX_HEADERS:
                break
    if not pool.peers:
        raise NoPeers(pool._nobody())
    report.tip_height = store.height
    return report


def _add_headers(
    pool: PeerPool, store: HeaderStore, peer: Peer, headers: list[bytes], report: HeaderSyncReport
) -> int:
    if not headers:
        return 0
    try:
        result = store.add_headers(b"".join(headers))
    except (InvalidHeader, HeaderError) as err:
        if getattr(err, "rule", "") == "prev-blk-not-found":
            pool.penalize(peer, 20, f"headers that do not connect: {err}")
        else:
            pool.drop(peer, f"invalid headers: {err}")
        return 0
    if result.fork_point is not None:
        fp = report.fork_point
        report.fork_point = result.fork_point if fp is None else min(fp, result.fork_point)
    report.added += result.accepted
    if result.error is not None:
        pool.drop(peer, f"invalid headers: {result.error}")
    return result.accepted


# -- filter headers ---------------------------------------------------------------------------


async def anchor_filter_headers(pool: PeerPool, store: HeaderStore) -> FilterHeaderChain:
    """An empty filter-header chain for ``store``: from genesis, or -- for a store anchored at
    a checkpoint -- from the filter header of the checkpoint's block, agreed by the peers.

    Below the checkpoint we hold no headers, so that one value cannot be checked against
    blocks; it is taken from the ``previous_header`` of every peer's ``cfheaders`` for the
    blocks after it (Neutrino's way: ask several, believe agreement). Where peers disagree,
    the filters after the checkpoint are compared first: a filter they disagree on is settled
    by its block (:func:`resolve_filter` drops the liar) and the peers are asked again. Peers
    that serve the same filters yet differ below the checkpoint cannot be told apart by any
    block we hold: the value most of them give wins and the others are dropped; a tie is a
    :class:`FilterConflict`.
    """
    base = store.base_height
    if base == 0:
        return FilterHeaderChain()
    if store.height <= base:
        raise NoPeers("no block above the checkpoint yet: sync the headers first")
    last = min(store.height, base + MAX_CFHEADERS)
    stop = store.hash_at(last)
    while True:
        peers = list(await pool.ensure())
        replies = await _gather(p.get_cfheaders(base + 1, stop) for p in peers)
        bases: dict[bytes, list[Peer]] = {}
        hashes: dict[Peer, tuple[bytes, ...]] = {}
        for peer, reply in zip(peers, replies):
            if isinstance(reply, PeerError):
                pool.fault(peer, reply)
            elif isinstance(reply, BaseException):
                raise reply
            elif len(reply.filter_hashes) != last - base:
                pool.drop(peer, f"cfheaders for {base + 1}..{last} hold {len(reply.filter_hashes)}")
            else:
                bases.setdefault(reply.previous_header, []).append(peer)
                hashes[peer] = tuple(reply.filter_hashes)
        if not bases:
            raise NoPeers(pool._nobody())
        if len(bases) == 1:
            return FilterHeaderChain(base, next(iter(bases)))
        lists = list(set(hashes.values()))
        if len(lists) > 1:
            i = min(first_difference(lists[0], other) or 0 for other in lists[1:])
            await resolve_filter(pool, store, base + 1 + i, {p: h[i] for p, h in hashes.items()})
            continue
        ranked = sorted(bases.items(), key=lambda kv: -len(kv[1]))
        if len(ranked[0][1]) == len(ranked[1][1]):
            raise FilterConflict(
                f"peers disagree about the filter header at the checkpoint (height {base:,}) "
                "and no block we hold shows which one lies; connect to other peers"
            )
        for _header, group in ranked[1:]:
            for peer in group:
                pool.drop(
                    peer,
                    f"its filter header at the checkpoint (height {base:,}) differs from the "
                    "one most peers gave",
                )
        return FilterHeaderChain(base, ranked[0][0])


@dataclass
class FilterHeaderSync:
    tip_height: int
    #: the lowest height whose filter header we held was replaced (a peer we believed before
    #: lied, and the ones here exposed it): the blocks from there must be scanned again
    changed_from: int | None = None


async def sync_filter_headers(
    pool: PeerPool, store: HeaderStore, chain: FilterHeaderChain
) -> FilterHeaderSync:
    """Bring ``chain`` up to the store's tip, every connected peer's claims compared: the
    checkpoints, the filter header of the tip we held (a peer that joined since, or a chain
    accepted in an earlier session from peers that are gone, is checked too), then the new
    ranges. Headers we held that the peers' agreement replaces are reported (``changed_from``);
    should the sync fail after replacing some, the held ones are put back, so the next sync
    finds the same disagreement again rather than forget it."""
    if chain.tip_height > store.height:
        chain.rewind(store.height)
    held = chain.snapshot()
    try:
        await _checkpoints(pool, store, chain)
        await _confirm_tip(pool, store, chain)
        start = chain.tip_height + 1
        while start <= store.height:
            end = min(store.height, start + MAX_CFHEADERS - 1)
            await _range(pool, store, chain, start, end)
            start = chain.tip_height + 1
    except BaseException:
        if chain.first_change(held) is not None:
            chain.restore(held)
        raise
    return FilterHeaderSync(chain.tip_height, chain.first_change(held))


async def _confirm_tip(pool: PeerPool, store: HeaderStore, chain: FilterHeaderChain) -> None:
    """Every peer is asked for the filter header of the tip we hold (one ``cfheaders`` entry:
    it commits to every filter below). When one differs, the range since the last checkpoint
    (all agree up to it) is asked of every peer again and settled block by block as a new
    range is (:func:`_range`), so a liar is dropped whether its claim is ours or theirs."""
    tip = chain.tip_height
    if tip <= chain.base_height:
        return
    stop = store.hash_at(tip)
    peers = list(await pool.ensure())
    replies = await _gather(p.get_cfheaders(tip, stop) for p in peers)
    differs = False
    for peer, reply in zip(peers, replies):
        if isinstance(reply, PeerError):
            pool.fault(peer, reply)
        elif isinstance(reply, BaseException):
            raise reply
        elif len(reply.filter_hashes) != 1:
            pool.drop(peer, f"cfheaders for {tip}..{tip} hold {len(reply.filter_hashes)}")
        elif chain_headers(reply.previous_header, reply.filter_hashes)[0] != chain.header(tip):
            differs = True
    if not differs:
        return
    # the checkpoints agreed (_checkpoints) commit to every filter up to the last one
    agreed = max((h for h in chain.checkpoints if h <= tip), default=chain.base_height)
    chain.rewind(max(chain.base_height, agreed))
    while chain.tip_height < tip:
        start = chain.tip_height + 1
        await _range(pool, store, chain, start, min(tip, start + MAX_CFHEADERS - 1))


async def _checkpoints(pool: PeerPool, store: HeaderStore, chain: FilterHeaderChain) -> None:
    """Every peer's ``cfcheckpt`` compared, disagreements settled through the blocks; the
    agreed entries adopted (held headers that contradict them are dropped)."""
    stop = store.hash_at(store.height)
    while True:
        peers = list(await pool.ensure())
        replies = await _gather(p.get_cfcheckpt(stop) for p in peers)
        answers: dict[tuple[bytes, ...], list[Peer]] = {}
        for peer, reply in zip(peers, replies):
            if isinstance(reply, PeerError):
                pool.fault(peer, reply)
            elif isinstance(reply, BaseException):
                raise reply
            else:
                answers.setdefault(tuple(reply), []).append(peer)
        if not answers:
            raise NoPeers(pool._nobody())
        if len(answers) == 1:
            entries = next(iter(answers))
            try:
                chain.set_checkpoints(entries)
            except FilterHeaderError as err:
                chain.rewind(max(chain.base_height, err.height - CHECKPOINT_INTERVAL))
                chain.set_checkpoints(entries)
            return
        # disagreement: the first differing entry bounds where the lie is; settle it there,
        # from the checkpoint before it (what we hold above that may be the lie)
        lists = list(answers)
        i = first_difference(lists[0], lists[1])
        assert i is not None
        first = max(chain.base_height + 1, i * CHECKPOINT_INTERVAL + 1)
        end = min((i + 1) * CHECKPOINT_INTERVAL, store.height)
        if first > end:
            raise FilterConflict(
                f"peers disagree about the filter checkpoint at height {end:,}, below the "
                "blocks we hold, so no block shows which one lies; connect to other peers"
            )
        if chain.tip_height >= first:
            chain.rewind(first - 1)
        await _range(pool, store, chain, first, end)


async def _range(
    pool: PeerPool,
    store: HeaderStore,
    chain: FilterHeaderChain,
    first: int,
    last: int,
) -> None:
    """Get ``cfheaders`` for ``first..last`` from every peer; settle disagreements; adopt."""
    if first > chain.tip_height + 1:  # the range starts beyond what we hold: fill up to it
        await _range(pool, store, chain, chain.tip_height + 1, first - 1)
    stop = store.hash_at(last)
    while True:
        peers = list(await pool.ensure())
        replies = await _gather(p.get_cfheaders(first, stop) for p in peers)
        claims: dict[tuple[bytes, ...], list[Peer]] = {}
        for peer, reply in zip(peers, replies):
            if isinstance(reply, PeerError):
                pool.fault(peer, reply)
                continue
            if isinstance(reply, BaseException):
                raise reply
            if len(reply.filter_hashes) != last - first + 1:
                pool.drop(peer, f"cfheaders for {first}..{last} hold {len(reply.filter_hashes)}")
                continue
            if reply.previous_header != chain.header(first - 1):
                pool.drop(
                    peer,
                    f"its filter header at {first - 1} differs from the one the peers agreed on",
                )
                continue
            claims.setdefault(tuple(reply.filter_hashes), []).append(peer)
        if not claims:
            raise NoPeers(pool._nobody())
        if len(claims) == 1:
            hashes, group = next(iter(claims.items()))
            try:
                chain.extend(first, chain.header(first - 1), hashes)
            except FilterHeaderError as err:
                for peer in group:
                    pool.drop(peer, f"filter headers contradict the checkpoints ({err})")
                continue
            return
        lists = list(claims)
        i = min(first_difference(lists[0], other) or 0 for other in lists[1:])
        height = first + i
        by_peer = {p: h[i] for h, group in claims.items() for p in group}
        await resolve_filter(pool, store, height, by_peer)


async def resolve_filter(
    pool: PeerPool, store: HeaderStore, height: int, claims: dict[Peer, bytes]
) -> None:
    """Peers claim different filter hashes for the block at ``height``: find and drop liars."""
    block_hash = store.hash_at(height)
    filters: dict[Peer, bytes] = {}
    for peer, claimed in claims.items():
        try:
            data = (await peer.get_cfilters(height, block_hash, [block_hash]))[0]
        except PeerError as err:
            pool.fault(peer, err)
            continue
        if sha256d(data) != claimed:
            pool.drop(peer, f"its filter for block {height} is not the one its headers claim")
            continue
        filters[peer] = data
    block = await fetch_block(pool, store, height, exclude=())
    liars = []
    for peer, data in filters.items():
        try:
            missing = missing_from_filter(block, data)
        except FilterError:
            missing = [b"(undecodable)"]
        if missing:
            liars.append(peer)
            pool.drop(
                peer,
                f"its filter for block {height} leaves out {len(missing)} script(s) of the block",
            )
    spent = all_prevouts_derivable(block)
    if spent is not None:
        exact = BlockFilter.from_block(block, spent).data
        for peer, data in filters.items():
            if peer not in liars and data != exact:
                liars.append(peer)
                pool.drop(peer, f"its filter for block {height} is not the block's filter")
    if not liars and len({sha256d(d) for d in filters.values()}) > 1:
        raise FilterConflict(
            f"peers disagree about the filter of block {height} and the block does not show "
            "which one lies; connect to other peers"
        )


async def fetch_block(
    pool: PeerPool, store: HeaderStore, height: int, exclude: tuple[Peer, ...] = ()
) -> Block:
    """The block at ``height`` from a random peer among those that served the fewest blocks
    (not in ``exclude`` when another exists), checked against our header: its hash, and its
    Merkle root recomputed from its transactions."""
    header = store.header(height)
    block_hash = sha256d(header)
    tried: list[Peer] = []
    while True:
        await pool.ensure()
        peer = pool.choose(exclude=(*exclude, *tried), spread=True) or pool.choose(
            exclude=tried, spread=True
        )
        if peer is None:
            raise NoPeers(f"no peer could give block {height}: {pool._nobody()}")
        tried.append(peer)
        try:
            block = await peer.get_block(block_hash)
            check_block(block, header)
        except PeerError as err:
            pool.fault(peer, err)
            continue
        except MerkleProofError as err:
            pool.drop(peer, f"block {height} does not match its header: {err}")
            continue
        return block


def check_block(block: Block, header: bytes) -> None:
    """A block must hash to our header and its transactions to the header's Merkle root; when
    it carries witness data, the coinbase's witness commitment must match it (BIP141)."""
    if block.header.serialize() != header:
        raise MerkleProofError("its header is not the one in our chain")
    block.check_merkle_root()
    if any(tx.has_witness() for tx in block.transactions[1:]):
        _check_witness_commitment(block)


def _check_witness_commitment(block: Block) -> None:
    from wallet.spv.merkle import merkle_root

    coinbase = block.transactions[0]
    commitments = [
        o.script_pubkey[6:38]
        for o in coinbase.outputs
        if len(o.script_pubkey) >= 38 and o.script_pubkey[:6] == bytes.fromhex("6a24aa21a9ed")
    ]
    if not commitments or not coinbase.inputs[0].witness:
        raise MerkleProofError("it carries witness data without a witness commitment")
    wtxids = [bytes(32)] + [tx.wtxid() for tx in block.transactions[1:]]
    reserved = coinbase.inputs[0].witness[0]
    if sha256d(merkle_root(wtxids) + reserved) != commitments[-1]:
        raise MerkleProofError("its witness data does not match the coinbase's commitment")


__all__ = [
    "FilterConflict",
    "FilterHeaderSync",
    "HeaderSyncReport",
    "PeerMisbehaved",
    "anchor_filter_headers",
    "block_locator",
    "check_block",
    "fetch_block",
    "resolve_filter",
    "sync_filter_headers",
    "sync_headers",
]
