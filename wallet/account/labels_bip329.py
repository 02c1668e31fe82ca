"""BIP329 label export and import: JSON Lines moving labels (and frozen coins) between wallets.

Export (:func:`export_labels`) writes one JSON object a line, ``\\n``-separated, UTF-8, with the
keys in BIP329's order (``type``, ``ref``, ``label``, ``origin``, ``spendable``) and some of its
"additional fields" where the wallet knows them: ``keypath`` of the wallet's addresses, ``value``
of outputs, and ``height`` of transactions at least 6 blocks deep (given the tip). It holds

* every row of the wallet database's labels table (tx, addr, pubkey, input, output, xpub);
* for an address with no label of its own, the label of the latest payment request made for it
  (that is where a merchant's labels live);
* ``spendable`` on every output record of a coin the wallet holds, and a record for each frozen
  coin without a label (``"spendable": false``): coin freezing maps to ``spendable``.

Import (:func:`import_labels`) validates every line first and names each bad one by its line
number (``line 7: ...``). The policy:

* With ``strict`` (the default) one bad line refuses the whole file and nothing is written; with
  ``strict=False`` the good lines are imported and the bad ones reported.
* Records of types Paylight does not store (``spscan``, and types BIP329 does not define) are
  ignored and reported, as the BIP asks. Blank lines are skipped. Unknown keys (the BIP's
  additional fields, or others) are accepted and not stored.
* Labels for transactions, addresses or outputs the wallet does not know (yet) are stored: they
  apply when the wallet finds them. ``spendable`` for a coin the wallet does not hold is ignored
  and reported (there is nothing to freeze).
* Omitted ``label`` or ``spendable`` leave the wallet's value alone. Within one file the last
  line for a record wins (BIP329 files may be appended to).
* ``policy="replace"`` (default): an imported label replaces the wallet's, and an empty label
  removes it; an imported origin replaces the stored one, a missing origin keeps it.
  ``policy="keep"``: labels the wallet already has are kept and only missing ones are added;
  ``spendable: false`` still freezes a coin (the safe direction), ``spendable: true`` does not
  unfreeze one.
* Labels longer than 255 characters (BIP329's suggested limit) are cut there, with a warning.
  Line breaks and other control characters in a label are refused: a label is one line.
* An ``xpub`` record holding a private key (xprv, tprv, ...) is refused without echoing it.

Everything is written in one database transaction: an import is applied entirely or not at all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from wallet import bounded_json
from wallet.account.database import LABEL_TYPES, Chain, TxState, WalletDatabase
from wallet.account.errors import AccountError
from wallet.bitcoin.address import parse_address
from wallet.bitcoin.errors import AddressError, BitcoinError
from wallet.bitcoin.networks import Network, get_network
from wallet.bitcoin.transaction import OutPoint

#: Every type BIP329 defines; Paylight stores :data:`LABEL_TYPES` (all but ``spscan``).
BIP329_TYPES = ("tx", "addr", "pubkey", "input", "output", "xpub", "spscan")
#: BIP329's suggested maximum label length.
MAX_LABEL_LENGTH = 255
#: Confirmations after which a transaction's ``height`` is exported (BIP329: "fully confirmed").
FULLY_CONFIRMED = 6
_MAX_ERRORS_SHOWN = 20
_HEX64 = re.compile(r"[0-9a-fA-F]{64}")
_INDEX = re.compile(r"0|[1-9][0-9]{0,9}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")

Policy = Literal["replace", "keep"]


class Bip329Error(AccountError):
    """A label file that cannot be imported; ``issues`` lists every bad line."""

    def __init__(self, message: str, issues: Iterable[LineIssue] = ()) -> None:
        super().__init__(message)
        self.issues = list(issues)


@dataclass(frozen=True)
class LineIssue:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class LabelRecord:
    """One BIP329 record. ``label``/``spendable`` None: not given (leave the wallet's value)."""

    type: str
    ref: str
    label: str | None = None
    origin: str | None = None
    spendable: bool | None = None
    #: BIP329 additional fields (keypath, value, height...), exported only
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_json_line(self) -> str:
        doc: dict[str, Any] = {"type": self.type, "ref": self.ref}
        if self.label is not None:
            doc["label"] = self.label
        if self.origin is not None:
            doc["origin"] = self.origin
        if self.spendable is not None:
            doc["spendable"] = self.spendable
        doc.update(self.extra)
        return json.dumps(doc, ensure_ascii=False, separators=(", ", ": "))


@dataclass
class ImportReport:
    """What :func:`import_labels` did, and the lines it ignored or refused."""

    labels_set: int = 0
    labels_removed: int = 0
    #: labels left as they were (policy "keep", or the same text)
    labels_kept: int = 0
    frozen: int = 0
    unfrozen: int = 0
    ignored: list[LineIssue] = field(default_factory=list)
    warnings: list[LineIssue] = field(default_factory=list)
    errors: list[LineIssue] = field(default_factory=list)

    def summary(self) -> str:
        parts = [
            f"{self.labels_set} labels set",
            f"{self.labels_removed} removed",
            f"{self.labels_kept} kept",
            f"{self.frozen} coins frozen",
            f"{self.unfrozen} unfrozen",
        ]
        if self.ignored:
            parts.append(f"{len(self.ignored)} lines ignored")
        if self.errors:
            parts.append(f"{len(self.errors)} bad lines not imported")
        return ", ".join(parts)


# -- validation of refs -------------------------------------------------------------------------


def _txid(text: str, what: str) -> str:
    if not _HEX64.fullmatch(text):
        raise ValueError(f"{what} must be a transaction id: 64 hex characters")
    return text.lower()


def _outpoint_ref(text: str, kind: str) -> str:
    txid, colon, index = text.rpartition(":")
    if not colon:
        raise ValueError(f"an {kind} ref is a transaction id and an index joined by ':'")
    if not _INDEX.fullmatch(index) or int(index) > 0xFFFFFFFF:
        raise ValueError(f"{index!r} is not an {kind} index (a whole number, no leading zeros)")
    return f"{_txid(txid, f'the {kind} ref transaction id')}:{index}"


def _pubkey_ref(text: str) -> str:
    from coincurve import PublicKeyXOnly

    from wallet.bitcoin.keys import validate_pubkey

    try:
        data = bytes.fromhex(text)
    except ValueError:
        raise ValueError("a pubkey ref is a public key in hex") from None
    if len(data) == 32:
        try:
            PublicKeyXOnly(data)
        except ValueError:
            raise ValueError("the 32-byte public key is not a point on secp256k1") from None
    elif len(data) in (33, 65):
        validate_pubkey(data)
    else:
        raise ValueError(f"a public key is 32, 33 or 65 bytes, not {len(data)}")
    return data.hex()


def _xpub_ref(text: str, net: Network) -> str:
    from wallet.bitcoin.bip32 import ExtendedKey

    try:
        key = ExtendedKey.parse(text, net)
    except BitcoinError as exc:
        message = str(exc)
        if text[1:4] == "prv" or "private" in message:
            message = "it is not an extended public key"
        raise ValueError(
            f"the xpub ref is not a {net.name} extended public key: {message}"
        ) from None
    if key.is_private:
        raise ValueError(
            "the xpub ref is an extended PRIVATE key; BIP329 defines no private key types, so "
            "it was not imported (treat that key as exposed)"
        )
    return text


def _addr_ref(text: str, net: Network) -> str:
    try:
        address = parse_address(text, net).address
    except AddressError as exc:
        raise ValueError(f"the address {text[:90]!r} is refused: {exc}") from None
    is_bech32 = address.lower().startswith(net.bech32_hrp + "1")
    return address.lower() if is_bech32 else address


def _check_ref(kind: str, ref: str, net: Network) -> str:
    if kind == "tx":
        return _txid(ref, "a tx ref")
    if kind == "addr":
        return _addr_ref(ref, net)
    if kind == "pubkey":
        return _pubkey_ref(ref)
    if kind in ("input", "output"):
        return _outpoint_ref(ref, kind)
    if kind == "xpub":
        return _xpub_ref(ref, net)
    raise AssertionError(kind)


# -- origin: an abbreviated descriptor ------------------------------------------------------------

_ORIGIN = re.compile(r"\[[0-9a-fA-F]{8}(?:/[0-9]+['hH]?)*\]")
_FUNC = re.compile(r"[a-z_]+\(")


def check_origin(text: str) -> str:
    """Check BIP329's ``origin``: a descriptor with key origins only, such as
    ``wpkh([d34db33f/84'/0'/0'])`` or ``wsh(sortedmulti(2,[..],[..]))``; no keys, no child path,
    no checksum."""
    pos = 0
    origins = 0

    def expr() -> None:
        nonlocal pos, origins
        m = _FUNC.match(text, pos)
        if not m:
            raise ValueError(f"expected a script function such as wpkh( at character {pos + 1}")
        pos = m.end()
        while True:
            o = _ORIGIN.match(text, pos)
            num = re.compile(r"[0-9]+").match(text, pos)
            if o:
                pos = o.end()
                origins += 1
            elif _FUNC.match(text, pos):
                expr()
            elif num:
                pos = num.end()
            else:
                raise ValueError(
                    f"expected a key origin [fingerprint/path] at character {pos + 1} (keys, "
                    "child paths and checksums do not belong in an origin)"
                )
            if text[pos : pos + 1] == ",":
                pos += 1
                continue
            if text[pos : pos + 1] == ")":
                pos += 1
                return
            raise ValueError(f"unexpected {text[pos : pos + 1]!r} at character {pos + 1}")

    expr()
    if pos != len(text):
        raise ValueError(f"unexpected text after the descriptor at character {pos + 1}")
    if not origins:
        raise ValueError("an origin names at least one key origin [fingerprint/path]")
    return text


# -- parsing a file -----------------------------------------------------------------------------


@dataclass
class ParsedLabels:
    """The result of :func:`parse_labels`: good records with their line numbers, and issues."""

    records: list[tuple[int, LabelRecord]] = field(default_factory=list)
    ignored: list[LineIssue] = field(default_factory=list)
    warnings: list[LineIssue] = field(default_factory=list)
    errors: list[LineIssue] = field(default_factory=list)


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    for key, value in pairs:
        if key in doc:
            raise ValueError(f"the key {key!r} appears twice")
        doc[key] = value
    return doc


def _parse_line(text: str, net: Network, n: int, out: ParsedLabels) -> None:
    try:
        doc = bounded_json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except ValueError as exc:
        out.errors.append(LineIssue(n, f"not a JSON object: {exc}"))
        return
    if not isinstance(doc, dict):
        out.errors.append(LineIssue(n, "a BIP329 record is a JSON object ({...})"))
        return
    kind, ref = doc.get("type"), doc.get("ref")
    if not isinstance(kind, str) or not isinstance(ref, str):
        out.errors.append(LineIssue(n, "a record needs a text 'type' and a text 'ref'"))
        return
    if kind not in BIP329_TYPES:
        out.ignored.append(LineIssue(n, f"type {kind!r} is not a BIP329 type; ignored"))
        return
    if kind not in LABEL_TYPES:
        out.ignored.append(LineIssue(n, f"Paylight does not store {kind!r} labels; ignored"))
        return
    try:
        ref = _check_ref(kind, ref, net)
        label = doc.get("label")
        if label is not None:
            if not isinstance(label, str):
                raise ValueError("'label' must be text")
            if _CONTROL.search(label):
                raise ValueError("the label contains a line break or control character")
            if len(label) > MAX_LABEL_LENGTH:
                label = label[:MAX_LABEL_LENGTH]
                out.warnings.append(
                    LineIssue(n, f"the label was cut to {MAX_LABEL_LENGTH} characters")
                )
        elif "label" in doc:
            raise ValueError("'label' must be text (leave the key out to keep the wallet's)")
        origin = doc.get("origin")
        if origin is not None or "origin" in doc:
            if not isinstance(origin, str):
                raise ValueError("'origin' must be text")
            try:
                check_origin(origin)
            except ValueError as exc:
                raise ValueError(f"'origin' is not an abbreviated descriptor: {exc}") from None
        spendable = doc.get("spendable")
        if "spendable" in doc:
            if kind != "output":
                raise ValueError("'spendable' belongs only on output records")
            if not isinstance(spendable, bool):
                raise ValueError("'spendable' must be true or false (not in quotes)")
    except ValueError as exc:
        out.errors.append(LineIssue(n, str(exc)))
        return
    out.records.append((n, LabelRecord(kind, ref, label, origin, spendable)))


def parse_labels(data: str | bytes, network: Network | str) -> ParsedLabels:
    """Validate a BIP329 file line by line (nothing is written); every issue has its line."""
    net = get_network(network)
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    out = ParsedLabels()
    for n, line in enumerate(raw.split(b"\n"), start=1):
        line = line.removesuffix(b"\r")
        if not line.strip():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            out.errors.append(LineIssue(n, "not UTF-8 text"))
            continue
        _parse_line(text, net, n, out)
    return out


# -- export -------------------------------------------------------------------------------------


def _outpoint_str(op: OutPoint) -> str:
    return f"{op.txid_hex}:{op.vout}"


def export_records(
    db: WalletDatabase,
    network: Network | str,
    *,
    origin: str | None = None,
    tip_height: int | None = None,
) -> list[LabelRecord]:
    """The wallet's labels and frozen coins as BIP329 records (see the module docstring).

    ``origin`` (an abbreviated descriptor of the wallet) fills records stored without one.
    """
    net = get_network(network)
    if origin is not None:
        check_origin(origin)
    outputs = {_outpoint_str(o.outpoint): o for o in db.outputs()}
    records: dict[tuple[str, str], LabelRecord] = {}
    for row in db.labels():
        records[(row.type, row.ref)] = LabelRecord(
            row.type, row.ref, row.label, row.origin if row.origin is not None else origin
        )
    own_addr_labels = {ref for kind, ref in records if kind == "addr"}
    for request in db.payment_requests():  # oldest first: the latest request's label wins
        if request.label and request.address not in own_addr_labels:
            records[("addr", request.address)] = LabelRecord(
                "addr", request.address, request.label, origin
            )
    for key, output in outputs.items():
        if output.frozen and ("output", key) not in records:
            records[("output", key)] = LabelRecord("output", key, None, origin)
    order = {t: i for i, t in enumerate(BIP329_TYPES)}
    result = []
    for (kind, ref), rec in sorted(records.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])):
        extra: dict[str, Any] = {}
        spendable = None
        if kind == "output" and ref in outputs:
            spendable = not outputs[ref].frozen
            extra["value"] = outputs[ref].value
        elif kind == "addr":
            try:
                record = db.address_by_script(parse_address(ref, net).script_pubkey)
            except AddressError:
                record = None
            if record is not None:
                extra["keypath"] = f"/{int(Chain(record.chain))}/{record.index}"
        elif kind == "tx" and tip_height is not None:
            tx = db.transaction_record(bytes.fromhex(ref)[::-1])
            if (
                tx is not None
                and tx.state is TxState.CONFIRMED
                and tx.height is not None
                and tip_height - tx.height + 1 >= FULLY_CONFIRMED
            ):
                extra["height"] = tx.height
        result.append(LabelRecord(kind, ref, rec.label, rec.origin, spendable, extra))
    return result


