"""Every parser of outside input, fed random and mutated input (hypothesis), with depth and size
bombs: only the module's own error types may escape, each with a message (issue 13, acceptance).

Outside input is anything another party writes: PSBTs, transactions, payment URIs and QR texts,
BIP329 label files, receipts (JSON and compact text), Merkle proofs, server replies (Esplora
and Electrum, through the real clients over 127.0.0.1), servers.json, wallet.json, keystores,
tls-pins.json, descriptors, keys, addresses, mnemonics, header files, fee rates.

Each target is a seed corpus of valid inputs, mutated (bytes flipped, inserted, deleted,
duplicated, truncated; JSON subtrees replaced), plus unstructured input and bombs. The normal
run takes ``PAYLIGHT_FUZZ_EXAMPLES`` examples per target (default 40); ``tests/fuzz/run.py``
runs the same targets for minutes (CI: ``.ci/run``).
"""

from __future__ import annotations

import asyncio
import base64
import functools
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wallet.bitcoin.networks import MAINNET, REGTEST

EXAMPLES = int(os.environ.get("PAYLIGHT_FUZZ_EXAMPLES", "40"))
MNEMONIC = "abandon " * 11 + "about"


@dataclass(frozen=True)
class Target:
    """``parse(value)`` may raise only ``errors``; ``inputs`` draws the values."""

    parse: Callable[[Any], Any]
    inputs: st.SearchStrategy[Any]
    errors: tuple[type[BaseException], ...]


def check(target: Target, value: Any) -> None:
    """The property: the parser succeeds, or fails with one of its own errors and a message."""
    try:
        target.parse(value)
    except target.errors as exc:
        message = str(exc)
        assert message.strip(), f"{type(exc).__name__} without a message"
        assert len(message) < 4_000, f"a {len(message)}-character message: {message[:300]}"


# -- mutations and bombs ------------------------------------------------------------------------


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(0, 6))):
        if not data:
            data += draw(st.binary(min_size=1, max_size=8))
            continue
        at = draw(st.integers(0, len(data) - 1))
        op = draw(st.integers(0, 6))
        if op == 0:  # flip bits
            data[at] ^= draw(st.integers(1, 255))
        elif op == 1:  # insert
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif op == 2:  # delete a run
            del data[at : at + draw(st.integers(1, 32))]
        elif op == 3:  # truncate
            del data[at:]
        elif op == 4:  # duplicate a slice
            end = min(len(data), at + draw(st.integers(1, 64)))
            data[at:at] = data[at:end]
        elif op == 5:  # a huge compact-size count / length where a small one was
            data[at : at + 1] = draw(
                st.sampled_from([b"\xfd\xff\xff", b"\xfe\xff\xff\xff\xff", b"\xff" * 9])
            )
        else:  # a boundary byte
            data[at] = draw(st.sampled_from([0x00, 0x01, 0x7F, 0x80, 0xFC, 0xFF]))
    return bytes(data)


def bombs(text: bool = True) -> st.SearchStrategy[Any]:
    """Nesting thousands deep, and megabytes of one value."""
    nest = st.builds(
        lambda depth, kind: {
            "arrays": "[" * depth + "]" * depth,
            "objects": '{"a":' * depth + "0" + "}" * depth,
            "open": "[" * depth,
            "mixed": '[{"a":' * depth + "1" + "}]" * depth,
        }[kind],
        st.integers(33, 100_000),
        st.sampled_from(["arrays", "objects", "open", "mixed"]),
    )
    size = st.builds(
        lambda n, kind: {
            "string": '"' + "a" * n + '"',
            "number": "9" * n,
            "list": "[" + "0," * n + "0]",
            "text": "x" * n,
        }[kind],
        st.integers(4_000, 3_000_000),
        st.sampled_from(["string", "number", "list", "text"]),
    )
    strategy = nest | size
    return strategy if text else strategy.map(lambda s: s.encode())


def texts_from(seeds: list[str]) -> st.SearchStrategy[str]:
    """Seed texts mutated as UTF-8 bytes (decoded with replacement), random text, bombs."""
    raw = [s.encode() for s in seeds]
    return (
        mutated(raw).map(lambda b: b.decode("utf-8", "replace"))
        | st.text(max_size=200)
        | st.sampled_from(seeds)
        | bombs()
    )


