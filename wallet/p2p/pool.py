"""Several outbound peers: where they come from, who is connected, who was dropped and why.

Candidates come from, in order: the peers the user names, addresses peers gossiped
(``addr``/``addrv2``), the network's DNS seeds, and the committed fixed seeds. The pool keeps up
to ``target`` connected peers that pass the handshake (network, protocol version, the services a
compact-filter client needs). A peer that breaks the rules is dropped at once with the reason
(:meth:`drop`); lesser faults add to a misbehaviour score (:meth:`penalize`) and the peer is
dropped when it reaches :data:`BAN_SCORE`, as Bitcoin Core scores its peers. A dropped address is
not tried again in this session.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from wallet.bitcoin.networks import Network
from wallet.errors import PaylightError
from wallet.net.hostport import parse_host_port
from wallet.net.proxy import default_proxy
from wallet.p2p import messages as m
from wallet.p2p.peer import Peer, PeerError, PeerMisbehaved, PeerStats
from wallet.p2p.seeds import dns_seeds, fixed_seeds

log = logging.getLogger(__name__)

BAN_SCORE = 100
#: BIP 155 networks this client connects to directly: IPv4, IPv6
ADDRV2_REACHABLE = (1, 2)
#: addresses remembered from gossip at most (a peer may send thousands)
MAX_LEARNED = 1000


class NoPeers(PaylightError):
    """No peer could be reached (or every one was dropped)."""


@dataclass(frozen=True)
class Dropped:
    peer: str
    reason: str
    at: float


@dataclass
class BroadcastResult:
    txid: bytes
    #: the peer we announced to, and whether it fetched the transaction from us
    sent_to: str
    fetched: bool
    #: peers other than ``sent_to`` that announced it back to us (relay confirmed)
    relayed_by: list[str] = field(default_factory=list)

    @property
    def confirmed(self) -> bool:
        return bool(self.relayed_by)


class PeerPool:
    def __init__(
        self,
        network: Network,
        *,
        peers: Iterable[str] = (),
        use_dns: bool = True,
        use_fixed: bool = True,
        target: int = 4,
        timeout: float = 20.0,
        connect_timeout: float = 10.0,
        on_message: Callable[[Peer, m.Message], Any] | None = None,
    ) -> None:
        self.network = network
        self.target = target
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.use_dns = use_dns
        self.use_fixed = use_fixed
        self.on_message = on_message
        self.named = [parse_host_port(p, network.default_p2p_port) for p in peers]
        self.learned: list[tuple[str, int]] = []
        self.peers: list[Peer] = []
        self.dropped: list[Dropped] = []
        self.failed: dict[str, str] = {}
        self.scores: dict[str, int] = {}
        self.start_height = 0
        #: txid/wtxid -> names of the peers that announced it
        self.announced: dict[bytes, set[str]] = {}
        self._announce_event: asyncio.Event | None = None
        self._tried: set[str] = set()
        #: the figures of every peer connected this session, dropped ones too (the panel's
        #: "downloaded" counts them all)
        self.all_stats: list[PeerStats] = []

    # -- connecting -----------------------------------------------------------------------------

    async def _dns(self) -> list[tuple[str, int]]:
        if not self.use_dns:
            return []
        if default_proxy() is not None:
            # never resolve here through a proxy: the seeds' names go to it as peer addresses
            # (the proxy resolves each to one node), as Core does behind Tor
            return [(seed, self.network.default_p2p_port) for seed in dns_seeds(self.network)]
        loop = asyncio.get_running_loop()
        out: list[tuple[str, int]] = []
        for seed in dns_seeds(self.network):
            try:
                infos = await asyncio.wait_for(
                    loop.getaddrinfo(seed, self.network.default_p2p_port, type=socket.SOCK_STREAM),
                    self.connect_timeout,
                )
            except (OSError, TimeoutError):
                continue
            out += [(info[4][0], self.network.default_p2p_port) for info in infos]
        random.shuffle(out)
        return out

    def _fixed(self) -> list[tuple[str, int]]:
        if not self.use_fixed:
            return []
        port = self.network.default_p2p_port
        out = [parse_host_port(p, port) for p in fixed_seeds(self.network.name)]
        random.shuffle(out)
        return out

    async def candidates(self) -> list[tuple[str, int]]:
        """Addresses to try, best first, without those tried or dropped already."""
        seen = set(self._tried)
        out = []
        sources = [self.named, list(self.learned)]
        if not self.named:  # a user who names peers means those peers
            sources += [await self._dns(), self._fixed()]
        for source in sources:
            for host, port in source:
                key = f"{host}:{port}"
                if key not in seen:
                    seen.add(key)
                    out.append((host, port))
        return out

    async def fill(self) -> list[Peer]:
        """Connect until ``target`` peers are up (or candidates run out); returns the peers."""
        self._prune()
        if len(self.peers) >= self.target:
            return self.peers
        pending = await self.candidates()
        while pending and len(self.peers) < self.target:
            batch = pending[: self.target - len(self.peers)]
            pending = pending[len(batch) :]
            results = await asyncio.gather(*(self._connect(h, p) for h, p in batch))
            self.peers += [p for p in results if p is not None]
        if not self.peers:
            tried = "; ".join(f"{k}: {v}" for k, v in list(self.failed.items())[-5:])
            raise NoPeers(f"no {self.network.name} peer could be reached ({tried or 'none known'})")
        return self.peers

    async def _connect(self, host: str, port: int) -> Peer | None:
        key = f"{host}:{port}"
        self._tried.add(key)
        peer = Peer(
            host,
            port,
            self.network,
            timeout=self.timeout,
            connect_timeout=self.connect_timeout,
            start_height=self.start_height,
            on_message=self._on_message,
        )
        try:
            await peer.connect()
        except PeerMisbehaved as err:
            self.dropped.append(Dropped(key, err.reason, time.time()))
            return None
        except PeerError as err:
            self.failed[key] = err.reason
            return None
        self.all_stats.append(peer.stats)
        return peer

    async def ensure(self, minimum: int = 1) -> list[Peer]:
        """The live peers, reconnecting when fewer than ``minimum`` remain."""
        self._prune()
        if len(self.peers) < minimum:
            with contextlib.suppress(NoPeers):
                await self.fill()
        if not self.peers:
            raise NoPeers(self._nobody())
        return self.peers

    def _prune(self) -> None:
        """Forget closed connections; one closed for misbehaviour (a bad checksum, an oversized
        or malformed message seen by its read loop) is dropped with that reason, as a failed
        request's would be -- not silently forgotten and tried again."""
        for peer in [p for p in self.peers if p.closed]:
            if isinstance(peer.close_error, PeerMisbehaved):
                self.drop(peer, peer.close_error.reason)
        self.peers = [p for p in self.peers if not p.closed]

    def _nobody(self) -> str:
        if self.dropped:
            last = self.dropped[-1]
            return f"no peer left (the last one dropped, {last.peer}: {last.reason})"
        return "no peer left to ask"

    # -- faults ---------------------------------------------------------------------------------

    def drop(self, peer: Peer, reason: str) -> None:
        """Disconnect a peer that lied or broke the protocol, and remember why."""
        if peer in self.peers:
            self.peers.remove(peer)
        if not any(d.peer == peer.name for d in self.dropped):
            log.info("dropping peer %s: %s", peer.name, reason)
            self.dropped.append(Dropped(peer.name, reason, time.time()))
        peer._close(f"dropped: {reason}")

    def penalize(self, peer: Peer, points: int, reason: str) -> bool:
        """Add to a peer's misbehaviour score; True when that got it dropped."""
        score = self.scores.get(peer.name, 0) + points
        self.scores[peer.name] = score
        if score >= BAN_SCORE:
            self.drop(peer, reason)
            return True
        return False

    def fault(self, peer: Peer, err: PeerError) -> None:
        """Handle a failed request: misbehaviour drops, a stall or closed connection scores."""
        if isinstance(err, PeerMisbehaved):
            self.drop(peer, err.reason)
        elif peer.closed:
            if peer in self.peers:
                self.peers.remove(peer)
            self.failed[peer.name] = err.reason
        else:
            self.penalize(peer, 50, err.reason)

    def choose(self, exclude: Iterable[Peer] = (), *, spread: bool = False) -> Peer | None:
        """A live peer picked at random, not one of ``exclude`` (None when there is none).
        ``spread``: among those that served the fewest blocks (so a scan's blocks come from
        every peer it may ask, and no one peer sees them all)."""
        skip = set(map(id, exclude))
        options = [p for p in self.peers if not p.closed and id(p) not in skip]
        if spread and options:
            fewest = min(p.stats.blocks + p.stats.asked_blocks for p in options)
            options = [p for p in options if p.stats.blocks + p.stats.asked_blocks == fewest]
        return random.choice(options) if options else None

    # -- gossip and announcements ---------------------------------------------------------------

    async def _on_message(self, peer: Peer, msg: m.Message) -> None:
        if isinstance(msg, m.Addr):
            self._learn((a.host, a.port) for a in msg.addresses if a.services & m.NODE_NETWORK)
        elif isinstance(msg, m.AddrV2):
            # IPv4 and IPv6 only: Tor, I2P and CJDNS (fc00::/8, network 6) need their own
            # routers (Core too learns them only when told it reaches those networks)
            self._learn(
                (e.host, e.port)
                for e in msg.entries
                if e.network_id in ADDRV2_REACHABLE and e.host and e.services & m.NODE_NETWORK
            )
        elif isinstance(msg, m.Inv):
            for item in msg.items:
                if item.type in (m.MSG_TX, m.MSG_WTX, m.MSG_WITNESS_TX):
                    self.announced.setdefault(item.hash, set()).add(peer.name)
            if self._announce_event is not None:
                self._announce_event.set()
        if self.on_message is not None:
            result = self.on_message(peer, msg)
            if asyncio.iscoroutine(result):
                await result

    def _learn(self, addresses: Iterable[tuple[str | None, int]]) -> None:
        for host, port in addresses:
            if host and (host, port) not in self.learned and len(self.learned) < MAX_LEARNED:
                self.learned.append((host, port))

    async def ask_addresses(self) -> None:
        """Ask every peer for addresses (answers arrive as ``addr``/``addrv2``)."""
        for peer in list(self.peers):
            with contextlib.suppress(PeerError):
                await peer.send(m.GetAddr())

    async def broadcast(self, raw: bytes, timeout: float = 30.0) -> BroadcastResult:
        """Announce a transaction to one random peer (``inv``), serve it when asked
        (``getdata`` -> ``tx``), and wait until a *different* peer announces it back."""
        from wallet.bitcoin.transaction import Transaction

        tx = Transaction.parse(raw)
        ids = {tx.txid(), tx.wtxid()}
        await self.ensure()
        peer = self.choose()
        if peer is None:
            raise NoPeers(self._nobody())
        self._announce_event = asyncio.Event()
        await peer.announce_tx(raw)
        result = BroadcastResult(tx.txid(), peer.name, False)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result.fetched = any(h in ids for _, h in peer.asked_for)
            others = set().union(*(self.announced.get(h, set()) for h in ids)) - {peer.name}
            if others:
                result.relayed_by = sorted(others)
                return result
            self._announce_event.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._announce_event.wait(), 0.5)
        return result

    async def close(self) -> None:
        for peer in list(self.peers):
            await peer.close("the pool was closed")
        self.peers = []
