"""BC-UR against the reference implementation's published test vectors.

Every expected value below is copied by hand from Blockchain Commons' bc-ur C++ test suite,
``test/test.cpp`` in github.com/BlockchainCommons/bc-ur (BSD-2-Clause Plus Patent), which the
Swift (URKit) and Python (foundation-ur-py) ports share; their helper ``make_message(n)`` is
``Xoshiro256("Wolf").next_data(n)`` and ``make_message_ur(n)`` wraps it as a CBOR byte string
in a ``bytes`` UR.
"""

from __future__ import annotations

import random

import pytest

from wallet.payments.qr_errors import AnimatedQRError
from wallet.payments.ur import bytewords, cbor
from wallet.payments.ur.bytewords import Style
from wallet.payments.ur.fountain import (
    FountainDecoder,
    FountainEncoder,
    Part,
    nominal_fragment_length,
    partition,
)
from wallet.payments.ur.ur import UR, URDecoder, UREncoder, decode_single, encode_single
from wallet.payments.ur.xoshiro import (
    RandomSampler,
    Xoshiro256,
    choose_degree,
    choose_fragments,
    shuffled,
)


def make_message(length: int, seed: str = "Wolf") -> bytes:
    return Xoshiro256(seed).next_data(length)


def make_message_ur(length: int, seed: str = "Wolf") -> UR:
    return UR("bytes", cbor.encode(make_message(length, seed)))


# test_crc32
def test_crc32():
    assert bytewords.crc32(b"Hello, world!").hex() == "ebe6c6e6"
    assert bytewords.crc32(b"Wolf").hex() == "598c84dc"


# test_bytewords_1
def test_bytewords_styles_and_bad_input():
    data = bytes([0, 1, 2, 128, 255])
    standard = "able acid also lava zoom jade need echo taxi"
    uri = "able-acid-also-lava-zoom-jade-need-echo-taxi"
    minimal = "aeadaolazmjendeoti"
    assert bytewords.encode(data, Style.STANDARD) == standard
    assert bytewords.encode(data, Style.URI) == uri
    assert bytewords.encode(data, Style.MINIMAL) == minimal
    assert bytewords.decode(standard, Style.STANDARD) == data
    assert bytewords.decode(uri, Style.URI) == data
    assert bytewords.decode(minimal.upper(), Style.MINIMAL) == data  # QR alphanumeric capitals
    for bad, style in (
        ("able acid also lava zero jade need echo wolf", Style.STANDARD),
        ("able-acid-also-lava-zero-jade-need-echo-wolf", Style.URI),
        ("aeadaolazojendeowf", Style.MINIMAL),
        ("wolf", Style.STANDARD),
        ("", Style.STANDARD),
        ("aeadaolazmjendeot", Style.MINIMAL),  # odd length
        ("able acid also lava zoom jade need echo taxx", Style.STANDARD),  # not a word
    ):
        with pytest.raises(AnimatedQRError):
            bytewords.decode(bad, style)


# test_bytewords_2
def test_bytewords_hundred_bytes():
    values = [
            245, 215, 20, 198, 241, 235, 69, 59, 209, 205, 165, 18, 150, 158, 116, 135, 229,
            212, 19, 159, 17, 37, 239, 240, 253, 11, 109, 191, 37, 242, 38, 120, 223, 41, 156,
            189, 242, 254, 147, 204, 66, 163, 216, 175, 191, 72, 169, 54, 32, 60, 144, 230, 210,
            137, 184, 197, 33, 113, 88, 14, 157, 31, 177, 46, 1, 115, 205, 69, 225, 150, 65, 235,
            58, 144, 65, 240, 133, 69, 113, 247, 63, 53, 242, 165, 160, 144, 26, 13, 79, 237, 133,
            71, 82, 69, 254, 165, 138, 41, 85, 24,
    ]  # fmt: skip
    data = bytes(values)
    standard = (
        "yank toys bulb skew when warm free fair tent swan open brag mint noon jury list view "
        "tiny brew note body data webs what zinc bald join runs data whiz days keys user diet "
        "news ruby whiz zone menu surf flew omit trip pose runs fund part even crux fern math "
        "visa tied loud redo silk curl jugs hard beta next cost puma drum acid junk swan free "
        "very mint flap warm fact math flap what limp free jugs yell fish epic whiz open numb "
        "math city belt glow wave limp fuel grim free zone open love diet gyro cats fizz holy "
        "city puff"
    )
    minimal = (
        "yktsbbswwnwmfefrttsnonbgmtnnjyltvwtybwnebydawswtzcbdjnrsdawzdsksurdtnsrywzzemusf"
        "fwottppersfdptencxfnmhvatdldroskcljshdbantctpadmadjksnfevymtfpwmftmhfpwtlpfejsyl"
        "fhecwzonnbmhcybtgwwelpflgmfezeonledtgocsfzhycypf"
    )
    assert bytewords.encode(data, Style.STANDARD) == standard
    assert bytewords.encode(data) == minimal
    assert bytewords.decode(standard, Style.STANDARD) == data
    assert bytewords.decode(minimal) == data


