"""Building transactions: sign what the builder makes with the PSBT signer, and let Bitcoin
Core's script interpreter (libbitcoinkernel) judge every input; compare size estimates with the
real signed size; check fee bumps against BIP125 and CPFP packages against their target rate.
"""

from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal

import pytest

from tests.kernel import assert_inputs_valid
from wallet.account.coin_selection import CoinSelectionError, InsufficientFundsError
from wallet.account.fees import (
    INCREMENTAL_RELAY_FEE_RATE,
    FeeError,
    dust_threshold,
    fee_rate_of,
)
from wallet.account.tx_builder import (
    SEQUENCE_NO_RBF,
    BuiltTransaction,
    ChangeDestination,
    Recipient,
    TxBuildError,
    WalletCoin,
    build_payment,
    bump_fee,
    cpfp,
)
from wallet.bitcoin.address import p2wpkh_address, script_to_address
from wallet.bitcoin.amount import FeeRate
from wallet.bitcoin.bip32 import ExtendedKey
from wallet.bitcoin.descriptors import Descriptor, parse_descriptor
from wallet.bitcoin.errors import NetworkMismatchError
from wallet.bitcoin.psbt import PSBT
from wallet.bitcoin.transaction import SEQUENCE_RBF, OutPoint, Transaction, TxIn, TxOut

NET = "regtest"
MASTER = ExtendedKey.from_seed(bytes(range(32)), NET)
FP = MASTER.fingerprint
KINDS = {"pkh": 44, "sh-wpkh": 49, "wpkh": 84, "tr": 86}


def _descriptor(kind: str, chain: int) -> Descriptor:
    purpose = KINDS[kind]
    account = MASTER.derive_path(f"m/{purpose}'/1'/0'")
    key = f"[{FP.hex()}/{purpose}'/1'/0']{account.neuter().serialize()}/{chain}/*"
    text = {"pkh": "pkh({})", "sh-wpkh": "sh(wpkh({}))", "wpkh": "wpkh({})", "tr": "tr({})"}[kind]
    return parse_descriptor(text.format(key), NET)


DESCRIPTORS = {(k, c): _descriptor(k, c) for k in KINDS for c in (0, 1)}
# recipients: someone else's wallet
OTHER = ExtendedKey.from_seed(b"\x42" * 32, NET)


def _other_address(kind: str, index: int) -> str:
    account = OTHER.derive_path(f"m/{KINDS[kind]}'/1'/0'").neuter().serialize()
    text = {"pkh": "pkh({})", "sh-wpkh": "sh(wpkh({}))", "wpkh": "wpkh({})", "tr": "tr({})"}[kind]
    return parse_descriptor(text.format(f"{account}/0/*"), NET).address(index)


def _fund(rng: random.Random, kind: str, value: int, index: int, chain: int = 0) -> WalletCoin:
    """A coin paid by a (made-up) funding transaction to our ``kind`` address at ``index``."""
    desc = DESCRIPTORS[(kind, chain)]
    spk = desc.script_pubkey(index)
    vout = rng.randrange(3)
    outputs = [TxOut(rng.randrange(1_000, 10**6), bytes([0x51])) for _ in range(3)]
    outputs[vout] = TxOut(value, spk)
    prev = Transaction(2, [TxIn(OutPoint(rng.randbytes(32), 0))], outputs, 0)
    return WalletCoin(OutPoint(prev.txid(), vout), value, spk, desc, index, prev_tx=prev)


def _sign(psbt: PSBT) -> Transaction:
    """A signer that, like a hardware wallet, derives keys from the PSBT's key origins."""
    signed = psbt.copy()
    secrets = set()
    for m in signed.inputs:
        origins = list(m.bip32_derivations.values())
        origins += [origin for _, origin in m.tap_bip32_derivations.values()]
        assert origins, "an input without key origins cannot be signed by a hardware wallet"
        for origin in origins:
            assert origin.fingerprint == FP
            secrets.add(MASTER.derive_path(list(origin.path)).secret)
    assert len(signed.sign(secrets)) == len(signed.inputs)
    assert signed.finalize()
    return signed.extract()


