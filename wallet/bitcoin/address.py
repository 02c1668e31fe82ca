"""Addresses: the text form of output scripts, per network.

Parsing refuses an address of another network with a message that names both, e.g. "this is a
testnet3/testnet4/signet address, but the wallet is on mainnet". Like Bitcoin Core, testnet3,
testnet4 and signet share one address format ('tb' and the same base58 versions), and regtest
shares the base58 versions with them but has its own HRP ('bcrt').
"""

from __future__ import annotations

from dataclasses import dataclass

from wallet.bitcoin import bech32
from wallet.bitcoin.base58 import b58check_decode, b58check_encode
from wallet.bitcoin.errors import AddressError, EncodingError, NetworkMismatchError
from wallet.bitcoin.hashes import hash160
from wallet.bitcoin.networks import NETWORKS, Network, get_network
from wallet.bitcoin.script import (
    ScriptType,
    classify,
    p2pkh_script,
    p2sh_script,
    p2wpkh_script,
    parse_witness_program,
)
from wallet.bitcoin.taproot import taproot_output_key

_BASE58_CHARS = frozenset("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")


@dataclass(frozen=True)
class ParsedAddress:
    """What an address pays to, and which family of networks it belongs to."""

    address: str
    script_pubkey: bytes
    script_type: ScriptType
    #: ``Network.address_family`` of the networks that accept it
    network_family: str


def _hrp_families() -> dict[str, str]:
    return {n.bech32_hrp: n.address_family for n in NETWORKS.values()}


def _base58_families() -> dict[int, tuple[str, ScriptType]]:
    out: dict[int, tuple[str, ScriptType]] = {}
    for n in NETWORKS.values():
        # regtest shares testnet's base58 versions; name the whole group
        family = "mainnet" if n.name == "mainnet" else "testnet3/testnet4/signet/regtest"
        out[n.p2pkh_version] = (family, ScriptType.P2PKH)
        out[n.p2sh_version] = (family, ScriptType.P2SH)
    return out


def _mismatch(found_family: str, net: Network) -> NetworkMismatchError:
    return NetworkMismatchError(
        f"this is a {found_family} address, but the wallet is on {net.name}"
    )


def parse_address(address: str, network: Network | str) -> ParsedAddress:
    """Parse any standard address of ``network`` into its scriptPubKey and type."""
    net = get_network(network)
    if not isinstance(address, str):
        raise AddressError("an address must be text")
    text = address.strip()
    if not text:
        raise AddressError("the address is empty")
    lowered = text.lower()
    sep = lowered.rfind("1")
    hrp = lowered[:sep] if sep > 0 else ""
    families = _hrp_families()
    if hrp in families:
        return _parse_segwit(text, hrp, families[hrp], net)
    if all(c in _BASE58_CHARS for c in text):
        return _parse_base58(text, net)
    if hrp:
        try:
            bech32.bech32_decode(text)
        except EncodingError:
            pass
        else:
            known = ", ".join(repr(h) for h in families)
            raise AddressError(
                f"address prefix {hrp!r} is not a Bitcoin network's (expected "
                f"{net.bech32_hrp!r} on {net.name}; known: {known})"
            )
    raise AddressError(f"{_preview(text)} is not a Bitcoin address (neither base58 nor bech32)")


def _parse_segwit(text: str, hrp: str, family: str, net: Network) -> ParsedAddress:
    try:
        _, version, program = bech32.decode_segwit(text)
    except EncodingError as exc:
        raise AddressError(f"invalid address: {exc}") from None
    if hrp != net.bech32_hrp:
        raise _mismatch(family, net)
    op = 0 if version == 0 else 0x50 + version
    script = bytes([op, len(program)]) + program
    return ParsedAddress(text, script, classify(script), net.address_family)


def _parse_base58(text: str, net: Network) -> ParsedAddress:
    try:
        payload = b58check_decode(text)
    except EncodingError as exc:
        raise AddressError(f"invalid address: {exc}") from None
    if len(payload) != 21:
        raise AddressError(
            f"a base58 address holds 21 bytes, this one {len(payload)}; it is not an address"
        )
    version, body = payload[0], payload[1:]
    if version == net.p2pkh_version:
        return ParsedAddress(text, p2pkh_script(body), ScriptType.P2PKH, net.address_family)
    if version == net.p2sh_version:
        return ParsedAddress(text, p2sh_script(body), ScriptType.P2SH, net.address_family)
    known = _base58_families().get(version)
    if known is not None:
        raise _mismatch(known[0], net)
    raise AddressError(f"base58 version byte {version} is not a Bitcoin address version")


def address_to_script(address: str, network: Network | str) -> bytes:
    """The scriptPubKey an address pays to (refusing other networks' addresses)."""
    return parse_address(address, network).script_pubkey


def script_to_address(script: bytes, network: Network | str) -> str:
    """The address of a standard output script; AddressError if it has no address form."""
    net = get_network(network)
    script = bytes(script)
    kind = classify(script)
    if kind is ScriptType.P2PKH:
        return b58check_encode(bytes([net.p2pkh_version]) + script[3:23])
    if kind is ScriptType.P2SH:
        return b58check_encode(bytes([net.p2sh_version]) + script[2:22])
    wp = parse_witness_program(script)
    if wp is not None:
        try:
            return bech32.encode_segwit_address(net.bech32_hrp, *wp)
        except EncodingError as exc:
            raise AddressError(f"this witness output has no address form: {exc}") from None
    raise AddressError(f"a {kind.value} output script has no address form")


def _compressed(pubkey33: bytes) -> bytes:
    pubkey33 = bytes(pubkey33)
    if len(pubkey33) != 33 or pubkey33[0] not in (2, 3):
        raise AddressError("a compressed public key (33 bytes starting 02 or 03) is required")
    return pubkey33


def p2pkh_address(pubkey: bytes, network: Network | str) -> str:
    """Legacy address of a public key (compressed, or 65-byte uncompressed)."""
    pubkey = bytes(pubkey)
    if not (len(pubkey) == 33 and pubkey[0] in (2, 3)) and not (
        len(pubkey) == 65 and pubkey[0] == 4
    ):
        raise AddressError("a public key must be 33 bytes (02/03) or 65 bytes (04)")
    net = get_network(network)
    return b58check_encode(bytes([net.p2pkh_version]) + hash160(pubkey))


def p2wpkh_redeem_script(pubkey33: bytes) -> bytes:
    """The P2SH-P2WPKH redeem script: the P2WPKH output script of the key."""
    return p2wpkh_script(hash160(_compressed(pubkey33)))


def p2sh_p2wpkh_address(pubkey33: bytes, network: Network | str) -> str:
    net = get_network(network)
    redeem = p2wpkh_redeem_script(pubkey33)
    return b58check_encode(bytes([net.p2sh_version]) + hash160(redeem))


def p2wpkh_address(pubkey33: bytes, network: Network | str) -> str:
    net = get_network(network)
    return bech32.encode_segwit_address(net.bech32_hrp, 0, hash160(_compressed(pubkey33)))


def p2tr_address(
    internal_xonly: bytes, network: Network | str, merkle_root: bytes | None = None
) -> str:
    """BIP86 (no script tree) or BIP341 address of an x-only internal key."""
    net = get_network(network)
    output_key, _ = taproot_output_key(bytes(internal_xonly), merkle_root)
    return bech32.encode_segwit_address(net.bech32_hrp, 1, output_key)


def _preview(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")
