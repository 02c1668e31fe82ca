"""Bitcoin Core's REST interface (``-rest=1``): headers, filter headers, filters, blocks.

Nothing here is trusted more than a P2P peer would be: the caller checks headers by proof of
work in the header store, filters against their filter headers, and blocks against our headers
(Merkle root recomputed). REST needs no credentials, so it is also what a node on another
machine can serve to a wallet that holds no RPC password.
"""

from __future__ import annotations

from typing import Any

import httpx

from wallet import bounded_json
from wallet.bitcoin.errors import BitcoinError
from wallet.bitcoin.serialize import ByteReader
from wallet.core.node import (
    PORTS_HINT,
    CoreError,
    CoreFilterIndexDisabled,
    CoreMisbehaved,
    CoreNode,
    CoreRestDisabled,
    CoreUnavailable,
)
from wallet.net.proxy import open_http_client
from wallet.spv.merkle import Block

#: Core's MAX_REST_HEADERS_RESULTS
MAX_HEADERS = 2000


class _Http:
    """One keep-alive HTTP client to the node, errors turned into sentences."""

    def __init__(self, node: CoreNode, *, timeout: float = 30.0, connect_timeout: float = 10.0):
        self.node = node
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self._client: httpx.AsyncClient | None = None
        self.requests = 0
        self.bytes_in = 0

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = open_http_client(
                base_url=self.node.url,
                timeout=httpx.Timeout(self.timeout, connect=self.connect_timeout),
                follow_redirects=False,
            )
        return self._client

    async def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        self.requests += 1
        try:
            response = await self._http().request(method, path, **kwargs)
        except httpx.TimeoutException:
            raise CoreUnavailable(
                f"Bitcoin Core at {self.node.address} did not answer within {self.timeout:g} s."
            ) from None
        except (httpx.TransportError, OSError) as exc:
            raise CoreUnavailable(
                f"Cannot reach Bitcoin Core at {self.node.address} ({exc}): is bitcoind running "
                f"with -server=1, and is this its RPC port ({PORTS_HINT})?"
            ) from None
        self.bytes_in += len(response.content)
        return response

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None


class CoreRest(_Http):
    async def _get(self, path: str, what: str) -> bytes:
        response = await self._request("GET", f"/rest/{path}")
        if response.status_code == 200:
            return response.content
        text = response.text.strip()
        if response.status_code in (403, 404) and not text:
            # no handler is registered for /rest/ on a node started without -rest
            raise CoreRestDisabled(
                f"Bitcoin Core at {self.node.address} does not serve REST: start bitcoind with "
                "-rest=1 (or add rest=1 to bitcoin.conf)."
            )
        if "Index is not enabled for filtertype" in text:
            raise CoreFilterIndexDisabled(
                f"Bitcoin Core at {self.node.address} keeps no compact block filters: start "
                "bitcoind with -blockfilterindex=1 (or add blockfilterindex=1 to bitcoin.conf) "
                "and let it build the index."
            )
        raise CoreError(
            f"Bitcoin Core at {self.node.address} could not give {what}: "
            f"{text or f'HTTP {response.status_code}'}"
        )

    async def chaininfo(self) -> dict[str, Any]:
        data = await self._get("chaininfo.json", "its chain state")
        try:
            info = bounded_json.loads(data, max_bytes=1 << 20)
        except ValueError:
            info = None
        if not isinstance(info, dict) or not isinstance(info.get("blocks"), int):
            raise CoreMisbehaved(f"Bitcoin Core at {self.node.address} sent malformed chaininfo.")
        return info

    async def headers(self, start: bytes, count: int = MAX_HEADERS) -> list[bytes]:
        """Up to ``count`` raw headers of the node's active chain from block ``start`` on
        (none when ``start`` is not on it)."""
        data = await self._get(f"headers/{start[::-1].hex()}.bin?count={count}", "headers")
        if len(data) % 80 or len(data) > 80 * count:
            raise CoreMisbehaved(
                f"Bitcoin Core at {self.node.address} sent {len(data)} bytes of headers."
            )
        return [data[i : i + 80] for i in range(0, len(data), 80)]

    async def filter_headers(self, start: bytes, count: int = MAX_HEADERS) -> list[bytes]:
        data = await self._get(
            f"blockfilterheaders/basic/{start[::-1].hex()}.bin?count={count}", "filter headers"
        )
        if len(data) % 32 or len(data) > 32 * count:
            raise CoreMisbehaved(
                f"Bitcoin Core at {self.node.address} sent {len(data)} bytes of filter headers."
            )
        return [data[i : i + 32] for i in range(0, len(data), 32)]

    async def block_filter(self, block_hash: bytes) -> bytes:
        """The basic filter of a block (its serialized BlockFilter unwrapped and checked)."""
        data = await self._get(f"blockfilter/basic/{block_hash[::-1].hex()}.bin", "a filter")
        try:
            reader = ByteReader(data)
            kind = reader.u8()
            named = reader.read(32)
            encoded = reader.var_bytes()
            reader.expect_end("block filter")
        except BitcoinError as exc:
            raise CoreMisbehaved(
                f"Bitcoin Core at {self.node.address} sent a malformed filter ({exc})."
            ) from None
        if kind != 0 or named != block_hash:
            raise CoreMisbehaved(
                f"Bitcoin Core at {self.node.address} sent the filter of another block."
            )
        return encoded

    async def block(self, block_hash: bytes) -> Block:
        """A whole block with witnesses (its content is the caller's to check)."""
        data = await self._get(f"block/{block_hash[::-1].hex()}.bin", "a block")
        try:
            return Block.parse(data)
        except BitcoinError as exc:
            raise CoreMisbehaved(
                f"Bitcoin Core at {self.node.address} sent a malformed block ({exc})."
            ) from None
