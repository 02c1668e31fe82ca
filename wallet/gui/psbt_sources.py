"""Reading a PSBT from wherever a person has it: a file, the clipboard, QR pictures, a scan.

A file may be a binary PSBT (what signers write to an SD card), base64 or hex text, or the frames
of an animated code as text lines; pictures hold one QR code or the frames of an animated one
(BC-UR or BBQr, any order). Each reader returns the PSBT or raises :class:`PsbtLoadError` with a
sentence saying what the input is instead. Files and pictures are read on the thread pool.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from wallet.bitcoin.errors import PSBTError
from wallet.bitcoin.psbt import PSBT
from wallet.errors import PaylightError
from wallet.payments.animated_qr import AnimatedCollector, CollectedCode, Standard
from wallet.payments.send import import_psbt

#: A PSBT file larger than this is refused (a mistake, not a transaction), as by the CLI.
MAX_FILE = 16 * 1024 * 1024
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif", ".tif", ".tiff")


class PsbtLoadError(PaylightError):
    """What was given is not a PSBT (or not all of one); the message says what it is."""


def _tr(text: str) -> str:
    return QCoreApplication.translate("PsbtSources", text)


# -- reading a PSBT from wherever it comes -----------------------------------------------------


def psbt_from_code(code: CollectedCode) -> PSBT:
    """The PSBT an (animated) code carried: a UR or BBQr, or one code's base64 text."""
    if code.standard is Standard.TEXT:
        return psbt_from_text(code.text())
    try:
        return PSBT.parse(code.psbt())
    except PSBTError as exc:
        raise PsbtLoadError(
            QCoreApplication.translate("PsbtSources", "The code holds no valid PSBT: {why}").format(
                why=exc
            )
        ) from None


def psbt_from_texts(texts: list[str]) -> PSBT:
    """The PSBT in the frames of an animated code (any order), or in one code's text."""
    collector = AnimatedCollector()
    for text in texts:
        collector.feed(text)
        if collector.result is not None:
            return psbt_from_code(collector.result)
    progress = collector.progress
    if progress.total is None:
        why = collector.last_error or QCoreApplication.translate("PsbtSources", "no PSBT was found")
        raise PsbtLoadError(
            QCoreApplication.translate("PsbtSources", "This holds no readable code: {why}").format(
                why=why
            )
        )
    raise PsbtLoadError(
        QCoreApplication.translate(
            "PsbtSources",
            "This holds only {received} of the {total} parts of an animated code: scan it "
            "with the camera, or open every frame.",
        ).format(received=progress.received, total=progress.total)
    )


def psbt_from_text(text: str) -> PSBT:
    """Base64 or hex of a PSBT, or the frames of an animated code, one per line."""
    text = text.strip()
    if not text:
        raise PsbtLoadError(
            QCoreApplication.translate(
                "PsbtSources", "There is nothing to read: the text is empty."
            )
        )
    head = text[:3].upper()
    if head == "UR:" or head[:2] == "B$":
        return psbt_from_texts([line for line in text.split() if line.strip()])
    if text[:10].lower() == "70736274ff":
        try:
            return PSBT.parse(bytes.fromhex(text))
        except ValueError:
            pass
    try:
        return import_psbt(text)
    except PSBTError as exc:
        raise PsbtLoadError(
            QCoreApplication.translate("PsbtSources", "This is not a PSBT: {why}").format(why=exc)
        ) from None


def psbt_from_file(path: Path) -> PSBT:
    """A PSBT file (binary, base64, hex, or frames as text lines), or QR pictures of one.
    Runs on the thread pool: pictures take a while to decode."""
    if path.suffix.lower() in IMAGE_SUFFIXES:
        return psbt_from_images([path])
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE + 1)
    except OSError as exc:
        raise PsbtLoadError(
            QCoreApplication.translate("PsbtSources", "Cannot read {path}: {why}").format(
                path=path, why=exc.strerror or exc
            )
        ) from None
    if len(data) > MAX_FILE:
        raise PsbtLoadError(
            QCoreApplication.translate("PsbtSources", "{path} is too large to be a PSBT.").format(
                path=path
            )
        )
    if data.startswith(b"psbt\xff"):
        try:
            return import_psbt(data)
        except PSBTError as exc:
            raise PsbtLoadError(
                QCoreApplication.translate(
                    "PsbtSources", "{path} is not a valid PSBT: {why}"
                ).format(path=path.name, why=exc)
            ) from None
    try:
        return psbt_from_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise PsbtLoadError(
            QCoreApplication.translate("PsbtSources", "{path} is neither a PSBT nor text.").format(
                path=path.name
            )
        ) from None


def psbt_from_images(paths: list[Path]) -> PSBT:
    """The PSBT in QR pictures: one code, or the frames of an animated one."""
    from wallet.payments.qr_decode import decode_file

    texts: list[str] = []
    for path in paths:
        found = decode_file(path)
        if not found:
            raise PsbtLoadError(
                QCoreApplication.translate("PsbtSources", "No QR code was found in {name}.").format(
                    name=path.name
                )
            )
        texts += [r.text for r in found]
    return psbt_from_texts(texts)