# test_rng_1, test_rng_2, test_rng_3
def test_xoshiro_sequences():
    rng = Xoshiro256("Wolf")
    assert [rng.next() % 100 for _ in range(100)] == [
        42, 81, 85, 8, 82, 84, 76, 73, 70, 88, 2, 74, 40, 48, 77, 54, 88, 7, 5, 88, 37, 25, 82,
        13, 69, 59, 30, 39, 11, 82, 19, 99, 45, 87, 30, 15, 32, 22, 89, 44, 92, 77, 29, 78, 4,
        92, 44, 68, 92, 69, 1, 42, 89, 50, 37, 84, 63, 34, 32, 3, 17, 62, 40, 98, 82, 89, 24,
        43, 85, 39, 15, 3, 99, 29, 20, 42, 27, 10, 85, 66, 50, 35, 69, 70, 70, 74, 30, 13, 72,
        54, 11, 5, 70, 55, 91, 52, 10, 43, 43, 52,
    ]  # fmt: skip
    rng = Xoshiro256.from_crc32(int.from_bytes(bytewords.crc32(b"Wolf"), "big"))
    assert [rng.next() % 100 for _ in range(100)] == [
        88, 44, 94, 74, 0, 99, 7, 77, 68, 35, 47, 78, 19, 21, 50, 15, 42, 36, 91, 11, 85, 39,
        64, 22, 57, 11, 25, 12, 1, 91, 17, 75, 29, 47, 88, 11, 68, 58, 27, 65, 21, 54, 47, 54,
        73, 83, 23, 58, 75, 27, 26, 15, 60, 36, 30, 21, 55, 57, 77, 76, 75, 47, 53, 76, 9, 91,
        14, 69, 3, 95, 11, 73, 20, 99, 68, 61, 3, 98, 36, 98, 56, 65, 14, 80, 74, 57, 63, 68,
        51, 56, 24, 39, 53, 80, 57, 51, 81, 3, 1, 30,
    ]  # fmt: skip
    rng = Xoshiro256("Wolf")
    assert [rng.next_int(1, 10) for _ in range(100)] == [
        6, 5, 8, 4, 10, 5, 7, 10, 4, 9, 10, 9, 7, 7, 1, 1, 2, 9, 9, 2, 6, 4, 5, 7, 8, 5, 4, 2,
        3, 8, 7, 4, 5, 1, 10, 9, 3, 10, 2, 6, 8, 5, 7, 9, 3, 1, 5, 2, 7, 1, 4, 4, 4, 4, 9, 4, 5,
        5, 6, 9, 5, 1, 2, 8, 3, 3, 2, 8, 4, 3, 2, 1, 10, 8, 9, 3, 10, 8, 5, 5, 6, 7, 10, 5, 8,
        9, 4, 6, 4, 2, 10, 2, 1, 7, 9, 6, 7, 4, 2, 5,
    ]  # fmt: skip


# test_find_fragment_length
def test_nominal_fragment_length():
    assert nominal_fragment_length(12345, 1005, 1955) == 1764
    assert nominal_fragment_length(12345, 1005, 30000) == 12345


