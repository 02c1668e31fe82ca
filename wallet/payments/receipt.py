"""Payment receipts: a confirmed payment's proof, kept by either side and checked offline.

A receipt holds what a verifier needs besides its own header chain: the transaction, its Merkle
branch and position, the block header and its height, the block's coinbase txid and branch (the
proof of the tree's depth), the output that paid (index, address, amount), and optionally
headers after the block. :func:`verify_receipt` checks it against the verifier's header chain
(DESIGN.md's trust model): the transaction hashes to its txid and is not 64 bytes long, the
header is the block at that height in the verifier's best chain, the coinbase's branch leads
from position 0 to that header's merkle root (so the tree's depth is its length), the
transaction's branch has that depth, runs through no pair of nodes that reads as a 64-byte
transaction (CVE-2017-12842) and leads from the txid to the merkle root, and the output pays
what the receipt claims. A version 1 receipt, made before receipts carried the coinbase proof,
can pass every other check but its verdict is "depth not proven", never valid.

The transaction is kept **without its witness**: neither the txid nor the block's Merkle tree of
txids commits to witness data, so witness bytes in a receipt could be changed without breaking
the proof. Leaving them out keeps every byte of a receipt covered by a check.

Two forms, both versioned:

* **JSON** (``receipt.json``): readable, with the network, txid and block hash spelled out (each
  checked against the bytes), and the payment request's label and message when there was one.
  Those two are the payee's notes: no proof covers them, and the verdict says so. A payment
  asked in a local currency adds ``price`` (optional, so receipts without it read as before):
  the currency, the amount asked and the rate the merchant locked when the charge was made,
  with its sources and time -- the merchant's statement, which no proof covers either.
* **Text / QR**: ``paylight-receipt:`` followed by the compact binary form in base43 (Electrum's
  alphabet ``0-9 A-Z $*+-./:``). Base43 is used rather than base64url because all of its
  characters are in the QR code's alphanumeric mode (5.5 bits a character, against 8 in byte
  mode): the code holds ~36 % more receipt per module. The prefix is case-insensitive; the QR
  text (:func:`receipt_qr_text`) upper-cases it so the whole payload stays alphanumeric. Like
  base58, base43 maps byte strings to texts one to one (leading zero bytes are leading ``0``s).

The compact binary form (version 2), integers as Bitcoin CompactSize (canonical only)::

    u8    version (2; 1 has no coinbase proof)
    u8    network (0 mainnet, 1 testnet3, 2 testnet4, 3 signet, 4 regtest)
    size  block height
    80    block header
    size  position of the transaction in the block
    u8    n, the branch length (at most 15: a block holds at most 16,666 transactions)
    n*32  Merkle branch, sibling hashes from the leaf up (internal byte order)
    32    the block's coinbase txid (version 2, position > 0 only)
    k*32  the coinbase's Merkle branch (position 0) below the level where it meets the
          transaction's path: k = bit_length(position) - 1 (version 2 only). Above that the
          two branches share their hashes, and at that level each one's sibling is the other's
          node, so the rest is taken from the transaction's branch: both have the same length
          n by construction, as every branch of one block must. At position 0 the transaction
          is the coinbase and nothing is added.
    ...   the transaction, serialized without witness (it delimits itself)
    size  index of the paid output
    size  amount of the paid output, satoshis
    size+ scriptPubKey of the paid output (what the address encodes)
    size  m, headers after the block carried for confirmations
    m*80  those headers, in height order

It has no byte that no check reads: the output's amount and script repeat what the transaction
says so that a changed output index is caught, the height must match where the verifier's chain
has the header, and a position bit at a level where the branch pairs the node with a copy of
itself (the last node of an odd level, always at an even index) must be 0 -- otherwise
positions 4 and 5 of a five-transaction block would prove the same leaf. The test suite flips
every byte of real receipts and sees each one refused.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from wallet import bounded_json
from wallet.bitcoin.address import parse_address, script_to_address
from wallet.bitcoin.amount import (
    C_LOCALE,
    MAX_MONEY,
    AmountError,
    format_amount,
    format_btc,
    parse_amount,
)
from wallet.bitcoin.errors import AddressError, DecodeError, TransactionError
from wallet.bitcoin.fiat import Price, Rate, RateError, fiat_unit, format_price
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.networks import Network, get_network
from wallet.bitcoin.serialize import ByteReader, encode_bytes, encode_varint
from wallet.bitcoin.transaction import Transaction
from wallet.errors import PaylightError
from wallet.spv.errors import InvalidHeader, MerkleProofError
from wallet.spv.header import HEADER_SIZE, BlockHeader
from wallet.spv.merkle import (
    MAX_BLOCK_TXS,
    CoinbaseProof,
    root_from_branch,
    tree_depth,
    txid_of,
)

FORMAT = "paylight-receipt"
#: The version written; version 1 (no coinbase proof) is still read, and verifies only as
#: "depth not proven".
VERSION = 2
VERSIONS = (1, 2)
TEXT_PREFIX = "paylight-receipt:"
#: Network ids of the compact form; never reorder (append new networks).
NETWORK_IDS = ("mainnet", "testnet3", "testnet4", "signet", "regtest")
#: The deepest Merkle tree a block can have.
MAX_BRANCH = tree_depth(MAX_BLOCK_TXS)
#: Headers after the block a receipt may carry (one retarget period is plenty).
MAX_LATER_HEADERS = 2016
#: a receipt's JSON: a transaction of up to 4 MB as hex, 2016 later headers, a little more
MAX_RECEIPT_BYTES = 9 << 20
#: the compact text: a standard transaction (at most 100 kB without witness) and 2016 later
#: headers come to about 400,000 base43 characters; decoding 600,000 takes under a second
MAX_RECEIPT_TEXT = 600_000
BASE43 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ$*+-./:"
_BASE43_INDEX = {c: i for i, c in enumerate(BASE43)}
_MAX_TX_BYTES = 4_000_000


class ReceiptError(PaylightError, ValueError):
    """A receipt that cannot be read, or cannot be made from what was given."""


class ReceiptFormatError(ReceiptError, DecodeError):
    """The bytes or JSON of a receipt are malformed (raised by the binary reader too)."""


# -- base43 ---------------------------------------------------------------------------------------


def base43_encode(data: bytes) -> str:
    """Electrum's base43: a big-endian number in base 43, one ``0`` per leading zero byte."""
    zeros = len(data) - len(data.lstrip(b"\0"))
    n = int.from_bytes(data, "big")
    out = []
    while n:
        n, digit = divmod(n, 43)
        out.append(BASE43[digit])
    return "0" * zeros + "".join(reversed(out))


