"""The encrypted keystore: round trips, wrong passwords, damage, crashes, and secrets kept out of
reprs and logs. Real files in tmp_path; crashes are real processes killed with SIGKILL."""

from __future__ import annotations

import json
import logging
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from mnemonic import Mnemonic

from wallet.account.atomic import remove_stale_temporaries
from wallet.account.errors import KeystoreCorruptError, KeystoreError, WrongPasswordError
from wallet.account.keystore import (
    FORMAT_VERSION,
    Keystore,
    KeystoreSecret,
    ScryptParams,
    SecretKind,
    decrypt_secret,
    encrypt_secret,
    parse_keystore,
)
from wallet.errors import PaylightError

REPO = Path(__file__).resolve().parents[1]
CHEAP = ScryptParams.insecure_for_tests()
MNEMONIC = Mnemonic("english").to_mnemonic(bytes(range(32)))  # 24 real BIP39 words
XPRV = (
    "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRN"
    "NU3TGtRBeJgk33yuGBxrMPHi"
)  # BIP32 test vector 1, chain m


def run_python(code: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def make_keystore(path: Path, password: str = "old password", **kw) -> KeystoreSecret:
    secret = KeystoreSecret.from_mnemonic(MNEMONIC, **kw)
    Keystore.create(path, secret, password, CHEAP)
    return secret


# -- round trips ------------------------------------------------------------------------------


def test_mnemonic_round_trip_through_a_file(tmp_path):
    path = tmp_path / "keystore.json"
    secret = make_keystore(path, passphrase="TREZOR")
    opened = Keystore(path).unlock("old password")
    assert opened == secret
    assert opened.kind is SecretKind.MNEMONIC and opened.value == MNEMONIC
    # Default: the passphrase's use is recorded, the passphrase itself is not.
    assert opened.passphrase_used and opened.passphrase is None
    assert "TREZOR" not in path.read_text()


def test_passphrase_is_stored_only_when_asked(tmp_path):
    path = tmp_path / "keystore.json"
    make_keystore(path, passphrase="TREZOR", store_passphrase=True)
    opened = Keystore(path).unlock("old password")
    assert opened.passphrase_used and opened.passphrase == "TREZOR"
    no_passphrase = KeystoreSecret.from_mnemonic(MNEMONIC, "", store_passphrase=True)
    assert not no_passphrase.passphrase_used and no_passphrase.passphrase is None


def test_xprv_round_trip(tmp_path):
    path = tmp_path / "keystore.json"
    Keystore.create(path, KeystoreSecret.from_xprv(XPRV), "pw", CHEAP)
    opened = Keystore(path).unlock("pw")
    assert opened.kind is SecretKind.XPRV and opened.value == XPRV and not opened.passphrase_used


def test_file_format_is_the_documented_one(tmp_path):
    path = tmp_path / "keystore.json"
    make_keystore(path)
    doc = json.loads(path.read_text())
    assert doc["format"] == "paylight-keystore" and doc["version"] == FORMAT_VERSION
    assert doc["kdf"] | {"salt": None} == {"name": "scrypt", "n": 16, "r": 1, "p": 1, "salt": None}
    assert doc["cipher"]["name"] == "chacha20-poly1305"
    header, ciphertext = parse_keystore(path.read_bytes())
    assert len(header.salt) == 32 and len(header.nonce) == 12
    # Padded to 256-byte blocks plus the 16-byte tag: 12 and 24 words give the same size.
    assert len(ciphertext) % 256 == 16
    if os.name == "posix":
        assert path.stat().st_mode & 0o777 == 0o600


def test_twelve_and_twenty_four_words_give_the_same_file_size():
    m = Mnemonic("english")
    short = encrypt_secret(KeystoreSecret.from_mnemonic(m.generate(128)), "pw", CHEAP)
    long = encrypt_secret(KeystoreSecret.from_mnemonic(m.generate(256)), "pw", CHEAP)
    assert len(short) == len(long)


def test_fresh_salt_and_nonce_every_time():
    secret = KeystoreSecret.from_mnemonic(MNEMONIC)
    a = parse_keystore(encrypt_secret(secret, "pw", CHEAP))[0]
    b = parse_keystore(encrypt_secret(secret, "pw", CHEAP))[0]
    assert a.salt != b.salt and a.nonce != b.nonce


def test_default_parameters_are_strong(tmp_path):
    """New keystores default to n=2**17, r=8, p=1 (128 MiB); the file records them."""
    assert ScryptParams.default() == ScryptParams(1 << 17, 8, 1)
    assert ScryptParams.default().memory_bytes == 128 << 20
    path = tmp_path / "keystore.json"
    Keystore.create(path, KeystoreSecret.from_mnemonic(MNEMONIC), "pw")
    assert Keystore(path).header().kdf == ScryptParams.default()
    started = time.perf_counter()
    assert Keystore(path).unlock("pw").value == MNEMONIC
    elapsed = time.perf_counter() - started
    assert elapsed < 10, f"unlocking took {elapsed:.2f} s"


def test_password_is_normalized_nfkc(tmp_path):
    path = tmp_path / "keystore.json"
    composed = "caf\u00e9 \uff21"  # é composed, fullwidth A
    make_keystore(path, password=composed)
    typed_elsewhere = unicodedata.normalize("NFD", "caf\u00e9") + " A"
    assert Keystore(path).unlock(typed_elsewhere).value == MNEMONIC


@settings(max_examples=60, deadline=None)
@given(
    value=st.text(min_size=1, max_size=400),
    passphrase=st.text(max_size=60),
    store=st.booleans(),
    password=st.text(min_size=1, max_size=80),
)
def test_round_trip_property(value, passphrase, store, password):
    secret = KeystoreSecret.from_mnemonic(value, passphrase, store_passphrase=store)
    assert decrypt_secret(encrypt_secret(secret, password, CHEAP), password) == secret


@settings(max_examples=40, deadline=None)
@given(value=st.text(min_size=1, max_size=200), password=st.text(min_size=1, max_size=40))
def test_xprv_round_trip_property(value, password):
    secret = KeystoreSecret.from_xprv(value)
    assert decrypt_secret(encrypt_secret(secret, password, CHEAP), password) == secret


@settings(max_examples=40, deadline=None)
@given(right=st.text(min_size=1, max_size=40), wrong=st.text(min_size=1, max_size=40))
def test_any_other_password_is_refused(right, wrong):
    nfkc = unicodedata.normalize
    assume(nfkc("NFKC", right) != nfkc("NFKC", wrong))
    blob = encrypt_secret(KeystoreSecret.from_mnemonic(MNEMONIC), right, CHEAP)
    with pytest.raises(WrongPasswordError):
        decrypt_secret(blob, wrong)


# -- wrong passwords and refusals leave the disk as it was ------------------------------------


def test_wrong_password_leaves_the_file_byte_identical(tmp_path):
    path = tmp_path / "keystore.json"
    make_keystore(path)
    before, stat = path.read_bytes(), path.stat()
    with pytest.raises(WrongPasswordError) as info:
        Keystore(path).unlock("not the password")
    assert isinstance(info.value, PaylightError)
    assert "password is wrong" in str(info.value)
    with pytest.raises(WrongPasswordError):
        Keystore(path).change_password("not the password", "new password")
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == stat.st_mtime_ns and path.stat().st_ino == stat.st_ino
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keystore.json"]
    assert Keystore(path).unlock("old password").value == MNEMONIC


def test_create_never_overwrites(tmp_path):
    path = tmp_path / "keystore.json"
    make_keystore(path)
    before = path.read_bytes()
    with pytest.raises(KeystoreError, match="already exists"):
        Keystore.create(path, KeystoreSecret.from_xprv(XPRV), "pw", CHEAP)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keystore.json"]


def test_empty_password_and_empty_secret_are_refused(tmp_path):
    with pytest.raises(KeystoreError, match="empty"):
        Keystore.create(tmp_path / "k", KeystoreSecret.from_mnemonic(MNEMONIC), "", CHEAP)
    with pytest.raises(KeystoreError, match="empty"):
        KeystoreSecret.from_mnemonic("")
    assert not (tmp_path / "k").exists()


def test_missing_keystore_is_a_clear_error(tmp_path):
    with pytest.raises(KeystoreError, match="missing"):
        Keystore(tmp_path / "keystore.json").unlock("pw")


# -- damage -----------------------------------------------------------------------------------


def test_every_truncation_is_a_corrupt_error_and_nothing_is_written(tmp_path):
    good = encrypt_secret(KeystoreSecret.from_mnemonic(MNEMONIC), "pw", CHEAP)
    path = tmp_path / "keystore.json"
    assert good.endswith(b"}\n")
    for cut in range(len(good) - 1):  # every proper prefix of the JSON document
        path.write_bytes(good[:cut])
        with pytest.raises(KeystoreError) as info:
            Keystore(path).unlock("pw")
        # Reported as damage (not as a wrong password), with the path; the file is untouched.
        assert isinstance(info.value, KeystoreCorruptError), cut
        assert str(path) in str(info.value)
        with pytest.raises(KeystoreCorruptError):
            Keystore(path).change_password("pw", "new")
        assert path.read_bytes() == good[:cut]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keystore.json"]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_garbage_is_a_corrupt_error(blob):
    with pytest.raises(KeystoreCorruptError):
        decrypt_secret(blob, "pw")


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_a_changed_byte_never_yields_another_secret(data):
    secret = KeystoreSecret.from_mnemonic(MNEMONIC, "p", store_passphrase=True)
    good = encrypt_secret(secret, "pw", CHEAP)
    i = data.draw(st.integers(0, len(good) - 1))
    new = data.draw(st.integers(0, 255).filter(lambda b: b != good[i]))
    damaged = good[:i] + bytes([new]) + good[i + 1 :]
    try:
        opened = decrypt_secret(damaged, "pw")
    except KeystoreError:  # WrongPasswordError (tag failed) or KeystoreCorruptError
        return
    assert opened == secret  # only a harmless change (e.g. whitespace) can still open


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("n", 32, WrongPasswordError),  # weaker/stronger n: bound by the associated data
        ("r", 2, WrongPasswordError),
        ("salt", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", WrongPasswordError),
        ("n", 1 << 30, KeystoreCorruptError),  # would need 128 GiB: refused before scrypt runs
        ("n", 1000, KeystoreCorruptError),  # not a power of two
        ("name", "argon2", KeystoreCorruptError),
    ],
)
def test_kdf_parameters_are_bound_and_bounded(field, value, error):
    doc = json.loads(encrypt_secret(KeystoreSecret.from_mnemonic(MNEMONIC), "pw", CHEAP))
    doc["kdf"][field] = value
    started = time.perf_counter()
    with pytest.raises(error):
        decrypt_secret(json.dumps(doc).encode(), "pw")
    assert time.perf_counter() - started < 5


