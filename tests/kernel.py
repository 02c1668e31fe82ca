"""Check signed transactions with Bitcoin Core's own script interpreter (libbitcoinkernel via pbk).

Shared by the signing, PSBT and playground tests: ``assert_inputs_valid(tx, spent_outputs)``
fails the test naming every input the kernel rejects.
"""

from __future__ import annotations

from collections.abc import Sequence

import pbk

from wallet.bitcoin.transaction import Transaction, TxOut

FLAGS_ALL = pbk.ScriptVerificationFlags.ALL


def _kernel_outputs(spent_outputs: Sequence[TxOut]) -> list[pbk.TransactionOutput]:
    return [
        pbk.TransactionOutput(pbk.ScriptPubkey(o.script_pubkey), o.value) for o in spent_outputs
    ]


def verify_input(
    tx: Transaction | bytes,
    input_index: int,
    spent_outputs: Sequence[TxOut],
    flags: int = FLAGS_ALL,
) -> bool:
    """True when libbitcoinkernel accepts input ``input_index`` spending its output."""
    return verify_inputs(tx, spent_outputs, flags)[input_index]


def verify_inputs(
    tx: Transaction | bytes, spent_outputs: Sequence[TxOut], flags: int = FLAGS_ALL
) -> list[bool]:
    """The kernel's verdict for every input (spent_outputs: one per input, in order)."""
    raw = tx if isinstance(tx, bytes) else tx.serialize()
    ktx = pbk.Transaction(raw)
    outs = _kernel_outputs(spent_outputs)
    pre = pbk.script.PrecomputedTransactionData(ktx, outs)
    verdicts = []
    for i, out in enumerate(spent_outputs):
        try:
            ok = pbk.ScriptPubkey(out.script_pubkey).verify(out.value, ktx, pre, i, flags)
        except pbk.ScriptVerifyException:
            ok = False
        verdicts.append(bool(ok))
    return verdicts


def assert_inputs_valid(tx: Transaction | bytes, spent_outputs: Sequence[TxOut]) -> None:
    verdicts = verify_inputs(tx, spent_outputs)
    bad = [i for i, ok in enumerate(verdicts) if not ok]
    assert not bad, f"libbitcoinkernel rejected input(s) {bad}"
