"""Shared reporting for benchmarks: figures printed beside the reference run's and their anchors.

Each benchmark calls :func:`report` with its name, a dict of figures and, for the figures that
have one, their anchors: another figure of the same run to compare with, either Electrum doing
the same work (``"electrum"``: how many times faster Paylight is) or the floor no implementation
can beat (``"floor"``: how many times the floor's cost Paylight pays). The reference run is
``bench/reference.json`` (committed); ``--save-reference`` on any benchmark (or on ``run.py``)
replaces that benchmark's entry with the figures just measured. With ``PAYLIGHT_BENCH_RESULTS``
set to a folder, each report is also written there as JSON, for ``run.py``'s table.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path

REFERENCE = Path(__file__).with_name("reference.json")
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
RESULTS_ENV = "PAYLIGHT_BENCH_RESULTS"

#: figure -> {"electrum": figure, "floor": figure}
Anchors = dict[str, dict[str, str]]


def _load() -> dict:
    if REFERENCE.exists():
        return json.loads(REFERENCE.read_text())
    return {}


def lower_is_better(key: str) -> bool:
    """Seconds, counts of requests or bytes, costs: less is better; rates (``_per_s``): more."""
    if key.endswith("_per_s") or key.endswith("_pct"):
        return False
    return key.endswith(("_s", "_ms", "_us", "_requests", "_messages", "_bytes", "_cost"))


def versus(key: str, value: object, anchor: object, kind: str) -> float | None:
    """``value`` against ``anchor``: for Electrum how many times better (faster, fewer),
    for a floor how many times its cost; None when either is not a positive number."""
    if not all(isinstance(v, int | float) and v > 0 for v in (value, anchor)):
        return None
    ratio = float(value) / float(anchor)  # type: ignore[arg-type]
    if kind == "electrum":
        return 1 / ratio if lower_is_better(key) else ratio
    return ratio if lower_is_better(key) else 1 / ratio


def describe(key: str, value: object, anchor: object, kind: str) -> str | None:
    """``value`` against its ``anchor`` in words ("3.10x faster than Electrum", "1.17x the
    floor's cost"); None when either is not a positive number."""
    against = versus(key, value, anchor, kind)
    if against is None:
        return None
    if kind != "electrum":
        return f"{against:.2f}x the floor's cost"
    timed = key.endswith(("_s", "_ms", "_us"))
    better, worse = ("faster", "slower") if timed else ("fewer", "more")
    if against >= 1:
        return f"{against:.2f}x {better} than Electrum"
    return f"{1 / against:.2f}x {worse} than Electrum"


def report(
    name: str,
    figures: dict[str, float | int | str],
    save: bool | None = None,
    anchors: Anchors | None = None,
) -> None:
    """Print ``figures`` beside the reference run's; with ``save``, store them as the reference."""
    if save is None:
        save = "--save-reference" in sys.argv
    anchors = anchors or {}
    reference = _load().get(name, {}).get("figures", {})
    width = max([len(k) for k in figures] + [6])
    print(f"\n{name}")
    print(f"  {'figure':<{width}}  {'this run':>14}  {'reference':>14}  {'ratio':>7}  anchor")
    for key, value in figures.items():
        ref = reference.get(key)
        ratio = ""
        if isinstance(value, (int, float)) and isinstance(ref, (int, float)) and ref:
            ratio = f"{value / ref:6.2f}x"
        ref_text = fmt(ref) if ref is not None else "-"
        notes = []
        for kind, other in anchors.get(key, {}).items():
            note = describe(key, value, figures.get(other), kind)
            if note is not None:
                notes.append(note)
        line = f"  {key:<{width}}  {fmt(value):>14}  {ref_text:>14}  {ratio:>7}"
        print(f"{line}  {'; '.join(notes)}".rstrip())
    results = os.environ.get(RESULTS_ENV)
    if results:
        out = {"figures": figures, "reference": reference, "anchors": anchors}
        Path(results, f"{name}.json").write_text(json.dumps(out, indent=1, sort_keys=True))
    if save:
        data = _load()
        data[name] = {
            "figures": figures,
            "machine": f"{platform.machine()} Python {platform.python_version()}",
            "date": time.strftime("%Y-%m-%d"),
        }
        REFERENCE.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
        print(f"  (saved as the reference for {name})")


def fmt(v: object) -> str:
    if isinstance(v, float):
        return f"{v:,.3f}" if abs(v) < 1000 else f"{v:,.0f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)