# test_random_sampler (the first 100 and the last 11 of its 500 samples)
def test_random_sampler():
    sampler = RandomSampler([1, 2, 4, 8])
    rng = Xoshiro256("Wolf")
    samples = [sampler.next(rng) for _ in range(500)]
    assert samples[:100] == [
        3, 3, 3, 3, 3, 3, 3, 0, 2, 3, 3, 3, 3, 1, 2, 2, 1, 3, 3, 2, 3, 3, 1, 1, 2, 1, 1, 3, 1,
        3, 1, 2, 0, 2, 1, 0, 3, 3, 3, 1, 3, 3, 3, 3, 1, 3, 2, 3, 2, 2, 3, 3, 3, 3, 2, 3, 3, 0,
        3, 3, 3, 3, 1, 2, 3, 3, 2, 2, 2, 1, 2, 2, 1, 2, 3, 1, 3, 0, 3, 2, 3, 3, 3, 3, 3, 3, 3,
        3, 2, 3, 1, 3, 3, 2, 0, 2, 2, 3, 1, 1,
    ]  # fmt: skip
    assert samples[-11:] == [3, 3, 3, 3, 3, 3, 3, 0, 3, 3, 2]


# test_shuffle
def test_shuffle():
    rng = Xoshiro256("Wolf")
    values = list(range(1, 11))
    assert [shuffled(values, rng) for _ in range(10)] == [
        [6, 4, 9, 3, 10, 5, 7, 8, 1, 2],
        [10, 8, 6, 5, 1, 2, 3, 9, 7, 4],
        [6, 4, 5, 8, 9, 3, 2, 1, 7, 10],
        [7, 3, 5, 1, 10, 9, 4, 8, 2, 6],
        [8, 5, 7, 10, 2, 1, 4, 3, 9, 6],
        [4, 3, 5, 6, 10, 2, 7, 8, 9, 1],
        [5, 1, 3, 9, 4, 6, 2, 10, 7, 8],
        [2, 1, 10, 8, 9, 4, 7, 6, 3, 5],
        [6, 7, 10, 4, 8, 9, 2, 3, 1, 5],
        [10, 2, 1, 7, 9, 5, 6, 3, 4, 8],
    ]


# test_partition_and_join (first, second and last fragment of eleven)
def test_partition_and_join():
    message = make_message(1024)
    length = nominal_fragment_length(len(message), 10, 100)
    fragments = partition(message, length)
    assert len(fragments) == 11
    assert fragments[0].hex() == (
        "916ec65cf77cadf55cd7f9cda1a1030026ddd42e905b77adc36e4f2d3ccba44f7f04f2de44f42d84c374a0e1"
        "49136f25b01852545961d55f7f7a8cde6d0e2ec43f3b2dcb644a2209e8c9e34af5c4747984a5e873c9cf5f"
        "965e25ee29039f"
    )
    assert fragments[1].hex() == (
        "df8ca74f1c769fc07eb7ebaec46e0695aea6cbd60b3ec4bbff1b9ffe8a9e7240129377b9d3711ed38d412fbb"
        "4442256f1e6f595e0fc57fed451fb0a0101fb76b1fb1e1b88cfdfdaa946294a47de8fff173f021c0e6f65b"
        "05c0a494e50791"
    )
    assert fragments[10].hex() == (
        "170010067e2e75ebe2d2904aeb1f89d5dc98cd4a6f2faaa8be6d03354c990fd895a97feb54668473e9d942bb"
        "99e196d897e8f1b01625cf48a7b78d249bb4985c065aa8cd1402ed2ba1b6f908f63dcd84b66425df000000"
        "00000000000000"
    )
    assert b"".join(fragments)[: len(message)] == message


# test_choose_degree (the first 40 and the last 10 of 200)
def test_choose_degree():
    message = make_message(1024)
    count = len(partition(message, nominal_fragment_length(len(message), 10, 100)))
    degrees = [choose_degree(count, Xoshiro256(f"Wolf-{nonce}")) for nonce in range(1, 201)]
    assert degrees[:40] == [
        11, 3, 6, 5, 2, 1, 2, 11, 1, 3, 9, 10, 10, 4, 2, 1, 1, 2, 1, 1, 5, 2, 4, 10, 3, 2, 1, 1,
        3, 11, 2, 6, 2, 9, 9, 2, 6, 7, 2, 5,
    ]  # fmt: skip
    assert degrees[-10:] == [2, 1, 9, 2, 10, 2, 1, 3, 4, 10]


