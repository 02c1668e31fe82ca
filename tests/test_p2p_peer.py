"""Peer connections and the pool: handshake checks, hostile frames, peer sources, gossip."""

from __future__ import annotations

import asyncio

import pytest

from tests.playground_fixture import start_playground
from wallet.bitcoin.networks import MAINNET, REGTEST, TESTNET4
from wallet.p2p import messages as m
from wallet.p2p.peer import Peer, PeerMisbehaved, PeerUnavailable, parse_peer
from wallet.p2p.pool import NoPeers, PeerPool
from wallet.p2p.seeds import dns_seeds, fixed_seeds
from wallet.p2p.stream import read_message, write_message


def test_peer_addresses_parse():
    assert parse_peer("127.0.0.1:18444", 8333) == ("127.0.0.1", 18444)
    assert parse_peer("node.example", 8333) == ("node.example", 8333)
    assert parse_peer("[2001:db8::1]:8333", 1) == ("2001:db8::1", 8333)
    assert parse_peer("2001:db8::1", 8333) == ("2001:db8::1", 8333)
    for bad in ("", ":8333", "host:port", "host:70000"):
        with pytest.raises(ValueError):
            parse_peer(bad, 8333)


def test_seed_sources_per_network():
    nodes = fixed_seeds("mainnet")
    assert 0 < len(nodes) <= 16
    assert all(parse_peer(n, 0)[1] == 8333 for n in nodes)
    assert dns_seeds(MAINNET) and dns_seeds(TESTNET4)
    assert dns_seeds(REGTEST) == () and fixed_seeds("regtest") == ()


async def _fake_node(services: int, extra: bytes = b""):
    """A listener that answers a handshake with ``services`` (then sends ``extra`` raw)."""

    async def handle(reader, writer):
        try:
            await read_message(reader, REGTEST.magic)
            write_message(
                writer,
                REGTEST.magic,
                m.Version(
                    m.PROTOCOL_VERSION,
                    services,
                    0,
                    m.NetAddr("::", 0),
                    m.NetAddr("::", 0),
                    7,
                    "/fake/",
                    1,
                    True,
                ),
            )
            write_message(writer, REGTEST.magic, m.Verack())
            writer.write(extra)
            await writer.drain()
            await reader.read()
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


def test_a_node_without_compact_filters_is_refused():
    async def go():
        server, port = await _fake_node(m.NODE_NETWORK | m.NODE_WITNESS)
        async with server:
            with pytest.raises(PeerMisbehaved, match="COMPACT_FILTERS"):
                await Peer("127.0.0.1", port, REGTEST, timeout=5).connect()

    asyncio.run(go())


def test_an_oversized_message_drops_the_connection():
    header = REGTEST.magic + b"block".ljust(12, b"\x00") + (5_000_000).to_bytes(4, "little")

    async def go():
        services = m.NODE_NETWORK | m.NODE_WITNESS | m.NODE_COMPACT_FILTERS
        server, port = await _fake_node(services, header + bytes(4))
        async with server:
            peer = Peer("127.0.0.1", port, REGTEST, timeout=5)
            await peer.connect()
            for _ in range(100):
                if peer.closed:
                    break
                await asyncio.sleep(0.02)
            assert "over the 4,000,000-byte limit" in peer.close_reason
            with pytest.raises(PeerMisbehaved, match="over the 4,000,000-byte limit"):
                await peer.get_headers([bytes(32)])

    asyncio.run(go())


def test_a_peer_of_another_network_never_completes_the_handshake(tmp_path):
    pg = start_playground(tmp_path / "pg", p2p_listeners=1)
    try:

        async def go():
            with pytest.raises(PeerUnavailable):
                await Peer("127.0.0.1", pg.p2p_ports[0], MAINNET, timeout=3).connect()

        asyncio.run(go())
    finally:
        pg.stop()


def test_the_pool_learns_peers_from_addr_gossip(tmp_path):
    pg = start_playground(tmp_path / "pg", p2p_listeners=3)
    try:

        async def go():
            pool = PeerPool(
                REGTEST, peers=[f"127.0.0.1:{pg.p2p_ports[0]}"], use_dns=False, target=3
            )
            await pool.fill()
            assert len(pool.peers) == 1  # only the named peer so far
            await pool.ask_addresses()
            for _ in range(50):
                if len(pool.learned) >= 2:
                    break
                await asyncio.sleep(0.05)
            pool.named = []
            await pool.fill()
            names = sorted(p.name for p in pool.peers)
            await pool.close()
            return names

        names = asyncio.run(go())
        assert names == sorted(f"127.0.0.1:{p}" for p in pg.p2p_ports)
    finally:
        pg.stop()


def test_no_reachable_peer_is_one_sentence():
    async def go():
        pool = PeerPool(REGTEST, peers=["127.0.0.1:1"], use_dns=False, connect_timeout=2)
        with pytest.raises(NoPeers, match="no regtest peer could be reached"):
            await pool.fill()

    asyncio.run(go())
