"""Blockchain Commons Uniform Resources (BCR-2020-005): the ``ur:`` QR format of air-gapped signers.

``bytewords`` (BCR-2020-012) turns bytes into letters with a CRC32, ``cbor`` is the small part of
CBOR (RFC 8949) that URs use, ``xoshiro`` and ``fountain`` are the rateless fountain code that
lets a long message be read from any large enough set of animated frames, ``ur`` joins them into
``ur:type/...`` strings, and ``registry`` reads and writes the Bitcoin types signers exchange
(``crypto-psbt``/``psbt``, ``crypto-hdkey``/``hdkey``, ``crypto-output``/``output-descriptor``,
``crypto-account``/``account-descriptor``). All of it is pure: no files, no network, no Qt.
"""
