"""BIP39 mnemonics through the reference implementation (the ``mnemonic`` package).

What this adds: errors a person can act on (which word is unknown, by position, with a likely
correction; a wrong checksum; a wrong word count), normalisation of typed input, and prefix
completion for the GUI's word entry.
"""

from __future__ import annotations

import bisect
import difflib
import hashlib
import unicodedata
from functools import lru_cache

from mnemonic import Mnemonic

from wallet.bitcoin.errors import MnemonicError

VALID_WORD_COUNTS = (12, 15, 18, 21, 24)


@lru_cache(maxsize=1)
def _english() -> Mnemonic:
    return Mnemonic("english")


def wordlist() -> list[str]:
    """The 2048 BIP39 English words, sorted."""
    return _english().wordlist


@lru_cache(maxsize=1)
def _word_index() -> dict[str, int]:
    return {w: i for i, w in enumerate(wordlist())}


def normalize_mnemonic(phrase: str) -> str:
    """NFKD, lower case, single spaces between words (how BIP39 expects the phrase)."""
    if not isinstance(phrase, str):
        raise MnemonicError("a mnemonic must be text")
    return " ".join(unicodedata.normalize("NFKD", phrase).lower().split())


def generate_mnemonic(words: int = 12) -> str:
    """A new random mnemonic of 12, 15, 18, 21 or 24 words (from the OS's CSPRNG)."""
    if words not in VALID_WORD_COUNTS:
        raise MnemonicError(f"a mnemonic has 12, 15, 18, 21 or 24 words, not {words}")
    return _english().generate(strength=words * 32 // 3)


def validate_mnemonic(phrase: str) -> str:
    """Check words, count and checksum; returns the normalised phrase or raises MnemonicError."""
    normalized = normalize_mnemonic(phrase)
    words = normalized.split(" ") if normalized else []
    index = _word_index()
    for pos, word in enumerate(words, start=1):
        if word not in index:
            raise MnemonicError(
                f"word {pos}, {word!r}, is not in the BIP39 English list{_did_you_mean(word)}"
            )
    if len(words) not in VALID_WORD_COUNTS:
        raise MnemonicError(f"a mnemonic has 12, 15, 18, 21 or 24 words; this one has {len(words)}")
    bits = 0
    for word in words:
        bits = (bits << 11) | index[word]
    total = len(words) * 11
    checksum_bits = total // 33
    entropy = (bits >> checksum_bits).to_bytes((total - checksum_bits) // 8, "big")
    if entropy_checksum(entropy) != bits & ((1 << checksum_bits) - 1):
        raise MnemonicError(
            "the mnemonic's checksum does not match: a word is wrong or the words are out of "
            "order (every word is in the list)"
        )
    return normalized


def entropy_checksum(entropy: bytes) -> int:
    """The BIP39 checksum bits (first len/32 bits of SHA-256) as an int."""
    n = len(entropy) * 8 // 32
    return hashlib.sha256(entropy).digest()[0] >> (8 - n)


def mnemonic_to_entropy(phrase: str) -> bytes:
    return bytes(_english().to_entropy(validate_mnemonic(phrase)))


def entropy_to_mnemonic(entropy: bytes) -> str:
    if len(entropy) not in (16, 20, 24, 28, 32):
        raise MnemonicError(f"BIP39 entropy is 16, 20, 24, 28 or 32 bytes, got {len(entropy)}")
    return _english().to_mnemonic(bytes(entropy))


def mnemonic_to_seed(phrase: str, passphrase: str = "", validate: bool = True) -> bytes:
    """The 64-byte BIP39 seed (PBKDF2-HMAC-SHA512, 2048 rounds, NFKD phrase and passphrase).

    The passphrase is used exactly as given (after NFKD): spaces and case matter.
    """
    normalized = validate_mnemonic(phrase) if validate else normalize_mnemonic(phrase)
    return Mnemonic.to_seed(normalized, passphrase)


def suggest_words(prefix: str, limit: int | None = None) -> list[str]:
    """BIP39 words beginning with ``prefix`` (for completion while typing)."""
    prefix = normalize_mnemonic(prefix)
    if not prefix:
        return []
    words = wordlist()
    start = bisect.bisect_left(words, prefix)
    out: list[str] = []
    for word in words[start:]:
        if not word.startswith(prefix) or (limit is not None and len(out) >= limit):
            break
        out.append(word)
    return out


def complete_word(prefix: str) -> str | None:
    """The word a prefix stands for, if exactly one matches (4 letters always suffice)."""
    matches = suggest_words(prefix)
    return matches[0] if len(matches) == 1 else None


def _did_you_mean(word: str) -> str:
    unique = complete_word(word)
    if unique is not None:
        return f" (did you mean {unique!r}?)"
    close = difflib.get_close_matches(word, wordlist(), n=3, cutoff=0.75)
    if close:
        return " (did you mean " + " or ".join(repr(w) for w in close) + "?)"
    return ""
