"""Coin selection: which of the wallet's coins pay for a transaction.

Bitcoin Core's approach (``wallet/coinselection.cpp``), in integers and weight units:

* every coin counts at its *effective value*: its value minus the fee of spending it at the
  transaction's fee rate; coins worth nothing or less at that rate are left out;
* **branch and bound** (Murch's algorithm, as in Core) searches for a set whose effective value
  lands in ``[target, target + cost_of_change]``: the leftover is smaller than what a change
  output would cost to create and later spend, so the transaction needs no change at all;
* if no such set exists (or besides it), **single random draw** and **largest first** build
  selections with change; the result with the least *waste* wins (Core's metric: the fee paid now
  above the long-term fee rate, plus the change's cost, or the excess given away when changeless);
* frozen coins are never chosen; a ``spend_from`` list (coin control) restricts the candidates;
  ``required`` coins (an RBF replacement's original inputs, a CPFP parent output) are always in.

Randomness comes from a ``random.Random`` the caller may seed, so tests are deterministic.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from wallet.account.fees import (
    DISCARD_FEE_RATE,
    LONG_TERM_FEE_RATE,
    MAX_STANDARD_TX_WEIGHT,
    vsize_of,
)
from wallet.bitcoin.amount import FeeRate
from wallet.bitcoin.transaction import OutPoint
from wallet.errors import PaylightError

#: Core's BnB gives up after this many steps of its depth-first search.
BNB_TOTAL_TRIES = 100_000
#: Core's CHANGE_LOWER: single random draw aims for at least this much change.
CHANGE_LOWER = 50_000


class CoinSelectionError(PaylightError, ValueError):
    """The coins cannot pay for the transaction, or the coin-control choice is unusable."""


class InsufficientFundsError(CoinSelectionError):
    """Not enough spendable value; the message says how much is missing."""


@dataclass(frozen=True)
class Coin:
    """A spendable output as coin selection sees it."""

    outpoint: OutPoint
    value: int
    #: weight of the signed input spending it (see ``fees.InputSize.weight``)
    input_weight: int
    frozen: bool = False


@dataclass(frozen=True)
class SelectionParams:
    """Fee rates and the change output's shape, for one transaction."""

    fee_rate: FeeRate
    #: weight of the change output the transaction would get
    change_output_weight: int
    #: weight of the input that will one day spend that change
    change_spend_weight: int
    #: the change script's dust threshold: smaller change is not worth creating
    change_dust: int
    long_term_fee_rate: FeeRate = LONG_TERM_FEE_RATE
    discard_fee_rate: FeeRate = DISCARD_FEE_RATE
    #: single random draw's target for change (Core: CHANGE_LOWER)
    min_change_target: int = CHANGE_LOWER
    #: the inputs' weight may not exceed this (the rest of the transaction's weight subtracted)
    max_input_weight: int = MAX_STANDARD_TX_WEIGHT - 4_000

    @property
    def change_fee(self) -> int:
        """Fee for adding the change output now."""
        return self.fee_rate.fee(vsize_of(self.change_output_weight))

    @property
    def change_spend_fee(self) -> int:
        return self.discard_fee_rate.fee(vsize_of(self.change_spend_weight))

    @property
    def cost_of_change(self) -> int:
        """Creating the change output now plus spending it later (BnB's window)."""
        return self.change_fee + self.change_spend_fee

    @property
    def min_viable_change(self) -> int:
        """Change smaller than this is dropped and given to the fee (as Core)."""
        return max(self.change_dust, self.change_spend_fee + 1)

    def input_fee(self, coin: Coin) -> int:
        return self.fee_rate.fee(vsize_of(coin.input_weight))

    def long_term_input_fee(self, coin: Coin) -> int:
        return self.long_term_fee_rate.fee(vsize_of(coin.input_weight))

    def effective_value(self, coin: Coin) -> int:
        return coin.value - self.input_fee(coin)


@dataclass(frozen=True)
class Selection:
    """The chosen coins and what choosing them means."""

    coins: tuple[Coin, ...]
    #: "bnb", "srd", "largest-first", "required" or "all"
    algorithm: str
    #: what the coins' effective value had to reach: amounts plus the non-input fee
    target: int
    effective_value: int
    waste: int
    #: whether the selection leaves enough over ``target`` for a change output
    has_change: bool
    params: SelectionParams = field(repr=False, compare=False)

    @property
    def value(self) -> int:
        return sum(c.value for c in self.coins)

    @property
    def input_weight(self) -> int:
        return sum(c.input_weight for c in self.coins)

    @property
    def excess(self) -> int:
        """Effective value above the target: change plus its fee, or a gift to the miners."""
        return self.effective_value - self.target

    @property
    def outpoints(self) -> list[OutPoint]:
        return [c.outpoint for c in self.coins]