# test_choose_fragments
def test_choose_fragments():
    message = make_message(1024)
    checksum = int.from_bytes(bytewords.crc32(message), "big")
    count = len(partition(message, nominal_fragment_length(len(message), 10, 100)))
    chosen = [sorted(choose_fragments(n, count, checksum)) for n in range(1, 31)]
    assert chosen == [
        [0], [1], [2], [3], [4], [5], [6], [7], [8], [9], [10], [9], [2, 5, 6, 8, 9, 10], [8],
        [1, 5], [1], [0, 2, 4, 5, 8, 10], [5], [2], [2], [0, 1, 3, 4, 5, 7, 9, 10],
        [0, 1, 2, 3, 5, 6, 8, 9, 10], [0, 2, 4, 5, 7, 8, 9, 10], [3, 5], [4],
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [0, 1, 3, 4, 5, 6, 7, 9, 10], [6], [5, 6], [7],
    ]  # fmt: skip


# test_xor
def test_xor_of_random_data():
    rng = Xoshiro256("Wolf")
    a, b = rng.next_data(10), rng.next_data(10)
    assert (a.hex(), b.hex()) == ("916ec65cf77cadf55cd7", "f9cda1a1030026ddd42e")
    mixed = bytes(x ^ y for x, y in zip(a, b))
    assert mixed.hex() == "68a367fdf47c8b2888f9"


# test_fountain_encoder and test_fountain_encoder_cbor (parts 1, 9, 10, 13, 20 of 20)
FOUNTAIN_PARTS = {
    1: "916ec65cf77cadf55cd7f9cda1a1030026ddd42e905b77adc36e4f2d3c",
    9: "951e65305b56a3706e3e86eb01c803bbf915d80edcd64d4d0000000000",
    10: "330f0f33a05eead4f331df229871bee733b50de71afd2e5a79f196de09",
    13: "760be7ad1c6187902bbc04f539b9ee5eb8ea6833222edea36031306c01",
    15: "73f021c0e6f65b05c0a494e50791270a0050a73ae69b6725505a2ec8a5",
    20: "e055c2433562184fa71b4be94f262e200f01c6f74c284b0dc6fae6673f",
}


def test_fountain_encoder_parts_and_cbor():
    encoder = FountainEncoder(make_message(256), 30)
    parts = [encoder.next_part() for _ in range(20)]
    for n, data in FOUNTAIN_PARTS.items():
        assert parts[n - 1].description() == (
            f"seqNum:{n}, seqLen:9, messageLen:256, checksum:23570951, data:{data}"
        )
    assert parts[0].cbor().hex() == (
        "8501091901001a0167aa07581d916ec65cf77cadf55cd7f9cda1a1030026ddd42e905b77adc36e4f2d3c"
    )
    assert parts[19].cbor().hex() == (
        "8514091901001a0167aa07581de055c2433562184fa71b4be94f262e200f01c6f74c284b0dc6fae6673f"
    )
    again = FountainEncoder(make_message(256), 30)
    sent = 0
    while not again.is_complete:  # test_fountain_encoder_is_complete
        again.next_part()
        sent += 1
    assert sent == again.seq_len == 9


# test_fountain_cbor (its 5-byte fragment cannot hold 100 bytes in 8 parts, which this
# decoder refuses, so the fragment here is 13 bytes)
def test_fountain_part_cbor_round_trip():
    part = Part(12, 8, 100, 0x12345678, bytes([1, 5, 3, 3, 5]) * 2 + b"abc")
    assert Part.from_cbor(part.cbor()) == part
    with pytest.raises(AnimatedQRError):
        Part.from_cbor(cbor.encode([1, 2, 3]))
    with pytest.raises(AnimatedQRError):  # 2 fragments of 5 bytes cannot hold 100 bytes
        Part.from_cbor(cbor.encode([1, 2, 100, 7, b"12345"]))


# test_fountain_decoder
def test_fountain_decoder_in_order():
    message = make_message(32767)
    encoder = FountainEncoder(message, 1000, 100)
    decoder = FountainDecoder()
    while not decoder.is_complete:
        decoder.receive(encoder.next_part())
    assert decoder.result == message


