"""The flood guard's three bounds on what one server can make the wallet store (the count per
sync is also shown end to end, by a flooding playground server, in test_sync_lying_trust)."""

from __future__ import annotations

from wallet.sync.flood import MAX_NEW_BYTES, MAX_NEW_UNPROVEN, MAX_STORED, FloodGuard


def _ids(prefix: int, n: int) -> set[bytes]:
    return {bytes([prefix]) + i.to_bytes(31, "big") for i in range(n)}


def test_new_unprovable_transactions_are_counted_per_server_and_sync() -> None:
    guard = FloodGuard()
    honest, liar = _ids(1, 40), _ids(2, MAX_NEW_UNPROVEN)
    assert guard.listed({"honest": honest, "liar": liar}) == {}
    assert guard.listed({"liar": liar}) == {}  # the same ones again: still 500
    floods = guard.listed({"honest": honest, "liar": _ids(3, 1)})
    assert list(floods) == ["liar"] and "it listed 501 transactions this sync" in floods["liar"]
    guard.start_sync()  # a new sync counts afresh
    assert guard.listed({"liar": _ids(3, 1)}) == {}


def test_their_bytes_are_bounded_per_server() -> None:
    guard = FloodGuard()
    honest, liar = _ids(1, 10), _ids(2, 10)
    guard.listed({"honest": honest, "liar": liar | honest})
    size = MAX_NEW_BYTES // 10
    assert guard.served(dict.fromkeys(liar, size)) == {}  # exactly the limit
    floods = guard.served(dict.fromkeys(honest, 1))
    assert list(floods) == ["liar"]  # the honest server lists only its own ten bytes
    assert f"add up to {MAX_NEW_BYTES + 10:,} bytes" in floods["liar"]


def test_the_wallet_holds_a_bounded_number_of_unproven_transactions() -> None:
    guard = FloodGuard()
    small, big = _ids(1, 3), _ids(2, 300)
    assert guard.stored(MAX_STORED - 303, {"a": small, "b": big}) == {}
    floods = guard.stored(MAX_STORED - 302, {"a": small, "b": big | small})
    assert list(floods) == ["b"] and "would take the wallet past 5,000" in floods["b"]
