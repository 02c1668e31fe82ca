"""The BIP157 filter-header chain, driven by the real mainnet chain of blocks 0..99,999.

neutrino's file gives the real filter header of every block up to 99,999; the real blocks
0..438 give their filters. Checkpoints every 1,000 blocks come from the same real chain, as
``cfcheckpt`` would.
"""

from __future__ import annotations

import pytest

from tests.bip158_support import blk_records, neutrino_filter_headers
from tests.conftest import shared_path
from wallet.bitcoin.bip158 import BlockFilter
from wallet.bitcoin.transaction import OutPoint
from wallet.spv.filters import (
    CheckpointRange,
    FilterHeaderChain,
    FilterHeaderError,
    chain_headers,
    checkpoint_heights,
    locate_checkpoint_mismatch,
)
from wallet.spv.merkle import Block


@pytest.fixture(scope="module")
def real_headers():
    return neutrino_filter_headers()


@pytest.fixture(scope="module")
def real_filters():
    """Basic filters of the real mainnet blocks 0..438, built from the blocks."""
    coins: dict[OutPoint, bytes] = {}
    out = []
    path = shared_path("data/blocks/mainnet/bitcoinj/first-100k-blocks.dat")
    for raw in blk_records(path):
        block = Block.parse(raw)
        spent = []
        for tx in block.transactions:
            if not tx.is_coinbase():
                spent += [coins.pop(i.prevout) for i in tx.inputs]
            for vout, o in enumerate(tx.outputs):
                coins[OutPoint(tx.txid(), vout)] = o.script_pubkey
        out.append(BlockFilter.from_block(block, spent))
    return out


def _checkpoints(headers, interval=1000):
    return [headers[h] for h in range(interval, len(headers), interval)]


def test_the_whole_real_chain_agrees_with_its_checkpoints(real_headers):
    chain = FilterHeaderChain()
    chain.set_checkpoints(_checkpoints(real_headers))
    chain.adopt(0, real_headers)
    assert chain.tip_height == 99_999
    assert chain.header(54_321) == real_headers[54_321]
    assert len(chain.checkpoints) == 99


def test_a_changed_entry_at_a_checkpoint_is_refused(real_headers):
    changed = list(real_headers)
    changed[37_000] = bytes(32)
    chain = FilterHeaderChain()
    chain.set_checkpoints(_checkpoints(real_headers))
    with pytest.raises(FilterHeaderError) as err:
        chain.adopt(0, changed)
    assert err.value.height == 37_000
    # adopted before the checkpoints were known: learning them finds the same entry
    chain = FilterHeaderChain()
    chain.adopt(0, changed)
    with pytest.raises(FilterHeaderError) as err:
        chain.set_checkpoints(_checkpoints(real_headers))
    assert err.value.height == 37_000


def test_two_peers_checkpoint_lists_locate_the_changed_range(real_headers):
    honest = _checkpoints(real_headers)
    liar = list(honest)
    for i in range(41, len(liar)):  # a changed filter at 41,500 changes every later entry
        liar[i] = bytes([i]) * 32
    assert locate_checkpoint_mismatch(honest, liar) == CheckpointRange(41_001, 42_000)
    assert locate_checkpoint_mismatch(honest, honest) is None
    assert locate_checkpoint_mismatch(honest, honest[:50]) is None  # a peer further behind


def test_real_filters_link_to_the_real_headers(real_headers, real_filters):
    chain = FilterHeaderChain()
    chain.adopt(0, real_headers[:1000])
    for height, f in enumerate(real_filters):
        assert chain.check_filter(height, f.data) == f.hash()
    # a filter served for the wrong block, or altered, does not fit
    with pytest.raises(FilterHeaderError) as err:
        chain.check_filter(300, real_filters[301].data)
    assert err.value.height == 300
    altered = BlockFilter(real_filters[170].block_hash, real_filters[170].data[:-1] + b"\x00")
    with pytest.raises(FilterHeaderError):
        chain.check_filter(170, altered.data)


