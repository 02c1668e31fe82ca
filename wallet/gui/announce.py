"""The till says when money arrives: a chime, and the amount spoken where the system can speak.

As a stall's speaker announces each payment, so the merchant need not look at the screen. The
chime is ``resources/sounds/paid.wav`` (made by ``resources/sounds/make_sounds.py``, no
recording) played through ``QSoundEffect``; the words go to ``QTextToSpeech`` in the UI's
language. Either may be missing (no audio device, no speech engine, a bundle without the
plugin): then that part stays silent, and nothing else changes. What was played and said is
kept (``played``, ``said``) so it can be checked.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, QObject, QUrl

log = logging.getLogger(__name__)

SOUND = "paid.wav"


def sound_file() -> Path | None:
    """The chime: source tree, installed wheel (<prefix>/share/paylight) or bundle."""
    roots = [Path(__file__).resolve().parents[2], Path(sys.prefix) / "share" / "paylight"]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        roots.insert(0, Path(bundle))
    for root in roots:
        path = root / "resources" / "sounds" / SOUND
        if path.is_file():
            return path
    return None


class Announcer(QObject):
    """Plays the chime and speaks a sentence; ``speech_engine`` names a QTextToSpeech engine
    ("" for the system's default; "mock" is Qt's silent test engine)."""

    def __init__(self, parent: QObject | None = None, *, speech_engine: str = "") -> None:
        super().__init__(parent)
        self.played = 0
        self.said: list[str] = []
        self._effect: Any = None
        self._speech: Any = None
        self._engine = speech_engine
        self._ready = False

    def _prepare(self) -> None:
        """Made on first use: opening the till does not wait for the audio system."""
        if self._ready:
            return
        self._ready = True
        path = sound_file()
        try:
            from PySide6.QtMultimedia import QSoundEffect

            if path is not None:
                self._effect = QSoundEffect(self)
                self._effect.setSource(QUrl.fromLocalFile(str(path)))
                self._effect.setVolume(0.8)
        except Exception:  # no multimedia plugin in this install
            log.info("no sound: QtMultimedia is not usable here", exc_info=True)
            self._effect = None
        try:
            from PySide6.QtTextToSpeech import QTextToSpeech

            engines = QTextToSpeech.availableEngines()
            if self._engine and self._engine in engines:
                speech = QTextToSpeech(self._engine, self)
            elif engines and not self._engine:
                speech = QTextToSpeech(self)
            else:
                speech = None
            if speech is not None and speech.state() != QTextToSpeech.State.Error:
                speech.setLocale(QLocale())
                self._speech = speech
        except Exception:
            log.info("no speech: QtTextToSpeech is not usable here", exc_info=True)
            self._speech = None

    @property
    def can_speak(self) -> bool:
        self._prepare()
        return self._speech is not None

    def announce(self, sentence: str) -> None:
        """The chime, then ``sentence`` spoken (each only where the system has it)."""
        self._prepare()
        if self._effect is not None:
            self._effect.play()
        self.played += 1
        if self._speech is not None:
            try:
                self._speech.say(sentence)
                self.said.append(sentence)
            except Exception:
                log.info("the speech engine failed", exc_info=True)

    def stop(self) -> None:
        if self._effect is not None:
            self._effect.stop()
        if self._speech is not None:
            self._speech.stop()
