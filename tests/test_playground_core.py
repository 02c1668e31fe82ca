"""The playground speaks Bitcoin Core's REST and JSON-RPC, over real sockets.

Every RPC answer is checked against the shape Core documents for it. The fixtures below were
written by hand from the ``RPCResult`` help texts in bitcoin/bitcoin (the files named above each):
a key's type as the help text gives it (STR/STR_HEX -> "str", NUM -> "num", NUM_TIME -> "int",
STR_AMOUNT -> "amount", BOOL, ARR, OBJ), the keys marked ``optional=true`` kept apart.
"""

from __future__ import annotations

import json
from decimal import Decimal

import httpx
import pytest

from tests.playground_fixture import TestKey, funded_coin, start_playground
from wallet.bitcoin.bip158 import BlockFilter
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.transaction import Transaction, TxOut
from wallet.playground.core import BLOCKFILTER_OFF
from wallet.spv.merkle import Block

# -- shapes from Core's help texts ------------------------------------------------------------

# src/rpc/blockchain.cpp, getblockchaininfo (RPCResult)
BLOCKCHAININFO = {
    "required": {
        "chain": "str", "blocks": "num", "headers": "num", "bestblockhash": "str", "bits": "str",
        "target": "str", "difficulty": "num", "time": "int", "mediantime": "int",
        "verificationprogress": "num", "initialblockdownload": "bool", "chainwork": "str",
        "size_on_disk": "num", "pruned": "bool", "warnings": "arr",
    },
    "optional": {
        "pruneheight": "num", "automatic_pruning": "bool", "prune_target_size": "num",
        "signet_challenge": "str",
    },
}  # fmt: skip
# src/rpc/net.cpp, getnetworkinfo (RPCResult)
NETWORKINFO = {
    "required": {
        "version": "num", "subversion": "str", "protocolversion": "num", "localservices": "str",
        "localservicesnames": "arr", "localrelay": "bool", "timeoffset": "num",
        "networkactive": "bool", "connections": "num", "connections_in": "num",
        "connections_out": "num", "networks": "arr", "relayfee": "amount",
        "incrementalfee": "amount", "localaddresses": "arr", "warnings": "arr",
    },
    "optional": {},
}  # fmt: skip
NETWORK_ENTRY = {
    "required": {
        "name": "str", "limited": "bool", "reachable": "bool", "proxy": "str",
        "proxy_randomize_credentials": "bool",
    },
    "optional": {},
}  # fmt: skip
# src/rpc/blockchain.cpp, getblockheader "for verbose = true"
BLOCKHEADER = {
    "required": {
        "hash": "str", "confirmations": "num", "height": "num", "version": "num",
        "versionHex": "str", "merkleroot": "str", "time": "int", "mediantime": "int",
        "nonce": "num", "bits": "str", "difficulty": "num", "chainwork": "str", "nTx": "num",
    },
    "optional": {"previousblockhash": "str", "nextblockhash": "str"},
}  # fmt: skip
# src/rpc/blockchain.cpp, getblock "for verbosity = 1"
BLOCK_1 = {
    "required": {
        "hash": "str", "confirmations": "num", "size": "num", "strippedsize": "num",
        "weight": "num", "height": "num", "version": "num", "versionHex": "str",
        "merkleroot": "str", "tx": "arr", "time": "int", "mediantime": "int", "nonce": "num",
        "bits": "str", "difficulty": "num", "chainwork": "str", "nTx": "num",
    },
    "optional": {"previousblockhash": "str", "nextblockhash": "str"},
}  # fmt: skip
# src/rpc/rawtransaction.cpp, getrawtransaction "if verbosity is set to 1" (TxDoc) and
# src/core_write.cpp TxToUniv; blockhash/confirmations/time/blocktime only for confirmed ones
RAWTX_1 = {
    "required": {
        "txid": "str", "hash": "str", "size": "num", "vsize": "num", "weight": "num",
        "version": "num", "locktime": "int", "vin": "arr", "vout": "arr", "hex": "str",
    },
    "optional": {
        "in_active_chain": "bool", "blockhash": "str", "confirmations": "num", "time": "int",
        "blocktime": "int",
    },
}  # fmt: skip
VIN = {
    "required": {"sequence": "num"},
    "optional": {
        "coinbase": "str", "txid": "str", "vout": "num", "scriptSig": "obj",
        "txinwitness": "arr", "prevout": "obj",
    },
}  # fmt: skip
VOUT = {"required": {"value": "amount", "n": "num", "scriptPubKey": "obj"}, "optional": {}}
SCRIPTPUBKEY = {
    "required": {"asm": "str", "desc": "str", "hex": "str", "type": "str"},
    "optional": {"address": "str"},
}
# src/rpc/blockchain.cpp getblock_vin: prevout "(Only if undo information is available)"
PREVOUT = {
    "required": {"generated": "bool", "height": "num", "value": "amount", "scriptPubKey": "obj"},
    "optional": {},
}
# src/rpc/mempool.cpp, MempoolEntryDescription (bip125-replaceable only with -deprecatedrpc)
MEMPOOL_ENTRY = {
    "required": {
        "vsize": "num", "vsize_bip141": "num", "vsize_adjusted": "num", "weight": "num",
        "time": "int", "height": "num", "descendantcount": "num", "descendantsize": "num",
        "ancestorcount": "num", "ancestorsize": "num", "chunkweight": "num", "wtxid": "str",
        "fees": "obj", "depends": "arr", "spentby": "arr", "unbroadcast": "bool",
    },
    "optional": {"bip125-replaceable": "bool"},
}  # fmt: skip
MEMPOOL_FEES = {
    "required": {
        "base": "amount", "modified": "amount", "ancestor": "amount", "descendant": "amount",
        "chunk": "amount",
    },
    "optional": {},
}  # fmt: skip
# src/rpc/mempool.cpp, getmempoolinfo (fullrbf only with -deprecatedrpc=fullrbf)
MEMPOOLINFO = {
    "required": {
        "loaded": "bool", "size": "num", "bytes": "num", "usage": "num", "total_fee": "amount",
        "maxmempool": "num", "mempoolminfee": "amount", "minrelaytxfee": "amount",
        "incrementalrelayfee": "amount", "unbroadcastcount": "num", "permitbaremultisig": "bool",
        "maxdatacarriersize": "num", "limitclustercount": "num", "limitclustersize": "num",
        "optimal": "bool",
    },
    "optional": {"fullrbf": "bool"},
}  # fmt: skip
# src/rpc/fees.cpp, estimatesmartfee
SMARTFEE = {"required": {"blocks": "num"}, "optional": {"feerate": "amount", "errors": "arr"}}
# src/rpc/blockchain.cpp, getblockfilter
BLOCKFILTER = {"required": {"filter": "str", "header": "str"}, "optional": {}}
# src/rpc/mempool.cpp, gettxspendingprevout (Core 31: confirmed spends from -txospenderindex)
TXSPENDING = {
    "required": {"txid": "str", "vout": "num"},
    "optional": {"spendingtxid": "str", "spendingtx": "str", "blockhash": "str"},
}
# src/rpc/node.cpp, getindexinfo (one object per index, by name)
INDEXINFO = {"required": {"synced": "bool", "best_block_height": "num"}, "optional": {}}


