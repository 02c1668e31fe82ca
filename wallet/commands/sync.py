"""``paylight sync``: bring a wallet up to date with its sources, checking every proof locally.

Headers first (the light node's own chain, most-work valid chain of all sources), then the
wallet's history: from servers, gap-limit discovery and a Merkle proof for every mined
transaction; from P2P peers or a Bitcoin Core node, the compact filters since the wallet's
birthday, matched here, and the matching blocks fetched whole (their Merkle roots
recomputed). Only then is a transaction *confirmed*. The work is done by the session's engine
(:mod:`wallet.sync.session`); this command runs it once and reports.

Every step is committed to the wallet database as it completes, so an interrupted sync (even
``kill -9``) loses nothing that was committed and the next one resumes.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING, Any

from wallet.commands.wallet_common import add_wallet_options

if TYPE_CHECKING:
    from wallet.sync.engine import SyncReport
    from wallet.sync.session import SyncSession

#: Settings key where the command line records its last completed sync.
LAST_SYNC_KEY = "cli.last_sync"


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "sync",
        parents=[common],
        help="sync headers and the wallet's history, verifying proofs locally",
        description="Fetch headers and the wallet's history from its sources -- servers (at "
        "least two are asked about each address when two are given), Bitcoin P2P peers with "
        "compact block filters (--p2p), or a Bitcoin Core node (--core) -- verify every "
        "Merkle proof against the local header chain, and store the result.",
    )
    add_wallet_options(parser, servers=True)
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    output.add_argument(
        "--verbose",
        action="store_true",
        help="progress and every transaction's state change on stderr, even when not a terminal",
    )
    parser.set_defaults(func=run)


def _progress_printer(level: int) -> Any:
    """Progress on stderr: 0 none, 1 a status line now and then, 2 every event as it comes."""
    if level <= 0:
        return None
    from wallet.sync.events import ServerEvent, SyncStatus, TxEvent

    last = [0.0, ""]

    def on_event(event: Any) -> None:
        line = None
        if isinstance(event, ServerEvent) and event.state in ("dropped", "disagreement"):
            line = f"server {event.server} {event.state}: {event.reason}"
        elif isinstance(event, SyncStatus):
            now = time.monotonic()
            if level >= 2 or now - last[0] >= 0.5 or event.phase != last[1]:
                last[0], last[1] = now, event.phase
                line = f"status {event.text()}"
        elif isinstance(event, TxEvent) and level >= 2:
            old = event.old.value if event.old else "new"
            new = event.new.value if event.new else "gone"
            line = f"tx {event.txid_hex} {old} -> {new}"
        if line is not None:
            print(f"  {line}", file=sys.stderr, flush=True)

    return on_event


async def sync_wallet(opened: SyncSession, *, progress: int = 0) -> tuple[SyncReport, Any]:
    """One full sync of the session's wallet, by whichever sources it has; records when it
    finished (for balance and history). (The report, the engine.)"""
    engine = opened.engine(on_event=_progress_printer(progress))
    report = await engine.sync()
    opened.wallet.db.set_setting(
        LAST_SYNC_KEY, {"height": report.header_height, "time": int(time.time())}
    )
    return report, engine


def report_data(report: SyncReport) -> dict[str, Any]:
    return {
        "header_height": report.header_height,
        "transactions": report.transactions,
        "confirmed": report.confirmed,
        "unverified": report.unverified,
        "unconfirmed": report.unconfirmed,
        "proofs_verified": report.proofs_verified,
        "requests_made": report.requests_made,
        "disagreements": [
            {
                "txid": d.txid_hex,
                "kind": d.kind,
                "heights": d.heights,
                "missing_from": list(d.missing_from),
                "note": d.note,
            }
            for d in report.disagreements
        ],
        "dropped": dict(report.dropped),
    }


def blocks_data(engine: Any) -> dict[str, Any] | None:
    """What a block source fetched (compact filters and blocks, and from whom), or None."""
    summary = getattr(engine, "scan_summary", None)
    return summary() if summary is not None else None


def report_lines(data: dict[str, Any]) -> list[str]:
    lines = [
        f"Synced to header {data['header_height']:,}: {data['transactions']} transactions — "
        f"{data['confirmed']} confirmed (proof checked), {data['unverified']} unverified, "
        f"{data['unconfirmed']} unconfirmed",
        f"  proofs verified: {data['proofs_verified']}, requests made: {data['requests_made']}",
    ]
    blocks = data.get("blocks")
    if blocks:
        lines.append(
            f"  compact filters: {blocks['filters']:,} ({blocks['filter_bytes']:,} bytes) from "
            f"block {blocks['from_height']:,}; {blocks['blocks']} matching block(s) fetched "
            f"from {len(blocks['block_peers'])} source(s)"
        )
    for server, reason in data["dropped"].items():
        lines.append(f"  dropped: {server}: {reason}")
    for d in data["disagreements"]:
        lines.append(f"  servers disagree about {d['txid']} ({d['kind']}): {d['note']}")
    return lines


def run(args: argparse.Namespace) -> int:
    from wallet.commands import emit
    from wallet.commands.wallet_common import run as run_coro
    from wallet.commands.wallet_common import session

    async def main() -> dict[str, Any]:
        async with session(args) as opened:
            progress = 2 if args.verbose else int(not args.quiet and sys.stderr.isatty())
            report, engine = await sync_wallet(opened, progress=progress)
            data = {**report_data(report), "servers": opened.source_names()}
            blocks = blocks_data(engine)
            if blocks is not None:
                data["blocks"] = blocks
            return data

    data = run_coro(main())
    emit(args, data, "\n".join(report_lines(data)))
    return 0
