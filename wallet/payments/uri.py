"""``bitcoin:`` payment URIs: BIP21, as extended and superseded by BIP321.

Parsing is strict where money is concerned and lenient where it is harmless:

* the scheme and the query keys are case-insensitive (BIP321); values and base58 addresses are
  case-sensitive, but bech32 text (addresses, Lightning invoices, offers) written all in upper
  case, as QR codes do, is read as lower case;
* ``amount`` is decimal BTC read exactly into satoshis: digits and at most one dot, at most 8
  decimals, no sign, exponent or thousands separator, more than zero and at most 21 million;
* ``label``, ``message`` and ``pop`` may appear once (``amount`` too); payment instructions
  (``lightning``, ``lno``, ``sp``, ``pay``, and segwit addresses keyed by their HRP such as
  ``bc=``) and unknown parameters may repeat and are kept in order;
* a ``req-`` parameter the wallet does not implement makes the whole URI invalid (BIP21's rule),
  and so does ``req-pop``: Paylight does not open proof-of-payment callbacks;
* with a network, an address of another network is refused with the address module's sentence
  ("this is a testnet3/testnet4/signet address, but the wallet is on mainnet").

Every problem raises :class:`UriError` with a sentence naming what is wrong. Generating a URI
(:func:`make_uri`) gives canonical text: the address in lower case (QR rendering upper-cases it,
see ``qr_payload.qr_text``), the amount with no trailing zeros, values percent-encoded except for
RFC 3986's unreserved characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from wallet.bitcoin.address import parse_address
from wallet.bitcoin.amount import BTC, MAX_MONEY, AmountError, format_btc, parse_amount
from wallet.bitcoin.errors import AddressError, NetworkMismatchError
from wallet.bitcoin.networks import NETWORKS, Network, get_network
from wallet.errors import PaylightError

SCHEME = "bitcoin:"
#: Longer than any QR code can hold (version 40: 4296 alphanumeric characters), with room for
#: long Lightning invoices; anything longer is not a payment URI.
MAX_URI_LENGTH = 16_384

#: Payment instructions BIP321 defines as query keys, with what they are (for messages).
INSTRUCTION_KEYS: dict[str, str] = {
    "lightning": "a Lightning invoice (BOLT11)",
    "lno": "a Lightning offer (BOLT12)",
    "pay": "a private payment address (BIP351)",
    "sp": "a silent payment address (BIP352)",
}
#: Segwit HRPs of the networks we know: BIP321 puts extra on-chain addresses under these keys.
ADDRESS_KEYS: dict[str, tuple[str, ...]] = {}
for _net in NETWORKS.values():
    ADDRESS_KEYS.setdefault(_net.bech32_hrp, ())
    ADDRESS_KEYS[_net.bech32_hrp] += (_net.name,)
_SINGLE_KEYS = ("amount", "label", "message")
#: Schemes that open a web browser or another network client: never a pop callback (BIP321).
_UNSAFE_POP_SCHEMES = frozenset(
    {"http", "https", "file", "javascript", "mailto", "ftp", "ftps", "data", "blob", "ws"}
    | {"wss", "vbscript", "about", "view-source"}
)
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_HEX = frozenset("0123456789abcdefABCDEF")
_BASE58 = frozenset("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")
_BECH32 = frozenset("qpzry9x8gf2tvdw0s3jn54khce6mua7l")
#: Bidirectional-text controls: they can make "1.5" display as "5.1"; refused in shown text.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e") | frozenset(
    "\u2066\u2067\u2068\u2069"
)


class UriError(PaylightError, ValueError):
    """A ``bitcoin:`` URI that is malformed, unsafe, or not payable by this wallet."""


@dataclass(frozen=True)
class PaymentInstruction:
    """One payment instruction from the query: ``lightning=...``, ``sp=...``, ``bc=...``."""

    key: str
    value: str

    @property
    def description(self) -> str:
        if self.key in ADDRESS_KEYS:
            return f"a segwit address for {'/'.join(ADDRESS_KEYS[self.key])}"
        return INSTRUCTION_KEYS.get(self.key, f"a {self.key!r} payment instruction")


@dataclass(frozen=True)
class PaymentURI:
    """What a ``bitcoin:`` URI asks for. Amounts are satoshis; text is percent-decoded."""

    #: the on-chain address in the body (bech32 in lower case), or None for BIP321 address-less
    address: str | None
    amount_sat: int | None = None
    label: str | None = None
    message: str | None = None
    #: proof-of-payment URI prefix (``pop=``), decoded once; see :meth:`pop_callback`
    pop: str | None = None
    instructions: tuple[PaymentInstruction, ...] = ()
    #: unknown optional parameters (keys in lower case), in order, kept and shown
    extras: tuple[tuple[str, str], ...] = ()

    @property
    def amount_btc(self) -> str | None:
        return None if self.amount_sat is None else format_btc(self.amount_sat)

    @property
    def lightning(self) -> str | None:
        """The first BOLT11 invoice offered (shown to the user; Paylight pays on-chain only)."""
        return next((i.value for i in self.instructions if i.key == "lightning"), None)

    def onchain_addresses(self, network: Network | str | None = None) -> list[str]:
        """On-chain addresses offered: the body's, then ``bc=``-style ones (of ``network``)."""
        net = None if network is None else get_network(network)
        found = [self.address] if self.address else []
        for ins in self.instructions:
            if ins.key in ADDRESS_KEYS and (net is None or ins.key == net.bech32_hrp):
                found.append(ins.value)
        return found

    def payable_address(self, network: Network | str) -> str:
        """The address to pay on ``network``, fully checked; UriError naming why there is none."""
        net = get_network(network)
        candidates = self.onchain_addresses(net)
        if candidates:
            return _check_address(candidates[0], net, "address")
        foreign = [i for i in self.instructions if i.key in ADDRESS_KEYS]
        if foreign:
            try:
                parse_address(foreign[0].value, net)
            except NetworkMismatchError as exc:
                raise UriError(str(exc)) from None
            except AddressError:
                pass
        offered = ", ".join(dict.fromkeys(i.description for i in self.instructions))
        raise UriError(
            f"this URI offers no on-chain address for {net.name} (it offers {offered}); "
            "Paylight pays on-chain only"
        )

    def pop_callback(self, method: str, payment_info_hex: str) -> str | None:
        """BIP321's proof-of-payment URI to open after paying, or None if it must not be opened.

        ``method`` is the key the payment instruction was read from ("onchain" for the body's
        address); ``payment_info_hex`` is, on-chain, the broadcast transaction in hex.
        """
        if self.pop is None:
            return None
        if not payment_info_hex or any(c not in _HEX for c in payment_info_hex):
            raise UriError("the payment information for a pop callback must be hex")
        if not re.fullmatch(r"[a-z0-9][a-z0-9+.\-]*", method):
            raise UriError(f"{method!r} is not a payment method key")
        scheme, colon, _ = self.pop.partition(":")
        if not colon or not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.\-]*", scheme):
            return None
        if scheme.lower() in _UNSAFE_POP_SCHEMES:
            return None
        return f"{self.pop}{method}={payment_info_hex}"

    def to_uri(self) -> str:
        """This URI's canonical text (see :func:`make_uri`)."""
        return make_uri(
            self.address,
            self.amount_sat,
            self.label,
            self.message,
            instructions=[(i.key, i.value) for i in self.instructions],
            extras=self.extras,
            pop=self.pop,
        )