def test_nonce_and_version_are_bound():
    doc = json.loads(encrypt_secret(KeystoreSecret.from_mnemonic(MNEMONIC), "pw", CHEAP))
    other = dict(doc, cipher={"name": "chacha20-poly1305", "nonce": "AAAAAAAAAAAAAAAA"})
    with pytest.raises(WrongPasswordError):
        decrypt_secret(json.dumps(other).encode(), "pw")
    newer = dict(doc, version=FORMAT_VERSION + 1)
    with pytest.raises(KeystoreCorruptError, match="newer Paylight"):
        decrypt_secret(json.dumps(newer).encode(), "pw")


def test_oversized_file_is_not_read_whole(tmp_path):
    path = tmp_path / "keystore.json"
    path.write_bytes(b" " * (10 << 20))
    with pytest.raises(KeystoreCorruptError, match="far larger"):
        Keystore(path).unlock("pw")


# -- changing the password --------------------------------------------------------------------


def test_change_password(tmp_path):
    path = tmp_path / "keystore.json"
    secret = make_keystore(path, passphrase="x", store_passphrase=True)
    old_header = Keystore(path).header()
    Keystore(path).change_password("old password", "new password")
    new_header = Keystore(path).header()
    assert new_header.kdf == old_header.kdf  # params=None keeps the file's cost
    assert new_header.salt != old_header.salt and new_header.nonce != old_header.nonce
    assert Keystore(path).unlock("new password") == secret
    with pytest.raises(WrongPasswordError):
        Keystore(path).unlock("old password")
    # Upgrading the cost is explicit.
    stronger = ScryptParams(1 << 10, 8, 1)
    Keystore(path).change_password("new password", "third", stronger)
    assert Keystore(path).header().kdf == stronger
    assert Keystore(path).unlock("third") == secret
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keystore.json"]


