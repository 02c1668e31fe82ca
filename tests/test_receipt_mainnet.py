"""Receipts for real mainnet payments (block 830,000), verified against a header store built from
the real mainnet headers 824,544..830,592 on top of the hard-coded checkpoint at 824,543.

The Merkle branches are the Electrum-style ones in ../shared (computed from the real block by
another tool), positions are cross-checked with Bitcoin Core's ``gettxoutproof`` bytes, and the
headers come from the real header run, not from the block file.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import replace

import pytest

from tests.conftest import shared_path
from wallet.bitcoin.address import script_to_address
from wallet.bitcoin.errors import AddressError
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.transaction import Transaction
from wallet.payments.qr_render import make_qr
from wallet.payments.receipt import (
    TEXT_PREFIX,
    Receipt,
    base43_encode,
    make_receipt,
    receipt_qr_text,
    verify_receipt,
)
from wallet.spv.checkpoints import checkpoint_at
from wallet.spv.errors import MerkleProofError
from wallet.spv.merkle import (
    Block,
    CoinbaseProof,
    ElectrumProof,
    MerkleBlock,
    merkle_branch,
    root_from_branch,
)
from wallet.spv.store import HeaderStore

RUN_FIRST = 822_527
RUN_LAST = 830_592
BLOCK = 830_000
#: QR alphanumeric capacity of the largest code (version 40) at error correction M.
QR_ALNUM_CAPACITY_M = 3391


def _coinbase() -> CoinbaseProof:
    """Block 830,000's coinbase proof (its tree depth), from the real block."""
    block = Block.parse(shared_path("data/blocks/mainnet/ckb/block_0830000.bin").read_bytes())
    txids = block.txids()
    return CoinbaseProof(txids[0], tuple(merkle_branch(txids, 0)))


def _run() -> bytes:
    return shared_path("data/headers/mainnet/mainnet_headers_0822527_0830592.bin").read_bytes()


def _store(path, up_to: int = RUN_LAST) -> HeaderStore:
    cp = checkpoint_at("mainnet", 824_543)
    assert cp is not None and cp.self_contained
    store = HeaderStore(path, "mainnet", checkpoint=cp, fsync=False)
    run = _run()
    result = store.add_headers(run[(824_544 - RUN_FIRST) * 80 : (up_to - RUN_FIRST + 1) * 80])
    assert result.error is None and store.height == up_to
    return store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = _store(tmp_path_factory.mktemp("mainnet-headers"))
    yield s
    s.close()


def _paid_output(tx: Transaction) -> int:
    for i, out in enumerate(tx.outputs):
        try:
            script_to_address(out.script_pubkey, "mainnet")
        except AddressError:
            continue
        return i
    raise AssertionError("no output with an address")


def _proofs() -> list[dict]:
    path = "data/merkle_proofs/derived/electrum_style_merkle_branches_from_real_blocks.json"
    rows = json.loads(shared_path(path).read_text())
    return [r for r in rows if r["block_height"] == BLOCK]


def _receipt(row: dict) -> Receipt:
    raw = bytes.fromhex(row["tx_hex"])
    tx = Transaction.parse(raw)
    proof = ElectrumProof.from_json(row["electrum_get_merkle"])
    header = _run()[(BLOCK - RUN_FIRST) * 80 :][:80]
    assert header.hex() == row["header_hex"]
    return make_receipt(
        tx,
        network="mainnet",
        height=proof.block_height,
        header=header,
        position=proof.pos,
        branch=proof.branch,
        output_index=_paid_output(tx),
        coinbase=_coinbase(),
    )


def test_real_mainnet_receipts_verify(store) -> None:
    rows = _proofs()
    assert len(rows) == 5
    checked = 0
    for row in rows:
        receipt = _receipt(row)
        assert receipt.txid[::-1].hex() == row["txid"]
        verdict = verify_receipt(receipt, store)
        assert verdict.ok, verdict.reason
        assert verdict.confirmations == RUN_LAST - BLOCK + 1
        assert verify_receipt(receipt.to_text(), store).ok
        assert verify_receipt(receipt.to_json_text(), store).ok
        # Bitcoin Core's gettxoutproof for the same transaction puts it at the same position
        core = shared_path("data/merkle_proofs/ckb_txoutproof")
        core = core / f"txoutproof_0830000-{receipt.position}.bin"
        if core.exists():
            checked += 1
            assert MerkleBlock.parse(core.read_bytes()).proves(receipt.tx) == receipt.position
    assert checked == 3  # positions 0, 1 and 1,850 have Core proofs


def test_the_last_transaction_of_block_830000_cannot_be_moved_to_a_phantom_leaf(store) -> None:
    row = next(r for r in _proofs() if r["electrum_get_merkle"]["pos"] == r["ntx"] - 1)
    receipt = _receipt(row)
    assert row["ntx"] % 2 == 1  # 1,851 transactions: the last one is paired with itself
    phantom = replace(receipt, position=receipt.position + 1)
    with pytest.raises(MerkleProofError, match="phantom leaf"):
        root_from_branch(receipt.txid, receipt.branch, phantom.position)
    verdict = verify_receipt(Receipt.from_bytes(phantom.to_bytes()), store)
    assert verdict.failed_check == "merkle" and "phantom leaf" in verdict.reason


