"""How a wallet connects: the light node, Electrum/Esplora servers, or the user's Bitcoin Core node,
and Tor.

:class:`ConnectionChoice` is the part the wizard's "How this wallet connects" page and the
Connection dialog share: the choice in plain words, an estimate of what a restore downloads over
the light node (:mod:`wallet.gui.restore_estimate`), and :meth:`ConnectionChoice.sources`, the
wallet's source list as the command line stores it (``p2p://``, ``core://[user@]host:port
[?cookie=PATH]``, server URLs; :func:`wallet.sync.session.split_sources` reads it). A Core RPC
password is never stored: the session reads it from ``$PAYLIGHT_CORE_PASSWORD``, as the CLI does.

:class:`ConnectionDialog` (File → Connection…) edits an open wallet's list and the app's proxy
(:meth:`wallet.gui.settings.AppSettings.set_proxy`), then restarts the wallet's sync session so
the change applies at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import parse_qs, quote, unquote

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from wallet.errors import PaylightError
from wallet.gui.theme import text_style
from wallet.gui.widgets import VerticalScroll, note

PRIVATE, QUICK, CORE = "private", "quick", "core"
NETWORK_PEERS = "p2p://"  # the network's own peers (wallet.backends.servers.NETWORK_PEERS)


class ConnectionInputError(PaylightError):
    """What was typed in the connection settings is not an address or proxy Paylight can use."""


def _host_port(text: str) -> str:
    """``host:port`` (or ``[v6]:port``) checked; the sentence when it is not one."""
    from wallet.net.hostport import parse_host_port

    value = text.strip()
    try:
        host, port = parse_host_port(value, 0)
    except ValueError:
        host, port = "", 0
    if not host or not port or " " in value:
        raise ConnectionInputError(
            QCoreApplication.translate(
                "ConnectionChoice",
                "“{text}” is not an address: write it as host:port, e.g. 192.168.1.20:8332.",
            ).format(text=value)
        )
    return value


def core_source(address: str, cookie: str = "", user: str = "") -> str:
    """A ``core://`` source (empty address: this machine, the network's RPC port)."""
    where = _host_port(address) if address.strip() else ""
    user = user.strip()
    if user and ":" in user:
        raise ConnectionInputError(
            QCoreApplication.translate(
                "ConnectionChoice",
                "Give only the RPC user name here; the password is read from "
                "PAYLIGHT_CORE_PASSWORD and never stored.",
            )
        )
    text = f"{quote(user, safe='')}@{where}" if user else where
    if cookie.strip():
        text += "?cookie=" + quote(cookie.strip())
    return f"core://{text}"


def read_core_source(url: str) -> tuple[str, str, str]:
    """(address, cookie file, user) of a ``core://`` source."""
    rest = url.split("://", 1)[1]
    where, _, query = rest.partition("?")
    user, _, hostport = where.rpartition("@")
    cookie = (parse_qs(query).get("cookie") or [""])[0]
    return hostport, cookie, unquote(user)


def check_proxy(text: str) -> str:
    """A proxy setting the app can store; the sentence when it is not one."""
    from wallet.net.proxy import parse_proxy

    try:
        parse_proxy(text)
    except PaylightError:
        raise ConnectionInputError(
            QCoreApplication.translate(
                "ConnectionChoice",
                "“{text}” is not a SOCKS5 proxy: write it as socks5://host:port.",
            ).format(text=text.strip())
        ) from None
    return text.strip()