def bytes_from(seeds: list[bytes]) -> st.SearchStrategy[bytes]:
    return mutated(seeds) | st.binary(max_size=300) | bombs(text=False)


JSON_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(["ab" * 32, "00" * 80, "regtest", "mainnet", "", "²", "1e999"])
)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=25,
)


@st.composite
def json_mutated(draw: st.DrawFn, seeds: list[Any]) -> Any:
    """A seed document with a few subtrees (or keys) replaced by random JSON values."""
    doc = json.loads(json.dumps(draw(st.sampled_from(seeds))))
    for _ in range(draw(st.integers(1, 4))):
        parent, key = _random_slot(draw, doc)
        if parent is None:
            doc = draw(JSON_VALUES)
        elif draw(st.booleans()) or not isinstance(parent, dict):
            parent[key] = draw(JSON_VALUES)
        else:
            parent.pop(key, None)
    return doc


def _random_slot(draw: st.DrawFn, doc: Any) -> tuple[Any, Any]:
    parent, key, node = None, None, doc
    while isinstance(node, dict | list) and node and draw(st.integers(0, 3)):
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        parent, key = node, draw(st.sampled_from(keys))
        node = node[key]
    return parent, key


def json_texts(seeds: list[Any]) -> st.SearchStrategy[str]:
    return json_mutated(seeds).map(json.dumps) | texts_from([json.dumps(s) for s in seeds])


# -- seeds ----------------------------------------------------------------------------------------


@functools.cache
def seeds() -> dict[str, Any]:
    """Valid inputs of every kind, built here from the project's own writers."""
    from wallet.account.keystore import KeystoreSecret, ScryptParams, encrypt_secret
    from wallet.account.setup import seed_descriptors
    from wallet.account.wallet_file import WalletConfig, WalletKind
    from wallet.bitcoin.address import script_to_address
    from wallet.bitcoin.hashes import hash160, sha256d
    from wallet.bitcoin.psbt import PSBT
    from wallet.bitcoin.script import p2wpkh_script
    from wallet.bitcoin.transaction import OutPoint, Transaction, TxIn, TxOut
    from wallet.payments.receipt import make_receipt, receipt_qr_text
    from wallet.spv.merkle import merkle_root

    script = p2wpkh_script(hash160(b"\x02" * 33))
    tx = Transaction(
        2,
        [TxIn(OutPoint(sha256d(b"a"), 1), witness=[b"\x30" * 71, b"\x02" * 33])],
        [TxOut(50_000, script), TxOut(1_000, b"\x6a\x04test")],
        0,
    )
    unsigned = Transaction(2, [TxIn(OutPoint(sha256d(b"a"), 1))], tx.outputs, 0)
    psbt = PSBT.from_transaction(unsigned)
    psbt.update_input(0, witness_utxo=TxOut(60_000, script))
    coinbase = sha256d(b"coinbase")
    stripped = Transaction(2, [TxIn(OutPoint(sha256d(b"a"), 1))], tx.outputs, 0)
    root = merkle_root([coinbase, stripped.txid()])
    header = _mined_header(root)
    receipt = make_receipt(
        stripped, network=REGTEST, height=5, header=header, position=1,
        branch=[coinbase], output_index=0, label="Order 7",
    )  # fmt: skip
    descriptors = seed_descriptors(MNEMONIC, "", REGTEST)
    address = script_to_address(script, "regtest")
    config = WalletConfig(
        "regtest", WalletKind.WATCH_ONLY, descriptors.receive, descriptors.change
    ).to_json()
    keystore = encrypt_secret(
        KeystoreSecret.from_mnemonic(MNEMONIC), "pw", ScryptParams.insecure_for_tests()
    )
    return {
        "tx": [tx.serialize(), unsigned.serialize()],
        "psbt": [psbt.serialize()],
        "header": [header],
        "receipt_json": [receipt.to_json()],
        "receipt_text": [receipt_qr_text(receipt)],
        "descriptor": [descriptors.receive, descriptors.change, f"pkh({'02' * 33})"],
        "address": [
            address,
            "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
            "1BoatSLRHtKNngkdXEeobR76b53LETtpyT",
        ],
        "uri": [
            f"bitcoin:{address}?amount=0.0015&label=Caf%C3%A9&message=Order%207",
            f"bitcoin:{address.upper()}?amount=1&lightning=lnbcrt1&pj=https://x.example/pj",
            "bitcoin:?sp=sp1qq&req-x=1",
        ],
        "labels": [
            json.dumps({"type": "tx", "ref": "ab" * 32, "label": "rent"}),
            json.dumps({"type": "addr", "ref": address, "label": "shop"}),
            json.dumps({"type": "output", "ref": "ab" * 32 + ":1", "spendable": False}),
        ],
        "proof": [{"block_height": 5, "merkle": ["ab" * 32, "cd" * 32], "pos": 2}],
        "servers": [{"networks": {"mainnet": ["ssl://electrum.example:50002",
                                              {"url": "https://esplora.example/api", "name": "e"}],
                                  "regtest": ["tcp://127.0.0.1:60401"]}}],
        "wallet_json": [json.loads(config)],
        "keystore": [json.loads(keystore)],
        "pins": [{"h.example:50002": "ab" * 32, "c.example:50002": "ca-verified"}],
        "mnemonic": [
            MNEMONIC,
            "legal winner thank year wave sausage worth useful legal winner thank yellow",
        ],
        "xpub": [descriptors.receive.split("]")[1].split("/")[0]],
        "fee_rate": ["2", "2.5", "0.001", "1e999999999", "1e99999", "-1", "NaN"],
        "qr_image": [_qr_png(f"bitcoin:{address}?amount=0.001")],
        "frames": _frames(psbt.serialize()),
        "signer_export": [
            descriptors.receive,
            descriptors.receive.split("(", 1)[1].split("/0/*")[0],  # [fp/84h/1h/0h]tpub...
            _ur_text(psbt.serialize()),
        ],
        "signature": _signatures(),
    }  # fmt: skip


