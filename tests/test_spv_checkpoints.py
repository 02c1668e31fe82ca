"""The hard-coded checkpoints: regenerated from the real data they came from, and usable."""

from __future__ import annotations

import base64
import csv

import pytest

from tests.conftest import shared_path
from wallet.bitcoin.hashes import sha256d
from wallet.spv.chain import check_header, verify_headers
from wallet.spv.checkpoints import (
    checkpoint_at,
    checkpoints,
    latest,
    tip_from_checkpoint,
)
from wallet.spv.checkpoints.generate import HERE
from wallet.spv.checkpoints.generate import main as generate
from wallet.spv.errors import InvalidHeader
from wallet.spv.header import HeaderError
from wallet.spv.pow import block_work


def test_generator_reproduces_the_committed_files(tmp_path) -> None:
    shared = shared_path("data").parent
    assert generate(["--shared", str(shared), "--out", str(tmp_path)]) == 0
    for name in ("mainnet", "testnet3", "testnet4", "signet"):
        assert (tmp_path / f"{name}.json").read_bytes() == (HERE / f"{name}.json").read_bytes()


def test_shape_of_the_data() -> None:
    for name, last in (
        ("mainnet", 953567),
        ("testnet3", 5011775),
        ("testnet4", 139103),
        ("signet", 308447),
    ):
        cps = checkpoints(name)
        assert cps[-1].height == last
        assert all(cp.height % 2016 == 2015 for cp in cps)
        assert [cp.height for cp in cps] == list(range(2015, last + 1, 2016))
        works = [cp.chainwork for cp in cps if cp.chainwork is not None]
        assert works == sorted(works)
    assert checkpoints("regtest") == ()
    assert latest("mainnet").hash_hex == (
        "00000000000000000001b315e72169bef4867bf780527aa97c625ee9c001dc5d"
    )
    assert latest("mainnet", self_contained=True).height == 830591
    assert all(cp.next_bits is not None and cp.chainwork for cp in checkpoints("mainnet"))


def test_mainnet_chainwork_matches_the_independent_ckb_table() -> None:
    with open(shared_path("data/headers/mainnet/mainnet_chainwork.csv")) as f:
        table = {
            int(r["height"]): int(r["chainwork_hex_32bytes_as_stored"], 16)
            for r in csv.DictReader(f)
        }
    compared = 0
    for cp in checkpoints("mainnet"):
        if cp.height in table:
            assert cp.chainwork == table[cp.height]
            compared += 1
    assert compared > 400


def _bitcoinj(name: str) -> dict[int, tuple[int, bytes]]:
    lines = (
        shared_path(f"data/checkpoints/bitcoinj/org.bitcoin.{name}.checkpoints.txt")
        .read_text()
        .split("\n")
    )
    out = {}
    for line in lines[3 : 3 + int(lines[2])]:
        blob = base64.b64decode(line)
        out[int.from_bytes(blob[12:16], "big")] = (int.from_bytes(blob[:12], "big"), blob[16:])
    return out


@pytest.mark.parametrize(
    ("network", "bj"), [("mainnet", "production"), ("testnet3", "test"), ("signet", "signet")]
)
def test_the_real_next_header_validates_on_each_self_contained_checkpoint(
    network: str, bj: str
) -> None:
    """bitcoinj's real header at each period start (an independent source) is valid on the
    context our checkpoint carries: link, retarget bits, median-time-past."""
    headers = _bitcoinj(bj)
    checked = 0
    for cp in checkpoints(network):
        if cp.height + 1 not in headers:
            continue
        work, header = headers[cp.height + 1]
        assert header[4:36] == cp.hash
        if cp.next_bits is not None:
            assert int.from_bytes(header[72:76], "little") == cp.next_bits
        if cp.chainwork is not None:
            assert cp.chainwork + block_work(cp.next_bits) == work
        if cp.self_contained:
            tip = check_header(header, tip_from_checkpoint(network, cp))
            assert tip.chainwork == work
            checked += 1
    assert checked >= 1


def test_checkpoint_without_context_links_fetched_headers() -> None:
    run = shared_path("data/headers/mainnet/mainnet_headers_0150001_0340000.bin").read_bytes()

    def upto(h: int, count: int) -> bytes:
        return run[(h - count + 1 - 150001) * 80 : (h + 1 - 150001) * 80]

    cp = checkpoint_at("mainnet", 153215)
    stripped = type(cp)(cp.height, cp.hash, cp.next_bits, cp.chainwork, None, None)
    with pytest.raises(HeaderError, match="give the 11 headers"):
        tip_from_checkpoint("mainnet", stripped)
    assert tip_from_checkpoint("mainnet", stripped, upto(153215, 11)) == tip_from_checkpoint(
        "mainnet", cp
    )
    with pytest.raises(InvalidHeader, match="checkpoint-mismatch"):
        tip_from_checkpoint("mainnet", stripped, upto(153214, 11))
    tampered = bytearray(upto(153215, 11))
    tampered[80 * 3 + 70] ^= 1
    with pytest.raises(InvalidHeader, match="checkpoint-mismatch"):
        tip_from_checkpoint("mainnet", stripped, bytes(tampered))
    # without the next period's bits, the whole period is needed (for the retarget)
    blind = type(cp)(cp.height, cp.hash, None, cp.chainwork, None, None)
    with pytest.raises(HeaderError, match="2016"):
        tip_from_checkpoint("mainnet", blind, upto(153215, 11))
    tip = tip_from_checkpoint("mainnet", blind, upto(153215, 2016))
    nxt = run[(153216 - 150001) * 80 :][: 2016 * 80]
    assert verify_headers(nxt, tip).ok


def test_checkpoint_hashes_are_enforced_while_syncing() -> None:
    run = shared_path("data/headers/mainnet/mainnet_headers_0150001_0340000.bin").read_bytes()
    cp = checkpoint_at("mainnet", 151199)
    tip = tip_from_checkpoint("mainnet", cp)
    body = run[(151200 - 150001) * 80 : (155300 - 150001) * 80]
    fake = {153215: sha256d(b"not the real block")}
    result = verify_headers(body, tip, checkpoints=fake)
    assert result.error.rule == "checkpoint-mismatch" and result.error.height == 153215
    assert result.count == 153215 - 151200
