"""QR decoding: read rate and time per 720p frame on real photos and synthetic BIP21 frames.

    python3 bench/qr.py [--save-reference]

Real photos come from ``../shared/data/qr`` (internal testing only; never copied here). Each is
placed, at its own size (larger ones shrunk to fit), in the middle of a grey 1280x720 frame, as
a webcam would deliver it. "plain" is one pass on one frame; "camera" is what the scanner gets
from four frames of the same scene with its pass schedule (plain, level, plain, zoom).

The synthetic frames (also used by tests/test_qr_synthetic.py) are BIP21 URIs rendered by
Paylight, then rotated, warped, blurred, washed out, glared, shrunk or inverted, and saved as
JPEG like a camera stream.
"""

from __future__ import annotations

import io
import json
import math
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

FRAME_W, FRAME_H = 1280, 720
CATEGORIES = ("rotation", "perspective", "blur", "low_contrast", "glare", "small", "inverted")
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_LABELS = (
    "Coffee stall",
    "Market 42",
    "Bäckerei Süd",
    "Invoice 2024-117",
    "Tip jar",
    "Bike repair",
)


def synthetic_uri(rng: np.random.Generator) -> str:
    """A BIP21 URI shaped like a real one (P2WPKH or P2TR address, amount, label)."""
    length = int(rng.choice([39, 59]))  # data part of P2WPKH / P2TR addresses
    address = ("bc1q" if length == 39 else "bc1p") + "".join(
        _BECH32[i] for i in rng.integers(0, 32, length)
    )
    amount = f"{rng.integers(1, 500_000) / 1e8:.8f}".rstrip("0")
    label = str(rng.choice(_LABELS)).replace(" ", "%20").encode("ascii", "ignore").decode()
    return f"bitcoin:{address}?amount={amount}&label={label}"


