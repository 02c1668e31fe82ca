"""BIP158 filters and BIP157 filter headers of the playground's chain, as a full node keeps them.

Filters are built from each block and the outputs its inputs spend (which the chain index
keeps), once per block hash; a filter header depends on every block below it, and a block hash
names its ancestors, so headers are cached by block hash too and survive reorgs unchanged.
"""

from __future__ import annotations

from wallet.bitcoin.bip158 import basic_filter_elements, build_filter, filter_header
from wallet.bitcoin.hashes import sha256d
from wallet.playground.chain import BlockRecord, ChainIndex


class FilterIndex:
    def __init__(self, chain: ChainIndex) -> None:
        self.chain = chain
        self._filters: dict[bytes, bytes] = {}
        self._headers: dict[bytes, bytes] = {}

    def filter(self, record: BlockRecord) -> bytes:
        data = self._filters.get(record.hash)
        if data is None:
            txs = [e.tx for e in record.txs]
            spent = [o.script_pubkey for e in record.txs for o in e.prevouts]
            data = build_filter(record.hash, basic_filter_elements(txs, spent))
            self._filters[record.hash] = data
        return data

    def header(self, height: int) -> bytes:
        """The filter header of the active chain's block at ``height`` (zeros below genesis)."""
        if height < 0:
            return bytes(32)
        blocks = self.chain.blocks
        start = height
        while start >= 0 and blocks[start].hash not in self._headers:
            start -= 1
        prev = self._headers[blocks[start].hash] if start >= 0 else bytes(32)
        for h in range(start + 1, height + 1):
            prev = filter_header(sha256d(self.filter(blocks[h])), prev, is_hash=True)
            self._headers[blocks[h].hash] = prev
        return prev
