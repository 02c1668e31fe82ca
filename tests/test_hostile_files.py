"""Hostile files and replies (issue 13, item 7): JSON nested thousands deep, Unicode digits and
4,301-digit numbers from an Esplora server, a ``wallet.json`` with a wrong-typed field, and a
keystore demanding a slow KDF. Each gives the module's own error, one sentence, never a traceback.
Real files in tmp_path; real HTTP servers on 127.0.0.1; the CLI as a real process."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.scripted_http import GENESIS, GENESIS_HASH, ScriptedHTTP, routes
from wallet import bounded_json
from wallet.account.errors import KeystoreCorruptError, WalletFileError
from wallet.account.keystore import (
    KeystoreSecret,
    ScryptParams,
    decrypt_secret,
    encrypt_secret,
    parse_keystore,
)
from wallet.account.labels_bip329 import parse_labels
from wallet.account.wallet_file import WalletConfig
from wallet.backends import MalformedReply, ServerPool
from wallet.backends.servers import ServerListError, load_servers
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.networks import REGTEST
from wallet.errors import PaylightError
from wallet.payments.receipt import ReceiptFormatError, load_receipt
from wallet.spv.errors import MerkleProofError
from wallet.spv.merkle import ElectrumProof

DEEP = 5_000
ARRAY_BOMB = "[" * DEEP + "]" * DEEP
OBJECT_BOMB = '{"a":' * DEEP + "1" + "}" * DEEP
BIG_NUMBER = "9" * 4_301
WATCH = (
    "wpkh(tpubD6NzVbkrYhZ4XgiXtGrdW5XDAPFCL9h7we1vwNCpn8tGbBcgfVYjXyhWo4E1xkh56hjod1RhGjxbaTLV3X"
    "4FyWuejifB9jusQ46QzG87VKp/0/*)"
)


@pytest.mark.parametrize("bomb", [ARRAY_BOMB, OBJECT_BOMB], ids=["arrays", "objects"])
def test_deep_json_is_the_loaders_error_not_recursion(bomb):
    with pytest.raises(bounded_json.JSONInputError, match="nested deeper than 32 levels"):
        bounded_json.loads(bomb)
    assert isinstance(bounded_json.JSONInputError("x"), ValueError | PaylightError)
    # brackets inside strings are text, not nesting
    assert bounded_json.loads(json.dumps(["[" * DEEP])) == ["[" * DEEP]


def test_the_loader_refuses_size_big_numbers_and_nan():
    with pytest.raises(bounded_json.JSONInputError, match="larger than the 10 bytes"):
        bounded_json.loads("[" + "1," * 10 + "1]", max_bytes=10)
    with pytest.raises(bounded_json.JSONInputError, match="not valid JSON"):
        bounded_json.loads(BIG_NUMBER)
    with pytest.raises(bounded_json.JSONInputError, match="NaN"):
        bounded_json.loads('{"a": NaN}')
    with pytest.raises(bounded_json.JSONInputError, match="UTF-8"):
        bounded_json.loads(b"\xff[]")


@pytest.mark.parametrize("bomb", [ARRAY_BOMB, OBJECT_BOMB], ids=["arrays", "objects"])
def test_a_deep_label_line_is_an_error_on_its_line(bomb):
    good = json.dumps({"type": "tx", "ref": "ab" * 32, "label": "rent"})
    parsed = parse_labels(f"{good}\n{bomb}\n", REGTEST)
    assert [n for n, _ in parsed.records] == [1]
    assert [(e.line, "nested deeper" in e.message) for e in parsed.errors] == [(2, True)]


@pytest.mark.parametrize("bomb", [ARRAY_BOMB, OBJECT_BOMB], ids=["arrays", "objects"])
def test_a_deep_receipt_or_proof_is_a_format_error(bomb):
    with pytest.raises(ReceiptFormatError, match="nested deeper"):
        load_receipt(bomb if bomb.startswith("{") else "{" + bomb[1:])
    with pytest.raises(MerkleProofError, match="nested deeper"):
        ElectrumProof.from_json(bomb)


def test_a_deep_or_huge_servers_json_names_the_file(tmp_path):
    path = tmp_path / "servers.json"
    path.write_text('{"networks": {"regtest": ' + ARRAY_BOMB + "}}")
    with pytest.raises(ServerListError, match=f"{path} cannot be read: it is nested deeper"):
        load_servers(REGTEST, user_file=path)
    path.write_text('{"networks": {"regtest": ["' + "x" * (2 << 20) + '"]}}')
    with pytest.raises(ServerListError, match="larger than"):
        load_servers(REGTEST, user_file=path)


def test_cli_receipt_verify_and_label_import_of_a_bomb_end_in_one_sentence(tmp_path):
    bomb = tmp_path / "bomb.json"
    bomb.write_text(OBJECT_BOMB)
    env = dict(os.environ, PYTHONPATH=str(REPO), PAYLIGHT_HOME=str(tmp_path / "home"))
    code, _, err = _run_cli(["receipt", "verify", str(bomb)], env)
    assert code == 1 and err.count("\n") == 1 and "nested deeper than 32 levels" in err, err
    labels = tmp_path / "labels.jsonl"
    labels.write_text(ARRAY_BOMB + "\n")
    assert _run_cli(["restore", "--network", "regtest", "--watch", WATCH], env)[0] == 0
    code, _, err = _run_cli(["labels", "import", str(labels), "--network", "regtest"], env)
    assert code == 1 and "line 1: not a JSON object: it is nested deeper" in err, err


def _run_cli(argv: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    import subprocess

    done = subprocess.run(
        [sys.executable, "-m", "wallet.cli", *argv],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.returncode, done.stdout, done.stderr


# -- wallet.json ----------------------------------------------------------------------------------


def _config_doc(**changes) -> bytes:
    doc = {
        "format": "paylight-wallet",
        "version": 1,
        "network": "regtest",
        "kind": "watch_only",
        "descriptors": {"receive": WATCH, "change": None},
    }
    doc.update(changes)
    return json.dumps(doc).encode()


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"network": 5}, "network should be a name"),
        ({"network": ["regtest"]}, "network should be a name"),
        ({"network": None}, "network should be a name"),
        ({"gap_limit": True}, "gap limit"),
        ({"created_at": 1.5}, "created at is not a whole number"),
        ({"birth_height": "10"}, "birth height is not a whole number"),
        ({"master_fingerprint": 7}, "master fingerprint"),
        ({"descriptors": {"receive": 7}}, "receive descriptor is missing"),
    ],
)
def test_a_wallet_json_with_wrong_types_is_a_clear_error(tmp_path, changes, words):
    where = tmp_path / "wallet.json"
    with pytest.raises(WalletFileError, match=words):
        WalletConfig.from_json(_config_doc(**changes), where)
    assert WalletConfig.from_json(_config_doc(), where).network == "regtest"


def test_a_deep_wallet_json_is_damaged_not_a_crash(tmp_path):
    blob = _config_doc().replace(b'"kind"', b'"x": ' + ARRAY_BOMB.encode() + b', "kind"')
    with pytest.raises(WalletFileError, match=r"wallet\.json is damaged: it is nested deeper"):
        WalletConfig.from_json(blob, tmp_path / "wallet.json")


# -- the keystore's KDF ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "r", "p"),
    [(1 << 20, 8, 1), (1 << 17, 8, 16), (1 << 18, 8, 2), (1 << 14, 64, 16)],
)
def test_a_keystore_demanding_a_slow_kdf_is_refused_before_scrypt_runs(n, r, p):
    doc = json.loads(
        encrypt_secret(KeystoreSecret.from_xprv("xprv-x"), "pw", ScryptParams.insecure_for_tests())
    )
    doc["kdf"].update(n=n, r=r, p=p)
    blob = json.dumps(doc).encode()
    started = time.perf_counter()
    with pytest.raises(KeystoreCorruptError, match="times the default, at most 2"):
        parse_keystore(blob)
    with pytest.raises(KeystoreCorruptError):
        decrypt_secret(blob, "pw")
    assert time.perf_counter() - started < 0.5  # no scrypt ran (n=2**20 alone takes seconds)
    ScryptParams(1 << 18, 8, 1)  # twice the default cost is still accepted


def test_a_deep_keystore_is_damaged_not_a_crash():
    with pytest.raises(KeystoreCorruptError, match="nested deeper"):
        parse_keystore(ARRAY_BOMB.encode())


# -- Esplora replies with Unicode digits and huge numbers ----------------------------------------


def _block_one() -> tuple[bytes, str]:
    """A valid regtest block 1 header on top of genesis (regtest's target takes a few tries)."""
    for nonce in range(10_000):
        header = (
            (4).to_bytes(4, "little")
            + sha256d(GENESIS)
            + bytes(32)
            + (REGTEST.genesis_time + 600).to_bytes(4, "little")
            + REGTEST.genesis_bits.to_bytes(4, "little")
            + nonce.to_bytes(4, "little")
        )
        if int.from_bytes(sha256d(header), "little") < 0x7FFFFF << (8 * (0x20 - 3)):
            return header, sha256d(header)[::-1].hex()
    raise AssertionError("no nonce found")


@pytest.mark.parametrize("height", ["²", "١٢", BIG_NUMBER], ids=["superscript", "arabic", "4301"])
def test_an_esplora_tip_height_in_other_digits_is_a_malformed_reply(height):
    async def main():
        async with ScriptedHTTP(routes({"/blocks/tip/height": height})) as server:
            client = server.client()
            with pytest.raises(MalformedReply, match="tip height"):
                await client.get_headers(0, 1)
            await client.close()

    asyncio.run(asyncio.wait_for(main(), 20))


@pytest.mark.parametrize("key", ["²", "1" * 4_301, "١"], ids=["superscript", "4301", "arabic"])
def test_an_esplora_fee_table_with_other_digits_is_a_server_error(key):
    async def main():
        table = routes(
            {
                "/block-height/0": GENESIS_HASH,
                "/fee-estimates": json.dumps({key: 3.0, "2": 1.0}),
            }
        )
        async with ScriptedHTTP(table) as server:
            client = server.client(network=REGTEST)
            with pytest.raises(MalformedReply, match="fee target"):
                await client.estimate_fee(2)
            pool = ServerPool([server.client(network=REGTEST)])
            with pytest.raises(PaylightError, match="fee target"):
                await pool.estimate_fee(2)
            await pool.close()
            await client.close()

    asyncio.run(asyncio.wait_for(main(), 20))


def test_cli_headers_sync_against_a_server_sending_a_superscript_tip_height(tmp_path):
    """``paylight headers sync`` printed a ValueError traceback for a tip height of ``²``."""
    header, block_hash = _block_one()
    table = {
        "/block-height/0": GENESIS_HASH,
        f"/block/{GENESIS_HASH}/header": GENESIS.hex(),
        "/blocks/tip/hash": block_hash,
        f"/block/{block_hash}/header": header.hex(),
        f"/block/{block_hash}/status": {"in_best_chain": True, "height": 1},
        "/blocks/tip/height": "²",
    }

    async def main() -> tuple[int, str, str]:
        async with ScriptedHTTP(routes(table)) as server:
            env = dict(os.environ, PYTHONPATH=str(REPO), PAYLIGHT_HOME=str(tmp_path))
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "wallet.cli", "headers", "sync", "--network", "regtest",
                "--server", server.url, cwd=REPO, env=env,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )  # fmt: skip
            out, err = await proc.communicate()
            return proc.returncode or 0, out.decode(), err.decode()

    code, out, err = asyncio.run(asyncio.wait_for(main(), 60))
    assert "Traceback" not in err, err
    assert code == 1 and "tip height should be a number" in err, (code, out, err)


