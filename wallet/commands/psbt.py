"""``paylight psbt create|show|sign|combine|finalize|broadcast|export|import``: PSBTs signed
elsewhere, or signed here.

A watch-only wallet exports an unsigned PSBT (``paylight send ... --psbt-out FILE`` or ``pay``);
the wallet holding the seed signs it (``sign``: shows what it spends, pays and the fee, asks,
``--yes`` for scripts). Every input's amount must be verified -- by the wallet's own records, the
PSBT's full previous transactions, or (all inputs taproot) BIP341 -- because a segwit v0
signature commits to its own input's amount only, so a PSBT's ``witness_utxo`` could understate
the fee (CVE-2020-14199); ``--allow-unverified-amounts`` signs anyway, the fee then unverified.
``finalize`` gives the network transaction's hex; ``broadcast``
sends a finalized PSBT or a raw transaction to every server, each of which must answer with the
transaction's own txid. ``show`` decodes a PSBT (``--json``). Files are base64 text (BIP174's
text form) or binary PSBTs; ``sign`` writes the signed PSBT back (or to ``-o``).

``create`` builds the unsigned PSBT of a payment (what a watch-only wallet hands its signer);
``combine`` merges PSBTs of one transaction signed by different signers; ``export`` writes a
PSBT (or its finalized transaction) as the frames of an animated QR code -- BC-UR
``crypto-psbt`` or BBQr -- as text lines, PNG frames or a GIF, at a chosen density and frame
rate; ``import`` reads such frames (text lines, images, a GIF; any order) back into a PSBT file.
Every command that reads a PSBT file also reads frames files directly.
"""

from __future__ import annotations

import argparse
import string
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wallet.commands import emit
from wallet.commands.wallet_common import CommandError, add_wallet_options, read_limited

if TYPE_CHECKING:
    from wallet.backends.pool import BroadcastResult
    from wallet.bitcoin.networks import Network
    from wallet.bitcoin.psbt import PSBT
    from wallet.bitcoin.transaction import Transaction

#: A PSBT or transaction file larger than this is refused (a mistake, not a transaction).
MAX_FILE = 16 * 1024 * 1024


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "psbt",
        help="show, sign, finalize and broadcast PSBTs",
        description="Partially signed transactions (BIP174). Export one from a watch-only "
        "wallet with 'paylight send ... --psbt-out FILE', sign it with the wallet holding the "
        "seed, then finalize and broadcast it.",
    )
    sub = parser.add_subparsers(dest="psbt_command", metavar="ACTION")

    show = sub.add_parser(
        "show",
        parents=[common],
        help="decode a PSBT: inputs, outputs, fee, signatures",
        description="Decode a PSBT: what it spends and pays, the fee, which inputs are signed. "
        "With --wallet, the wallet's own addresses are marked.",
    )
    show.add_argument("file", type=Path, metavar="FILE")
    add_wallet_options(show)
    show.set_defaults(func=_show)

    sign = sub.add_parser(
        "sign",
        parents=[common],
        help="sign a PSBT with this wallet's keys",
        description="Show what the PSBT spends, pays and the fee; ask; sign every input with "
        "the wallet's keys (all inputs must be the wallet's) and write the finalized PSBT back "
        "to FILE, or to -o.",
    )
    sign.add_argument("file", type=Path, metavar="FILE")
    sign.add_argument("-o", "--output", type=Path, metavar="OUT", help="write the signed PSBT here")
    add_wallet_options(sign, password=True)
    sign.add_argument("--yes", "-y", action="store_true", help="do not ask; sign at once")
    sign.add_argument(
        "--confirm-high-fee",
        action="store_true",
        help="accept a fee above 5%% of the amount sent, above the fee-rate ceiling, or unknown",
    )
    sign.add_argument(
        "--allow-unverified-amounts",
        action="store_true",
        help="sign even when an input's amount comes only from the PSBT (witness_utxo): the fee "
        "shown is then unverified (two such PSBTs can be combined to pay far more)",
    )
    sign.set_defaults(func=_sign)

    finalize = sub.add_parser(
        "finalize",
        parents=[common],
        help="the network transaction of a signed PSBT (hex)",
        description="Finalize a fully signed PSBT and print the raw transaction in hex (or "
        "write it to -o).",
    )
    finalize.add_argument("file", type=Path, metavar="FILE")
    finalize.add_argument("-o", "--output", type=Path, metavar="OUT", help="write the hex here")
    finalize.set_defaults(func=_finalize)

    broadcast = sub.add_parser(
        "broadcast",
        parents=[common],
        help="send a finalized PSBT or raw transaction to every server",
        description="Send a signed PSBT or a raw transaction (hex) to every server; each that "
        "accepts must answer with the transaction's txid (one that does not is dropped). With "
        "--wallet, the wallet's servers are used and it records the transaction at once.",
    )
    broadcast.add_argument("file", type=Path, metavar="FILE")
    add_wallet_options(broadcast, servers=True)
    broadcast.set_defaults(func=_broadcast)

    _register_more(sub, common)
    parser.set_defaults(func=lambda args: parser.print_help() or 2)


