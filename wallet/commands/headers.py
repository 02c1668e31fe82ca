"""``paylight headers verify FILE``: check a file of raw 80-byte headers.

The light node's full rules apply. Exit code 0 when every header is valid, 1 when one is not
(the report says which and why).
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
