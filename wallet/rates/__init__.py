"""The price of bitcoin in a person's currency, asked of several public sources.

``base.py`` holds the quote type and the one bounded HTTP read every adapter uses; one small
module per source turns that source's documented reply into a :class:`~wallet.rates.base.Quote`
(``mempool.py``, ``coinbase.py``, ``kraken.py``, ``coingecko.py``, ``blockchain.py``);
``service.py`` asks them all at once and keeps the median of those that answer, with its age
and sources. Connections go through :func:`wallet.net.proxy.open_http_client` (Tor when set).
"""
