"""The animated-code collector and encoder (pure): any order, repeats, gaps, misreads, progress."""

from __future__ import annotations

import random

import pytest

from wallet.payments.animated_qr import (
    AnimatedCollector,
    AnimatedEncoder,
    Standard,
    density_bytes,
)
from wallet.payments.qr_errors import AnimatedQRError
from wallet.payments.qr_render import make_qr

PSBT = b"psbt\xff" + random.Random(19).randbytes(5990)  # 40 fragments of 150 bytes as UR


def _collect(frames: list[str]) -> AnimatedCollector:
    collector = AnimatedCollector()
    for frame in frames:
        collector.feed(frame)
        if collector.is_complete:
            break
    return collector


@pytest.mark.parametrize("standard", [Standard.UR, Standard.BBQR])
def test_forty_parts_any_order_with_gaps_and_repeats(standard):
    encoder = AnimatedEncoder(PSBT, standard, density=150)
    assert encoder.cycle == 40 if standard is Standard.UR else encoder.cycle >= 35
    frames = encoder.frames(100 if standard is Standard.UR else 80)
    rng = random.Random(7)
    if standard is Standard.UR:  # 20 % of the frames never seen, the rest shuffled
        kept = rng.sample(frames, 80)
    else:  # two rounds of parts; 20 % of the frames lost, every part still seen once
        kept = frames[: encoder.cycle] + rng.sample(frames[encoder.cycle :], encoder.cycle // 2)
        rng.shuffle(kept)
    kept = kept[:10] + kept[:10] + kept[10:]  # repeats, as a camera sees them
    collector = AnimatedCollector()
    seen = []
    for frame in kept:
        collector.feed(frame)
        seen.append(collector.progress.received)
        if collector.is_complete:
            break
    assert collector.is_complete
    assert collector.result.is_psbt and collector.result.psbt() == PSBT
    assert seen == sorted(seen)  # progress only grows
    progress = collector.progress
    assert progress.text() == f"{progress.total} of {progress.total} parts"
    assert progress.total == encoder.cycle


def test_progress_text_and_foreign_or_misread_frames():
    encoder = AnimatedEncoder(PSBT, Standard.BBQR, density="low")
    frames = encoder.frames()
    collector = AnimatedCollector()
    assert collector.progress.text() == "Waiting for the first part"
    for frame in frames[:27]:
        assert collector.feed(frame)
    assert collector.progress.text() == f"27 of {len(frames)} parts"
    assert not collector.feed(frames[3])  # a repeat moves nothing
    other = AnimatedEncoder(b"psbt\xff other", Standard.UR).next_frame()
    assert not collector.feed(other)  # the other standard while reading BBQr
    assert not collector.feed(frames[5][:-4] + "ZZZZ")  # misread: the same part, other data
    assert collector.progress.rejected == 2 and collector.last_error
    for frame in frames[27:]:
        collector.feed(frame)
    assert collector.result.psbt() == PSBT


def test_a_single_ordinary_code_completes_at_once():
    collector = _collect(["wpkh([d34db33f/84h/0h/0h]xpub...)"])
    assert collector.result.standard is Standard.TEXT
    assert collector.result.text().startswith("wpkh(")
    with pytest.raises(AnimatedQRError):
        collector.result.psbt()
    small = AnimatedEncoder(b"psbt\xff tiny", Standard.UR)
    assert small.cycle == 1 and small.frames() == [small.next_frame()]
    assert _collect(small.frames()).result.psbt() == b"psbt\xff tiny"


def test_frames_fit_qr_codes_and_density_and_rate_are_checked():
    dense = AnimatedEncoder(PSBT, Standard.UR, density="high", fps=8)
    sparse = AnimatedEncoder(PSBT, Standard.UR, density="low")
    assert dense.cycle < sparse.cycle and dense.interval_ms == 125
    frame = dense.next_frame()
    assert frame == frame.upper()  # alphanumeric mode
    symbol = make_qr(frame, ec="L")
    assert symbol.version <= 20
    assert make_qr(sparse.next_frame(), ec="L").version < symbol.version
    for bad in ("huge", 5, 5000):
        with pytest.raises(ValueError):
            density_bytes(bad)
    with pytest.raises(ValueError):
        AnimatedEncoder(PSBT, fps=100)
