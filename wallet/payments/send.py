"""Sending from an open wallet: coins from its database, fee from the servers, sign, broadcast.

``wallet.account.tx_builder`` decides *what* a transaction is from coins and a fee rate; this
module gathers those from the wallet and carries the result out:

* coins: the wallet's proven unspent outputs from the database; frozen ones only by explicit
  coin control (``spend_from``); unconfirmed coins only when they are the wallet's own change
  (an unconfirmed coin from someone else can be replaced under us) or named; unverified ones
  (a server says mined, no proof checked) only when named; a mining reward under 100
  confirmations never (the network would refuse it); a coin that only an
  unconfirmed transaction spends -- a mempool claim, perhaps of one server alone -- only when
  named in ``spend_from`` (the new transaction then competes with that claim): no claim a
  server makes without a block can lock a coin for good;
* change: the first unused address on the change chain (deriving more when all are used);
* fee rate: a user override, else the servers' estimate for ``target_blocks`` (the pool takes
  the median of up to three servers) clamped to sane bounds, else a fallback that says so;
* guards: the builder's warnings; one that ``needs_confirmation`` (fee above 5 % of the amount,
  a fee rate above the ceiling) must be acknowledged again before signing
  (:func:`require_confirmation`);
* signing with the unlocked keystore secret (``wallet.account.signer``), broadcast through
  ``WalletSync.broadcast`` (every server; the txids they return must match ours);
* fee bumps (RBF) and CPFP of transactions stored in the wallet, and PSBT export/import for
  signing elsewhere, with :func:`describe_psbt` saying what a PSBT spends and pays (for the
  review before signing one that came from elsewhere).

A :class:`Sender` lives on the event loop that owns the wallet's database connection.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import functools
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from wallet.account.database import Chain, OutputRecord, TxRecord, TxState, WalletDatabase
from wallet.account.fees import (
    MAX_FEE_RATE,
    MIN_RELAY_FEE_RATE,
    FeeError,
    estimate_vsize,
    fee_rate_of,
    input_size,
)
from wallet.account.keystore import KeystoreSecret
from wallet.account.psbt_amounts import input_amounts, require_verified
from wallet.account.signer import sign_psbt
from wallet.account.tx_builder import (
    HIGH_FEE_FRACTION,
    BuiltTransaction,
    ChangeDestination,
    Recipient,
    ReviewWarning,
    TxReview,
    WalletCoin,
    build_payment,
    bump_fee,
    coin_from_output,
    cpfp,
)
from wallet.account.wallet_file import Wallet
from wallet.bitcoin.address import script_to_address
from wallet.bitcoin.amount import FeeRate, format_btc
from wallet.bitcoin.descriptors import Descriptor, parse_descriptor
from wallet.bitcoin.errors import AddressError, PSBTError
from wallet.bitcoin.psbt import PSBT
from wallet.bitcoin.script import ScriptType, classify, p2wpkh_script
from wallet.bitcoin.transaction import COINBASE_MATURITY, OutPoint, Transaction, TxOut
from wallet.errors import PaylightError
from wallet.payments.uri import PaymentURI, parse_uri

#: Confirmation target for the default fee estimate (blocks).
DEFAULT_TARGET_BLOCKS = 2
#: Used when no server gives an estimate (regtest nodes often cannot): low, and said so.
FALLBACK_FEE_RATE = FeeRate(2_000)
#: An estimate above this is treated as a lying or broken server, not followed.
MAX_ESTIMATE = FeeRate(500_000)


#: A transaction build prepared from the database, to run on any thread.
Build = Callable[[], BuiltTransaction]


class SendError(PaylightError):
    """A payment cannot be made as asked; the message says what to do."""


class ConfirmationRequired(SendError):
    """The review has warnings the user must acknowledge again (``--yes`` does not cover
    them in the CLI: ``--confirm-high-fee`` does)."""


class SyncLike(Protocol):
    """What sending needs of ``wallet.sync.engine.WalletSync``."""

    async def broadcast(self, tx: Transaction) -> bytes: ...
    async def fee_estimate(self, target_blocks: int) -> FeeRate | None: ...
    @property
    def tip_height(self) -> int | None: ...


@dataclass(frozen=True)
class FeeChoice:
    """The fee rate used and where it came from (shown to the user)."""

    rate: FeeRate
    #: "override", "estimate" or "fallback"
    source: str
    note: str = ""


def clamp_estimate(estimate: FeeRate | None) -> FeeChoice:
    """A server estimate held to [relay minimum, :data:`MAX_ESTIMATE`]; None -> fallback."""
    if estimate is None:
        return FeeChoice(FALLBACK_FEE_RATE, "fallback", "no server could estimate a fee rate")
    if estimate < MIN_RELAY_FEE_RATE:
        return FeeChoice(
            MIN_RELAY_FEE_RATE, "estimate", f"raised from {estimate} to the relay minimum"
        )
    if estimate > MAX_ESTIMATE:
        return FeeChoice(
            MAX_ESTIMATE,
            "estimate",
            f"the servers' {estimate} is implausible; capped (give --fee-rate to choose)",
        )
    return FeeChoice(estimate, "estimate")


def parse_fee_rate(text: str | None) -> FeeRate | None:
    """A user's ``--fee-rate`` in sat/vB (exact decimal), or None."""
    return None if text is None else FeeRate.from_sat_per_vb(text)


