"""``paylight psbt show|sign|finalize|broadcast FILE``: PSBTs signed elsewhere, or signed here.

A watch-only wallet exports an unsigned PSBT (``paylight send ... --psbt-out FILE`` or ``pay``);
the wallet holding the seed signs it (``sign``: shows what it spends, pays and the fee, asks,
``--yes`` for scripts; the PSBT must pay no more fee than the review shows -- the signatures
commit to the spent amounts); ``finalize`` gives the network transaction's hex; ``broadcast``
sends a finalized PSBT or a raw transaction to every server, each of which must answer with the
transaction's own txid. ``show`` decodes a PSBT (``--json``). Files are base64 text (BIP174's
text form) or binary PSBTs; ``sign`` writes the signed PSBT back (or to ``-o``).
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

    parser.set_defaults(func=lambda args: parser.print_help() or 2)


# -- reading files -----------------------------------------------------------------------------


def _read(path: Path) -> bytes:
    data = read_limited(path, MAX_FILE, str(path), "be a PSBT or a transaction")
    if not data.strip():
        raise CommandError(f"{path} is empty")
    return data


def load_psbt(path: Path) -> PSBT:
    """The PSBT in ``path`` (base64 text or binary); a sentence naming the file when it is not."""
    from wallet.bitcoin.errors import BitcoinError
    from wallet.payments.send import import_psbt

    try:
        return import_psbt(_read(path))
    except BitcoinError as exc:
        raise CommandError(f"{path} is not a valid PSBT: {exc}") from None


def _load_transaction(path: Path) -> Transaction:
    """A signed PSBT's network transaction, or a raw transaction in hex."""
    from wallet.bitcoin.errors import BitcoinError
    from wallet.bitcoin.transaction import Transaction
    from wallet.payments.send import finalize_psbt

    data = _read(path)
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
    from wallet.commands.wallet_common import network_name, open_wallet
    from wallet.payments.send import describe_psbt

    psbt = load_psbt(args.file)
    if args.wallet is not None:
        with open_wallet(args) as wallet:
            view = describe_psbt(psbt, wallet.config.network, wallet.db)
    else:
        view = describe_psbt(psbt, network_name(args))
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
        network = wallet.config.network
        view = describe_psbt(psbt, network, wallet.db)
        if not args.json:
            print("\n".join(psbt_lines(view)))
        if view.complete:
            raise CommandError(f"{args.file} is already signed; finalize or broadcast it")
        _confirm(view, args)
        secret = wallet.unlock(read_password(args))
        signed = sign_psbt(
            psbt, secret, network, expected_fingerprint=wallet.config.master_fingerprint
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
    """Broadcast ``tx``: which servers accepted it (each answered its txid) and which refused."""
    from wallet.commands.wallet_common import network_name, open_pool, server_specs, session
    from wallet.sync.engine import WalletSync, broadcast_everywhere

    if args.wallet is not None:
        async with session(args) as (wallet, pool, headers):
            if _touches_wallet(wallet, tx):  # the wallet records it as unconfirmed at once
                sync = WalletSync(wallet, pool, headers)
                await sync.broadcast(tx)
                assert sync.last_broadcast is not None
                return sync.last_broadcast
            return await broadcast_everywhere(pool, tx)
    network = network_name(args)
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
