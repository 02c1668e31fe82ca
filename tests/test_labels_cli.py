"""``paylight labels export`` and ``paylight labels import`` against a wallet synced from the
playground over real sockets: labels on its real transactions, addresses, payment requests and a
frozen coin move to a wallet restored from the same seed and come out equal; a malformed file is
refused with its line number and leaves the wallet's labels as they were."""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.playground_fixture import playground_module  # noqa: F401
from wallet.account.database import Chain
from wallet.account.labels_bip329 import parse_labels
from wallet.account.wallet_file import Wallet
from wallet.cli import main

PASSWORD = "label password"


def cli(*argv: str) -> tuple[int, str, str]:
    """Run ``paylight ARGV --network regtest``; (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([*argv, "--network", "regtest"])
        except SystemExit as exc:  # argparse refuses the command line (exit code 2)
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def ok_json(*argv: str) -> object:
    code, out, err = cli(*argv, "--json")
    assert code == 0, err
    return json.loads(out)


def fails(*argv: str) -> str:
    """The error sentence of a command that must fail (exit 1, one line on stderr)."""
    code, out, err = cli(*argv)
    assert code == 1, (out, err)
    assert err.startswith("paylight: error: ") and err.count("\n") == 1, err
    return err


def wallet_labels(folder: Path) -> tuple[list, list]:
    """(label rows, frozen outpoints) of the wallet in ``folder``."""
    with Wallet.open(folder) as wallet:
        frozen = sorted(str(o.outpoint) for o in wallet.db.outputs() if o.frozen)
        return wallet.db.labels(), frozen


@dataclass
class Shop:
    """A synced wallet with labels, its export, and a wallet restored from the same seed."""

    folder: Path
    copy: Path
    exported: Path
    servers: list[str]
    received: str
    spent_to: str
    request_address: str
    frozen: str
    descriptor: str


@pytest.fixture(scope="module")
def shop(playground_module, tmp_path_factory) -> Iterator[Shop]:  # noqa: F811
    pg = playground_module
    tmp = tmp_path_factory.mktemp("labels")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PAYLIGHT_HOME", str(tmp / "home"))
        mp.setenv("PAYLIGHT_PASSWORD", PASSWORD)
        servers = ["--server", f"tcp://127.0.0.1:{pg.electrum_port}", "--server", pg.esplora_url]
        created = ok_json(
            "create", "--wallet", "shop", "--show-seed", "--skip-seed-check", "--gap-limit", "5"
        )
        folder = Path(created["wallet"])
        for url in servers[1::2]:  # saved: later commands need no --server
            ok_json("servers", "add", url, "--wallet", "shop")
        request = ok_json(
            "request", "0.0005", "--label", "Tea for two ☕", "--wallet", "shop", "--no-qr"
        )
        with Wallet.open(folder) as wallet:
            other = wallet.db.address_at(Chain.RECEIVE, 3).address
        paid = pg.fund(request["address"], 50_000)
        received = pg.fund(other, 120_000)
        pg.mine(1)
        ok_json("sync", "--wallet", "shop", *servers)
        with Wallet.open(folder) as wallet:  # coin control as the GUI sets it
            coin = next(o for o in wallet.db.outputs() if o.outpoint.txid_hex == paid)
            wallet.db.set_frozen(coin.outpoint, True)
        # a payment out (not from the frozen coin), still in the mempool at the export
        spent = ok_json(
            "send",
            pg.faucet_address,
            "30000sat",
            "--fee-rate",
            "2",
            "--yes",
            "--wallet",
            "shop",
        )["txid"]
        ok_json("sync", "--wallet", "shop")
        with Wallet.open(folder) as wallet:  # labels as the GUI sets them
            db = wallet.db
            tx = db.transaction_record(bytes.fromhex(spent)[::-1]).transaction()
            assert all(i.prevout != coin.outpoint for i in tx.inputs)
            db.set_label("tx", received, "Stall rent, March")
            db.set_label("tx", spent, "Supplier: flour")
            db.set_label("addr", other, "Donations box")
            db.set_label("output", str(coin.outpoint), "Keep for the float")
        exported = tmp / "shop.jsonl"
        written = ok_json("labels", "export", "-o", str(exported), "--wallet", "shop")
        assert written == {"file": str(exported), "records": len(exported.read_text().splitlines())}

        seed = tmp / "seed.txt"
        seed.write_text(created["mnemonic"] + "\n")
        copy = tmp / "elsewhere" / "copy"
        restored = ok_json(
            "restore", "--wallet", str(copy), "--seed-file", str(seed), "--gap-limit", "5"
        )
        assert restored["receive_descriptor"] == created["receive_descriptor"]
        ok_json("sync", "--wallet", str(copy), *servers)
        yield Shop(
            folder,
            copy,
            exported,
            servers,
            received,
            spent,
            request["address"],
            str(coin.outpoint),
            created["receive_descriptor"],
        )


def test_export_holds_the_wallets_real_labels(shop):
    text = shop.exported.read_text(encoding="utf-8")
    parsed = parse_labels(text, "regtest")
    assert parsed.errors == [] and parsed.ignored == []
    records = {(r.type, r.ref): r for _n, r in parsed.records}
    assert records[("tx", shop.received)].label == "Stall rent, March"
    assert records[("tx", shop.spent_to)].label == "Supplier: flour"
    # the request's label is the label of its address (where a merchant's labels live)
    assert records[("addr", shop.request_address)].label == "Tea for two ☕"
    assert records[("output", shop.frozen)].spendable is False
    assert records[("output", shop.frozen)].label == "Keep for the float"
    fingerprint_and_path = shop.descriptor.split("]", 1)[0] + "]"  # wpkh([fp/84h/1h/0h]
    assert {r.origin for r in records.values()} == {fingerprint_and_path + ")"}
    lines = [json.loads(line) for line in text.splitlines()]
    request_line = next(d for d in lines if d["ref"] == shop.request_address)
    assert request_line["keypath"] == "/0/0"
    # stdout export is the same file; --json gives the same records as one array
    code, out, err = cli("labels", "export", "--wallet", "shop")
    assert code == 0 and out == text, err
    assert ok_json("labels", "export", "--wallet", "shop") == lines


def test_import_into_a_restored_wallet_gives_equal_labels(shop):
    assert wallet_labels(shop.copy) == ([], [])
    report = ok_json("labels", "import", str(shop.exported), "--wallet", str(shop.copy))
    assert report["errors"] == [] and report["ignored"] == []
    assert report["labels_set"] == 5 and report["frozen"] == 1
    code, again, err = cli("labels", "export", "--wallet", str(shop.copy))
    assert code == 0, err
    assert again == shop.exported.read_text(encoding="utf-8")
    labels, frozen = wallet_labels(shop.copy)
    assert frozen == [shop.frozen]
    assert {(r.type, r.ref): r.label for r in labels}[("addr", shop.request_address)] == (
        "Tea for two ☕"
    )

    # importing the same file again changes nothing; --policy keep keeps an edited label
    same = ok_json("labels", "import", str(shop.exported), "--wallet", str(shop.copy))
    assert (same["labels_set"], same["labels_kept"]) == (0, 5)
    with Wallet.open(shop.copy) as wallet:
        wallet.db.set_label("tx", shop.received, "Stall rent, April")
    kept = ok_json(
        "labels", "import", str(shop.exported), "--policy", "keep", "--wallet", str(shop.copy)
    )
    assert (kept["labels_set"], kept["labels_kept"]) == (0, 5)
    assert ("tx", shop.received, "Stall rent, April") in {
        (r.type, r.ref, r.label) for r in wallet_labels(shop.copy)[0]
    }
    code, out, _ = cli("labels", "import", str(shop.exported), "--wallet", str(shop.copy))
    assert code == 0 and out.startswith(f"imported {shop.exported}: 1 labels set")
    assert cli("labels", "export", "--wallet", str(shop.copy))[1] == shop.exported.read_text()


def test_a_malformed_file_names_the_line_and_changes_nothing(shop, tmp_path):
    before = wallet_labels(shop.folder)
    lines = shop.exported.read_text(encoding="utf-8").splitlines()
    # every good line now says something else, so a partial import would show
    changed = [line.replace('"label": "', '"label": "changed ') for line in lines]
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join([*changed[:2], '{"type": "tx", "ref": "cafe"', *changed[2:]]) + "\n")
    err = fails("labels", "import", str(bad), "--wallet", "shop")
    assert "1 bad line(s) and nothing was imported: line 3: not a JSON object" in err
    assert wallet_labels(shop.folder) == before

    wrong_ref = tmp_path / "wrong-ref.jsonl"
    wrong_ref.write_text(
        "\n".join([changed[0], '{"type": "tx", "ref": "cafe", "label": "x"}', changed[1]])
    )
    err = fails("labels", "import", str(wrong_ref), "--wallet", "shop", "--policy", "keep")
    assert "line 2: a tx ref must be a transaction id: 64 hex characters" in err
    assert wallet_labels(shop.folder) == before

    err = fails("labels", "import", str(tmp_path / "missing.jsonl"), "--wallet", "shop")
    assert "cannot read" in err and "missing.jsonl" in err
    assert wallet_labels(shop.folder) == before
    code, _, err = cli("labels", "import", str(bad), "--policy", "merge", "--wallet", "shop")
    assert code == 2 and "invalid choice: 'merge'" in err

    # --skip-bad-lines imports the good lines and lists the bad one
    report = ok_json("labels", "import", str(wrong_ref), "--skip-bad-lines", "--wallet", "shop")
    assert report["labels_set"] == 2 and [e["line"] for e in report["errors"]] == [2]
    after = {(r.type, r.ref): r.label for r in wallet_labels(shop.folder)[0]}
    assert sum(label.startswith("changed ") for label in after.values()) == 2