def export_labels(
    db: WalletDatabase,
    network: Network | str,
    *,
    origin: str | None = None,
    tip_height: int | None = None,
) -> str:
    """The BIP329 file text: one JSON object a line, each line ending in ``\\n``."""
    records = export_records(db, network, origin=origin, tip_height=tip_height)
    return "".join(rec.to_json_line() + "\n" for rec in records)


# -- import -------------------------------------------------------------------------------------


def import_labels(
    db: WalletDatabase,
    data: str | bytes,
    network: Network | str,
    *,
    policy: Policy = "replace",
    strict: bool = True,
) -> ImportReport:
    """Import a BIP329 file into the wallet database (policy in the module docstring)."""
    if policy not in ("replace", "keep"):
        raise ValueError(f"unknown import policy {policy!r}; use 'replace' or 'keep'")
    parsed = parse_labels(data, network)
    report = ImportReport(
        ignored=list(parsed.ignored), warnings=list(parsed.warnings), errors=list(parsed.errors)
    )
    if parsed.errors and strict:
        shown = "; ".join(map(str, parsed.errors[:_MAX_ERRORS_SHOWN]))
        more = len(parsed.errors) - _MAX_ERRORS_SHOWN
        raise Bip329Error(
            f"the label file has {len(parsed.errors)} bad line(s) and nothing was imported: "
            f"{shown}{f' (and {more} more)' if more > 0 else ''}",
            parsed.errors,
        )
    latest: dict[tuple[str, str], tuple[int, LabelRecord]] = {}
    for n, rec in parsed.records:
        key = (rec.type, rec.ref)
        previous = latest.get(key)
        if previous is not None:  # the last line wins, field by field
            old = previous[1]
            rec = LabelRecord(
                rec.type,
                rec.ref,
                rec.label if rec.label is not None else old.label,
                rec.origin if rec.origin is not None else old.origin,
                rec.spendable if rec.spendable is not None else old.spendable,
            )
        latest[key] = (n, rec)
    outputs = {_outpoint_str(o.outpoint): o for o in db.outputs()}
    with db.transaction():
        existing = {(row.type, row.ref): row for row in db.labels()}
        for (kind, ref), (n, rec) in latest.items():
            if rec.label is not None:
                stored = existing.get((kind, ref))
                origin = rec.origin
                if origin is None and stored is not None:
                    origin = stored.origin
                if stored is not None and (
                    policy == "keep" or (stored.label == rec.label and stored.origin == origin)
                ):
                    report.labels_kept += 1
                elif rec.label == "":
                    if stored is not None:
                        db.set_label(kind, ref, "")
                        report.labels_removed += 1
                else:
                    db.set_label(kind, ref, rec.label, origin)
                    report.labels_set += 1
            if rec.spendable is not None:
                output = outputs.get(ref)
                if output is None:
                    report.ignored.append(
                        LineIssue(n, f"the wallet holds no coin {ref}; 'spendable' ignored")
                    )
                elif not rec.spendable and not output.frozen:
                    db.set_frozen(output.outpoint, True)
                    report.frozen += 1
                elif rec.spendable and output.frozen and policy == "replace":
                    db.set_frozen(output.outpoint, False)
                    report.unfrozen += 1
    report.ignored.sort(key=lambda issue: issue.line)
    return report
