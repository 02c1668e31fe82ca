"""Opening a wallet folder the one way every front end does: lock, database, sealed config.

:func:`open_wallet` takes the folder's lock (one process at a time), opens its database
(migrating it), refuses a wallet of another network, and -- for a watch-only wallet sealed with
a password -- checks ``wallet.json``'s MAC when the caller can ask for the password. The
network side of a session (servers, TLS pins, proxy, header store) is opened on top of it by
:mod:`wallet.sync.session`.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from wallet.account.wallet_file import Wallet
from wallet.bitcoin.networks import Network


def open_wallet(
    path: str | os.PathLike[str],
    *,
    network: Network | None = None,
    password: Callable[[], str] | None = None,
) -> Wallet:
    """The wallet at ``path``, opened and locked (close it, or use it in ``with``).

    ``network``: refuse a wallet made for another one. ``password``: asked for only when the
    wallet's configuration is sealed with one, and checked (a wrong one raises and nothing
    stays open). Without it a sealed configuration is left unchecked, for the caller to check
    with :meth:`~wallet.account.wallet_file.Wallet.verify_config` before trusting its addresses.
    """
    wallet = Wallet.open(path, network=network)
    if wallet.needs_config_password and password is not None:
        try:
            wallet.verify_config(password())
        except BaseException:
            wallet.close()
            raise
    return wallet


__all__ = ["open_wallet"]
