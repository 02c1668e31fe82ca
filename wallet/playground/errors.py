"""Errors of the playground: each names what was refused and why, in words a tester can act on."""

from __future__ import annotations

from wallet.errors import PaylightError


class PlaygroundError(PaylightError):
    """The playground cannot do what was asked (bad argument, not started, no funds...)."""


class BlockRejected(PlaygroundError):
    """Bitcoin Core's consensus engine refused a block; it is never served."""

    def __init__(self, block_hash: str, reason: str) -> None:
        self.block_hash = block_hash
        self.reason = reason
        super().__init__(f"the consensus engine refused block {block_hash}: {reason}")


class TxRejected(PlaygroundError):
    """The mempool refused a transaction; ``reason`` is Bitcoin Core's short reject string."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"transaction rejected: {reason}" + (f" ({detail})" if detail else ""))