# -- amounts -------------------------------------------------------------------------------------


def parse_uri_amount(text: str) -> int:
    """BIP21's ``amount`` (decimal BTC, the machine form) -> satoshis, exactly; UriError if
    it is not one."""
    if not text:
        raise UriError("the amount is empty; write it in BTC like amount=0.0015")
    try:
        sats = parse_amount(text, BTC, positive=False)
    except AmountError as exc:
        raise UriError(str(exc)) from None
    if sats == 0:
        raise UriError("the amount is zero; leave amount= out to let the payer choose")
    return sats


# -- percent-encoding ----------------------------------------------------------------------------


def _unquote(text: str, what: str) -> str:
    """Strict RFC 3986 percent-decoding to UTF-8 ('+' stays '+')."""
    if "%" not in text:
        return text
    out = bytearray()
    i = 0
    while i < len(text):
        c = text[i]
        if c == "%":
            pair = text[i + 1 : i + 3]
            if len(pair) != 2 or any(h not in _HEX for h in pair):
                raise UriError(
                    f"the {what} has a broken percent-escape {text[i : i + 3]!r} (a '%' must be "
                    "followed by two hex digits; write a literal '%' as %25)"
                )
            out.append(int(pair, 16))
            i += 3
        else:
            out += c.encode("utf-8")
            i += 1
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        raise UriError(f"the {what} is not valid UTF-8 text once percent-decoded") from None


def quote(text: str) -> str:
    """Percent-encode everything except RFC 3986's unreserved characters (UTF-8, upper hex)."""
    return "".join(
        c if c in _UNRESERVED else "".join(f"%{b:02X}" for b in c.encode("utf-8")) for c in text
    )


