"""The playground: a regtest chain checked by libbitcoinkernel, served over Electrum, Esplora
and the Bitcoin P2P protocol (several Core-like listeners with compact filters).

One :class:`Playground` owns the kernel, the indexes, the mempool and the faucet, and runs the
servers on an asyncio loop in a background thread. Control methods (:meth:`mine`, :meth:`fund`,
:meth:`reorg`, :meth:`misbehave`...) may be called from any thread; one lock serialises every
change and every read, and subscribers are notified after each change.

The servers listen on this machine only (a loopback address). The Esplora port's HTTP control
requests need :attr:`Playground.control_token`, a random token kept in ``<datadir>/control-token``
(see ``esplora.py``); calls from Python in this process need none.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from wallet.bitcoin.errors import TransactionError
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.networks import REGTEST
from wallet.bitcoin.transaction import OutPoint, Transaction, TxOut
from wallet.playground.blocks import (
    COINBASE_MATURITY,
    COINBASE_WEIGHT_RESERVE,
    MAX_BLOCK_WEIGHT,
    BuiltBlock,
    ahead_of_clock,
    block_time,
    build_block,
)
from wallet.playground.chain import BlockRecord, ChainIndex, TxEntry, parse_block, scripthash
from wallet.playground.errors import PlaygroundError, TxRejected
from wallet.playground.faucet import Faucet
from wallet.playground.filter_index import FilterIndex
from wallet.playground.kernel import Kernel
from wallet.playground.ledger import Ledger
from wallet.playground.mempool import Mempool
from wallet.playground.misbehave import Misbehavior
from wallet.playground.traffic import Traffic

RawTx = bytes | str | Transaction
TOKEN_FILE = "control-token"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,128}")
BANNER = "Welcome to the Paylight playground (regtest, validated by libbitcoinkernel)."
#: What the playground's price endpoint (``/api/v1/prices``, mempool.space's shape) answers
#: until :meth:`Playground.set_prices`: round made-up prices, so a demo and tests have a rate.
DEMO_PRICES = {
    "USD": 65000, "EUR": 60000, "GBP": 51000, "CAD": 89000, "CHF": 57000, "AUD": 99000,
    "JPY": 9800000, "CNY": 470000, "MXN": 1100000, "BRL": 350000, "INR": 5400000,
}  # fmt: skip
#: The chain is written to disk once no change has come for this long (a restart after a crash
#: or a kill then resumes it), and during long bursts, see :meth:`Playground._flush_due`.
FLUSH_AFTER_IDLE_S = 1.0


def _raw(tx: RawTx) -> bytes:
    if isinstance(tx, Transaction):
        return tx.serialize()
    if isinstance(tx, str):
        try:
            return bytes.fromhex(tx.strip())
        except ValueError:
            raise PlaygroundError("a raw transaction must be hex") from None
    return bytes(tx)


class Playground:
    """A local regtest chain and its servers. Use as a context manager, or start()/stop()."""

    def __init__(
        self,
        datadir: str | Path | None = None,
        *,
        host: str = "127.0.0.1",
        electrum_port: int = 0,
        esplora_port: int = 0,
        tls: bool = False,
        electrum_tls_port: int = 0,
        esplora_tls_port: int = 0,
        p2p_port: int = 0,
        p2p_listeners: int = 3,
        core_port: int = 0,
        core_user: str | None = None,
        core_password: str | None = None,
        initial_blocks: int = 101,
        mine_to: str | bytes | None = None,
        banner: str = BANNER,
    ) -> None:
        self._tempdir: str | None = None
        if datadir is None:
            self._tempdir = tempfile.mkdtemp(prefix="paylight-playground-")
            datadir = self._tempdir
        self.datadir = Path(datadir)
        from wallet.playground.esplora import is_loopback

        if not is_loopback(host):
            raise PlaygroundError(
                f"the playground listens on this machine only (127.0.0.1, ::1), not {host!r}: "
                "its servers can be told to lie"
            )
        self.host = host
        self.control_token = ""
        self.network = REGTEST
        self.banner = banner
        self._ports = {
            "electrum": electrum_port,
            "esplora": esplora_port,
            "tls": electrum_tls_port,
            "esplora_tls": esplora_tls_port,
        }
        self._tls = tls
        self._p2p = (p2p_port, p2p_listeners)
        self._core = (core_port, core_user, core_password)
        #: the P2P listeners (see :mod:`wallet.playground.p2p`), one per port
        self.p2p_listeners: list[Any] = []
        self._initial_blocks = initial_blocks
        self._mine_to = mine_to
        self.lock = threading.RLock()
        self.misbehavior = Misbehavior()
        self.stale: dict[bytes, BlockRecord] = {}
        self.kernel: Kernel | None = None
        self.chain = ChainIndex()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._servers: dict[str, Any] = {}
        self._auto_stop: threading.Event | None = None
        #: the price endpoint's answer: currency -> price of a bitcoin (see set_prices)
        self.prices: dict[str, int | float | str] = dict(DEMO_PRICES)
        self._auto_thread: threading.Thread | None = None
        self._started = False
        #: blocks connected and whether anything changed since the chain was last written
        self._unflushed_blocks = 0
        self._dirty = False
        self._last_change = 0.0
        self._idle = threading.Condition(self.lock)
        self._flusher: threading.Thread | None = None
        self._flusher_stop = False

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> Playground:
        if self._started:
            return self
        try:
            self.datadir.mkdir(parents=True, exist_ok=True)
            self.control_token = self._load_token()
            self.kernel = Kernel(self.datadir / "chain")
            self.chain = ChainIndex()
            self.mempool = Mempool(self.chain, self.kernel)
            self.ledger = Ledger(self.chain, self.mempool, self.misbehavior, self.stale)
            self.filters = FilterIndex(self.chain)
            self.faucet = Faucet.load(self.datadir / "faucet.key")
            self.mine_to_script = self._script_for(self._mine_to, self.faucet.script_pubkey)
            with self.lock:
                self._follow_kernel()
                self._load_mempool()
                if self.chain.height == 0 and self._initial_blocks > 0:
                    for i in range(self._initial_blocks):
                        last = i == self._initial_blocks - 1
                        self._mine_one(self.faucet.script_pubkey, last=last)
            self._started = True
            self._dirty, self._last_change = self._unflushed_blocks > 0, time.monotonic()
            self._flusher_stop = False
            self._flusher = threading.Thread(
                target=self._flush_when_idle, name="playground-flush", daemon=True
            )
            self._flusher.start()
            self._start_servers()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Close every connection and server, flush the chain, remove a temporary directory."""
        self.stop_auto_mining()
        if self._flusher is not None:
            with self.lock:
                self._flusher_stop = True
                self._idle.notify_all()
            self._flusher.join(30)
            self._flusher = None
        if self._loop is not None:
            loop = self._loop
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(self._close_servers(), loop).result(10)
            loop.call_soon_threadsafe(loop.stop)
            if self._thread is not None:
                self._thread.join(10)
            loop.close()
            self._loop = None
            self._thread = None
        with self.lock:
            if self.kernel is not None:
                if self._started:
                    self._save_mempool()
                self.kernel.close()
                self.kernel = None
            self._started = False
        if self._tempdir is not None:
            shutil.rmtree(self._tempdir, ignore_errors=True)
            self._tempdir = None

    def _load_token(self) -> str:
        """The control token of this data folder, made on first start (owner-only file)."""
        from wallet.account.atomic import atomic_write

        path = self.datadir / TOKEN_FILE
        with contextlib.suppress(FileNotFoundError):
            token = path.read_text(encoding="ascii", errors="replace").strip()
            if not _TOKEN.fullmatch(token):
                raise PlaygroundError(
                    f"{path} does not hold a control token; remove it to make a new one"
                )
            return token
        token = secrets.token_urlsafe(32)
        atomic_write(path, token.encode() + b"\n", overwrite=False)
        return token

    def __enter__(self) -> Playground:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _require_started(self) -> None:
        if not self._started:
            raise PlaygroundError("the playground is not running; call start() first")

    # -- endpoints ------------------------------------------------------------------------------

    @property
    def electrum_port(self) -> int:
        return self._servers["electrum"].port

    @property
    def electrum_tls_port(self) -> int | None:
        server = self._servers.get("tls")
        return server.port if server is not None else None

    @property
    def esplora_port(self) -> int:
        return self._servers["esplora"].port

    @property
    def esplora_url(self) -> str:
        return f"http://{self.host}:{self.esplora_port}"

    @property
    def esplora_tls_port(self) -> int | None:
        server = self._servers.get("esplora_tls")
        return server.port if server is not None else None

    @property
    def esplora_tls_url(self) -> str | None:
        """``https://host:port`` of the Esplora API over TLS (same certificate as Electrum's)."""
        port = self.esplora_tls_port
        return f"https://{self.host}:{port}" if port else None

    @property
    def core(self) -> Any:
        """Bitcoin Core's REST and JSON-RPC (:class:`wallet.playground.core.CoreServer`)."""
        return self._servers["core"]

    @property
    def core_url(self) -> str:
        return f"http://{self.host}:{self.core.port}"

    @property
    def p2p_ports(self) -> list[int]:
        return [x.port for x in self.p2p_listeners]

    def p2p(self, index: int) -> Any:
        """The P2P listener ``index`` (its ``misbehave``/``behave`` switches, its ``received``
        record)."""
        return self.p2p_listeners[index]

    @property
    def certificate(self) -> Path | None:
        return self.datadir / "tls" / "cert.pem" if self._tls else None

    @property
    def height(self) -> int:
        with self.lock:
            return self.chain.height

    @property
    def tip_hash(self) -> str:
        with self.lock:
            return self.chain.tip.hash_hex

    @property
    def faucet_address(self) -> str:
        from wallet.bitcoin.address import script_to_address

        return script_to_address(self.faucet.script_pubkey, REGTEST)

    def traffic(self) -> dict[str, Any]:
        """What each Electrum, Esplora and Core server was asked and sent since start (and the
        P2P listeners together, under ``"p2p"``): requests by kind, messages, bytes each way
        (see traffic.py); and under ``"process"`` the CPU time
        this process has used (servers and kernel: what a benchmark's clients cost it)."""
        counts: dict[str, Any] = {
            name: server.traffic.snapshot()
            for name, server in self._servers.items()
            if hasattr(server, "traffic")
        }
        p2p = Traffic()
        for listener in self.p2p_listeners:
            t = listener.traffic
            p2p.requests.update(t.requests)
            p2p.sent.update(t.sent)
            p2p.messages += t.messages
            p2p.bytes_in += t.bytes_in
            p2p.bytes_out += t.bytes_out
            p2p.connections += t.connections
        counts["p2p"] = p2p.snapshot()
        counts["process"] = {"cpu_s": time.process_time()}
        return counts

    def endpoints(self) -> dict[str, Any]:
        return {
            "network": "regtest",
            "datadir": str(self.datadir),
            "electrum": f"{self.host}:{self.electrum_port}",
            "electrum_tls": (
                f"{self.host}:{self.electrum_tls_port}" if self.electrum_tls_port else None
            ),
            "certificate": str(self.certificate) if self.certificate else None,
            "esplora": self.esplora_url,
            "esplora_tls": self.esplora_tls_url,
            "p2p": [f"{self.host}:{port}" for port in self.p2p_ports],
            "core": self.core_url,
            "core_cookie": str(self.core.cookie_path),
            "height": self.height,
            "tip": self.tip_hash,
            "faucet_address": self.faucet_address,
        }

    # -- control --------------------------------------------------------------------------------

    def mine(
        self,
        n: int = 1,
        address: str | bytes | None = None,
        *,
        txs: Sequence[RawTx] = (),
        include_mempool: bool = True,
        tiny_coinbase: bool = False,
    ) -> list[str]:
        """Mine ``n`` blocks (to ``address``, a scriptPubKey, or the faucet); return their hashes.

        ``txs`` are forced into the first block without the mempool's checks, so the kernel alone
        judges them: a bad one makes the block fail with :class:`BlockRejected`. With
        ``tiny_coinbase`` the first block's coinbase is a 64-byte transaction (the block may then
        hold no witness transactions; its reward is anyone's).
        """
        if not isinstance(n, int) or n < 0:
            raise PlaygroundError("the number of blocks to mine must be a whole number >= 0")
        spk = self._script_for(address, self.mine_to_script)
        forced = [_raw(t) for t in txs]
        hashes: list[str] = []
        with self.lock:
            self._require_started()
            try:
                for i in range(n):
                    record = self._mine_one(
                        spk,
                        forced if i == 0 else (),
                        include_mempool=include_mempool,
                        tiny=tiny_coinbase and i == 0,
                        last=i == n - 1,
                    )
                    hashes.append(record.hash_hex)
                    if self._flush_due():
                        self.flush()
            finally:
                if hashes:
                    self._changed()
        return hashes

    def broadcast(self, tx: RawTx) -> str:
        """Offer a transaction to the mempool; its txid, or :class:`TxRejected` with the reason.

        A transaction already in the mempool is not an error (its txid is returned), as with
        Bitcoin Core's ``sendrawtransaction``: a wallet broadcasting to several servers that
        share one node must hear the same answer from each.
        """
        raw = _raw(tx)
        with self.lock:
            self._require_started()
            try:
                entry = self.mempool.accept(raw)
            except TxRejected as exc:
                if exc.reason != "txn-already-in-mempool":
                    raise
                return Transaction.parse(raw).txid()[::-1].hex()
        self._changed()
        return entry.txid[::-1].hex()

    def fund(
        self,
        address: str | bytes,
        sats: int,
        *,
        fee_rate: float = 2.0,
        confirm: bool = False,
    ) -> str:
        """Pay ``sats`` to ``address`` (or scriptPubKey) from the faucet; return the txid.

        The transaction waits in the mempool unless ``confirm``, which mines one block.
        """
        if not isinstance(sats, int) or sats <= 0:
            raise PlaygroundError("the amount to fund must be a positive number of satoshis")
        spk = self._script_for(address, None)
        with self.lock:
            self._require_started()
            tx = self.faucet.build(self._faucet_coins(sats), [TxOut(sats, spk)], fee_rate)
            entry = self.mempool.accept(tx.serialize())
            if confirm:
                self._mine_one(self.mine_to_script)
        self._changed()
        return entry.txid[::-1].hex()

    def reorg(
        self,
        depth: int,
        *,
        length: int | None = None,
        address: str | bytes | None = None,
        drop: Iterable[str] = (),
        confirm_again: bool = False,
    ) -> list[str]:
        """Replace the last ``depth`` blocks with a longer branch (``depth + 1`` blocks unless
        ``length``) built on the fork point and fed to the kernel, which switches to it.

        The replaced blocks' transactions go back to the mempool (as after a real reorg), except
        those in ``drop`` (txids) which vanish; with ``confirm_again`` they are mined again in
        the branch's first block instead. Returns the new branch's block hashes.
        """
        with self.lock:
            self._require_started()
            if not isinstance(depth, int) or not 1 <= depth <= self.chain.height:
                raise PlaygroundError(
                    f"reorg depth must be between 1 and the chain height {self.chain.height}"
                )
            length = depth + 1 if length is None else length
            if length <= depth:
                raise PlaygroundError(
                    f"the new branch needs more than {depth} blocks to have more work than the "
                    "blocks it replaces"
                )
            spk = self._script_for(address, self.mine_to_script)
            drop_ids = {bytes.fromhex(t)[::-1] for t in drop}
            fork = self.chain.height - depth
            replaced = self.chain.blocks[fork + 1 :]
            old_txs = [e for r in replaced for e in r.txs[1:] if e.txid not in drop_ids]
            again = [(e.tx, e.raw) for e in old_txs] if confirm_again else []
            again_fees = sum(e.fee for e in old_txs) if confirm_again else 0
            prev, times = self.chain.blocks[fork].hash, self.chain.times(fork)
            built: dict[bytes, BuiltBlock] = {}
            for i in range(length):
                when = block_time(times, int(time.time()), current=True)
                block = build_block(
                    prev,
                    fork + 1 + i,
                    when,
                    spk,
                    again if i == 0 else (),
                    again_fees if i == 0 else 0,
                )
                self.kernel.submit_block(block.raw, block.hash, expect_tip=i == length - 1)
                built[block.hash] = block
                prev = block.hash
                times.append(when)
            disconnected = self._follow_kernel(built)
            self._unflushed_blocks += length
            self.mempool.rebuild(e.raw for e in disconnected if e.txid not in drop_ids)
        self._changed()
        return [h[::-1].hex() for h in built]

    def misbehave(self, mode: str | None = None, **options: Any) -> None:
        """Turn a misbehaviour on (see :mod:`wallet.playground.misbehave`); no mode: all off."""
        if mode is None:
            self.misbehavior.clear()
        else:
            self.misbehavior.set(mode, **options)
        self._changed()

    def behave(self, mode: str | None = None) -> None:
        """Turn one misbehaviour (or all) off."""
        self.misbehavior.clear(mode)
        self._changed()

    def set_fee_estimates(self, estimates: dict[int, float] | None) -> None:
        """Serve these sat/vB estimates (by confirmation target) instead of the mempool's."""
        with self.lock:
            self.ledger.fee_overrides = dict(estimates) if estimates else None

    def set_prices(self, prices: dict[str, int | float | str] | None) -> None:
        """Serve these prices of a bitcoin (currency code -> price) at ``/api/v1/prices``;
        None: the demo prices. Values are served as given, so a test can serve nonsense."""
        with self.lock:
            self.prices = dict(DEMO_PRICES if prices is None else prices)

    def start_auto_mining(self, seconds: float) -> None:
        """Mine one block every ``seconds`` in a background thread (until stop)."""
        if seconds <= 0:
            raise PlaygroundError("the mining interval must be more than 0 seconds")
        self.stop_auto_mining()
        stop = threading.Event()

        def run() -> None:
            while not stop.wait(seconds):
                with contextlib.suppress(PlaygroundError):
                    self.mine(1)

        self._auto_stop = stop
        self._auto_thread = threading.Thread(target=run, name="playground-miner", daemon=True)
        self._auto_thread.start()

    def stop_auto_mining(self) -> None:
        if self._auto_stop is not None:
            self._auto_stop.set()
            if self._auto_thread is not None:
                self._auto_thread.join(10)
        self._auto_stop = None
        self._auto_thread = None

    # -- internals (callers hold the lock) ------------------------------------------------------

    def _script_for(self, address: str | bytes | None, default: bytes | None) -> bytes:
        if address is None:
            if default is None:
                raise PlaygroundError("give an address to pay")
            return default
        if isinstance(address, bytes | bytearray):
            return bytes(address)
        from wallet.bitcoin.address import address_to_script

        return address_to_script(address.strip(), REGTEST)

    def _mine_one(
        self,
        spk: bytes,
        forced: Sequence[bytes] = (),
        include_mempool: bool = True,
        tiny: bool = False,
        last: bool = True,
    ) -> BlockRecord:
        """Build, validate and index the next block; ``last`` if it ends a request to mine."""
        chain = self.chain
        tip = chain.tip
        txs: list[tuple[Transaction, bytes]] = []
        fees = 0
        if include_mempool and len(self.mempool):
            for m in self.mempool.select(MAX_BLOCK_WEIGHT - COINBASE_WEIGHT_RESERVE):
                txs.append((m.entry.tx, m.entry.raw))
                fees += m.fee
        for raw in forced:
            try:
                tx = Transaction.parse(raw)
            except TransactionError as exc:
                raise PlaygroundError(f"a forced transaction does not parse: {exc}") from None
            txs.append((tx, tx.serialize()))
            fees += self._fee_guess(tx)
        now = int(time.time())
        when = block_time(chain.times(), now, current=last or bool(txs))
        if ahead_of_clock(when, now):
            raise PlaygroundError(
                f"block {tip.height + 1} would be dated {when - now} s ahead of this computer's "
                "clock, more than the 2 hours Bitcoin Core accepts: the chain's time has caught "
                "up with the clock, and a block must be later than the median of the 11 before "
                "it, so from here the chain gains at most 6 blocks a second; wait, or mine fewer"
            )
        block = build_block(tip.hash, tip.height + 1, when, spk, txs, fees, tiny=tiny)
        self.kernel.submit_block(block.raw, block.hash)
        self._unflushed_blocks += 1
        try:
            record = chain.connect(block.hash, block.header, block.txs, len(block.raw))
        except Exception:
            self._follow_kernel()  # never serve an index that disagrees with the kernel
            raise
        self.mempool.block_connected(record.txs)
        return record

    def _fee_guess(self, tx: Transaction) -> int:
        """The fee of a forced transaction if its inputs are known, else 0."""
        total = 0
        for txin in tx.inputs:
            coin = self.chain.coin(txin.prevout)
            out = coin.output if coin is not None else self.mempool.output(txin.prevout)
            if out is None:
                return 0
            total += out.value
        return max(0, total - sum(o.value for o in tx.outputs))

    def _follow_kernel(self, known: dict[bytes, BuiltBlock] | None = None) -> list[TxEntry]:
        """Make the indexes match the kernel's active chain; return the disconnected
        transactions (oldest first, coinbases left out)."""
        kernel, chain = self.kernel, self.chain
        fork = min(chain.height, kernel.height)
        while fork >= 0 and chain.blocks[fork].hash != kernel.hash_at(fork):
            fork -= 1
        disconnected: list[TxEntry] = []
        while chain.height > fork:
            record = chain.disconnect_tip()
            self.stale[record.hash] = record
            disconnected[:0] = record.txs[1:]
        for height in range(fork + 1, kernel.height + 1):
            block_hash = kernel.hash_at(height)
            block = (known or {}).get(block_hash)
            if block is not None:
                chain.connect(block_hash, block.header, block.txs, len(block.raw))
            else:
                raw = kernel.block_at(height)
                header, txs = parse_block(raw)
                chain.connect(sha256d(header), header, txs, len(raw))
            self.stale.pop(block_hash, None)
        return disconnected

    def _faucet_coins(self, sats: int) -> list[tuple[OutPoint, int]]:
        """The faucet's spendable coins: mature confirmed ones, then its unconfirmed change.

        The oldest confirmed coins come first and the search stops once they cover ``sats``
        with room for any fee: a long chain's faucet has a coinbase in every block, and
        looking at all of them made each payment cost time linear in the chain's length.
        """
        sh = scripthash(self.faucet.script_pubkey)
        next_height = self.chain.height + 1
        confirmed = []
        total = 0
        for height, _pos, txid in self.chain.history.get(sh, ()):
            if total > sats + 1_000_000:
                return confirmed
            entry = self.chain.tx_index[txid]
            if entry.is_coinbase and next_height - height < COINBASE_MATURITY:
                continue
            for vout, out in enumerate(entry.tx.outputs):
                op = OutPoint(txid, vout)
                if (
                    out.script_pubkey == self.faucet.script_pubkey
                    and op in self.chain.utxos
                    and op not in self.mempool.spent_by
                ):
                    confirmed.append((op, out.value))
                    total += out.value
        if total > sats + 100_000:
            return confirmed
        return confirmed + [(op, c.output.value) for op, c in self.mempool.coins_for(sh)]

    # -- writing to disk -----------------------------------------------------------------------

    def flush(self) -> None:
        """Write the chain and the mempool to disk now (a restart resumes from here)."""
        with self.lock:
            self._require_started()
            if self._unflushed_blocks:
                self.kernel.flush()
                self._unflushed_blocks = 0
            self._save_mempool()
            self._dirty = False

    @property
    def flushed(self) -> bool:
        """True once every change is on disk (a kill now loses nothing)."""
        with self.lock:
            return not self._dirty and not self._unflushed_blocks

    def _flush_due(self) -> bool:
        """During and after long bursts: reopening the kernel to flush costs time linear in the
        chain's length, so flushing every quarter of the chain's height (and at least every
        1,000 blocks) costs each block about the same however long the chain is."""
        return self._unflushed_blocks >= max(1000, self.chain.height // 4)

    def _flush_when_idle(self) -> None:
        """Background thread: flush once nothing has changed for :data:`FLUSH_AFTER_IDLE_S`."""
        with self.lock:
            while not self._flusher_stop:
                if not self._dirty:
                    self._idle.wait()
                    continue
                quiet = time.monotonic() - self._last_change
                if quiet < FLUSH_AFTER_IDLE_S:
                    self._idle.wait(FLUSH_AFTER_IDLE_S - quiet)
                    continue
                try:
                    self.flush()
                except PlaygroundError:
                    self._dirty = False  # stopped meanwhile; stop() writes what is left

    def _mempool_file(self) -> Path:
        return self.datadir / "mempool.txt"

    def _save_mempool(self) -> None:
        lines = [m.entry.raw.hex() for m in self.mempool.entries.values()]
        self._mempool_file().write_text("".join(line + "\n" for line in lines))

    def _load_mempool(self) -> None:
        path = self._mempool_file()
        if path.exists():
            raws = []
            for line in path.read_text().split():
                with contextlib.suppress(ValueError):
                    raws.append(bytes.fromhex(line))
            self.mempool.rebuild(raws)

    # -- servers --------------------------------------------------------------------------------

    def _start_servers(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(
            target=loop.run_forever, name="playground-servers", daemon=True
        )
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._open_servers(), loop).result(30)

    async def _open_servers(self) -> None:
        from wallet.playground.electrum import ElectrumServer
        from wallet.playground.esplora import EsploraServer

        electrum = ElectrumServer(self, self.host, self._ports["electrum"])
        await electrum.start()
        self._servers["electrum"] = electrum
        esplora = EsploraServer(self, self.host, self._ports["esplora"])
        await esplora.start()
        self._servers["esplora"] = esplora
        from wallet.playground.core import CoreServer

        port, user, password = self._core
        core = CoreServer(
            self, self.host, port, datadir=self.datadir, user=user, password=password
        )
        await core.start()
        self._servers["core"] = core
        from wallet.playground.p2p import P2PListener

        base, count = self._p2p
        self.p2p_listeners = []
        for i in range(count):
            listener = P2PListener(self, self.host, base + i if base else 0, i)
            await listener.start()
            self.p2p_listeners.append(listener)
        if self._tls:
            from wallet.playground.tls import server_context

            # one certificate for both TLS ports, so a client trusts a single cert.pem
            context = server_context(self.datadir / "tls")
            tls = ElectrumServer(self, self.host, self._ports["tls"], ssl=context)
            await tls.start()
            self._servers["tls"] = tls
            https = EsploraServer(self, self.host, self._ports["esplora_tls"], ssl=context)
            await https.start()
            self._servers["esplora_tls"] = https

    async def _close_servers(self) -> None:
        for server in [*self._servers.values(), *self.p2p_listeners]:
            await server.close()
        current = asyncio.current_task()
        tasks = [t for t in asyncio.all_tasks() if t is not current]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _changed(self) -> None:
        """Note the change for the flusher; tell the Electrum sessions to send whatever
        notifications are now due."""
        with self.lock:
            self._dirty = True
            self._last_change = time.monotonic()
            self._idle.notify_all()
        loop = self._loop
        if loop is None or loop.is_closed():
            return

        def schedule() -> None:
            for name in ("electrum", "tls"):
                server = self._servers.get(name)
                if server is not None:
                    loop.create_task(server.notify_all())
            for listener in self.p2p_listeners:
                loop.create_task(listener.notify_all())

        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(schedule)
