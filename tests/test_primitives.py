"""The shared primitives: chain parameters, serialization reader, transaction model, headers."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import shared_path
from wallet.bitcoin.errors import BitcoinError, DecodeError, TransactionError
from wallet.bitcoin.hashes import hash160, sha256d, tagged_hash
from wallet.bitcoin.networks import NETWORKS, get_network
from wallet.bitcoin.serialize import ByteReader, encode_varint
from wallet.bitcoin.transaction import OutPoint, Transaction, TxIn, TxOut
from wallet.spv.header import BlockHeader
from wallet.spv.merkle import merkle_branch, merkle_root


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_genesis_header_hashes_to_genesis_hash(name):
    net = NETWORKS[name]
    header = BlockHeader(
        net.genesis_version,
        bytes(32),
        bytes.fromhex(net.genesis_merkle_root)[::-1],
        net.genesis_time,
        net.genesis_bits,
        net.genesis_nonce,
    )
    assert header.hash_hex == net.genesis_hash
    assert BlockHeader.parse(header.serialize()) == header


def test_first_real_mainnet_header_is_genesis():
    raw = shared_path("data/headers/mainnet/mainnet_headers_0000000_0010236.bin").read_bytes()[:80]
    assert BlockHeader.parse(raw).hash_hex == NETWORKS["mainnet"].genesis_hash


def test_unknown_network_names_the_choices():
    with pytest.raises(BitcoinError, match="mainnet, testnet3, testnet4, signet, regtest"):
        get_network("litecoin")
    assert get_network("testnet").name == "testnet3"


def test_known_hashes():
    assert sha256d(b"").hex() == "5df6e0e2761359d30a8275058e299fcc0381534545f55cf43e41983f5d4c9456"
    assert hash160(b"").hex() == "b472a266d0bd89c13706a4132ccfb16f7c3b9fcb"
    # BIP340 reference: tagged_hash("BIP0340/challenge", ...) prefix is sha256(tag) twice.
    assert tagged_hash("TapLeaf", b"").hex() != tagged_hash("TapBranch", b"").hex()


@given(st.integers(min_value=0, max_value=2**64 - 1))
def test_varint_round_trip(n):
    r = ByteReader(encode_varint(n))
    assert r.varint() == n
    assert r.at_end()


def test_reader_refuses_non_canonical_and_truncated():
    with pytest.raises(DecodeError, match="non-canonical"):
        ByteReader(b"\xfd\x10\x00").varint()
    with pytest.raises(DecodeError, match="unexpected end"):
        ByteReader(b"\xfe\x01").varint()
    with pytest.raises(DecodeError, match="cannot fit"):
        ByteReader(b"\xfe\xff\xff\xff\x00").count(41)


def _real_block_transactions(raw: bytes) -> tuple[BlockHeader, list[Transaction]]:
    r = ByteReader(raw, TransactionError)
    header = BlockHeader.parse(r.read(80))
    txs = [Transaction.read(r) for _ in range(r.count(60))]
    r.expect_end("block")
    return header, txs


def test_real_segwit_block_round_trips_and_gives_its_merkle_root():
    folder = shared_path("data/blocks")
    raw_files = sorted(
        p
        for p in folder.rglob("*.raw")
        if "compact" not in p.name and "merkle" not in p.name and "headers" not in p.name
    )
    assert raw_files
    checked = 0
    for path in raw_files:
        raw = path.read_bytes()
        try:
            header, txs = _real_block_transactions(raw)
        except TransactionError:
            continue  # not a single serialized block (other fixture formats live here too)
        assert merkle_root([t.txid() for t in txs]) == header.merkle_root, path.name
        rebuilt = (
            header.serialize() + encode_varint(len(txs)) + b"".join(t.serialize() for t in txs)
        )
        assert rebuilt == raw, path.name
        checked += 1
    assert checked >= 5


def test_merkle_branch_leads_to_root():
    leaves = [sha256d(bytes([i])) for i in range(7)]
    root = merkle_root(leaves)
    for i, leaf in enumerate(leaves):
        h = leaf
        for depth, sibling in enumerate(merkle_branch(leaves, i)):
            h = sha256d(sibling + h) if (i >> depth) & 1 else sha256d(h + sibling)
        assert h == root


tx_strategy = st.builds(
    Transaction,
    version=st.integers(min_value=-(2**31), max_value=2**31 - 1),
    inputs=st.lists(
        st.builds(
            TxIn,
            prevout=st.builds(
                OutPoint, st.binary(min_size=32, max_size=32), st.integers(0, 2**32 - 1)
            ),
            script_sig=st.binary(max_size=80),
            sequence=st.integers(0, 2**32 - 1),
            witness=st.lists(st.binary(max_size=80), max_size=3),
        ),
        min_size=1,
        max_size=4,
    ),
    outputs=st.lists(
        st.builds(TxOut, st.integers(0, 21_000_000 * 10**8), st.binary(max_size=60)), max_size=4
    ),
    locktime=st.integers(0, 2**32 - 1),
)


@given(tx_strategy)
def test_transaction_round_trip(tx):
    raw = tx.serialize()
    parsed = Transaction.parse(raw)
    assert parsed.serialize() == raw
    assert parsed.txid() == tx.txid()
    assert parsed.weight() == tx.weight()


@given(st.binary(max_size=300))
def test_garbage_raises_only_transaction_error(data):
    with contextlib.suppress(TransactionError):
        Transaction.parse(data)
