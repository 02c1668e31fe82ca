"""Descriptors: BIP380 checksums (BIP380 and Bitcoin Core examples), and addresses checked against
the BIP84/BIP86/BIP49 texts, BIP341 and BIP322 vectors."""

from __future__ import annotations

import contextlib
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import shared_path
from wallet.bitcoin.bip32 import HARDENED, ExtendedKey, parse_path
from wallet.bitcoin.bip39 import mnemonic_to_seed
from wallet.bitcoin.descriptors import (
    INPUT_CHARSET,
    add_checksum,
    descriptor_checksum,
    parse_descriptor,
    parse_descriptors,
    split_checksum,
)
from wallet.bitcoin.errors import DescriptorError, NetworkMismatchError
from wallet.bitcoin.keys import wif_decode, wif_encode
from wallet.bitcoin.script import ScriptType

#: Bitcoin Core's ``deriveaddresses`` help example and doc/descriptors.md, with its checksum.
CORE_EXAMPLE = (
    "wpkh([d34db33f/84h/0h/0h]xpub6DJ2dNUysrn5Vt36jH2KLBT2i1auw1tTSSomg8PhqNiUtx8QX2SvC9nrHu81"
    "fT41fvDUnhMjEzQgXnQjKEu3oaqMSzhSrHMxyyoEAmUHQbY/0/*)#cjjspncu"
)


def _bip84_86() -> dict:
    return json.loads(shared_path("vectors/extracted/bip84_bip86_test_vectors.json").read_text())


def test_published_checksums():
    # BIP380's example and Bitcoin Core's
    assert descriptor_checksum("raw(deadbeef)") == "89f8spxm"
    assert parse_descriptor("raw(deadbeef)#89f8spxm").script_pubkey() == bytes.fromhex("deadbeef")
    body, checksum = CORE_EXAMPLE.split("#")
    assert descriptor_checksum(body) == checksum
    d = parse_descriptor(CORE_EXAMPLE, "mainnet", require_checksum=True)
    assert d.is_ranged and d.script_type is ScriptType.P2WPKH
    (origin,) = d.key_origins(7)
    assert origin.fingerprint == bytes.fromhex("d34db33f")
    assert origin.path == tuple(parse_path("84'/0'/0'/0/7"))


def test_bip380_checksum_error_cases():
    with pytest.raises(DescriptorError, match="no '#' checksum"):
        split_checksum("raw(deadbeef)", require=True)
    with pytest.raises(DescriptorError, match="8 characters"):
        parse_descriptor("raw(deadbeef)#")
    with pytest.raises(DescriptorError, match="8 characters"):
        parse_descriptor("raw(deadbeef)#89f8spxmx")
    with pytest.raises(DescriptorError, match="8 characters"):
        parse_descriptor("raw(deadbeef)#89f8spx")
    with pytest.raises(DescriptorError, match="expected #89f8spxm, found #89f8spxn"):
        parse_descriptor("raw(deadbeef)#89f8spxn")
    with pytest.raises(DescriptorError, match="checksum is wrong"):
        parse_descriptor("raw(deedbeef)#89f8spxm")
    with pytest.raises(DescriptorError, match="position 5"):
        parse_descriptor("raw(\u00e9)")


def test_any_single_character_change_is_detected():
    body, checksum = CORE_EXAMPLE.split("#")
    full = f"{body}#{checksum}"
    replacements = INPUT_CHARSET
    for pos in range(len(full)):
        if full[pos] == "#":
            continue
        for c in replacements:
            if c == full[pos] or c == "#":
                continue
            mutated = full[:pos] + c + full[pos + 1 :]
            b, _, k = mutated.partition("#")
            assert descriptor_checksum(b) != k, (pos, c)


def test_bip84_through_descriptors():
    data = _bip84_86()["bip84"]
    entries = data["entries"]
    master = ExtendedKey.from_seed(mnemonic_to_seed(data["mnemonic"]))
    fp = master.fingerprint.hex()
    account_zpub = entries[1]["xpub"]
    d = parse_descriptor(f"wpkh([{fp}/84h/0h/0h]{account_zpub}/<0;1>/*)", "mainnet")
    receive, change = d.split_multipath()
    for entry in entries[2:]:
        path = parse_path(entry["path"])
        branch = receive if path[-2] == 0 else change
        assert branch.address(path[-1]) == entry["address"]
        (origin,) = branch.key_origins(path[-1])
        assert origin.pubkey.hex() == entry["pubkey"]
        assert origin.fingerprint == master.fingerprint
        assert list(origin.path) == path
        # a descriptor's public form, with its checksum, reads back to the same addresses
        again = parse_descriptor(str(branch), "mainnet", require_checksum=True)
        assert again.address(path[-1]) == entry["address"]


