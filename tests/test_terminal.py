"""The terminal (issue 13, item 8): Ctrl-D at every prompt ends quietly with exit code 1, and a
closed output pipe (``paylight addresses ... | head -1``) with 141, never a traceback. Each case
is the real ``paylight`` process on a real pseudo-terminal, or in a real shell pipeline."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO
from wallet.account.keystore import ScryptParams
from wallet.account.setup import create_from_seed
from wallet.bitcoin.bip39 import entropy_to_mnemonic
from wallet.bitcoin.hashes import sha256
from wallet.bitcoin.networks import REGTEST
from wallet.cli import main

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX pseudo-terminals")

PASSWORD = "terminal password"
WATCH = (
    "wpkh(tpubD6NzVbkrYhZ4XgiXtGrdW5XDAPFCL9h7we1vwNCpn8tGbBcgfVYjXyhWo4E1xkh56hjod1RhGjxbaTLV3X"
    "4FyWuejifB9jusQ46QzG87VKp/0/*)"
)
CTRL_D = b"\x04"


def in_pty(argv: list[str], env: dict[str, str], answers: list[tuple[bytes, bytes]]) -> tuple:
    """Run ``paylight argv`` on a new pseudo-terminal; for each (prompt, keys) wait for the
    prompt, then type the keys. Returns (exit code, everything the terminal showed)."""
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # the child: paylight with the pty as its controlling terminal
        try:
            os.chdir(REPO)
            os.execve(sys.executable, [sys.executable, "-m", "wallet.cli", *argv], env)
        finally:
            os._exit(127)
    shown = b""
    try:
        for prompt, keys in answers:
            shown = _read_until(fd, shown, prompt, pid)
            time.sleep(0.2)  # getpass turns echo off after printing its prompt
            os.write(fd, keys)
        shown = _read_until(fd, shown, None, pid)
    finally:
        os.close(fd)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), shown.decode("utf-8", "replace")


def _read_until(fd: int, shown: bytes, prompt: bytes | None, pid: int) -> bytes:
    deadline = time.monotonic() + 60
    while prompt is None or prompt not in shown:
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            raise AssertionError(f"no {prompt!r} within 60 s; the terminal showed {shown!r}")
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            chunk = b""
        if not chunk:
            if prompt is None:
                return shown
            raise AssertionError(f"paylight ended before {prompt!r}: {shown!r}")
        shown += chunk
    return shown


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PAYLIGHT_PASSWORD"}
    return env | {"PYTHONPATH": str(REPO), "PAYLIGHT_HOME": str(home), "TERM": "dumb"} | extra


def _assert_cancelled(code: int, shown: str) -> None:
    assert "Traceback" not in shown and "EOFError" not in shown, shown
    assert code == 1, (code, shown)
    assert shown.rstrip().endswith("paylight: cancelled (end of input); nothing was done"), shown


def _seed_wallet(home: Path, name: str = "pty") -> str:
    path = create_from_seed(
        home / "regtest" / "wallets" / name,
        REGTEST,
        entropy_to_mnemonic(sha256(f"terminal {name}".encode())[:16]),
        PASSWORD,
        kdf=ScryptParams.insecure_for_tests(),
        gap_limit=5,
    )
    return str(path)


def test_ctrl_d_at_the_password_prompt(tmp_path):
    wallet = _seed_wallet(tmp_path)
    code, shown = in_pty(
        ["password", "--wallet", wallet], _env(tmp_path), [(b"Wallet password: ", CTRL_D)]
    )
    _assert_cancelled(code, shown)


def test_ctrl_d_at_the_repeated_new_password_prompt(tmp_path):
    wallet = _seed_wallet(tmp_path)
    code, shown = in_pty(
        ["password", "--wallet", wallet],
        _env(tmp_path),
        [
            (b"Wallet password: ", PASSWORD.encode() + b"\n"),
            (b"New wallet password: ", b"another one\n"),
            (b"Repeat the new password: ", CTRL_D),
        ],
    )
    _assert_cancelled(code, shown)


def test_ctrl_d_at_the_seed_words_prompt(tmp_path):
    code, shown = in_pty(
        ["restore", "--network", "regtest"], _env(tmp_path), [(b"Seed words", CTRL_D)]
    )
    _assert_cancelled(code, shown)
    assert not (tmp_path / "regtest" / "wallets" / "default").exists()


def test_ctrl_d_at_the_send_confirmation(playground_module, tmp_path, monkeypatch, capsys):
    pg = playground_module
    home = tmp_path / "home"
    wallet = _seed_wallet(home, "payer")
    servers = ["--server", f"tcp://127.0.0.1:{pg.electrum_port}"]
    monkeypatch.setenv("PAYLIGHT_HOME", str(home))
    capsys.readouterr()
    assert main(["request", "--wallet", wallet, "--json", "--no-qr"]) == 0
    pg.fund(json.loads(capsys.readouterr().out)["address"], 200_000, confirm=True)
    waiting = len(pg.mempool)
    code, shown = in_pty(
        ["send", "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080", "0.0005", "--wallet", wallet,
         "--fee-rate", "2", *servers],
        _env(home, PAYLIGHT_PASSWORD=PASSWORD),
        [(b"Send this transaction? [y/N] ", CTRL_D)],
    )  # fmt: skip
    _assert_cancelled(code, shown)
    assert len(pg.mempool) == waiting  # nothing was sent


@pytest.mark.parametrize(
    ("count", "reader"),
    [(3, "true"), (3000, "head -1 >/dev/null")],
    ids=["closed-before-the-last-flush", "closed-while-writing"],
)
def test_a_closed_pipe_ends_quietly_with_141(tmp_path, count, reader):
    argv = " ".join(
        [
            f"'{sys.executable}' -m wallet.cli addresses --network regtest",
            f"--descriptor '{WATCH}' --count {count}",
        ]
    )
    done = subprocess.run(
        ["bash", "-c", f'{argv} | {reader}; echo "status ${{PIPESTATUS[0]}}" >&2'],
        cwd=REPO,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stderr.strip() == "status 141", done.stderr