def _perspective_coeffs(dst: np.ndarray, src: np.ndarray) -> list[float]:
    """PIL PERSPECTIVE coefficients mapping output points ``dst`` to input points ``src``."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(dst, src):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    return list(np.linalg.solve(np.array(rows, float), np.array(rhs, float)))


def _background(rng: np.random.Generator) -> np.ndarray:
    yy, xx = np.mgrid[0:FRAME_H, 0:FRAME_W].astype(np.float32)
    angle = rng.uniform(0, 2 * math.pi)
    ramp = (xx * math.cos(angle) + yy * math.sin(angle)) / FRAME_W
    img = 90 + 70 * ramp + rng.uniform(-20, 20)
    for _ in range(12):  # clutter: furniture, a keyboard, a hand...
        x0, y0 = rng.integers(0, FRAME_W), rng.integers(0, FRAME_H)
        w, h = rng.integers(20, 300), rng.integers(20, 200)
        img[y0 : y0 + h, x0 : x0 + w] = rng.uniform(20, 230)
    return img


def synthetic_frame(category: str, text: str, rng: np.random.Generator) -> np.ndarray:
    """One 1280x720 grayscale frame showing ``text`` as a QR code, degraded per ``category``."""
    from PIL import Image, ImageFilter

    from wallet.payments.qr_render import make_qr

    symbol = make_qr(text)
    code = symbol.to_array(1)
    n = code.shape[0]
    module_px = rng.uniform(4.0, 7.0)
    if category == "small":
        module_px = rng.uniform(1.9, 2.6)
    side = n * module_px
    angle = rng.uniform(0, 360) if category == "rotation" else rng.uniform(-12, 12)
    cx = rng.uniform(side / 2 + 10, FRAME_W - side / 2 - 10)
    cy = rng.uniform(min(side / 2 + 10, FRAME_H / 2), max(FRAME_H - side / 2 - 10, FRAME_H / 2))
    half = side / 2
    square = np.array([[-half, -half], [half, -half], [half, half], [-half, half]])
    if category == "perspective":
        square = square + rng.uniform(-0.22, 0.22, (4, 2)) * side
    t = math.radians(angle)
    rot = np.array([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]])
    dst = square @ rot.T + [cx, cy]
    src = np.array([[0, 0], [n, 0], [n, n], [0, n]], float)
    coeffs = _perspective_coeffs(dst, src)

    dark, light = rng.uniform(10, 50), rng.uniform(200, 245)
    if category == "low_contrast":
        dark, light = rng.uniform(95, 115), rng.uniform(135, 160)
    if category == "inverted":
        dark, light = light, dark
    colours = np.where(code > 127, light, dark).astype(np.uint8)
    big = Image.fromarray(colours).resize((n * 8, n * 8), Image.NEAREST)
    scale8 = [*(c * 8 for c in coeffs[:6]), *coeffs[6:]]
    warped = big.transform(
        (FRAME_W, FRAME_H), Image.PERSPECTIVE, scale8, Image.BILINEAR, fillcolor=0
    )
    mask = Image.new("L", big.size, 255).transform(
        (FRAME_W, FRAME_H), Image.PERSPECTIVE, scale8, Image.BILINEAR, fillcolor=0
    )
    frame = Image.fromarray(np.clip(_background(rng), 0, 255).astype(np.uint8))
    frame.paste(warped, (0, 0), mask)
    if category == "blur":
        frame = frame.filter(ImageFilter.GaussianBlur(rng.uniform(1.6, 2.6)))
    else:
        frame = frame.filter(ImageFilter.GaussianBlur(0.6))  # lens softness
    pixels = np.asarray(frame, dtype=np.float32)
    if category == "glare":
        yy, xx = np.mgrid[0:FRAME_H, 0:FRAME_W].astype(np.float32)
        gx, gy = (dst[int(rng.integers(0, 4))] + [cx, cy]) / 2  # between a corner and the centre
        radius = side * rng.uniform(0.14, 0.26)
        pixels = pixels + rng.uniform(150, 230) * np.exp(
            -((xx - gx) ** 2 + (yy - gy) ** 2) / (2 * radius**2)
        )
    pixels = pixels + rng.normal(0, 4, pixels.shape)  # sensor noise
    out = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(out, "JPEG", quality=80)
    return np.asarray(Image.open(io.BytesIO(out.getvalue())).convert("L"))


def synthetic_frames(
    per_category: int = 20, seed: int = 21
) -> Iterator[tuple[str, str, np.ndarray]]:
    """(category, text, frame) for ``per_category`` frames of each category, deterministically.

    ``text`` is what the code holds: the URI after BIP21's upper-case trick.
    """
    from wallet.payments.qr_payload import qr_text

    rng = np.random.default_rng(seed)
    for category in CATEGORIES:
        for _ in range(per_category):
            text = qr_text(synthetic_uri(rng))
            yield category, text, synthetic_frame(category, text, rng)


def photo_frame(path: Path) -> np.ndarray:
    """A real photo centred in a grey 720p frame at its own size (shrunk only if it is larger)."""
    from PIL import Image

    from wallet.payments.qr_decode import load_gray

    image = Image.fromarray(load_gray(path))
    if image.width > FRAME_W or image.height > FRAME_H:
        s = min(FRAME_W / image.width, FRAME_H / image.height)
        image = image.resize((round(image.width * s), round(image.height * s)), Image.BILINEAR)
    frame = Image.new("L", (FRAME_W, FRAME_H), 128)
    frame.paste(image, ((FRAME_W - image.width) // 2, (FRAME_H - image.height) // 2))
    return np.asarray(frame)


def _ms(f, *args):
    t = time.perf_counter()
    result = f(*args)
    return result, (time.perf_counter() - t) * 1000


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


def measure(frames: list[tuple[np.ndarray, list[str]]]) -> dict[str, float]:
    """Read rates (one plain pass; a camera pass cycle) and ms per frame for the plain pass."""
    from wallet.payments.qr_decode import CAMERA_SCHEDULE, Pass, decode_pass

    plain_ok = cycle_ok = 0
    plain_ms: list[float] = []
    fallback_ms: list[float] = []
    for frame, expected in frames:
        found, ms = _ms(decode_pass, frame, Pass.PLAIN)
        plain_ms.append(ms)
        hit = any(r.text in expected for r in found)
        plain_ok += hit
        for how in dict.fromkeys(CAMERA_SCHEDULE):
            if how is Pass.PLAIN:
                continue
            more, ms = _ms(decode_pass, frame, how)
            fallback_ms.append(ms)
            hit = hit or any(r.text in expected for r in more)
        cycle_ok += hit
    n = len(frames)
    return {
        "read_pct_plain": round(100 * plain_ok / n, 1),
        "read_pct_camera": round(100 * cycle_ok / n, 1),
        "median_ms": round(statistics.median(plain_ms), 2),
        "p95_ms": round(_pct(plain_ms, 0.95), 2),
        "fallback_median_ms": round(statistics.median(fallback_ms), 2),
        "fallback_p95_ms": round(_pct(fallback_ms, 0.95), 2),
    }


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench.harness import SHARED, report

    root = SHARED / "data" / "qr"
    if not (root / "manifest.json").exists():
        print(f"no QR photos at {root}; skipping the real-photo figures")
    else:
        manifest = json.loads((root / "manifest.json").read_text())
        for subset in ("camera", "digital"):
            frames = [
                (photo_frame(root / m["file"]), m["expected"])
                for m in manifest
                if m["set"] == subset
            ]
            figures = {"images": len(frames), **measure(frames)}
            report(f"qr_{subset}_photos_720p", figures)
    synth = list(synthetic_frames())
    figures = {"frames": len(synth), **measure([(f, [t]) for _, t, f in synth])}
    for category in CATEGORIES:
        subset = [(f, [t]) for c, t, f in synth if c == category]
        figures[f"{category}_pct_camera"] = measure(subset)["read_pct_camera"]
    report("qr_synthetic_bip21_720p", figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
