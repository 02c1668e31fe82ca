"""PSBT (BIP174) against the official vectors, Bitcoin Core's rpc_psbt.json, and the kernel."""

from __future__ import annotations

import base64
import json
import random
import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import shared_path
from tests.kernel import assert_inputs_valid
from wallet.bitcoin.errors import PSBTError
from wallet.bitcoin.hashes import hash160, sha256
from wallet.bitcoin.psbt import PSBT, KeyOrigin
from wallet.bitcoin.script import ScriptType, p2wpkh_script
from wallet.bitcoin.sighash import SIGHASH_ALL, SIGHASH_DEFAULT, SighashCache
from wallet.bitcoin.signing import (
    output_scripts,
    sign_transaction,
    verify_ecdsa,
    xonly_public_key,
)
from wallet.bitcoin.transaction import OutPoint, Transaction, TxIn, TxOut

H = 0x80000000


def _load(*parts: str):
    return json.loads(shared_path("vectors", *parts).read_text())


# -- parsing: valid round-trips byte for byte, invalid raises PSBTError ------------------------


def _all_vector_psbts() -> tuple[list[tuple[str, bytes]], list[tuple[str, bytes]]]:
    valid, invalid = [], []
    for case in _load("extracted", "bip174_psbt_test_vectors.json")["cases"]:
        (valid if case["kind"] == "valid" else invalid).append(
            (case["case"], bytes.fromhex(case["hex"]))
        )
    for name in ("bitcoin-core_rpc_psbt.json", "nbitcoin_psbt.json"):
        data = _load("bip174_psbt", name)
        for kind, bucket in (("valid", valid), ("invalid", invalid)):
            for n, b64 in enumerate(data[kind]):
                try:
                    raw = base64.b64decode(b64, validate=True)
                except ValueError:
                    raw = b64.encode()  # not even base64: still must be a PSBTError
                bucket.append((f"{name} {kind} #{n}", raw))
    return valid, invalid


def test_every_valid_vector_round_trips_byte_exact():
    valid, _ = _all_vector_psbts()
    assert len(valid) >= 30
    for name, raw in valid:
        psbt = PSBT.parse(raw)
        assert psbt.serialize() == raw, name
        assert PSBT.from_base64(psbt.to_base64()).serialize() == raw, name


def test_every_invalid_vector_raises_psbt_error():
    _, invalid = _all_vector_psbts()
    assert len(invalid) >= 60
    for name, raw in invalid:
        with pytest.raises(PSBTError) as info:
            PSBT.parse(raw)
        assert str(info.value), name


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("Network transaction, not PSBT format", "magic"),
        ("PSBT missing outputs", "output maps"),
        ("PSBT where one input has a filled scriptSig in the unsigned tx", "scriptSig"),
        ("PSBT with duplicate keys in an input", "duplicate key"),
        ("PSBT with invalid input witness utxo typed key", "key must be 1 bytes"),
        ("PSBT with invalid pubkey length for input partial signature typed key", "public key"),
        ("PSBT with invalid pubkey in output BIP 32 derivation paths typed key", "public key"),
    ],
)
def test_invalid_vectors_name_the_problem(case, message):
    raw = next(
        bytes.fromhex(c["hex"])
        for c in _load("extracted", "bip174_psbt_test_vectors.json")["cases"]
        if c["case"] == case
    )
    with pytest.raises(PSBTError, match=message):
        PSBT.parse(raw)


def test_base64_errors():
    with pytest.raises(PSBTError, match="base64"):
        PSBT.from_base64("cHNidP8B!!!")
    with pytest.raises(PSBTError, match="magic"):
        PSBT.from_base64(base64.b64encode(b"psbt\x00").decode())


# -- Bitcoin Core's rpc_psbt.json roles --------------------------------------------------------


def _core() -> dict:
    return _load("bip174_psbt", "bitcoin-core_rpc_psbt.json")


