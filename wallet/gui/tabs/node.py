"""Light node: the header chain this wallet verified, the servers it asks, and the ones dropped.

Everything shown comes from the sync engine's snapshot (:class:`~wallet.gui.controller.NodeState`)
taken off the UI thread every few seconds while the tab is visible, and at once when the
engine reports a server event; a dropped server is listed with the reason it was dropped.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QTimer
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
        chain = QFormLayout()
        chain.addRow(self.tr("Verified header height:"), self.height_label)
        chain.addRow(self.tr("Chain starts at:"), self.checkpoint_label)
        chain.addRow(self.tr("Forks seen:"), self.forks_label)

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

        self.dropped = QTableWidget(0, 2)
        self.dropped.setObjectName("node-dropped")
        self.dropped.setHorizontalHeaderLabels((self.tr("Server"), self.tr("Why it was dropped")))
        self.dropped.setAccessibleName(self.tr("Dropped servers"))
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
                    "to one of them. Servers only supply data; one that lies is dropped."
                )
            )
        )
        layout.addWidget(heading(self.tr("Header chain"), 1))
        layout.addLayout(chain)
        layout.addWidget(heading(self.tr("Servers"), 1))
        layout.addWidget(self.servers, 1)
        layout.addWidget(heading(self.tr("Dropped servers"), 1))
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
        self.dropped.setRowCount(len(state.dropped))
        for row, (name, reason) in enumerate(state.dropped):
            self.dropped.setItem(row, 0, _item(name, STATE_COLOURS["dropped"]))
            self.dropped.setItem(row, 1, _item(reason))
            self.dropped.item(row, 1).setToolTip(reason)
        if state.last_error and not state.servers:
            error = engine_message(state.last_error)
            self.status_line.setText(shorten(error))
            self.status_line.setToolTip(error)

    def _sync(self) -> None:
        try:
            self.controller.sync_now()
        except Exception as exc:
            show_message(self, self.tr("Sync"), str(exc))
