"""Chain parameters for every network Paylight speaks, in one place.

Values are Bitcoin Core's (``kernel/chainparams.cpp``); the test suite checks that each genesis
header built from them hashes to the genesis hash, and that libbitcoinkernel agrees.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wallet.bitcoin.errors import BitcoinError


@dataclass(frozen=True)
class Network:
    name: str
    #: Bitcoin Core's ``-chain=`` name (``main``, ``test``, ``testnet4``, ``signet``, ``regtest``).
    core_name: str
    bech32_hrp: str
    p2pkh_version: int
    p2sh_version: int
    wif_prefix: int
    xpub_version: bytes
    xprv_version: bytes
    #: SLIP-132 public versions accepted on read: prefix -> script type it implies.
    slip132_public: dict[str, bytes]
    slip132_private: dict[str, bytes]
    bip44_coin_type: int
    magic: bytes
    default_p2p_port: int
    electrum_tcp_port: int
    electrum_tls_port: int
    genesis_hash: str
    genesis_version: int
    genesis_merkle_root: str
    genesis_time: int
    genesis_bits: int
    genesis_nonce: int
    pow_limit: int
    pow_target_spacing: int = 600
    pow_target_timespan: int = 14 * 24 * 60 * 60
    #: testnet3/testnet4/regtest: a block 20+ minutes after its parent may use the min difficulty.
    allow_min_difficulty_blocks: bool = False
    #: regtest: bits never change.
    no_retargeting: bool = False
    #: testnet4 (BIP94): retarget from the first block of the period, and the time-warp fix.
    enforce_bip94: bool = False
    #: blocks between halvings of the block subsidy (regtest: 150)
    subsidy_halving_interval: int = 210_000

    def block_subsidy(self, height: int) -> int:
        """The new coins a block at ``height`` may create, in satoshis (50 BTC, halving)."""
        halvings = height // self.subsidy_halving_interval
        return 0 if halvings >= 64 else (50 * 100_000_000) >> halvings

    @property
    def retarget_interval(self) -> int:
        return self.pow_target_timespan // self.pow_target_spacing

    @property
    def is_test(self) -> bool:
        return self.name != "mainnet"

    @property
    def address_family(self) -> str:
        """Which networks share this one's address encodings (for error messages)."""
        if self.name == "mainnet":
            return "mainnet"
        if self.name == "regtest":
            return "regtest"
        return "testnet3/testnet4/signet"


_MAIN_POW_LIMIT = 0x00000000FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF
_SATOSHI_MERKLE = "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b"

_TEST_SLIP132_PUB = {
    "tpub": bytes.fromhex("043587cf"),
    "upub": bytes.fromhex("044a5262"),
    "vpub": bytes.fromhex("045f1cf6"),
}
_TEST_SLIP132_PRV = {
    "tprv": bytes.fromhex("04358394"),
    "uprv": bytes.fromhex("044a4e28"),
    "vprv": bytes.fromhex("045f18bc"),
}
_TEST_COMMON: dict[str, Any] = dict(
    p2pkh_version=0x6F,
    p2sh_version=0xC4,
    wif_prefix=0xEF,
    xpub_version=bytes.fromhex("043587cf"),
    xprv_version=bytes.fromhex("04358394"),
    slip132_public=_TEST_SLIP132_PUB,
    slip132_private=_TEST_SLIP132_PRV,
    bip44_coin_type=1,
)

MAINNET = Network(
    name="mainnet",
    core_name="main",
    bech32_hrp="bc",
    p2pkh_version=0x00,
    p2sh_version=0x05,
    wif_prefix=0x80,
    xpub_version=bytes.fromhex("0488b21e"),
    xprv_version=bytes.fromhex("0488ade4"),
    slip132_public={
        "xpub": bytes.fromhex("0488b21e"),
        "ypub": bytes.fromhex("049d7cb2"),
        "zpub": bytes.fromhex("04b24746"),
    },
    slip132_private={
        "xprv": bytes.fromhex("0488ade4"),
        "yprv": bytes.fromhex("049d7878"),
        "zprv": bytes.fromhex("04b2430c"),
    },
    bip44_coin_type=0,
    magic=bytes.fromhex("f9beb4d9"),
    default_p2p_port=8333,
    electrum_tcp_port=50001,
    electrum_tls_port=50002,
    genesis_hash="000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f",
    genesis_version=1,
    genesis_merkle_root=_SATOSHI_MERKLE,
    genesis_time=1231006505,
    genesis_bits=0x1D00FFFF,
    genesis_nonce=2083236893,
    pow_limit=_MAIN_POW_LIMIT,
)

