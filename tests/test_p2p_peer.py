"""Peer connections and the pool: handshake checks, hostile frames, peer sources, gossip."""

from __future__ import annotations

import asyncio

import pytest

from tests.playground_fixture import start_playground
from wallet.bitcoin.networks import MAINNET, REGTEST, TESTNET4
from wallet.net.hostport import parse_host_port
from wallet.p2p import messages as m
from wallet.p2p.peer import Peer, PeerMisbehaved, PeerUnavailable
from wallet.p2p.pool import NoPeers, PeerPool
from wallet.p2p.seeds import dns_seeds, fixed_seeds
from wallet.p2p.stream import read_message, write_message


def test_peer_addresses_parse():
    assert parse_host_port("127.0.0.1:18444", 8333) == ("127.0.0.1", 18444)
    assert parse_host_port("node.example", 8333) == ("node.example", 8333)
    assert parse_host_port("[2001:db8::1]:8333", 1) == ("2001:db8::1", 8333)
    assert parse_host_port("2001:db8::1", 8333) == ("2001:db8::1", 8333)
    for bad in ("", ":8333", "host:port", "host:70000"):
        with pytest.raises(ValueError):
            parse_host_port(bad, 8333)


def test_seed_sources_per_network():
    nodes = fixed_seeds("mainnet")
    assert 0 < len(nodes) <= 16
    assert all(parse_host_port(n, 0)[1] == 8333 for n in nodes)
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


def _frame(command: bytes, payload: bytes, checksum: bytes | None = None) -> bytes:
    """A raw frame on regtest, with the given checksum (default: the right one)."""
    from wallet.bitcoin.hashes import sha256d

    check = sha256d(payload)[:4] if checksum is None else checksum
    return REGTEST.magic + command.ljust(12, b"\x00") + len(payload).to_bytes(4, "little") + check


FRAMING_FAULTS = {
    # a ping whose checksum is wrong: Core disconnects such a peer
    "bad checksum": (_frame(b"ping", bytes(8), b"\x00\x00\x00\x00") + bytes(8), "checksum"),
    # a block frame announcing 5 MB: refused before reading it
    "oversized": (_frame(b"block", b"", bytes(4))[:-8] + (5_000_000).to_bytes(4, "little")
                  + bytes(4), "over the 4,000,000-byte limit"),
}  # fmt: skip


@pytest.mark.parametrize("fault", sorted(FRAMING_FAULTS))
def test_a_peer_breaking_the_framing_is_dropped_by_the_pool_with_the_reason(tmp_path, fault):
    """Over a real socket: a peer that sends a frame with a wrong checksum or over the size
    limit is disconnected, and the pool drops it with that reason (what the light-node panel
    shows) when the sync next turns to it."""
    from wallet.p2p.sync import sync_headers
    from wallet.spv.store import HeaderStore

    data, reason = FRAMING_FAULTS[fault]

    async def go():
        services = m.NODE_NETWORK | m.NODE_WITNESS | m.NODE_COMPACT_FILTERS
        server, port = await _fake_node(services, data)
        async with server:
            pool = PeerPool(REGTEST, peers=[f"127.0.0.1:{port}"], use_dns=False, target=1)
            (peer,) = await pool.fill()
            for _ in range(100):
                if peer.closed:
                    break
                await asyncio.sleep(0.02)
            store = HeaderStore(tmp_path / "headers", REGTEST, fsync=False)
            try:
                with pytest.raises(NoPeers):
                    await sync_headers(pool, store)
            finally:
                store.close()
                await pool.close()
            return peer, pool.dropped

    peer, dropped = asyncio.run(asyncio.wait_for(go(), 60))
    assert reason in peer.close_reason
    assert [d.peer for d in dropped] == [peer.name] and reason in dropped[0].reason


