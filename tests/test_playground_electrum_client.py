"""An existing Electrum client against the playground: Electrum 4.3's own library code
(Debian's ``python3-electrum``, run by the system Python in a subprocess so its imports stay out
of ours) negotiates the protocol with aiorpcx, links and hashes the headers, checks Merkle
branches with ``SPV.hash_merkle_root`` and computes script-hash statuses with its synchronizer.
"""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

import pytest

from tests import playground_fixture
from tests.playground_fixture import TestKey

playground = playground_fixture.playground  # the fixture, used by name

SYSTEM_PYTHON = Path("/usr/bin/python3")
CLIENT = textwrap.dedent(
    """
    import asyncio, json, sys
    from aiorpcx import connect_rs
    from electrum import constants
    from electrum.bitcoin import address_to_scripthash
    from electrum.blockchain import deserialize_header, hash_header
    from electrum.synchronizer import history_status
    from electrum.verifier import SPV
    from electrum.version import PROTOCOL_VERSION, ELECTRUM_VERSION

    constants.set_regtest()

    async def main(port, address):
        async with connect_rs("127.0.0.1", port) as session:
            out = {}
            out["version"] = await session.send_request(
                "server.version", [f"electrum/{ELECTRUM_VERSION}", PROTOCOL_VERSION])
            features = await session.send_request("server.features")
            out["genesis_ok"] = features["genesis_hash"] == constants.net.GENESIS
            tip = await session.send_request("blockchain.headers.subscribe")
            chunk = await session.send_request("blockchain.block.headers", [0, 2016])
            raw = bytes.fromhex(chunk["hex"])
            headers, prev = [], None
            for h in range(chunk["count"]):
                header = deserialize_header(raw[80 * h: 80 * h + 80], h)
                assert prev is None or header["prev_block_hash"] == prev, h
                prev = hash_header(header)
                headers.append(header)
            tip_header = deserialize_header(bytes.fromhex(tip["hex"]), tip["height"])
            out["tip_ok"] = prev == hash_header(tip_header)
            sh = address_to_scripthash(address)
            history = await session.send_request("blockchain.scripthash.get_history", [sh])
            out["proofs"] = []
            for item in (i for i in history if i["height"] > 0):
                proof = await session.send_request(
                    "blockchain.transaction.get_merkle", [item["tx_hash"], item["height"]])
                root = SPV.hash_merkle_root(proof["merkle"], item["tx_hash"], proof["pos"])
                out["proofs"].append(root == headers[item["height"]]["merkle_root"])
            status = await session.send_request("blockchain.scripthash.subscribe", [sh])
            mine = history_status([(i["tx_hash"], i["height"]) for i in history])
            out["status_ok"] = status == mine and status is not None
            print(json.dumps(out))

    asyncio.run(main(int(sys.argv[1]), sys.argv[2]))
    """
)


def _electrum_available() -> bool:
    if not SYSTEM_PYTHON.exists():
        return False
    probe = subprocess.run(
        [str(SYSTEM_PYTHON), "-c", "import electrum.verifier, aiorpcx"],
        capture_output=True,
        timeout=60,
    )
    return probe.returncode == 0


def test_electrum_4_client_code_accepts_headers_proofs_and_statuses(playground, tmp_path):
    if not _electrum_available():
        pytest.skip("Debian's python3-electrum is not installed for /usr/bin/python3")
    key = TestKey()
    playground.fund(key.address, 10_000, confirm=True)
    playground.fund(key.address, 20_000, confirm=True)
    playground.fund(key.address, 30_000)  # one still in the mempool (height 0, no proof)
    script = tmp_path / "electrum_client.py"
    script.write_text(CLIENT)
    result = subprocess.run(
        [str(SYSTEM_PYTHON), str(script), str(playground.electrum_port), key.address],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    out = json.loads(result.stdout)
    assert out["version"][1] == "1.4"
    assert out["genesis_ok"] and out["tip_ok"] and out["status_ok"]
    assert out["proofs"] == [True, True]  # the mempool transaction has no block to prove
