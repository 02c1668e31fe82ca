"""Building unsigned transactions as PSBTs: payments, send-max, fee bumps (RBF) and CPFP.

Pure functions: given the wallet's coins (each with the descriptor and index that derive its
script), the recipients, a fee rate and where change goes, they return a PSBT that
``wallet.bitcoin.psbt`` (or any BIP174 signer) can sign -- every input carries its UTXO, its
key origins (BIP32 or taproot BIP371 fields) and redeem script -- together with a
:class:`TxReview`: what the CLI and GUI show before asking for the password.

Policy, as Bitcoin Core's wallet: change goes to the change chain at a random position; RBF is
signalled by default (nSequence 0xfffffffd); an anti-fee-sniping locktime is set when the caller
gives the chain height; outputs below their dust threshold are refused; fee rates below the relay
minimum or absurdly high are refused; a fee above 5 % of the amount sent is flagged for a second
confirmation. A replacement (:func:`bump_fee`) keeps every original input and recipient and
satisfies BIP125 rules 3, 4 and 6; :func:`cpfp` builds a child that pays for its parent.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from wallet.account.coin_selection import (
    Coin,
    InsufficientFundsError,
    Selection,
    SelectionParams,
    select_all,
    select_coins,
)
from wallet.account.database import OutputRecord, TxState
from wallet.account.fees import (
    INCREMENTAL_RELAY_FEE_RATE,
    LONG_TERM_FEE_RATE,
    MAX_FEE_RATE,
    MIN_RELAY_FEE_RATE,
    InputSize,
    check_fee_rate,
    dust_threshold,
    estimate_weight,
    fee_rate_of,
    input_size,
    output_weight,
    overhead_weight,
    vsize_of,
)
from wallet.bitcoin.address import parse_address, script_to_address
from wallet.bitcoin.amount import MAX_MONEY, FeeRate
from wallet.bitcoin.descriptors import DerivedKey, Descriptor
from wallet.bitcoin.errors import AddressError
from wallet.bitcoin.hashes import hash160
from wallet.bitcoin.networks import Network, get_network
from wallet.bitcoin.psbt import PSBT, KeyOrigin
from wallet.bitcoin.script import classify, p2wpkh_script
from wallet.bitcoin.transaction import (
    SEQUENCE_RBF,
    OutPoint,
    Transaction,
    TxIn,
    TxOut,
)
from wallet.errors import PaylightError

#: nSequence of a transaction that does not signal RBF but still enables its locktime.
SEQUENCE_NO_RBF = 0xFFFFFFFE
#: A fee above this fraction of the amount sent asks the user a second time.
HIGH_FEE_FRACTION = Decimal("0.05")


class TxBuildError(PaylightError, ValueError):
    """The transaction cannot be built as asked; the message says what to change."""


# -- inputs and outputs --------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """Pay ``amount`` satoshis to ``address``; ``amount=None`` sends everything left (max)."""

    address: str
    amount: int | None

    @classmethod
    def send_max(cls, address: str) -> Recipient:
        return cls(address, None)


@dataclass(frozen=True)
class WalletCoin:
    """One of the wallet's unspent outputs, with what a signer needs to spend it."""

    outpoint: OutPoint
    value: int
    script_pubkey: bytes
    #: single-path descriptor (receive or change chain) deriving ``script_pubkey``
    descriptor: Descriptor
    index: int | None = None
    #: the transaction that created the output: required for P2PKH, added for segwit v0 too
    prev_tx: Transaction | None = None
    frozen: bool = False
    confirmed: bool = True

    @cached_property
    def size(self) -> InputSize:
        kind = self.descriptor.script_type
        if kind is None:
            raise TxBuildError(
                f"coin {self.outpoint} is watched through an {self.descriptor.kind}() "
                "descriptor; the wallet holds no key to spend it"
            )
        key = self.descriptor.key
        pubkey_len = (
            65 if key is not None and key.pubkey is not None and len(key.pubkey) == 65 else 33
        )
        return input_size(kind, pubkey_len)

    @cached_property
    def coin(self) -> Coin:
        return Coin(self.outpoint, self.value, self.size.weight, self.frozen)

    @property
    def txout(self) -> TxOut:
        return TxOut(self.value, self.script_pubkey)


