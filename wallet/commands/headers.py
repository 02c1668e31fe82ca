"""``paylight headers verify FILE`` and ``paylight headers sync``.

``verify`` checks a file of raw 80-byte headers with the light node's full rules: exit code 0
when every header is valid, 1 when one is not (the report says which and why). ``sync`` brings
the network's header store up to the most-work valid chain the servers offer
(:mod:`wallet.sync.headers`) and reports the tip and which servers were used or dropped.
"""

from __future__ import annotations

import argparse
import contextlib
from pathlib import Path
from typing import Any

from wallet.commands import emit
from wallet.errors import PaylightError


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "headers", help="verify block headers", description="Block-header tools of the light node."
    )
    sub = parser.add_subparsers(dest="headers_command", metavar="ACTION")
    verify = sub.add_parser(
        "verify",
        parents=[common],
        help="check a file of raw concatenated 80-byte headers",
        description="Check a file of raw concatenated 80-byte headers (or their hex) with the "
        "network's full rules: links, proof of work, difficulty retargets, median-time-past, "
        "the 2-hour future limit, header versions and checkpoints. Exit code 1 when a header "
        "is invalid.",
    )
    verify.add_argument("file", type=Path, help="the headers file")
    verify.add_argument(
        "--start-height",
        type=int,
        default=0,
        metavar="H",
        help="height of the file's first header (default 0: the file starts with genesis); "
        "above 0 the context comes from the wallet's checkpoint at H-1",
    )
    verify.set_defaults(func=_verify)
    sync = sub.add_parser(
        "sync",
        parents=[common],
        help="bring the local header chain up to the servers' most-work valid chain",
        description="Fetch block headers from the servers into the network's header store "
        "(from the latest checkpoint, or from genesis with --from-genesis), validate them all, "
        "and follow the chain with the most work that is valid. Servers whose chains fail "
        "validation are dropped and listed. Interrupted, it resumes where it stopped.",
    )
    sync.add_argument(
        "--server",
        dest="servers",
        action="append",
        metavar="URL",
        help="server to use, repeatable: tcp://host:port, ssl://host:port (Electrum) or "
        "https://host/api (Esplora); default: the configured list for the network",
    )
    sync.add_argument(
        "--from-genesis",
        action="store_true",
        help="start a new header store at genesis instead of the latest checkpoint",
    )
    sync.add_argument(
        "--store",
        type=Path,
        metavar="DIR",
        help="header store folder (default: the network's, in the Paylight data folder)",
    )
    sync.set_defaults(func=_sync)
    parser.set_defaults(func=lambda args: parser.print_help() or 2)