def _register_more(sub: Any, common: argparse.ArgumentParser) -> None:
    from wallet.commands.pay import add_send_options

    create = sub.add_parser(
        "create",
        parents=[common],
        help="the unsigned PSBT of a payment (watch-only wallets too)",
        description="Build a payment to ADDRESS (AMOUNT in BTC, Nsat, or --max) or to a "
        "bitcoin: URI, show it, and write the unsigned PSBT to -o (base64), or print it. Sign "
        "it with the wallet or signer that holds the keys.",
    )
    create.add_argument("target", metavar="ADDRESS|URI")
    create.add_argument("amount", metavar="AMOUNT", nargs="?", help="BTC, or Nsat")
    create.add_argument("--max", action="store_true", help="send everything (no change)")
    create.add_argument("-o", "--output", type=Path, metavar="OUT", help="write the PSBT here")
    add_send_options(create)
    create.set_defaults(func=_create)

    combine = sub.add_parser(
        "combine",
        parents=[common],
        help="merge PSBTs of the same transaction (signatures from several signers)",
        description="Merge PSBTs of one transaction, e.g. signed by different signers; the "
        "first file's values win where they differ. Writes to -o or prints base64.",
    )
    combine.add_argument("files", type=Path, nargs="+", metavar="FILE")
    combine.add_argument("-o", "--output", type=Path, metavar="OUT", help="write the result here")
    combine.set_defaults(func=_combine)

    export = sub.add_parser(
        "export",
        parents=[common],
        help="a PSBT as animated QR frames (BC-UR or BBQr)",
        description="Write FILE as the frames of an animated QR code: -o OUT.txt (one frame "
        "per line), OUT.gif (an animation at --fps), a folder or a name with {n} (one PNG per "
        "frame); without -o the frames are printed. --transaction exports the finalized "
        "network transaction instead (BBQr only).",
    )
    export.add_argument("file", type=Path, metavar="FILE")
    export.add_argument(
        "--format", choices=("ur", "bbqr"), default="ur", help="ur (default) or bbqr"
    )
    export.add_argument(
        "--density",
        default="medium",
        help="bytes per frame: low, medium (default), high, max, or N",
    )
    export.add_argument("--fps", type=float, default=5.0, help="frames per second of a GIF (5)")
    export.add_argument("--frames", type=int, metavar="N", help="how many frames (default: enough)")
    export.add_argument(
        "--ur-type", choices=("crypto-psbt", "psbt"), default="crypto-psbt", help="UR type name"
    )
    export.add_argument(
        "--transaction", action="store_true", help="export the finalized transaction (BBQr T)"
    )
    export.add_argument(
        "-o", "--output", type=Path, metavar="OUT", help=".txt, .gif, folder or {n}.png"
    )
    export.set_defaults(func=_export)

    imp = sub.add_parser(
        "import",
        parents=[common],
        help="a PSBT (or transaction) from animated QR frames",
        description="Read the frames of an animated QR code (BC-UR or BBQr: text lines, "
        "images or a GIF, in any order) and write the PSBT to -o as base64 (a transaction as "
        "hex), or print it.",
    )
    imp.add_argument("files", type=Path, nargs="+", metavar="FRAMES")
    imp.add_argument("-o", "--output", type=Path, metavar="OUT", help="write the PSBT here")
    imp.set_defaults(func=_import)


