"""The one JSON reader for input from outside: files, server replies, pasted text.

``json.loads`` alone recurses once per nesting level, so a file of 1,000 ``[`` raises
``RecursionError`` (not ``ValueError``) and escapes every ``except ValueError``; it also reads a
document of any size and accepts ``NaN``. :func:`loads` bounds the size and the nesting depth
before parsing and refuses ``NaN``/``Infinity``; every failure is a :class:`JSONInputError`, a
``ValueError`` as well, so callers that already catch ``ValueError`` turn it into their own
error with a sentence.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from wallet.errors import PaylightError

#: No Paylight document (wallet, keystore, receipt, label, server reply) nests deeper than ~6.
MAX_DEPTH = 32
#: Files are small; server replies pass their own (larger) limit.
MAX_BYTES = 1 << 20

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


class JSONInputError(PaylightError, ValueError):
    """Outside JSON that is too large, nested too deeply, or not JSON (a phrase, for callers
    to put after "the receipt cannot be read: ")."""


def nesting_depth(text: str) -> int:
    """The deepest ``[``/``{`` nesting in ``text``, brackets inside strings not counted."""
    depth = deepest = 0
    for char in _NOT_BRACKET.sub("", _STRING.sub("", text)):
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def loads(
    data: str | bytes,
    *,
    max_bytes: int = MAX_BYTES,
    max_depth: int = MAX_DEPTH,
    object_pairs_hook: Callable[[list[tuple[str, Any]]], Any] | None = None,
    parse_float: Callable[[str], Any] | None = None,
) -> Any:
    """Parse ``data`` (UTF-8 bytes or text) no larger than ``max_bytes`` and nested no deeper
    than ``max_depth``; anything else raises :class:`JSONInputError`."""
    if len(data) > max_bytes:  # characters or bytes: either way at least that many bytes
        raise JSONInputError(f"it is larger than the {max_bytes:,} bytes accepted")
    if isinstance(data, bytes | bytearray):
        try:
            text = bytes(data).decode("utf-8")
        except UnicodeDecodeError:
            raise JSONInputError("it is not UTF-8 text") from None
    elif isinstance(data, str):
        text = data
    else:
        raise JSONInputError(f"it is {type(data).__name__}, not JSON text")
    if text.count("[") + text.count("{") > max_depth and nesting_depth(text) > max_depth:
        raise JSONInputError(f"it is nested deeper than {max_depth} levels")
    try:
        return json.loads(
            text,
            parse_constant=_refuse_constant,
            object_pairs_hook=object_pairs_hook,
            parse_float=parse_float,
        )
    except RecursionError:  # only if max_depth is set near the interpreter's limit
        raise JSONInputError(f"it is nested too deeply to read (limit {max_depth})") from None
    except ValueError as exc:  # JSONDecodeError, a 4,301-digit integer, NaN, a hook's refusal
        raise JSONInputError(f"it is not valid JSON ({exc})") from None