def _frames(data: bytes) -> list[list[str]]:
    """The animated-code frames of ``data``: BC-UR fountain parts and BBQr parts."""
    from wallet.payments import bbqr
    from wallet.payments.ur.registry import psbt_to_ur
    from wallet.payments.ur.ur import UREncoder

    ur = list(UREncoder(psbt_to_ur(data), max_fragment_len=30).parts(12))
    return [ur, bbqr.split(data, "P", max_part_chars=80)]


def _ur_text(data: bytes) -> str:
    from wallet.payments.ur.registry import psbt_to_ur
    from wallet.payments.ur.ur import encode_single

    return encode_single(psbt_to_ur(data))


def _signatures() -> list[tuple[str, str]]:
    """(address, signature) pairs: a legacy BIP137 one and a BIP322 one, of MESSAGE."""
    from wallet.bitcoin import bip322
    from wallet.bitcoin.address import script_to_address
    from wallet.bitcoin.hashes import hash160, sha256
    from wallet.bitcoin.message import sign_message
    from wallet.bitcoin.script import p2pkh_script, p2wpkh_script
    from wallet.bitcoin.signing import public_key

    secret = sha256(b"fuzz message key")
    pub = public_key(secret)
    legacy = script_to_address(p2pkh_script(hash160(pub)), "regtest")
    segwit = script_to_address(p2wpkh_script(hash160(pub)), "regtest")
    return [
        (legacy, sign_message(secret, MESSAGE)),
        (segwit, bip322.sign(secret, segwit, MESSAGE, "regtest")),
    ]


MESSAGE = "Paylight fuzz message"


def _qr_png(text: str) -> bytes:
    from wallet.payments.qr_render import save_qr

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "qr.png"
        save_qr(text, path)
        return path.read_bytes()


def _mined_header(root: bytes) -> bytes:
    """A regtest header for ``root`` that meets regtest's proof-of-work target."""
    from wallet.bitcoin.hashes import sha256d

    for nonce in range(100_000):
        header = (
            (0x20000000).to_bytes(4, "little")
            + sha256d(b"previous")
            + root
            + (1_700_000_000).to_bytes(4, "little")
            + bytes.fromhex("ffff7f20")
            + nonce.to_bytes(4, "little")
        )
        if int.from_bytes(sha256d(header), "little") < 0x7FFFFF << (8 * 29):
            return header
    raise AssertionError("no nonce")


# -- the parsers --------------------------------------------------------------------------------