def test_fountain_decoder_any_subset_any_order_with_duplicates():
    message = make_message(5000, "Paylight")
    encoder = FountainEncoder(message, 100)
    parts = [encoder.next_part() for _ in range(200)]
    rng = random.Random(19)
    for trial in range(5):
        kept = [p for p in parts if p.seq_num > encoder.seq_len or rng.random() > 0.5]
        rng.shuffle(kept)
        kept += kept[:20]  # duplicates
        decoder = FountainDecoder()
        for part in kept:
            decoder.receive(part)
            if decoder.is_complete:
                break
        assert decoder.result == message, trial


# test_single_part_ur
def test_single_part_ur():
    ur = make_message_ur(50)
    text = encode_single(ur)
    assert text == (
        "ur:bytes/hdeymejtswhhylkepmykhhtsytsnoyoyaxaedsuttydmmhhpktpmsrjtgwdpfnsboxgwlbaawzuefyw"
        "kdplrsrjynbvygabwjldapfcsdwkbrkch"
    )
    assert decode_single(text) == ur
    assert decode_single(text.upper()) == ur


# test_ur_encoder (parts 1, 2, 9, 10 and 20 of 20)
def test_ur_encoder():
    encoder = UREncoder(make_message_ur(256), 30)
    parts = list(encoder.parts(20))
    assert parts[0] == (
        "ur:bytes/1-9/lpadascfadaxcywenbpljkhdcahkadaemejtswhhylkepmykhhtsytsnoyoyaxaedsuttydmmhhpk"
        "tpmsrjtdkgslpgh"
    )
    assert parts[1] == (
        "ur:bytes/2-9/lpaoascfadaxcywenbpljkhdcagwdpfnsboxgwlbaawzuefywkdplrsrjynbvygabwjldapfcsgm"
        "ghhkhstlrdcxaefz"
    )
    assert parts[8] == (
        "ur:bytes/9-9/lpasascfadaxcywenbpljkhdcajskecpmdckihdyhphfotjojtfmlnwmadspaxrkytbztpbauotb"
        "gtgtaeaevtgavtny"
    )
    assert parts[9] == (
        "ur:bytes/10-9/lpbkascfadaxcywenbpljkhdcahkadaemejtswhhylkepmykhhtsytsnoyoyaxaedsuttydmmhh"
        "pktpmsrjtwdkiplzs"
    )
    assert parts[19] == (
        "ur:bytes/20-9/lpbbascfadaxcywenbpljkhdcayapmrleeleaxpasfrtrdkncffwjyjzgyetdmlewtkpktgllep"
        "frltataztksmhkbot"
    )


# test_multipart_ur
def test_multipart_ur_round_trip():
    ur = make_message_ur(32767)
    encoder = UREncoder(ur, 1000, 100)
    decoder = URDecoder()
    while not decoder.is_complete:
        decoder.receive(encoder.next_part())
    assert decoder.result == ur


def test_ur_decoder_ignores_other_codes_and_refuses_misreads():
    first = UREncoder(make_message_ur(300), 40)
    other = UREncoder(make_message_ur(300, "Other"), 40)
    decoder = URDecoder()
    assert decoder.receive(first.next_part())
    assert not decoder.receive(other.next_part())  # another message of the same type
    assert not decoder.receive(encode_single(UR("crypto-psbt", cbor.encode(b"x"))))
    broken = first.next_part()
    broken = broken[:-5] + ("a" if broken[-5] != "a" else "e") + broken[-4:]
    with pytest.raises(AnimatedQRError):
        decoder.receive(broken)
    while not decoder.is_complete:
        decoder.receive(first.next_part())
    assert decoder.result == first.ur
    for bad in ("ur:", "ur:bytes", "bytes/abc", "ur:by tes/aeadaolazmjendeoti", "ur:bytes/1-0/ae"):
        with pytest.raises(AnimatedQRError):
            URDecoder().receive(bad)


def test_cbor_values_and_hostile_input():
    value = {1: [True, False, None], 2: -500, 3: "ü", 4: cbor.Tagged(40303, {3: b"\x02" * 33})}
    assert cbor.decode(cbor.encode(value)) == value
    assert cbor.encode(2**32).hex() == "1b0000000100000000"
    for bad in ("9f01ff", "5a0000ffff00", "81", "a10101" + "01", "f93c00", "a20101"):
        with pytest.raises(AnimatedQRError):
            cbor.decode(bytes.fromhex(bad))
    with pytest.raises(AnimatedQRError):
        cbor.decode(b"\x81" * 100 + b"\x00")  # nested too deeply