# -- waste ---------------------------------------------------------------------------------------


def change_amount(effective_value: int, target: int, params: SelectionParams) -> int:
    """The change a selection would get (0 when it is below the viable minimum), as Core."""
    change = effective_value - target - params.change_fee
    return change if change >= params.min_viable_change else 0


def waste(coins: Iterable[Coin], target: int, params: SelectionParams) -> int:
    """Core's waste metric for spending ``coins`` towards ``target``."""
    coins = list(coins)
    total = sum(params.input_fee(c) - params.long_term_input_fee(c) for c in coins)
    eff = sum(params.effective_value(c) for c in coins)
    if change_amount(eff, target, params):
        return total + params.cost_of_change
    return total + eff - target


def _result(
    coins: Sequence[Coin], algorithm: str, target: int, params: SelectionParams
) -> Selection:
    eff = sum(params.effective_value(c) for c in coins)
    return Selection(
        coins=tuple(coins),
        algorithm=algorithm,
        target=target,
        effective_value=eff,
        waste=waste(coins, target, params),
        has_change=change_amount(eff, target, params) > 0,
        params=params,
    )


# -- the algorithms ------------------------------------------------------------------------------


def branch_and_bound(
    pool: Sequence[Coin],
    target: int,
    params: SelectionParams,
    *,
    max_tries: int = BNB_TOTAL_TRIES,
) -> list[Coin] | None:
    """Core's ``SelectCoinsBnB``: the least-waste changeless set, or None.

    Every coin in ``pool`` must have a positive effective value. The search includes coins in
    descending order of effective value, backtracks when the running total can no longer reach
    the target or overshoots ``target + cost_of_change``, and skips a coin equal to the one just
    left out (the same subtree again).
    """
    upper = target + params.cost_of_change
    items = sorted(
        (
            (params.effective_value(c), params.input_fee(c) - params.long_term_input_fee(c), c)
            for c in pool
        ),
        key=lambda t: t[0],
        reverse=True,
    )
    if any(eff <= 0 for eff, _, _ in items):
        raise CoinSelectionError("branch and bound needs coins of positive effective value")
    available = sum(eff for eff, _, _ in items)
    if available < target or not items:
        return None
    fee_rate_high = items[0][1] > 0
    selected: list[int] = []
    value = 0
    cur_waste = 0
    weight = 0
    best: list[int] | None = None
    best_waste = None
    index = 0
    for _ in range(max_tries):
        backtrack = False
        if (
            value + available < target
            or value > upper
            or (fee_rate_high and best_waste is not None and cur_waste > best_waste)
        ) or weight > params.max_input_weight:
            backtrack = True
        elif value >= target:
            total = cur_waste + value - target
            if best_waste is None or total <= best_waste:
                best, best_waste = list(selected), total
            backtrack = True
        if backtrack:
            if not selected:
                break
            index -= 1
            while index > selected[-1]:
                available += items[index][0]
                index -= 1
            eff, w, coin = items[index]
            value -= eff
            cur_waste -= w
            weight -= coin.input_weight
            selected.pop()
        else:
            eff, w, coin = items[index]
            available -= eff
            if (
                not selected
                or index - 1 == selected[-1]
                or eff != items[index - 1][0]
                or w != items[index - 1][1]
            ):
                selected.append(index)
                value += eff
                cur_waste += w
                weight += coin.input_weight
        index += 1
    if best is None:
        return None
    return [items[i][2] for i in best]


def single_random_draw(
    pool: Sequence[Coin], target: int, params: SelectionParams, rng: random.Random
) -> list[Coin] | None:
    """Core's SRD: random coins until they pay the target, the change fee and a useful change."""
    goal = target + params.change_fee + max(params.min_change_target, params.min_viable_change)
    order = list(pool)
    rng.shuffle(order)
    chosen: list[Coin] = []
    eff = 0
    weight = 0
    for coin in order:
        chosen.append(coin)
        eff += params.effective_value(coin)
        weight += coin.input_weight
        while weight > params.max_input_weight and chosen:
            smallest = min(chosen, key=lambda c: params.effective_value(c))
            chosen.remove(smallest)
            eff -= params.effective_value(smallest)
            weight -= smallest.input_weight
        if eff >= goal:
            return chosen
    return None


def largest_first(pool: Sequence[Coin], goal: int, params: SelectionParams) -> list[Coin] | None:
    """Biggest coins first until their effective value reaches ``goal`` (fewest inputs)."""
    chosen: list[Coin] = []
    eff = 0
    weight = 0
    for coin in sorted(pool, key=lambda c: (params.effective_value(c), c.value), reverse=True):
        if eff >= goal:
            break
        chosen.append(coin)
        eff += params.effective_value(coin)
        weight += coin.input_weight
    if eff < goal or weight > params.max_input_weight:
        return None
    return chosen


