"""Clients for the servers the wallet asks: Electrum protocol, Esplora HTTP, several at once.

``Backend`` (in :mod:`.base`) is the one interface; :class:`ElectrumClient` and
:class:`EsploraClient` implement it; :class:`ServerPool` uses several, cross-checks histories and
drops servers that misbehave; :mod:`.servers` loads the user-editable server list. Nothing here
verifies proofs or chains: that is ``wallet/spv``'s job, and the pool exposes what it needs.
"""

import importlib
from typing import Any

#: where each name lives: imported on first use, so importing one client (or the server list)
#: does not load every client and its libraries (httpx alone is ~0.1 s of the app's start-up)
_HOMES = {
    **dict.fromkeys(
        (
            "Backend",
            "Backoff",
            "HeaderProof",
            "HeaderReply",
            "HistoryItem",
            "IncompatibleServer",
            "MalformedReply",
            "RequestRejected",
            "ServerError",
            "ServerState",
            "ServerStatus",
            "ServerUnavailable",
            "Tip",
            "UnsupportedRequest",
            "Utxo",
            "electrum_status",
            "scripthash_of",
        ),
        "base",
    ),
    **dict.fromkeys(("CertPins", "ElectrumClient"), "electrum"),
    "EsploraClient": "esplora",
    **dict.fromkeys(
        ("BroadcastResult", "CheckedHistory", "Disagreement", "PoolError", "ServerPool"), "pool"
    ),
    **dict.fromkeys(
        ("ServerListError", "ServerSpec", "load_servers", "make_backend", "make_pool"), "servers"
    ),
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)


__all__ = sorted(_HOMES)
