"""BIP21 / BIP321 URIs: the BIP texts' own examples, every refusal, and property round trips.

The examples are read from the BIP texts in ../shared at test time; the expected fields are
cross-checked with the standard library's independent URI splitting and percent-decoding.
"""

from __future__ import annotations

import re
import unicodedata
import urllib.parse
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import shared_path
from wallet.bitcoin.address import p2pkh_address, p2sh_p2wpkh_address, p2tr_address, p2wpkh_address
from wallet.bitcoin.amount import MAX_MONEY, AmountError, amount_from_decimal, format_btc
from wallet.bitcoin.signing import public_key
from wallet.errors import PaylightError
from wallet.payments.uri import (
    ADDRESS_KEYS,
    INSTRUCTION_KEYS,
    PaymentInstruction,
    PaymentURI,
    UriError,
    make_uri,
    parse_uri,
    parse_uri_amount,
)

PUB = public_key(bytes(31) + b"\x07")
MAIN_WPKH = p2wpkh_address(PUB, "mainnet")
MAIN_TR = p2tr_address(PUB[1:], "mainnet")
MAIN_PKH = p2pkh_address(PUB, "mainnet")
MAIN_SH = p2sh_p2wpkh_address(PUB, "mainnet")
TEST_WPKH = p2wpkh_address(PUB, "testnet4")
TEST_PKH = p2pkh_address(PUB, "testnet4")
REG_WPKH = p2wpkh_address(PUB, "regtest")
MAIN_ADDRESSES = [MAIN_WPKH, MAIN_TR, MAIN_PKH, MAIN_SH]


# -- the BIP texts' examples ---------------------------------------------------------------------


