"""Strip symbol tables from the bundle's ELF libraries, and refuse any copy `strip` damaged.

Many wheels ship their compiled modules with full symbol tables (Pillow's _imaging, cryptography's
Rust module, coincurve, OpenBLAS: about 12 MB in all). Only the dynamic symbol table matters to
the loader, so `strip --strip-unneeded` is safe in principle. But wheels repaired by auditwheel
were rewritten by patchelf, and stripping such a file has been known to produce a library whose
load segments are no longer page-aligned ("ELF load command address/offset not page-aligned").
So each stripped copy is checked here and the original is kept when the check fails.
"""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

PT_LOAD, SHT_SYMTAB = 1, 2


def _header(data: bytes) -> tuple[int, ...] | None:
    """(phoff, shoff, phentsize, phnum, shentsize, shnum, shstrndx) of a 64-bit LE ELF, or None."""
    if len(data) < 64 or data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return None
    phoff, shoff = struct.unpack_from("<QQ", data, 0x20)
    return (phoff, shoff, *struct.unpack_from("<HHHHH", data, 0x36))


def has_symbols(path: Path) -> bool:
    """True when the file has a static symbol table or debug sections to strip."""
    data = path.read_bytes()
    header = _header(data)
    if header is None:
        return False
    _, shoff, _, _, shentsize, shnum, shstrndx = header
    if not shoff or shstrndx >= shnum:
        return False
    sections = [struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize) for i in range(shnum)]
    strtab_offset = sections[shstrndx][4]
    for name_offset, kind, *_ in sections:
        start = strtab_offset + name_offset
        name = data[start : data.index(b"\0", start)]
        if kind == SHT_SYMTAB or name.startswith(b".debug_"):
            return True
    return False


def loadable(path: Path) -> bool:
    """Every load segment lies within the file and keeps offset ≡ address (mod alignment)."""
    data = path.read_bytes()
    header = _header(data)
    if header is None:
        return False
    phoff, _, phentsize, phnum, *_ = header
    for i in range(phnum):
        kind, _, offset, vaddr, _, filesz, _, align = struct.unpack_from(
            "<IIQQQQQQ", data, phoff + i * phentsize
        )
        if kind != PT_LOAD:
            continue
        if offset + filesz > len(data) or (align > 1 and (offset - vaddr) % align):
            return False
    return True


def strip_copy(src: Path, out: Path) -> bool:
    """Write a stripped copy of src to out; False (and no out) when there is nothing to gain or
    the stripped copy fails the load-segment check."""
    if not has_symbols(src):
        return False
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["strip", "--strip-unneeded", "-o", str(out), str(src)], check=True)
    if loadable(out) and out.stat().st_size < src.stat().st_size:
        return True
    out.unlink()
    return False
