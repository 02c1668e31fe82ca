"""The UR fountain code: a message cut into equal fragments, sent as an endless run of parts.

The first ``seq_len`` parts carry one fragment each; every later part XORs a pseudo-random set
of fragments chosen from its sequence number (``xoshiro.choose_fragments``). A reader that
misses frames keeps scanning: any large enough set of parts, in any order and with duplicates,
resolves to the message, whose CRC32 is checked at the end.

Fragments are held as Python integers, so XOR-ing two of them is one operation whatever
their length.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass

from wallet.payments.qr_errors import AnimatedQRError
from wallet.payments.ur import cbor
from wallet.payments.ur.xoshiro import choose_fragments

#: Larger messages are refused: a PSBT is at most 16 MiB and no signer sends one this big.
MAX_MESSAGE = 16 * 1024 * 1024
MAX_SEQ_LEN = 100_000


def nominal_fragment_length(message_len: int, min_len: int, max_len: int) -> int:
    """The fragment length the reference picks: the fewest equal fragments of at most
    ``max_len`` bytes, but no more fragments than ``message_len // min_len``."""
    if message_len <= 0 or min_len <= 0 or max_len < min_len:
        raise ValueError("need a non-empty message and 0 < min_len <= max_len")
    max_count = max(1, message_len // min_len)
    length = message_len
    for count in range(1, max_count + 1):
        length = math.ceil(message_len / count)
        if length <= max_len:
            break
    return length


def partition(message: bytes, fragment_len: int) -> list[bytes]:
    """``message`` in ``fragment_len`` pieces, the last padded with zero bytes."""
    return [
        message[i : i + fragment_len].ljust(fragment_len, b"\0")
        for i in range(0, len(message), fragment_len)
    ]


@dataclass(frozen=True)
class Part:
    """One fountain part: CBOR ``[seqNum, seqLen, messageLen, checksum, data]``."""

    seq_num: int
    seq_len: int
    message_len: int
    checksum: int
    data: bytes

    def cbor(self) -> bytes:
        return cbor.encode([self.seq_num, self.seq_len, self.message_len, self.checksum, self.data])

    @classmethod
    def from_cbor(cls, raw: bytes) -> Part:
        value = cbor.decode(raw)
        if not (isinstance(value, list) and len(value) == 5):
            raise AnimatedQRError("A UR part does not hold the five fountain-code fields.")
        seq_num, seq_len, message_len, checksum, data = value
        numbers = (seq_num, seq_len, message_len, checksum)
        if not all(isinstance(n, int) and not isinstance(n, bool) for n in numbers):
            raise AnimatedQRError("A UR part's header fields are not numbers.")
        if not isinstance(data, bytes) or not data:
            raise AnimatedQRError("A UR part holds no fragment.")
        if not (0 < seq_num < 2**32 and 0 < seq_len <= MAX_SEQ_LEN and 0 <= checksum < 2**32):
            raise AnimatedQRError("A UR part's sequence numbers are out of range.")
        if not 0 < message_len <= MAX_MESSAGE:
            raise AnimatedQRError("A UR part announces a message of an impossible size.")
        if not (seq_len - 1) * len(data) < message_len <= seq_len * len(data):
            raise AnimatedQRError("A UR part's fragment size does not fit its message size.")
        return cls(seq_num, seq_len, message_len, checksum, data)

    def description(self) -> str:
        """As the reference's test vectors print a part."""
        return (
            f"seqNum:{self.seq_num}, seqLen:{self.seq_len}, messageLen:{self.message_len}, "
            f"checksum:{self.checksum}, data:{self.data.hex()}"
        )


class FountainEncoder:
    """Parts of ``message`` without end: the fragments themselves, then mixes of them."""

    def __init__(
        self,
        message: bytes,
        max_fragment_len: int,
        first_seq_num: int = 0,
        min_fragment_len: int = 10,
    ) -> None:
        if not 0 < len(message) <= MAX_MESSAGE:
            raise ValueError("the message must be 1 byte to 16 MiB")
        self.message_len = len(message)
        self.checksum = zlib.crc32(message)
        self.fragment_len = nominal_fragment_length(
            len(message), min_fragment_len, max_fragment_len
        )
        self.fragments = [
            int.from_bytes(f, "big") for f in partition(bytes(message), self.fragment_len)
        ]
        self.seq_num = first_seq_num

    @property
    def seq_len(self) -> int:
        return len(self.fragments)

    @property
    def is_single_part(self) -> bool:
        return self.seq_len == 1

    @property
    def is_complete(self) -> bool:
        """Every fragment was sent on its own at least once."""
        return self.seq_num >= self.seq_len

    def next_part(self) -> Part:
        self.seq_num = (self.seq_num + 1) & 0xFFFFFFFF or 1
        mixed = 0
        for index in choose_fragments(self.seq_num, self.seq_len, self.checksum):
            mixed ^= self.fragments[index]
        data = mixed.to_bytes(self.fragment_len, "big")
        return Part(self.seq_num, self.seq_len, self.message_len, self.checksum, data)


class FountainDecoder:
    """Collects parts in any order (duplicates and unusable ones are ignored) until the
    message is known and its CRC32 checks out."""

    def __init__(self) -> None:
        self.seq_len: int | None = None
        self.message_len = 0
        self.checksum = 0
        self.fragment_len = 0
        self.simple: dict[int, int] = {}  # fragment index -> fragment
        self.mixed: dict[frozenset[int], int] = {}
        self.parts_seen = 0
        self.result: bytes | None = None

    @property
    def is_complete(self) -> bool:
        return self.result is not None

    @property
    def fragments_known(self) -> int:
        return len(self.simple)

    def estimated_progress(self) -> float:
        """0..1: fragments recovered so far, out of the message's fragments."""
        if self.result is not None:
            return 1.0
        if not self.seq_len:
            return 0.0
        return min(0.99, len(self.simple) / self.seq_len)

    def _accepts(self, part: Part) -> bool:
        if self.seq_len is None:
            self.seq_len = part.seq_len
            self.message_len = part.message_len
            self.checksum = part.checksum
            self.fragment_len = len(part.data)
            return True
        return (
            part.seq_len == self.seq_len
            and part.message_len == self.message_len
            and part.checksum == self.checksum
            and len(part.data) == self.fragment_len
        )

    def receive(self, part: Part) -> bool:
        """Take a part; False if it belongs to another message (or the message is done)."""
        if self.result is not None or not self._accepts(part):
            return False
        self.parts_seen += 1
        assert self.seq_len is not None
        indexes = choose_fragments(part.seq_num, part.seq_len, part.checksum)
        queue = [(indexes, int.from_bytes(part.data, "big"))]
        while queue and self.result is None:
            indexes, value = queue.pop()
            if len(indexes) == 1:
                self._simple(next(iter(indexes)), value, queue)
            else:
                self._mixed(indexes, value, queue)
        return True

    def _simple(self, index: int, value: int, queue: list) -> None:
        if index in self.simple:
            return
        self.simple[index] = value
        if len(self.simple) == self.seq_len:
            self._finish()
            return
        for indexes in [k for k in self.mixed if index in k]:
            mixed = self.mixed.pop(indexes)
            rest = indexes - {index}
            if len(rest) == 1:
                queue.append((rest, mixed ^ value))
            else:
                self.mixed[rest] = mixed ^ value

    def _mixed(self, indexes: frozenset[int], value: int, queue: list) -> None:
        for index in indexes & self.simple.keys():
            value ^= self.simple[index]
        indexes = frozenset(indexes - self.simple.keys())
        if not indexes or indexes in self.mixed:
            return
        for other, other_value in list(self.mixed.items()):  # reduce by subsets of this part
            if other < indexes:
                indexes, value = indexes - other, value ^ other_value
        if len(indexes) == 1:
            queue.append((indexes, value))
            return
        if indexes in self.mixed:
            return
        for other in [k for k in self.mixed if indexes < k]:  # and reduce parts it is part of
            reduced, reduced_value = other - indexes, self.mixed.pop(other) ^ value
            if len(reduced) == 1:
                queue.append((reduced, reduced_value))
            elif reduced not in self.mixed:
                self.mixed[reduced] = reduced_value
        self.mixed[indexes] = value

    def _finish(self) -> None:
        assert self.seq_len is not None
        joined = b"".join(
            self.simple[i].to_bytes(self.fragment_len, "big") for i in range(self.seq_len)
        )
        message = joined[: self.message_len]
        if zlib.crc32(message) != self.checksum:
            self.__init__()  # start over: some part was wrong
            raise AnimatedQRError(
                "The animated code's message does not match its checksum: scan it again."
            )
        self.result = message