def _psbt(data: bytes) -> None:
    from wallet.account.psbt_amounts import input_amounts
    from wallet.payments.send import describe_psbt, import_psbt

    for form in (data, base64.b64encode(data).decode()):
        psbt = import_psbt(form)
        describe_psbt(psbt, REGTEST)  # what `paylight psbt show` does with it
        input_amounts(psbt)
        assert type(psbt).parse(psbt.serialize()).serialize() == psbt.serialize()


def _tx(data: bytes) -> None:
    from wallet.bitcoin.transaction import Transaction

    tx = Transaction.parse(data)
    assert Transaction.parse(tx.serialize()) == tx


def _uri(text: str) -> None:
    from wallet.payments.uri import parse_uri

    for network in (None, "regtest", "mainnet"):
        parse_uri(text, network)


def _labels(text: str) -> None:
    from wallet.account.labels_bip329 import parse_labels

    parsed = parse_labels(text, REGTEST)  # never raises: every issue has its line
    assert all(issue.message for issue in parsed.errors)


def _receipt(data: str | bytes) -> None:
    from wallet.payments.receipt import load_receipt

    load_receipt(data)


def _proof(value: Any) -> None:
    from wallet.spv.merkle import ElectrumProof

    ElectrumProof.from_json(value if isinstance(value, str) else json.dumps(value))
    if isinstance(value, dict):
        ElectrumProof.from_json(value)


def _schema_proof(value: Any) -> None:
    from wallet.backends.schema import as_merkle_proof

    as_merkle_proof(value)


def _in_file(name: str, reader: Callable[[Path], Any]) -> Callable[[str | bytes], Any]:
    def parse(content: str | bytes) -> Any:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / name
            path.write_bytes(content if isinstance(content, bytes) else content.encode())
            return reader(path)

    return parse


def _servers(path: Path) -> None:
    from wallet.backends.servers import load_servers

    for network in (MAINNET, REGTEST):
        load_servers(network, user_file=path, defaults_file=path)


def _wallet_json(path: Path) -> None:
    from wallet.account.wallet_file import WalletConfig

    WalletConfig.from_json(path.read_bytes(), path)


def _keystore(data: bytes) -> None:
    from wallet.account.keystore import decrypt_secret, parse_keystore

    parse_keystore(data)
    decrypt_secret(data, "pw")


def _pins(path: Path) -> None:
    from wallet.sync.tls_pins import PinFile

    pins = PinFile(path)
    pins.get("h.example:50002")


def _descriptor(text: str) -> None:
    from wallet.bitcoin.descriptors import parse_descriptor

    for network in ("regtest", "mainnet"):
        descriptor = parse_descriptor(text, network)
        for part in descriptor.split_multipath():
            part.address(0 if part.is_ranged else None)


def _keys_and_words(text: str) -> None:
    from wallet.bitcoin.address import parse_address
    from wallet.bitcoin.bip32 import ExtendedKey
    from wallet.bitcoin.bip39 import validate_mnemonic
    from wallet.bitcoin.errors import BitcoinError

    for parse in (
        lambda: parse_address(text, "mainnet"),
        lambda: parse_address(text, "regtest"),
        lambda: ExtendedKey.parse(text),
        lambda: validate_mnemonic(text),
    ):
        try:
            parse()
        except BitcoinError as exc:
            assert str(exc)


def _headers(data: bytes) -> None:
    from wallet.bitcoin.networks import REGTEST
    from wallet.spv.chain import ChainTip, chain_from_genesis, verify_headers
    from wallet.spv.header import BlockHeader

    if len(data) >= 80:
        BlockHeader.parse(data[:80])
    verify_headers(data, ChainTip.genesis(REGTEST))
    chain_from_genesis(data, REGTEST)


def _merkle_block(data: bytes) -> None:
    from wallet.spv.merkle import MerkleBlock

    MerkleBlock.parse(data)


def _qr(text: str) -> None:
    from wallet.payments.qr_payload import classify, qr_text

    classify(text)
    qr_text(text)


def _qr_image(path: Path) -> None:
    from wallet.payments.qr_decode import decode_file

    decode_file(path)


def _frames_in(frames: list[str]) -> None:
    from wallet.payments.animated_qr import AnimatedCollector

    collector = AnimatedCollector()
    for frame in frames:
        collector.feed(frame)  # never raises: a bad frame is counted and skipped
    collector.progress  # noqa: B018 (what the scanner shows)
    if collector.result is not None:
        _signer_export(collector.result)


