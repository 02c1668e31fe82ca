"""Animated codes on disk for the command line: reading frames, writing them.

Frames come as text (one QR text per line, as a signer's "copy" or a scanning app saves
them), as images (PNG/JPEG/WebP stills, one code each) or as an animated GIF (every frame
read). They go through :class:`~wallet.payments.animated_qr.AnimatedCollector`, so order,
repeats and gaps do not matter. Written frames are text lines (``.txt``), one PNG per frame
(a folder, or a name with ``{n}``), or one animated GIF at the chosen frame rate.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from wallet.commands.wallet_common import CommandError, read_limited
from wallet.payments.animated_qr import AnimatedCollector, AnimatedEncoder, CollectedCode

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif", ".tif", ".tiff")
MAX_TEXT = 64 * 1024 * 1024
MAX_GIF_FRAMES = 10_000


def _image_texts(path: Path) -> list[str]:
    from PIL import Image, ImageSequence, UnidentifiedImageError

    from wallet.payments.qr_decode import decode_image, load_gray
    from wallet.payments.qr_errors import QRDecodeError

    if path.suffix.lower() != ".gif":
        try:
            return [r.text for r in decode_image(load_gray(path))]
        except QRDecodeError as exc:
            raise CommandError(str(exc)) from None
    import numpy as np

    texts: list[str] = []
    try:
        with Image.open(path) as gif:
            for n, frame in enumerate(ImageSequence.Iterator(gif)):
                if n >= MAX_GIF_FRAMES:
                    break
                texts += [r.text for r in decode_image(np.asarray(frame.convert("L")))]
    except (OSError, UnidentifiedImageError) as exc:
        raise CommandError(f"cannot read the animation {path}: {exc}") from None
    return texts


def read_frame_texts(paths: Sequence[Path]) -> list[str]:
    """The QR texts in ``paths``: text files (a line each) and images (their codes)."""
    texts: list[str] = []
    for path in paths:
        if path.suffix.lower() in IMAGE_SUFFIXES:
            found = _image_texts(path)
            if not found:
                raise CommandError(f"no QR code was found in {path}")
            texts += found
            continue
        raw = read_limited(path, MAX_TEXT, str(path), "hold QR texts")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise CommandError(f"{path} is not UTF-8 text") from None
        texts += [line.strip() for line in text.splitlines() if line.strip()]
    return texts


def collect(texts: Sequence[str], where: str) -> CollectedCode:
    """The code the frames make up; a sentence saying how far it got when they fall short."""
    collector = AnimatedCollector()
    for text in texts:
        collector.feed(text)
        if collector.is_complete:
            assert collector.result is not None
            return collector.result
    progress = collector.progress
    if progress.total is None:
        why = f" ({collector.last_error})" if collector.last_error else ""
        raise CommandError(f"{where} holds no readable code{why}")
    raise CommandError(
        f"{where} holds only {progress.text()} of the animated code; scan or save more frames"
    )


def read_code(paths: Sequence[Path]) -> CollectedCode:
    where = ", ".join(str(p) for p in paths)
    return collect(read_frame_texts(paths), where)


def write_frames(
    encoder: AnimatedEncoder, out: Path, frames: list[str], scale: int = 6
) -> list[Path]:
    """Write ``frames`` to ``out``: ``.txt`` lines, ``.gif`` animation, or PNGs (a folder, or
    a file name containing ``{n}``). Returns the files written."""
    from wallet.account.atomic import atomic_write
    from wallet.payments.qr_errors import QREncodeError
    from wallet.payments.qr_render import make_qr

    suffix = out.suffix.lower()
    try:
        if suffix == ".txt":
            atomic_write(out, ("\n".join(frames) + "\n").encode())
            return [out]
        symbols = [make_qr(text, ec="L") for text in frames]
        side = max(s.width for s in symbols)
        if suffix == ".gif":
            from PIL import Image

            images = [_padded(s, side, scale) for s in symbols]
            first, rest = Image.fromarray(images[0]), [Image.fromarray(a) for a in images[1:]]
            out.parent.mkdir(parents=True, exist_ok=True)
            first.save(out, save_all=True, append_images=rest, duration=encoder.interval_ms, loop=0)
            return [out]
        if "{n}" in out.name:
            out.parent.mkdir(parents=True, exist_ok=True)
            targets = [out.with_name(out.name.format(n=n + 1)) for n in range(len(frames))]
        else:
            out.mkdir(parents=True, exist_ok=True)
            targets = [out / f"frame-{n + 1:04d}.png" for n in range(len(frames))]
        for symbol, target in zip(symbols, targets, strict=True):
            atomic_write(target, symbol.to_png(scale))
        return targets
    except QREncodeError as exc:
        raise CommandError(f"{exc} Choose a lower --density.") from None
    except OSError as exc:
        raise CommandError(f"cannot write {out}: {exc.strerror or exc}") from None


def _padded(symbol, side: int, scale: int):
    """The symbol's picture centred on a white square of ``side`` modules (all frames of a GIF
    the same size)."""
    import numpy as np

    image = symbol.to_array(scale)
    canvas = np.full((side * scale, side * scale), 255, np.uint8)
    offset = (side - symbol.width) * scale // 2
    canvas[offset : offset + image.shape[0], offset : offset + image.shape[1]] = image
    return canvas