def test_shared_loader_is_used_by_every_outside_reader():
    """No module that reads outside JSON calls ``json.loads`` directly (one bounded reader)."""
    readers = [
        "wallet/account/keystore.py",
        "wallet/account/wallet_file.py",
        "wallet/account/labels_bip329.py",
        "wallet/backends/electrum.py",
        "wallet/backends/esplora.py",
        "wallet/backends/servers.py",
        "wallet/payments/receipt.py",
        "wallet/spv/merkle.py",
        "wallet/spv/store.py",
        "wallet/sync/tls_pins.py",
        "wallet/playground/electrum.py",
        "wallet/playground/esplora.py",
        "wallet/playground/core.py",
        "wallet/core/rest.py",
        "wallet/core/rpc.py",
    ]
    for name in readers:
        text = (REPO / name).read_text()
        assert "json.loads(" not in text.replace("bounded_json.loads(", ""), name
    assert Path(bounded_json.__file__).name == "bounded_json.py"


# -- found by the fuzz run (tests/fuzz/run.py) ---------------------------------------------------


@pytest.mark.parametrize("text", ["1e999999999", "1e99999", "9" * 5000, "{" * 10_000])
def test_an_absurd_fee_rate_is_a_fee_error_of_one_short_sentence(text):
    """'1e999999999' raised decimal.Overflow (a traceback in 'send --fee-rate'), '1e99999' built
    a 100,000-digit integer, and every message quoted the whole input."""
    from wallet.account.fees import FeeError, FeeRate

    with pytest.raises(FeeError) as info:
        FeeRate.from_sat_per_vb(text)
    assert len(str(info.value)) < 120