def test_the_pool_learns_reachable_nodes_from_addr_and_addrv2(tmp_path):
    """``addr`` (BIP 155's predecessor) and ``addrv2`` both feed the pool, over a real socket:
    IPv4 and IPv6 nodes that offer NODE_NETWORK are learned; nodes without it, and networks
    this client cannot reach without their own routers (Tor, I2P, CJDNS), are not."""
    now = 1_700_000_000
    v1 = m.Addr((
        m.NetAddr("192.0.2.1", 18444, m.NODE_NETWORK | m.NODE_WITNESS, now),
        m.NetAddr("192.0.2.2", 18444, m.NODE_WITNESS, now),  # no NODE_NETWORK: no blocks
        m.NetAddr("2001:db8::7", 18445, m.NODE_NETWORK, now),
    ))  # fmt: skip
    net_ = m.NODE_NETWORK
    v2 = m.AddrV2((
        m.AddrV2Entry(now, net_, 1, bytes([198, 51, 100, 9]), 18444),
        m.AddrV2Entry(now, net_, 2, ipaddress_packed("2001:db8::9"), 18444),
        m.AddrV2Entry(now, net_, 4, bytes(range(32)), 18444),  # Tor v3
        m.AddrV2Entry(now, net_, 5, bytes(range(32)), 0),  # I2P
        m.AddrV2Entry(now, net_, 6, ipaddress_packed("fc00::1"), 18444),  # CJDNS
        m.AddrV2Entry(now, 0, 1, bytes([198, 51, 100, 10]), 18444),  # no NODE_NETWORK
    ))  # fmt: skip
    data = v1.frame(REGTEST.magic) + v2.frame(REGTEST.magic)

    async def go():
        services = m.NODE_NETWORK | m.NODE_WITNESS | m.NODE_COMPACT_FILTERS
        server, port = await _fake_node(services, data)
        async with server:
            pool = PeerPool(REGTEST, peers=[f"127.0.0.1:{port}"], use_dns=False, target=1)
            await pool.fill()
            for _ in range(100):
                if len(pool.learned) >= 4:
                    break
                await asyncio.sleep(0.02)
            await asyncio.sleep(0.1)  # anything else it would learn has arrived too
            await pool.close()
            return list(pool.learned)

    learned = asyncio.run(asyncio.wait_for(go(), 60))
    assert learned == [
        ("192.0.2.1", 18444),
        ("2001:db8::7", 18445),
        ("198.51.100.9", 18444),
        ("2001:db8::9", 18444),
    ]


def ipaddress_packed(text: str) -> bytes:
    import ipaddress

    return ipaddress.ip_address(text).packed


def test_the_fixed_seed_lists_are_the_generators_output_for_each_network(tmp_path):
    """Each network that has DNS seeds has a committed fixed list (testnet3's node list in
    Bitcoin Core is empty: DNS seeds only), written by ``seeds/generate.py``: running the
    generator on a list in Core's ``nodes_<net>.txt`` format keeps IPv4/IPv6 nodes on the
    network's port, one per AS, at most 16; and each committed list is what the generator
    keeps of itself (every entry valid, on the right port, none repeated)."""
    import json

    from wallet.bitcoin.networks import SIGNET, get_network
    from wallet.p2p.seeds import generate

    for name in ("mainnet", "testnet4", "signet"):
        network = get_network(name)
        nodes = list(fixed_seeds(name))
        assert 8 <= len(nodes) <= generate.LIMIT, name
        assert len(set(nodes)) == len(nodes)
        assert generate.parse(nodes, network.default_p2p_port) == nodes, name
        doc = json.loads((generate.HERE / f"{name}.json").read_text())
        assert doc["network"] == name and doc["nodes"] == nodes
    assert fixed_seeds("testnet3") == () and dns_seeds(get_network("testnet3"))

    sample = [
        "[fc1f:22c3:95dc:a3af:4a93:8251:beb9:1858]:38333",  # CJDNS
        "25g5trd4qasb2sbpkk5cvl256l6aiwcwjjqq7xso3ajvlgcvkpaq.b32.i2p:0",
        "34.135.189.101:38333 # AS396982",
        "35.196.2.204:38333 # AS396982",  # the same AS again
        "10.0.0.1:38333 # AS1",  # private
        "44.192.76.239:8333 # AS14618",  # another network's port
        "[2001:41d0:2005:100::c7c]:38333 # AS16276",
        "2uqd5pbaxn26o7fl7nqtm2khetqocislppxtxrpqg55wtbcqdrf2y5qd.onion:38333",
    ]
    assert generate.parse(sample, SIGNET.default_p2p_port) == [
        "34.135.189.101:38333",
        "[2001:41d0:2005:100::c7c]:38333",
    ]


def test_the_client_handshake_as_the_playground_node_receives_it(tmp_path):
    """What a Core-like node receives from our peer, in order: ``version`` (no services of our
    own, relay on), ``wtxidrelay`` and ``sendaddrv2`` before ``verack``, then ``sendheaders``;
    the node's ``ping`` is answered with its nonce, and our ``ping`` gets its ``pong``."""
    pg = start_playground(tmp_path / "pg", p2p_listeners=1)
    try:
        listener = pg.p2p(0)

        async def go():
            peer = Peer("127.0.0.1", pg.p2p_ports[0], REGTEST, timeout=5)
            await peer.connect()
            try:
                rtt = await peer.ping()
                for _ in range(100):
                    if "pong" in listener.commands_received():
                        break
                    await asyncio.sleep(0.02)
                return peer.services, rtt
            finally:
                await peer.close()

        services, rtt = asyncio.run(asyncio.wait_for(go(), 60))
        received = [msg for _, msg in listener.received]
        commands = [msg.command for msg in received]
        assert commands[:5] == ["version", "wtxidrelay", "sendaddrv2", "verack", "sendheaders"]
        version = received[0]
        assert version.services == 0 and version.relay and version.version >= 70016
        assert services & m.NODE_COMPACT_FILTERS and rtt >= 0
        pongs = [msg for msg in received if isinstance(msg, m.Pong)]
        assert pongs and pongs[0].nonce == listener._nonce  # the node's own ping, answered
        assert "ping" in commands  # and ours
    finally:
        pg.stop()
