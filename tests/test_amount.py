"""The money module: amounts, units, fee rates, and amounts as people write them.

Round trips are checked for every way locales write numbers (decimal point or comma; groups
by comma, dot, space, narrow no-break space, apostrophe, or none) and every unit, bitcoin's
and fiat ones; Python's ``Decimal`` is the independent reference for the values.
"""

from __future__ import annotations

import ast
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wallet.bitcoin import amount
from wallet.bitcoin.amount import (
    BITCOIN_UNITS,
    BTC,
    C_LOCALE,
    COIN,
    MAX_MONEY,
    SAT,
    AmountError,
    FeeError,
    FeeRate,
    NumberLocale,
    currency,
    format_amount,
    median_fee_rate,
    parse_amount,
)

#: How locales write numbers (the separators Qt reports for these locales).
LOCALES = {
    "en": NumberLocale(".", ","),
    "de": NumberLocale(",", "."),
    "fr": NumberLocale(",", "\u202f"),
    "nb": NumberLocale(",", "\u00a0"),
    "de_CH": NumberLocale(".", "\u2019"),
    "ar": NumberLocale("\u066b", "\u066c"),
    "plain": NumberLocale(".", ""),
    "comma, no groups": NumberLocale(",", ""),
}
JPY = currency("JPY", 0)
CNY = currency("CNY", 2)
UNITS = [*BITCOIN_UNITS, JPY, CNY]


def _max(unit: amount.Unit) -> int:
    return MAX_MONEY if unit.is_bitcoin else 10**15


@st.composite
def amounts(draw):
    unit = draw(st.sampled_from(UNITS))
    return unit, draw(st.integers(min_value=1, max_value=_max(unit)))


@given(
    amounts(),
    st.sampled_from(sorted(LOCALES)),
    st.booleans(),
    st.booleans(),
)
def test_every_locale_style_reads_back_what_it_wrote(unit_amount, name, trim, group):
    unit, value = unit_amount
    locale = LOCALES[name]
    text = format_amount(value, unit, locale, trim=trim, group=group)
    assert parse_amount(text, unit, locale) == value
    # with the unit after it, as copied from a label
    shown = format_amount(value, unit, locale, trim=trim, group=group, code=True)
    assert parse_amount(shown, unit, locale) == value
    # Decimal, read independently, agrees (once the marks are the machine's)
    machine = text.replace(locale.group, "") if locale.group else text
    machine = machine.replace(locale.decimal, ".")
    assert Decimal(machine) * 10**unit.decimals == value


@given(amounts())
def test_machine_form_round_trips_and_matches_decimal(unit_amount):
    unit, value = unit_amount
    for trim in (False, True):
        text = format_amount(value, unit, trim=trim)
        assert re.fullmatch(r"[0-9]+(\.[0-9]+)?", text)
        assert parse_amount(text, unit) == value
        assert Decimal(text) * 10**unit.decimals == value


@pytest.mark.parametrize(
    ("text", "sats"),
    [
        ("0,5", 50_000_000),
        ("0.5", 50_000_000),
        ("0,0015", 150_000),
        (",5", 50_000_000),
        ("12,5", 1_250_000_000),
        ("1234,567", 123_456_700_000),  # four digits before: not a group
        ("1,000,000", 1_000_000 * COIN),
        ("1.000.000", 1_000_000 * COIN),
        ("1,000.5", 100_050_000_000),
        ("1.000,5", 100_050_000_000),
        ("1 000,5", 100_050_000_000),
        ("1'000.25", 100_025_000_000),
        ("0,500", 50_000_000),  # a group never starts with 0
        ("1,0000", 100_000_000),
        (" 2 BTC ", 200_000_000),
        ("0.00000001", 1),
    ],
)
@pytest.mark.parametrize("name", ["en", "de", "fr"])
def test_a_person_s_text_is_read_one_way_in_any_locale(text, sats, name):
    assert parse_amount(text, BTC, LOCALES[name]) == sats


@pytest.mark.parametrize("text", ["1,000", "1.000", "2,500", "999.999", "12,345"])
@pytest.mark.parametrize("name", sorted(LOCALES))
def test_text_that_reads_two_ways_is_refused_with_how_to_write_it(text, name):
    locale = LOCALES[name]
    with pytest.raises(AmountError, match="could mean") as info:
        parse_amount(text, BTC, locale)
    message = str(info.value)
    # both readings are named, and each suggested spelling reads back as that amount alone
    small, large = re.search(r"could mean (\S+) or (\S+) BTC", message).groups()
    assert parse_amount(large, BTC, locale) == int(text.replace(",", "").replace(".", "")) * COIN
    value = Decimal(text.replace(",", ".")) * COIN
    assert parse_amount(small, BTC, locale) == value
    assert message.count(";") == 1 and "type" in message


