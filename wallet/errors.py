"""The root of Paylight's own errors: the CLI and GUI show their message to the user as is."""


class PaylightError(Exception):
    """An error whose message is a sentence a person can act on."""