def coin_from_output(
    record: OutputRecord, descriptor: Descriptor, prev_tx: Transaction | None = None
) -> WalletCoin:
    """A database output (``WalletDatabase.utxos()``) as a coin, given its chain's descriptor.

    Only Merkle-verified outputs count as confirmed (the review warns about the others).
    """
    return WalletCoin(
        outpoint=record.outpoint,
        value=record.value,
        script_pubkey=record.script_pubkey,
        descriptor=descriptor,
        index=record.index,
        prev_tx=prev_tx,
        frozen=record.frozen,
        confirmed=record.state is TxState.CONFIRMED,
    )


@dataclass(frozen=True)
class ChangeDestination:
    """Where change goes: an index on the wallet's change descriptor."""

    descriptor: Descriptor
    index: int | None = None

    @cached_property
    def script_pubkey(self) -> bytes:
        return self.descriptor.script_pubkey(self.index if self.descriptor.is_ranged else None)

    @cached_property
    def size(self) -> InputSize:
        kind = self.descriptor.script_type
        if kind is None:
            raise TxBuildError("change must go to a descriptor the wallet holds keys for")
        return input_size(kind)


@dataclass(frozen=True)
class ReviewWarning:
    code: str
    message: str
    #: the user must confirm this one explicitly (a second "yes")
    needs_confirmation: bool = False


@dataclass(frozen=True)
class TxReview:
    """What the user is asked to approve. Amounts in satoshis; sizes estimated when signed."""

    recipients: tuple[tuple[str, int], ...]
    fee: int
    vsize: int
    requested_fee_rate: FeeRate
    change: tuple[str, int] | None
    inputs: tuple[tuple[OutPoint, int], ...]
    rbf: bool
    locktime: int
    warnings: tuple[ReviewWarning, ...] = ()
    #: txid of the transaction this one replaces (fee bump)
    replaces: str | None = None
    #: CPFP: the fee rate of parent(s) and child together
    package_fee_rate: Decimal | None = None

    @property
    def amount(self) -> int:
        return sum(a for _, a in self.recipients)

    @property
    def fee_rate(self) -> Decimal:
        """Fee per estimated vbyte, in sat/vB."""
        return fee_rate_of(self.fee, self.vsize)

    @property
    def needs_confirmation(self) -> bool:
        return any(w.needs_confirmation for w in self.warnings)

    @property
    def total_spent(self) -> int:
        return self.amount + self.fee


@dataclass
class BuiltTransaction:
    psbt: PSBT
    review: TxReview
    #: the coins spent, in input order
    coins: tuple[WalletCoin, ...]
    change_index: int | None
    selection: Selection | None = None

    @property
    def tx(self) -> Transaction:
        return self.psbt.tx

    @property
    def spent_outputs(self) -> list[TxOut]:
        return [c.txout for c in self.coins]


# -- helpers -------------------------------------------------------------------------------------


def _check_coins(coins: Sequence[WalletCoin]) -> dict[OutPoint, WalletCoin]:
    by_outpoint: dict[OutPoint, WalletCoin] = {}
    for c in coins:
        if c.outpoint in by_outpoint:
            raise TxBuildError(f"coin {c.outpoint} is listed twice")
        if not 0 < c.value <= MAX_MONEY:
            raise TxBuildError(f"coin {c.outpoint} has an impossible value of {c.value} sat")
        by_outpoint[c.outpoint] = c
    return by_outpoint


def _selection_params(
    rate: FeeRate, change: ChangeDestination, long_term: FeeRate = LONG_TERM_FEE_RATE
) -> SelectionParams:
    spk = change.script_pubkey
    return SelectionParams(
        fee_rate=rate,
        change_output_weight=output_weight(spk),
        change_spend_weight=change.size.weight,
        change_dust=dust_threshold(spk),
        long_term_fee_rate=long_term,
    )