def _check_shown_text(text: str, what: str) -> None:
    """Text shown to the payer must not contain control or bidi characters that disguise it."""
    for c in text:
        if c in _BIDI_CONTROLS:
            raise UriError(
                f"the {what} contains a right-to-left control character (U+{ord(c):04X}) that "
                "could disguise what is shown"
            )
        if unicodedata.category(c) in ("Cc", "Cs"):
            raise UriError(f"the {what} contains a control character (U+{ord(c):04X})")


# -- addresses -----------------------------------------------------------------------------------


def _bech32_hrp(text: str) -> str | None:
    """The HRP if ``text`` is shaped like single-case bech32 (checksum not checked)."""
    if text != text.lower() and text != text.upper():
        return None
    low = text.lower()
    sep = low.rfind("1")
    if sep < 1 or len(low) - sep - 1 < 6 or any(c not in _BECH32 for c in low[sep + 1 :]):
        return None
    return low[:sep]


def _normalize_address(text: str, what: str) -> str:
    """Shape check without a network: base58 or single-case bech32 (lower-cased)."""
    hrp = _bech32_hrp(text)
    if hrp is not None and hrp in ADDRESS_KEYS:
        return text.lower()
    if 25 <= len(text) <= 35 and all(c in _BASE58 for c in text):
        return text
    shown = text if len(text) <= 40 else text[:37] + "..."
    raise UriError(f"the {what} {shown!r} is not a Bitcoin address")


def _check_address(text: str, network: Network, what: str) -> str:
    try:
        parsed = parse_address(text, network)
    except NetworkMismatchError as exc:
        raise UriError(str(exc)) from None
    except AddressError as exc:
        raise UriError(f"the {what} is not valid: {exc}") from None
    return parsed.address.lower() if _bech32_hrp(parsed.address) else parsed.address


def _lower_if_upper(value: str) -> str:
    """Bech32-based instructions (invoices, offers, addresses) read from upper-case QR text."""
    return value.lower() if value == value.upper() else value


# -- parsing -------------------------------------------------------------------------------------


def parse_uri(text: str, network: Network | str | None = None) -> PaymentURI:
    """Parse a ``bitcoin:`` URI; with ``network``, its body address must be of that network.

    Without a network only the shape of addresses is checked (the BIP examples use addresses
    with deliberately wrong checksums).
    """
    if not isinstance(text, str):
        raise UriError("a payment URI must be text")
    net = None if network is None else get_network(network)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise UriError("the URI contains characters that are not valid Unicode text") from None
    text = text.strip()
    if len(text) > MAX_URI_LENGTH:
        raise UriError(f"the URI is {len(text)} characters long; a payment URI is far shorter")
    if text[: len(SCHEME)].lower() != SCHEME:
        shown = text if len(text) <= 30 else text[:27] + "..."
        raise UriError(f"{shown!r} is not a bitcoin: payment URI (it must start with 'bitcoin:')")
    rest = text[len(SCHEME) :]
    if rest.startswith("//"):  # some wallets write bitcoin://address
        rest = rest[2:]
    if "#" in rest:
        raise UriError(
            "the URI contains '#', which a payment URI cannot hold unencoded (write it as %23)"
        )
    body, _, query = rest.partition("?")

    address: str | None = None
    body = _unquote(body, "address")
    if body:
        if net is not None:
            address = _check_address(body, net, "address")
        else:
            address = _normalize_address(body, "address")

    singles: dict[str, str] = {}
    pop: str | None = None
    instructions: list[PaymentInstruction] = []
    extras: list[tuple[str, str]] = []
    for part in query.split("&") if query else ():
        if not part:
            continue
        raw_key, has_value, raw_value = part.partition("=")
        key = _unquote(raw_key, "parameter name").lower()
        if not key:
            raise UriError(f"the parameter {part[:30]!r} has no name before '='")
        _check_shown_text(key, "parameter name")
        value = _unquote(raw_value, f"{key!r} parameter")
        if key in ("pop", "req-pop"):
            if pop is not None:
                raise UriError("the URI gives more than one proof-of-payment (pop) parameter")
            if key == "req-pop":
                raise UriError(
                    "this URI requires a proof-of-payment callback (req-pop), which Paylight "
                    "does not open; it must not be paid"
                )
            _check_shown_text(value, "pop parameter")
            pop = value
            continue
        if key.startswith("req-"):
            name = key[4:]
            if name not in _SINGLE_KEYS:
                raise UriError(
                    f"this URI requires {name!r} (req-{name}), which Paylight does not "
                    "understand, so it must not be paid"
                )
            key = name
        if key in _SINGLE_KEYS:
            if key in singles:
                raise UriError(f"the URI gives {key!r} more than once")
            if key == "amount" and not has_value:
                raise UriError("the amount parameter has no value; write it like amount=0.0015")
            _check_shown_text(value, key)
            singles[key] = value
        elif key in INSTRUCTION_KEYS or key in ADDRESS_KEYS:
            if not value:
                raise UriError(f"the {key!r} payment instruction is empty")
            _check_shown_text(value, f"{key!r} parameter")
            value = _lower_if_upper(value)
            if key in ADDRESS_KEYS:
                value = _check_keyed_address(key, value, net)
            instructions.append(PaymentInstruction(key, value))
        else:
            _check_shown_text(value, f"{key!r} parameter")
            extras.append((key, value))

    if address is None and not instructions:
        raise UriError(
            "the URI has no address and no payment instruction (such as lightning=); there is "
            "nothing to pay"
        )
    amount = parse_uri_amount(singles["amount"]) if "amount" in singles else None
    return PaymentURI(
        address=address,
        amount_sat=amount,
        label=singles.get("label"),
        message=singles.get("message"),
        pop=pop,
        instructions=tuple(instructions),
        extras=tuple(extras),
    )


