<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AddressesTab</name>
    <message>
        <source>Addresses</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Which addresses</source>
        <translation>显示哪些地址</translation>
    </message>
    <message>
        <source>All addresses</source>
        <translation>全部地址</translation>
    </message>
    <message>
        <source>Receive</source>
        <translation>收款</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>找零</translation>
    </message>
    <message>
        <source>Copy address</source>
        <translation>复制地址</translation>
    </message>
    <message>
        <source>Addresses are derived ahead of use (gap limit {n}).</source>
        <translation>地址会提前生成备用（间隔上限 {n} 个）。</translation>
    </message>
</context>
<context>
    <name>AmountEdit</name>
    <message>
        <source>Amount</source>
        <extracomment>the unit box&apos;s data for the local currency (the bitcoin units carry their ``Unit``)</extracomment>
        <translation>金额</translation>
    </message>
    <message>
        <source>Unit of the amount</source>
        <translation>金额单位</translation>
    </message>
    <message>
        <source>There is no current {code} rate to convert with; type the amount in BTC, or set a rate (View → Local currency).</source>
        <extracomment>the amount as read, under the field as it is typed (&quot;0,5&quot; reads as half a bitcoin)</extracomment>
        <translation>当前没有可用于换算的 {code} 汇率；请以 BTC 输入金额，或设置一个汇率（查看 → 本地货币）。</translation>
    </message>
</context>
<context>
    <name>AnimatedQRView</name>
    <message>
        <source>BC-UR has no type for a finished transaction; choose BBQr.</source>
        <translation>BC-UR 没有用于已完成交易的类型；请选择 BBQr。</translation>
    </message>
    <message>
        <source>Animated BC-UR (crypto-psbt)</source>
        <extracomment>the frames of the current settings are all drawn (tests wait for it) the generation being drawn, read by the pool thread (a list: no reference to self) the texts of the current animation, in the order shown how many distinct parts the payload was split into (UR shows mixes of them after)</extracomment>
        <translation>动态 BC-UR（crypto-psbt）</translation>
    </message>
    <message>
        <source>Animated BBQr</source>
        <translation>动态 BBQr</translation>
    </message>
    <message>
        <source>One QR code (when it fits)</source>
        <translation>单个二维码（放得下时）</translation>
    </message>
    <message>
        <source>Most signers (Keystone, Passport, SeedSigner, Jade, Krux) read BC-UR; Coldcard Q reads BBQr. Both read a single code of a small PSBT.</source>
        <translation>大多数签名设备（Keystone、Passport、SeedSigner、Jade、Krux）读取 BC-UR；Coldcard Q 读取 BBQr。较小的 PSBT 用单个二维码，两者都能读取。</translation>
    </message>
    <message>
        <source>Low (small codes, more frames)</source>
        <translation>低（码小，帧多）</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>中</translation>
    </message>
    <message>
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <source>Maximum (large codes, few frames)</source>
        <translation>最高（码大，帧少）</translation>
    </message>
    <message>
        <source> frames/s</source>
        <translation> 帧/秒</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Density:</source>
        <translation>密度：</translation>
    </message>
    <message>
        <source>Speed:</source>
        <translation>速度：</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Nothing to show yet</source>
        <translation>还没有可显示的内容</translation>
    </message>
    <message>
        <source>Drawing the QR codes…</source>
        <translation>正在生成二维码…</translation>
    </message>
    <message>
        <source> Choose an animated code.</source>
        <translation> 请选择动态二维码。</translation>
    </message>
    <message>
        <source>One QR code of {chars} characters (version {version}).</source>
        <translation>单个二维码，{chars} 个字符（版本 {version}）。</translation>
    </message>
    <message>
        <source>A code this dense is hard to scan: try an animated one.</source>
        <translation>这么密的二维码很难扫描：请试试动态二维码。</translation>
    </message>
    <message>
        <source>BC-UR: {parts} parts of up to {bytes} bytes at {fps} frames per second, then mixes of them, so a camera that missed a few still finishes. Hold the signer&apos;s camera on it until it says it is done.</source>
        <translation>BC-UR：{parts} 段，每段最多 {bytes} 字节，每秒 {fps} 帧，之后播放各段的混合，即使摄像头漏掉几帧也能完成。请让签名设备的摄像头一直对准，直到它提示完成。</translation>
    </message>
    <message>
        <source>BBQr: {parts} parts of up to {bytes} bytes at {fps} frames per second, over and over. Hold the signer&apos;s camera on it until it says it is done.</source>
        <translation>BBQr：{parts} 段，每段最多 {bytes} 字节，每秒 {fps} 帧，循环播放。请让签名设备的摄像头一直对准，直到它提示完成。</translation>
    </message>
    <message>
        <source>Drawing {done} of {count}…</source>
        <translation>正在生成第 {done}/{count} 个…</translation>
    </message>
</context>
<context>
    <name>BroadcastConfirmation</name>
    <message>
        <source>Broadcast this transaction?</source>
        <translation>广播这笔交易？</translation>
    </message>
    <message>
        <source>Pay to:</source>
        <translation>付给：</translation>
    </message>
    <message>
        <source>Amount:</source>
        <translation>金额：</translation>
    </message>
    <message>
        <source>Pays:</source>
        <translation>付给：</translation>
    </message>
    <message>
        <source>only this wallet&apos;s own addresses</source>
        <translation>只有本钱包自己的地址</translation>
    </message>
    <message>
        <source>Change:</source>
        <translation>找零：</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>{fee} ({rate} sat/vB, {vsize} vB)</source>
        <translation>{fee}（{rate} sat/vB，{vsize} vB）</translation>
    </message>
    <message>
        <source>UNVERIFIED</source>
        <translation>未验证</translation>
    </message>
    <message>
        <source>Fee:</source>
        <translation>手续费：</translation>
    </message>
    <message>
        <source>Total leaving:</source>
        <translation>共计转出：</translation>
    </message>
    <message>
        <source>Transaction:</source>
        <translation>交易：</translation>
    </message>
    <message>
        <source>Broadcast</source>
        <translation>广播</translation>
    </message>
    <message>
        <source>Check before sending</source>
        <translation>发送前请核对</translation>
    </message>
    <message>
        <source>Once broadcast, a transaction cannot be called back.</source>
        <translation>交易一旦广播就无法撤回。</translation>
    </message>
</context>
<context>
    <name>BumpDialog</name>
    <message>
        <source>Raise the fee</source>
        <translation>提高手续费</translation>
    </message>
    <message>
        <source>Transaction:</source>
        <translation>交易：</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>大小：</translation>
    </message>
    <message>
        <source>Fee now:</source>
        <translation>当前手续费：</translation>
    </message>
    <message>
        <source>New fee &amp;rate:</source>
        <translation>新的费率(&amp;R)：</translation>
    </message>
    <message>
        <source>Review…</source>
        <translation>核对…</translation>
    </message>
    <message>
        <source>The replacement pays the same people the same amounts; the extra fee comes from your change. You will see the new fee before signing.</source>
        <translation>替换交易付给相同的收款人、相同的金额，多出的手续费从你的找零中扣除。签名前你会看到新的手续费。</translation>
    </message>
    <message>
        <source>Next block estimate: {rate}</source>
        <translation>下一个区块的估算费率：{rate}</translation>
    </message>
    <message>
        <source>Review the replacement</source>
        <translation>核对替换交易</translation>
    </message>
</context>
<context>
    <name>CameraSource</name>
    <message>
        <source>It may be in use by another application: close it, or choose another camera.</source>
        <translation>它可能正被其他程序占用：请关闭那个程序，或选择另一个摄像头。</translation>
    </message>
    <message>
        <source>The camera “{camera}” gives no picture.</source>
        <translation>摄像头“{camera}”没有画面。</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>未知错误</translation>
    </message>
    <message>
        <source>The camera “{camera}” could not be started ({reason}).</source>
        <translation>无法启动摄像头“{camera}”（{reason}）。</translation>
    </message>
</context>
<context>
    <name>CoinsTab</name>
    <message>
        <source>Coins</source>
        <translation>币</translation>
    </message>
    <message>
        <source>Freeze</source>
        <translation>冻结</translation>
    </message>
    <message>
        <source>Frozen coins are never chosen automatically for a payment.</source>
        <translation>付款时不会自动选用已冻结的币。</translation>
    </message>
    <message>
        <source>Unfreeze</source>
        <translation>解冻</translation>
    </message>
    <message>
        <source>Spend from selected…</source>
        <translation>用选中的币付款…</translation>
    </message>
    <message>
        <source>Pay from exactly these coins (coin control).</source>
        <translation>只用这些币付款（手动选币）。</translation>
    </message>
    <message>
        <source>{n} selected</source>
        <translation>已选 {n} 个</translation>
    </message>
    <message>
        <source>1 coin</source>
        <translation>1 个币</translation>
    </message>
    <message>
        <source>{n} coins</source>
        <translation>{n} 个币</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>ConfirmSeedPage</name>
    <message>
        <source>Check your copy</source>
        <translation>核对你的抄写</translation>
    </message>
    <message>
        <source>Type these words from your paper copy.</source>
        <translation>请照着纸上的抄写输入下面这几个词。</translation>
    </message>
    <message>
        <source>Word {n}:</source>
        <translation>第 {n} 个词：</translation>
    </message>
    <message>
        <source>Word {n} does not match your seed.</source>
        <translation>第 {n} 个词与你的助记词不符。</translation>
    </message>