def require_confirmation(review: TxReview, confirmed: bool) -> None:
    """Refuse to go on when the review has a warning needing a second "yes" not given."""
    if review.needs_confirmation and not confirmed:
        reasons = "; ".join(w.message for w in review.warnings if w.needs_confirmation)
        raise ConfirmationRequired(f"{reasons}. Confirm it explicitly to pay that much.")


# -- PSBT export/import ---------------------------------------------------------------------------


def export_psbt(psbt: PSBT | BuiltTransaction) -> str:
    """Base64 (BIP174's text form) for signing elsewhere."""
    if isinstance(psbt, BuiltTransaction):
        psbt = psbt.psbt
    return psbt.to_base64()


def import_psbt(data: str | bytes) -> PSBT:
    """A PSBT from base64 text or binary bytes; PSBTError says what is wrong."""
    if isinstance(data, bytes) and data.startswith(b"psbt\xff"):
        return PSBT.parse(data)
    text = data.decode("ascii", "replace") if isinstance(data, bytes) else data
    try:
        raw = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise PSBTError("this is neither a binary PSBT nor base64 text of one") from None
    return PSBT.parse(raw)


def finalize_psbt(psbt: PSBT) -> Transaction:
    """The network transaction of a PSBT signed elsewhere (finalizing it if needed)."""
    psbt = psbt.copy()
    if not psbt.is_complete() and not psbt.finalize():
        missing = [i for i, m in enumerate(psbt.inputs) if not m.is_finalized()]
        raise PSBTError(
            f"the PSBT is not fully signed: input(s) {', '.join(map(str, missing))} lack signatures"
        )
    return psbt.extract()


@dataclass(frozen=True)
class PsbtInputView:
    outpoint: OutPoint
    #: the value spent (None: unknown), from the source ``amount_source`` names
    value: int | None
    address: str | None
    #: "receive"/"change" when it spends one of the wallet's addresses
    own: str | None
    finalized: bool
    #: signatures present (partial or final)
    signed: bool
    #: account.psbt_amounts.AmountSource: wallet, non_witness_utxo, taproot (verified) or
    #: unverified, missing, contradicted
    amount_source: str = "unverified"
    #: the amount's source as shown to a person ("verified: the wallet's own record")
    amount_label: str = ""

    @property
    def verified(self) -> bool:
        return self.amount_source in ("wallet", "non_witness_utxo", "taproot")


@dataclass(frozen=True)
class PsbtOutputView:
    address: str
    value: int
    own: str | None


@dataclass(frozen=True)
class PsbtView:
    """What a PSBT spends and pays: shown before signing, and by ``paylight psbt show``."""

    txid: str
    version: int
    locktime: int
    rbf: bool
    inputs: tuple[PsbtInputView, ...]
    outputs: tuple[PsbtOutputView, ...]
    #: inputs minus outputs, when every input's value is known
    fee: int | None
    #: the signed size: exact when complete, else estimated from the input types (None: unknown)
    vsize: int | None
    complete: bool
    warnings: tuple[ReviewWarning, ...] = ()

    @property
    def fee_rate(self) -> Decimal | None:
        return None if self.fee is None or not self.vsize else fee_rate_of(self.fee, self.vsize)

    @property
    def sent(self) -> int:
        """Paid to others (outputs not the wallet's own)."""
        return sum(o.value for o in self.outputs if o.own is None)

    @property
    def needs_confirmation(self) -> bool:
        return any(w.needs_confirmation for w in self.warnings)


