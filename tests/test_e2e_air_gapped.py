"""End to end on the playground, with another implementation as the air-gapped signer.

BDK (``bdkpython``) holds the seed. Paylight makes a watch-only wallet from the signer's
account export (a ``ur:crypto-account`` built from BDK's own BIP84 descriptor, or its
``[fingerprint/path]tpub`` text), creates the payment's PSBT and exports it as animated frames
(BC-UR, or BBQr); the test decodes those frames and BDK signs the PSBT (without finalizing);
the signed PSBT is encoded as animated frames into an MPEG-4 video; Paylight's camera pipeline
(the file source, the decoding thread, the animated-code collector) reads it back, Paylight
finalizes and broadcasts it, and after a block the wallet shows the payment confirmed -- which
it does only once the transaction's Merkle proof checks against its own header chain.
"""

from __future__ import annotations

import json
import random

import pytest

bdk = pytest.importorskip("bdkpython", reason="bdkpython (the test extra) is not installed")

from tests.bdk_signer import WORDS, BdkSigner  # noqa: E402
from tests.playground_fixture import playground_module  # noqa: E402, F401
from tests.qr_video import record_frames, scenes_of_codes  # noqa: E402
from wallet.bitcoin.psbt import PSBT  # noqa: E402
from wallet.cli import main  # noqa: E402
from wallet.gui.scanner.pipeline import ScanPipeline  # noqa: E402
from wallet.gui.scanner.sources import VideoFileSource  # noqa: E402
from wallet.payments.animated_qr import AnimatedCollector, AnimatedEncoder, Standard  # noqa: E402
from wallet.payments.send import finalize_psbt  # noqa: E402

pytestmark = pytest.mark.gui

PAYEE = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080"


@pytest.fixture(scope="module")
def pg(playground_module):  # noqa: F811
    return playground_module


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def _cli(capsys, *argv: str) -> dict:
    capsys.readouterr()
    code = main([*argv, "--network", "regtest", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def _read_video(qtbot, path) -> PSBT:
    """Paylight's camera pipeline reads the recorded animation (looping, as a screen shows it)."""
    pipeline = ScanPipeline()
    pipeline.set_source(VideoFileSource(path, loop=True))
    pipeline.collect()
    with qtbot.waitSignal(pipeline.completed, timeout=120_000) as blocker:
        pipeline.start()
    pipeline.close()
    return PSBT.parse(blocker.args[0].psbt())


@pytest.mark.parametrize("standard", [Standard.UR, Standard.BBQR])
def test_watch_only_bdk_signer_animated_qr_round_trip(standard, pg, home, capsys, tmp_path, qtbot):
    signer = BdkSigner(WORDS)
    name = f"watch-{standard}"
    servers = ["--server", f"tcp://127.0.0.1:{pg.electrum_port}", "--server", pg.esplora_url]
    export = signer.account_ur() if standard is Standard.UR else signer.key_with_origin
    made = _cli(
        capsys, "restore", "--wallet", name, "--watch", export, "--fingerprint", signer.fingerprint
    )
    assert made["kind"] == "watch_only" and made["master_fingerprint"] == signer.fingerprint
    assert made["first_address"] == signer.first_address()  # BDK and Paylight agree
    pg.fund(made["first_address"], 500_000, confirm=True)

    # Paylight: the unsigned PSBT, exported as animated frames
    unsigned = tmp_path / "unsigned.psbt"
    created = _cli(
        capsys, "psbt", "create", PAYEE, "0.002", "--wallet", name, *servers, "--fee-rate", "2",
        "-o", str(unsigned),
    )  # fmt: skip
    frames_file = tmp_path / "unsigned-frames.txt"
    exported = _cli(
        capsys, "psbt", "export", str(unsigned), "--format", str(standard), "--density", "low",
        "-o", str(frames_file),
    )  # fmt: skip
    assert exported["parts"] > 1

    # the signer's camera: frames in any order, half of the second round missed
    lines = frames_file.read_text().split()
    shown = lines[: exported["parts"]] + lines[exported["parts"] :][::2]
    random.Random(3).shuffle(shown)
    collector = AnimatedCollector()
    for line in shown:
        collector.feed(line)
    assert collector.is_complete
    psbt_bytes = collector.result.psbt()
    assert psbt_bytes == PSBT.from_base64(unsigned.read_text()).serialize()

    # BDK signs; the signed PSBT goes back as an animated code on its screen (recorded)
    import base64

    signed_b64 = signer.sign(base64.b64encode(psbt_bytes).decode())
    signed = PSBT.from_base64(signed_b64)
    assert signed.inputs[0].partial_sigs and not signed.is_complete()
    encoder = AnimatedEncoder(signed.serialize(), standard, density="low", fps=5)
    video = record_frames(
        tmp_path / "signed.mp4", scenes_of_codes(encoder.frames()), fps=15, hold=3
    )

    # Paylight's camera pipeline reads it, finalizes and broadcasts through the wallet
    scanned = _read_video(qtbot, video)
    assert scanned.serialize() == signed.serialize()
    tx = finalize_psbt(scanned)
    assert tx.txid_hex == created["txid"]
    raw = tmp_path / "final.hex"
    raw.write_text(tx.serialize().hex())
    sent = _cli(capsys, "psbt", "broadcast", str(raw), "--wallet", name, *servers)
    assert sent["txid"] == tx.txid_hex and sent["accepted_by"] and not sent["refused_by"]

    pg.mine(1)
    history = _cli(capsys, "history", "--sync", "--wallet", name, *servers)
    (entry,) = [t for t in history if t["txid"] == tx.txid_hex]
    assert entry["state"] == "confirmed"  # the Merkle proof checked against our headers
    assert entry["fee"] == created["review"]["fee_sat"]
