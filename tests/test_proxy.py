"""Every connection through a SOCKS5 proxy, names resolved by the proxy.

A real proxy (``pproxy``, a test dependency) runs in its own process on loopback; a whole sync
over every transport (Electrum tcp and ssl, Esplora, P2P, Bitcoin Core REST and RPC, the
fiat-rate sources) goes through it while this process records every ``getaddrinfo`` and
every socket ``connect``: the only connections are to the proxy and the only lookups are of
IP literals (none of a name), and the proxy's log shows a connection to each server by name.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.playground_fixture import start_playground
from tests.proxy_support import SocksProxy
from tests.wallet_builder import HistoryBuilder
from wallet.backends.base import scripthash_of
from wallet.backends.electrum import CertPins, ElectrumClient
from wallet.backends.esplora import EsploraClient
from wallet.bitcoin.networks import REGTEST
from wallet.bitcoin.transaction import TxOut
from wallet.core.node import CoreNode, CoreUnavailable
from wallet.core.source import CoreSource
from wallet.net import proxy as net
from wallet.net.proxy import TOR, TOR_BROWSER, Proxy, ProxyError, open_stream, parse_proxy
from wallet.net.socks import address_field
from wallet.p2p.client import LightClient
from wallet.rates.mempool import MempoolSource
from wallet.rates.service import fetch_rate
from wallet.spv.store import HeaderStore


def run(coro, timeout: float = 120):
    return asyncio.run(asyncio.wait_for(coro, timeout))


@pytest.fixture
def no_default_proxy():
    yield
    net.set_default_proxy(None)


# -- the setting ------------------------------------------------------------------------------


def test_proxy_settings_and_socks_addresses():
    assert parse_proxy("tor") == TOR == Proxy("127.0.0.1", 9050)
    assert parse_proxy("tor-browser") == TOR_BROWSER == Proxy("127.0.0.1", 9150)
    assert parse_proxy("") is None and parse_proxy("none") is None
    assert parse_proxy("socks5://u:p%40ss@10.0.0.2:1080") == Proxy("10.0.0.2", 1080, "u", "p@ss")
    assert parse_proxy("localhost:9050") == Proxy("localhost", 9050)
    for bad in ("http://host:8080", "socks5://host", "tor-please"):
        with pytest.raises(ProxyError):
            parse_proxy(bad)
    # names go to the proxy as names (ATYP 3), literals as addresses
    assert address_field("example.onion") == b"\x03\x0dexample.onion"
    assert address_field("127.0.0.1") == b"\x01\x7f\x00\x00\x01"
    assert address_field("::1")[:1] == b"\x04"


def test_onion_refused_without_a_proxy_and_tried_through_one(tmp_path, no_default_proxy):
    onion = "paylightexampleaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.onion"
    with pytest.raises(ProxyError) as err:
        run(open_stream(onion, 50001))
    assert "set a Tor proxy first" in str(err.value)
    with pytest.raises(ProxyError):
        net.open_http_client(base_url=f"http://{onion}/api")
    node = CoreNode.for_network("regtest", host=onion, user="u", password="p")

    async def core():
        store = HeaderStore(tmp_path / "h", REGTEST, fsync=False)
        source = CoreSource(node, store)
        try:
            await source.sync()
        finally:
            await source.close()
            store.close()

    with pytest.raises(CoreUnavailable) as err:
        run(core())
    assert "onion address" in str(err.value)
    proxy = SocksProxy(tmp_path / "proxy.log")
    try:
        # pproxy has no Tor: it accepts, then fails to resolve the name (and hangs up)
        async def attempt():
            try:
                reader, writer = await open_stream(
                    onion, 50001, proxy=Proxy("127.0.0.1", proxy.port)
                )
            except ProxyError:
                return
            await reader.read(1)
            writer.close()

        run(attempt())
        time.sleep(0.5)
    finally:
        proxy.stop()
    assert any(f"-> {onion}:50001" in line for line in proxy.lines())


async def _auth_socks_server(user: bytes, password: bytes, seen: list):
    """A SOCKS5 server that insists on a username and password (pproxy does not), then echoes
    what the client sends instead of connecting anywhere."""

    async def handle(reader, writer):
        try:
            _ver, n = await reader.readexactly(2)
            methods = await reader.readexactly(n)
            if 2 not in methods:
                writer.write(b"\x05\xff")
                return
            writer.write(b"\x05\x02")
            _v, ulen = await reader.readexactly(2)
            got_user = await reader.readexactly(ulen)
            (plen,) = await reader.readexactly(1)
            got_password = await reader.readexactly(plen)
            if (got_user, got_password) != (user, password):
                writer.write(b"\x01\x01")
                return
            writer.write(b"\x01\x00")
            _ver, _cmd, _rsv, atyp = await reader.readexactly(4)
            assert atyp == 3  # a name, for the proxy to resolve
            (size,) = await reader.readexactly(1)
            seen.append((await reader.readexactly(size)).decode())
            await reader.readexactly(2)
            writer.write(b"\x05\x00\x00\x01" + bytes(6))
            writer.write(await reader.read(5))
            await writer.drain()
        finally:
            writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", 0)


def test_proxy_username_and_password():
    async def go():
        seen: list[str] = []
        server = await _auth_socks_server(b"alice", b"secret", seen)
        port = server.sockets[0].getsockname()[1]

        async def echo(p: Proxy) -> bytes:
            reader, writer = await open_stream("node.example", 8333, proxy=p)
            writer.write(b"hello")
            await writer.drain()
            data = await reader.read(5)
            writer.close()
            return data

        try:
            assert await echo(Proxy("127.0.0.1", port, "alice", "secret")) == b"hello"
            assert seen == ["node.example"]
            with pytest.raises(ProxyError) as wrong:
                await echo(Proxy("127.0.0.1", port, "alice", "wrong"))
            with pytest.raises(ProxyError) as missing:
                await echo(Proxy("127.0.0.1", port))
            return str(wrong.value), str(missing.value)
        finally:
            server.close()

    wrong, missing = run(go())
    assert "refused the username or password" in wrong
    assert "accepts none of our login methods" in missing and "user:password@" in missing


# -- the whole sync ---------------------------------------------------------------------------


class Recorder:
    """Every name lookup and outgoing connection this process makes."""

    def __init__(self, monkeypatch) -> None:
        self.lookups: list[str] = []
        self.connects: list[tuple] = []
        real_getaddrinfo = socket.getaddrinfo
        real_connect = socket.socket.connect
        real_connect_ex = socket.socket.connect_ex

        def getaddrinfo(host, *args, **kwargs):
            self.lookups.append(host.decode() if isinstance(host, bytes) else str(host))
            return real_getaddrinfo(host, *args, **kwargs)

        def connect(sock, address):
            self.connects.append(tuple(address)[:2])
            return real_connect(sock, address)

        def connect_ex(sock, address):
            self.connects.append(tuple(address)[:2])
            return real_connect_ex(sock, address)

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
        monkeypatch.setattr(socket.socket, "connect", connect)
        monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def test_a_whole_sync_over_every_transport_goes_through_the_proxy(
    tmp_path, monkeypatch, no_default_proxy
):
    pg = start_playground(tmp_path / "pg", p2p_listeners=2, tls=True)
    proxy = SocksProxy(tmp_path / "proxy.log")
    try:
        builder = HistoryBuilder(pg, "abandon " * 11 + "about", per_address=2, gap_limit=4)
        builder.build(12, seed=3, leave_unmined=0)
        builder.mine()
        scripts = builder.scripts()
        expected = {t: h for t, h in builder.view().txs.items() if h is not None}
        with pg.lock:
            payment = pg.faucet.build(pg._faucet_coins(40_000), [TxOut(40_000, scripts[0])], 3.0)
        # the same chain seen from the proxy's side by name: nothing here may resolve it
        host = "localhost"
        net.set_default_proxy(f"socks5://127.0.0.1:{proxy.port}")
        recorder = Recorder(monkeypatch)
        results = run(_sync_everything(pg, host, scripts, payment, tmp_path), timeout=180)
        lookups, connects = list(recorder.lookups), list(recorder.connects)
        # control: without the proxy the same client resolves the name here, and the recorder
        # sees it (so an empty record above means no lookup, not a blind recorder)
        net.set_default_proxy(None)
        run(_electrum_tip(host, pg.electrum_port))
        control = list(recorder.lookups)
    finally:
        proxy.stop()
        monkeypatch.undo()
        pg.stop()

    electrum, electrum_tls_tip, esplora, p2p, core, broadcast, rate = results
    assert electrum == esplora == p2p == core == expected
    assert electrum_tls_tip > 0 and broadcast
    assert rate is not None and rate.source == "playground"
    # no name was looked up here, and every connection went to the proxy
    assert all(_is_ip(h) for h in lookups) and host not in lookups, lookups
    assert set(connects) == {("127.0.0.1", proxy.port)}, connects
    assert host in control
    # the proxy connected to every server, by name
    log = "\n".join(proxy.lines())
    ports = [pg.electrum_port, pg.electrum_tls_port, pg.esplora_port, pg.core.port, *pg.p2p_ports]
    for port in ports:
        assert f"-> {host}:{port}" in log, (port, log)
    # the rate source is the playground's Esplora port too: its own connection is one more
    assert log.count(f"-> {host}:{pg.esplora_port}") >= 2, log


async def _electrum_tip(host: str, port: int) -> int:
    client = ElectrumClient(host, port)
    try:
        return (await client.get_tip()).height
    finally:
        await client.close()


async def _sync_everything(pg, host, scripts, payment, tmp: Path):
    async def electrum_history(client) -> dict[str, int]:
        out = {}
        for script in scripts:
            for item in await client.get_history(scripthash_of(script)):
                if item.height > 0:
                    out[item.txid_hex] = item.height
        return out

    tcp = ElectrumClient(host, pg.electrum_port)
    tls = ElectrumClient(host, pg.electrum_tls_port, tls=True, pins=CertPins())
    esplora = EsploraClient(f"http://{host}:{pg.esplora_port}")
    try:
        electrum = await electrum_history(tcp)
        tls_tip = (await tls.get_tip()).height
        esplora_history = await electrum_history(esplora)
    finally:
        for client in (tcp, tls, esplora):
            await client.close()

    store = HeaderStore(tmp / "p2p", REGTEST, fsync=False)
    light = LightClient(
        REGTEST, store, peers=[f"{host}:{p}" for p in pg.p2p_ports], target_peers=2,
        use_dns=True, use_fixed=False,
    )  # fmt: skip
    try:
        await light.start()
        await light.sync()
        p2p = {t.txid[::-1].hex(): t.height for t in (await light.scan(scripts, 0)).txs}
    finally:
        await light.close()
        store.close()

    core_store = HeaderStore(tmp / "core", REGTEST, fsync=False)
    node = CoreNode.for_network("regtest", host=host, port=pg.core.port, datadir=pg.datadir)
    source = CoreSource(node, core_store)
    try:
        await source.sync()
        core = {t.txid[::-1].hex(): t.height for t in (await source.scan(scripts, 0)).txs}
        sent = await source.broadcast(payment.serialize())
        assert await source.fee_estimate(3) is not None
    finally:
        await source.close()
        core_store.close()

    # the price of a bitcoin, from a rate source (the playground serves mempool.space's shape)
    rates = [MempoolSource(f"http://{host}:{pg.esplora_port}", "playground", currencies=None)]
    reading = await fetch_rate("USD", rates)
    return electrum, tls_tip, esplora_history, p2p, core, sent.in_mempool, reading.rate


def test_cli_proxy_option_routes_a_command_through_the_proxy(tmp_path):
    pg = start_playground(tmp_path / "pg", p2p_listeners=1)
    proxy = SocksProxy(tmp_path / "proxy.log")
    try:
        env = {**os.environ, "PAYLIGHT_HOME": str(tmp_path / "home")}
        proc = subprocess.run(
            [
                sys.executable, "-m", "wallet", "headers", "sync", "--network", "regtest",
                "--from-genesis", "--server", f"tcp://localhost:{pg.electrum_port}",
                "--proxy", f"socks5://127.0.0.1:{proxy.port}",
            ],
            capture_output=True, text=True, env=env, timeout=120,
        )  # fmt: skip
        bad = subprocess.run(
            [sys.executable, "-m", "wallet", "headers", "sync", "--network", "regtest",
             "--proxy", "http://nope:1"],
            capture_output=True, text=True, env=env, timeout=60,
        )  # fmt: skip
    finally:
        proxy.stop()
        pg.stop()
    assert proc.returncode == 0, proc.stderr
    assert f"-> localhost:{pg.electrum_port}" in "\n".join(proxy.lines())
    assert bad.returncode == 1 and "not a proxy" in bad.stderr


def test_the_stored_setting_routes_every_command_and_proxy_none_overrides_it(tmp_path):
    """``paylight proxy set`` (or the app's Connection settings) stores the proxy; a later
    command without ``--proxy`` goes through it, ``--proxy none`` connects directly for one run,
    and a damaged setting stops the command with a sentence instead of connecting directly."""
    pg = start_playground(tmp_path / "pg")
    proxy = SocksProxy(tmp_path / "proxy.log")
    env = {**os.environ, "PAYLIGHT_HOME": str(tmp_path / "home")}

    def paylight(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "wallet", *argv], capture_output=True, text=True, env=env,
            timeout=120,
        )  # fmt: skip

    sync = ("headers", "sync", "--network", "regtest", "--from-genesis",
            "--server", f"tcp://localhost:{pg.electrum_port}")  # fmt: skip
    try:
        stored = paylight("proxy", "set", f"socks5://127.0.0.1:{proxy.port}")
        through = paylight(*sync)
        seen = len([x for x in proxy.lines() if f"localhost:{pg.electrum_port}" in x])
        direct = paylight(*sync, "--proxy", "none")
        after_direct = len([x for x in proxy.lines() if f"localhost:{pg.electrum_port}" in x])
        (tmp_path / "home" / "config" / "proxy.json").write_text("{not json")
        damaged = paylight(*sync)
        fixed = paylight("proxy", "set", "none")
    finally:
        proxy.stop()
        pg.stop()
    assert stored.returncode == 0 and "goes through socks5://127.0.0.1" in stored.stdout
    assert through.returncode == 0, through.stderr
    assert seen >= 1
    assert direct.returncode == 0, direct.stderr
    assert after_direct == seen  # --proxy none: nothing more went through the proxy
    assert damaged.returncode == 1 and "proxy setting" in damaged.stderr
    assert "Traceback" not in damaged.stderr
    assert fixed.returncode == 0 and "connections go directly" in fixed.stdout


def test_use_tor_is_a_stored_app_setting(tmp_path):
    pytest.importorskip("PySide6")
    from wallet.gui.settings import AppSettings

    settings = AppSettings(tmp_path / "gui.ini")
    assert settings.proxy() == ""
    settings.set_proxy("tor")
    # one setting for both front ends: the command line reads the file the app wrote
    from wallet.account.proxy_setting import load_proxy_setting

    assert load_proxy_setting(tmp_path / "proxy.json") == "tor"
    assert AppSettings(tmp_path / "gui.ini").proxy() == "tor"
    assert parse_proxy(AppSettings(tmp_path / "gui.ini").proxy()) == TOR
    with pytest.raises(ProxyError):
        settings.set_proxy("http://not-socks:80")
    assert AppSettings(tmp_path / "gui.ini").proxy() == "tor"


def test_the_gui_sync_session_goes_through_the_apps_proxy_setting(
    tmp_path, monkeypatch, no_default_proxy
):
    """The app's stored proxy setting reaches the GUI's sync session (it opens through
    wallet.sync.session as the command line does): the wallet syncs through the proxy."""
    pytest.importorskip("PySide6")
    from wallet.account.keystore import ScryptParams
    from wallet.account.setup import create_wallet, seed_descriptors
    from wallet.account.wallet_file import Wallet
    from wallet.gui.app import default_engine
    from wallet.gui.settings import AppSettings
    from wallet.sync.runner import SyncRunner

    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))
    pg = start_playground(tmp_path / "pg")
    proxy = SocksProxy(tmp_path / "proxy.log")
    settings = AppSettings(tmp_path / "gui.ini")
    settings.set_proxy(f"socks5://127.0.0.1:{proxy.port}")
    mnemonic = "abandon " * 11 + "about"
    path = create_wallet(
        tmp_path / "wallet",
        REGTEST,
        seed_descriptors(mnemonic, "", REGTEST),
        mnemonic=mnemonic,
        password="proxy test password",
        kdf=ScryptParams.insecure_for_tests(),
    )
    try:
        with Wallet.open(path) as wallet:
            engine = default_engine(wallet, settings)
            assert engine.proxy == settings.proxy()
            server = f"tcp://localhost:{pg.electrum_port}"
            with SyncRunner(wallet, [server], proxy=engine.proxy) as runner:
                assert runner.wait_synced(30), runner.last_error
    finally:
        proxy.stop()
        pg.stop()
    assert f"-> localhost:{pg.electrum_port}" in "\n".join(proxy.lines())