def _check_signed(built: BuiltTransaction, rate: FeeRate) -> Transaction:
    tx = _sign(built.psbt)
    assert_inputs_valid(tx, built.spent_outputs)
    real = tx.vsize()
    est = built.review.vsize
    assert est >= real, "the size estimate is below the real size"
    assert est - real <= 1 + len(tx.inputs) // 4, (est, real)
    fee = sum(c.value for c in built.coins) - sum(o.value for o in tx.outputs)
    assert fee == built.review.fee
    assert fee >= rate.fee(real), "the fee rate actually paid is below the one asked"
    return tx


# -- payments ------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(24))
def test_random_payments_sign_and_pass_the_kernel(seed):
    rng = random.Random(seed)
    kinds = list(KINDS)
    coins = [
        _fund(rng, rng.choice(kinds), rng.randrange(20_000, 3_000_000), rng.randrange(50))
        for _ in range(rng.randrange(1, 9))
    ]
    rate = FeeRate.from_sat_per_vb(rng.choice(["1", "2.5", "7", "23.125", "80"]))
    recipients = [
        Recipient(_other_address(rng.choice(kinds), n), rng.randrange(5_000, 400_000))
        for n in range(rng.randrange(1, 4))
    ]
    change = ChangeDestination(DESCRIPTORS[(rng.choice(kinds), 1)], rng.randrange(10))
    try:
        built = build_payment(
            recipients, coins, rate, change, NET, rng=rng, current_height=rng.randrange(1, 10**6)
        )
    except InsufficientFundsError:
        assert sum(c.value for c in coins) < sum(r.amount for r in recipients) + 100_000
        return
    tx = _check_signed(built, rate)
    # recipients paid exactly, change (if any) to the change chain, RBF signalled
    paid = [(o.script_pubkey, o.value) for o in tx.outputs]
    for (address, amount), r in zip(built.review.recipients, recipients, strict=True):
        assert (address, amount) == (r.address, r.amount)
    if built.change_index is not None:
        out = tx.outputs[built.change_index]
        assert out.script_pubkey == change.script_pubkey
        assert built.review.change == (script_to_address(out.script_pubkey, NET), out.value)
        assert built.psbt.outputs[built.change_index].bip32_derivations or (
            built.psbt.outputs[built.change_index].tap_bip32_derivations
        )
        assert len(paid) == len(recipients) + 1
    else:
        assert len(paid) == len(recipients)
    assert all(i.sequence == SEQUENCE_RBF for i in tx.inputs)
    assert tx.signals_rbf() and built.review.rbf


def test_each_input_type_estimate_matches_the_signed_size():
    rng = random.Random(77)
    rate = FeeRate.from_sat_per_vb(3)
    diffs = []
    for kind in KINDS:
        for n_inputs in (1, 2, 5):
            coins = [_fund(rng, kind, 100_000, i) for i in range(n_inputs)]
            change = ChangeDestination(DESCRIPTORS[(kind, 1)], 0)
            built = build_payment(
                [Recipient(_other_address(kind, 0), 50_000 * n_inputs)],
                coins,
                rate,
                change,
                NET,
                rng=rng,
            )
            tx = _check_signed(built, rate)
            diffs.append(built.review.vsize - tx.vsize())
    assert max(diffs) <= 2 and min(diffs) >= 0


def test_changeless_payment_when_an_exact_coin_exists():
    rng = random.Random(3)
    rate = FeeRate.from_sat_per_vb(5)
    exact = _fund(rng, "wpkh", 101_000, 1)
    others = [_fund(rng, "wpkh", 3_000_000, i) for i in range(2, 5)]
    change = ChangeDestination(DESCRIPTORS[("wpkh", 1)], 0)
    to = _other_address("wpkh", 1)
    # 1 input, 1 output P2WPKH at 5 sat/vB: 110 vB -> 550 sat; leave a few sats of slack
    built = build_payment([Recipient(to, 101_000 - 550 - 20)], [*others, exact], rate, change, NET)
    assert built.selection.algorithm == "bnb"
    assert built.change_index is None and built.review.change is None
    assert [c.outpoint for c in built.coins] == [exact.outpoint]
    _check_signed(built, rate)


