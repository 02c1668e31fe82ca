"""What the sync engine tells its listeners (GUI, CLI, payment tracker) while it works.

Three kinds of event, all immutable and safe to hand to another thread:

* :class:`SyncStatus` — progress for a status bar (phase, header height, proofs checked);
* :class:`TxEvent` — one wallet transaction changed state (new, mined, verified, reorged out,
  replaced); ``old``/``new`` are :class:`~wallet.account.database.TxState` or None for
  "not in the wallet";
* :class:`ServerEvent` — a server connected, was dropped (with the reason), or disagreed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from wallet.account.update import TxChange

log = logging.getLogger(__name__)

#: The phases of :class:`SyncStatus`, in the order a sync goes through them.
PHASES = ("connecting", "headers", "history", "proofs", "idle", "offline")


@dataclass(frozen=True)
class SyncStatus:
    """Where the engine is; ``text()`` is one status-bar line."""

    phase: str = "connecting"
    header_height: int | None = None
    header_target: int | None = None
    proofs_verified: int = 0
    proofs_total: int = 0
    servers_active: int = 0
    message: str = ""

    def __post_init__(self) -> None:
        if self.phase not in PHASES:
            raise ValueError(f"unknown sync phase {self.phase!r}; one of {PHASES}")

    def text(self) -> str:
        """One line for a status bar: the message when there is one, else the figures."""
        if self.message:
            return self.message
        if self.phase == "offline":
            return "Offline: no server is reachable"
        parts = []
        if self.header_height is not None:
            target = (
                f"/{self.header_target:,}"
                if self.header_target is not None and self.header_target != self.header_height
                else ""
            )
            parts.append(f"Headers {self.header_height:,}{target}")
        if self.proofs_total:  # proofs checked in this session, of those it had to check
            parts.append(f"proofs verified {self.proofs_verified}/{self.proofs_total}")
        parts.append(f"{self.servers_active} server{'s' if self.servers_active != 1 else ''}")
        label = {
            "connecting": "Connecting",
            "headers": "Syncing headers",
            "history": "Fetching history",
            "proofs": "Verifying proofs",
            "idle": "Up to date",
        }[self.phase]
        return f"{label} · " + " · ".join(parts)


#: A wallet transaction moved from ``old`` to ``new`` (None: absent from the wallet); made by
#: :func:`wallet.account.update.apply_update`, the one place a source's findings are written.
TxEvent = TxChange


@dataclass(frozen=True)
class ServerEvent:
    """A server's standing changed: ``state`` is "connected", "dropped", "disagreement" or
    "unreachable"; ``reason`` says why (shown to the user for a drop)."""

    server: str
    state: str
    reason: str | None = None


SyncEvent = SyncStatus | TxEvent | ServerEvent


def deliver(handler: Callable[[SyncEvent], None] | None, event: SyncEvent) -> None:
    """Hand ``event`` to an engine's listener (None: nobody listens); a listener that fails is
    logged, and the engine goes on."""
    if handler is None:
        return
    try:
        handler(event)
    except Exception:
        log.exception("the sync event handler failed")
