"""Light node: the header chain this wallet verified, the peers, node and servers it asks, and the
ones dropped.

Everything shown comes from the sync engine's snapshot (:class:`~wallet.gui.controller.NodeState`)
taken off the UI thread every few seconds while the tab is visible, and at once when the
engine reports a server event. Over P2P the panel lists the peers (their services in words, best
height, ping, what each sent), how far the compact filters were checked and what the session
downloaded; with Bitcoin Core, the node; with Electrum/Esplora, the servers. A dropped server or
peer is listed with the reason it was dropped.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QLocale, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wallet.gui.controller import NodeState, WalletController
from wallet.gui.format import engine_message, number, shorten
from wallet.gui.theme import text_colour
from wallet.gui.widgets import heading, note, show_message
from wallet.sync.events import ServerEvent, SyncStatus

SERVER_COLUMNS = (
    QT_TRANSLATE_NOOP("NodeTab", "Server"),
    QT_TRANSLATE_NOOP("NodeTab", "Protocol"),
    QT_TRANSLATE_NOOP("NodeTab", "Status"),
    QT_TRANSLATE_NOOP("NodeTab", "Tip"),
    QT_TRANSLATE_NOOP("NodeTab", "Latency"),
    QT_TRANSLATE_NOOP("NodeTab", "Requests"),
    QT_TRANSLATE_NOOP("NodeTab", "Last error"),
)
#: a server's state as the Status column says it
STATE_NAMES = {
    "connected": QT_TRANSLATE_NOOP("NodeTab", "connected"),
    "idle": QT_TRANSLATE_NOOP("NodeTab", "idle"),
    "unreachable": QT_TRANSLATE_NOOP("NodeTab", "unreachable"),
    "faulty": QT_TRANSLATE_NOOP("NodeTab", "faulty"),
    "closed": QT_TRANSLATE_NOOP("NodeTab", "closed"),
    "dropped": QT_TRANSLATE_NOOP("NodeTab", "dropped"),
}
#: A server's state -> its colour's role (:func:`wallet.gui.theme.text_colour`).
STATE_COLOURS = {
    "connected": "success",
    "idle": "muted",
    "unreachable": "warning",
    "faulty": "error",
    "closed": "muted",
    "dropped": "error",
}


PEER_COLUMNS = (
    QT_TRANSLATE_NOOP("NodeTab", "Peer"),
    QT_TRANSLATE_NOOP("NodeTab", "Offers"),
    QT_TRANSLATE_NOOP("NodeTab", "Best height"),
    QT_TRANSLATE_NOOP("NodeTab", "Ping"),
    QT_TRANSLATE_NOOP("NodeTab", "Status"),
    QT_TRANSLATE_NOOP("NodeTab", "Sent us"),
)
#: A peer's service bits (``wallet.p2p.messages.SERVICE_NAMES``) in words.
SERVICE_WORDS = {
    "NETWORK": QT_TRANSLATE_NOOP("NodeTab", "full blocks"),
    "NETWORK_LIMITED": QT_TRANSLATE_NOOP("NodeTab", "recent blocks"),
    "WITNESS": QT_TRANSLATE_NOOP("NodeTab", "SegWit"),
    "COMPACT_FILTERS": QT_TRANSLATE_NOOP("NodeTab", "compact filters"),
    "BLOOM": QT_TRANSLATE_NOOP("NodeTab", "bloom filters"),
}


def data_size(n: int) -> str:
    """A byte count as the person's locale writes it (kB, MB...)."""
    return QLocale().formattedDataSize(int(n), 1, QLocale.DataSizeFormat.DataSizeSIFormat)


