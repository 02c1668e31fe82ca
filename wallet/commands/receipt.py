"""``paylight receipt verify FILE`` and ``paylight receipt show FILE``.

``verify`` checks a receipt (JSON, or ``paylight-receipt:`` text) offline against a header chain:
the wallet's header store by default (``<data dir>/<network>/headers``), a store directory
given with ``--headers DIR``, or a file of raw 80-byte headers (``--headers FILE``), which is
validated into a temporary store first -- from genesis, or from a checkpoint inside the file
(``--start-height`` gives the file's first height). Exit code 0 when the receipt verifies, 1
when it does not (the reason is printed) or cannot be checked.
"""

from __future__ import annotations

import argparse
import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from wallet.commands import emit
from wallet.errors import PaylightError


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "receipt",
        help="check or show a payment receipt",
        description="Payment receipts: a confirmed payment's transaction, Merkle proof and "
        "block header, checked offline against the local header chain.",
    )
    sub = parser.add_subparsers(dest="receipt_command", metavar="ACTION")
    options = _options()
    verify = sub.add_parser(
        "verify",
        parents=[options],
        help="check a receipt against the header chain",
        description="Check a receipt offline: the transaction hashes to its txid and is not 64 "
        "bytes, the header is the block at that height in the local best chain, the coinbase "
        "proof gives the block's tree depth, the Merkle branch has that depth and leads to its "
        "merkle root, and the output pays the address and amount claimed. Exit code 1 when any "
        "check fails (an old version 1 receipt, without a coinbase proof, is DEPTH NOT PROVEN).",
    )
    verify.add_argument("file", type=Path, help="the receipt (JSON, or paylight-receipt: text)")
    verify.add_argument(
        "--headers",
        type=Path,
        metavar="PATH",
        help="a header store folder, or a file of raw 80-byte headers (default: the wallet's "
        "header store for the network)",
    )
    verify.add_argument(
        "--start-height",
        type=int,
        default=0,
        metavar="H",
        help="with --headers FILE: the height of the file's first header (default 0, genesis); "
        "otherwise the file must contain a checkpoint's block",
    )
    verify.set_defaults(func=_verify)

    show = sub.add_parser(
        "show",
        parents=[options],
        help="print what a receipt says (without checking it)",
        description="Print a receipt's contents without verifying them. --json prints the "
        "receipt as JSON (converting a text receipt), --text its compact paylight-receipt: "
        "form, --qr FILE writes that form as a QR code (PNG or SVG).",
    )
    show.add_argument("file", type=Path, help="the receipt (JSON, or paylight-receipt: text)")
    show.add_argument("--text", action="store_true", help="print the compact text form")
    show.add_argument("--qr", type=Path, metavar="FILE", help="write the text form as a QR code")
    show.set_defaults(func=_show)

    from wallet.commands.receipt_export import register_export

    register_export(sub, common)
    parser.set_defaults(func=lambda args: parser.print_help() or 2)


def _options() -> argparse.ArgumentParser:
    """``--network`` and ``--json`` as elsewhere, except that ``--network`` has no default: a
    receipt names its network, and the option only insists on one. (Not the shared ``common``
    parser: argparse shares parent actions, so changing its default would change every
    command's.)"""
    from wallet.commands import NETWORK_CHOICES

    options = argparse.ArgumentParser(add_help=False)
    options.add_argument(
        "--network",
        choices=NETWORK_CHOICES,
        help="refuse a receipt of another network (default: the receipt's own)",
    )
    options.add_argument("--json", action="store_true", help="print JSON instead of text")
    options.set_defaults(network_optional=True)  # wallet/cli.py then leaves an unset one None
    return options


def _load(path: Path, network: str | None) -> Any:
    from wallet.commands.wallet_common import read_limited
    from wallet.payments.receipt import MAX_RECEIPT_BYTES, load_receipt

    data = read_limited(path, MAX_RECEIPT_BYTES, str(path), "be a receipt")
    receipt = load_receipt(data)
    if network is not None and receipt.network.name != network:
        raise PaylightError(
            f"{path} is a {receipt.network.name} receipt, not {network}; drop --network or "
            f"use --network {receipt.network.name}"
        )
    return receipt


def default_header_store(network: str, block_hash: bytes | None = None) -> Path:
    """The network's header store; on regtest (a store per playground chain) the one holding
    ``block_hash``, when one does."""
    from wallet.account.paths import header_store_dir, network_dir
    from wallet.errors import PaylightError
    from wallet.spv.store import HeaderStore

    default = header_store_dir(network)
    if block_hash is None or network != "regtest" or not network_dir(network).is_dir():
        return default
    for path in sorted(network_dir(network).glob("headers-*")):
        if not (path / "anchor.json").is_file():
            continue
        with contextlib.suppress(PaylightError), HeaderStore(path, network) as store:
            if store.height_of(block_hash) is not None:
                return path
    return default