class ConnectionChoice(QWidget):
    """The choice of chain sources in plain words (see the module docstring)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connection-choice")
        self.network_name = "mainnet"
        #: the servers "Quick" means (the network's list, or the playground's own)
        self.server_urls: list[str] = []
        #: the peers "Private" means: the network's own (``p2p://``) or the playground's
        self.peer_urls: list[str] = [NETWORK_PEERS]
        self.birth_height: int | None = None
        self.tip_height: int | None = None

        self.private = QRadioButton(self.tr("&Private (recommended)"))
        self.private.setObjectName("connection-private")
        self.quick = QRadioButton(self.tr("&Quick"))
        self.quick.setObjectName("connection-quick")
        self.core = QRadioButton(self.tr("Your own &Bitcoin Core node"))
        self.core.setObjectName("connection-core")
        self.private.setChecked(True)
        self.kind = QButtonGroup(self)
        explanations = (
            self.tr(
                "Paylight's light node talks to Bitcoin's own network. It downloads a small "
                "summary of every block and picks out your payments on this computer: no "
                "server learns your addresses."
            ),
            self.tr(
                "Electrum/Esplora servers answer for your addresses at once. Faster for an "
                "old wallet, but those servers learn your addresses."
            ),
            self.tr(
                "If you run Bitcoin Core (with -rest=1 and -blockfilterindex=1), Paylight "
                "asks it alone: nobody else learns anything."
            ),
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for i, (button, text) in enumerate(
            zip((self.private, self.quick, self.core), explanations, strict=True)
        ):
            self.kind.addButton(button, i)
            button.toggled.connect(self._update)
            layout.addWidget(button)
            explain = note(text)
            explain.setContentsMargins(24, 0, 0, 4)
            layout.addWidget(explain)

        self.combine = QCheckBox(
            self.tr("&Also ask Electrum/Esplora servers (quicker, but they learn your addresses)")
        )
        self.combine.setObjectName("connection-combine")
        self.combine.toggled.connect(self._update)
        layout.addWidget(self.combine)

        self.core_box = QGroupBox(self.tr("Bitcoin Core node"))
        self.core_address = QLineEdit()
        self.core_address.setObjectName("core-address")
        self.core_address.setPlaceholderText(self.tr("this computer (leave empty), or host:port"))
        self.core_cookie = QLineEdit()
        self.core_cookie.setObjectName("core-cookie")
        self.core_cookie.setPlaceholderText(self.tr("Core's own .cookie file (leave empty)"))
        self.core_user = QLineEdit()
        self.core_user.setObjectName("core-user")
        self.core_user.setPlaceholderText(self.tr("none: log in with the cookie file"))
        form = QFormLayout(self.core_box)
        form.addRow(self.tr("A&ddress:"), self.core_address)
        form.addRow(self.tr("Coo&kie file:"), self.core_cookie)
        form.addRow(self.tr("RPC &user:"), self.core_user)
        form.addRow(
            note(
                self.tr(
                    "With an RPC user, the password is read from the environment variable "
                    "PAYLIGHT_CORE_PASSWORD when Paylight starts; it is never stored."
                )
            )
        )
        for field in (self.core_address, self.core_cookie, self.core_user):
            field.textChanged.connect(self._update)
        layout.addWidget(self.core_box)

        self.estimate_label = QLabel()
        self.estimate_label.setObjectName("connection-estimate")
        self.estimate_label.setWordWrap(True)
        layout.addWidget(self.estimate_label)
        self.problem = QLabel()
        self.problem.setObjectName("connection-problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(text_style("error"))
        layout.addWidget(self.problem)
        self._update()

    # -- what the choice is about -------------------------------------------------------------

    def set_context(
        self,
        network: str,
        *,
        servers: Sequence[str] = (),
        peers: Sequence[str] | None = None,
        birth_height: int | None = None,
        tip_height: int | None = None,
    ) -> None:
        """The network, what "Quick" and "Private" mean on it, and the wallet's birthday and
        the tip (for the estimate; None: a new wallet, or unknown)."""
        self.network_name = network
        self.server_urls = list(servers)
        self.peer_urls = list(peers) if peers is not None else [NETWORK_PEERS]
        self.birth_height = birth_height
        self.tip_height = tip_height
        self._update()

    def set_sources(self, urls: Sequence[str]) -> None:
        """Show a wallet's saved list (empty: the network's servers)."""
        peers = [u for u in urls if u.startswith("p2p://")]
        cores = [u for u in urls if u.startswith("core://")]
        servers = [u for u in urls if not u.startswith(("p2p://", "core://"))]
        if cores:
            self.core.setChecked(True)
            address, cookie, user = read_core_source(cores[0])
            self.core_address.setText(address)
            self.core_cookie.setText(cookie)
            self.core_user.setText(user)
        elif peers:
            self.private.setChecked(True)
            self.peer_urls = peers
        else:
            self.quick.setChecked(True)
        self.combine.setChecked(bool(servers) and (bool(peers) or bool(cores)))
        if servers:
            self.server_urls = servers
        self._update()

    def mode(self) -> str:
        return PRIVATE if self.private.isChecked() else QUICK if self.quick.isChecked() else CORE

    def uses_servers(self) -> bool:
        return self.mode() == QUICK or self.combine.isChecked()

    def sources(self) -> list[str]:
        """The wallet's source list for this choice (raises :class:`ConnectionInputError`
        with the sentence to show for bad input). Quick alone: empty, which means the
        network's server list (as for a wallet made by ``paylight create`` where the network
        has no peers)."""
        mode = self.mode()
        if mode == QUICK:
            return []
        block = (
            list(self.peer_urls)
            if mode == PRIVATE
            else [
                core_source(
                    self.core_address.text(), self.core_cookie.text(), self.core_user.text()
                )
            ]
        )
        return block + (list(self.server_urls) if self.combine.isChecked() else [])

    def problem_text(self) -> str:
        try:
            self.sources()
        except ConnectionInputError as exc:
            return str(exc)
        return ""

    # -- showing -------------------------------------------------------------------------------

    def _update(self) -> None:
        mode = self.mode()
        self.combine.setEnabled(mode != QUICK)
        self.core_box.setVisible(mode == CORE)
        self.problem.setText(self.problem_text())
        self.estimate_label.setText(self.estimate_text() if mode == PRIVATE else "")
        self.estimate_label.setVisible(mode == PRIVATE)
        self.changed.emit()

    def estimate_text(self) -> str:
        """What a sync over the light node downloads from the wallet's birthday, in words."""
        from wallet.gui.format import number
        from wallet.gui.restore_estimate import estimate, tip_now
        from wallet.gui.tabs.node import data_size

        tip = self.tip_height if self.tip_height is not None else tip_now(self.network_name)
        if self.birth_height is None or tip is None:
            if self.birth_height is None:
                return self.tr(
                    "A new wallet starts from today's block: it downloads almost nothing "
                    "until payments arrive."
                )
            return self.tr(
                "A restore downloads one small filter per block since the wallet's birthday, "
                "and the blocks that hold its payments."
            )
        guess = estimate(self.network_name, self.birth_height, tip)
        text = self.tr(
            "A restore from block {birth} checks {blocks} blocks: about {filters} of filters, "
            "plus about {block} for each block that holds one of your payments (and about "
            "{chance} block(s) that match by chance)."
        ).format(
            birth=number(self.birth_height),
            blocks=number(guess.blocks_scanned),
            filters=data_size(guess.filter_bytes),
            block=data_size(guess.block_bytes),
            chance=number(guess.chance_blocks),
        )
        if guess.filter_bytes > 1_000_000_000:
            text += " " + self.tr(
                "That is a lot for an old wallet: Quick, or your own node, restores it "
                "sooner; you can switch later under File → Connection…"
            )
        return text


