"""The language the GUI speaks: Qt translators for Paylight's own strings and for Qt's (dialog
and wizard buttons, text-field menus), and the ``QLocale`` numbers and dates follow.

The language is the one chosen in the settings, or else the system's first UI language that
Paylight has (English otherwise). English is the source language: nothing is loaded for it.
Translations are ``.qm`` files compiled from ``resources/i18n/*.ts`` (``wallet.gui.i18n_build``);
a source checkout compiles a missing or stale one on first use. The command line stays English.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from wallet.gui import i18n_build

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "en"
#: Every language offered, in its own words (a list of languages is never translated).
LANGUAGES: dict[str, str] = {"en": "English", "zh_CN": "简体中文", "es": "Español"}
#: The setting's value for "follow the system".
SYSTEM = ""


def system_language(ui_languages: list[str] | None = None) -> str:
    """The first of the system's UI languages (``QLocale.system().uiLanguages()``, most
    preferred first) that Paylight speaks: ``zh-Hans-CN``, ``zh-CN`` and ``zh`` are
    Simplified Chinese (``zh-TW``/``zh-Hant`` are not), any ``es-*`` is Spanish."""
    names = QLocale.system().uiLanguages() if ui_languages is None else ui_languages
    for name in names:
        parts = name.replace("_", "-").lower().split("-")
        if parts[0] == "en":
            return "en"
        if parts[0] == "es":
            return "es"
        if parts[0] == "zh" and not {"tw", "hk", "mo", "hant"} & set(parts[1:]):
            return "zh_CN"
    return SOURCE_LANGUAGE


def resolve(setting: str) -> str:
    """The language to use for a setting's value ("" or unknown: the system's)."""
    return setting if setting in LANGUAGES else system_language()


def locale_for(language: str, *, chosen: bool) -> QLocale:
    """How numbers and dates are written: the system's own way when the language follows the
    system or is the system's language (a Mexican system keeps its decimal point in Spanish);
    else the chosen language's usual way (``es``: Spain's decimal comma, ``zh_CN``: China's)."""
    system = QLocale.system()
    wanted = QLocale(language)
    if not chosen or system.language() == wanted.language():
        return system
    return wanted


def qm_file(language: str) -> Path | None:
    """The compiled translation of ``language``, or None. In a source checkout (the ``.ts``
    beside the code) a missing or older ``.qm`` is compiled first, as the build step would."""
    qm = i18n_build.PACKAGED / i18n_build.qm_name(language)
    ts = i18n_build.ts_file(language)
    if not getattr(sys, "frozen", False) and ts.is_file():
        try:
            if not qm.is_file() or qm.stat().st_mtime < ts.stat().st_mtime:
                i18n_build.compile_one(ts, qm)
        except (OSError, i18n_build.TranslationBuildError) as exc:
            log.warning("could not compile %s: %s", ts, exc)
    return qm if qm.is_file() else None


class Translations:
    """The translators installed in the application (one set at a time)."""

    def __init__(self) -> None:
        self.language = SOURCE_LANGUAGE
        self._installed: list[QTranslator] = []

    def install(self, app: QCoreApplication, language: str, *, chosen: bool = True) -> bool:
        """Speak ``language`` from now on (Qt sends every widget a LanguageChange event);
        False if its translation could not be loaded (English is then kept). ``chosen``: picked
        in the settings, rather than the system's language."""
        for translator in self._installed:
            app.removeTranslator(translator)
        self._installed = []
        ok = True
        if language != SOURCE_LANGUAGE:
            qm = qm_file(language)
            own = QTranslator(app)
            if qm is None or not own.load(str(qm)):
                log.warning("no translation for %s; the GUI stays in English", language)
                ok = False
            else:
                self._installed.append(own)
                qt = QTranslator(app)  # Qt's own: Next/Back/Cancel, OK, Copy/Paste menus
                if qt.load(f"qtbase_{language}", _qt_translations()):
                    self._installed.append(qt)
        for translator in self._installed:
            app.installTranslator(translator)
        self.language = language if ok else SOURCE_LANGUAGE
        QLocale.setDefault(locale_for(self.language, chosen=chosen))
        return ok


def _qt_translations() -> str:
    """Where Qt's own .qm files are: Qt's translations path, or PySide6's copy of them (a
    bundle may not carry a qt.conf that points there)."""
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if path and Path(path).is_dir():
        return path
    import PySide6

    return str(Path(PySide6.__file__).parent / "Qt" / "translations")


#: The application's translators.
translations = Translations()


def install(app: QCoreApplication, setting: str) -> str:
    """Install the translation for a setting's value; the language now spoken."""
    translations.install(app, resolve(setting), chosen=setting in LANGUAGES)
    return translations.language


def current_language() -> str:
    return translations.language