def test_send_max_spends_everything_without_change():
    rng = random.Random(11)
    rate = FeeRate.from_sat_per_vb(4)
    coins = [_fund(rng, k, 70_000, i) for i, k in enumerate(KINDS)]
    coins.append(_fund(rng, "wpkh", 50_000, 9))
    frozen = _fund(rng, "tr", 900_000, 8)
    coins.append(replace(frozen, frozen=True))
    change = ChangeDestination(DESCRIPTORS[("wpkh", 1)], 0)
    fixed = Recipient(_other_address("tr", 0), 30_000)
    built = build_payment(
        [fixed, Recipient.send_max(_other_address("wpkh", 2))], coins, rate, change, NET, rng=rng
    )
    tx = _check_signed(built, rate)
    assert built.change_index is None and len(tx.outputs) == 2
    assert {c.outpoint for c in built.coins} == {c.outpoint for c in coins if not c.frozen}
    assert built.review.fee == rate.fee(built.review.vsize)
    assert sum(built.review.recipients[i][1] for i in range(2)) + built.review.fee == 330_000


def test_coin_control_and_frozen_coins():
    rng = random.Random(5)
    rate = FeeRate.from_sat_per_vb(2)
    a, b = _fund(rng, "wpkh", 500_000, 0), _fund(rng, "tr", 500_000, 1)
    c = replace(_fund(rng, "wpkh", 5_000_000, 2), frozen=True)
    change = ChangeDestination(DESCRIPTORS[("tr", 1)], 3)
    to = [Recipient(_other_address("wpkh", 0), 100_000)]
    built = build_payment(to, [a, b, c], rate, change, NET, spend_from=[b.outpoint], rng=rng)
    assert [x.outpoint for x in built.coins] == [b.outpoint]
    _check_signed(built, rate)
    with pytest.raises(CoinSelectionError, match="frozen"):
        build_payment(to, [a, b, c], rate, change, NET, spend_from=[c.outpoint])
    with pytest.raises(InsufficientFundsError, match="frozen"):
        build_payment([Recipient(to[0].address, 2_000_000)], [a, b, c], rate, change, NET)


def test_anti_fee_sniping_and_no_rbf():
    rng = random.Random(8)
    coin = _fund(rng, "wpkh", 200_000, 0)
    change = ChangeDestination(DESCRIPTORS[("wpkh", 1)], 0)
    rate = FeeRate.from_sat_per_vb(1)
    to = [Recipient(_other_address("wpkh", 0), 100_000)]
    lock_times = []
    for seed in range(40):
        built = build_payment(
            to, [coin], rate, change, NET, current_height=800_000, rng=random.Random(seed)
        )
        lock_times.append(built.tx.locktime)
    assert all(799_900 < t <= 800_000 for t in lock_times)
    assert lock_times.count(800_000) > 25 and len(set(lock_times)) > 1
    built = build_payment(to, [coin], rate, change, NET, rbf=False, current_height=5)
    assert all(i.sequence == SEQUENCE_NO_RBF for i in built.tx.inputs)
    assert not built.tx.signals_rbf() and not built.review.rbf
    tx = _check_signed(built, rate)
    assert tx.locktime <= 5


# -- guards --------------------------------------------------------------------------------------