</context>
<context>
    <name>ConnectionChoice</name>
    <message>
        <source>“{text}” is not an address: write it as host:port, e.g. 192.168.1.20:8332.</source>
        <translation>“{text}”不是有效的地址：请写成 主机:端口，例如 192.168.1.20:8332。</translation>
    </message>
    <message>
        <source>Give only the RPC user name here; the password is read from PAYLIGHT_CORE_PASSWORD and never stored.</source>
        <translation>这里只填 RPC 用户名；密码从 PAYLIGHT_CORE_PASSWORD 读取，从不保存。</translation>
    </message>
    <message>
        <source>“{text}” is not a SOCKS5 proxy: write it as socks5://host:port.</source>
        <translation>“{text}”不是 SOCKS5 代理：请写成 socks5://主机:端口。</translation>
    </message>
    <message>
        <source>&amp;Private (recommended)</source>
        <extracomment>the servers &quot;Quick&quot; means (the network&apos;s list, or the playground&apos;s own) the peers &quot;Private&quot; means: the network&apos;s own (``p2p://``) or the playground&apos;s</extracomment>
        <translation>私密（推荐）(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Quick</source>
        <translation>快速(&amp;Q)</translation>
    </message>
    <message>
        <source>Your own &amp;Bitcoin Core node</source>
        <translation>你自己的 Bitcoin Core 节点(&amp;B)</translation>
    </message>
    <message>
        <source>Paylight&apos;s light node talks to Bitcoin&apos;s own network. It downloads a small summary of every block and picks out your payments on this computer: no server learns your addresses.</source>
        <translation>Paylight 的轻节点直接连到比特币网络。它为每个区块下载一份小摘要，在这台电脑上找出你的付款：没有任何服务器会知道你的地址。</translation>
    </message>
    <message>
        <source>Electrum/Esplora servers answer for your addresses at once. Faster for an old wallet, but those servers learn your addresses.</source>
        <translation>由 Electrum/Esplora 服务器直接查你的地址，马上就有结果。老钱包恢复得更快，但这些服务器会知道你的地址。</translation>
    </message>
    <message>
        <source>If you run Bitcoin Core (with -rest=1 and -blockfilterindex=1), Paylight asks it alone: nobody else learns anything.</source>
        <translation>如果你自己运行 Bitcoin Core（开启 -rest=1 和 -blockfilterindex=1），Paylight 只问它：别人什么也不会知道。</translation>
    </message>
    <message>
        <source>&amp;Also ask Electrum/Esplora servers (quicker, but they learn your addresses)</source>
        <translation>同时询问 Electrum/Esplora 服务器（更快，但它们会知道你的地址）(&amp;A)</translation>
    </message>
    <message>
        <source>Bitcoin Core node</source>
        <translation>Bitcoin Core 节点</translation>
    </message>
    <message>
        <source>this computer (leave empty), or host:port</source>
        <translation>本机（留空），或 主机:端口</translation>
    </message>
    <message>
        <source>Core&apos;s own .cookie file (leave empty)</source>
        <translation>Bitcoin Core 自己的 .cookie 文件（留空）</translation>
    </message>
    <message>
        <source>none: log in with the cookie file</source>
        <translation>不填：用 .cookie 文件登录</translation>
    </message>
    <message>
        <source>A&amp;ddress:</source>
        <translation>地址(&amp;D)：</translation>
    </message>
    <message>
        <source>Coo&amp;kie file:</source>
        <translation>.cookie 文件(&amp;K)：</translation>
    </message>
    <message>
        <source>RPC &amp;user:</source>
        <translation>RPC 用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>With an RPC user, the password is read from the environment variable PAYLIGHT_CORE_PASSWORD when Paylight starts; it is never stored.</source>
        <translation>填了 RPC 用户名时，Paylight 启动时从环境变量 PAYLIGHT_CORE_PASSWORD 读取密码；密码从不保存。</translation>
    </message>
    <message>
        <source>A new wallet starts from today&apos;s block: it downloads almost nothing until payments arrive.</source>
        <translation>新钱包从今天的区块开始：收到付款之前几乎不用下载什么。</translation>
    </message>
    <message>
        <source>A restore downloads one small filter per block since the wallet&apos;s birthday, and the blocks that hold its payments.</source>
        <translation>恢复钱包时，从钱包开始使用的那天起，每个区块下载一个小过滤器，另外下载含有其付款的区块。</translation>
    </message>
    <message>
        <source>A restore from block {birth} checks {blocks} blocks: about {filters} of filters, plus about {block} for each block that holds one of your payments (and about {chance} block(s) that match by chance).</source>
        <translation>从区块 {birth} 开始恢复，要检查 {blocks} 个区块：过滤器约 {filters}；每个含有你付款的区块再加约 {block}（另有约 {chance} 个区块会碰巧匹配）。</translation>
    </message>
    <message>
        <source>That is a lot for an old wallet: Quick, or your own node, restores it sooner; you can switch later under File → Connection…</source>
        <translation>对老钱包来说这不少：选“快速”或你自己的节点能恢复得更快；之后可以在“文件 → 连接…”中更改。</translation>
    </message>
</context>
<context>
    <name>ConnectionDialog</name>
    <message>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Use Tor</source>
        <translation>使用 Tor</translation>
    </message>
    <message>
        <source>O&amp;ff</source>
        <translation>不使用(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Tor (127.0.0.1:9050)</source>
        <translation>Tor (127.0.0.1:9050)(&amp;T)</translation>
    </message>
    <message>
        <source>Tor B&amp;rowser (127.0.0.1:9150)</source>
        <translation>Tor 浏览器 (127.0.0.1:9150)(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Other SOCKS5 proxy:</source>
        <translation>其他 SOCKS5 代理(&amp;O)：</translation>
    </message>
    <message>
        <source>Tor hides your IP address from the servers and peers Paylight talks to. Addresses ending in .onion only work through it.</source>
        <translation>Tor 会向 Paylight 连接的服务器和节点隐藏你的 IP 地址。以 .onion 结尾的地址只能通过 Tor 访问。</translation>
    </message>
    <message>
        <source>Write the proxy&apos;s address, e.g. socks5://127.0.0.1:1080.</source>
        <translation>请填写代理的地址，例如 socks5://127.0.0.1:1080。</translation>
    </message>
</context>
<context>
    <name>ConnectionPage</name>
    <message>
        <source>How this wallet connects</source>
        <translation>这个钱包怎样联网</translation>
    </message>
    <message>
        <source>You can change this later under File → Connection…</source>
        <translation>之后可以在“文件 → 连接…”中更改。</translation>
    </message>
    <message>
        <source>First &amp;used in:</source>
        <translation>首次使用年份(&amp;U)：</translation>
    </message>
    <message>
        <source>I don&apos;t know (check every block)</source>
        <translation>不知道（检查所有区块）</translation>
    </message>
</context>
<context>
    <name>CopyLine</name>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy {what}</source>
        <translation>复制{what}</translation>
    </message>
</context>
<context>
    <name>CreatePage</name>
    <message>
        <source>Creating your wallet</source>
        <translation>正在创建钱包</translation>
    </message>
    <message>
        <source>Each wallet gets its own folder; a seed is stored there encrypted with your password.</source>
        <translation>每个钱包都有自己的文件夹；助记词用你的密码加密后保存在里面。</translation>
    </message>
    <message>
        <source>Encrypting the seed and deriving the first addresses…</source>
        <translation>正在加密助记词并生成最初的地址…</translation>
    </message>
    <message>
        <source>Your wallet “{name}” is ready.</source>
        <translation>钱包“{name}”已就绪。</translation>
    </message>
    <message>
        <source>First receive address: {address}</source>
        <translation>第一个收款地址：{address}</translation>
    </message>
    <message>
        <source>Starting the local playground and sending 1 test BTC…</source>
        <translation>正在启动本地演练场并发送 1 个测试 BTC…</translation>
    </message>
    <message>
        <source>The local playground is running (Electrum {electrum}, Esplora {esplora}) and sent 1 test BTC to this wallet in a new block (transaction {txid}).</source>
        <translation>本地演练场已在运行（Electrum {electrum}，Esplora {esplora}），并在一个新区块中向这个钱包发送了 1 个测试 BTC（交易 {txid}）。</translation>
    </message>
    <message>
        <source>The playground could not start.</source>
        <translation>演练场无法启动。</translation>
    </message>
    <message>
        <source>The wallet was not created.</source>
        <translation>钱包未能创建。</translation>
    </message>
    <message>
        <source>Your wallet is ready</source>
        <translation>钱包已就绪</translation>
    </message>
</context>
<context>
    <name>CurrencyDialog</name>
    <message>
        <source>Local currency</source>
        <translation>本地货币</translation>
    </message>
    <message>
        <source>None (bitcoin only)</source>
        <translation>不显示（只用比特币）</translation>
    </message>
    <message>
        <source>Ask public price sources</source>
        <translation>向公开报价源查询</translation>
    </message>
    <message>
        <source>mempool.space, Coinbase, Kraken, CoinGecko and blockchain.com, through the connection setting</source>
        <translation>mempool.space、Coinbase、Kraken、CoinGecko 和 blockchain.com，按当前的连接设置访问</translation>
    </message>
    <message>
        <source>empty: use the sources</source>
        <translation>留空：使用报价源</translation>
    </message>
    <message>
        <source>Price of one bitcoin set by hand</source>
        <translation>手动设定的 1 个比特币的价格</translation>
    </message>
    <message>
        <source>Ask again</source>
        <translation>重新查询</translation>
    </message>
    <message>
        <source>Show amounts also in:</source>
        <translation>同时以此货币显示金额：</translation>
    </message>
    <message>
        <source>1 BTC costs (set by hand):</source>
        <translation>1 BTC 的价格（手动设定）：</translation>
    </message>
    <message>
        <source>Rate now:</source>
        <translation>当前汇率：</translation>
    </message>
    <message>
        <source>The rate is only used to show values and to price amounts typed in the local currency: a request or a till charge locks the rate when it is made. A rate set by hand is for a stall with no connection; it is used until cleared.</source>
        <translation>汇率只用于显示价值，以及为以本地货币输入的金额定价：收款请求或收银台收款在创建时锁定汇率。手动设定的汇率适用于没有网络的摊位，清除之前一直使用。</translation>
    </message>
</context>
<context>
    <name>Engine</name>
    <message>
        <source>Not connected: the sync engine is not running.</source>
        <translation>未连接：同步引擎没有运行。</translation>
    </message>
    <message>
        <source>The till is not running.</source>
        <translation>收银台没有运行。</translation>
    </message>
    <message>
        <source>The request tracker is not running.</source>
        <translation>收款请求跟踪没有运行。</translation>
    </message>
    <message>
        <source>The sync engine is not running.</source>
        <translation>同步引擎没有运行。</translation>
    </message>
</context>
<context>
    <name>FeeChoice</name>
    <message>
        <source>Slow</source>
        <extracomment>One P2WPKH coin in, a payment and change out: 10.5 + 68 + 2 x 31 vbytes. (choice, confirmation target in blocks)</extracomment>
        <translation>慢</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>普通</translation>
    </message>
    <message>
        <source>Fast</source>
        <translation>快</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>about a day</source>
        <translation>约一天</translation>
    </message>
    <message>
        <source>about an hour</source>
        <translation>约一小时</translation>
    </message>
    <message>
        <source>about 20 minutes</source>
        <translation>约 20 分钟</translation>
    </message>
    <message>
        <source>The fee of a typical payment: one coin in, the payment and change out</source>
        <translation>一笔典型付款的手续费：一个币输入，付款和找零两个输出</translation>
    </message>
    <message>
        <source>Custom fee rate</source>
        <translation>自定义费率</translation>
    </message>
    <message>
        <source>{when} · no estimate from the servers</source>
        <translation>{when} · 服务器没有给出估算</translation>
    </message>
</context>
<context>
    <name>FiatRates</name>
    <message>
        <source>No local currency is shown.</source>
        <extracomment>How often the sources are asked again (milliseconds). A fetched rate older than this (seconds) is not used to price anything.</extracomment>
        <translation>不显示本地货币。</translation>
    </message>
    <message>
        <source>{price} · set by hand</source>
        <translation>{price} · 手动设定</translation>
    </message>
    <message>
        <source>No {code} rate: set one by hand.</source>
        <translation>没有 {code} 汇率：请手动设定一个。</translation>
    </message>
    <message>
        <source>Asking for the {code} rate…</source>
        <translation>正在查询 {code} 汇率…</translation>
    </message>
    <message>
        <source>No {code} rate: {why}</source>
        <translation>没有 {code} 汇率：{why}</translation>
    </message>
    <message>
        <source>{price} · median of {n} sources ({names}) · {age}</source>
        <translation>{price} · {n} 个报价源的中位数（{names}）· {age}</translation>
    </message>
    <message>
        <source>{price} · from {names} · {age}</source>
        <translation>{price} · 来自 {names} · {age}</translation>
    </message>
    <message>
        <source>too old to price by</source>
        <translation>太旧，不能用于定价</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>刚刚</translation>
    </message>
    <message>
        <source>{n} min old</source>
        <translation>{n} 分钟前</translation>
    </message>
    <message>
        <source>{n} h old</source>
        <translation>{n} 小时前</translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <source>Not syncing: no sync engine is attached to this window.</source>
        <extracomment>What the status bar shows before the engine reports (and when no engine is attached); the status line shows it in the person&apos;s language (``wallet.gui.format.engine_message``).</extracomment>
        <translation>未同步：这个窗口没有连接同步引擎。</translation>
    </message>
    <message>
        <source>Connecting to servers…</source>
        <extracomment>the block source&apos;s state (P2P peers or Bitcoin Core), as :meth:`wallet.sync.runner.SyncRunner.light_node` gives it; None for servers alone Database refreshes asked for by the engine are coalesced over this many milliseconds, so a big sync writing thousands of rows does not redraw every table thousands of times. ... and over this many while a sync is under way (the tables catch up once idle). A request is re-evaluated this long after its expiry time (the clock is in seconds). ... and the next expiry is looked for again at least this often (a request made by the till engine on its own thread, or the system clock changed). the local currency and its rate (``wallet.gui.rates.FiatRates``; none shown if not given); each new transaction keeps the rate of the day it arrived table models (wallet.gui.models) whose visible rows the reader thread prepares changes reported by the engine or made here; and those made here (proven, mined) transactions for the status line, counted again on each refresh</extracomment>
        <translation>正在连接服务器…</translation>
    </message>
    <message>
        <source>Starting the local playground…</source>
        <extracomment>the app&apos;s proxy setting, applied when the sync session opens (None: leave it) set before start(): runs on the starting thread and returns the servers to use; a PaylightError it raises becomes the offline status line</extracomment>
        <translation>正在启动本地演练场…</translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation>正在连接</translation>
    </message>
    <message>
        <source>Syncing headers</source>
        <translation>正在同步区块头</translation>
    </message>
    <message>
        <source>Fetching history</source>
        <translation>正在获取交易记录</translation>
    </message>
    <message>
        <source>Verifying proofs</source>
        <translation>正在验证证明</translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation>已是最新</translation>
    </message>
    <message>
        <source>Enter an amount.</source>
        <extracomment>the QLocale read last (numbers, dates), and the moments formatted in it the tables&apos; formatters in the locale read last (BTC, sat): called for every cell</extracomment>
        <translation>请输入金额。</translation>
    </message>
    <message>
        <source>no mined transactions yet</source>
        <translation>还没有已打包的交易</translation>
    </message>
    <message>
        <source>{proven} of 1 mined transaction proven</source>
        <translation>1 笔已打包交易中 {proven} 笔已证明</translation>
    </message>
    <message>
        <source>{proven} of {mined} mined transactions proven</source>
        <translation>{mined} 笔已打包交易中 {proven} 笔已证明</translation>
    </message>
    <message>
        <source>1 peer</source>
        <translation>1 个节点</translation>
    </message>
    <message>
        <source>{n} peers</source>
        <translation>{n} 个节点</translation>
    </message>
    <message>
        <source>1 node</source>
        <translation>1 个节点</translation>
    </message>
    <message>
        <source>{n} nodes</source>
        <translation>{n} 个节点</translation>
    </message>
    <message>
        <source>1 server</source>
        <translation>1 个服务器</translation>
    </message>
    <message>
        <source>{n} servers</source>
        <translation>{n} 个服务器</translation>
    </message>
    <message>
        <source>Sync failed: {0}</source>
        <extracomment>Messages the sync layer (English, as for the command line) writes into a status, and the sentence each becomes on screen; what they quote (a server&apos;s or the system&apos;s words) is kept.</extracomment>
        <translation>同步失败：{0}</translation>
    </message>
    <message>
        <source>Offline: {0}. Retrying in {1} s.</source>
        <translation>离线：{0}。{1} 秒后重试。</translation>
    </message>
    <message>
        <source>Not syncing: {0}</source>
        <translation>未同步：{0}</translation>
    </message>
    <message>
        <source>Offline: no server is reachable</source>
        <extracomment>The longest status line shown; a longer engine message (the reasons every server was dropped, say) is cut, and the whole of it is the line&apos;s tooltip.</extracomment>
        <translation>离线：连不上任何服务器</translation>
    </message>
    <message>
        <source>Headers {height}</source>
        <translation>区块头 {height}</translation>
    </message>
    <message>
        <source>No peer left to ask</source>
        <translation>已没有可询问的节点</translation>
    </message>
    <message>
        <source>No server left to ask</source>
        <translation>已没有可询问的服务器</translation>
    </message>
</context>
<context>
    <name>Glossary</name>
    <message>
        <source>Confirmation</source>
        <extracomment>term key -&gt; (name, explanation), in the order the glossary lists them.</extracomment>
        <translation>确认</translation>
    </message>
    <message>
        <source>A payment is confirmed once it is in a block of the Bitcoin chain. Each block added after that one is one more confirmation: the more there are, the harder the payment is to undo. Six are usually treated as final.</source>
        <translation>一笔付款被打包进比特币区块链的某个区块后，就算得到了确认。此后每新增一个区块，就多一次确认：确认越多，这笔付款就越难被撤销。通常 6 次确认即视为最终到账。</translation>
    </message>
    <message>
        <source>Proof (Merkle proof)</source>
        <translation>证明（默克尔证明）</translation>
    </message>
    <message>
        <source>A short list of fingerprints (hashes) that shows a payment is inside a block. Paylight checks it against block headers it verified itself, so you need not take a server&apos;s word that you were paid.</source>
        <translation>一小串指纹（哈希值），用来证明某笔付款确实在某个区块里。Paylight 会用自己验证过的区块头来核对它，所以是否到账不必听信服务器的一面之词。</translation>
    </message>
    <message>
        <source>Unverified</source>
        <translation>未验证</translation>
    </message>
    <message>
        <source>A server says the payment is in a block, but Paylight has not yet checked the proof itself. It does not count as yours until the proof checks out.</source>
        <translation>服务器说这笔付款已在某个区块里，但 Paylight 还没有亲自核对证明。证明核对通过之前，这笔钱不算你的。</translation>
    </message>
    <message>
        <source>Mempool</source>
        <translation>内存池</translation>
    </message>
    <message>
        <source>The waiting room for payments: sent to the network, not yet in a block. A payment there can still be replaced or dropped, so it is not final yet.</source>
        <translation>付款的“候车室”：已发到网络上，但还没进入区块。这里的付款仍可能被替换或被丢弃，所以还不算最终到账。</translation>
    </message>
    <message>
        <source>RBF (replace-by-fee)</source>
        <translation>RBF（以费替换）</translation>
    </message>
    <message>
        <source>A payer can mark a payment as replaceable and later swap it for one paying a higher fee, to speed it up, or paying someone else. Until it is in a block, treat such a payment as not yet received.</source>
        <translation>付款方可以把一笔付款标记为“可替换”，之后再换成一笔手续费更高的交易来加快确认，也可以换成付给别人。在它进入区块之前，请把这样的付款当作尚未收到。</translation>
    </message>
    <message>
        <source>Fee rate</source>
        <translation>费率</translation>
    </message>
    <message>
        <source>What a payment offers the miners per unit of its size, in satoshis per virtual byte (sat/vB). A higher rate gets into a block sooner; the fee is the rate times the payment&apos;s size.</source>
        <translation>一笔付款按大小付给矿工的价钱，单位是“聪/虚拟字节”（sat/vB）。费率越高，越快被打包进区块；手续费 = 费率 × 交易大小。</translation>
    </message>
    <message>
        <source>What&apos;s this?</source>
        <translation>这是什么？</translation>
    </message>
    <message>
        <source>What is “{term}”?</source>
        <translation>“{term}”是什么？</translation>
    </message>
</context>
<context>
    <name>GlossaryDialog</name>
    <message>
        <source>Glossary</source>
        <translation>术语解释</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <source>No rate was kept when this transaction arrived.</source>
        <extracomment>after every refresh, whether it replaced the table or updated cells in place at most this many changed cells are updated in place; more replace the whole table weak: a view keeps its model alive, and a cycle would leave the model to the garbage collector, which may run (and delete a QObject) on any thread tables swapped in that the reader thread had built (how refreshes were served)</extracomment>
        <translation>这笔交易到账时没有记录汇率。</translation>
    </message>
    <message>
        <source>At 1 BTC = {price} {code} ({source}, {when}): the rate when it arrived</source>
        <translation>按 1 BTC = {price} {code}（{source}，{when}）：到账时的汇率</translation>
    </message>
</context>
<context>
    <name>HistoryTab</name>
    <message>
        <source>Transactions</source>
        <translation>交易</translation>
    </message>
    <message>
        <source>Details…</source>
        <translation>详情…</translation>
    </message>
    <message>
        <source>Raise fee…</source>
        <translation>提高手续费…</translation>
    </message>
    <message>
        <source>Replace an unconfirmed payment of yours (it signals replace-by-fee) with one paying a higher fee, so it is mined sooner.</source>
        <translation>用一笔手续费更高的交易替换你尚未确认的付款（它标记了以费替换），让它更快被打包。</translation>
    </message>
    <message>
        <source>Double-click a transaction to see its Merkle proof and the block header.</source>
        <translation>双击一笔交易，可查看它的默克尔证明和区块头。</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <source>Delete the last digit</source>
        <extracomment>The size the till&apos;s fonts and controls are designed at; they scale with the window from it.</extracomment>
        <translation>删除最后一位</translation>
    </message>
    <message>
        <source>Decimal mark</source>
        <translation>小数点</translation>
    </message>
</context>
<context>
    <name>LimitEdit</name>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Home</source>
        <extracomment>a code of :data:`wallet.gui.i18n.LANGUAGES`, or &quot;&quot; for the system&apos;s language the Advanced tabs were shown (True) or hidden</extracomment>
        <translation>首页</translation>
    </message>
    <message>
        <source>Receive</source>
        <translation>收款</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>付款</translation>
    </message>
    <message>
        <source>History</source>
        <translation>交易记录</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>收款请求</translation>
    </message>
    <message>
        <source>Coins</source>
        <translation>币</translation>
    </message>
    <message>
        <source>Addresses</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Light node</source>
        <translation>轻节点</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <extracomment>the tabs for people who want the machinery: shown with View › Advanced</extracomment>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New or restore wallet…</source>
        <translation>新建或恢复钱包(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Open wallet…</source>
        <translation>打开钱包(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Connection…</source>
        <translation>连接(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Till</source>
        <translation>收银台(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Merchant till (full screen)</source>
        <translation>商家收银台（全屏）(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>查看(&amp;V)</translation>
    </message>
    <message>
        <source>Amounts in &amp;BTC</source>
        <translation>金额以 BTC 显示(&amp;B)</translation>
    </message>
    <message>
        <source>Amounts in &amp;sats</source>
        <translation>金额以聪显示(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Advanced: coins, addresses, light node</source>
        <translation>高级：币、地址、轻节点(&amp;A)</translation>
    </message>
    <message>
        <source>Local &amp;currency…</source>
        <translation>本地货币(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>跟随系统语言</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Glossary: words explained</source>
        <translation>术语解释(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Playground</source>
        <translation>演练场(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Mine a block now</source>
        <translation>立即挖一个区块(&amp;M)</translation>
    </message>
    <message>
        <source>A &amp;customer pays the till</source>
        <translation>模拟顾客向收银台付款(&amp;C)</translation>
    </message>
    <message>
        <source>The playground&apos;s faucet pays the open sale (or request)</source>
        <translation>由演练场的水龙头支付当前这笔收款（或收款请求）</translation>
    </message>
    <message>
        <source>Playground</source>
        <translation>演练场</translation>
    </message>
    <message>
        <source>The playground is not running.</source>
        <translation>演练场没有运行。</translation>
    </message>
    <message>
        <source>Start a sale at the till (or make a request with an amount) first.</source>
        <translation>请先在收银台开始一笔收款（或创建一个带金额的收款请求）。</translation>
    </message>
</context>
<context>
    <name>MessageDialog</name>
    <message>
        <source>legacy signmessage (BIP137)</source>
        <extracomment>the address types the legacy format has a header for (Taproot has none)</extracomment>
        <translation>传统 signmessage（BIP137）</translation>
    </message>
    <message>
        <source>legacy signmessage (Electrum&apos;s header)</source>
        <translation>传统 signmessage（Electrum 头部）</translation>
    </message>
    <message>
        <source>BIP322 simple</source>
        <translation>BIP322 简单格式</translation>
    </message>
    <message>
        <source>BIP322 full</source>
        <translation>BIP322 完整格式</translation>
    </message>
    <message>
        <source>Sign or verify a message</source>
        <translation>签名或验证消息</translation>
    </message>
    <message>
        <source>One of this wallet&apos;s addresses, or anyone&apos;s</source>
        <translation>本钱包的地址，或任何人的地址</translation>
    </message>
    <message>
        <source>The exact text that is signed</source>
        <translation>被签名的原文</translation>
    </message>
    <message>
        <source>The signature: made here by Sign, or pasted to verify</source>
        <translation>签名：点“签名”在这里生成，或粘贴进来验证</translation>
    </message>
    <message>
        <source>BIP322 (simple for SegWit and Taproot)</source>
        <translation>BIP322（隔离见证和 Taproot 用简单格式）</translation>
    </message>
    <message>
        <source>Legacy signmessage (BIP137)</source>
        <translation>传统 signmessage（BIP137）</translation>
    </message>
    <message>
        <source>BIP322 proves any address type. The legacy format is what older services and wallets read; it exists for P2PKH, P2SH-P2WPKH and P2WPKH addresses only.</source>
        <translation>BIP322 适用于任何地址类型。传统格式是较老的服务和钱包能读取的格式，只适用于 P2PKH、P2SH-P2WPKH 和 P2WPKH 地址。</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <source>Message:</source>
        <translation>消息：</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <source>Signature:</source>
        <translation>签名：</translation>
    </message>
    <message>
        <source>Wallet password (to sign)</source>
        <translation>钱包密码（签名用）</translation>
    </message>
    <message>
        <source>Sign</source>
        <translation>签名</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>Copy signature</source>
        <translation>复制签名</translation>
    </message>
    <message>
        <source>Signed message</source>
        <translation>已签名的消息</translation>
    </message>
    <message>
        <source>A signature proves that whoever holds an address&apos;s key wrote this exact message. It moves no coins.</source>
        <translation>签名证明持有该地址私钥的人写下了这段原文。它不会转移任何币。</translation>
    </message>
    <message>
        <source>This wallet is watch-only: sign the message on your signer.</source>
        <translation>这是观察钱包：请在签名设备上签名这条消息。</translation>
    </message>
    <message>
        <source>Signing…</source>
        <translation>正在签名…</translation>
    </message>
    <message>
        <source>Signed. Copy the signature and send it with the message.</source>
        <translation>已签名。请复制签名，并与消息一起发送。</translation>
    </message>
    <message>
        <source>Give the address, the message and the signature.</source>
        <translation>请填写地址、消息和签名。</translation>
    </message>
    <message>
        <source>✔ Valid: a {format} signature of this message by {address}.</source>
        <translation>✔ 有效：{address} 对这条消息的 {format} 签名。</translation>
    </message>
    <message>
        <source>? Inconclusive ({format}): {reason}</source>
        <translation>? 无法确定（{format}）：{reason}</translation>
    </message>
    <message>
        <source>✘ Not valid ({format}): {reason}</source>
        <translation>✘ 无效（{format}）：{reason}</translation>
    </message>
    <message>
        <source>Copied the signature.</source>
        <translation>已复制签名。</translation>
    </message>
    <message>
        <source>Sign/verify message…</source>
        <translation>签名/验证消息…</translation>
    </message>
    <message>
        <source>Copy address</source>
        <translation>复制地址</translation>
    </message>
</context>
<context>
    <name>Models</name>
    <message>
        <source>confirmed</source>
        <extracomment>Colours of trust states (:func:`wallet.gui.theme.text_colour`: readable on the palette); :func:`use_palette_colours` sets them for the application&apos;s palette (each model does when made, on the UI thread; the snapshot reader&apos;s thread only reads them). What one cell shows: text, tooltip, foreground colour (a shared constant, or None). The names of trust states and request states as cells show them.</extracomment>
        <translation>已确认</translation>
    </message>
    <message>
        <source>unverified</source>
        <translation>未验证</translation>
    </message>
    <message>
        <source>unconfirmed</source>
        <translation>未确认</translation>
    </message>
    <message>
        <source>replaced</source>
        <translation>已被替换</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>等待付款</translation>
    </message>
    <message>
        <source>seen</source>
        <translation>已看到</translation>
    </message>
    <message>
        <source>paid</source>
        <translation>已付清</translation>
    </message>
    <message>
        <source>overpaid</source>
        <translation>多付</translation>
    </message>
    <message>
        <source>underpaid</source>
        <translation>少付</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>confirmed (proof checked at height {height})</source>
        <translation>已确认（证明已在高度 {height} 核对）</translation>
    </message>
    <message>
        <source>confirmed · 1 confirmation</source>
        <translation>已确认 · 1 次确认</translation>
    </message>
    <message>
        <source>confirmed · {n} confirmations</source>
        <translation>已确认 · {n} 次确认</translation>
    </message>
    <message>
        <source>unverified (a server says height {height}; only {server} lists it)</source>
        <translation>未验证（服务器称在高度 {height}；只有 {server} 列出它）</translation>
    </message>
    <message>
        <source>unverified (a server says height {height})</source>
        <translation>未验证（服务器称在高度 {height}）</translation>
    </message>
    <message>
        <source>unconfirmed (in the mempool; only {server} lists it)</source>
        <translation>未确认（在内存池中；只有 {server} 列出它）</translation>
    </message>
    <message>
        <source>unconfirmed (in the mempool)</source>
        <translation>未确认（在内存池中）</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Value then</source>
        <translation>当时价值</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Transaction</source>
        <translation>交易</translation>
    </message>
    <message>
        <source>change</source>
        <translation>找零</translation>
    </message>
    <message>
        <source>receive</source>
        <translation>收款</translation>
    </message>
    <message>
        <source>Coin</source>
        <translation>币</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Frozen</source>
        <translation>冻结</translation>
    </message>
    <message>
        <source>frozen</source>
        <translation>已冻结</translation>
    </message>
    <message>
        <source>Chain</source>
        <translation>链</translation>
    </message>
    <message>
        <source>Index</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Used</source>
        <translation>已用</translation>
    </message>
    <message>
        <source>used</source>
        <translation>已用</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>余额</translation>
    </message>
    <message>
        <source>nothing paid yet</source>
        <extracomment>What each request state means, in the order a request moves through them (the Requests tab&apos;s footer and the State column&apos;s tooltips).</extracomment>
        <translation>还没有付款</translation>
    </message>
    <message>
        <source>the amount is in the mempool, not yet in a block proven here</source>
        <translation>款项在内存池中，还没进入本机验证过的区块</translation>
    </message>
    <message>
        <source>its Merkle proof checked here, fewer than {depth} confirmations</source>
        <translation>默克尔证明已在本机核对，确认数少于 {depth}</translation>
    </message>
    <message>
        <source>{depth} or more confirmations: final</source>
        <translation>{depth} 次或更多确认：最终到账</translation>
    </message>
    <message>
        <source>paid more than asked, {depth}+ confirmations</source>
        <translation>付款多于所请求金额，{depth} 次以上确认</translation>
    </message>
    <message>
        <source>less than the amount arrived</source>
        <translation>到账金额少于所请求金额</translation>
    </message>
    <message>
        <source>nothing paid before it expired (later payments do not count)</source>
        <translation>过期前没有收到付款（之后的付款不计）</translation>
    </message>
    <message>
        <source>any amount</source>
        <translation>金额不限</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>价格</translation>
    </message>
</context>
<context>
    <name>NewSeedPage</name>
    <message>
        <source>Your seed words</source>
        <translation>你的助记词</translation>
    </message>
    <message>
        <source>Write these words on paper, in order. They are the only way to restore this wallet; Paylight will not show them again.</source>
        <translation>请把这些词按顺序抄在纸上。这是恢复这个钱包的唯一方法；Paylight 不会再显示它们。</translation>
    </message>
    <message>
        <source>12 words</source>
        <translation>12 个词</translation>
    </message>
    <message>
        <source>24 words</source>
        <translation>24 个词</translation>
    </message>
    <message>
        <source>I have written the words down, in order</source>
        <translation>我已按顺序抄好这些词</translation>
    </message>
    <message>
        <source>Anyone who sees these words can take your coins. Never type them into a website or share a photo of them.</source>
        <translation>任何看到这些词的人都能拿走你的币。切勿把它们输入任何网站，也不要分享它们的照片。</translation>
    </message>
</context>
<context>
    <name>NodeTab</name>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>协议</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Tip</source>
        <translation>最新高度</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>请求数</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <source>connected</source>
        <extracomment>a server&apos;s state as the Status column says it</extracomment>
        <translation>已连接</translation>
    </message>
    <message>
        <source>idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation>连接不上</translation>
    </message>
    <message>
        <source>faulty</source>
        <translation>出错</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>dropped</source>
        <translation>已弃用</translation>
    </message>
    <message>
        <source>Peer</source>
        <extracomment>A server&apos;s state -&gt; its colour&apos;s role (:func:`wallet.gui.theme.text_colour`).</extracomment>
        <translation>节点</translation>
    </message>
    <message>
        <source>Offers</source>
        <translation>提供</translation>
    </message>
    <message>
        <source>Best height</source>
        <translation>最新高度</translation>
    </message>
    <message>
        <source>Ping</source>
        <translation>响应时间</translation>
    </message>
    <message>
        <source>Sent us</source>
        <translation>发来的数据</translation>
    </message>
    <message>
        <source>full blocks</source>
        <extracomment>A peer&apos;s service bits (``wallet.p2p.messages.SERVICE_NAMES``) in words.</extracomment>
        <translation>完整区块</translation>
    </message>
    <message>
        <source>recent blocks</source>
        <translation>近期区块</translation>
    </message>
    <message>
        <source>SegWit</source>
        <translation>隔离见证</translation>
    </message>
    <message>
        <source>compact filters</source>
        <translation>紧凑过滤器</translation>
    </message>
    <message>
        <source>bloom filters</source>
        <translation>布隆过滤器</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Verified header height:</source>
        <translation>已验证的区块头高度：</translation>
    </message>
    <message>
        <source>Chain starts at:</source>
        <translation>链的起点：</translation>
    </message>
    <message>
        <source>Forks seen:</source>
        <translation>发现的分叉：</translation>
    </message>
    <message>
        <source>Compact filters:</source>
        <translation>紧凑过滤器：</translation>
    </message>
    <message>
        <source>Downloaded:</source>
        <translation>已下载：</translation>
    </message>
    <message>
        <source>Bitcoin Core node:</source>
        <translation>Bitcoin Core 节点：</translation>
    </message>
    <message>
        <source>Servers</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Peers</source>
        <translation>连接的节点</translation>
    </message>
    <message>
        <source>Why it was dropped</source>
        <translation>弃用原因</translation>
    </message>
    <message>
        <source>Server or peer</source>
        <translation>服务器或节点</translation>
    </message>
    <message>
        <source>Dropped servers and peers</source>
        <translation>已弃用的服务器和节点</translation>
    </message>
    <message>
        <source>Paylight keeps its own chain of block headers, checks their proof of work, and counts a payment as confirmed only when its Merkle proof leads to one of them. Peers and servers only supply data; one that lies is dropped.</source>
        <translation>Paylight 自己保存一条区块头链并检查其工作量证明；只有当一笔付款的默克尔证明能对应到其中某个区块头时，才算已确认。节点和服务器只负责提供数据，说谎的会被弃用。</translation>
    </message>
    <message>
        <source>Light node</source>
        <translation>轻节点</translation>
    </message>
    <message>
        <source>Header chain</source>
        <translation>区块头链</translation>
    </message>
    <message>
        <source>genesis (every header checked)</source>
        <translation>创世区块（每个区块头都已检查）</translation>
    </message>
    <message>
        <source>checkpoint at height {height} (built into Paylight)</source>
        <translation>高度 {height} 处的检查点（Paylight 内置）</translation>
    </message>
    <message>
        <source>branch from {parent} up to {tip} ({n} block(s))</source>
        <translation>从 {parent} 分出、到 {tip} 为止的分支（{n} 个区块）</translation>
    </message>
    <message>
        <source>{requests} ({failures} failed)</source>
        <translation>{requests}（失败 {failures}）</translation>
    </message>
    <message>
        <source>the last tip it claimed, before it was dropped</source>
        <translation>被弃用前它声称的最新高度</translation>
    </message>
    <message>
        <source>{node} (headers, filters and blocks over REST; sending over RPC)</source>
        <translation>{node}（通过 REST 获取区块头、过滤器和区块；通过 RPC 发送）</translation>
    </message>
    <message>
        <source>connected (misbehaviour score {score})</source>
        <translation>已连接（违规分 {score}）</translation>
    </message>
    <message>
        <source>{size} (filters: {filters}, blocks: {blocks})</source>
        <translation>{size}（过滤器 {filters} 个，区块 {blocks} 个）</translation>
    </message>
    <message>
        <source>not checked yet</source>
        <translation>尚未检查</translation>
    </message>
    <message>
        <source>filter headers to block {height} of {tip}; no filter checked yet</source>
        <translation>过滤器头已到区块 {height} / {tip}；还没有检查任何过滤器</translation>
    </message>
    <message>
        <source>filters checked to block {height} of {tip}</source>
        <translation>过滤器已检查到区块 {height} / {tip}</translation>
    </message>
    <message>
        <source>(from block {height}, the wallet&apos;s birthday)</source>
        <translation>（从钱包开始使用时的区块 {height} 起）</translation>
    </message>
    <message>
        <source>filter headers: {headers} · filters: {filters} · blocks: {blocks} · {size} in all</source>
        <translation>过滤器头：{headers} · 过滤器：{filters} · 区块：{blocks} · 共 {size}</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
</context>
<context>
    <name>OptionsPage</name>
    <message>
        <source>Seed options</source>
        <translation>助记词选项</translation>
    </message>
    <message>
        <source>The defaults suit almost everyone. Change them only if you know you need to.</source>
        <translation>默认设置适合绝大多数人。除非确实需要，否则不要更改。</translation>
    </message>
    <message>
        <source>Use a BIP39 passphrase (a 25th word)</source>
        <translation>使用 BIP39 密语（第 25 个词）</translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation>密语(&amp;P)：</translation>
    </message>
    <message>
        <source>Passphrase &amp;again:</source>
        <translation>再次输入密语(&amp;A)：</translation>
    </message>
    <message>
        <source>Address &amp;type:</source>
        <translation>地址类型(&amp;T)：</translation>
    </message>
    <message>
        <source>A&amp;ccount:</source>
        <translation>账户(&amp;C)：</translation>
    </message>
    <message>
        <source>First address:</source>
        <translation>第一个地址：</translation>
    </message>
    <message>
        <source>A passphrase makes a different wallet from the same words: forget it and the coins are gone. It is not stored; you will be asked for it when you pay.</source>
        <translation>同样的助记词加上密语会得到一个不同的钱包：忘了密语，币就没了。密语不会被保存；每次付款时都会要求你输入。</translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation>两次输入的密语不一致。</translation>
    </message>
</context>
<context>
    <name>OverviewTab</name>
    <message>
        <source>Available</source>
        <translation>可用余额</translation>
    </message>
    <message>
        <source>Money you can spend now: payments this wallet proved itself, and the change of your own payments. Money coming in counts once its proof checks out.</source>
        <translation>现在就能花的钱：本钱包亲自证明过的付款，加上你自己付款的找零。正在到来的钱要等证明核对通过后才计入。</translation>
    </message>
    <message>
        <source>Receive</source>
        <extracomment>the amount in the person&apos;s currency, beside the bitcoin figure (empty until a rate is known: :meth:`set_fiat_text`)</extracomment>
        <translation>收款</translation>
    </message>
    <message>
        <source>Show a QR code to get paid</source>
        <translation>出示二维码收款</translation>
    </message>
    <message>
        <source>Pay (scan)</source>
        <translation>付款（扫码）</translation>
    </message>
    <message>
        <source>Scan a payment QR code, or paste an address</source>
        <translation>扫描付款二维码，或粘贴地址</translation>
    </message>
    <message>
        <source>Till</source>
        <translation>收银台</translation>
    </message>
    <message>
        <source>The merchant till, full screen (Ctrl+T)</source>
        <translation>商家收银台，全屏显示（Ctrl+T）</translation>
    </message>
    <message>
        <source>A watch-only wallet cannot pay.</source>
        <translation>观察钱包不能付款。</translation>
    </message>
    <message>
        <source>Recent activity</source>
        <translation>最近动态</translation>
    </message>
    <message>
        <source>Details: the balance by state, and this wallet</source>
        <translation>详情：按状态分列的余额，以及这个钱包</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Confirmed</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>Proven on this computer: each payment&apos;s Merkle proof was checked against the block headers this wallet verified itself.</source>
        <translation>已在本机证明：每笔付款的默克尔证明都已对照本钱包亲自验证过的区块头核对过。</translation>
    </message>
    <message>
        <source>Unverified</source>
        <translation>未验证</translation>
    </message>
    <message>
        <source>A server says these payments are in a block, but their proofs have not been checked yet. Do not treat them as final.</source>
        <translation>服务器说这些付款已在区块里，但它们的证明还没有核对。请不要把它们当作最终到账。</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>待确认</translation>
    </message>
    <message>
        <source>Seen in the mempool, not yet in any block. They can still be replaced or dropped. Negative while a payment you sent is pending.</source>
        <translation>已在内存池中看到，但还没进入任何区块，仍可能被替换或丢弃。你发出的付款待确认时显示为负数。</translation>
    </message>
    <message>
        <source>Only the confirmed figure is checked by this wallet. The three are kept apart on purpose: adding them would hide what is not yet proven.</source>
        <translation>只有“已确认”一项经过本钱包核对。三项故意分开显示：加在一起会掩盖尚未证明的部分。</translation>
    </message>
    <message>
        <source>watch-only (no keys on this computer)</source>
        <translation>观察钱包（本机没有私钥）</translation>
    </message>
    <message>
        <source>seed wallet</source>
        <translation>助记词钱包</translation>
    </message>
    <message>
        <source>receive keys fingerprint {fingerprint}</source>
        <translation>收款密钥指纹 {fingerprint}</translation>
    </message>
    <message>
        <source>Compare this fingerprint with the one shown when the wallet was made: if it differs, the wallet&apos;s configuration was changed and its addresses may not be yours.</source>
        <translation>请把这个指纹与创建钱包时显示的指纹对照：如果不同，说明钱包配置被改过，其中的地址可能不是你的。</translation>
    </message>
    <message>
        <source>{amount} on its way: it counts once it is confirmed.</source>
        <translation>{amount} 正在到账：确认后才计入。</translation>
    </message>
    <message>
        <source>Nothing on its way.</source>
        <translation>没有正在到账的款项。</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
</context>
<context>
    <name>PasswordPage</name>
    <message>
        <source>Choose a password</source>
        <translation>设置密码</translation>
    </message>
    <message>
        <source>It encrypts your seed on this computer, and is asked for each time you pay. It is not a backup: the seed words are.</source>
        <translation>密码用于在本机加密你的助记词，每次付款时都要输入。它不是备份：助记词才是。</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Again:</source>
        <translation>再次输入(&amp;A)：</translation>
    </message>
    <message>
        <source>Use at least {n} characters.</source>
        <translation>请至少使用 {n} 个字符。</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>PaylightApp</name>
    <message>
        <source>Open a Paylight wallet folder</source>
        <extracomment>makes the sync engine for an opened wallet; None in tests that want no network the local playground: started by the wizard, or again for a playground wallet</extracomment>
        <translation>打开 Paylight 钱包文件夹</translation>
    </message>
    <message>
        <source>Paylight could not open the wallet at {path}.</source>
        <translation>Paylight 无法打开位于 {path} 的钱包。</translation>
    </message>
    <message>
        <source>Cannot open wallet</source>
        <translation>无法打开钱包</translation>
    </message>
    <message>
        <source>The playground is gone</source>
        <translation>演练场已不存在</translation>
    </message>
</context>
<context>
    <name>PlaygroundSession</name>
    <message>
        <source>The local playground&apos;s saved chain is no longer in {folder}, so this test wallet cannot sync: its coins existed only on that chain. The wallet itself was left as it was. To try Paylight again, create a new wallet with the playground option.</source>
        <extracomment>What a new playground wallet receives from the faucet: 1 BTC, mined into a block. The wallet database setting that marks a playground wallet: {&quot;datadir&quot;, &quot;electrum&quot;, &quot;esplora&quot;, &quot;p2p&quot; (the listeners&apos; ports), &quot;sources&quot; (see :func:`playground_mode`)}. The wizard&apos;s playground mines a block this often (seconds), so a demo payment confirms by itself, as it would on a real chain -- only faster (the window also has &quot;mine a block now&quot;).</extracomment>
        <translation>本地演练场保存的链已不在 {folder} 中，所以这个测试钱包无法同步：它的币只存在于那条链上。钱包本身保持原样。想再试用 Paylight，请新建一个钱包并勾选演练场选项。</translation>
    </message>
</context>
<context>
    <name>PosWindow</name>
    <message>
        <source>Paylight till — {name}</source>
        <extracomment>How long a till&apos;s QR code stays valid: a customer pays at the counter, now. the pages of :attr:`PosWindow.pages`</extracomment>
        <translation>Paylight 收银台 — {name}</translation>
    </message>
    <message>
        <source>Type the price in {code}</source>
        <extracomment>the unit typed in: a bitcoin Unit, or the local currency&apos;s amount.Unit</extracomment>
        <translation>以 {code} 输入价格</translation>
    </message>
    <message>
        <source>New sale · {name}</source>
        <translation>新收款 · {name}</translation>
    </message>
    <message>
        <source>There is no current {code} rate to price by: type the price in BTC, or set a rate (Local currency).</source>
        <translation>当前没有可用于定价的 {code} 汇率：请以 BTC 输入价格，或设置一个汇率（本地货币）。</translation>
    </message>
    <message>
        <source>Type the amount to charge.</source>
        <translation>请输入要收的金额。</translation>
    </message>
    <message>
        <source>Charge {amount}?</source>
        <translation>收取 {amount}？</translation>
    </message>
    <message>
        <source>{amount} is more than this till&apos;s limit of {limit} a sale. Charge it anyway?</source>
        <translation>{amount} 超过了本收银台每笔 {limit} 的上限。仍要收取吗？</translation>
    </message>
    <message>
        <source>Charge it</source>
        <translation>收取</translation>
    </message>
    <message>
        <source>Change the amount</source>
        <translation>修改金额</translation>
    </message>
    <message>
        <source>A payment for this sale was seen but is not in a block yet. Stop following it and start a new sale? (It stays in the wallet&apos;s requests.)</source>
        <translation>已看到这笔收款的付款，但还没进入区块。要停止跟踪它并开始新的收款吗？（它仍保留在钱包的收款请求中。）</translation>
    </message>
    <message>
        <source>Cancel this sale? Its QR code will no longer be shown (a payment made to it later still arrives in the wallet).</source>
        <translation>取消这笔收款？它的二维码将不再显示（之后付到这里的款仍会进入钱包）。</translation>
    </message>
    <message>
        <source>Abandon this sale?</source>
        <translation>放弃这笔收款？</translation>
    </message>
    <message>
        <source>Abandon it</source>
        <translation>放弃</translation>
    </message>
    <message>
        <source>Keep waiting</source>
        <translation>继续等待</translation>
    </message>
    <message>
        <source>Close the till?</source>
        <translation>关闭收银台？</translation>
    </message>
    <message>
        <source>A sale is open. Close the till and stop following it?</source>
        <translation>有一笔收款尚未完成。要关闭收银台并停止跟踪它吗？</translation>
    </message>
    <message>
        <source>Close the till</source>
        <translation>关闭收银台</translation>
    </message>
    <message>
        <source>Keep the till open</source>
        <translation>保持收银台打开</translation>
    </message>
    <message>
        <source>OK to hand over</source>
        <translation>可以交货</translation>
    </message>
    <message>
        <source>Wait for a block</source>
        <translation>请等待区块确认</translation>
    </message>
    <message>
        <source>{amount} seen, not in a block yet. It counts once its block&apos;s proof checks out.</source>
        <translation>已看到 {amount}，还没进入区块。区块证明核对通过后才算到账。</translation>
    </message>
    <message>
        <source>In a block, its Merkle proof checked here ({n} confirmation(s)).</source>
        <translation>已进入区块，默克尔证明已在本机核对（{n} 次确认）。</translation>
    </message>
    <message>
        <source>{amount} more than asked.</source>
        <translation>比所请求金额多 {amount}。</translation>
    </message>
    <message>
        <source>Rate locked for this sale: {price} ({source}).</source>
        <translation>这笔收款锁定的汇率：{price}（{source}）。</translation>
    </message>
    <message>
        <source>{amount} still missing: the code asks for it.</source>
        <translation>还差 {amount}：二维码请求的就是这部分。</translation>
    </message>
    <message>
        <source>The code is valid for {n} more minute(s).</source>
        <translation>二维码还有 {n} 分钟有效。</translation>
    </message>
    <message>
        <source>Details ▾</source>
        <translation>详情 ▾</translation>
    </message>
    <message>
        <source>Details ▸</source>
        <translation>详情 ▸</translation>
    </message>
    <message>
        <source>Received {amount}</source>
        <translation>已收到 {amount}</translation>
    </message>
    <message>
        <source>There is no confirmed payment to make a receipt of yet.</source>
        <translation>还没有已确认的付款可以开收据。</translation>
    </message>
    <message>
        <source>A receipt needs the light node&apos;s header chain, which is not open.</source>
        <translation>收据需要轻节点的区块头链，但它没有打开。</translation>
    </message>
    <message>
        <source>No confirmed payment covers this charge.</source>
        <translation>没有已确认的付款足以支付这笔收款。</translation>
    </message>
    <message>
        <source>Save receipt</source>
        <translation>保存收据</translation>
    </message>
    <message>
        <source>Receipts (*.json)</source>
        <translation>收据 (*.json)</translation>
    </message>
    <message>
        <source>✓ Receipt as &amp;QR (Ctrl+R)</source>
        <translation>✓ 收据二维码(&amp;Q)（Ctrl+R）</translation>
    </message>
    <message>
        <source>Receipt as &amp;QR (Ctrl+R)</source>
        <translation>收据二维码(&amp;Q)（Ctrl+R）</translation>
    </message>
    <message>
        <source>Waiting for payment…</source>
        <extracomment>the colour roles of the till&apos;s states (``wallet.gui.theme``: text_colour for text on the window, fill_colour for a banner with white text), readable on any palette</extracomment>
        <translation>等待付款…</translation>
    </message>
    <message>
        <source>Payment seen</source>
        <translation>已看到付款</translation>
    </message>
    <message>
        <source>Underpaid</source>
        <translation>付款不足</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>已付款</translation>
    </message>
    <message>
        <source>Paid — more than asked</source>
        <translation>已付款——多于所请求金额</translation>
    </message>
    <message>
        <source>Expired — start a new sale</source>
        <translation>已过期——请开始新的收款</translation>
    </message>
    <message>
        <source>this till waits for a block for every payment</source>
        <extracomment>what the policy&apos;s reasons say, by code (``wallet.payments.risk.Reason``)</extracomment>
        <translation>本收银台对每笔付款都等待区块确认</translation>
    </message>
    <message>
        <source>the amount is above what this till hands over before a block</source>
        <translation>金额超过本收银台在区块确认前可交货的上限</translation>
    </message>
    <message>
        <source>the servers have not been asked about it yet</source>
        <translation>还没有向服务器询问这笔付款</translation>
    </message>
    <message>
        <source>another transaction spends the same coins</source>
        <translation>另一笔交易花费了相同的币</translation>
    </message>
    <message>
        <source>it signals replace-by-fee: the payer can still replace it</source>
        <translation>它标记了以费替换：付款方仍可替换它</translation>
    </message>
    <message>
        <source>its fee is unknown</source>
        <translation>它的手续费未知</translation>
    </message>
    <message>
        <source>there is no next-block fee estimate to compare with</source>
        <translation>没有下一个区块的费率估算可供比较</translation>
    </message>
    <message>
        <source>its fee is below the next-block estimate</source>
        <translation>它的手续费低于下一个区块的估算</translation>
    </message>
    <message>
        <source>it spends coins that are not in a block yet</source>
        <translation>它花费的币还没进入区块</translation>
    </message>
    <message>
        <source>no server could be asked whether it has it</source>
        <translation>无法询问任何服务器是否收到了它</translation>
    </message>
    <message>
        <source>not every server has it</source>
        <translation>并非所有服务器都收到了它</translation>
    </message>
    <message>
        <source>only {checked} of the {total} other payments to the same addresses were checked for a conflict</source>
        <translation>同一地址上的其他 {total} 笔交易中，只检查了 {checked} 笔是否冲突</translation>
    </message>
    <message>
        <source>not every check could be made: {detail}</source>
        <translation>并非所有检查都能完成：{detail}</translation>
    </message>
    <message>
        <source>transaction {txid}…</source>
        <translation>交易 {txid}…</translation>
    </message>
    <message>
        <source>a server says it is in block {height}: no longer unconfirmed</source>
        <translation>服务器称它已在区块 {height} 中：不再是未确认状态</translation>
    </message>
    <message>
        <source>RBF (replace-by-fee) signalled: the payer can replace it</source>
        <translation>标记了 RBF（以费替换）：付款方可以替换它</translation>
    </message>
    <message>
        <source>RBF (replace-by-fee) not signalled</source>
        <translation>没有标记 RBF（以费替换）</translation>
    </message>
    <message>
        <source>fee unknown (a spent coin could not be fetched)</source>
        <translation>手续费未知（无法获取所花的某个币）</translation>
    </message>
    <message>
        <source>fee {fee} sat, {rate} sat/vB</source>
        <translation>手续费 {fee} 聪，{rate} sat/vB</translation>
    </message>
    <message>
        <source>below the next-block estimate of {rate}</source>
        <translation>低于下一个区块的估算 {rate}</translation>
    </message>
    <message>
        <source>at or above the next-block estimate of {rate}</source>
        <translation>不低于下一个区块的估算 {rate}</translation>
    </message>
    <message>
        <source>{n} unconfirmed parent(s): it cannot confirm before them</source>
        <translation>{n} 笔未确认的上级交易：在它们确认之前它无法确认</translation>
    </message>
    <message>
        <source>parents: all in blocks</source>
        <translation>上级交易：都已进入区块</translation>
    </message>
    <message>
        <source>seen by {seen} of {asked} servers</source>
        <translation>{asked} 个服务器中有 {seen} 个看到了它</translation>
    </message>
    <message>
        <source>another transaction, {txid}…, spends the same coins</source>
        <translation>另一笔交易 {txid}… 花费了相同的币</translation>
    </message>
    <message>
        <source>no conflicting payment seen</source>
        <translation>没有发现冲突的付款</translation>
    </message>
    <message>
        <source>{txid}: the server says it is in block {height}; proof being checked</source>
        <translation>{txid}：服务器称它在区块 {height} 中；正在核对证明</translation>
    </message>
    <message>
        <source>{txid} signals replace-by-fee: the payer can still replace it</source>
        <translation>{txid} 标记了以费替换：付款方仍可替换它</translation>
    </message>
    <message>
        <source>{txid} does not signal replace-by-fee</source>
        <translation>{txid} 没有标记以费替换</translation>
    </message>
    <message>
        <source>spends {n} unconfirmed parent(s)</source>
        <translation>花费了 {n} 笔未确认的上级交易</translation>
    </message>
    <message>
        <source>{vsize} vB · first seen {time}</source>
        <translation>{vsize} vB · 首次发现 {time}</translation>
    </message>
    <message>
        <source>{txid}… was replaced by the payer</source>
        <translation>{txid}… 已被付款方替换</translation>
    </message>
</context>
<context>
    <name>PreviewView</name>
    <message>
        <source>No picture</source>
        <translation>无画面</translation>
    </message>
</context>
<context>
    <name>ProofReport</name>
    <message>
        <source>Not in a block yet: there is no proof to show.</source>
        <translation>还没进入区块：没有可显示的证明。</translation>
    </message>
    <message>
        <source>A server says this transaction is in the block at height {height}.
No Merkle proof has been checked yet, so it is not counted as confirmed.</source>
        <translation>服务器称这笔交易在高度 {height} 的区块中。
默克尔证明还没有核对，所以不算已确认。</translation>
    </message>
    <message>
        <source>This transaction was replaced; it no longer counts.</source>
        <translation>这笔交易已被替换，不再计入。</translation>
    </message>
    <message>
        <source>Block height:</source>
        <translation>区块高度：</translation>
    </message>
    <message>
        <source>Block hash:</source>
        <translation>区块哈希：</translation>
    </message>
    <message>
        <source>Position:</source>
        <translation>位置：</translation>
    </message>
    <message>
        <source>Verified at:</source>
        <translation>验证时间：</translation>
    </message>
    <message>
        <source>Merkle branch ({n} hashes, leaf to root):</source>
        <translation>默克尔分支（{n} 个哈希，从叶到根）：</translation>
    </message>
    <message>
        <source>Root from branch: {root}</source>
        <translation>由分支算出的根：{root}</translation>
    </message>
    <message>
        <source>The stored branch does not hash up: {reason}</source>
        <translation>保存的分支算不出正确的根：{reason}</translation>
    </message>
    <message>
        <source>The header at this height is in the light node&apos;s header store, which the sync engine opens; this window has no engine running yet.</source>
        <translation>这个高度的区块头在轻节点的区块头存储里，由同步引擎打开；这个窗口的同步引擎还没有运行。</translation>
    </message>
    <message>
        <source>Header it was checked against:</source>
        <translation>用来核对的区块头：</translation>
    </message>
    <message>
        <source>hash</source>
        <translation>哈希</translation>
    </message>
    <message>
        <source>previous</source>
        <translation>上一区块</translation>
    </message>
    <message>
        <source>merkle root</source>
        <translation>默克尔根</translation>
    </message>
    <message>
        <source>time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>bits</source>
        <translation>难度位</translation>
    </message>
    <message>
        <source>raw</source>
        <translation>原始数据</translation>
    </message>
    <message>
        <source>WARNING: the header now at this height is another block (a reorg?).</source>
        <translation>警告：这个高度现在是另一个区块（发生了链重组？）。</translation>
    </message>
    <message>
        <source>The branch leads to this header&apos;s merkle root: the proof holds.</source>
        <translation>分支算出的正是这个区块头的默克尔根：证明成立。</translation>
    </message>
    <message>
        <source>WARNING: the branch does not lead to this header&apos;s merkle root.</source>
        <translation>警告：分支算不出这个区块头的默克尔根。</translation>
    </message>
</context>
<context>
    <name>PsbtDetails</name>
    <message>
        <source>Signed transaction, ready to broadcast</source>
        <translation>已签名的交易，可以广播</translation>
    </message>
    <message>
        <source>Signed PSBT, ready to finalize</source>
        <translation>已签名的 PSBT，可以完成</translation>
    </message>
    <message>
        <source>Partly signed PSBT</source>
        <translation>部分签名的 PSBT</translation>
    </message>
    <message>
        <source>Unsigned PSBT</source>
        <translation>未签名的 PSBT</translation>
    </message>
    <message>
        <source>{signed} of {count} inputs signed</source>
        <translation>{count} 个输入中已签名 {signed} 个</translation>
    </message>
    <message>
        <source>Transaction:</source>
        <translation>交易：</translation>
    </message>
    <message>
        <source>Signatures:</source>
        <translation>签名：</translation>
    </message>
    <message>
        <source>Pays others:</source>
        <translation>付给他人：</translation>
    </message>
    <message>
        <source>Fee:</source>
        <translation>手续费：</translation>
    </message>
    <message>
        <source>Fee rate:</source>
        <translation>费率：</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Amount from</source>
        <translation>金额来源</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>已签名</translation>
    </message>
    <message>
        <source>Coin</source>
        <translation>币</translation>
    </message>
    <message>
        <source>Whose</source>
        <translation>归属</translation>
    </message>
    <message>
        <source>Inputs</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Outputs</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Spends:</source>
        <translation>花费：</translation>
    </message>
    <message>
        <source>Pays:</source>
        <translation>付给：</translation>
    </message>
    <message>
        <source>unknown (an input&apos;s amount is missing)</source>
        <translation>未知（缺少某个输入的金额）</translation>
    </message>
    <message>
        <source>{fee} — UNVERIFIED</source>
        <translation>{fee}——未验证</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>{vsize} vB</source>
        <translation>{vsize} vB</translation>
    </message>
    <message>
        <source>about {vsize} vB once signed</source>
        <translation>签名后约 {vsize} vB</translation>
    </message>
    <message>
        <source>{rate} sat/vB ({size})</source>
        <translation>{rate} sat/vB（{size}）</translation>
    </message>
    <message>
        <source>final</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>The PSBT lies about the amount spent by input(s) {inputs}: it contradicts the transaction that made the coin. It will not be signed.</source>
        <translation>这个 PSBT 在输入 {inputs} 花费的金额上说谎：它与产生这个币的交易不符。不会为它签名。</translation>
    </message>
    <message>
        <source>The amount spent by input(s) {inputs} is UNVERIFIED: only the PSBT states it, and a SegWit signature does not commit to the other inputs&apos; amounts, so the fee may be higher than shown. Signing asks you to accept this.</source>
        <translation>输入 {inputs} 花费的金额未经验证：只有 PSBT 这么说，而隔离见证签名并不承诺其他输入的金额，所以手续费可能比显示的高。签名前会请你确认接受这一点。</translation>
    </message>
    <message>
        <source>verified: the wallet&apos;s records</source>
        <translation>已验证：钱包记录</translation>
    </message>
    <message>
        <source>verified: the full previous transaction</source>
        <translation>已验证：完整的上一笔交易</translation>
    </message>
    <message>
        <source>committed by Taproot (BIP341)</source>
        <translation>由 Taproot 承诺（BIP341）</translation>
    </message>
    <message>
        <source>UNVERIFIED: only the PSBT says so</source>
        <translation>未验证：只有 PSBT 这么说</translation>
    </message>
    <message>
        <source>unknown: the PSBT does not say</source>
        <translation>未知：PSBT 没有说明</translation>
    </message>
    <message>
        <source>CONTRADICTED: the PSBT lies</source>
        <translation>矛盾：PSBT 在说谎</translation>
    </message>
    <message>
        <source>change (this wallet)</source>
        <translation>找零（本钱包）</translation>
    </message>
    <message>
        <source>this wallet</source>
        <translation>本钱包</translation>
    </message>
    <message>
        <source>external</source>
        <translation>外部</translation>
    </message>
</context>
<context>
    <name>PsbtDialog</name>
    <message>
        <source>PSBT — partially signed transaction</source>
        <extracomment>a transaction was broadcast (its txid in hex)</extracomment>
        <translation>PSBT — 部分签名交易</translation>
    </message>
    <message>
        <source>No PSBT loaded</source>
        <translation>没有载入 PSBT</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>载入</translation>
    </message>
    <message>
        <source>Combine with</source>
        <translation>合并</translation>
    </message>
    <message>
        <source>Merge the signatures of another copy of this PSBT (signed elsewhere).</source>
        <translation>合并这个 PSBT 另一份副本（在别处签名）的签名。</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Show as QR code</source>
        <translation>显示为二维码</translation>
    </message>
    <message>
        <source>Save to file…</source>
        <translation>保存到文件…</translation>
    </message>
    <message>
        <source>Copy to clipboard</source>
        <translation>复制到剪贴板</translation>
    </message>
    <message>
        <source>Show QR code</source>
        <translation>显示二维码</translation>
    </message>
    <message>
        <source>Export:</source>
        <translation>导出：</translation>
    </message>
    <message>
        <source>Open a file…</source>
        <translation>打开文件…</translation>
    </message>
    <message>
        <source>Paste from the clipboard</source>
        <translation>从剪贴板粘贴</translation>
    </message>
    <message>
        <source>Open QR pictures…</source>
        <translation>打开二维码图片…</translation>
    </message>
    <message>
        <source>Scan with the camera…</source>
        <translation>用摄像头扫描…</translation>
    </message>
    <message>
        <source>Sign</source>
        <translation>签名</translation>
    </message>
    <message>
        <source>Wallet password</source>
        <translation>钱包密码</translation>
    </message>
    <message>
        <source>Sign although amounts are unverified (the fee may be higher than shown)</source>
        <translation>即使金额未经验证也签名（手续费可能比显示的高）</translation>
    </message>
    <message>
        <source>I accept the fee warnings above</source>
        <translation>我接受上面的手续费警告</translation>
    </message>
    <message>
        <source>This wallet is watch-only: it holds no keys. Show the QR code to your signer (or save the file for it), then load the signed PSBT back here with Load → Scan with the camera.</source>
        <translation>这是观察钱包：本机没有私钥。请把二维码给签名设备扫描（或为它保存文件），然后用“载入 → 用摄像头扫描”把签好的 PSBT 载入回来。</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Finalize</source>
        <translation>完成交易</translation>
    </message>
    <message>
        <source>Turn the signed PSBT into the network transaction.</source>
        <translation>把签好的 PSBT 变成可在网络上发送的交易。</translation>
    </message>
    <message>
        <source>Broadcast…</source>
        <translation>广播…</translation>
    </message>
    <message>
        <source>Broadcasting needs the sync engine, and this window is not connected.</source>
        <translation>广播需要同步引擎，而这个窗口没有连接它。</translation>
    </message>
    <message>
        <source>Loaded a PSBT with {inputs} input(s).</source>
        <translation>已载入一个有 {inputs} 个输入的 PSBT。</translation>
    </message>
    <message>
        <source>These PSBTs cannot be combined: {why}</source>
        <translation>这些 PSBT 无法合并：{why}</translation>
    </message>
    <message>
        <source>Combined: {state}.</source>
        <translation>已合并：{state}。</translation>
    </message>
    <message>
        <source>Reading {name}…</source>
        <translation>正在读取 {name}…</translation>
    </message>
    <message>
        <source>Open a PSBT</source>
        <translation>打开 PSBT</translation>
    </message>
    <message>
        <source>PSBT files (*.psbt *.txt *.b64);;All files (*)</source>
        <translation>PSBT 文件 (*.psbt *.txt *.b64);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Open pictures of the PSBT&apos;s QR code</source>
        <translation>打开 PSBT 二维码的图片</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.webp *.bmp *.gif)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.webp *.bmp *.gif)</translation>
    </message>
    <message>
        <source>Reading {count} picture(s)…</source>
        <translation>正在读取 {count} 张图片…</translation>
    </message>
    <message>
        <source>The clipboard holds neither a PSBT nor a picture of its code.</source>
        <translation>剪贴板里既没有 PSBT，也没有它的二维码图片。</translation>
    </message>
    <message>
        <source>Scan a PSBT</source>
        <translation>扫描 PSBT</translation>
    </message>
    <message>
        <source>Show the signer&apos;s QR code to the camera. An animated code is collected part by part, in any order; keep it in view until the bar is full.</source>
        <translation>把签名设备的二维码对准摄像头。动态二维码会一段一段地收集，顺序不限；请一直对准，直到进度条填满。</translation>
    </message>
    <message>
        <source>Copied the PSBT (base64) to the clipboard.</source>
        <translation>已把 PSBT（base64）复制到剪贴板。</translation>
    </message>
    <message>
        <source>Save the PSBT</source>
        <translation>保存 PSBT</translation>
    </message>
    <message>
        <source>PSBT file (*.psbt);;Base64 text (*.txt)</source>
        <translation>PSBT 文件 (*.psbt);;Base64 文本 (*.txt)</translation>
    </message>
    <message>
        <source>Cannot write {path}: {why}</source>
        <translation>无法写入 {path}：{why}</translation>
    </message>
    <message>
        <source>Saved the PSBT to {path}.</source>
        <translation>已把 PSBT 保存到 {path}。</translation>
    </message>
    <message>
        <source>This PSBT lies about an amount it spends; it will not be signed.</source>
        <translation>这个 PSBT 在它花费的金额上说谎；不会为它签名。</translation>
    </message>
    <message>
        <source>Not signed: an input&apos;s amount is unverified, so the fee may be higher than shown. Load the PSBT into the wallet that made it, or tick “Sign although amounts are unverified” to sign anyway.</source>
        <translation>未签名：某个输入的金额未经验证，手续费可能比显示的高。请把 PSBT 载入创建它的钱包，或勾选“即使金额未经验证也签名”后仍然签名。</translation>
    </message>
    <message>
        <source>Not signed: tick “I accept the fee warnings above” to sign it anyway.</source>
        <translation>未签名：请勾选“我接受上面的手续费警告”后仍然签名。</translation>
    </message>
    <message>
        <source>Signing…</source>
        <translation>正在签名…</translation>
    </message>
    <message>
        <source>Signed with this wallet&apos;s keys.</source>
        <translation>已用本钱包的私钥签名。</translation>
    </message>
    <message>
        <source>Finalized: transaction {txid}, {vsize} vB. Broadcast it, or copy it.</source>
        <translation>已完成：交易 {txid}，{vsize} vB。可以广播或复制它。</translation>
    </message>
    <message>
        <source>Broadcasting…</source>
        <translation>正在广播…</translation>
    </message>
    <message>
        <source>Broadcast as {txid}.</source>
        <translation>已广播，交易 {txid}。</translation>
    </message>
    <message>
        <source>Transaction sent</source>
        <translation>交易已发送</translation>
    </message>
    <message>
        <source>Made from the Send tab and not signed yet. Sign it here, or on your signer: show it the QR code or save the file for it.</source>
        <translation>由“付款”页创建，尚未签名。可以在这里签名，或在签名设备上签名：给它扫描二维码，或为它保存文件。</translation>
    </message>
</context>
<context>
    <name>PsbtSources</name>
    <message>
        <source>The code holds no valid PSBT: {why}</source>
        <extracomment>A PSBT file larger than this is refused (a mistake, not a transaction), as by the CLI.</extracomment>
        <translation>这个二维码里没有有效的 PSBT：{why}</translation>
    </message>
    <message>
        <source>no PSBT was found</source>
        <translation>没有找到 PSBT</translation>
    </message>
    <message>
        <source>This holds no readable code: {why}</source>
        <translation>这里没有可读取的二维码：{why}</translation>
    </message>
    <message>
        <source>This holds only {received} of the {total} parts of an animated code: scan it with the camera, or open every frame.</source>
        <translation>这里只有动态二维码 {total} 段中的 {received} 段：请用摄像头扫描，或打开每一帧。</translation>
    </message>
    <message>
        <source>There is nothing to read: the text is empty.</source>
        <translation>没有可读取的内容：文本是空的。</translation>
    </message>
    <message>
        <source>This is not a PSBT: {why}</source>
        <translation>这不是 PSBT：{why}</translation>
    </message>
    <message>
        <source>Cannot read {path}: {why}</source>
        <translation>无法读取 {path}：{why}</translation>
    </message>
    <message>
        <source>{path} is too large to be a PSBT.</source>
        <translation>{path} 太大，不可能是 PSBT。</translation>
    </message>
    <message>
        <source>{path} is not a valid PSBT: {why}</source>
        <translation>{path} 不是有效的 PSBT：{why}</translation>
    </message>
    <message>
        <source>{path} is neither a PSBT nor text.</source>
        <translation>{path} 既不是 PSBT 也不是文本。</translation>
    </message>
    <message>
        <source>No QR code was found in {name}.</source>
        <translation>在 {name} 中没有找到二维码。</translation>
    </message>
</context>
<context>
    <name>QRView</name>
    <message>
        <source>No request yet</source>
        <translation>还没有收款请求</translation>
    </message>
</context>
<context>
    <name>ReceiveTab</name>
    <message>
        <source>Never</source>
        <translation>永不</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 小时</translation>
    </message>
    <message>
        <source>1 day</source>
        <translation>1 天</translation>
    </message>
    <message>
        <source>1 week</source>
        <translation>1 周</translation>
    </message>
    <message>
        <source>{amount} at {price} (rate locked)</source>
        <translation>{amount}，按 {price}（汇率已锁定）</translation>
    </message>
    <message>
        <source>Who pays, or what for (shown to the payer)</source>
        <translation>谁付款，或为了什么（付款方可见）</translation>
    </message>
    <message>
        <source>Optional note for the payer</source>
        <translation>给付款方的附言（可选）</translation>
    </message>
    <message>
        <source>Create request</source>
        <translation>创建收款请求</translation>
    </message>
    <message>
        <source>&amp;Amount:</source>
        <translation>金额(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;Label:</source>
        <translation>标签(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Message:</source>
        <translation>附言(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Expires after:</source>
        <translation>有效期(&amp;E)：</translation>
    </message>
    <message>
        <source>Request a payment</source>
        <translation>请求付款</translation>
    </message>
    <message>
        <source>Leave the amount empty to let the payer choose. Each request gets a fresh address, so payments can be told apart and your history stays private.</source>
        <translation>金额留空则由付款方决定。每个收款请求都用一个新地址，这样既能区分各笔付款，也能保护你的隐私。</translation>
    </message>
    <message>
        <source>Fill in the form and create a request.</source>
        <translation>填写表单并创建收款请求。</translation>
    </message>
    <message>
        <source>Payment link</source>
        <translation>付款链接</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Link:</source>
        <translation>链接：</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <source>any amount</source>
        <translation>金额不限</translation>
    </message>
    <message>
        <source>State: {state}</source>
        <translation>状态：{state}</translation>
    </message>
</context>
<context>
    <name>RequestsModel</name>
    <message>
        <source>Asked in bitcoin.</source>
        <translation>以比特币计价。</translation>
    </message>
    <message>
        <source>Rate locked when it was made: 1 BTC = {price} {code} ({source})</source>
        <translation>创建时锁定的汇率：1 BTC = {price} {code}（{source}）</translation>
    </message>
</context>
<context>
    <name>RequestsTab</name>
    <message>
        <source>Requests move from waiting to seen to confirmed to paid as the sync engine finds payments.</source>
        <translation>同步引擎发现付款后，收款请求会依次从“等待付款”变为“已看到”“已确认”，最后“已付清”。</translation>
    </message>
    <message>
        <source>Payment requests</source>
        <translation>收款请求</translation>
    </message>
    <message>
        <source>Show QR</source>
        <translation>显示二维码</translation>
    </message>
</context>
<context>
    <name>RestorePage</name>
    <message>
        <source>Restore from seed words</source>
        <translation>用助记词恢复</translation>
    </message>
    <message>
        <source>Type your words in order. A few letters are enough; pick the word from the list, or paste the whole phrase into the first field.</source>
        <translation>按顺序输入你的助记词。输入开头几个字母即可，再从列表中选词；也可以把整串助记词粘贴到第一个输入框。</translation>
    </message>
    <message>
        <source>{n} words</source>
        <translation>{n} 个词</translation>
    </message>
    <message>
        <source>Seed &amp;length:</source>
        <translation>助记词长度(&amp;L)：</translation>
    </message>
</context>
<context>
    <name>ReviewDialog</name>
    <message>
        <source>Review payment</source>
        <translation>核对付款</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>收款方：</translation>
    </message>
    <message>
        <source>Pay to:</source>
        <translation>付给：</translation>
    </message>
    <message>
        <source>Amount:</source>
        <translation>金额：</translation>
    </message>
    <message>
        <source>Fee:</source>
        <translation>手续费：</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Change:</source>
        <translation>找零：</translation>
    </message>
    <message>
        <source>Total spent:</source>
        <translation>共计花费：</translation>
    </message>
    <message>
        <source>1 coin</source>
        <translation>1 个币</translation>
    </message>
    <message>
        <source>{n} coins</source>
        <translation>{n} 个币</translation>
    </message>
    <message>
        <source>From coins:</source>
        <translation>使用的币：</translation>
    </message>
    <message>
        <source>Wallet password</source>
        <translation>钱包密码</translation>
    </message>
    <message>
        <source>Sign and send</source>
        <translation>签名并发送</translation>
    </message>
    <message>
        <source>Check this payment</source>
        <translation>核对这笔付款</translation>
    </message>
    <message>
        <source>&amp;Password to sign:</source>
        <translation>签名用的密码(&amp;P)：</translation>
    </message>
    <message>
        <source>This wallet is watch-only: it cannot sign.</source>
        <translation>这是观察钱包：不能签名。</translation>
    </message>
    <message>
        <source>Sending needs the sync engine (to broadcast), and this window is not connected to it. The payment above is built but will not be sent.</source>
        <translation>发送需要同步引擎（用来广播），而这个窗口没有连接它。上面的付款已构建好，但不会被发送。</translation>
    </message>
    <message>
        <source>Signing…</source>
        <translation>正在签名…</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>Sent to every server. Its transaction ID is in History.</source>
        <translation>已发送给所有服务器。交易 ID 可在交易记录中查看。</translation>
    </message>
</context>
<context>
    <name>ScanCodeDialog</name>
    <message>
        <source>Waiting for a code…</source>
        <extracomment>``check(code)``: None to take the code, or a sentence saying why not (scanning goes on)</extracomment>
        <translation>等待二维码…</translation>
    </message>
    <message>
        <source>Reading an animated code…</source>
        <translation>正在读取动态二维码…</translation>
    </message>
    <message>
        <source>{received} of {total} parts</source>
        <translation>第 {received}/{total} 段</translation>
    </message>
</context>
<context>
    <name>ScannerWidget</name>
    <message>
        <source>No camera was found. Connect a camera and press Refresh, or scan from an image file, the clipboard or the screen instead.</source>
        <extracomment>Capture sizes in order of preference. How long a started camera may stay without a picture before the next format is tried. Formats tried before giving up (the best few of the ladder; each may take the timeout). shown translated (context ScannerWidget) where they are shown</extracomment>
        <translation>没有找到摄像头。请连接摄像头后点“刷新”，或改为从图片文件、剪贴板或屏幕扫描。</translation>
    </message>
    <message>
        <source>Paylight is not allowed to use the camera. Allow camera access for Paylight in your system&apos;s privacy settings, then try again.</source>
        <translation>Paylight 没有使用摄像头的权限。请在系统的隐私设置中允许 Paylight 使用摄像头，然后重试。</translation>
    </message>
    <message>
        <source>Scanned a bitcoin payment request.</source>
        <extracomment>The preview is repainted at most this often; decoding is not tied to it.</extracomment>
        <translation>扫描到一个比特币收款请求。</translation>
    </message>
    <message>
        <source>Scanned a bitcoin address.</source>
        <translation>扫描到一个比特币地址。</translation>
    </message>
    <message>
        <source>Scanned a partially signed transaction (PSBT).</source>
        <translation>扫描到一笔部分签名交易（PSBT）。</translation>
    </message>
    <message>
        <source>Scanned a Lightning invoice (not supported by this wallet).</source>
        <translation>扫描到一张闪电网络发票（本钱包不支持）。</translation>
    </message>
    <message>
        <source>Scanned text that is not a bitcoin payment.</source>
        <translation>扫描到的文字不是比特币付款信息。</translation>
    </message>
    <message>
        <source>Scan a QR code</source>
        <translation>扫描二维码</translation>
    </message>
    <message>
        <source>Camera</source>
        <extracomment>parts of an animated code read from pictures (files, clipboard, screen)</extracomment>
        <translation>摄像头</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Open image…</source>
        <translation>打开图片…</translation>
    </message>
    <message>
        <source>Paste image</source>
        <translation>粘贴图片</translation>
    </message>
    <message>
        <source>Scan screen</source>
        <translation>扫描屏幕</translation>
    </message>
    <message>
        <source>&amp;Camera:</source>
        <translation>摄像头(&amp;C)：</translation>
    </message>
    <message>
        <source>Or scan from:</source>
        <translation>或者从这里扫描：</translation>
    </message>
    <message>
        <source>Hold the QR code in front of the camera.</source>
        <translation>请把二维码对准摄像头。</translation>
    </message>
    <message>
        <source>No camera found</source>
        <translation>没有找到摄像头</translation>
    </message>
    <message>
        <source>No camera</source>
        <translation>无摄像头</translation>
    </message>
    <message>
        <source>Starting {source}…</source>
        <translation>正在启动{source}…</translation>
    </message>
    <message>
        <source>Open a picture of a QR code</source>
        <translation>打开二维码图片</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.webp *.bmp *.gif)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.webp *.bmp *.gif)</translation>
    </message>
    <message>
        <source>No QR code was found in {file}. Try a sharper picture.</source>
        <translation>在 {file} 中没有找到二维码。请换一张更清晰的图片。</translation>
    </message>
    <message>
        <source>The clipboard holds no picture with a QR code. Copy an image first.</source>
        <translation>剪贴板里没有带二维码的图片。请先复制一张图片。</translation>
    </message>
    <message>
        <source>No QR code is visible on the screen. If your desktop does not allow screen capture, take a screenshot, copy it and use Paste image.</source>
        <translation>屏幕上看不到二维码。如果你的桌面不允许截取屏幕，请先截图并复制，再点“粘贴图片”。</translation>
    </message>
    <message>
        <source>No picture</source>
        <translation>无画面</translation>
    </message>
    <message>
        <source>waiting for the first part</source>
        <translation>等待第一段</translation>
    </message>
    <message>
        <source>{received} of {total} parts</source>
        <translation>第 {received}/{total} 段</translation>
    </message>
    <message>
        <source>Reading an animated code: {progress}. Keep the camera on it.</source>
        <translation>正在读取动态二维码：{progress}。请让摄像头一直对准它。</translation>
    </message>
    <message>
        <source>Scanned a partially signed transaction (PSBT) ({n} bytes).</source>
        <translation>扫描到一笔部分签名交易（PSBT，{n} 字节）。</translation>
    </message>
    <message>
        <source>Scanned an animated code ({n} bytes).</source>
        <translation>扫描到一个动态二维码（{n} 字节）。</translation>
    </message>
    <message>
        <source>Reading an animated code…</source>
        <translation>正在读取动态二维码…</translation>
    </message>
</context>
<context>
    <name>SeedEntry</name>
    <message>
        <source>Type the {count} words in order; a few letters complete a word.</source>
        <extracomment>&quot;typing&quot;, &quot;bad&quot; (a wrong word or checksum) or &quot;ok&quot; (the phrase holds)</extracomment>
        <translation>请按顺序输入 {count} 个词；输入开头几个字母即可补全。</translation>
    </message>
    <message>
        <source>The checksum does not match: a word is wrong or the words are out of order (every word is in the list).</source>
        <translation>校验和不符：有个词错了，或者顺序不对（每个词都在词表里）。</translation>
    </message>
    <message>
        <source>✓ All words are in the list and the checksum matches.</source>
        <translation>✓ 所有词都在词表里，校验和一致。</translation>
    </message>
    <message>
        <source>{filled} of {count} words entered.</source>
        <translation>已输入 {filled}/{count} 个词。</translation>
    </message>
    <message>
        <source>Word {n}: keep typing…</source>
        <translation>第 {n} 个词：请继续输入…</translation>
    </message>
    <message>
        <source> or </source>
        <translation> 或 </translation>
    </message>
    <message>
        <source>Word {n}, “{word}”, is not in the word list (did you mean {words}?).</source>
        <translation>第 {n} 个词“{word}”不在词表里（你是想输入 {words} 吗？）。</translation>
    </message>
    <message>
        <source>Word {n}, “{word}”, is not in the word list.</source>
        <translation>第 {n} 个词“{word}”不在词表里。</translation>
    </message>
</context>
<context>
    <name>SendTab</name>
    <message>
        <source>Enter an address or a bitcoin: payment link.</source>
        <translation>请输入地址或 bitcoin: 付款链接。</translation>
    </message>
    <message>
        <source>This is a Lightning invoice; Paylight pays on-chain only.</source>
        <translation>这是闪电网络发票；Paylight 只支持链上付款。</translation>
    </message>
    <message>
        <source>This is a PSBT, not a payment address.</source>
        <translation>这是一笔 PSBT，不是付款地址。</translation>
    </message>
    <message>
        <source>This is not a bitcoin address or payment link Paylight can pay.</source>
        <translation>这不是 Paylight 能付款的比特币地址或付款链接。</translation>
    </message>
    <message>
        <source>Pay to</source>
        <translation>收款方</translation>
    </message>
    <message>
        <source>Address or bitcoin: payment link</source>
        <translation>地址或 bitcoin: 付款链接</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>粘贴</translation>
    </message>
    <message>
        <source>Scan…</source>
        <translation>扫描…</translation>
    </message>
    <message>
        <source>Scan a QR code with a camera, or from an image or the screen</source>
        <translation>用摄像头扫描二维码，或从图片、屏幕上扫描</translation>
    </message>
    <message>
        <source>Choose automatically</source>
        <extracomment>Slow / Normal / Fast with time and cost, a custom rate behind them</extracomment>
        <translation>自动选择</translation>
    </message>
    <message>
        <source>Pay to:</source>
        <translation>付给：</translation>
    </message>
    <message>
        <source>&amp;Amount:</source>
        <translation>金额(&amp;A)：</translation>
    </message>
    <message>
        <source>Fee:</source>
        <translation>手续费：</translation>
    </message>
    <message>
        <source>Coins:</source>
        <translation>币：</translation>
    </message>
    <message>
        <source>Review payment…</source>
        <translation>核对付款…</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Create PSBT…</source>
        <translation>创建 PSBT…</translation>
    </message>
    <message>
        <source>An unsigned PSBT of this payment, to sign elsewhere</source>
        <translation>这笔付款的未签名 PSBT，用于在别处签名</translation>
    </message>
    <message>
        <source>Send a payment</source>
        <translation>发送付款</translation>
    </message>
    <message>
        <source>Nothing is sent until you have reviewed the address, the amount, the fee and the change, and entered your password.</source>
        <translation>在你核对地址、金额、手续费和找零并输入密码之前，不会发送任何东西。</translation>
    </message>
    <message>
        <source>A watch-only wallet makes a PSBT for its signer.</source>
        <extracomment>after sending: a ✓ with what was sent, to whom, and the fee, over the whole tab (made on the first payment: the window opens without it)</extracomment>
        <translation>观察钱包会为它的签名设备创建 PSBT。</translation>
    </message>
    <message>
        <source>Pays {address} to “{name}”</source>
        <translation>付款到 {address}，收款方“{name}”</translation>
    </message>
    <message>
        <source>Pays {address}</source>
        <translation>付款到 {address}</translation>
    </message>
    <message>
        <source>asks for {amount}</source>
        <translation>请求 {amount}</translation>
    </message>
    <message>
        <source>Scan a payment QR code</source>
        <translation>扫描付款二维码</translation>
    </message>
    <message>
        <source>Chosen automatically (frozen coins are left out)</source>
        <translation>自动选择（不用已冻结的币）</translation>
    </message>
    <message>
        <source>Only from 1 chosen coin ({amount})</source>
        <translation>只用选中的 1 个币（{amount}）</translation>
    </message>
    <message>
        <source>Only from {n} chosen coins ({amount})</source>
        <translation>只用选中的 {n} 个币（{amount}）</translation>
    </message>
    <message>
        <source>Enter the amount to send.</source>
        <translation>请输入要发送的金额。</translation>
    </message>
    <message>
        <source>This wallet already paid {amount} to this address on {when} (transaction {txid}…). Pay it again?</source>
        <translation>这个钱包已于 {when} 向这个地址付过 {amount}（交易 {txid}…）。要再付一次吗？</translation>
    </message>
    <message>
        <source>({n} payments to it so far.)</source>
        <translation>（迄今已向它付款 {n} 次。）</translation>
    </message>
    <message>
        <source>Paid before</source>
        <translation>曾经付过款</translation>
    </message>
    <message>
        <source>Pay again</source>
        <translation>再付一次</translation>
    </message>
    <message>
        <source>Do not pay</source>
        <translation>不付款</translation>
    </message>
</context>
<context>
    <name>SentPage</name>
    <message>
        <source>Sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>Copy transaction ID</source>
        <translation>复制交易 ID</translation>
    </message>
    <message>
        <source>Every server has it. It counts as paid once it is in a block; History shows when, with its Merkle proof checked here.</source>
        <translation>所有服务器都已收到。进入区块后才算付款完成；交易记录会显示何时完成，并附上在本机核对过的默克尔证明。</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>to &lt;b&gt;{name}&lt;/b&gt;&lt;br&gt;{address}</source>
        <translation>付给 &lt;b&gt;{name}&lt;/b&gt;&lt;br&gt;{address}</translation>
    </message>
    <message>
        <source>to {address}</source>
        <translation>付给 {address}</translation>
    </message>
    <message>
        <source>Fee: {fee}</source>
        <translation>手续费：{fee}</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>Set up Paylight</source>
        <translation>设置 Paylight</translation>
    </message>
    <message>
        <source>The wallet&apos;s keys are not complete; go back and finish them.</source>
        <translation>钱包的密钥还不完整；请返回上一步补全。</translation>
    </message>
    <message>
        <source>Stop setting up?</source>
        <translation>停止设置？</translation>
    </message>
    <message>
        <source>The seed words are not saved anywhere yet. If you stop now they are gone and no wallet is made.</source>
        <translation>助记词还没有保存到任何地方。如果现在停止，它们就会丢失，也不会创建钱包。</translation>
    </message>
    <message>
        <source>Stop and forget the words</source>
        <translation>停止并丢弃这些词</translation>
    </message>
    <message>
        <source>Keep going</source>
        <translation>继续设置</translation>
    </message>
</context>
<context>
    <name>SignerImportPage</name>
    <message>
        <source>Watch a wallet kept on a signer</source>
        <translation>观察保存在签名设备上的钱包</translation>
    </message>
    <message>
        <source>Scan or paste the account your signer exports.</source>
        <translation>扫描或粘贴签名设备导出的账户。</translation>
    </message>
    <message>
        <source>On the signer, show the account&apos;s QR code (often under Export, Connect software wallet, or Sparrow). Scan it, or paste what the signer exports.</source>
        <translation>在签名设备上显示账户的二维码（通常在“导出”“连接软件钱包”或“Sparrow”下）。扫描它，或粘贴签名设备导出的内容。</translation>
    </message>
    <message>
        <source>Scan the signer&apos;s QR code…</source>
        <translation>扫描签名设备的二维码…</translation>
    </message>
    <message>
        <source>The signer&apos;s account export</source>
        <translation>签名设备导出的账户</translation>
    </message>
    <message>
        <source>ur:crypto-account/…, [fingerprint/84h/0h/0h]xpub…, zpub… or a descriptor</source>
        <translation>ur:crypto-account/…、[fingerprint/84h/0h/0h]xpub…、zpub… 或描述符</translation>
    </message>
    <message>
        <source>As the signer says (native SegWit first)</source>
        <translation>按签名设备的说明（优先原生隔离见证）</translation>
    </message>
    <message>
        <source>My signer shows this same fingerprint</source>
        <translation>我的签名设备显示的是同一个指纹</translation>
    </message>
    <message>
        <source>Address type:</source>
        <translation>地址类型：</translation>
    </message>
    <message>
        <source>Master fingerprint:</source>
        <translation>主指纹：</translation>
    </message>
    <message>
        <source>No keys come to this computer: it can watch payments and prepare PSBTs, and the signer signs them.</source>
        <translation>私钥不会来到本机：本机只能观察付款并准备 PSBT，由签名设备来签名。</translation>
    </message>
    <message>
        <source>Scan the signer&apos;s account</source>
        <translation>扫描签名设备的账户</translation>
    </message>
    <message>
        <source>Show the signer&apos;s account QR code to the camera. An animated code is collected part by part; keep it in view until the bar is full.</source>
        <translation>把签名设备的账户二维码对准摄像头。动态二维码会一段一段地收集；请一直对准，直到进度条填满。</translation>
    </message>
    <message>
        <source>not given</source>
        <translation>未提供</translation>
    </message>
    <message>
        <source>Read from: {source}</source>
        <translation>读取自：{source}</translation>
    </message>
    <message>
        <source>Address type: {script}</source>
        <translation>地址类型：{script}</translation>
    </message>
    <message>
        <source>First address: &lt;tt&gt;{address}&lt;/tt&gt;</source>
        <translation>第一个地址：&lt;tt&gt;{address}&lt;/tt&gt;</translation>
    </message>
    <message>
        <source>This export has no master fingerprint to compare; PSBTs will still name the keys, but export the account with its key origin if the signer can.</source>
        <translation>这份导出没有可供对照的主指纹；PSBT 仍会标明密钥，但如果签名设备支持，请连同密钥来源一起导出账户。</translation>
    </message>
    <message>
        <source>Compare the fingerprint above with the one your signer shows (its settings or About screen). They must be the same.</source>
        <translation>请把上面的指纹与签名设备显示的指纹（在其设置或“关于”页面）对照。两者必须相同。</translation>
    </message>
</context>
<context>
    <name>StartPage</name>
    <message>
        <source>Bitcoin (mainnet)</source>
        <translation>比特币（主网）</translation>
    </message>
    <message>
        <source>Regtest (local)</source>
        <translation>Regtest（本地）</translation>
    </message>
    <message>
        <source>My wallet</source>
        <translation>我的钱包</translation>
    </message>
    <message>
        <source>My wallet {n}</source>
        <translation>我的钱包 {n}</translation>
    </message>
    <message>
        <source>Welcome to Paylight</source>
        <translation>欢迎使用 Paylight</translation>
    </message>
    <message>
        <source>A Bitcoin wallet that checks its own payments. Let&apos;s set one up.</source>
        <translation>一个自己核对付款的比特币钱包。我们来设置一个吧。</translation>
    </message>
    <message>
        <source>Create a new wallet (new seed words)</source>
        <translation>创建新钱包（生成新的助记词）</translation>
    </message>
    <message>
        <source>Restore a wallet from its seed words</source>
        <translation>用助记词恢复钱包</translation>
    </message>
    <message>
        <source>Watch a wallet (xpub, zpub or descriptor — no keys here)</source>
        <translation>观察一个钱包（xpub、zpub 或描述符——本机不存私钥）</translation>
    </message>
    <message>
        <source>Watch-only from a signer (scan its QR)</source>
        <translation>从签名设备导入观察钱包（扫描它的二维码）</translation>
    </message>
    <message>
        <source>Try it on a local playground (regtest, with test coins)</source>
        <translation>在本地演练场试用（regtest，附带测试币）</translation>
    </message>
    <message>
        <source>Runs a private regtest chain on this computer, validated by Bitcoin Core&apos;s consensus engine, and sends the new wallet 1 test BTC. Nothing touches a real network.</source>
        <translation>在本机运行一条私有的 regtest 链（由 Bitcoin Core 的共识引擎验证），并给新钱包发送 1 个测试 BTC。完全不接触真实网络。</translation>
    </message>
    <message>
        <source>Wallet &amp;name:</source>
        <translation>钱包名称(&amp;N)：</translation>
    </message>
    <message>
        <source>Net&amp;work:</source>
        <translation>网络(&amp;W)：</translation>
    </message>
    <message>
        <source>A wallet called “{name}” already exists on this network.</source>
        <translation>这个网络上已经有名为“{name}”的钱包。</translation>
    </message>
    <message>
        <source>Give the wallet a name.</source>
        <translation>请给钱包起个名字。</translation>
    </message>
    <message>
        <source>A wallet name has at most {n} characters.</source>
        <translation>钱包名称最多 {n} 个字符。</translation>
    </message>
    <message>
        <source>A wallet name cannot start or end with a space.</source>
        <translation>钱包名称不能以空格开头或结尾。</translation>
    </message>
    <message>
        <source>A wallet name cannot start or end with a dot.</source>
        <translation>钱包名称不能以点号开头或结尾。</translation>
    </message>
    <message>
        <source>A wallet name cannot contain any of &lt; &gt; : &quot; / \ | ? *.</source>
        <translation>钱包名称不能包含 &lt; &gt; : &quot; / \ | ? * 中的任何字符。</translation>
    </message>
</context>
<context>
    <name>TillPages</name>
    <message>
        <source>Close till</source>
        <extracomment>the charge page&apos;s right column at the design size</extracomment>
        <translation>关闭收银台</translation>
    </message>
    <message>
        <source>Leave the till (Ctrl+W)</source>
        <translation>离开收银台（Ctrl+W）</translation>
    </message>
    <message>
        <source>Limits…</source>
        <translation>限额…</translation>
    </message>
    <message>
        <source>The per-sale limit, and what may be handed over before a block</source>
        <translation>每笔收款的上限，以及进入区块前可以交货的金额</translation>
    </message>
    <message>
        <source>Label shown to the customer (optional)</source>
        <translation>给顾客看的标签（可选）</translation>
    </message>
    <message>
        <source>Label shown to the customer</source>
        <translation>给顾客看的标签</translation>
    </message>
    <message>
        <source>Clear (Esc)</source>
        <translation>清除（Esc）</translation>
    </message>
    <message>
        <source>Charge  ⏎</source>
        <translation>收款  ⏎</translation>
    </message>
    <message>
        <source>Payment QR code</source>
        <translation>付款二维码</translation>
    </message>
    <message>
        <source>Payment link</source>
        <translation>付款链接</translation>
    </message>
    <message>
        <source>Copy the payment link</source>
        <translation>复制付款链接</translation>
    </message>
    <message>
        <source>Cancel sale (Esc)</source>
        <translation>取消收款（Esc）</translation>
    </message>
    <message>
        <source>Scan with any Bitcoin wallet. The code holds the address and amount.</source>
        <translation>可用任何比特币钱包扫码。二维码里包含地址和金额。</translation>
    </message>
    <message>
        <source>Details ▸</source>
        <translation>详情 ▸</translation>
    </message>
    <message>
        <source>Receipt QR code</source>
        <translation>收据二维码</translation>
    </message>
    <message>
        <source>The receipt: the payment&apos;s transaction, Merkle proof and block header. Anyone can check it offline (paylight receipt verify).</source>
        <translation>收据：付款的交易、默克尔证明和区块头。任何人都可以离线核对（paylight receipt verify）。</translation>
    </message>
    <message>
        <source>&amp;Save receipt… (Ctrl+S)</source>
        <translation>保存收据(&amp;S)…（Ctrl+S）</translation>
    </message>
    <message>
        <source>Receipt as &amp;QR (Ctrl+R)</source>
        <translation>收据二维码(&amp;Q)（Ctrl+R）</translation>
    </message>
    <message>
        <source>New sale (N)</source>
        <translation>新收款（N）</translation>
    </message>
</context>
<context>
    <name>TillSettingsDialog</name>
    <message>
        <source>Till settings</source>
        <translation>收银台设置</translation>
    </message>
    <message>
        <source>Ask before charging more than</source>
        <translation>收款超过此金额时先询问</translation>
    </message>
    <message>
        <source>Hand over before a block up to</source>
        <translation>进入区块前可交货的上限</translation>
    </message>
    <message>
        <source>Ask before charging more than:</source>
        <translation>收款超过此金额时先询问：</translation>
    </message>
    <message>
        <source>Hand over before a block, up to:</source>
        <translation>进入区块前可交货，上限：</translation>
    </message>
    <message>
        <source>A payment not yet in a block can still be undone by the payer. Up to the amount above (0: never), the till says “OK to hand over” when every check passes: it does not signal replace-by-fee, its fee is at or above the next-block estimate, the coins it spends are in blocks, every server has it, and no other transaction spends the same coins. Otherwise it says “Wait for a block”.</source>
        <translation>尚未进入区块的付款仍可能被付款方撤销。在上面的金额以内（0 表示从不），只有各项检查都通过时，收银台才显示“可以交货”：付款没有标记以费替换，手续费不低于下一个区块的估算，所花的币都已进入区块，每个服务器都收到了它，且没有其他交易花费相同的币。否则显示“请等待区块确认”。</translation>
    </message>
</context>
<context>
    <name>ToolsMenu</name>
    <message>
        <source>T&amp;ools</source>
        <translation>工具(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;PSBT…</source>
        <translation>&amp;PSBT…</translation>
    </message>
    <message>
        <source>Load, show, sign, combine and broadcast partially signed transactions</source>
        <translation>载入、显示、签名、合并和广播部分签名交易</translation>
    </message>
    <message>
        <source>Sign/verify &amp;message…</source>
        <translation>签名/验证消息(&amp;M)…</translation>
    </message>
</context>
<context>
    <name>TxDetailsDialog</name>
    <message>
        <source>Transaction details</source>
        <translation>交易详情</translation>
    </message>
    <message>
        <source>Transaction ID:</source>
        <translation>交易 ID：</translation>
    </message>
    <message>
        <source>Transaction ID</source>
        <translation>交易 ID</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Amount:</source>
        <translation>金额：</translation>
    </message>
    <message>
        <source>First seen:</source>
        <translation>首次发现：</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>大小：</translation>
    </message>
    <message>
        <source>{vsize} vB · {inputs} in · {outputs} out</source>
        <translation>{vsize} vB · {inputs} 个输入 · {outputs} 个输出</translation>
    </message>
    <message>
        <source>Replaced by</source>
        <translation>替换它的交易</translation>
    </message>
    <message>
        <source>Replaced by:</source>
        <translation>被替换为：</translation>
    </message>
    <message>
        <source>Proof</source>
        <translation>证明</translation>
    </message>
</context>
<context>
    <name>VideoFileSource</name>
    <message>
        <source>There is no video file {path}.</source>
        <translation>没有视频文件 {path}。</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>未知错误</translation>
    </message>
    <message>
        <source>Could not play {file}: {reason}.</source>
        <translation>无法播放 {file}：{reason}。</translation>
    </message>
</context>
<context>
    <name>WalletController</name>
    <message>
        <source>This window is not connected to the sync engine, so {what} is not available. Your wallet file is not affected.</source>
        <translation>这个窗口没有连接同步引擎，所以无法{what}。你的钱包文件不受影响。</translation>
    </message>
    <message>
        <source>syncing with servers</source>
        <extracomment>what needs the engine, as NO_ENGINE names it</extracomment>
        <translation>与服务器同步</translation>
    </message>
    <message>
        <source>sending a payment</source>
        <translation>发送付款</translation>
    </message>
    <message>
        <source>The fee is a large share of the amount sent.</source>
        <extracomment>Coins the user picked on the Coins tab (&quot;spend from&quot;); empty means automatic selection. the builder&apos;s unsigned transaction (a PSBT inside), handed back to be signed The review&apos;s warnings (``wallet.account.tx_builder.ReviewWarning`` codes) in the person&apos;s words; the builder&apos;s own sentence, with its figures, follows in small print.</extracomment>
        <translation>手续费占发送金额的比例很高。</translation>
    </message>
    <message>
        <source>The fee rate is above the usual ceiling.</source>
        <translation>费率高于通常的上限。</translation>
    </message>
    <message>
        <source>Some of the coins spent are not in a block yet: this payment cannot confirm before they do.</source>
        <translation>所花的币中有些还没进入区块：在它们确认之前，这笔付款无法确认。</translation>
    </message>
    <message>
        <source>The original payment does not signal that it can be replaced: only nodes that relay any replacement will pass this one on.</source>
        <translation>原付款没有标记为可替换：只有转发任何替换交易的节点才会传播这笔交易。</translation>
    </message>
</context>
<context>
    <name>WatchOnlyPage</name>
    <message>
        <source>Watch a wallet</source>
        <translation>观察钱包</translation>
    </message>
    <message>
        <source>Paste the account&apos;s extended public key (xpub, ypub, zpub, tpub, vpub…) or an output descriptor. This wallet can see payments but not spend them.</source>
        <translation>粘贴账户的扩展公钥（xpub、ypub、zpub、tpub、vpub…）或输出描述符。这个钱包能看到付款，但不能花费。</translation>
    </message>
    <message>
        <source>zpub6r… or wpkh([fingerprint/84h/0h/0h]xpub…/&lt;0;1&gt;/*)</source>
        <translation>zpub6r… 或 wpkh([fingerprint/84h/0h/0h]xpub…/&lt;0;1&gt;/*)</translation>
    </message>
    <message>
        <source>Extended public key or descriptor</source>
        <translation>扩展公钥或描述符</translation>
    </message>
    <message>
        <source>Address &amp;type for xpub/tpub:</source>
        <translation>xpub/tpub 的地址类型(&amp;T)：</translation>
    </message>
    <message>
        <source>This is not an extended public key or descriptor Paylight can read.</source>
        <translation>这不是 Paylight 能识别的扩展公钥或描述符。</translation>
    </message>
    <message>
        <source>First address: {address}</source>
        <translation>第一个地址：{address}</translation>
    </message>
    <message>
        <source>(no change chain in this descriptor)</source>
        <translation>（这个描述符里没有找零链）</translation>
    </message>
</context>
<context>
    <name>WelcomeWindow</name>
    <message>
        <source>Create or restore a wallet…</source>
        <extracomment>How often (seconds) Python hands the GIL between threads. The default 5 ms lets the sync thread&apos;s pure-Python work hold the UI thread up for 5 ms at every handover (and SQLite releases the GIL per row fetched, so a query of n rows can wait n times); at 0.5 ms the UI keeps its frame budget during a big sync (bench/ui_latency.py).</extracomment>
        <translation>创建或恢复钱包…</translation>
    </message>
    <message>
        <source>Open a wallet folder…</source>
        <translation>打开钱包文件夹…</translation>
    </message>
    <message>
        <source>No wallet is open</source>
        <translation>没有打开的钱包</translation>
    </message>
    <message>
        <source>Paylight keeps each wallet in its own folder. Create or restore one, or open a wallet you already have.</source>
        <translation>Paylight 把每个钱包保存在单独的文件夹里。你可以创建或恢复一个钱包，或打开已有的钱包。</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>跟随系统语言</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
</context>
<context>
    <name>Wizard</name>
    <message>
        <source>Native SegWit (P2WPKH, bc1q…) — recommended</source>
        <translation>原生隔离见证（P2WPKH，bc1q…）——推荐</translation>
    </message>
    <message>
        <source>Taproot (P2TR, bc1p…)</source>
        <translation>Taproot（P2TR，bc1p…）</translation>
    </message>
    <message>
        <source>Nested SegWit (P2SH-P2WPKH, 3…)</source>
        <translation>嵌套隔离见证（P2SH-P2WPKH，3…）</translation>
    </message>
    <message>
        <source>Legacy (P2PKH, 1…)</source>
        <translation>传统地址（P2PKH，1…）</translation>
    </message>
</context>
<context>
    <name>WordField</name>
    <message>
        <source>Word {n}</source>
        <translation>第 {n} 个词</translation>
    </message>
</context>
<context>
    <name>Workers</name>
    <message>
        <source>Something went wrong ({kind}); the details are in the log.</source>
        <translation>出错了（{kind}）；详细信息见日志。</translation>
    </message>
</context>
</TS>
