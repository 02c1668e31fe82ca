"""Sighash algorithms against the BIP143 examples and the BIP341 wallet vectors.

The BIP143 examples are read out of the BIP text itself; every transaction they sign is also
handed to libbitcoinkernel, so the spec's own signatures vouch for our legacy/BIP143 digests.
"""

from __future__ import annotations

import itertools
import json
import re
from decimal import Decimal

import pytest

from tests.conftest import shared_path
from tests.kernel import verify_inputs
from wallet.bitcoin.errors import SigningError
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.script import ScriptType, p2pkh_script
from wallet.bitcoin.serialize import ByteReader
from wallet.bitcoin.sighash import (
    SIGHASH_ALL,
    SIGHASH_ANYONECANPAY,
    SIGHASH_DEFAULT,
    SIGHASH_NONE,
    SIGHASH_SINGLE,
    SighashCache,
    legacy_sighash,
    segwit_v0_sighash,
    taproot_sighash,
)
from wallet.bitcoin.signing import public_key, sign_input, verify_ecdsa
from wallet.bitcoin.transaction import OutPoint, Transaction, TxIn, TxOut

# -- BIP143 --------------------------------------------------------------------------------------

_TX_RE = re.compile(
    r"The following (?:is an unsigned transaction|transaction is a .*? examples):\s*([0-9a-f]+)"
)
_PREIMAGE_RE = re.compile(
    r"(?:hash )?preimage(?: for [A-Z|]+)?:\s*([0-9a-f]+).*?sig[Hh]ash:\s*([0-9a-f]{64})", re.S
)
_SPENT_RE = re.compile(r"scriptPubKey\s*:\s*([0-9a-f]+),?\s*value:\s*([0-9.]+)")
_SIGNED_RE = re.compile(r"The serialized signed transaction is:\s*([0-9a-f]+)")


def _bip143_sections() -> list[dict]:
    text = shared_path("vectors", "bips_spec", "bip-0143.mediawiki").read_text()
    text = text[text.index("== Example ==") : text.index("== Deployment ==")]
    starts = [m.start() for m in _TX_RE.finditer(text)] + [len(text)]
    sections = []
    for a, b in itertools.pairwise(starts):
        chunk = text[a:b]
        sections.append(
            {
                "tx": Transaction.from_hex(_TX_RE.search(chunk).group(1)),
                "preimages": _PREIMAGE_RE.findall(chunk),
                "spent": [
                    TxOut(int(Decimal(v) * 100_000_000), bytes.fromhex(s))
                    for s, v in _SPENT_RE.findall(chunk)
                ],
                "signed": _SIGNED_RE.findall(chunk),
                "chunk": chunk,
            }
        )
    return sections


def _preimage_fields(preimage: bytes) -> tuple[OutPoint, bytes, int, int]:
    """The outpoint, scriptCode, amount and hash type a BIP143 preimage was made with."""
    r = ByteReader(preimage)
    r.read(4 + 32 + 32)
    outpoint = OutPoint(r.read(32), r.u32())
    script_code = r.var_bytes()
    amount = r.i64()
    r.read(4 + 32 + 4)
    hash_type = r.u32()
    r.expect_end()
    return outpoint, script_code, amount, hash_type


def test_bip143_every_preimage_and_sighash():
    sections = _bip143_sections()
    checked = 0
    for section in sections:
        tx = section["tx"]
        for preimage_hex, sighash_hex in section["preimages"]:
            preimage = bytes.fromhex(preimage_hex)
            assert sha256d(preimage).hex() == sighash_hex
            outpoint, script_code, amount, hash_type = _preimage_fields(preimage)
            index = [i.prevout for i in tx.inputs].index(outpoint)
            cache = SighashCache(tx)
            assert cache.segwit_v0_preimage(index, script_code, amount, hash_type) == preimage
            assert segwit_v0_sighash(tx, index, script_code, amount, hash_type).hex() == sighash_hex
            checked += 1
    # P2WPKH 1, P2SH-P2WPKH 1, two P2WSH examples 2 + 2, P2SH-P2WSH 6, no-FindAndDelete 2
    assert checked == 14


def test_bip143_signed_transactions_pass_the_kernel():
    """Every fully signed transaction in the BIP whose spent outputs the text gives."""
    verified = 0
    for section in _bip143_sections():
        spent_by_outpoint = {
            txin.prevout: out
            for txin, out in zip(section["tx"].inputs, section["spent"], strict=False)
        }
        for signed_hex in section["signed"]:
            signed = Transaction.from_hex(signed_hex)
            if not all(i.prevout in spent_by_outpoint for i in signed.inputs):
                continue
            spent = [spent_by_outpoint[i.prevout] for i in signed.inputs]
            assert all(verify_inputs(signed, spent)), signed_hex[:40]
            verified += 1
    assert verified >= 5


