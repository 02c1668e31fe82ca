"""The playground's HTTP control API (issue 13, item 10): it can make the chain lie, so it needs
the random token printed at start, refuses requests from web pages (``Origin``) and through DNS
rebinding (a ``Host`` that is not this machine), and listens on loopback only. Real HTTP requests
to a running playground, shaped as a browser would send them."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import httpx
import pytest

from tests.conftest import REPO
from tests.playground_fixture import control_headers, read_json
from wallet.playground import Playground, PlaygroundError

CONTROL = [
    ("POST", "/playground/mine", {"blocks": 5}),
    ("POST", "/playground/fund", {"address": "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080",
                                  "sats": 5000}),
    ("POST", "/playground/reorg", {"depth": 3}),
    ("POST", "/playground/misbehave", {"mode": "wrong-merkle"}),
    ("DELETE", "/playground/misbehave", None),
    ("GET", "/playground/info", None),
    ("POST", "/api/playground/misbehave", {"mode": "omit-tx"}),
]  # fmt: skip


def _state(pg) -> tuple:
    return pg.height, pg.tip_hash, pg.misbehavior.snapshot(), len(pg.mempool)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token-wrong-token-wrong-token-x"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
    ],
    ids=["no-token", "wrong-token", "other-scheme"],
)
def test_control_without_the_token_is_refused_and_changes_nothing(playground, headers):
    before = _state(playground)
    with httpx.Client(base_url=playground.esplora_url, timeout=10) as http:
        for method, path, body in CONTROL:
            reply = http.request(method, path, json=body, headers=headers)
            assert reply.status_code == 401, (path, reply.status_code, reply.text)
            assert "token" in reply.text
            assert "access-control-allow-origin" not in reply.headers
    assert _state(playground) == before
    # the chain data itself needs no token
    with httpx.Client(base_url=playground.esplora_url, timeout=10) as http:
        assert http.get("/blocks/tip/height").text == str(playground.height)


def test_a_web_page_cannot_control_it_even_with_the_token(playground):
    """What a page's fetch()/form sends: an Origin, a simple text/plain body (no preflight)."""
    before = _state(playground)
    page = {"Origin": "http://attacker.example", "Content-Type": "text/plain"}
    with httpx.Client(base_url=playground.esplora_url, timeout=10) as http:
        for origin in ("http://attacker.example", "null", playground.esplora_url):
            reply = http.post(
                "/playground/misbehave",
                content=b'{"mode": "wrong-merkle"}',
                headers={**page, "Origin": origin, **control_headers(playground)},
            )
            assert reply.status_code == 403 and "web page" in reply.text
            assert "access-control-allow-origin" not in reply.headers
    assert _state(playground) == before


@pytest.mark.parametrize(
    "host", ["attacker.example", "attacker.example:3002", "192.168.1.7", "127.0.0.1.nip.io"]
)
def test_dns_rebinding_is_refused(playground, host):
    """A page whose own name resolves to 127.0.0.1 reaches the port, but its Host is its name."""
    before = _state(playground)
    with httpx.Client(base_url=playground.esplora_url, timeout=10) as http:
        for method, path, body in [*CONTROL, ("GET", "/blocks/tip/hash", None)]:
            reply = http.request(
                method, path, json=body, headers={"Host": host, **control_headers(playground)}
            )
            assert reply.status_code == 403, (host, path, reply.status_code)
    assert _state(playground) == before


def test_with_the_token_from_this_machine_it_works(playground):
    with httpx.Client(base_url=playground.esplora_url, timeout=10) as http:
        for host in (None, "localhost", f"127.0.0.1:{playground.esplora_port}", "[::1]:80"):
            headers = control_headers(playground) | ({"Host": host} if host else {})
            reply = http.post("/playground/mine", json={"blocks": 1}, headers=headers)
            assert reply.status_code == 200 and reply.json() == [playground.tip_hash]


def test_the_token_is_random_kept_private_and_stable_per_data_folder(tmp_path):
    tokens = []
    for folder in ("a", "a", "b"):
        with Playground(tmp_path / folder, initial_blocks=1) as pg:
            tokens.append(pg.control_token)
            path = tmp_path / folder / "control-token"
            assert path.read_text().strip() == pg.control_token
            if os.name == "posix":
                assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert tokens[0] == tokens[1] != tokens[2] and len(tokens[0]) >= 40
    (tmp_path / "a" / "control-token").write_text("x")
    with pytest.raises(PlaygroundError, match="control-token"):
        Playground(tmp_path / "a", initial_blocks=0).start()


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.7", "example.org"])
def test_it_listens_on_loopback_only(tmp_path, host):
    with pytest.raises(PlaygroundError, match="this machine only"):
        Playground(tmp_path, host=host)


def test_the_servers_are_bound_to_loopback(playground):
    for server in playground._servers.values():
        for sock in server._server.sockets:
            assert sock.getsockname()[0] in ("127.0.0.1", "::1")


def test_cli_prints_the_token_and_it_opens_the_control_api(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "wallet", "playground", "--datadir", str(tmp_path / "pg"),
         "--electrum-port", "0", "--esplora-port", "0", "--p2p-port", "0", "--core-port", "0",
         "--blocks", "1", "--json",
         "--exit-on-eof"],
        cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        info = read_json(proc.stdout)
        token = info["control_token"]
        assert token == (tmp_path / "pg" / "control-token").read_text().strip()
        url = info["esplora"]
        assert httpx.post(f"{url}/playground/mine", json={}).status_code == 401
        mined = httpx.post(
            f"{url}/playground/mine", json={}, headers={"Authorization": f"Bearer {token}"}
        )
        assert mined.status_code == 200 and len(mined.json()) == 1
        proc.stdin.write("quit\n")
        proc.stdin.flush()
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr, proc.stdin):
            stream.close()
