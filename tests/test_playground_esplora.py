"""The Esplora HTTP API over real sockets with httpx; shapes compared with real responses
(mempool.space's API documentation samples and mempool's backend test data in ../shared)."""

from __future__ import annotations

import asyncio
import json
import re
import socket

import httpx
import pytest

from tests import playground_fixture
from tests.conftest import shared_path
from tests.playground_fixture import TestKey, control_headers, funded_coin
from wallet.bitcoin.hashes import sha256
from wallet.bitcoin.transaction import OutPoint, TxOut
from wallet.spv.errors import MerkleProofError
from wallet.spv.merkle import MerkleBlock, verify_esplora_proof

playground = playground_fixture.playground  # the fixture, used by name

KEY = TestKey()


def sample(fragment: str, network: str = "Mainnet"):
    """A documented response, its JavaScript-object notation turned into JSON."""
    docs = json.loads(shared_path("data", "api", "mempool_api-docs_examples.json").read_text())
    text = next(d for d in docs if d["fragment"] == fragment)["samples"][network]["response_raw"]
    text = re.sub(r"([{,\[]\s*)([A-Za-z_]\w*)\s*:", r'\1"\2":', text)
    text = re.sub(r",\s*\.\.\.", "", text)
    text = re.sub(r",(\s*[}\]])", r"\1", text)
    return json.loads(text)


def real_tx() -> dict:
    """A real segwit transaction as an Esplora backend served it (mempool's test data)."""
    path = shared_path("data", "api", "mempool_backend_test-data", "transactions-random.json")
    return json.loads(path.read_text())[0]


@pytest.fixture
def http(playground):
    with httpx.Client(base_url=playground.esplora_url, timeout=10) as client:
        yield client


def test_shapes_match_real_esplora_responses(playground, http):
    coin = funded_coin(playground, KEY, 120_000)
    spend = KEY.spend([coin], [TxOut(110_000, KEY.script)])
    assert http.post("/tx", content=spend.serialize().hex()).text == spend.txid_hex
    txid = coin[0].txid_hex

    tx = http.get(f"/tx/{txid}").json()
    assert set(tx) == set(sample("get-transaction"))
    real = real_tx()
    assert set(tx["vin"][0]) == set(real["vin"][0])
    assert set(tx["vin"][0]["prevout"]) == set(real["vin"][0]["prevout"])
    assert set(tx["vout"][0]) == set(real["vout"][0])
    assert tx["vout"][0]["scriptpubkey_type"] == real["vin"][0]["prevout"]["scriptpubkey_type"]
    assert tx["vout"][0]["scriptpubkey_asm"].startswith("OP_0 OP_PUSHBYTES_20 ")
    assert set(tx["status"]) == set(sample("get-transaction-status"))
    assert tx["status"]["block_height"] == playground.height
    unconfirmed = http.get(f"/tx/{spend.txid_hex}/status").json()
    assert unconfirmed == sample("get-transaction-status", "Testnet") == {"confirmed": False}

    assert set(http.get(f"/tx/{txid}/merkle-proof").json()) == set(
        sample("get-transaction-merkle-proof")
    )
    assert set(http.get(f"/tx/{txid}/outspend/{coin[0].vout}").json()) == set(
        sample("get-transaction-outspend")
    )
    utxo = http.get(f"/address/{KEY.address}/utxo").json()
    assert [set(u) for u in utxo] == [set(sample("get-address-utxo")[0])]
    stats = http.get(f"/address/{KEY.address}").json()
    assert set(stats) == set(sample("get-address"))
    assert set(stats["chain_stats"]) == set(sample("get-address")["chain_stats"])
    assert stats["chain_stats"]["funded_txo_sum"] == 120_000
    assert stats["mempool_stats"]["spent_txo_sum"] == 120_000
    history = http.get(f"/address/{KEY.address}/txs").json()
    assert [t["txid"] for t in history] == [spend.txid_hex, txid]  # newest first
    assert all(set(t) == set(sample("get-transaction")) for t in history)
    status = http.get(f"/block/{tx['status']['block_hash']}/status").json()
    assert set(status) == set(sample("get-block-status"))
    blocks = http.get("/blocks").json()
    assert len(blocks) == 10 and set(sample("get-blocks", "Liquid")[0]) <= set(blocks[0])
    assert set(http.get("/mempool").json()) == set(sample("get-mempool"))
    estimates = http.get("/fee-estimates").json()
    assert set(estimates) == {str(n) for n in [*range(1, 26), 144, 504, 1008]}


def test_blocks_headers_and_proofs(playground, http):
    coin = funded_coin(playground, KEY, 70_000)
    txid = coin[0].txid_hex
    height = int(http.get("/blocks/tip/height").text)
    tip = http.get("/blocks/tip/hash").text
    assert (height, tip) == (playground.height, playground.tip_hash)
    assert http.get(f"/block-height/{height}").text == tip
    header = bytes.fromhex(http.get(f"/block/{tip}/header").text)
    assert sha256(sha256(header))[::-1].hex() == tip
    block = http.get(f"/block/{tip}").json()
    assert block["id"] == tip and block["tx_count"] == 2
    assert block["merkle_root"] == header[36:68][::-1].hex()
    assert http.get(f"/block/{tip}/txids").json()[1] == txid
    assert http.get(f"/block/{tip}/txid/1").text == txid
    raw_block = http.get(f"/block/{tip}/raw").content
    assert raw_block[:80] == header and len(raw_block) == block["size"]

    raw = bytes.fromhex(http.get(f"/tx/{txid}/hex").text)
    assert http.get(f"/tx/{txid}/raw").content == raw
    proof = http.get(f"/tx/{txid}/merkle-proof").json()
    assert verify_esplora_proof(proof, raw, header).hex() == bytes.fromhex(txid)[::-1].hex()
    merkle_block = MerkleBlock.from_hex(http.get(f"/tx/{txid}/merkleblock-proof").text)
    assert merkle_block.proves(raw) == 1

    playground.misbehave("wrong-merkle", protocols="esplora")
    with pytest.raises(MerkleProofError):
        verify_esplora_proof(http.get(f"/tx/{txid}/merkle-proof").json(), raw, header)
    with pytest.raises(MerkleProofError):
        MerkleBlock.from_hex(http.get(f"/tx/{txid}/merkleblock-proof").text).proves(raw)