def _examples(name: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(description, uri) pairs of the Examples section: valid ones and invalid ones."""
    text = shared_path("vectors", "bips_spec", name).read_text()
    section = text[text.index("=== Examples ===") :]
    valid: list[tuple[str, str]] = []
    invalid: list[tuple[str, str]] = []
    heading, description = "", ""
    for line in section.splitlines():
        if line.startswith("="):
            heading = line.strip("= ").lower()
            if heading == "proof of payment" or heading.startswith("reference"):
                break
            continue
        if line.startswith(" ") and line.strip().lower().startswith("bitcoin:"):
            bad = "invalid" in heading or "thus invalid" in description
            (invalid if bad else valid).append((description, line.strip()))
        elif line.strip():
            description = line.strip()
    return valid, invalid


def _reference_fields(uri: str) -> tuple[str, list[tuple[str, str]]]:
    """Body and (lower-cased key, value) pairs decoded by urllib, independently of our parser."""
    rest = uri[len("bitcoin:") :]
    body, _, query = rest.partition("?")
    pairs = [
        (urllib.parse.unquote(k).lower(), urllib.parse.unquote(v))
        for k, _, v in (p.partition("=") for p in query.split("&") if p)
    ]
    return urllib.parse.unquote(body), pairs


@pytest.mark.parametrize("name", ["bip-0021.mediawiki", "bip-0321.mediawiki"])
def test_valid_examples_of_the_bip_texts(name):
    valid, invalid = _examples(name)
    assert len(valid) >= 5 and len(invalid) >= 1, "the examples were not found in the BIP text"
    for description, uri in valid:
        parsed = parse_uri(uri)
        body, pairs = _reference_fields(uri)
        assert parsed.address == ((body.lower() if body.upper() == body else body) or None), uri
        got_instructions = [(i.key, i.value) for i in parsed.instructions]
        want_instructions = [
            (k, v.lower() if v.upper() == v else v)
            for k, v in pairs
            if k in INSTRUCTION_KEYS or k in ADDRESS_KEYS
        ]
        assert got_instructions == want_instructions, uri
        singles = {k: v for k, v in pairs if k in ("amount", "label", "message")}
        if "amount" in singles:
            assert parsed.amount_sat == int(Decimal(singles["amount"]) * 100_000_000)
        assert parsed.label == singles.get("label")
        assert parsed.message == singles.get("message")
        others = [(k, v) for k, v in pairs if k not in (*singles, *INSTRUCTION_KEYS, *ADDRESS_KEYS)]
        assert list(parsed.extras) == others, uri
        # the description's own words: "Request 20.30 BTC ..."
        said = re.search(r"Request (\d+(?:\.\d+)?) BTC", description)
        if said:
            assert parsed.amount_sat == int(Decimal(said[1]) * 100_000_000)
        if "with no fallback" in description:
            assert parsed.address is None
        # canonical text parses back to the same thing
        assert parse_uri(parsed.to_uri()) == parsed


@pytest.mark.parametrize("name", ["bip-0021.mediawiki", "bip-0321.mediawiki"])
def test_invalid_examples_of_the_bip_texts_are_refused_naming_the_parameter(name):
    _, invalid = _examples(name)
    assert invalid
    for _, uri in invalid:
        with pytest.raises(UriError) as info:
            parse_uri(uri)
        _, pairs = _reference_fields(uri)
        keys = {k.removeprefix("req-") for k, _ in pairs}
        assert any(k in str(info.value) for k in keys), (uri, str(info.value))


def test_bip_example_addresses_are_deliberately_invalid_and_refused_with_a_network():
    valid, _ = _examples("bip-0321.mediawiki")
    with_body = [uri for _, uri in valid if not uri.lower().startswith("bitcoin:?")]
    assert with_body
    for uri in with_body:
        with pytest.raises(UriError, match="checksum"):
            parse_uri(uri, "mainnet")


def test_proof_of_payment_examples_of_bip321():
    text = shared_path("vectors", "bips_spec", "bip-0321.mediawiki").read_text()
    section = text[text.index("==== Proof of Payment ====") :]
    blocks = section.split("If the original URI is")[1:]
    assert len(blocks) == 5
    for block in blocks:
        lines = [ln for ln in block.splitlines() if ln.strip()]
        uri = lines[0].strip()
        callbacks = [ln.strip() for ln in lines[1:] if ln.startswith(" ")]
        prose = " ".join(ln for ln in lines[1:] if not ln.startswith(" "))
        if "MUST NOT make a payment" in prose:
            with pytest.raises(UriError, match="req-pop"):
                parse_uri(uri)
            continue
        parsed = parse_uri(uri)
        if "MUST NOT interact" in prose:
            assert parsed.pop_callback("onchain", "00ff") is None
            continue
        assert callbacks
        for expected in callbacks:
            method = re.search(r"([a-z]+)=\$HEX", expected)[1]
            want = re.sub(r"\$HEX_ENCODED_[A-Z_]+", "00ff", expected)
            assert parsed.pop_callback(method, "00ff") == want


# -- real addresses and networks -----------------------------------------------------------------


def test_real_addresses_with_their_network():
    for address in MAIN_ADDRESSES:
        uri = parse_uri(f"bitcoin:{address}?amount=0.0015&label=Coffee%20Stall", "mainnet")
        assert uri.address == address
        assert uri.amount_sat == 150_000
        assert uri.label == "Coffee Stall"
        assert uri.payable_address("mainnet") == address
    assert parse_uri(f"bitcoin:{REG_WPKH}", "regtest").address == REG_WPKH


def test_uppercase_qr_form_is_read():
    uri = parse_uri(
        f"BITCOIN:{MAIN_WPKH.upper()}?AMOUNT=0.5&LABEL=Shop&Lightning=LNBC1XYZ", "mainnet"
    )
    assert uri.address == MAIN_WPKH
    assert uri.amount_sat == 50_000_000
    assert uri.label == "Shop"  # values keep their case
    assert uri.lightning == "lnbc1xyz"
    assert uri.instructions == (PaymentInstruction("lightning", "lnbc1xyz"),)


@pytest.mark.parametrize(
    ("uri", "network", "message"),
    [
        (
            f"bitcoin:{TEST_WPKH}",
            "mainnet",
            "testnet3/testnet4/signet address, but the wallet is on mainnet",
        ),
        (f"bitcoin:{TEST_PKH}", "mainnet", "but the wallet is on mainnet"),
        (
            f"bitcoin:{MAIN_WPKH}",
            "testnet4",
            "this is a mainnet address, but the wallet is on testnet4",
        ),
        (f"bitcoin:{MAIN_PKH}", "regtest", "mainnet address"),
        (f"bitcoin:{TEST_WPKH}", "regtest", "but the wallet is on regtest"),
        (f"bitcoin:?bc={MAIN_WPKH[:-1]}q", "mainnet", "checksum"),
    ],
)
def test_addresses_of_another_network_are_refused(uri, network, message):
    with pytest.raises(UriError, match=re.escape(message)):
        parse_uri(uri, network)


def test_payable_address_explains_what_cannot_be_paid():
    lightning_only = parse_uri("bitcoin:?lightning=lnbc420bogusinvoice")
    assert lightning_only.lightning == "lnbc420bogusinvoice"
    with pytest.raises(UriError, match=r"no on-chain address for mainnet.*Lightning invoice"):
        lightning_only.payable_address("mainnet")
    testnet_only = parse_uri(f"bitcoin:?tb={TEST_WPKH}", "mainnet")
    with pytest.raises(
        UriError, match="testnet3/testnet4/signet address, but the wallet is on mainnet"
    ):
        testnet_only.payable_address("mainnet")
    both = parse_uri(f"bitcoin:?lightning=lnbc1&bc={MAIN_TR}&tb={TEST_WPKH}", "mainnet")
    assert both.payable_address("mainnet") == MAIN_TR
    assert both.onchain_addresses("testnet4") == [TEST_WPKH]


def test_lenient_but_exact_details():
    assert parse_uri(f"bitcoin://{MAIN_WPKH}", "mainnet").address == MAIN_WPKH
    uri = parse_uri(f"bitcoin:{MAIN_WPKH}?&&am%6Funt=1.&req-label=z", "mainnet")
    assert uri.amount_sat == 100_000_000
    assert uri.label == "z"
    # req-label is label (we implement it), so the two together are a duplicate
    with pytest.raises(UriError, match="'label' more than once"):
        parse_uri(f"bitcoin:{MAIN_WPKH}?label=a&req-label=b")
    uri = parse_uri(f"bitcoin:{MAIN_WPKH}?label=a+b&x&y=1&y=2&message=caf%C3%A9")
    assert uri.label == "a+b"  # RFC 3986: '+' is not a space
    assert uri.extras == (("x", ""), ("y", "1"), ("y", "2"))
    assert uri.message == "café"
    assert parse_uri(f"bitcoin:{MAIN_WPKH}?amount=.5").amount_sat == 50_000_000
    assert parse_uri(f"bitcoin:{MAIN_WPKH}?amount=0021000000").amount_sat == MAX_MONEY


# -- every refusal -------------------------------------------------------------------------------

A = MAIN_WPKH


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("", "not a bitcoin: payment URI"),
        (f"litecoin:{A}", "must start with 'bitcoin:'"),
        (A, "must start with 'bitcoin:'"),
        ("bitcoin:" + "a" * 20_000, "characters long"),
        (f"bitcoin:{A}?label=order#5", "'#'"),
        (f"bitcoin:{A}?label=50%zz", "broken percent-escape '%zz'"),
        (f"bitcoin:{A}?label=50%4", "broken percent-escape"),
        (f"bitcoin:{A}?label=%ff%fe", "not valid UTF-8"),
        (f"bitcoin:{A}?label=a%0Ab", "control character"),
        (f"bitcoin:{A}?message=pay%E2%80%AE1.5", "right-to-left"),
        (f"bitcoin:{A}?amount=0.1.2", "amount '0.1.2' is not a number of bitcoins"),
        (f"bitcoin:{A}?amount=", "amount is empty"),
        (f"bitcoin:{A}?amount", "has no value"),
        (f"bitcoin:{A}?amount=.", "not a number of bitcoins"),
        (f"bitcoin:{A}?amount=1,000", "not a number of bitcoins"),
        (f"bitcoin:{A}?amount=50,5", "not a number of bitcoins"),
        (f"bitcoin:{A}?amount=-1", "not a number of bitcoins"),
        (f"bitcoin:{A}?amount=%2B1", "not a number of bitcoins"),
        (f"bitcoin:{A}?amount=1e3", "not a number of bitcoins"),
        (f"bitcoin:{A}?amount=0x10", "not a number of bitcoins"),
        (f"bitcoin:{A}?amount=%201", "not a number of bitcoins"),
        (f"bitcoin:{A}?amount=%EF%BC%91", "not a number of bitcoins"),  # fullwidth digit one
        (f"bitcoin:{A}?amount=NaN", "not a number of bitcoins"),
        (f"bitcoin:{A}?amount=0.123456789", "9 decimal places"),
        (f"bitcoin:{A}?amount=1.000000000", "9 decimal places"),
        (f"bitcoin:{A}?amount=21000000.00000001", "21 million"),
        (f"bitcoin:{A}?amount=" + "9" * 5000, "21 million"),
        (f"bitcoin:{A}?amount=0", "amount is zero"),
        (f"bitcoin:{A}?amount=0.00000000", "amount is zero"),
        (f"bitcoin:{A}?amount=1&AMOUNT=1", "'amount' more than once"),
        (f"bitcoin:{A}?message=a&message=b", "'message' more than once"),
        (f"bitcoin:{A}?pop=a%3a&pop=b%3a", "more than one proof-of-payment"),
        (f"bitcoin:{A}?req-pop=app%3a", "req-pop"),
        (f"bitcoin:{A}?req-lightning=lnbc1", "requires 'lightning'"),
        (f"bitcoin:{A}?REQ-Foo=1", "requires 'foo'"),
        (f"bitcoin:{A}?=5", "has no name"),
        (f"bitcoin:{A}?lightning=", "'lightning' payment instruction is empty"),
        (f"bitcoin:{A}?bc=hello", "not a segwit address"),
        (f"bitcoin:{A}?bc={TEST_WPKH}", "'tb' address"),
        ("bitcoin:", "no address and no payment instruction"),
        ("bitcoin:?amount=1&label=x", "no address and no payment instruction"),
        ("bitcoin:hello", "'hello' is not a Bitcoin address"),
        ("bitcoin:bc1QW508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", "is not a Bitcoin address"),
        ("bitcoin:\udc80", "not valid Unicode"),
    ],
)
def test_every_refusal_says_what_is_wrong(uri, message):
    with pytest.raises(UriError, match=re.escape(message)):
        parse_uri(uri)


def test_uri_error_is_a_paylight_error():
    assert issubclass(UriError, PaylightError)
    with pytest.raises(UriError, match="must be text"):
        parse_uri(b"bitcoin:x")  # type: ignore[arg-type]


def test_network_refusals_with_a_network():
    with pytest.raises(UriError, match="the address is not valid: invalid address"):
        parse_uri(f"bitcoin:{MAIN_WPKH[:-1]}x", "mainnet")


# -- amounts -------------------------------------------------------------------------------------


def test_amount_formatting():
    assert format_btc(2_030_000_000) == "20.3"
    assert format_btc(5_000_000_000) == "50"
    assert format_btc(150_000) == "0.0015"
    assert format_btc(1) == "0.00000001"
    assert format_btc(MAX_MONEY) == "21000000"
    assert amount_from_decimal(Decimal("0.00000001")) == 1
    assert amount_from_decimal("20.30") == 2_030_000_000
    with pytest.raises(AmountError, match="not float"):
        amount_from_decimal(0.1)  # type: ignore[arg-type]
    with pytest.raises(AmountError):
        format_btc(-1)


@given(st.integers(min_value=1, max_value=MAX_MONEY))
def test_amount_text_round_trips_exactly(sats):
    text = format_btc(sats)
    assert parse_uri_amount(text) == sats
    assert Decimal(text) * 100_000_000 == sats  # independent reference: Decimal


@given(
    st.decimals(
        min_value=Decimal("0.00000001"), max_value=Decimal(21_000_000), places=8, allow_nan=False
    )
)
def test_amount_parsing_matches_decimal(value):
    text = format(value, "f")
    assert parse_uri_amount(text) == int(value * 100_000_000)


# -- generating ----------------------------------------------------------------------------------


def test_make_uri_is_canonical():
    assert (
        make_uri(MAIN_WPKH.upper(), 2_030_000_000, "Luke-Jr", "Donation for project xyz")
        == f"bitcoin:{MAIN_WPKH}?amount=20.3&label=Luke-Jr&message=Donation%20for%20project%20xyz"
    )
    assert make_uri(MAIN_PKH) == f"bitcoin:{MAIN_PKH}"
    assert make_uri(None, lightning="LNBC1ABC") == "bitcoin:?lightning=lnbc1abc"
    assert (
        make_uri(MAIN_TR, label="Bäckerei & Co", extras=[("shop", "a=b")], pop="app:")
        == f"bitcoin:{MAIN_TR}?label=B%C3%A4ckerei%20%26%20Co&shop=a%3Db&pop=app%3A"
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"address": MAIN_WPKH, "amount_sat": 0}, "not payable"),
        ({"address": MAIN_WPKH, "amount_sat": MAX_MONEY + 1}, "not payable"),
        ({"address": MAIN_WPKH, "amount_sat": True}, "whole number"),
        ({"address": MAIN_WPKH, "label": "a\x00"}, "control character"),
        ({"address": MAIN_WPKH, "extras": [("label", "x")]}, "cannot be an extra"),
        ({"address": MAIN_WPKH, "extras": [("req-x", "x")]}, "cannot be an extra"),
        ({"address": MAIN_WPKH, "extras": [("Shop", "x")]}, "cannot be an extra"),
        ({"address": MAIN_WPKH, "instructions": [("foo", "x")]}, "not a payment instruction"),
        ({"address": None}, "needs an address or a payment instruction"),
        ({"address": ""}, "non-empty"),
        ({"address": TEST_WPKH, "network": "mainnet"}, "but the wallet is on mainnet"),
        ({"address": "hello"}, "not a Bitcoin address"),
    ],
)
def test_make_uri_refusals(kwargs, message):
    with pytest.raises(UriError, match=re.escape(message)):
        make_uri(**kwargs)


# -- properties ----------------------------------------------------------------------------------


def _shown_text_ok(text: str) -> bool:
    return all(
        unicodedata.category(c) not in ("Cc", "Cs")
        and c not in "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
        for c in text
    )


_text = st.text(max_size=40).filter(_shown_text_ok)
_reserved = {"amount", "label", "message", "pop", *INSTRUCTION_KEYS, *ADDRESS_KEYS}
_extra_key = st.from_regex(r"[a-z][a-z0-9._~\-]{0,12}", fullmatch=True).filter(
    lambda k: k not in _reserved and not k.startswith("req-")
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    address=st.sampled_from([*MAIN_ADDRESSES, None]),
    amount=st.none() | st.integers(min_value=1, max_value=MAX_MONEY),
    label=st.none() | _text,
    message=st.none() | _text,
    lightning=st.none() | st.from_regex(r"lnbc[0-9a-z]{1,30}", fullmatch=True),
    extras=st.lists(st.tuples(_extra_key, _text), max_size=3),
    pop=st.none() | _text,
)
def test_make_then_parse_round_trips(address, amount, label, message, lightning, extras, pop):
    if address is None and lightning is None:
        lightning = "lnbc1"
    text = make_uri(address, amount, label, message, lightning=lightning, extras=extras, pop=pop)
    parsed = parse_uri(text, "mainnet")
    expected = PaymentURI(
        address=address,
        amount_sat=amount,
        label=label,
        message=message,
        pop=pop,
        instructions=(PaymentInstruction("lightning", lightning),) if lightning else (),
        extras=tuple(extras),
    )
    assert parsed == expected
    assert parsed.to_uri() == text  # canonical text is a fixed point


_tricky = st.text(
    alphabet="bitcoin:?&=%#.-+0123456789abcdefABCDEF \u00e9\u202e\x00req", max_size=60
)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=80), _tricky.map(lambda s: "bitcoin:" + s)))
def test_garbage_raises_only_uri_error(text):
    for network in (None, "mainnet"):
        try:
            parse_uri(text, network)
        except UriError as exc:
            assert str(exc)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(MAIN_ADDRESSES),
    st.lists(
        st.tuples(
            st.sampled_from(
                ["amount", "label", "message", "lightning", "bc", "tb", "x", "req-x", "pop"]
            ),
            st.text(alphabet="0123456789.%aZ=-", max_size=12),
        ),
        max_size=5,
    ),
)
def test_structured_garbage_raises_only_uri_error(address, pairs):
    text = f"bitcoin:{address}?" + "&".join(f"{k}={v}" for k, v in pairs)
    try:
        parsed = parse_uri(text, "mainnet")
    except UriError:
        return
    assert parsed.address == address
    assert parse_uri(parsed.to_uri(), "mainnet") == parsed
