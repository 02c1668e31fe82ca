"""The playground: a local regtest chain whose every block Bitcoin Core's consensus engine
(libbitcoinkernel) validates, served over the Electrum protocol and the Esplora HTTP API.

``Playground(datadir).start()`` (or ``with Playground() as pg:``) runs it in-process;
``paylight playground`` runs it in the foreground.
"""

from wallet.playground.errors import BlockRejected, PlaygroundError, TxRejected
from wallet.playground.service import Playground

__all__ = ["BlockRejected", "Playground", "PlaygroundError", "TxRejected"]