def test_scripthash_paths_use_the_plain_sha256(playground, http):
    coin = funded_coin(playground, KEY, 60_000)
    sh = sha256(KEY.script).hex()
    assert http.get(f"/scripthash/{sh}/utxo").json()[0]["txid"] == coin[0].txid_hex
    assert http.get(f"/scripthash/{sh}").json()["scripthash"] == sh
    chain = http.get(f"/scripthash/{sh}/txs/chain").json()
    assert [t["txid"] for t in chain] == [coin[0].txid_hex]
    assert http.get(f"/scripthash/{sh}/txs/chain/{coin[0].txid_hex}").json() == []
    assert http.get(f"/scripthash/{sh}/txs/mempool").json() == []
    spent = http.get(f"/tx/{coin[0].txid_hex}/outspends").json()
    assert [s["spent"] for s in spent] == [False, False]


def test_post_tx_refusals_and_bad_requests(playground, http):
    coin = funded_coin(playground, KEY, 80_000)
    dust = KEY.spend([coin], [TxOut(100, KEY.script)])
    reply = http.post("/tx", content=dust.serialize().hex())
    assert reply.status_code == 400 and '"dust' in reply.text
    assert http.post("/tx", content="zz").status_code == 400
    assert http.get("/tx/" + "00" * 32).status_code == 404
    assert http.get("/tx/xyz").status_code == 404
    assert http.get("/block-height/99999").status_code == 404
    assert http.get("/address/bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4/utxo").status_code == 400
    assert http.get("/scripthash/abcd").status_code == 400
    assert http.delete("/blocks/tip/height").status_code == 405
    assert http.get("/no/such/endpoint").status_code == 404
    assert http.get("/api/blocks/tip/height").text == str(playground.height)


def test_garbage_and_concurrent_clients_do_not_stop_the_server(playground):
    port = playground.esplora_port
    idle = socket.create_connection(("127.0.0.1", port))  # a client that never finishes
    idle.sendall(b"GET /blocks/tip/height HTTP/1.1\r\nHost: x\r\n")
    with socket.create_connection(("127.0.0.1", port)) as junk:
        junk.sendall(b"\x00\xffnot http at all\r\n\r\n")
        assert junk.recv(100).startswith(b"HTTP/1.1 400")
    with socket.create_connection(("127.0.0.1", port)) as huge:
        huge.sendall(b"GET / HTTP/1.1\r\nX: " + b"a" * 40_000)
        assert huge.recv(100).startswith(b"HTTP/1.1 431")
    with socket.create_connection(("127.0.0.1", port)) as big:
        big.sendall(b"POST /tx HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n")
        assert big.recv(100).startswith(b"HTTP/1.1 413")

    async def many() -> list[str]:
        async with httpx.AsyncClient(base_url=playground.esplora_url, timeout=10) as client:
            replies = await asyncio.gather(
                *[client.get("/blocks/tip/hash") for _ in range(40)],
                *[client.get(f"/block-height/{h}") for h in range(40)],
            )
        return [r.text for r in replies]

    texts = asyncio.run(many())
    assert set(texts[:40]) == {playground.tip_hash}
    assert len(set(texts[40:])) == 40
    idle.close()


def test_control_endpoints(playground, http):
    http.headers.update(control_headers(playground))
    assert http.post("/playground/mine", json={"blocks": 2}).json()[1] == playground.tip_hash
    txid = http.post("/playground/fund", json={"address": KEY.address, "sats": 5000}).json()
    assert http.get(f"/tx/{txid}/status").json() == {"confirmed": False}
    assert http.post("/playground/reorg", json={"depth": 1}).status_code == 200
    assert http.post("/playground/misbehave", json={"mode": "omit-tx"}).status_code == 200
    assert http.get(f"/address/{KEY.address}/txs").json() == []
    assert http.post("/playground/misbehave", json={"mode": "bogus"}).status_code == 400
    assert http.delete("/playground/misbehave").status_code == 200
    assert [t["txid"] for t in http.get(f"/address/{KEY.address}/txs").json()] == [txid]
    info = http.get("/playground/info").json()
    assert info["height"] == playground.height and info["mempool"] == 1
    assert http.post("/playground/mine", content=b"[1]").status_code == 400


def test_outspend_reports_the_spender(playground, http):
    coin = funded_coin(playground, KEY, 90_000)
    spend = KEY.spend([coin], [TxOut(89_000, KEY.script)])
    playground.broadcast(spend)
    spent = http.get(f"/tx/{coin[0].txid_hex}/outspend/{coin[0].vout}").json()
    assert spent == {
        "spent": True,
        "txid": spend.txid_hex,
        "vin": 0,
        "status": {"confirmed": False},
    }
    playground.mine(1)
    spent = http.get(f"/tx/{coin[0].txid_hex}/outspend/{coin[0].vout}").json()
    assert spent["status"]["block_height"] == playground.height
    assert OutPoint.from_hex(spent["txid"], 0).txid == spend.txid()