def _signer_export(export: Any) -> None:
    from wallet.payments.signer_account import SignerAccountError, parse_signer_account

    try:
        parse_signer_account(export, REGTEST)
    except SignerAccountError as exc:
        assert str(exc)


def _signature(case: tuple[str, str]) -> None:
    from wallet.bitcoin import bip322
    from wallet.bitcoin.message import verify_message

    address, signature = case
    verify_message(address, signature, MESSAGE, "regtest")
    bip322.verify(address, MESSAGE, signature, "regtest")


@st.composite
def frame_lists(draw: st.DrawFn, seeds: list[list[str]]) -> list[str]:
    """A scan: frames of one code in any order, some repeated, some mutated or foreign."""
    frames = list(draw(st.sampled_from(seeds)))
    frames = draw(st.permutations(frames))
    out = []
    for frame in frames:
        roll = draw(st.integers(0, 9))
        if roll == 0:
            continue  # dropped
        if roll == 1:
            frame = draw(mutated([frame.encode()])).decode("utf-8", "replace")
        out.append(frame)
        if roll == 2:
            out.append(draw(st.text(max_size=60) | bombs()))
    return out


def _fee_rate(text: str) -> None:
    from wallet.payments.send import parse_fee_rate

    parse_fee_rate(text)


def _json(text: str) -> None:
    from wallet import bounded_json

    bounded_json.loads(text)


def _electrum_reply(value: Any) -> None:
    from wallet.backends import electrum, esplora
    from wallet.backends import schema as S

    def block(value: Any) -> bytes:  # as the client reads each block of GET /blocks
        return esplora._header_from_json(S.as_dict(value, "a block"))

    for parse in (electrum._tip, electrum._history, electrum._unspent, block):
        try:
            parse(value)
        except _schema_error() as exc:
            assert str(exc)


def _schema_error() -> type[BaseException]:
    from wallet.backends.schema import SchemaError

    return SchemaError


def _errors(*names: str) -> tuple[type[BaseException], ...]:
    """Error classes by dotted name, imported when the targets are built."""
    import importlib

    out = []
    for name in names:
        module, _, attr = name.rpartition(".")
        out.append(getattr(importlib.import_module(module), attr))
    return tuple(out)


