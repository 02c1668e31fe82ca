"""Bitcoin Core as a chain source: its REST interface for headers, compact filters and blocks
(so the wallet proves everything as it does over P2P), and JSON-RPC for broadcasting, fee
estimates and the mempool.

    node = CoreNode.for_network("mainnet")                     # 127.0.0.1:8332, cookie auth
    source = CoreSource(node, store)
    await source.sync()                                        # headers, then filter headers
    found = await source.scan(scripts, birthday)               # blocks checked against headers
    await source.broadcast(raw_tx)

It knows nothing of wallets (the source-neutral wallet update comes with "one road").
"""
