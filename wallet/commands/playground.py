"""``paylight playground``: run the local regtest chain in the foreground.

It prints its endpoints (Electrum TCP/TLS, Esplora HTTP, the P2P listeners, Bitcoin Core's
REST and JSON-RPC), then takes one command per line on standard input (``mine 3``,
``fund ADDRESS SATS``, ``reorg 2``, ``misbehave slow delay=5``, ``behave``,
``p2p 1 wrong-filter``, ``info``, ``quit``) until
``quit``, end of input with ``--exit-on-eof``, Ctrl-C or SIGTERM. The same controls are served
over HTTP under ``/playground/`` on the Esplora port to a client that sends the token printed at
start (``Authorization: Bearer TOKEN``; also in ``<datadir>/control-token``), never to a web
page. The chain is always regtest (``--network`` is ignored).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from typing import Any

#: Regtest's customary Electrum ports (wallet.bitcoin.networks.REGTEST) and electrs' Esplora port;
#: literals here so that ``paylight --help`` does not import the network tables.
REGTEST_ELECTRUM_PORT = 60401
REGTEST_TLS_PORT = 60402
ESPLORA_PORT = 3002
REGTEST_P2P_PORT = 18444
#: Bitcoin Core's regtest RPC port, where its REST interface answers too
REGTEST_CORE_PORT = 18443
P2P_LISTENERS = 3
CONSOLE_HELP = """commands:
  mine [N] [ADDRESS]           mine N blocks (default 1) to ADDRESS (default the faucet)
  fund ADDRESS SATS [confirm]  pay SATS from the faucet (and mine a block with "confirm")
  reorg DEPTH                  replace the last DEPTH blocks with a longer branch
  misbehave MODE [KEY=VALUE]   wrong-merkle | low-work depth=N | omit-tx txid=T | slow delay=S
                               | drop after=N | malformed-json   (protocols=electrum|esplora)
  behave [MODE]                stop misbehaving (all modes, or one)
  p2p N MODE                   P2P listener N misbehaves: wrong-filter | wrong-filter-headers
                               | withhold-block | low-work | stall
  p2p N behave                 P2P listener N stops misbehaving
  info                         endpoints, height, tip
  quit                         stop and exit"""


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "playground",
        parents=[common],
        help="run a local regtest chain (Electrum + Esplora servers)",
        description=(
            "Run a regtest chain whose every block Bitcoin Core's consensus engine "
            "(libbitcoinkernel) validates, served over the Electrum protocol and the Esplora "
            "HTTP API on this machine. On first start it mines 101 blocks so its faucet can pay."
        ),
        epilog=CONSOLE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--datadir", type=Path, help="chain directory (default: per-user data dir)")
    where.add_argument("--temp", action="store_true", help="use a throwaway chain")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument(
        "--electrum-port",
        type=int,
        default=REGTEST_ELECTRUM_PORT,
        help=f"Electrum TCP port (default {REGTEST_ELECTRUM_PORT}; 0 picks a free one)",
    )
    parser.add_argument(
        "--esplora-port",
        type=int,
        default=ESPLORA_PORT,
        help=f"Esplora HTTP port (default {ESPLORA_PORT}; 0 picks a free one)",
    )
    parser.add_argument(
        "--tls", action="store_true", help="also serve Electrum and Esplora over TLS"
    )
    parser.add_argument(
        "--tls-port",
        type=int,
        default=REGTEST_TLS_PORT,
        help=f"Electrum TLS port (default {REGTEST_TLS_PORT}; 0 picks a free one)",
    )
    parser.add_argument(
        "--p2p-port",
        type=int,
        default=REGTEST_P2P_PORT,
        help=f"first P2P listener's port (default {REGTEST_P2P_PORT}, the next ones follow; "
        "0 picks free ones)",
    )
    parser.add_argument(
        "--core-port",
        type=int,
        default=REGTEST_CORE_PORT,
        help=f"Bitcoin Core's REST and JSON-RPC, cookie auth (default {REGTEST_CORE_PORT}, "
        "Core's own regtest port; 0 picks a free one)",
    )
    parser.add_argument(
        "--p2p-listeners",
        type=int,
        default=P2P_LISTENERS,
        help=f"P2P listeners (Core-like peers) on the same chain (default {P2P_LISTENERS})",
    )
    parser.add_argument(
        "--blocks", type=int, default=101, help="blocks to mine on first start (default 101)"
    )
    parser.add_argument("--mine-to", metavar="ADDRESS", help="pay mined blocks to this address")
    parser.add_argument(
        "--mine-every", type=float, metavar="SECONDS", help="mine a block every SECONDS"
    )
    parser.add_argument(
        "--fund",
        action="append",
        default=[],
        metavar="ADDRESS:SATS",
        help="pay an address from the faucet at start (repeatable; mined in one block)",
    )
    parser.add_argument("--exit-on-eof", action="store_true", help="stop when standard input ends")
    parser.set_defaults(func=run)


def _default_datadir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("paylight")) / "playground"


def run(args: argparse.Namespace) -> int:
    from wallet.commands import emit
    from wallet.playground import Playground, PlaygroundError

    if args.network not in ("mainnet", "regtest"):  # mainnet is only the shared default
        raise PlaygroundError("the playground is a regtest chain; drop --network or use regtest")
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        raise PlaygroundError("the playground only listens on this machine (127.0.0.1)")
    funds = []
    for item in args.fund:
        address, sep, sats = item.rpartition(":")
        if not sep or not sats.isdigit():
            raise PlaygroundError(f"--fund takes ADDRESS:SATS, got {item!r}")
        funds.append((address, int(sats)))
    datadir = None if args.temp else (args.datadir or _default_datadir())
    pg = Playground(
        datadir,
        host=args.host,
        electrum_port=args.electrum_port,
        esplora_port=args.esplora_port,
        tls=args.tls,
        electrum_tls_port=args.tls_port,
        p2p_port=args.p2p_port,
        p2p_listeners=max(0, args.p2p_listeners),
        core_port=args.core_port,
        initial_blocks=args.blocks,
        mine_to=args.mine_to,
    )
    try:
        pg.start()
    except OSError as exc:
        pg.stop()
        raise PlaygroundError(
            f"cannot listen: {exc}; choose other ports (0 picks free ones)"
        ) from None
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        for address, sats in funds:
            pg.fund(address, sats)
        if funds:
            pg.mine(1)
        if args.mine_every:
            pg.start_auto_mining(args.mine_every)
        emit(args, _endpoints(pg), _endpoints_text(pg))
        sys.stdout.flush()
        _console(pg, args, stop)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        pg.stop()
    return 0


def _endpoints(pg: Any) -> dict[str, Any]:
    """What the console prints at start and for ``info``: the endpoints and the control token."""
    return {**pg.endpoints(), "control_token": pg.control_token}


def _endpoints_text(pg: Any) -> str:
    info = pg.endpoints()
    lines = [
        "Paylight playground (regtest) is running",
        f"  electrum  tcp://{info['electrum']}",
    ]
    if info["electrum_tls"]:
        lines.append(
            f"  electrum  ssl://{info['electrum_tls']}  (certificate {info['certificate']})"
        )
    lines.append(f"  esplora   {info['esplora']}")
    if info.get("esplora_tls"):
        lines.append(f"  esplora   {info['esplora_tls']}  (same certificate)")
    for i, peer in enumerate(info.get("p2p", [])):
        lines.append(f"  p2p {i}     {peer}  (compact filters)")
    if info.get("core"):
        lines.append(f"  core      {info['core']}  (REST + JSON-RPC; cookie {info['core_cookie']})")
        lines.append(
            f"            paylight sync --network regtest --core {info['core']} "
            f"--core-cookie {info['core_cookie']}"
        )
    lines += [
        f"  height    {info['height']}  tip {info['tip']}",
        f"  faucet    {info['faucet_address']}",
        f"  data      {info['datadir']}",
        f"  control   {info['esplora']}/playground/  token {pg.control_token}",
        "Type 'help' for commands; Ctrl-C stops.",
    ]
    return "\n".join(lines)


def _console(pg: Any, args: argparse.Namespace, stop: threading.Event) -> None:
    """Read commands from stdin in a thread so SIGTERM and Ctrl-C still stop the main one."""
    lines: list[str | None] = []
    ready = threading.Event()

    def reader() -> None:
        for line in sys.stdin:
            lines.append(line)
            ready.set()
        lines.append(None)
        ready.set()

    threading.Thread(target=reader, name="playground-console", daemon=True).start()
    while not stop.is_set():
        if not ready.wait(0.2):
            continue
        ready.clear()
        while lines:
            line = lines.pop(0)
            if line is None:
                if args.exit_on_eof:
                    return
                continue
            if not _command(pg, args, line.split()):
                return
            sys.stdout.flush()


def _command(pg: Any, args: argparse.Namespace, words: list[str]) -> bool:
    """Run one console command; False to quit."""
    from wallet.commands import emit
    from wallet.errors import PaylightError

    if not words:
        return True
    name, rest = words[0].lower(), words[1:]
    try:
        if name in ("quit", "exit"):
            return False
        if name == "help":
            print(CONSOLE_HELP)
        elif name == "info":
            emit(args, _endpoints(pg), _endpoints_text(pg))
        elif name == "mine":
            n = int(rest[0]) if rest else 1
            hashes = pg.mine(n, rest[1] if len(rest) > 1 else None)
            emit(args, {"blocks": hashes, "height": pg.height}, f"mined {n}, height {pg.height}")
        elif name == "fund" and len(rest) >= 2:
            txid = pg.fund(rest[0], int(rest[1]), confirm="confirm" in rest[2:])
            emit(args, {"txid": txid}, f"funded: {txid}")
        elif name == "reorg" and rest:
            hashes = pg.reorg(int(rest[0]))
            emit(args, {"blocks": hashes, "height": pg.height}, f"reorged, height {pg.height}")
        elif name == "misbehave" and rest:
            options = dict(_option(w) for w in rest[1:])
            pg.misbehave(rest[0], **options)
            emit(args, {"misbehaving": pg.misbehavior.snapshot()}, f"misbehaving: {rest[0]}")
        elif name == "p2p" and len(rest) >= 2:
            listener = pg.p2p(int(rest[0]))
            if rest[1] == "behave":
                listener.behave()
            else:
                listener.misbehave(rest[1], **dict(_option(w) for w in rest[2:]))
            emit(
                args,
                {"p2p": int(rest[0]), "misbehaving": listener.modes},
                f"p2p {rest[0]}: {rest[1]}",
            )
        elif name == "behave":
            pg.behave(rest[0] if rest else None)
            emit(args, {"misbehaving": pg.misbehavior.snapshot()}, "behaving")
        else:
            print(f"unknown command {' '.join(words)!r}; type 'help'", file=sys.stderr)
    except (PaylightError, ValueError) as exc:
        print(f"paylight: error: {exc}", file=sys.stderr)
    return True


def _option(word: str) -> tuple[str, Any]:
    key, sep, value = word.partition("=")
    if not sep:
        raise ValueError(f"options are KEY=VALUE, got {word!r}")
    if key == "protocols":
        return key, tuple(value.split(","))
    try:
        return key, float(value) if "." in value else int(value)
    except ValueError:
        return key, value