def _check_output(script: bytes, amount: int, shown: str) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise TxBuildError(f"the amount to {shown} must be a positive number of satoshis")
    if amount > MAX_MONEY:
        raise TxBuildError(f"{amount} sat to {shown} is more than 21 million BTC")
    dust = dust_threshold(script)
    if amount < dust:
        raise TxBuildError(
            f"{amount} sat to {shown} is below the dust limit of {dust} sat for a "
            f"{classify(script)} output; nodes would not relay it"
        )


def anti_fee_sniping_locktime(height: int, rng: random.Random) -> int:
    """Core's anti-fee-sniping: lock to the tip height, sometimes up to 99 blocks earlier."""
    if height < 0:
        raise TxBuildError("the chain height cannot be negative")
    locktime = height
    if rng.randrange(10) == 0:
        locktime = max(0, locktime - rng.randrange(100))
    return locktime


def _origin(dk: DerivedKey) -> KeyOrigin:
    return KeyOrigin(dk.fingerprint, tuple(dk.path))


def _derive(descriptor: Descriptor, index: int | None) -> tuple[bytes, tuple[DerivedKey, ...]]:
    out = descriptor.derive(index if descriptor.is_ranged else None)
    return out.script_pubkey, out.keys


def _update_input(psbt: PSBT, i: int, coin: WalletCoin) -> None:
    script, keys = _derive(coin.descriptor, coin.index)
    if script != coin.script_pubkey:
        raise TxBuildError(
            f"coin {coin.outpoint} does not pay the script its descriptor derives at index "
            f"{coin.index}; the wallet's records are inconsistent"
        )
    kind = coin.descriptor.kind
    utxo = coin.txout
    non_witness = None
    if coin.prev_tx is not None and kind != "tr":
        prev = coin.prev_tx
        if prev.txid() != coin.outpoint.txid:
            raise TxBuildError(f"the previous transaction given for coin {coin.outpoint} is not it")
        vout = coin.outpoint.vout
        if vout >= len(prev.outputs) or prev.outputs[vout] != utxo:
            raise TxBuildError(
                f"coin {coin.outpoint}: its previous transaction pays a different amount or script"
            )
        non_witness = prev
    elif kind == "pkh":
        raise TxBuildError(
            f"coin {coin.outpoint} is a legacy (P2PKH) output: its whole previous transaction "
            "is needed to sign it"
        )
    origins = {dk.pubkey: _origin(dk) for dk in keys}
    if kind == "tr":
        (dk,) = keys
        psbt.update_input(
            i,
            witness_utxo=utxo,
            tap_internal_key=dk.xonly,
            tap_bip32_derivations={dk.xonly: ((), _origin(dk))},
        )
        return
    redeem = p2wpkh_script(hash160(keys[0].pubkey)) if kind == "sh-wpkh" else None
    psbt.update_input(
        i,
        non_witness_utxo=non_witness,
        witness_utxo=utxo if kind != "pkh" else None,
        redeem_script=redeem,
        bip32_derivations=origins,
    )


def _update_change_output(psbt: PSBT, i: int, change: ChangeDestination) -> None:
    """Mark the change output with its key origin, so signers can recognise it as ours."""
    _, keys = _derive(change.descriptor, change.index)
    kind = change.descriptor.kind
    if kind == "tr":
        (dk,) = keys
        psbt.update_output(
            i, tap_internal_key=dk.xonly, tap_bip32_derivations={dk.xonly: ((), _origin(dk))}
        )
        return
    redeem = p2wpkh_script(hash160(keys[0].pubkey)) if kind == "sh-wpkh" else None
    psbt.update_output(
        i, redeem_script=redeem, bip32_derivations={dk.pubkey: _origin(dk) for dk in keys}
    )


def _make_psbt(
    coins: Sequence[WalletCoin],
    outputs: Sequence[TxOut],
    *,
    sequence: int,
    locktime: int,
    version: int,
    change_index: int | None,
    change: ChangeDestination | None,
) -> PSBT:
    tx = Transaction(
        version=version,
        inputs=[TxIn(c.outpoint, sequence=sequence) for c in coins],
        outputs=list(outputs),
        locktime=locktime,
    )
    psbt = PSBT.from_transaction(tx)
    for i, coin in enumerate(coins):
        _update_input(psbt, i, coin)
    if change_index is not None and change is not None:
        _update_change_output(psbt, change_index, change)
    return psbt