class ConnectionDialog(QDialog):
    """File → Connection…: this wallet's sources and the app's Tor/SOCKS5 proxy.

    ``apply(sources, proxy)`` stores them and restarts the sync session (the window passes
    the controller's); a :class:`~wallet.errors.PaylightError` it raises is shown here.
    """

    def __init__(
        self,
        sources: Sequence[str],
        proxy: str,
        apply: Callable[[list[str], str], Any],
        parent: QWidget | None = None,
        *,
        network: str = "mainnet",
        servers: Sequence[str] = (),
        peers: Sequence[str] | None = None,
        birth_height: int | None = None,
        tip_height: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("connection-dialog")
        self.setWindowTitle(self.tr("Connection"))
        self.apply_change = apply
        self.choice = ConnectionChoice(self)
        self.choice.set_context(
            network, servers=servers, peers=peers, birth_height=birth_height,
            tip_height=tip_height,
        )  # fmt: skip
        self.choice.set_sources(sources)

        self.problem = QLabel()
        self.problem.setObjectName("connection-dialog-problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(text_style("error"))
        self.tor_box = QGroupBox(self.tr("Use Tor"))
        self.tor_off = QRadioButton(self.tr("O&ff"))
        self.tor = QRadioButton(self.tr("&Tor (127.0.0.1:9050)"))
        self.tor_browser = QRadioButton(self.tr("Tor B&rowser (127.0.0.1:9150)"))
        self.other = QRadioButton(self.tr("&Other SOCKS5 proxy:"))
        self.proxy_text = QLineEdit()
        self.proxy_text.setObjectName("proxy-address")
        self.proxy_text.setPlaceholderText("socks5://127.0.0.1:1080")
        self.tor_group = QButtonGroup(self)
        tor_layout = QVBoxLayout(self.tor_box)
        for i, button in enumerate((self.tor_off, self.tor, self.tor_browser, self.other)):
            self.tor_group.addButton(button, i)
            tor_layout.addWidget(button)
            button.toggled.connect(self._update)
        tor_layout.addWidget(self.proxy_text)
        tor_layout.addWidget(
            note(
                self.tr(
                    "Tor hides your IP address from the servers and peers Paylight talks to. "
                    "Addresses ending in .onion only work through it."
                )
            )
        )
        self.proxy_text.textChanged.connect(self._update)
        self._show_proxy(proxy)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        content = QWidget()
        inner = QVBoxLayout(content)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.choice)
        inner.addWidget(self.tor_box)
        layout = QVBoxLayout(self)
        layout.addWidget(VerticalScroll(content), 1)  # large text on a small screen scrolls
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.choice.changed.connect(self._update)
        self._update()

    def showEvent(self, event: Any) -> None:
        """As tall as the wrapped explanations need at the width shown, up to the screen's
        height (sized before showing, Qt gave the Chinese ones a line fewer than they wrap
        to); beyond that the content scrolls."""
        super().showEvent(event)
        scroll = self.findChild(VerticalScroll)
        missing = scroll.widget().heightForWidth(scroll.viewport().width()) - scroll.height()
        room = self.screen().availableGeometry().height() - self.frameGeometry().height()
        if missing > 0 and room > 0:
            self.resize(self.width(), self.height() + min(missing, room))

    def _show_proxy(self, setting: str) -> None:
        value = setting.strip().lower()
        if value in ("", "none", "off", "direct"):
            self.tor_off.setChecked(True)
        elif value == "tor":
            self.tor.setChecked(True)
        elif value == "tor-browser":
            self.tor_browser.setChecked(True)
        else:
            self.other.setChecked(True)
            self.proxy_text.setText(setting.strip())

    def proxy_setting(self) -> str:
        """The chosen setting, as :meth:`AppSettings.set_proxy` stores it."""
        if self.tor.isChecked():
            return "tor"
        if self.tor_browser.isChecked():
            return "tor-browser"
        if self.other.isChecked():
            text = self.proxy_text.text().strip()
            if not text:
                raise ConnectionInputError(
                    self.tr("Write the proxy's address, e.g. socks5://127.0.0.1:1080.")
                )
            return check_proxy(text)
        return ""

    def _update(self) -> None:
        self.proxy_text.setEnabled(self.other.isChecked())
        self.problem.clear()

    def save(self) -> None:
        """Check, store and restart; a problem is shown in one sentence, nothing is saved."""
        try:
            sources = self.choice.sources()
            proxy = self.proxy_setting()
            self.apply_change(sources, proxy)
        except PaylightError as exc:
            self.problem.setText(str(exc))
            return
        self.accept()


__all__ = [
    "ConnectionChoice",
    "ConnectionDialog",
    "ConnectionInputError",
    "check_proxy",
    "core_source",
    "read_core_source",
]