@functools.cache
def targets() -> dict[str, Target]:
    s = seeds()
    json_docs = {
        k: json_texts(s[k]) for k in ("proof", "servers", "wallet_json", "keystore", "pins")
    }
    bitcoin = _errors("wallet.bitcoin.errors.BitcoinError")
    return {
        "psbt": Target(_psbt, bytes_from(s["psbt"]), bitcoin),
        "transaction": Target(_tx, bytes_from(s["tx"]), bitcoin),
        "uri": Target(_uri, texts_from(s["uri"]), _errors("wallet.payments.uri.UriError")),
        "bip329-labels": Target(_labels, texts_from(s["labels"]) | json_texts(
            [json.loads(line) for line in s["labels"]]), ()),
        "receipt-json": Target(_receipt, json_texts(s["receipt_json"]),
                               _errors("wallet.payments.receipt.ReceiptError")),
        "receipt-text": Target(_receipt, texts_from(s["receipt_text"]),
                               _errors("wallet.payments.receipt.ReceiptError")),
        "electrum-proof": Target(_proof, json_docs["proof"] | json_mutated(s["proof"]),
                                 _errors("wallet.spv.errors.MerkleProofError")),
        "schema-proof": Target(_schema_proof, json_mutated(s["proof"]) | JSON_VALUES,
                               _errors("wallet.backends.schema.SchemaError")),
        "servers.json": Target(_in_file("servers.json", _servers), json_docs["servers"],
                               _errors("wallet.backends.servers.ServerListError")),
        "wallet.json": Target(_in_file("wallet.json", _wallet_json), json_docs["wallet_json"],
                              _errors("wallet.account.errors.WalletFileError")),
        "keystore": Target(_keystore, json_docs["keystore"].map(str.encode) | bombs(text=False),
                           _errors("wallet.account.errors.KeystoreError")),
        "tls-pins.json": Target(_in_file("tls-pins.json", _pins), json_docs["pins"],
                                _errors("wallet.backends.electrum.PinStoreError")),
        "descriptor": Target(_descriptor, texts_from(s["descriptor"]), bitcoin),
        "keys-addresses-words": Target(
            _keys_and_words, texts_from(s["address"] + s["xpub"] + s["mnemonic"]), ()),
        "headers-file": Target(_headers, bytes_from(s["header"]) | st.binary(min_size=80,
                               max_size=800), bitcoin),
        "merkle-block": Target(_merkle_block, bytes_from([s["header"][0] + bytes(8)]), bitcoin),
        "qr-payload": Target(_qr, texts_from(s["uri"] + s["address"]), ()),
        "qr-image": Target(_in_file("qr.png", _qr_image), bytes_from(s["qr_image"]),
                           _errors("wallet.payments.qr_errors.QRError")),
        "animated-qr-frames": Target(_frames_in, frame_lists(s["frames"]), ()),
        "signer-export": Target(_signer_export, texts_from(s["signer_export"]), ()),
        "message-signature": Target(
            _signature,
            st.tuples(
                st.sampled_from([a for a, _ in s["signature"]]) | texts_from(s["address"]),
                texts_from([sig for _, sig in s["signature"]]),
            ),
            bitcoin,
        ),
        "fee-rate": Target(_fee_rate, texts_from(s["fee_rate"]),
                           _errors("wallet.account.fees.FeeError")),
        "bounded-json": Target(_json, json_texts(s["servers"] + s["proof"]),
                               _errors("wallet.bounded_json.JSONInputError")),
        "server-reply-shapes": Target(_electrum_reply, JSON_VALUES | json_mutated(
            [{"height": 3, "hex": "00" * 80}, [{"tx_hash": "ab" * 32, "height": 5}],
             [{"tx_hash": "ab" * 32, "tx_pos": 0, "value": 5, "height": 1}],
             {"version": 1, "merkle_root": "ab" * 32, "timestamp": 1, "bits": 1, "nonce": 1}]),
            ()),
    }  # fmt: skip


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("name", sorted(targets()))
@FUZZ
@given(data=st.data())
def test_a_parser_fails_only_with_its_own_errors(name, data):
    target = targets()[name]
    check(target, data.draw(target.inputs, label=name))


# -- server replies through the real clients ------------------------------------------------------


def _esplora_call(table: dict[str, Any]) -> None:
    """One request through the real Esplora client to a real HTTP server scripted with
    ``table``: only ServerError may come out."""
    from tests.scripted_http import ScriptedHTTP, routes
    from wallet.backends import ServerError

    async def main() -> None:
        async with ScriptedHTTP(routes(table)) as server:
            client = server.client(timeout=2.0, retries=0)
            for call in (
                lambda: client.get_tip(),
                lambda: client.get_headers(0, 3),
                lambda: client.fee_estimates(),
                lambda: client.get_history(b"\x11" * 32),
                lambda: client.get_merkle("ab" * 32, 5),
            ):
                try:
                    await call()
                except ServerError as exc:
                    assert str(exc)
            await client.close()

    asyncio.run(asyncio.wait_for(main(), 30))