def _warnings(
    coins: Sequence[WalletCoin],
    amount: int,
    fee: int,
    rate: FeeRate,
    *,
    max_rate: FeeRate,
    high_fee_fraction: Decimal,
) -> list[ReviewWarning]:
    out = []
    if amount > 0 and Decimal(fee) > Decimal(amount) * high_fee_fraction:
        share = Decimal(fee) * 100 / Decimal(amount)
        out.append(
            ReviewWarning(
                "high-fee",
                f"the fee of {fee} sat is {share:.1f} % of the {amount} sat sent (above "
                f"{high_fee_fraction * 100:.0f} %)",
                needs_confirmation=True,
            )
        )
    if rate > max_rate:
        out.append(
            ReviewWarning(
                "high-fee-rate",
                f"the fee rate of {rate} is above the usual ceiling of {max_rate}",
                needs_confirmation=True,
            )
        )
    unconfirmed = [c for c in coins if not c.confirmed]
    if unconfirmed:
        out.append(
            ReviewWarning(
                "unconfirmed-inputs",
                f"{len(unconfirmed)} of the coins spent are not confirmed yet; this payment "
                "cannot confirm before they do",
            )
        )
    return out


def _sizes(coins: Sequence[WalletCoin]) -> list[InputSize]:
    return [c.size for c in coins]


# -- payments ------------------------------------------------------------------------------------