def test_core_creator():
    address = pytest.importorskip("wallet.bitcoin.address")
    for case in _core()["creator"]:
        tx = Transaction(
            2,
            [
                TxIn(OutPoint.from_hex(i["txid"], i["vout"]), sequence=0xFFFFFFFF)
                for i in case["inputs"]
            ],
            [
                TxOut(
                    int(Decimal(str(amount)) * 100_000_000),
                    address.address_to_script(addr, "regtest"),
                )
                for out in case["outputs"]
                for addr, amount in out.items()
            ],
            0,
        )
        assert PSBT.from_transaction(tx).to_base64() == case["result"]


def test_core_signer():
    keys_mod = pytest.importorskip("wallet.bitcoin.keys")
    for n, case in enumerate(_core()["signer"]):
        psbt = PSBT.from_base64(case["psbt"])
        keys = [keys_mod.wif_decode(k, "regtest")[0] for k in case["privkeys"]]
        psbt.sign(keys, SIGHASH_ALL)
        assert psbt.to_base64() == case["result"], f"signer case {n}"


def test_core_combiner_finalizer_extractor():
    core = _core()
    for case in core["combiner"]:
        combined = PSBT.combine(PSBT.from_base64(b) for b in case["combine"])
        assert combined.to_base64() == case["result"]
    for case in core["finalizer"]:
        psbt = PSBT.from_base64(case["finalize"])
        assert psbt.finalize() is True
        assert psbt.to_base64() == case["result"]
    for case in core["extractor"]:
        psbt = PSBT.from_base64(case["extract"])
        tx = psbt.extract()
        assert tx.serialize().hex() == case["result"]
        assert_inputs_valid(tx, psbt.spent_outputs())  # multisig P2SH and P2SH-P2WSH


# -- the BIP174 text's own workflow (creator -> updater -> signers -> combiner -> finalizer) ----


def _bip174_workflow() -> dict:
    text = shared_path("vectors", "bips_spec", "bip-0174.mediawiki").read_text()
    text = text[text.index("The private keys in the tests below") :]
    text = text[: text.index("Given these two PSBTs with unknown")]

    def between(a: str, b: str) -> str:
        return text[text.index(a) : text.index(b)]

    return {
        "tprv": re.search(r"(tprv[1-9A-Za-z]+)", text).group(1),
        "outputs": re.findall(
            r"scriptPubKey: <tt>([0-9a-f]+)</tt>, Amount: <tt>([0-9.]+)</tt>", text
        ),
        "inputs": re.findall(r"TXID: <tt>([0-9a-f]{64})</tt>, Index: <tt>(\d+)</tt>", text),
        "redeem": re.findall(
            r"<tt>([0-9a-f]+)</tt>", between("Redeem Scripts:", "Witness Scripts:")
        ),
        "witness": re.findall(
            r"<tt>([0-9a-f]+)</tt>", between("Witness Scripts:", "Previous Transactions:")
        ),
        "prevtxs": re.findall(
            r"<pre>([0-9a-f]+)</pre>", between("Previous Transactions:", "Public Keys")
        ),
        "pubkeys": re.findall(
            r"Key: <tt>([0-9a-f]{66})</tt>, Derivation Path: <tt>([m0-9'/]+)</tt>", text
        ),
        "wifs": re.findall(r"<tt>(c[1-9A-Za-z]{51})</tt> \(<tt>([m0-9'/]+)</tt>\)", text),
        "psbts": re.findall(r"Base64 String: <pre>([^<]+)</pre>", text),
        "tx": re.findall(r"Bytes in Hex: <pre>([0-9a-f]+)</pre>", text)[-1],
    }


def _path(text: str) -> tuple[int, ...]:
    return tuple(int(p[:-1]) + H if p.endswith("'") else int(p) for p in text.split("/")[1:])