def _kind(value) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, Decimal):
        return "num"
    if isinstance(value, str):
        return "str"
    if isinstance(value, list):
        return "arr"
    if isinstance(value, dict):
        return "obj"
    return type(value).__name__


def check_shape(obj: dict, shape: dict) -> None:
    keys = set(obj)
    required, optional = set(shape["required"]), set(shape["optional"])
    assert required <= keys, f"missing {sorted(required - keys)}"
    assert keys <= required | optional, f"undocumented {sorted(keys - required - optional)}"
    for key, value in obj.items():
        want = {**shape["required"], **shape["optional"]}[key]
        got = _kind(value)
        if want == "num":
            assert got in ("int", "num"), (key, value)
        elif want == "int":
            assert got == "int", (key, value)
        elif want == "amount":
            # Core's ValueFromAmount: a JSON number with exactly 8 decimals
            assert got == "num" and -value.as_tuple().exponent == 8, (key, value)
        else:
            assert got == want, (key, value)


# -- a playground and a client ----------------------------------------------------------------


@pytest.fixture(scope="module")
def pg(tmp_path_factory):
    pg = start_playground(
        tmp_path_factory.mktemp("core"), p2p_listeners=1, core_user="alice", core_password="pw"
    )
    try:
        yield pg
    finally:
        pg.stop()


