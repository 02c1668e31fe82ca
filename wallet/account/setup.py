"""Making a wallet: descriptors for a new, restored or watch-only account, and its folder.

Create (a new BIP39 seed of 12 or 24 words, optional passphrase), restore (seed, passphrase,
script type — P2WPKH unless told otherwise — and account number) and watch-only (an account
xpub/ypub/zpub by SLIP-132, or a descriptor) all end in :func:`create_wallet`: public
descriptors go in ``wallet.json``, the seed is sealed by the password in ``keystore.json``
(scrypt + ChaCha20-Poly1305, see keystore.py), and the first ``gap_limit`` addresses of each
chain are stored so a receive address exists before any sync ran.

Shared by the GUI wizard and the command line; it holds no Qt and does no network I/O.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from wallet.account.database import AddressRecord, Chain, WalletDatabase
from wallet.account.errors import WalletExistsError
from wallet.account.integrity import seal
from wallet.account.keystore import KeystoreSecret, ScryptParams
from wallet.account.wallet_file import (
    DEFAULT_GAP_LIMIT,
    Wallet,
    WalletConfig,
    WalletKind,
)
from wallet.bitcoin.address import script_to_address
from wallet.bitcoin.bip32 import HARDENED, ExtendedKey
from wallet.bitcoin.bip39 import generate_mnemonic, mnemonic_to_seed, validate_mnemonic
from wallet.bitcoin.descriptors import Descriptor, add_checksum, parse_descriptor
from wallet.bitcoin.errors import DescriptorError, KeyDerivationError, MnemonicError
from wallet.bitcoin.networks import Network
from wallet.bitcoin.script import ScriptType


class ScriptChoice(enum.Enum):
    """Script types a seed wallet can use: (label, BIP purpose, descriptor template)."""

    P2WPKH = ("Native SegWit (P2WPKH, bc1q…) — recommended", 84, "wpkh({})")
    P2TR = ("Taproot (P2TR, bc1p…)", 86, "tr({})")
    P2SH_P2WPKH = ("Nested SegWit (P2SH-P2WPKH, 3…)", 49, "sh(wpkh({}))")
    P2PKH = ("Legacy (P2PKH, 1…)", 44, "pkh({})")

    @property
    def label(self) -> str:
        return self.value[0]

    @property
    def purpose(self) -> int:
        return self.value[1]

    def wrap(self, key: str) -> str:
        return self.value[2].format(key)


#: Names the command line accepts for each script type (BIP purpose numbers too).
SCRIPT_NAMES: dict[str, ScriptChoice] = {
    **dict.fromkeys(("p2wpkh", "wpkh", "segwit", "bip84", "84"), ScriptChoice.P2WPKH),
    **dict.fromkeys(("p2tr", "tr", "taproot", "bip86", "86"), ScriptChoice.P2TR),
    **dict.fromkeys(
        ("p2sh-p2wpkh", "sh-wpkh", "sh(wpkh)", "nested", "bip49", "49"), ScriptChoice.P2SH_P2WPKH
    ),
    **dict.fromkeys(("p2pkh", "pkh", "legacy", "bip44", "44"), ScriptChoice.P2PKH),
}
#: Word counts offered for a new seed (BIP39 allows 15, 18 and 21 too, for restoring).
NEW_SEED_WORDS = (12, 24)


def parse_script_choice(text: str) -> ScriptChoice:
    """``p2wpkh``/``p2tr``/``p2sh-p2wpkh``/``p2pkh`` (or ``84``/``86``/``49``/``44``)."""
    choice = SCRIPT_NAMES.get(text.strip().lower())
    if choice is None:
        raise KeyDerivationError(
            f"{text!r} is not a script type; choose p2wpkh (default), p2tr, p2sh-p2wpkh or p2pkh"
        )
    return choice


_CHOICE_FOR_SCRIPT_TYPE = {
    ScriptType.P2WPKH: ScriptChoice.P2WPKH,
    ScriptType.P2TR: ScriptChoice.P2TR,
    ScriptType.P2SH_P2WPKH: ScriptChoice.P2SH_P2WPKH,
    ScriptType.P2PKH: ScriptChoice.P2PKH,
}


@dataclass(frozen=True)
class AccountDescriptors:
    receive: str
    change: str | None
    master_fingerprint: str | None = None

    def first_address(self, network: Network) -> str:
        return parse_descriptor(self.receive, network).address(0)


def seed_descriptors(
    mnemonic: str,
    passphrase: str,
    network: Network,
    script: ScriptChoice = ScriptChoice.P2WPKH,
    account: int = 0,
) -> AccountDescriptors:
    """The BIP44/49/84/86 account of a BIP39 seed as public receive and change descriptors."""
    if not 0 <= account < HARDENED:
        raise KeyDerivationError(f"the account number must be 0..{HARDENED - 1}")
    master = ExtendedKey.from_seed(mnemonic_to_seed(mnemonic, passphrase), network)
    origin = (script.purpose + HARDENED, network.bip44_coin_type + HARDENED, account + HARDENED)
    xpub = master.derive_path(origin).neuter().serialize("tpub" if network.is_test else "xpub")
    fingerprint = master.fingerprint.hex()
    key = f"[{fingerprint}/{script.purpose}h/{network.bip44_coin_type}h/{account}h]{xpub}"
    receive, change = (
        parse_descriptor(script.wrap(f"{key}/{chain}/*"), network).to_string() for chain in (0, 1)
    )
    return AccountDescriptors(receive, change, fingerprint)


def watch_only_descriptors(
    text: str, network: Network, script: ScriptChoice = ScriptChoice.P2WPKH
) -> AccountDescriptors:
    """Descriptors for a watch-only wallet from an account xpub/ypub/zpub or a descriptor.

    A SLIP-132 prefix (ypub, zpub, upub, vpub) decides the script type; a plain xpub/tpub uses
    ``script``. A descriptor is taken as written: ``/<0;1>/*`` gives receive and change, a single
    ranged descriptor gives receive only.
    """
    text = text.strip()
    if not text:
        raise DescriptorError("paste an extended public key (xpub, zpub…) or a descriptor")
    if "(" in text:
        parts = parse_descriptor(text, network).split_multipath()
        _refuse_private(parts[0])
        if not parts[0].is_ranged:
            raise DescriptorError(
                "this descriptor gives one address only; a wallet needs a ranged one ending in /*"
            )
        change = parts[1].to_string() if len(parts) > 1 else None
        return AccountDescriptors(parts[0].to_string(), change)
    key = ExtendedKey.parse(text, network)
    if key.is_private:
        raise KeyDerivationError(
            "this is a private key; a watch-only wallet takes the public key (xpub, zpub…) only"
        )
    if key.script_type is not None:
        if key.script_type not in _CHOICE_FOR_SCRIPT_TYPE:
            raise KeyDerivationError(f"{key.prefix} keys are not supported for watching")
        script = _CHOICE_FOR_SCRIPT_TYPE[key.script_type]
    plain = key.serialize("tpub" if network.is_test else "xpub")
    receive, change = (
        parse_descriptor(script.wrap(f"{plain}/{chain}/*"), network).to_string() for chain in (0, 1)
    )
    return AccountDescriptors(receive, change)


#: Shortest password that may seal a new seed (the GUI's wizard and the command line alike).
MIN_PASSWORD_LENGTH = 8


def multipath_descriptor(receive: str, change: str | None, network: Network) -> str | None:
    """Receive and change as one ``/<0;1>/*`` descriptor (BIP389), the form a watch-only
    wallet elsewhere needs to see change too; None when there is no change descriptor or the
    two differ in more than that one step (then both must be given)."""
    if change is None:
        return None
    r, c = receive.split("#", 1)[0], change.split("#", 1)[0]
    i = 0
    while i < min(len(r), len(c)) and r[i] == c[i]:
        i += 1
    i = r.rfind("/", 0, i) + 1  # back to the start of the step where they differ
    if i == 0 or "/" not in r[i:] or "/" not in c[i:]:
        return None
    step_r, step_c = r[i : r.index("/", i)], c[i : c.index("/", i)]
    rest = r[i + len(step_r) :]
    if not (step_r.isdigit() and step_c.isdigit()) or rest != c[i + len(step_c) :]:
        return None
    text = add_checksum(f"{r[:i]}<{step_r};{step_c}>{rest}")
    try:
        parts = parse_descriptor(text, network).split_multipath()
        same = [parse_descriptor(d, network).to_string() for d in (receive, change)]
    except DescriptorError:
        return None
    return text if [d.to_string() for d in parts] == same else None


def _refuse_private(descriptor: Descriptor) -> None:
    if descriptor.has_private_keys:
        raise DescriptorError(
            "this descriptor holds a private key; a watch-only wallet takes public keys only"
        )


@functools.lru_cache(maxsize=32)
def _parsed(text: str, network: str) -> Descriptor:
    """A wallet's descriptor parsed once (checksum and keys), not at every gap-limit step."""
    return parse_descriptor(text, network)


def store_addresses(db: WalletDatabase, config: WalletConfig, chain: Chain, upto: int) -> None:
    """Derive and store the addresses of ``chain`` up to index ``upto - 1`` (idempotent)."""
    text = config.receive_descriptor if chain is Chain.RECEIVE else config.change_descriptor
    if text is None:
        return
    descriptor = _parsed(text, config.network)  # by name: a Network cannot be a cache key
    highest = db.highest_index(chain)
    start = 0 if highest is None else highest + 1
    items = []
    for index in range(start, upto):
        script = descriptor.script_pubkey(index)  # derived once: the address is its spelling
        items.append((chain, index, script_to_address(script, descriptor.network), script))
    if items:
        db.add_addresses(items)


def extend_addresses(
    db: WalletDatabase, config: WalletConfig, used: Mapping[Chain, int] | None = None
) -> list[AddressRecord]:
    """Derive addresses so each chain has ``config.gap_limit`` unused ones past its last used
    one (or past ``used[chain]``, an index a chain source just found in use, if that is later).

    The gap-limit policy every chain source follows. Returns the addresses added, in order
    (in one database transaction).
    """
    chains = [Chain.RECEIVE] + ([Chain.CHANGE] if config.change_descriptor is not None else [])
    before = {chain: db.highest_index(chain) for chain in chains}
    with db.transaction():
        for chain in chains:
            last = db.highest_index(chain, used_only=True)
            last = max(-1 if last is None else last, (used or {}).get(chain, -1))
            store_addresses(db, config, chain, last + 1 + config.gap_limit)
    added = []
    for chain, last in before.items():
        top = db.highest_index(chain)
        for index in range((-1 if last is None else last) + 1, (-1 if top is None else top) + 1):
            record = db.address_at(chain, index)
            if record is not None:
                added.append(record)
    return added


def create_wallet(
    path: str | Path,
    network: Network,
    descriptors: AccountDescriptors,
    *,
    mnemonic: str | None = None,
    passphrase: str = "",
    password: str | None = None,
    kdf: ScryptParams | None = None,
    gap_limit: int = DEFAULT_GAP_LIMIT,
    birth_height: int | None = None,
    birth_time: int | None = None,
    sources: Sequence[str] = (),
) -> Path:
    """Make the wallet folder and store its first addresses; the wallet is left closed.

    ``birth_height``/``birth_time``: the wallet's birthday, where a block source starts
    reading (a new wallet's is its creation; a restored one's, a date or height its owner
    knows). ``sources``: the wallet's own chain sources (``p2p://`` ...), saved in it.

    Runs scrypt (about half a second with the default cost): call it off the UI thread.
    The database connection is closed before returning, so the caller's thread opens its own.
    """
    kind = WalletKind.MNEMONIC if mnemonic is not None else WalletKind.WATCH_ONLY
    secret = None
    if mnemonic is not None:
        secret = KeystoreSecret.from_mnemonic(validate_mnemonic(mnemonic), passphrase)
    config = WalletConfig(
        network=network.name,
        kind=kind,
        receive_descriptor=descriptors.receive,
        change_descriptor=descriptors.change,
        gap_limit=gap_limit,
        birth_height=birth_height,
        birth_time=birth_time,
        master_fingerprint=descriptors.master_fingerprint,
    )
    if kind is WalletKind.WATCH_ONLY and password:  # its wallet.json carries a MAC
        config, password = seal(config, password, kdf), None
    wallet = Wallet.create(path, config, secret=secret, password=password, kdf=kdf)
    try:
        store_addresses(wallet.db, config, Chain.RECEIVE, gap_limit)
        store_addresses(wallet.db, config, Chain.CHANGE, gap_limit)
        for url in sources:
            wallet.db.add_server(url, network.name)
    finally:
        wallet.close()
    return Path(path).absolute()


def new_seed(words: int = 12) -> str:
    """A fresh BIP39 mnemonic of 12 or 24 words from the OS's random source."""
    if words not in NEW_SEED_WORDS:
        raise MnemonicError(f"a new seed has 12 or 24 words, not {words}")
    return generate_mnemonic(words)


def create_from_seed(
    path: str | Path,
    network: Network,
    mnemonic: str,
    password: str,
    *,
    passphrase: str = "",
    script: ScriptChoice = ScriptChoice.P2WPKH,
    account: int = 0,
    gap_limit: int = DEFAULT_GAP_LIMIT,
    kdf: ScryptParams | None = None,
    birth_height: int | None = None,
    birth_time: int | None = None,
    sources: Sequence[str] = (),
) -> Path:
    """Make a wallet from BIP39 words (new or restored); the seed is sealed by ``password``.
    The birthday and the sources as for :func:`create_wallet`.

    Everything is checked before anything is written: the words (with a message naming a
    mistyped word), the account number, and that nothing exists at ``path`` yet.
    """
    mnemonic = validate_mnemonic(mnemonic)
    _refuse_existing(path)
    descriptors = seed_descriptors(mnemonic, passphrase, network, script, account)
    return create_wallet(
        path,
        network,
        descriptors,
        mnemonic=mnemonic,
        passphrase=passphrase,
        password=password,
        kdf=kdf,
        gap_limit=gap_limit,
        birth_height=birth_height,
        birth_time=birth_time,
        sources=sources,
    )


def create_watch_only(
    path: str | Path,
    network: Network,
    key_or_descriptor: str,
    *,
    script: ScriptChoice = ScriptChoice.P2WPKH,
    gap_limit: int = DEFAULT_GAP_LIMIT,
    password: str | None = None,
    kdf: ScryptParams | None = None,
) -> Path:
    """Make a watch-only wallet from an account xpub/ypub/zpub or a ranged descriptor.

    With ``password`` its ``wallet.json`` carries a MAC under it (account/integrity.py), so a
    changed descriptor is caught when the password is given.
    """
    descriptors = watch_only_descriptors(key_or_descriptor, network, script)
    _refuse_existing(path)
    return create_wallet(
        path, network, descriptors, gap_limit=gap_limit, password=password, kdf=kdf
    )


def _refuse_existing(path: str | Path) -> None:
    # Wallet.create checks again at the end; this only saves the user a half-second of scrypt.
    if Path(path).exists():
        raise WalletExistsError(
            f"A wallet (or other file) already exists at {Path(path).absolute()}."
        )


__all__ = [
    "MIN_PASSWORD_LENGTH",
    "NEW_SEED_WORDS",
    "SCRIPT_NAMES",
    "AccountDescriptors",
    "ScriptChoice",
    "create_from_seed",
    "create_wallet",
    "create_watch_only",
    "multipath_descriptor",
    "new_seed",
    "parse_script_choice",
    "seed_descriptors",
    "store_addresses",
    "watch_only_descriptors",
]