def test_bip86_through_descriptors_and_private_form():
    data = _bip84_86()["bip86"]
    entries = data["entries"]
    root_xprv = entries[0]["rootpriv"]
    private = parse_descriptor(f"tr({root_xprv}/86'/0'/0'/<0;1>/*)", "mainnet")
    assert private.has_private_keys
    public_text = str(private)
    secret_key = ExtendedKey.parse(root_xprv)
    # the public form carries no private material and folds the hardened steps into the origin
    assert "prv" not in public_text and root_xprv not in public_text
    assert public_text.startswith(f"tr([{secret_key.fingerprint.hex()}/86'/0'/0']xpub")
    assert entries[1]["xpub"] in public_text
    for desc in (private, parse_descriptor(public_text)):
        receive, change = desc.split_multipath()
        for entry in entries[2:]:
            path = parse_path(entry["path"])
            branch = receive if path[-2] == 0 else change
            out = branch.derive(path[-1])
            assert out.script_pubkey.hex() == entry["scriptPubKey"]
            assert branch.address(path[-1]) == entry["address"]
            assert out.keys[0].xonly.hex() == entry["internal_key"]
            assert list(out.keys[0].path) == path


def test_bip49_through_descriptor():
    text = shared_path("vectors/bips_spec/bip-0049.mediawiki").read_text()
    upub = re.search(r"account0Xpub = (upub\w+)", text).group(1)
    address = re.search(r"address = base58check\(prefix \| addressBytes\) = (\w+)", text).group(1)
    d = parse_descriptor(f"sh(wpkh({upub}/0/*))", "testnet3")
    assert d.script_type is ScriptType.P2SH_P2WPKH
    assert d.address(0) == address
    # the public form uses the standard tpub prefix
    assert "tpub" in str(d)
    assert parse_descriptor(str(d), "testnet4").address(0) == address


def test_bip341_key_path_tr_with_hex_keys():
    data = json.loads(shared_path("vectors/bip341/wallet-test-vectors.json").read_text())
    for entry in data["scriptPubKey"]:
        if entry["given"]["scriptTree"] is None:
            internal = entry["given"]["internalPubkey"]
            d = parse_descriptor(f"tr({internal})")
            assert not d.is_ranged
            assert d.script_pubkey().hex() == entry["expected"]["scriptPubKey"]
            assert d.address() == entry["expected"]["bip350Address"]
            # a compressed key of either parity gives the same output (x-only)
            for prefix in ("02", "03"):
                assert parse_descriptor(f"tr({prefix}{internal})").address() == d.address()


def test_bip322_wif_descriptors():
    data = json.loads(shared_path("vectors/bip322/generated-test-vectors.json").read_text())
    template = {
        "p2pkh": "pkh({})",
        "p2sh-p2wpkh": "sh(wpkh({}))",
        "p2wpkh": "wpkh({})",
        "p2tr": "tr({})",
    }
    seen = set()
    for section in data.values():
        for entry in section if isinstance(section, list) else []:
            kind = entry.get("type") if isinstance(entry, dict) else None
            if kind in template and len(entry.get("private_keys", [])) == 1:
                wif = entry["private_keys"][0]
                d = parse_descriptor(add_checksum(template[kind].format(wif)), "mainnet")
                assert d.has_private_keys
                assert d.address() == entry["address"]
                assert wif not in str(d)
                seen.add(kind)
    assert seen == set(template)


def test_addr_descriptor():
    address = "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu"
    d = parse_descriptor(f"addr({address})")
    assert d.address() == address
    with pytest.raises(NetworkMismatchError):
        parse_descriptor(f"addr({address})", "testnet3")


