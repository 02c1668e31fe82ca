"""Bitcoin Core's JSON-RPC (``-server=1``): broadcasting, fee estimates and the mempool.

Authenticated by the node's cookie file or ``rpcuser``/``rpcpassword`` (HTTP basic auth, read
afresh on each connection since the cookie changes whenever bitcoind restarts). Amounts are
parsed as decimals, never floats.
"""

from __future__ import annotations

import itertools
import json
from decimal import Decimal
from typing import Any

from wallet import bounded_json
from wallet.bitcoin.amount import FeeRate
from wallet.core.node import CoreAuthFailed, CoreError, CoreMisbehaved, CoreRejected
from wallet.core.rest import _Http

#: the largest reply read: a whole mempool of txids, or a 4 MB transaction as hex, fits easily
MAX_REPLY = 64 << 20


class CoreRpc(_Http):
    _ids = itertools.count(1)

    async def call(self, method: str, *params: Any) -> Any:
        creds = self.node.credentials()
        body = {"jsonrpc": "1.0", "id": next(self._ids), "method": method, "params": list(params)}
        response = await self._request(
            "POST",
            "/",
            content=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            auth=(creds.user, creds.password),
        )
        if response.status_code == 401:
            how = (
                f"the cookie in {self.node.cookie} is stale (bitcoind writes a new one each "
                "start) or belongs to another node"
                if self.node.user is None
                else "check rpcuser and rpcpassword (or rpcauth) in bitcoin.conf"
            )
            raise CoreAuthFailed(
                f"Bitcoin Core at {self.node.address} refused the RPC credentials: {how}."
            )
        if response.status_code == 403:
            raise CoreAuthFailed(
                f"Bitcoin Core at {self.node.address} does not accept RPC from this machine: add "
                "its address with -rpcallowip (and -rpcbind) on the node."
            )
        try:
            reply = bounded_json.loads(response.content, max_bytes=MAX_REPLY, parse_float=Decimal)
        except ValueError:
            reply = None
        if not isinstance(reply, dict) or not ("result" in reply or "error" in reply):
            raise CoreMisbehaved(
                f"Bitcoin Core at {self.node.address} answered {method} with HTTP "
                f"{response.status_code} and no JSON-RPC reply."
            )
        error = reply.get("error")
        if error:
            if not isinstance(error, dict):
                error = {}
            code, message = error.get("code"), error.get("message")
            if isinstance(code, bool) or not isinstance(code, int) or not isinstance(message, str):
                raise CoreMisbehaved(f"Bitcoin Core sent a malformed error for {method}.")
            raise CoreRejected(method, code, message[:300])
        return reply.get("result")

    async def send_raw_transaction(self, raw: bytes) -> bytes:
        """Broadcast; the txid (internal order) the node reports."""
        txid = _txid(await self.call("sendrawtransaction", raw.hex()))
        if txid is None:
            raise CoreMisbehaved("Bitcoin Core answered sendrawtransaction without a txid.")
        return txid

    async def estimate_smart_fee(self, blocks: int, mode: str = "economical") -> FeeRate | None:
        """Core's estimate to confirm within ``blocks``; None when it has too little data."""
        result = await self.call("estimatesmartfee", blocks, mode)
        if not isinstance(result, dict):
            raise CoreMisbehaved("Bitcoin Core sent a malformed estimatesmartfee reply.")
        rate = result.get("feerate")
        if rate is None:
            return None
        try:
            return FeeRate.from_btc_per_kvb(rate)
        except CoreError:
            raise
        except Exception as exc:
            raise CoreMisbehaved(f"Bitcoin Core sent an unusable fee rate ({exc}).") from None

    async def mempool_entry(self, txid: bytes) -> dict[str, Any] | None:
        """``getmempoolentry``, or None when the transaction is not in the node's mempool."""
        try:
            entry = await self.call("getmempoolentry", txid[::-1].hex())
        except CoreRejected as err:
            if err.code == -5:
                return None
            raise
        if not isinstance(entry, dict):
            raise CoreMisbehaved("Bitcoin Core sent a malformed getmempoolentry reply.")
        return entry

    async def raw_mempool(self) -> list[bytes]:
        """Txids (internal order) in the node's mempool."""
        reply = await self.call("getrawmempool")
        txids = [_txid(t) for t in reply] if isinstance(reply, list) else [None]
        if any(t is None for t in txids):
            raise CoreMisbehaved("Bitcoin Core sent a malformed getrawmempool reply.")
        return txids  # type: ignore[return-value]


    async def raw_transaction(self, txid: bytes) -> bytes | None:
        """``getrawtransaction`` of a mempool transaction (no -txindex needed for those);
        None when the node no longer has it."""
        try:
            reply = await self.call("getrawtransaction", txid[::-1].hex())
        except CoreRejected as err:
            if err.code == -5:
                return None
            raise
        try:
            return bytes.fromhex(reply) if isinstance(reply, str) else None
        except ValueError:
            return None


def _txid(value: Any) -> bytes | None:
    """A txid in display hex as internal-order bytes; None for anything else."""
    if not isinstance(value, str) or len(value) != 64:
        return None
    try:
        return bytes.fromhex(value)[::-1]
    except ValueError:
        return None