class Rpc:
    def __init__(self, url: str, user: str, password: str) -> None:
        self.http = httpx.Client(base_url=url, auth=(user, password), timeout=20)
        self.last_status = 0
        self.last_text = ""

    def raw(self, body) -> httpx.Response:
        response = self.http.post("/", content=json.dumps(body).encode())
        self.last_status, self.last_text = response.status_code, response.text
        return response

    def call(self, method: str, *params, v2: bool = False):
        body = {"method": method, "params": list(params), "id": "t"}
        if v2:
            body["jsonrpc"] = "2.0"
        reply = json.loads(self.raw(body).text, parse_float=Decimal)
        if reply.get("error"):
            raise RpcFailed(reply["error"]["code"], reply["error"]["message"])
        return reply["result"]


class RpcFailed(Exception):
    def __init__(self, code, message):
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message


@pytest.fixture(scope="module")
def rpc(pg):
    user, password = pg.core.cookie_path.read_text().split(":")
    client = Rpc(pg.core_url, user, password)
    yield client
    client.http.close()


def rest(pg, path: str) -> httpx.Response:
    return httpx.get(pg.core_url + path, timeout=20)


# -- RPC shapes -------------------------------------------------------------------------------


def test_chain_and_network_info_have_cores_shapes(pg, rpc):
    info = rpc.call("getblockchaininfo")
    check_shape(info, BLOCKCHAININFO)
    assert info["chain"] == "regtest" and info["blocks"] == pg.height
    assert info["bestblockhash"] == pg.tip_hash == rpc.call("getbestblockhash")
    assert rpc.call("getblockcount") == pg.height
    # regtest: 2 hashes of work per block (bits 207fffff), genesis included
    assert int(info["chainwork"], 16) == 2 * (pg.height + 1)
    net = rpc.call("getnetworkinfo")
    check_shape(net, NETWORKINFO)
    for entry in net["networks"]:
        check_shape(entry, NETWORK_ENTRY)
    assert rpc.call("getzmqnotifications") == []


def test_headers_and_blocks_at_every_verbosity(pg, rpc):
    funded = pg.fund(pg.faucet_address, 40_000, confirm=True)
    tip = rpc.call("getbestblockhash")
    assert rpc.call("getblockhash", pg.height) == tip
    header = rpc.call("getblockheader", tip)
    check_shape(header, BLOCKHEADER)
    assert "nextblockhash" not in header and header["confirmations"] == 1
    raw_header = bytes.fromhex(rpc.call("getblockheader", tip, False))
    assert sha256d(raw_header)[::-1].hex() == tip
    prev = rpc.call("getblockheader", header["previousblockhash"])
    assert prev["nextblockhash"] == tip and prev["confirmations"] == 2

    raw = bytes.fromhex(rpc.call("getblock", tip, 0))
    block = Block.parse(raw)
    block.check_merkle_root()
    assert block.header.serialize() == raw_header
    one = rpc.call("getblock", tip)
    check_shape(one, BLOCK_1)
    assert one["tx"][1] == funded and one["nTx"] == 2 and one["size"] == len(raw)
    assert rpc.call("getblock", tip, True) == one  # verbose=true is verbosity 1
    for verbosity in (2, 3):
        full = rpc.call("getblock", tip, verbosity)
        check_shape({**full, "tx": []}, BLOCK_1)
        coinbase, spend = full["tx"]
        for tx in full["tx"]:
            check_shape(tx, {**RAWTX_1, "optional": {**RAWTX_1["optional"], "fee": "amount"}})
            for vin in tx["vin"]:
                check_shape(vin, VIN)
            for vout in tx["vout"]:
                check_shape(vout, VOUT)
                check_shape(vout["scriptPubKey"], SCRIPTPUBKEY)
        assert "fee" not in coinbase and "fee" in spend
        has_prevout = ["prevout" in vin for vin in spend["vin"]]
        assert all(has_prevout) if verbosity == 3 else not any(has_prevout)
        if verbosity == 3:
            check_shape(spend["vin"][0]["prevout"], PREVOUT)
            check_shape(spend["vin"][0]["prevout"]["scriptPubKey"], SCRIPTPUBKEY)


