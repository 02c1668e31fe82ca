"""The Bitcoin P2P message codec: framing and every message a compact-filter light node uses.

Pure: bytes in, objects out, and back. A frame is a 24-byte header (the network's magic, a
12-byte NUL-padded command, the payload length, the first 4 bytes of the payload's sha256d)
then the payload. Every payload is read through :class:`~wallet.bitcoin.serialize.ByteReader`
with a bound on each count (Bitcoin Core's limits), so a hostile peer's bytes give a
:class:`MessageError` naming the command, never another exception. Commands this codec does not
know decode to :class:`Unknown` (peers send ``feefilter``, ``sendcmpct``... which a light node
may ignore).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import ClassVar

from wallet.bitcoin.errors import DecodeError
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.serialize import ByteReader, encode_bytes, encode_varint
from wallet.bitcoin.transaction import Transaction
from wallet.spv.header import HEADER_SIZE
from wallet.spv.merkle import Block

HEADER_LEN = 24
#: Bitcoin Core's MAX_PROTOCOL_MESSAGE_LENGTH: no message may be larger (a block is below it).
MAX_PAYLOAD = 4_000_000
PROTOCOL_VERSION = 70016  # wtxidrelay (BIP339) and later
MIN_PEER_VERSION = 70013  # feefilter; compact filters need 70015+ in practice
MAX_INV = 50_000
MAX_ADDR = 1_000
MAX_HEADERS = 2_000
MAX_LOCATOR = 101
MAX_USER_AGENT = 256
MAX_CFHEADERS = 2_000
MAX_FILTER_BYTES = MAX_PAYLOAD

# service bits
NODE_NETWORK = 1 << 0
NODE_BLOOM = 1 << 2
NODE_WITNESS = 1 << 3
NODE_COMPACT_FILTERS = 1 << 6
NODE_NETWORK_LIMITED = 1 << 10
SERVICE_NAMES = {
    NODE_NETWORK: "NETWORK",
    NODE_BLOOM: "BLOOM",
    NODE_WITNESS: "WITNESS",
    NODE_COMPACT_FILTERS: "COMPACT_FILTERS",
    NODE_NETWORK_LIMITED: "NETWORK_LIMITED",
}

# inventory types
MSG_TX = 1
MSG_BLOCK = 2
MSG_FILTERED_BLOCK = 3
MSG_CMPCT_BLOCK = 4
MSG_WTX = 5
MSG_WITNESS_FLAG = 1 << 30
MSG_WITNESS_TX = MSG_TX | MSG_WITNESS_FLAG
MSG_WITNESS_BLOCK = MSG_BLOCK | MSG_WITNESS_FLAG

BASIC_FILTER = 0


class MessageError(DecodeError):
    """A frame or payload that breaks the protocol (the peer's fault)."""


def service_names(services: int) -> list[str]:
    """Readable names of the service bits set (unknown bits as ``bit N``)."""
    names = []
    for bit in range(64):
        if services >> bit & 1:
            names.append(SERVICE_NAMES.get(1 << bit, f"bit {bit}"))
    return names


# -- framing ------------------------------------------------------------------------------------


def checksum(payload: bytes) -> bytes:
    return sha256d(payload)[:4]


def frame(magic: bytes, command: str, payload: bytes) -> bytes:
    """A whole frame: header then payload."""
    name = command.encode("ascii")
    if len(name) > 12:
        raise ValueError(f"command {command!r} is longer than 12 bytes")
    if len(payload) > MAX_PAYLOAD:
        raise ValueError(f"a {command} payload of {len(payload)} bytes is over the limit")
    return (
        magic
        + name.ljust(12, b"\x00")
        + len(payload).to_bytes(4, "little")
        + checksum(payload)
        + payload
    )


@dataclass(frozen=True)
class FrameHeader:
    command: str
    length: int
    checksum: bytes


def parse_frame_header(data: bytes, magic: bytes, max_payload: int = MAX_PAYLOAD) -> FrameHeader:
    """Check a 24-byte frame header: magic, command spelling, payload length."""
    if len(data) != HEADER_LEN:
        raise MessageError(f"a frame header is {HEADER_LEN} bytes, got {len(data)}")
    if data[:4] != magic:
        raise MessageError(
            f"the frame starts with magic {data[:4].hex()}, not this network's {magic.hex()} "
            "(a peer of another network?)"
        )
    raw = data[4:16]
    name = raw.rstrip(b"\x00")
    if b"\x00" in name or not all(0x20 < c < 0x7F for c in name):
        raise MessageError(f"the command {raw!r} is not NUL-padded printable ASCII")
    length = int.from_bytes(data[16:20], "little")
    if length > max_payload:
        raise MessageError(
            f"a {name.decode()} message of {length:,} bytes is over the {max_payload:,}-byte limit"
        )
    return FrameHeader(name.decode(), length, data[20:24])


def check_payload(header: FrameHeader, payload: bytes) -> None:
    if len(payload) != header.length:
        raise MessageError(f"the {header.command} payload is cut short")
    if checksum(payload) != header.checksum:
        raise MessageError(f"the {header.command} payload does not match its checksum")


# -- messages -----------------------------------------------------------------------------------


class Message:
    """Base of every message: ``command``, ``payload()`` and ``read(reader)``."""

    command: ClassVar[str] = ""

    def payload(self) -> bytes:
        return b""

    @classmethod
    def read(cls, r: ByteReader) -> Message:
        return cls()

    def frame(self, magic: bytes) -> bytes:
        return frame(magic, self.command, self.payload())


def _empty(name: str) -> type[Message]:
    @dataclass(frozen=True)
    class Empty(Message):
        command: ClassVar[str] = name

    Empty.__name__ = Empty.__qualname__ = "".join(p.title() for p in name.split("_")) or name
    return Empty


Verack = _empty("verack")
SendHeaders = _empty("sendheaders")
WtxidRelay = _empty("wtxidrelay")
SendAddrV2 = _empty("sendaddrv2")
GetAddr = _empty("getaddr")
MempoolRequest = _empty("mempool")


@dataclass(frozen=True)
class NetAddr:
    """A peer address as ``addr`` and ``version`` carry it (IPv4 mapped into IPv6)."""

    host: str
    port: int
    services: int = 0
    time: int = 0

    def ip16(self) -> bytes:
        ip = ipaddress.ip_address(self.host)
        if ip.version == 4:
            return bytes(10) + b"\xff\xff" + ip.packed
        return ip.packed

    def serialize(self, with_time: bool = True) -> bytes:
        head = self.time.to_bytes(4, "little") if with_time else b""
        return (
            head + self.services.to_bytes(8, "little") + self.ip16() + self.port.to_bytes(2, "big")
        )

    @classmethod
    def read(cls, r: ByteReader, with_time: bool = True) -> NetAddr:
        t = r.u32() if with_time else 0
        services = r.u64()
        raw = r.read(16)
        port = int.from_bytes(r.read(2), "big")
        ip = ipaddress.IPv6Address(raw)
        host = str(ip.ipv4_mapped) if ip.ipv4_mapped is not None else str(ip)
        return cls(host, port, services, t)


@dataclass(frozen=True)
class Version(Message):
    command: ClassVar[str] = "version"
    version: int
    services: int
    timestamp: int
    receiver: NetAddr
    sender: NetAddr
    nonce: int
    user_agent: str
    start_height: int
    relay: bool = True

    def payload(self) -> bytes:
        return (
            self.version.to_bytes(4, "little", signed=True)
            + self.services.to_bytes(8, "little")
            + self.timestamp.to_bytes(8, "little", signed=True)
            + self.receiver.serialize(with_time=False)
            + self.sender.serialize(with_time=False)
            + self.nonce.to_bytes(8, "little")
            + encode_bytes(self.user_agent.encode("utf-8"))
            + self.start_height.to_bytes(4, "little", signed=True)
            + (b"\x01" if self.relay else b"\x00")
        )

    @classmethod
    def read(cls, r: ByteReader) -> Version:
        version = r.i32()
        services = r.u64()
        timestamp = r.i64()
        receiver = NetAddr.read(r, with_time=False)
        sender = NetAddr.read(r, with_time=False)
        nonce = r.u64()
        agent = r.var_bytes(MAX_USER_AGENT).decode("utf-8", "replace")
        height = r.i32()
        relay = True if r.at_end() else bool(r.u8())
        return cls(version, services, timestamp, receiver, sender, nonce, agent, height, relay)


@dataclass(frozen=True)
class Ping(Message):
    command: ClassVar[str] = "ping"
    nonce: int

    def payload(self) -> bytes:
        return self.nonce.to_bytes(8, "little")

    @classmethod
    def read(cls, r: ByteReader) -> Ping:
        return cls(r.u64())


@dataclass(frozen=True)
class Pong(Ping):
    command: ClassVar[str] = "pong"


@dataclass(frozen=True)
class Addr(Message):
    command: ClassVar[str] = "addr"
    addresses: tuple[NetAddr, ...]

    def payload(self) -> bytes:
        return encode_varint(len(self.addresses)) + b"".join(a.serialize() for a in self.addresses)

    @classmethod
    def read(cls, r: ByteReader) -> Addr:
        n = r.count(30)
        if n > MAX_ADDR:
            raise r.error(f"{n} addresses in one message (at most {MAX_ADDR})")
        return cls(tuple(NetAddr.read(r) for _ in range(n)))


#: BIP155 network ids and their address lengths
ADDRV2_NETWORKS = {
    1: ("ipv4", 4),
    2: ("ipv6", 16),
    4: ("torv3", 32),
    5: ("i2p", 32),
    6: ("cjdns", 16),
}


@dataclass(frozen=True)
class AddrV2Entry:
    time: int
    services: int
    network_id: int
    address: bytes
    port: int

    @property
    def host(self) -> str | None:
        """The IP address as text (None for Tor, I2P and unknown networks)."""
        if self.network_id == 1 and len(self.address) == 4:
            return str(ipaddress.IPv4Address(self.address))
        if self.network_id in (2, 6) and len(self.address) == 16:
            return str(ipaddress.IPv6Address(self.address))
        return None

    def serialize(self) -> bytes:
        return (
            self.time.to_bytes(4, "little")
            + encode_varint(self.services)
            + bytes([self.network_id])
            + encode_bytes(self.address)
            + self.port.to_bytes(2, "big")
        )


@dataclass(frozen=True)
class AddrV2(Message):
    command: ClassVar[str] = "addrv2"
    entries: tuple[AddrV2Entry, ...]

    def payload(self) -> bytes:
        return encode_varint(len(self.entries)) + b"".join(e.serialize() for e in self.entries)

    @classmethod
    def read(cls, r: ByteReader) -> AddrV2:
        n = r.count(9)
        if n > MAX_ADDR:
            raise r.error(f"{n} addresses in one message (at most {MAX_ADDR})")
        out = []
        for _ in range(n):
            t = r.u32()
            services = r.varint()
            net = r.u8()
            address = r.var_bytes(512)  # BIP155: MAX_ADDRV2_SIZE
            known = ADDRV2_NETWORKS.get(net)
            if known is not None and len(address) != known[1]:
                raise r.error(f"a {known[0]} address of {len(address)} bytes")
            out.append(AddrV2Entry(t, services, net, address, int.from_bytes(r.read(2), "big")))
        return cls(tuple(out))


@dataclass(frozen=True)
class InvItem:
    type: int
    hash: bytes


@dataclass(frozen=True)
class Inv(Message):
    command: ClassVar[str] = "inv"
    items: tuple[InvItem, ...]

    def payload(self) -> bytes:
        return encode_varint(len(self.items)) + b"".join(
            i.type.to_bytes(4, "little") + i.hash for i in self.items
        )

    @classmethod
    def read(cls, r: ByteReader) -> Inv:
        n = r.count(36)
        if n > MAX_INV:
            raise r.error(f"{n} inventory items in one message (at most {MAX_INV})")
        return cls(tuple(InvItem(r.u32(), r.read(32)) for _ in range(n)))


@dataclass(frozen=True)
class GetData(Inv):
    command: ClassVar[str] = "getdata"


@dataclass(frozen=True)
class NotFound(Inv):
    command: ClassVar[str] = "notfound"


@dataclass(frozen=True)
class GetHeaders(Message):
    command: ClassVar[str] = "getheaders"
    locator: tuple[bytes, ...]
    stop: bytes = bytes(32)
    version: int = PROTOCOL_VERSION

    def payload(self) -> bytes:
        return (
            self.version.to_bytes(4, "little")
            + encode_varint(len(self.locator))
            + b"".join(self.locator)
            + self.stop
        )

    @classmethod
    def read(cls, r: ByteReader) -> GetHeaders:
        version = r.u32()
        n = r.count(32)
        if n > MAX_LOCATOR:
            raise r.error(f"a locator of {n} hashes (at most {MAX_LOCATOR})")
        locator = tuple(r.read(32) for _ in range(n))
        return cls(locator, r.read(32), version)


@dataclass(frozen=True)
class Headers(Message):
    command: ClassVar[str] = "headers"
    headers: tuple[bytes, ...]

    def payload(self) -> bytes:
        return encode_varint(len(self.headers)) + b"".join(h + b"\x00" for h in self.headers)

    @classmethod
    def read(cls, r: ByteReader) -> Headers:
        n = r.count(HEADER_SIZE + 1)
        if n > MAX_HEADERS:
            raise r.error(f"{n} headers in one message (at most {MAX_HEADERS})")
        out = []
        for _ in range(n):
            out.append(r.read(HEADER_SIZE))
            if r.varint() != 0:
                raise r.error("a header in a headers message carries transactions")
        return cls(tuple(out))

    def raw(self) -> bytes:
        return b"".join(self.headers)


@dataclass(frozen=True)
class TxMessage(Message):
    command: ClassVar[str] = "tx"
    tx: Transaction
    raw: bytes = field(default=b"", compare=False)

    def payload(self) -> bytes:
        return self.raw or self.tx.serialize()

    @classmethod
    def read(cls, r: ByteReader) -> TxMessage:
        start = r.pos
        tx = Transaction.read(r)
        return cls(tx, bytes(r.data[start : r.pos]))


@dataclass(frozen=True)
class BlockMessage(Message):
    command: ClassVar[str] = "block"
    block: Block
    raw: bytes = field(default=b"", compare=False)

    def payload(self) -> bytes:
        if self.raw:
            return self.raw
        txs = self.block.transactions
        return (
            self.block.header.serialize()
            + encode_varint(len(txs))
            + b"".join(t.serialize() for t in txs)
        )

    @classmethod
    def read(cls, r: ByteReader) -> BlockMessage:
        raw = bytes(r.data[r.pos :])
        r.pos = len(r.data)
        return cls(Block.parse(raw), raw)


def _filter_type(r: ByteReader) -> int:
    t = r.u8()
    if t != BASIC_FILTER:
        raise r.error(f"filter type {t} (only basic filters, type 0, exist)")
    return t


@dataclass(frozen=True)
class GetCFilters(Message):
    command: ClassVar[str] = "getcfilters"
    start_height: int
    stop_hash: bytes
    filter_type: int = BASIC_FILTER

    def payload(self) -> bytes:
        return bytes([self.filter_type]) + self.start_height.to_bytes(4, "little") + self.stop_hash

    @classmethod
    def read(cls, r: ByteReader) -> GetCFilters:
        t = _filter_type(r)
        return cls(r.u32(), r.read(32), t)


@dataclass(frozen=True)
class GetCFHeaders(GetCFilters):
    command: ClassVar[str] = "getcfheaders"


@dataclass(frozen=True)
class CFilter(Message):
    command: ClassVar[str] = "cfilter"
    block_hash: bytes
    filter: bytes
    filter_type: int = BASIC_FILTER

    def payload(self) -> bytes:
        return bytes([self.filter_type]) + self.block_hash + encode_bytes(self.filter)

    @classmethod
    def read(cls, r: ByteReader) -> CFilter:
        t = _filter_type(r)
        return cls(r.read(32), r.var_bytes(MAX_FILTER_BYTES), t)


@dataclass(frozen=True)
class CFHeaders(Message):
    command: ClassVar[str] = "cfheaders"
    stop_hash: bytes
    previous_header: bytes
    filter_hashes: tuple[bytes, ...]
    filter_type: int = BASIC_FILTER

    def payload(self) -> bytes:
        return (
            bytes([self.filter_type])
            + self.stop_hash
            + self.previous_header
            + encode_varint(len(self.filter_hashes))
            + b"".join(self.filter_hashes)
        )

    @classmethod
    def read(cls, r: ByteReader) -> CFHeaders:
        t = _filter_type(r)
        stop, prev = r.read(32), r.read(32)
        n = r.count(32)
        if n > MAX_CFHEADERS:
            raise r.error(f"{n} filter hashes in one message (at most {MAX_CFHEADERS})")
        return cls(stop, prev, tuple(r.read(32) for _ in range(n)), t)


@dataclass(frozen=True)
class GetCFCheckpt(Message):
    command: ClassVar[str] = "getcfcheckpt"
    stop_hash: bytes
    filter_type: int = BASIC_FILTER

    def payload(self) -> bytes:
        return bytes([self.filter_type]) + self.stop_hash

    @classmethod
    def read(cls, r: ByteReader) -> GetCFCheckpt:
        t = _filter_type(r)
        return cls(r.read(32), t)


@dataclass(frozen=True)
class CFCheckpt(Message):
    command: ClassVar[str] = "cfcheckpt"
    stop_hash: bytes
    headers: tuple[bytes, ...]
    filter_type: int = BASIC_FILTER

    def payload(self) -> bytes:
        return (
            bytes([self.filter_type])
            + self.stop_hash
            + encode_varint(len(self.headers))
            + b"".join(self.headers)
        )

    @classmethod
    def read(cls, r: ByteReader) -> CFCheckpt:
        t = _filter_type(r)
        stop = r.read(32)
        n = r.count(32)
        return cls(stop, tuple(r.read(32) for _ in range(n)), t)


@dataclass(frozen=True)
class Unknown(Message):
    """A command this codec does not interpret (kept whole, for the record)."""

    name: str
    data: bytes

    @property
    def command(self) -> str:  # type: ignore[override]
        return self.name

    def payload(self) -> bytes:
        return self.data


MESSAGES: dict[str, type[Message]] = {
    m.command: m
    for m in (
        Version,
        Verack,
        SendHeaders,
        WtxidRelay,
        SendAddrV2,
        GetAddr,
        MempoolRequest,
        Ping,
        Pong,
        Addr,
        AddrV2,
        Inv,
        GetData,
        NotFound,
        GetHeaders,
        Headers,
        TxMessage,
        BlockMessage,
        GetCFilters,
        GetCFHeaders,
        CFilter,
        CFHeaders,
        GetCFCheckpt,
        CFCheckpt,
    )
}


def decode_payload(command: str, payload: bytes) -> Message:
    """The message a payload holds; :class:`MessageError` for anything malformed."""
    cls = MESSAGES.get(command)
    if cls is None:
        return Unknown(command, bytes(payload))
    r = ByteReader(payload, MessageError)
    try:
        msg = cls.read(r)
        r.expect_end(f"{command} message")
    except MessageError as exc:
        raise MessageError(f"bad {command} message: {exc}") from None
    except (DecodeError, ValueError, UnicodeError) as exc:
        raise MessageError(f"bad {command} message: {exc}") from None
    return msg


def decode_frame(data: bytes, magic: bytes) -> tuple[Message, int]:
    """The first whole frame in ``data`` and the bytes it used (for tests and recordings)."""
    header = parse_frame_header(data[:HEADER_LEN], magic)
    end = HEADER_LEN + header.length
    payload = data[HEADER_LEN:end]
    check_payload(header, payload)
    return decode_payload(header.command, payload), end
