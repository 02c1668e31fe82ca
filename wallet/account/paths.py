"""Where Paylight keeps its files: the platform's data directory, or ``$PAYLIGHT_HOME``.

Layout under the data directory (one folder per network, so a testnet wallet can never be
opened as a mainnet one by accident)::

    <data dir>/<network>/wallets/<wallet name>/   one wallet (see wallet_file.py)
    <data dir>/<network>/headers/                 the light node's header store (regtest: one
                                                  per chain, headers-<block 1 hash>/)
    <data dir>/tls-pins.json                      servers' pinned TLS certificates (all networks)

``PAYLIGHT_HOME`` replaces the platform directory entirely: tests point it at a temporary
folder, and a portable install points it at a folder beside the program.
"""

from __future__ import annotations

import os
from pathlib import Path

from wallet.account.errors import WalletFileError

APP_NAME = "Paylight"
HOME_ENV = "PAYLIGHT_HOME"
#: Longest wallet name accepted (it becomes a folder name on every OS).
MAX_WALLET_NAME = 64
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{p}{i}" for p in ("com", "lpt") for i in range(10)
}
_FORBIDDEN_CHARS = set('<>:"/\\|?*')


def data_dir() -> Path:
    """The root of Paylight's data: ``$PAYLIGHT_HOME`` if set, else the per-user data dir."""
    override = os.environ.get(HOME_ENV, "").strip()
    if override:
        return Path(override).expanduser().absolute()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=True))


def config_dir() -> Path:
    """App-wide preferences (not wallet data): ``$PAYLIGHT_HOME/config`` or the per-user dir."""
    override = os.environ.get(HOME_ENV, "").strip()
    if override:
        return Path(override).expanduser().absolute() / "config"
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False, roaming=True))


def tls_pins_file() -> Path:
    """The TLS certificates first seen for each ``host:port`` (trust on first use), kept across
    runs so that a server whose certificate changes later is refused, not silently re-trusted."""
    return data_dir() / "tls-pins.json"


def network_dir(network: str) -> Path:
    """The folder for one network's data; aliases such as ``testnet`` are resolved first."""
    from wallet.bitcoin.networks import get_network

    return data_dir() / get_network(network).name


def wallets_dir(network: str) -> Path:
    return network_dir(network) / "wallets"


def header_store_dir(network: str, chain: str | None = None) -> Path:
    """The light node's header store for a chain (shared by every wallet and process on it).

    A chain is named by its genesis, which the network fixes -- except on regtest, where every
    local playground starts from the same genesis and then mines its own chain. A regtest
    store is therefore per ``chain`` (the hash of block 1, which differs between playgrounds:
    ``wallet.sync.headers.regtest_chain``); sharing one store let one playground's heavier
    chain push another's aside, and that one's honest servers were dropped for bad proofs.
    """
    from wallet.bitcoin.networks import get_network

    name = get_network(network).name
    if name != "regtest":
        return network_dir(name) / "headers"
    return network_dir(name) / f"headers-{chain or 'genesis'}"


def check_wallet_name(name: str) -> str:
    """Refuse names that would escape the wallets folder or be invalid on some OS."""
    problem = None
    if not name or not name.strip():
        problem = "it is empty"
    elif len(name) > MAX_WALLET_NAME:
        problem = f"it is longer than {MAX_WALLET_NAME} characters"
    elif name != name.strip():
        problem = "it starts or ends with a space"
    elif name.startswith(".") or name.endswith("."):
        problem = "it starts or ends with a dot"
    elif any(ch in _FORBIDDEN_CHARS or ord(ch) < 32 for ch in name):
        problem = 'it contains one of < > : " / \\ | ? * or a control character'
    elif name.split(".")[0].lower() in _WINDOWS_RESERVED:
        problem = "it is a reserved device name on Windows"
    if problem:
        raise WalletFileError(f"{name!r} cannot be a wallet name: {problem}.")
    return name


def wallet_dir(name: str, network: str) -> Path:
    """The folder of the wallet called ``name`` on ``network``."""
    return wallets_dir(network) / check_wallet_name(name)


def list_wallets(network: str) -> list[str]:
    """Names of the wallets on ``network`` (folders holding a wallet configuration), sorted."""
    from wallet.account.wallet_file import CONFIG_FILE

    root = wallets_dir(network)
    if not root.is_dir():
        return []
    # Hidden folders are wallets still being created (or abandoned by a crash while created).
    return sorted(
        p.name for p in root.iterdir() if not p.name.startswith(".") and (p / CONFIG_FILE).is_file()
    )


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) readable by this user only, where the OS supports it."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
