"""The Bitcoin UR types air-gapped signers exchange (BCR-2020-006/007/010/015, BCR-2023-010/019).

- ``crypto-psbt`` (tag 310) / ``psbt`` (40310): a PSBT as one CBOR byte string.
- ``crypto-hdkey`` (303) / ``hdkey`` (40303): an extended key with its origin (master
  fingerprint and path), the children it is meant to derive, and its network (``use-info``).
- ``crypto-output`` (308): an output descriptor as nested tags (``wpkh`` is 404 around a key);
  ``output-descriptor`` (40308): descriptor text with ``@0``-style placeholders and its keys.
- ``crypto-account`` (311) / ``account-descriptor`` (40311): a master fingerprint and the account
  outputs of several script types -- what Keystone, Passport, SeedSigner, Jade or Krux show to
  set up a watch-only wallet.

Signers still write the version-1 ``crypto-*`` names and tags (BCR-2020-006 asks new software to
read them), so both are read; PSBTs are written as ``crypto-psbt``, which every signer reads.
Keys come out as descriptor key expressions (``[fingerprint/path]xpub/<0;1>/*``) for
``wallet.bitcoin.descriptors``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wallet.bitcoin.bip32 import HARDENED, ExtendedKey
from wallet.bitcoin.networks import MAINNET, TESTNET3, Network
from wallet.payments.qr_errors import AnimatedQRError
from wallet.payments.ur import cbor
from wallet.payments.ur.cbor import Tagged
from wallet.payments.ur.ur import UR

#: Version-1 tags; version 2 adds 40000 (``hdkey`` is 40303, ``output-descriptor`` 40308...).
HDKEY, KEYPATH, COIN_INFO, ECKEY, ADDRESS, OUTPUT, PSBT_TAG, ACCOUNT = (
    303, 304, 305, 306, 307, 308, 310, 311,
)  # fmt: skip
V2 = 40000
#: Script-expression tags of crypto-output (BCR-2020-010).
SCRIPT_TAGS = {
    400: "sh",
    401: "wsh",
    402: "pk",
    403: "pkh",
    404: "wpkh",
    405: "combo",
    406: "multi",
    407: "sortedmulti",
    408: "raw",
    409: "tr",
    410: "cosigner",
}
_TAG_OF_SCRIPT = {name: tag for tag, name in SCRIPT_TAGS.items()}
PSBT_TYPES = ("crypto-psbt", "psbt")


class URTypeError(AnimatedQRError):
    """A UR whose type or contents are not what Paylight can use here."""


def _untag(value: Any, *tags: int) -> Any:
    """``value`` without its tag when it carries one of ``tags`` (v1 or v2), else as is."""
    if isinstance(value, Tagged):
        if value.tag not in tags and value.tag - V2 not in tags:
            raise URTypeError(f"Expected CBOR tag {tags[0]}, found {value.tag}.")
        return value.value
    return value


def _map(value: Any, what: str) -> dict:
    if not isinstance(value, dict):
        raise URTypeError(f"The {what} in this UR is not a CBOR map.")
    return value


# -- PSBT ---------------------------------------------------------------------------------------


def psbt_to_ur(psbt: bytes, ur_type: str = "crypto-psbt") -> UR:
    if ur_type not in PSBT_TYPES:
        raise ValueError(f"a PSBT UR is crypto-psbt or psbt, not {ur_type}")
    return UR(ur_type, cbor.encode(bytes(psbt)))


def psbt_from_ur(ur: UR) -> bytes:
    """The PSBT bytes of a ``crypto-psbt`` or ``psbt`` UR."""
    if ur.type not in PSBT_TYPES:
        raise URTypeError(f"This code holds a {ur.type}, not a PSBT.")
    value = cbor.decode(ur.cbor)
    if not isinstance(value, bytes):
        raise URTypeError("This PSBT UR does not hold a byte string.")
    return value


# -- key paths and HD keys ------------------------------------------------------------------------

#: A path step: ``(index, hardened)``; index None is the wildcard ``*``; a pair is ``<a;b>``.
Step = tuple[int | None, bool] | tuple[tuple[int, bool], tuple[int, bool]]


@dataclass(frozen=True)
class KeyPath:
    steps: tuple[Step, ...] = ()
    source_fingerprint: int | None = None
    depth: int | None = None

    def text(self) -> str:
        """``84h/0h/0h`` or ``<0;1>/*`` (no leading ``m``)."""
        out = []
        for step in self.steps:
            if isinstance(step[0], tuple):
                pair = step
                out.append("<" + ";".join(f"{i}{'h' if h else ''}" for i, h in pair) + ">")  # type: ignore[misc]
            else:
                index, hardened = step
                out.append(("*" if index is None else str(index)) + ("h" if hardened else ""))
        return "/".join(out)

    def indexes(self) -> list[int]:
        """The child numbers of a path of plain steps (no wildcard or pair)."""
        out = []
        for step in self.steps:
            index, hardened = step
            if not isinstance(index, int) or isinstance(index, bool):
                raise URTypeError("A key origin path holds a wildcard or a pair.")
            out.append(index + HARDENED if hardened else index)
        return out

    @classmethod
    def from_cbor(cls, value: Any) -> KeyPath:
        m = _map(_untag(value, KEYPATH), "key path")
        raw = m.get(1, [])
        if not isinstance(raw, list):
            raise URTypeError("A key path's components are not a list.")
        steps: list[Step] = []
        i = 0
        while i < len(raw):
            item = raw[i]
            if isinstance(item, list) and len(item) == 4:  # <a;b>: two (index, hardened)
                a, ha, b, hb = item
                steps.append(((_index(a), _flag(ha)), (_index(b), _flag(hb))))
                i += 1
                continue
            if i + 1 >= len(raw):
                raise URTypeError("A key path step has no hardened flag.")
            hardened = _flag(raw[i + 1])
            if isinstance(item, list) and not item:
                steps.append((None, hardened))
            elif isinstance(item, list):
                raise URTypeError("Key path ranges are not supported.")
            else:
                steps.append((_index(item), hardened))
            i += 2
        fingerprint = m.get(2)
        depth = m.get(3)
        if fingerprint is not None and not (
            isinstance(fingerprint, int) and 0 < fingerprint < 2**32
        ):
            raise URTypeError("A key path's source fingerprint is not a 32-bit number.")
        if depth is not None and not (isinstance(depth, int) and 0 <= depth < 256):
            raise URTypeError("A key path's depth is not a number from 0 to 255.")
        return cls(tuple(steps), fingerprint, depth)

    def to_cbor(self, v2: bool = False) -> Tagged:
        flat: list[Any] = []
        for step in self.steps:
            if isinstance(step[0], tuple):
                (a, ha), (b, hb) = step  # type: ignore[misc]
                flat.append([a, ha, b, hb])
            else:
                index, hardened = step
                flat += [[] if index is None else index, hardened]
        m: dict[int, Any] = {1: flat}
        if self.source_fingerprint is not None:
            m[2] = self.source_fingerprint
        if self.depth is not None:
            m[3] = self.depth
        return Tagged(KEYPATH + (V2 if v2 else 0), m)


def _index(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < HARDENED:
        raise URTypeError("A key path index is not a number below 2^31.")
    return value


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise URTypeError("A key path's hardened flag is not true or false.")
    return value


@dataclass(frozen=True)
class HDKey:
    """A ``crypto-hdkey``: a public (or private) extended key and what it is for."""

    key: bytes
    chain_code: bytes | None = field(default=None, repr=False)
    is_private: bool = False
    testnet: bool = False
    origin: KeyPath | None = None
    children: KeyPath | None = None
    parent_fingerprint: int | None = None
    name: str | None = None

    @classmethod
    def from_cbor(cls, value: Any) -> HDKey:
        m = _map(_untag(value, HDKEY), "HD key")
        if m.get(1) is True:
            raise URTypeError(
                "This code holds a master private key; show the account's public key instead."
            )
        key, chain = m.get(3), m.get(4)
        if not isinstance(key, bytes) or len(key) != 33:
            raise URTypeError("The HD key does not hold a 33-byte key.")
        if chain is not None and (not isinstance(chain, bytes) or len(chain) != 32):
            raise URTypeError("The HD key's chain code is not 32 bytes.")
        testnet = False
        if 5 in m:
            info = _map(_untag(m[5], COIN_INFO), "coin info")
            if info.get(1, 0) != 0:
                raise URTypeError("This key is for another coin than bitcoin.")
            testnet = info.get(2, 0) == 1
        parent = m.get(8)
        if parent is not None and not (isinstance(parent, int) and 0 <= parent < 2**32):
            raise URTypeError("The HD key's parent fingerprint is not a 32-bit number.")
        name = m.get(9)
        return cls(
            key,
            chain,
            bool(m.get(2, False)),
            testnet,
            KeyPath.from_cbor(m[6]) if 6 in m else None,
            KeyPath.from_cbor(m[7]) if 7 in m else None,
            parent,
            name if isinstance(name, str) else None,
        )

    def to_cbor(self, v2: bool = False) -> Tagged:
        m: dict[int, Any] = {}
        if self.is_private:
            m[2] = True
        m[3] = self.key
        if self.chain_code is not None:
            m[4] = self.chain_code
        if self.testnet:
            m[5] = Tagged(COIN_INFO + (V2 if v2 else 0), {2: 1})
        if self.origin is not None:
            m[6] = self.origin.to_cbor(v2)
        if self.children is not None:
            m[7] = self.children.to_cbor(v2)
        if self.parent_fingerprint is not None:
            m[8] = self.parent_fingerprint
        if self.name is not None:
            m[9] = self.name
        return Tagged(HDKEY + (V2 if v2 else 0), m)

    @classmethod
    def from_extended(
        cls, key: ExtendedKey, fingerprint: bytes, path: list[int], children: KeyPath | None = None
    ) -> HDKey:
        """The public HD key of ``key`` found at ``path`` below master ``fingerprint``."""
        public = key.neuter()
        steps = tuple((i & ~HARDENED, i >= HARDENED) for i in path)
        origin = KeyPath(steps, int.from_bytes(fingerprint, "big"))  # type: ignore[arg-type]
        return cls(
            public.key,
            public.chain_code,
            testnet=key.network.is_test,
            origin=origin,
            children=children,
            parent_fingerprint=int.from_bytes(public.parent_fingerprint, "big"),
        )

    def extended_key(self, network: Network) -> ExtendedKey:
        """The key as BIP32 serializes it, on ``network`` (whose family it must match)."""
        if self.is_private:
            raise URTypeError(
                "This code holds a private key; a watch-only wallet takes public keys."
            )
        if self.chain_code is None:
            raise URTypeError("The HD key has no chain code, so no addresses can be derived.")
        if self.testnet != network.is_test:
            this = "test networks" if self.testnet else "mainnet"
            raise URTypeError(f"This key is for {this}, not {network.name}.")
        path = self.origin.indexes() if self.origin is not None else []
        depth = self.origin.depth if self.origin and self.origin.depth is not None else len(path)
        child = path[-1] if path else 0
        parent_fp = self.parent_fingerprint
        if parent_fp is None and self.origin is not None and len(path) == 1:
            parent_fp = self.origin.source_fingerprint  # BCR-2020-007: may then be omitted
        parent = (parent_fp or 0).to_bytes(4, "big")
        net = network if network.is_test else MAINNET
        prefix = "tpub" if net.is_test else "xpub"
        return ExtendedKey(net, depth, parent, child, self.chain_code, self.key, False, prefix)

    def key_expression(self, network: Network, default_children: str = "<0;1>/*") -> str:
        """``[fingerprint/path]xpub/children`` for a descriptor."""
        ext = self.extended_key(network)
        text = ext.serialize("tpub" if network.is_test else "xpub")
        origin = self.origin
        if origin is not None and origin.source_fingerprint is not None:
            inner = "/".join(filter(None, [f"{origin.source_fingerprint:08x}", origin.text()]))
            text = f"[{inner}]{text}"
        tail = self.children.text() if self.children is not None and self.children.steps else ""
        tail = tail or default_children
        return f"{text}/{tail}" if tail else text


# -- output descriptors ----------------------------------------------------------------------------


def _key_text(value: Any, network: Network, children: str) -> str:
    if isinstance(value, Tagged) and value.tag % V2 == ECKEY:
        m = _map(value.value, "EC key")
        if m.get(2) or not isinstance(m.get(3), bytes):
            raise URTypeError("The descriptor's key is private or missing.")
        return m[3].hex()
    if isinstance(value, Tagged) and value.tag % V2 == HDKEY:
        return HDKey.from_cbor(value).key_expression(network, children)
    raise URTypeError("The descriptor holds a key of an unknown kind.")


def _script_text(value: Any, network: Network, children: str, depth: int = 0) -> str:
    """Descriptor text of a crypto-output script expression (version-1 nested tags)."""
    if depth > 8 or not isinstance(value, Tagged):
        raise URTypeError("The output descriptor is not a tagged script expression.")
    name = SCRIPT_TAGS.get(value.tag)
    if name is None:
        raise URTypeError(f"The output descriptor uses an unknown script tag {value.tag}.")
    inner = value.value
    if name in ("sh", "wsh", "tr") and isinstance(inner, Tagged) and inner.tag in SCRIPT_TAGS:
        return f"{name}({_script_text(inner, network, children, depth + 1)})"
    if name in ("multi", "sortedmulti"):
        m = _map(inner, "multisig")
        keys = m.get(2)
        if not isinstance(m.get(1), int) or not isinstance(keys, list):
            raise URTypeError("The multisig descriptor has no threshold or keys.")
        texts = [_key_text(k, network, children) for k in keys]
        return f"{name}({m[1]},{','.join(texts)})"
    if name == "raw":
        if not isinstance(inner, bytes):
            raise URTypeError("A raw() descriptor does not hold a script.")
        return f"raw({inner.hex()})"
    return f"{name}({_key_text(inner, network, children)})"


@dataclass(frozen=True)
class OutputDescriptor:
    """An account's descriptor text and the HD keys in it (for their fingerprints)."""

    text: str
    keys: tuple[HDKey, ...] = ()

    @property
    def script(self) -> str:
        """The outer function: ``wpkh``, ``sh`` (then see :attr:`text`), ``tr``, ``pkh``..."""
        return self.text.split("(", 1)[0]


def _hdkeys(value: Any, depth: int = 0) -> list[HDKey]:
    if depth > 12:
        return []
    if isinstance(value, Tagged):
        if value.tag % V2 == HDKEY:
            return [HDKey.from_cbor(value)]
        return _hdkeys(value.value, depth + 1)
    if isinstance(value, list):
        return [k for item in value for k in _hdkeys(item, depth + 1)]
    if isinstance(value, dict):
        return [k for item in value.values() for k in _hdkeys(item, depth + 1)]
    return []


def output_from_cbor(value: Any, network: Network, children: str = "<0;1>/*") -> OutputDescriptor:
    """A ``crypto-output`` (nested tags) or ``output-descriptor`` (text with ``@n``) value."""
    if isinstance(value, Tagged) and value.tag in (OUTPUT, OUTPUT + V2):
        value = value.value
    if isinstance(value, dict):  # version 2: {1: "wpkh(@0)", 2: [keys]}
        source, keys = value.get(1), value.get(2, [])
        if not isinstance(source, str) or not isinstance(keys, list):
            raise URTypeError("The output descriptor has no source text.")
        text = source
        for n in range(len(keys) - 1, -1, -1):  # @10 before @1
            text = text.replace(f"@{n}", _key_text(keys[n], network, children))
        if "@" in text:
            raise URTypeError("The output descriptor names a key it does not hold.")
        return OutputDescriptor(text, tuple(_hdkeys(keys)))
    return OutputDescriptor(_script_text(value, network, children), tuple(_hdkeys(value)))


def output_to_cbor(script: str, key: HDKey, v2: bool = False) -> Tagged:
    """``script`` (``wpkh``, ``sh-wpkh``, ``pkh``, ``tr``) around ``key``, as a signer writes
    it in a crypto-account (version 1 nested tags, or version 2 ``@0`` text)."""
    wrappers = {"wpkh": ["wpkh"], "sh-wpkh": ["sh", "wpkh"], "pkh": ["pkh"], "tr": ["tr"]}[script]
    if v2:
        text = "@0"
        for name in reversed(wrappers):
            text = f"{name}({text})"
        return Tagged(OUTPUT + V2, {1: text, 2: [key.to_cbor(True)]})
    inner: Any = key.to_cbor()
    for name in reversed(wrappers):
        inner = Tagged(_TAG_OF_SCRIPT[name], inner)
    return Tagged(OUTPUT, inner)


# -- accounts --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    """A ``crypto-account``: the signer's master fingerprint and its account descriptors."""

    master_fingerprint: bytes
    outputs: tuple[OutputDescriptor, ...]


def account_from_cbor(value: Any, network: Network, children: str = "<0;1>/*") -> Account:
    m = _map(_untag(value, ACCOUNT), "account")
    fingerprint, outputs = m.get(1), m.get(2)
    if not isinstance(fingerprint, int) or not 0 < fingerprint < 2**32:
        raise URTypeError("The account has no master fingerprint.")
    if not isinstance(outputs, list) or not outputs:
        raise URTypeError("The account lists no output descriptors.")
    parsed, problems = [], []
    for item in outputs:
        try:
            parsed.append(output_from_cbor(item, network, children))
        except URTypeError as exc:  # a script type this wallet does not read
            problems.append(exc)
    if not parsed:
        raise problems[0]
    return Account(fingerprint.to_bytes(4, "big"), tuple(parsed))


def account_to_ur(master_fingerprint: bytes, outputs: list[Tagged], v2: bool = False) -> UR:
    body = {1: int.from_bytes(master_fingerprint, "big"), 2: outputs}
    return UR("account-descriptor" if v2 else "crypto-account", cbor.encode(body))


def decode_account_ur(ur: UR, network: Network) -> Account:
    """A UR of any of the account types, as an :class:`Account` (one output for hdkey/output)."""
    value = cbor.decode(ur.cbor)
    kind = ur.type.removeprefix("crypto-")
    if kind in ("account", "account-descriptor"):
        return account_from_cbor(value, network)
    if kind in ("output", "output-descriptor"):
        out = output_from_cbor(value, network)
        return Account(_fingerprint_of(out.keys), (out,))
    if kind == "hdkey":
        key = HDKey.from_cbor(value)
        out = OutputDescriptor(key.key_expression(network), (key,))
        return Account(_fingerprint_of((key,)), (out,))
    raise URTypeError(
        f"This code holds a {ur.type}; scan the signer's account export (crypto-account, "
        "crypto-output or crypto-hdkey) instead."
    )


def _fingerprint_of(keys: tuple[HDKey, ...]) -> bytes:
    for key in keys:
        if key.origin is not None and key.origin.source_fingerprint is not None:
            return key.origin.source_fingerprint.to_bytes(4, "big")
    return b"\0\0\0\0"


def network_family(network: Network) -> Network:
    """Mainnet, or testnet3 standing for every test network (they share key versions)."""
    return network if not network.is_test else TESTNET3