def test_guards():
    rng = random.Random(2)
    coins = [_fund(rng, "wpkh", 1_000_000, 0)]
    change = ChangeDestination(DESCRIPTORS[("wpkh", 1)], 0)
    rate = FeeRate.from_sat_per_vb(2)
    wpkh, pkh = _other_address("wpkh", 0), _other_address("pkh", 0)
    with pytest.raises(TxBuildError, match="below the dust limit of 294 sat for a p2wpkh"):
        build_payment([Recipient(wpkh, 293)], coins, rate, change, NET)
    with pytest.raises(TxBuildError, match="dust limit of 546 sat for a p2pkh"):
        build_payment([Recipient(pkh, 545)], coins, rate, change, NET)
    assert build_payment([Recipient(wpkh, 294)], coins, rate, change, NET).review.amount == 294
    with pytest.raises(FeeError, match="below the 1 sat/vB"):
        build_payment([Recipient(wpkh, 10_000)], coins, FeeRate(999), change, NET)
    with pytest.raises(FeeError, match="almost certainly a mistake"):
        build_payment([Recipient(wpkh, 10_000)], coins, FeeRate.from_sat_per_vb(1001), change, NET)
    built = build_payment(
        [Recipient(wpkh, 500_000)],
        coins,
        FeeRate.from_sat_per_vb(1500),
        change,
        NET,
        allow_high_fee_rate=True,
    )
    assert {w.code for w in built.review.warnings} >= {"high-fee-rate"}
    assert built.review.needs_confirmation
    with pytest.raises(TxBuildError, match="only one recipient"):
        build_payment([Recipient.send_max(wpkh), Recipient.send_max(pkh)], coins, rate, change, NET)
    with pytest.raises(TxBuildError, match="positive"):
        build_payment([Recipient(wpkh, 0)], coins, rate, change, NET)
    with pytest.raises(TxBuildError, match="at least one recipient"):
        build_payment([], coins, rate, change, NET)
    with pytest.raises(NetworkMismatchError, match="mainnet address, but the wallet is on regtest"):
        build_payment(
            [Recipient(p2wpkh_address(MASTER.public_key, "mainnet"), 10_000)],
            coins,
            rate,
            change,
            NET,
        )
    with pytest.raises(InsufficientFundsError, match="not enough funds"):
        build_payment([Recipient(wpkh, 999_900)], coins, rate, change, NET)
    with pytest.raises(InsufficientFundsError, match="below its dust limit"):
        build_payment([Recipient.send_max(wpkh)], [_fund(rng, "wpkh", 500, 3)], rate, change, NET)


def test_fee_above_five_percent_needs_a_second_confirmation():
    rng = random.Random(4)
    coins = [_fund(rng, "pkh", 100_000, i) for i in range(3)]
    change = ChangeDestination(DESCRIPTORS[("wpkh", 1)], 0)
    to = _other_address("wpkh", 0)
    cheap = build_payment([Recipient(to, 50_000)], coins, FeeRate.from_sat_per_vb(1), change, NET)
    assert not cheap.review.needs_confirmation
    dear = build_payment([Recipient(to, 20_000)], coins, FeeRate.from_sat_per_vb(10), change, NET)
    (warning,) = [w for w in dear.review.warnings if w.code == "high-fee"]
    assert warning.needs_confirmation and dear.review.needs_confirmation
    share = Decimal(dear.review.fee) * 100 / 20_000
    assert f"{share:.1f} %" in warning.message and share > 5


def test_inconsistent_coins_are_refused():
    rng = random.Random(6)
    change = ChangeDestination(DESCRIPTORS[("wpkh", 1)], 0)
    rate = FeeRate.from_sat_per_vb(1)
    to = [Recipient(_other_address("wpkh", 0), 10_000)]
    legacy = _fund(rng, "pkh", 100_000, 0)
    no_prev = replace(legacy, prev_tx=None)
    with pytest.raises(TxBuildError, match="whole previous transaction is needed"):
        build_payment(to, [no_prev], rate, change, NET)
    good = _fund(rng, "wpkh", 100_000, 0)
    wrong_index = replace(good, index=1)
    with pytest.raises(TxBuildError, match="does not pay the script its descriptor derives"):
        build_payment(to, [wrong_index], rate, change, NET)
    wrong_value = replace(good, value=100_001)
    with pytest.raises(TxBuildError, match="previous transaction pays a different amount"):
        build_payment(to, [wrong_value], rate, change, NET)
    with pytest.raises(TxBuildError, match="listed twice"):
        build_payment(to, [good, good], rate, change, NET)


# -- RBF -----------------------------------------------------------------------------------------