def _shown(script: bytes, network: str) -> str:
    try:
        return script_to_address(script, network)
    except AddressError:
        return f"script {script.hex()}"


def _own(db: WalletDatabase | None, script: bytes) -> str | None:
    record = None if db is None else db.address_by_script(script)
    return None if record is None else record.chain.name.lower()


def _estimated_vsize(psbt: PSBT, spent: list[TxOut | None]) -> int | None:
    sizes = []
    for m, out in zip(psbt.inputs, spent, strict=True):
        if out is None:
            return None
        kind = classify(out.script_pubkey)
        redeem = m.redeem_script
        nested = redeem is not None and len(redeem) == 22 and p2wpkh_script(redeem[2:]) == redeem
        if kind is ScriptType.P2SH and nested:
            kind = ScriptType.P2SH_P2WPKH
        try:
            sizes.append(input_size(kind))
        except FeeError:
            return None
    return estimate_vsize(sizes, [o.script_pubkey for o in psbt.tx.outputs])


def describe_psbt(psbt: PSBT, network: str, db: WalletDatabase | None = None) -> PsbtView:
    """What ``psbt`` spends and pays, the wallet's own addresses marked when ``db`` is given.

    Each input's amount is labelled with its source (account/psbt_amounts.py): the wallet's
    records or the PSBT's full previous transaction (verified), every input taproot (committed
    by BIP341), or only the PSBT's ``witness_utxo`` (unverified: a segwit v0 signature does not
    bind the other inputs' amounts, so the fee shown is only the PSBT's word).
    """
    tx = psbt.tx
    amounts = input_amounts(psbt, db)
    spent = [a.txout for a in amounts]
    inputs = []
    for txin, m, amount in zip(tx.inputs, psbt.inputs, amounts, strict=True):
        out = amount.txout
        inputs.append(
            PsbtInputView(
                txin.prevout,
                None if out is None else out.value,
                None if out is None else _shown(out.script_pubkey, network),
                None if out is None else _own(db, out.script_pubkey),
                m.is_finalized(),
                m.is_finalized() or bool(m.partial_sigs) or m.tap_key_sig is not None,
                amount.source.value,
                amount.label,
            )
        )
    outputs = tuple(
        PsbtOutputView(_shown(o.script_pubkey, network), o.value, _own(db, o.script_pubkey))
        for o in tx.outputs
    )
    fee = None
    if all(o is not None for o in spent):
        fee = sum(o.value for o in spent if o is not None) - sum(o.value for o in tx.outputs)
    complete = psbt.is_complete()
    vsize = psbt.extract().vsize() if complete else _estimated_vsize(psbt, spent)
    view = PsbtView(
        tx.txid_hex,
        tx.version,
        tx.locktime,
        tx.signals_rbf(),
        tuple(inputs),
        outputs,
        fee,
        vsize,
        complete,
    )
    return dataclasses.replace(view, warnings=tuple(_psbt_warnings(view)))


def _psbt_warnings(view: PsbtView) -> list[ReviewWarning]:
    out = []
    lies = [i for i in view.inputs if i.amount_source == "contradicted"]
    for n, i in enumerate(view.inputs):
        if i in lies:
            out.append(ReviewWarning("amount-contradicted", f"input {n}: {i.amount_label}"))
    unverified = [str(n) for n, i in enumerate(view.inputs) if not i.verified]
    if view.fee is not None and unverified and not lies:
        out.append(
            ReviewWarning(
                "fee-unverified",
                f"the fee is unverified: only the PSBT gives the amount of input(s) "
                f"{', '.join(unverified)}",
            )
        )
    if view.fee is None:
        missing = [str(n) for n, i in enumerate(view.inputs) if i.value is None]
        out.append(
            ReviewWarning(
                "fee-unknown",
                f"the PSBT does not give the value spent by input(s) {', '.join(missing)}, so "
                "the fee cannot be shown",
                needs_confirmation=True,
            )
        )
    elif view.fee < 0:
        out.append(ReviewWarning("negative-fee", "the outputs are worth more than the inputs"))
    else:
        sent = view.sent
        if sent > 0 and Decimal(view.fee) > Decimal(sent) * HIGH_FEE_FRACTION:
            share = Decimal(view.fee) * 100 / Decimal(sent)
            out.append(
                ReviewWarning(
                    "high-fee",
                    f"the fee of {view.fee} sat is {share:.1f} % of the {sent} sat sent (above "
                    f"{HIGH_FEE_FRACTION * 100:.0f} %)",
                    needs_confirmation=True,
                )
            )
        rate = view.fee_rate
        if rate is not None and rate * 1000 > MAX_FEE_RATE.sat_per_kvb:
            out.append(
                ReviewWarning(
                    "high-fee-rate",
                    f"the fee rate of {rate:.2f} sat/vB is above the usual ceiling of "
                    f"{MAX_FEE_RATE}",
                    needs_confirmation=True,
                )
            )
    return out


