"""A bounded fuzz run: every property of tests/test_fuzz_parsers.py for a time budget.

    python3 tests/fuzz/run.py [--seconds 150]

The normal test run gives each parser a few dozen examples; this one keeps drawing fresh,
random examples (not the derandomized ones CI's pytest uses) for its share of the budget and
prints how many each parser took. A parser that lets anything but its own errors escape stops
the run with hypothesis's shrunk falsifying example (and a blob to reproduce it) and a non-zero
exit code. ``.ci/run`` runs it after the tests.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from hypothesis import HealthCheck, given, settings  # noqa: E402

from tests import test_fuzz_parsers as fuzz  # noqa: E402

#: examples per round: parsers are fast; the client targets start a server per example
BATCH = {"esplora-client": 5, "electrum-client": 5, "core-clients": 5}


def _property(inputs, check):
    @given(inputs)
    def prop(value) -> None:
        check(value)

    return prop


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=150.0, help="total budget")
    args = parser.parse_args()
    jobs = [
        (name, _property(target.inputs, lambda value, t=target: fuzz.check(t, value)))
        for name, target in sorted(fuzz.targets().items())
    ]
    jobs += [
        ("esplora-client", _property(fuzz.ESPLORA_REPLIES, fuzz.esplora_reply)),
        ("electrum-client", _property(fuzz.ELECTRUM_REPLIES, fuzz.electrum_reply)),
        ("core-clients", _property(fuzz.CORE_REPLIES, fuzz.core_reply)),
    ]
    share = args.seconds / len(jobs)
    started = time.monotonic()
    total = 0
    for name, prop in jobs:
        batch = BATCH.get(name, 25)
        run = settings(
            max_examples=batch,
            deadline=None,
            derandomize=False,
            database=None,
            print_blob=True,
            suppress_health_check=list(HealthCheck),
        )(prop)
        begun = time.monotonic()
        examples = 0
        while not examples or time.monotonic() - begun < share:
            run()
            examples += batch
        total += examples
        print(f"{name:22} {examples:7,} examples  {time.monotonic() - begun:6.1f} s", flush=True)
    print(f"fuzz: {total:,} examples, {len(jobs)} targets, {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
