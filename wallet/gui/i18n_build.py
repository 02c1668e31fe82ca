"""Paylight's translations from source: ``.ts`` files kept in the repository, refreshed from the
code with ``pyside6-lupdate`` and compiled to the ``.qm`` files the app loads with
``pyside6-lrelease``.

    python3 -m wallet.gui.i18n_build update           # strings changed: refresh the .ts files
    python3 -m wallet.gui.i18n_build compile [DIR]    # .ts -> .qm (default wallet/gui/translations)

The ``.qm`` files are build products, never committed: ``setup.py``'s build step compiles them
into the wheel (``pip install .``), the PyInstaller spec into the bundle, and a source checkout
compiles them on first use (:func:`wallet.gui.i18n.qm_file`). Nothing here imports Qt at module
level: ``setup.py`` loads this file by its path before Paylight (or Qt) is importable.
"""

from __future__ import annotations

import sys
from pathlib import Path

#: The languages shipped besides the source language (English), as Qt names them.
LANGUAGES = ("zh_CN", "es")
ROOT = Path(__file__).resolve().parents[2]
#: The translation sources, in the repository (absent from an installed wheel).
SOURCES = ROOT / "resources" / "i18n"
#: Where the compiled files live inside the package (the wheel's package data).
PACKAGED = Path(__file__).resolve().with_name("translations")
#: The code whose strings are translated: the GUI only (the command line stays English).
CODE = ROOT / "wallet" / "gui"


def ts_file(code: str, sources: Path = SOURCES) -> Path:
    return sources / f"paylight_{code}.ts"


def qm_name(code: str) -> str:
    return f"paylight_{code}.qm"


def _tool(name: str) -> list[str]:
    """``pyside6-lupdate`` / ``pyside6-lrelease`` run by this Python (the console scripts'
    own entry points: no dependence on PATH, e.g. inside an isolated build environment)."""
    return [
        sys.executable,
        "-c",
        f"import sys; from PySide6.scripts.pyside_tool import {name}; sys.exit({name}())",
    ]


class TranslationBuildError(RuntimeError):
    """A translation tool failed or is missing (PySide6 not installed where the build runs)."""


def _run(cmd: list[str]) -> str:
    import subprocess  # here: the app imports this module at start and seldom runs a tool

    try:
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise TranslationBuildError(f"could not run {cmd[0]}: {exc}") from exc
    if done.returncode != 0:
        raise TranslationBuildError(
            f"{' '.join(cmd[3:]) or cmd[-1]} failed ({done.returncode}): "
            f"{(done.stderr or done.stdout).strip()[-800:]}"
        )
    return done.stdout


def compile_one(ts: Path, qm: Path) -> Path:
    """``ts`` compiled to ``qm`` with pyside6-lrelease (written beside, then moved in place, so
    a reader never sees half a file)."""
    qm.parent.mkdir(parents=True, exist_ok=True)
    partial = qm.with_name(qm.name + ".part")
    _run([*_tool("lrelease"), "-silent", str(ts), "-qm", str(partial)])
    partial.replace(qm)
    return qm


def compile_all(out: Path = PACKAGED, sources: Path = SOURCES) -> list[Path]:
    """Every language's ``.ts`` compiled into ``out``; the files written."""
    written = []
    for code in LANGUAGES:
        ts = ts_file(code, sources)
        if not ts.is_file():
            raise TranslationBuildError(f"{ts} is missing")
        written.append(compile_one(ts, out / qm_name(code)))
    return written


def python_sources(code: Path = CODE) -> list[Path]:
    return sorted(p for p in code.rglob("*.py") if p.name != Path(__file__).name)


def update(sources: Path = SOURCES) -> str:
    """Refresh every ``.ts`` from the code: new strings added (unfinished), vanished ones
    dropped, translations of unchanged strings kept. No source locations are written, so a
    ``.ts`` changes only when its strings do."""
    sources.mkdir(parents=True, exist_ok=True)
    files = [str(p) for p in python_sources()]
    targets = [str(ts_file(code, sources)) for code in LANGUAGES]
    return _run([*_tool("lupdate"), "-no-obsolete", "-locations", "none", *files, "-ts", *targets])


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["update"]:
        print(update().strip())
        return 0
    if args[:1] == ["compile"] and len(args) <= 2:
        out = Path(args[1]) if len(args) == 2 else PACKAGED
        for path in compile_all(out):
            print(path)
        return 0
    print(__doc__.split("\n\n")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