def _item(text: str, role: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if role:
        item.setForeground(text_colour(role))
    return item


class NodeTab(QWidget):
    """The light node panel (a tab of the main window)."""

    POLL_MS = 3000

    def __init__(self, controller: WalletController) -> None:
        super().__init__()
        self.setObjectName("tab-node")
        self.controller = controller
        self.state = NodeState()

        self.status_line = QLabel()
        self.status_line.setObjectName("node-status")
        self.status_line.setWordWrap(True)
        self.sync_button = QPushButton(self.tr("Sync now"))
        self.sync_button.clicked.connect(self._sync)
        top = QHBoxLayout()
        top.addWidget(self.status_line, 1)
        top.addWidget(self.sync_button)

        self.height_label = QLabel("—")
        self.checkpoint_label = QLabel("—")
        self.forks_label = QLabel(self.tr("none"))
        self.forks_label.setWordWrap(True)
        self.filters_label = QLabel("—")
        self.filters_label.setObjectName("node-filters")
        self.filters_label.setWordWrap(True)
        self.downloaded_label = QLabel("—")
        self.downloaded_label.setObjectName("node-downloaded")
        self.downloaded_label.setWordWrap(True)
        self.core_label = QLabel("—")
        self.core_label.setObjectName("node-core")
        self.core_label.setWordWrap(True)
        chain = QFormLayout()
        chain.addRow(self.tr("Verified header height:"), self.height_label)
        chain.addRow(self.tr("Chain starts at:"), self.checkpoint_label)
        chain.addRow(self.tr("Forks seen:"), self.forks_label)
        chain.addRow(self.tr("Compact filters:"), self.filters_label)
        chain.addRow(self.tr("Downloaded:"), self.downloaded_label)
        chain.addRow(self.tr("Bitcoin Core node:"), self.core_label)
        self._chain_form = chain

        self.servers = QTableWidget(0, len(SERVER_COLUMNS))
        self.servers.setObjectName("node-servers")
        self.servers.setHorizontalHeaderLabels([self.tr(c) for c in SERVER_COLUMNS])
        self.servers.setAccessibleName(self.tr("Servers"))
        self.servers.verticalHeader().hide()
        self.servers.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.servers.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.servers.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        self.peers = QTableWidget(0, len(PEER_COLUMNS))
        self.peers.setObjectName("node-peers")
        self.peers.setHorizontalHeaderLabels([self.tr(c) for c in PEER_COLUMNS])
        self.peers.setAccessibleName(self.tr("Peers"))
        self.peers.verticalHeader().hide()
        self.peers.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.peers.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        pheader = self.peers.horizontalHeader()
        pheader.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        pheader.setStretchLastSection(True)

        self.dropped = QTableWidget(0, 2)
        self.dropped.setObjectName("node-dropped")
        self.dropped.setHorizontalHeaderLabels(
            (self.tr("Server or peer"), self.tr("Why it was dropped"))
        )
        self.dropped.setAccessibleName(self.tr("Dropped servers and peers"))
        self.dropped.verticalHeader().hide()
        self.dropped.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        dheader = self.dropped.horizontalHeader()
        dheader.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        dheader.setStretchLastSection(True)
        self.dropped.setMaximumHeight(150)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 18)
        layout.addWidget(heading(self.tr("Light node")))
        layout.addLayout(top)
        layout.addWidget(
            note(
                self.tr(
                    "Paylight keeps its own chain of block headers, checks their proof of "
                    "work, and counts a payment as confirmed only when its Merkle proof leads "
                    "to one of them. Peers and servers only supply data; one that lies is "
                    "dropped."
                )
            )
        )
        layout.addWidget(heading(self.tr("Header chain"), 1))
        layout.addLayout(chain)
        self.peers_heading = heading(self.tr("Peers"), 1)
        layout.addWidget(self.peers_heading)
        layout.addWidget(self.peers, 1)
        self.servers_heading = heading(self.tr("Servers"), 1)
        layout.addWidget(self.servers_heading)
        layout.addWidget(self.servers, 1)
        layout.addWidget(heading(self.tr("Dropped servers and peers"), 1))
        layout.addWidget(self.dropped)

        self._poll = QTimer(self)
        self._poll.setInterval(self.POLL_MS)
        self._poll.timeout.connect(self.poll)
        controller.status_changed.connect(self.show_status)
        controller.changed.connect(self.show_status)  # the proven/mined count
        controller.server_event.connect(self._server_event)
        self.show_status(controller.status)
        self.show_state(self.state)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.poll()
        self._poll.start()

    def hideEvent(self, event) -> None:
        self._poll.stop()
        super().hideEvent(event)

    def poll(self) -> None:
        self.controller.node_state(self.show_state)

    def _server_event(self, _event: ServerEvent) -> None:
        self.poll()

    def show_status(self, _status: SyncStatus | None = None) -> None:
        self.status_line.setText(self.controller.status_text())
        self.status_line.setToolTip(self.controller.status_details())

    def show_state(self, state: NodeState) -> None:
        self.state = state
        height = state.header_height
        self.height_label.setText(number(height) if height is not None else "—")
        base = state.checkpoint_height
        if base is None:
            self.checkpoint_label.setText("—")
        elif base == 0:
            self.checkpoint_label.setText(self.tr("genesis (every header checked)"))
        else:
            self.checkpoint_label.setText(
                self.tr("checkpoint at height {height} (built into Paylight)").format(
                    height=number(base)
                )
            )
        if state.forks:
            self.forks_label.setText(
                "; ".join(
                    self.tr("branch from {parent} up to {tip} ({n} block(s))").format(
                        parent=number(parent), tip=number(tip), n=tip - parent
                    )
                    for parent, tip in state.forks
                )
            )
        else:
            self.forks_label.setText(self.tr("none"))

        self.servers.setRowCount(len(state.servers))
        for row, s in enumerate(state.servers):
            kind = "dropped" if s.dropped else str(s.state)
            state_text = self.tr(STATE_NAMES[kind]) if kind in STATE_NAMES else kind
            latency = f"{s.latency_ms:.0f} ms" if s.latency_ms is not None else "—"
            tip = number(s.tip_height) if s.tip_height is not None else "—"
            # a dropped server is no longer asked: its figures are from before the drop
            stale = STATE_COLOURS["closed"] if s.dropped else None
            cells = (
                _item(s.name),
                _item(s.protocol),
                _item(state_text, STATE_COLOURS.get(kind)),
                _item(tip, stale),
                _item(latency, stale),
                _item(
                    self.tr("{requests} ({failures} failed)").format(
                        requests=s.requests, failures=s.failures
                    ),
                    stale,
                ),
                _item(s.dropped or s.last_error or ""),
            )
            for col, item in enumerate(cells):
                item.setToolTip(s.url if col == 0 else item.text())
                self.servers.setItem(row, col, item)
            if s.dropped:
                cells[3].setToolTip(self.tr("the last tip it claimed, before it was dropped"))
        self.show_block_source(state.light, state.header_height)
        self.servers.setVisible(bool(state.servers) or state.light is None)
        self.servers_heading.setVisible(self.servers.isVisible())
        self.dropped.setRowCount(len(state.dropped))
        for row, (name, reason) in enumerate(state.dropped):
            self.dropped.setItem(row, 0, _item(name, STATE_COLOURS["dropped"]))
            self.dropped.setItem(row, 1, _item(reason))
            self.dropped.item(row, 1).setToolTip(reason)
        if state.last_error and not state.servers:
            error = engine_message(state.last_error)
            self.status_line.setText(shorten(error))
            self.status_line.setToolTip(error)

    def _set_row_visible(self, field: QLabel, visible: bool) -> None:
        self._chain_form.setRowVisible(field, visible)

    def show_block_source(self, light: dict[str, Any] | None, tip: int | None) -> None:
        """The peers, filter progress and downloads (P2P), or the node (Bitcoin Core)."""
        peers = list(light.get("peers") or ()) if light else []
        unreachable = dict(light.get("unreachable") or {}) if light else {}
        core = light.get("node") if light else None
        p2p = light is not None and core is None
        for widget in (self.peers_heading, self.peers):
            widget.setVisible(p2p)
        self._set_row_visible(self.filters_label, light is not None)
        self._set_row_visible(self.downloaded_label, light is not None)
        self._set_row_visible(self.core_label, core is not None)
        if light is None:
            self.peers.setRowCount(0)
            return
        self.core_label.setText(
            self.tr("{node} (headers, filters and blocks over REST; sending over RPC)").format(
                node=core
            )
            if core
            else "—"
        )
        self.filters_label.setText(self._filter_progress(light, tip))
        self.downloaded_label.setText(self._downloaded(light))

        self.peers.setRowCount(len(peers) + len(unreachable))
        for row, p in enumerate(peers):
            offers = ", ".join(
                self.tr(SERVICE_WORDS[name]) if name in SERVICE_WORDS else name
                for name in p.services
            )
            ping = f"{p.ping_ms:.0f} ms" if p.ping_ms is not None else "—"
            status = self.tr("connected")
            if p.score:
                status = self.tr("connected (misbehaviour score {score})").format(score=p.score)
            cells = (
                _item(p.name),
                _item(offers),
                _item(number(p.height)),
                _item(ping),
                _item(status, "warning" if p.score else "success"),
                _item(
                    self.tr("{size} (filters: {filters}, blocks: {blocks})").format(
                        size=data_size(p.bytes_in), filters=number(p.filters),
                        blocks=number(p.blocks),
                    )
                ),
            )  # fmt: skip
            for col, item in enumerate(cells):
                item.setToolTip(p.user_agent if col == 0 else item.text())
                self.peers.setItem(row, col, item)
        for row, (name, why) in enumerate(sorted(unreachable.items()), start=len(peers)):
            cells = (
                _item(name, "muted"),
                _item(""),
                _item("—", "muted"),
                _item("—", "muted"),
                _item(self.tr("unreachable"), STATE_COLOURS["unreachable"]),
                _item(why, "muted"),
            )
            for col, item in enumerate(cells):
                item.setToolTip(why)
                self.peers.setItem(row, col, item)

    def _filter_progress(self, light: dict[str, Any], tip: int | None) -> str:
        """ "Filters checked to block X of Y", and from where (the wallet's birthday)."""
        scan = light.get("scan")
        top = tip if tip is not None else light.get("header_height")
        top_text = number(top) if top is not None else "—"
        birthday = light.get("birthday")
        if scan is None:
            headers = light.get("filter_height")
            if headers is None:
                return self.tr("not checked yet")
            return self.tr(
                "filter headers to block {height} of {tip}; no filter checked yet"
            ).format(height=number(headers), tip=top_text)
        text = self.tr("filters checked to block {height} of {tip}").format(
            height=number(scan["to_height"]), tip=top_text
        )
        if birthday:
            text += " " + self.tr("(from block {height}, the wallet's birthday)").format(
                height=number(birthday)
            )
        return text

    def _downloaded(self, light: dict[str, Any]) -> str:
        """The session's downloads: filter headers held, filters, blocks and bytes."""
        scan = light.get("scan") or {}
        totals = light.get("downloaded")
        if totals is None:  # Bitcoin Core: the last scan's figures
            totals = {
                "filters": scan.get("filters", 0),
                "blocks": scan.get("blocks", 0),
                "bytes": scan.get("filter_bytes", 0),
            }
        return self.tr(
            "filter headers: {headers} · filters: {filters} · blocks: {blocks} · {size} in all"
        ).format(
            headers=number(light.get("filter_headers") or 0),
            filters=number(totals["filters"]),
            blocks=number(totals["blocks"]),
            size=data_size(totals["bytes"]),
        )

    def _sync(self) -> None:
        try:
            self.controller.sync_now()
        except Exception as exc:
            show_message(self, self.tr("Sync"), str(exc))
