"""Restoring a large wallet: 1,000 transactions found, fetched and proven over loopback.

A BIP84 wallet gets about 1,000 transactions on the playground (receives, sends with change,
RBF replacements, a few left in the mempool; tests/wallet_builder.py). Then a fresh restore from
the same seed runs one ``WalletSync.sync()`` against the playground's Electrum and Esplora
servers: headers from genesis, gap-limit discovery on both chains, every history asked of both
servers, every raw transaction checked against its txid, every Merkle proof checked against our
own headers. ``restore_1000_s`` is the acceptance figure (goal: under 10 s).

    python3 bench/sync.py [--transactions N] [--electrum-only] [--save-reference]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.harness import report  # noqa: E402
from tests.wallet_builder import HistoryBuilder  # noqa: E402
from wallet.account.keystore import ScryptParams  # noqa: E402
from wallet.account.setup import create_from_seed  # noqa: E402
from wallet.account.wallet_file import Wallet  # noqa: E402
from wallet.backends.servers import make_pool  # noqa: E402
from wallet.bitcoin.networks import REGTEST  # noqa: E402
from wallet.playground import Playground  # noqa: E402
from wallet.sync.engine import WalletSync  # noqa: E402
from wallet.sync.headers import open_header_store  # noqa: E402

MNEMONIC = " ".join(["abandon"] * 11 + ["about"])


async def restore(folder: Path, servers: list[str], home: Path) -> tuple[float, object]:
    wallet = Wallet.open(folder)
    headers = open_header_store(REGTEST, home / "headers")
    pool = make_pool(servers, REGTEST)
    try:
        started = time.perf_counter()
        result = await WalletSync(wallet, pool, headers).sync()
        elapsed = time.perf_counter() - started
    finally:
        await pool.close()
        headers.close()
        wallet.close()
    return elapsed, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=1000)
    parser.add_argument("--electrum-only", action="store_true")
    parser.add_argument("--save-reference", action="store_true")
    args = parser.parse_args()
    figures: dict[str, float | int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        os.environ["PAYLIGHT_HOME"] = str(home / "paylight")
        pg = Playground(home / "pg", electrum_port=0, esplora_port=0).start()
        try:
            started = time.perf_counter()
            pg.mine(120)
            builder = HistoryBuilder(pg, MNEMONIC)
            builder.build(args.transactions, seed=7)
            view = builder.view()
            figures["build_wallet_s"] = round(time.perf_counter() - started, 3)
            figures["transactions"] = len(view.txs)
            figures["replaced_by_rbf"] = len(builder.replaced)
            figures["chain_height"] = pg.height

            folder = create_from_seed(
                home / "restored", REGTEST, MNEMONIC, "pw", kdf=ScryptParams.insecure_for_tests()
            )
            servers = [f"tcp://127.0.0.1:{pg.electrum_port}"]
            if not args.electrum_only:
                servers.append(pg.esplora_url)
            elapsed, result = asyncio.run(restore(folder, servers, home))
            figures[f"restore_{args.transactions}_s"] = round(elapsed, 3)
            figures["servers"] = len(servers)
            figures["requests_made"] = result.requests_made
            figures["proofs_verified"] = result.proofs_verified
            figures["tx_per_s"] = round(len(view.txs) / elapsed)

            with Wallet.open(folder) as wallet:
                balance = wallet.db.balance()
                states = {r.txid_hex: r.state.value for r in wallet.db.transactions()}
            mined = {t for t, h in view.txs.items() if h is not None}
            agrees = (
                (balance.confirmed, balance.unverified, balance.unconfirmed)
                == (view.confirmed, 0, view.unconfirmed)
                and {t for t, s in states.items() if s == "confirmed"} == mined
                and {t for t, s in states.items() if s != "replaced"} == set(view.txs)
                and result.proofs_verified == len(mined)
            )
            figures["matches_playground"] = "yes" if agrees else "NO"
        finally:
            pg.stop()
    report("sync", figures, save=args.save_reference)
    if figures["matches_playground"] != "yes":
        raise SystemExit("the restored wallet does not match the playground's view")


if __name__ == "__main__":
    main()
