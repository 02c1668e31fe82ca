"""``paylight qr decode IMAGE`` and ``paylight qr encode TEXT -o FILE``."""

from __future__ import annotations

import argparse
from typing import Any

from wallet.commands import emit


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("qr", help="read or make QR codes")
    actions = parser.add_subparsers(dest="qr_command", metavar="ACTION")

    decode = actions.add_parser(
        "decode", parents=[common], help="print the text of the QR code(s) in an image file"
    )
    decode.add_argument("image", metavar="IMAGE", help="a PNG, JPEG or WebP picture")
    decode.set_defaults(func=decode_command)

    encode = actions.add_parser(
        "encode", parents=[common], help="write TEXT as a QR code (PNG or SVG by the file's name)"
    )
    encode.add_argument("text", metavar="TEXT", help="a bitcoin: URI, an address, a PSBT...")
    encode.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="FILE.png or FILE.svg"
    )
    encode.add_argument(
        "--scale", type=int, default=8, metavar="N", help="pixels per module (default: 8)"
    )
    encode.add_argument(
        "--border", type=int, default=4, metavar="N", help="quiet zone in modules (default: 4)"
    )
    encode.add_argument(
        "--ec",
        choices=["L", "M", "Q", "H"],
        type=str.upper,
        help="error correction (default: M, or L when the text is too long for M)",
    )
    encode.add_argument(
        "--exact",
        action="store_true",
        help="encode the text as given (no upper-casing of a bech32 address in a bitcoin: URI)",
    )
    encode.set_defaults(func=encode_command)
    parser.set_defaults(func=lambda _args: parser.print_help() or 2)


def decode_command(args: argparse.Namespace) -> int:
    from wallet.payments.qr_decode import decode_file
    from wallet.payments.qr_errors import QRDecodeError

    found = decode_file(args.image)
    if not found:
        raise QRDecodeError(
            f"No QR code was found in {args.image}. Try a sharper, closer or better-lit picture."
        )
    data = [{"text": r.text, "kind": r.kind.value, "corners": r.corners} for r in found]
    emit(args, data, "\n".join(r.text for r in found))
    return 0


def encode_command(args: argparse.Namespace) -> int:
    from wallet.payments.qr_errors import QREncodeError
    from wallet.payments.qr_render import save_qr

    if args.scale < 1 or args.scale > 100:
        raise QREncodeError("--scale must be between 1 and 100 pixels per module.")
    if args.border < 0 or args.border > 100:
        raise QREncodeError("--border must be between 0 and 100 modules (4 is the standard).")
    symbol = save_qr(
        args.text,
        args.output,
        scale=args.scale,
        border=args.border,
        ec=args.ec,
        uppercase=not args.exact,
    )
    encoded = symbol.text if isinstance(symbol.text, str) else symbol.text.decode("latin-1")
    data = {
        "file": args.output,
        "version": symbol.version,
        "ec_level": symbol.ec_level,
        "modules": symbol.width,
        "pixels": symbol.width * args.scale,
        "text": encoded,
    }
    emit(
        args,
        data,
        f"wrote {args.output}: QR version {symbol.version}, error correction "
        f"{symbol.ec_level}, {symbol.width}x{symbol.width} modules, "
        f"{symbol.width * args.scale} px",
    )
    return 0
