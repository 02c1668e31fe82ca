"""Frames over asyncio streams: one message read or written (shared by the client and the
playground's listeners). The codec itself is :mod:`wallet.p2p.messages`."""

from __future__ import annotations

import asyncio

from wallet.p2p.messages import (
    HEADER_LEN,
    MAX_PAYLOAD,
    Message,
    check_payload,
    decode_payload,
    parse_frame_header,
)


class StreamClosed(Exception):
    """The other side closed the connection (between or inside a frame)."""


async def read_message(
    reader: asyncio.StreamReader, magic: bytes, max_payload: int = MAX_PAYLOAD
) -> tuple[Message, int]:
    """The next message and its size on the wire; :class:`MessageError` if malformed."""
    try:
        head = await reader.readexactly(HEADER_LEN)
    except asyncio.IncompleteReadError as exc:
        raise StreamClosed("closed" if not exc.partial else "closed inside a frame") from None
    header = parse_frame_header(head, magic, max_payload)
    try:
        payload = await reader.readexactly(header.length)
    except asyncio.IncompleteReadError:
        raise StreamClosed(f"closed inside a {header.command} message") from None
    check_payload(header, payload)
    return decode_payload(header.command, payload), HEADER_LEN + header.length


def write_message(writer: asyncio.StreamWriter, magic: bytes, message: Message) -> int:
    """Queue one message; returns its size on the wire (the caller drains)."""
    data = message.frame(magic)
    writer.write(data)
    return len(data)