def base43_decode(text: str) -> bytes:
    digits = []
    for i, ch in enumerate(text):
        digit = _BASE43_INDEX.get(ch)
        if digit is None:
            raise ReceiptFormatError(
                f"character {i + 1} of the receipt text ({ch!r}) is not a base43 character "
                f"(0-9, A-Z and $*+-./:)"
            )
        digits.append(digit)
    n = _base43_value(digits, 0, len(digits))
    zeros = len(text) - len(text.lstrip("0"))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * zeros + body


def _base43_value(
    digits: list[int], start: int, end: int, powers: dict[int, int] | None = None
) -> int:
    """The number ``digits[start:end]`` stand for, halves joined by one big multiplication:
    digit by digit takes time quadratic in the length (17 s for 200,000 characters)."""
    if end - start <= 256:
        n = 0
        for digit in digits[start:end]:
            n = n * 43 + digit
        return n
    powers = {} if powers is None else powers
    mid = (start + end) // 2
    if end - mid not in powers:
        powers[end - mid] = 43 ** (end - mid)
    high = _base43_value(digits, start, mid, powers)
    return high * powers[end - mid] + _base43_value(digits, mid, end, powers)


# -- the receipt ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    """A payment receipt as read (claims unchecked until :func:`verify_receipt`)."""

    network: Network
    #: the transaction serialized without witness
    tx: bytes = field(repr=False)
    height: int
    header: bytes = field(repr=False)
    position: int
    #: sibling hashes from the leaf up, internal byte order
    branch: tuple[bytes, ...] = field(repr=False)
    output_index: int
    amount_sat: int
    script_pubkey: bytes
    later_headers: tuple[bytes, ...] = field(default=(), repr=False)
    #: the JSON form's txid and block hash (internal order), checked against the bytes
    txid_claim: bytes | None = None
    block_hash_claim: bytes | None = None
    #: the payment request's label and message: the payee's notes, not covered by the proof
    label: str | None = None
    message: str | None = None
    #: asked in a local currency: the amount and the rate the merchant locked (not proven)
    price: Price | None = None
    #: the block's coinbase txid and its branch at position 0: the tree's depth (version 2)
    coinbase_txid: bytes | None = field(default=None, repr=False)
    coinbase_branch: tuple[bytes, ...] | None = field(default=None, repr=False)

    @property
    def version(self) -> int:
        return 1 if self.coinbase_txid is None else 2

    @property
    def coinbase(self) -> CoinbaseProof | None:
        if self.coinbase_txid is None or self.coinbase_branch is None:
            return None
        return CoinbaseProof(self.coinbase_txid, self.coinbase_branch)

    @property
    def txid(self) -> bytes:
        """The txid of the bytes held (not the claim)."""
        return sha256d(self.tx)

    @property
    def block_hash(self) -> bytes:
        return sha256d(self.header)

    @property
    def address(self) -> str | None:
        """The claimed output script as an address, or None if it has no address form."""
        try:
            return script_to_address(self.script_pubkey, self.network)
        except AddressError:
            return None

    # -- JSON -------------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "format": FORMAT,
            "version": self.version,
            "network": self.network.name,
            "txid": (self.txid_claim or self.txid)[::-1].hex(),
            "tx": self.tx.hex(),
            "block": {
                "height": self.height,
                "hash": (self.block_hash_claim or self.block_hash)[::-1].hex(),
                "header": self.header.hex(),
                "position": self.position,
                "merkle_branch": [h[::-1].hex() for h in self.branch],
            },
            "output": {
                "index": self.output_index,
                "address": self.address,
                "amount_sat": self.amount_sat,
            },
        }
        if self.coinbase_txid is not None:
            doc["block"]["coinbase"] = {
                "txid": self.coinbase_txid[::-1].hex(),
                "merkle_branch": [h[::-1].hex() for h in self.coinbase_branch or ()],
            }
        if self.later_headers:
            doc["later_headers"] = [h.hex() for h in self.later_headers]
        if self.label is not None or self.message is not None:
            doc["request"] = {"label": self.label, "message": self.message}
        if self.price is not None:
            doc["price"] = price_json(self.price)
        return doc

    def to_json_text(self) -> str:
        return json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, doc: dict[str, Any] | str | bytes) -> Receipt:
        """Read the JSON form strictly: unknown keys, upper-case hex and wrong types are refused,
        so no part of a receipt goes unchecked."""
        if isinstance(doc, str | bytes):
            try:
                doc = bounded_json.loads(doc, max_bytes=MAX_RECEIPT_BYTES)
            except ValueError as exc:
                raise ReceiptFormatError(f"the receipt cannot be read: {exc}") from None
        top = _object(doc, "the receipt", required=_TOP_KEYS, optional=_TOP_OPTIONAL)
        if top["format"] != FORMAT:
            raise ReceiptFormatError(
                f"the file is not a Paylight receipt (format {top['format']!r})"
            )
        version = _int(top["version"], "version")
        if version not in VERSIONS:
            raise ReceiptFormatError(_unknown_version(version))
        if top["network"] not in NETWORK_IDS:
            raise ReceiptFormatError(f"the receipt's network {top['network']!r} is not known")
        net = get_network(top["network"])
        block = _object(
            top["block"],
            "block",
            required=_BLOCK_KEYS + (("coinbase",) if version >= 2 else ()),
        )
        coinbase_txid = coinbase_branch = None
        if version >= 2:
            cb = _object(block["coinbase"], "block.coinbase", required=("txid", "merkle_branch"))
            coinbase_txid = _hex(cb["txid"], "block.coinbase.txid", 32)[::-1]
            cb_branch = cb["merkle_branch"]
            if not isinstance(cb_branch, list):
                raise ReceiptFormatError("block.coinbase.merkle_branch must be a list of hashes")
            if len(cb_branch) > MAX_BRANCH:
                raise ReceiptFormatError(_branch_too_long(len(cb_branch)))
            coinbase_branch = tuple(
                _hex(h, f"coinbase branch hash {i + 1}", 32)[::-1] for i, h in enumerate(cb_branch)
            )
        output = _object(top["output"], "output", required=_OUTPUT_KEYS)
        branch = block["merkle_branch"]
        if not isinstance(branch, list):
            raise ReceiptFormatError("block.merkle_branch must be a list of hashes")
        if len(branch) > MAX_BRANCH:
            raise ReceiptFormatError(_branch_too_long(len(branch)))
        later = top.get("later_headers", [])
        if not isinstance(later, list) or len(later) > MAX_LATER_HEADERS:
            raise ReceiptFormatError(
                f"later_headers must be a list of at most {MAX_LATER_HEADERS} headers"
            )
        address = output["address"]
        if not isinstance(address, str):
            raise ReceiptFormatError("output.address must be an address")
        try:
            script = parse_address(address, net).script_pubkey
        except AddressError as exc:
            raise ReceiptFormatError(
                f"the address in the receipt is not a valid {net.name} address: {exc}"
            ) from None
        if script_to_address(script, net) != address:
            raise ReceiptFormatError(
                f"the address in the receipt is not written in its standard form "
                f"({script_to_address(script, net)})"
            )
        request = top.get("request")
        label = message = None
        if request is not None:
            request = _object(request, "request", optional=("label", "message"))
            label = _text_or_none(request.get("label"), "request.label")
            message = _text_or_none(request.get("message"), "request.message")
        amount = _int(output["amount_sat"], "output.amount_sat")
        if amount > MAX_MONEY:
            raise ReceiptFormatError("output.amount_sat is more than 21 million BTC")
        price = _price(top["price"]) if "price" in top else None
        return cls(
            network=net,
            tx=_hex(top["tx"], "tx", None),
            height=_int(block["height"], "block.height"),
            header=_hex(block["header"], "block.header", HEADER_SIZE),
            position=_int(block["position"], "block.position"),
            branch=tuple(
                _hex(h, f"merkle branch hash {i + 1}", 32)[::-1] for i, h in enumerate(branch)
            ),
            output_index=_int(output["index"], "output.index"),
            amount_sat=amount,
            script_pubkey=script,
            later_headers=tuple(
                _hex(h, f"later header {i + 1}", HEADER_SIZE) for i, h in enumerate(later)
            ),
            txid_claim=_hex(top["txid"], "txid", 32)[::-1],
            block_hash_claim=_hex(block["hash"], "block.hash", 32)[::-1],
            label=label,
            message=message,
            price=price,
            coinbase_txid=coinbase_txid,
            coinbase_branch=coinbase_branch,
        )

    # -- compact binary and text ------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The compact binary form (see the module docstring). Claims and notes are left out:
        the txid and block hash are recomputed by the reader, and label/message are unproven."""
        if len(self.branch) > MAX_BRANCH:
            raise ReceiptError(_branch_too_long(len(self.branch)))
        anchor: list[bytes] = []
        if self.coinbase_txid is not None:
            if self.coinbase_branch != _coinbase_branch(
                self.txid, self.branch, self.position, self.coinbase_txid, self.coinbase_branch
            ):
                raise ReceiptError(
                    "the receipt's coinbase branch does not share the transaction branch's "
                    "upper levels: the two cannot be from one block"
                )
            if self.position:
                private = (self.position.bit_length() - 1) if self.branch else 0
                anchor = [self.coinbase_txid, *(self.coinbase_branch or ())[:private]]
        return b"".join(
            [
                bytes([self.version, NETWORK_IDS.index(self.network.name)]),
                encode_varint(self.height),
                self.header,
                encode_varint(self.position),
                bytes([len(self.branch)]),
                *self.branch,
                *anchor,
                self.tx,
                encode_varint(self.output_index),
                encode_varint(self.amount_sat),
                encode_bytes(self.script_pubkey),
                encode_varint(len(self.later_headers)),
                *self.later_headers,
            ]
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> Receipt:
        r = ByteReader(data, ReceiptFormatError)
        version = r.u8()
        if version not in VERSIONS:
            raise ReceiptFormatError(_unknown_version(version))
        net_id = r.u8()
        if net_id >= len(NETWORK_IDS):
            raise ReceiptFormatError(f"the receipt names network number {net_id}, which is unknown")
        height = r.varint()
        header = r.read(HEADER_SIZE)
        position = r.varint()
        n = r.u8()
        if n > MAX_BRANCH:
            raise ReceiptFormatError(_branch_too_long(n))
        branch = tuple(r.read(32) for _ in range(n))
        coinbase_txid: bytes | None = None
        private: tuple[bytes, ...] = ()
        if version >= 2 and position:
            if position >> n:
                raise ReceiptFormatError(
                    f"position {position:,} does not fit a branch of {n} hashes"
                )
            coinbase_txid = r.read(32)
            private = tuple(r.read(32) for _ in range(position.bit_length() - 1))
        start = r.pos
        try:
            tx = Transaction.read(r)
        except TransactionError as exc:
            raise ReceiptFormatError(
                f"the transaction in the receipt does not parse: {exc}"
            ) from None
        if tx.has_witness():
            raise ReceiptFormatError(_WITNESS_MESSAGE)
        raw = bytes(r.data[start : r.pos])
        output_index = r.varint()
        amount = r.varint()
        script = r.var_bytes(10_000)
        m = r.count(HEADER_SIZE)
        if m > MAX_LATER_HEADERS:
            raise ReceiptFormatError(f"a receipt carries at most {MAX_LATER_HEADERS} later headers")
        later = tuple(r.read(HEADER_SIZE) for _ in range(m))
        r.expect_end("receipt")
        coinbase_branch = None
        if version >= 2:
            txid = sha256d(raw)
            if coinbase_txid is None:  # position 0: the transaction is the coinbase
                coinbase_txid = txid
            coinbase_branch = _coinbase_branch(txid, branch, position, coinbase_txid, private)
        return cls(
            network=get_network(NETWORK_IDS[net_id]),
            tx=raw,
            height=height,
            header=header,
            position=position,
            branch=branch,
            output_index=output_index,
            amount_sat=amount,
            script_pubkey=script,
            later_headers=later,
            coinbase_txid=coinbase_txid,
            coinbase_branch=coinbase_branch,
        )

    def to_text(self) -> str:
        """``paylight-receipt:`` + base43 of the compact form."""
        return TEXT_PREFIX + base43_encode(self.to_bytes())

    @classmethod
    def from_text(cls, text: str) -> Receipt:
        text = text.strip()
        if text[: len(TEXT_PREFIX)].lower() != TEXT_PREFIX:
            raise ReceiptFormatError(f"a receipt text starts with {TEXT_PREFIX!r}")
        if len(text) > MAX_RECEIPT_TEXT:
            raise ReceiptFormatError(
                f"the receipt text is {len(text):,} characters, more than the "
                f"{MAX_RECEIPT_TEXT:,} a receipt needs"
            )
        return cls.from_bytes(base43_decode(text[len(TEXT_PREFIX) :]))


def receipt_qr_text(receipt: Receipt) -> str:
    """The text to put in a QR code: all in the alphanumeric mode (upper-case prefix)."""
    return receipt.to_text().upper()


def load_receipt(data: str | bytes | dict[str, Any]) -> Receipt:
    """Read a receipt in either form: a JSON document, or ``paylight-receipt:`` text."""
    if isinstance(data, dict):
        return Receipt.from_json(data)
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise ReceiptFormatError("the receipt is neither JSON nor receipt text") from None
    stripped = data.strip().lstrip("\ufeff")
    if stripped.startswith("{"):
        return Receipt.from_json(stripped)
    if stripped[: len(TEXT_PREFIX)].lower() == TEXT_PREFIX:
        return Receipt.from_text(stripped)
    raise ReceiptFormatError(
        f"this is not a receipt: expected a JSON receipt or text starting with {TEXT_PREFIX!r}"
    )


_TOP_KEYS = ("format", "version", "network", "txid", "tx", "block", "output")
_TOP_OPTIONAL = ("later_headers", "request", "price")
_PRICE_KEYS = ("currency", "amount", "rate")
_PRICE_OPTIONAL = ("rate_source", "rate_time")
_BLOCK_KEYS = ("height", "hash", "header", "position", "merkle_branch")
_OUTPUT_KEYS = ("index", "address", "amount_sat")
_WITNESS_MESSAGE = (
    "the transaction in the receipt carries witness data; a receipt holds the transaction "
    "without its witness, which no Merkle proof covers"
)


def _coinbase_branch(
    txid: bytes,
    branch: Sequence[bytes],
    position: int,
    coinbase_txid: bytes,
    private: Sequence[bytes],
) -> tuple[bytes, ...] | None:
    """The coinbase's whole branch from its ``private`` lower hashes and the transaction's
    branch (see the compact form): None when they cannot fit together."""
    if position == 0:
        return tuple(branch) if coinbase_txid == txid else None
    meet = position.bit_length() - 1  # the level where the two paths are siblings
    if meet >= len(branch) or len(private) < meet:
        return None
    node = txid
    for level, sibling in enumerate(branch[:meet]):
        pair = sibling + node if position >> level & 1 else node + sibling
        node = sha256d(pair)
    return (*private[:meet], node, *branch[meet + 1 :])


def _unknown_version(version: int) -> str:
    return (
        f"this receipt is version {version}; this Paylight reads versions "
        f"{', '.join(map(str, VERSIONS))} (update Paylight)"
    )


def _branch_too_long(n: int) -> str:
    return (
        f"the Merkle branch has {n} hashes; a block's tree is at most {MAX_BRANCH} levels deep "
        f"(it holds at most {MAX_BLOCK_TXS:,} transactions)"
    )


def _object(
    value: Any, what: str, required: Sequence[str] = (), optional: Sequence[str] = ()
) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ReceiptFormatError(f"{what} must be a JSON object")
    missing = [k for k in required if k not in value]
    if missing:
        raise ReceiptFormatError(f"{what} lacks {', '.join(missing)}")
    unknown = [k for k in value if k not in required and k not in optional]
    if unknown:
        raise ReceiptFormatError(f"{what} has unknown field(s) {', '.join(map(repr, unknown))}")
    return value


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ReceiptFormatError(f"{what} must be a whole number >= 0")
    return value


def _hex(value: Any, what: str, size: int | None) -> bytes:
    if not isinstance(value, str) or any(c not in "0123456789abcdef" for c in value):
        raise ReceiptFormatError(f"{what} must be lower-case hex")
    if len(value) % 2 or (size is not None and len(value) != 2 * size):
        want = f"{size} bytes" if size is not None else "whole bytes"
        raise ReceiptFormatError(f"{what} must be {want} of hex")
    if size is None and len(value) > 2 * _MAX_TX_BYTES:
        raise ReceiptFormatError(f"{what} is longer than any transaction")
    return bytes.fromhex(value)


def price_json(price: Price) -> dict[str, Any]:
    """A price as the receipt's JSON holds it: amounts and the rate as machine text."""
    rate = price.rate
    return {
        "currency": rate.code,
        "amount": format_amount(price.amount, rate.currency),
        "rate": rate.price_text(),
        "rate_source": rate.source,
        "rate_time": rate.at,
    }


