"""BBQr (Coinkite's "Better Bitcoin QR"): a file split into QR codes that read in any order.

Each part is ``B$`` + encoding + file type + part count + part index (both two base-36 digits)
+ a slice of the encoded file, all in QR's alphanumeric character set. Encodings: ``H`` hex,
``2`` Base32 (RFC 4648, no padding), ``Z`` raw zlib (window bits 10) then Base32; every part
but the last has the same length and decodes to whole bytes. File types: ``P`` PSBT, ``T``
transaction, ``J`` JSON, ``C`` CBOR, ``U`` UTF-8 text, ``B`` binary. Spec: BBQr.md in
github.com/coinkite/BBQr.

The decoder takes parts in any order with repeats and ignores parts of another file, so a
camera can keep scanning a looping animation; a repeated part with other contents, a bad
header or a corrupt body is an :class:`AnimatedQRError` with a sentence.
"""

from __future__ import annotations

import base64
import binascii
import math
import zlib
from dataclasses import dataclass

from wallet.payments.qr_errors import AnimatedQRError

HEADER = "B$"
HEADER_LEN = 8
ENCODINGS = ("H", "2", "Z")
FILE_TYPES = {
    "P": "PSBT",
    "T": "transaction",
    "J": "JSON",
    "C": "CBOR",
    "U": "text",
    "B": "binary data",
    "X": "executable",
}
MAX_PARTS = 36 * 36 - 1
#: A decompressed file larger than this is refused (a PSBT is at most 16 MiB).
MAX_FILE = 16 * 1024 * 1024
_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


