"""Animated QR codes, both standards: collecting scanned frames, and making frames to show.

:class:`AnimatedCollector` takes the text of every code the camera reads -- in any order, with
repeats, gaps and the odd misread -- and works out which standard it is (BC-UR ``ur:`` or BBQr
``B$``), how far along it is ("27 of 40 parts") and, once complete, the file it carried. A
misread frame is counted and skipped, never fatal: the animation comes round again. A plain
one-frame code (a base64 PSBT, a descriptor) completes at once.

:class:`AnimatedEncoder` makes the frames: ``density`` sets the bytes per frame (fewer bytes
make smaller codes that a poor camera reads more easily, at the cost of more frames) and
``fps`` how fast a screen should show them. BC-UR frames never run out (fountain parts after
the first round, so a reader that missed some frames still finishes); BBQr repeats its parts.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterator
from dataclasses import dataclass

from wallet.payments import bbqr
from wallet.payments.qr_errors import AnimatedQRError
from wallet.payments.ur import registry
from wallet.payments.ur.ur import UR, URDecoder, UREncoder, is_ur


class Standard(enum.StrEnum):
    UR = "ur"
    BBQR = "bbqr"
    TEXT = "text"  # one ordinary code


#: Bytes of the file per frame. "medium" makes codes of version ~12 that phone-sized cameras
#: read at arm's length; "low" suits old webcams, "high" sharp cameras at close range.
DENSITIES = {"low": 80, "medium": 150, "high": 300, "max": 600}
DEFAULT_FPS = 5.0


@dataclass(frozen=True)
class Progress:
    standard: Standard | None
    received: int  # parts (BBQr) or fragments (UR) known so far
    total: int | None
    frames: int  # frames taken (accepted)
    rejected: int  # frames that were misread or of another code

    def text(self) -> str:
        if self.total is None:
            return "Waiting for the first part" if not self.frames else "Reading…"
        return f"{self.received} of {self.total} parts"

    @property
    def fraction(self) -> float:
        return 0.0 if not self.total else min(1.0, self.received / self.total)


@dataclass(frozen=True)
class CollectedCode:
    """What an animated (or single) code carried."""

    standard: Standard
    type: str  # UR type ("crypto-psbt"), BBQr file type ("P"), or "text"
    data: bytes  # the UR's CBOR, the BBQr file, or the text in UTF-8

    @property
    def is_psbt(self) -> bool:
        if self.standard is Standard.UR:
            return self.type in registry.PSBT_TYPES
        if self.standard is Standard.BBQR:
            return self.type == "P"
        return False

    def psbt(self) -> bytes:
        """The PSBT's bytes (a UR's CBOR unwrapped); AnimatedQRError when it holds no PSBT."""
        if self.standard is Standard.UR:
            return registry.psbt_from_ur(UR(self.type, self.data))
        if self.standard is Standard.BBQR and self.type == "P":
            return self.data
        if self.standard is Standard.BBQR and self.type == "T":
            raise AnimatedQRError("This code holds a finished transaction, not a PSBT.")
        raise AnimatedQRError("This code does not hold a PSBT.")

    @property
    def ur(self) -> UR | None:
        return UR(self.type, self.data) if self.standard is Standard.UR else None

    def text(self) -> str:
        return self.data.decode("utf-8", "replace")


class AnimatedCollector:
    """Collects the frames of one animated code. Not thread-safe: one thread feeds it."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.standard: Standard | None = None
        self._ur = URDecoder()
        self._bbqr = bbqr.BBQrDecoder()
        self.result: CollectedCode | None = None
        self.frames = 0
        self.rejected = 0
        self.last_error: str | None = None
        self._seen: set[str] = set()

    @property
    def is_complete(self) -> bool:
        return self.result is not None

    def feed(self, text: str) -> bool:
        """Take one scanned text; True when it moved the scan on (a new part, or the end)."""
        if self.result is not None:
            return False
        text = text.strip()
        if text in self._seen:  # the same frame again: the camera sees each one many times
            return False
        standard = (
            Standard.UR if is_ur(text) else Standard.BBQR if bbqr.is_bbqr(text) else Standard.TEXT
        )
        if self.standard is not None and standard is not self.standard:
            self.rejected += 1
            return False
        try:
            taken = self._take(standard, text)
        except AnimatedQRError as exc:
            self.rejected += 1
            self.last_error = str(exc)
            return False
        if not taken:
            self.rejected += 1
            return False
        if len(self._seen) < 100_000:
            self._seen.add(text)
        self.standard = standard
        self.frames += 1
        return True

    def _take(self, standard: Standard, text: str) -> bool:
        if standard is Standard.UR:
            if not self._ur.receive(text):
                return False
            if self._ur.result is not None:
                ur = self._ur.result
                self.result = CollectedCode(Standard.UR, ur.type, ur.cbor)
            return True
        if standard is Standard.BBQR:
            if not self._bbqr.receive(text):
                return False
            if self._bbqr.result is not None:
                found = self._bbqr.result
                self.result = CollectedCode(Standard.BBQR, found.file_type, found.data)
            return True
        self.result = CollectedCode(Standard.TEXT, "text", text.encode("utf-8"))
        return True

    @property
    def progress(self) -> Progress:
        received, total = 0, None
        if self.standard is Standard.UR:
            fountain = self._ur.fountain
            total = fountain.seq_len or (1 if self.result else None)
            received = total if self.result is not None else fountain.fragments_known
        elif self.standard is Standard.BBQR:
            total = self._bbqr.total or len(self._bbqr.parts)
            received = total if self.result is not None else len(self._bbqr.parts)
        elif self.standard is Standard.TEXT:
            total = received = 1
        return Progress(self.standard, received or 0, total, self.frames, self.rejected)


