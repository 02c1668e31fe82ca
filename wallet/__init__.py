"""Paylight: a desktop Bitcoin wallet and light node that verifies its own payments."""

__version__ = "0.1.0"
