"""Local money: ISO 4217 currencies and the price of a bitcoin in one, exactly.

A fiat amount is, like a bitcoin amount, a whole number of its smallest part: the currency's
ISO 4217 minor unit (cents; a yen has none; a Kuwaiti dinar has three), kept as a
:class:`wallet.bitcoin.amount.Unit` so the one formatter and parser of ``amount.py`` serve it.
A :class:`Rate` is the price of one bitcoin in a currency's major unit as a ``Decimal`` (never a
float), with where it came from and when; it converts both ways with stated rounding: a price
asked of a customer rounds *up* to a whole satoshi (the merchant never receives less than the
price), a value shown rounds to the nearest minor unit.

Nothing here knows where a rate comes from (``wallet.rates`` fetches them) or trusts one: a
rate is a claim of the sources named in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_EVEN, Decimal, InvalidOperation

from wallet.bitcoin.amount import (
    COIN,
    AmountError,
    NumberLocale,
    Unit,
    check_sats,
    currency,
    format_amount,
    parse_amount,
)

#: ISO 4217 minor-unit digits of the currencies a person is likely to pick (the list grows by
#: appending; a code missing here is refused rather than guessed).
ISO_4217_DECIMALS: dict[str, int] = {
    "AED": 2, "ARS": 2, "AUD": 2, "BDT": 2, "BGN": 2, "BHD": 3, "BOB": 2, "BRL": 2,
    "CAD": 2, "CHF": 2, "CLP": 0, "CNY": 2, "COP": 2, "CRC": 2, "CZK": 2, "DKK": 2,
    "DOP": 2, "DZD": 2, "EGP": 2, "ETB": 2, "EUR": 2, "GBP": 2, "GHS": 2, "GTQ": 2,
    "HKD": 2, "HUF": 2, "IDR": 2, "ILS": 2, "INR": 2, "IQD": 3, "ISK": 0, "JOD": 3,
    "JPY": 0, "KES": 2, "KRW": 0, "KWD": 3, "KZT": 2, "LBP": 2, "LKR": 2, "MAD": 2,
    "MXN": 2, "MYR": 2, "NGN": 2, "NOK": 2, "NPR": 2, "NZD": 2, "OMR": 3, "PEN": 2,
    "PHP": 2, "PKR": 2, "PLN": 2, "PYG": 0, "QAR": 2, "RON": 2, "RSD": 2, "RUB": 2,
    "SAR": 2, "SEK": 2, "SGD": 2, "THB": 2, "TND": 3, "TRY": 2, "TWD": 2, "TZS": 2,
    "UAH": 2, "UGX": 0, "USD": 2, "UYU": 2, "UZS": 2, "VES": 2, "VND": 0, "XAF": 0,
    "XOF": 0, "ZAR": 2,
}  # fmt: skip

#: The source of a rate a person typed in (an offline stall's).
MANUAL = "set by hand"
#: A bitcoin priced at this or more in any currency is no price (and keeps arithmetic bounded).
MAX_PRICE = Decimal(10) ** 15
#: Prices are kept to this many decimal places of the major unit.
PRICE_PLACES = 8
_QUANTUM = Decimal(1).scaleb(-PRICE_PLACES)


class RateError(AmountError):
    """A price of bitcoin that is not usable (not a number, zero, absurd); says why."""


def fiat_unit(code: str) -> Unit:
    """The :class:`Unit` of an ISO 4217 currency code: ``fiat_unit("JPY").decimals == 0``."""
    code = code.strip().upper()
    decimals = ISO_4217_DECIMALS.get(code)
    if decimals is None:
        raise RateError(
            f"{code!r} is not a currency Paylight knows (give an ISO 4217 code such as USD, "
            "EUR, CNY or JPY)"
        )
    return currency(code, decimals)


def known_currencies() -> list[str]:
    return sorted(ISO_4217_DECIMALS)


def parse_price(value: object, what: str = "a price") -> Decimal:
    """A price of one bitcoin as an exact Decimal from text, an int or a Decimal (a JSON number
    arrives as float: its shortest repr is read, which is what the server wrote). Refuses zero,
    negatives, non-numbers and absurd sizes with a sentence."""
    if isinstance(value, bool):
        raise RateError(f"{what} is not a number")
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, str):
        value = value.strip()
        if len(value) > 40:
            raise RateError(f"{what} is not a number")
    if not isinstance(value, str | int | Decimal):
        raise RateError(f"{what} is not a number")
    try:
        price = Decimal(value)
    except (InvalidOperation, ValueError):
        raise RateError(f"{what} ({str(value)[:40]!r}) is not a number") from None
    if not price.is_finite() or price <= 0:
        raise RateError(f"{what} must be more than zero")
    if price >= MAX_PRICE:
        raise RateError(f"{what} is absurdly large")
    price = price.quantize(_QUANTUM, rounding=ROUND_HALF_EVEN).normalize()
    if price <= 0:
        raise RateError(f"{what} is too small to be a price of bitcoin")
    # normalize() may give an exponent form (1E+5): keep the plain digits
    return Decimal(format(price, "f"))


@dataclass(frozen=True)
class Rate:
    """The price of one bitcoin in ``currency`` (its major unit: 43,753.12 USD), as stated by
    ``source`` at ``at`` (Unix time). ``source`` names the sources (the median of several, or
    "manual")."""

    currency: Unit
    price: Decimal
    source: str = ""
    at: int = 0

    def __post_init__(self) -> None:
        if self.currency.is_bitcoin:
            raise RateError("a rate is a price in a fiat currency, not in a bitcoin unit")
        object.__setattr__(self, "price", parse_price(self.price, "the rate"))

    @property
    def code(self) -> str:
        return self.currency.code

    def to_fiat(self, sats: int) -> int:
        """``sats`` in the currency's minor units, to the nearest (half to even)."""
        check_sats(sats)
        scaled = Decimal(sats) * self.price * (10**self.currency.decimals) / COIN
        return int(scaled.to_integral_value(rounding=ROUND_HALF_EVEN))

    def to_sats(self, minor: int) -> int:
        """``minor`` units of the currency in satoshis, rounded up: a price asked in fiat is
        never paid with less. AmountError beyond 21 million BTC."""
        if isinstance(minor, bool) or not isinstance(minor, int) or minor < 0:
            raise AmountError("a fiat amount is a whole number of its minor unit")
        sats = Decimal(minor) * COIN / (self.price * 10**self.currency.decimals)
        return check_sats(int(sats.to_integral_value(rounding=ROUND_CEILING)), "the amount")

    def price_text(self) -> str:
        """The price as machine text (digits and a dot): ``43753.12``."""
        return format(self.price, "f")


