"""Helpers of the GUI tests (no tests here): a wallet made and filled with one transaction per
situation through the database's own API, and payments stored as the engine stores them."""

from __future__ import annotations

import threading
from pathlib import Path

from wallet.account.database import Chain, MerkleProof, TxState
from wallet.account.keystore import ScryptParams
from wallet.account.paths import wallet_dir
from wallet.account.wallet_file import Wallet
from wallet.bitcoin.address import address_to_script, p2wpkh_address
from wallet.bitcoin.bip32 import ExtendedKey
from wallet.bitcoin.bip39 import mnemonic_to_seed
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.networks import REGTEST
from wallet.bitcoin.transaction import OutPoint, Transaction, TxIn, TxOut
from wallet.gui.controller import WalletController
from wallet.gui.wallet_setup import create_wallet, seed_descriptors
from wallet.spv.merkle import merkle_branch, merkle_root
from wallet.sync.runner import thread_wallet

CHEAP = ScryptParams.insecure_for_tests()

MNEMONIC = "abandon " * 11 + "about"

PASSWORD = "correct horse battery"

#: Someone else's regtest address (BIP84 "abandon…" account 1 would do; any valid one works).
EXTERNAL = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080"

A_VALUE, B_VALUE, C_VALUE = 150_000_000, 25_000_000, 1_000_000

D_PAID, D_CHANGE = 40_000_000, 109_990_000


def funding_tx(script: bytes, value: int, salt: int) -> Transaction:
    """A transaction paying ``value`` to ``script`` from a made-up outside coin."""
    prevout = OutPoint(sha256d(salt.to_bytes(4, "little")), 0)
    return Transaction(
        2,
        [TxIn(prevout, witness=[b"\x01" * 72, b"\x02" * 33])],
        [
            TxOut(value, script),
            TxOut(12_345, address_to_script(EXTERNAL, "regtest")),
        ],
    )


def make_wallet(name: str = "Shop", kdf: ScryptParams = CHEAP) -> Path:
    descriptors = seed_descriptors(MNEMONIC, "", REGTEST)
    return create_wallet(
        wallet_dir(name, REGTEST),
        REGTEST,
        descriptors,
        mnemonic=MNEMONIC,
        password=PASSWORD,
        kdf=kdf,
    )


def populate(wallet: Wallet) -> dict:
    """Four transactions, one per situation, through WalletDatabase's own API."""
    db = wallet.db
    receive = db.addresses(Chain.RECEIVE)
    change = db.addresses(Chain.CHANGE)
    tx_a = funding_tx(receive[0].script_pubkey, A_VALUE, 1)
    tx_b = funding_tx(receive[1].script_pubkey, B_VALUE, 2)
    tx_c = funding_tx(receive[2].script_pubkey, C_VALUE, 3)
    tx_d = Transaction(
        2,
        [TxIn(OutPoint(tx_a.txid(), 0), witness=[b"\x03" * 72, b"\x04" * 33])],
        [
            TxOut(D_PAID, address_to_script(EXTERNAL, "regtest")),
            TxOut(D_CHANGE, change[0].script_pubkey),
        ],
    )
    # A block of three transactions with A at position 1: branch, root and header are real.
    leaves = [sha256d(b"coinbase"), tx_a.txid(), sha256d(b"other")]
    branch = merkle_branch(leaves, 1)
    root = merkle_root(leaves)
    header = (
        (0x20000000).to_bytes(4, "little")
        + sha256d(b"previous")
        + root
        + (1_700_000_000).to_bytes(4, "little")
        + bytes.fromhex("ffff7f20")
        + (7).to_bytes(4, "little")
    )
    proof = MerkleProof(100, sha256d(header), 1, tuple(branch))
    db.add_transaction(
        tx_a.serialize(), state=TxState.CONFIRMED, proof=proof, first_seen=1_700_000_000
    )
    db.add_transaction(
        tx_b.serialize(), state=TxState.UNVERIFIED, height=101, first_seen=1_700_000_600
    )
    db.add_transaction(tx_c.serialize(), first_seen=1_700_001_000)
    db.add_transaction(tx_d.serialize(), first_seen=1_700_002_000)
    return {"a": tx_a, "b": tx_b, "c": tx_c, "d": tx_d, "proof": proof, "root": root}


def engine_write(wallet: Wallet, controller: WalletController, salt: int) -> bytes:
    """Store a payment as the engine does: on another thread with its own connection, then
    tell the controller from that thread."""
    done: list[bytes] = []

    def work() -> None:
        other = thread_wallet(wallet)
        try:
            address = other.db.addresses(Chain.RECEIVE)[5]
            tx = funding_tx(address.script_pubkey, 70_000 + salt, 100 + salt)
            other.db.add_transaction(tx.serialize(), state=TxState.UNCONFIRMED)
            done.append(tx.txid())
        finally:
            other.db.close()
        controller._engine_changed.emit()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    return done[0]


def bip84_receive(mnemonic: str, index: int, network: str = "mainnet", chain: int = 0) -> str:
    """Independent of the wizard: BIP32 path m/84'/coin'/0'/chain/index, then P2WPKH."""
    coin = 0 if network == "mainnet" else 1
    master = ExtendedKey.from_seed(mnemonic_to_seed(mnemonic), network)
    key = master.derive_path(f"m/84'/{coin}'/0'/{chain}/{index}")
    return p2wpkh_address(key.public_key, network)
