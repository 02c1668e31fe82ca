"""Shared helpers for the light-node tests: a regtest header miner and a libbitcoinkernel judge.

Regtest's proof-of-work limit is 2**255, so a valid header takes about two hashes: the tests mine
their own chains, including ones broken on purpose, and ask Bitcoin Core's own consensus code
(py-bitcoinkernel) for its verdict on each header.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.networks import REGTEST
from wallet.spv.chain import ChainTip
from wallet.spv.pow import bits_to_target

REGTEST_BITS = 0x207FFFFF


def mine_header(
    prev_hash: bytes,
    time: int,
    bits: int = REGTEST_BITS,
    version: int = 0x20000000,
    merkle: bytes = b"\x11" * 32,
    valid_pow: bool = True,
) -> bytes:
    """One header whose hash meets its own bits (or, with ``valid_pow=False``, does not).

    Bits that stand for no target (negative, zero, overflowing) cannot be met: nonce 0 then.
    """
    target = bits_to_target(bits)
    head = version.to_bytes(4, "little", signed=True) + prev_hash + merkle
    tail = time.to_bytes(4, "little") + bits.to_bytes(4, "little")
    if target is None:
        return head + tail + bytes(4)
    for nonce in range(1 << 32):
        raw = head + tail + nonce.to_bytes(4, "little")
        if (int.from_bytes(sha256d(raw), "little") <= target) == valid_pow:
            return raw
    raise AssertionError("no nonce found")


def mine_chain(
    prev_hash: bytes,
    prev_time: int,
    count: int,
    *,
    step: int = 600,
    tag: int = 0,
    bits: int = REGTEST_BITS,
    version: int = 0x20000000,
) -> bytes:
    """``count`` linked regtest headers on top of ``prev_hash``; ``tag`` makes a distinct branch."""
    out = []
    t = prev_time
    for i in range(count):
        t += step
        merkle = sha256d(bytes([tag]) + i.to_bytes(4, "little"))
        raw = mine_header(prev_hash, t, bits, version, merkle)
        out.append(raw)
        prev_hash = sha256d(raw)
    return b"".join(out)


def regtest_genesis() -> ChainTip:
    return ChainTip.genesis(REGTEST)


_REASON = re.compile(r"Check(?:Block)?Header: ([0-9a-f]{64}), ([^,\s]+)")


class Kernel:
    """Bitcoin Core's header validation (libbitcoinkernel) for one chain, with reject reasons.

    ``process`` returns None when Core accepts the header, else Core's reject reason, read from
    the kernel's validation log (the C API only returns a coarse result code).
    """

    def __init__(self, chain_type_name: str, datadir: Path) -> None:
        pbk = pytest.importorskip("pbk")
        import pbk.capi.bindings as capi

        self._pbk, self._capi = pbk, capi
        self.messages: list[str] = []
        pbk.enable_log_category(pbk.LogCategory.VALIDATION)
        pbk.set_log_level_category(pbk.LogCategory.VALIDATION, pbk.LogLevel.DEBUG)
        self._log = pbk.LoggingConnection(self.messages.append)
        chain_type = getattr(pbk.ChainType, chain_type_name)
        self.chainman = pbk.load_chainman(datadir, chain_type)

    def process(self, raw: bytes) -> str | None:
        pbk = self._pbk
        self.messages.clear()
        state = pbk.BlockValidationState()
        rc = self._capi.btck_chainstate_manager_process_block_header(
            self.chainman, pbk.BlockHeader(raw), state
        )
        if rc == 0 and state.validation_mode == pbk.ValidationMode.VALID:
            return None
        block_hash = sha256d(raw)[::-1].hex()
        for line in self.messages:
            if f"header {block_hash} has prev block not found" in line:
                return "prev-blk-not-found"
            m = _REASON.search(line)
            if m and m.group(1) == block_hash:
                return m.group(2)
        return f"unknown ({state.block_validation_result.name})"

    @property
    def tip_height(self) -> int:
        return self.chainman.best_entry.height
