"""Clients for the servers the wallet asks: Electrum protocol, Esplora HTTP, several at once.

``Backend`` (in :mod:`.base`) is the one interface; :class:`ElectrumClient` and
:class:`EsploraClient` implement it; :class:`ServerPool` uses several, cross-checks histories and
drops servers that misbehave; :mod:`.servers` loads the user-editable server list. Nothing here
verifies proofs or chains: that is ``wallet/spv``'s job, and the pool exposes what it needs.
"""

from wallet.backends.base import (
    Backend,
    Backoff,
    HeaderProof,
    HeaderReply,
    HistoryItem,
    IncompatibleServer,
    MalformedReply,
    RequestRejected,
    ServerError,
    ServerState,
    ServerStatus,
    ServerUnavailable,
    Tip,
    UnsupportedRequest,
    Utxo,
    electrum_status,
    scripthash_of,
)
from wallet.backends.electrum import CertPins, ElectrumClient
from wallet.backends.esplora import EsploraClient
from wallet.backends.pool import (
    BroadcastResult,
    CheckedHistory,
    Disagreement,
    PoolError,
    ServerPool,
)
from wallet.backends.servers import (
    ServerListError,
    ServerSpec,
    load_servers,
    make_backend,
    make_pool,
)

__all__ = [
    "Backend",
    "Backoff",
    "BroadcastResult",
    "CertPins",
    "CheckedHistory",
    "Disagreement",
    "ElectrumClient",
    "EsploraClient",
    "HeaderProof",
    "HeaderReply",
    "HistoryItem",
    "IncompatibleServer",
    "MalformedReply",
    "PoolError",
    "RequestRejected",
    "ServerError",
    "ServerListError",
    "ServerPool",
    "ServerSpec",
    "ServerState",
    "ServerStatus",
    "ServerUnavailable",
    "Tip",
    "UnsupportedRequest",
    "Utxo",
    "electrum_status",
    "load_servers",
    "make_backend",
    "make_pool",
    "scripthash_of",
]
