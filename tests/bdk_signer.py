"""An air-gapped signer played by another implementation: BDK (``bdkpython``) holding the seed.

Shared by the command-line and app end-to-end tests: it exports its account as a signer shows
it (a ``ur:crypto-account`` around BDK's own BIP84 account key, or ``[fingerprint/path]tpub``)
and signs PSBTs without finalizing them, knowing nothing of the chain.
"""

from __future__ import annotations

import bdkpython as bdk

from wallet.bitcoin.bip32 import ExtendedKey, parse_path
from wallet.payments.ur.registry import HDKey, account_to_ur, output_to_cbor
from wallet.payments.ur.ur import encode_single

WORDS = "legal winner thank year wave sausage worth useful legal winner thank yellow"


class BdkSigner:
    """An air-gapped signer: BDK holding the seed, knowing nothing of the chain."""

    def __init__(self, words: str) -> None:
        secret = bdk.DescriptorSecretKey(
            bdk.NetworkKind.TEST, bdk.Mnemonic.from_string(words), None
        )
        external = bdk.Descriptor.new_bip84(secret, bdk.KeychainKind.EXTERNAL, bdk.NetworkKind.TEST)
        internal = bdk.Descriptor.new_bip84(secret, bdk.KeychainKind.INTERNAL, bdk.NetworkKind.TEST)
        self.public = str(external).split("#")[0]  # wpkh([fp/84'/1'/0']tpub.../0/*)
        self.wallet = bdk.Wallet(
            external, internal, bdk.Network.REGTEST, bdk.Persister.new_in_memory()
        )

    @property
    def key_with_origin(self) -> str:
        return self.public[len("wpkh(") : -len("/0/*)")]

    @property
    def fingerprint(self) -> str:
        return self.key_with_origin[1:9]

    def account_ur(self) -> str:
        """The account QR a signer shows: a crypto-account around BDK's account key."""
        origin, tpub = self.key_with_origin[1:].split("]")
        path = parse_path(origin.split("/", 1)[1])
        key = HDKey.from_extended(
            ExtendedKey.parse(tpub, "regtest"), bytes.fromhex(origin[:8]), path
        )
        return encode_single(
            account_to_ur(bytes.fromhex(origin[:8]), [output_to_cbor("wpkh", key)])
        )

    def first_address(self) -> str:
        return str(self.wallet.peek_address(bdk.KeychainKind.EXTERNAL, 0).address)

    def sign(self, psbt_base64: str) -> str:
        psbt = bdk.Psbt(psbt_base64)
        options = bdk.SignOptions(
            trust_witness_utxo=False,
            assume_height=None,
            allow_all_sighashes=False,
            try_finalize=False,  # Paylight finalizes
            sign_with_tap_internal_key=True,
            allow_grinding=True,
        )
        finalized = self.wallet.sign(psbt, options)
        assert not finalized
        return psbt.serialize()
