"""Interoperability: BDK's compact-filter client (Kyoto, through bdkpython) syncs a wallet from
one of the playground's P2P listeners, as it would from a Bitcoin Core node.

Kyoto does the handshake, header sync, ``getcfheaders``, ``getcfilters`` and fetches the
matching block; the wallet must end with exactly the coins the faucet paid it.
"""

from __future__ import annotations

import asyncio
import threading

import pytest

from tests.playground_fixture import start_playground

bdk = pytest.importorskip("bdkpython")
if not hasattr(bdk, "CbfBuilder"):
    pytest.skip("this bdkpython has no compact-filter client", allow_module_level=True)

TPRV = (
    "tprv8ZgxMBicQKsPd1EzCPZcQSPhsotX5HvRDCivA7ASNQFmjWuTsW3WWEwUNKFAZrnD9qpz55rtyLdphqkwRZUqNWYX"
    "wSEzd6P4pYvXGByRim3"
)


def test_bdk_kyoto_syncs_a_wallet_from_a_playground_listener(tmp_path):
    pg = start_playground(tmp_path / "pg", p2p_listeners=2)
    try:
        kind = bdk.NetworkKind.TEST
        wallet = bdk.Wallet(
            bdk.Descriptor(f"wpkh({TPRV}/84h/1h/0h/0/*)", kind),
            bdk.Descriptor(f"wpkh({TPRV}/84h/1h/0h/1/*)", kind),
            bdk.Network.REGTEST,
            bdk.Persister.new_in_memory(),
        )
        address = str(wallet.reveal_next_address(bdk.KeychainKind.EXTERNAL).address)
        pg.fund(address, 123_456, confirm=True)
        pg.mine(2)
        peer = bdk.Peer(
            address=bdk.IpAddress.from_ipv4(127, 0, 0, 1), port=pg.p2p_ports[0], v2_transport=False
        )
        parts = (
            bdk.CbfBuilder()
            .peers([peer])
            .connections(1)
            .only_configured_peers()
            .data_dir(str(tmp_path / "kyoto"))
            .build(wallet)
        )
        threading.Thread(target=parts.node.run, daemon=True).start()

        async def sync():
            return await asyncio.wait_for(parts.client.update(), 60)

        wallet.apply_update(asyncio.run(sync()))
        assert wallet.balance().total.to_sat() == 123_456
        assert wallet.latest_checkpoint().height == pg.height
        asked = pg.p2p(0).commands_received()
        for command in (
            "version",
            "verack",
            "getheaders",
            "getcfheaders",
            "getcfilters",
            "getdata",
        ):
            assert command in asked
        parts.client.shutdown()
    finally:
        pg.stop()
