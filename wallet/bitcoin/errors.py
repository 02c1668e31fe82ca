"""One error family for the pure Bitcoin layer.

Every malformed input raises a subclass of :class:`BitcoinError` with a sentence a person can act
on; callers never see ``IndexError`` or ``struct.error`` from bad bytes.
"""

from wallet.errors import PaylightError


class BitcoinError(PaylightError, ValueError):
    """Base of every error raised by ``wallet.bitcoin``."""


class DecodeError(BitcoinError):
    """Bytes or text that do not parse (truncated, trailing data, bad length, bad checksum)."""


class EncodingError(DecodeError):
    """A base58/bech32 string that is malformed."""


class AddressError(BitcoinError):
    """An address that is malformed or cannot be used."""


class NetworkMismatchError(AddressError):
    """An address, key or descriptor that belongs to another network than the one in use."""


class ScriptError(BitcoinError):
    """A script that is malformed or of an unsupported template."""


class KeyDerivationError(BitcoinError):
    """A BIP32 key or path that is invalid."""


class MnemonicError(BitcoinError):
    """A BIP39 mnemonic with unknown words or a bad checksum."""


class DescriptorError(BitcoinError):
    """An output descriptor that does not parse or has a wrong checksum."""


class TransactionError(DecodeError):
    """A transaction that does not parse or is inconsistent."""


class SigningError(BitcoinError):
    """A signature that cannot be made (missing key, missing UTXO data, unsupported script)."""


class PSBTError(DecodeError):
    """A PSBT that does not parse or violates BIP174."""