def test_bip174_workflow_from_the_bip_text():
    bip32 = pytest.importorskip("wallet.bitcoin.bip32")
    keys_mod = pytest.importorskip("wallet.bitcoin.keys")
    w = _bip174_workflow()
    creator, updated, with_sighash, signed1, signed2, combined, finalized = w["psbts"]

    tx = Transaction(
        2,
        [TxIn(OutPoint.from_hex(t, int(i)), sequence=0xFFFFFFFF) for t, i in w["inputs"]],
        [TxOut(int(Decimal(a) * 100_000_000), bytes.fromhex(s)) for s, a in w["outputs"]],
        0,
    )
    psbt = PSBT.from_transaction(tx)
    assert psbt.to_base64() == creator

    # Updater: each script and key goes where it belongs, found by hashing.
    master = bip32.ExtendedKey.parse(w["tprv"])
    prevs = {t.txid(): t for t in (Transaction.from_hex(h) for h in w["prevtxs"])}
    redeems = {hash160(s): s for s in map(bytes.fromhex, w["redeem"])}
    witnesses = [bytes.fromhex(s) for s in w["witness"]]
    origins = {bytes.fromhex(k): KeyOrigin(master.fingerprint, _path(p)) for k, p in w["pubkeys"]}
    for i, txin in enumerate(psbt.tx.inputs):
        prev = prevs[txin.prevout.txid]
        spk = prev.outputs[txin.prevout.vout].script_pubkey
        redeem = redeems[spk[2:22]]
        scripts = [redeem]
        if redeem[0] == 0:  # P2SH-wrapped segwit: the witness UTXO is enough
            ws = next(s for s in witnesses if redeem[2:] == sha256(s))
            scripts.append(ws)
            psbt.update_input(
                i,
                witness_utxo=prev.outputs[txin.prevout.vout],
                redeem_script=redeem,
                witness_script=ws,
            )
        else:
            psbt.update_input(i, non_witness_utxo=prev, redeem_script=redeem)
        psbt.update_input(
            i, bip32_derivations={k: o for k, o in origins.items() if any(k in s for s in scripts)}
        )
    for o, out in enumerate(psbt.tx.outputs):
        psbt.update_output(
            o,
            bip32_derivations={
                k: v for k, v in origins.items() if p2wpkh_script(hash160(k)) == out.script_pubkey
            },
        )
    assert psbt.to_base64() == updated
    for i in range(len(psbt.inputs)):
        psbt.update_input(i, sighash_type=SIGHASH_ALL)
    assert psbt.to_base64() == with_sighash

    # The WIF keys are the master key's children at the paths the BIP states.
    wif_keys = []
    for wif, path in w["wifs"]:
        secret = keys_mod.wif_decode(wif, "testnet3")[0]
        assert master.derive_path(path).secret == secret
        wif_keys.append(secret)
    first, second = PSBT.from_base64(with_sighash), PSBT.from_base64(with_sighash)
    assert first.sign(wif_keys[:2]) == [0, 1]
    assert first.to_base64() == signed1
    assert second.sign(wif_keys[2:4]) == [0, 1]
    theirs = PSBT.from_base64(signed2)
    differing = 0
    for i, (mine_m, their_m) in enumerate(zip(second.inputs, theirs.inputs, strict=True)):
        assert list(mine_m.entries) == list(their_m.entries)
        for key, value in mine_m.entries.items():
            if value == their_m.entries[key]:
                continue
            # One signature in the BIP text predates Core's low-R grinding (its R has 33
            # bytes). Both signatures must verify over our digest; ours must be low-R.
            assert key[0] == 0x02 and i == 0
            digest = SighashCache(theirs.tx).legacy(0, theirs.inputs[0].redeem_script, SIGHASH_ALL)
            assert verify_ecdsa(key[1:], their_m.entries[key][:-1], digest)
            assert verify_ecdsa(key[1:], value[:-1], digest)
            assert their_m.entries[key][3] == 33 and value[3] == 32
            differing += 1
    assert differing == 1

    both = PSBT.combine([first, theirs])
    assert both.to_base64() == combined
    assert both.finalize()
    assert both.to_base64() == finalized
    assert both.extract().serialize().hex() == w["tx"]
    assert_inputs_valid(both.extract(), both.spent_outputs())


