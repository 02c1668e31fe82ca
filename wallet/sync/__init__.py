"""Keeping a wallet in step with the servers: headers first, then history, then proofs.

This layer sits between ``wallet.account`` (the wallet files) and ``wallet.payments``. It may
import wallet.bitcoin, wallet.spv, wallet.backends and wallet.account; nothing here imports Qt.

* :mod:`wallet.sync.headers` — the light node's header chain kept on the most-work valid chain
  any server offers (:class:`~wallet.sync.headers.HeaderSync`);
* :mod:`wallet.sync.history` / :mod:`wallet.sync.engine` — the wallet's transactions and proofs;
* :mod:`wallet.sync.events` — what the engine reports to the GUI and the CLI.

Submodules are imported by name (``from wallet.sync.headers import HeaderSync``): this package
imports nothing itself, so importing one part never pulls in the others.
"""