def build_payment(
    recipients: Sequence[Recipient],
    coins: Sequence[WalletCoin],
    fee_rate: FeeRate,
    change: ChangeDestination,
    network: Network | str,
    *,
    spend_from: Collection[OutPoint] | None = None,
    rbf: bool = True,
    current_height: int | None = None,
    allow_high_fee_rate: bool = False,
    min_fee_rate: FeeRate = MIN_RELAY_FEE_RATE,
    max_fee_rate: FeeRate = MAX_FEE_RATE,
    high_fee_fraction: Decimal = HIGH_FEE_FRACTION,
    long_term_fee_rate: FeeRate = LONG_TERM_FEE_RATE,
    shuffle: bool = True,
    rng: random.Random | None = None,
) -> BuiltTransaction:
    """An unsigned payment to ``recipients`` from ``coins`` (frozen ones never, coin control by
    ``spend_from``), with change to ``change`` when it is worth having.

    ``current_height`` sets an anti-fee-sniping locktime. One recipient may have ``amount=None``
    (send max): it gets everything left after the others and the fee, and there is no change.
    """
    rng = rng if rng is not None else random.Random()
    net = get_network(network)
    check_fee_rate(
        fee_rate, min_rate=min_fee_rate, max_rate=max_fee_rate, allow_high=allow_high_fee_rate
    )
    if not recipients:
        raise TxBuildError("a payment needs at least one recipient")
    by_outpoint = _check_coins(coins)
    scripts: list[bytes] = []
    shown: list[str] = []
    max_at: int | None = None
    for n, r in enumerate(recipients):
        parsed = parse_address(r.address, net)
        scripts.append(parsed.script_pubkey)
        shown.append(parsed.address)
        if r.amount is None:
            if max_at is not None:
                raise TxBuildError("only one recipient can receive the maximum (the rest)")
            max_at = n
        else:
            _check_output(parsed.script_pubkey, r.amount, parsed.address)
    fixed = sum(r.amount for r in recipients if r.amount is not None)
    if fixed > MAX_MONEY:
        raise TxBuildError("the amounts add up to more than 21 million BTC")
    params = _selection_params(fee_rate, change, long_term_fee_rate)
    wallet_coins = list(by_outpoint.values())
    coin_objs = [c.coin for c in wallet_coins]
    n_candidates = len(coin_objs)

    change_value = 0
    if max_at is not None:
        selection = select_all(coin_objs, params, spend_from=spend_from)
        chosen = [by_outpoint[c.outpoint] for c in selection.coins]
        vsize = vsize_of(estimate_weight(_sizes(chosen), scripts))
        fee = fee_rate.fee(vsize)
        rest = selection.value - fixed - fee
        dust = dust_threshold(scripts[max_at])
        if rest < dust:
            raise InsufficientFundsError(
                f"after the fee of {fee} sat and the other payments, only {max(rest, 0)} sat "
                f"would be left for {shown[max_at]}, below its dust limit of {dust} sat"
            )
        amounts = [r.amount if r.amount is not None else rest for r in recipients]
    else:
        amounts = [r.amount for r in recipients]  # type: ignore[misc]
        target = fixed + fee_rate.fee(vsize_of(overhead_weight(n_candidates, scripts)))
        selection = select_coins(coin_objs, target, params, spend_from=spend_from, rng=rng)
        chosen = [by_outpoint[c.outpoint] for c in selection.coins]
        sizes = _sizes(chosen)
        with_change = vsize_of(estimate_weight(sizes, [*scripts, change.script_pubkey]))
        change_value = selection.value - fixed - fee_rate.fee(with_change)
        if change_value >= params.min_viable_change:
            vsize, fee = with_change, fee_rate.fee(with_change)
        else:
            change_value = 0
            vsize = vsize_of(estimate_weight(sizes, scripts))
            fee = selection.value - fixed
            if fee < fee_rate.fee(vsize):  # selection guarantees this; keep it checked
                raise TxBuildError("coin selection fell short of the fee; please report this")

    outputs = [TxOut(a, s) for a, s in zip(amounts, scripts, strict=True)]
    change_index = None
    if change_value:
        change_index = rng.randrange(len(outputs) + 1) if shuffle else len(outputs)
        outputs.insert(change_index, TxOut(change_value, change.script_pubkey))
    if shuffle:
        rng.shuffle(chosen)
    locktime = 0 if current_height is None else anti_fee_sniping_locktime(current_height, rng)
    psbt = _make_psbt(
        chosen,
        outputs,
        sequence=SEQUENCE_RBF if rbf else SEQUENCE_NO_RBF,
        locktime=locktime,
        version=2,
        change_index=change_index,
        change=change,
    )
    amount = sum(amounts)
    review = TxReview(
        recipients=tuple(zip(shown, amounts, strict=True)),
        fee=fee,
        vsize=vsize,
        requested_fee_rate=fee_rate,
        change=(script_to_address(change.script_pubkey, net), change_value)
        if change_value
        else None,
        inputs=tuple((c.outpoint, c.value) for c in chosen),
        rbf=rbf,
        locktime=locktime,
        warnings=tuple(
            _warnings(
                chosen,
                amount,
                fee,
                fee_rate,
                max_rate=max_fee_rate,
                high_fee_fraction=high_fee_fraction,
            )
        ),
    )
    return BuiltTransaction(psbt, review, tuple(chosen), change_index, selection)


# -- fee bumping (BIP125 replace-by-fee) ---------------------------------------------------------


def _signed_vsize(tx: Transaction, coins: Sequence[WalletCoin]) -> int:
    """The real vsize of a signed transaction, or the estimate of an unsigned one."""
    if all(i.script_sig or i.witness for i in tx.inputs):
        return tx.vsize()
    return vsize_of(estimate_weight(_sizes(coins), [o.script_pubkey for o in tx.outputs]))


