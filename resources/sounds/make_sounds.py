"""Writes ``paid.wav``, the till's "money arrived" chime, from nothing but arithmetic.

    python3 resources/sounds/make_sounds.py

Two bell-like notes (E6 then A6: a rising fourth, as cash registers and payment apps chime),
each a sine with a quieter octave partial under an exponential decay, 16-bit mono at 22,050 Hz.
No recording is involved, so there is nothing to license; running it again gives the same bytes.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22_050
NOTES = ((1318.5, 0.0), (1760.0, 0.14))  # (Hz, start in seconds)
LENGTH = 0.75  # seconds
DECAY = 7.0  # per second
VOLUME = 0.42  # of full scale, both notes together stay below clipping


def samples() -> list[int]:
    out = []
    for n in range(int(RATE * LENGTH)):
        t = n / RATE
        value = 0.0
        for freq, start in NOTES:
            if t < start:
                continue
            s = t - start
            attack = min(1.0, s / 0.004)  # 4 ms, no click
            envelope = attack * math.exp(-DECAY * s)
            value += envelope * (
                math.sin(2 * math.pi * freq * s) + 0.3 * math.sin(4 * math.pi * freq * s)
            )
        fade = min(1.0, (LENGTH - t) / 0.05)  # the last 50 ms fade to silence
        out.append(round(max(-1.0, min(1.0, value * VOLUME * fade)) * 32767))
    return out


def main() -> None:
    path = Path(__file__).with_name("paid.wav")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(b"".join(struct.pack("<h", s) for s in samples()))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
