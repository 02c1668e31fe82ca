"""App preferences (the last wallet opened, the amount unit, the language, whether the Advanced
tabs show, the local currency and its rate sources, the till's limits), kept beside Paylight's
data.

Stored as an INI file under :func:`wallet.account.paths.config_dir`, so ``PAYLIGHT_HOME``
isolates tests and portable installs; never in the wallet folder (a preference is not wallet
data) and never holding anything secret.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings

from wallet.account.paths import APP_NAME, config_dir

ORGANIZATION = "Paylight"
SETTINGS_FILE = "gui.ini"


def configure_application(app: QCoreApplication) -> None:
    """Names Qt needs for QSettings (the scanner remembers its camera with them)."""
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APP_NAME)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(config_dir()))


class AppSettings:
    """Typed access to the GUI's preferences file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_dir() / SETTINGS_FILE
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat)

    def last_wallet(self) -> Path | None:
        value = self._qs.value("wallet/last", "")
        return Path(str(value)) if value else None

    def set_last_wallet(self, path: Path | None) -> None:
        self._qs.setValue("wallet/last", str(path) if path else "")
        self._qs.sync()

    def proxy(self) -> str:
        """The connection setting: "" (direct), "tor" (127.0.0.1:9050), "tor-browser"
        (127.0.0.1:9150) or socks5://host:port (see :mod:`wallet.net.proxy`), kept beside this
        file in the one the command line reads too (:mod:`wallet.account.proxy_setting`); an
        app that stored it in this file before keeps it until it is next saved."""
        from wallet.account.proxy_setting import FILE_NAME, load_proxy_setting

        shared = self.path.parent / FILE_NAME
        if shared.exists():
            return load_proxy_setting(shared)
        return str(self._qs.value("network/proxy", ""))

    def set_proxy(self, value: str) -> None:
        from wallet.account.proxy_setting import FILE_NAME, save_proxy_setting

        save_proxy_setting(value, self.path.parent / FILE_NAME)  # refuses a non-proxy
        self._qs.remove("network/proxy")
        self._qs.sync()

    # -- local currency ---------------------------------------------------------------------------

    def currency(self) -> str:
        """The currency shown beside bitcoin: chosen, else the system locale's (USD when the
        locale has none Paylight knows); "" when the person turned it off."""
        value = self._qs.value("fiat/currency", None)
        if value is not None:
            return str(value)
        from PySide6.QtCore import QLocale

        from wallet.bitcoin.fiat import ISO_4217_DECIMALS

        code = QLocale().currencySymbol(QLocale.CurrencySymbolFormat.CurrencyIsoCode)
        return code if code in ISO_4217_DECIMALS else "USD"

    def set_currency(self, code: str) -> None:
        if code:
            from wallet.bitcoin.fiat import fiat_unit

            code = fiat_unit(code).code  # refuse a code that is none
        self._qs.setValue("fiat/currency", code)
        self._qs.sync()

    def ask_rate_sources(self) -> bool:
        """Whether the public price sources may be asked (off: only a rate set by hand)."""
        return str(self._qs.value("fiat/sources", "on")) != "off"

    def set_ask_rate_sources(self, on: bool) -> None:
        self._qs.setValue("fiat/sources", "on" if on else "off")
        self._qs.sync()

    def manual_rate(self, code: str) -> tuple[str, int] | None:
        """The price of a bitcoin in ``code`` set by hand, and when: (machine text, Unix time)."""
        value = str(self._qs.value(f"fiat/manual/{code}", ""))
        text, _, at = value.partition("@")
        return (text, int(at)) if text and at.isdigit() else None

    def set_manual_rate(self, code: str, price: str | None, at: int = 0) -> None:
        key = f"fiat/manual/{code}"
        if price:
            self._qs.setValue(key, f"{price}@{at}")
        else:
            self._qs.remove(key)
        self._qs.sync()

    # -- the till ---------------------------------------------------------------------------------

    def till_value(self, key: str, default: str = "") -> str:
        """A till setting as text (per-sale limit, 0-conf acceptance; see wallet.gui.pos)."""
        return str(self._qs.value(f"till/{key}", default))

    def set_till_value(self, key: str, value: str) -> None:
        self._qs.setValue(f"till/{key}", value)
        self._qs.sync()

    def unit(self) -> str:
        return str(self._qs.value("display/unit", "BTC"))

    def set_unit(self, unit: str) -> None:
        self._qs.setValue("display/unit", unit)
        self._qs.sync()

    def language(self) -> str:
        """The language chosen ("" follows the system; see :mod:`wallet.gui.i18n`)."""
        return str(self._qs.value("display/language", ""))

    def set_language(self, language: str) -> None:
        self._qs.setValue("display/language", language)
        self._qs.sync()

    def advanced(self) -> bool:
        """Whether the main window shows its Advanced tabs (coins, addresses, light node)."""
        return str(self._qs.value("display/advanced", "false")).lower() == "true"

    def set_advanced(self, on: bool) -> None:
        self._qs.setValue("display/advanced", "true" if on else "false")
        self._qs.sync()
