"""The playground's P2P listeners, spoken to over real sockets with the codec alone.

Each listener must behave as a Bitcoin Core node with compact filters would: the handshake and
service bits, headers from a locator, witness blocks, BIP157 filters/headers/checkpoints that
match what we compute from the blocks, relay of a transaction to the other listeners, and
announcements of new blocks. Each misbehaviour switch changes only its own listener.
"""

from __future__ import annotations

import asyncio

import pytest

from tests.playground_fixture import run, start_playground
from wallet.bitcoin.bip158 import BlockFilter, filter_header
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.networks import REGTEST
from wallet.p2p import messages as m
from wallet.p2p.stream import read_message, write_message
from wallet.spv.filters import chain_headers
from wallet.spv.merkle import Block

MAGIC = REGTEST.magic


class RawPeer:
    """A bare P2P connection: send messages, wait for one of a kind."""

    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer
        self.inbox: list[m.Message] = []

    @classmethod
    async def connect(cls, port, wtxid=True):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        peer = cls(reader, writer)
        await peer.send(
            m.Version(
                m.PROTOCOL_VERSION,
                0,
                0,
                m.NetAddr("127.0.0.1", port),
                m.NetAddr("::", 0),
                1,
                "/test/",
                0,
                False,
            )
        )
        version = await peer.expect("version")
        if wtxid:
            await peer.send(m.WtxidRelay())
        await peer.send(m.SendAddrV2())
        await peer.expect("verack")
        await peer.send(m.Verack())
        await peer.send(m.SendHeaders())
        return peer, version

    async def send(self, msg):
        write_message(self.writer, MAGIC, msg)
        await self.writer.drain()

    async def expect(self, command, timeout=10):
        for i, msg in enumerate(self.inbox):
            if msg.command == command:
                return self.inbox.pop(i)
        while True:
            msg, _ = await asyncio.wait_for(read_message(self.reader, MAGIC), timeout)
            if msg.command == command:
                return msg
            self.inbox.append(msg)

    async def collect(self, command, count):
        return [await self.expect(command) for _ in range(count)]

    def close(self):
        self.writer.close()


@pytest.fixture(scope="module")
def pg(tmp_path_factory):
    pg = start_playground(tmp_path_factory.mktemp("pg"), p2p_listeners=3)
    try:
        pg.fund(bytes.fromhex("0014" + "11" * 20), 50_000, confirm=True)
        yield pg
    finally:
        pg.stop()


def test_handshake_services_and_endpoints(pg):
    async def go():
        peer, version = await RawPeer.connect(pg.p2p_ports[0])
        await peer.expect("sendheaders")
        await peer.send(m.Ping(42))
        pong = await peer.expect("pong")
        peer.close()
        return version, pong

    version, pong = run(go())
    assert version.services == m.NODE_NETWORK | m.NODE_WITNESS | m.NODE_COMPACT_FILTERS
    assert version.start_height == pg.height
    assert version.version >= 70016
    assert pong.nonce == 42
    assert len(set(pg.p2p_ports)) == 3
    assert pg.endpoints()["p2p"] == [f"127.0.0.1:{p}" for p in pg.p2p_ports]


def test_headers_blocks_and_filters_match_the_chain(pg):
    async def go():
        peer, _ = await RawPeer.connect(pg.p2p_ports[1])
        genesis = bytes.fromhex(REGTEST.genesis_hash)[::-1]
        await peer.send(m.GetHeaders((genesis,)))
        headers = (await peer.expect("headers")).headers
        tip = sha256d(headers[-1])
        await peer.send(m.GetData((m.InvItem(m.MSG_WITNESS_BLOCK, tip),)))
        block = await peer.expect("block")
        await peer.send(m.GetCFHeaders(0, tip))
        cfheaders = await peer.expect("cfheaders")
        await peer.send(m.GetCFilters(1, tip))
        cfilters = await peer.collect("cfilter", len(headers))
        await peer.send(m.GetCFCheckpt(tip))
        checkpt = await peer.expect("cfcheckpt")
        peer.close()
        return headers, block, cfheaders, cfilters, checkpt

    headers, block, cfheaders, cfilters, checkpt = run(go())
    assert len(headers) == pg.height
    with pg.lock:
        assert [b.header for b in pg.chain.blocks[1:]] == list(headers)
        records = pg.chain.blocks
        assert block.raw == records[-1].header + block.raw[80:]
        block.block.check_merkle_root()
        # the filter of the tip, computed here from the block and the outputs it spends
        spent = [o.script_pubkey for e in records[-1].txs for o in e.prevouts]
    ours = BlockFilter.from_block(Block.parse(block.raw), spent)
    assert cfilters[-1].filter == ours.data and cfilters[-1].block_hash == ours.block_hash
    # the filter-header chain from genesis, from the filter hashes, meets every served filter
    derived = chain_headers(cfheaders.previous_header, cfheaders.filter_hashes)
    assert cfheaders.previous_header == bytes(32)
    assert len(derived) == pg.height + 1
    for height, cf in enumerate(cfilters, start=1):
        assert filter_header(cf.filter, derived[height - 1]) == derived[height]
    assert checkpt.headers == ()  # fewer than 1,000 blocks


