"""Rebuild Qt's ICU data library (libicudata.so.NN, 32 MB) with only the data Qt can ask for.

Qt (QtCore is the only ICU user in the bundle) calls four ICU services: converters (ucnv_*, for
QStringConverter's legacy encodings), collation (ucol_*, QCollator: the file dialog's sorting),
time-zone display names (ucal_*) and case mapping (u_strTo{Upper,Lower}); `nm -D` on the Qt
libraries shows no other. So the break-iterator dictionaries, transliterators, unit, currency,
language- and country-name tables, number-spellout rules and Unicode character names can go, as
can the multi-byte converter tables (East-Asian code pages, EBCDIC with shifts; Qt decodes
UTF-8/16/32 and Latin-1 itself, and the single-byte code pages stay). Time-zone display names stay
in English only (QTimeZone::displayName in another language gives the English name; the app
does not call it), and so do the locales' own number, date and calendar formats, which only ICU's
formatting classes read (Qt formats with its own CLDR tables). Collation stays for every locale,
with the supplemental data and the root locale ICU falls back to.

The data sits in the library as one symbol, icudt<NN>_dat, in ICU's "common data" format (a
header, a sorted table of contents, 16-byte aligned items). This module copies that symbol out
with objcopy, drops items from the table, and links a new data-only library with the same soname
and symbol with `as` and `ld` (binutils, which the spec already needs for `strip`).
"""

from __future__ import annotations

import re
import struct
import subprocess
from pathlib import Path

# Item names (after the "icudtNNl/" prefix) that Qt never loads.
DROPPED = re.compile(
    r"^(brkitr|translit|unit|curr|lang|region|rbnf)/"  # break dictionaries, transliteration,
    r"|^unames\.icu$"  # unit/currency/language/country names, spell-out rules, character names
    r"|^zone/(?!(root|en|en_[A-Z0-9_]+|pool|res_index|tzdbNames)\.res$)"  # zone names but English
    r"|^(?!(root|en|en_[A-Z0-9_]+|res_index)\.res$)[a-z]{2,3}(_\w+)?\.res$"  # locales' formats
)


# The ICU functions Qt is known to call; the data kept above serves exactly these.
QT_ICU_CALLS = re.compile(r"(ucnv_|UCNV_|ucol_|ucal_|u_strToLower|u_strToUpper)")


def check_qt_calls(lib: Path) -> None:
    """Stop when Qt (the libraries and plugins beside ``lib``) calls ICU functions this module
    has not considered: a newer Qt may need data that is dropped here."""
    qt = lib.parent.parent
    binaries = [*qt.glob("lib/libQt6*.so*"), *qt.glob("plugins/*/*.so")]
    out = subprocess.run(
        ["nm", "-D", "--undefined-only", *map(str, binaries)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    called = set(re.findall(r"\bU (\w+)_\d+$", out, re.MULTILINE))
    unknown = sorted(name for name in called if not QT_ICU_CALLS.match(name))
    if unknown:
        raise SystemExit(
            f"icu_trim: Qt now calls ICU's {unknown}; check which ICU data they read, keep it in "
            "icu_trim.DROPPED's exceptions and add them to QT_ICU_CALLS"
        )


def _soname(lib: Path) -> str:
    out = subprocess.run(["objdump", "-p", str(lib)], capture_output=True, text=True, check=True)
    match = re.search(r"^\s*SONAME\s+(\S+)$", out.stdout, re.MULTILINE)
    return match.group(1) if match else lib.name


def _symbol(lib: Path) -> str:
    out = subprocess.run(
        ["nm", "-D", "--defined-only", str(lib)], capture_output=True, text=True, check=True
    ).stdout
    names = re.findall(r"\b(icudt\d+_dat)$", out, re.MULTILINE)
    if len(names) != 1:
        raise ValueError(f"{lib}: expected one icudtNN_dat symbol, found {names}")
    return names[0]


def _items(data: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """Split ICU common data into its header and (name, item bytes) in table order."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", data, 0)
    if (magic1, magic2) != (0xDA, 0x27) or data[12:16] != b"CmnD" or data[8] != 0:
        raise ValueError("not little-endian ICU common data (CmnD)")
    count = struct.unpack_from("<I", data, header_size)[0]
    toc = [struct.unpack_from("<II", data, header_size + 4 + 8 * i) for i in range(count)]
    ends = [offset for _, offset in toc[1:]] + [len(data) - header_size]
    items = []
    for (name_offset, offset), end in zip(toc, ends):
        start = header_size + name_offset
        name = data[start : data.index(b"\0", start)].decode("ascii")
        items.append((name, data[header_size + offset : header_size + end]))
    return data[:header_size], items


def _pack(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """ICU common data again: table of contents, names, then items on 16-byte boundaries."""
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    toc_size = 4 + 8 * len(items)
    offset = toc_size + len(names)
    offset += -(len(header) + offset) % 16
    entries, body, name_offset = [], bytearray(), toc_size
    for name, blob in items:
        entries.append(struct.pack("<II", name_offset, offset + len(body)))
        name_offset += len(name) + 1
        body += blob + b"\0" * (-len(blob) % 16)
    toc = struct.pack("<I", len(items)) + b"".join(entries) + names
    toc += b"\0" * (offset - len(toc))
    return header + toc + bytes(body)


def max_bytes_per_char(item: bytes) -> int:
    """UConverterStaticData.maxBytesPerChar of a .cnv item (after its own data header)."""
    header_size = struct.unpack_from("<H", item, 0)[0]
    return item[header_size + 4 + 60 + 4 + 1 + 1 + 1]  # structSize name codepage platform type min


def keep_item(name: str, item: bytes) -> bool:
    short = name.split("/", 1)[1]
    if DROPPED.search(short):
        return False
    return not (short.endswith(".cnv") and max_bytes_per_char(item) > 1)  # multi-byte tables


def trim(lib: Path, workdir: Path) -> Path:
    """A smaller copy of ICU's data library ``lib``, written under ``workdir``; returns its path."""
    workdir.mkdir(parents=True, exist_ok=True)
    check_qt_calls(lib)
    symbol = _symbol(lib)
    raw = workdir / f"{symbol}.full"
    subprocess.run(["objcopy", "-O", "binary", "-j", ".rodata", str(lib), str(raw)], check=True)
    header, items = _items(raw.read_bytes())
    kept = [(name, blob) for name, blob in items if keep_item(name, blob)]
    dat = workdir / f"{items[0][0].split('/')[0]}.dat"  # icudtNNl.dat, the name ICU's tools use
    dat.write_bytes(_pack(header, kept))
    if _items(dat.read_bytes())[1] != kept:  # re-read what was written: the format round-trips
        raise ValueError("icu_trim: the rewritten ICU data does not read back")
    asm = workdir / f"{symbol}.s"
    asm.write_text(
        f"\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n\t.balign 16\n"
        f'{symbol}:\n\t.incbin "{dat.name}"\n\t.size {symbol}, . - {symbol}\n'
        '\t.section .note.GNU-stack,"",@progbits\n'
    )
    obj, out = workdir / f"{symbol}.o", workdir / lib.name
    subprocess.run(["as", "-o", str(obj), asm.name], cwd=workdir, check=True)
    link = ["ld", "-shared", "--build-id=none", "-z", "noexecstack", f"-soname={_soname(lib)}"]
    subprocess.run([*link, "-o", str(out), str(obj)], check=True)
    return out


if __name__ == "__main__":  # python3 packaging/icu_trim.py LIB WORKDIR: try it by hand
    import sys

    result = trim(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{result}: {Path(sys.argv[1]).stat().st_size} -> {result.stat().st_size} bytes")