def test_raw_transactions_confirmed_and_in_the_mempool(pg, rpc):
    txid = pg.fund(pg.faucet_address, 30_000)
    raw = rpc.call("getrawtransaction", txid)
    assert Transaction.parse(bytes.fromhex(raw)).txid_hex == txid
    pooled = rpc.call("getrawtransaction", txid, True)
    check_shape(pooled, RAWTX_1)
    assert "blockhash" not in pooled and pooled["hex"] == raw
    entry = rpc.call("getmempoolentry", txid)
    check_shape(entry, MEMPOOL_ENTRY)
    check_shape(entry["fees"], MEMPOOL_FEES)
    assert txid in rpc.call("getrawmempool")
    verbose = rpc.call("getrawmempool", True)
    check_shape(verbose[txid], MEMPOOL_ENTRY)
    seq = rpc.call("getrawmempool", False, True)
    assert set(seq) == {"txids", "mempool_sequence"} and txid in seq["txids"]
    info = rpc.call("getmempoolinfo")
    check_shape(info, MEMPOOLINFO)
    assert info["size"] == len(seq["txids"])

    (block_hash,) = pg.mine(1)
    confirmed = rpc.call("getrawtransaction", txid, 1)
    check_shape(confirmed, RAWTX_1)
    assert confirmed["blockhash"] == block_hash and confirmed["confirmations"] == 1
    in_block = rpc.call("getrawtransaction", txid, 2, block_hash)
    assert in_block["in_active_chain"] is True and "fee" in in_block
    assert all("prevout" in vin for vin in in_block["vin"])
    with pytest.raises(RpcFailed) as err:
        rpc.call("getmempoolentry", txid)
    assert (err.value.code, err.value.message) == (-5, "Transaction not in mempool")


def test_core_31_indexes_and_spenders_of_outputs(pg, rpc):
    """Core 31's ``-txospenderindex``: getindexinfo lists it, and gettxspendingprevout answers
    a spend from the mempool (no block hash) or, once mined, from the index (with its block);
    an unspent output comes back as asked. ElectrumX 2 asks for both and Core >= 31.0."""
    assert rpc.call("getnetworkinfo")["version"] >= 310000
    indexes = rpc.call("getindexinfo")
    assert {"txindex", "txospenderindex"} <= set(indexes)
    for status in indexes.values():
        check_shape(status, INDEXINFO)
        assert status["synced"] is True and status["best_block_height"] == pg.height
    assert set(rpc.call("getindexinfo", "txospenderindex")) == {"txospenderindex"}

    key = TestKey(b"spender index")
    coin, value = funded_coin(pg, key, 50_000)
    other, _ = funded_coin(pg, key, 20_000)
    spend = key.spend([(coin, value)], [TxOut(value - 500, key.script)])
    pg.broadcast(spend.serialize().hex())
    asked = [{"txid": op.txid_hex, "vout": op.vout} for op in (coin, other)]
    pooled, unspent = rpc.call("gettxspendingprevout", asked)
    for answer in (pooled, unspent):
        check_shape(answer, TXSPENDING)
    assert pooled == {**asked[0], "spendingtxid": spend.txid_hex}
    assert unspent == asked[1]

    (block_hash,) = pg.mine(1)
    (mined,) = rpc.call("gettxspendingprevout", asked[:1], {"return_spending_tx": True})
    check_shape(mined, TXSPENDING)
    assert mined == {
        **asked[0],
        "spendingtxid": spend.txid_hex,
        "spendingtx": spend.serialize().hex(),
        "blockhash": block_hash,
    }
    # the mempool alone no longer knows it; options may also be passed by name
    assert rpc.call("gettxspendingprevout", asked[:1], {"mempool_only": True}) == asked[:1]
    named = rpc.raw(
        {"method": "gettxspendingprevout", "params": {"outputs": asked, "mempool_only": True},
         "id": 1}
    )  # fmt: skip
    assert json.loads(named.text)["result"] == asked