_CRASH_AT_RENAME = r"""
import os, signal, sys
from wallet.account.keystore import Keystore
path, mode = sys.argv[1], sys.argv[2]

def hook(event, args):
    # os.replace raises the "os.rename" audit event just before the rename(2) call.
    if event == "os.rename" and str(args[1]).endswith("keystore.json"):
        if mode == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        raise OSError(28, "No space left on device")

sys.addaudithook(hook)
try:
    Keystore(path).change_password("old password", "new password")
except Exception as exc:
    print(type(exc).__name__, exc)
    sys.exit(3)
print("changed")
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_killed_just_before_the_rename_leaves_the_old_keystore(tmp_path):
    path = tmp_path / "keystore.json"
    make_keystore(path)
    before = path.read_bytes()
    result = run_python(_CRASH_AT_RENAME, str(path), "kill")
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert path.read_bytes() == before
    assert Keystore(path).unlock("old password").value == MNEMONIC
    # The complete new file was written and synced, but never renamed into place.
    leftovers = [p for p in tmp_path.iterdir() if p.name != "keystore.json"]
    assert len(leftovers) == 1 and leftovers[0].name.startswith(".keystore.json.")
    assert decrypt_secret(leftovers[0].read_bytes(), "new password").value == MNEMONIC
    assert remove_stale_temporaries(path) == leftovers
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keystore.json"]


def test_a_failed_rename_reports_and_keeps_the_old_keystore(tmp_path):
    path = tmp_path / "keystore.json"
    make_keystore(path)
    before = path.read_bytes()
    result = run_python(_CRASH_AT_RENAME, str(path), "fail")
    assert result.returncode == 3, result.stderr
    assert result.stdout.startswith("KeystoreError")
    assert "old password still opens it" in result.stdout
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keystore.json"]  # temp removed
    assert Keystore(path).unlock("old password").value == MNEMONIC


_CHANGE_FOREVER = r"""
import sys
from wallet.account.keystore import Keystore
keystore = Keystore(sys.argv[1])
passwords = ["password A", "password B"]
i = 0
print("ready", flush=True)
while True:
    keystore.change_password(passwords[i % 2], passwords[(i + 1) % 2])
    i += 1
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_sigkill_at_random_moments_during_password_changes(tmp_path):
    """Kill a process that changes the password in a loop; the keystore always opens."""
    path = tmp_path / "keystore.json"
    secret = make_keystore(path, password="password A")
    rng = random.Random(5)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    opened_with = set()
    for _ in range(8):
        proc = subprocess.Popen(
            [sys.executable, "-c", _CHANGE_FOREVER, str(path)],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0.0, 0.08))
        proc.kill()
        proc.wait()
        proc.stdout.close()
        for password in ("password A", "password B"):
            try:
                assert Keystore(path).unlock(password) == secret
            except WrongPasswordError:
                continue
            opened_with.add(password)
            break
        else:
            pytest.fail("the keystore opened with neither password after a crash")
        remove_stale_temporaries(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keystore.json"]


# -- secrets stay secret ----------------------------------------------------------------------


def test_secrets_are_not_in_reprs_logs_or_errors(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    path = tmp_path / "keystore.json"
    secret = KeystoreSecret.from_mnemonic(MNEMONIC, "my passphrase", store_passphrase=True)
    xsecret = KeystoreSecret.from_xprv(XPRV)
    Keystore.create(path, secret, "hunter2-password", CHEAP)
    opened = Keystore(path).unlock("hunter2-password")
    Keystore(path).change_password("hunter2-password", "second-password")
    with pytest.raises(WrongPasswordError) as wrong:
        Keystore(path).unlock("hunter2-password")
    texts = [repr(opened), str(opened), repr(secret), f"{secret}", repr(xsecret), str(xsecret)]
    texts += [repr(Keystore(path)), repr(Keystore(path).header()), str(wrong.value)]
    texts += [caplog.text]
    assert caplog.records, "the keystore logs what it does (without secrets)"
    for text in texts:
        first_words = " ".join(MNEMONIC.split()[:3])
        for word in (first_words, XPRV, "my passphrase", "hunter2", "second-password"):
            assert word not in text, (word, text)
    assert "passphrase_used=True" in repr(secret) and "<hidden>" in repr(secret)


def test_scrypt_parameters_are_validated():
    for bad in ((1000, 8, 1), (1 << 27, 8, 1), (0, 8, 1), (16, 0, 1), (16, 8, 99)):
        with pytest.raises(KeystoreError):
            ScryptParams(*bad)


def test_keystore_in_a_directory_that_does_not_exist(tmp_path):
    with pytest.raises(KeystoreError, match="Could not write"):
        Keystore.create(
            tmp_path / "nope" / "keystore.json", KeystoreSecret.from_mnemonic(MNEMONIC), "p", CHEAP
        )


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(password=st.text(min_size=1, max_size=30), value=st.text(min_size=1, max_size=100))
def test_file_round_trip_property(password, value):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "keystore.json"
        Keystore.create(path, KeystoreSecret.from_xprv(value), password, CHEAP)
        assert Keystore(path).unlock(password).value == value
