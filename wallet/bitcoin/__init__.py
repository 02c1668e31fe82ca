"""Pure Bitcoin code: encodings, keys, scripts, transactions, PSBT. No I/O, no network, no Qt."""
