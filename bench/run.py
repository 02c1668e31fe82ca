"""Run every benchmark in this folder, then print all their figures in one table.

Each figure is printed beside the committed reference run's (``bench/reference.json``) and, where
it has one, its anchor from the same run: Electrum doing the same work ("x faster/fewer than
Electrum") or the floor no implementation can beat ("x the floor's cost"). The machine may be
shared: seconds move with its load, counts (requests, bytes) do not.

    python3 bench/run.py [--save-reference] [benchmark names...]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))

from bench.harness import RESULTS_ENV, describe, fmt  # noqa: E402

SKIP = {"run.py", "harness.py", "__init__.py"}


def main() -> int:
    wanted = [a for a in sys.argv[1:] if not a.startswith("-")]
    flags = [a for a in sys.argv[1:] if a.startswith("-")]
    failed = 0
    with tempfile.TemporaryDirectory() as results:
        env = dict(os.environ, **{RESULTS_ENV: results})
        for script in sorted(HERE.glob("*.py")):
            if script.name in SKIP or (wanted and script.stem not in wanted):
                continue
            print(f"== {script.name}", flush=True)
            rc = subprocess.call([sys.executable, str(script), *flags], cwd=HERE.parent, env=env)
            failed += rc != 0
        table(Path(results))
    return 1 if failed else 0


def table(results: Path) -> None:
    """One table of every figure reported into ``results``."""
    rows = [("benchmark", "figure", "this run", "reference", "vs ref", "vs anchor")]
    for path in sorted(results.glob("*.json")):
        data = json.loads(path.read_text())
        figures, reference, anchors = data["figures"], data["reference"], data["anchors"]
        for key, value in figures.items():
            ref = reference.get(key)
            vs_ref = ""
            if isinstance(value, int | float) and isinstance(ref, int | float) and ref:
                vs_ref = f"{value / ref:.2f}x"
            notes = []
            for kind, other in anchors.get(key, {}).items():
                note = describe(key, value, figures.get(other), kind)
                if note is not None:
                    notes.append(f"{note} ({other})")
            ref_text = fmt(ref) if ref is not None else "-"
            rows.append((path.stem, key, fmt(value), ref_text, vs_ref, "; ".join(notes)))
    if len(rows) == 1:
        return
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    print("\n== all figures (seconds move with the machine's load; counts do not)")
    for r in rows:
        cells = [r[0].ljust(widths[0]), r[1].ljust(widths[1])]
        cells += [r[i].rjust(widths[i]) for i in (2, 3, 4)]
        print("  " + "  ".join(cells) + ("  " + r[5] if r[5] else ""))


if __name__ == "__main__":
    raise SystemExit(main())