ESPLORA_REPLIES = st.tuples(
    JSON_VALUES.map(json.dumps) | bombs() | st.text(max_size=50)
    | st.sampled_from(["²", "9" * 4301, "1" * 30, "-1", "ab" * 32]),
    st.sampled_from([
        "/blocks/tip/hash", "/blocks/tip/height", "/fee-estimates", "/blocks/0",
        f"/scripthash/{'11' * 32}/txs/chain", f"/tx/{'ab' * 32}/merkle-proof",
    ]),
)  # fmt: skip
CLIENTS = settings(
    max_examples=max(5, EXAMPLES // 4),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def esplora_reply(case: tuple[str, str]) -> None:
    reply, path = case
    _esplora_call({path: reply, "/blocks/tip/height": reply if "height" in path else "3"})


@CLIENTS
@given(ESPLORA_REPLIES)
def test_esplora_replies_through_the_real_client(case):
    esplora_reply(case)


def _electrum_call(method: str, reply: Any) -> None:
    """One request through the real Electrum client to a real server answering ``reply`` (a
    JSON result, or raw bytes for the whole line): only ServerError may come out."""
    from tests.scripted_electrum import Raw, ScriptedElectrum
    from wallet.backends import ServerError

    handler = (lambda p: Raw(reply)) if isinstance(reply, bytes) else (lambda p: reply)

    async def main() -> None:
        async with ScriptedElectrum({method: handler}) as server:
            client = server.client(timeout=2.0)
            call = {
                "blockchain.headers.subscribe": lambda: client.get_tip(),
                "blockchain.scripthash.get_history": lambda: client.get_history(b"\x11" * 32),
                "blockchain.scripthash.listunspent": lambda: client.list_unspent(b"\x11" * 32),
                "blockchain.transaction.get_merkle": lambda: client.get_merkle("ab" * 32, 5),
                "blockchain.estimatefee": lambda: client.estimate_fee(2),
                "blockchain.block.headers": lambda: client.get_headers(0, 3),
            }[method]
            try:
                await call()
            except ServerError as exc:
                assert str(exc)
            await client.close()

    asyncio.run(asyncio.wait_for(main(), 30))


ELECTRUM_REPLIES = st.tuples(
    st.sampled_from([
        "blockchain.headers.subscribe", "blockchain.scripthash.get_history",
        "blockchain.scripthash.listunspent", "blockchain.transaction.get_merkle",
        "blockchain.estimatefee", "blockchain.block.headers",
    ]),
    JSON_VALUES | json_mutated([
        {"height": 3, "hex": "00" * 80}, [{"tx_hash": "ab" * 32, "height": 5}],
        {"block_height": 5, "merkle": ["ab" * 32], "pos": 1},
        {"count": 1, "hex": "00" * 80, "max": 2016},
    ]) | bombs(text=False).map(lambda b: b[:2_000_000] + b"\n"),
)  # fmt: skip


def electrum_reply(case: tuple[str, Any]) -> None:
    _electrum_call(*case)


@CLIENTS
@given(ELECTRUM_REPLIES)
def test_electrum_replies_through_the_real_client(case):
    electrum_reply(case)


def _core_call(reply: Any) -> None:
    """Bitcoin Core's JSON-RPC and REST clients against a real HTTP server answering ``reply``
    (JSON text, or raw bytes for REST's binary endpoints): only CoreError may come out."""
    from tests.scripted_http import ScriptedHTTP
    from wallet.bitcoin.networks import REGTEST
    from wallet.core.node import CoreError, CoreNode
    from wallet.core.rest import CoreRest
    from wallet.core.rpc import CoreRpc

    async def main() -> None:
        async with ScriptedHTTP(lambda method, path, body: reply) as server:
            port = int(server.url.rsplit(":", 1)[1].split("/")[0])
            node = CoreNode(REGTEST, "127.0.0.1", port, user="u", password="p")
            rpc, rest = CoreRpc(node, timeout=5), CoreRest(node, timeout=5)
            for call in (
                lambda: rpc.estimate_smart_fee(2),
                lambda: rpc.mempool_entry(b"\x11" * 32),
                lambda: rpc.raw_mempool(),
                lambda: rpc.send_raw_transaction(b"\x00" * 60),
                lambda: rest.chaininfo(),
                lambda: rest.headers(b"\x11" * 32, 3),
                lambda: rest.block_filter(b"\x11" * 32),
                lambda: rest.block(b"\x11" * 32),
            ):
                try:
                    await call()
                except CoreError as exc:
                    assert str(exc)
            for client in (rpc, rest):
                await client.close()

    asyncio.run(asyncio.wait_for(main(), 60))


CORE_REPLIES = (
    json_mutated([
        {"result": {"feerate": 0.0001, "blocks": 2}, "error": None, "id": 1},
        {"result": ["ab" * 32], "error": None, "id": 1},
        {"result": None, "error": {"code": -5, "message": "not found"}, "id": 1},
        {"chain": "regtest", "blocks": 3, "bestblockhash": "ab" * 32},
    ]).map(json.dumps)
    | bombs()
    | st.binary(max_size=400)
)  # fmt: skip


def core_reply(reply: Any) -> None:
    _core_call(reply)


@CLIENTS
@given(CORE_REPLIES)
def test_bitcoin_core_replies_through_the_real_clients(reply):
    core_reply(reply)