def test_cfheaders_ranges_from_real_filter_hashes_extend_the_chain(real_headers, real_filters):
    hashes = [f.hash() for f in real_filters]
    chain = FilterHeaderChain()
    # checkpoints every 100 blocks (the real values), so the 439 real filters cross four
    chain.set_checkpoints(_checkpoints(real_headers[:439], 100), interval=100)
    assert chain.extend(0, bytes(32), hashes[:200]) == 199
    assert chain.extend(200, real_headers[199], hashes[200:]) == 438
    assert chain.headers(0, 438) == real_headers[:439]


def test_a_changed_filter_hash_is_caught_at_the_next_checkpoint(real_headers, real_filters):
    hashes = [f.hash() for f in real_filters]
    hashes[250] = bytes(32)
    chain = FilterHeaderChain()
    chain.set_checkpoints(_checkpoints(real_headers[:439], 100), interval=100)
    with pytest.raises(FilterHeaderError) as err:
        chain.extend(0, bytes(32), hashes)
    assert err.value.height == 300
    assert chain.tip_height == -1  # nothing adopted
    # the range between checkpoints is found by comparing with the honest headers
    derived = chain_headers(bytes(32), hashes)
    first = next(h for h in range(439) if derived[h] != real_headers[h])
    assert first == 250


def test_a_range_must_start_from_the_accepted_header(real_headers, real_filters):
    hashes = [f.hash() for f in real_filters]
    chain = FilterHeaderChain()
    chain.extend(0, bytes(32), hashes[:100])
    with pytest.raises(FilterHeaderError) as err:
        chain.extend(100, bytes(32), hashes[100:200])
    assert err.value.height == 99
    with pytest.raises(FilterHeaderError):
        chain.extend(150, real_headers[149], hashes[150:200])  # a gap


def test_a_reorg_rewinds_and_replaces(real_headers, real_filters):
    hashes = [f.hash() for f in real_filters]
    chain = FilterHeaderChain()
    chain.extend(0, bytes(32), hashes[:300])
    chain.extend(250, real_headers[249], [bytes(32)] * 10)  # another branch from 250
    assert chain.tip_height == 259
    assert chain.header(249) == real_headers[249]
    assert chain.header(250) != real_headers[250]
    chain.rewind(200)
    assert chain.tip_height == 200


def test_a_chain_from_a_later_base(real_headers):
    chain = FilterHeaderChain(base_height=50_000, base_header=real_headers[50_000])
    chain.set_checkpoints(_checkpoints(real_headers))
    chain.adopt(50_001, real_headers[50_001:60_001])
    assert chain.tip_height == 60_000
    with pytest.raises(KeyError):
        chain.header(49_999)
    assert list(checkpoint_heights(50_001, 60_000)) == list(range(51_000, 60_001, 1000))


@pytest.mark.parametrize("changed", [0, 1, 37_123, 99_998, 99_999])
def test_the_first_held_header_a_sync_replaced_is_found(real_headers, changed):
    """What a sync reports for a new scan: the lowest held header no longer ours, whether
    replaced or rewound away, on the real chain; a restore puts the held ones back."""
    chain = FilterHeaderChain()
    chain.adopt(0, real_headers)
    held = chain.snapshot()
    assert chain.first_change(held) is None
    chain.extend(100_000, real_headers[-1], [bytes(32)])  # a new block: nothing held changed
    assert chain.first_change(held) is None
    other = list(real_headers)
    other[changed] = bytes(32)
    chain.rewind(changed - 1)
    chain.adopt(changed, other[changed:])
    assert chain.first_change(held) == changed
    chain.rewind(changed - 1)  # gone below the held tip counts too
    assert chain.first_change(held) == changed
    chain.restore(held)
    assert chain.tip_height == 99_999 and chain.header(changed) == real_headers[changed]
    assert chain.first_change(held) is None
