"""``paylight receipt export TXID -o FILE``: a receipt for a confirmed payment of the wallet.

The transaction must be *confirmed* in the wallet (its Merkle proof checked against the local
header chain); the receipt holds it, the proof and the block header from the local store
(``--confirmations N`` adds the headers after the block). The output it is about: ``--output
N``, else the one paying a payment request of this wallet, else the only one paying the wallet,
else (a payment we made) the first one paying someone else. The file's name says the form:
``.json`` (default), ``.txt`` (the compact ``paylight-receipt:`` text), ``.png``/``.svg`` (that
text as a QR code). Check it anywhere with ``paylight receipt verify FILE``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from wallet.commands import emit
from wallet.commands.wallet_common import CommandError, add_wallet_options


def register_export(actions: Any, common: argparse.ArgumentParser) -> None:
    export = actions.add_parser(
        "export",
        parents=[common],
        help="write the receipt of a confirmed payment",
        description="Write a receipt (transaction, Merkle proof, block header) for a payment "
        "the wallet has confirmed, to check offline with 'paylight receipt verify'.",
    )
    export.add_argument("txid", metavar="TXID")
    export.add_argument("-o", "--output-file", dest="out", type=Path, required=True, metavar="FILE")
    export.add_argument("--output", type=int, metavar="N", help="the output the receipt is about")
    export.add_argument(
        "--confirmations",
        type=int,
        default=1,
        metavar="N",
        help="carry the headers after the block up to N confirmations (default 1)",
    )
    export.add_argument(
        "--headers",
        type=Path,
        metavar="DIR",
        help="the header store folder (default: the wallet's network's)",
    )
    add_wallet_options(export)
    export.set_defaults(func=run)


def choose_output(wallet: Any, tx: Any, given: int | None) -> tuple[int, str | None, str | None]:
    """(output index, label, message) for the receipt of ``tx``."""
    from wallet.account.database import Chain

    db = wallet.db
    if given is not None:
        if not 0 <= given < len(tx.outputs):
            raise CommandError(f"the transaction has no output {given}")
        index = given
    else:
        ours = [
            (n, db.address_by_script(o.script_pubkey))
            for n, o in enumerate(tx.outputs)
            if db.address_by_script(o.script_pubkey) is not None
        ]
        requested = {r.address_id for r in db.payment_requests()}
        for_requests = [n for n, a in ours if a.id in requested]
        received = [n for n, a in ours if a.chain is Chain.RECEIVE]
        theirs = [n for n in range(len(tx.outputs)) if n not in {m for m, _ in ours}]
        if for_requests:
            index = for_requests[0]
        elif len(received) == 1:
            index = received[0]
        elif theirs:
            index = theirs[0]
        else:
            raise CommandError("several outputs pay this wallet; choose one with --output N")
    label = message = None
    address = db.address_by_script(tx.outputs[index].script_pubkey)
    if address is not None:
        for r in db.payment_requests():
            if r.address_id == address.id:
                label, message = r.label or None, r.message or None
    if label is None:
        label = db.label("tx", tx.txid_hex)
    return index, label, message


def run(args: argparse.Namespace) -> int:
    from wallet.commands.wallet_common import open_wallet
    from wallet.payments.receipt import receipt_for_payment, receipt_qr_text, stored_coinbase
    from wallet.sync.headers import open_header_store, wallet_store_dir

    text = args.txid.strip().lower()
    if len(text) != 64 or any(c not in "0123456789abcdef" for c in text):
        raise CommandError(f"{args.txid!r} is not a transaction id (64 hex digits)")
    suffix = args.out.suffix.lower()
    if suffix not in (".json", ".txt", ".png", ".svg", ""):
        raise CommandError(f"cannot tell the receipt form of {args.out.name}: .json, .txt, .png")
    with open_wallet(args) as wallet:
        network = wallet.config.network
        record = wallet.db.transaction_record(bytes.fromhex(text)[::-1])
        if record is None:
            raise CommandError(f"the wallet has no transaction {text}")
        index, label, message = choose_output(wallet, record.transaction(), args.output)
        with open_header_store(network, args.headers or wallet_store_dir(wallet)) as headers:
            receipt = receipt_for_payment(
                record,
                headers,
                index,
                confirmations=args.confirmations,
                label=label,
                message=message,
                coinbase=stored_coinbase(wallet.db, record),
            )
    if suffix in (".png", ".svg"):
        from wallet.payments.qr_render import save_qr

        save_qr(receipt_qr_text(receipt), args.out, uppercase=False)
    elif suffix == ".txt":
        args.out.write_text(receipt.to_text() + "\n")
    else:
        args.out.write_text(receipt.to_json_text())
    data = {"file": str(args.out), "txid": text, "output": index, "height": receipt.height}
    emit(
        args,
        data,
        f"wrote the receipt of {text} (output {index}, block {receipt.height:,}) to {args.out}",
    )
    return 0