def _bip125_checks(original: Transaction, old_fee: int, replacement: Transaction, new_fee: int):
    assert {i.prevout for i in original.inputs} <= {i.prevout for i in replacement.inputs}
    # rule 3: pays at least the original's absolute fee; rule 4: and its own bandwidth
    assert new_fee >= old_fee + INCREMENTAL_RELAY_FEE_RATE.fee(replacement.vsize())
    # rule 6 (Core): a higher fee rate than the transaction it replaces
    assert fee_rate_of(new_fee, replacement.vsize()) > fee_rate_of(old_fee, original.vsize())
    assert replacement.signals_rbf()


def _recipients_kept(original: Transaction, replacement: Transaction, change_spk: bytes):
    old = sorted(
        (o.script_pubkey, o.value) for o in original.outputs if o.script_pubkey != change_spk
    )
    new = sorted(
        (o.script_pubkey, o.value) for o in replacement.outputs if o.script_pubkey != change_spk
    )
    assert old == new


@pytest.mark.parametrize("kind", list(KINDS))
def test_bump_fee_from_change(kind):
    rng = random.Random(hash(kind) % 1000)
    coins = [_fund(rng, kind, 400_000, i) for i in range(2)]
    change = ChangeDestination(DESCRIPTORS[(kind, 1)], 4)
    rate = FeeRate.from_sat_per_vb(2)
    built = build_payment(
        [Recipient(_other_address("tr", 0), 500_000)], coins, rate, change, NET, rng=rng
    )
    original = _check_signed(built, rate)
    new_rate = FeeRate.from_sat_per_vb(9)
    bumped = bump_fee(original, built.coins, new_rate, NET, change=change, rng=rng)
    replacement = _check_signed(bumped, new_rate)
    _bip125_checks(original, built.review.fee, replacement, bumped.review.fee)
    _recipients_kept(original, replacement, change.script_pubkey)
    assert bumped.review.replaces == original.txid_hex
    assert [i.prevout for i in replacement.inputs] == [i.prevout for i in original.inputs]


def test_bump_fee_adds_an_input_when_change_is_too_small():
    rng = random.Random(21)
    coin = _fund(rng, "wpkh", 100_000, 0)
    extra = [_fund(rng, "tr", 60_000, 1), _fund(rng, "pkh", 300_000, 2)]
    change = ChangeDestination(DESCRIPTORS[("wpkh", 1)], 0)
    rate = FeeRate.from_sat_per_vb(1)
    built = build_payment(
        [Recipient(_other_address("wpkh", 0), 98_000)], [coin], rate, change, NET, rng=rng
    )
    original = _check_signed(built, rate)
    new_rate = FeeRate.from_sat_per_vb(40)
    with pytest.raises(TxBuildError, match="no change to take the higher fee from"):
        bump_fee(original, built.coins, new_rate, NET)
    # the wallet's coin list may hold the original's own change: it must not be spent
    idx = built.change_index
    assert idx is not None
    own = WalletCoin(
        OutPoint(original.txid(), idx),
        original.outputs[idx].value,
        change.script_pubkey,
        change.descriptor,
        change.index,
        prev_tx=original,
    )
    bumped = bump_fee(
        original, built.coins, new_rate, NET, change=change, extra_coins=[own, *extra], rng=rng
    )
    replacement = _check_signed(bumped, new_rate)
    assert len(replacement.inputs) > len(original.inputs)
    assert own.outpoint not in {i.prevout for i in replacement.inputs}
    _bip125_checks(original, built.review.fee, replacement, bumped.review.fee)
    _recipients_kept(original, replacement, change.script_pubkey)
    with pytest.raises(InsufficientFundsError, match="cannot raise the fee"):
        bump_fee(
            original,
            built.coins,
            FeeRate.from_sat_per_vb(900),
            NET,
            change=change,
            extra_coins=extra[:1],
        )


