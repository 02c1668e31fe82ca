"""Command-line traps a new user fell into (issue 18), each shut: listing addresses leaves the
wallet as it was, a one-off ``--server`` stays one-off, several processes share a header store,
each regtest chain gets its own store, ``create`` prints a descriptor that sees change too and
makes sure the words were copied, ``charge --json`` streams, and coins and requests have commands.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.playground_fixture import playground  # noqa: F401
from wallet.account.database import Chain
from wallet.account.paths import wallet_dir
from wallet.account.setup import create_wallet, seed_descriptors
from wallet.account.wallet_file import Wallet
from wallet.cli import main

MNEMONIC = "abandon " * 11 + "about"
PASSWORD = "market stall password"


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PAYLIGHT_PASSWORD", PASSWORD)
    return tmp_path / "home"


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([*argv, "--network", "regtest"])
    out, err = capsys.readouterr()
    return code, out, err


def ok_json(capsys, *argv: str):
    code, out, err = cli(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def watch_wallet(name: str = "shop", gap_limit: int = 20) -> Path:
    """A watch-only regtest wallet of the BIP84 test seed (no password, no scrypt)."""
    return create_wallet(
        wallet_dir(name, "regtest"),
        "regtest",
        seed_descriptors(MNEMONIC, "", "regtest"),
        gap_limit=gap_limit,
    )


def test_listing_addresses_never_changes_the_wallet(home, capsys):
    """``addresses --count 5000`` once stored 5,000 addresses, and every later sync asked the
    servers about all of them (~15,000 requests instead of ~140)."""
    path = watch_wallet()
    with Wallet.open(path) as wallet:
        before = wallet.db.addresses()
    rows = ok_json(capsys, "addresses", "--wallet", "shop", "--count", "500")
    change = ok_json(capsys, "addresses", "--wallet", "shop", "--change", "--start", "30")
    with Wallet.open(path) as wallet:
        assert wallet.db.addresses() == before  # nothing added, nothing marked
    assert [r["index"] for r in rows] == list(range(500))
    watched = {a.address for a in before if a.chain == Chain.RECEIVE}
    assert {r["address"] for r in rows if r["watched"]} == watched
    # The same addresses as the descriptor gives, stored or not.
    receive = seed_descriptors(MNEMONIC, "", "regtest").receive
    derived = ok_json(capsys, "addresses", "--descriptor", receive, "--count", "500")
    assert [r["address"] for r in rows] == [r["address"] for r in derived]
    assert [r["index"] for r in change] == list(range(30, 40))
    assert not any(r["used"] or r["watched"] for r in change)


def test_a_server_given_once_is_used_once(home, capsys, playground):  # noqa: F811
    """``--server`` on one command once replaced the wallet's saved list: later runs used that
    one server ("seen by 1 of 1") and lost the cross-check. The lists change through
    ``paylight servers`` only."""
    pg = playground
    electrum, esplora = f"tcp://127.0.0.1:{pg.electrum_port}", pg.esplora_url
    watch_wallet()
    for url in (electrum, esplora):
        ok_json(capsys, "servers", "add", url, "--wallet", "shop")
    saved = ok_json(capsys, "servers", "list", "--wallet", "shop")
    assert saved["in_use"] == sorted([electrum, esplora])

    report = ok_json(capsys, "sync", "--wallet", "shop", "--server", esplora)
    assert len(report["servers"]) == 1 and report["header_height"] == pg.height
    assert ok_json(capsys, "servers", "list", "--wallet", "shop") == saved  # unchanged
    assert len(ok_json(capsys, "sync", "--wallet", "shop")["servers"]) == 2  # the saved two

    ok_json(capsys, "servers", "remove", electrum, "--wallet", "shop")
    assert ok_json(capsys, "servers", "list", "--wallet", "shop")["in_use"] == [esplora]
    code, _, err = cli(capsys, "servers", "remove", electrum, "--wallet", "shop")
    assert code == 1 and "not in this wallet's server list" in err


def test_the_networks_list_is_edited_explicitly(home, capsys):
    """Without ``--wallet``, ``servers`` edits the network's list (the user's servers.json,
    started from the bundled defaults), which wallets without a list of their own use."""

    def signet(*argv: str):
        capsys.readouterr()
        assert main([*argv, "--network", "signet", "--json"]) == 0
        return json.loads(capsys.readouterr().out)

    bundled = signet("servers", "list")["in_use"]
    assert bundled and not (home / "config" / "servers.json").exists()
    mine = "ssl://signet.example.org:50002"
    assert signet("servers", "add", mine)["servers"] == [*bundled, mine]
    stored = json.loads((home / "config" / "servers.json").read_text())
    assert [e["url"] for e in stored["networks"]["signet"]] == [*bundled, mine]
    assert set(stored["networks"]) == {"signet"}  # other networks keep the bundled defaults
    assert signet("servers", "remove", bundled[0])["servers"] == [*bundled[1:], mine]
    assert signet("servers", "list")["in_use"] == [*bundled[1:], mine]
    # a regtest wallet with no servers of its own uses the regtest network's list
    watch_wallet()
    ok_json(capsys, "servers", "add", "tcp://127.0.0.1:50001")
    assert ok_json(capsys, "servers", "list", "--wallet", "shop")["in_use"] == [
        "tcp://127.0.0.1:50001"
    ]


def _save_servers(path: Path, pg) -> None:
    with Wallet.open(path) as wallet:
        for url in (f"tcp://127.0.0.1:{pg.electrum_port}", pg.esplora_url):
            wallet.db.add_server(url, "regtest")


def test_each_playground_chain_has_its_own_header_store(home, capsys, tmp_path):
    """Two playgrounds share the regtest genesis and nothing after it. With one regtest
    store, the heavier chain pushed the other aside: that wallet's honest servers were
    dropped for bad Merkle proofs. Now the CLI and the GUI's sync runner each use the store
    of the chain their servers follow."""
    from tests.playground_fixture import start_playground
    from wallet.sync.runner import SyncRunner

    heavy, light = start_playground(tmp_path / "a"), start_playground(tmp_path / "b")
    try:
        heavy.mine(30)
        paths = {"heavy": watch_wallet("heavy"), "light": watch_wallet("light")}
        for name, pg in (("heavy", heavy), ("light", light)):
            _save_servers(paths[name], pg)
            with Wallet.open(paths[name]) as wallet:
                pg.fund(wallet.db.addresses(Chain.RECEIVE)[0].address, 50_000, confirm=True)
        for name, pg in (("heavy", heavy), ("light", light), ("heavy", heavy)):
            report = ok_json(capsys, "sync", "--wallet", name)
            assert report["dropped"] == {} and report["disagreements"] == [], report
            assert (report["confirmed"], report["header_height"]) == (1, pg.height)
        with Wallet.open(paths["light"]) as wallet, SyncRunner(wallet) as runner:
            assert runner.wait_synced(20)
            assert runner.last_report.confirmed == 1 and not runner.last_report.dropped
            assert runner.store.height == light.height
    finally:
        heavy.stop()
        light.stop()
    stores = sorted(p.name for p in (home / "regtest").iterdir() if p.name.startswith("headers"))
    assert len(stores) == 2, stores


def test_charge_streams_json_while_a_second_process_pays(home, tmp_path, playground):  # noqa: F811
    """``charge --json`` prints the URI as its first line; meanwhile ``pay`` from another
    wallet, in another process, shares the header store (charge once held it locked for its
    whole run, and pay failed)."""
    import os
    import queue
    import subprocess
    import sys
    import threading
    import time

    from tests.conftest import REPO
    from wallet.account.keystore import ScryptParams
    from wallet.account.setup import create_from_seed

    pg = playground
    till = watch_wallet("till")
    payer = create_from_seed(
        wallet_dir("payer", "regtest"),
        "regtest",
        "legal winner thank year wave sausage worth useful legal winner thank yellow",
        PASSWORD,
        kdf=ScryptParams.insecure_for_tests(),
    )
    for path in (till, payer):
        _save_servers(path, pg)
    with Wallet.open(payer) as wallet:
        pg.fund(wallet.db.addresses(Chain.RECEIVE)[0].address, 1_000_000, confirm=True)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "wallet"]
    regtest = ["--network", "regtest", "--json"]
    receipts = ["--receipts", str(tmp_path / "receipts"), "--timeout", "60"]
    charge = subprocess.Popen(
        [*command, "charge", "0.001", "--wallet", "till", *regtest, *receipts],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue = queue.Queue()

    def read() -> None:
        for line in charge.stdout:
            lines.put(json.loads(line))
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()

    def next_event(state: str | None = None) -> dict:
        deadline = time.monotonic() + 30
        while True:
            event = lines.get(timeout=max(0.01, deadline - time.monotonic()))
            assert event is not None, charge.stderr.read()
            if state is None or event.get("state") == state:
                return event

    try:
        made = next_event()
        assert made["event"] == "request" and made["uri"].startswith("bitcoin:")
        assert next_event("waiting")["event"] == "update"
        assert charge.poll() is None  # still following, holding its session open
        paid = subprocess.run(
            [*command, "pay", made["uri"], "--wallet", "payer", "--yes", *regtest],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert paid.returncode == 0, paid.stderr
        assert next_event("seen")["received_sat"] == 100_000
        pg.mine(1)
        assert next_event("confirmed")["event"] == "update"
        result = next_event()
        while result["event"] != "result":
            result = next_event()
        assert result["result"] == "confirmed" and len(result["receipts"]) == 1
        assert charge.wait(20) == 0, charge.stderr.read()
    finally:
        if charge.poll() is None:
            charge.kill()
            charge.wait()


def test_create_prints_a_descriptor_that_watches_change_too(home, capsys, playground):  # noqa: F811
    """The descriptor ``create`` printed covered receive addresses only: a watch-only wallet
    made from it showed 0 BTC once the coins had moved to change. It prints ``/<0;1>/*`` now,
    and a watch-only wallet without change says what it misses."""
    from tests.wallet_builder import HistoryBuilder

    pg = playground
    created = ok_json(capsys, "create", "--wallet", "seed", "--show-seed", "--skip-seed-check")
    multipath = created["descriptor"]
    assert "/<0;1>/*)#" in multipath and created["warnings"] == []
    bdk = pytest.importorskip("bdkpython")  # BDK reads it as the same two descriptors
    split = bdk.Descriptor(multipath, bdk.NetworkKind.TEST).to_single_descriptors()
    assert [str(d) for d in split] == [created["receive_descriptor"], created["change_descriptor"]]

    builder = HistoryBuilder(pg, created["mnemonic"])
    pg.mine(100)
    builder.build(40, seed=5, leave_unmined=0)
    assert builder.sends  # payments out, so coins sit on change addresses
    view = builder.view()
    urls = [f"tcp://127.0.0.1:{pg.electrum_port}", pg.esplora_url]
    servers = [arg for url in urls for arg in ("--server", url)]
    watch = ok_json(capsys, "restore", "--wallet", "watch", "--watch", multipath)
    assert watch["warnings"] == [] and watch["descriptor"] == multipath
    receive_only = ok_json(
        capsys, "restore", "--wallet", "half", "--watch", created["receive_descriptor"]
    )
    assert "no change descriptor" in receive_only["warnings"][0]
    for name in ("seed", "watch", "half"):
        ok_json(capsys, "sync", "--wallet", name, *servers)
    balances = {n: ok_json(capsys, "balance", "--wallet", n) for n in ("seed", "watch", "half")}
    assert balances["seed"]["confirmed"] == balances["watch"]["confirmed"] == view.confirmed
    assert balances["half"]["confirmed"] < view.confirmed
    assert balances["half"]["warnings"] and not balances["watch"]["warnings"]
    code, out, _ = cli(capsys, "balance", "--wallet", "half")
    assert code == 0 and "warning: this watch-only wallet has no change descriptor" in out


def _at_a_terminal(argv: list[str], answer, env: dict[str, str]) -> tuple[int, str]:
    """Run ``paylight ARGV`` with a pseudo-terminal for stdin and stdout (as a person at a
    shell would); ``answer(output so far)`` gives the next line to type, or None to wait."""
    import os
    import pty
    import select
    import subprocess
    import sys

    from tests.conftest import REPO

    main_fd, child_fd = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "wallet", *argv],
        stdin=child_fd,
        stdout=child_fd,
        stderr=child_fd,
        cwd=REPO,
        env={**env, "PYTHONPATH": str(REPO)},
        close_fds=True,
    )
    os.close(child_fd)
    output = ""
    try:
        while True:
            ready, _, _ = select.select([main_fd], [], [], 30)
            assert ready, f"no output for 30 s; so far:\n{output}"
            try:
                chunk = os.read(main_fd, 4096).decode(errors="replace")
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
            line = answer(output)
            if line is not None:
                os.write(main_fd, (line + "\n").encode())
        return proc.wait(30), output.replace("\r\n", "\n")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(main_fd)


def test_create_asks_three_words_back_and_a_long_enough_password(home, tmp_path):
    """At a terminal ``create`` shows the words, asks three back and makes the wallet only
    when they match; a script must say it keeps the words (``--skip-seed-check``); a password
    shorter than 8 characters is refused, as in the GUI."""
    import os
    import re

    argv = ["create", "--network", "regtest", "--wallet"]
    wallets = home / "regtest" / "wallets"

    def typist(wrong: bool):
        asked: list[str] = []

        def answer(output: str) -> str | None:
            words = dict(re.findall(r"(\d+)\. (\w+)", output))
            prompts = re.findall(r"word (\d+): ", output)
            if len(prompts) == len(asked):
                return None
            number = prompts[len(asked)]
            asked.append(number)
            return "zoo" if wrong else words[number]

        return answer

    code, out = _at_a_terminal([*argv, "right"], typist(wrong=False), dict(os.environ))
    assert code == 0, out
    assert "Check your copy" in out and "Created mnemonic wallet 'right'" in out
    assert "/<0;1>/*)#" in out
    assert (wallets / "right" / "wallet.json").is_file()

    code, out = _at_a_terminal([*argv, "wrong"], typist(wrong=True), dict(os.environ))
    assert code == 1 and "did not match the seed words shown; nothing was created" in out
    assert len(re.findall(r"word \d+: ", out)) == 9  # three words, three tries
    assert not (wallets / "wrong").exists()

    short = {**os.environ, "PAYLIGHT_PASSWORD": "1234567"}
    code, out = _at_a_terminal([*argv, "short"], typist(wrong=False), short)
    assert code == 1 and "use at least 8" in out and "seed words" not in out
    assert not (wallets / "short").exists()


def test_coins_and_requests_have_commands(home, capsys, playground):  # noqa: F811
    """``paylight coins`` lists what the GUI's Coins tab shows; ``paylight requests`` lists
    the payment requests with their states recomputed from the wallet (nothing stored)."""
    pg = playground
    path = watch_wallet()
    _save_servers(path, pg)
    tea = ok_json(capsys, "request", "0.0005", "--label", "Tea", "--wallet", "shop", "--no-qr")
    ok_json(capsys, "request", "0.001", "--label", "Lunch", "--wallet", "shop", "--no-qr")
    with Wallet.open(path) as wallet:
        other = wallet.db.addresses(Chain.RECEIVE)[5].address
    paid = pg.fund(tea["address"], 50_000)
    gift = pg.fund(other, 120_000)
    pg.mine(1)
    ok_json(capsys, "sync", "--wallet", "shop")

    coins = ok_json(capsys, "coins", "--wallet", "shop")
    assert {c["outpoint"].split(":")[0]: c["value"] for c in coins} == {paid: 50_000, gift: 120_000}
    assert {(c["state"], c["confirmations"], c["chain"]) for c in coins} == {
        ("confirmed", 1, "receive")
    }
    assert {c["address"] for c in coins} == {tea["address"], other}
    with Wallet.open(path) as wallet:
        frozen = next(o for o in wallet.db.outputs() if o.outpoint.txid_hex == gift)
        wallet.db.set_frozen(frozen.outpoint, True)
    spendable = ok_json(capsys, "coins", "--wallet", "shop", "--spendable")
    assert [c["outpoint"].split(":")[0] for c in spendable] == [paid]

    listed = ok_json(capsys, "requests", "--wallet", "shop")
    assert [(r["label"], r["state"]) for r in listed] == [
        ("Tea", "confirmed"),
        ("Lunch", "waiting"),
    ]
    assert listed[0]["received_sat"] == 50_000 and listed[0]["txids"] == [paid]
    assert listed[0]["uri"] == tea["uri"]
    pg.mine(5)  # six confirmations: paid
    ok_json(capsys, "sync", "--wallet", "shop")
    assert [
        r["label"] for r in ok_json(capsys, "requests", "--wallet", "shop", "--state", "paid")
    ] == ["Tea"]
    waiting = ok_json(capsys, "requests", "--wallet", "shop", "--state", "waiting")
    assert [r["label"] for r in waiting] == ["Lunch"]
    with Wallet.open(path) as wallet:  # listing stored nothing
        assert {r.state.value for r in wallet.db.payment_requests()} == {"waiting"}
    code, out, _ = cli(capsys, "coins", "--wallet", "shop")
    assert code == 0 and "2 coins, 0.0017 BTC" in out and "frozen" in out