def test_bip143_p2wpkh_example_signed_by_us():
    section = _bip143_sections()[0]
    assert "Native P2WPKH" in section["chunk"] or section["spent"][1].script_pubkey[0] == 0
    tx, spent = section["tx"], section["spent"]
    keys = re.findall(r"private key\s*:\s*([0-9a-f]{64})", section["chunk"])
    expected = Transaction.from_hex(section["signed"][0])
    # Input 0 is P2PK, signed in the BIP without low-R grinding: check the legacy digest with
    # its signature, then sign input 1 (P2WPKH) ourselves and expect the BIP's exact bytes.
    p2pk_sig = expected.inputs[0].script_sig[1:]  # one push: DER signature + hash type
    digest = legacy_sighash(tx, 0, spent[0].script_pubkey, p2pk_sig[-1])
    assert verify_ecdsa(public_key(bytes.fromhex(keys[0])), p2pk_sig[:-1], digest)
    tx.inputs[0].script_sig = expected.inputs[0].script_sig
    sign_input(tx, 1, bytes.fromhex(keys[1]), spent, ScriptType.P2WPKH)
    assert tx.serialize() == expected.serialize()
    assert all(verify_inputs(tx, spent))


def test_bip143_p2sh_p2wpkh_example_signed_by_us():
    section = _bip143_sections()[1]
    tx, spent = section["tx"], section["spent"]
    key = bytes.fromhex(re.search(r"private key\s*:\s*([0-9a-f]{64})", section["chunk"]).group(1))
    sign_input(tx, 0, key, spent)  # type inferred: P2SH wrapping this key's P2WPKH
    assert tx.serialize().hex() == section["signed"][0]


# -- legacy quirks -------------------------------------------------------------------------------


def _two_in_one_out() -> Transaction:
    return Transaction(
        2,
        [TxIn(OutPoint(bytes([i]) * 32, i)) for i in (1, 2)],
        [TxOut(1000, p2pkh_script(bytes(20)))],
    )


def test_legacy_single_without_matching_output_is_one():
    tx = _two_in_one_out()
    one = (1).to_bytes(32, "little")
    assert legacy_sighash(tx, 1, p2pkh_script(bytes(20)), SIGHASH_SINGLE) == one
    assert legacy_sighash(tx, 1, b"", SIGHASH_SINGLE | SIGHASH_ANYONECANPAY) == one
    assert legacy_sighash(tx, 0, b"", SIGHASH_SINGLE) != one


def test_legacy_codeseparator_is_removed_from_script_code():
    tx = _two_in_one_out()
    script = bytes.fromhex("ab") + p2pkh_script(bytes(20)) + bytes.fromhex("ab")
    assert legacy_sighash(tx, 0, script, SIGHASH_ALL) == legacy_sighash(
        tx, 0, p2pkh_script(bytes(20)), SIGHASH_ALL
    )


def test_legacy_hash_types_differ():
    tx = _two_in_one_out()
    code = p2pkh_script(bytes(20))
    types = [1, 2, 3, 0x81, 0x82, 0x83]
    digests = {legacy_sighash(tx, 0, code, t) for t in types}
    assert len(digests) == len(types)


# -- BIP341 --------------------------------------------------------------------------------------


def _bip341() -> dict:
    return json.loads(shared_path("vectors", "bip341", "wallet-test-vectors.json").read_text())


def test_bip341_key_path_sigmsg_sighash_and_witness():
    from wallet.bitcoin.signing import sign_schnorr
    from wallet.bitcoin.taproot import taproot_tweak_seckey

    for case in _bip341()["keyPathSpending"]:
        tx = Transaction.from_hex(case["given"]["rawUnsignedTx"])
        spent = [
            TxOut(u["amountSats"], bytes.fromhex(u["scriptPubKey"]))
            for u in case["given"]["utxosSpent"]
        ]
        cache = SighashCache(tx, spent)
        inter = case["intermediary"]
        assert cache._sha("amounts").hex() == inter["hashAmounts"]
        assert cache._sha("outputs").hex() == inter["hashOutputs"]
        assert cache._sha("prevouts").hex() == inter["hashPrevouts"]
        assert cache._sha("scriptpubkeys").hex() == inter["hashScriptPubkeys"]
        assert cache._sha("sequences").hex() == inter["hashSequences"]
        for spend in case["inputSpending"]:
            given, mid = spend["given"], spend["intermediary"]
            index, htype = given["txinIndex"], given["hashType"]
            assert (b"\x00" + cache.taproot_sigmsg(index, htype)).hex() == mid["sigMsg"]  # epoch 0
            digest = taproot_sighash(tx, index, spent, htype)
            assert digest.hex() == mid["sigHash"]
            merkle = bytes.fromhex(given["merkleRoot"]) if given["merkleRoot"] else None
            seckey = taproot_tweak_seckey(bytes.fromhex(given["internalPrivkey"]), merkle)
            assert seckey.hex() == mid["tweakedPrivkey"]
            sig = sign_schnorr(seckey, digest, aux_rand=bytes(32))
            if htype != SIGHASH_DEFAULT:
                sig += bytes([htype])
            assert [sig.hex()] == spend["expected"]["witness"]
        # The fully signed transaction (taproot, P2PKH and P2WPKH inputs) passes the kernel.
        signed = Transaction.from_hex(case["auxiliary"]["fullySignedTx"])
        assert all(verify_inputs(signed, spent))


