"""Money: amounts, units, fee rates, and amounts as text in a person's own locale.

An amount is a whole number of a unit's smallest part -- satoshis for bitcoin, and for a fiat
currency its ISO 4217 minor unit (cents; yen have none) -- so no float ever touches one. A
:class:`Unit` says how many of those digits stand after the decimal mark (BTC 8, mBTC 5,
bits 2, sat 0; EUR 2, JPY 0), so one formatter and one parser serve every unit.

Text comes in two forms:

* the machine form (``locale=None``): digits and at most one dot, no grouping, sign or
  exponent -- BIP21's ``amount=``, JSON, command-line arguments;
* a person's form (a :class:`NumberLocale`: decimal mark and digit-group separator, which
  the GUI takes from ``QLocale`` and the CLI fixes to :data:`C_LOCALE`). Reading it, a
  decimal comma and a decimal point are both understood wherever only one reading exists
  ("0,5" is half, "1.000,5" a thousand and a half, "1,000,000" a million); text that reads
  two ways -- one mark followed by exactly three digits, "1,000" or "2.500", which is one or
  one thousand depending on who wrote it -- is refused with a sentence saying how to write
  it, whatever the locale says, because a wrong guess here moves money. In a unit with
  fewer than three decimals (sat, cents) such a mark is a digit group unless it is the
  locale's decimal mark ("1.000 sat" is a thousand in German; "1.505" CNY is an error in
  English). Digit groups are of three (Indian lakh grouping is refused, not misread).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from wallet.bitcoin.errors import BitcoinError

COIN = 100_000_000
#: Bitcoin Core's MAX_MONEY: no amount of bitcoin is larger (``MoneyRange``).
MAX_MONEY = 21_000_000 * COIN


class AmountError(BitcoinError):
    """An amount, or text meant as one, that is not usable; the message says how to fix it."""


class FeeError(AmountError):
    """A fee rate that is out of bounds or not a number."""


def money_range(sats: int) -> bool:
    """Bitcoin Core's ``MoneyRange``: 0 <= sats <= 21 million BTC."""
    return 0 <= sats <= MAX_MONEY


def check_sats(sats: object, what: str = "an amount") -> int:
    """``sats`` if it is a whole number of satoshis within :func:`money_range`."""
    if isinstance(sats, bool) or not isinstance(sats, int):
        raise AmountError(f"{what} is a whole number of satoshis")
    if not money_range(sats):
        raise AmountError(f"{what} of {sats} satoshis is outside 0 to 21 million BTC")
    return sats