def test_signer_refuses_inputs_whose_scripts_do_not_match():
    """BIP174 'Fails Signer checks': a signer must not sign those inputs (keys from the BIP)."""
    keys_mod = pytest.importorskip("wallet.bitcoin.keys")
    w = _bip174_workflow()
    keys = [keys_mod.wif_decode(wif, "testnet3")[0] for wif, _ in w["wifs"]]
    cases = _load("bip174_psbt", "nbitcoin_psbt.json")["invalidForSigners"]
    # 0: witness UTXO for a P2PKH input; 1: redeem script != non-witness UTXO's script;
    # 2: redeem script != witness UTXO's script; 3: witness script != redeem script's hash.
    refused_input = [0, 0, 1, 1]
    for b64, refused in zip(cases, refused_input, strict=True):
        psbt = PSBT.from_base64(b64)
        before = psbt.inputs[refused].partial_sigs
        psbt.sign(keys)
        assert psbt.inputs[refused].partial_sigs == before


# -- our own wallet flow over the four script types, checked by the kernel ----------------------


def _wallet_flow(htype: int | None, rng: random.Random):
    bip32 = pytest.importorskip("wallet.bitcoin.bip32")
    master = bip32.ExtendedKey.from_seed(rng.randbytes(32), "regtest")
    kinds = [ScriptType.P2PKH, ScriptType.P2SH_P2WPKH, ScriptType.P2WPKH, ScriptType.P2TR]
    paths = [
        (44 + H, 1 + H, H, 0, 0),
        (49 + H, 1 + H, H, 0, 1),
        (84 + H, 1 + H, H, 0, 2),
        (86 + H, 1 + H, H, 0, 3),
    ]
    keys = [master.derive_path(list(p)) for p in paths]
    spent, prevs = [], []
    for key, kind in zip(keys, kinds, strict=True):
        spk = next(s for s, t in output_scripts(key.secret).items() if t == kind)
        out = TxOut(rng.randrange(10_000, 10**8), spk)
        prev = Transaction(2, [TxIn(OutPoint(rng.randbytes(32), 0))], [TxOut(1, b"\x51"), out])
        spent.append(out)
        prevs.append(prev)
    tx = Transaction(
        2,
        [TxIn(OutPoint(p.txid(), 1)) for p in prevs],
        [TxOut(5000 * (j + 1), p2wpkh_script(rng.randbytes(20))) for j in range(4)],
        rng.randrange(1000),
    )
    psbt = PSBT.from_transaction(tx)
    for i, (key, kind, prev, path) in enumerate(zip(keys, kinds, prevs, paths, strict=True)):
        origin = KeyOrigin(master.fingerprint, path)
        if kind == ScriptType.P2TR:
            psbt.update_input(
                i,
                witness_utxo=spent[i],
                tap_internal_key=xonly_public_key(key.secret),
                tap_bip32_derivations={xonly_public_key(key.secret): ((), origin)},
            )
        else:
            psbt.update_input(
                i,
                non_witness_utxo=prev if kind == ScriptType.P2PKH else None,
                witness_utxo=spent[i] if kind != ScriptType.P2PKH else None,
                redeem_script=p2wpkh_script(hash160(key.public_key))
                if kind == ScriptType.P2SH_P2WPKH
                else None,
                bip32_derivations={key.public_key: origin},
            )
        if htype is not None:
            psbt.update_input(i, sighash_type=htype)
    return psbt, keys, spent, tx


