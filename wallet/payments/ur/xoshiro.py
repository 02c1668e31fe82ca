"""The deterministic randomness of the UR fountain code, exactly as the reference does it.

Encoder and decoder must pick the same fragments for a part from nothing but its sequence
number and the message checksum, so every step here follows Blockchain Commons' bc-ur: the
xoshiro256** generator seeded with SHA-256 of the seed bytes (four big-endian 64-bit words), a
double in [0, 1) as ``next() / 2**64``, Vose's alias sampler with its index lists reversed, a
degree drawn with probabilities 1/1, 1/2, ... 1/n, and a shuffle by repeated removal.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

_MASK = (1 << 64) - 1
_TWO_64 = float(1 << 64)


def _rotl(x: int, k: int) -> int:
    return ((x << k) | (x >> (64 - k))) & _MASK


class Xoshiro256:
    """xoshiro256** 1.0 (Blackman and Vigna), seeded as bc-ur seeds it."""

    __slots__ = ("s",)

    def __init__(self, seed: bytes | str) -> None:
        raw = seed.encode() if isinstance(seed, str) else bytes(seed)
        digest = hashlib.sha256(raw).digest()
        self.s = [int.from_bytes(digest[i : i + 8], "big") for i in range(0, 32, 8)]

    @classmethod
    def from_crc32(cls, checksum: int) -> Xoshiro256:
        return cls(checksum.to_bytes(4, "big"))

    def next(self) -> int:
        s = self.s
        result = (_rotl((s[1] * 5) & _MASK, 7) * 9) & _MASK
        t = (s[1] << 17) & _MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = _rotl(s[3], 45)
        return result

    def next_double(self) -> float:
        return float(self.next()) / _TWO_64

    def next_int(self, low: int, high: int) -> int:
        """A number in ``low..high`` inclusive."""
        return int(self.next_double() * (high - low + 1)) + low

    def next_byte(self) -> int:
        return self.next_int(0, 255)

    def next_data(self, count: int) -> bytes:
        return bytes(self.next_byte() for _ in range(count))


class RandomSampler:
    """Vose's alias method over weights ``probs`` (the reference's variant, index order kept)."""

    def __init__(self, probs: list[float]) -> None:
        total = sum(probs)
        n = len(probs)
        if n == 0 or total <= 0 or any(p < 0 for p in probs):
            raise ValueError("the sampler needs non-negative weights with a positive sum")
        scaled = [p * n / total for p in probs]
        small = [i for i in range(n - 1, -1, -1) if scaled[i] < 1]
        large = [i for i in range(n - 1, -1, -1) if scaled[i] >= 1]
        self.probs = [0.0] * n
        self.aliases = [0] * n
        while small and large:
            a = small.pop()
            g = large.pop()
            self.probs[a] = scaled[a]
            self.aliases[a] = g
            scaled[g] += scaled[a] - 1
            (small if scaled[g] < 1 else large).append(g)
        for i in large + small:  # leftovers in small only through rounding
            self.probs[i] = 1.0

    def next(self, rng: Xoshiro256) -> int:
        r1 = rng.next_double()
        r2 = rng.next_double()
        i = int(len(self.probs) * r1)
        return i if r2 < self.probs[i] else self.aliases[i]


@lru_cache(maxsize=8)
def _degree_sampler(seq_len: int) -> RandomSampler:
    return RandomSampler([1.0 / i for i in range(1, seq_len + 1)])


def choose_degree(seq_len: int, rng: Xoshiro256) -> int:
    """How many fragments a mixed part XORs together (1 to ``seq_len``, small ones likelier)."""
    return _degree_sampler(seq_len).next(rng) + 1


def shuffled(items: list, rng: Xoshiro256, count: int | None = None) -> list:
    """The reference shuffle (take a random remaining item each time); only the first
    ``count`` draws are made when fewer are needed (later draws cannot change them)."""
    remaining = list(items)
    out = []
    while remaining and (count is None or len(out) < count):
        out.append(remaining.pop(rng.next_int(0, len(remaining) - 1)))
    return out


def choose_fragments(seq_num: int, seq_len: int, checksum: int) -> frozenset[int]:
    """The fragment indexes part ``seq_num`` carries: itself for the first ``seq_len`` parts,
    then a random mix seeded by the sequence number and the message's CRC32."""
    if seq_num <= seq_len:
        return frozenset((seq_num - 1,))
    rng = Xoshiro256(seq_num.to_bytes(4, "big") + checksum.to_bytes(4, "big"))
    degree = choose_degree(seq_len, rng)
    return frozenset(shuffled(list(range(seq_len)), rng, degree))
