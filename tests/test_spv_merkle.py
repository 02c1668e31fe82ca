"""Merkle proofs against real blocks: Electrum/Esplora branches, Bitcoin Core's gettxoutproof,
whole-block roots, and the known attacks (64-byte transactions, duplicated nodes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import shared_path
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.serialize import encode_varint
from wallet.spv.errors import MerkleProofError
from wallet.spv.header import BlockHeader
from wallet.spv.merkle import (
    Block,
    ElectrumProof,
    MerkleBlock,
    merkle_branch,
    merkle_root,
    merkle_root_mutated,
    root_from_branch,
    tree_depth,
    txid_of,
    verify_branch,
    verify_esplora_proof,
)


def _blocks() -> list[Path]:
    base = shared_path("data/blocks")
    paths = [p for p in base.rglob("*") if p.suffix in (".raw", ".dat", ".bin")]
    keep = []
    for p in paths:
        if p.name.startswith(("compact", "merkle", "headers", "first-100k", "nbitcoin_blocks")):
            continue
        keep.append(p)
    return sorted(keep)


def test_every_real_block_gives_its_headers_merkle_root() -> None:
    checked = 0
    for path in _blocks():
        block = Block.parse(path.read_bytes())
        block.check_merkle_root()
        # branches computed from the block verify for first, middle and last transactions
        txids = block.txids()
        for i in {0, len(txids) // 2, len(txids) - 1}:
            branch = merkle_branch(txids, i)
            assert root_from_branch(txids[i], branch, i, len(txids)) == block.header.merkle_root
        checked += 1
    assert checked >= 25


def test_mutated_block_is_refused() -> None:
    """CVE-2012-2459: repeating the last transactions keeps the root but is a mutated block."""
    raw = shared_path("data/blocks/bcoin/block300025.raw").read_bytes()
    block = Block.parse(raw)
    txids = block.txids()
    assert len(txids) % 2 == 1
    assert merkle_root(txids + txids[-1:]) == merkle_root(txids)  # the root collides...
    root, mutated = merkle_root_mutated(txids + txids[-1:])
    assert mutated and root == block.header.merkle_root  # ...and Core's flag catches it
    assert merkle_root_mutated(txids) == (block.header.merkle_root, False)
    twice = Block(block.header, (*block.transactions, block.transactions[-1]))
    with pytest.raises(MerkleProofError, match="mutated"):
        twice.check_merkle_root()
    swapped = Block(
        block.header, (block.transactions[1], block.transactions[0], *block.transactions[2:])
    )
    with pytest.raises(MerkleProofError, match="not the header"):
        swapped.check_merkle_root()


def test_electrum_branches_from_real_blocks() -> None:
    path = shared_path(
        "data/merkle_proofs/derived/electrum_style_merkle_branches_from_real_blocks.json"
    )
    entries = json.loads(path.read_text())
    with_tx = 0
    for e in entries:
        proof = ElectrumProof.from_json(e["electrum_get_merkle"])
        header = bytes.fromhex(e["header_hex"])
        if e.get("tx_hex"):
            txid = proof.verify(bytes.fromhex(e["tx_hex"]), header, e["ntx"])
            assert txid[::-1].hex() == e["txid"]
            with_tx += 1
            # Esplora's merkle-proof has the same shape
            assert (
                verify_esplora_proof(
                    json.dumps(e["electrum_get_merkle"]), bytes.fromhex(e["tx_hex"]), header
                )
                == txid
            )
        leaf = bytes.fromhex(e["txid"])[::-1]
        assert root_from_branch(leaf, proof.branch, proof.pos, e["ntx"]) == header[36:68]
        if proof.branch:
            with pytest.raises(MerkleProofError):
                root_from_branch(leaf, proof.branch[:-1], proof.pos, e["ntx"])  # too short
            other = proof.pos ^ 1
            if other < e["ntx"]:
                assert root_from_branch(leaf, proof.branch, other) != header[36:68]
    assert len(entries) == 121 and with_tx > 20


def test_tbtc_real_proofs_with_headers() -> None:
    """Real Electrum-format proofs (mainnet and testnet3) with their header chains."""
    path = shared_path("data/merkle_proofs/tbtc-v2/tbtc-v2_typescript_test_data_proofs.json")
    checked = 0
    for r in json.loads(path.read_text())["records"]:
        if not r.get("headers_chain_hex") or not r.get("tx_merkle_branch"):
            continue
        chain = bytes.fromhex(r["headers_chain_hex"])
        header = chain[:80]  # the chain starts with the block that holds the transaction
        if r.get("coinbase_raw_tx") and r.get("coinbase_merkle_branch"):
            proof = ElectrumProof.from_json(r["coinbase_merkle_branch"])
            txid = proof.verify(bytes.fromhex(r["coinbase_raw_tx"]), header)
            assert txid[::-1].hex() == r["coinbase_txid"]
        tx_proof = ElectrumProof.from_json(r["tx_merkle_branch"])
        leaf = bytes.fromhex(r["tx_hash"])[::-1]
        assert root_from_branch(leaf, tx_proof.branch, tx_proof.pos) == header[36:68]
        bad = list(tx_proof.branch)
        bad[0] = bad[0][::-1]
        assert root_from_branch(leaf, bad, tx_proof.pos) != header[36:68]
        checked += 1
    assert checked >= 5


def test_core_gettxoutproof_files() -> None:
    base = shared_path("data/merkle_proofs/ckb_txoutproof")
    blocks = {
        830000: Block.parse(shared_path("data/blocks/mainnet/ckb/block_0830000.bin").read_bytes()),
        831332: Block.parse(shared_path("data/blocks/mainnet/ckb/block_0831332.bin").read_bytes()),
    }
    checked = 0
    for path in sorted(base.glob("txoutproof_*.bin")):
        height, _, positions = path.stem.removeprefix("txoutproof_").partition("-")
        block = blocks[int(height)]
        mb = MerkleBlock.parse(path.read_bytes())
        assert mb.header == block.header and mb.tx_count == len(block.transactions)
        matches = mb.verify()
        want = [int(p) for p in positions.split("_")]
        assert [pos for pos, _ in matches] == want
        for pos, txid in matches:
            assert txid == block.transactions[pos].txid()
            assert mb.proves(block.transactions[pos].serialize()) == pos
        other = next(i for i in range(len(block.transactions)) if i not in want)
        with pytest.raises(MerkleProofError, match="does not include"):
            mb.proves(block.transactions[other].serialize())
        checked += 1
    assert checked == 11
    mb = MerkleBlock.parse(shared_path("data/blocks/bcoin/merkle300025.raw").read_bytes())
    assert [p for p, _ in mb.verify()] == [396, 397]
    with pytest.raises(MerkleProofError, match="trailing"):
        MerkleBlock.parse(shared_path("data/blocks/bcoin/merkle300025-extended.raw").read_bytes())


def _serialize(mb: MerkleBlock) -> bytes:
    return (
        mb.header.serialize()
        + mb.tx_count.to_bytes(4, "little")
        + encode_varint(len(mb.hashes))
        + b"".join(mb.hashes)
        + encode_varint(len(mb.flags))
        + mb.flags
    )


def test_merkleblock_mutations_are_refused() -> None:
    raw = shared_path(
        "data/merkle_proofs/ckb_txoutproof/txoutproof_0831332-0_1_15_20_115_2019_2024.bin"
    ).read_bytes()
    mb = MerkleBlock.parse(raw)
    assert _serialize(mb) == raw
    cases = {
        "flipped hash": MerkleBlock(
            mb.header, mb.tx_count, (mb.hashes[0][:-1] + b"\0", *mb.hashes[1:]), mb.flags
        ),
        "extra hash": MerkleBlock(mb.header, mb.tx_count, (*mb.hashes, mb.hashes[-1]), mb.flags),
        "missing hash": MerkleBlock(mb.header, mb.tx_count, mb.hashes[:-1], mb.flags),
        "extra flag byte": MerkleBlock(mb.header, mb.tx_count, mb.hashes, mb.flags + b"\0"),
        "no flags": MerkleBlock(mb.header, mb.tx_count, mb.hashes, b""),
        "wrong count": MerkleBlock(mb.header, mb.tx_count // 2, mb.hashes, mb.flags),
        "zero count": MerkleBlock(mb.header, 0, mb.hashes, mb.flags),
        "huge count": MerkleBlock(mb.header, 16667, mb.hashes, mb.flags),
    }
    for name, bad in cases.items():
        with pytest.raises(MerkleProofError):
            bad.verify()
            pytest.fail(f"{name} was accepted")


def test_merkleblock_duplicate_subtree_mutation_check() -> None:
    """Core's CPartialMerkleTree refuses a node whose two children are equal (CVE-2012-2459):
    a 3-transaction block proven as if it had a 4th copy of the last one."""
    a, b, c = (sha256d(bytes([i])) for i in range(3))
    root3 = merkle_root([a, b, c])
    header = BlockHeader(1, b"\0" * 32, root3, 0, 0x207FFFFF, 0)
    # honest proof of c in a 3-tx block: flags walk root(1) -> left(0, hash) -> right(1) -> c(1)
    honest = MerkleBlock(header, 3, (sha256d(a + b), c), bytes([0b1101]))
    assert honest.verify() == [(2, c)]
    # the same tree claimed as 4 transactions with d == c: same root, refused as mutated
    forged = MerkleBlock(header, 4, (sha256d(a + b), c, c), bytes([0b11101]))
    with pytest.raises(MerkleProofError, match="identical"):
        forged.verify()


def test_64_byte_transaction_and_forged_positions() -> None:
    """Electrum's attack vectors: the 64-byte transaction of CVE-2017-12842 and the phantom
    leaf of CVE-2012-2459."""
    vectors = json.loads(
        shared_path(
            "data/merkle_proofs/electrum_tests/electrum_test_verifier_vectors.json"
        ).read_text()
    )["vectors"]
    tx64 = bytes.fromhex(vectors[0]["valid_64_byte_tx"])
    assert len(tx64) == 64
    with pytest.raises(MerkleProofError, match="64-byte"):
        txid_of(tx64)
    header = BlockHeader(1, b"\0" * 32, bytes.fromhex(vectors[0]["merkle_root"])[::-1], 0, 0, 0)
    branch = [bytes.fromhex(h)[::-1] for h in vectors[0]["merkle_branch"]]
    with pytest.raises(MerkleProofError, match="64-byte"):
        verify_branch(tx64, branch, 3, header)
    v = vectors[1]
    leaf = bytes.fromhex(v["txid"])[::-1]
    branch = [bytes.fromhex(h)[::-1] for h in v["merkle_branch"]]
    root = bytes.fromhex(v["merkle_root"])[::-1]
    assert root_from_branch(leaf, branch, 2) == root
    with pytest.raises(MerkleProofError, match="phantom leaf"):  # the attack, without the count
        root_from_branch(leaf, branch, 3)
    assert root_from_branch(leaf, branch, 2, tx_count=3) == root
    with pytest.raises(MerkleProofError, match="beyond"):
        root_from_branch(leaf, branch, 3, tx_count=3)
    with pytest.raises(MerkleProofError, match="forged"):
        root_from_branch(leaf, branch, 3, tx_count=4)
    with pytest.raises(MerkleProofError, match="does not fit"):
        root_from_branch(leaf, branch, 4)


def test_malformed_proofs_raise_our_error() -> None:
    for doc in (
        '{"merkle": [], "pos": 0}',
        '{"block_height": 1, "merkle": ["zz"], "pos": 0}',
        '{"block_height": 1, "merkle": ["00"], "pos": 0}',
        "not json",
        '{"block_height": 1, "merkle": [], "pos": -1}',
    ):
        with pytest.raises(MerkleProofError):
            ElectrumProof.from_json(doc)
    with pytest.raises(MerkleProofError):
        MerkleBlock.parse(b"\0" * 85)
    with pytest.raises(MerkleProofError):
        MerkleBlock.from_hex("abc")
    with pytest.raises(MerkleProofError):
        txid_of(b"\x01\x00")


def test_tree_depth() -> None:
    assert [tree_depth(n) for n in (1, 2, 3, 4, 5, 8, 9, 1851, 2355)] == [
        0,
        1,
        2,
        2,
        3,
        3,
        4,
        11,
        12,
    ]