def base36(n: int) -> str:
    """Two base-36 digits, ``00`` to ``ZZ``."""
    if not 0 <= n <= MAX_PARTS:
        raise ValueError(f"{n} does not fit two base-36 digits")
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return digits[n // 36] + digits[n % 36]


def _compress(data: bytes) -> bytes:
    z = zlib.compressobj(9, zlib.DEFLATED, -10)
    return z.compress(data) + z.flush()


def encode_body(data: bytes, encoding: str | None = "Z") -> tuple[str, str, int]:
    """``(encoding used, encoded text, split multiple)``. ``Z`` falls back to ``2`` when
    compressing does not make the file smaller, as the spec asks."""
    if encoding == "H":
        return "H", data.hex().upper(), 2
    if encoding in (None, "Z"):
        packed = _compress(data)
        if len(packed) < len(data):
            return "Z", base64.b32encode(packed).decode().rstrip("="), 8
        encoding = "2"
    if encoding != "2":
        raise ValueError(f"BBQr encodings are H, 2 and Z, not {encoding!r}")
    return "2", base64.b32encode(data).decode().rstrip("="), 8


def split(
    data: bytes,
    file_type: str,
    *,
    encoding: str | None = "Z",
    max_part_chars: int = 500,
) -> list[str]:
    """The parts of ``data``: as few as fit ``max_part_chars`` characters each (header
    included), evened out so the last is not a runt."""
    if file_type not in FILE_TYPES:
        raise ValueError(f"unknown BBQr file type {file_type!r}")
    used, text, mod = encode_body(bytes(data), encoding)
    room = (max_part_chars - HEADER_LEN) // mod * mod
    if room < mod:
        raise ValueError("parts this small cannot hold any data")
    count = max(1, math.ceil(len(text) / room))
    if count > MAX_PARTS:
        raise ValueError(
            f"this file needs {count} parts; BBQr allows {MAX_PARTS}: use bigger parts"
        )
    each = math.ceil(math.ceil(len(text) / count) / mod) * mod
    count = max(1, math.ceil(len(text) / each))
    head = f"{HEADER}{used}{file_type}{base36(count)}"
    return [
        head + base36(n) + text[off : off + each]
        for n, off in enumerate(range(0, max(len(text), 1), each))
    ]


def is_bbqr(text: str) -> bool:
    return text.strip().startswith(HEADER)


@dataclass(frozen=True)
class BBQrFile:
    file_type: str
    data: bytes

    @property
    def kind(self) -> str:
        return FILE_TYPES.get(self.file_type, "file")


def _decode_part(body: str, encoding: str) -> bytes:
    try:
        if encoding == "H":
            if len(body) % 2:
                raise AnimatedQRError("A BBQr hex part has an odd number of digits.")
            return bytes.fromhex(body)
        return base64.b32decode(body + "=" * (-len(body) % 8))
    except (ValueError, binascii.Error):
        raise AnimatedQRError("A BBQr part holds characters its encoding does not use.") from None


def _inflate(packed: bytes) -> bytes:
    z = zlib.decompressobj(-10)
    try:
        out = z.decompress(packed, MAX_FILE + 1)
    except zlib.error:
        raise AnimatedQRError("The BBQr file's compressed data is corrupt.") from None
    if len(out) > MAX_FILE or z.unconsumed_tail:
        raise AnimatedQRError("The BBQr file is larger than 16 MiB once uncompressed.")
    return out


class BBQrDecoder:
    """Collects the parts of one BBQr file."""

    def __init__(self) -> None:
        self.prefix: str | None = None  # the first 6 characters, the same in every part
        self.total = 0
        self.parts: dict[int, str] = {}
        self.result: BBQrFile | None = None

    @property
    def is_complete(self) -> bool:
        return self.result is not None

    @property
    def encoding(self) -> str:
        return self.prefix[2] if self.prefix else ""

    @property
    def file_type(self) -> str:
        return self.prefix[3] if self.prefix else ""

    def receive(self, text: str) -> bool:
        """Take one scanned part; False when it is ignored (another file's part, or done)."""
        if self.result is not None:
            return False
        text = text.strip()
        if len(text) < HEADER_LEN or not text.startswith(HEADER):
            raise AnimatedQRError("This is not a BBQr part: it does not start with B$.")
        prefix, index_text, body = text[:6], text[6:8], text[8:]
        encoding, file_type = prefix[2], prefix[3]
        if encoding not in ENCODINGS:
            raise AnimatedQRError(f"The BBQr encoding {encoding!r} is not H, 2 or Z.")
        if file_type not in FILE_TYPES:
            raise AnimatedQRError(f"The BBQr file type {file_type!r} is unknown.")
        try:
            total, index = int(prefix[4:6], 36), int(index_text, 36)
        except ValueError:
            raise AnimatedQRError("A BBQr header's part numbers are not base 36.") from None
        if total < 1 or index >= total:
            raise AnimatedQRError(f"A BBQr part says it is part {index + 1} of {total}.")
        if not set(body) <= _ALNUM:
            raise AnimatedQRError("A BBQr part holds characters outside QR's alphanumeric set.")
        if self.prefix is not None and prefix != self.prefix:
            return False  # a part of another file, or the same file split otherwise
        known = self.parts.get(index)
        if known is not None and known != body:
            raise AnimatedQRError(f"Part {index + 1} of the BBQr code was read twice, differently.")
        self.prefix, self.total = prefix, total
        self.parts[index] = body
        if len(self.parts) == total:
            self._finish()
        return True

    def _finish(self) -> None:
        try:
            self.result = self._join()
        except AnimatedQRError:
            self.__init__()  # a misread part: start over
            raise

    def _join(self) -> BBQrFile:
        bodies = [self.parts[i] for i in range(self.total)]
        encoding = self.encoding
        mod = 2 if encoding == "H" else 8
        first = len(bodies[0])
        if any(len(b) != first for b in bodies[:-1]) or (self.total > 1 and first % mod):
            raise AnimatedQRError("The BBQr parts are not of equal length: scan the code again.")
        data = b"".join(_decode_part(b, encoding) for b in bodies)
        if encoding == "Z":
            data = _inflate(data)
        return BBQrFile(self.file_type, data)