# -- reading files -----------------------------------------------------------------------------


def _read(path: Path) -> bytes:
    data = read_limited(path, MAX_FILE, str(path), "be a PSBT or a transaction")
    if not data.strip():
        raise CommandError(f"{path} is empty")
    return data


def _frames_code(path: Path, data: bytes | None = None) -> Any:
    """The animated code in ``path`` when it holds frames (an image, or ur:/B$ lines)."""
    from wallet.commands.animated_io import IMAGE_SUFFIXES, read_code

    if path.suffix.lower() in IMAGE_SUFFIXES:
        return read_code([path])
    head = (data if data is not None else _read(path)).lstrip()[:3].upper()
    if head == b"UR:" or head[:2] == b"B$":
        return read_code([path])
    return None


def _psbt_of_code(code: Any, where: str) -> PSBT:
    from wallet.bitcoin.errors import BitcoinError
    from wallet.bitcoin.psbt import PSBT
    from wallet.payments.qr_errors import AnimatedQRError

    try:
        return PSBT.parse(code.psbt())
    except AnimatedQRError as exc:
        raise CommandError(f"{where}: {exc}") from None
    except BitcoinError as exc:
        raise CommandError(f"{where} holds no valid PSBT: {exc}") from None


def load_psbt(path: Path) -> PSBT:
    """The PSBT in ``path`` (base64 text, binary, or animated-code frames); a sentence naming
    the file when it is not."""
    from wallet.bitcoin.errors import BitcoinError
    from wallet.payments.send import import_psbt

    data = _read(path) if path.suffix.lower() not in _image_suffixes() else None
    code = _frames_code(path, data)
    if code is not None:
        return _psbt_of_code(code, str(path))
    try:
        return import_psbt(data or b"")
    except BitcoinError as exc:
        raise CommandError(f"{path} is not a valid PSBT: {exc}") from None


def _image_suffixes() -> tuple[str, ...]:
    from wallet.commands.animated_io import IMAGE_SUFFIXES

    return IMAGE_SUFFIXES


def _load_transaction(path: Path) -> Transaction:
    """A signed PSBT's network transaction, or a raw transaction in hex."""
    from wallet.bitcoin.errors import BitcoinError
    from wallet.bitcoin.transaction import Transaction
    from wallet.payments.send import finalize_psbt

    code = _frames_code(path) if path.suffix.lower() in _image_suffixes() else None
    data = b"" if code is not None else _read(path)
    if code is None:
        code = _frames_code(path, data)
    if code is not None and code.standard == "bbqr" and code.type == "T":
        try:
            return Transaction.parse(code.data)
        except BitcoinError as exc:
            raise CommandError(f"{path} holds no valid transaction: {exc}") from None
    if code is not None:
        try:
            return finalize_psbt(_psbt_of_code(code, str(path)))
        except BitcoinError as exc:
            raise CommandError(f"{path}: {exc}; sign it first ('paylight psbt sign')") from None
    text = data.strip()
    if text and all(chr(c) in string.hexdigits for c in text):
        try:
            return Transaction.from_hex(text.decode())
        except (BitcoinError, ValueError) as exc:
            raise CommandError(f"{path} is not a valid raw transaction: {exc}") from None
    psbt = load_psbt(path)
    try:
        return finalize_psbt(psbt)
    except BitcoinError as exc:
        raise CommandError(f"{path}: {exc}; sign it first ('paylight psbt sign')") from None


def _write(path: Path, text: str) -> None:
    from wallet.account.atomic import atomic_write

    try:
        atomic_write(path, (text + "\n").encode())
    except OSError as exc:
        raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from None


