"""QR decoding: files, arrays, fallback passes, several codes, big PSBTs, routing, fuzzing."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import shared_path
from wallet.bitcoin.serialize import encode_bytes, encode_varint
from wallet.bitcoin.transaction import OutPoint, Transaction, TxIn, TxOut
from wallet.payments.qr_decode import (
    CAMERA_SCHEDULE,
    FrameDecoder,
    Pass,
    decode_file,
    decode_image,
    decode_pass,
    level_contrast,
    load_gray,
    to_gray,
)
from wallet.payments.qr_errors import QRDecodeError
from wallet.payments.qr_payload import PayloadKind, classify, qr_text
from wallet.payments.qr_render import make_qr

URI = "bitcoin:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4?amount=0.0042&label=Stall%207"


def _canvas(h: int = 720, w: int = 1280, level: int = 128) -> np.ndarray:
    return np.full((h, w), level, np.uint8)


def _place(canvas: np.ndarray, code: np.ndarray, x: int, y: int) -> None:
    canvas[y : y + code.shape[0], x : x + code.shape[1]] = code


def unsigned_psbt(n_inputs: int) -> str:
    """A BIP174 PSBT (global unsigned tx, empty input and output maps), base64."""
    tx = Transaction(
        version=2,
        inputs=[TxIn(OutPoint(bytes([i % 256]) * 32, i)) for i in range(n_inputs)],
        outputs=[TxOut(50_000, bytes.fromhex("0014") + bytes(range(20))) for _ in range(2)],
    )
    body = encode_varint(1) + b"\x00" + encode_bytes(tx.serialize(include_witness=False)) + b"\x00"
    maps = b"\x00" * (n_inputs + 2)
    return base64.b64encode(b"psbt\xff" + body + maps).decode()


# --- files ---


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "BMP"])
def test_decode_file_formats(tmp_path, fmt):
    from PIL import Image

    frame = _canvas(480, 640, 200)
    _place(frame, make_qr(URI).to_array(5), 100, 80)
    path = tmp_path / f"photo.{fmt.lower()}"
    Image.fromarray(frame).convert("RGB").save(path, fmt)
    found = decode_file(path)
    assert [(r.text, r.kind) for r in found] == [(qr_text(URI), PayloadKind.BITCOIN_URI)]
    (x0, y0), _, (x2, y2), _ = found[0].corners
    n = make_qr(URI).width * 5
    # corners are the symbol's (quiet zone excluded), in the file's pixel coordinates
    assert 100 + 20 - 3 <= x0 <= 100 + 20 + 3 and 80 + 20 - 3 <= y0 <= 80 + 20 + 3
    assert 100 + n - 20 - 8 <= x2 <= 100 + n - 20 + 3 and 80 + n - 20 - 8 <= y2 <= 80 + n - 20 + 3


def test_decode_file_transparent_png_reads_as_on_screen(tmp_path):
    from PIL import Image

    code = make_qr(URI, border=0).to_array(4)  # no quiet zone of its own: transparency is it
    rgba = np.zeros((code.shape[0] + 40, code.shape[1] + 40, 4), np.uint8)
    rgba[20:-20, 20:-20, 3] = np.where(code == 0, 255, 0)  # dark modules opaque black
    Image.fromarray(rgba, "RGBA").save(tmp_path / "t.png")
    assert [r.text for r in decode_file(tmp_path / "t.png")] == [qr_text(URI)]


def test_decode_file_errors_are_sentences(tmp_path):
    with pytest.raises(QRDecodeError, match="There is no file"):
        decode_file(tmp_path / "missing.png")
    (tmp_path / "notes.txt").write_text("not a picture")
    with pytest.raises(QRDecodeError, match="not an image this program can read"):
        decode_file(tmp_path / "notes.txt")
    with pytest.raises(QRDecodeError, match="is a folder"):
        decode_file(tmp_path)
    truncated = tmp_path / "cut.png"
    from PIL import Image

    Image.fromarray(make_qr(URI).to_array(4)).save(truncated)
    truncated.write_bytes(truncated.read_bytes()[:200])
    with pytest.raises(QRDecodeError):
        decode_file(truncated)


def test_picture_without_code_gives_nothing(tmp_path):
    from PIL import Image

    rng = np.random.default_rng(1)
    Image.fromarray(rng.integers(0, 256, (300, 400), dtype=np.uint8)).save(tmp_path / "n.png")
    assert decode_file(tmp_path / "n.png") == []


# --- arrays and passes ---


def test_to_gray_accepts_gray_rgb_rgba_and_rejects_others():
    rgb = np.zeros((4, 5, 3), np.uint8)
    rgb[..., 0] = 255
    assert to_gray(rgb).shape == (4, 5) and int(to_gray(rgb)[0, 0]) == 76  # BT.601 red
    assert to_gray(np.dstack([rgb, np.full((4, 5), 255, np.uint8)])).shape == (4, 5)
    assert to_gray(np.zeros((4, 5, 1), np.uint8)).shape == (4, 5)
    with pytest.raises(QRDecodeError, match="8-bit"):
        to_gray(np.zeros((4, 5), np.float32))
    with pytest.raises(QRDecodeError, match="grayscale, RGB or RGBA"):
        to_gray(np.zeros((4, 5, 2), np.uint8))


def test_several_codes_in_one_frame_all_come_back():
    texts = [
        "bitcoin:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
        "bitcoin:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2?amount=2",
        "lnbc20u1pvjluezhp58yjmdan79s6qqdhdzgynm4zwqd5d7xmw5fk98klysy043l2ahrqs",
    ]
    frame = _canvas()
    for i, text in enumerate(texts):
        _place(frame, make_qr(text).to_array(4), 40 + i * 420, 150 + i * 60)
    found = decode_image(frame)
    assert sorted(r.text for r in found) == sorted(qr_text(t) for t in texts)
    assert {r.kind for r in found} == {PayloadKind.BITCOIN_URI, PayloadKind.LIGHTNING}


def test_inverted_code_is_read():
    frame = _canvas(level=30)
    _place(frame, 255 - make_qr(URI).to_array(5), 500, 200)
    assert [r.text for r in decode_pass(frame, Pass.PLAIN)] == [qr_text(URI)]


def test_level_pass_recovers_a_washed_out_code_plain_misses():
    frame = _washed_out_frame()
    assert decode_pass(frame, Pass.PLAIN) == []
    found = decode_pass(frame, Pass.LEVEL)
    assert [(r.text, r.found_by) for r in found] == [(qr_text(URI), Pass.LEVEL)]
    assert decode_image(frame)[0].text == qr_text(URI)  # still images try every pass
    leveled = level_contrast(frame)
    assert leveled.shape == frame.shape and leveled.dtype == np.uint8


def _washed_out_frame() -> np.ndarray:
    """A code with 14 grey levels of contrast: below what the plain pass binarizes."""
    code = make_qr(URI).to_array(4).astype(np.float32)
    frame = _canvas().astype(np.float32)
    frame[200 : 200 + code.shape[0], 500 : 500 + code.shape[1]] = 150 + code * (14 / 255)
    frame = np.clip(frame + np.random.default_rng(3).normal(0, 1.5, frame.shape), 0, 255)
    return frame.astype(np.uint8)


def test_zoom_pass_reads_a_distant_code_and_maps_corners_back():
    from PIL import Image

    big = make_qr(URI).to_array(10)
    n = round(big.shape[0] * 0.12)  # 1.2 pixels per module, as from across a room
    code = np.asarray(Image.fromarray(big).resize((n, n), Image.BOX))
    frame = _canvas(level=200)
    _place(frame, code, 600, 330)
    found = decode_pass(frame, Pass.ZOOM)
    assert [r.text for r in found] == [qr_text(URI)]
    xs = [x for x, _ in found[0].corners]
    ys = [y for _, y in found[0].corners]
    assert min(xs) >= 600 and max(xs) <= 600 + n
    assert min(ys) >= 330 and max(ys) <= 330 + n


def test_frame_decoder_spreads_fallbacks_over_alternate_frames():
    frame = _washed_out_frame()  # the plain pass cannot read it, both fallbacks can
    decoder = FrameDecoder()
    assert CAMERA_SCHEDULE == (Pass.PLAIN, Pass.LEVEL, Pass.PLAIN, Pass.ZOOM)
    found = [decoder.decode(frame) for _ in range(8)]
    assert [bool(f) for f in found] == [False, True] * 4
    assert [f[0].found_by for f in found if f] == [Pass.LEVEL, Pass.ZOOM] * 2
    with pytest.raises(ValueError):
        FrameDecoder(())


# --- payloads bigger than a URI, and routing ---


def test_multi_kilobyte_psbt_round_trips_and_is_classified_psbt():
    psbt = unsigned_psbt(45)
    assert len(psbt) > 2500  # "multi-KB": too big for error correction M
    symbol = make_qr(psbt)
    assert symbol.ec_level == "L" and symbol.version >= 36
    found = decode_image(symbol.to_array(3))
    assert [(r.text, r.kind) for r in found] == [(psbt, PayloadKind.PSBT)]
    frame = _canvas(1080, 1920)  # also as a camera frame
    _place(frame, symbol.to_array(5), 500, 60)
    assert [r.text for r in FrameDecoder().decode(frame)] == [psbt]


def test_bip174_vector_psbts_round_trip():
    vectors = json.loads(
        shared_path("vectors", "bip174_psbt", "bitcoin-core_rpc_psbt.json").read_text()
    )
    psbts = sorted({p for p in vectors["valid"] if isinstance(p, str)}, key=len)
    assert len(psbts) >= 5
    for psbt in psbts[-5:]:  # the largest ones
        found = decode_image(make_qr(psbt).to_array(3))
        assert [(r.text, r.kind) for r in found] == [(psbt, PayloadKind.PSBT)]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (URI, PayloadKind.BITCOIN_URI),
        (qr_text(URI), PayloadKind.BITCOIN_URI),
        ("bitcoin:?lightning=lnbc1pvjluez", PayloadKind.BITCOIN_URI),
        ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", PayloadKind.ADDRESS),
        ("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", PayloadKind.ADDRESS),
        ("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", PayloadKind.ADDRESS),
        ("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", PayloadKind.ADDRESS),
        ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", PayloadKind.ADDRESS),
        ("mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn", PayloadKind.ADDRESS),
        (
            "lnbc20u1pvjluezhp58yjmdan79s6qqdhdzgynm4zwqd5d7xmw5fk98klysy043l2ahrqs",
            PayloadKind.LIGHTNING,
        ),
        ("LIGHTNING:LNBC20U1PVJLUEZ", PayloadKind.LIGHTNING),
        ("70736274ff01000a0200000000000000000000", PayloadKind.PSBT),
        ("cHNidP8BAAoCAAAAAAAAAAAAAA==", PayloadKind.PSBT),
        ("cHNidP8 not base64 !!", PayloadKind.UNKNOWN),
        ("https://example.com", PayloadKind.UNKNOWN),
        ("WIFI:S:cafe;T:WPA;P:secret;;", PayloadKind.UNKNOWN),
        ("", PayloadKind.UNKNOWN),
        ("bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", PayloadKind.UNKNOWN),  # mixed case
    ],
)
def test_classify(text, kind):
    assert classify(text) is kind


def test_psbt_vectors_classify_as_psbt():
    vectors = json.loads(shared_path("vectors", "bip174_psbt", "nbitcoin_psbt.json").read_text())
    assert all(classify(p) is PayloadKind.PSBT for p in vectors["valid"])


# --- no payload or picture ever crashes the decoder path ---


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(min_size=1, max_size=400))
def test_fuzzed_bytes_rendered_as_qr_decode_without_crashing(data):
    found = decode_image(make_qr(data).to_array(3))
    assert [r.raw for r in found] == [data]
    for r in found:
        assert isinstance(r.text, str)
        assert isinstance(classify(r.text), PayloadKind)


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=1, max_size=300))
def test_fuzzed_text_round_trips_exactly(text):
    found = decode_image(make_qr(text, uppercase=False).to_array(3))
    assert [r.text for r in found] == [text]


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 60),
    st.integers(0, 60),
    st.integers(0, 2**32 - 1),
    st.sampled_from([1, 3, 4]),
)
def test_fuzzed_pictures_never_crash(h, w, seed, channels):
    rng = np.random.default_rng(seed)
    shape = (h, w) if channels == 1 else (h, w, channels)
    picture = rng.integers(0, 256, shape, dtype=np.uint8)
    decoder = FrameDecoder()
    for _ in range(4):
        assert isinstance(decoder.decode(picture), list)
    assert isinstance(decode_image(picture), list)


def test_fuzzed_files_never_crash(tmp_path):
    from PIL import Image

    good = tmp_path / "good.png"
    Image.fromarray(make_qr(URI).to_array(4)).save(good)
    blob = good.read_bytes()
    rng = np.random.default_rng(5)
    for i in range(40):
        damaged = bytearray(blob)
        for pos in rng.integers(0, len(damaged), 8):
            damaged[pos] = int(rng.integers(0, 256))
        path = tmp_path / f"bad{i}.png"
        path.write_bytes(bytes(damaged))
        try:
            result = decode_file(path)
        except QRDecodeError:
            continue
        assert isinstance(result, list)


def test_load_gray_applies_exif_orientation(tmp_path):
    from PIL import Image

    image = Image.fromarray(np.tile(np.arange(40, dtype=np.uint8), (20, 1)))  # 40 wide, 20 high
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    image.save(tmp_path / "r.jpg", exif=exif)
    assert load_gray(tmp_path / "r.jpg").shape == (40, 20)
