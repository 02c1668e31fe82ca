"""Shared reporting for benchmarks: figures printed beside the reference run's.

Each benchmark calls :func:`report` with its name and a dict of figures. The reference run is
``bench/reference.json`` (committed); ``--save-reference`` on any benchmark (or on ``run.py``)
replaces that benchmark's entry with the figures just measured.
"""

from __future__ import annotations

import json
import platform
import sys
import time
from pathlib import Path

REFERENCE = Path(__file__).with_name("reference.json")
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _load() -> dict:
    if REFERENCE.exists():
        return json.loads(REFERENCE.read_text())
    return {}


def report(name: str, figures: dict[str, float | int | str], save: bool | None = None) -> None:
    """Print ``figures`` beside the reference run's; with ``save``, store them as the reference."""
    if save is None:
        save = "--save-reference" in sys.argv
    reference = _load().get(name, {}).get("figures", {})
    width = max([len(k) for k in figures] + [6])
    print(f"\n{name}")
    print(f"  {'figure':<{width}}  {'this run':>14}  {'reference':>14}  {'ratio':>7}")
    for key, value in figures.items():
        ref = reference.get(key)
        ratio = ""
        if isinstance(value, (int, float)) and isinstance(ref, (int, float)) and ref:
            ratio = f"{value / ref:6.2f}x"
        ref_text = _fmt(ref) if ref is not None else "-"
        print(f"  {key:<{width}}  {_fmt(value):>14}  {ref_text:>14}  {ratio:>7}")
    if save:
        data = _load()
        data[name] = {
            "figures": figures,
            "machine": f"{platform.machine()} Python {platform.python_version()}",
            "date": time.strftime("%Y-%m-%d"),
        }
        REFERENCE.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
        print(f"  (saved as the reference for {name})")


def _fmt(v: object) -> str:
    if isinstance(v, float):
        return f"{v:,.3f}" if abs(v) < 1000 else f"{v:,.0f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)
