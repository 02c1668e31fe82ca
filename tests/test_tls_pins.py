"""TLS trust on first use (issue 13, item 6): every server gets a record, a CA-verified server is
held to CA verification, ``tls-pins.json`` is shared safely by several processes, and a damaged
file is an error naming it. Real TLS servers on 127.0.0.1, real files, real processes."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time

import pytest

from tests.conftest import REPO
from tests.scripted_electrum import ScriptedElectrum, answer, make_cert, server_context
from wallet.backends import IncompatibleServer
from wallet.backends.electrum import CA_VERIFIED
from wallet.bitcoin.amount import FeeRate
from wallet.errors import PaylightError
from wallet.sync.headers import open_tls_pins
from wallet.sync.tls_pins import PinFile

HANDLERS = {"blockchain.relayfee": answer(0.00001)}


def run(coro, timeout: float = 30):
    return asyncio.run(asyncio.wait_for(coro, timeout))


async def _serve_on(port: int, tls) -> ScriptedElectrum:
    """A server on a port an earlier one used: the same address, another certificate."""
    server = ScriptedElectrum(HANDLERS, tls=tls)
    server._server = await asyncio.start_server(server._client, "127.0.0.1", port, ssl=tls)
    server.port = port
    return server


def test_a_ca_verified_server_is_recorded_and_a_later_self_signed_one_refused(tmp_path):
    trusted = make_cert(tmp_path, "trusted")  # stands for a certificate a public CA signed
    impostor = make_cert(tmp_path, "impostor")  # self-signed, as a man-in-the-middle would be
    pins_file = tmp_path / "tls-pins.json"

    async def first_use() -> int:
        async with ScriptedElectrum(HANDLERS, tls=server_context(*trusted)) as server:
            client = server.client(pins=PinFile(pins_file), ca_file=trusted[0])
            assert await client.relay_fee() == FeeRate.from_sat_per_vb(1)
            await client.close()
            return server.port

    port = run(first_use())
    key = f"127.0.0.1:{port}"
    assert json.loads(pins_file.read_text()) == {key: CA_VERIFIED}

    async def later() -> None:
        server = await _serve_on(port, server_context(*impostor))
        try:
            client = server.client(pins=PinFile(pins_file), ca_file=trusted[0])
            with pytest.raises(IncompatibleServer, match="certificate authority vouched") as info:
                await client.relay_fee()
            assert "man-in-the-middle" in info.value.reason and str(pins_file) in info.value.reason
            await client.close()
            assert server.requests == []  # nothing was sent to the impostor
        finally:
            await server.close()
        assert json.loads(pins_file.read_text()) == {key: CA_VERIFIED}  # not re-pinned
        # the genuine server, still CA-verified, is accepted as before
        server = await _serve_on(port, server_context(*trusted))
        try:
            client = server.client(pins=PinFile(pins_file), ca_file=trusted[0])
            assert await client.relay_fee() == FeeRate.from_sat_per_vb(1)
            await client.close()
        finally:
            await server.close()

    run(later())


@pytest.mark.parametrize(
    "content",
    [
        b"{",
        b"[]",
        b'{"example.org:50002": 5}',
        b'{"example.org:50002": "not a fingerprint"}',
        b"[" * 5000 + b"]" * 5000,
        b"\xff\xfe",
    ],
    ids=["truncated", "list", "number", "text", "deep", "binary"],
)
def test_a_damaged_pin_file_is_an_error_naming_it(tmp_path, monkeypatch, content):
    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path))
    pins_file = tmp_path / "tls-pins.json"
    pins_file.write_bytes(content)
    with pytest.raises(PaylightError, match="damaged") as info:
        open_tls_pins()
    assert str(pins_file) in str(info.value)
    assert pins_file.read_bytes() == content  # left as it was for the user to look at


def test_cli_with_a_damaged_pin_file_refuses_to_connect(tmp_path):
    (tmp_path / "tls-pins.json").write_text('{"127.0.0.1:1": "x"}')
    env = dict(os.environ, PYTHONPATH=str(REPO), PAYLIGHT_HOME=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-m", "wallet.cli", "headers", "sync", "--network", "regtest",
         "--server", "ssl://127.0.0.1:1"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert str(tmp_path / "tls-pins.json") in done.stderr and "damaged" in done.stderr


PINNER = """
import sys, time
from wallet.sync.headers import open_tls_pins
tag, start, count = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
pins = open_tls_pins()
while time.time() < start:
    time.sleep(0.001)
for i in range(count):
    pins.set(f"{tag}.example:{i}", f"{i:064x}")
"""


def test_two_processes_pinning_at_once_keep_every_pin(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(REPO), PAYLIGHT_HOME=str(tmp_path))
    count = 60
    start = time.time() + 2.0  # both are running (imports done) by then
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", PINNER, tag, str(start), str(count)],
            cwd=REPO,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("gui", "cli")
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    pins = json.loads((tmp_path / "tls-pins.json").read_text())
    assert len(pins) == 2 * count, f"{2 * count - len(pins)} pins lost"
    assert pins["gui.example:7"] == pins["cli.example:7"] == f"{7:064x}"
    assert not list(tmp_path.glob(".tls-pins.json.*"))  # no temporary file left behind


def test_a_pin_made_by_another_process_is_seen_before_trusting_a_new_certificate(tmp_path):
    """Two windows open; one pins a server; the other, meeting another certificate there,
    must compare with that pin, not pin its own."""
    first = make_cert(tmp_path, "first")
    other = make_cert(tmp_path, "other")
    pins_file = tmp_path / "tls-pins.json"
    window_a, window_b = PinFile(pins_file), PinFile(pins_file)

    async def main() -> None:
        async with ScriptedElectrum(HANDLERS, tls=server_context(*first)) as server:
            port = server.port
            client = server.client(pins=window_a)
            assert await client.relay_fee() == FeeRate.from_sat_per_vb(1)
            await client.close()
        server = await _serve_on(port, server_context(*other))
        try:
            client = server.client(pins=window_b)  # loaded before window A pinned
            with pytest.raises(IncompatibleServer, match="certificate changed since first use"):
                await client.relay_fee()
            await client.close()
        finally:
            await server.close()

    run(main())
