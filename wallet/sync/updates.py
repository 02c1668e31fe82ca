"""Where every chain source's updates go: :func:`wallet.account.update.apply_update`, then the
events the GUI, the CLI and the payment tracker listen to.

Each source (:mod:`wallet.sync.history` for the Electrum and Esplora servers,
:mod:`wallet.sync.blocks` for compact filters over P2P and Bitcoin Core's REST) makes
:class:`~wallet.account.update.WalletUpdate` values and hands them to one :class:`UpdateSink`;
nothing else writes what a source found into the wallet.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from wallet.account.database import WalletDatabase
from wallet.account.update import Applied, ChainView, WalletUpdate, apply_update
from wallet.sync.events import ServerEvent, SyncEvent, TxEvent

log = logging.getLogger(__name__)


class UpdateSink:
    """Applies updates to one wallet database against one header chain, and reports them."""

    def __init__(
        self,
        db: WalletDatabase,
        chain: ChainView,
        emit: Callable[[SyncEvent], None] | None = None,
    ) -> None:
        self.db = db
        self.chain = chain
        self._emit = emit or (lambda event: None)
        #: servers or peers already reported as dropped
        self._reported: set[str] = set()
        #: what the gate refused over this sink's life (txid or block hash -> why)
        self.refused: dict[bytes, str] = {}

    def reported_drop(self, server: str) -> None:
        """``server``'s drop was reported already (by the server pool's own hook)."""
        self._reported.add(server)

    def apply(self, update: WalletUpdate) -> list[TxEvent]:
        """Write ``update`` (one database transaction); then report what changed."""
        applied: Applied = apply_update(self.db, update, self.chain)
        for key, reason in applied.refused.items():
            # a source checks each answer before it gets here: a refusal is a source's bug
            log.warning("%s: the wallet refused %s: %s", update.source, key[::-1].hex(), reason)
        self.refused.update(applied.refused)
        for server, reason in update.dropped.items():
            if server not in self._reported:
                self._reported.add(server)
                self._emit(ServerEvent(server, "dropped", reason))
        for change in applied.changes:
            self._emit(change)
        return applied.changes


__all__ = ["UpdateSink"]
