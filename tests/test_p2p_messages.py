"""The P2P message codec: round trips, real blocks and headers, and hostile bytes.

Every parser must bound what it reads: any byte string given as any command's payload either
decodes or raises :class:`MessageError` (hypothesis), never another exception.
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import shared_path
from wallet.bitcoin.bip158 import build_filter
from wallet.bitcoin.networks import MAINNET, REGTEST
from wallet.p2p import messages as m
from wallet.spv.merkle import Block

MAGIC = REGTEST.magic


def roundtrip(msg: m.Message) -> m.Message:
    data = msg.frame(MAGIC)
    got, used = m.decode_frame(data, MAGIC)
    assert used == len(data)
    assert got == msg
    assert got.payload() == msg.payload()
    return got


def _version():
    return m.Version(
        m.PROTOCOL_VERSION,
        m.NODE_NETWORK | m.NODE_WITNESS | m.NODE_COMPACT_FILTERS,
        1_700_000_000,
        m.NetAddr("127.0.0.1", 18444),
        m.NetAddr("::1", 0),
        0x1122334455667788,
        "/Paylight:0.1/",
        101,
        False,
    )


MESSAGES = [
    _version(),
    m.Verack(),
    m.SendHeaders(),
    m.WtxidRelay(),
    m.SendAddrV2(),
    m.GetAddr(),
    m.MempoolRequest(),
    m.Ping(7),
    m.Pong(2**64 - 1),
    m.Addr((m.NetAddr("10.0.0.1", 8333, m.NODE_NETWORK, 1_700_000_000),)),
    m.AddrV2(
        (
            m.AddrV2Entry(1, m.NODE_NETWORK | m.NODE_WITNESS, 1, bytes([1, 2, 3, 4]), 8333),
            m.AddrV2Entry(2, 1 << 40, 4, bytes(32), 9050),
        )
    ),
    m.Inv((m.InvItem(m.MSG_WTX, bytes(range(32))), m.InvItem(m.MSG_BLOCK, bytes(32)))),
    m.GetData((m.InvItem(m.MSG_WITNESS_BLOCK, bytes(32)),)),
    m.NotFound((m.InvItem(m.MSG_WITNESS_TX, bytes(32)),)),
    m.GetHeaders((bytes(32), bytes([1]) * 32)),
    m.GetCFilters(5, bytes([9]) * 32),
    m.GetCFHeaders(0, bytes([9]) * 32),
    m.CFilter(bytes([3]) * 32, build_filter(bytes([3]) * 32, [b"\x51"])),
    m.CFHeaders(bytes(32), bytes([1]) * 32, (bytes([2]) * 32, bytes([3]) * 32)),
    m.GetCFCheckpt(bytes([4]) * 32),
    m.CFCheckpt(bytes([4]) * 32, (bytes([5]) * 32,)),
]


@pytest.mark.parametrize("msg", MESSAGES, ids=lambda x: x.command)
def test_every_message_round_trips(msg):
    roundtrip(msg)


def test_real_blocks_and_headers_round_trip():
    raw = shared_path("data/blocks/mainnet/bitcoin-core_block413567.raw").read_bytes()
    got = roundtrip(m.BlockMessage(Block.parse(raw), raw))
    assert got.block.header.hash_hex.startswith("0000")
    got.block.check_merkle_root()
    assert got.payload() == raw
    tx = got.block.transactions[1]
    assert roundtrip(m.TxMessage(tx, tx.serialize())).tx.txid() == tx.txid()
    headers = shared_path("data/headers/mainnet/mainnet_headers_0080001_0100000.bin").read_bytes()
    msg = m.Headers(tuple(headers[o : o + 80] for o in range(0, 2000 * 80, 80)))
    assert roundtrip(msg).raw() == headers[: 2000 * 80]


def test_frames_are_checked():
    data = m.Ping(1).frame(MAINNET.magic)
    with pytest.raises(m.MessageError, match="magic"):
        m.decode_frame(data, REGTEST.magic)
    bad = bytearray(data)
    bad[-1] ^= 1
    with pytest.raises(m.MessageError, match="checksum"):
        m.decode_frame(bytes(bad), MAINNET.magic)
    huge = (
        MAINNET.magic + b"block".ljust(12, b"\x00") + (4_000_001).to_bytes(4, "little") + bytes(4)
    )
    with pytest.raises(m.MessageError, match="over the 4,000,000-byte limit"):
        m.parse_frame_header(huge, MAINNET.magic)
    with pytest.raises(m.MessageError, match="printable"):
        m.parse_frame_header(
            MAINNET.magic + b"pi\x00ng".ljust(12, b"\x00") + bytes(8), MAINNET.magic
        )
    with pytest.raises(m.MessageError, match="cut short"):
        m.decode_frame(data[:-1], MAINNET.magic)


def test_bounds_on_counts():
    with pytest.raises(m.MessageError, match="at most 2000"):
        m.decode_payload("headers", b"\xfd\xd1\x07" + bytes(81 * 2001))
    with pytest.raises(m.MessageError, match="carries transactions"):
        m.decode_payload("headers", b"\x01" + bytes(80) + b"\x01")
    with pytest.raises(m.MessageError, match="at most 101"):
        m.decode_payload("getheaders", bytes(4) + b"\x66" + bytes(32 * 103))
    with pytest.raises(m.MessageError, match="cannot fit"):
        m.decode_payload("inv", b"\xfe\xff\xff\xff\x00" + bytes(36))
    with pytest.raises(m.MessageError, match="filter type 1"):
        m.decode_payload("getcfilters", b"\x01" + bytes(36))
    with pytest.raises(m.MessageError, match="trailing"):
        m.decode_payload("ping", bytes(9))
    assert m.decode_payload("feefilter", bytes(8)) == m.Unknown("feefilter", bytes(8))


@given(st.sampled_from(sorted(m.MESSAGES)), st.binary(max_size=400))
def test_hostile_payloads_give_only_message_errors(command, payload):
    try:
        msg = m.decode_payload(command, payload)
    except m.MessageError:
        return
    assert msg.command == command


@given(st.sampled_from(MESSAGES), st.data())
def test_mutated_valid_payloads_give_only_message_errors(msg, data):
    payload = bytearray(msg.payload())
    if payload:
        for _ in range(data.draw(st.integers(1, 4))):
            i = data.draw(st.integers(0, len(payload) - 1))
            payload[i] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(payload)))
    for candidate in (bytes(payload), bytes(payload[:cut])):
        with contextlib.suppress(m.MessageError):
            m.decode_payload(msg.command, candidate)


@given(st.binary(max_size=64))
def test_hostile_frames_give_only_message_errors(data):
    with contextlib.suppress(m.MessageError):
        m.decode_frame(MAINNET.magic + data, MAINNET.magic)


def test_service_names():
    assert m.service_names(m.NODE_NETWORK | m.NODE_WITNESS | m.NODE_COMPACT_FILTERS) == [
        "NETWORK",
        "WITNESS",
        "COMPACT_FILTERS",
    ]
    assert m.service_names(1 << 24) == ["bit 24"]
