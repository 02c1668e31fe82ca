"""``ur:type/body`` strings, single and multi-part (BCR-2020-005).

A single-part UR is the CBOR of its type in minimal bytewords; a multi-part one is
``ur:type/SEQ-LEN/part`` where ``part`` is a fountain part (CBOR, minimal bytewords). Text is
read case-insensitively, since a QR code in alphanumeric mode carries it in capitals.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from wallet.payments.qr_errors import AnimatedQRError
from wallet.payments.ur import bytewords
from wallet.payments.ur.fountain import FountainDecoder, FountainEncoder, Part

_TYPE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


@dataclass(frozen=True)
class UR:
    """A decoded UR: its type (``crypto-psbt``...) and CBOR payload."""

    type: str
    cbor: bytes

    def __post_init__(self) -> None:
        if not self.type or not set(self.type) <= _TYPE_CHARS:
            raise AnimatedQRError(f"{self.type!r} is not a UR type (letters, digits and -).")


def encode_single(ur: UR) -> str:
    """The one-frame form, ``ur:type/bytewords``."""
    return f"ur:{ur.type}/{bytewords.encode(ur.cbor)}"


def encode_part(ur_type: str, part: Part) -> str:
    return f"ur:{ur_type}/{part.seq_num}-{part.seq_len}/{bytewords.encode(part.cbor())}"


def is_ur(text: str) -> bool:
    return text.strip()[:3].lower() == "ur:"


def parse(text: str) -> tuple[str, list[str]]:
    """``(type, path components after the type)`` of a ``ur:`` string."""
    low = text.strip().lower()
    if not low.startswith("ur:"):
        raise AnimatedQRError("This is not a UR: it does not start with ur:.")
    components = [c for c in low[3:].split("/") if c]
    if len(components) < 2:
        raise AnimatedQRError("The UR has no payload after its type.")
    ur_type = components[0]
    if not set(ur_type) <= _TYPE_CHARS:
        raise AnimatedQRError(f"{ur_type!r} is not a UR type.")
    return ur_type, components[1:]


def decode_single(text: str) -> UR:
    """A single-part UR; a multi-part one needs :class:`URDecoder`."""
    ur_type, rest = parse(text)
    if len(rest) != 1:
        raise AnimatedQRError("This UR is one part of an animated code; scan all of it.")
    return UR(ur_type, bytewords.decode(rest[0]))


def parse_sequence(text: str) -> tuple[int, int]:
    num, sep, length = text.partition("-")
    if not (sep and num.isdigit() and length.isdigit()):
        raise AnimatedQRError(f"{text!r} is not a UR sequence like 3-10.")
    seq_num, seq_len = int(num), int(length)
    if seq_num < 1 or seq_len < 1 or seq_num >= 2**32:
        raise AnimatedQRError(f"{text!r} is not a valid UR sequence.")
    return seq_num, seq_len


class UREncoder:
    """The frames of a UR: one string when it fits one fragment, else fountain parts
    without end (the first ``seq_len`` of them hold the message once over)."""

    def __init__(
        self,
        ur: UR,
        max_fragment_len: int = 200,
        first_seq_num: int = 0,
        min_fragment_len: int = 10,
    ) -> None:
        self.ur = ur
        self.fountain = FountainEncoder(ur.cbor, max_fragment_len, first_seq_num, min_fragment_len)

    @property
    def is_single_part(self) -> bool:
        return self.fountain.is_single_part

    @property
    def seq_len(self) -> int:
        return self.fountain.seq_len

    def next_part(self) -> str:
        part = self.fountain.next_part()
        if self.is_single_part:
            return encode_single(self.ur)
        return encode_part(self.ur.type, part)

    def parts(self, count: int | None = None) -> Iterator[str]:
        """``count`` frames (default: one round of ``seq_len``, or 1 for a single part)."""
        total = count if count is not None else self.seq_len
        for _ in range(total):
            yield self.next_part()


class URDecoder:
    """Receives the frames of one UR in any order, with duplicates and gaps."""

    def __init__(self) -> None:
        self.type: str | None = None
        self.fountain = FountainDecoder()
        self.result: UR | None = None

    @property
    def is_complete(self) -> bool:
        return self.result is not None

    def receive(self, text: str) -> bool:
        """Take one frame; False when it is ignored (another UR's frame, or already done).

        A malformed frame (bad checksum, not a UR) raises :class:`AnimatedQRError`.
        """
        if self.result is not None:
            return False
        ur_type, rest = parse(text)
        if self.type is not None and ur_type != self.type:
            return False
        if len(rest) == 1:
            self.type = ur_type
            self.result = UR(ur_type, bytewords.decode(rest[0]))
            return True
        if len(rest) != 2:
            raise AnimatedQRError("A UR part has too many path components.")
        seq_num, seq_len = parse_sequence(rest[0])
        part = Part.from_cbor(bytewords.decode(rest[1]))
        if (seq_num, seq_len) != (part.seq_num, part.seq_len):
            raise AnimatedQRError("A UR part's sequence does not match its contents.")
        if not self.fountain.receive(part):
            return False
        self.type = ur_type
        if self.fountain.result is not None:
            self.result = UR(ur_type, self.fountain.result)
        return True