def test_fees_and_filters(pg, rpc):
    fee = rpc.call("estimatesmartfee", 6)
    check_shape(fee, SMARTFEE)
    assert fee["feerate"] >= Decimal("0.00001000")
    tip = rpc.call("getbestblockhash")
    got = rpc.call("getblockfilter", tip)
    check_shape(got, BLOCKFILTER)
    with pg.lock:
        record = pg.chain.tip
        spent = [o.script_pubkey for e in record.txs for o in e.prevouts]
    block = Block.parse(bytes.fromhex(rpc.call("getblock", tip, 0)))
    assert got["filter"] == BlockFilter.from_block(block, spent).data.hex()


@pytest.mark.parametrize(
    ("method", "params", "code", "message"),
    [
        ("nosuch", [], -32601, "Method not found"),
        ("getblockhash", ["x"], -3, "JSON value of type string is not of expected type number"),
        ("getblockhash", [10**6], -8, "Block height out of range"),
        ("getblockheader", ["00" * 32], -5, "Block not found"),
        ("getblockheader", ["zz"], -8, "hash must be of length 64 (not 2, for 'zz')"),
        ("getrawtransaction", ["11" * 32], -5, "No such mempool or blockchain transaction. "
         "Use gettransaction for wallet transactions."),
        ("getmempoolentry", ["11" * 32], -5, "Transaction not in mempool"),
        ("estimatesmartfee", [0], -8, "Invalid conf_target, must be between 1 and 1008"),
        ("sendrawtransaction", ["00"], -22,
         "TX decode failed. Make sure the tx has at least one input."),
        ("getblockfilter", ["00" * 32, "extended"], -5, "Unknown filtertype"),
        ("gettxspendingprevout", [[]], -8, "Invalid parameter, outputs are missing"),
        ("gettxspendingprevout", [[{"txid": "11" * 32, "vout": -1}]], -8,
         "Invalid parameter, vout cannot be negative"),
        ("gettxspendingprevout", [[{"txid": "11" * 32, "vout": 0, "n": 0}]], -3,
         "Unexpected key n"),
        ("gettxspendingprevout", [[{"txid": "11" * 32}]], -3, "Missing vout"),
        ("gettxspendingprevout", [[{"txid": "11" * 32, "vout": 0}], {"mempool_only": 1}], -3,
         "JSON value of type number for field mempool_only is not of expected type bool"),
    ],
)  # fmt: skip
def test_rpc_errors_have_cores_codes_and_statuses(rpc, method, params, code, message):
    with pytest.raises(RpcFailed) as err:
        rpc.call(method, *params)
    assert (err.value.code, err.value.message) == (code, message)
    # JSON-RPC 1.0: HTTP 404 for an unknown method, 500 for other errors (src/httprpc.cpp)
    assert rpc.last_status == (404 if code == -32601 else 500)
    with pytest.raises(RpcFailed):
        rpc.call(method, *params, v2=True)
    assert rpc.last_status == 200  # JSON-RPC 2.0 errors travel in a 200
    assert "result" not in json.loads(rpc.last_text)