# -- show --------------------------------------------------------------------------------------


def _show(args: argparse.Namespace) -> int:
    from wallet.commands.render import psbt_json, psbt_lines
    from wallet.commands.wallet_common import chosen_network, open_wallet
    from wallet.payments.send import describe_psbt

    psbt = load_psbt(args.file)
    if args.wallet is not None:
        with open_wallet(args) as wallet:
            view = describe_psbt(psbt, wallet.network, wallet.db)
    else:
        view = describe_psbt(psbt, chosen_network(args))
    emit(args, psbt_json(view), "\n".join(psbt_lines(view)))
    return 0


# -- sign --------------------------------------------------------------------------------------


def _confirm(view: Any, args: argparse.Namespace) -> None:
    """Ask (or take ``--yes``); a warning needing confirmation also needs --confirm-high-fee."""
    from wallet.commands.pay import ask

    if not args.yes and not ask("Sign this transaction?", args):
        raise CommandError("nothing was signed")
    if view.needs_confirmation and not args.confirm_high_fee:
        reasons = "; ".join(w.message for w in view.warnings if w.needs_confirmation)
        if args.yes:
            raise CommandError(f"{reasons}; add --confirm-high-fee to sign it anyway")
        if not ask(f"{reasons}. Sign it anyway?", args):
            raise CommandError("nothing was signed")


def _sign(args: argparse.Namespace) -> int:
    from wallet.account.psbt_amounts import input_amounts, require_verified
    from wallet.account.signer import sign_psbt
    from wallet.commands.render import psbt_json, psbt_lines
    from wallet.commands.wallet_common import open_wallet, read_password
    from wallet.payments.send import describe_psbt, export_psbt

    psbt = load_psbt(args.file)
    out = args.output or args.file
    with open_wallet(args) as wallet:
        if wallet.is_watch_only:
            raise CommandError(
                "this watch-only wallet holds no keys; sign with the wallet that has the seed "
                "(--wallet NAME|PATH)"
            )
        network = wallet.network
        view = describe_psbt(psbt, network, wallet.db)
        if not args.json:
            print("\n".join(psbt_lines(view)))
        if view.complete:
            raise CommandError(f"{args.file} is already signed; finalize or broadcast it")
        # refused before asking anything: a lying or (without the option) unverified amount
        allow = args.allow_unverified_amounts
        require_verified(input_amounts(psbt, wallet.db), allow_unverified=allow)
        _confirm(view, args)
        secret = wallet.unlock(read_password(args))
        signed = sign_psbt(
            psbt,
            secret,
            network,
            expected_fingerprint=wallet.config.master_fingerprint,
            db=wallet.db,
            allow_unverified_amounts=args.allow_unverified_amounts,
        )
        del secret
    _write(out, export_psbt(signed))
    done = describe_psbt(signed, network)
    data = {**psbt_json(view), "signed": str(out), "vsize": done.vsize, "complete": done.complete}
    emit(args, data, f"signed {len(signed.inputs)} input(s); wrote the signed PSBT to {out}")
    return 0


# -- finalize ----------------------------------------------------------------------------------


def _finalize(args: argparse.Namespace) -> int:
    from wallet.bitcoin.errors import BitcoinError
    from wallet.payments.send import finalize_psbt

    psbt = load_psbt(args.file)
    try:
        tx = finalize_psbt(psbt)
    except BitcoinError as exc:
        raise CommandError(f"{args.file}: {exc}; sign it first ('paylight psbt sign')") from None
    raw = tx.serialize().hex()
    data: dict[str, Any] = {"txid": tx.txid_hex, "vsize": tx.vsize()}
    if args.output is not None:
        _write(args.output, raw)
        data["file"] = str(args.output)
        emit(args, data, f"wrote transaction {tx.txid_hex} ({tx.vsize()} vB) to {args.output}")
    else:
        emit(args, {**data, "hex": raw}, raw)
    return 0


# -- broadcast ---------------------------------------------------------------------------------


