"""QR rendering: BIP21 upper-case trick, EC level, quiet zone, crisp scaling, PNG/SVG round trips.

Round trips decode with zxing-cpp, an independent implementation from the encoder (qrcode).
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import zxingcpp

from wallet.payments.qr_decode import decode_file, decode_image
from wallet.payments.qr_errors import QREncodeError
from wallet.payments.qr_payload import qr_text
from wallet.payments.qr_render import QUIET_ZONE, make_qr, save_qr

# BIP173/BIP350 valid addresses and a real base58 one (Bitcoin wiki's example address).
P2WPKH = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
P2TR = "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"
TESTNET = "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx"
REGTEST = "bcrt1qs758ursh4q9z627kt3pp5yysm78ddny6txaqgw"
BASE58 = "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"
P2SH = "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"


@pytest.mark.parametrize("address", [P2WPKH, P2TR, TESTNET, REGTEST])
def test_uppercase_trick_only_touches_scheme_and_bech32_address(address):
    uri = f"bitcoin:{address}?amount=0.0015&label=Coffee%20Stall&message=Thanks%20Bob"
    assert qr_text(uri) == (
        f"BITCOIN:{address.upper()}?amount=0.0015&label=Coffee%20Stall&message=Thanks%20Bob"
    )
    assert qr_text(f"bitcoin:{address}") == f"BITCOIN:{address.upper()}"
    assert qr_text(f"BitCoin:{address}#frag") == f"BITCOIN:{address.upper()}#frag"
    assert qr_text(address) == address.upper()  # BIP173: upper case inside QR codes


@pytest.mark.parametrize(
    "text",
    [
        f"bitcoin:{BASE58}?amount=1",  # base58 is case-sensitive
        f"bitcoin:{P2SH}",
        BASE58,
        "bitcoin:bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",  # mixed case: not valid bech32
        "bitcoin:?lightning=lnbc1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyq",  # no address
        "bitcoin:bc1qnotbech32bio?amount=1",  # 'b', 'i', 'o' are outside the bech32 charset
        "lightning:lnbc1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyq",
        "https://example.com/pay?to=bc1q",
        "Hello, World",
    ],
)
def test_uppercase_trick_leaves_case_sensitive_text_alone(text):
    assert qr_text(text) == text


def test_uppercase_trick_puts_the_address_in_alphanumeric_mode():
    """Alphanumeric mode (4) for "BITCOIN:BC1...", byte mode (4 = 8-bit) for the query."""
    import qrcode
    from qrcode.util import MODE_8BIT_BYTE, MODE_ALPHA_NUM

    uri = f"bitcoin:{P2TR}?amount=0.0015&label=Coffee%20Stall"
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(qr_text(uri), optimize=20)
    qr.make(fit=True)
    modes = [(chunk.mode, bytes(chunk.data)) for chunk in qr.data_list]
    assert modes[0] == (MODE_ALPHA_NUM, f"BITCOIN:{P2TR.upper()}".encode())
    assert all(mode == MODE_8BIT_BYTE for mode, _ in modes[1:])
    assert make_qr(uri).version <= make_qr(uri, uppercase=False).version
    bare = f"bitcoin:{P2TR}"  # 70 characters: byte mode needs version 5 at M, alphanumeric 4
    assert (make_qr(bare).version, make_qr(bare, uppercase=False).version) == (4, 5)


def test_screen_defaults_ec_m_and_quiet_zone():
    symbol = make_qr(f"bitcoin:{P2WPKH}?amount=0.01")
    assert symbol.ec_level == "M"
    assert symbol.border == QUIET_ZONE == 4
    pixels = symbol.to_array(3)
    n = symbol.modules.shape[0]
    assert pixels.shape == ((n + 8) * 3, (n + 8) * 3)
    quiet = 4 * 3
    assert (pixels[:quiet] == 255).all() and (pixels[-quiet:] == 255).all()
    assert (pixels[:, :quiet] == 255).all() and (pixels[:, -quiet:] == 255).all()
    # finder pattern: the top-left module of the symbol is dark
    assert pixels[quiet, quiet] == 0
    barcode = zxingcpp.read_barcodes(pixels)[0]
    assert barcode.extra["ECLevel"] == "M"
    assert int(barcode.extra["Version"]) == symbol.version


def test_integer_scaling_is_crisp():
    symbol = make_qr("bitcoin:" + P2WPKH)
    for scale in (1, 2, 7):
        pixels = symbol.to_array(scale)
        assert set(np.unique(pixels)) <= {0, 255}  # no grey: no resampling
        blocks = pixels.reshape(symbol.width, scale, symbol.width, scale)
        assert (blocks.min(axis=(1, 3)) == blocks.max(axis=(1, 3))).all()  # whole modules
        padded = np.pad(symbol.modules, QUIET_ZONE)
        assert ((blocks[:, 0, :, 0] == 0) == padded).all()
    assert symbol.scale_for(1000) == 1000 // symbol.width
    assert symbol.scale_for(3) == 1


@pytest.mark.parametrize("scale", [2, 3, 5, 8, 13])
def test_render_then_decode_gives_back_the_exact_text(scale):
    uri = f"bitcoin:{P2TR}?amount=0.00042&label=B%C3%A4ckerei&message=Brot%20%26%20Kaffee"
    symbol = make_qr(uri)
    found = decode_image(symbol.to_array(scale))
    assert [r.text for r in found] == [qr_text(uri)]
    found = decode_image(make_qr(uri, uppercase=False).to_array(scale))
    assert [r.text for r in found] == [uri]


def test_unicode_text_round_trips_as_utf8():
    text = "bitcoin:" + BASE58 + "?label=Café Crème ☕&message=Grüße"
    assert [r.text for r in decode_image(make_qr(text).to_array(4))] == [text]


@pytest.mark.parametrize("scale", [1, 4, 10])
def test_png_file_round_trip(tmp_path, scale):
    from PIL import Image

    uri = f"bitcoin:{P2WPKH}?amount=1.5"
    path = tmp_path / "code.png"
    symbol = save_qr(uri, path, scale=scale)
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.size == (symbol.width * scale, symbol.width * scale)
    if scale >= 2:
        assert [r.text for r in decode_file(path)] == [qr_text(uri)]
    else:  # one pixel per module: enlarge it the crisp way before reading
        pixels = np.asarray(Image.open(path).convert("L"))
        big = np.repeat(np.repeat(pixels, 3, axis=0), 3, axis=1)
        assert [r.text for r in decode_image(big)] == [qr_text(uri)]


def _modules_from_svg(svg: str, width: int) -> np.ndarray:
    grid = np.zeros((width, width), bool)
    for x, y, run in re.findall(r"M(\d+),(\d+)h(\d+)v1h-\d+z", svg):
        grid[int(y), int(x) : int(x) + int(run)] = True
    return grid


@pytest.mark.parametrize("size", [150, 333, 1000])
def test_svg_file_matches_modules_and_decodes_at_any_size(tmp_path, size):
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    from wallet.gui.scanner.images import qimage_to_gray

    uri = f"bitcoin:{REGTEST}?amount=0.1&label=test"
    path = tmp_path / "code.svg"
    symbol = save_qr(uri, path, scale=4)
    svg = path.read_text()
    assert 'shape-rendering="crispEdges"' in svg
    assert f'viewBox="0 0 {symbol.width} {symbol.width}"' in svg
    assert (_modules_from_svg(svg, symbol.width) == np.pad(symbol.modules, QUIET_ZONE)).all()
    # an independent rasterizer (Qt SVG) at sizes that are not whole multiples of a module
    renderer = QSvgRenderer(QByteArray(svg.encode()))
    assert renderer.isValid()
    image = QImage(size, size, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    assert [r.text for r in decode_image(qimage_to_gray(image))] == [qr_text(uri)]


def test_long_payload_steps_down_to_ec_l_and_too_long_is_a_clear_error():
    text = "x" * 2400  # over M's 2,331 bytes, under L's 2,953
    symbol = make_qr(text)
    assert symbol.ec_level == "L"
    assert decode_image(symbol.to_array(3))[0].text == text
    with pytest.raises(QREncodeError, match="too long for one QR code"):
        make_qr(text, ec="M")
    with pytest.raises(QREncodeError, match="too long for one QR code"):
        make_qr("x" * 3000)
    assert make_qr("x" * 100, ec="h").ec_level == "H"


def test_bad_arguments_raise_qr_errors(tmp_path):
    with pytest.raises(QREncodeError, match="nothing to encode"):
        make_qr("")
    with pytest.raises(QREncodeError, match="error-correction level"):
        make_qr("abc", ec="X")
    with pytest.raises(QREncodeError, match="quiet zone"):
        make_qr("abc", border=-1)
    with pytest.raises(QREncodeError, match=r"\.png or \.svg"):
        save_qr("abc", tmp_path / "code.jpg")
    with pytest.raises(QREncodeError, match="at least 1"):
        make_qr("abc").to_array(0)
    with pytest.raises(QREncodeError, match="Could not write"):
        save_qr("abc", tmp_path / "missing-dir" / "code.png")


def test_bytes_payload_renders_in_byte_mode():
    data = bytes(range(256))
    symbol = make_qr(data)
    assert [r.raw for r in decode_image(symbol.to_array(3))] == [data]
