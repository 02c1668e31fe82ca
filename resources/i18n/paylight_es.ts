<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>AddressesTab</name>
    <message>
        <source>Addresses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which addresses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All addresses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Addresses are derived ahead of use (gap limit {n}).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AmountEdit</name>
    <message>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unit of the amount</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BumpDialog</name>
    <message>
        <source>Raise the fee</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transaction:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fee now:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New fee &amp;rate:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The replacement pays the same people the same amounts; the extra fee comes from your change. You will see the new fee before signing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next block estimate: {rate}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review the replacement</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CameraSource</name>
    <message>
        <source>It may be in use by another application: close it, or choose another camera.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The camera “{camera}” gives no picture.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The camera “{camera}” could not be started ({reason}).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CoinsTab</name>
    <message>
        <source>Coins</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Freeze</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Frozen coins are never chosen automatically for a payment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unfreeze</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spend from selected…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pay from exactly these coins (coin control).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 coin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} coins</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConfirmSeedPage</name>
    <message>
        <source>Check your copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type these words from your paper copy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Word {n}:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Word {n} does not match your seed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CopyLine</name>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy {what}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CreatePage</name>
    <message>
        <source>Creating your wallet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each wallet gets its own folder; a seed is stored there encrypted with your password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encrypting the seed and deriving the first addresses…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your wallet “{name}” is ready.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First receive address: {address}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting the local playground and sending 1 test BTC…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The local playground is running (Electrum {electrum}, Esplora {esplora}) and sent 1 test BTC to this wallet in a new block (transaction {txid}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The playground could not start: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your wallet is ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The wallet was not created: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Engine</name>
    <message>
        <source>Not connected: the sync engine is not running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The till is not running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The request tracker is not running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sync engine is not running.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <source>Not syncing: no sync engine is attached to this window.</source>
        <extracomment>What the status bar shows before the engine reports (and when no engine is attached); the status line shows it in the person&apos;s language (``wallet.gui.format.engine_message``).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to servers…</source>
        <extracomment>Coins the user picked on the Coins tab (&quot;spend from&quot;); empty means automatic selection. the builder&apos;s unsigned transaction (a PSBT inside), handed back to be signed Database refreshes asked for by the engine are coalesced over this many milliseconds, so a big sync writing thousands of rows does not redraw every table thousands of times. ... and over this many while a sync is under way (the tables catch up once idle). A request is re-evaluated this long after its expiry time (the clock is in seconds). ... and the next expiry is looked for again at least this often (a request made by the till engine on its own thread, or the system clock changed). table models (wallet.gui.models) whose visible rows the reader thread prepares changes reported by the engine or made here; and those made here (proven, mined) transactions for the status line, counted again on each refresh</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting the local playground…</source>
        <extracomment>set before start(): runs on the starting thread and returns the servers to use; a PaylightError it raises becomes the offline status line</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syncing headers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fetching history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verifying proofs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter an amount.</source>
        <extracomment>the tables&apos; formatters in the locale read last (BTC, sat): called for every cell</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no mined transactions yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{proven} of 1 mined transaction proven</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{proven} of {mined} mined transactions proven</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} servers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync failed: {0}</source>
        <extracomment>Messages the sync layer (English, as for the command line) writes into a status, and the sentence each becomes on screen; what they quote (a server&apos;s or the system&apos;s words) is kept.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline: {0}. Retrying in {1} s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not syncing: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline: no server is reachable</source>
        <extracomment>The longest status line shown; a longer engine message (the reasons every server was dropped, say) is cut, and the whole of it is the line&apos;s tooltip.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Headers {height}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No server left to ask</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Glossary</name>
    <message>
        <source>Confirmation</source>
        <extracomment>term key -&gt; (name, explanation), in the order the glossary lists them.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A payment is confirmed once it is in a block of the Bitcoin chain. Each block added after that one is one more confirmation: the more there are, the harder the payment is to undo. Six are usually treated as final.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proof (Merkle proof)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A short list of fingerprints (hashes) that shows a payment is inside a block. Paylight checks it against block headers it verified itself, so you need not take a server&apos;s word that you were paid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unverified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A server says the payment is in a block, but Paylight has not yet checked the proof itself. It does not count as yours until the proof checks out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mempool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The waiting room for payments: sent to the network, not yet in a block. A payment there can still be replaced or dropped, so it is not final yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RBF (replace-by-fee)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A payer can mark a payment as replaceable and later swap it for one paying a higher fee, to speed it up, or paying someone else. Until it is in a block, treat such a payment as not yet received.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fee rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What a payment offers the miners per unit of its size, in satoshis per virtual byte (sat/vB). A higher rate gets into a block sooner; the fee is the rate times the payment&apos;s size.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What&apos;s this?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What is “{term}”?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GlossaryDialog</name>
    <message>
        <source>Glossary</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryTab</name>
    <message>
        <source>Transactions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Raise fee…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace an unconfirmed payment of yours (it signals replace-by-fee) with one paying a higher fee, so it is mined sooner.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click a transaction to see its Merkle proof and the block header.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Home</source>
        <extracomment>a code of :data:`wallet.gui.i18n.LANGUAGES`, or &quot;&quot; for the system&apos;s language the Advanced tabs were shown (True) or hidden</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coins</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Addresses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <extracomment>the tabs for people who want the machinery: shown with View › Advanced</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New or restore wallet…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open wallet…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Till</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Merchant till (full screen)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amounts in &amp;BTC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amounts in &amp;sats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Advanced: coins, addresses, light node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Glossary: words explained</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Models</name>
    <message>
        <source>confirmed</source>
        <extracomment>Colours of trust states (:func:`wallet.gui.theme.text_colour`: readable on the palette); :func:`use_palette_colours` sets them for the application&apos;s palette (each model does when made, on the UI thread; the snapshot reader&apos;s thread only reads them). What one cell shows: text, tooltip, foreground colour (a shared constant, or None). The names of trust states and request states as cells show them.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unverified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unconfirmed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>replaced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>paid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>overpaid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>underpaid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>confirmed (proof checked at height {height})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>confirmed · 1 confirmation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>confirmed · {n} confirmations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unverified (a server says height {height})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unconfirmed (in the mempool)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date</source>
        <extracomment>after every refresh, whether it replaced the table or updated cells in place at most this many changed cells are updated in place; more replace the whole table weak: a view keeps its model alive, and a cycle would leave the model to the garbage collector, which may run (and delete a QObject) on any thread tables swapped in that the reader thread had built (how refreshes were served)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transaction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>receive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Frozen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>frozen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Index</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Balance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing paid yet</source>
        <extracomment>What each request state means, in the order a request moves through them (the Requests tab&apos;s footer and the State column&apos;s tooltips).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the amount is in the mempool, not yet in a block proven here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its Merkle proof checked here, fewer than {depth} confirmations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{depth} or more confirmations: final</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>paid more than asked, {depth}+ confirmations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>less than the amount arrived</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing paid before it expired (later payments do not count)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NewSeedPage</name>
    <message>
        <source>Your seed words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write these words on paper, in order. They are the only way to restore this wallet; Paylight will not show them again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>12 words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>24 words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I have written the words down, in order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anyone who sees these words can take your coins. Never type them into a website or share a photo of them.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NodeTab</name>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connected</source>
        <extracomment>a server&apos;s state as the Status column says it</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>faulty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dropped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync now</source>
        <extracomment>A server&apos;s state -&gt; its colour&apos;s role (:func:`wallet.gui.theme.text_colour`).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verified header height:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chain starts at:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forks seen:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Servers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why it was dropped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dropped servers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paylight keeps its own chain of block headers, checks their proof of work, and counts a payment as confirmed only when its Merkle proof leads to one of them. Servers only supply data; one that lies is dropped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Header chain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>genesis (every header checked)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>checkpoint at height {height} (built into Paylight)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>branch from {parent} up to {tip} ({n} block(s))</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{requests} ({failures} failed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the last tip it claimed, before it was dropped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OptionsPage</name>
    <message>
        <source>Seed options</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The defaults suit almost everyone. Change them only if you know you need to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use a BIP39 passphrase (a 25th word)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase &amp;again:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address &amp;type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A&amp;ccount:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A passphrase makes a different wallet from the same words: forget it and the coins are gone. It is not stored; you will be asked for it when you pay.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OverviewTab</name>
    <message>
        <source>Available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Money you can spend now: payments this wallet proved itself, and the change of your own payments. Money coming in counts once its proof checks out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receive</source>
        <extracomment>the amount in the person&apos;s currency, beside the bitcoin figure (empty until a rate is known: :meth:`set_fiat_text`)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show a QR code to get paid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pay (scan)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan a payment QR code, or paste an address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Till</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The merchant till, full screen (Ctrl+T)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A watch-only wallet cannot pay.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent activity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details: the balance by state, and this wallet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confirmed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proven on this computer: each payment&apos;s Merkle proof was checked against the block headers this wallet verified itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unverified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A server says these payments are in a block, but their proofs have not been checked yet. Do not treat them as final.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seen in the mempool, not yet in any block. They can still be replaced or dropped. Negative while a payment you sent is pending.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only the confirmed figure is checked by this wallet. The three are kept apart on purpose: adding them would hide what is not yet proven.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>watch-only (no keys on this computer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>seed wallet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>receive keys fingerprint {fingerprint}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare this fingerprint with the one shown when the wallet was made: if it differs, the wallet&apos;s configuration was changed and its addresses may not be yours.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{amount} on its way: it counts once it is confirmed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing on its way.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PasswordPage</name>
    <message>
        <source>Choose a password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It encrypts your seed on this computer, and is asked for each time you pay. It is not a backup: the seed words are.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Again:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use at least {n} characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PaylightApp</name>
    <message>
        <source>Open a Paylight wallet folder</source>
        <extracomment>makes the sync engine for an opened wallet; None in tests that want no network the local playground: started by the wizard, or again for a playground wallet</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paylight could not open the wallet at {path}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open wallet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The playground is gone</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PlaygroundSession</name>
    <message>
        <source>The local playground&apos;s saved chain is no longer in {folder}, so this test wallet cannot sync: its coins existed only on that chain. The wallet itself was left as it was. To try Paylight again, create a new wallet with the playground option.</source>
        <extracomment>What a new playground wallet receives from the faucet: 1 BTC, mined into a block. The wallet database setting that marks a playground wallet: {&quot;datadir&quot;, &quot;electrum&quot;, &quot;esplora&quot;}.</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PosWindow</name>
    <message>
        <source>Label shown to the customer</source>
        <extracomment>How long a till&apos;s QR code stays valid: a customer pays at the counter, now. the charge page&apos;s right column at the design size The size the till&apos;s fonts and controls are designed at; they scale with the window from it.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payment link</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PreviewView</name>
    <message>
        <source>No picture</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProofReport</name>
    <message>
        <source>Not in a block yet: there is no proof to show.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A server says this transaction is in the block at height {height}.
No Merkle proof has been checked yet, so it is not counted as confirmed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This transaction was replaced; it no longer counts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Block height:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Block hash:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Position:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verified at:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merkle branch ({n} hashes, leaf to root):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Root from branch: {root}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The stored branch does not hash up: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The header at this height is in the light node&apos;s header store, which is not open in this build (the sync engine opens it).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Header it was checked against:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>previous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>merkle root</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>raw</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WARNING: the header now at this height is another block (a reorg?).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The branch leads to this header&apos;s merkle root: the proof holds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WARNING: the branch does not lead to this header&apos;s merkle root.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QRView</name>
    <message>
        <source>No request yet</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReceiveTab</name>
    <message>
        <source>Payment link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RequestsTab</name>
    <message>
        <source>Requests move from waiting to seen to confirmed to paid as the sync engine finds payments.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payment requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show QR</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RestorePage</name>
    <message>
        <source>Restore from seed words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type your words in order. A few letters are enough; pick the word from the list, or paste the whole phrase into the first field.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seed &amp;length:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScannerWidget</name>
    <message>
        <source>No camera was found. Connect a camera and press Refresh, or scan from an image file, the clipboard or the screen instead.</source>
        <extracomment>Capture sizes in order of preference. How long a started camera may stay without a picture before the next format is tried. Formats tried before giving up (the best few of the ladder; each may take the timeout). shown translated (context ScannerWidget) where they are shown</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paylight is not allowed to use the camera. Allow camera access for Paylight in your system&apos;s privacy settings, then try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scanned a bitcoin payment request.</source>
        <extracomment>The preview is repainted at most this often; decoding is not tied to it.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scanned a bitcoin address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scanned a partially signed transaction (PSBT).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scanned a Lightning invoice (not supported by this wallet).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scanned text that is not a bitcoin payment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan a QR code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Camera</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open image…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan screen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Camera:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Or scan from:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hold the QR code in front of the camera.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No camera found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No camera</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting {source}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a picture of a QR code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.webp *.bmp *.gif)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No QR code was found in {file}. Try a sharper picture.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The clipboard holds no picture with a QR code. Copy an image first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No QR code is visible on the screen. If your desktop does not allow screen capture, take a screenshot, copy it and use Paste image.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No picture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting for the first part</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{received} of {total} parts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading an animated code: {progress}. Keep the camera on it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scanned a partially signed transaction (PSBT) ({n} bytes).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scanned an animated code ({n} bytes).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading an animated code…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SeedEntry</name>
    <message>
        <source>Type the {count} words in order; a few letters complete a word.</source>
        <extracomment>&quot;typing&quot;, &quot;bad&quot; (a wrong word or checksum) or &quot;ok&quot; (the phrase holds)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The checksum does not match: a word is wrong or the words are out of order (every word is in the list).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ All words are in the list and the checksum matches.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{filled} of {count} words entered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Word {n}: keep typing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> or </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Word {n}, “{word}”, is not in the word list (did you mean {words}?).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Word {n}, “{word}”, is not in the word list.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SendTab</name>
    <message>
        <source>Pay to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fee rate</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>Set up Paylight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The wallet&apos;s keys are not complete; go back and finish them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop setting up?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The seed words are not saved anywhere yet. If you stop now they are gone and no wallet is made.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop and forget the words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep going</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StartPage</name>
    <message>
        <source>Bitcoin (mainnet)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regtest (local)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My wallet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My wallet {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Welcome to Paylight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A Bitcoin wallet that checks its own payments. Let&apos;s set one up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a new wallet (new seed words)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore a wallet from its seed words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watch a wallet (xpub, zpub or descriptor — no keys here)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try it on a local playground (regtest, with test coins)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs a private regtest chain on this computer, validated by Bitcoin Core&apos;s consensus engine, and sends the new wallet 1 test BTC. Nothing touches a real network.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wallet &amp;name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Net&amp;work:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A wallet called “{name}” already exists on this network.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TxDetailsDialog</name>
    <message>
        <source>Transaction details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transaction ID:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transaction ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amount:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First seen:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{vsize} vB · {inputs} in · {outputs} out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replaced by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replaced by:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proof</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VideoFileSource</name>
    <message>
        <source>There is no video file {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not play {file}: {reason}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WalletController</name>
    <message>
        <source>This window is not connected to the sync engine, so {what} is not available. Your wallet file is not affected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>syncing with servers</source>
        <extracomment>what needs the engine, as NO_ENGINE names it</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sending a payment</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WatchOnlyPage</name>
    <message>
        <source>Watch a wallet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste the account&apos;s extended public key (xpub, ypub, zpub, tpub, vpub…) or an output descriptor. This wallet can see payments but not spend them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>zpub6r… or wpkh([fingerprint/84h/0h/0h]xpub…/&lt;0;1&gt;/*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extended public key or descriptor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address &amp;type for xpub/tpub:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First address: {address}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no change chain in this descriptor)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WelcomeWindow</name>
    <message>
        <source>Create or restore a wallet…</source>
        <extracomment>How often (seconds) Python hands the GIL between threads. The default 5 ms lets the sync thread&apos;s pure-Python work hold the UI thread up for 5 ms at every handover (and SQLite releases the GIL per row fetched, so a query of n rows can wait n times); at 0.5 ms the UI keeps its frame budget during a big sync (bench/ui_latency.py).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a wallet folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No wallet is open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paylight keeps each wallet in its own folder. Create or restore one, or open a wallet you already have.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Wizard</name>
    <message>
        <source>Native SegWit (P2WPKH, bc1q…) — recommended</source>
        <extracomment>the script types as the wizard names them (the command line keeps ScriptChoice.label)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Taproot (P2TR, bc1p…)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nested SegWit (P2SH-P2WPKH, 3…)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Legacy (P2PKH, 1…)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WordField</name>
    <message>
        <source>Word {n}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Workers</name>
    <message>
        <source>Something went wrong ({kind}); the details are in the log.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
