"""Restoring a large wallet: Paylight beside Electrum 4.3.4, on the same playground wallet.

A BIP84 wallet gets about 1,000 transactions on the playground (receives, sends with change,
RBF replacements, a few left in the mempool; tests/wallet_builder.py). The chain is then served
by two playground processes on copies of it (two independent servers), and the wallet is
restored from scratch, median of ``--rounds`` rounds taken in turn:

* ``electrum_4_3_4``: Electrum 4.3.4's own client code (Debian's ``python3-electrum``, run by
  the system Python in a subprocess) restoring the watch-only wallet of the same xpub from one
  Electrum server: headers, addresses to its gap limit, histories, transactions, SPV proofs
  (done once it has said "up to date" and still says so 1.5 s later, that wait not counted: it
  says so for a moment between rounds of address generation);
* ``paylight_electrum``: Paylight's ``WalletSync.sync()`` from that one Electrum server;
* ``paylight_electrum_esplora``: one Electrum and one Esplora server, cross-checked (every
  history from both, each transaction and proof once and checked against our own headers);
* ``paylight_two_electrum``: two Electrum servers, cross-checked the same way;
* ``paylight_p2p``: the light node over the playground's P2P listeners (three per process, six
  in all, four connected at once: the app's default), compact filters from genesis (a wallet
  restored from its seed alone has no birthday: the worst case), matching blocks fetched whole;
* ``paylight_core``: the same scan over Bitcoin Core's REST (the playground's), one node.

The block sources see what is in blocks: the few transactions left in the mempool are not part
of their restore (the light node sees new ones announced while it follows), so they are checked
against the mined history -- every mined transaction at its height with its proof, the confirmed
balance -- and against the Electrum restore's mined rows.

Each restore is checked against the playground's own view of the wallet. Beside the seconds
(wall clock; noisy on a shared machine) come counts that do not depend on the load: requests,
messages (a JSON-RPC batch or an HTTP request is one) and bytes, counted by the servers, the
CPU seconds of the client and of the server processes, and Paylight's time per phase; for
the block sources, requests and bytes per phase too (headers; filter headers with their
checkpoints; filters; blocks), counted by the playground's P2P listeners and REST server.
``*_vs_electrum`` is how many times faster than Electrum's restore.

    python3 bench/sync.py [--transactions N] [--rounds 3] [--blocks p2p,core] [--save-reference]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.harness import report  # noqa: E402
from tests.wallet_builder import HistoryBuilder, View  # noqa: E402
from wallet.account.keystore import ScryptParams  # noqa: E402
from wallet.account.setup import create_from_seed  # noqa: E402
from wallet.account.wallet_file import Wallet  # noqa: E402
from wallet.backends.servers import make_pool  # noqa: E402
from wallet.bitcoin.networks import REGTEST  # noqa: E402
from wallet.core.node import CoreNode  # noqa: E402
from wallet.core.source import CoreSource  # noqa: E402
from wallet.p2p.client import LightClient  # noqa: E402
from wallet.playground import Playground  # noqa: E402
from wallet.sync.blocks import BlockScanSync  # noqa: E402
from wallet.sync.engine import WalletSync  # noqa: E402
from wallet.sync.headers import open_header_store  # noqa: E402

MNEMONIC = " ".join(["abandon"] * 11 + ["about"])
SYSTEM_PYTHON = "/usr/bin/python3"
#: Electrum's restore is over once it has said "up to date" for this long
ELECTRUM_QUIET_S = 1.5
ELECTRUM_DIST = "/usr/lib/python3/dist-packages"

#: peers the light node keeps connected (the app's default)
P2P_PEERS = 4
#: what each block source's requests are, by phase: P2P message received by the listeners
#: (and what they sent back), REST route
PHASES = {
    "p2p": {
        "headers": ("getheaders", "headers"),
        "filter_headers": ("getcfcheckpt", "getcfheaders", "cfcheckpt", "cfheaders"),
        "filters": ("getcfilters", "cfilter"),
        "blocks": ("getdata", "block", "notfound"),
    },
    "core": {
        "headers": ("rest/headers", "rest/chaininfo"),
        "filter_headers": ("rest/blockfilterheaders",),
        "filters": ("rest/blockfilter",),
        "blocks": ("rest/block",),
    },
}

#: a playground serving a copy of the chain in its own process (its endpoints on one line)
SERVE = textwrap.dedent(
    """
    import json, sys
    sys.path.insert(0, sys.argv[2])
    from wallet.playground import Playground
    pg = Playground(sys.argv[1], electrum_port=0, esplora_port=0, initial_blocks=0).start()
    print(json.dumps({**pg.endpoints(), "control_token": pg.control_token}), flush=True)
    sys.stdin.read()
    pg.stop()
    """
)

#: Electrum 4.3.4 restoring the watch-only wallet of the same account xpub from one server
ELECTRUM_RESTORE = textwrap.dedent(
    """
    import json, os, sys, tempfile, time
    sys.path.append(%(dist)r)
    from electrum import constants, keystore, util
    from electrum.network import Network
    from electrum.simple_config import SimpleConfig
    from electrum.storage import WalletStorage
    from electrum.version import ELECTRUM_VERSION
    from electrum.wallet import Wallet
    from electrum.wallet_db import WalletDB

    host, port, mnemonic = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    constants.set_regtest()
    path = tempfile.mkdtemp(prefix="electrum-bench-")
    config = SimpleConfig({"electrum_path": path, "regtest": True, "oneserver": True,
                           "auto_connect": False, "server": f"{host}:{port}:t"})
    util.create_and_start_event_loop()
    account = keystore.from_bip43_rootseed(
        keystore.bip39_to_seed(mnemonic, ""), "m/84'/1'/0'", xtype="p2wpkh")
    xpub = account.get_master_public_key()
    db = WalletDB("", manual_upgrades=False)
    db.put("keystore", keystore.from_master_key(xpub).dump())  # watch-only
    db.put("wallet_type", "standard")
    wallet = Wallet(db, WalletStorage(os.path.join(path, "wallet")), config=config)
    assert wallet.is_watching_only()
    started, cpu = time.perf_counter(), time.process_time()
    network = Network(config)
    network.start()
    wallet.start_network(network)
    # Electrum says "up to date" for a moment between rounds of address generation: the restore
    # is done when it says so and still does %(quiet)s s later (that wait is not counted)
    done = None
    while done is None or time.perf_counter() - done < %(quiet)s:
        if not wallet.is_up_to_date():
            done = None
        elif done is None:
            done, spent = time.perf_counter(), time.process_time()
        time.sleep(0.002)
    seconds, cpu = done - started, spent - cpu
    txs = {}
    for txid in wallet.db.list_transactions():
        height = wallet.adb.get_tx_height(txid).height
        txs[txid] = height if height > 0 else None
    verified = sum(1 for t in txs if wallet.adb.db.get_verified_tx(t) is not None)
    confirmed, unconfirmed, _ = wallet.get_balance()
    print(json.dumps({"seconds": seconds, "cpu": cpu, "txs": txs, "verified": verified,
                      "confirmed": confirmed, "xpub": xpub, "version": ELECTRUM_VERSION}))
    sys.stdout.flush()
    os._exit(0)
    """
)


class Server:
    """A playground process serving a copy of the chain."""

    def __init__(self, datadir: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", SERVE, str(datadir), str(ROOT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.info = json.loads(self.proc.stdout.readline())

    @property
    def electrum(self) -> str:
        return f"tcp://{self.info['electrum']}"

    @property
    def esplora(self) -> str:
        return self.info["esplora"]

    def traffic(self) -> dict[str, Any]:
        request = urllib.request.Request(
            self.esplora + "/playground/traffic",
            headers={"Authorization": f"Bearer {self.info['control_token']}"},
        )
        with urllib.request.urlopen(request, timeout=30) as reply:
            return json.loads(reply.read())

    @property
    def peers(self) -> list[str]:
        return self.info["p2p"]

    def core_node(self) -> CoreNode:
        host, port = self.info["core"].removeprefix("http://").rsplit(":", 1)
        return CoreNode.for_network(
            "regtest", host=host, port=int(port), cookie=self.info["core_cookie"]
        )

    def stop(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(60)


def _traffic_delta(
    before: list[dict], after: list[dict], protos: tuple[str, ...] = ("electrum", "esplora")
) -> dict[str, float]:
    """Requests, messages and bytes (both ways) the servers saw between two snapshots, and the
    CPU time the server processes spent meanwhile; for a block source (``p2p``, ``core``) the
    requests and bytes of each phase too (``requests_<phase>``, ``bytes_<phase>``: the bytes
    of its requests and of what was sent back)."""
    out: dict[str, float] = {"requests": 0, "messages": 0, "bytes": 0, "server_cpu": 0.0}
    for old, new in zip(before, after, strict=True):
        out["server_cpu"] += new["process"]["cpu_s"] - old["process"]["cpu_s"]
        for proto in protos:
            out["requests"] += new[proto]["requests"] - old[proto]["requests"]
            out["messages"] += new[proto]["messages"] - old[proto]["messages"]
            for key in ("bytes_in", "bytes_out"):
                out["bytes"] += new[proto][key] - old[proto][key]
            for phase, kinds in PHASES.get(proto, {}).items():
                asked, sent = (new[proto][k] for k in ("by_kind", "bytes_out_by_kind"))
                was_asked, was_sent = (old[proto][k] for k in ("by_kind", "bytes_out_by_kind"))
                requests = sum(asked.get(k, 0) - was_asked.get(k, 0) for k in kinds)
                out[f"requests_{phase}"] = out.get(f"requests_{phase}", 0) + requests
                sent_bytes = sum(sent.get(k, 0) - was_sent.get(k, 0) for k in kinds)
                out[f"bytes_{phase}"] = out.get(f"bytes_{phase}", 0) + sent_bytes
    return out


async def _paylight(servers: list[str], home: Path) -> tuple[float, float, Any, dict]:
    folder = create_from_seed(
        home / "wallet", REGTEST, MNEMONIC, "pw", kdf=ScryptParams.insecure_for_tests()
    )
    wallet = Wallet.open(folder)
    headers = open_header_store(REGTEST, home / "headers")
    pool = make_pool(servers, REGTEST)
    try:
        sync = WalletSync(wallet, pool, headers)
        started, cpu = time.perf_counter(), time.process_time()
        result = await sync.sync()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        phases = dict(sync.history.stats.seconds)
    finally:
        await pool.close()
        headers.close()
        wallet.close()
    with Wallet.open(folder) as wallet:
        balance = wallet.db.balance()
        records = wallet.db.transactions()
        states = {r.txid_hex: r.state.value for r in records}
    check = {"balance": (balance.confirmed, balance.unverified, balance.unconfirmed)}
    check["states"] = states
    check["heights"] = {r.txid_hex: r.height for r in records if r.state.value == "confirmed"}
    check["proofs"] = result.proofs_verified
    return seconds, cpu, result, {"check": check, "phases": phases}


async def _paylight_blocks(
    kind: str, servers: list[Server], home: Path
) -> tuple[float, float, dict]:
    """A restore from blocks: ``kind`` "p2p" (the light node over every server's P2P
    listeners) or "core" (the first server's Core REST)."""
    folder = create_from_seed(
        home / "wallet", REGTEST, MNEMONIC, "pw", kdf=ScryptParams.insecure_for_tests()
    )
    wallet = Wallet.open(folder)
    headers = open_header_store(REGTEST, home / "headers")
    client: Any
    if kind == "p2p":
        peers = [p for s in servers for p in s.peers]
        client = LightClient(
            REGTEST, headers, peers=peers, target_peers=P2P_PEERS, use_dns=False, use_fixed=False
        )
    else:
        client = CoreSource(servers[0].core_node(), headers)
    try:
        started, cpu = time.perf_counter(), time.process_time()
        if hasattr(client, "start"):
            await client.start()
        result = await BlockScanSync(wallet, client, source=kind).sync()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        phases = client.phase_seconds()
    finally:
        await client.close()
        headers.close()
        wallet.close()
    with Wallet.open(folder) as wallet:
        balance = wallet.db.balance()
        records = wallet.db.transactions()
    check = {
        "balance": (balance.confirmed, balance.unverified, balance.unconfirmed),
        "states": {r.txid_hex: r.state.value for r in records},
        "heights": {r.txid_hex: r.height for r in records if r.state.value == "confirmed"},
        "proofs": result.proofs_verified,
        "dropped": result.dropped,
    }
    return seconds, cpu, {"check": check, "phases": phases}


def _blocks_agree(check: dict, view: View, electrum_heights: dict[str, int] | None) -> str:
    """ "" if a restore from blocks holds the mined history (the playground's view, and the
    Electrum restore's mined rows when given), else what differs."""
    mined = {t: h for t, h in view.txs.items() if h is not None}
    problems = []
    if check["balance"] != (view.confirmed, 0, 0):
        problems.append(f"balance {check['balance']} != {(view.confirmed, 0, 0)}")
    if check["heights"] != mined:
        differ = sum(1 for t in set(mined) | set(check["heights"])
                     if mined.get(t) != check["heights"].get(t))  # fmt: skip
        problems.append(f"{differ} mined transactions differ")
    if set(check["states"]) != set(mined):
        problems.append(f"{len(set(check['states']) - set(mined))} not mined stored")
    if electrum_heights is not None and check["heights"] != electrum_heights:
        problems.append("the mined rows differ from the Electrum restore's")
    if check["proofs"] != len(mined):
        problems.append(f"{check['proofs']} proofs for {len(mined)} mined")
    if check["dropped"]:
        problems.append(f"honest peers dropped: {check['dropped']}")
    return "; ".join(problems)


def _paylight_agrees(check: dict, view: View) -> str:
    """ "" if the restored wallet is the playground's view, else what differs."""
    mined = {t for t, h in view.txs.items() if h is not None}
    states = check["states"]
    problems = []
    if check["balance"] != (view.confirmed, 0, view.unconfirmed):
        problems.append(f"balance {check['balance']} != {(view.confirmed, 0, view.unconfirmed)}")
    confirmed = {t for t, s in states.items() if s == "confirmed"}
    if confirmed != mined:
        problems.append(
            f"{len(mined - confirmed)} mined not confirmed, {len(confirmed - mined)} extra"
        )
    live = {t for t, s in states.items() if s != "replaced"}
    if live != set(view.txs):
        problems.append(f"{len(set(view.txs) - live)} missing, {len(live - set(view.txs))} extra")
    if check["proofs"] != len(mined):
        problems.append(f"{check['proofs']} proofs for {len(mined)} mined")
    return "; ".join(problems)


def _electrum_available() -> bool:
    if not Path(SYSTEM_PYTHON).exists():
        return False
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", f"import sys; sys.path.append({ELECTRUM_DIST!r}); import electrum"],
        capture_output=True,
        timeout=120,
    )
    return probe.returncode == 0


