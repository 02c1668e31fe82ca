"""The servers' TLS trust on first use, shared by every Paylight process: ``tls-pins.json``.

The file maps ``host:port`` to the SHA-256 (hex) of the certificate first seen there, or to
``"ca-verified"`` for a server whose first certificate a certificate authority vouched for (see
``wallet.backends.electrum``). Two processes (the GUI syncing while the CLI runs) may pin at the
same moment, so every change is a read-modify-write under an OS lock (``tls-pins.json.lock``)
and the file is replaced atomically: neither loses the other's pins. A damaged file is an error
that names it, never an empty trust store (which would trust every certificate anew).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

from wallet import bounded_json
from wallet.account.atomic import atomic_write, file_lock
from wallet.backends.electrum import CA_VERIFIED, CertPins, PinStoreError

#: a few hundred servers at most; a larger file is not ours
MAX_FILE = 1 << 20
_FINGERPRINT = re.compile(r"[0-9a-f]{64}")


class PinFile(CertPins):
    """:class:`CertPins` kept in ``path``: every read sees other processes' latest pins, every
    change is merged into the file under its lock."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__()
        self.path = Path(path)
        self._pins = self._read()  # a damaged file fails here, when the pool is opened

    def get(self, key: str) -> str | None:
        self._pins = self._read()
        return self._pins.get(key)

    def first(self, key: str, entry: str) -> str:
        with self._locked():
            self._pins = self._read()
            if key not in self._pins:
                self._pins[key] = entry
                self._write()
            return self._pins[key]

    def set(self, key: str, entry: str) -> None:
        with self._locked():
            self._pins = self._read()
            self._pins[key] = entry
            self._write()

    def forget(self, key: str) -> None:
        with self._locked():
            self._pins = self._read()
            if self._pins.pop(key, None) is not None:
                self._write()

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        lock = contextlib.ExitStack()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock.enter_context(file_lock(self.path.with_name(self.path.name + ".lock")))
        except OSError as exc:
            raise PinStoreError(f"cannot lock {self.path}: {exc.strerror or exc}") from None
        with lock:
            yield

    def _read(self) -> dict[str, str]:
        try:
            with open(self.path, "rb") as handle:
                blob = handle.read(MAX_FILE + 1)
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise PinStoreError(f"cannot read {self.path}: {exc.strerror or exc}") from None
        try:
            doc = bounded_json.loads(blob, max_bytes=MAX_FILE)
        except ValueError as exc:
            raise self._damaged(str(exc)) from None
        if not isinstance(doc, dict):
            raise self._damaged("it is not a JSON object")
        for key, value in doc.items():
            if not isinstance(value, str) or not (
                value == CA_VERIFIED or _FINGERPRINT.fullmatch(value)
            ):
                raise self._damaged(f"the entry for {key[:80]!r} is not a certificate fingerprint")
        return doc

    def _damaged(self, detail: str) -> PinStoreError:
        return PinStoreError(
            f"the TLS certificate pins {self.path} are damaged ({detail}); repair the file, or "
            "remove it to trust every server's certificate anew on its next use"
        )

    def _write(self) -> None:
        data = (json.dumps(self._pins, indent=1, sort_keys=True) + "\n").encode()
        try:
            atomic_write(self.path, data)
        except OSError as exc:
            raise PinStoreError(f"cannot write {self.path}: {exc.strerror or exc}") from None