def test_units_with_fewer_decimals_read_a_single_mark_as_a_group():
    assert parse_amount("1,000", SAT, C_LOCALE) == 1000
    assert parse_amount("1.000", SAT, LOCALES["de"]) == 1000
    assert parse_amount("1,000", CNY, C_LOCALE) == 100_000  # ¥1,000.00 in fen
    assert parse_amount("1,50", CNY, LOCALES["de"]) == 150
    assert parse_amount("1,000", JPY, C_LOCALE) == 1000
    with pytest.raises(AmountError, match="whole number of satoshis"):
        parse_amount("1,5", SAT, C_LOCALE)
    with pytest.raises(AmountError, match="at most 2"):
        parse_amount("1.505", CNY, C_LOCALE)  # the locale's decimal mark: three decimals
    assert parse_amount("1.505", CNY, LOCALES["de"]) == 150_500
    with pytest.raises(AmountError, match="whole number of satoshis"):
        parse_amount("1,000", SAT, LOCALES["de"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("-1", "not an amount"),
        ("1e3", "not an amount"),
        ("0x10", "not an amount"),
        ("\uff11", "not an amount"),  # a fullwidth digit one
        ("NaN", "not an amount"),
        ("1,00,000", "three digits each"),  # lakh grouping is not read
        ("1.000,000.5", "three digits each"),
        ("1,000.000,5", "three digits each"),
        ("0.123456789", "9 decimal places"),
        ("21000000.00000001", "21 million"),
        ("9" * 40, "21 million"),
        ("0", "zero"),
        ("0,00", "zero"),
    ],
)
def test_refusals_say_what_is_wrong(text, message):
    with pytest.raises(AmountError, match=re.escape(message)):
        parse_amount(text, BTC, C_LOCALE)


def test_formatting():
    de = LOCALES["de"]
    assert format_amount(150_000) == "0.00150000"
    assert format_amount(150_000, trim=True) == "0.0015"
    assert format_amount(-150_000, code=True) == "-0.00150000 BTC"
    assert format_amount(150_000, sign=True) == "+0.00150000"
    assert format_amount(123_456_789_000_000, BTC, C_LOCALE) == "1,234,567.89000000"
    assert format_amount(123_456_789_000_000, BTC, de) == "1.234.567,89000000"
    assert format_amount(150_000_000, SAT, C_LOCALE, code=True) == "150,000,000 sat"
    assert format_amount(150_000_000, SAT, de, group=False) == "150000000"
    # trimmed text a person could read two ways keeps a zero
    assert format_amount(1000 * COIN, BTC, C_LOCALE, trim=True) == "1,000.0"
    assert format_amount(123_400_000, BTC, de, trim=True) == "1,2340"
    assert format_amount(123_450_000, BTC, de, trim=True) == "1,2345"
    assert format_amount(123_456, JPY, C_LOCALE, code=True) == "123,456 JPY"
    assert format_amount(123_456, CNY, C_LOCALE, code=True) == "1,234.56 CNY"
    assert amount.format_btc(2_030_000_000) == "20.3"
    with pytest.raises(AmountError):
        amount.format_btc(MAX_MONEY + 1)


def test_no_float_is_accepted_or_used():
    with pytest.raises(AmountError, match="not a float"):
        format_amount(0.5)  # type: ignore[arg-type]
    with pytest.raises(AmountError, match="must be text"):
        parse_amount(0.5)  # type: ignore[arg-type]
    with pytest.raises(AmountError, match="not float"):
        amount.amount_from_decimal(0.1)  # type: ignore[arg-type]
    with pytest.raises(FeeError, match="not float"):
        FeeRate.from_sat_per_vb(2.5)  # type: ignore[arg-type]
    # the module itself has no float literal and never calls float()
    tree = ast.parse(Path(amount.__file__).read_text())
    for node in ast.walk(tree):
        assert not (isinstance(node, ast.Constant) and isinstance(node.value, float)), node.lineno
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id != "float", node.lineno


def test_money_range_and_units():
    assert amount.money_range(0) and amount.money_range(MAX_MONEY)
    assert not amount.money_range(-1) and not amount.money_range(MAX_MONEY + 1)
    assert amount.check_sats(5) == 5
    with pytest.raises(AmountError, match="whole number"):
        amount.check_sats(True)
    assert [u.code for u in BITCOIN_UNITS] == ["BTC", "mBTC", "bits", "sat"]
    assert parse_amount("1", amount.MBTC) == 100_000 and parse_amount("1", amount.BITS) == 100
    with pytest.raises(AmountError, match="ISO 4217"):
        currency("yen", 0)
    with pytest.raises(AmountError):
        NumberLocale(",", ",")


def test_fee_rates_from_servers_are_exact_and_rounded_up():
    assert FeeRate.from_reported_sat_per_vb(12.5) == FeeRate(12_500)
    assert FeeRate.from_reported_sat_per_vb(1.0001) == FeeRate(1_001)  # up, never down
    assert FeeRate.from_reported_sat_per_vb(0.1 + 0.2) == FeeRate(301)
    assert FeeRate.from_btc_per_kvb(0.00001234) == FeeRate(1_234)
    for bad in (-1.0, "fast", Decimal("NaN"), True):
        with pytest.raises(FeeError):
            FeeRate.from_reported_sat_per_vb(bad)  # type: ignore[arg-type]
    assert median_fee_rate([]) is None
    assert median_fee_rate([FeeRate(3000), FeeRate(1000), FeeRate(500_000)]) == FeeRate(3000)
    assert median_fee_rate([FeeRate(1000), FeeRate(2001)]) == FeeRate(1501)
