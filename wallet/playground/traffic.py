"""What a playground server was asked and sent: requests by kind, messages and bytes each way.

Benchmarks compare clients by these counts (``bench/sync.py``): unlike timings they do not move
with the load of the machine. Counted on the server's own event loop; :meth:`Traffic.snapshot`
may be read from any thread.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Traffic:
    #: requests by method (Electrum) or route (Esplora); a batch counts each of its requests
    requests: Counter[str] = field(default_factory=Counter)
    #: lines (Electrum: a batch is one) or HTTP requests received
    messages: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    connections: int = 0
    #: bytes sent by the kind of what was sent (P2P: the reply's command), where it is known
    sent: Counter[str] = field(default_factory=Counter)

    def snapshot(self) -> dict[str, Any]:
        return {
            "requests": sum(self.requests.values()),
            "by_kind": dict(self.requests),
            "messages": self.messages,
            "bytes_in": self.bytes_in,
            "bytes_out": self.bytes_out,
            "connections": self.connections,
            "bytes_out_by_kind": dict(self.sent),
        }

    def reset(self) -> None:
        self.requests.clear()
        self.sent.clear()
        self.messages = self.bytes_in = self.bytes_out = self.connections = 0
