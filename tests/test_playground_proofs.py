"""The playground's proofs against independent references: Bitcoin Core's ``gettxoutproof``
bytes for real mainnet blocks, the Electrum protocol's own ``cp_height`` and status examples."""

from __future__ import annotations

import pytest

from tests.conftest import shared_path
from wallet.playground.chain import parse_block
from wallet.playground.ledger import HistoryItem, Ledger
from wallet.playground.proofs import header_proof, merkle_block
from wallet.spv.merkle import MerkleBlock


@pytest.mark.parametrize("positions", [[0], [1], [10], [100], [1000], [1850]])
def test_merkle_block_matches_bitcoin_core_block_830000(positions):
    raw = shared_path("data", "blocks", "mainnet", "ckb", "block_0830000.bin").read_bytes()
    name = "txoutproof_0830000-" + "_".join(map(str, positions)) + ".bin"
    expected = shared_path("data", "merkle_proofs", "ckb_txoutproof", name).read_bytes()
    header, txs = parse_block(raw)
    txids = [tx.txid() for tx, _ in txs]
    ours = merkle_block(header, txids, set(positions))
    assert ours == expected
    assert MerkleBlock.parse(ours).verify() == [(p, txids[p]) for p in positions]


def test_merkle_block_with_many_matches_matches_bitcoin_core():
    raw = shared_path("data", "blocks", "mainnet", "ckb", "block_0831332.bin").read_bytes()
    positions = [0, 1, 15, 20, 115, 2019, 2024]
    name = "txoutproof_0831332-" + "_".join(map(str, positions)) + ".bin"
    expected = shared_path("data", "merkle_proofs", "ckb_txoutproof", name).read_bytes()
    header, txs = parse_block(raw)
    assert merkle_block(header, [tx.txid() for tx, _ in txs], set(positions)) == expected


def test_header_proof_matches_the_protocol_example():
    """protocol-methods.rst: blockchain.block.header(5, cp_height=8) on the Bitcoin chain."""
    raw = shared_path(
        "data", "headers", "mainnet", "mainnet_headers_0000000_0010236.bin"
    ).read_bytes()
    from wallet.bitcoin.hashes import sha256d

    hashes = [sha256d(raw[80 * h : 80 * h + 80]) for h in range(9)]
    branch, root = header_proof(hashes, 5)
    assert [b[::-1].hex() for b in branch] == [
        "000000004ebadb55ee9096c9a2f8880e09da59c0d68b1c228da88e48844a1485",
        "96cbbc84783888e4cc971ae8acf86dd3c1a419370336bb3c634c97695a8c5ac9",
        "965ac94082cebbcffe458075651e9cc33ce703ab0115c72d9e8b1a9906b2b636",
        "89e5daa6950b895190716dd26054432b564ccdc2868188ba1da76de8e1dc7591",
    ]
    assert root[::-1].hex() == "e347b1c43fd9b5415bf0d92708db8284b78daf4d0e24f9c3405f45feb85e25db"


def test_status_hash_matches_the_protocol_example():
    """protocol-basics.rst "Status Example": three confirmed and three mempool transactions."""

    def item(txid: str, height: int) -> HistoryItem:
        return HistoryItem(bytes.fromhex(txid)[::-1], height)

    history = [
        item("a6c9c361bd0bc536d6a22648efbf8f9b200e425ef6c3a7a9669dc444c532a347", 2472),
        item("9c42f84b2fcdaff676ba25d9d4941741cc0d1a01cce0c23fdc4c0b2afa38431c", 2473),
        item("770f2d4371b3fabb902dd9a103e2dd005fcd3971181078fca4a2a1d6ff127b30", 2473),
        item("80b19848aed792565ab7c5a79b7c2a00fbf985741579396ebe0ab6098e607311", 0),
        item("e02a1dadfa83b996b24175df807b271ea5d02937ef5b35c195fac1e1bdc3198f", 0),
        item("bb4c8ab438c13b89ca80d1d5bee25b0b6b7f55673f4d801998ba97db161d9e85", -1),
    ]
    expected = "78e96c6562cafa71c115503b9411fdfdc595a45031e2ab76ff75162fe1b0590d"
    assert Ledger.status(history) == expected
    assert Ledger.status([]) is None