@pytest.mark.parametrize("htype", [None, 1, 2, 3, 0x81, 0x82, 0x83], ids=str)
def test_wallet_psbt_flow_passes_the_kernel(htype):
    rng = random.Random(f"psbt-{htype}")
    psbt, keys, spent, unsigned = _wallet_flow(htype, rng)
    assert PSBT.parse(psbt.serialize()).serialize() == psbt.serialize()
    # Two signers holding different keys sign copies; the combiner merges them.
    a, b = psbt.copy(), psbt.copy()
    assert a.sign([k.secret for k in keys[:2]]) == [0, 1]
    assert b.sign([k.secret for k in keys[2:]]) == [2, 3]
    assert not a.finalize()  # inputs 2 and 3 have no signature yet
    merged = PSBT.combine([a, b])
    assert merged.finalize() and merged.is_complete()
    for m in merged.inputs:  # BIP174: a finalized input keeps only UTXOs and final scripts
        assert {k[0] for k in m.entries} <= {0x00, 0x01, 0x07, 0x08}
    tx = PSBT.parse(merged.serialize()).extract()
    assert_inputs_valid(tx, spent)
    # ECDSA is deterministic: the PSBT path gives the same inputs as direct signing.
    direct = Transaction.parse(unsigned.serialize())
    sign_transaction(direct, [k.secret for k in keys], spent, htype if htype else None)
    for i in range(3):
        assert tx.inputs[i] == direct.inputs[i]
    assert tx.txid() == direct.txid()


def test_psbt_errors():
    rng = random.Random("errors")
    psbt, keys, _spent, tx = _wallet_flow(SIGHASH_ALL, rng)
    with pytest.raises(PSBTError, match="sighash type"):
        psbt.copy().sign([keys[0].secret], sighash_type=0x82)
    with pytest.raises(PSBTError, match="not finalized"):
        psbt.extract()
    other = Transaction.parse(tx.serialize())
    other.locktime += 1
    with pytest.raises(PSBTError, match="different transactions"):
        PSBT.combine([psbt, PSBT.from_transaction(other)])
    with pytest.raises(PSBTError, match="spends"):
        psbt.update_input(
            0, non_witness_utxo=Transaction(2, [TxIn(OutPoint(bytes(32), 0))], [TxOut(1, b"")])
        )
    with pytest.raises(PSBTError, match="no input 9"):
        psbt.update_input(9, sighash_type=1)
    signed = Transaction.parse(tx.serialize())
    signed.inputs[0].script_sig = b"\x51"
    with pytest.raises(PSBTError, match="unsigned"):
        PSBT.from_transaction(signed)
    # A non-witness UTXO that is not the transaction the input spends is refused on parse.
    bad = psbt.copy()
    bad.inputs[0].entries[b"\x00"] = Transaction(
        1, [TxIn(OutPoint(bytes(32), 0))], [TxOut(1, b"")]
    ).serialize()
    with pytest.raises(PSBTError, match="non-witness UTXO"):
        PSBT.parse(bad.serialize())
    # Taproot signing needs every input's UTXO: without one, nothing is signed for taproot.
    partial = psbt.copy()
    partial.inputs[0].entries.pop(b"\x00")
    assert 3 not in partial.sign([keys[3].secret])
    plain, plain_keys, _, _ = _wallet_flow(None, rng)
    with pytest.raises(PSBTError, match="ECDSA"):
        plain.sign([plain_keys[2].secret], sighash_type=SIGHASH_DEFAULT)


def test_bad_output_tap_tree_and_version():
    tx = Transaction(2, [TxIn(OutPoint(bytes(32), 0))], [TxOut(1, b"\x51")])
    psbt = PSBT.from_transaction(tx)
    psbt.outputs[0].entries[b"\x06"] = bytes([1, 0xC0, 1, 0x51])  # one leaf at depth 1
    with pytest.raises(PSBTError, match="taproot tree"):
        PSBT.parse(psbt.serialize())
    psbt.outputs[0].entries[b"\x06"] = bytes([1, 0xC0, 1, 0x51, 1, 0xC0, 1, 0x52])
    assert PSBT.parse(psbt.serialize()).serialize() == psbt.serialize()
    psbt.global_map.entries[b"\xfb"] = (2).to_bytes(4, "little")
    with pytest.raises(PSBTError, match="version 2"):
        PSBT.parse(psbt.serialize())


