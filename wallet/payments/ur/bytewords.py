"""Bytewords (BCR-2020-012): 256 four-letter words, one per byte, with a CRC32 at the end.

A word's first and last letters are unique among the 256, so the *minimal* style (used inside
``ur:`` strings) keeps only those two letters. Every encoding carries the CRC32 of the bytes
(big-endian), so a misread frame is refused instead of decoded into wrong bytes.
"""

from __future__ import annotations

import enum
import zlib

from wallet.payments.qr_errors import AnimatedQRError

_WORD_LIST = (
    "able acid also apex aqua arch atom aunt away axis back bald barn belt beta bias blue body "
    "brag brew bulb buzz calm cash cats chef city claw code cola cook cost crux curl cusp cyan "
    "dark data days deli dice diet door down draw drop drum dull duty each easy echo edge epic "
    "even exam exit eyes fact fair fern figs film fish fizz flap flew flux foxy free frog fuel "
    "fund gala game gear gems gift girl glow good gray grim guru gush gyro half hang hard hawk "
    "heat help high hill holy hope horn huts iced idea idle inch inky into iris iron item jade "
    "jazz join jolt jowl judo jugs jump junk jury keep keno kept keys kick kiln king kite kiwi "
    "knob lamb lava lazy leaf legs liar limp lion list logo loud love luau luck lung main many "
    "math maze memo menu meow mild mint miss monk nail navy need news next noon note numb obey "
    "oboe omit onyx open oval owls paid part peck play plus poem pool pose puff puma purr quad "
    "quiz race ramp real redo rich road rock roof ruby ruin runs rust safe saga scar sets silk "
    "skew slot soap solo song stub surf swan taco task taxi tent tied time tiny toil tomb toys "
    "trip tuna twin ugly undo unit urge user vast very veto vial vibe view visa void vows wall "
    "wand warm wasp wave waxy webs what when whiz wolf work yank yawn yell yoga yurt zaps zero "
    "zest zinc zone zoom"
)
WORDS = tuple(_WORD_LIST.split())
assert len(WORDS) == 256
_BY_WORD = {w: i for i, w in enumerate(WORDS)}
_BY_MINIMAL = {w[0] + w[3]: i for i, w in enumerate(WORDS)}
assert len(_BY_MINIMAL) == 256


class Style(enum.Enum):
    STANDARD = " "  # words separated by spaces
    URI = "-"  # words separated by dashes
    MINIMAL = ""  # first and last letter of each word, run together


def crc32(data: bytes) -> bytes:
    """CRC-32 (ISO-HDLC, as zlib) of ``data``, big-endian: the checksum bytewords append."""
    return zlib.crc32(data).to_bytes(4, "big")


def encode(data: bytes, style: Style = Style.MINIMAL) -> str:
    """``data`` and its CRC32 as bytewords."""
    full = bytes(data) + crc32(data)
    if style is Style.MINIMAL:
        return "".join(WORDS[b][0] + WORDS[b][3] for b in full)
    return style.value.join(WORDS[b] for b in full)


def decode(text: str, style: Style = Style.MINIMAL) -> bytes:
    """The bytes of a bytewords string, after checking its CRC32 (case does not matter)."""
    low = text.strip().lower()
    try:
        if style is Style.MINIMAL:
            if len(low) % 2:
                raise AnimatedQRError("The bytewords text has an odd number of letters.")
            values = [_BY_MINIMAL[low[i : i + 2]] for i in range(0, len(low), 2)]
        else:
            values = [_BY_WORD[w] for w in low.split(style.value) if w]
    except KeyError as exc:
        raise AnimatedQRError(f"{exc.args[0]!r} is not a byteword.") from None
    if len(values) < 5:
        raise AnimatedQRError("The bytewords text is too short to hold data and its checksum.")
    raw = bytes(values)
    body, check = raw[:-4], raw[-4:]
    if crc32(body) != check:
        raise AnimatedQRError("The bytewords checksum does not match: the code was misread.")
    return body