def test_bump_fee_rule_four_with_descendants_and_decrease_output():
    rng = random.Random(31)
    coins = [_fund(rng, "tr", 250_000, i) for i in range(2)]
    change = ChangeDestination(DESCRIPTORS[("tr", 1)], 0)
    rate = FeeRate.from_sat_per_vb(3)
    to = _other_address("wpkh", 5)
    built = build_payment([Recipient.send_max(to)], coins, rate, change, NET, rng=rng)
    original = _check_signed(built, rate)
    # a descendant in the mempool paid 5000 sat: the replacement must pay for it too (rule 3)
    bumped = bump_fee(
        original,
        built.coins,
        FeeRate.from_sat_per_vb(4),
        NET,
        decrease_output=0,
        replaced_fees=built.review.fee + 5_000,
    )
    replacement = _check_signed(bumped, FeeRate.from_sat_per_vb(4))
    assert bumped.review.fee >= built.review.fee + 5_000 + replacement.vsize()
    assert replacement.outputs[0].value == original.outputs[0].value - (
        bumped.review.fee - built.review.fee
    )
    with pytest.raises(TxBuildError, match="must be above the original's"):
        bump_fee(original, built.coins, FeeRate.from_sat_per_vb(3), NET, decrease_output=0)
    with pytest.raises(TxBuildError, match="in its input order"):
        bump_fee(original, built.coins[::-1], FeeRate.from_sat_per_vb(5), NET, decrease_output=0)


# -- CPFP ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["wpkh", "tr", "sh-wpkh", "pkh"])
def test_cpfp_child_pays_for_the_parent(kind):
    rng = random.Random(hash(kind) % 997)
    coins = [_fund(rng, kind, 300_000, 0)]
    change = ChangeDestination(DESCRIPTORS[(kind, 1)], 7)
    rate = FeeRate.from_sat_per_vb(1)
    built = build_payment(
        [Recipient(_other_address("wpkh", 0), 100_000)], coins, rate, change, NET, rng=rng
    )
    parent = _check_signed(built, rate)
    idx = built.change_index
    ours = WalletCoin(
        OutPoint(parent.txid(), idx),
        parent.outputs[idx].value,
        change.script_pubkey,
        change.descriptor,
        change.index,
        prev_tx=parent,
        confirmed=False,
    )
    target = FeeRate.from_sat_per_vb(25)
    dest = ChangeDestination(DESCRIPTORS[("wpkh", 1)], 8)
    child = cpfp(parent, built.review.fee, ours, target, dest, NET, rng=rng)
    child_tx = _check_signed(child, FeeRate.from_sat_per_vb(1))
    package_fee = built.review.fee + child.review.fee
    package_vsize = parent.vsize() + child_tx.vsize()
    assert package_fee >= target.fee(package_vsize)
    assert child.review.package_fee_rate >= target.sat_per_vb
    assert child_tx.outputs[0].script_pubkey == dest.script_pubkey
    assert {w.code for w in child.review.warnings} == {"unconfirmed-inputs"}
    with pytest.raises(TxBuildError, match="already pays"):
        cpfp(parent, built.review.fee, ours, FeeRate.from_sat_per_vb(1), dest, NET)


def test_cpfp_adds_coins_when_the_output_is_too_small():
    rng = random.Random(44)
    coins = [_fund(rng, "wpkh", 120_000, 0)]
    change = ChangeDestination(DESCRIPTORS[("wpkh", 1)], 0)
    rate = FeeRate.from_sat_per_vb(1)
    built = build_payment(
        [Recipient(_other_address("wpkh", 0), 118_000)], coins, rate, change, NET, rng=rng
    )
    parent = _check_signed(built, rate)
    idx = built.change_index
    assert idx is not None and parent.outputs[idx].value < 3_000
    ours = WalletCoin(
        OutPoint(parent.txid(), idx),
        parent.outputs[idx].value,
        change.script_pubkey,
        change.descriptor,
        change.index,
        prev_tx=parent,
    )
    dest = ChangeDestination(DESCRIPTORS[("wpkh", 1)], 1)
    target = FeeRate.from_sat_per_vb(60)
    with pytest.raises(InsufficientFundsError):
        cpfp(parent, built.review.fee, ours, target, dest, NET)
    extra = [_fund(rng, "tr", 200_000, 3)]
    child = cpfp(parent, built.review.fee, ours, target, dest, NET, extra_coins=extra, rng=rng)
    child_tx = _check_signed(child, FeeRate.from_sat_per_vb(1))
    assert len(child_tx.inputs) == 2
    assert built.review.fee + child.review.fee >= target.fee(parent.vsize() + child_tx.vsize())
    assert child_tx.outputs[0].value >= dust_threshold(dest.script_pubkey)