def _check_keyed_address(key: str, value: str, net: Network | None) -> str:
    hrp = _bech32_hrp(value)
    if hrp is None:
        raise UriError(f"the {key!r} parameter holds {value[:40]!r}, which is not a segwit address")
    if hrp != key:
        raise UriError(
            f"the {key!r} parameter holds a {hrp!r} address; BIP321 puts each segwit address "
            f"under its own prefix ({hrp}=...)"
        )
    if net is not None and key == net.bech32_hrp:
        return _check_address(value, net, f"{key!r} address")
    return value


# -- generating ----------------------------------------------------------------------------------


def make_uri(
    address: str | None,
    amount_sat: int | None = None,
    label: str | None = None,
    message: str | None = None,
    *,
    network: Network | str | None = None,
    lightning: str | None = None,
    instructions: Iterable[tuple[str, str]] = (),
    extras: Sequence[tuple[str, str]] = (),
    pop: str | None = None,
) -> str:
    """Canonical URI text: ``bitcoin:ADDRESS?amount=..&label=..&message=..`` then the rest.

    With ``network`` the address is fully checked; bech32 addresses are written in lower case.
    ``extras`` are optional parameters of other specifications (lower-case keys).
    """
    net = None if network is None else get_network(network)
    parts: list[str] = []
    body = ""
    if address is not None:
        if not isinstance(address, str) or not address:
            raise UriError("the address must be non-empty text")
        body = (
            _check_address(address, net, "address")
            if net
            else _normalize_address(address, "address")
        )
    if amount_sat is not None:
        if isinstance(amount_sat, bool) or not isinstance(amount_sat, int):
            raise UriError("the amount is a whole number of satoshis")
        if not 0 < amount_sat <= MAX_MONEY:
            raise UriError(
                f"an amount of {amount_sat} satoshis is not payable (it must be above zero and "
                "at most 21 million BTC)"
            )
        parts.append(f"amount={format_btc(amount_sat)}")
    for key, value in (("label", label), ("message", message)):
        if value is not None:
            _check_shown_text(value, key)
            parts.append(f"{key}={quote(value)}")
    all_instructions = list(instructions)
    if lightning is not None:
        all_instructions.insert(0, ("lightning", lightning))
    for key, value in all_instructions:
        key = key.lower()
        if key not in INSTRUCTION_KEYS and key not in ADDRESS_KEYS:
            raise UriError(f"{key!r} is not a payment instruction this wallet knows")
        if not value:
            raise UriError(f"the {key!r} payment instruction is empty")
        _check_shown_text(value, f"{key!r} parameter")
        value = _lower_if_upper(value)
        if key in ADDRESS_KEYS:
            value = _check_keyed_address(key, value, net)
        parts.append(f"{key}={quote(value)}")
    for key, value in extras:
        reserved = (*_SINGLE_KEYS, "pop", *INSTRUCTION_KEYS, *ADDRESS_KEYS)
        if not key or key != key.lower() or key in reserved or key.startswith("req-"):
            raise UriError(
                f"{key!r} cannot be an extra parameter (use a lower-case key that is not a "
                "known or req- key)"
            )
        _check_shown_text(key, "parameter name")
        _check_shown_text(value, f"{key!r} parameter")
        parts.append(f"{quote(key)}={quote(value)}")
    if pop is not None:
        _check_shown_text(pop, "pop parameter")
        parts.append(f"pop={quote(pop)}")
    if not body and not all_instructions:
        raise UriError("a payment URI needs an address or a payment instruction")
    return SCHEME + body + ("?" + "&".join(parts) if parts else "")


__all__ = [
    "PaymentInstruction",
    "PaymentURI",
    "UriError",
    "make_uri",
    "parse_uri",
    "parse_uri_amount",
    "quote",
]
