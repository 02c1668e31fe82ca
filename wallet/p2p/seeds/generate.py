"""Generate the fixed seed lists (``python3 -m wallet.p2p.seeds.generate NETWORK NODES_FILE``).

Input: a node list in Bitcoin Core's ``contrib/seeds/nodes_<net>.txt`` format (``host:port`` or
``[v6]:port``, optionally ``# ASN``; Tor, I2P and CJDNS lines are skipped: this client reaches
IPv4 and IPv6 only). ``../shared`` holds no node list, and this machine has no network to crawl,
so the list is kept small: at most :data:`LIMIT` nodes, one per autonomous system (diversity
matters more than count), each line checked to parse as an IP address with the network's port.
The output ``<network>.json`` beside this script is committed; it is only a fallback for when
DNS seeds and remembered peers all fail.
"""

from __future__ import annotations

import ipaddress
import json
import sys
from pathlib import Path

from wallet.bitcoin.networks import get_network

HERE = Path(__file__).parent
LIMIT = 16


def parse(lines: list[str], port: int) -> list[str]:
    out: list[str] = []
    seen_as: set[str] = set()
    for line in lines:
        text, _, comment = line.partition("#")
        text = text.strip()
        if not text or text.endswith(".onion") or ".i2p" in text:
            continue
        host, _, p = text.rpartition(":")
        host = host.strip("[]")
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            continue
        if ip.is_private or ip.is_loopback or (ip.version == 6 and ip.packed[0] == 0xFC):
            continue  # CJDNS (fc00::/8) and non-routable addresses
        if not p.isdigit() or int(p) != port:
            continue
        asn = comment.strip() or str(ip)
        if asn in seen_as:
            continue
        seen_as.add(asn)
        out.append(f"[{ip}]:{p}" if ip.version == 6 else f"{ip}:{p}")
        if len(out) == LIMIT:
            break
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    network = get_network(argv[0])
    nodes = parse(Path(argv[1]).read_text().splitlines(), network.default_p2p_port)
    doc = {
        "network": network.name,
        "source": "Bitcoin Core contrib/seeds node list (one node per AS, IPv4/IPv6 only)",
        "nodes": nodes,
    }
    (HERE / f"{network.name}.json").write_text(json.dumps(doc, indent=1) + "\n")
    print(f"{network.name}: {len(nodes)} nodes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
