"""BIP329 label export and import against the BIP's own example lines (read from the BIP text
at test time) and a real SQLite wallet database holding the BIP84 test wallet's addresses."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import shared_path
from wallet.account.database import Chain, MerkleProof, TxState, WalletDatabase
from wallet.account.labels_bip329 import (
    MAX_LABEL_LENGTH,
    Bip329Error,
    check_origin,
    export_labels,
    import_labels,
    parse_labels,
)
from wallet.bitcoin.address import address_to_script
from wallet.bitcoin.networks import MAINNET
from wallet.bitcoin.transaction import OutPoint, Transaction, TxIn, TxOut

ORIGIN = "wpkh([73c5da0a/84'/0'/0'])"  # the BIP84 test mnemonic's fingerprint


def _bip_example() -> str:
    text = shared_path("vectors/bips_spec/bip-0329.mediawiki").read_text()
    section = text.split("==Test Vectors==", 1)[1]
    return re.search(r"<pre>\n(.*?)</pre>", section, re.S).group(1)


def _bip84() -> dict[str, str]:
    data = json.loads(shared_path("vectors/extracted/bip84_bip86_test_vectors.json").read_text())
    return {e["path"]: e["address"] for e in data["bip84"]["entries"] if "address" in e}


def test_the_bip_example_lines_parse() -> None:
    text = _bip_example()
    lines = text.splitlines()
    parsed = parse_labels(text, MAINNET)
    assert parsed.errors == []
    assert [str(i) for i in parsed.ignored] == [
        "line 7: Paylight does not store 'spscan' labels; ignored"
    ]
    assert len(parsed.records) == len(lines) - 1
    for n, record in parsed.records:
        original = json.loads(lines[n - 1])
        assert (record.type, record.ref, record.label) == (
            original["type"],
            original["ref"],
            original["label"],
        )
        assert record.origin == original.get("origin")
        assert record.spendable == original.get("spendable")
    assert dict(parsed.records)[5].spendable is False


def test_the_bip_example_imports_into_a_wallet(tmp_path) -> None:
    with WalletDatabase.open(tmp_path / "w.sqlite") as db:
        report = import_labels(db, _bip_example(), MAINNET)
        assert report.labels_set == 7 and report.frozen == 0
        # the example's output is not a coin of this wallet: its label is kept, 'spendable' is not
        assert [i.line for i in report.ignored] == [5, 7]
        assert db.label("xpub", _bip_example().splitlines()[5].split('"')[7]) == (
            "Extended Public Key"
        )
        tx = "f91d0a8a78462bc59398f2c5d7a84fcff491c26ba54c4833478b202796c8aafd"
        assert db.labels("tx")[1].origin == "wpkh([d34db33f/84'/0'/0'])"
        assert db.label("output", f"{tx}:1") == "Output"
        # exported again, every line is one the BIP would accept, with the same records
        again = parse_labels(export_labels(db, MAINNET), MAINNET)
        assert again.errors == [] and len(again.records) == 7


def _wallet(path) -> tuple[WalletDatabase, dict]:
    """A wallet database with the BIP84 test wallet's first addresses, two payments to it (one
    confirmed 10 blocks deep) and a spend, as sync would store them."""
    addresses = _bip84()
    db = WalletDatabase.open(path)
    recv0, recv1 = addresses["m/84'/0'/0'/0/0"], addresses["m/84'/0'/0'/0/1"]
    change = addresses["m/84'/0'/0'/1/0"]
    for chain, index, address in [(0, 0, recv0), (0, 1, recv1), (1, 0, change)]:
        db.add_address(Chain(chain), index, address, address_to_script(address, "mainnet"))
    pay1 = Transaction(
        2,
        [TxIn(OutPoint(bytes(range(32)), 1), b"\x00" * 20)],
        [TxOut(50_000, address_to_script(recv0, "mainnet")), TxOut(7_000, b"\x6a")],
    )
    pay2 = Transaction(
        2,
        [TxIn(OutPoint(bytes(range(1, 33)), 0), b"\x00" * 20)],
        [TxOut(20_000, address_to_script(recv1, "mainnet"))],
    )
    spend = Transaction(
        2,
        [TxIn(OutPoint(pay1.txid(), 0), b"")],
        [
            TxOut(30_000, b"\x00\x14" + bytes(20)),
            TxOut(19_000, address_to_script(change, "mainnet")),
        ],
    )
    proof = MerkleProof(100, bytes(32), 3, (bytes(32),))
    db.add_transaction(pay1.serialize(), state=TxState.CONFIRMED, proof=proof)
    db.add_transaction(pay2.serialize())
    db.add_transaction(spend.serialize())
    ids = {"pay1": pay1.txid_hex, "pay2": pay2.txid_hex, "spend": spend.txid_hex}
    ids.update(recv0=recv0, recv1=recv1, change=change)
    return db, ids


def test_round_trip_through_a_real_wallet_database(tmp_path) -> None:
    db, ids = _wallet(tmp_path / "a.sqlite")
    with db:
        db.set_label("tx", ids["pay1"], "Salary")
        db.set_label("tx", ids["spend"], "Rent", "wpkh([73c5da0a/84'/0'/1'])")
        db.set_label("addr", ids["recv0"], "Given to Alice")
        db.set_label("output", f"{ids['pay1']}:0", "From Alice")
        db.set_label("input", f"{ids['spend']}:0", "Alice's coin")
        db.set_frozen(OutPoint.from_hex(ids["pay2"], 0), True)  # frozen, no label
        recv1 = db.address_at(Chain.RECEIVE, 1)
        db.add_payment_request(recv1.id, 20_000, label="Order 17", created_at=1)
        text = export_labels(db, MAINNET, origin=ORIGIN, tip_height=109)
    lines = [json.loads(line) for line in text.splitlines()]
    assert text.endswith("\n") and all(list(d)[:2] == ["type", "ref"] for d in lines)
    by = {(d["type"], d["ref"]): d for d in lines}
    assert by[("tx", ids["pay1"])] == {
        "type": "tx",
        "ref": ids["pay1"],
        "label": "Salary",
        "origin": ORIGIN,
        "height": 100,  # 10 confirmations at tip 109: fully confirmed
    }
    assert by[("tx", ids["spend"])]["origin"] == "wpkh([73c5da0a/84'/0'/1'])"
    assert by[("addr", ids["recv0"])]["keypath"] == "/0/0"
    assert by[("addr", ids["recv1"])] == {  # the payment request's label
        "type": "addr",
        "ref": ids["recv1"],
        "label": "Order 17",
        "origin": ORIGIN,
        "keypath": "/0/1",
    }
    assert by[("output", f"{ids['pay1']}:0")] == {
        "type": "output",
        "ref": f"{ids['pay1']}:0",
        "label": "From Alice",
        "origin": ORIGIN,
        "spendable": True,
        "value": 50_000,
    }
    assert by[("output", f"{ids['pay2']}:0")] == {
        "type": "output",
        "ref": f"{ids['pay2']}:0",
        "origin": ORIGIN,
        "spendable": False,
        "value": 20_000,
    }
    assert [d["type"] for d in lines] == ["tx", "tx", "addr", "addr", "input", "output", "output"]
    # into a second copy of the wallet: the same labels and the same frozen coin
    db2, _ = _wallet(tmp_path / "b.sqlite")
    with db2:
        report = import_labels(db2, text, MAINNET)
        assert report.errors == [] and report.frozen == 1 and report.labels_set == 6
        assert export_labels(db2, MAINNET, origin=ORIGIN, tip_height=109) == text
        frozen = [o.outpoint for o in db2.outputs() if o.frozen]
        assert frozen == [OutPoint.from_hex(ids["pay2"], 0)]
        # importing the same file again changes nothing
        report = import_labels(db2, text, MAINNET)
        assert (report.labels_set, report.labels_kept, report.frozen) == (0, 6, 0)


BAD_LINES = [
    ("not json", "not a JSON object"),
    ('["tx", "ab"]', "a BIP329 record is a JSON object"),
    ('{"type": "tx", "label": "x"}', "needs a text 'type' and a text 'ref'"),
    ('{"type": "tx", "ref": "abcd", "label": "x"}', "64 hex characters"),
    (
        '{"type": "addr", "ref": "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", "label": "x"}',
        "but the wallet is on mainnet",
    ),
    ('{"type": "output", "ref": "' + "ab" * 32 + ':01", "label": "x"}', "no leading zeros"),
    ('{"type": "tx", "ref": "' + "ab" * 32 + '", "spendable": false}', "only on output"),
    ('{"type": "output", "ref": "' + "ab" * 32 + ':1", "spendable": "false"}', "not in quotes"),
    ('{"type": "tx", "ref": "' + "ab" * 32 + '", "label": 5}', "'label' must be text"),
    ('{"type": "tx", "ref": "' + "ab" * 32 + '", "label": "a\\nb"}', "line break"),
    ('{"type": "tx", "ref": "' + "ab" * 32 + '", "label": "x", "label": "y"}', "appears twice"),
    ('{"type": "pubkey", "ref": "02' + "00" * 32 + '", "label": "x"}', "not a point"),
    (
        '{"type": "tx", "ref": "' + "ab" * 32 + '", "label": "x", "origin": "wpkh(xpub6)"}',
        "not an abbreviated descriptor",
    ),
]
XPRV = (
    "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGt"
    "RBeJgk33yuGBxrMPHi"
)


def test_each_bad_line_is_named_and_nothing_is_written(tmp_path) -> None:
    good = '{"type": "tx", "ref": "' + "cd" * 32 + '", "label": "fine"}'
    lines = [good] + [line for line, _ in BAD_LINES]
    lines.append(f'{{"type": "xpub", "ref": "{XPRV}", "label": "oops"}}')
    data = "\n".join(lines).encode() + b"\n\xff\xfe\n"
    with WalletDatabase.open(tmp_path / "w.sqlite") as db:
        with pytest.raises(Bip329Error) as info:
            import_labels(db, data, MAINNET)
        issues = info.value.issues
        assert [i.line for i in issues] == list(range(2, len(lines) + 2))
        for issue, (_, expected) in zip(issues, BAD_LINES, strict=False):
            assert expected in issue.message, (issue, expected)
        assert "PRIVATE key" in issues[-2].message and XPRV not in str(info.value)
        assert issues[-1].message == "not UTF-8 text"
        assert str(info.value).startswith(f"the label file has {len(issues)} bad line(s)")
        assert db.labels() == []  # strict: all or nothing
        report = import_labels(db, data, MAINNET, strict=False)
        assert report.labels_set == 1 and len(report.errors) == len(issues)
        assert db.label("tx", "cd" * 32) == "fine"


def test_merge_policies(tmp_path) -> None:
    db, ids = _wallet(tmp_path / "w.sqlite")
    coin = f"{ids['pay1']}:0"
    with db:
        db.set_label("tx", ids["pay1"], "mine", ORIGIN)
        db.set_label("addr", ids["recv0"], "keep me")
        db.set_frozen(OutPoint.from_hex(ids["pay2"], 0), True)
        long = "x" * (MAX_LABEL_LENGTH + 10)
        lines = [
            {"type": "tx", "ref": ids["pay1"].upper(), "label": "theirs"},
            {"type": "addr", "ref": ids["recv0"].upper()},  # no label: leave it
            {"type": "output", "ref": coin, "label": "first"},
            {"type": "output", "ref": coin, "spendable": False},  # last line wins, per field
            {"type": "output", "ref": f"{ids['pay2']}:0", "spendable": True},
            {"type": "tx", "ref": ids["pay2"], "label": long},
            {"type": "something-new", "ref": "?"},
        ]
        text = "\r\n".join(json.dumps(d) for d in lines) + "\r\n\r\n"
        keep = import_labels(db, text, MAINNET, policy="keep")
        assert db.label("tx", ids["pay1"]) == "mine"  # kept
        assert db.label("output", coin) == "first" and keep.frozen == 1
        pay2_coin = next(o for o in db.outputs() if o.outpoint.txid_hex == ids["pay2"])
        assert keep.unfrozen == 0 and pay2_coin.frozen  # "keep" never unfreezes
        assert [str(w) for w in keep.warnings] == [
            f"line 6: the label was cut to {MAX_LABEL_LENGTH} characters"
        ]
        assert db.label("tx", ids["pay2"]) == "x" * MAX_LABEL_LENGTH
        assert [i.line for i in keep.ignored] == [7]
        replace = import_labels(db, text, MAINNET)
        assert db.label("tx", ids["pay1"]) == "theirs"
        stored = next(row for row in db.labels("tx") if row.ref == ids["pay1"])
        assert stored.origin == ORIGIN  # no origin given: the stored one stays
        assert db.label("addr", ids["recv0"]) == "keep me"
        assert replace.unfrozen == 1 and not any(
            o.frozen for o in db.outputs() if o.outpoint.txid_hex == ids["pay2"]
        )
        import_labels(db, json.dumps({"type": "tx", "ref": ids["pay1"], "label": ""}), MAINNET)
        assert db.label("tx", ids["pay1"]) is None  # an empty label removes it


@pytest.mark.parametrize(
    "origin",
    [
        "wpkh([d34db33f/84'/0'/0'])",
        "sh(wpkh([d34db33f/49h/0h/0h]))",
        "tr([d34db33f/86'/0'/0'])",
        "wsh(sortedmulti(2,[d34db33f/48'/0'/0'/2'],[deadbeef/48'/0'/0'/2']))",
    ],
)
def test_origins_accepted(origin: str) -> None:
    assert check_origin(origin) == origin


@pytest.mark.parametrize(
    "origin",
    [
        "wpkh([d34db33f/84'/0'/0'])#abcdefgh",
        "wpkh([d34db33f/84'/0'/0']xpub661MyMwAqRbc)",
        "wpkh([d34db33f/84'/0'/0']/0/*)",
        "wpkh()",
        "[d34db33f/84'/0'/0']",
        "wpkh([d34db3/84'])",
    ],
)
def test_origins_refused(origin: str) -> None:
    with pytest.raises(ValueError):
        check_origin(origin)