def density_bytes(density: str | int) -> int:
    """Bytes per frame for a named density or a number."""
    if isinstance(density, int):
        if not 20 <= density <= 2000:
            raise ValueError("a frame holds 20 to 2000 bytes")
        return density
    try:
        return DENSITIES[density]
    except KeyError:
        raise ValueError(
            f"density {density!r}: choose {', '.join(DENSITIES)} or a number of bytes"
        ) from None


class AnimatedEncoder:
    """Frames (QR texts) for ``data`` in one standard; ``next_frame`` never runs out."""

    def __init__(
        self,
        data: bytes,
        standard: Standard = Standard.UR,
        *,
        kind: str = "psbt",
        density: str | int = "medium",
        fps: float = DEFAULT_FPS,
        ur_type: str | None = None,
    ) -> None:
        if not 0.5 <= fps <= 30:
            raise ValueError("the frame rate must be 0.5 to 30 frames per second")
        self.standard = standard
        self.fps = float(fps)
        size = density_bytes(density)
        self._index = 0
        if standard is Standard.UR:
            if kind == "psbt":
                ur = registry.psbt_to_ur(data, ur_type or "crypto-psbt")
            else:
                ur = UR(ur_type or "bytes", data)
            self._ur: UREncoder | None = UREncoder(ur, max_fragment_len=size)
            self.cycle = self._ur.seq_len
            self._parts: list[str] = []
        elif standard is Standard.BBQR:
            file_type = {"psbt": "P", "transaction": "T", "text": "U"}.get(kind, "B")
            chars = 8 + math.ceil(size * 8 / 5)  # Base32 carries 5 bits a character
            self._ur = None
            self._parts = bbqr.split(data, file_type, max_part_chars=chars)
            self.cycle = len(self._parts)
        else:
            raise ValueError(f"frames are made as ur or bbqr, not {standard}")

    @property
    def interval_ms(self) -> int:
        return round(1000 / self.fps)

    def next_frame(self) -> str:
        """The next frame's text, upper-case for QR's dense alphanumeric mode."""
        if self._ur is not None:
            return self._ur.next_part().upper()
        frame = self._parts[self._index % len(self._parts)]
        self._index += 1
        return frame

    def frames(self, count: int | None = None) -> list[str]:
        """``count`` frames; by default one round, or twice that for a fountain-coded UR so a
        reader that missed frames can still finish from one recording."""
        if count is None:
            count = self.cycle if self._ur is None or self.cycle == 1 else 2 * self.cycle
        return [self.next_frame() for _ in range(count)]

    def __iter__(self) -> Iterator[str]:
        while True:
            yield self.next_frame()
