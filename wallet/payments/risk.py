"""The risk view of an unconfirmed payment: what could still undo it. It informs; the merchant
decides.

An unconfirmed transaction is a promise, not a payment. How much of one depends on facts the
wallet can check, each asked of the servers rather than assumed:

* **replaceability** -- it signals BIP125 (an input's nSequence below 0xfffffffe). Without the
  signal a replacement is still possible on nodes running full RBF, so the view says that too;
* **fee rate** against the servers' next-block estimate: a low fee rate leaves it waiting, and
  a waiting transaction leaves the payer time to double-spend it;
* **unconfirmed parents**: it cannot confirm before them, and a replaced parent takes it away;
* **how many servers have it**: asked of every server in the pool, one by one. A transaction
  only one server knows may never have reached the network;
* **conflicting spends**: other transactions the servers list on the spent coins' scripts that
  spend the same coins (a double spend in flight).

A :class:`MerchantPolicy` turns the views into the merchant's decision at the counter: an
unconfirmed payment up to the amount the merchant chose is "OK to hand over" only when every
check passes (no RBF signal, a fee at or above the next-block estimate, every parent confirmed,
every server asked has it, no conflicting spend, nothing that could not be checked); anything
else is "Wait for a block", with the reasons.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from wallet.account.fees import fee_rate_of
from wallet.backends.base import ServerError
from wallet.bitcoin.amount import FeeRate
from wallet.bitcoin.errors import TransactionError
from wallet.bitcoin.hashes import sha256
from wallet.bitcoin.transaction import OutPoint, Transaction
from wallet.errors import PaylightError

#: At most this many other transactions on the spent scripts are fetched to look for conflicts
#: (mempool ones first, then the newest mined).
MAX_CANDIDATES = 50
#: Above this many spent scripts the conflict check samples the first ones (a payment from a
#: wallet with hundreds of inputs would otherwise take hundreds of requests).
MAX_SCRIPTS_CHECKED = 25


@dataclass(frozen=True)
class Conflict:
    """Another transaction spending one of the payment's inputs."""

    outpoint: OutPoint
    txid: bytes
    #: its height in the servers' view (<= 0: in a mempool)
    height: int

    @property
    def txid_hex(self) -> str:
        return self.txid[::-1].hex()


@dataclass(frozen=True)
class RiskView:
    txid: bytes
    #: True if it signals BIP125 replaceability
    rbf: bool
    fee: int | None
    vsize: int
    next_block_rate: FeeRate | None
    unconfirmed_parents: tuple[bytes, ...]
    seen_by: tuple[str, ...]
    not_seen_by: tuple[str, ...]
    conflicts: tuple[Conflict, ...]
    confirmed_height: int | None = None
    problems: tuple[str, ...] = field(default=())

    @property
    def txid_hex(self) -> str:
        return self.txid[::-1].hex()

    @property
    def fee_rate(self) -> Decimal | None:
        return None if self.fee is None else fee_rate_of(self.fee, self.vsize)

    @property
    def below_next_block(self) -> bool | None:
        """True if it pays less than the next-block estimate (None when either is unknown)."""
        if self.fee_rate is None or self.next_block_rate is None:
            return None
        return self.fee_rate < self.next_block_rate.sat_per_vb

    @property
    def servers_asked(self) -> int:
        return len(self.seen_by) + len(self.not_seen_by)

    def flags(self) -> list[str]:
        """The short list of concerns, worst first (empty: nothing found)."""
        out = []
        if self.conflicts:
            out.append("conflicting spend seen")
        if self.servers_asked and len(self.seen_by) < self.servers_asked:
            out.append(f"seen by {len(self.seen_by)} of {self.servers_asked} servers")
        if self.unconfirmed_parents:
            out.append(f"{len(self.unconfirmed_parents)} unconfirmed parent(s)")
        if self.below_next_block:
            out.append("fee below the next-block estimate")
        if self.rbf:
            out.append("replaceable (RBF signalled)")
        return out

    def lines(self) -> list[str]:
        """The view as text, one fact a line."""
        lines = [f"transaction {self.txid_hex}"]
        if self.confirmed_height is not None:
            lines.append(
                f"  a server says it is mined in block {self.confirmed_height:,}: no longer 0-conf"
            )
        if self.rbf:
            lines.append("  RBF: signalled -- the payer can replace it with a higher fee")
        else:
            lines.append(
                "  RBF: not signalled (nodes running full RBF may still accept a replacement)"
            )
        if self.fee_rate is None:
            lines.append("  fee: unknown (a spent coin could not be fetched)")
        else:
            rate = f"{self.fee:,} sat, {self.fee_rate:.2f} sat/vB"
            if self.next_block_rate is not None:
                cmp = "below" if self.below_next_block else "at or above"
                rate += f" ({cmp} the next-block estimate of {self.next_block_rate})"
            lines.append(f"  fee: {rate}")
        if self.unconfirmed_parents:
            lines.append(
                f"  parents: {len(self.unconfirmed_parents)} unconfirmed -- it cannot confirm "
                "before them"
            )
        else:
            lines.append("  parents: all confirmed")
        if self.servers_asked:
            lines.append(f"  servers: seen by {len(self.seen_by)} of {self.servers_asked}")
        for c in self.conflicts:
            where = f"a server says in block {c.height:,}" if c.height > 0 else "in a mempool"
            lines.append(f"  CONFLICT: {c.txid_hex} spends {c.outpoint} too ({where})")
        if not self.conflicts:
            lines.append("  conflicts: none seen")
        for p in self.problems:
            lines.append(f"  note: {p}")
        return lines

    def to_json(self) -> dict[str, Any]:
        return {
            "txid": self.txid_hex,
            "rbf": self.rbf,
            "fee_sat": self.fee,
            "vsize": self.vsize,
            "fee_rate": None
            if self.fee_rate is None
            else str(self.fee_rate.quantize(Decimal("0.01"))),
            "next_block_rate": None
            if self.next_block_rate is None
            else str(self.next_block_rate.sat_per_vb),
            "below_next_block": self.below_next_block,
            "unconfirmed_parents": [t[::-1].hex() for t in self.unconfirmed_parents],
            "seen_by": list(self.seen_by),
            "not_seen_by": list(self.not_seen_by),
            "conflicts": [
                {"outpoint": str(c.outpoint), "txid": c.txid_hex, "height": c.height}
                for c in self.conflicts
            ],
            "confirmed_height": self.confirmed_height,
            "flags": self.flags(),
            "problems": list(self.problems),
        }


