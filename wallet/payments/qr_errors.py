"""Errors of the QR modules, with messages a person can act on."""

from __future__ import annotations

from wallet.errors import PaylightError


class QRError(PaylightError, ValueError):
    """A QR code could not be made or read."""


class QREncodeError(QRError):
    """The text cannot be put into a QR code (for example, it is too long for one symbol)."""


class QRDecodeError(QRError):
    """An image could not be read, or holds no readable QR code."""


class AnimatedQRError(QRDecodeError):
    """A multi-part (animated) code, or one of its parts, that cannot be read: a BC-UR or BBQr
    part with a bad checksum, parts of two different codes mixed, or an unknown payload type."""
