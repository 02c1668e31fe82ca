"""How Paylight opens network connections: directly, or through a SOCKS5 proxy such as Tor.

Every client (Electrum, Esplora, P2P peers, Bitcoin Core, fiat-rate sources) opens its
connections through :func:`wallet.net.proxy.open_stream` or
:func:`wallet.net.proxy.open_http_client`, so one setting routes them all.
"""