async def _seen_by(pool: Any, txid: bytes) -> tuple[list[str], list[str]]:
    """Ask every active server for the transaction; (have it, do not)."""
    answers = await pool.everyone(lambda b: b.get_transaction(txid))
    seen, not_seen = [], []
    for name, answer in answers.items():
        ok = isinstance(answer, bytes | bytearray)
        if ok:
            try:
                ok = Transaction.parse(bytes(answer)).txid() == txid
            except TransactionError:
                ok = False
        (seen if ok else not_seen).append(name)
    return seen, not_seen


async def assess_risk(
    tx: Transaction,
    pool: Any,
    *,
    next_block_rate: FeeRate | None = None,
    known: Sequence[Transaction] = (),
) -> RiskView:
    """The risk view of ``tx``, asking the servers of ``pool`` (a ``ServerPool``).

    ``known`` are transactions already at hand (the wallet's stored ones) so their parents
    need not be fetched. ``next_block_rate`` is ``WalletSync.fee_estimate(1)``.
    """
    txid = tx.txid()
    problems: list[str] = []
    by_txid = {t.txid(): t for t in known}

    async def fetch(parent: bytes) -> Transaction | None:
        if parent in by_txid:
            return by_txid[parent]
        try:
            found = Transaction.parse(await pool.get_transaction(parent))
        except (ServerError, PaylightError) as exc:
            problems.append(f"could not fetch parent {parent[::-1].hex()}: {exc}")
            return None
        by_txid[parent] = found
        return found

    parent_ids = list(dict.fromkeys(i.prevout.txid for i in tx.inputs))
    seen_task = asyncio.ensure_future(_seen_by(pool, txid))
    parents = dict(zip(parent_ids, await asyncio.gather(*(fetch(p) for p in parent_ids))))

    fee: int | None = 0
    spent_scripts: dict[bytes, list[OutPoint]] = {}
    for txin in tx.inputs:
        parent = parents.get(txin.prevout.txid)
        if parent is None or txin.prevout.vout >= len(parent.outputs):
            fee = None
            continue
        out = parent.outputs[txin.prevout.vout]
        if fee is not None:
            fee += out.value
        spent_scripts.setdefault(out.script_pubkey, []).append(txin.prevout)
    if fee is not None:
        fee -= sum(o.value for o in tx.outputs)

    # one history per spent script: the parents' heights, and other spenders of the same coins
    unconfirmed: set[bytes] = set()
    conflicts: list[Conflict] = []
    scripts = list(spent_scripts.items())
    if len(scripts) > MAX_SCRIPTS_CHECKED:
        problems.append(
            f"checked {MAX_SCRIPTS_CHECKED} of the {len(scripts)} scripts it spends from"
        )
        scripts = scripts[:MAX_SCRIPTS_CHECKED]

    async def history(script: bytes) -> Any:
        try:
            return await pool.get_history(sha256(script))
        except (ServerError, PaylightError) as exc:
            problems.append(f"could not list the history of a spent script: {exc}")
            return None

    histories = await asyncio.gather(*(history(s) for s, _ in scripts))
    confirmed_height = None
    candidates: dict[bytes, int] = {}
    for (_script, outpoints), checked in zip(scripts, histories, strict=True):
        if checked is None:
            continue
        heights = {item.txid: item.height for item in checked.items}
        parent_heights = [heights.get(op.txid) for op in outpoints]
        for op, h in zip(outpoints, parent_heights, strict=True):
            if h is not None and h <= 0:
                unconfirmed.add(op.txid)
        # a spend of these coins comes in or after their parents' block
        oldest = min((h for h in parent_heights if h is not None and h > 0), default=0)
        for item in checked.items:
            if item.txid == txid:
                if item.height > 0:
                    confirmed_height = item.height
                continue
            if item.txid not in parent_ids and (item.height <= 0 or item.height >= oldest):
                candidates[item.txid] = item.height
    ours = {i.prevout for i in tx.inputs}
    ranked = sorted(candidates.items(), key=lambda kv: (kv[1] > 0, -kv[1]))
    if len(ranked) > MAX_CANDIDATES:
        problems.append(
            f"looked for conflicts among {MAX_CANDIDATES} of {len(ranked)} other transactions "
            "on the spent scripts"
        )
        ranked = ranked[:MAX_CANDIDATES]
    spenders = await asyncio.gather(*(fetch(other) for other, _ in ranked))
    for (other, height), spender in zip(ranked, spenders, strict=True):
        if spender is None:
            continue
        for txin in spender.inputs:
            if txin.prevout in ours:
                conflicts.append(Conflict(txin.prevout, other, height))
    seen, not_seen = await seen_task
    return RiskView(
        txid=txid,
        rbf=tx.signals_rbf(),
        fee=fee,
        vsize=tx.vsize(),
        next_block_rate=next_block_rate,
        unconfirmed_parents=tuple(p for p in parent_ids if p in unconfirmed),
        seen_by=tuple(seen),
        not_seen_by=tuple(not_seen),
        conflicts=tuple(conflicts),
        confirmed_height=confirmed_height,
        problems=tuple(problems),
    )