def _electrum(server: Server, view: View) -> tuple[float, float, dict]:
    host, port = server.info["electrum"].rsplit(":", 1)
    script = {"dist": ELECTRUM_DIST, "quiet": ELECTRUM_QUIET_S}
    proc = subprocess.run(
        [SYSTEM_PYTHON, "-c", ELECTRUM_RESTORE % script, host, port, MNEMONIC],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tempfile.gettempdir(),
    )
    if proc.returncode != 0:
        raise SystemExit(f"Electrum's restore failed: {proc.stderr.strip()[-2000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    mined = sum(1 for h in view.txs.values() if h is not None)
    problems = []
    if out["txs"] != view.txs:
        differ = sum(
            1 for t in set(out["txs"]) | set(view.txs) if out["txs"].get(t) != view.txs.get(t)
        )
        problems.append(f"{differ} transactions differ")
    if out["verified"] != mined:
        problems.append(f"{out['verified']} verified of {mined} mined")
    if out["confirmed"] != view.confirmed:
        problems.append(f"confirmed balance {out['confirmed']} != {view.confirmed}")
    out["problem"] = "; ".join(problems)
    out["agrees"] = not problems
    return out["seconds"], out["cpu"], out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--save-reference", action="store_true")
    parser.add_argument(
        "--blocks", default="p2p,core", help="block sources to restore from (p2p,core; none: '')"
    )
    args = parser.parse_args()
    figures: dict[str, float | int | str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        os.environ["PAYLIGHT_HOME"] = str(home / "paylight")
        started = time.perf_counter()
        with Playground(home / "a", electrum_port=0, esplora_port=0) as pg:
            pg.mine(120)
            builder = HistoryBuilder(pg, MNEMONIC)
            builder.build(args.transactions, seed=7)
            view = builder.view()
            figures["build_wallet_s"] = round(time.perf_counter() - started, 3)
            figures["transactions"] = len(view.txs)
            figures["replaced_by_rbf"] = len(builder.replaced)
            figures["chain_height"] = pg.height
        shutil.copytree(home / "a", home / "b")
        a, b = Server(home / "a"), Server(home / "b")
        try:
            runs: dict[str, list[dict]] = {}
            setups = {
                "paylight_electrum": [a.electrum],
                "paylight_electrum_esplora": [a.electrum, b.esplora],
                "paylight_two_electrum": [a.electrum, b.electrum],
            }
            blocks = [k for k in args.blocks.split(",") if k]
            electrum_heights: dict[str, int] | None = None
            electrum = _electrum_available()
            if not electrum:
                print("  (Electrum 4.3.4 not installed: apt-get install python3-electrum)")
            for round_no in range(args.rounds):
                if electrum:
                    before = [a.traffic()]
                    seconds, cpu, out = _electrum(a, view)
                    row = {"seconds": seconds, "cpu": cpu, "agrees": out["agrees"]}
                    if not out["agrees"]:
                        print(f"  Electrum, round {round_no + 1}: {out['problem']}", flush=True)
                    row.update(_traffic_delta(before, [a.traffic()]))
                    runs.setdefault("electrum_4_3_4", []).append(row)
                    figures["electrum_version"] = out["version"]
                for name, servers in setups.items():
                    before = [a.traffic(), b.traffic()]
                    where = home / f"{name}-{round_no}"
                    seconds, cpu, _, extra = asyncio.run(_paylight(servers, where))
                    row = {"seconds": seconds, "cpu": cpu}
                    problem = _paylight_agrees(extra["check"], view)
                    row["agrees"] = not problem
                    if problem:
                        print(f"  {name}, round {round_no + 1}: {problem}", flush=True)
                    row.update(_traffic_delta(before, [a.traffic(), b.traffic()]))
                    row.update({f"phase_{k}": v for k, v in extra["phases"].items()})
                    runs.setdefault(name, []).append(row)
                    shutil.rmtree(where, ignore_errors=True)
                    if name == "paylight_electrum" and not problem:
                        electrum_heights = extra["check"]["heights"]
                for kind in blocks:
                    name = f"paylight_{kind}"
                    before = [a.traffic(), b.traffic()]
                    where = home / f"{name}-{round_no}"
                    seconds, cpu, extra = asyncio.run(_paylight_blocks(kind, [a, b], where))
                    row = {"seconds": seconds, "cpu": cpu}
                    problem = _blocks_agree(extra["check"], view, electrum_heights)
                    row["agrees"] = not problem
                    if problem:
                        print(f"  {name}, round {round_no + 1}: {problem}", flush=True)
                    row.update(_traffic_delta(before, [a.traffic(), b.traffic()], (kind,)))
                    row.update({f"phase_{k}": v for k, v in extra["phases"].items()})
                    runs.setdefault(name, []).append(row)
                    shutil.rmtree(where, ignore_errors=True)
        finally:
            a.stop()
            b.stop()
    agrees = True
    for name, rows in runs.items():
        agrees &= all(r["agrees"] for r in rows)
        figures[f"{name}_s"] = round(statistics.median(r["seconds"] for r in rows), 3)
        figures[f"{name}_cpu_s"] = round(statistics.median(r["cpu"] for r in rows), 3)
        figures[f"{name}_server_cpu_s"] = round(
            statistics.median(r["server_cpu"] for r in rows), 3
        )
        for key in ("requests", "messages", "bytes"):
            figures[f"{name}_{key}"] = int(statistics.median(r[key] for r in rows))
        for key in sorted({k for r in rows for k in r if k.startswith("phase_")}):
            figures[f"{name}_{key}_s"] = round(statistics.median(r.get(key, 0) for r in rows), 3)
        for key in sorted({k for r in rows for k in r if k.startswith(("requests_", "bytes_"))}):
            unit, phase = key.split("_", 1)
            figures[f"{name}_{phase}_{unit}"] = int(statistics.median(r.get(key, 0) for r in rows))
    compared = [*setups, *(f"paylight_{k}" for k in blocks)]
    if "electrum_4_3_4" in runs:
        for name in compared:
            figures[f"{name}_vs_electrum"] = round(
                figures["electrum_4_3_4_s"] / figures[f"{name}_s"], 2
            )
    for kind in blocks:  # the question: restore over P2P (or Core) vs over Electrum
        figures[f"paylight_{kind}_vs_paylight_electrum"] = round(
            figures["paylight_electrum_s"] / figures[f"paylight_{kind}_s"], 2
        )
    figures["rounds"] = args.rounds
    figures["matches_playground"] = "yes" if agrees else "NO"
    anchors = {}
    if "electrum_4_3_4" in runs:
        for name in compared:
            for unit in ("s", "cpu_s", "server_cpu_s", "requests", "messages", "bytes"):
                anchors[f"{name}_{unit}"] = {"electrum": f"electrum_4_3_4_{unit}"}
    report("sync", figures, save=args.save_reference, anchors=anchors)
    if not agrees:
        raise SystemExit("a restored wallet does not match the playground's view")


if __name__ == "__main__":
    main()