# -- the sender -----------------------------------------------------------------------------------


def _immature(output: OutputRecord, tip: int | None) -> str:
    """Why a mining reward cannot be spent yet, in a sentence."""
    if output.state is not TxState.CONFIRMED or output.height is None or tip is None:
        return (
            f"coin {output.outpoint} is a mining reward whose block is not proven here yet; "
            f"it can be spent {COINBASE_MATURITY} confirmations after it is"
        )
    ready = output.height + COINBASE_MATURITY - 1
    return (
        f"coin {output.outpoint} is a mining reward with {tip - output.height + 1} of the "
        f"{COINBASE_MATURITY} confirmations it needs: it can be spent once our chain reaches "
        f"block {ready:,}"
    )


class Sender:
    """Builds, signs and broadcasts the wallet's transactions (one wallet, one event loop)."""

    def __init__(
        self,
        wallet: Wallet,
        sync: SyncLike | None = None,
        *,
        tip_height: Callable[[], int | None] | None = None,
    ) -> None:
        self.wallet = wallet
        self.sync = sync
        #: the header tip without a ``sync`` (the GUI's engine), for anti-fee-sniping locktimes
        self._tip_height = tip_height
        config = wallet.config
        self.network = config.network
        self._receive = parse_descriptor(config.receive_descriptor, config.network)
        self._change = (
            parse_descriptor(config.change_descriptor, config.network)
            if config.change_descriptor
            else None
        )

    @property
    def db(self):
        return self.wallet.db

    def _descriptor(self, chain: Chain) -> Descriptor:
        if chain is Chain.CHANGE and self._change is not None:
            return self._change
        return self._receive

    def _need_sync(self) -> SyncLike:
        if self.sync is None:
            raise SendError("this needs the servers: connect the wallet first")
        return self.sync

    # -- inputs -----------------------------------------------------------------------------------

    async def fee_rate(
        self, override: FeeRate | None = None, target_blocks: int = DEFAULT_TARGET_BLOCKS
    ) -> FeeChoice:
        """The user's rate if given, else the servers' estimate within sane bounds."""
        if override is not None:
            return FeeChoice(override, "override")
        estimate = await self._need_sync().fee_estimate(target_blocks)
        choice = clamp_estimate(estimate)
        if choice.source == "estimate" and not choice.note:
            choice = FeeChoice(choice.rate, "estimate", f"{target_blocks}-block target")
        return choice

    def _own_txids(self, outputs: Sequence[OutputRecord]) -> set[bytes]:
        """Unconfirmed transactions that spend only the wallet's coins (our own payments)."""
        mine = {o.outpoint for o in outputs}
        own = set()
        for record in self.db.transactions(TxState.UNCONFIRMED):
            tx = record.transaction()
            if not tx.is_coinbase() and all(i.prevout in mine for i in tx.inputs):
                own.add(record.txid)
        return own

    def _coin(self, output: OutputRecord) -> WalletCoin:
        record = self.db.transaction_record(output.outpoint.txid)
        prev = record.transaction() if record is not None else None
        return coin_from_output(output, self._descriptor(output.chain), prev)

    def coins(self, *, spend_from: Collection[OutPoint] | None = None) -> list[WalletCoin]:
        """Coins a payment may use (the builder leaves frozen ones out of automatic choice).

        Proven coins and the wallet's own unconfirmed change; the others only when named in
        ``spend_from``: unverified ones (a server says mined, no proof yet -- perhaps above our
        tip), someone else's unconfirmed payments, coins a mempool claim spends. A mining
        reward under 100 confirmations from our tip is never spendable.
        """
        outputs = self.db.outputs()
        own = self._own_txids(outputs)
        wanted = set(spend_from or ())
        tip = self._height()
        coins = []
        for o in outputs:
            claimed = o.spent_state is TxState.UNCONFIRMED and o.outpoint in wanted
            if o.spent_by is not None and not claimed:
                continue  # spent in a block, or by a mempool claim: then only if chosen
            if o.immature(tip):
                if o.outpoint in wanted:
                    raise SendError(_immature(o, tip))
                continue
            foreign = o.state is TxState.UNCONFIRMED and o.outpoint.txid not in own
            unproven = o.state is TxState.UNVERIFIED
            if (foreign or unproven) and o.outpoint not in wanted:
                continue  # unproven, or someone else's unconfirmed payment: only if chosen
            coins.append(self._coin(o))
        unknown = wanted - {c.outpoint for c in coins}
        if unknown:
            raise SendError(
                f"the wallet has no unspent coin {sorted(map(str, unknown))[0]}; list coins to "
                "see which can be spent"
            )
        return coins

    def change_destination(self) -> ChangeDestination:
        """The first unused change address, deriving more when all are used."""
        chain = Chain.CHANGE if self._change is not None else Chain.RECEIVE
        record = self.db.first_unused(chain)
        if record is None:
            highest = self.db.highest_index(chain)
            index = 0 if highest is None else highest + 1
            descriptor = self._descriptor(chain)
            address = descriptor.address(index, self.network)
            self.db.add_address(chain, index, address, descriptor.script_pubkey(index))
            record = self.db.address_at(chain, index)
            assert record is not None
        return ChangeDestination(self._descriptor(chain), record.index)

    def _height(self) -> int | None:
        if self.sync is not None:
            return self.sync.tip_height
        return None if self._tip_height is None else self._tip_height()

    # -- building ---------------------------------------------------------------------------------

    # Each ``prepare_*`` reads what it needs from the database now, on the thread that owns the
    # connection, and returns a call that builds the transaction (coin selection, the PSBT)
    # on any thread: the GUI runs it on its worker pool. ``build_*`` does both at once.

    def prepare_payment(
        self,
        recipients: Sequence[Recipient],
        fee_rate: FeeRate,
        *,
        spend_from: Collection[OutPoint] | None = None,
        allow_high_fee_rate: bool = False,
    ) -> Build:
        coins = self.coins(spend_from=spend_from)
        return functools.partial(
            build_payment,
            list(recipients),
            coins,
            fee_rate,
            self.change_destination(),
            self.network,
            spend_from=spend_from,
            current_height=self._height(),
            allow_high_fee_rate=allow_high_fee_rate,
        )

    def build_payment(
        self,
        recipients: Sequence[Recipient],
        fee_rate: FeeRate,
        *,
        spend_from: Collection[OutPoint] | None = None,
        allow_high_fee_rate: bool = False,
    ) -> BuiltTransaction:
        """An unsigned payment (send-max with ``Recipient(address, None)``); a watch-only
        wallet exports it as a PSBT to sign elsewhere."""
        return self.prepare_payment(
            recipients, fee_rate, spend_from=spend_from, allow_high_fee_rate=allow_high_fee_rate
        )()

    def build_for_uri(
        self,
        uri: str | PaymentURI,
        fee_rate: FeeRate,
        *,
        amount_sat: int | None = None,
        spend_from: Collection[OutPoint] | None = None,
        allow_high_fee_rate: bool = False,
    ) -> tuple[PaymentURI, BuiltTransaction]:
        """Pay a BIP21/321 URI: its on-chain address of this network, its amount (or
        ``amount_sat`` when it names none; a different amount than it asks is refused)."""
        parsed = uri if isinstance(uri, PaymentURI) else parse_uri(uri, self.network)
        address = parsed.payable_address(self.network)
        if parsed.amount_sat is not None:
            if amount_sat is not None and amount_sat != parsed.amount_sat:
                raise SendError(
                    f"the URI asks for {format_btc(parsed.amount_sat)} BTC; pay that amount or "
                    "ask the payee for a new request"
                )
            amount_sat = parsed.amount_sat
        if amount_sat is None:
            raise SendError("this URI names no amount: give the amount to pay")
        built = self.build_payment(
            [Recipient(address, amount_sat)],
            fee_rate,
            spend_from=spend_from,
            allow_high_fee_rate=allow_high_fee_rate,
        )
        return parsed, built

    def _record(self, txid: bytes) -> TxRecord:
        record = self.db.transaction_record(txid)
        if record is None:
            raise SendError(f"the wallet has no transaction {txid[::-1].hex()}")
        return record

    def stored_fee(self, tx: Transaction) -> int | None:
        """A transaction's fee if every input's previous transaction is stored, else None."""
        total = 0
        for txin in tx.inputs:
            prev = self.db.transaction_record(txin.prevout.txid)
            if prev is None:
                return None
            outputs = prev.transaction().outputs
            if txin.prevout.vout >= len(outputs):
                return None
            total += outputs[txin.prevout.vout].value
        return total - sum(o.value for o in tx.outputs)

    def _descendants(self, txid: bytes) -> list[TxRecord]:
        """Unconfirmed wallet transactions spending ``txid``'s outputs, recursively."""
        found: dict[bytes, TxRecord] = {}
        frontier = [txid]
        pending = [
            r
            for r in self.db.transactions()
            if r.state in (TxState.UNCONFIRMED,) and r.txid != txid
        ]
        while frontier:
            parent = frontier.pop()
            for r in pending:
                if r.txid in found:
                    continue
                if any(i.prevout.txid == parent for i in r.transaction().inputs):
                    found[r.txid] = r
                    frontier.append(r.txid)
        return list(found.values())

    def can_bump(self, record: TxRecord) -> bool:
        """An unconfirmed transaction spending only the wallet's coins that signals RBF (what
        the GUI offers to raise the fee of; :meth:`build_bump` says why another cannot be)."""
        if record.state is not TxState.UNCONFIRMED:
            return False
        tx = record.transaction()
        mine = {o.outpoint for o in self.db.outputs()}
        return tx.signals_rbf() and all(i.prevout in mine for i in tx.inputs)

    def build_bump(
        self,
        txid: bytes,
        fee_rate: FeeRate,
        *,
        allow_high_fee_rate: bool = False,
    ) -> BuiltTransaction:
        """A replacement (BIP125) of our unconfirmed ``txid`` paying ``fee_rate``."""
        return self.prepare_bump(txid, fee_rate, allow_high_fee_rate=allow_high_fee_rate)()

    def prepare_bump(
        self,
        txid: bytes,
        fee_rate: FeeRate,
        *,
        allow_high_fee_rate: bool = False,
    ) -> Build:
        """:meth:`build_bump` in two steps (see :meth:`prepare_payment`). The replacement pays
        for the unconfirmed children it evicts too (BIP125 rule 3)."""
        record = self._record(txid)
        if record.state is not TxState.UNCONFIRMED:
            raise SendError(
                f"transaction {record.txid_hex} is {record.state.value}; only an unconfirmed "
                "transaction can be replaced"
            )
        original = record.transaction()
        by_outpoint = {o.outpoint: o for o in self.db.outputs()}
        spent = []
        for n, txin in enumerate(original.inputs):
            output = by_outpoint.get(txin.prevout)
            if output is None:
                raise SendError(
                    f"input {n} of {record.txid_hex} is not the wallet's coin: only the payer "
                    "can raise this fee (CPFP can speed up an incoming payment)"
                )
            spent.append(self._coin(output))
        change = None
        for out in original.outputs:
            address = self.db.address_by_script(out.script_pubkey)
            if address is not None and address.chain is Chain.CHANGE and self._change is not None:
                change = ChangeDestination(self._change, address.index)
        if change is None:
            change = self.change_destination()
        replaced = None
        descendants = self._descendants(txid)
        if descendants:
            own_fee = self.stored_fee(original) or 0
            fees = [self.stored_fee(d.transaction()) for d in descendants]
            if any(f is None for f in fees):
                raise SendError(
                    f"{record.txid_hex} has unconfirmed children whose fees are unknown; wait "
                    "for them to confirm or bump them instead"
                )
            replaced = own_fee + sum(f for f in fees if f is not None)
        extra = [c for c in self.coins() if c.outpoint.txid not in {d.txid for d in descendants}]
        return functools.partial(
            bump_fee,
            original,
            spent,
            fee_rate,
            self.network,
            change=change,
            extra_coins=extra,
            replaced_fees=replaced,
            allow_high_fee_rate=allow_high_fee_rate,
        )

    def build_cancel(
        self, txid: bytes, fee_rate: FeeRate, *, allow_high_fee_rate: bool = False
    ) -> BuiltTransaction:
        """A replacement of our unconfirmed ``txid`` that pays its coins back to the wallet
        (a double spend of our own payment, before it confirms). BIP125 asks it to pay more
        than the original, in total and per vbyte; a rate too low for that is refused."""
        return self.prepare_cancel(txid, fee_rate, allow_high_fee_rate=allow_high_fee_rate)()

    def prepare_cancel(
        self, txid: bytes, fee_rate: FeeRate, *, allow_high_fee_rate: bool = False
    ) -> Build:
        """:meth:`build_cancel` in two steps (see :meth:`prepare_payment`)."""
        record = self._record(txid)
        if record.state is not TxState.UNCONFIRMED:
            raise SendError(
                f"transaction {record.txid_hex} is {record.state.value}; only an unconfirmed "
                "transaction can be cancelled"
            )
        original = record.transaction()
        by_outpoint = {o.outpoint: o for o in self.db.outputs()}
        if any(i.prevout not in by_outpoint for i in original.inputs):
            raise SendError(f"{record.txid_hex} spends coins of another wallet")
        coins = [self._coin(by_outpoint[i.prevout]) for i in original.inputs]
        old_fee = sum(c.value for c in coins) - sum(o.value for o in original.outputs)
        destination = self.change_destination()
        network = self.network

        def build() -> BuiltTransaction:
            built = build_payment(
                [Recipient(destination.descriptor.address(destination.index, network), None)],
                coins,
                fee_rate,
                destination,
                network,
                spend_from=[c.outpoint for c in coins],
                allow_high_fee_rate=allow_high_fee_rate,
            )
            needed = old_fee + MIN_RELAY_FEE_RATE.fee(built.review.vsize)
            if built.review.fee < needed or built.review.fee_rate <= Decimal(old_fee) / max(
                1, original.vsize()
            ):
                raise SendError(
                    f"a fee rate of {fee_rate} is too low to replace {record.txid_hex} (it "
                    f"pays {old_fee} sat; the replacement must pay at least {needed} sat)"
                )
            return built

        return build

    async def tx_fee(self, tx: Transaction, pool: Any = None) -> int:
        """A transaction's fee from stored parents, asking ``pool`` for the others."""
        total = 0
        for txin in tx.inputs:
            prev = self.db.transaction_record(txin.prevout.txid)
            if prev is not None:
                parent = prev.transaction()
            elif pool is not None:
                parent = Transaction.parse(await pool.get_transaction(txin.prevout.txid))
            else:
                raise SendError(
                    f"the fee of {tx.txid_hex} is unknown: input {txin.prevout} is not stored"
                )
            total += parent.outputs[txin.prevout.vout].value
        return total - sum(o.value for o in tx.outputs)

    async def build_cpfp(
        self,
        txid: bytes,
        fee_rate: FeeRate,
        *,
        pool: Any = None,
        allow_high_fee_rate: bool = False,
    ) -> BuiltTransaction:
        """A child spending our output of unconfirmed ``txid`` so both reach ``fee_rate`` (the
        parent's fee from stored transactions, else asking ``pool`` for its inputs)."""
        record = self._record(txid)
        parent_fee = None  # prepare_cpfp says why a confirmed one needs no child
        if record.state is TxState.UNCONFIRMED:
            parent_fee = await self.tx_fee(record.transaction(), pool)
        return self.prepare_cpfp(
            txid, fee_rate, parent_fee=parent_fee, allow_high_fee_rate=allow_high_fee_rate
        )()

    def prepare_cpfp(
        self,
        txid: bytes,
        fee_rate: FeeRate,
        *,
        parent_fee: int | None = None,
        allow_high_fee_rate: bool = False,
    ) -> Build:
        """:meth:`build_cpfp` in two steps (see :meth:`prepare_payment`); without
        ``parent_fee``, the parent's inputs must be stored to know it."""
        record = self._record(txid)
        if record.state is not TxState.UNCONFIRMED:
            raise SendError(
                f"transaction {record.txid_hex} is {record.state.value}; CPFP is for an "
                "unconfirmed transaction"
            )
        parent = record.transaction()
        if parent_fee is None:
            parent_fee = self.stored_fee(parent)
            if parent_fee is None:
                raise SendError(
                    f"the fee of {record.txid_hex} is unknown (a coin it spends is not stored); "
                    "connect to the servers to look it up"
                )
        mine = [
            o
            for o in self.db.outputs()
            if o.outpoint.txid == txid and o.spent_by is None and not o.frozen
        ]
        if not mine:
            raise SendError(
                f"{record.txid_hex} pays the wallet no unspent coin: there is nothing to spend "
                "in a child"
            )
        coin = self._coin(max(mine, key=lambda o: o.value))
        others = [c for c in self.coins() if c.outpoint.txid != txid and c.confirmed]
        return functools.partial(
            cpfp,
            parent,
            parent_fee,
            coin,
            fee_rate,
            self.change_destination(),
            self.network,
            extra_coins=others,
            allow_high_fee_rate=allow_high_fee_rate,
        )

    # -- signing and broadcasting -----------------------------------------------------------------

    def sign(
        self,
        built: BuiltTransaction | PSBT,
        secret: KeystoreSecret,
        *,
        passphrase: str | None = None,
        from_records: bool = True,
    ) -> Transaction:
        """Sign every input with the unlocked secret; the finalized network transaction.

        The amounts signed are checked against the wallet's records; ``from_records=False``
        (signing on another thread than the database's: the GUI's worker pool) checks them
        against the full previous transactions a PSBT built here carries, or taproot's
        commitment, instead.
        """
        psbt = built.psbt if isinstance(built, BuiltTransaction) else built
        signed = sign_psbt(
            psbt,
            secret,
            self.network,
            expected_fingerprint=self.wallet.config.master_fingerprint,
            passphrase=passphrase,
            db=self.db if from_records else None,
        )
        return signed.extract()

    def prepare_sign(
        self,
        psbt: PSBT,
        *,
        allow_unverified_amounts: bool = False,
        passphrase: str | None = None,
    ) -> Callable[[KeystoreSecret], PSBT]:
        """Sign a PSBT (made here or elsewhere) in two steps, as ``prepare_*`` builds: its
        amounts are checked now against the wallet's records (this thread's database), and the
        call returned signs with the unlocked secret on any thread (the GUI's worker pool),
        giving the signed and finalized PSBT.

        An amount the PSBT states against a verified source is refused (UnverifiedAmountsError);
        an unverified one unless ``allow_unverified_amounts`` (the fee is then only the PSBT's
        word: CVE-2020-14199, see ``account/psbt_amounts.py``).
        """
        require_verified(input_amounts(psbt, self.db), allow_unverified=allow_unverified_amounts)
        psbt = psbt.copy()
        network, fingerprint = self.network, self.wallet.config.master_fingerprint

        def sign(secret: KeystoreSecret) -> PSBT:
            # checked above with the records; a lie between the PSBT's own fields is still
            # refused here (sign_psbt never signs a contradicted amount)
            return sign_psbt(
                psbt,
                secret,
                network,
                expected_fingerprint=fingerprint,
                passphrase=passphrase,
                allow_unverified_amounts=True,
            )

        return sign

    async def broadcast(self, tx: Transaction, *, replaces: bytes | None = None) -> bytes:
        """Send to every server (``WalletSync.broadcast`` checks they agree); the txid.

        With ``replaces`` (a fee bump), the original is marked replaced at once, so balances
        and requests stop counting it without waiting for the servers' view.
        """
        txid = await self._need_sync().broadcast(tx)
        if txid != tx.txid():
            raise SendError(
                f"the servers report txid {txid[::-1].hex()} for transaction {tx.txid_hex}"
            )
        if replaces is not None:
            old = self.db.transaction_record(replaces)
            if old is not None and old.state is TxState.UNCONFIRMED:
                if self.db.transaction_record(txid) is None:
                    self.db.add_transaction(tx.serialize())
                self.db.set_tx_state(replaces, TxState.REPLACED, replaced_by=txid)
        return txid


__all__ = [
    "DEFAULT_TARGET_BLOCKS",
    "FALLBACK_FEE_RATE",
    "MAX_ESTIMATE",
    "Build",
    "BuiltTransaction",
    "ConfirmationRequired",
    "FeeChoice",
    "PsbtInputView",
    "PsbtOutputView",
    "PsbtView",
    "Recipient",
    "SendError",
    "Sender",
    "clamp_estimate",
    "describe_psbt",
    "export_psbt",
    "finalize_psbt",
    "import_psbt",
    "parse_fee_rate",
    "require_confirmation",
]