def test_a_receipt_text_is_bounded_and_decodes_in_pieces():
    """Base43 decoding went digit by digit, quadratic: 200,000 characters took 17 s here."""
    from wallet.payments.receipt import (
        MAX_RECEIPT_TEXT,
        TEXT_PREFIX,
        base43_decode,
        base43_encode,
    )

    with pytest.raises(ReceiptFormatError, match="more than the 600,000"):
        load_receipt(TEXT_PREFIX + "Z" * MAX_RECEIPT_TEXT)
    data = b"\0\0" + bytes(range(256)) * 100  # 25,600 bytes: about 38,000 characters
    assert base43_decode(base43_encode(data)) == data


# -- Bitcoin Core's REST and JSON-RPC replies (wallet/core, merged from main) -------------------


@pytest.mark.parametrize("bomb", [ARRAY_BOMB, OBJECT_BOMB], ids=["arrays", "objects"])
def test_a_deep_reply_from_bitcoin_core_is_core_misbehaved(bomb):
    """A node (or whatever answers on its port) replying with JSON nested 5,000 deep raised
    RecursionError from the JSON-RPC and REST clients."""
    from wallet.core.node import CoreMisbehaved, CoreNode
    from wallet.core.rest import CoreRest
    from wallet.core.rpc import CoreRpc

    async def main() -> None:
        table = {"/": bomb, "/rest/chaininfo.json": bomb}
        async with ScriptedHTTP(lambda method, path, body: table.get(path, "")) as server:
            port = int(server.url.rsplit(":", 1)[1].split("/")[0])
            node = CoreNode(REGTEST, "127.0.0.1", port, user="u", password="p")
            rpc, rest = CoreRpc(node, timeout=5), CoreRest(node, timeout=5)
            with pytest.raises(CoreMisbehaved):
                await rpc.call("getblockchaininfo")
            with pytest.raises(CoreMisbehaved):
                await rest.chaininfo()
            for client in (rpc, rest):
                await client.close()

    asyncio.run(asyncio.wait_for(main(), 20))