@dataclass(frozen=True)
class Price:
    """An amount asked in fiat (``amount`` minor units of the rate's currency) with the rate
    locked when it was asked: the bitcoin it costs is fixed from then on (:attr:`sats`)."""

    amount: int
    rate: Rate

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int) or self.amount <= 0:
            raise AmountError("a price is a whole number of the currency's minor unit above 0")

    @property
    def sats(self) -> int:
        return self.rate.to_sats(self.amount)


def median_price(prices: Sequence[Decimal]) -> Decimal:
    """The median of several sources' prices (the mean of the two middle ones for an even
    count), so no one source sets the rate alone."""
    if not prices:
        raise RateError("no price to take the median of")
    ordered = sorted(prices)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return parse_price((ordered[middle - 1] + ordered[middle]) / 2)




def read_price(text: str, code: str, locale: NumberLocale | None = None) -> Decimal:
    """A price typed by a person (``locale``: an ``amount.NumberLocale``; None for the machine
    form), read with the same rules as amounts: "431.234,56" in German, "1,000" refused as
    ambiguous."""
    unit = Unit(fiat_unit(code).code, PRICE_PLACES, code, f"{code} per bitcoin")
    scaled = parse_amount(text, unit, locale)
    return parse_price(Decimal(scaled).scaleb(-PRICE_PLACES), f"the price of a bitcoin in {code}")


def format_price(rate: Rate, locale: NumberLocale | None = None) -> str:
    """``rate``'s price as a person reads it: to the currency's own decimals, grouped in
    ``locale`` (an ``amount.NumberLocale``): ``65,432.10``."""
    scale = Decimal(10) ** rate.currency.decimals
    minor = int((rate.price * scale).to_integral_value(rounding=ROUND_HALF_EVEN))
    return format_amount(minor, rate.currency, locale)


__all__ = [
    "ISO_4217_DECIMALS",
    "MANUAL",
    "MAX_PRICE",
    "Price",
    "Rate",
    "RateError",
    "fiat_unit",
    "format_price",
    "known_currencies",
    "median_price",
    "parse_price",
    "read_price",
]
