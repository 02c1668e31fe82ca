"""What the peers' mempools announce, fetched without telling any peer what we look for.

A full node learns of new transactions by ``inv`` and fetches each one it does not have with
``getdata``; this watch does the same for *every* transaction announced to it, so a peer
learns nothing from which ones we fetch -- never a script, an address or a txid it did not
name first. Each transaction is handed whole to ``on_tx`` (the wallet's side matches its
outputs and inputs against the wallet's scripts and coins, locally), with the peers that
announced it.

It also keeps what the till's risk view needs from the network: which peers announced a
transaction (how far it spread), the transactions themselves for a while (unconfirmed
parents), and which transaction spends which coin (a conflicting spend in flight). All of it
is bounded: a peer may announce as much as it likes.
"""

from __future__ import annotations

import contextlib
import logging
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from wallet.bitcoin.errors import BitcoinError
from wallet.bitcoin.transaction import OutPoint, Transaction
from wallet.p2p import messages as m
from wallet.p2p.peer import Peer, PeerError

log = logging.getLogger(__name__)

#: Transactions kept whole (parents and conflicts of a payment), by count and by bytes.
MAX_KEPT = 20_000
MAX_KEPT_BYTES = 32 << 20
#: Announcements remembered (who announced what) and coins indexed by their spender.
MAX_ANNOUNCED = 100_000
#: At most this many hashes asked in one getdata (Core asks for up to 1,000 at once).
GETDATA_BATCH = 1000

TX_TYPES = (m.MSG_TX, m.MSG_WTX, m.MSG_WITNESS_TX)

#: called with each fetched transaction, its bytes, and the peers that announced it
OnTx = Callable[[Transaction, bytes, set[str]], object]


class _Bounded(OrderedDict[bytes, Any]):
    """A mapping that forgets its oldest entries past ``limit``."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def put(self, key: bytes, value: Any) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.limit:
            self.popitem(last=False)


class MempoolWatch:
    """Fetch every announced transaction; remember who announced what (see the module)."""

    def __init__(
        self, on_tx: Callable[[Transaction, bytes, set[str]], object] | None = None
    ) -> None:
        self.on_tx = on_tx
        #: txid and wtxid -> the names of the peers that announced it
        self.announced: _Bounded = _Bounded(MAX_ANNOUNCED)
        #: txid -> the transaction (the newest MAX_KEPT, MAX_KEPT_BYTES at most)
        self.kept: _Bounded = _Bounded(MAX_KEPT)
        self._kept_bytes = 0
        #: a spent coin -> the txids of the announced transactions spending it
        self.spenders: _Bounded = _Bounded(MAX_ANNOUNCED)
        #: wtxid -> txid of the transactions kept
        self._wtxids: _Bounded = _Bounded(MAX_KEPT)
        #: hashes asked for and not yet answered
        self._asked: set[bytes] = set()
        self.fetched = 0
        self.bytes_in = 0

    # -- from the peers -------------------------------------------------------------------------

    async def on_message(self, peer: Peer, msg: m.Message) -> None:
        if isinstance(msg, m.Inv):
            await self._on_inv(peer, msg)
        elif isinstance(msg, m.TxMessage):
            self._on_tx(peer, msg)
        elif isinstance(msg, m.NotFound):
            for item in msg.items:
                self._asked.discard(item.hash)

    async def _on_inv(self, peer: Peer, msg: m.Inv) -> None:
        wanted = []
        for item in msg.items:
            if item.type not in TX_TYPES:
                continue
            names = self.announced.get(item.hash)
            if names is None:
                names = set()
                self.announced.put(item.hash, names)
            names.add(peer.name)
            txid = item.hash if item.hash in self.kept else self._wtxids.get(item.hash)
            if txid is not None and txid in self.kept:
                self._announce_known(txid, peer.name)
            elif item.hash not in self._asked:
                self._asked.add(item.hash)
                # with wtxid relay the hash is a wtxid: asked the same way; otherwise the
                # witness serialization of the txid named
                kind = m.MSG_WTX if item.type == m.MSG_WTX else m.MSG_WITNESS_TX
                wanted.append(m.InvItem(kind, item.hash))
        for i in range(0, len(wanted), GETDATA_BATCH):
            with contextlib.suppress(PeerError):
                await peer.send(m.GetData(tuple(wanted[i : i + GETDATA_BATCH])))
        if len(self._asked) > MAX_ANNOUNCED:  # answers that never came
            self._asked.clear()

    def _announce_known(self, txid: bytes, peer: str) -> None:
        """A peer announced a transaction we hold: it has it too (the spread grows)."""
        tx, raw = self.kept[txid]
        names = self.announced.get(txid) or set()
        names.add(peer)
        self.announced.put(txid, names)
        if self.on_tx is not None:
            self._call(tx, raw, set(names))

    def _on_tx(self, peer: Peer, msg: m.TxMessage) -> None:
        tx = msg.tx
        txid, wtxid = tx.txid(), tx.wtxid()
        self._asked.discard(txid)
        self._asked.discard(wtxid)
        raw = msg.raw
        self.fetched += 1
        self.bytes_in += len(raw)
        names = set(self.announced.get(txid) or ()) | set(self.announced.get(wtxid) or ())
        names.add(peer.name)
        self.announced.put(txid, names)
        self.announced.put(wtxid, names)
        if txid not in self.kept:
            self.kept.put(txid, (tx, raw))
            self._wtxids.put(wtxid, txid)
            self._kept_bytes += len(raw)
            while self._kept_bytes > MAX_KEPT_BYTES and len(self.kept) > 1:
                _, (_, old) = self.kept.popitem(last=False)
                self._kept_bytes -= len(old)
            for txin in tx.inputs:
                spenders = self.spenders.get(_key(txin.prevout)) or set()
                spenders.add(txid)
                self.spenders.put(_key(txin.prevout), spenders)
        if self.on_tx is not None:
            self._call(tx, raw, names)

    def _call(self, tx: Transaction, raw: bytes, names: set[str]) -> None:
        assert self.on_tx is not None
        try:
            self.on_tx(tx, raw, names)
        except (BitcoinError, ValueError):
            log.warning("a mempool transaction could not be matched", exc_info=True)

    def add_own(self, tx: Transaction, raw: bytes) -> None:
        """Our own transaction, about to be announced: held, so that no peer is asked for it
        when others announce it back."""
        txid = tx.txid()
        if txid not in self.kept:
            self.kept.put(txid, (tx, raw))
            self._wtxids.put(tx.wtxid(), txid)
            self._kept_bytes += len(raw)

    # -- questions ------------------------------------------------------------------------------

    def seen_by(self, txid: bytes, wtxid: bytes | None = None) -> set[str]:
        """The peers that announced (or sent) ``txid``."""
        names = set(self.announced.get(txid) or ())
        if wtxid is not None:
            names |= set(self.announced.get(wtxid) or ())
        return names

    def transaction(self, txid: bytes) -> Transaction | None:
        kept = self.kept.get(txid)
        return None if kept is None else kept[0]

    def spending(self, outpoint: OutPoint) -> set[bytes]:
        """Announced transactions spending ``outpoint``."""
        return set(self.spenders.get(_key(outpoint)) or ())


def _key(outpoint: OutPoint) -> bytes:
    return outpoint.txid + outpoint.vout.to_bytes(4, "little")


__all__ = ["MempoolWatch"]
