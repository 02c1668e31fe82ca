"""``paylight uri parse``: fields in text and JSON, Lightning shown but not paid, unknown
parameters kept, one-sentence errors with exit code 1 (the BIP321 text's invalid examples)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from tests.conftest import REPO, shared_path
from wallet.cli import main

MAIN = "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu"  # BIP84's first receive address
TESTNET = "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx"  # BIP173's example testnet address


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["uri", "parse", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_fields_in_text_and_json(capsys) -> None:
    uri = (
        f"bitcoin:{MAIN}?amount=20.3&label=Luke-Jr&message=Donation%20for%20project%20xyz"
        "&lightning=lnbc420bogusinvoice&somethingyoudontunderstand=50"
    )
    code, out, err = _cli(capsys, uri)
    assert code == 0 and err == ""
    assert out.splitlines() == [
        f"address:   {MAIN}",
        "amount:    20.3 BTC (2,030,000,000 sat)",
        "label:     Luke-Jr",
        "message:   Donation for project xyz",
        "lightning: lnbc420bogusinvoice (a Lightning invoice (BOLT11); shown, not paid: "
        "Paylight pays on-chain)",
        "unknown parameter somethingyoudontunderstand: 50",
    ]
    code, out, _ = _cli(capsys, uri, "--json")
    doc = json.loads(out)
    assert code == 0
    assert (doc["address"], doc["amount_btc"], doc["amount_sat"]) == (MAIN, "20.3", 2_030_000_000)
    assert doc["message"] == "Donation for project xyz"
    assert doc["lightning"] == "lnbc420bogusinvoice"
    assert doc["unknown_parameters"] == [{"key": "somethingyoudontunderstand", "value": "50"}]
    assert doc["payable_address"] == MAIN and doc["not_payable_reason"] is None


def test_upper_case_qr_text_and_the_smallest_amount(capsys) -> None:
    code, out, _ = _cli(capsys, f"BITCOIN:{MAIN.upper()}?AMOUNT=0.00000001", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["address"] == MAIN and doc["amount_sat"] == 1


def test_lightning_only_is_parsed_but_not_payable(capsys) -> None:
    code, out, _ = _cli(capsys, "bitcoin:?lightning=lnbc420bogusinvoice")
    assert code == 0
    assert "address:   (none)" in out
    assert "not payable: this URI offers no on-chain address for mainnet" in out


def test_another_networks_address(capsys) -> None:
    code, out, err = _cli(capsys, f"bitcoin:{TESTNET}?amount=1")
    assert code == 1 and out == ""
    assert err == (
        "paylight: error: this is a testnet3/testnet4/signet address, but the wallet is on "
        "mainnet; to read it for testnet3, add --network testnet3\n"
    )
    code, out, _ = _cli(capsys, f"bitcoin:{TESTNET}?amount=1", "--network", "testnet4")
    assert code == 0 and f"address:   {TESTNET}" in out


def _invalid_examples() -> list[str]:
    text = shared_path("vectors/bips_spec/bip-0321.mediawiki").read_text()
    section = text.split("==== Invalid URIs ====", 1)[1].split("====", 1)[0]
    return re.findall(r"^ (bitcoin:\S+)$", section, re.M)


def test_the_bip321_invalid_examples_are_one_sentence_errors(capsys) -> None:
    examples = _invalid_examples()
    assert len(examples) == 5
    # the BIP's addresses are deliberately invalid: put a valid one in, so each example fails
    # for the reason it illustrates
    expected = [
        "'label' more than once",
        "'amount' more than once",
        "'amount' more than once",
        "more than one proof-of-payment",
        "'bc' parameter holds a 'tb' address",
    ]
    for example, reason in zip(examples, expected, strict=True):
        uri = example.replace("175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W", MAIN)
        code, out, err = _cli(capsys, uri)
        assert code == 1 and out == "", uri
        assert err.startswith("paylight: error: ") and err.count("\n") == 1, err
        assert reason in err, (uri, err)
    code, _, err = _cli(capsys, f"bitcoin:{MAIN}?req-somethingyoudontunderstand=50")
    assert code == 1 and "must not be paid" in err
    code, _, err = _cli(capsys, "http://example.com")
    assert code == 1 and "is not a bitcoin: payment URI" in err


def test_the_installed_command(capsys) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "wallet", "uri", "parse", f"bitcoin:{MAIN}?amount=0.001", "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["amount_sat"] == 100_000
