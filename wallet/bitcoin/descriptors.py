"""Output script descriptors (BIP380-386): ``pkh``, ``wpkh``, ``sh(wpkh)``, ``tr`` (key path),
plus ``addr`` and ``raw``, with key origins, ranged and multipath (``/<0;1>/*``) keys, and the
BIP380 checksum.

A descriptor gives, per index, the scriptPubKey, the address and, for every key in it, the
(public key, master fingerprint, full path) triple that PSBTs and the wallet need. Private
descriptors (xprv/WIF) parse, but nothing here puts private material into an error message, and
``str()`` gives the public form.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from wallet.bitcoin.address import address_to_script, script_to_address
from wallet.bitcoin.bip32 import HARDENED, ExtendedKey, format_path, parse_path
from wallet.bitcoin.errors import (
    BitcoinError,
    DescriptorError,
    KeyDerivationError,
    NetworkMismatchError,
)
from wallet.bitcoin.hashes import hash160
from wallet.bitcoin.keys import pubkey_from_secret, validate_pubkey, wif_decode
from wallet.bitcoin.networks import MAINNET, TESTNET3, Network, get_network
from wallet.bitcoin.script import ScriptType, p2pkh_script, p2sh_script, p2tr_script, p2wpkh_script
from wallet.bitcoin.taproot import taproot_output_key

# -- BIP380 checksum -----------------------------------------------------------------------------

INPUT_CHARSET = (
    "0123456789()[],'/*abcdefgh@:$%{}"
    "IJKLMNOPQRSTUVWXYZ&+-.;<=>?!^_|~"
    'ijklmnopqrstuvwxyzABCDEFGH`#"\\ '
)
CHECKSUM_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_INPUT_INDEX = {c: i for i, c in enumerate(INPUT_CHARSET)}
_GENERATOR = (0xF5DEE51989, 0xA9FDCA3312, 0x1BAB10E32D, 0x3706B1677A, 0x644D626FFD)


def _polymod(symbols: Sequence[int]) -> int:
    chk = 1
    for value in symbols:
        top = chk >> 35
        chk = (chk & 0x7FFFFFFFF) << 5 ^ value
        for i in range(5):
            if (top >> i) & 1:
                chk ^= _GENERATOR[i]
    return chk


def _expand(text: str) -> list[int]:
    symbols: list[int] = []
    groups: list[int] = []
    for pos, c in enumerate(text):
        v = _INPUT_INDEX.get(c)
        if v is None:
            raise DescriptorError(
                f"character {c!r} at position {pos + 1} is not allowed in a descriptor"
            )
        symbols.append(v & 31)
        groups.append(v >> 5)
        if len(groups) == 3:
            symbols.append(groups[0] * 9 + groups[1] * 3 + groups[2])
            groups = []
    if len(groups) == 1:
        symbols.append(groups[0])
    elif len(groups) == 2:
        symbols.append(groups[0] * 3 + groups[1])
    return symbols


def descriptor_checksum(text: str) -> str:
    """The 8-character BIP380 checksum of a descriptor (without its ``#...`` part)."""
    c = _polymod([*_expand(text), 0, 0, 0, 0, 0, 0, 0, 0]) ^ 1
    return "".join(CHECKSUM_CHARSET[(c >> (5 * (7 - i))) & 31] for i in range(8))


def add_checksum(text: str) -> str:
    """``text#checksum`` (an existing checksum is replaced)."""
    body = text.split("#", 1)[0]
    return f"{body}#{descriptor_checksum(body)}"


def split_checksum(text: str, require: bool = False) -> str:
    """Check the ``#checksum`` suffix if present (or required) and return the body."""
    if "#" not in text:
        if require:
            raise DescriptorError("the descriptor has no '#' checksum at the end")
        return text
    body, found = text.split("#", 1)
    if len(found) != 8:
        raise DescriptorError(
            f"a descriptor checksum is 8 characters after '#', found {len(found)}"
        )
    expected = descriptor_checksum(body)
    if found != expected:
        raise DescriptorError(
            f"the descriptor checksum is wrong: expected #{expected}, found #{found}; the "
            "descriptor was changed or mistyped"
        )
    return body


# -- keys ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DerivedKey:
    """One key of a descriptor at one index, with its BIP32 origin."""

    #: 33-byte compressed (65 uncompressed in pkh; 32 x-only if written so in tr)
    pubkey: bytes
    #: master key fingerprint (the origin's, or the key's own if no origin was given)
    fingerprint: bytes
    #: full path from that master key
    path: tuple[int, ...]

    @property
    def xonly(self) -> bytes:
        return self.pubkey[-32:] if len(self.pubkey) == 32 else self.pubkey[1:33]

    @property
    def path_str(self) -> str:
        return format_path(self.path)


@dataclass(frozen=True)
class DescriptorKey:
    """A KEY expression: ``[fingerprint/origin]`` + hex/WIF/xpub/xprv + ``/steps`` + ``/*``."""

    origin_fingerprint: bytes | None
    origin_path: tuple[int, ...]
    #: a fixed public key (hex or from WIF), or None for an extended key
    pubkey: bytes | None = None
    extended: ExtendedKey | None = None
    #: derivation steps after the extended key; a step may be a multipath tuple
    steps: tuple[int | tuple[int, ...], ...] = ()
    #: None, "unhardened" (``/*``) or "hardened" (``/*'``)
    wildcard: str | None = None
    #: set when the key was given as WIF (never shown)
    secret: bytes | None = field(default=None, repr=False)
    #: how a hex key was written (for ``str``); "xonly" keys in tr()
    xonly_written: bool = False

    @property
    def is_ranged(self) -> bool:
        return self.wildcard is not None

    @property
    def is_private(self) -> bool:
        return self.secret is not None or (self.extended is not None and self.extended.is_private)

    @property
    def multipath_width(self) -> int:
        widths = {len(s) for s in self.steps if isinstance(s, tuple)}
        return widths.pop() if widths else 1

    def select_path(self, which: int) -> DescriptorKey:
        steps = tuple(s[which] if isinstance(s, tuple) else s for s in self.steps)
        return replace(self, steps=steps)

    def derive(self, index: int | None = None) -> DerivedKey:
        if self.multipath_width > 1:
            raise DescriptorError("expand the multipath descriptor (<a;b>) before deriving keys")
        if self.is_ranged:
            if index is None:
                raise DescriptorError("this descriptor is ranged (/*): give an index")
            if not 0 <= index < HARDENED:
                raise DescriptorError(f"index {index} is outside 0..2147483647")
        if self.extended is None:
            assert self.pubkey is not None
            fp = self.origin_fingerprint
            if fp is None:
                fp = hash160(self.pubkey)[:4]
            return DerivedKey(self.pubkey, fp, self.origin_path)
        key = _derive_cached(self.extended, tuple(self.steps))  # type: ignore[arg-type]
        tail: list[int] = []
        if self.is_ranged:
            assert index is not None
            child = index + HARDENED if self.wildcard == "hardened" else index
            key = key.derive_child(child)
            tail.append(child)
        if self.origin_fingerprint is not None:
            fp = self.origin_fingerprint
            path = (*self.origin_path, *self.steps, *tail)
        else:
            fp = self.extended.fingerprint
            path = (*self.steps, *tail)
        return DerivedKey(key.public_key, fp, path)  # type: ignore[arg-type]

    def to_string(self, private: bool = False) -> str:
        origin = ""
        if self.origin_fingerprint is not None:
            inner = "/".join([self.origin_fingerprint.hex(), *_fmt_steps(self.origin_path)])
            origin = f"[{inner}]"
        if self.extended is None:
            if private and self.secret is not None:
                raise DescriptorError("writing WIF keys back out is not supported")
            assert self.pubkey is not None
            return origin + self.pubkey.hex()
        ext = self.extended
        steps = list(self.steps)
        if not private and ext.is_private:
            # fold leading hardened steps into the origin so the public form still derives
            fold: list[int] = []
            while steps and isinstance(steps[0], int) and steps[0] >= HARDENED:
                step = steps.pop(0)
                assert isinstance(step, int)
                fold.append(step)
            if any(isinstance(s, int) and s >= HARDENED for s in steps) or (
                self.wildcard == "hardened"
            ):
                raise DescriptorError(
                    "this private descriptor has hardened steps after a non-hardened one; it "
                    "has no public form"
                )
            if fold:
                fp = self.origin_fingerprint or ext.fingerprint
                base = (*self.origin_path, *fold) if self.origin_fingerprint else tuple(fold)
                ext = ext.derive_path(fold)
                origin = "[" + "/".join([fp.hex(), *_fmt_steps(base)]) + "]"
            ext = ext.neuter()
        version = ("t" if ext.network.is_test else "x") + ("prv" if ext.is_private else "pub")
        text = origin + ext.serialize(version)
        for step in steps:
            if isinstance(step, tuple):
                text += "/<" + ";".join(_fmt_steps(step)) + ">"
            else:
                text += "/" + _fmt_steps([step])[0]
        if self.wildcard:
            text += "/*" + ("'" if self.wildcard == "hardened" else "")
        return text


_DERIVE_CACHE: dict[tuple[ExtendedKey, tuple[int, ...]], ExtendedKey] = {}


def _derive_cached(key: ExtendedKey, steps: tuple[int, ...]) -> ExtendedKey:
    """Derivation down to the wildcard's parent, kept so N addresses cost N child derivations."""
    cache_key = (key, steps)
    found = _DERIVE_CACHE.get(cache_key)
    if found is None:
        if len(_DERIVE_CACHE) > 256:
            _DERIVE_CACHE.clear()
        found = key.derive_path(list(steps)) if steps else key
        _DERIVE_CACHE[cache_key] = found
    return found


def _fmt_steps(steps: Sequence[int]) -> list[str]:
    return format_path(steps, prefix="").split("/") if steps else []


_HEX = re.compile(r"^[0-9a-fA-F]*$")


def _parse_key(text: str, ctx: str, net: Network | None) -> tuple[DescriptorKey, Network | None]:
    """Parse a KEY expression; returns the key and the network its encoding implies."""
    origin_fp: bytes | None = None
    origin_path: tuple[int, ...] = ()
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            raise DescriptorError("key origin '[' has no closing ']'")
        origin, text = text[1:end], text[end + 1 :]
        fp_text, _, path_text = origin.partition("/")
        if len(fp_text) != 8 or not _HEX.match(fp_text):
            raise DescriptorError(
                f"key origin fingerprint must be 8 hex characters, found {fp_text!r}"
            )
        origin_fp = bytes.fromhex(fp_text)
        try:
            origin_path = tuple(parse_path(path_text))
        except KeyDerivationError as exc:
            raise DescriptorError(f"key origin path: {exc}") from None
    parts = text.split("/")
    head, steps_text = parts[0], parts[1:]
    if not head:
        raise DescriptorError(f"{ctx}() has an empty key")
    # fixed public key in hex
    if _HEX.match(head) and len(head) in (64, 66, 130):
        if steps_text:
            raise DescriptorError("a hex public key cannot have derivation steps")
        raw = bytes.fromhex(head)
        xonly_written = len(raw) == 32
        if xonly_written:
            if ctx != "tr":
                raise DescriptorError("an x-only (32-byte) key is only allowed in tr()")
            raw_check = b"\x02" + raw
        else:
            raw_check = raw
        try:
            validate_pubkey(raw_check)
        except KeyDerivationError as exc:
            raise DescriptorError(f"invalid public key in {ctx}(): {exc}") from None
        if len(raw) == 65 and ctx != "pkh":
            raise DescriptorError(f"uncompressed public keys are not allowed in {ctx}()")
        key = DescriptorKey(origin_fp, origin_path, pubkey=raw, xonly_written=xonly_written)
        return key, None
    # extended key
    if head[1:4] in ("pub", "prv"):
        try:
            ext = ExtendedKey.parse(head, net)
        except NetworkMismatchError:
            raise
        except KeyDerivationError as exc:
            raise DescriptorError(f"invalid extended key in {ctx}(): {exc}") from None
        steps: list[int | tuple[int, ...]] = []
        wildcard = None
        for pos, step in enumerate(steps_text):
            if wildcard is not None:
                raise DescriptorError("'*' must be the last derivation step")
            if step in ("*", "*'", "*h", "*H"):
                wildcard = "unhardened" if step == "*" else "hardened"
                continue
            if step.startswith("<") and step.endswith(">"):
                alternatives = step[1:-1].split(";")
                if len(alternatives) < 2:
                    raise DescriptorError("a multipath step <a;b> needs at least two indices")
                try:
                    values = tuple(parse_path("/".join(alternatives)))
                except KeyDerivationError as exc:
                    raise DescriptorError(f"multipath step {step!r}: {exc}") from None
                if len(set(values)) != len(values):
                    raise DescriptorError(f"multipath step {step!r} repeats an index")
                steps.append(values)
                continue
            try:
                (index,) = parse_path(step)
            except (KeyDerivationError, ValueError):
                raise DescriptorError(
                    f"derivation step {pos + 1} after the key, {step!r}, is not a number, "
                    "'*' or <a;b>"
                ) from None
            steps.append(index)
        if sum(isinstance(s, tuple) for s in steps) > 1:
            raise DescriptorError("a key may have only one multipath <a;b> step")
        if not ext.is_private and (wildcard == "hardened" or any(_is_hardened(s) for s in steps)):
            raise DescriptorError(
                "hardened derivation needs a private key (xprv); this key is an xpub"
            )
        key = DescriptorKey(
            origin_fp, origin_path, extended=ext, steps=tuple(steps), wildcard=wildcard
        )
        return key, ext.network
    # WIF private key
    if len(head) in (51, 52) and not steps_text:
        wif_net = net or MAINNET
        try:
            try:
                secret, compressed = wif_decode(head, wif_net)
            except NetworkMismatchError:
                if net is not None:
                    raise
                wif_net = TESTNET3  # no network given: a test-network key sets it
                secret, compressed = wif_decode(head, wif_net)
        except NetworkMismatchError:
            raise
        except BitcoinError:
            raise DescriptorError(
                f"{ctx}() has a key that is not a valid WIF private key"
            ) from None
        pub = pubkey_from_secret(secret, compressed)
        if not compressed and ctx != "pkh":
            raise DescriptorError(f"uncompressed keys are not allowed in {ctx}()")
        return DescriptorKey(origin_fp, origin_path, pubkey=pub, secret=secret), wif_net
    shown = head if len(head) <= 12 else head[:8] + "..."
    raise DescriptorError(
        f"{ctx}() key {shown!r} is not a hex public key, an xpub/xprv or a WIF key"
    )


def _is_hardened(step: int | tuple[int, ...]) -> bool:
    values = step if isinstance(step, tuple) else (step,)
    return any(v >= HARDENED for v in values)


# -- descriptors ---------------------------------------------------------------------------------

#: descriptor kind -> the script type it produces
KIND_SCRIPT_TYPE = {
    "pkh": ScriptType.P2PKH,
    "wpkh": ScriptType.P2WPKH,
    "sh-wpkh": ScriptType.P2SH_P2WPKH,
    "tr": ScriptType.P2TR,
}


@dataclass(frozen=True)
class DerivedOutput:
    index: int | None
    script_pubkey: bytes
    keys: tuple[DerivedKey, ...]


@dataclass(frozen=True)
class Descriptor:
    """A parsed descriptor. ``kind`` is pkh, wpkh, sh-wpkh, tr, addr or raw."""

    kind: str
    network: Network
    key: DescriptorKey | None = None
    #: for addr(): the address; for raw(): the script
    address_text: str | None = None
    raw_script: bytes | None = None

    # -- properties --

    @property
    def is_ranged(self) -> bool:
        return self.key is not None and self.key.is_ranged

    @property
    def is_multipath(self) -> bool:
        return self.key is not None and self.key.multipath_width > 1

    @property
    def has_private_keys(self) -> bool:
        return self.key is not None and self.key.is_private

    @property
    def script_type(self) -> ScriptType | None:
        return KIND_SCRIPT_TYPE.get(self.kind)

    def split_multipath(self) -> list[Descriptor]:
        """``/<0;1>/*`` -> [receive descriptor, change descriptor]; a single one otherwise."""
        if not self.is_multipath:
            return [self]
        assert self.key is not None
        return [replace(self, key=self.key.select_path(i)) for i in range(self.key.multipath_width)]

    # -- derivation --

    def derive(self, index: int | None = None) -> DerivedOutput:
        """scriptPubKey and key origins at ``index`` (ignored/None for non-ranged)."""
        if self.kind == "raw":
            assert self.raw_script is not None
            return DerivedOutput(index, self.raw_script, ())
        if self.kind == "addr":
            assert self.address_text is not None
            return DerivedOutput(index, address_to_script(self.address_text, self.network), ())
        assert self.key is not None
        dk = self.key.derive(index if self.is_ranged else None)
        pub = dk.pubkey
        if self.kind == "pkh":
            script = p2pkh_script(hash160(pub))
        elif self.kind == "wpkh":
            script = p2wpkh_script(hash160(pub))
        elif self.kind == "sh-wpkh":
            script = p2sh_script(hash160(p2wpkh_script(hash160(pub))))
        elif self.kind == "tr":
            output_key, _ = taproot_output_key(dk.xonly)
            script = p2tr_script(output_key)
        else:  # pragma: no cover - parse() admits no other kinds
            raise DescriptorError(f"unknown descriptor kind {self.kind!r}")
        return DerivedOutput(index if self.is_ranged else None, script, (dk,))

    def script_pubkey(self, index: int | None = None) -> bytes:
        return self.derive(index).script_pubkey

    def address(self, index: int | None = None, network: Network | str | None = None) -> str:
        net = self.network if network is None else get_network(network)
        if network is not None and _family(net) != _family(self.network):
            raise NetworkMismatchError(
                f"this descriptor is for {_family(self.network)}, but the wallet is on {net.name}"
            )
        return script_to_address(self.script_pubkey(index), net)

    def key_origins(self, index: int | None = None) -> list[DerivedKey]:
        """(pubkey, master fingerprint, full path) for each key at ``index``."""
        return list(self.derive(index).keys)

    # -- text --

    def to_string(self, private: bool = False, checksum: bool = True) -> str:
        if self.kind == "raw":
            assert self.raw_script is not None
            body = f"raw({self.raw_script.hex()})"
        elif self.kind == "addr":
            body = f"addr({self.address_text})"
        else:
            assert self.key is not None
            inner = self.key.to_string(private)
            body = f"sh(wpkh({inner}))" if self.kind == "sh-wpkh" else f"{self.kind}({inner})"
        return add_checksum(body) if checksum else body

    def __str__(self) -> str:
        return self.to_string()

    def __hash__(self) -> int:
        return hash((self.kind, self.network.name, self.key, self.address_text, self.raw_script))

    def __repr__(self) -> str:
        try:
            return f"Descriptor({self.to_string()!r})"
        except DescriptorError:
            return f"Descriptor({self.kind}, private, {self.network.name})"


def _family(net: Network) -> str:
    if net.name == "mainnet":
        return "mainnet"
    return "test networks (testnet3/testnet4/signet/regtest)"


def _call(text: str) -> tuple[str, str]:
    """``name(args)`` -> (name, args), checking the parentheses."""
    open_at = text.find("(")
    if open_at <= 0 or not text.endswith(")"):
        shown = text if len(text) <= 20 else text[:17] + "..."
        raise DescriptorError(f"expected a function such as wpkh(...), found {shown!r}")
    return text[:open_at], text[open_at + 1 : -1]


def parse_descriptor(
    text: str, network: Network | str | None = None, require_checksum: bool = False
) -> Descriptor:
    """Parse a descriptor; with ``network``, keys of another network are refused.

    Without ``network`` the network follows the keys (mainnet, or testnet3 for tpub/tprv;
    mainnet for hex keys).
    """
    if not isinstance(text, str):
        raise DescriptorError("a descriptor must be text")
    text = text.strip()
    if not text:
        raise DescriptorError("the descriptor is empty")
    _expand(text)  # reject characters outside BIP380's set, with their position
    body = split_checksum(text, require_checksum)
    net = None if network is None else get_network(network)
    name, args = _call(body)
    key_net: Network | None = None
    if name == "raw":
        if not _HEX.match(args) or len(args) % 2:
            raise DescriptorError("raw() takes a hex script")
        return Descriptor("raw", net or MAINNET, raw_script=bytes.fromhex(args))
    if name == "addr":
        use = net or _guess_address_network(args)
        try:
            address_to_script(args, use)
        except NetworkMismatchError:
            raise
        except BitcoinError as exc:
            raise DescriptorError(f"addr(): {exc}") from None
        return Descriptor("addr", use, address_text=args)
    if name == "sh":
        inner_name, inner_args = _call(args)
        if inner_name != "wpkh":
            raise DescriptorError(f"sh({inner_name}(...)) is not supported; only sh(wpkh(KEY)) is")
        key, key_net = _parse_key(inner_args, "wpkh", net)
        kind = "sh-wpkh"
    elif name in ("pkh", "wpkh"):
        key, key_net = _parse_key(args, name, net)
        kind = name
    elif name == "tr":
        if "," in args:  # key expressions hold no commas: this is tr(KEY, TREE)
            raise DescriptorError("tr() with a script tree is not supported yet; use tr(KEY)")
        key, key_net = _parse_key(args, "tr", net)
        kind = "tr"
    else:
        raise DescriptorError(
            f"unsupported descriptor {name}(); supported: pkh, wpkh, sh(wpkh), tr, addr, raw"
        )
    final = net or (key_net if key_net is not None else MAINNET)
    return Descriptor(kind, final, key=key)


def _guess_address_network(address: str) -> Network:
    from wallet.bitcoin.address import parse_address
    from wallet.bitcoin.networks import NETWORKS

    for candidate in ("mainnet", "testnet3", "regtest"):
        try:
            parse_address(address, NETWORKS[candidate])
            return NETWORKS[candidate]
        except NetworkMismatchError:
            continue
        except BitcoinError as exc:
            raise DescriptorError(f"addr(): {exc}") from None
    raise DescriptorError("addr() holds an address of no known network")


def parse_descriptors(text: str, network: Network | str | None = None) -> list[Descriptor]:
    """Parse and expand a multipath descriptor into its single-path descriptors."""
    return parse_descriptor(text, network).split_multipath()