def test_bip341_script_pubkeys_and_addresses():
    from wallet.bitcoin.taproot import taproot_output_key

    address = pytest.importorskip("wallet.bitcoin.address")
    for case in _bip341()["scriptPubKey"]:
        internal = bytes.fromhex(case["given"]["internalPubkey"])
        root = case["intermediary"]["merkleRoot"]
        key, _parity = taproot_output_key(internal, bytes.fromhex(root) if root else None)
        assert key.hex() == case["intermediary"]["tweakedPubkey"]
        script = bytes.fromhex(case["expected"]["scriptPubKey"])
        assert script == bytes([0x51, 0x20]) + key
        assert address.script_to_address(script, "mainnet") == case["expected"]["bip350Address"]
        assert address.address_to_script(case["expected"]["bip350Address"], "mainnet") == script


def _taproot_tx() -> tuple[Transaction, list[TxOut]]:
    tx = Transaction(
        2,
        [TxIn(OutPoint(bytes([i]) * 32, 0)) for i in (1, 2)],
        [TxOut(500, bytes([0x51, 0x20]) + bytes(32))],
    )
    spent = [TxOut(1000, bytes([0x51, 0x20]) + bytes([7]) * 32) for _ in range(2)]
    return tx, spent


@pytest.mark.parametrize("bad", [0x04, 0x80, 0x84, 0xFF, 0x41])
def test_taproot_rejects_undefined_hash_types(bad):
    tx, spent = _taproot_tx()
    with pytest.raises(SigningError, match="not valid for taproot"):
        taproot_sighash(tx, 0, spent, bad)


def test_taproot_single_needs_a_matching_output():
    tx, spent = _taproot_tx()
    taproot_sighash(tx, 0, spent, SIGHASH_SINGLE)
    for htype in (SIGHASH_SINGLE, SIGHASH_SINGLE | SIGHASH_ANYONECANPAY):
        with pytest.raises(SigningError, match="SIGHASH_SINGLE"):
            taproot_sighash(tx, 1, spent, htype)


def test_taproot_needs_every_spent_output():
    tx, spent = _taproot_tx()
    with pytest.raises(SigningError, match="spent outputs"):
        taproot_sighash(tx, 0, spent[:1], SIGHASH_DEFAULT)


def test_taproot_anyonecanpay_ignores_other_inputs_and_annex_changes_digest():
    tx, spent = _taproot_tx()
    acp = SIGHASH_ALL | SIGHASH_ANYONECANPAY
    before = taproot_sighash(tx, 0, spent, acp)
    other = [spent[0], TxOut(5, b"\x00\x14" + bytes(20))]
    assert taproot_sighash(tx, 0, other, acp) == before
    assert taproot_sighash(tx, 0, other, SIGHASH_ALL) != taproot_sighash(tx, 0, spent, SIGHASH_ALL)
    assert taproot_sighash(tx, 0, spent, acp, annex=b"\x50\x01") != before
    with pytest.raises(SigningError, match="annex"):
        taproot_sighash(tx, 0, spent, acp, annex=b"\x51")
    none_digest = taproot_sighash(tx, 0, spent, SIGHASH_NONE)
    tx.outputs[0].value = 1
    assert taproot_sighash(tx, 0, spent, SIGHASH_NONE) == none_digest


def test_out_of_range_input_is_a_signing_error():
    tx, spent = _taproot_tx()
    with pytest.raises(SigningError, match="out of range"):
        taproot_sighash(tx, 5, spent)
    with pytest.raises(SigningError, match="out of range"):
        segwit_v0_sighash(tx, 2, b"", 1, SIGHASH_ALL)
