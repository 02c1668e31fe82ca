"""``paylight qr encode`` / ``paylight qr decode`` run as real subprocesses."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import shared_path

URI = "bitcoin:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4?amount=0.25&label=Caf%C3%A9"
UPPER = "BITCOIN:BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4?amount=0.25&label=Caf%C3%A9"


def paylight(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wallet", *args], capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_encode_then_decode(tmp_path, suffix):
    out = tmp_path / f"pay.{suffix}"
    done = paylight("qr", "encode", URI, "-o", str(out), "--scale", "5", "--border", "4")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"wrote {out}: QR version ")
    assert out.exists()
    if suffix == "svg":
        assert out.read_text().startswith("<?xml") and "crispEdges" in out.read_text()
        return
    done = paylight("qr", "decode", str(out))
    assert (done.returncode, done.stdout, done.stderr) == (0, UPPER + "\n", "")


def test_encode_json_and_exact(tmp_path):
    out = tmp_path / "exact.png"
    done = paylight("qr", "encode", URI, "-o", str(out), "--exact", "--ec", "q", "--json")
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    assert info["text"] == URI and info["ec_level"] == "Q" and info["file"] == str(out)
    assert info["pixels"] == info["modules"] * 8
    decoded = json.loads(paylight("qr", "decode", str(out), "--json").stdout)
    assert decoded == [{"text": URI, "kind": "bitcoin-uri", "corners": decoded[0]["corners"]}]
    assert len(decoded[0]["corners"]) == 4


def test_decode_a_real_photo_with_three_codes():
    root = shared_path("data", "qr")
    manifest = json.loads((root / "manifest.json").read_text())
    entry = next(m for m in manifest if m["file"].endswith("gogh.jpg"))
    done = paylight("qr", "decode", str(root / entry["file"]), "--json")
    assert done.returncode == 0, done.stderr
    texts = [r["text"] for r in json.loads(done.stdout)]
    assert texts and set(texts) <= set(entry["expected"])


def test_decode_errors_exit_1_with_a_sentence(tmp_path):
    done = paylight("qr", "decode", str(tmp_path / "missing.png"))
    assert done.returncode == 1
    assert done.stderr == f"paylight: error: There is no file {tmp_path / 'missing.png'}.\n"

    (tmp_path / "notes.txt").write_text("hello")
    done = paylight("qr", "decode", str(tmp_path / "notes.txt"))
    assert done.returncode == 1 and "not an image this program can read" in done.stderr

    from PIL import Image

    Image.new("L", (200, 100), 255).save(tmp_path / "white.png")
    done = paylight("qr", "decode", str(tmp_path / "white.png"))
    assert done.returncode == 1 and "No QR code was found in" in done.stderr
    assert done.stdout == ""


def test_encode_errors(tmp_path):
    done = paylight("qr", "encode", "abc", "-o", str(tmp_path / "x.gif"))
    assert done.returncode == 1 and "name it .png or .svg" in done.stderr
    done = paylight("qr", "encode", "x" * 3000, "-o", str(tmp_path / "x.png"))
    assert done.returncode == 1 and "too long for one QR code" in done.stderr
    done = paylight("qr", "encode", "abc", "-o", str(tmp_path / "x.png"), "--scale", "0")
    assert done.returncode == 1 and "--scale" in done.stderr
    done = paylight("qr", "encode", "abc")
    assert done.returncode == 2  # argparse: -o is required
