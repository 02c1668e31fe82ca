"""Fee rates, dust thresholds and the signed size of the transactions the wallet builds.

Fee rates are ``wallet.bitcoin.amount.FeeRate``: integer satoshis per 1000 virtual bytes, like
Bitcoin Core's ``CFeeRate``, so fees are exact integers and no float ever touches an amount.

Sizes are the *largest* a signed input can be, in weight units, with the signatures
``wallet.bitcoin.signing`` makes: ECDSA with low R (ground, as Core) and low S is at most 70 DER
bytes + the sighash byte; Schnorr is 64 bytes (SIGHASH_DEFAULT). An estimate is therefore never
below the real size, and equal to it unless R or S happens to be a byte shorter (about 1 in 128).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from wallet.bitcoin.amount import FeeError, FeeRate
from wallet.bitcoin.script import ScriptType, classify
from wallet.bitcoin.serialize import encode_varint

WITNESS_SCALE = 4
#: Bitcoin Core's MAX_STANDARD_TX_WEIGHT: larger transactions are not relayed.
MAX_STANDARD_TX_WEIGHT = 400_000


def vsize_of(weight: int) -> int:
    return -(-weight // WITNESS_SCALE)


def fee_rate_of(fee: int, vsize: int) -> Decimal:
    """The fee rate a fee pays at a size, in sat/vB (for display; exact Decimal)."""
    return Decimal(fee) / Decimal(vsize) if vsize else Decimal(0)


#: Bitcoin Core's relay policy defaults (sat/kvB); the brief's floor is 1 sat/vB.
MIN_RELAY_FEE_RATE = FeeRate(1_000)
#: BIP125 rule 4: a replacement pays at least this much more per vbyte of itself.
INCREMENTAL_RELAY_FEE_RATE = FeeRate(1_000)
#: Core's -dustrelayfee: an output worth less than spending it costs at this rate is dust.
DUST_RELAY_FEE_RATE = FeeRate(3_000)
#: Core's -discardfee: change worth less than spending it at this rate is given to the fee.
DISCARD_FEE_RATE = FeeRate(10_000)
#: Core's -consolidatefeerate: the fee rate the wallet expects to pay in the long run.
LONG_TERM_FEE_RATE = FeeRate(10_000)
#: Above this the wallet refuses unless the user overrides (a typo guard, e.g. 2000 for 20).
MAX_FEE_RATE = FeeRate(1_000_000)


def check_fee_rate(
    rate: FeeRate,
    *,
    min_rate: FeeRate = MIN_RELAY_FEE_RATE,
    max_rate: FeeRate = MAX_FEE_RATE,
    allow_high: bool = False,
) -> None:
    """Refuse a fee rate below relay policy, or absurdly high unless ``allow_high``."""
    if rate < min_rate:
        raise FeeError(
            f"a fee rate of {rate} is below the {min_rate} the network relays; the transaction "
            "would never be seen"
        )
    if rate > max_rate and not allow_high:
        raise FeeError(
            f"a fee rate of {rate} is above {max_rate}, which is almost certainly a mistake; "
            "confirm it explicitly to pay that much"
        )


# -- output sizes and dust -----------------------------------------------------------------------


def output_size(script_pubkey: bytes) -> int:
    """Serialized bytes of an output: value, script length, script."""
    return 8 + len(encode_varint(len(script_pubkey))) + len(script_pubkey)


def output_weight(script_pubkey: bytes) -> int:
    return output_size(script_pubkey) * WITNESS_SCALE


def dust_threshold(script_pubkey: bytes, dust_rate: FeeRate = DUST_RELAY_FEE_RATE) -> int:
    """Bitcoin Core's ``GetDustThreshold``: an output below this is not relayed.

    546 sat for P2PKH, 540 P2SH, 294 P2WPKH, 330 P2WSH/P2TR at the default 3 sat/vB; an
    OP_RETURN output is never dust.
    """
    kind = classify(script_pubkey)
    if kind is ScriptType.OP_RETURN:
        return 0
    size = output_size(script_pubkey)
    if kind in (ScriptType.P2WPKH, ScriptType.P2WSH, ScriptType.P2TR, ScriptType.WITNESS_UNKNOWN):
        size += 32 + 4 + 1 + 107 // WITNESS_SCALE + 4
    else:
        size += 32 + 4 + 1 + 107 + 4
    return dust_rate.fee(size)


# -- input sizes ---------------------------------------------------------------------------------

_OUTPOINT_SEQUENCE = 32 + 4 + 4
_ECDSA_SIG = 71  # DER with low R and low S (<= 70 bytes) + sighash byte
_SCHNORR_SIG = 64  # SIGHASH_DEFAULT


@dataclass(frozen=True)
class InputSize:
    """The signed size of one input: bytes outside the witness, and witness bytes."""

    non_witness: int
    witness: int  # includes the item count; 0 for a legacy input

    @property
    def is_segwit(self) -> bool:
        return self.witness > 0

    @property
    def weight(self) -> int:
        """Weight inside a segwit transaction (a legacy input adds its empty witness: 1 byte)."""
        return self.non_witness * WITNESS_SCALE + (self.witness or 1)


def input_size(script_type: ScriptType, pubkey_len: int = 33) -> InputSize:
    """Largest signed size of an input of a type the wallet spends."""
    if script_type is ScriptType.P2PKH:
        script_sig = 1 + _ECDSA_SIG + 1 + pubkey_len
        return InputSize(_OUTPOINT_SEQUENCE + len(encode_varint(script_sig)) + script_sig, 0)
    if script_type is ScriptType.P2WPKH:
        return InputSize(_OUTPOINT_SEQUENCE + 1, 1 + 1 + _ECDSA_SIG + 1 + 33)
    if script_type is ScriptType.P2SH_P2WPKH:
        return InputSize(_OUTPOINT_SEQUENCE + 1 + 23, 1 + 1 + _ECDSA_SIG + 1 + 33)
    if script_type is ScriptType.P2TR:
        return InputSize(_OUTPOINT_SEQUENCE + 1, 1 + 1 + _SCHNORR_SIG)
    raise FeeError(f"the wallet cannot estimate the size of a {script_type} input")


def estimate_weight(inputs: Sequence[InputSize], output_scripts: Sequence[bytes]) -> int:
    """Weight of the signed transaction (version 2 layout), exact up to signature lengths."""
    base = 4 + 4 + len(encode_varint(len(inputs))) + len(encode_varint(len(output_scripts)))
    base += sum(output_size(s) for s in output_scripts)
    base += sum(i.non_witness for i in inputs)
    weight = base * WITNESS_SCALE
    if any(i.is_segwit for i in inputs):
        weight += 2 + sum(i.witness or 1 for i in inputs)  # marker, flag, every input's witness
    return weight


def estimate_vsize(inputs: Sequence[InputSize], output_scripts: Sequence[bytes]) -> int:
    return vsize_of(estimate_weight(inputs, output_scripts))


def overhead_weight(n_inputs: int, output_scripts: Sequence[bytes], segwit: bool = True) -> int:
    """Weight of everything but the inputs (the part coin selection's target must pay for).

    With ``segwit`` the marker and flag are included; inputs are then counted at
    :attr:`InputSize.weight`, so the sum is never below :func:`estimate_weight`.
    """
    base = 4 + 4 + len(encode_varint(max(n_inputs, 1))) + len(encode_varint(len(output_scripts)))
    base += sum(output_size(s) for s in output_scripts)
    return base * WITNESS_SCALE + (2 if segwit else 0)


__all__ = [
    "DISCARD_FEE_RATE",
    "DUST_RELAY_FEE_RATE",
    "INCREMENTAL_RELAY_FEE_RATE",
    "LONG_TERM_FEE_RATE",
    "MAX_FEE_RATE",
    "MAX_STANDARD_TX_WEIGHT",
    "MIN_RELAY_FEE_RATE",
    "FeeError",
    "InputSize",
    "check_fee_rate",
    "dust_threshold",
    "estimate_vsize",
    "estimate_weight",
    "fee_rate_of",
    "input_size",
    "output_size",
    "output_weight",
    "overhead_weight",
    "vsize_of",
]