def test_every_byte_of_a_real_receipt_is_checked(store) -> None:
    receipt = _receipt(_proofs()[2])
    data = receipt.to_bytes()
    for i in range(len(data)):
        for mask in (0x01, 0xFF):
            changed = data[:i] + bytes([data[i] ^ mask]) + data[i + 1 :]
            verdict = verify_receipt(TEXT_PREFIX + base43_encode(changed), store)
            assert not verdict.ok, f"byte {i} ^ {mask:#x} was accepted"


def test_headers_beyond_the_tip_are_checked_by_proof_of_work(tmp_path) -> None:
    """A verifier synced only to the block: the receipt's later headers extend its chain, and
    each is valid by mainnet's rules; change any byte of them and the receipt is refused."""
    receipt = _receipt(_proofs()[1])
    run = _run()
    later = run[(BLOCK + 1 - RUN_FIRST) * 80 :][: 6 * 80]
    with_later = Receipt.from_bytes(receipt.to_bytes()[:-1] + b"\x06" + later)
    with _store(tmp_path / "short", up_to=BLOCK) as short:
        verdict = verify_receipt(with_later, short)
        assert verdict.ok, verdict.reason
        assert verdict.confirmations == 1 and verdict.headers_beyond_tip == 6
        data = with_later.to_bytes()
        start = len(data) - len(later)
        for i in range(start, len(data)):
            changed = data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1 :]
            verdict = verify_receipt(Receipt.from_bytes(changed), short)
            assert verdict.failed_check == "later_headers", (i - start, verdict.reason)


def test_a_block_beyond_the_synced_headers_says_to_sync(store) -> None:
    raw = shared_path("data/blocks/mainnet/ckb/block_0831332.bin").read_bytes()
    block = Block.parse(raw)
    block.check_merkle_root()
    pos = 15
    tx = block.transactions[pos]
    receipt = make_receipt(
        tx,
        network="mainnet",
        height=831_332,
        header=block.header,
        position=pos,
        branch=merkle_branch(block.txids(), pos),
        output_index=_paid_output(tx),
    )
    verdict = verify_receipt(receipt, store)
    assert verdict.failed_check == "chain"
    assert verdict.reason == (
        "block 831,332 in the receipt is not in this wallet's header chain — sync headers first "
        "or it was reorged away (the chain reaches block 830,592)"
    )
    assert [c.ok for c in verdict.checks if c.name in ("merkle", "output")] == [True, True]


def test_typical_payments_fit_one_qr_code() -> None:
    """Receipts for every 1- and 2-input payment in block 830,000 (branch of 11 hashes).

    The coinbase proof (what proves the tree's depth) costs the median receipt 326 bytes: 586
    -> 912 bytes, QR version 19 -> 25 at error correction M; over 98 % still fit one code."""
    block = Block.parse(shared_path("data/blocks/mainnet/ckb/block_0830000.bin").read_bytes())
    header = _run()[(BLOCK - RUN_FIRST) * 80 :][:80]
    assert sha256d(header) == block.header.hash()
    levels = [block.txids()]  # the whole tree once; make_receipt checks each branch
    coinbase = CoinbaseProof(levels[0][0], tuple(merkle_branch(levels[0], 0)))
    while len(levels[-1]) > 1:
        level = levels[-1] + levels[-1][-1:] * (len(levels[-1]) % 2)
        levels.append([sha256d(level[i] + level[i + 1]) for i in range(0, len(level), 2)])

    def branch(pos: int) -> list[bytes]:
        return [lv[min((pos >> k) ^ 1, len(lv) - 1)] for k, lv in enumerate(levels[:-1])]

    sizes: dict[int, list[Receipt]] = {1: [], 2: []}
    for pos, tx in enumerate(block.transactions[1:], start=1):
        if len(tx.inputs) not in sizes:
            continue
        try:
            index = _paid_output(tx)
        except AssertionError:
            continue
        receipt = make_receipt(
            tx,
            network="mainnet",
            height=BLOCK,
            header=header,
            position=pos,
            branch=branch(pos),
            output_index=index,
            coinbase=coinbase,
        )
        sizes[len(tx.inputs)].append(receipt)
    for inputs, receipts in sizes.items():
        receipts.sort(key=lambda r: len(r.to_bytes()))
        lengths = [len(r.to_text()) for r in receipts]
        fits = sum(n <= QR_ALNUM_CAPACITY_M for n in lengths) / len(lengths)
        assert fits > 0.98, (inputs, fits)
        median = receipts[len(receipts) // 2]
        symbol = make_qr(receipt_qr_text(median), uppercase=False)
        assert symbol.ec_level == "M" and symbol.version <= 25, (inputs, symbol.version)
        print(
            f"{inputs}-input payments: {len(receipts)}, median {len(median.to_bytes())} bytes "
            f"-> {len(median.to_text())} characters -> QR version {symbol.version} "
            f"({symbol.ec_level}); {fits:.1%} fit one QR code at M; median "
            f"{statistics.median(lengths)} characters"
        )