class MempoolView(Protocol):
    """What a light node's peers showed of their mempools (``wallet.sync.light.
    PeerMempoolView``): nothing in it was asked for by txid."""

    def peers(self) -> list[str]: ...

    def seen_by(self, tx: Transaction) -> set[str]: ...

    def transaction(self, txid: bytes) -> Transaction | None: ...

    def spending(self, outpoint: OutPoint) -> set[bytes]: ...


#: Why a light node alone cannot know a payment's fee (a problem the view carries).
UNKNOWN_AMOUNTS = (
    "the coins it spends are in blocks: their amounts are not asked for by id (that would "
    "tell a peer which payment this wallet is looking at), so its fee is unknown"
)


async def assess_risk_from_peers(
    tx: Transaction,
    view: MempoolView,
    *,
    next_block_rate: FeeRate | None = None,
    known: Sequence[Transaction] = (),
) -> RiskView:
    """The risk view of ``tx`` from what the P2P peers announced: how many of the connected
    peers announced it, its unconfirmed parents (those the peers announced), conflicting
    spends they announced, and its fee when every coin it spends is known (in the wallet or
    an announced parent). Nothing is asked of a peer."""
    txid = tx.txid()
    by_txid = {t.txid(): t for t in known}
    parent_ids = list(dict.fromkeys(i.prevout.txid for i in tx.inputs))
    unconfirmed = [p for p in parent_ids if view.transaction(p) is not None]
    fee: int | None = 0
    for txin in tx.inputs:
        parent = by_txid.get(txin.prevout.txid) or view.transaction(txin.prevout.txid)
        if parent is None or txin.prevout.vout >= len(parent.outputs):
            fee = None
            break
        assert fee is not None
        fee += parent.outputs[txin.prevout.vout].value
    problems = []
    if fee is None:
        problems.append(UNKNOWN_AMOUNTS)
    else:
        fee -= sum(o.value for o in tx.outputs)
    conflicts = []
    for txin in tx.inputs:
        for other in sorted(view.spending(txin.prevout) - {txid}):
            conflicts.append(Conflict(txin.prevout, other, 0))
    peers = view.peers()
    seen = view.seen_by(tx)
    return RiskView(
        txid=txid,
        rbf=tx.signals_rbf(),
        fee=fee,
        vsize=tx.vsize(),
        next_block_rate=next_block_rate,
        unconfirmed_parents=tuple(unconfirmed),
        seen_by=tuple(sorted(seen)),
        not_seen_by=tuple(sorted(set(peers) - seen)),
        conflicts=tuple(conflicts),
        problems=tuple(problems),
    )