def _touches_wallet(wallet: Any, tx: Transaction) -> bool:
    db = wallet.db
    if any(db.address_by_script(o.script_pubkey) is not None for o in tx.outputs):
        return True
    mine = {o.outpoint for o in db.outputs()}
    return any(i.prevout in mine for i in tx.inputs)


async def _send(args: argparse.Namespace, tx: Transaction) -> BroadcastResult:
    """Broadcast ``tx``: which sources accepted it (each server answered its txid; a peer
    fetched it, a node took it) and which refused."""
    from wallet.backends.pool import BroadcastResult as Result
    from wallet.commands.wallet_common import chosen_network, open_pool, server_specs, session
    from wallet.sync.engine import broadcast_everywhere
    from wallet.sync.session import broadcast_only

    if args.wallet is not None:
        async with session(args) as opened:
            if _touches_wallet(opened.wallet, tx):  # the wallet records it as unconfirmed
                sync = opened.engine()
                await sync.broadcast(tx)
                last = sync.last_broadcast
                if isinstance(last, Result):
                    return last
                return Result(tx.txid(), tuple(last.accepted) if last else (), {})
            accepted, refused = await broadcast_only(opened, tx)
            if not accepted:
                raise CommandError(
                    "no source accepted the transaction: "
                    + "; ".join(f"{n}: {r}" for n, r in refused.items())
                )
            return Result(tx.txid(), tuple(accepted), refused)
    network = chosen_network(args)
    pool = open_pool(server_specs(args, network), network)
    try:
        return await broadcast_everywhere(pool, tx)
    finally:
        await pool.close()


def _broadcast(args: argparse.Namespace) -> int:
    from wallet.commands.wallet_common import run

    tx = _load_transaction(args.file)
    result = run(_send(args, tx))
    data = {
        "txid": tx.txid_hex,
        "vsize": tx.vsize(),
        "accepted_by": list(result.accepted),
        "refused_by": dict(result.refused),
    }
    lines = [f"sent: {tx.txid_hex} (accepted by {', '.join(result.accepted)})"]
    lines += [f"  {name} refused it: {why}" for name, why in result.refused.items()]
    emit(args, data, "\n".join(lines))
    return 0


# -- create ------------------------------------------------------------------------------------


async def _create_async(args: argparse.Namespace) -> int:
    from wallet.account.tx_builder import Recipient
    from wallet.commands.pay import fee_choice, parse_amount
    from wallet.commands.render import fee_choice_text, review_json, review_lines
    from wallet.commands.wallet_common import session
    from wallet.payments.send import Sender, export_psbt

    is_uri = args.target.lower().startswith("bitcoin:")
    if not is_uri and args.max == (args.amount is not None):
        raise CommandError("give an AMOUNT, or --max to send everything (not both)")
    async with session(args) as opened:
        wallet = opened.wallet
        sync = opened.engine()
        await sync.sync()
        sender = Sender(wallet, sync)
        fee = await fee_choice(sender, args)
        amount = None if args.amount is None else parse_amount(args.amount)
        if is_uri:
            _uri, built = sender.build_for_uri(
                args.target, fee.rate, amount_sat=amount, allow_high_fee_rate=args.confirm_high_fee
            )
        else:
            recipient = (
                Recipient.send_max(args.target) if args.max else Recipient(args.target, amount)
            )
            built = sender.build_payment(
                [recipient], fee.rate, allow_high_fee_rate=args.confirm_high_fee
            )
    text = export_psbt(built)
    lines = [*review_lines(built.review), f"fee rate:  {fee_choice_text(fee)}"]
    data: dict[str, Any] = {"review": review_json(built.review), "txid": built.tx.txid_hex}
    if args.output is not None:
        _write(args.output, text)
        data["psbt"] = str(args.output)
        emit(args, data, "\n".join([*lines, f"wrote the unsigned PSBT to {args.output}"]))
    else:
        data["psbt_base64"] = text
        emit(args, data, "\n".join([*lines, "", text]))
    return 0


def _create(args: argparse.Namespace) -> int:
    from wallet.commands.wallet_common import run

    return int(run(_create_async(args)))


