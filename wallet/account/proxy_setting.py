"""The stored proxy setting ("use Tor"), one file both front ends read.

The app's Connection settings and ``paylight proxy set`` write it; every ``paylight`` command
and the app's sync session apply it, so a person who turned Tor on in the app is not exposed
by a script that forgot ``--proxy`` (``--proxy none`` is the one-run way out). It lives in
the config folder (a preference, not wallet data) as ``proxy.json``, written atomically.
"""

from __future__ import annotations

import json
from pathlib import Path

from wallet.account.atomic import atomic_write
from wallet.account.paths import config_dir
from wallet.errors import PaylightError
from wallet.net.proxy import parse_proxy

FILE_NAME = "proxy.json"


class ProxySettingError(PaylightError):
    """The stored proxy setting cannot be read; the message names the file and the fix."""


def proxy_setting_file() -> Path:
    return config_dir() / FILE_NAME


def load_proxy_setting(path: Path | None = None) -> str:
    """The stored setting ("" when none was stored): "", "tor", "tor-browser" or socks5://…

    A damaged file is an error, not "no proxy": silently connecting directly would break the
    promise the person made by turning Tor on."""
    path = path or proxy_setting_file()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return ""
    except OSError as exc:
        raise ProxySettingError(f"cannot read the proxy setting {path}: {exc.strerror}") from exc
    try:
        value = json.loads(raw.decode("utf-8"))["proxy"]
        if not isinstance(value, str):
            raise TypeError
        parse_proxy(value)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, PaylightError) as exc:
        raise ProxySettingError(
            f"the proxy setting {path} is damaged; set it again with "
            "'paylight proxy set tor' (or 'none'), or delete the file"
        ) from exc
    return value.strip()


def save_proxy_setting(value: str, path: Path | None = None) -> None:
    """Store ``value`` after checking it is a proxy ("", "none": connect directly)."""
    value = value.strip()
    if parse_proxy(value) is None:
        value = ""
    path = path or proxy_setting_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, json.dumps({"proxy": value}).encode() + b"\n")


__all__ = ["ProxySettingError", "load_proxy_setting", "proxy_setting_file", "save_proxy_setting"]
