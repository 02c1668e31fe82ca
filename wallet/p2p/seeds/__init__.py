"""Where peers come from: DNS seeds and a small fixed list per network (``generate.py``)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from wallet.bitcoin.networks import Network

HERE = Path(__file__).parent

#: Bitcoin Core's DNS seeds (kernel/chainparams.cpp); regtest has none.
DNS_SEEDS: dict[str, tuple[str, ...]] = {
    "mainnet": (
        "seed.bitcoin.sipa.be",
        "dnsseed.bluematt.me",
        "seed.bitcoin.jonasschnelli.ch",
        "seed.btc.petertodd.net",
        "seed.bitcoin.sprovoost.nl",
        "dnsseed.emzy.de",
        "seed.bitcoin.wiz.biz",
        "seed.mainnet.achownodes.xyz",
    ),
    "testnet3": (
        "testnet-seed.bitcoin.jonasschnelli.ch",
        "seed.tbtc.petertodd.net",
        "seed.testnet.bitcoin.sprovoost.nl",
        "testnet-seed.bluematt.me",
    ),
    "testnet4": ("seed.testnet4.bitcoin.sprovoost.nl", "seed.testnet4.wiz.biz"),
    "signet": ("seed.signet.bitcoin.sprovoost.nl", "seed.signet.achownodes.xyz"),
}


def dns_seeds(network: Network) -> tuple[str, ...]:
    return DNS_SEEDS.get(network.name, ())


@cache
def fixed_seeds(name: str) -> tuple[str, ...]:
    """The committed fallback list (``host:port``) of a network (empty when none)."""
    path = HERE / f"{name}.json"
    if not path.exists():
        return ()
    return tuple(json.loads(path.read_text())["nodes"])
