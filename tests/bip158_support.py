"""Real mainnet data for the compact-filter tests (no tests here): block records from Core's
blk files, and Neutrino's filter headers of the first 100,000 blocks."""

from __future__ import annotations

import bz2

from tests.conftest import shared_path


def blk_records(path):
    data = path.read_bytes()
    if path.suffix == ".bz2":
        data = bz2.decompress(data)
    pos = 0
    while pos + 8 <= len(data):
        assert data[pos : pos + 4] == bytes.fromhex("f9beb4d9")
        size = int.from_bytes(data[pos + 4 : pos + 8], "little")
        yield data[pos + 8 : pos + 8 + size]
        pos += 8 + size


def neutrino_filter_headers():
    """Neutrino's real mainnet basic filter headers 0..99,999 (internal byte order)."""
    raw = bz2.decompress(
        shared_path("vectors/bip158/neutrino_filter-headers-mainnet-1-100_000.bz2").read_bytes()
    )
    assert raw[:4] == bytes.fromhex("f9beb4d9") and raw[8:10] == b"\x00\x00"
    body = raw[10:]
    return [body[i : i + 32] for i in range(0, len(body), 32)]
