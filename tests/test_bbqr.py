"""BBQr against Coinkite's specification and data (github.com/coinkite/BBQr, public domain).

Vectors: the spec's header examples (BBQr.md); ``tests/data/bbqr_real_scan.txt``, the repo's
``test_data/real-scan.txt`` -- eight Z-encoded parts of a UTF-8 text file as a Coldcard showed
them, lines out of order, which its own tests join into text containing "Zlib compressed" and
"PSBT"; and the transaction ``test_data/nfc-result.txn`` with its Base32 text as the reference
Python code (``bbqr/utils.py encode_data``, commit d33d755) writes it.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from wallet.bitcoin.transaction import Transaction
from wallet.payments.bbqr import BBQrDecoder, base36, encode_body, split
from wallet.payments.qr_errors import AnimatedQRError

REAL_SCAN = Path(__file__).parent / "data" / "bbqr_real_scan.txt"
# coinkite/BBQr test_data/nfc-result.txn (376 bytes)
NFC_TX_HEX = (
    "020000000001020d0b15eda761956158644571cb32675916ce29de46c52adb133f80902a7c7bd80000000000"
    "ffffffff4f72b07125366b7aa7f09f68a6f02ceb535b6ebb854e679ba3864280827fb2e90000000000ffffff"
    "ff0278cdf505000000001976a9145ad30c5baad27f885137c313f07166ebb39c747288ac78cdf50500000000"
    "1976a9140c62cca88e238eb3cca90e3b855b871337deb0a088ac0247304402206688816be2804f5fb2c7f05a"
    "3999242891cbb85e59eeda0881724e503fb1eba102204f2770d58b8714622be70df6d99915eb0b1a4c1af7fb"
    "3f187f4a018675b8047f0121032be372801d8460dda52ae178aad774a54800ba56f949c97b8a2f51e299209d"
    "06024730440220630c1e4e92da33bd79eb1892ae594a809239066f45cc200cb27ceb0276593c8202206739bb"
    "1b53854dc5b04f164f43cec241374ec0da3f4647d6a054315cb949baf1012102d922903b8eb295bb232fc030"
    "4d88cf1755a60179156fa8f84970f0d4072d5fbb00000000"
)
# its Base32 text (encoding "2") from the reference encode_data
NFC_TX_BASE32 = (
    "AIAAAAAAAEBA2CYV5WTWDFLBLBSEK4OLGJTVSFWOFHPENRJK3MJT7AEQFJ6HXWAAAAAAAAH777776T3SWBYSKNTL"
    "PKT7BH3IU3YCZ22TLNXLXBKOM6N2HBSCQCBH7MXJAAAAAAAA777777YCPDG7KBIAAAAAAGLWVEKFVUYMLOVNE74I"
    "KE34GE7QOFTOXM44ORZIRLDYZX2QKAAAAAABS5VJCQGGFTFIRYRY5M6MVEHDXBK3Q4JTPXVQUCEKYASHGBCAEIDG"
    "RCAWXYUAJ5P3FR7QLI4ZSJBISHF3QXSZ53NARALSJZID7MPLUEBCATZHODKYXBYUMIV6ODPW3GMRL2YLDJGBV573"
    "H4MH6SQBQZ23QBD7AEQQGK7DOKAB3BDA3WSSVYLYVLLXJJKIAC5FN6KJZF5YUL2R4KMSBHIGAJDTARACEBRQYHSO"
    "SLNDHPLZ5MMJFLSZJKAJEOIGN5C4YIAMWJ6OWATWLE6IEARAM443WG2TQVG4LMCPCZHUHTWCIE3U5QG2H5DEPVVA"
    "KQYVZOKJXLYQCIIC3ERJAO4OWKK3WIZPYAYE3CGPC5K2MALZCVX2R6CJODYNIBZNL65QAAAAAA"
)


def _join(parts: list[str]) -> BBQrDecoder:
    decoder = BBQrDecoder()
    for part in parts:
        decoder.receive(part)
    return decoder


def test_header_examples_from_the_spec():
    # "B$HP0300(2000 HEX digits)", "B$HP0301(2000 HEX digits)", "B$HP0302(300 HEX digits)":
    # a PSBT of 2150 bytes in three parts, all but the last holding 1000 bytes.
    data = bytes(random.Random(5).randrange(256) for _ in range(2150))
    parts = split(data, "P", encoding="H", max_part_chars=2008)
    assert [p[:8] for p in parts] == ["B$HP0300", "B$HP0301", "B$HP0302"]
    assert [len(p) - 8 for p in parts] == [1434, 1434, 1432]  # evened out, no runt
    assert _join(parts[::-1]).result.data == data
    assert (base36(0), base36(35), base36(36), base36(1295)) == ("00", "0Z", "10", "ZZ")
    with pytest.raises(ValueError):
        base36(1296)


def test_real_coldcard_scan_out_of_order():
    lines = [ln.strip() for ln in REAL_SCAN.read_text().splitlines() if ln.strip()]
    assert len(lines) == 26 and all(ln.startswith("B$ZU08") for ln in lines)  # with repeats
    assert len(set(lines)) == 8
    decoder = BBQrDecoder()
    for line in lines:
        decoder.receive(line)
        if decoder.is_complete:
            break
    assert len(decoder.parts) == 8
    result = decoder.result
    assert result.file_type == "U" and result.kind == "text"
    text = result.data.decode("utf-8")
    assert "Zlib compressed" in text and "PSBT" in text


def test_transaction_matches_the_reference_encoder():
    raw = bytes.fromhex(NFC_TX_HEX)
    assert Transaction.parse(raw).txid_hex  # a real transaction
    assert encode_body(raw, "2") == ("2", NFC_TX_BASE32, 8)
    assert encode_body(raw, "H") == ("H", NFC_TX_HEX.upper(), 2)
    parts = split(raw, "T", encoding="2", max_part_chars=8 + 304)
    assert parts == ["B$2T0200" + NFC_TX_BASE32[:304], "B$2T0201" + NFC_TX_BASE32[304:]]
    assert _join(parts).result.data == raw


@pytest.mark.parametrize("encoding", ["H", "2", "Z"])
def test_any_order_repeats_and_other_files(encoding):
    rng = random.Random(encoding)
    data = b"psbt\xff" + b"".join(rng.randbytes(20) + b"\x00" * 30 for _ in range(60))
    parts = split(data, "P", encoding=encoding, max_part_chars=120)
    assert len(parts) > 10
    assert parts[0][2] == encoding
    other = split(b"another file" * 50, "P", encoding=encoding, max_part_chars=120)
    frames = parts * 2 + other[:3]
    rng.shuffle(frames)
    decoder = BBQrDecoder()
    for frame in frames:
        decoder.receive(frame)
        if decoder.is_complete:
            break
    assert decoder.result.data == data and decoder.result.file_type == "P"


def test_z_falls_back_to_base32_for_incompressible_data():
    data = random.Random(1).randbytes(300)
    used, _text, _mod = encode_body(data, "Z")
    assert used == "2"
    assert split(data, "B")[0].startswith("B$2B01")


def test_bad_parts_are_sentences_and_nothing_is_kept_from_them():
    parts = split(b"x" * 400 + bytes(range(256)), "T", encoding="H", max_part_chars=200)
    for bad in (
        "hello",
        "B$QT0100AB",  # unknown encoding
        "B$HQ0100AB",  # unknown file type
        "B$HT0203AB",  # part 4 of 2
        "B$HT00" + "00AB",  # zero parts
        parts[0][:8] + "ab",  # lower case is not in the alphanumeric set
    ):
        with pytest.raises(AnimatedQRError):
            BBQrDecoder().receive(bad)
    decoder = BBQrDecoder()
    decoder.receive(parts[0])
    changed = parts[0][:-2] + ("00" if parts[0][-2:] != "00" else "11")
    with pytest.raises(AnimatedQRError, match="read twice, differently"):
        decoder.receive(changed)
    odd = BBQrDecoder()
    odd.receive(parts[1][:-2])  # a middle part shorter than the others
    for part in parts[2:-1]:
        odd.receive(part)
    odd.receive(parts[-1])
    with pytest.raises(AnimatedQRError, match="equal length"):
        odd.receive(parts[0])
    assert not odd.parts  # forgotten: the next scan starts afresh
    # a zlib bomb: 20 MiB of zeros compresses to a few kB
    import zlib

    z = zlib.compressobj(9, zlib.DEFLATED, -10)
    bomb = z.compress(b"\0" * (20 * 1024 * 1024)) + z.flush()
    from base64 import b32encode

    body = b32encode(bomb).decode().rstrip("=")
    with pytest.raises(AnimatedQRError, match="larger than 16 MiB"):
        BBQrDecoder().receive("B$ZB0100" + body)