# -- the merchant's decision -------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """Why a payment is not yet OK to hand over: a stable ``code`` (for translations) and the
    sentence in English."""

    code: str
    text: str


@dataclass(frozen=True)
class Verdict:
    """The decision at the counter: hand the goods over now, or wait for a block."""

    hand_over: bool
    reasons: tuple[Reason, ...] = ()
    #: True when the payment is mined (and proven): no policy needed
    mined: bool = False

    @property
    def headline(self) -> str:
        return "OK to hand over" if self.hand_over else "Wait for a block"

    def lines(self) -> list[str]:
        return [self.headline] + [f"  {r.text}" for r in self.reasons]


@dataclass(frozen=True)
class MerchantPolicy:
    """Accept an unconfirmed payment of at most ``accept_unconfirmed_up_to`` satoshis when
    every risk check passes (0: always wait for a block)."""

    accept_unconfirmed_up_to: int = 0

    def decide(self, amount_sat: int, views: Sequence[RiskView]) -> Verdict:
        """The verdict on a payment of ``amount_sat`` made of the transactions in ``views``."""
        if views and all(v.confirmed_height is not None for v in views):
            return Verdict(True, mined=True)
        reasons: list[Reason] = []
        limit = self.accept_unconfirmed_up_to
        if limit <= 0:
            reasons.append(Reason("off", "this till waits for a block for every payment"))
        elif amount_sat > limit:
            reasons.append(
                Reason(
                    "over-limit",
                    f"{amount_sat:,} sat is more than the {limit:,} sat accepted unconfirmed",
                )
            )
        if not views:
            reasons.append(Reason("no-view", "the servers have not been asked about it yet"))
        for view in views:
            if view.confirmed_height is not None:
                continue
            reasons.extend(_concerns(view))
        unique = tuple(dict.fromkeys(reasons))
        return Verdict(not unique, unique)


def _concerns(view: RiskView) -> list[Reason]:
    out = []
    if view.conflicts:
        out.append(Reason("conflict", "another transaction spends the same coins"))
    if view.rbf:
        out.append(Reason("rbf", "it signals replace-by-fee: the payer can still replace it"))
    if view.fee is None:
        out.append(Reason("fee-unknown", "its fee is unknown (a spent coin could not be fetched)"))
    elif view.next_block_rate is None:
        out.append(Reason("no-estimate", "there is no next-block fee estimate to compare with"))
    elif view.below_next_block:
        out.append(
            Reason(
                "low-fee",
                f"its fee rate is below the next-block estimate of {view.next_block_rate}",
            )
        )
    if view.unconfirmed_parents:
        out.append(Reason("parents", "it spends coins that are not in a block yet"))
    if view.servers_asked == 0:
        out.append(Reason("no-servers", "no server could be asked whether it has it"))
    elif len(view.seen_by) < view.servers_asked:
        out.append(
            Reason(
                "not-everywhere",
                f"only {len(view.seen_by)} of {view.servers_asked} servers have it",
            )
        )
    if view.problems:
        out.append(Reason("unchecked", "not every check could be made: " + view.problems[0]))
    return out


__all__ = [
    "MAX_CANDIDATES",
    "MAX_SCRIPTS_CHECKED",
    "Conflict",
    "MempoolView",
    "MerchantPolicy",
    "Reason",
    "RiskView",
    "Verdict",
    "assess_risk",
    "assess_risk_from_peers",
]
