"""How often libbitcoinkernel checks its whole block index: a setting its C API leaves out.

Bitcoin Core runs ``CheckBlockIndex`` after every block it processes on regtest
(``-checkblockindex`` defaults to 1 there). The check walks every entry of the block index, so a
chain of height ``h`` costs ``O(h)`` per block and mining slowed with height: 92 % of the time
at 40,000 blocks. Core's own remedy is ``-checkblockindex=N`` (check on one call in N, chosen at
random), but ``ChainstateManager::Options::check_block_index`` has no setter in the kernel's C
API (v31.99; py-bitcoinkernel 0.1.0a5 exposes only worker threads, wipes and in-memory
databases).

So :func:`set_check_block_index` writes the option into the C++ options object before the
chainstate manager is built from it. It does so only after recognising the object's layout
(libstdc++ on 64-bit Linux: a ``std::mutex``, then ``ChainstateManagerOpts`` starting
``chainparams&``, ``fs::path datadir``, ``std::optional<int32_t> check_block_index``) by three
independent facts: the mutex is unlocked, the chain parameters begin with regtest's genesis
hash, and the path holds the data directory just given. Any other build or platform fails one of
them and keeps Core's default (a check on every call): slower, never wrong.
"""

from __future__ import annotations

import ctypes

import pbk

#: Offsets in ``ChainstateManagerOptions`` (bitcoinkernel.cpp) on x86-64/arm64 libstdc++.
_MUTEX_END = 40
_CHAINPARAMS = 40
_DATADIR_PTR = 48
_DATADIR_LEN = 56
_CHECK_VALUE = 88
_CHECK_ENGAGED = 92
_OPTIONAL_END = 96
_DATADIR_CAPACITY = 64


def set_check_block_index(
    options: pbk.ChainstateManagerOptions, datadir: str, genesis_hash: bytes, one_in: int
) -> bool:
    """Make the chainstate manager built from ``options`` check its block index on one call in
    ``one_in`` (0: never). True if set; False if the layout is not recognised (nothing written).

    ``datadir`` is the data directory ``options`` was made with, ``genesis_hash`` the network's
    genesis hash in internal byte order.
    """
    if not 0 <= one_in < 2**31:
        raise ValueError("one_in must be between 0 and 2**31 - 1")
    base = ctypes.cast(options._as_parameter_, ctypes.c_void_p).value
    if not base:
        return False
    head = ctypes.string_at(base, _OPTIONAL_END)
    word = lambda offset: int.from_bytes(head[offset : offset + 8], "little")  # noqa: E731
    path = datadir.encode()
    params, text, length = word(_CHAINPARAMS), word(_DATADIR_PTR), word(_DATADIR_LEN)
    if (
        head[:_MUTEX_END] != bytes(_MUTEX_END)
        or head[_CHECK_VALUE:_OPTIONAL_END] != bytes(_OPTIONAL_END - _CHECK_VALUE)
        or length != len(path)
        or (text != base + _DATADIR_CAPACITY and word(_DATADIR_CAPACITY) < length)  # not SSO
        or not (_heap_pointer(params) and _heap_pointer(text))
    ):
        return False  # checked before following any pointer
    if ctypes.string_at(text, length) != path or ctypes.string_at(params, 32) != genesis_hash:
        return False
    ctypes.c_int32.from_address(base + _CHECK_VALUE).value = one_in
    ctypes.c_uint8.from_address(base + _CHECK_ENGAGED).value = 1
    return True


def _heap_pointer(word: int) -> bool:
    """A 16-byte aligned user-space address, as malloc returns (a pointer could be here)."""
    return 0x10000 <= word < 1 << 47 and word % 16 == 0