TESTNET3 = Network(
    name="testnet3",
    core_name="test",
    bech32_hrp="tb",
    **_TEST_COMMON,
    magic=bytes.fromhex("0b110907"),
    default_p2p_port=18333,
    electrum_tcp_port=51001,
    electrum_tls_port=51002,
    genesis_hash="000000000933ea01ad0ee984209779baaec3ced90fa3f408719526f8d77f4943",
    genesis_version=1,
    genesis_merkle_root=_SATOSHI_MERKLE,
    genesis_time=1296688602,
    genesis_bits=0x1D00FFFF,
    genesis_nonce=414098458,
    pow_limit=_MAIN_POW_LIMIT,
    allow_min_difficulty_blocks=True,
)

TESTNET4 = Network(
    name="testnet4",
    core_name="testnet4",
    bech32_hrp="tb",
    **_TEST_COMMON,
    magic=bytes.fromhex("1c163f28"),
    default_p2p_port=48333,
    electrum_tcp_port=41001,
    electrum_tls_port=41002,
    genesis_hash="00000000da84f2bafbbc53dee25a72ae507ff4914b867c565be350b0da8bf043",
    genesis_version=1,
    genesis_merkle_root="7aa0a7ae1e223414cb807e40cd57e667b718e42aaf9306db9102fe28912b7b4e",
    genesis_time=1714777860,
    genesis_bits=0x1D00FFFF,
    genesis_nonce=393743547,
    pow_limit=_MAIN_POW_LIMIT,
    allow_min_difficulty_blocks=True,
    enforce_bip94=True,
)

SIGNET = Network(
    name="signet",
    core_name="signet",
    bech32_hrp="tb",
    **_TEST_COMMON,
    magic=bytes.fromhex("0a03cf40"),
    default_p2p_port=38333,
    electrum_tcp_port=60601,
    electrum_tls_port=60602,
    genesis_hash="00000008819873e925422c1ff0f99f7cc9bbb232af63a077a480a3633bee1ef6",
    genesis_version=1,
    genesis_merkle_root=_SATOSHI_MERKLE,
    genesis_time=1598918400,
    genesis_bits=0x1E0377AE,
    genesis_nonce=52613770,
    pow_limit=0x00000377AE000000000000000000000000000000000000000000000000000000,
)

REGTEST = Network(
    name="regtest",
    core_name="regtest",
    bech32_hrp="bcrt",
    **_TEST_COMMON,
    magic=bytes.fromhex("fabfb5da"),
    default_p2p_port=18444,
    electrum_tcp_port=60401,
    electrum_tls_port=60402,
    genesis_hash="0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206",
    genesis_version=1,
    genesis_merkle_root=_SATOSHI_MERKLE,
    genesis_time=1296688602,
    genesis_bits=0x207FFFFF,
    genesis_nonce=2,
    pow_limit=0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF,
    allow_min_difficulty_blocks=True,
    no_retargeting=True,
    subsidy_halving_interval=150,
)

NETWORKS: dict[str, Network] = {n.name: n for n in (MAINNET, TESTNET3, TESTNET4, SIGNET, REGTEST)}
NETWORK_NAMES = tuple(NETWORKS)
#: Accepted spellings on the command line and in files, mapped to the canonical name.
_ALIASES = {"main": "mainnet", "bitcoin": "mainnet", "testnet": "testnet3", "test": "testnet3"}


def get_network(name: str | Network) -> Network:
    """Look a network up by name (mainnet, testnet3, testnet4, signet, regtest) or alias."""
    if isinstance(name, Network):
        return name
    key = _ALIASES.get(name.lower(), name.lower())
    try:
        return NETWORKS[key]
    except KeyError:
        raise BitcoinError(
            f"unknown network {name!r}: use one of {', '.join(NETWORK_NAMES)}"
        ) from None