def test_jsonrpc_versions_batches_and_named_arguments(pg, rpc):
    one = json.loads(rpc.raw({"method": "getblockcount", "id": 7}).text)
    assert one == {"result": pg.height, "error": None, "id": 7}
    two = json.loads(rpc.raw({"jsonrpc": "2.0", "method": "getblockcount", "id": 8}).text)
    assert two == {"jsonrpc": "2.0", "result": pg.height, "id": 8}
    assert rpc.raw({"jsonrpc": "2.0", "method": "getblockcount"}).status_code == 204
    batch = json.loads(
        rpc.raw([{"method": "getblockcount", "id": 1}, {"method": "nosuch", "id": 2}]).text
    )
    assert batch[0]["result"] == pg.height and batch[1]["error"]["code"] == -32601
    named = rpc.raw({"method": "getblockhash", "params": {"height": 0}, "id": 1})
    assert json.loads(named.text)["result"] == rpc.call("getblockhash", 0)
    bad = rpc.http.post("/", content=b"{nope")
    assert bad.status_code == 500 and json.loads(bad.text)["error"]["code"] == -32700


def test_authentication_by_cookie_and_by_password(pg):
    cookie = pg.core.cookie_path.read_text()
    assert cookie.startswith("__cookie__:") and len(cookie.split(":")[1]) == 64
    body = b'{"method":"getblockcount","id":1}'
    for user, password in (cookie.split(":"), ("alice", "pw")):
        assert httpx.post(pg.core_url, content=body, auth=(user, password)).status_code == 200
    wrong = httpx.post(pg.core_url, content=body, auth=("alice", "nope"))
    assert wrong.status_code == 401 and wrong.text == ""
    assert wrong.headers["www-authenticate"] == 'Basic realm="jsonrpc"'
    assert httpx.post(pg.core_url, content=body).status_code == 401
    got = httpx.get(pg.core_url + "/", auth=("alice", "pw"))
    assert got.status_code == 405


# -- REST -------------------------------------------------------------------------------------


def test_rest_headers_in_both_uri_forms(pg, rpc):
    genesis = rpc.call("getblockhash", 0)
    with pg.lock:
        expected = b"".join(b.header for b in pg.chain.blocks[:3])
    old = rest(pg, f"/rest/headers/3/{genesis}.bin")
    assert old.headers["content-type"] == "application/octet-stream" and old.content == expected
    new = rest(pg, f"/rest/headers/{genesis}.bin?count=3")
    assert new.content == expected
    assert rest(pg, f"/rest/headers/{genesis}.hex?count=3").text == expected.hex() + "\n"
    as_json = rest(pg, f"/rest/headers/{genesis}.json?count=2").json(parse_float=Decimal)
    assert len(as_json) == 2
    for item in as_json:
        check_shape(item, BLOCKHEADER)
    assert len(rest(pg, f"/rest/headers/{genesis}.bin").content) == 5 * 80  # count defaults to 5
    bad = rest(pg, f"/rest/headers/{genesis}.bin?count=2001")
    assert bad.status_code == 400
    assert bad.text == "Header count is invalid or out of acceptable range (1-2000): 2001\r\n"
    unknown = rest(pg, f"/rest/headers/{genesis}")
    assert unknown.status_code == 404
    assert unknown.text == "output format not found (available: .bin, .hex, .json)\r\n"