# -- units and locales ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """A unit amounts are shown and typed in: ``decimals`` digits of the smallest part stand
    after the decimal mark. ``base`` names that smallest part ("sat" for bitcoin; a fiat
    currency is its own base, e.g. ``Unit("JPY", 0, "JPY", "yen")``)."""

    code: str
    decimals: int
    base: str = "sat"
    #: what "a number of ..." says in messages
    noun: str = ""

    @property
    def is_bitcoin(self) -> bool:
        return self.base == "sat"

    @property
    def smallest(self) -> str:
        """The smallest amount in this unit as machine text: ``0.00000001``."""
        return "1" if self.decimals == 0 else "0." + "0" * (self.decimals - 1) + "1"

    def __str__(self) -> str:
        return self.code


BTC = Unit("BTC", 8, noun="bitcoins")
MBTC = Unit("mBTC", 5, noun="millibitcoins")
BITS = Unit("bits", 2, noun="bits")
SAT = Unit("sat", 0, noun="satoshis")
BITCOIN_UNITS = (BTC, MBTC, BITS, SAT)


def currency(code: str, decimals: int) -> Unit:
    """A fiat currency with its ISO 4217 minor-unit digits (CNY 2, JPY 0): amounts are whole
    minor units, as bitcoin amounts are whole satoshis."""
    if not re.fullmatch(r"[A-Z]{3}", code) or not 0 <= decimals <= 4:
        raise AmountError(f"{code!r} with {decimals} decimals is not an ISO 4217 currency")
    return Unit(code, decimals, code, code)


#: Characters that only ever separate digit groups (never a decimal mark): spaces (a normal,
#: a no-break and a narrow no-break one, as French and others write 1 000), apostrophes
#: (Swiss 1'000) and the underscore (Python's 1_000).
_GROUP_ONLY = frozenset(" \u00a0\u202f\u2009'\u2019_")
#: Characters that are a decimal mark in some locales and a group separator in others.
_MARKS = ".,"
_DIGITS = frozenset("0123456789")


@dataclass(frozen=True)
class NumberLocale:
    """How a person writes numbers: the decimal mark and the digit-group separator (every three
    digits; "" for none). The GUI fills it from ``QLocale``, the CLI uses :data:`C_LOCALE`."""

    decimal: str = "."
    group: str = ","

    def __post_init__(self) -> None:
        if len(self.decimal) != 1 or self.decimal in _DIGITS or self.decimal in _GROUP_ONLY:
            raise AmountError(f"{self.decimal!r} cannot be a decimal mark")
        if len(self.group) > 1 or self.group == self.decimal or self.group in _DIGITS:
            raise AmountError(f"{self.group!r} cannot separate digit groups")


C_LOCALE = NumberLocale(".", ",")


# -- formatting ----------------------------------------------------------------------------------


def _grouped(digits: str, separator: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return separator.join(parts)


def formatter(
    unit: Unit = BTC,
    locale: NumberLocale | None = None,
    *,
    group: bool | None = None,
    code: bool = False,
) -> Callable[[int, bool], str]:
    """A fast ``format_amount(amount, unit, locale, group=, code=, sign=)`` without ``trim``,
    for tables that format every row: ``formatter(BTC, locale)(150000, False)``."""
    decimals, scale = unit.decimals, 10**unit.decimals
    mark = "." if locale is None else locale.decimal
    separator = "" if locale is None or group is False else locale.group
    suffix = f" {unit.code}" if code else ""

    def fmt(amount: int, sign: bool = False) -> str:
        if type(amount) is not int:  # not bool, not float
            raise AmountError(
                "an amount is a whole number of the unit's smallest part, not a float"
            )
        whole, frac = divmod(abs(amount), scale)
        if not separator or whole < 1000:
            integer = str(whole)
        elif separator == ",":
            integer = f"{whole:,}"
        else:
            integer = f"{whole:,}".replace(",", separator)
        if decimals:
            text = f"{integer}{mark}{str(frac).zfill(decimals)}{suffix}"
        else:
            text = integer + suffix
        if amount < 0:
            return "-" + text
        return "+" + text if sign and amount > 0 else text

    return fmt


def format_amount(
    amount: int,
    unit: Unit = BTC,
    locale: NumberLocale | None = None,
    *,
    trim: bool = False,
    group: bool | None = None,
    sign: bool = False,
    code: bool = False,
) -> str:
    """``amount`` (in ``unit``'s smallest parts) as text: 150000 -> ``0.00150000``.

    ``locale`` None gives the machine form ('.' and no grouping); with a locale, digits are
    grouped unless ``group`` is False. ``trim`` drops trailing zero decimals (BIP21's
    ``0.0015``; a person's form keeps a zero where "1,000" or "1.234" could be read two
    ways: ``1,000.0``, ``1.2340``); ``sign`` shows + before a gain; ``code`` appends the unit.
    """
    if not trim:
        return formatter(unit, locale, group=group, code=code)(amount, sign)
    text = formatter(unit, locale, group=group)(amount, sign)
    if unit.decimals:
        mark = "." if locale is None else locale.decimal
        head, _, fraction = text.rpartition(mark)
        fraction = fraction.rstrip("0")
        whole = abs(amount) // 10**unit.decimals
        if locale is not None and unit.decimals >= 3:
            # never text a person could read two ways (see parse_amount): 1,000.0 and 1.2340
            grouped = head.lstrip("+-") != str(whole)
            if not fraction and grouped and locale.group in _MARKS and whole < 10**6:
                fraction = "0"
            elif len(fraction) == 3 and 1 <= whole <= 999:
                fraction += "0"
        text = f"{head}{mark}{fraction}" if fraction else head
    return f"{text} {unit.code}" if code else text


def format_btc(sats: int) -> str:
    """Satoshis as BIP21's decimal BTC, no trailing zeros: 2030000000 -> ``20.3``."""
    return format_amount(check_sats(sats), BTC, trim=True)


# -- parsing -------------------------------------------------------------------------------------

_MACHINE = re.compile(r"([0-9]*)(?:\.([0-9]*))?")


def _shown(text: str) -> str:
    return text if len(text) <= 30 else text[:27] + "..."


def _example(unit: Unit) -> str:
    return {8: "0.0015", 5: "1.5", 2: "12.50", 0: "150000"}.get(unit.decimals, "12")


def parse_amount(
    text: str,
    unit: Unit = BTC,
    locale: NumberLocale | None = None,
    *,
    positive: bool = True,
) -> int:
    """Text -> a whole number of ``unit``'s smallest parts, exactly.

    ``locale`` None reads the machine form only; with a locale, a person's form (see the
    module's docstring: ambiguous text is refused). Amounts of bitcoin are at most 21 million
    BTC; with ``positive`` (the default) zero is refused too.
    """
    if not isinstance(text, str):
        raise AmountError("an amount to read must be text; give numbers as int satoshis")
    if locale is None:
        whole, fraction = _read_machine(text, unit)
    else:
        whole, fraction = _read_person(text, unit, locale)
    shown = _shown(text.strip())
    if len(fraction) > unit.decimals:
        if unit.decimals == 0:
            raise AmountError(f"{shown!r} is not a whole number of {unit.noun or unit.code}")
        raise AmountError(
            f"amount {shown!r} has {len(fraction)} decimal places; amounts in {unit.code} have "
            f"at most {unit.decimals} (the smallest is {unit.smallest} {unit.code})"
        )
    whole = whole.lstrip("0")
    if len(whole) > 20:
        raise AmountError(_too_large(shown, unit))
    amount: int = int(whole or "0") * 10**unit.decimals
    amount += int(fraction.ljust(unit.decimals, "0") or "0")
    if unit.is_bitcoin and amount > MAX_MONEY:
        raise AmountError(_too_large(shown, unit))
    if positive and amount == 0:
        raise AmountError("the amount is zero; it must be more than nothing")
    return amount


def _too_large(shown: str, unit: Unit) -> str:
    if unit.is_bitcoin:
        return f"amount {shown!r} {unit.code} is more than the 21 million bitcoins there can be"
    return f"amount {shown!r} {unit.code} is too large"


def _read_machine(text: str, unit: Unit) -> tuple[str, str]:
    match = _MACHINE.fullmatch(text)
    if not text:
        raise AmountError("the amount is empty")
    if match is None or not (match[1] or match[2]):
        raise AmountError(
            f"amount {_shown(text)!r} is not a number of {unit.noun or unit.code} (write it in "
            f"{unit.code} like {_example(unit)}: digits and one dot, no commas, sign or exponent)"
        )
    return match[1] or "", match[2] or ""


def _read_person(text: str, unit: Unit, locale: NumberLocale) -> tuple[str, str]:
    """(integer digits, fraction digits) of a person's text, or AmountError."""
    shown = _shown(text.strip())
    body = text.strip()
    if body.lower().endswith(unit.code.lower()):
        body = body[: -len(unit.code)]
    decimal_only = {locale.decimal} - set(_MARKS)
    group_only = _GROUP_ONLY | ({locale.group} - set(_MARKS) - {""})
    body = "".join(c for c in body if c not in group_only)
    if not body:
        raise AmountError("the amount is empty")
    marks = set(_MARKS) | decimal_only
    if any(c not in _DIGITS and c not in marks for c in body) or not _DIGITS & set(body):
        raise AmountError(
            f"{shown!r} is not an amount in {unit.code}: write digits with one decimal mark, "
            f"like {format_amount(150_000_000 if unit.is_bitcoin else 1250, unit, locale)}"
        )
    kinds = [c for c in dict.fromkeys(body) if c in marks]
    if not kinds:
        return body, ""
    if len(kinds) > 2 or any(body.count(k) > 1 for k in kinds if k in decimal_only):
        raise _not_grouped(shown, unit, locale)
    if len(kinds) == 2:
        if kinds[0] in decimal_only:  # a decimal-only mark before a grouping one
            raise _not_grouped(shown, unit, locale)
        group_mark, decimal_mark = kinds  # dict.fromkeys keeps first-seen order
        integer, _, fraction = body.rpartition(decimal_mark)
        if decimal_mark in fraction or group_mark in fraction or body.count(decimal_mark) > 1:
            raise _not_grouped(shown, unit, locale)
        return _ungroup(integer, group_mark, shown, unit, locale), fraction
    mark = kinds[0]
    if body.count(mark) > 1:  # only digit groups repeat: 1,000,000
        return _ungroup(body, mark, shown, unit, locale), ""
    integer, _, fraction = body.partition(mark)
    if mark not in decimal_only and _is_grouped(integer, mark, fraction):
        if unit.decimals >= 3:
            raise _ambiguous(integer, fraction, unit, locale, shown)
        if mark != locale.decimal:  # three decimals are too many here: a digit group
            return integer + fraction, ""
    return integer, fraction


def _is_grouped(integer: str, mark: str, fraction: str) -> bool:
    """``integer<mark>fraction`` is a valid digit grouping (1,000 or 12.500; not 0,500)."""
    return 1 <= len(integer) <= 3 and integer[0] != "0" and len(fraction) == 3


def _ungroup(integer: str, mark: str, shown: str, unit: Unit, locale: NumberLocale) -> str:
    parts = integer.split(mark)
    head, rest = parts[0], parts[1:]
    if not 1 <= len(head) <= 3 or head[0] == "0" or any(len(p) != 3 for p in rest):
        raise _not_grouped(shown, unit, locale)
    return "".join(parts)


def _not_grouped(shown: str, unit: Unit, locale: NumberLocale) -> AmountError:
    example = format_amount(123_456_789 * 10**unit.decimals // 100, unit, locale)
    return AmountError(
        f"{shown!r} is not an amount in {unit.code}: digit groups are three digits each and "
        f"one decimal mark comes last, like {example}"
    )


def _ambiguous(
    integer: str, fraction: str, unit: Unit, locale: NumberLocale, shown: str
) -> AmountError:
    thousands = integer + fraction
    small = integer + locale.decimal + fraction.rstrip("0")
    small = small.rstrip(locale.decimal)
    if len(fraction.rstrip("0")) == 3:
        small += "0"  # 1,0010: four decimals cannot be a digit group
    return AmountError(
        f"{shown!r} could mean {small} or {thousands} {unit.code}; type {thousands} or "
        f"{small} to say which"
    )


def amount_from_decimal(value: Decimal | str | int, unit: Unit = BTC) -> int:
    """An exact amount in ``unit`` (Decimal, machine text or int; never float) in its smallest
    parts: ``amount_from_decimal(Decimal("0.0015")) == 150000``."""
    if isinstance(value, float):
        raise AmountError("give amounts as text or Decimal, not float, to keep them exact")
    if isinstance(value, str):
        return parse_amount(value, unit, positive=False)
    try:
        dec = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise AmountError(f"{value!r} is not an amount in {unit.code}") from None
    if not dec.is_finite() or dec < 0:
        raise AmountError(f"{value!r} is not an amount in {unit.code}")
    return parse_amount(format(dec, "f"), unit, positive=False)


# -- fee rates -----------------------------------------------------------------------------------

#: a fee rate of 10**15 sat/vB or more is no fee rate (and its arithmetic would be unbounded)
_MAX_FEE_DIGITS = 14


def _quoted(value: object) -> str:
    """``value`` as quoted in a message: never the whole of a megabyte of input."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."



@dataclass(frozen=True, order=True)
class FeeRate:
    """Satoshis per 1000 virtual bytes (Bitcoin Core's ``CFeeRate`` unit), so fees are exact
    integers, rounded up as Core does; ``FeeRate.from_sat_per_vb("2.5")``."""

    sat_per_kvb: int

    def __post_init__(self) -> None:
        if isinstance(self.sat_per_kvb, bool) or not isinstance(self.sat_per_kvb, int):
            raise FeeError("a fee rate is a whole number of satoshis per 1000 vbytes")
        if self.sat_per_kvb < 0:
            raise FeeError("a fee rate cannot be negative")

    @classmethod
    def from_sat_per_vb(cls, value: int | str | Decimal) -> FeeRate:
        """From sat/vB, exactly; at most 3 decimals (Core's resolution), never a float."""
        if isinstance(value, float):
            raise FeeError("give fee rates as text or Decimal, not float, to keep them exact")
        try:
            dec = Decimal(value)
        except (InvalidOperation, TypeError, ValueError):
            raise FeeError(f"fee rate {_quoted(value)} is not a number of sat/vB") from None
        if not dec.is_finite():
            raise FeeError(f"fee rate {_quoted(value)} is not a number of sat/vB")
        if dec.adjusted() > _MAX_FEE_DIGITS:  # '1e999999999' would overflow, '1e99999' crawl
            raise FeeError(f"fee rate {_quoted(value)} sat/vB is absurdly large")
        kvb = dec * 1000
        if kvb != kvb.to_integral_value():
            raise FeeError(f"fee rate {_quoted(value)} sat/vB has more than 3 decimals")
        if kvb < 0:
            raise FeeError("a fee rate cannot be negative")
        return cls(int(kvb))

    @classmethod
    def from_btc_per_kvb(cls, value: int | str | Decimal | float) -> FeeRate:
        """From BTC/kvB, the unit of Electrum's ``blockchain.estimatefee`` and Core's RPCs.

        Fractions of a satoshi per kvB are rounded up (a server's estimate is a minimum).
        """
        return cls(_ceil(_reported(value, "BTC/kvB") * COIN))

    @classmethod
    def from_reported_sat_per_vb(cls, value: int | str | Decimal | float) -> FeeRate:
        """From a server's sat/vB (Esplora's ``/fee-estimates``; a JSON number may arrive as a
        float, read through its shortest repr, which is exact), rounded up to Core's
        resolution of 0.001 sat/vB."""
        return cls(_ceil(_reported(value, "sat/vB") * 1000))

    @property
    def sat_per_vb(self) -> Decimal:
        return Decimal(self.sat_per_kvb) / 1000

    def fee(self, vsize: int) -> int:
        """The fee for ``vsize`` virtual bytes, rounded up to a whole satoshi."""
        return -(-self.sat_per_kvb * vsize // 1000)

    def fee_for_weight(self, weight: int) -> int:
        """The fee for ``weight`` units (4 to a virtual byte, rounded up)."""
        return self.fee(-(-weight // 4))

    def __str__(self) -> str:
        return f"{format(self.sat_per_vb.normalize(), 'f')} sat/vB"


def _reported(value: int | str | Decimal | float, unit: str) -> Decimal:
    if isinstance(value, float):
        value = repr(value)  # JSON numbers arrive as floats; their shortest repr is exact
    if isinstance(value, bool):
        raise FeeError(f"fee estimate {_quoted(value)} is not a number of {unit}")
    try:
        dec = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise FeeError(f"fee estimate {_quoted(value)} is not a number of {unit}") from None
    if not dec.is_finite() or dec < 0 or dec.adjusted() > _MAX_FEE_DIGITS:
        raise FeeError(f"fee estimate {_quoted(value)} is not a usable fee rate")
    return dec


def _ceil(value: Decimal) -> int:
    return int(value.to_integral_value(rounding="ROUND_CEILING"))


def median_fee_rate(rates: list[FeeRate]) -> FeeRate | None:
    """The median of several servers' rates (between two middle ones: their mean, rounded up),
    so no one server sets the fee alone; None for none."""
    if not rates:
        return None
    ordered = sorted(r.sat_per_kvb for r in rates)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return FeeRate(ordered[middle])
    return FeeRate(-(-(ordered[middle - 1] + ordered[middle]) // 2))


__all__ = [
    "BITCOIN_UNITS",
    "BITS",
    "BTC",
    "COIN",
    "C_LOCALE",
    "MAX_MONEY",
    "MBTC",
    "SAT",
    "AmountError",
    "FeeError",
    "FeeRate",
    "NumberLocale",
    "Unit",
    "amount_from_decimal",
    "check_sats",
    "currency",
    "format_amount",
    "format_btc",
    "formatter",
    "median_fee_rate",
    "money_range",
    "parse_amount",
]