# -- the entry points ----------------------------------------------------------------------------


def candidates(coins: Iterable[Coin], spend_from: Collection[OutPoint] | None = None) -> list[Coin]:
    """The coins automatic selection may use: not frozen, and in ``spend_from`` if given."""
    coins = list(coins)
    if spend_from is None:
        return [c for c in coins if not c.frozen]
    wanted = set(spend_from)
    known = {c.outpoint: c for c in coins}
    for outpoint in wanted:
        coin = known.get(outpoint)
        if coin is None:
            raise CoinSelectionError(f"coin {outpoint} is not a spendable coin of this wallet")
        if coin.frozen:
            raise CoinSelectionError(f"coin {outpoint} is frozen; unfreeze it to spend it")
    return [c for c in coins if c.outpoint in wanted]


def select_coins(
    coins: Iterable[Coin],
    target: int,
    params: SelectionParams,
    *,
    required: Sequence[Coin] = (),
    spend_from: Collection[OutPoint] | None = None,
    rng: random.Random | None = None,
) -> Selection:
    """Choose coins whose effective value reaches ``target`` (amounts + non-input fee).

    Returns the least-waste selection among branch and bound, single random draw and largest
    first; raises :class:`InsufficientFundsError` naming the shortfall.
    """
    rng = rng if rng is not None else random.Random()
    coins = list(coins)
    required = list(required)
    taken = {c.outpoint for c in required}
    pool_all = [c for c in candidates(coins, spend_from) if c.outpoint not in taken]
    pool = [c for c in pool_all if params.effective_value(c) > 0]
    required_eff = sum(params.effective_value(c) for c in required)
    rest = target - required_eff

    if required and rest <= 0:
        return _result(required, "required", target, params)

    available = sum(params.effective_value(c) for c in pool)
    if available < rest:
        frozen = sum(c.value for c in coins if c.frozen and c.outpoint not in taken)
        spendable = required_eff + available
        note = f" ({frozen} sat more is in frozen coins)" if frozen else ""
        raise InsufficientFundsError(
            f"not enough funds: this needs {target} sat including the fee at "
            f"{params.fee_rate}, but the usable coins are worth {spendable} sat after the cost "
            f"of spending them{note}"
        )

    results: list[Selection] = []
    found = branch_and_bound(pool, rest, params)
    if found is not None:
        results.append(_result([*required, *found], "bnb", target, params))
    found = single_random_draw(pool, rest, params, rng)
    if found is not None:
        results.append(_result([*required, *found], "srd", target, params))
    found = largest_first(pool, rest + params.change_fee + params.min_viable_change, params)
    if found is None:  # enough for the payment but not for change too: no change, rest to fees
        found = largest_first(pool, rest, params)
    if found is not None:
        results.append(_result([*required, *found], "largest-first", target, params))
    if not results:
        raise InsufficientFundsError(
            "these coins are too many and too small to pay this in one standard transaction; "
            "consolidate them first or send less"
        )
    # Core: least waste; on a tie, the selection with more inputs (it consolidates).
    return min(results, key=lambda s: (s.waste, -len(s.coins)))


def select_all(
    coins: Iterable[Coin],
    params: SelectionParams,
    *,
    required: Sequence[Coin] = (),
    spend_from: Collection[OutPoint] | None = None,
    include_uneconomic: bool = False,
) -> Selection:
    """Send-max: every usable coin (those worth more than their fee unless asked), no change."""
    taken = {c.outpoint for c in required}
    pool = [c for c in candidates(coins, spend_from) if c.outpoint not in taken]
    if not include_uneconomic:
        pool = [c for c in pool if params.effective_value(c) > 0]
    chosen = [*required, *pool]
    if not chosen:
        raise InsufficientFundsError("there are no spendable coins to send")
    eff = sum(params.effective_value(c) for c in chosen)
    return Selection(
        coins=tuple(chosen),
        algorithm="all",
        target=eff,
        effective_value=eff,
        waste=sum(params.input_fee(c) - params.long_term_input_fee(c) for c in chosen),
        has_change=False,
        params=params,
    )


__all__ = [
    "BNB_TOTAL_TRIES",
    "CHANGE_LOWER",
    "Coin",
    "CoinSelectionError",
    "InsufficientFundsError",
    "Selection",
    "SelectionParams",
    "branch_and_bound",
    "candidates",
    "change_amount",
    "largest_first",
    "select_all",
    "select_coins",
    "single_random_draw",
    "waste",
]