# -- combine -----------------------------------------------------------------------------------


def _combine(args: argparse.Namespace) -> int:
    from wallet.bitcoin.errors import BitcoinError
    from wallet.bitcoin.psbt import PSBT
    from wallet.payments.send import describe_psbt, export_psbt

    psbts = [load_psbt(path) for path in args.files]
    try:
        combined = PSBT.combine(psbts)
    except BitcoinError as exc:
        raise CommandError(f"cannot combine these PSBTs: {exc}") from None
    text = export_psbt(combined)
    view = describe_psbt(combined, _network(args))
    signed = sum(i.signed or i.finalized for i in view.inputs)
    data: dict[str, Any] = {"inputs_signed": signed, "complete": view.complete}
    if args.output is not None:
        _write(args.output, text)
        data["psbt"] = str(args.output)
        emit(args, data, f"combined {len(psbts)} PSBTs into {args.output}")
    else:
        emit(args, {**data, "psbt_base64": text}, text)
    return 0


def _network(args: argparse.Namespace) -> Network:
    from wallet.commands.wallet_common import chosen_network

    return chosen_network(args)


# -- export / import as animated frames ---------------------------------------------------------


def _export(args: argparse.Namespace) -> int:
    from wallet.commands.animated_io import write_frames
    from wallet.payments.animated_qr import AnimatedEncoder, Standard, density_bytes

    density: str | int = int(args.density) if args.density.isdigit() else args.density
    try:
        density_bytes(density)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    standard = Standard.UR if args.format == "ur" else Standard.BBQR
    if args.transaction:
        if standard is Standard.UR:
            raise CommandError("BC-UR has no type for a finished transaction; use --format bbqr")
        payload, kind = _load_transaction(args.file).serialize(), "transaction"
    else:
        payload, kind = load_psbt(args.file).serialize(), "psbt"
    try:
        encoder = AnimatedEncoder(
            payload, standard, kind=kind, density=density, fps=args.fps, ur_type=args.ur_type
        )
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    if args.frames is not None and args.frames < 1:
        raise CommandError("--frames must be at least 1")
    frames = encoder.frames(args.frames)
    data: dict[str, Any] = {
        "format": args.format,
        "parts": encoder.cycle,
        "frames": len(frames),
        "fps": encoder.fps,
        "bytes": len(payload),
    }
    if args.output is None:
        emit(args, {**data, "frame_texts": frames}, "\n".join(frames))
        return 0
    files = write_frames(encoder, args.output, frames)
    data["files"] = [str(f) for f in files]
    where = str(files[0]) if len(files) == 1 else f"{len(files)} PNG files in {files[0].parent}"
    emit(
        args,
        data,
        f"wrote {len(frames)} frames ({encoder.cycle} parts, {args.format}) of "
        f"{len(payload):,} bytes to {where}",
    )
    return 0


def _import(args: argparse.Namespace) -> int:
    from wallet.bitcoin.errors import BitcoinError
    from wallet.bitcoin.transaction import Transaction
    from wallet.commands.animated_io import read_code
    from wallet.payments.send import export_psbt

    code = read_code(args.files)
    where = ", ".join(map(str, args.files))
    data: dict[str, Any] = {"format": str(code.standard), "type": code.type}
    if code.standard == "bbqr" and code.type == "T":
        try:
            tx = Transaction.parse(code.data)
        except BitcoinError as exc:
            raise CommandError(f"{where} holds no valid transaction: {exc}") from None
        text = tx.serialize().hex()
        data.update(kind="transaction", txid=tx.txid_hex)
    else:
        psbt = _psbt_of_code(code, where)
        text = export_psbt(psbt)
        data.update(kind="psbt", txid=psbt.tx.txid_hex, complete=psbt.is_complete())
    if args.output is not None:
        _write(args.output, text)
        data["file"] = str(args.output)
        emit(args, data, f"read a {data['kind']} ({data['txid']}); wrote it to {args.output}")
    else:
        emit(args, {**data, "text": text}, text)
    return 0