# -- property tests ------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_raise_only_psbt_error(data):
    for raw in (data, b"psbt\xff" + data):
        try:
            psbt = PSBT.parse(raw)
        except PSBTError:
            continue
        assert psbt.serialize() == raw


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_vectors_raise_only_psbt_error_or_round_trip(data):
    valid, _ = _all_vector_psbts()
    _, raw = data.draw(st.sampled_from(valid))
    pos = data.draw(st.integers(0, len(raw) - 1))
    action = data.draw(st.sampled_from(["flip", "truncate", "insert"]))
    if action == "flip":
        mutated = raw[:pos] + bytes([raw[pos] ^ data.draw(st.integers(1, 255))]) + raw[pos + 1 :]
    elif action == "truncate":
        mutated = raw[:pos]
    else:
        mutated = raw[:pos] + data.draw(st.binary(min_size=1, max_size=4)) + raw[pos:]
    try:
        psbt = PSBT.parse(mutated)
    except PSBTError:
        return
    assert psbt.serialize() == mutated


_txins = st.builds(
    TxIn,
    st.builds(OutPoint, st.binary(min_size=32, max_size=32), st.integers(0, 2**32 - 1)),
    st.just(b""),
    st.integers(0, 2**32 - 1),
)
_txouts = st.builds(TxOut, st.integers(0, 21_000_000 * 10**8), st.binary(max_size=60))


@settings(max_examples=150, deadline=None)
@given(
    version=st.integers(-(2**31), 2**31 - 1),
    inputs=st.lists(_txins, min_size=1, max_size=4),
    outputs=st.lists(_txouts, max_size=4),
    locktime=st.integers(0, 2**32 - 1),
    witnesses=st.lists(st.lists(st.binary(max_size=80), max_size=3), min_size=4, max_size=4),
)
def test_transaction_round_trips_alone_and_inside_a_psbt(
    version, inputs, outputs, locktime, witnesses
):
    tx = Transaction(version, inputs, outputs, locktime)
    psbt = PSBT.from_transaction(tx)
    again = PSBT.parse(psbt.serialize())
    assert again.tx == tx
    assert again.serialize() == psbt.serialize()
    for txin, stack in zip(tx.inputs, witnesses, strict=False):
        txin.witness = stack
    parsed = Transaction.parse(tx.serialize())
    assert parsed == tx
    assert parsed.txid() == Transaction.parse(tx.serialize(include_witness=False)).txid()


def test_taproot_psbt_with_merkle_root_and_tuple_origins():
    from wallet.bitcoin.script import p2tr_script
    from wallet.bitcoin.taproot import TapLeaf, script_tree_hash, taproot_output_key

    rng = random.Random("tap-tree")
    secret = rng.randbytes(32)
    internal = xonly_public_key(secret)
    root = script_tree_hash((TapLeaf(b"\x51"), TapLeaf(b"\x52")))
    spk = p2tr_script(taproot_output_key(internal, root)[0])
    spent = [TxOut(90_000, spk), TxOut(10_000, p2wpkh_script(bytes(20)))]
    tx = Transaction(
        2,
        [TxIn(OutPoint(rng.randbytes(32), 0)), TxIn(OutPoint(rng.randbytes(32), 3))],
        [TxOut(95_000, spk)],
    )
    psbt = PSBT.from_transaction(tx)
    psbt.update_input(
        0,
        witness_utxo=spent[0],
        tap_internal_key=internal,
        tap_bip32_derivations={internal: ((), (b"\xaa\xbb\xcc\xdd", [86 + H, H, H, 0, 5]))},
    )
    psbt.update_input(1, witness_utxo=spent[1])
    assert psbt.sign([secret]) == []  # without the merkle root the output key does not match
    psbt.update_input(0, tap_merkle_root=root)
    assert psbt.sign([secret]) == [0]
    again = PSBT.parse(psbt.serialize())
    leaves, origin = again.inputs[0].tap_bip32_derivations[internal]
    assert leaves == [] and str(origin) == "aabbccdd/86'/0'/0'/0/5"
    assert again.finalize_input(0) and not again.finalize_input(1)
    signed = Transaction.parse(tx.serialize())
    signed.inputs[0].witness = again.inputs[0].final_script_witness
    assert len(signed.inputs[0].witness[0]) == 64
    from tests.kernel import verify_inputs

    assert verify_inputs(signed, spent)[0] is True
