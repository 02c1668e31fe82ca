""" "Try it on a local playground": run the regtest playground in this process and fund a wallet.

The playground (``wallet.playground``) mines regtest blocks that libbitcoinkernel validates and
serves them over Electrum and Esplora on 127.0.0.1. Starting it takes a fraction of a second,
but it is still done off the UI thread. Its chain lives under the regtest data folder, so the
coins stay between runs. No Qt here: the wizard calls :func:`start_and_fund` through a worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wallet.account.paths import network_dir

#: What a new playground wallet receives from the faucet: 1 BTC, mined into a block.
GIFT_SATS = 100_000_000


@dataclass
class PlaygroundSession:
    playground: Any  # wallet.playground.Playground
    funded_txid: str
    address: str

    @property
    def endpoints(self) -> dict[str, Any]:
        return dict(self.playground.endpoints())

    def stop(self) -> None:
        self.playground.stop()


def start_and_fund(address: str, sats: int = GIFT_SATS) -> PlaygroundSession:
    """Start (or resume) the playground chain and pay ``sats`` to ``address`` in a new block."""
    from wallet.playground import Playground

    datadir = network_dir("regtest") / "playground"
    playground = Playground(datadir).start()
    try:
        txid = playground.fund(address, sats, confirm=True)
    except BaseException:
        playground.stop()
        raise
    return PlaygroundSession(playground, txid, address)
