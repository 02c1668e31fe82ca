"""The Bitcoin peer-to-peer protocol: the message codec (``messages``, pure), peer connections
(``peer``), and the compact-filter light client built on them (``client``, ``scanner``)."""
