"""``paylight addresses``: derive addresses from a public output descriptor, or list a wallet's.

For checking a wallet's addresses from a shell against another tool (Bitcoin Core's
``deriveaddresses``, BDK, a hardware wallet). Private descriptors are accepted, but only
addresses, paths and scripts are printed, never key material. With ``--wallet`` it lists the
wallet's receive (or ``--change``) addresses with whether each was used. Listing never changes
the wallet: addresses past those stored are derived for the listing only (a wallet that stored
thousands more would ask its servers about every one of them on each sync).
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
        help="derive addresses from an output descriptor, or list a wallet's",
        description=(
            "Derive addresses from an output descriptor such as "
            "\"wpkh([fingerprint/84'/0'/0']xpub.../0/*)#checksum\". A /<0;1>/* descriptor lists "
            "receive and change addresses."
        ),
    )
    from wallet.commands.wallet_common import add_wallet_options

    add_wallet_options(parser)
    parser.add_argument("--descriptor", help="output descriptor (BIP380)")
    parser.add_argument("--change", action="store_true", help="with --wallet: change addresses")
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
    if args.descriptor is not None and args.wallet is not None:
        raise DescriptorError("give either --descriptor D or --wallet NAME|PATH, not both")
    if args.descriptor is None:
        return run_wallet(args)
    descriptor = parse_descriptor(args.descriptor, args.network or "mainnet")
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


def run_wallet(args: argparse.Namespace) -> int:
    """The wallet's addresses on one chain: stored ones with their use, later ones derived."""
    from wallet.account.database import Chain
    from wallet.bitcoin.descriptors import parse_descriptor
    from wallet.bitcoin.errors import DescriptorError
    from wallet.commands import emit
    from wallet.commands.wallet_common import open_wallet

    chain = Chain.CHANGE if args.change else Chain.RECEIVE
    indices = range(args.start, args.start + args.count)
    with open_wallet(args) as wallet:
        config = wallet.config
        text = config.change_descriptor if chain is Chain.CHANGE else config.receive_descriptor
        if text is None:
            raise DescriptorError("this wallet has no change descriptor (receive addresses only)")
        stored = {a.index: a for a in wallet.db.addresses(chain) if a.index in indices}
    descriptor = parse_descriptor(text, config.network)
    rows = []
    for index in indices:
        known = stored.get(index)
        script = known.script_pubkey if known else descriptor.script_pubkey(index)
        rows.append(
            {
                "index": index,
                "address": known.address if known else descriptor.address(index),
                "chain": chain.name.lower(),
                "used": bool(known and known.used),
                "watched": known is not None,
                "script_pubkey": script.hex(),
            }
        )
    lines = [f"{r['index']:>6}  {r['address']}{'  used' if r['used'] else ''}" for r in rows]
    emit(args, rows, "\n".join(lines))
    return 0
