"""QR codes for screens and files: module matrix, crisp pixel scaling, PNG and SVG.

Why these choices:
- Error correction M by default. A code on a screen does not get dirty or torn like print, so H's
  extra redundancy would only make modules smaller; M (15 %) still covers a glare spot or moiré.
  Payloads too long for M (a big PSBT) step down to L automatically unless a level is forced.
- A quiet zone of 4 modules (the spec's minimum): readers need it to find the finder patterns.
- Pixels are whole multiples of a module (nearest neighbour), never resampled, so edges stay
  sharp at any size; SVG output is vector and drawn with ``crispEdges``.
- BIP21's upper-case trick (see :func:`wallet.payments.qr_payload.qr_text`) for URIs.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from wallet.payments.qr_errors import QREncodeError
from wallet.payments.qr_payload import qr_text

QUIET_ZONE = 4
EC_LEVELS = ("L", "M", "Q", "H")
DEFAULT_EC = "M"


@dataclass(frozen=True)
class QRSymbol:
    """One QR symbol: its dark modules (no quiet zone) and how it was made."""

    text: str | bytes  # exactly what was encoded (after the upper-case trick)
    modules: np.ndarray  # bool, True = dark, shape (n, n), without the quiet zone
    version: int
    ec_level: str
    border: int = QUIET_ZONE

    @property
    def width(self) -> int:
        """Modules across, quiet zone included."""
        return int(self.modules.shape[0]) + 2 * self.border

    def scale_for(self, pixels: int) -> int:
        """The largest whole pixels-per-module that fits in ``pixels`` (at least 1)."""
        return max(1, pixels // self.width)

    def to_array(self, scale: int = 1) -> np.ndarray:
        """A grayscale uint8 image, 0 = dark and 255 = light, ``scale`` pixels per module."""
        if scale < 1:
            raise QREncodeError("The QR scale must be at least 1 pixel per module.")
        padded = np.pad(self.modules, self.border, constant_values=False)
        pixels = np.where(padded, np.uint8(0), np.uint8(255))
        return np.repeat(np.repeat(pixels, scale, axis=0), scale, axis=1)

    def to_png(self, scale: int = 8) -> bytes:
        """PNG bytes (1 bit per pixel)."""
        from PIL import Image

        image = Image.fromarray(self.to_array(scale) > 127)  # mode "1": light = True
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        return out.getvalue()

    def to_svg(self, scale: int = 8) -> str:
        """An SVG document: one path of dark runs over a white square, ``scale`` px per module."""
        if scale < 1:
            raise QREncodeError("The QR scale must be at least 1 pixel per module.")
        n, b = self.width, self.border
        parts = []
        for y, row in enumerate(self.modules):
            x = 0
            cols = len(row)
            while x < cols:
                if row[x]:
                    start = x
                    while x < cols and row[x]:
                        x += 1
                    parts.append(f"M{start + b},{y + b}h{x - start}v1h-{x - start}z")
                else:
                    x += 1
        size = n * scale
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
            f'viewBox="0 0 {n} {n}" shape-rendering="crispEdges">\n'
            f'<rect width="{n}" height="{n}" fill="#ffffff"/>\n'
            f'<path fill="#000000" d="{"".join(parts)}"/>\n'
            "</svg>\n"
        )


def make_qr(
    text: str | bytes, *, ec: str | None = None, border: int = QUIET_ZONE, uppercase: bool = True
) -> QRSymbol:
    """Encode ``text`` in the smallest QR symbol that holds it.

    ``ec`` forces an error-correction level (L, M, Q, H); by default M, or L when the payload
    is too long for M. ``uppercase`` applies BIP21's upper-case trick to bitcoin URIs.
    """
    import qrcode
    from qrcode.exceptions import DataOverflowError

    if border < 0:
        raise QREncodeError("The quiet zone cannot be negative; use 4 modules (the minimum).")
    if isinstance(text, str) and uppercase:
        text = qr_text(text)
    if not text:
        raise QREncodeError("There is nothing to encode: the text is empty.")
    if ec is not None and ec.upper() not in EC_LEVELS:
        raise QREncodeError(f"Unknown error-correction level {ec!r}; use one of L, M, Q, H.")
    levels = [ec.upper()] if ec else [DEFAULT_EC, "L"]
    constants = {
        "L": qrcode.constants.ERROR_CORRECT_L,
        "M": qrcode.constants.ERROR_CORRECT_M,
        "Q": qrcode.constants.ERROR_CORRECT_Q,
        "H": qrcode.constants.ERROR_CORRECT_H,
    }
    for level in levels:
        qr = qrcode.QRCode(error_correction=constants[level], border=0)
        qr.add_data(text, optimize=20)
        try:
            qr.make(fit=True)
        except (DataOverflowError, ValueError):
            continue
        modules = np.array(qr.get_matrix(), dtype=bool)
        return QRSymbol(text, modules, int(qr.version), level, border)
    size = len(text.encode() if isinstance(text, str) else text)
    raise QREncodeError(
        f"The text is too long for one QR code ({size:,} bytes at error correction "
        f"{levels[-1]}; a QR code holds at most 2,953 bytes). Save it to a file instead."
    )


def save_qr(
    text: str | bytes,
    path: str | Path,
    *,
    scale: int = 8,
    border: int = QUIET_ZONE,
    ec: str | None = None,
    uppercase: bool = True,
) -> QRSymbol:
    """Write ``text`` as a QR code to ``path``: SVG for ``.svg``, PNG for ``.png``."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise QREncodeError(f"Cannot tell the image type of {path.name}: name it .png or .svg.")
    symbol = make_qr(text, ec=ec, border=border, uppercase=uppercase)
    try:
        if suffix == ".svg":
            path.write_text(symbol.to_svg(scale), encoding="utf-8")
        else:
            path.write_bytes(symbol.to_png(scale))
    except OSError as exc:
        raise QREncodeError(f"Could not write {path}: {exc.strerror or exc}.") from exc
    return symbol
