"""BIP39 against the reference vectors (python-mnemonic/Trezor), and the error messages."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import shared_path
from wallet.bitcoin.bip32 import ExtendedKey
from wallet.bitcoin.bip39 import (
    complete_word,
    entropy_to_mnemonic,
    generate_mnemonic,
    mnemonic_to_entropy,
    mnemonic_to_seed,
    normalize_mnemonic,
    suggest_words,
    validate_mnemonic,
    wordlist,
)
from wallet.bitcoin.errors import MnemonicError

ABOUT = (
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
)


def test_reference_vectors_english():
    vectors = json.loads(
        shared_path("vectors/bip39/trezor_python-mnemonic_vectors.json").read_text()
    )
    english = vectors["english"]
    assert len(english) >= 24
    for entropy, phrase, seed, xprv in english:
        assert entropy_to_mnemonic(bytes.fromhex(entropy)) == phrase
        assert validate_mnemonic(phrase) == phrase
        assert mnemonic_to_entropy(phrase).hex() == entropy
        got = mnemonic_to_seed(phrase, "TREZOR")
        assert got.hex() == seed
        assert ExtendedKey.from_seed(got, "mainnet").serialize() == xprv


def test_wordlist_matches_the_bip_text_list():
    words = shared_path("vectors/bip39/bips_bip-0039_english.txt").read_text().split()
    assert wordlist() == words


def test_unknown_word_reported_by_position():
    words = ABOUT.split()
    words[6] = "abandn"
    with pytest.raises(
        MnemonicError, match=r"word 7, 'abandn', is not in the BIP39 English list"
    ) as info:
        validate_mnemonic(" ".join(words))
    assert "did you mean 'abandon'" in str(info.value)


def test_bad_checksum_and_bad_count():
    with pytest.raises(MnemonicError, match="checksum"):
        validate_mnemonic(" ".join(["abandon"] * 12))
    with pytest.raises(MnemonicError, match="this one has 11"):
        validate_mnemonic(" ".join(["abandon"] * 11))
    with pytest.raises(MnemonicError, match="this one has 0"):
        validate_mnemonic("   ")


def test_normalisation_and_passphrase():
    messy = (
        "  Abandon\tabandon abandon  abandon abandon abandon abandon abandon abandon abandon\n"
        "abandon ABOUT "
    )
    assert normalize_mnemonic(messy) == ABOUT
    assert validate_mnemonic(messy) == ABOUT
    assert mnemonic_to_seed(messy) == mnemonic_to_seed(ABOUT)
    # the passphrase is case- and space-sensitive, and NFKD-normalised
    assert mnemonic_to_seed(ABOUT, "TREZOR") != mnemonic_to_seed(ABOUT, "trezor")
    assert mnemonic_to_seed(ABOUT, "\u00e9") == mnemonic_to_seed(ABOUT, "e\u0301")


def test_word_completion():
    assert suggest_words("aban") == ["abandon"]
    assert complete_word("aban") == "abandon"
    assert suggest_words("zoo") == ["zoo"]
    assert len(suggest_words("a")) > 100
    assert suggest_words("ab", limit=3) == ["abandon", "ability", "able"]
    assert suggest_words("") == [] and suggest_words("qx") == []
    # every word is identified by its first four letters (a BIP39 design property)
    for word in wordlist():
        assert complete_word(word[:4]) == word or len(word) < 4


@pytest.mark.parametrize("words", [12, 15, 18, 21, 24])
def test_generate(words):
    phrase = generate_mnemonic(words)
    assert len(phrase.split()) == words
    assert validate_mnemonic(phrase) == phrase
    assert generate_mnemonic(words) != phrase
    with pytest.raises(MnemonicError):
        generate_mnemonic(13)


@given(st.binary(min_size=16, max_size=16) | st.binary(min_size=32, max_size=32))
def test_entropy_round_trip(entropy):
    assert mnemonic_to_entropy(entropy_to_mnemonic(entropy)) == entropy


@given(st.text(max_size=200))
def test_validate_raises_only_mnemonic_error(text):
    with contextlib.suppress(MnemonicError):
        validate_mnemonic(text)


@given(st.lists(st.sampled_from(wordlist()[:64]), min_size=12, max_size=12))
def test_random_valid_words_fail_only_on_checksum(words):
    try:
        validate_mnemonic(" ".join(words))
    except MnemonicError as exc:
        assert "checksum" in str(exc)