def test_a_transaction_announced_to_one_listener_is_relayed_by_the_others(pg):
    from wallet.bitcoin.transaction import TxOut

    async def go():
        sender, _ = await RawPeer.connect(pg.p2p_ports[0])
        watcher, _ = await RawPeer.connect(pg.p2p_ports[2], wtxid=False)
        with pg.lock:
            tx = pg.faucet.build(
                pg._faucet_coins(20_000), [TxOut(20_000, pg.faucet.script_pubkey)], 2.0
            )
        await sender.send(m.Inv((m.InvItem(m.MSG_WTX, tx.wtxid()),)))
        request = await sender.expect("getdata")
        await sender.send(m.TxMessage(tx, tx.serialize()))
        announced = await watcher.expect("inv")
        await watcher.send(m.GetData(announced.items))
        got = await watcher.expect("tx")
        sender.close()
        watcher.close()
        return tx, request, announced, got

    tx, request, announced, got = run(go())
    assert request.items == (m.InvItem(m.MSG_WTX, tx.wtxid()),)
    assert m.InvItem(m.MSG_TX, tx.txid()) in announced.items
    assert got.tx.txid() == tx.txid()
    assert "tx" in pg.p2p(0).commands_received()
    pg.mine(1)


def test_new_blocks_are_announced_with_headers(pg):
    async def go():
        peer, _ = await RawPeer.connect(pg.p2p_ports[0])
        await peer.expect("sendheaders")
        await asyncio.get_running_loop().run_in_executor(None, pg.mine, 2)
        got = await peer.expect("headers")
        peer.close()
        return got

    got = run(go())
    assert sha256d(got.headers[-1])[::-1].hex() == pg.tip_hash


def test_misbehaviour_switches_are_per_listener(pg):
    pg.p2p(1).misbehave("wrong-filter")
    pg.p2p(2).misbehave("withhold-block")
    try:

        async def go():
            honest, _ = await RawPeer.connect(pg.p2p_ports[0])
            liar, _ = await RawPeer.connect(pg.p2p_ports[1])
            withholder, _ = await RawPeer.connect(pg.p2p_ports[2])
            tip = bytes.fromhex(pg.tip_hash)[::-1]
            with pg.lock:  # a block with more than its coinbase
                funded = next(b.height for b in pg.chain.blocks if len(b.txs) > 1)
            count = pg.height - funded + 1
            out = []
            for p in (honest, liar):
                await p.send(m.GetCFilters(funded, tip))
                out.append((await p.collect("cfilter", count))[0])
                await p.send(m.GetCFHeaders(funded, tip))
                out.append(await p.expect("cfheaders"))
            await withholder.send(m.GetData((m.InvItem(m.MSG_WITNESS_BLOCK, tip),)))
            out.append(await withholder.expect("notfound"))
            for p in (honest, liar, withholder):
                p.close()
            return out

        honest_f, honest_h, liar_f, liar_h, notfound = run(go())
        assert honest_f.filter != liar_f.filter
        assert honest_h == liar_h  # wrong-filter leaves the headers honest
        assert notfound.items[0].type == m.MSG_WITNESS_BLOCK
    finally:
        pg.p2p(1).behave()
        pg.p2p(2).behave()


def test_getaddr_names_the_other_listeners(pg):
    async def go():
        peer, _ = await RawPeer.connect(pg.p2p_ports[0])
        await peer.send(m.GetAddr())
        got = await peer.expect("addrv2")
        peer.close()
        return got

    got = run(go())
    assert sorted(e.port for e in got.entries) == sorted(pg.p2p_ports[1:])
    assert all(e.host == "127.0.0.1" for e in got.entries)
