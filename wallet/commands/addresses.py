"""``paylight addresses``: derive addresses from a public output descriptor.

For checking a wallet's addresses from a shell against another tool (Bitcoin Core's
``deriveaddresses``, BDK, a hardware wallet). Private descriptors are accepted, but only
addresses, paths and scripts are printed, never key material.
"""

from __future__ import annotations

import argparse
from typing import Any

#: Refuse absurd ranges early: each address costs an EC operation.
MAX_COUNT = 100_000


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "addresses",
        parents=[common],
        help="derive addresses from an output descriptor",
        description=(
            "Derive addresses from an output descriptor such as "
            "\"wpkh([fingerprint/84'/0'/0']xpub.../0/*)#checksum\". A /<0;1>/* descriptor lists "
            "receive and change addresses."
        ),
    )
    parser.add_argument("--descriptor", required=True, help="output descriptor (BIP380)")
    parser.add_argument("--count", type=int, default=10, help="how many addresses (default 10)")
    parser.add_argument("--start", type=int, default=0, help="first index (default 0)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from wallet.bitcoin.bip32 import format_path
    from wallet.bitcoin.descriptors import parse_descriptor
    from wallet.bitcoin.errors import DescriptorError
    from wallet.commands import emit

    if args.count < 1 or args.count > MAX_COUNT:
        raise DescriptorError(f"--count must be between 1 and {MAX_COUNT}")
    if args.start < 0 or args.start + args.count > 2**31:
        raise DescriptorError("--start and --count must stay within indices 0..2147483647")
    descriptor = parse_descriptor(args.descriptor, args.network)
    parts = descriptor.split_multipath()
    chain_names = ["receive", "change"] if len(parts) == 2 else [f"path {i}" for i in range(9)]
    rows: list[dict[str, Any]] = []
    lines: list[str] = []
    for which, part in enumerate(parts):
        indices = range(args.start, args.start + args.count) if part.is_ranged else [None]
        for index in indices:
            out = part.derive(index)
            address = part.address(index)
            path = format_path(out.keys[0].path) if out.keys else ""
            row: dict[str, Any] = {
                "index": index if index is not None else 0,
                "address": address,
                "path": path,
                "script_pubkey": out.script_pubkey.hex(),
            }
            if len(parts) > 1:
                row["chain"] = chain_names[which]
            rows.append(row)
            prefix = f"{chain_names[which]:<8} " if len(parts) > 1 else ""
            lines.append(f"{prefix}{row['index']:>6}  {address}  {path}".rstrip())
    emit(args, rows, "\n".join(lines))
    return 0
