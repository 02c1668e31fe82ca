"""The price of bitcoin in the person's currency, as the windows show and use it.

:func:`make_rates` builds the :class:`FiatRates` a wallet's window uses from the app settings:
on mainnet the public sources (``wallet.rates.service.DEFAULT_SOURCES``, through the connection
setting's proxy) unless turned off; for a playground wallet the playground's own price endpoint;
elsewhere (test networks) none, since test coins have no price.

:class:`FiatRates` asks the rate sources (``wallet.rates``) on the thread pool every few
minutes and keeps the last :class:`~wallet.rates.service.Reading`; a rate set by hand (an
offline stall) takes its place. :meth:`FiatRates.rate` is the rate to price by now: the manual
one, else a fetched one no older than :data:`MAX_AGE` -- a stale rate is shown as stale, never
used to price a sale. Amounts are formatted through ``wallet.bitcoin.amount`` in the person's
locale (``wallet.gui.format.number_locale``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from wallet.bitcoin import amount
from wallet.bitcoin.fiat import MANUAL, Rate, fiat_unit, format_price
from wallet.bitcoin.networks import Network
from wallet.gui.format import number_locale

log = logging.getLogger(__name__)

#: How often the sources are asked again (milliseconds).
REFRESH_MS = 5 * 60 * 1000
#: A fetched rate older than this (seconds) is not used to price anything.
MAX_AGE = 30 * 60

SourcesFactory = Callable[[], Sequence[Any]]


def _tr(text: str) -> str:
    return QCoreApplication.translate("FiatRates", text)


class FiatRates(QObject):
    """The currency shown beside bitcoin, its current rate and where it came from.

    ``sources``: the rate sources to ask (``wallet.rates`` adapters), or a function giving
    them when asked (the playground's port is known only once it runs); none: only a rate set
    by hand is used."""

    changed = Signal()

    def __init__(
        self,
        code: str | None = None,
        sources: Sequence[Any] | SourcesFactory = (),
        *,
        manual: Rate | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.currency: amount.Unit | None = fiat_unit(code) if code else None
        self._sources = sources
        self.manual = manual
        self.reading: Any = None  # wallet.rates.service.Reading
        self.error = ""
        self._busy = False
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)

    # -- settings ---------------------------------------------------------------------------------

    @property
    def code(self) -> str | None:
        return self.currency.code if self.currency is not None else None

    def sources(self) -> list[Any]:
        found = self._sources() if callable(self._sources) else self._sources
        return list(found)

    def has_sources(self) -> bool:
        return callable(self._sources) or bool(self._sources)

    def set_currency(self, code: str | None) -> None:
        unit = fiat_unit(code) if code else None
        if unit == self.currency:
            return
        self.currency = unit
        self.reading = None
        if self.manual is not None and (unit is None or self.manual.code != unit.code):
            self.manual = None
        self.changed.emit()
        self.refresh()

    def set_sources(self, sources: Sequence[Any] | SourcesFactory) -> None:
        self._sources = sources
        self.reading = None
        self.changed.emit()
        self.refresh()

    def set_manual(self, rate: Rate | None) -> None:
        """A rate set by hand (None: back to the sources); it must be in the shown currency."""
        if rate is not None and rate.code != self.code:
            self.set_currency(rate.code)
        self.manual = rate
        self.changed.emit()

    def start(self, delay_ms: int = 1500) -> None:
        """Ask the sources after ``delay_ms`` (the window's first paint goes first), then every
        :data:`REFRESH_MS`."""
        self._timer.start()
        QTimer.singleShot(delay_ms, self, self.refresh)

    def stop(self) -> None:
        self._timer.stop()

    # -- asking -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Ask the sources again, on the thread pool (nothing when there are none)."""
        code = self.code
        if code is None or self._busy or not self.has_sources():
            return
        from wallet.gui.workers import run_task

        self._busy = True
        sources_of = self.sources

        def ask() -> Any:
            from wallet.rates.service import fetch_rate

            found = sources_of()
            if not found:
                return None
            return asyncio.run(fetch_rate(code, found))

        def done(reading: Any) -> None:
            self._busy = False
            if reading is None or reading.currency != self.code:
                return
            self.reading = reading
            self.error = ""
            for name, why in reading.failures:
                log.info("rate source %s: %s", name, why)
            self.changed.emit()

        def failed(exc: BaseException) -> None:
            self._busy = False
            self.error = str(exc)
            log.warning("could not ask the rate sources: %s", exc)
            self.changed.emit()

        run_task(ask, on_done=done, on_error=failed)

    @property
    def busy(self) -> bool:
        return self._busy

    # -- using ------------------------------------------------------------------------------------

    def rate(self, now: float | None = None) -> Rate | None:
        """The rate to price by now: the manual one, else a fetched one no older than
        :data:`MAX_AGE`; None when there is none."""
        if self.currency is None:
            return None
        if self.manual is not None:
            return self.manual
        reading = self.reading
        if reading is None or reading.rate is None:
            return None
        if reading.age(now) > MAX_AGE:
            return None
        return reading.rate

    def last_rate(self) -> Rate | None:
        """The latest rate known, even a stale one (to show, never to price by)."""
        if self.manual is not None:
            return self.manual
        reading = self.reading
        return reading.rate if reading is not None else None

    def to_fiat(self, sats: int) -> int | None:
        rate = self.rate()
        return rate.to_fiat(abs(sats)) * (-1 if sats < 0 else 1) if rate is not None else None

    def format_fiat(self, minor: int, *, sign: bool = False) -> str:
        """``minor`` units of the shown currency in the person's locale, with the code."""
        assert self.currency is not None
        return amount.format_amount(minor, self.currency, number_locale(), sign=sign, code=True)

    def fiat_text(self, sats: int, *, sign: bool = False, rate: Rate | None = None) -> str:
        """``sats`` in the shown currency, "≈ 97.50 USD" (at ``rate``, else the current one);
        "" when there is no rate."""
        rate = rate or self.rate()
        if rate is None:
            return ""
        minor = rate.to_fiat(abs(sats)) * (-1 if sats < 0 else 1)
        shown = amount.format_amount(minor, rate.currency, number_locale(), sign=sign, code=True)
        return f"≈ {shown}"

    def price_text(self, rate: Rate | None = None) -> str:
        """ "1 BTC = 65,000.00 USD"."""
        rate = rate or self.last_rate()
        if rate is None:
            return ""
        return f"1 BTC = {format_price(rate, number_locale())} {rate.code}"

    def describe(self, now: float | None = None) -> str:
        """Where the rate comes from and how old it is, in a line."""
        if self.currency is None:
            return QCoreApplication.translate("FiatRates", "No local currency is shown.")
        code = self.currency.code
        if self.manual is not None:
            return QCoreApplication.translate("FiatRates", "{price} · set by hand").format(
                price=self.price_text(self.manual)
            )
        reading = self.reading
        if reading is None or reading.rate is None:
            if not self.has_sources():
                return QCoreApplication.translate(
                    "FiatRates", "No {code} rate: set one by hand."
                ).format(code=code)
            if reading is None and not self.error:
                return QCoreApplication.translate(
                    "FiatRates", "Asking for the {code} rate…"
                ).format(code=code)
            reasons = "; ".join(f"{n}: {w}" for n, w in (reading.failures if reading else ()))
            return QCoreApplication.translate("FiatRates", "No {code} rate: {why}").format(
                code=code, why=reasons or self.error
            )
        age = age_text(reading.age(now))
        names = reading.rate.source
        count = len(reading.quotes)
        if count > 1:
            text = QCoreApplication.translate(
                "FiatRates", "{price} · median of {n} sources ({names}) · {age}"
            )
        else:
            text = QCoreApplication.translate("FiatRates", "{price} · from {names} · {age}")
        text = text.format(price=self.price_text(reading.rate), n=count, names=names, age=age)
        if reading.age(now) > MAX_AGE:
            text += " · " + QCoreApplication.translate("FiatRates", "too old to price by")
        return text


def age_text(seconds: int) -> str:
    """ "just now", "3 min old", "2 h old"."""
    if seconds < 60:
        return QCoreApplication.translate("FiatRates", "just now")
    if seconds < 3600:
        return QCoreApplication.translate("FiatRates", "{n} min old").format(n=seconds // 60)
    return QCoreApplication.translate("FiatRates", "{n} h old").format(n=seconds // 3600)


def make_rates(
    settings: Any,
    network: Network,
    playground_url: Callable[[], str | None] | None = None,
) -> FiatRates:
    """The rates of a wallet's window, as the settings say (see the module's docstring)."""
    code = settings.currency() or None
    sources: Sequence[Any] | Callable[[], Sequence[Any]] = ()
    if playground_url is not None:

        def playground_sources() -> list[Any]:
            from wallet.rates.mempool import MempoolSource

            url = playground_url()
            return [MempoolSource(url, "playground", currencies=None)] if url else []

        sources = playground_sources
    elif network.name == "mainnet" and settings.ask_rate_sources():
        from wallet.rates.service import DEFAULT_SOURCES

        sources = DEFAULT_SOURCES
    rates = FiatRates(code, sources, manual=_manual(settings, code))
    return rates


def _manual(settings: Any, code: str | None) -> Rate | None:
    if not code:
        return None
    stored = settings.manual_rate(code)
    if stored is None:
        return None
    try:
        return Rate(fiat_unit(code), stored[0], MANUAL, stored[1])
    except amount.AmountError:
        return None