def test_rest_filters_blocks_tx_chaininfo_and_mempool(pg, rpc):
    from wallet.bitcoin.bip158 import filter_header

    genesis = rpc.call("getblockhash", 0)
    tip = rpc.call("getbestblockhash")
    height = rpc.call("getblockcount")
    headers = rest(pg, f"/rest/blockfilterheaders/basic/{genesis}.bin?count=2000").content
    assert len(headers) == 32 * (height + 1)
    old_form = rest(pg, f"/rest/blockfilterheaders/basic/3/{genesis}.json").json()
    assert old_form == [headers[i * 32 : i * 32 + 32][::-1].hex() for i in range(3)]
    prev = bytes(32)
    for h in range(height + 1):
        block_hash = rpc.call("getblockhash", h)
        got = rest(pg, f"/rest/blockfilter/basic/{block_hash}.bin").content
        # BlockFilter serialized: type 0, block hash, the filter as a vector
        assert got[0] == 0 and got[1:33][::-1].hex() == block_hash
        data = got[34:] if got[33] < 0xFD else got[36:]
        prev = filter_header(sha256d(data), prev, is_hash=True)
        assert prev == headers[h * 32 : h * 32 + 32]
    assert rest(pg, f"/rest/blockfilter/basic/{tip}.json").json() == {
        "filter": rpc.call("getblockfilter", tip)["filter"]
    }
    raw = rest(pg, f"/rest/block/{tip}.bin").content
    assert raw.hex() == rpc.call("getblock", tip, 0)
    assert rest(pg, f"/rest/block/{tip}.hex").text == raw.hex() + "\n"
    detailed = rest(pg, f"/rest/block/{tip}.json").json(parse_float=Decimal)
    assert detailed == rpc.call("getblock", tip, 3)
    brief = rest(pg, f"/rest/block/notxdetails/{tip}.json").json(parse_float=Decimal)
    assert brief == rpc.call("getblock", tip, 1)
    assert rest(pg, f"/rest/block/{'00' * 32}.bin").status_code == 404
    txid = brief["tx"][-1]
    assert rest(pg, f"/rest/tx/{txid}.hex").text.strip() == rpc.call("getrawtransaction", txid)
    assert rest(pg, f"/rest/tx/{txid}.json").json()["blockhash"] == tip
    assert rest(pg, f"/rest/blockhashbyheight/{height}.json").json() == {"blockhash": tip}
    assert rest(pg, f"/rest/blockhashbyheight/{height}.hex").text == tip + "\n"
    assert rest(pg, f"/rest/blockhashbyheight/{height + 1}.json").status_code == 404
    chaininfo = rest(pg, "/rest/chaininfo.json").json(parse_float=Decimal)
    check_shape(chaininfo, BLOCKCHAININFO)
    check_shape(rest(pg, "/rest/mempool/info.json").json(parse_float=Decimal), MEMPOOLINFO)
    assert isinstance(rest(pg, "/rest/mempool/contents.json").json(), dict)
    assert isinstance(rest(pg, "/rest/mempool/contents.json?verbose=false").json(), list)


def test_switches_rest_off_and_no_blockfilterindex(pg, rpc):
    tip = rpc.call("getbestblockhash")
    pg.core.configure(rest=False)
    try:
        off = rest(pg, "/rest/chaininfo.json")
        assert off.status_code == 404 and off.text == ""
        assert rpc.call("getblockcount") == pg.height  # RPC is not REST
    finally:
        pg.core.configure(rest=True)
    pg.core.configure(blockfilterindex=False)
    try:
        with pytest.raises(RpcFailed) as err:
            rpc.call("getblockfilter", tip)
        assert (err.value.code, err.value.message) == (-1, BLOCKFILTER_OFF)
        got = rest(pg, f"/rest/blockfilter/basic/{tip}.bin")
        assert got.status_code == 400
        assert got.text == "Index is not enabled for filtertype basic\r\n"
        assert rest(pg, f"/rest/blockfilterheaders/basic/{tip}.bin").status_code == 400
    finally:
        pg.core.configure(blockfilterindex=True)


def test_sendrawtransaction_accepts_rejects_and_mines(pg, rpc):
    from wallet.bitcoin.transaction import TxOut

    def build(fee_rate):
        with pg.lock:
            coins = pg._faucet_coins(25_000)
            out = [TxOut(25_000, pg.faucet.script_pubkey)]
            return pg.faucet.build(coins, out, fee_rate).serialize().hex()

    cheap = build(0.5)
    with pytest.raises(RpcFailed) as err:
        rpc.call("sendrawtransaction", cheap)
    assert err.value.code == -26 and err.value.message.startswith("min relay fee not met")
    raw = build(2.0)
    txid = rpc.call("sendrawtransaction", raw)
    assert txid == Transaction.parse(bytes.fromhex(raw)).txid_hex
    assert txid in rpc.call("getrawmempool")
    assert rpc.call("sendrawtransaction", raw) == txid  # already in the mempool: the txid again
    (block_hash,) = pg.mine(1)
    assert rpc.call("getrawtransaction", txid, True)["blockhash"] == block_hash
    with pytest.raises(RpcFailed) as err:
        rpc.call("sendrawtransaction", raw)
    assert (err.value.code, err.value.message) == (-27, "Transaction outputs already in utxo set")
