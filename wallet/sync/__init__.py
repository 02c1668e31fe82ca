"""Keeping a wallet in step with its chain sources: headers first, then history, then proofs.

This layer sits between ``wallet.account`` (the wallet files) and ``wallet.payments``. It may
import every layer below it (docs/architecture.md): the chain sources (wallet.backends,
wallet.p2p, wallet.core), wallet.spv, wallet.bitcoin and wallet.account; nothing here imports
Qt.

* :mod:`wallet.sync.headers` — the light node's header chain kept on the most-work valid chain
  any server offers (:class:`~wallet.sync.headers.HeaderSync`);
* :mod:`wallet.sync.history` / :mod:`wallet.sync.engine` — the servers as a chain source: the
  wallet's transactions and proofs;
* :mod:`wallet.sync.blocks` — compact filters over P2P, or Bitcoin Core's REST, as a chain source;
* :mod:`wallet.sync.updates` — where every source's updates are applied
  (:func:`wallet.account.update.apply_update`) and reported;
* :mod:`wallet.sync.session` — the network side of a wallet session, as both front ends open it;
* :mod:`wallet.sync.events` — what the engine reports to the GUI and the CLI.

Submodules are imported by name (``from wallet.sync.headers import HeaderSync``): this package
imports nothing itself, so importing one part never pulls in the others.
"""