# -- fee rates and dust --------------------------------------------------------------------------


def test_fee_rates_are_exact():
    assert FeeRate.from_sat_per_vb("2.5") == FeeRate(2_500)
    assert FeeRate.from_sat_per_vb(Decimal("0.001")) == FeeRate(1)
    assert str(FeeRate(12_345)) == "12.345 sat/vB" and str(FeeRate(3_000)) == "3 sat/vB"
    assert FeeRate(2_500).fee(141) == 353  # 352.5 rounds up, as Core's CFeeRate::GetFee
    # Electrum's blockchain.estimatefee answers in BTC/kvB, as a JSON float
    assert FeeRate.from_btc_per_kvb(0.00001) == FeeRate(1_000)
    assert FeeRate.from_btc_per_kvb("0.00012345") == FeeRate(12_345)
    assert FeeRate.from_btc_per_kvb("0.000000001") == FeeRate(1)  # rounded up
    for bad, message in [
        ("1.0001", "more than 3 decimals"),
        ("abc", "not a number"),
        ("NaN", "not a number"),
        ("-1", "negative"),
        (0.5, "not float"),
    ]:
        with pytest.raises(FeeError, match=message):
            FeeRate.from_sat_per_vb(bad)
    with pytest.raises(FeeError, match="not a usable fee rate"):
        FeeRate.from_btc_per_kvb(-1)  # Electrum's "no estimate"


def test_dust_thresholds_are_cores():
    from wallet.bitcoin.script import p2pkh_script, p2sh_script, p2tr_script, p2wpkh_script

    assert dust_threshold(p2pkh_script(bytes(20))) == 546
    assert dust_threshold(p2sh_script(bytes(20))) == 540
    assert dust_threshold(p2wpkh_script(bytes(20))) == 294
    assert dust_threshold(p2tr_script(bytes(32))) == 330
    assert dust_threshold(bytes([0x6A, 1, 0])) == 0  # OP_RETURN is never dust


def test_spending_outputs_recorded_in_a_real_wallet_database(tmp_path):
    """Coins as the wallet database lists them -> payment -> signatures the kernel accepts."""
    from wallet.account.database import Chain, MerkleProof, TxState, WalletDatabase
    from wallet.account.tx_builder import coin_from_output

    rng = random.Random(99)
    receive = DESCRIPTORS[("wpkh", 0)]
    db = WalletDatabase.open(tmp_path / "wallet.sqlite")
    for i in range(3):
        db.add_address(Chain.RECEIVE, i, receive.address(i), receive.script_pubkey(i))
    funding = Transaction(
        2,
        [TxIn(OutPoint(rng.randbytes(32), 0))],
        [TxOut(150_000, receive.script_pubkey(0)), TxOut(90_000, receive.script_pubkey(2))],
        0,
    )
    db.add_transaction(funding.serialize(), first_seen=1)
    proof = MerkleProof(height=10, block_hash=b"\x01" * 32, position=1, branch=(b"\x02" * 32,))
    db.set_tx_state(funding.txid(), TxState.CONFIRMED, proof=proof)
    db.set_frozen(OutPoint(funding.txid(), 1), True)
    raw = {r.txid: r.transaction() for r in db.transactions()}
    coins = [coin_from_output(o, receive, raw[o.outpoint.txid]) for o in db.utxos()]
    db.close()
    assert [(c.value, c.frozen, c.confirmed) for c in coins] == [
        (150_000, False, True),
        (90_000, True, True),
    ]
    change = ChangeDestination(DESCRIPTORS[("wpkh", 1)], 0)
    rate = FeeRate.from_sat_per_vb(3)
    built = build_payment([Recipient(_other_address("tr", 0), 100_000)], coins, rate, change, NET)
    assert [c.value for c in built.coins] == [150_000]  # the frozen coin stays put
    assert not built.review.warnings
    _check_signed(built, rate)
