""" "Try it on a local playground": run the regtest playground in this process and fund a wallet.

The playground (``wallet.playground``) mines regtest blocks that libbitcoinkernel validates and
serves them over Electrum and Esplora on 127.0.0.1; started for a wallet here it mines a block
every :data:`DEMO_BLOCK_SECONDS` by itself, so a demo sale ends in "Paid". Starting it takes a
fraction of a second, but it is still done off the UI thread. Its chain lives under the regtest
data folder, so the coins stay between runs. No Qt here: the wizard calls :func:`start_and_fund`
through a worker.

A wallet made this way is marked in its database (setting :data:`SETTING`: the playground's
folder and ports). The servers' ports change from run to run, so when such a wallet is opened
again the app restarts the playground from that folder (:meth:`PlaygroundKeeper.ensure`; the
kernel's block files bring back the same chain and the wallet's coins) and points the wallet
at the new ports (:func:`mark_wallet`). If the folder is gone, :class:`PlaygroundGone` says
so; a new chain is never made in its place, since the wallet's coins would not be on it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from wallet.account.database import WalletDatabase
from wallet.account.paths import network_dir
from wallet.bitcoin.amount import COIN
from wallet.bitcoin.networks import REGTEST
from wallet.errors import PaylightError

#: What a new playground wallet receives from the faucet: 1 BTC, mined into a block.
GIFT_SATS = COIN
#: The wallet database setting that marks a playground wallet: {"datadir", "electrum", "esplora",
#: "p2p" (the listeners' ports), "sources" (see :func:`playground_mode`)}.
SETTING = "playground"
#: The wizard's playground mines a block this often (seconds), so a demo payment confirms by
#: itself, as it would on a real chain -- only faster (the window also has "mine a block now").
DEMO_BLOCK_SECONDS = 30.0


class PlaygroundGone(PaylightError):
    """The playground's saved chain is missing, so a playground wallet cannot be resumed."""


@dataclass
class PlaygroundSession:
    playground: Any  # wallet.playground.Playground
    funded_txid: str = ""  # the gift, when this session funded a new wallet
    address: str = ""

    @property
    def endpoints(self) -> dict[str, Any]:
        return dict(self.playground.endpoints())

    @property
    def datadir(self) -> Path:
        return Path(self.playground.datadir)

    @property
    def server_urls(self) -> list[str]:
        """The Electrum and Esplora servers as a wallet's server list spells them."""
        ends = self.endpoints
        return [f"tcp://{ends['electrum']}", ends["esplora"]]

    @property
    def peer_urls(self) -> list[str]:
        """The P2P listeners as a wallet's source list spells them (the light node)."""
        return [f"p2p://{address}" for address in self.endpoints.get("p2p", [])]

    def urls(self, mode: str) -> list[str]:
        """The sources of a playground wallet: its peers ("p2p", the default), its servers
        ("servers") or both."""
        if mode == "servers" or not self.peer_urls:
            return self.server_urls
        return self.peer_urls + (self.server_urls if mode == "both" else [])

    def stop(self) -> None:
        self.playground.stop()


def default_datadir() -> Path:
    return network_dir(REGTEST) / "playground"


def has_chain(datadir: Path) -> bool:
    """Whether ``datadir`` still holds a playground chain (its block files and faucet key)."""
    return (datadir / "chain" / "blocks").is_dir() and (datadir / "faucet.key").is_file()


def playground_config(db: WalletDatabase) -> dict[str, Any] | None:
    """The playground a wallet was made with, or None for any other wallet."""
    value = db.get_setting(SETTING)
    return value if isinstance(value, dict) and value.get("datadir") else None


def playground_mode(db: WalletDatabase) -> str:
    """How a playground wallet connects: "p2p" (the light node, the default), "servers" or
    "both"."""
    config = playground_config(db) or {}
    mode = str(config.get("sources") or "p2p")
    return mode if mode in ("p2p", "servers", "both") else "p2p"


def set_playground_mode(db: WalletDatabase, sources: list[str]) -> None:
    """Remember which of the playground's sources a wallet chose (its ports change from run
    to run, so the kind is kept, not the addresses)."""
    peers = any(u.startswith("p2p://") for u in sources)
    servers = any(not u.startswith(("p2p://", "core://")) for u in sources) or not sources
    mode = "both" if peers and servers else "p2p" if peers else "servers"
    config = dict(playground_config(db) or {})
    config["sources"] = mode
    db.set_setting(SETTING, config)


