"""Compare Qt with ICU's full data and with icu_trim.py's: ``python3 packaging/icu_check.py``.

Runs the same probes twice in child processes, the second time with the trimmed library
LD_PRELOADed (same soname, so Qt binds to it): sorting in many locales (QCollator, numeric and
case-insensitive as the file dialog sorts), case mapping, time-zone names and legacy decoders.
Prints every difference; exits 1 when sorting or case mapping differ, which must never happen.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import PySide6

sys.path.insert(0, str(Path(__file__).resolve().parent))
import icu_trim

PROBE = r"""
import functools, json
from PySide6.QtCore import QByteArray, QCollator, QLocale, QStringDecoder, QTimeZone, Qt
words = ["file10", "file2", "File1", "çay", "cay", "ıslak", "islak", "Ångström", "Zorro", "aa",
         "ab", "ch", "cz", "ñu", "nu", "Ø", "OE", "ü", "ue", "가", "나", "日本", "中文", "ß", "ss"]
out = {"sort": {}, "case": {}, "zone": {}, "codec": {}}
for name in ("en_US", "de_DE", "de_DE@collation=phonebook", "sv_SE", "da_DK", "nb_NO", "fi_FI",
             "tr_TR", "es_ES", "cs_CZ", "pl_PL", "fr_CA", "ja_JP", "zh_CN", "zh_TW", "ko_KR"):
    collator = QCollator(QLocale(name))
    collator.setNumericMode(True)
    collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    out["sort"][name] = sorted(words, key=functools.cmp_to_key(collator.compare))
for name in ("tr_TR", "de_DE", "el_GR", "lt_LT", "en_US"):
    out["case"][name] = [QLocale(name).toUpper("istanbul straße ΐ"), QLocale(name).toLower("IİI")]
zone = QTimeZone(b"Europe/Berlin")
for name in ("en_US", "en_GB", "de_DE", "ja_JP"):
    out["zone"][name] = zone.displayName(QTimeZone.TimeType.StandardTime,
                                         QTimeZone.NameType.LongName, QLocale(name))
for name in ("windows-1252", "KOI8-R", "ISO-8859-7", "IBM437", "Shift_JIS", "GB18030", "Big5"):
    out["codec"][name] = QStringDecoder(name).isValid()
print(json.dumps(out))
"""


def probe(preload: Path | None) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    if preload:
        env["LD_PRELOAD"] = str(preload)
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def main() -> int:
    full_lib = next((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    with tempfile.TemporaryDirectory() as work:
        trimmed = icu_trim.trim(full_lib, Path(work))
        print(f"{full_lib.name}: {full_lib.stat().st_size:,} -> {trimmed.stat().st_size:,} bytes")
        full, trim = probe(None), probe(trimmed)
    broken = False
    for kind in full:
        for name, value in full[kind].items():
            if trim[kind][name] != value:
                print(f"{kind} {name}: full {value!r}, trimmed {trim[kind][name]!r}")
                broken |= kind in ("sort", "case")
    print("FAIL: sorting or case mapping changed" if broken else "sorting and case mapping: same")
    return 1 if broken else 0


if __name__ == "__main__":
    raise SystemExit(main())