def bump_fee(
    original: Transaction,
    spent: Sequence[WalletCoin],
    new_fee_rate: FeeRate,
    network: Network | str,
    *,
    change: ChangeDestination | None = None,
    extra_coins: Sequence[WalletCoin] = (),
    spend_from: Collection[OutPoint] | None = None,
    decrease_output: int | None = None,
    replaced_fees: int | None = None,
    incremental_fee_rate: FeeRate = INCREMENTAL_RELAY_FEE_RATE,
    allow_high_fee_rate: bool = False,
    max_fee_rate: FeeRate = MAX_FEE_RATE,
    high_fee_fraction: Decimal = HIGH_FEE_FRACTION,
    rng: random.Random | None = None,
) -> BuiltTransaction:
    """A replacement of ``original`` paying ``new_fee_rate``: same inputs and recipients.

    The extra fee comes from the change output (the one paying ``change``), else from more of
    the wallet's coins (``extra_coins``, with new change to ``change``), or, with
    ``decrease_output``, from that output (for a send-max payment). ``replaced_fees`` is the fee
    of the original plus its descendants in the mempool, if any (BIP125 rule 3); coins created
    by those descendants must not be in ``extra_coins`` (the original's own outputs are ignored).
    The result pays at least ``replaced_fees + incremental rate x its size`` (rule 4) and more
    per vbyte than the original (rule 6).
    """
    rng = rng if rng is not None else random.Random()
    net = get_network(network)
    check_fee_rate(new_fee_rate, max_rate=max_fee_rate, allow_high=allow_high_fee_rate)
    spent = list(spent)
    if [c.outpoint for c in spent] != [i.prevout for i in original.inputs]:
        raise TxBuildError("give the coins the original transaction spends, in its input order")
    # the original's own outputs (its change) cannot pay for its replacement
    original_txid = original.txid()
    taken = {c.outpoint for c in spent}
    extra_coins = [
        c for c in extra_coins if c.outpoint not in taken and c.outpoint.txid != original_txid
    ]
    in_value = sum(c.value for c in spent)
    old_fee = in_value - sum(o.value for o in original.outputs)
    if old_fee < 0:
        raise TxBuildError("the original transaction spends more than its inputs hold")
    old_vsize = _signed_vsize(original, spent)
    old_rate = fee_rate_of(old_fee, old_vsize)
    replaced = old_fee if replaced_fees is None else replaced_fees
    if replaced < old_fee:
        raise TxBuildError("the replaced fees cannot be less than the original's own fee")
    if new_fee_rate.sat_per_vb <= old_rate:
        raise TxBuildError(
            f"the new fee rate of {new_fee_rate} must be above the original's {old_rate:.2f} sat/vB"
        )

    def needed(vsize: int) -> int:
        return max(new_fee_rate.fee(vsize), replaced + incremental_fee_rate.fee(vsize))

    outputs = list(original.outputs)
    change_at: int | None = None
    if change is not None and decrease_output is None:
        matches = [n for n, o in enumerate(outputs) if o.script_pubkey == change.script_pubkey]
        change_at = matches[-1] if matches else None
    if decrease_output is not None and not 0 <= decrease_output < len(outputs):
        raise TxBuildError(f"the original has no output {decrease_output}")
    recipients = [o for n, o in enumerate(outputs) if n != change_at]
    recipient_scripts = [o.script_pubkey for o in recipients]
    recipients_value = sum(o.value for o in recipients)

    def finish(coins: list[WalletCoin]) -> tuple[list[TxOut], int, int, int | None] | None:
        """(outputs, fee, vsize, change index) paying ``needed``, or None if coins fall short."""
        total = sum(c.value for c in coins)
        sizes = _sizes(coins)
        if decrease_output is not None:
            vsize = vsize_of(estimate_weight(sizes, [o.script_pubkey for o in outputs]))
            fee = needed(vsize)
            others = sum(o.value for n, o in enumerate(outputs) if n != decrease_output)
            target = outputs[decrease_output]
            value = total - others - fee
            dust = dust_threshold(target.script_pubkey)
            if value < dust:
                raise TxBuildError(
                    f"output {decrease_output} would drop to {max(value, 0)} sat to pay the new "
                    f"fee, below its dust limit of {dust} sat"
                )
            new = list(outputs)
            new[decrease_output] = TxOut(value, target.script_pubkey)
            return new, fee, vsize, None
        if change is not None:
            vsize = vsize_of(estimate_weight(sizes, [*recipient_scripts, change.script_pubkey]))
            fee = needed(vsize)
            value = total - recipients_value - fee
            if value >= _selection_params(new_fee_rate, change).min_viable_change:
                new = list(recipients)
                at = change_at if change_at is not None else rng.randrange(len(new) + 1)
                new.insert(at, TxOut(value, change.script_pubkey))
                return new, fee, vsize, at
        vsize = vsize_of(estimate_weight(sizes, recipient_scripts))
        fee = total - recipients_value
        if fee >= needed(vsize):
            return list(recipients), fee, vsize, None
        return None

    coins = list(spent)
    selection = None
    done = finish(coins)
    if done is None:
        if change is None:
            raise TxBuildError(
                "the original has no change to take the higher fee from; give a change "
                "destination so other coins can be added"
            )
        by_outpoint = _check_coins([*spent, *extra_coins])
        extra = [by_outpoint[c.outpoint].coin for c in extra_coins]
        rate = new_fee_rate
        for _ in range(8):
            params = _selection_params(rate, change)
            overhead = overhead_weight(len(spent) + len(extra), recipient_scripts)
            target = recipients_value + rate.fee(vsize_of(overhead))
            try:
                selection = select_coins(
                    extra,
                    target,
                    params,
                    required=[c.coin for c in spent],
                    spend_from=spend_from,
                    rng=rng,
                )
            except InsufficientFundsError as exc:
                raise InsufficientFundsError(f"cannot raise the fee: {exc}") from None
            coins = [by_outpoint[c.outpoint] for c in selection.coins]
            done = finish(coins)
            if done is not None:
                break
            # BIP125 rule 4 binds harder than the rate: select again at the rate it implies
            vsize = vsize_of(estimate_weight(_sizes(coins), recipient_scripts))
            rate = FeeRate(max(rate.sat_per_kvb + 1, -(-needed(vsize) * 1000 // vsize)))
        if done is None:
            raise TxBuildError("could not find coins to pay the higher fee")
    new_outputs, fee, vsize, change_index = done
    if fee < replaced + incremental_fee_rate.fee(vsize) or fee_rate_of(fee, vsize) <= old_rate:
        raise TxBuildError("the replacement would not satisfy BIP125; please report this")

    psbt = _make_psbt(
        coins,
        new_outputs,
        sequence=SEQUENCE_RBF,
        locktime=original.locktime,
        version=original.version,
        change_index=change_index,
        change=change,
    )
    shown = tuple(
        (_address_or_script(o.script_pubkey, net), o.value)
        for n, o in enumerate(new_outputs)
        if n != change_index
    )
    amount = sum(a for _, a in shown)
    warnings = _warnings(
        coins, amount, fee, new_fee_rate, max_rate=max_fee_rate, high_fee_fraction=high_fee_fraction
    )
    if not original.signals_rbf():
        warnings.append(
            ReviewWarning(
                "original-not-rbf",
                "the original does not signal replaceability (BIP125); only nodes with full RBF "
                "will relay the replacement",
            )
        )
    change_shown = None
    if change_index is not None:
        out = new_outputs[change_index]
        change_shown = (script_to_address(out.script_pubkey, net), out.value)
    review = TxReview(
        recipients=shown,
        fee=fee,
        vsize=vsize,
        requested_fee_rate=new_fee_rate,
        change=change_shown,
        inputs=tuple((c.outpoint, c.value) for c in coins),
        rbf=True,
        locktime=original.locktime,
        warnings=tuple(warnings),
        replaces=original.txid_hex,
    )
    return BuiltTransaction(psbt, review, tuple(coins), change_index, selection)


def _address_or_script(script: bytes, net: Network) -> str:
    try:
        return script_to_address(script, net)
    except AddressError:
        return f"script {script.hex()}"


# -- child pays for parent -----------------------------------------------------------------------


def cpfp(
    parent: Transaction,
    parent_fee: int,
    coin: WalletCoin,
    fee_rate: FeeRate,
    destination: ChangeDestination,
    network: Network | str,
    *,
    extra_coins: Sequence[WalletCoin] = (),
    ancestors_fee: int = 0,
    ancestors_vsize: int = 0,
    allow_high_fee_rate: bool = False,
    max_fee_rate: FeeRate = MAX_FEE_RATE,
    rng: random.Random | None = None,
) -> BuiltTransaction:
    """A child spending ``coin`` (our output of the signed ``parent``) to ``destination``, paying
    enough that parent and child together reach ``fee_rate``.

    ``ancestors_fee`` / ``ancestors_vsize`` add the parent's own unconfirmed ancestors to the
    package. ``extra_coins`` are added only if ``coin`` alone cannot pay.
    """
    rng = rng if rng is not None else random.Random()
    net = get_network(network)
    check_fee_rate(fee_rate, max_rate=max_fee_rate, allow_high=allow_high_fee_rate)
    if coin.outpoint.txid != parent.txid():
        raise TxBuildError(
            f"coin {coin.outpoint} is not an output of transaction {parent.txid_hex}"
        )
    vout = coin.outpoint.vout
    if vout >= len(parent.outputs) or parent.outputs[vout] != coin.txout:
        raise TxBuildError(f"the parent's output {vout} is not the coin given")
    if not all(i.script_sig or i.witness for i in parent.inputs):
        raise TxBuildError("the parent must be signed (its size decides the child's fee)")
    package_fee = parent_fee + ancestors_fee
    package_vsize = parent.vsize() + ancestors_vsize
    current = fee_rate_of(package_fee, package_vsize)
    if fee_rate.fee(package_vsize) <= package_fee:
        raise TxBuildError(
            f"the parent already pays {current:.2f} sat/vB, at least the {fee_rate} asked"
        )
    dest_script = destination.script_pubkey
    dust = dust_threshold(dest_script)

    def child_fee(vsize: int) -> int:
        return max(fee_rate.fee(package_vsize + vsize) - package_fee, MIN_RELAY_FEE_RATE.fee(vsize))

    coins = [coin]
    selection = None
    vsize = vsize_of(estimate_weight(_sizes(coins), [dest_script]))
    fee = child_fee(vsize)
    if coin.value - fee < dust:
        by_outpoint = _check_coins([coin, *extra_coins])
        params = _selection_params(fee_rate, destination)
        deficit = fee_rate.fee(package_vsize) - package_fee
        overhead = overhead_weight(1 + len(extra_coins), [dest_script])
        target = deficit + dust + fee_rate.fee(vsize_of(overhead))
        try:
            selection = select_coins(
                [by_outpoint[c.outpoint].coin for c in extra_coins],
                target,
                params,
                required=[coin.coin],
                rng=rng,
            )
        except InsufficientFundsError as exc:
            raise InsufficientFundsError(f"cannot pay for the parent: {exc}") from None
        coins = [by_outpoint[c.outpoint] for c in selection.coins]
        vsize = vsize_of(estimate_weight(_sizes(coins), [dest_script]))
        fee = child_fee(vsize)
    value = sum(c.value for c in coins) - fee
    if value < dust:
        raise InsufficientFundsError(
            f"the child would keep {max(value, 0)} sat after its {fee} sat fee, below the dust "
            f"limit of {dust} sat"
        )
    psbt = _make_psbt(
        coins,
        [TxOut(value, dest_script)],
        sequence=SEQUENCE_RBF,
        locktime=0,
        version=2,
        change_index=0,
        change=destination,
    )
    review = TxReview(
        recipients=(),
        fee=fee,
        vsize=vsize,
        requested_fee_rate=fee_rate,
        change=(script_to_address(dest_script, net), value),
        inputs=tuple((c.outpoint, c.value) for c in coins),
        rbf=True,
        locktime=0,
        warnings=tuple(
            _warnings(
                coins, 0, fee, fee_rate, max_rate=max_fee_rate, high_fee_fraction=HIGH_FEE_FRACTION
            )
        ),
        package_fee_rate=fee_rate_of(package_fee + fee, package_vsize + vsize),
    )
    return BuiltTransaction(psbt, review, tuple(coins), 0, selection)


__all__ = [
    "HIGH_FEE_FRACTION",
    "SEQUENCE_NO_RBF",
    "BuiltTransaction",
    "ChangeDestination",
    "Recipient",
    "ReviewWarning",
    "TxBuildError",
    "TxReview",
    "WalletCoin",
    "anti_fee_sniping_locktime",
    "build_payment",
    "bump_fee",
    "coin_from_output",
    "cpfp",
]
