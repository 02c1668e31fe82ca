"""The server list: the bundled defaults per network, the user's own file, and URLs."""

from __future__ import annotations

import json

import pytest

from wallet.backends import (
    ElectrumClient,
    EsploraClient,
    ServerListError,
    ServerSpec,
    load_servers,
    make_backend,
    make_pool,
)
from wallet.backends.servers import default_servers_file
from wallet.bitcoin.networks import MAINNET, NETWORK_NAMES, SIGNET, TESTNET4, get_network


def test_defaults_cover_every_public_network():
    path = default_servers_file()
    assert path is not None and path.name == "servers.json"
    for name in NETWORK_NAMES:
        specs = load_servers(get_network(name))
        if name == "regtest":
            assert specs == []  # a local chain: the user says where
            continue
        protocols = {s.protocol for s in specs}
        assert protocols == {"electrum", "esplora"}, name
        assert len({s.url for s in specs}) == len(specs)
        electrum = [s for s in specs if s.protocol == "electrum"]
        assert all(s.url.startswith("ssl://") for s in electrum)  # TLS by default
    mainnet = {s.url for s in load_servers(MAINNET)}
    assert "ssl://electrum.blockstream.info:50002" in mainnet
    assert "https://mempool.space/api" in mainnet
    assert "https://blockstream.info/api" in mainnet
    assert "https://mempool.space/testnet4/api" in {s.url for s in load_servers(TESTNET4)}


def test_the_user_file_replaces_a_network_and_keeps_the_others(tmp_path):
    mine = tmp_path / "servers.json"
    mine.write_text(
        json.dumps(
            {
                "networks": {
                    "mainnet": [
                        "tcp://127.0.0.1:50001",
                        {"url": "http://127.0.0.1:3002/api", "name": "my esplora"},
                        "tcp://127.0.0.1:50001",
                    ]
                }
            }
        )
    )
    specs = load_servers(MAINNET, user_file=mine)
    assert specs == [
        ServerSpec("tcp://127.0.0.1:50001", "electrum", "127.0.0.1:50001"),
        ServerSpec("http://127.0.0.1:3002/api", "esplora", "my esplora"),
    ]
    assert load_servers(SIGNET, user_file=mine) == load_servers(SIGNET)
    # a missing user file means the defaults
    assert load_servers(MAINNET, user_file=tmp_path / "absent.json") == load_servers(MAINNET)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{not json", "not valid JSON"),
        ('{"servers": []}', '"networks"'),
        ('{"networks": {"dogecoin": []}}', "unknown network 'dogecoin'"),
        ('{"networks": {"mainnet": "ssl://a:1"}}', "should list servers"),
        ('{"networks": {"mainnet": ["ftp://a:1"]}}', "(mainnet)"),
        ('{"networks": {"mainnet": [{"name": "x"}]}}', "is a URL"),
    ],
)
def test_a_broken_user_file_is_a_clear_error(tmp_path, text, words):
    mine = tmp_path / "servers.json"
    mine.write_text(text)
    with pytest.raises(ServerListError) as info:
        load_servers(MAINNET, user_file=mine)
    assert words in str(info.value)
    assert str(mine) in str(info.value)


def test_urls():
    assert ServerSpec.parse("electrum.emzy.de:50002:s") == ServerSpec(
        "ssl://electrum.emzy.de:50002", "electrum", "electrum.emzy.de:50002"
    )
    assert ServerSpec.parse("TLS://host:700").url == "ssl://host:700"
    assert ServerSpec.parse("https://mempool.space/api/").url == "https://mempool.space/api"
    for bad in ("", "mempool.space", "ssl://host", "https://"):
        with pytest.raises(ServerListError):
            ServerSpec.parse(bad)


def test_backends_from_specs():
    specs = load_servers(MAINNET)
    pool = make_pool(specs, MAINNET, timeout=5.0)
    assert pool.names == [s.name for s in specs]
    for spec in specs:
        backend = pool.backend(spec.name)
        assert backend.url == spec.url
        assert backend.network is not None and backend.network.name == "mainnet"
        if spec.protocol == "electrum":
            assert isinstance(backend, ElectrumClient) and backend.tls
        else:
            assert isinstance(backend, EsploraClient)
        assert backend.timeout == 5.0
    local = make_backend("tcp://127.0.0.1:50001")
    assert isinstance(local, ElectrumClient) and not local.tls and local.network is None