def test_errors():
    xpub = CORE_EXAMPLE.split("]")[1].split("/")[0]
    with pytest.raises(NetworkMismatchError, match=r"mainnet extended key.*testnet3"):
        parse_descriptor(f"wpkh({xpub}/0/*)", "testnet3")
    with pytest.raises(DescriptorError, match="hardened derivation needs a private key"):
        parse_descriptor(f"wpkh({xpub}/0'/*)")
    with pytest.raises(DescriptorError, match="hardened derivation needs a private key"):
        parse_descriptor(f"wpkh({xpub}/*')")
    with pytest.raises(DescriptorError, match="unsupported descriptor multi"):
        parse_descriptor(f"multi(1,{xpub})")
    with pytest.raises(DescriptorError, match="only sh\\(wpkh"):
        parse_descriptor(f"sh(pkh({xpub}))")
    with pytest.raises(DescriptorError, match="script tree"):
        parse_descriptor(f"tr({xpub},pk({xpub}))")
    with pytest.raises(DescriptorError, match="fingerprint must be 8 hex"):
        parse_descriptor(f"wpkh([d34db3/0]{xpub})")
    with pytest.raises(DescriptorError, match="'\\*' must be the last"):
        parse_descriptor(f"wpkh({xpub}/*/0)")
    with pytest.raises(DescriptorError, match="give an index"):
        parse_descriptor(f"wpkh({xpub}/*)").address()
    with pytest.raises(DescriptorError, match="expand the multipath"):
        parse_descriptor(f"wpkh({xpub}/<0;1>/*)").address(0)
    with pytest.raises(DescriptorError, match="only one multipath"):
        parse_descriptor(f"wpkh({xpub}/<0;1>/<2;3>/*)")
    uncompressed = (
        "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4"
        "fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8"
    )
    assert (
        parse_descriptor(f"pkh({uncompressed})").address() == "1EHNa6Q4Jz2uvNExL497mE43ikXhwF6kZm"
    )
    with pytest.raises(DescriptorError, match="uncompressed"):
        parse_descriptor(f"wpkh({uncompressed})")
    with pytest.raises(DescriptorError, match="only allowed in tr"):
        parse_descriptor(
            "wpkh(" + "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798" + ")"
        )


def test_private_keys_never_in_errors():
    secret = bytes(range(1, 33))
    wif = wif_encode(secret, "testnet3")
    with pytest.raises(NetworkMismatchError) as info:
        parse_descriptor(f"wpkh({wif})", "mainnet")
    assert wif not in str(info.value)
    broken = wif[:-1] + ("a" if wif[-1] != "a" else "b")
    with pytest.raises(DescriptorError) as info:
        parse_descriptor(f"wpkh({broken})", "testnet3")
    assert broken not in str(info.value) and broken[:20] not in str(info.value)
    assert wif_decode(wif, "testnet3") == (secret, True)


def test_parse_descriptors_expands_multipath():
    xpub = CORE_EXAMPLE.split("]")[1].split("/")[0]
    parts = parse_descriptors(f"pkh([d34db33f/44h/0h/0h]{xpub}/<0;1;7>/*)")
    assert [p.key_origins(3)[0].path[-2:] for p in parts] == [(0, 3), (1, 3), (7, 3)]
    assert parts[2].key_origins(3)[0].path[:3] == (44 + HARDENED, HARDENED, HARDENED)
    assert len({p.address(3) for p in parts}) == 3


_VALID = CORE_EXAMPLE.split("#")[0]


@given(st.text(max_size=80))
@settings(max_examples=200)
def test_random_text_raises_only_descriptor_errors(text):
    with contextlib.suppress(DescriptorError, NetworkMismatchError):
        parse_descriptor(text)


@given(st.integers(0, len(_VALID)), st.integers(0, 20), st.text(alphabet=INPUT_CHARSET, max_size=6))
@settings(max_examples=300)
def test_mutated_descriptors_raise_only_descriptor_errors(pos, cut, insert):
    mutated = _VALID[:pos] + insert + _VALID[pos + cut :]
    try:
        d = parse_descriptor(mutated)
        for part in d.split_multipath():
            part.address(5) if part.is_ranged else part.address()
    except (DescriptorError, NetworkMismatchError):
        pass


def test_key_without_origin_uses_its_own_fingerprint():
    xpub = CORE_EXAMPLE.split("]")[1].split("/")[0]
    d = parse_descriptor(f"wpkh({xpub}/1/*)")
    (origin,) = d.key_origins(4)
    key = ExtendedKey.parse(xpub)
    assert origin.fingerprint == key.fingerprint
    assert origin.path == (1, 4)
    assert origin.pubkey == key.derive_path("1/4").public_key
    hexkey = key.public_key.hex()
    (fixed,) = parse_descriptor(f"pkh({hexkey})").key_origins()
    assert fixed.pubkey == key.public_key and fixed.path == ()
