"""``paylight psbt create|combine|export|import`` on the playground: a PSBT as animated frames.

A watch-only wallet creates the payment's PSBT; it goes out as BC-UR frames (text lines) and as
BBQr frames (an animated GIF and PNG files) and comes back byte for byte; the seed wallet signs
straight from the frames file; combine merges the unsigned and the signed PSBT; the finished
transaction leaves as BBQr ``T`` frames, which ``broadcast`` reads; the block mined next holds it
(libbitcoinkernel validates every playground block).
"""

from __future__ import annotations

import json

import pytest

from tests.psbt_cli_support import (
    PAYEE,
    cli,
    cli_home,
    cold_and_watch_only,
    kernel_height_of,
    servers,
)
from wallet.bitcoin.psbt import PSBT
from wallet.bitcoin.transaction import Transaction


@pytest.fixture(scope="module")
def pg(playground_module):
    return playground_module


@pytest.fixture
def home(tmp_path, monkeypatch):
    return cli_home(tmp_path, monkeypatch)


def test_create_export_import_sign_combine_broadcast_as_frames(pg, home, capsys, tmp_path):
    cold, first_address = cold_and_watch_only(capsys, "frames")
    pg.fund(first_address, 300_000, confirm=True)
    unsigned_file = tmp_path / "unsigned.psbt"
    code, out, err = cli(
        capsys, "psbt", "create", PAYEE, "0.001", "--wallet", "frames-watch", *servers(pg),
        "--fee-rate", "2", "-o", str(unsigned_file), "--json",
    )  # fmt: skip
    assert code == 0, err
    created = json.loads(out)
    unsigned = PSBT.from_base64(unsigned_file.read_text())
    assert not unsigned.is_complete() and created["txid"] == unsigned.tx.txid_hex
    assert created["review"]["fee_sat"] > 0

    # BC-UR frames as text lines, read back in reverse order
    frames_txt = tmp_path / "unsigned-ur.txt"
    code, out, err = cli(
        capsys, "psbt", "export", str(unsigned_file), "--format", "ur", "--density", "low",
        "-o", str(frames_txt), "--json",
    )  # fmt: skip
    assert code == 0, err
    exported = json.loads(out)
    assert exported["parts"] > 3 and exported["frames"] == 2 * exported["parts"]
    lines = frames_txt.read_text().split()
    assert all(line.startswith("UR:CRYPTO-PSBT/") for line in lines)
    frames_txt.write_text("\n".join(reversed(lines[: exported["parts"] + 3])) + "\n")
    back = tmp_path / "back.psbt"
    code, out, err = cli(capsys, "psbt", "import", str(frames_txt), "-o", str(back))
    assert code == 0, err
    assert PSBT.from_base64(back.read_text()).serialize() == unsigned.serialize()

    # BBQr as an animated GIF, and as PNG frames
    gif = tmp_path / "unsigned.gif"
    code, out, err = cli(
        capsys, "psbt", "export", str(unsigned_file), "--format", "bbqr", "--density", "low",
        "--fps", "4", "-o", str(gif), "--json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["fps"] == 4.0
    code, out, err = cli(capsys, "psbt", "import", str(gif), "--json")
    assert code == 0, err
    imported = json.loads(out)
    assert imported["format"] == "bbqr" and imported["type"] == "P"
    assert PSBT.from_base64(imported["text"]).serialize() == unsigned.serialize()
    code, out, err = cli(
        capsys, "psbt", "export", str(unsigned_file), "--format", "bbqr", "--density", "low",
        "-o", str(tmp_path / "png" / "f{n}.png"), "--json",
    )  # fmt: skip
    assert code == 0, err
    pngs = json.loads(out)["files"]
    code, out, err = cli(capsys, "psbt", "show", *pngs[:1])
    assert code == 1 and "holds only 1 of" in err  # one frame of several
    code, out, err = cli(capsys, "psbt", "import", *reversed(pngs), "--json")
    assert code == 0, err

    # the seed wallet signs straight from the frames file; combine with the unsigned copy
    signed_file = tmp_path / "signed.psbt"
    code, out, err = cli(
        capsys, "psbt", "sign", str(frames_txt), "--wallet", cold, "--yes", "-o", str(signed_file)
    )
    assert code == 0, err
    combined = tmp_path / "combined.psbt"
    code, out, err = cli(
        capsys, "psbt", "combine", str(unsigned_file), str(signed_file), "-o", str(combined),
        "--json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["complete"]
    code, _out, err = cli(capsys, "psbt", "combine", str(unsigned_file), str(tmp_path / "gone"))
    assert code == 1 and "gone" in err

    # the finished transaction as BBQr T frames, broadcast from them
    tx_frames = tmp_path / "tx-bbqr.txt"
    code, out, err = cli(
        capsys, "psbt", "export", str(combined), "--format", "bbqr", "--transaction",
        "--density", "low", "-o", str(tx_frames),
    )  # fmt: skip
    assert code == 0, err
    assert all(line.startswith("B$") and line[3] == "T" for line in tx_frames.read_text().split())
    code, _out, err = cli(
        capsys, "psbt", "export", str(combined), "--format", "ur", "--transaction"
    )
    assert code == 1 and "use --format bbqr" in err
    code, out, err = cli(capsys, "psbt", "broadcast", str(tx_frames), *servers(pg), "--json")
    assert code == 0, err
    sent = json.loads(out)
    tx = Transaction.from_hex(
        json.loads(cli(capsys, "psbt", "import", str(tx_frames), "--json")[1])["text"]
    )
    assert sent["txid"] == tx.txid_hex == unsigned.tx.txid_hex and sent["accepted_by"]
    pg.mine(1)
    assert kernel_height_of(pg, tx.txid_hex) == pg.height


def test_psbt_create_pays_a_uri_and_checks_its_arguments(pg, home, capsys, tmp_path):
    _cold, first_address = cold_and_watch_only(capsys, "uri")
    pg.fund(first_address, 100_000, confirm=True)
    uri = f"bitcoin:{PAYEE}?amount=0.0003&label=Stall"
    code, out, err = cli(
        capsys, "psbt", "create", uri, "--wallet", "uri-watch", *servers(pg), "--fee-rate", "1",
        "--json",
    )  # fmt: skip
    assert code == 0, err
    psbt = PSBT.from_base64(json.loads(out)["psbt_base64"])
    assert 30_000 in [o.value for o in psbt.tx.outputs]
    code, _out, err = cli(
        capsys, "psbt", "create", PAYEE, "--wallet", "uri-watch", *servers(pg), "--fee-rate", "1"
    )
    assert code == 1 and "give an AMOUNT" in err
