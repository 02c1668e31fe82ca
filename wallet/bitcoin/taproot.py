"""BIP341 Taproot key tweaking and script-tree hashing, on libsecp256k1 (coincurve)."""

from __future__ import annotations

from dataclasses import dataclass

from coincurve import PrivateKey, PublicKeyXOnly

from wallet.bitcoin.errors import BitcoinError
from wallet.bitcoin.hashes import tagged_hash
from wallet.bitcoin.serialize import encode_bytes

TAPSCRIPT_LEAF_VERSION = 0xC0
_SECP256K1_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


def tap_tweak_hash(internal_key: bytes, merkle_root: bytes | None = None) -> bytes:
    """t = H_TapTweak(P || merkle_root); BIP86 (key path only) uses no merkle root."""
    return tagged_hash("TapTweak", internal_key + (merkle_root or b""))


def taproot_output_key(internal_key: bytes, merkle_root: bytes | None = None) -> tuple[bytes, int]:
    """Tweak an x-only internal key: returns (x-only output key Q, parity of Q's y)."""
    if len(internal_key) != 32:
        raise BitcoinError(f"a taproot internal key is 32 bytes (x-only), got {len(internal_key)}")
    try:
        key = PublicKeyXOnly(internal_key)
        key.tweak_add(tap_tweak_hash(internal_key, merkle_root))
    except ValueError as exc:
        raise BitcoinError(f"invalid taproot internal key: {exc}") from None
    return key.format(), key.parity


def taproot_tweak_seckey(secret: bytes, merkle_root: bytes | None = None) -> bytes:
    """The secret key for the tweaked output key (BIP341 ``taproot_tweak_seckey``)."""
    priv = PrivateKey(secret)
    d = int.from_bytes(secret, "big")
    pub = priv.public_key.format(compressed=True)
    if pub[0] == 0x03:  # odd y: negate so the x-only key has even y
        d = _SECP256K1_ORDER - d
    t = int.from_bytes(tap_tweak_hash(pub[1:], merkle_root), "big")
    if t >= _SECP256K1_ORDER:
        raise BitcoinError("taproot tweak is out of range (probability ~2**-128)")
    return ((d + t) % _SECP256K1_ORDER).to_bytes(32, "big")


def tap_leaf_hash(script: bytes, leaf_version: int = TAPSCRIPT_LEAF_VERSION) -> bytes:
    return tagged_hash("TapLeaf", bytes([leaf_version]) + encode_bytes(script))


def tap_branch_hash(a: bytes, b: bytes) -> bytes:
    """Children are sorted, so the tree's hash does not depend on left/right order."""
    return tagged_hash("TapBranch", min(a, b) + max(a, b))


@dataclass(frozen=True)
class TapLeaf:
    script: bytes
    leaf_version: int = TAPSCRIPT_LEAF_VERSION

    def hash(self) -> bytes:
        return tap_leaf_hash(self.script, self.leaf_version)


#: A script tree: a leaf, or a pair of subtrees (BIP341's nested-list form).
ScriptTree = TapLeaf | tuple["ScriptTree", "ScriptTree"]


def script_tree_hash(tree: ScriptTree) -> bytes:
    """Merkle root of a script tree."""
    if isinstance(tree, TapLeaf):
        return tree.hash()
    left, right = tree
    return tap_branch_hash(script_tree_hash(left), script_tree_hash(right))


def control_block_path(tree: ScriptTree, leaf: TapLeaf) -> list[bytes] | None:
    """The Merkle path (sibling hashes, leaf upward) proving ``leaf`` in ``tree``, or None."""
    if isinstance(tree, TapLeaf):
        return [] if tree == leaf else None
    left, right = tree
    for here, other in ((left, right), (right, left)):
        path = control_block_path(here, leaf)
        if path is not None:
            return [*path, script_tree_hash(other)]
    return None