@pytest.mark.parametrize(
    ("reply", "call"),
    [
        ('{"result": null, "error": {"code": null}, "id": 1}', "raw_mempool"),
        ('{"result": null, "error": {"code": -5, "message": 7}, "id": 1}', "raw_mempool"),
        ('{"result": ["0"], "error": null, "id": 1}', "raw_mempool"),
        ('{"result": ["' + "zz" * 32 + '"], "error": null, "id": 1}', "raw_mempool"),
        ('{"result": "' + "zz" * 32 + '", "error": null, "id": 1}', "send_raw_transaction"),
    ],
)
def test_malformed_core_rpc_replies_are_core_misbehaved(reply, call):
    """Found by the fuzz run: a non-integer error code raised TypeError, a txid that is not hex
    ValueError, from CoreRpc."""
    from wallet.core.node import CoreMisbehaved, CoreNode
    from wallet.core.rpc import CoreRpc

    async def main() -> None:
        async with ScriptedHTTP(lambda method, path, body: reply) as server:
            port = int(server.url.rsplit(":", 1)[1].split("/")[0])
            rpc = CoreRpc(CoreNode(REGTEST, "127.0.0.1", port, user="u", password="p"))
            args = (b"\x00" * 60,) if call == "send_raw_transaction" else ()
            with pytest.raises(CoreMisbehaved):
                await getattr(rpc, call)(*args)
            await rpc.close()

    asyncio.run(asyncio.wait_for(main(), 20))