def _read(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PaylightError(f"cannot read {path}: {exc.strerror or exc}") from None
    text = data.strip()
    if text and len(text) % 80 and all(c in b"0123456789abcdefABCDEF \t\r\n" for c in text[:4096]):
        with contextlib.suppress(ValueError):
            data = bytes.fromhex(text.decode())
    if len(data) % 80:
        raise PaylightError(
            f"{path} holds {len(data)} bytes, not a whole number of 80-byte headers "
            f"({len(data) % 80} bytes left over)"
        )
    if not data:
        raise PaylightError(f"{path} holds no headers")
    return data


def _verify(args: argparse.Namespace) -> int:
    from wallet.bitcoin.networks import get_network
    from wallet.spv.chain import ChainTip, chain_from_genesis, verify_headers
    from wallet.spv.checkpoints import (
        checkpoint_at,
        checkpoint_hashes,
        checkpoints,
        tip_from_checkpoint,
    )
    from wallet.spv.errors import InvalidHeader

    net = get_network(args.network)
    raw = _read(args.file)
    total = len(raw) // 80
    start = args.start_height
    error: InvalidHeader | None
    if start < 0:
        raise PaylightError("--start-height cannot be negative")
    if start == 0:
        try:
            _, result = chain_from_genesis(raw, net)
            valid, tip, error = 1 + result.count, result.tip, result.error
        except InvalidHeader as exc:
            valid, tip, error = 0, ChainTip.genesis(net), exc
    else:
        cp = checkpoint_at(net, start - 1)
        if cp is None or not cp.self_contained:
            usable = [c.height + 1 for c in checkpoints(net) if c.self_contained]
            hint = (
                f"; files may start at heights {', '.join(map(str, usable[:3]))}"
                f"{', ...' if len(usable) > 3 else ''} up to {usable[-1]}"
                if usable
                else "; start the file at genesis"
            )
            raise PaylightError(
                f"{net.name} has no checkpoint at height {start - 1} carrying the context to "
                f"check headers from height {start}{hint}"
            )
        anchor = tip_from_checkpoint(net, cp)
        result = verify_headers(raw, anchor, checkpoints=checkpoint_hashes(net))
        valid, tip, error = result.count, result.tip, result.error
    work = tip.chainwork
    data = {
        "network": net.name,
        "file": str(args.file),
        "start_height": start,
        "headers": total,
        "valid": valid,
        "tip_height": tip.height if valid else None,
        "tip_hash": tip.hash_hex if valid else None,
        "total_work": None if work is None else hex(work),
        "first_invalid": None
        if error is None
        else {"height": error.height, "rule": error.rule, "message": str(error)},
    }
    lines = [
        f"{valid} of {total} {net.name} headers valid (heights {start}..{start + total - 1})",
    ]
    if valid:
        lines.append(f"tip: height {tip.height}, hash {tip.hash_hex}")
    if work is not None:
        lines.append(f"total work: {work:#x} ({work:.3e} hashes)")
    if error is not None:
        lines.append(f"first invalid: height {error.height}, rule {error.rule}: {error}")
    emit(args, data, "\n".join(lines))
    return 0 if error is None else 1


def _sync(args: argparse.Namespace) -> int:
    import asyncio
    import sys

    from wallet.account.paths import header_store_dir
    from wallet.bitcoin.networks import get_network
    from wallet.commands.wallet_common import open_pool, server_specs
    from wallet.sync.headers import HeaderProgress, HeaderSync, open_header_store, regtest_chain

    net = get_network(args.network or "mainnet")
    specs = server_specs(args, net.name)
    show = sys.stderr.isatty() and not args.json
    opened: list[Any] = []  # the store, once open

    def progress(p: HeaderProgress) -> None:
        if show:
            print(f"\rheaders: {p.height:,} / {p.target:,}", end="", file=sys.stderr, flush=True)

    async def run() -> Any:
        pool = open_pool(specs, net.name)
        try:
            directory = args.store
            if directory is None and net.name == "regtest":  # one store per playground chain
                directory = header_store_dir(net.name, await regtest_chain(pool))
            opened.append(open_header_store(net.name, directory, from_genesis=args.from_genesis))
            store = opened[0]
            start = store.height
            result = await HeaderSync(pool, store, progress=progress).sync()
            return start, result, pool.status()
        finally:
            await pool.close()

    try:
        start, result, status = asyncio.run(run())
    except KeyboardInterrupt:
        where = f" at height {opened[0].height:,}" if opened else ""
        raise PaylightError(f"interrupted{where}; run the command again to resume") from None
    finally:
        if show:
            print(file=sys.stderr)
        if opened:
            store = opened[0]
            height, base, directory = store.height, store.base_height, store.directory
            store.close()
    used = [s for s in status if s.dropped is None and s.tip_height is not None]
    dropped = {s.name: s.dropped for s in status if s.dropped is not None}
    data = {
        "network": net.name,
        "store": str(directory),
        "base_height": base,
        "start_height": start,
        "height": height,
        "tip_hash": result.tip_hash_hex,
        "reorg_from": result.reorg_from,
        "servers_used": [{"name": s.name, "url": s.url, "tip_height": s.tip_height} for s in used],
        "servers_dropped": dropped,
    }
    lines = [
        f"{net.name} headers: height {height:,} (was {start:,}; store starts at {base:,})",
        f"tip: {result.tip_hash_hex}",
    ]
    if result.reorg_from is not None:
        lines.append(f"reorganised: headers from height {result.reorg_from:,} changed")
    lines.append(
        "servers used: "
        + (", ".join(f"{s.name} (tip {s.tip_height:,})" for s in used) if used else "none")
    )
    for name, reason in dropped.items():
        lines.append(f"dropped {name}: {reason}")
    emit(args, data, "\n".join(lines))
    return 0
