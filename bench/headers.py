"""Header-chain validation speed on the real mainnet run 151200..340000 (188,801 headers).

Prints headers per second for Paylight's validator (every rule: links, proof of work, retargets,
median-time-past, future limit, versions, checkpoints), for the bare cost of hashing the same
headers (hashlib sha256d over each 80-byte header: the floor any Python validator pays), and for
Electrum's ``Blockchain.verify_chunk`` where Debian's ``python3-electrum`` is installed (run in a
subprocess so its imports stay out of ours). Also the header store: appending the run in
2016-header chunks with fsync, and reopening it (which re-validates the whole file).

    python3 bench/headers.py [--save-reference] [--repeat N]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.harness import SHARED, report  # noqa: E402
from wallet.spv.chain import verify_headers  # noqa: E402
from wallet.spv.checkpoints import checkpoint_at, checkpoint_hashes, tip_from_checkpoint  # noqa: E402
from wallet.spv.store import HeaderStore  # noqa: E402

RUN = SHARED / "data/headers/mainnet/mainnet_headers_0150001_0340000.bin"
RUN_FIRST = 150001
START = 151200  # first block of period 75; the checkpoint at 151199 carries the context
ELECTRUM_DIST = "/usr/lib/python3/dist-packages"

ELECTRUM_SCRIPT = textwrap.dedent(
    """
    import json, sys, time
    sys.path.append(%(dist)r)
    from electrum import constants
    from electrum.blockchain import Blockchain, MissingHeader
    constants.set_mainnet()
    data = open(%(path)r, "rb").read()[%(offset)d:]
    start, prev = %(start)d, %(prev)r
    cps = constants.net.CHECKPOINTS
    chain = Blockchain.__new__(Blockchain)

    def get_hash(height):
        if height == start - 1:
            return prev
        if height %% 2016 == 2015 and height // 2016 < len(cps):
            return cps[height // 2016][0]
        raise MissingHeader(height)

    chain.get_hash = get_hash
    best = None
    for _ in range(%(repeat)d):
        t = time.perf_counter()
        for index in range(start // 2016, (start + len(data) // 80 - 1) // 2016 + 1):
            lo = (index * 2016 - start) * 80
            chunk = data[max(lo, 0) : lo + 2016 * 80]
            chain.verify_chunk(index, chunk)
        dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    print(json.dumps({"seconds": best, "headers": len(data) // 80,
                      "python": sys.version.split()[0]}))
    """
)


def electrum_rate(raw_offset: int, prev_hash: bytes, repeat: int) -> tuple[float, str] | None:
    """Headers/s through Electrum's verify_chunk, or None (with a message) if not installed."""
    if not Path(ELECTRUM_DIST, "electrum", "blockchain.py").exists():
        print("  (Electrum not installed: apt-get install python3-electrum; column skipped)")
        return None
    script = ELECTRUM_SCRIPT % {
        "dist": ELECTRUM_DIST,
        "path": str(RUN),
        "offset": raw_offset,
        "start": START,
        "prev": prev_hash[::-1].hex(),
        "repeat": repeat,
    }
    for python in (sys.executable, "/usr/bin/python3"):
        if not Path(python).exists():
            continue
        proc = subprocess.run(
            [python, "-c", script], capture_output=True, text=True, cwd=tempfile.gettempdir()
        )
        if proc.returncode == 0:
            out = json.loads(proc.stdout.strip().splitlines()[-1])
            return out["headers"] / out["seconds"], out["python"]
        last_error = proc.stderr.strip().splitlines()[-1:] or ["?"]
    print(f"  (Electrum did not run: {last_error[0]}; column skipped)")
    return None


def best_of(repeat: int, fn) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--save-reference", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not RUN.exists():
        print(f"skipped: {RUN} is absent (../shared is not beside this checkout)")
        return 0
    raw = RUN.read_bytes()
    offset = (START - RUN_FIRST) * 80
    body = raw[offset:]
    n = len(body) // 80
    cp = checkpoint_at("mainnet", START - 1)
    assert cp is not None and cp.self_contained
    anchor = tip_from_checkpoint("mainnet", cp)
    cps = checkpoint_hashes("mainnet")

    result = verify_headers(body, anchor, checkpoints=cps)  # warm-up (numpy import) + check
    assert result.ok and result.tip.height == 340000, result.error
    ours = best_of(args.repeat, lambda: verify_headers(body, anchor, checkpoints=cps))
    sha = hashlib.sha256

    def bare() -> None:
        [sha(sha(body[o : o + 80]).digest()).digest() for o in range(0, len(body), 80)]

    floor = best_of(args.repeat, bare)

    tmp = Path(tempfile.mkdtemp(prefix="paylight-bench-"))
    try:
        t = time.perf_counter()
        with HeaderStore(tmp, "mainnet", checkpoint=cp) as store:
            for o in range(0, len(body), 2016 * 80):
                store.add_headers(body[o : o + 2016 * 80])
        append = time.perf_counter() - t
        t = time.perf_counter()
        with HeaderStore(tmp, "mainnet") as store:
            assert store.height == 340000
        reopen = time.perf_counter() - t
    finally:
        shutil.rmtree(tmp)

    figures: dict[str, float | int | str] = {
        "headers": n,
        "paylight_headers_per_s": round(n / ours),
        "sha256d_headers_per_s": round(n / floor),
        "paylight_vs_sha256d_cost": round(ours / floor, 2),
        "store_append_fsync_headers_per_s": round(n / append),
        "store_reopen_revalidate_s": round(reopen, 3),
    }
    electrum = electrum_rate(offset, anchor.hash, max(1, args.repeat // 2))
    if electrum is not None:
        rate, python = electrum
        figures["electrum_verify_chunk_headers_per_s"] = round(rate)
        figures["paylight_vs_electrum_speedup"] = round((n / ours) / rate, 1)
        figures["electrum_python"] = python
    anchors = {
        "paylight_headers_per_s": {
            "electrum": "electrum_verify_chunk_headers_per_s",
            "floor": "sha256d_headers_per_s",
        },
        "store_append_fsync_headers_per_s": {"floor": "sha256d_headers_per_s"},
    }
    report("headers", figures, save=args.save_reference, anchors=anchors)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    raise SystemExit(main())