def _price(value: Any) -> Price:
    doc = _object(value, "price", required=_PRICE_KEYS, optional=_PRICE_OPTIONAL)
    try:
        unit = fiat_unit(_text(doc["currency"], "price.currency"))
        if unit.code != doc["currency"]:
            raise ReceiptFormatError("price.currency must be an upper-case ISO 4217 code")
        amount = parse_amount(_text(doc["amount"], "price.amount"), unit)
        source = _text_or_none(doc.get("rate_source"), "price.rate_source") or ""
        at = _int(doc.get("rate_time", 0), "price.rate_time")
        rate = Rate(unit, _text(doc["rate"], "price.rate"), source[:200], at)
        return Price(amount, rate)
    except (RateError, AmountError) as exc:
        raise ReceiptFormatError(f"the receipt's price cannot be read: {exc}") from None


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise ReceiptFormatError(f"{what} must be text")
    return value


def _text_or_none(value: Any, what: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ReceiptFormatError(f"{what} must be text")
    return value


# -- making receipts ------------------------------------------------------------------------------


def make_receipt(
    tx: Transaction | bytes,
    *,
    network: Network | str,
    height: int,
    header: bytes | BlockHeader,
    position: int,
    branch: Sequence[bytes],
    output_index: int,
    later_headers: Sequence[bytes] | bytes = (),
    label: str | None = None,
    message: str | None = None,
    price: Price | None = None,
    coinbase: CoinbaseProof | None = None,
) -> Receipt:
    """A receipt for output ``output_index`` of ``tx`` at ``position`` in the block of ``header``.

    ``branch`` is in internal byte order (:class:`wallet.spv.merkle.ElectrumProof` gives it so);
    ``coinbase`` is the block's coinbase proof, which proves the tree's depth (without it the
    receipt is an old-style version 1 one, which verifies only as "depth not proven"). The
    witness is dropped. Everything checkable without a header chain is checked here, so a
    receipt that could never verify is refused with the reason.
    """
    try:
        txobj = tx if isinstance(tx, Transaction) else Transaction.parse(bytes(tx))
    except TransactionError as exc:
        raise ReceiptError(
            f"cannot make a receipt: the transaction does not parse: {exc}"
        ) from None
    if isinstance(header, BlockHeader):
        header = header.serialize()
    if isinstance(later_headers, bytes):
        if len(later_headers) % HEADER_SIZE:
            raise ReceiptError("later headers must be whole 80-byte headers")
        later_headers = [
            later_headers[o : o + HEADER_SIZE] for o in range(0, len(later_headers), HEADER_SIZE)
        ]
    if not 0 <= output_index < len(txobj.outputs):
        raise ReceiptError(
            f"the transaction has {len(txobj.outputs)} outputs; there is no output {output_index}"
        )
    paid = txobj.outputs[output_index]
    receipt = Receipt(
        network=get_network(network),
        tx=txobj.serialize_no_witness(),
        height=height,
        header=bytes(header),
        position=position,
        branch=tuple(bytes(b) for b in branch),
        output_index=output_index,
        amount_sat=paid.value,
        script_pubkey=paid.script_pubkey,
        later_headers=tuple(bytes(h) for h in later_headers),
        label=label,
        message=message,
        price=price,
        coinbase_txid=None if coinbase is None else bytes(coinbase.txid),
        coinbase_branch=None if coinbase is None else tuple(bytes(h) for h in coinbase.branch),
    )
    receipt = replace(receipt, txid_claim=receipt.txid, block_hash_claim=receipt.block_hash)
    for check in _offline_checks(receipt):
        if not check.ok and not (check.name == "depth" and coinbase is None):
            raise ReceiptError(f"cannot make this receipt: {check.detail}")
    return receipt


class StoredProofLike(Protocol):
    height: int
    block_hash: bytes
    position: int
    branch: tuple[bytes, ...]


class StoredTxLike(Protocol):
    """What a wallet database's transaction record provides (``database.TxRecord``)."""

    raw: bytes
    state: Any
    proof: StoredProofLike | None


class AnchorsLike(Protocol):
    """What a wallet database provides: the coinbase proofs the sync kept, by block hash."""

    def block_anchor(self, block_hash: bytes) -> tuple[int, bytes, tuple[bytes, ...]] | None: ...


def stored_coinbase(db: AnchorsLike, record: StoredTxLike) -> CoinbaseProof | None:
    """The coinbase proof the sync kept for the block of ``record``'s stored Merkle proof."""
    if record.proof is None:
        return None
    anchor = db.block_anchor(record.proof.block_hash)
    return None if anchor is None else CoinbaseProof(anchor[1], anchor[2])


def receipt_for_payment(
    record: StoredTxLike,
    chain: HeaderChain,
    output_index: int,
    *,
    confirmations: int = 0,
    label: str | None = None,
    message: str | None = None,
    price: Price | None = None,
    coinbase: CoinbaseProof | None = None,
) -> Receipt:
    """The receipt of a wallet transaction confirmed with a stored proof (``TxRecord``).

    The header comes from the local header chain; ``coinbase`` is the block's coinbase proof
    the sync kept (``WalletDatabase.block_anchor``); ``confirmations`` > 1 adds the headers
    after the block up to that depth (as many as the chain has).
    """
    proof = record.proof
    if proof is None or str(getattr(record.state, "value", record.state)) != "confirmed":
        raise ReceiptError(
            "a receipt needs a confirmed payment, whose Merkle proof was checked against the "
            "header chain; this one is not confirmed yet"
        )
    if not chain.base_height < proof.height <= chain.height:
        raise ReceiptError(
            f"block {proof.height:,} is not in the header chain (it holds "
            f"{chain.base_height + 1:,}..{chain.height:,}); sync headers first"
        )
    if chain.hash_at(proof.height) != proof.block_hash:
        raise ReceiptError(
            f"block {proof.height:,} of the stored proof is no longer in the header chain (a "
            "reorg); the payment must be verified again"
        )
    if coinbase is None:
        raise ReceiptError(
            f"the coinbase proof of block {proof.height:,} (what proves the depth of its Merkle "
            "tree) is not in the wallet yet; sync the wallet, then make the receipt"
        )
    later = b""
    if confirmations > 1:
        stop = min(proof.height + confirmations, chain.height + 1)
        if stop > proof.height + 1:
            later = chain.headers(proof.height + 1, stop)
    return make_receipt(
        record.raw,
        network=chain.network,
        height=proof.height,
        header=chain.header(proof.height),
        position=proof.position,
        branch=proof.branch,
        output_index=output_index,
        later_headers=later,
        label=label,
        message=message,
        price=price,
        coinbase=coinbase,
    )


# -- verifying ------------------------------------------------------------------------------------


class HeaderChain(Protocol):
    """The read side of :class:`wallet.spv.store.HeaderStore` that verification uses."""

    network: Network

    @property
    def height(self) -> int: ...
    @property
    def base_height(self) -> int: ...
    @property
    def tip(self) -> Any: ...
    def hash_at(self, height: int) -> bytes: ...
    def height_of(self, block_hash: bytes) -> int | None: ...
    def header(self, height: int) -> bytes: ...
    def headers(self, start: int, stop: int) -> bytes: ...


@dataclass(frozen=True)
class ReceiptCheck:
    #: format, network, transaction, header, chain, merkle, depth, output, later_headers
    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class ReceiptVerdict:
    """The outcome of :func:`verify_receipt`; ``reason`` is the first failure, as a sentence."""

    ok: bool
    reason: str | None
    checks: tuple[ReceiptCheck, ...]
    receipt: Receipt | None = None
    #: confirmations counted from the verifier's own tip (None unless the block is in its chain)
    confirmations: int | None = None
    tip_height: int | None = None
    #: later headers in the receipt beyond the verifier's tip, valid by the network's rules
    headers_beyond_tip: int = 0

    @property
    def failed_check(self) -> str | None:
        return next((c.name for c in self.checks if not c.ok), None)

    @property
    def outcome(self) -> str:
        """``valid``; ``depth not proven`` (an old receipt without its coinbase proof that
        passes every other check: not valid, and the one thing to ask for); or ``invalid``."""
        if self.ok:
            return "valid"
        failed = {c.name for c in self.checks if not c.ok}
        if failed == {"depth"} and self.receipt is not None and self.receipt.version == 1:
            return "depth not proven"
        return "invalid"

    def to_json(self) -> dict[str, Any]:
        r = self.receipt
        doc: dict[str, Any] = {
            "ok": self.ok,
            "outcome": self.outcome,
            "reason": self.reason,
            "failed_check": self.failed_check,
            "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in self.checks],
        }
        if r is not None:
            header = BlockHeader.parse(r.header)
            doc.update(
                network=r.network.name,
                txid=r.txid[::-1].hex(),
                height=r.height,
                block_hash=r.block_hash[::-1].hex(),
                block_time=header.time,
                output_index=r.output_index,
                address=r.address,
                amount_sat=r.amount_sat,
                confirmations=self.confirmations,
                tip_height=self.tip_height,
                headers_beyond_tip=self.headers_beyond_tip,
                label=r.label,
                message=r.message,
            )
            if r.price is not None:
                # the merchant's statement: the proof covers the bitcoin, not the price
                doc["price"] = {**price_json(r.price), "proven": False}
        return doc



def _check_transaction(receipt: Receipt) -> ReceiptCheck:
    try:
        tx = Transaction.parse(receipt.tx)
    except TransactionError as exc:
        return ReceiptCheck(
            "transaction", False, f"the transaction in the receipt does not parse: {exc}"
        )
    if tx.has_witness():
        return ReceiptCheck("transaction", False, _WITNESS_MESSAGE)
    try:
        txid = txid_of(receipt.tx)
    except MerkleProofError as exc:
        return ReceiptCheck(
            "transaction", False, f"the transaction in the receipt is refused: {exc}"
        )
    if receipt.txid_claim is not None and txid != receipt.txid_claim:
        return ReceiptCheck(
            "transaction",
            False,
            f"the transaction in the receipt does not hash to its txid (it hashes to "
            f"{txid[::-1].hex()}, the receipt says {receipt.txid_claim[::-1].hex()})",
        )
    return ReceiptCheck("transaction", True, f"transaction {txid[::-1].hex()}")


def _check_header(receipt: Receipt) -> ReceiptCheck:
    got = receipt.block_hash
    if receipt.block_hash_claim is not None and got != receipt.block_hash_claim:
        return ReceiptCheck(
            "header",
            False,
            f"the block header in the receipt does not hash to the block hash it names (it "
            f"hashes to {got[::-1].hex()}, the receipt says "
            f"{receipt.block_hash_claim[::-1].hex()})",
        )
    return ReceiptCheck("header", True, f"block {receipt.height:,} is {got[::-1].hex()}")


def _proven_depth(receipt: Receipt) -> int | None:
    """The tree depth the receipt's coinbase proof proves, or None (none, or it fails)."""
    coinbase = receipt.coinbase
    if coinbase is None:
        return None
    try:
        return coinbase.verify(receipt.header)
    except MerkleProofError:
        return None


def _check_depth(receipt: Receipt) -> ReceiptCheck:
    coinbase, h = receipt.coinbase, receipt.height
    if coinbase is None:
        return ReceiptCheck(
            "depth",
            False,
            f"depth not proven: this is a version 1 receipt, which does not carry the coinbase "
            f"proof of block {h:,}, so nothing shows that its Merkle branch has the depth of "
            "the block's tree (a branch one level too deep can pass off a fake transaction, "
            "CVE-2017-12842); ask for a new receipt",
        )
    try:
        depth = coinbase.verify(receipt.header)
    except MerkleProofError as exc:
        return ReceiptCheck(
            "depth", False, f"the coinbase proof of block {h:,} does not hold: {exc}"
        )
    return ReceiptCheck(
        "depth", True, f"block {h:,}'s Merkle tree is {depth} levels deep (coinbase proof)"
    )


def _check_merkle(receipt: Receipt) -> ReceiptCheck:
    txid, branch, pos, h = receipt.txid, receipt.branch, receipt.position, receipt.height
    fail = f"the Merkle branch does not lead to block {h:,}'s merkle root"
    if len(branch) > MAX_BRANCH:
        return ReceiptCheck("merkle", False, _branch_too_long(len(branch)))
    try:
        root = root_from_branch(txid, branch, pos, depth=_proven_depth(receipt))
    except MerkleProofError as exc:
        return ReceiptCheck("merkle", False, f"{fail}: {exc}")
    want = BlockHeader.parse(receipt.header).merkle_root
    if root != want:
        return ReceiptCheck(
            "merkle",
            False,
            f"{fail} (it leads to {root[::-1].hex()}, the header has {want[::-1].hex()})",
        )
    return ReceiptCheck(
        "merkle", True, f"the branch leads from position {pos:,} to block {h:,}'s merkle root"
    )


def _check_output(receipt: Receipt) -> ReceiptCheck:
    try:
        tx = Transaction.parse(receipt.tx)
    except TransactionError:
        return ReceiptCheck("output", False, "the transaction does not parse")
    i, net = receipt.output_index, receipt.network
    if i >= len(tx.outputs):
        return ReceiptCheck(
            "output",
            False,
            f"the receipt names output {i}, but the transaction has {len(tx.outputs)} outputs",
        )
    out = tx.outputs[i]
    claimed = receipt.address or receipt.script_pubkey.hex()
    if out.script_pubkey != receipt.script_pubkey:
        try:
            actual = script_to_address(out.script_pubkey, net)
        except AddressError:
            actual = f"script {out.script_pubkey.hex()}"
        return ReceiptCheck(
            "output",
            False,
            f"output {i} of the transaction pays {actual}, not {claimed} as the receipt claims",
        )
    if receipt.address is None:
        return ReceiptCheck("output", False, f"output {i} pays a script with no address form")
    if out.value != receipt.amount_sat:
        return ReceiptCheck(
            "output",
            False,
            f"output {i} of the transaction pays {format_btc(out.value)} BTC, not the "
            f"{format_btc(receipt.amount_sat)} BTC the receipt claims",
        )
    return ReceiptCheck(
        "output", True, f"output {i} pays {format_btc(out.value)} BTC to {receipt.address}"
    )


def _offline_checks(receipt: Receipt) -> list[ReceiptCheck]:
    return [
        _check_transaction(receipt),
        _check_header(receipt),
        _check_merkle(receipt),
        _check_depth(receipt),
        _check_output(receipt),
    ]


def _check_chain(receipt: Receipt, chain: HeaderChain) -> ReceiptCheck:
    h, block_hash = receipt.height, receipt.block_hash
    missing = f"block {h:,} in the receipt is not in this wallet's header chain"
    if h > chain.height:
        return ReceiptCheck(
            "chain",
            False,
            f"{missing} — sync headers first or it was reorged away (the chain reaches block "
            f"{chain.height:,})",
        )
    if h < chain.base_height:
        return ReceiptCheck(
            "chain",
            False,
            f"block {h:,} is below this wallet's header chain, which starts at checkpoint "
            f"{chain.base_height:,}; it cannot be checked here",
        )
    ours = chain.hash_at(h)
    if ours != block_hash:
        other = chain.height_of(block_hash)
        if other is not None:
            return ReceiptCheck(
                "chain",
                False,
                f"the receipt places block {block_hash[::-1].hex()} at height {h:,}, but it is "
                f"block {other:,} in this wallet's header chain",
            )
        return ReceiptCheck(
            "chain",
            False,
            f"{missing} — sync headers first or it was reorged away (the chain has "
            f"{ours[::-1].hex()} at that height)",
        )
    return ReceiptCheck("chain", True, f"block {h:,} is in this wallet's best chain")


def _check_later(receipt: Receipt, chain: HeaderChain) -> tuple[ReceiptCheck, int]:
    from wallet.spv.chain import verify_headers
    from wallet.spv.checkpoints import checkpoint_hashes

    prev = receipt.block_hash
    beyond: list[bytes] = []
    for i, rec in enumerate(receipt.later_headers):
        h = receipt.height + 1 + i
        if rec[4:36] != prev:
            return ReceiptCheck(
                "later_headers",
                False,
                f"the receipt's header for block {h:,} does not link to the one before it",
            ), 0
        prev = sha256d(rec)
        if h <= chain.height:
            if chain.hash_at(h) != prev:
                return ReceiptCheck(
                    "later_headers",
                    False,
                    f"the receipt's header for block {h:,} is not in this wallet's header chain",
                ), 0
        else:
            beyond.append(rec)
    if beyond:
        result = verify_headers(
            b"".join(beyond), chain.tip, checkpoints=checkpoint_hashes(chain.network)
        )
        if result.error is not None:
            err: InvalidHeader = result.error
            return ReceiptCheck(
                "later_headers",
                False,
                f"the receipt's header for block {err.height:,}, beyond this wallet's tip, is "
                f"invalid: {err}",
            ), 0
    n = len(receipt.later_headers)
    detail = f"{n} later header(s) follow the block"
    if beyond:
        detail += (
            f"; {len(beyond)} of them beyond this wallet's tip, valid by the network's rules "
            "(sync headers to count them as confirmations)"
        )
    return ReceiptCheck("later_headers", True, detail), len(beyond)


def verify_receipt(
    receipt: Receipt | str | bytes | dict[str, Any], header_chain: HeaderChain
) -> ReceiptVerdict:
    """Check a receipt offline against ``header_chain`` (a :class:`HeaderStore`).

    Unreadable input is a failed verdict (check ``format``), not an exception. Every check that
    can run is reported; ``reason`` is the first failure in the order format, network,
    transaction, header, chain, merkle, depth, output, later_headers. A version 1 receipt
    (no coinbase proof) fails the depth check: see :attr:`ReceiptVerdict.outcome`.
    """
    if not isinstance(receipt, Receipt):
        try:
            receipt = load_receipt(receipt)
        except ReceiptError as exc:
            check = ReceiptCheck("format", False, f"the receipt cannot be read: {exc}")
            return ReceiptVerdict(False, check.detail, (check,))
    checks: list[ReceiptCheck] = []
    net = get_network(header_chain.network)
    same_net = receipt.network.name == net.name
    checks.append(
        ReceiptCheck(
            "network",
            same_net,
            f"the receipt is for {receipt.network.name}"
            + ("" if same_net else f", but this header chain is {net.name}'s"),
        )
    )
    offline = _offline_checks(receipt)
    checks.extend(offline[:2])
    confirmations = None
    beyond = 0
    later: ReceiptCheck | None = None
    if same_net:
        chain_check = _check_chain(receipt, header_chain)
        checks.append(chain_check)
        if chain_check.ok:
            confirmations = header_chain.height - receipt.height + 1
            if receipt.later_headers:
                later, beyond = _check_later(receipt, header_chain)
    checks.extend(offline[2:])
    if later is not None:
        checks.append(later)
    failed = next((c for c in checks if not c.ok), None)
    return ReceiptVerdict(
        ok=failed is None,
        reason=None if failed is None else failed.detail,
        checks=tuple(checks),
        receipt=receipt,
        confirmations=confirmations,
        tip_height=header_chain.height,
        headers_beyond_tip=beyond,
    )


def describe(receipt: Receipt) -> list[str]:
    """Human lines for ``paylight receipt show`` (nothing here is verified)."""
    header = BlockHeader.parse(receipt.header)
    from datetime import UTC, datetime

    when = datetime.fromtimestamp(header.time, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    lines = [
        f"network:     {receipt.network.name}",
        f"transaction: {receipt.txid[::-1].hex()}",
        f"paid:        {format_btc(receipt.amount_sat)} BTC ({receipt.amount_sat:,} sat) to "
        f"{receipt.address or receipt.script_pubkey.hex()} (output {receipt.output_index})",
        f"block:       {receipt.height:,} ({receipt.block_hash[::-1].hex()}, mined {when})",
        f"proof:       position {receipt.position:,}, Merkle branch of {len(receipt.branch)} "
        f"hashes"
        + (
            ", with the block's coinbase proof (its tree depth)"
            if receipt.coinbase is not None
            else " (version 1: no coinbase proof, the depth is not proven)"
        ),
    ]
    if receipt.later_headers:
        lines.append(f"later:       {len(receipt.later_headers)} headers after the block")
    if receipt.label:
        lines.append(f"label:       {receipt.label} (the payee's note, not covered by the proof)")
    if receipt.message:
        lines.append(f"message:     {receipt.message} (the payee's note, not covered by the proof)")
    if receipt.price is not None:
        lines.append(price_line(receipt.price))
    return lines


def price_line(price: Price) -> str:
    """The receipt's price as a line of text, said to be the merchant's statement."""
    rate = price.rate
    amount = format_amount(price.amount, rate.currency, C_LOCALE, code=True)
    stated = f"{format_price(rate, C_LOCALE)} {rate.code}/BTC"
    details = [d for d in (rate.source, _utc(rate.at) if rate.at else "") if d]
    if details:
        stated += f" ({'; '.join(details)})"
    return (
        f"price:       {amount} at {stated} -- the merchant's stated rate, not proven "
        "(the proof covers the bitcoin paid, not its price)"
    )


def _utc(seconds: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M UTC")