@contextlib.contextmanager
def _header_chain(
    path: Path | None, network: str, start: int, block_hash: bytes | None = None
) -> Iterator[Any]:
    from wallet.spv.store import HeaderStore

    if path is None:
        path = default_header_store(network, block_hash)
        if not (path / "headers.bin").is_file():
            raise PaylightError(
                f"there is no {network} header store at {path}: sync headers first, or give "
                "--headers PATH"
            )
    if path.is_dir():
        if not (path / "anchor.json").is_file():
            raise PaylightError(f"{path} is not a header store (it has no anchor.json)")
        with HeaderStore(path, network) as store:
            yield store
        return
    with tempfile.TemporaryDirectory(prefix="paylight-headers-") as tmp:
        store = _store_from_file(path, network, start, Path(tmp))
        try:
            yield store
        finally:
            store.close()


def _store_from_file(path: Path, network: str, start: int, tmp: Path) -> Any:
    from wallet.bitcoin.hashes import sha256d
    from wallet.bitcoin.networks import get_network
    from wallet.spv.checkpoints import checkpoints
    from wallet.spv.store import HeaderStore

    net = get_network(network)
    raw = _read_headers(path)
    count = len(raw) // 80
    if start < 0:
        raise PaylightError("--start-height cannot be negative")
    if start == 0:
        if sha256d(raw[:80]) != bytes.fromhex(net.genesis_hash)[::-1]:
            raise PaylightError(
                f"{path} does not start with {net.name}'s genesis header; give --start-height"
            )
        store = HeaderStore(tmp, net, fsync=False)
        body = raw[80:]
    else:
        usable = [
            cp
            for cp in checkpoints(net)
            if cp.self_contained and start - 1 <= cp.height < start + count - 1
        ]
        if not usable:
            raise PaylightError(
                f"{path} (heights {start:,}..{start + count - 1:,}) holds no {net.name} "
                "checkpoint to validate it from; give a file starting at genesis or one that "
                "contains a checkpoint's block"
            )
        cp = usable[0]
        skip = cp.height - start + 1
        if skip and sha256d(raw[(skip - 1) * 80 : skip * 80]) != cp.hash:
            raise PaylightError(
                f"the header at height {cp.height:,} in {path} is not {net.name}'s checkpoint "
                "block there: is --start-height right?"
            )
        store = HeaderStore(tmp, net, checkpoint=cp, fsync=False)
        body = raw[skip * 80 :]
    try:
        result = store.add_headers(body)
    except PaylightError:
        store.close()
        raise
    if result.error is not None:
        store.close()
        raise PaylightError(f"{path} holds an invalid header: {result.error}")
    return store


def _read_headers(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PaylightError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) % 80:
        with contextlib.suppress(ValueError, UnicodeDecodeError):
            data = bytes.fromhex(data.decode().strip())
    if not data or len(data) % 80:
        raise PaylightError(f"{path} is not a file of whole 80-byte headers (raw or hex)")
    return data


def _verify(args: argparse.Namespace) -> int:
    from wallet.bitcoin.hashes import sha256d
    from wallet.payments.receipt import describe, verify_receipt

    receipt = _load(args.file, args.network)
    block = sha256d(receipt.header[:80])
    with _header_chain(args.headers, receipt.network.name, args.start_height, block) as chain:
        verdict = verify_receipt(receipt, chain)
    lines = describe(receipt)
    if verdict.ok:
        conf = verdict.confirmations or 0
        status = (
            f"VALID: confirmed in block {receipt.height:,}, {conf:,} confirmation"
            f"{'s' if conf != 1 else ''} on this wallet's chain (tip {verdict.tip_height:,})"
        )
        if verdict.headers_beyond_tip:
            status += (
                f"; the receipt carries {verdict.headers_beyond_tip} valid header(s) beyond "
                "that tip"
            )
    elif verdict.outcome == "depth not proven":
        status = f"DEPTH NOT PROVEN (not valid): {verdict.reason}"
    else:
        status = f"NOT VALID: {verdict.reason}"
    lines.append(status)
    emit(args, verdict.to_json(), "\n".join(lines))
    return 0 if verdict.ok else 1


def _show(args: argparse.Namespace) -> int:
    from wallet.payments.receipt import describe, receipt_qr_text

    receipt = _load(args.file, args.network)
    if args.qr is not None:
        from wallet.payments.qr_render import save_qr

        symbol = save_qr(receipt_qr_text(receipt), args.qr, uppercase=False)
        print(
            f"wrote {args.qr}: QR version {symbol.version}, error correction {symbol.ec_level}, "
            f"{len(receipt.to_text())} characters"
        )
        return 0
    if args.text:
        print(receipt.to_text())
        return 0
    lines = [*describe(receipt), "(not verified: run paylight receipt verify)"]
    emit(args, receipt.to_json(), "\n".join(lines))
    return 0