def playground_choices(db: WalletDatabase) -> tuple[list[str], list[str] | None]:
    """(the servers "Quick" means, the peers "Private" means) for a wallet's Connection
    dialog: the running playground's for a playground wallet, else the network's (servers
    from its list, peers None: the network's own)."""
    config = playground_config(db)
    if config is not None:
        ends = {"electrum": config.get("electrum"), "esplora": config.get("esplora")}
        servers = [f"tcp://127.0.0.1:{ends['electrum']}", f"http://127.0.0.1:{ends['esplora']}"]
        peers = [f"p2p://127.0.0.1:{port}" for port in config.get("p2p") or []]
        return servers, peers or None
    return [], None


def mark_wallet(db: WalletDatabase, session: PlaygroundSession, mode: str | None = None) -> None:
    """Remember the playground in the wallet and point its regtest sources at the running one
    (sources from earlier runs stay listed, disabled). ``mode``: as :func:`playground_mode`
    (None: as the wallet has it)."""
    mode = mode or playground_mode(db)
    urls = session.urls(mode)
    for record in db.servers("regtest"):
        if record.url not in urls and record.enabled:
            db.add_server(record.url, "regtest", enabled=False)
    for url in urls:
        db.add_server(url, "regtest")
    pg = session.playground
    db.set_setting(
        SETTING,
        {
            "datadir": str(session.datadir),
            "electrum": pg.electrum_port,
            "esplora": pg.esplora_port,
            "p2p": list(getattr(pg, "p2p_ports", [])),
            "sources": mode,
        },
    )


def gone_message(datadir: Path) -> str:
    return QCoreApplication.translate(
        "PlaygroundSession",
        "The local playground's saved chain is no longer in {folder}, so this test wallet "
        "cannot sync: its coins existed only on that chain. The wallet itself was left as it "
        "was. To try Paylight again, create a new wallet with the playground option.",
    ).format(folder=datadir)


def resume(datadir: Path, electrum_port: int = 0, esplora_port: int = 0) -> PlaygroundSession:
    """Start the playground again on its saved chain, on the given ports if they are free."""
    from wallet.playground import Playground

    if not has_chain(datadir):
        raise PlaygroundGone(gone_message(datadir))
    try:
        playground = Playground(
            datadir, electrum_port=electrum_port, esplora_port=esplora_port, initial_blocks=0
        ).start()
    except OSError:  # last run's ports are taken now: any free ones
        if not (electrum_port or esplora_port):
            raise
        playground = Playground(datadir, initial_blocks=0).start()
    playground.start_auto_mining(DEMO_BLOCK_SECONDS)
    return PlaygroundSession(playground)


class PlaygroundKeeper:
    """The one playground this process runs (its chain folder can be open only once).

    Thread-safe: the sync engine's starting thread resumes it while the UI thread may adopt
    the wizard's or stop it at exit.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.session: PlaygroundSession | None = None

    def adopt(self, session: PlaygroundSession) -> None:
        """Keep the session the wizard started (stopping any other)."""
        with self._lock:
            if self.session is not None and self.session is not session:
                self.session.stop()
            self.session = session

    def ensure(self, config: dict[str, Any]) -> PlaygroundSession:
        """The running playground for a wallet's :data:`SETTING`, restarted if need be."""
        datadir = Path(config["datadir"])
        with self._lock:
            current = self.session
            if current is not None and current.datadir.absolute() == datadir.absolute():
                return current
            if current is not None:
                current.stop()
                self.session = None
            self.session = resume(
                datadir, int(config.get("electrum") or 0), int(config.get("esplora") or 0)
            )
            return self.session

    def stop(self) -> None:
        with self._lock:
            if self.session is not None:
                self.session.stop()
                self.session = None


def start_and_fund(address: str, sats: int = GIFT_SATS) -> PlaygroundSession:
    """Start (or resume) the playground chain and pay ``sats`` to ``address`` in a new block."""
    from wallet.playground import Playground

    datadir = network_dir(REGTEST) / "playground"
    playground = Playground(datadir).start()
    try:
        txid = playground.fund(address, sats, confirm=True)
        playground.start_auto_mining(DEMO_BLOCK_SECONDS)  # a demo payment confirms by itself
    except BaseException:
        playground.stop()
        raise
    return PlaygroundSession(playground, txid, address)


def pay_like_a_customer(session: PlaygroundSession, address: str, sats: int) -> str:
    """A customer's payment of ``sats`` to ``address`` from the playground's faucet, into the
    mempool (the next block confirms it); its txid."""
    return session.playground.fund(address, sats)


def mine_now(session: PlaygroundSession) -> str:
    """One block now; its hash."""
    return session.playground.mine(1)[0]
