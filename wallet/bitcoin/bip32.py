"""BIP32 hierarchical deterministic keys on libsecp256k1 (coincurve).

Reads xprv/xpub/tprv/tpub and the SLIP-132 forms (yprv/ypub/zprv/zpub, uprv/upub/vprv/vpub),
remembering the script type a SLIP-132 prefix implies. Every invalid key of BIP32's test vector 5
raises :class:`KeyDerivationError` with the reason; a key of another network raises
:class:`ExtendedKeyNetworkError`, which is both a KeyDerivationError and a NetworkMismatchError.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from coincurve import PrivateKey, PublicKey

from wallet.bitcoin.base58 import b58check_decode, b58check_encode
from wallet.bitcoin.errors import EncodingError, KeyDerivationError, NetworkMismatchError
from wallet.bitcoin.hashes import hash160
from wallet.bitcoin.keys import SECP256K1_ORDER
from wallet.bitcoin.networks import MAINNET, NETWORKS, Network, get_network
from wallet.bitcoin.script import ScriptType

HARDENED = 0x80000000
#: The script type each SLIP-132 prefix letter implies (x/t imply none).
_PREFIX_SCRIPT_TYPE: dict[str, ScriptType | None] = {
    "x": None,
    "t": None,
    "y": ScriptType.P2SH_P2WPKH,
    "u": ScriptType.P2SH_P2WPKH,
    "z": ScriptType.P2WPKH,
    "v": ScriptType.P2WPKH,
}


class ExtendedKeyNetworkError(NetworkMismatchError, KeyDerivationError):
    """An extended key whose version bytes belong to another network."""


def _family(net: Network) -> str:
    # all test networks share the extended key versions
    return "mainnet" if net.name == "mainnet" else "testnet3/testnet4/signet/regtest"


def _version_table() -> dict[bytes, tuple[str, bool, Network]]:
    """version bytes -> (prefix, is_private, a network of that family)."""
    table: dict[bytes, tuple[str, bool, Network]] = {}
    for net in NETWORKS.values():
        for prefix, version in net.slip132_public.items():
            table.setdefault(version, (prefix, False, net))
        for prefix, version in net.slip132_private.items():
            table.setdefault(version, (prefix, True, net))
    return table


_VERSIONS = _version_table()


def parse_path(path: str | Sequence[int]) -> list[int]:
    """``"m/84'/0'/0'/0/5"`` (or ``84h/0h``, or a list of ints) as child numbers."""
    if not isinstance(path, str):
        out = [int(i) for i in path]
        for i in out:
            if not 0 <= i < 2**32:
                raise KeyDerivationError(f"child number {i} is outside 0..2^32-1")
        return out
    text = path.strip()
    parts = text.split("/") if text else []
    if parts and parts[0] in ("m", "M"):
        parts = parts[1:]
    out = []
    for pos, part in enumerate(parts):
        hardened = part[-1:] in ("'", "h", "H")
        digits = part[:-1] if hardened else part
        if not digits.isdigit() or not digits.isascii() or (len(digits) > 1 and digits[0] == "0"):
            raise KeyDerivationError(
                f"path step {pos + 1}, {part!r}, is not a number (optionally followed by ' or h)"
            )
        index = int(digits)
        if index >= HARDENED:
            raise KeyDerivationError(
                f"path step {pos + 1}, {part!r}, is too large: indices go up to 2147483647"
            )
        out.append(index + HARDENED if hardened else index)
    return out


def format_path(path: Sequence[int], marker: str = "'", prefix: str = "m") -> str:
    """``[2147483732, 0]`` -> ``"m/84'/0"``; ``prefix=""`` gives ``"84'/0"``."""
    steps = [f"{i - HARDENED}{marker}" if i >= HARDENED else str(i) for i in path]
    return "/".join([prefix, *steps] if prefix else steps)


@dataclass(frozen=True, eq=True)
class ExtendedKey:
    """An extended private or public key. ``repr`` never shows private material."""

    network: Network
    depth: int
    parent_fingerprint: bytes
    child_number: int
    chain_code: bytes = field(repr=False)
    #: 32-byte secret for a private key, 33-byte compressed point for a public key
    key: bytes = field(repr=False)
    is_private: bool
    #: the base58 prefix this key was read as ("xpub", "zprv", ...), kept on derivation
    prefix: str = ""

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def from_seed(cls, seed: bytes, network: Network | str = MAINNET) -> ExtendedKey:
        """The master key of a BIP32 seed (16..64 bytes)."""
        seed = bytes(seed)
        if not 16 <= len(seed) <= 64:
            raise KeyDerivationError(f"a BIP32 seed is 16 to 64 bytes, got {len(seed)}")
        net = get_network(network)
        digest = hmac.new(b"Bitcoin seed", seed, hashlib.sha512).digest()
        secret, chain = digest[:32], digest[32:]
        if not 0 < int.from_bytes(secret, "big") < SECP256K1_ORDER:
            raise KeyDerivationError("this seed gives an invalid master key; use another seed")
        return cls(
            net, 0, b"\x00" * 4, 0, chain, secret, True, "xprv" if not net.is_test else "tprv"
        )

    @classmethod
    def parse(cls, text: str, network: Network | str | None = None) -> ExtendedKey:
        """Read a base58 extended key; with ``network``, refuse keys of another network.

        The script type implied by a SLIP-132 prefix is ``key.script_type``.
        """
        if not isinstance(text, str):
            raise KeyDerivationError("an extended key must be text")
        try:
            raw = b58check_decode(text.strip())
        except EncodingError as exc:
            raise KeyDerivationError(f"invalid extended key: {exc}") from None
        return cls.from_bytes(raw, network)

    @classmethod
    def from_bytes(cls, raw: bytes, network: Network | str | None = None) -> ExtendedKey:
        """Read the 78-byte serialization (as in PSBT_GLOBAL_XPUB)."""
        raw = bytes(raw)
        if len(raw) != 78:
            raise KeyDerivationError(
                f"an extended key holds 78 bytes, this one {len(raw)}; it is not an xpub/xprv"
            )
        version = raw[:4]
        entry = _VERSIONS.get(version)
        if entry is None:
            raise KeyDerivationError(
                f"unknown extended key version {version.hex()} (not xpub/xprv/tpub/tprv or "
                "SLIP-132 y/z/u/v)"
            )
        prefix, is_private, key_net = entry
        net = key_net if network is None else get_network(network)
        if _family(net) != _family(key_net):
            raise ExtendedKeyNetworkError(
                f"this is a {_family(key_net)} extended key ({prefix}), but the wallet is on "
                f"{net.name}"
            )
        depth = raw[4]
        parent_fp = raw[5:9]
        child_number = int.from_bytes(raw[9:13], "big")
        chain_code = raw[13:45]
        key_data = raw[45:78]
        if depth == 0 and parent_fp != b"\x00" * 4:
            raise KeyDerivationError(
                "invalid extended key: depth is 0 (a master key) but the parent fingerprint is "
                f"{parent_fp.hex()}, not 00000000"
            )
        if depth == 0 and child_number != 0:
            raise KeyDerivationError(
                f"invalid extended key: depth is 0 (a master key) but the child index is "
                f"{child_number}, not 0"
            )
        if is_private:
            if key_data[0] != 0:
                hint = (
                    " (public key data under a private version?)" if key_data[0] in (2, 3) else ""
                )
                raise KeyDerivationError(
                    f"invalid extended private key: key data must start with 00, found "
                    f"{key_data[0]:02x}{hint}"
                )
            secret = key_data[1:]
            if not 0 < int.from_bytes(secret, "big") < SECP256K1_ORDER:
                raise KeyDerivationError(
                    "invalid extended private key: the private key is not in 1..n-1"
                )
            return cls(net, depth, parent_fp, child_number, chain_code, secret, True, prefix)
        if key_data[0] not in (2, 3):
            hint = " (private key data under a public version?)" if key_data[0] == 0 else ""
            raise KeyDerivationError(
                "invalid extended public key: key data must start with 02 or 03, found "
                f"{key_data[0]:02x}{hint}"
            )
        try:
            PublicKey(key_data)
        except ValueError:
            raise KeyDerivationError(
                f"invalid extended public key: {key_data.hex()} is not a point on secp256k1"
            ) from None
        return cls(net, depth, parent_fp, child_number, chain_code, key_data, False, prefix)

    # -- properties ---------------------------------------------------------------------------

    @property
    def secret(self) -> bytes:
        if not self.is_private:
            raise KeyDerivationError("this is a public extended key; it has no private key")
        return self.key

    @cached_property
    def public_key(self) -> bytes:
        """33-byte compressed public key."""
        if self.is_private:
            return PrivateKey(self.key).public_key.format(compressed=True)
        return self.key

    @cached_property
    def identifier(self) -> bytes:
        return hash160(self.public_key)

    @property
    def fingerprint(self) -> bytes:
        """First 4 bytes of hash160(public key): the parent fingerprint of its children."""
        return self.identifier[:4]

    @property
    def script_type(self) -> ScriptType | None:
        """The script type a SLIP-132 prefix implies (None for xpub/tpub)."""
        return _PREFIX_SCRIPT_TYPE.get(self.prefix[:1]) if self.prefix else None

    # -- serialization ------------------------------------------------------------------------

    def _default_prefix(self) -> str:
        letter = self.prefix[:1] or ("t" if self.network.is_test else "x")
        return letter + ("prv" if self.is_private else "pub")

    def version_bytes(self, version: bytes | str | None = None) -> bytes:
        if isinstance(version, bytes):
            return version
        prefix = version or self._default_prefix()
        table = self.network.slip132_private if self.is_private else self.network.slip132_public
        if prefix not in table:
            raise KeyDerivationError(
                f"{prefix!r} is not a {'private' if self.is_private else 'public'} key prefix "
                f"on {self.network.name}"
            )
        return table[prefix]

    def to_bytes(self, version: bytes | str | None = None) -> bytes:
        """The 78-byte serialization."""
        key_data = b"\x00" + self.key if self.is_private else self.key
        return (
            self.version_bytes(version)
            + bytes([self.depth])
            + self.parent_fingerprint
            + self.child_number.to_bytes(4, "big")
            + self.chain_code
            + key_data
        )

    def serialize(self, version: bytes | str | None = None) -> str:
        """Base58 form; ``version`` is raw bytes or a prefix name ("xpub", "zpub", "tprv", ...).

        By default the prefix the key was read with (xpub/tpub-style for new keys).
        """
        return b58check_encode(self.to_bytes(version))

    def __str__(self) -> str:
        return self.serialize() if not self.is_private else repr(self)

    # -- derivation ---------------------------------------------------------------------------

    def neuter(self) -> ExtendedKey:
        """The extended public key (prefix xprv->xpub, zprv->zpub, ...)."""
        if not self.is_private:
            return self
        prefix = self.prefix[:1] + "pub" if self.prefix else ""
        return ExtendedKey(
            self.network,
            self.depth,
            self.parent_fingerprint,
            self.child_number,
            self.chain_code,
            self.public_key,
            False,
            prefix,
        )

    def derive_child(self, index: int) -> ExtendedKey:
        """CKDpriv or CKDpub; indices >= 2^31 are hardened (private keys only)."""
        if not 0 <= index < 2**32:
            raise KeyDerivationError(f"child index {index} is outside 0..2^32-1")
        if self.depth >= 255:
            raise KeyDerivationError("cannot derive below depth 255")
        if index >= HARDENED:
            if not self.is_private:
                raise KeyDerivationError(
                    f"cannot derive hardened child {index - HARDENED}' from a public key"
                )
            data = b"\x00" + self.key + index.to_bytes(4, "big")
        else:
            data = self.public_key + index.to_bytes(4, "big")
        digest = hmac.new(self.chain_code, data, hashlib.sha512).digest()
        il, chain = digest[:32], digest[32:]
        tweak = int.from_bytes(il, "big")
        if tweak >= SECP256K1_ORDER:
            raise KeyDerivationError(f"child {index} is invalid (BIP32: skip to the next index)")
        if self.is_private:
            child = (int.from_bytes(self.key, "big") + tweak) % SECP256K1_ORDER
            if child == 0:
                raise KeyDerivationError(
                    f"child {index} is invalid (BIP32: skip to the next index)"
                )
            key = child.to_bytes(32, "big")
        else:
            try:
                key = PublicKey(self.key).add(il).format(compressed=True)
            except ValueError:
                raise KeyDerivationError(
                    f"child {index} is invalid (BIP32: skip to the next index)"
                ) from None
        return ExtendedKey(
            self.network,
            self.depth + 1,
            self.fingerprint,
            index,
            chain,
            key,
            self.is_private,
            self.prefix,
        )

    def derive_path(self, path: str | Sequence[int]) -> ExtendedKey:
        """Derive along ``"m/84'/0'/0'/0/5"`` (relative to this key) or a list of indices."""
        key = self
        for index in parse_path(path):
            key = key.derive_child(index)
        return key

    def __hash__(self) -> int:
        return hash((self.network.name, self.depth, self.child_number, self.chain_code, self.key))

    def __repr__(self) -> str:
        kind = "private" if self.is_private else "public"
        return (
            f"ExtendedKey({kind}, {self.network.name}, depth={self.depth}, "
            f"fingerprint={self.fingerprint.hex()}, child={self.child_number})"
        )


#: Aliases for readers who prefer the split names.
ExtendedPrivateKey = ExtendedKey
ExtendedPublicKey = ExtendedKey


def parse_extended_key(
    text: str, network: Network | str | None = None
) -> tuple[ExtendedKey, ScriptType | None]:
    """``(key, script type its prefix implies or None)``."""
    key = ExtendedKey.parse(text, network)
    return key, key.script_type
