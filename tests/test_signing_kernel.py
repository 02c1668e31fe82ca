"""Every kind of transaction the wallet signs, checked by Bitcoin Core's script interpreter.

libbitcoinkernel (py-bitcoinkernel) runs the consensus script checks with all soft forks on
(P2SH, DERSIG, NULLDUMMY, CLTV, CSV, WITNESS, TAPROOT). A wrong sighash, a wrong witness layout
or a bad signature fails here exactly as it would on the network.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.kernel import assert_inputs_valid, verify_inputs
from wallet.bitcoin.errors import SigningError
from wallet.bitcoin.hashes import hash160, sha256
from wallet.bitcoin.script import ScriptType, p2pkh_script, p2wsh_script
from wallet.bitcoin.sighash import (
    SIGHASH_ALL,
    SIGHASH_ANYONECANPAY,
    SIGHASH_DEFAULT,
    SIGHASH_NONE,
    SIGHASH_SINGLE,
)
from wallet.bitcoin.signing import (
    output_scripts,
    public_key,
    sign_input,
    sign_transaction,
)
from wallet.bitcoin.transaction import OutPoint, Transaction, TxIn, TxOut

N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
TYPES = [ScriptType.P2PKH, ScriptType.P2SH_P2WPKH, ScriptType.P2WPKH, ScriptType.P2TR]
ECDSA_TYPES = [1, 2, 3, 0x81, 0x82, 0x83]
TAPROOT_TYPES = [0x00, *ECDSA_TYPES]


def _key(rng: random.Random) -> bytes:
    return rng.randrange(1, N).to_bytes(32, "big")


def _script_for(secret: bytes, kind: ScriptType) -> bytes:
    return next(s for s, t in output_scripts(secret).items() if t == kind)


def _build(
    rng: random.Random, kinds: list[ScriptType], n_outputs: int = 3
) -> tuple[Transaction, list[TxOut], list[bytes]]:
    keys = [_key(rng) for _ in kinds]
    spent = [
        TxOut(rng.randrange(10_000, 10**9), _script_for(k, t))
        for k, t in zip(keys, kinds, strict=True)
    ]
    tx = Transaction(
        version=2,
        inputs=[
            TxIn(OutPoint(rng.randbytes(32), rng.randrange(4)), sequence=0xFFFFFFFD) for _ in kinds
        ],
        outputs=[
            TxOut(rng.randrange(1000, 100_000), _script_for(_key(rng), rng.choice(TYPES)))
            for _ in range(n_outputs)
        ],
        locktime=rng.randrange(500_000),
    )
    return tx, spent, keys


def _corrupt_signature(tx: Transaction, index: int) -> None:
    """Flip one byte inside the signature (not the DER header nor the hash-type byte)."""
    txin = tx.inputs[index]
    if txin.witness:
        sig = txin.witness[0]
        pos = 10
        txin.witness[0] = sig[:pos] + bytes([sig[pos] ^ 0x01]) + sig[pos + 1 :]
    else:
        pos = 1 + 10  # past the push opcode
        s = txin.script_sig
        txin.script_sig = s[:pos] + bytes([s[pos] ^ 0x01]) + s[pos + 1 :]


CASES = [
    pytest.param(kind, htype, id=f"{kind}-0x{htype:02x}")
    for kind in TYPES
    for htype in (TAPROOT_TYPES if kind == ScriptType.P2TR else ECDSA_TYPES)
]


@pytest.mark.parametrize(("kind", "htype"), CASES)
def test_each_type_and_sighash_passes_the_kernel_and_corruption_fails(kind, htype):
    rng = random.Random(f"{kind}-{htype}")
    tx, spent, keys = _build(rng, [kind] * 3)
    for i, key in enumerate(keys):
        sig = sign_input(tx, i, key, spent, kind, htype)
        if kind == ScriptType.P2TR:
            assert len(sig) == (64 if htype == SIGHASH_DEFAULT else 65)
        else:
            assert sig[-1] == htype and len(sig) <= 72  # low R: at most 71 + hash type
    assert_inputs_valid(tx, spent)
    _corrupt_signature(tx, 1)
    assert verify_inputs(tx, spent) == [True, False, True]


@pytest.mark.parametrize("kind", TYPES, ids=str)
def test_sighash_semantics_as_the_kernel_sees_them(kind):
    """NONE lets outputs change, SINGLE pins only its own output, ANYONECANPAY lets inputs be
    added, ALL pins everything: checked by changing the transaction after signing."""
    all_type = SIGHASH_DEFAULT if kind == ScriptType.P2TR else SIGHASH_ALL
    rng = random.Random(f"semantics-{kind}")

    def signed(htype: int) -> tuple[Transaction, list[TxOut]]:
        tx, spent, keys = _build(rng, [kind] * 2)
        for i, key in enumerate(keys):
            sign_input(tx, i, key, spent, kind, htype)
        assert_inputs_valid(tx, spent)
        return tx, spent

    tx, spent = signed(all_type)
    tx.outputs[2].value -= 1
    assert verify_inputs(tx, spent) == [False, False]

    tx, spent = signed(SIGHASH_NONE)
    tx.outputs[2].value -= 1
    tx.outputs.append(TxOut(5, p2pkh_script(bytes(20))))
    assert verify_inputs(tx, spent) == [True, True]

    tx, spent = signed(SIGHASH_SINGLE)
    tx.outputs[1].value -= 1  # input 1's output: only input 1 breaks
    assert verify_inputs(tx, spent) == [True, False]

    tx, spent = signed(SIGHASH_ALL | SIGHASH_ANYONECANPAY)
    extra_key = _key(rng)
    extra_out = TxOut(50_000, _script_for(extra_key, kind))
    tx.inputs.append(TxIn(OutPoint(rng.randbytes(32), 0)))
    spent.append(extra_out)
    sign_input(tx, 2, extra_key, spent, kind, SIGHASH_ALL)
    assert verify_inputs(tx, spent) == [True, True, True]


def test_mixed_input_types_multi_input_with_key_lookup():
    rng = random.Random("mixed")
    kinds = [
        ScriptType.P2TR,
        ScriptType.P2PKH,
        ScriptType.P2WPKH,
        ScriptType.P2SH_P2WPKH,
        ScriptType.P2WPKH,
        ScriptType.P2TR,
    ]
    tx, spent, keys = _build(rng, kinds, n_outputs=2)
    shuffled = list(keys)
    rng.shuffle(shuffled)
    assert sign_transaction(tx, shuffled, spent) == list(range(len(kinds)))
    assert_inputs_valid(tx, spent)
    # Shapes: P2PKH in the scriptSig; P2SH-P2WPKH pushes its redeem script; taproot 64 bytes.
    assert tx.inputs[1].witness == [] and tx.inputs[1].script_sig
    assert tx.inputs[2].script_sig == b"" and len(tx.inputs[2].witness) == 2
    assert tx.inputs[3].script_sig[0] == 22 and len(tx.inputs[3].witness) == 2
    assert len(tx.inputs[0].witness) == 1 and len(tx.inputs[0].witness[0]) == 64
    # The serialized transaction round-trips and still verifies.
    again = Transaction.parse(tx.serialize())
    assert again.serialize() == tx.serialize()
    assert_inputs_valid(again, spent)
    for i in range(len(kinds)):
        broken = Transaction.parse(tx.serialize())
        _corrupt_signature(broken, i)
        verdicts = verify_inputs(broken, spent)
        assert verdicts == [j != i for j in range(len(kinds))]


def test_mapping_and_callable_key_sources():
    rng = random.Random("sources")
    tx, spent, keys = _build(rng, [ScriptType.P2WPKH, ScriptType.P2TR])
    assert sign_transaction(tx, {0: keys[0], 1: keys[1]}, spent) == [0, 1]
    assert_inputs_valid(tx, spent)
    tx2, spent2, keys2 = _build(rng, [ScriptType.P2PKH, ScriptType.P2SH_P2WPKH])
    signed = sign_transaction(
        tx2, lambda i, out: keys2[i] if i == 1 else None, spent2, require_all=False
    )
    assert signed == [1]
    assert verify_inputs(tx2, spent2) == [False, True]
    with pytest.raises(SigningError, match="no key for input 0"):
        sign_transaction(tx2, {1: keys2[1]}, spent2)


def test_uncompressed_p2pkh_key():
    rng = random.Random("uncompressed")
    key = _key(rng)
    script = p2pkh_script(hash160(public_key(key, compressed=False)))
    spent = [TxOut(12_345, script)]
    tx = Transaction(2, [TxIn(OutPoint(rng.randbytes(32), 0))], [TxOut(10_000, script)])
    sign_input(tx, 0, key, spent)
    assert tx.inputs[0].script_sig.endswith(public_key(key, compressed=False))
    assert_inputs_valid(tx, spent)


def test_signing_errors():
    rng = random.Random("errors")
    tx, spent, keys = _build(rng, [ScriptType.P2WPKH, ScriptType.P2TR])
    with pytest.raises(SigningError, match="does not match"):
        sign_input(tx, 0, keys[1], spent, ScriptType.P2WPKH)
    with pytest.raises(SigningError, match="does not match"):
        sign_input(tx, 1, keys[0], spent, ScriptType.P2TR)
    with pytest.raises(SigningError, match="does not match"):
        sign_input(tx, 0, keys[1], spent)  # inferred: a P2WPKH output of another key
    with pytest.raises(SigningError, match="0x00"):
        sign_input(tx, 0, keys[0], spent, sighash_type=SIGHASH_DEFAULT)
    with pytest.raises(SigningError, match="0x04"):
        sign_input(tx, 1, keys[1], spent, sighash_type=0x04)
    with pytest.raises(SigningError, match="out of range"):
        sign_input(tx, 2, keys[0], spent)
    with pytest.raises(SigningError, match="spent outputs"):
        sign_input(tx, 0, keys[0], spent[:1])
    p2wsh = [TxOut(1000, p2wsh_script(sha256(b"\x51"))), spent[1]]
    with pytest.raises(SigningError, match="cannot sign for a p2wsh"):
        sign_input(tx, 0, keys[0], p2wsh)
    single = Transaction(2, tx.inputs, tx.outputs[:1])
    with pytest.raises(SigningError, match="SIGHASH_SINGLE"):
        sign_input(single, 1, keys[1], spent, sighash_type=SIGHASH_SINGLE)
    legacy_tx, legacy_spent, legacy_keys = _build(rng, [ScriptType.P2PKH] * 2, n_outputs=1)
    with pytest.raises(SigningError, match="constant 1"):
        sign_input(legacy_tx, 1, legacy_keys[1], legacy_spent, sighash_type=SIGHASH_SINGLE)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kinds=st.lists(st.sampled_from(TYPES), min_size=1, max_size=4),
    amounts=st.lists(st.integers(1, 21_000_000 * 100_000_000), min_size=4, max_size=4),
    seed=st.binary(min_size=8, max_size=8),
    htype=st.sampled_from(ECDSA_TYPES),
)
def test_random_keys_amounts_and_types_pass_the_kernel(kinds, amounts, seed, htype):
    rng = random.Random(seed)
    tx, spent, keys = _build(rng, kinds, n_outputs=len(kinds))
    for i, out in enumerate(spent):
        out.value = amounts[i]
    for i, key in enumerate(keys):
        sign_input(tx, i, key, spent, sighash_type=htype)
    assert_inputs_valid(tx, spent)
    # The amount is committed to by segwit and taproot signatures: a different one fails.
    committed = [i for i, k in enumerate(kinds) if k != ScriptType.P2PKH]
    if committed:
        i = committed[0]
        spent[i] = TxOut(spent[i].value + 1, spent[i].script_pubkey)
        assert verify_inputs(tx, spent)[i] is False


def test_taproot_key_path_with_a_script_tree():
    from wallet.bitcoin.script import p2tr_script
    from wallet.bitcoin.signing import xonly_public_key
    from wallet.bitcoin.taproot import TapLeaf, script_tree_hash, taproot_output_key

    rng = random.Random("tree")
    key = _key(rng)
    tree = (TapLeaf(b"\x51"), (TapLeaf(b"\x52\x87"), TapLeaf(b"\x00\x87")))
    root = script_tree_hash(tree)
    spk = p2tr_script(taproot_output_key(xonly_public_key(key), root)[0])
    spent = [TxOut(77_000, spk)]
    tx = Transaction(2, [TxIn(OutPoint(rng.randbytes(32), 1))], [TxOut(70_000, spk)])
    with pytest.raises(SigningError, match="does not match"):
        sign_input(tx, 0, key, spent)  # not a BIP86 output: the merkle root is needed
    sign_input(tx, 0, key, spent, ScriptType.P2TR, tap_merkle_root=root)
    assert_inputs_valid(tx, spent)
