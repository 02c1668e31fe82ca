<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>AddressesTab</name>
    <message>
        <source>Addresses</source>
        <translation>Direcciones</translation>
    </message>
    <message>
        <source>Which addresses</source>
        <translation>Qué direcciones</translation>
    </message>
    <message>
        <source>All addresses</source>
        <translation>Todas las direcciones</translation>
    </message>
    <message>
        <source>Receive</source>
        <translation>Recepción</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Cambio</translation>
    </message>
    <message>
        <source>Copy address</source>
        <translation>Copiar dirección</translation>
    </message>
    <message>
        <source>Addresses are derived ahead of use (gap limit {n}).</source>
        <translation>Las direcciones se generan antes de usarse (límite de hueco: {n}).</translation>
    </message>
</context>
<context>
    <name>AmountEdit</name>
    <message>
        <source>Amount</source>
        <extracomment>the unit box&apos;s data for the local currency (the bitcoin units carry their ``Unit``)</extracomment>
        <translation>Importe</translation>
    </message>
    <message>
        <source>Unit of the amount</source>
        <translation>Unidad del importe</translation>
    </message>
    <message>
        <source>There is no current {code} rate to convert with; type the amount in BTC, or set a rate (View → Local currency).</source>
        <extracomment>the amount as read, under the field as it is typed (&quot;0,5&quot; reads as half a bitcoin)</extracomment>
        <translation>No hay una tasa de {code} actual para convertir; escribe el importe en BTC o fija una tasa (Ver → Moneda local).</translation>
    </message>
</context>
<context>
    <name>AnimatedQRView</name>
    <message>
        <source>BC-UR has no type for a finished transaction; choose BBQr.</source>
        <translation>BC-UR no tiene un tipo para una transacción terminada; elige BBQr.</translation>
    </message>
    <message>
        <source>Animated BC-UR (crypto-psbt)</source>
        <extracomment>the frames of the current settings are all drawn (tests wait for it) the generation being drawn, read by the pool thread (a list: no reference to self) the texts of the current animation, in the order shown how many distinct parts the payload was split into (UR shows mixes of them after)</extracomment>
        <translation>BC-UR animado (crypto-psbt)</translation>
    </message>
    <message>
        <source>Animated BBQr</source>
        <translation>BBQr animado</translation>
    </message>
    <message>
        <source>One QR code (when it fits)</source>
        <translation>Un solo código QR (si cabe)</translation>
    </message>
    <message>
        <source>Most signers (Keystone, Passport, SeedSigner, Jade, Krux) read BC-UR; Coldcard Q reads BBQr. Both read a single code of a small PSBT.</source>
        <translation>La mayoría de los firmantes (Keystone, Passport, SeedSigner, Jade, Krux) leen BC-UR; Coldcard Q lee BBQr. Ambos leen un único código de una PSBT pequeña.</translation>
    </message>
    <message>
        <source>Low (small codes, more frames)</source>
        <translation>Baja (códigos pequeños, más fotogramas)</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>Media</translation>
    </message>
    <message>
        <source>High</source>
        <translation>Alta</translation>
    </message>
    <message>
        <source>Maximum (large codes, few frames)</source>
        <translation>Máxima (códigos grandes, pocos fotogramas)</translation>
    </message>
    <message>
        <source> frames/s</source>
        <translation> fotogramas/s</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausa</translation>
    </message>
    <message>
        <source>Density:</source>
        <translation>Densidad:</translation>
    </message>
    <message>
        <source>Speed:</source>
        <translation>Velocidad:</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reanudar</translation>
    </message>
    <message>
        <source>Nothing to show yet</source>
        <translation>Aún no hay nada que mostrar</translation>
    </message>
    <message>
        <source>Drawing the QR codes…</source>
        <translation>Dibujando los códigos QR…</translation>
    </message>
    <message>
        <source> Choose an animated code.</source>
        <translation> Elige un código animado.</translation>
    </message>
    <message>
        <source>One QR code of {chars} characters (version {version}).</source>
        <translation>Un código QR de {chars} caracteres (versión {version}).</translation>
    </message>
    <message>
        <source>A code this dense is hard to scan: try an animated one.</source>
        <translation>Un código tan denso es difícil de escanear: prueba con uno animado.</translation>
    </message>
    <message>
        <source>BC-UR: {parts} parts of up to {bytes} bytes at {fps} frames per second, then mixes of them, so a camera that missed a few still finishes. Hold the signer&apos;s camera on it until it says it is done.</source>
        <translation>BC-UR: {parts} partes de hasta {bytes} bytes a {fps} fotogramas por segundo, y luego mezclas de ellas, así una cámara que se pierda algunas igual termina. Mantén la cámara del firmante apuntando hasta que diga que terminó.</translation>
    </message>
    <message>
        <source>BBQr: {parts} parts of up to {bytes} bytes at {fps} frames per second, over and over. Hold the signer&apos;s camera on it until it says it is done.</source>
        <translation>BBQr: {parts} partes de hasta {bytes} bytes a {fps} fotogramas por segundo, una y otra vez. Mantén la cámara del firmante apuntando hasta que diga que terminó.</translation>
    </message>
    <message>
        <source>Drawing {done} of {count}…</source>
        <translation>Dibujando {done} de {count}…</translation>
    </message>
</context>
<context>
    <name>BroadcastConfirmation</name>
    <message>
        <source>Broadcast this transaction?</source>
        <translation>¿Difundir esta transacción?</translation>
    </message>
    <message>
        <source>Pay to:</source>
        <translation>Pagar a:</translation>
    </message>
    <message>
        <source>Amount:</source>
        <translation>Importe:</translation>
    </message>
    <message>
        <source>Pays:</source>
        <translation>Paga a:</translation>
    </message>
    <message>
        <source>only this wallet&apos;s own addresses</source>
        <translation>solo direcciones de esta billetera</translation>
    </message>
    <message>
        <source>Change:</source>
        <translation>Cambio:</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconocido</translation>
    </message>
    <message>
        <source>{fee} ({rate} sat/vB, {vsize} vB)</source>
        <translation>{fee} ({rate} sat/vB, {vsize} vB)</translation>
    </message>
    <message>
        <source>UNVERIFIED</source>
        <translation>SIN VERIFICAR</translation>
    </message>
    <message>
        <source>Fee:</source>
        <translation>Comisión:</translation>
    </message>
    <message>
        <source>Total leaving:</source>
        <translation>Total que sale:</translation>
    </message>
    <message>
        <source>Transaction:</source>
        <translation>Transacción:</translation>
    </message>
    <message>
        <source>Broadcast</source>
        <translation>Difundir</translation>
    </message>
    <message>
        <source>Check before sending</source>
        <translation>Revisa antes de enviar</translation>
    </message>
    <message>
        <source>Once broadcast, a transaction cannot be called back.</source>
        <translation>Una vez difundida, una transacción no se puede recuperar.</translation>
    </message>
</context>
<context>
    <name>BumpDialog</name>
    <message>
        <source>Raise the fee</source>
        <translation>Aumentar la comisión</translation>
    </message>
    <message>
        <source>Transaction:</source>
        <translation>Transacción:</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>Tamaño:</translation>
    </message>
    <message>
        <source>Fee now:</source>
        <translation>Comisión actual:</translation>
    </message>
    <message>
        <source>New fee &amp;rate:</source>
        <translation>Nueva tasa de &amp;comisión:</translation>
    </message>
    <message>
        <source>Review…</source>
        <translation>Revisar…</translation>
    </message>
    <message>
        <source>The replacement pays the same people the same amounts; the extra fee comes from your change. You will see the new fee before signing.</source>
        <translation>La transacción de reemplazo paga a las mismas personas los mismos importes; la comisión adicional sale de tu cambio. Verás la nueva comisión antes de firmar.</translation>
    </message>
    <message>
        <source>Next block estimate: {rate}</source>
        <translation>Estimación para el próximo bloque: {rate}</translation>
    </message>
    <message>
        <source>Review the replacement</source>
        <translation>Revisar el reemplazo</translation>
    </message>
</context>
<context>
    <name>CameraSource</name>
    <message>
        <source>It may be in use by another application: close it, or choose another camera.</source>
        <translation>Puede que otra aplicación la esté usando: ciérrala o elige otra cámara.</translation>
    </message>
    <message>
        <source>The camera “{camera}” gives no picture.</source>
        <translation>La cámara «{camera}» no da imagen.</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>error desconocido</translation>
    </message>
    <message>
        <source>The camera “{camera}” could not be started ({reason}).</source>
        <translation>No se pudo iniciar la cámara «{camera}» ({reason}).</translation>
    </message>
</context>
<context>
    <name>CoinsTab</name>
    <message>
        <source>Coins</source>
        <translation>Monedas</translation>
    </message>
    <message>
        <source>Freeze</source>
        <translation>Congelar</translation>
    </message>
    <message>
        <source>Frozen coins are never chosen automatically for a payment.</source>
        <translation>Las monedas congeladas nunca se eligen automáticamente para un pago.</translation>
    </message>
    <message>
        <source>Unfreeze</source>
        <translation>Descongelar</translation>
    </message>
    <message>
        <source>Spend from selected…</source>
        <translation>Pagar con las seleccionadas…</translation>
    </message>
    <message>
        <source>Pay from exactly these coins (coin control).</source>
        <translation>Pagar exactamente con estas monedas (control de monedas).</translation>
    </message>
    <message>
        <source>{n} selected</source>
        <translation>{n} seleccionadas</translation>
    </message>
    <message>
        <source>1 coin</source>
        <translation>1 moneda</translation>
    </message>
    <message>
        <source>{n} coins</source>
        <translation>{n} monedas</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ninguna</translation>
    </message>
</context>
<context>
    <name>ConfirmSeedPage</name>
    <message>
        <source>Check your copy</source>
        <translation>Comprueba tu copia</translation>
    </message>
    <message>
        <source>Type these words from your paper copy.</source>
        <translation>Escribe estas palabras a partir de tu copia en papel.</translation>
    </message>
    <message>
        <source>Word {n}:</source>
        <translation>Palabra {n}:</translation>
    </message>
    <message>
        <source>Word {n} does not match your seed.</source>
        <translation>La palabra {n} no coincide con tu semilla.</translation>
    </message>
</context>
<context>
    <name>ConnectionChoice</name>
    <message>
        <source>“{text}” is not an address: write it as host:port, e.g. 192.168.1.20:8332.</source>
        <translation>«{text}» no es una dirección: escríbela como host:puerto, p. ej. 192.168.1.20:8332.</translation>
    </message>
    <message>
        <source>Give only the RPC user name here; the password is read from PAYLIGHT_CORE_PASSWORD and never stored.</source>
        <translation>Escribe aquí solo el nombre de usuario RPC; la contraseña se lee de PAYLIGHT_CORE_PASSWORD y nunca se guarda.</translation>
    </message>
    <message>
        <source>“{text}” is not a SOCKS5 proxy: write it as socks5://host:port.</source>
        <translation>«{text}» no es un proxy SOCKS5: escríbelo como socks5://host:puerto.</translation>
    </message>
    <message>
        <source>&amp;Private (recommended)</source>
        <extracomment>the servers &quot;Quick&quot; means (the network&apos;s list, or the playground&apos;s own) the peers &quot;Private&quot; means: the network&apos;s own (``p2p://``) or the playground&apos;s</extracomment>
        <translation>&amp;Privada (recomendada)</translation>
    </message>
    <message>
        <source>&amp;Quick</source>
        <translation>&amp;Rápida</translation>
    </message>
    <message>
        <source>Your own &amp;Bitcoin Core node</source>
        <translation>Tu propio nodo &amp;Bitcoin Core</translation>
    </message>
    <message>
        <source>Paylight&apos;s light node talks to Bitcoin&apos;s own network. It downloads a small summary of every block and picks out your payments on this computer: no server learns your addresses.</source>
        <translation>El nodo ligero de Paylight habla directamente con la red de Bitcoin. Descarga un pequeño resumen de cada bloque y busca tus pagos en este equipo: ningún servidor llega a conocer tus direcciones.</translation>
    </message>
    <message>
        <source>Electrum/Esplora servers answer for your addresses at once. Faster for an old wallet, but those servers learn your addresses.</source>
        <translation>Los servidores Electrum/Esplora responden al momento sobre tus direcciones. Es más rápido para una billetera antigua, pero esos servidores conocen tus direcciones.</translation>
    </message>
    <message>
        <source>If you run Bitcoin Core (with -rest=1 and -blockfilterindex=1), Paylight asks it alone: nobody else learns anything.</source>
        <translation>Si tienes tu propio Bitcoin Core (con -rest=1 y -blockfilterindex=1), Paylight solo le pregunta a él: nadie más se entera de nada.</translation>
    </message>
    <message>
        <source>&amp;Also ask Electrum/Esplora servers (quicker, but they learn your addresses)</source>
        <translation>&amp;También preguntar a servidores Electrum/Esplora (más rápido, pero conocen tus direcciones)</translation>
    </message>
    <message>
        <source>Bitcoin Core node</source>
        <translation>Nodo Bitcoin Core</translation>
    </message>
    <message>
        <source>this computer (leave empty), or host:port</source>
        <translation>este equipo (déjalo vacío) o host:puerto</translation>
    </message>
    <message>
        <source>Core&apos;s own .cookie file (leave empty)</source>
        <translation>el archivo .cookie del propio Bitcoin Core (déjalo vacío)</translation>
    </message>
    <message>
        <source>none: log in with the cookie file</source>
        <translation>ninguno: entrar con el archivo .cookie</translation>
    </message>
    <message>
        <source>A&amp;ddress:</source>
        <translation>&amp;Dirección:</translation>
    </message>
    <message>
        <source>Coo&amp;kie file:</source>
        <translation>Archivo coo&amp;kie:</translation>
    </message>
    <message>
        <source>RPC &amp;user:</source>
        <translation>&amp;Usuario RPC:</translation>
    </message>
    <message>
        <source>With an RPC user, the password is read from the environment variable PAYLIGHT_CORE_PASSWORD when Paylight starts; it is never stored.</source>
        <translation>Con un usuario RPC, la contraseña se lee de la variable de entorno PAYLIGHT_CORE_PASSWORD al iniciar Paylight; nunca se guarda.</translation>
    </message>
    <message>
        <source>A new wallet starts from today&apos;s block: it downloads almost nothing until payments arrive.</source>
        <translation>Una billetera nueva empieza en el bloque de hoy: casi no descarga nada hasta que llegan pagos.</translation>
    </message>
    <message>
        <source>A restore downloads one small filter per block since the wallet&apos;s birthday, and the blocks that hold its payments.</source>
        <translation>Al restaurar se descarga un filtro pequeño por cada bloque desde que se empezó a usar la billetera, y los bloques que contienen sus pagos.</translation>
    </message>
    <message>
        <source>A restore from block {birth} checks {blocks} blocks: about {filters} of filters, plus about {block} for each block that holds one of your payments (and about {chance} block(s) that match by chance).</source>
        <translation>Restaurar desde el bloque {birth} revisa {blocks} bloques: unos {filters} de filtros, más unos {block} por cada bloque que contenga uno de tus pagos (y unos {chance} bloque(s) que coinciden por casualidad).</translation>
    </message>
    <message>
        <source>That is a lot for an old wallet: Quick, or your own node, restores it sooner; you can switch later under File → Connection…</source>
        <translation>Es mucho para una billetera antigua: «Rápida», o tu propio nodo, la restaura antes; puedes cambiarlo luego en Archivo → Conexión…</translation>
    </message>
</context>
<context>
    <name>ConnectionDialog</name>
    <message>
        <source>Connection</source>
        <translation>Conexión</translation>
    </message>
    <message>
        <source>Use Tor</source>
        <translation>Usar Tor</translation>
    </message>
    <message>
        <source>O&amp;ff</source>
        <translation>&amp;No usar</translation>
    </message>
    <message>
        <source>&amp;Tor (127.0.0.1:9050)</source>
        <translation>&amp;Tor (127.0.0.1:9050)</translation>
    </message>
    <message>
        <source>Tor B&amp;rowser (127.0.0.1:9150)</source>
        <translation>Navegado&amp;r Tor (127.0.0.1:9150)</translation>
    </message>
    <message>
        <source>&amp;Other SOCKS5 proxy:</source>
        <translation>&amp;Otro proxy SOCKS5:</translation>
    </message>
    <message>
        <source>Tor hides your IP address from the servers and peers Paylight talks to. Addresses ending in .onion only work through it.</source>
        <translation>Tor oculta tu dirección IP a los servidores y nodos con los que habla Paylight. Las direcciones que terminan en .onion solo funcionan a través de Tor.</translation>
    </message>
    <message>
        <source>Write the proxy&apos;s address, e.g. socks5://127.0.0.1:1080.</source>
        <translation>Escribe la dirección del proxy, p. ej. socks5://127.0.0.1:1080.</translation>
    </message>
</context>
<context>
    <name>ConnectionPage</name>
    <message>
        <source>How this wallet connects</source>
        <translation>Cómo se conecta esta billetera</translation>
    </message>
    <message>
        <source>You can change this later under File → Connection…</source>
        <translation>Puedes cambiarlo luego en Archivo → Conexión…</translation>
    </message>
    <message>
        <source>First &amp;used in:</source>
        <translation>Usada por primera &amp;vez en:</translation>
    </message>
    <message>
        <source>I don&apos;t know (check every block)</source>
        <translation>No lo sé (revisar todos los bloques)</translation>
    </message>
</context>
<context>
    <name>CopyLine</name>
    <message>
        <source>Copy</source>
        <translation>Copiar</translation>
    </message>
    <message>
        <source>Copy {what}</source>
        <translation>Copiar {what}</translation>
    </message>
</context>
<context>
    <name>CreatePage</name>
    <message>
        <source>Creating your wallet</source>
        <translation>Creando tu billetera</translation>
    </message>
    <message>
        <source>Each wallet gets its own folder; a seed is stored there encrypted with your password.</source>
        <translation>Cada billetera tiene su propia carpeta; la semilla se guarda allí cifrada con tu contraseña.</translation>
    </message>
    <message>
        <source>Encrypting the seed and deriving the first addresses…</source>
        <translation>Cifrando la semilla y generando las primeras direcciones…</translation>
    </message>
    <message>
        <source>Your wallet “{name}” is ready.</source>
        <translation>Tu billetera «{name}» está lista.</translation>
    </message>
    <message>
        <source>First receive address: {address}</source>
        <translation>Primera dirección para recibir: {address}</translation>
    </message>
    <message>
        <source>Starting the local playground and sending 1 test BTC…</source>
        <translation>Iniciando el entorno de pruebas local y enviando 1 BTC de prueba…</translation>
    </message>
    <message>
        <source>The local playground is running (Electrum {electrum}, Esplora {esplora}) and sent 1 test BTC to this wallet in a new block (transaction {txid}).</source>
        <translation>El entorno de pruebas local está en marcha (Electrum {electrum}, Esplora {esplora}) y envió 1 BTC de prueba a esta billetera en un bloque nuevo (transacción {txid}).</translation>
    </message>
    <message>
        <source>The playground could not start.</source>
        <translation>No se pudo iniciar el entorno de pruebas.</translation>
    </message>
    <message>
        <source>The wallet was not created.</source>
        <translation>No se creó la billetera.</translation>
    </message>
    <message>
        <source>Your wallet is ready</source>
        <translation>Tu billetera está lista</translation>
    </message>
</context>
<context>
    <name>CurrencyDialog</name>
    <message>
        <source>Local currency</source>
        <translation>Moneda local</translation>
    </message>
    <message>
        <source>None (bitcoin only)</source>
        <translation>Ninguna (solo bitcoin)</translation>
    </message>
    <message>
        <source>Ask public price sources</source>
        <translation>Consultar fuentes públicas de precios</translation>
    </message>
    <message>
        <source>mempool.space, Coinbase, Kraken, CoinGecko and blockchain.com, through the connection setting</source>
        <translation>mempool.space, Coinbase, Kraken, CoinGecko y blockchain.com, con el ajuste de conexión</translation>
    </message>
    <message>
        <source>empty: use the sources</source>
        <translation>vacío: usar las fuentes</translation>
    </message>
    <message>
        <source>Price of one bitcoin set by hand</source>
        <translation>Precio de un bitcoin fijado a mano</translation>
    </message>
    <message>
        <source>Ask again</source>
        <translation>Volver a consultar</translation>
    </message>
    <message>
        <source>Show amounts also in:</source>
        <translation>Mostrar los importes también en:</translation>
    </message>
    <message>
        <source>1 BTC costs (set by hand):</source>
        <translation>1 BTC cuesta (fijado a mano):</translation>
    </message>
    <message>
        <source>Rate now:</source>
        <translation>Tasa actual:</translation>
    </message>
    <message>
        <source>The rate is only used to show values and to price amounts typed in the local currency: a request or a till charge locks the rate when it is made. A rate set by hand is for a stall with no connection; it is used until cleared.</source>
        <translation>La tasa solo se usa para mostrar valores y para poner precio a importes escritos en la moneda local: una solicitud o un cobro en caja fija la tasa al crearse. Una tasa fijada a mano es para un puesto sin conexión; se usa hasta que la borres.</translation>
    </message>
</context>
<context>
    <name>Engine</name>
    <message>
        <source>Not connected: the sync engine is not running.</source>
        <translation>Sin conexión: el motor de sincronización no está en marcha.</translation>
    </message>
    <message>
        <source>The till is not running.</source>
        <translation>La caja no está en marcha.</translation>
    </message>
    <message>
        <source>The request tracker is not running.</source>
        <translation>El seguimiento de solicitudes no está en marcha.</translation>
    </message>
    <message>
        <source>The sync engine is not running.</source>
        <translation>El motor de sincronización no está en marcha.</translation>
    </message>
</context>
<context>
    <name>FeeChoice</name>
    <message>
        <source>Slow</source>
        <extracomment>One P2WPKH coin in, a payment and change out: 10.5 + 68 + 2 x 31 vbytes. (choice, confirmation target in blocks)</extracomment>
        <translation>Lenta</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>Fast</source>
        <translation>Rápida</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Personalizada</translation>
    </message>
    <message>
        <source>about a day</source>
        <translation>alrededor de un día</translation>
    </message>
    <message>
        <source>about an hour</source>
        <translation>alrededor de una hora</translation>
    </message>
    <message>
        <source>about 20 minutes</source>
        <translation>alrededor de 20 minutos</translation>
    </message>
    <message>
        <source>The fee of a typical payment: one coin in, the payment and change out</source>
        <translation>La comisión de un pago típico: una moneda de entrada; el pago y el cambio de salida</translation>
    </message>
    <message>
        <source>Custom fee rate</source>
        <translation>Tasa de comisión personalizada</translation>
    </message>
    <message>
        <source>{when} · no estimate from the servers</source>
        <translation>{when} · los servidores no dan estimación</translation>
    </message>
</context>
<context>
    <name>FiatRates</name>
    <message>
        <source>No local currency is shown.</source>
        <extracomment>How often the sources are asked again (milliseconds). A fetched rate older than this (seconds) is not used to price anything.</extracomment>
        <translation>No se muestra ninguna moneda local.</translation>
    </message>
    <message>
        <source>{price} · set by hand</source>
        <translation>{price} · fijada a mano</translation>
    </message>
    <message>
        <source>No {code} rate: set one by hand.</source>
        <translation>No hay tasa de {code}: fija una a mano.</translation>
    </message>
    <message>
        <source>Asking for the {code} rate…</source>
        <translation>Consultando la tasa de {code}…</translation>
    </message>
    <message>
        <source>No {code} rate: {why}</source>
        <translation>No hay tasa de {code}: {why}</translation>
    </message>
    <message>
        <source>{price} · median of {n} sources ({names}) · {age}</source>
        <translation>{price} · mediana de {n} fuentes ({names}) · {age}</translation>
    </message>
    <message>
        <source>{price} · from {names} · {age}</source>
        <translation>{price} · de {names} · {age}</translation>
    </message>
    <message>
        <source>too old to price by</source>
        <translation>demasiado antigua para poner precios</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>ahora mismo</translation>
    </message>
    <message>
        <source>{n} min old</source>
        <translation>hace {n} min</translation>
    </message>
    <message>
        <source>{n} h old</source>
        <translation>hace {n} h</translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <source>Not syncing: no sync engine is attached to this window.</source>
        <extracomment>What the status bar shows before the engine reports (and when no engine is attached); the status line shows it in the person&apos;s language (``wallet.gui.format.engine_message``).</extracomment>
        <translation>Sin sincronizar: esta ventana no tiene motor de sincronización.</translation>
    </message>
    <message>
        <source>Connecting to servers…</source>
        <extracomment>the block source&apos;s state (P2P peers or Bitcoin Core), as :meth:`wallet.sync.runner.SyncRunner.light_node` gives it; None for servers alone Database refreshes asked for by the engine are coalesced over this many milliseconds, so a big sync writing thousands of rows does not redraw every table thousands of times. ... and over this many while a sync is under way (the tables catch up once idle). A request is re-evaluated this long after its expiry time (the clock is in seconds). ... and the next expiry is looked for again at least this often (a request made by the till engine on its own thread, or the system clock changed). the local currency and its rate (``wallet.gui.rates.FiatRates``; none shown if not given); each new transaction keeps the rate of the day it arrived table models (wallet.gui.models) whose visible rows the reader thread prepares changes reported by the engine or made here; and those made here (proven, mined) transactions for the status line, counted again on each refresh</extracomment>
        <translation>Conectando con los servidores…</translation>
    </message>
    <message>
        <source>Starting the local playground…</source>
        <extracomment>the app&apos;s proxy setting, applied when the sync session opens (None: leave it) set before start(): runs on the starting thread and returns the servers to use; a PaylightError it raises becomes the offline status line</extracomment>
        <translation>Iniciando el entorno de pruebas local…</translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation>Conectando</translation>
    </message>
    <message>
        <source>Syncing headers</source>
        <translation>Sincronizando encabezados</translation>
    </message>
    <message>
        <source>Fetching history</source>
        <translation>Obteniendo el historial</translation>
    </message>
    <message>
        <source>Verifying proofs</source>
        <translation>Verificando pruebas</translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation>Al día</translation>
    </message>
    <message>
        <source>Enter an amount.</source>
        <extracomment>the QLocale read last (numbers, dates), and the moments formatted in it the tables&apos; formatters in the locale read last (BTC, sat): called for every cell</extracomment>
        <translation>Escribe un importe.</translation>
    </message>
    <message>
        <source>no mined transactions yet</source>
        <translation>aún no hay transacciones minadas</translation>
    </message>
    <message>
        <source>{proven} of 1 mined transaction proven</source>
        <translation>{proven} de 1 transacción minada, probada</translation>
    </message>
    <message>
        <source>{proven} of {mined} mined transactions proven</source>
        <translation>{proven} de {mined} transacciones minadas, probadas</translation>
    </message>
    <message>
        <source>1 peer</source>
        <translation>1 nodo</translation>
    </message>
    <message>
        <source>{n} peers</source>
        <translation>{n} nodos</translation>
    </message>
    <message>
        <source>1 node</source>
        <translation>1 nodo</translation>
    </message>
    <message>
        <source>{n} nodes</source>
        <translation>{n} nodos</translation>
    </message>
    <message>
        <source>1 server</source>
        <translation>1 servidor</translation>
    </message>
    <message>
        <source>{n} servers</source>
        <translation>{n} servidores</translation>
    </message>
    <message>
        <source>Sync failed: {0}</source>
        <extracomment>Messages the sync layer (English, as for the command line) writes into a status, and the sentence each becomes on screen; what they quote (a server&apos;s or the system&apos;s words) is kept.</extracomment>
        <translation>Falló la sincronización: {0}</translation>
    </message>
    <message>
        <source>Offline: {0}. Retrying in {1} s.</source>
        <translation>Sin conexión: {0}. Nuevo intento en {1} s.</translation>
    </message>
    <message>
        <source>Not syncing: {0}</source>
        <translation>Sin sincronizar: {0}</translation>
    </message>
    <message>
        <source>Offline: no server is reachable</source>
        <extracomment>The longest status line shown; a longer engine message (the reasons every server was dropped, say) is cut, and the whole of it is the line&apos;s tooltip.</extracomment>
        <translation>Sin conexión: no se puede llegar a ningún servidor</translation>
    </message>
    <message>
        <source>Headers {height}</source>
        <translation>Encabezados {height}</translation>
    </message>
    <message>
        <source>No peer left to ask</source>
        <translation>No queda ningún nodo al que preguntar</translation>
    </message>
    <message>
        <source>No server left to ask</source>
        <translation>No queda ningún servidor al que preguntar</translation>
    </message>
</context>
<context>
    <name>Glossary</name>
    <message>
        <source>Confirmation</source>
        <extracomment>term key -&gt; (name, explanation), in the order the glossary lists them.</extracomment>
        <translation>Confirmación</translation>
    </message>
    <message>
        <source>A payment is confirmed once it is in a block of the Bitcoin chain. Each block added after that one is one more confirmation: the more there are, the harder the payment is to undo. Six are usually treated as final.</source>
        <translation>Un pago queda confirmado cuando está en un bloque de la cadena de Bitcoin. Cada bloque que se añade después es una confirmación más: cuantas más hay, más difícil es deshacer el pago. Con seis se suele considerar definitivo.</translation>
    </message>
    <message>
        <source>Proof (Merkle proof)</source>
        <translation>Prueba (prueba de Merkle)</translation>
    </message>
    <message>
        <source>A short list of fingerprints (hashes) that shows a payment is inside a block. Paylight checks it against block headers it verified itself, so you need not take a server&apos;s word that you were paid.</source>
        <translation>Una lista corta de huellas (hashes) que demuestra que un pago está dentro de un bloque. Paylight la comprueba con encabezados de bloque que verificó por sí mismo, así que no tienes que fiarte de lo que diga un servidor sobre si te pagaron.</translation>
    </message>
    <message>
        <source>Unverified</source>
        <translation>Sin verificar</translation>
    </message>
    <message>
        <source>A server says the payment is in a block, but Paylight has not yet checked the proof itself. It does not count as yours until the proof checks out.</source>
        <translation>Un servidor dice que el pago está en un bloque, pero Paylight aún no ha comprobado la prueba por sí mismo. No cuenta como tuyo hasta que la prueba sea correcta.</translation>
    </message>
    <message>
        <source>Mempool</source>
        <translation>Mempool</translation>
    </message>
    <message>
        <source>The waiting room for payments: sent to the network, not yet in a block. A payment there can still be replaced or dropped, so it is not final yet.</source>
        <translation>La sala de espera de los pagos: ya se enviaron a la red, pero aún no están en un bloque. Un pago allí todavía puede reemplazarse o descartarse, así que aún no es definitivo.</translation>
    </message>
    <message>
        <source>RBF (replace-by-fee)</source>
        <translation>RBF (reemplazo por comisión)</translation>
    </message>
    <message>
        <source>A payer can mark a payment as replaceable and later swap it for one paying a higher fee, to speed it up, or paying someone else. Until it is in a block, treat such a payment as not yet received.</source>
        <translation>Quien paga puede marcar un pago como reemplazable y luego cambiarlo por otro con una comisión más alta, para acelerarlo, o que pague a otra persona. Hasta que esté en un bloque, trata ese pago como aún no recibido.</translation>
    </message>
    <message>
        <source>Fee rate</source>
        <translation>Tasa de comisión</translation>
    </message>
    <message>
        <source>What a payment offers the miners per unit of its size, in satoshis per virtual byte (sat/vB). A higher rate gets into a block sooner; the fee is the rate times the payment&apos;s size.</source>
        <translation>Lo que un pago ofrece a los mineros por cada unidad de su tamaño, en satoshis por byte virtual (sat/vB). Con una tasa más alta entra antes en un bloque; la comisión es la tasa por el tamaño del pago.</translation>
    </message>
    <message>
        <source>What&apos;s this?</source>
        <translation>¿Qué es esto?</translation>
    </message>
    <message>
        <source>What is “{term}”?</source>
        <translation>¿Qué es «{term}»?</translation>
    </message>
</context>
<context>
    <name>GlossaryDialog</name>
    <message>
        <source>Glossary</source>
        <translation>Glosario</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <source>No rate was kept when this transaction arrived.</source>
        <extracomment>after every refresh, whether it replaced the table or updated cells in place at most this many changed cells are updated in place; more replace the whole table weak: a view keeps its model alive, and a cycle would leave the model to the garbage collector, which may run (and delete a QObject) on any thread tables swapped in that the reader thread had built (how refreshes were served)</extracomment>
        <translation>No se guardó ninguna tasa cuando llegó esta transacción.</translation>
    </message>
    <message>
        <source>At 1 BTC = {price} {code} ({source}, {when}): the rate when it arrived</source>
        <translation>A 1 BTC = {price} {code} ({source}, {when}): la tasa cuando llegó</translation>
    </message>
</context>
<context>
    <name>HistoryTab</name>
    <message>
        <source>Transactions</source>
        <translation>Transacciones</translation>
    </message>
    <message>
        <source>Details…</source>
        <translation>Detalles…</translation>
    </message>
    <message>
        <source>Raise fee…</source>
        <translation>Aumentar comisión…</translation>
    </message>
    <message>
        <source>Replace an unconfirmed payment of yours (it signals replace-by-fee) with one paying a higher fee, so it is mined sooner.</source>
        <translation>Reemplaza un pago tuyo sin confirmar (que admite reemplazo por comisión) por otro con una comisión más alta, para que se mine antes.</translation>
    </message>
    <message>
        <source>Double-click a transaction to see its Merkle proof and the block header.</source>
        <translation>Haz doble clic en una transacción para ver su prueba de Merkle y el encabezado del bloque.</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <source>Delete the last digit</source>
        <extracomment>The size the till&apos;s fonts and controls are designed at; they scale with the window from it.</extracomment>
        <translation>Borrar el último dígito</translation>
    </message>
    <message>
        <source>Decimal mark</source>
        <translation>Separador decimal</translation>
    </message>
</context>
<context>
    <name>LimitEdit</name>
    <message>
        <source>Unit</source>
        <translation>Unidad</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Home</source>
        <extracomment>a code of :data:`wallet.gui.i18n.LANGUAGES`, or &quot;&quot; for the system&apos;s language the Advanced tabs were shown (True) or hidden</extracomment>
        <translation>Inicio</translation>
    </message>
    <message>
        <source>Receive</source>
        <translation>Recibir</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Enviar</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Historial</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Solicitudes</translation>
    </message>
    <message>
        <source>Coins</source>
        <translation>Monedas</translation>
    </message>
    <message>
        <source>Addresses</source>
        <translation>Direcciones</translation>
    </message>
    <message>
        <source>Light node</source>
        <translation>Nodo ligero</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <extracomment>the tabs for people who want the machinery: shown with View › Advanced</extracomment>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;New or restore wallet…</source>
        <translation>&amp;Nueva billetera o restaurar…</translation>
    </message>
    <message>
        <source>&amp;Open wallet…</source>
        <translation>A&amp;brir billetera…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>&amp;Connection…</source>
        <translation>&amp;Conexión…</translation>
    </message>
    <message>
        <source>&amp;Till</source>
        <translation>&amp;Caja</translation>
    </message>
    <message>
        <source>&amp;Merchant till (full screen)</source>
        <translation>Caja del &amp;comercio (pantalla completa)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>Amounts in &amp;BTC</source>
        <translation>Importes en &amp;BTC</translation>
    </message>
    <message>
        <source>Amounts in &amp;sats</source>
        <translation>Importes en &amp;sats</translation>
    </message>
    <message>
        <source>&amp;Advanced: coins, addresses, light node</source>
        <translation>&amp;Avanzado: monedas, direcciones, nodo ligero</translation>
    </message>
    <message>
        <source>Local &amp;currency…</source>
        <translation>&amp;Moneda local…</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Idioma</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Idioma del sistema</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Ay&amp;uda</translation>
    </message>
    <message>
        <source>&amp;Glossary: words explained</source>
        <translation>&amp;Glosario: palabras explicadas</translation>
    </message>
    <message>
        <source>&amp;Playground</source>
        <translation>&amp;Entorno de pruebas</translation>
    </message>
    <message>
        <source>&amp;Mine a block now</source>
        <translation>&amp;Minar un bloque ahora</translation>
    </message>
    <message>
        <source>A &amp;customer pays the till</source>
        <translation>Un &amp;cliente paga en la caja</translation>
    </message>
    <message>
        <source>The playground&apos;s faucet pays the open sale (or request)</source>
        <translation>El grifo del entorno de pruebas paga la venta abierta (o la solicitud)</translation>
    </message>
    <message>
        <source>Playground</source>
        <translation>Entorno de pruebas</translation>
    </message>
    <message>
        <source>The playground is not running.</source>
        <translation>El entorno de pruebas no está en marcha.</translation>
    </message>
    <message>
        <source>Start a sale at the till (or make a request with an amount) first.</source>
        <translation>Primero empieza una venta en la caja (o crea una solicitud con importe).</translation>
    </message>
</context>
<context>
    <name>MessageDialog</name>
    <message>
        <source>legacy signmessage (BIP137)</source>
        <extracomment>the address types the legacy format has a header for (Taproot has none)</extracomment>
        <translation>signmessage heredado (BIP137)</translation>
    </message>
    <message>
        <source>legacy signmessage (Electrum&apos;s header)</source>
        <translation>signmessage heredado (encabezado de Electrum)</translation>
    </message>
    <message>
        <source>BIP322 simple</source>
        <translation>BIP322 simple</translation>
    </message>
    <message>
        <source>BIP322 full</source>
        <translation>BIP322 completo</translation>
    </message>
    <message>
        <source>Sign or verify a message</source>
        <translation>Firmar o verificar un mensaje</translation>
    </message>
    <message>
        <source>One of this wallet&apos;s addresses, or anyone&apos;s</source>
        <translation>Una dirección de esta billetera, o de cualquiera</translation>
    </message>
    <message>
        <source>The exact text that is signed</source>
        <translation>El texto exacto que se firma</translation>
    </message>
    <message>
        <source>The signature: made here by Sign, or pasted to verify</source>
        <translation>La firma: hecha aquí con Firmar, o pegada para verificarla</translation>
    </message>
    <message>
        <source>BIP322 (simple for SegWit and Taproot)</source>
        <translation>BIP322 (simple para SegWit y Taproot)</translation>
    </message>
    <message>
        <source>Legacy signmessage (BIP137)</source>
        <translation>Signmessage heredado (BIP137)</translation>
    </message>
    <message>
        <source>BIP322 proves any address type. The legacy format is what older services and wallets read; it exists for P2PKH, P2SH-P2WPKH and P2WPKH addresses only.</source>
        <translation>BIP322 sirve para cualquier tipo de dirección. El formato heredado es el que leen servicios y billeteras más antiguos; existe solo para direcciones P2PKH, P2SH-P2WPKH y P2WPKH.</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>Dirección:</translation>
    </message>
    <message>
        <source>Message:</source>
        <translation>Mensaje:</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>Formato:</translation>
    </message>
    <message>
        <source>Signature:</source>
        <translation>Firma:</translation>
    </message>
    <message>
        <source>Wallet password (to sign)</source>
        <translation>Contraseña de la billetera (para firmar)</translation>
    </message>
    <message>
        <source>Sign</source>
        <translation>Firmar</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>Verificar</translation>
    </message>
    <message>
        <source>Copy signature</source>
        <translation>Copiar la firma</translation>
    </message>
    <message>
        <source>Signed message</source>
        <translation>Mensaje firmado</translation>
    </message>
    <message>
        <source>A signature proves that whoever holds an address&apos;s key wrote this exact message. It moves no coins.</source>
        <translation>Una firma demuestra que quien tiene la clave de una dirección escribió exactamente este mensaje. No mueve ninguna moneda.</translation>
    </message>
    <message>
        <source>This wallet is watch-only: sign the message on your signer.</source>
        <translation>Esta billetera es de solo lectura: firma el mensaje en tu firmante.</translation>
    </message>
    <message>
        <source>Signing…</source>
        <translation>Firmando…</translation>
    </message>
    <message>
        <source>Signed. Copy the signature and send it with the message.</source>
        <translation>Firmado. Copia la firma y envíala junto con el mensaje.</translation>
    </message>
    <message>
        <source>Give the address, the message and the signature.</source>
        <translation>Indica la dirección, el mensaje y la firma.</translation>
    </message>
    <message>
        <source>✔ Valid: a {format} signature of this message by {address}.</source>
        <translation>✔ Válida: una firma {format} de este mensaje hecha por {address}.</translation>
    </message>
    <message>
        <source>? Inconclusive ({format}): {reason}</source>
        <translation>? No concluyente ({format}): {reason}</translation>
    </message>
    <message>
        <source>✘ Not valid ({format}): {reason}</source>
        <translation>✘ No válida ({format}): {reason}</translation>
    </message>
    <message>
        <source>Copied the signature.</source>
        <translation>Se copió la firma.</translation>
    </message>
    <message>
        <source>Sign/verify message…</source>
        <translation>Firmar/verificar mensaje…</translation>
    </message>
    <message>
        <source>Copy address</source>
        <translation>Copiar dirección</translation>
    </message>
</context>
<context>
    <name>Models</name>
    <message>
        <source>confirmed</source>
        <extracomment>Colours of trust states (:func:`wallet.gui.theme.text_colour`: readable on the palette); :func:`use_palette_colours` sets them for the application&apos;s palette (each model does when made, on the UI thread; the snapshot reader&apos;s thread only reads them). What one cell shows: text, tooltip, foreground colour (a shared constant, or None). The names of trust states and request states as cells show them.</extracomment>
        <translation>confirmado</translation>
    </message>
    <message>
        <source>unverified</source>
        <translation>sin verificar</translation>
    </message>
    <message>
        <source>unconfirmed</source>
        <translation>sin confirmar</translation>
    </message>
    <message>
        <source>replaced</source>
        <translation>reemplazado</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>en espera</translation>
    </message>
    <message>
        <source>seen</source>
        <translation>visto</translation>
    </message>
    <message>
        <source>paid</source>
        <translation>pagado</translation>
    </message>
    <message>
        <source>overpaid</source>
        <translation>pago de más</translation>
    </message>
    <message>
        <source>underpaid</source>
        <translation>pago de menos</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>vencido</translation>
    </message>
    <message>
        <source>confirmed (proof checked at height {height})</source>
        <translation>confirmado (prueba comprobada a la altura {height})</translation>
    </message>
    <message>
        <source>confirmed · 1 confirmation</source>
        <translation>confirmado · 1 confirmación</translation>
    </message>
    <message>
        <source>confirmed · {n} confirmations</source>
        <translation>confirmado · {n} confirmaciones</translation>
    </message>
    <message>
        <source>unverified (a server says height {height}; only {server} lists it)</source>
        <translation>sin verificar (un servidor dice altura {height}; solo {server} la muestra)</translation>
    </message>
    <message>
        <source>unverified (a server says height {height})</source>
        <translation>sin verificar (un servidor dice altura {height})</translation>
    </message>
    <message>
        <source>unconfirmed (in the mempool; only {server} lists it)</source>
        <translation>sin confirmar (en la mempool; solo {server} la muestra)</translation>
    </message>
    <message>
        <source>unconfirmed (in the mempool)</source>
        <translation>sin confirmar (en la mempool)</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Fecha</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Importe</translation>
    </message>
    <message>
        <source>Value then</source>
        <translation>Valor entonces</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>Etiqueta</translation>
    </message>
    <message>
        <source>Transaction</source>
        <translation>Transacción</translation>
    </message>
    <message>
        <source>change</source>
        <translation>cambio</translation>
    </message>
    <message>
        <source>receive</source>
        <translation>recepción</translation>
    </message>
    <message>
        <source>Coin</source>
        <translation>Moneda</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Dirección</translation>
    </message>
    <message>
        <source>Frozen</source>
        <translation>Congelada</translation>
    </message>
    <message>
        <source>frozen</source>
        <translation>congelada</translation>
    </message>
    <message>
        <source>Chain</source>
        <translation>Cadena</translation>
    </message>
    <message>
        <source>Index</source>
        <translation>Índice</translation>
    </message>
    <message>
        <source>Used</source>
        <translation>Usada</translation>
    </message>
    <message>
        <source>used</source>
        <translation>usada</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>Saldo</translation>
    </message>
    <message>
        <source>nothing paid yet</source>
        <extracomment>What each request state means, in the order a request moves through them (the Requests tab&apos;s footer and the State column&apos;s tooltips).</extracomment>
        <translation>aún no se ha pagado nada</translation>
    </message>
    <message>
        <source>the amount is in the mempool, not yet in a block proven here</source>
        <translation>el importe está en la mempool, aún no en un bloque probado aquí</translation>
    </message>
    <message>
        <source>its Merkle proof checked here, fewer than {depth} confirmations</source>
        <translation>su prueba de Merkle se comprobó aquí; menos de {depth} confirmaciones</translation>
    </message>
    <message>
        <source>{depth} or more confirmations: final</source>
        <translation>{depth} o más confirmaciones: definitivo</translation>
    </message>
    <message>
        <source>paid more than asked, {depth}+ confirmations</source>
        <translation>se pagó más de lo pedido; {depth} o más confirmaciones</translation>
    </message>
    <message>
        <source>less than the amount arrived</source>
        <translation>llegó menos del importe pedido</translation>
    </message>
    <message>
        <source>nothing paid before it expired (later payments do not count)</source>
        <translation>no se pagó nada antes del vencimiento (los pagos posteriores no cuentan)</translation>
    </message>
    <message>
        <source>any amount</source>
        <translation>cualquier importe</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Creada</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Precio</translation>
    </message>
</context>
<context>
    <name>NewSeedPage</name>
    <message>
        <source>Your seed words</source>
        <translation>Tus palabras semilla</translation>
    </message>
    <message>
        <source>Write these words on paper, in order. They are the only way to restore this wallet; Paylight will not show them again.</source>
        <translation>Escribe estas palabras en papel, en orden. Son la única forma de restaurar esta billetera; Paylight no volverá a mostrarlas.</translation>
    </message>
    <message>
        <source>12 words</source>
        <translation>12 palabras</translation>
    </message>
    <message>
        <source>24 words</source>
        <translation>24 palabras</translation>
    </message>
    <message>
        <source>I have written the words down, in order</source>
        <translation>He anotado las palabras, en orden</translation>
    </message>
    <message>
        <source>Anyone who sees these words can take your coins. Never type them into a website or share a photo of them.</source>
        <translation>Cualquiera que vea estas palabras puede quedarse con tus monedas. Nunca las escribas en un sitio web ni compartas una foto de ellas.</translation>
    </message>
</context>
<context>
    <name>NodeTab</name>
    <message>
        <source>Server</source>
        <translation>Servidor</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>Protocolo</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Tip</source>
        <translation>Último bloque</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latencia</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Peticiones</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Último error</translation>
    </message>
    <message>
        <source>connected</source>
        <extracomment>a server&apos;s state as the Status column says it</extracomment>
        <translation>conectado</translation>
    </message>
    <message>
        <source>idle</source>
        <translation>inactivo</translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation>inalcanzable</translation>
    </message>
    <message>
        <source>faulty</source>
        <translation>con fallos</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>cerrado</translation>
    </message>
    <message>
        <source>dropped</source>
        <translation>descartado</translation>
    </message>
    <message>
        <source>Peer</source>
        <extracomment>A server&apos;s state -&gt; its colour&apos;s role (:func:`wallet.gui.theme.text_colour`).</extracomment>
        <translation>Nodo</translation>
    </message>
    <message>
        <source>Offers</source>
        <translation>Ofrece</translation>
    </message>
    <message>
        <source>Best height</source>
        <translation>Último bloque</translation>
    </message>
    <message>
        <source>Ping</source>
        <translation>Ping</translation>
    </message>
    <message>
        <source>Sent us</source>
        <translation>Nos envió</translation>
    </message>
    <message>
        <source>full blocks</source>
        <extracomment>A peer&apos;s service bits (``wallet.p2p.messages.SERVICE_NAMES``) in words.</extracomment>
        <translation>bloques completos</translation>
    </message>
    <message>
        <source>recent blocks</source>
        <translation>bloques recientes</translation>
    </message>
    <message>
        <source>SegWit</source>
        <translation>SegWit</translation>
    </message>
    <message>
        <source>compact filters</source>
        <translation>filtros compactos</translation>
    </message>
    <message>
        <source>bloom filters</source>
        <translation>filtros bloom</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Sincronizar ahora</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ninguna</translation>
    </message>
    <message>
        <source>Verified header height:</source>
        <translation>Altura de encabezados verificada:</translation>
    </message>
    <message>
        <source>Chain starts at:</source>
        <translation>La cadena empieza en:</translation>
    </message>
    <message>
        <source>Forks seen:</source>
        <translation>Bifurcaciones vistas:</translation>
    </message>
    <message>
        <source>Compact filters:</source>
        <translation>Filtros compactos:</translation>
    </message>
    <message>
        <source>Downloaded:</source>
        <translation>Descargado:</translation>
    </message>
    <message>
        <source>Bitcoin Core node:</source>
        <translation>Nodo Bitcoin Core:</translation>
    </message>
    <message>
        <source>Servers</source>
        <translation>Servidores</translation>
    </message>
    <message>
        <source>Peers</source>
        <translation>Nodos conectados</translation>
    </message>
    <message>
        <source>Why it was dropped</source>
        <translation>Por qué se descartó</translation>
    </message>
    <message>
        <source>Server or peer</source>
        <translation>Servidor o nodo</translation>
    </message>
    <message>
        <source>Dropped servers and peers</source>
        <translation>Servidores y nodos descartados</translation>
    </message>
    <message>
        <source>Paylight keeps its own chain of block headers, checks their proof of work, and counts a payment as confirmed only when its Merkle proof leads to one of them. Peers and servers only supply data; one that lies is dropped.</source>
        <translation>Paylight mantiene su propia cadena de encabezados de bloque, comprueba su prueba de trabajo y solo da un pago por confirmado cuando su prueba de Merkle lleva a uno de ellos. Los nodos y servidores solo aportan datos; el que miente queda descartado.</translation>
    </message>
    <message>
        <source>Light node</source>
        <translation>Nodo ligero</translation>
    </message>
    <message>
        <source>Header chain</source>
        <translation>Cadena de encabezados</translation>
    </message>
    <message>
        <source>genesis (every header checked)</source>
        <translation>génesis (se comprobó cada encabezado)</translation>
    </message>
    <message>
        <source>checkpoint at height {height} (built into Paylight)</source>
        <translation>punto de control a la altura {height} (incluido en Paylight)</translation>
    </message>
    <message>
        <source>branch from {parent} up to {tip} ({n} block(s))</source>
        <translation>rama desde {parent} hasta {tip} ({n} bloque(s))</translation>
    </message>
    <message>
        <source>{requests} ({failures} failed)</source>
        <translation>{requests} ({failures} fallidas)</translation>
    </message>
    <message>
        <source>the last tip it claimed, before it was dropped</source>
        <translation>el último bloque que anunció antes de ser descartado</translation>
    </message>
    <message>
        <source>{node} (headers, filters and blocks over REST; sending over RPC)</source>
        <translation>{node} (encabezados, filtros y bloques por REST; envíos por RPC)</translation>
    </message>
    <message>
        <source>connected (misbehaviour score {score})</source>
        <translation>conectado (faltas: {score})</translation>
    </message>
    <message>
        <source>{size} (filters: {filters}, blocks: {blocks})</source>
        <translation>{size} (filtros: {filters}, bloques: {blocks})</translation>
    </message>
    <message>
        <source>not checked yet</source>
        <translation>aún sin comprobar</translation>
    </message>
    <message>
        <source>filter headers to block {height} of {tip}; no filter checked yet</source>
        <translation>encabezados de filtro hasta el bloque {height} de {tip}; aún no se comprobó ningún filtro</translation>
    </message>
    <message>
        <source>filters checked to block {height} of {tip}</source>
        <translation>filtros comprobados hasta el bloque {height} de {tip}</translation>
    </message>
    <message>
        <source>(from block {height}, the wallet&apos;s birthday)</source>
        <translation>(desde el bloque {height}, cuando se empezó a usar la billetera)</translation>
    </message>
    <message>
        <source>filter headers: {headers} · filters: {filters} · blocks: {blocks} · {size} in all</source>
        <translation>encabezados de filtro: {headers} · filtros: {filters} · bloques: {blocks} · {size} en total</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Sincronizar</translation>
    </message>
</context>
<context>
    <name>OptionsPage</name>
    <message>
        <source>Seed options</source>
        <translation>Opciones de la semilla</translation>
    </message>
    <message>
        <source>The defaults suit almost everyone. Change them only if you know you need to.</source>
        <translation>Los valores predeterminados sirven a casi todos. Cámbialos solo si sabes que lo necesitas.</translation>
    </message>
    <message>
        <source>Use a BIP39 passphrase (a 25th word)</source>
        <translation>Usar una frase de contraseña BIP39 (como una palabra número 25)</translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation>&amp;Frase de contraseña:</translation>
    </message>
    <message>
        <source>Passphrase &amp;again:</source>
        <translation>Repite la fr&amp;ase:</translation>
    </message>
    <message>
        <source>Address &amp;type:</source>
        <translation>&amp;Tipo de dirección:</translation>
    </message>
    <message>
        <source>A&amp;ccount:</source>
        <translation>&amp;Cuenta:</translation>
    </message>
    <message>
        <source>First address:</source>
        <translation>Primera dirección:</translation>
    </message>
    <message>
        <source>A passphrase makes a different wallet from the same words: forget it and the coins are gone. It is not stored; you will be asked for it when you pay.</source>
        <translation>Una frase de contraseña crea una billetera distinta con las mismas palabras: si la olvidas, pierdes las monedas. No se guarda; se te pedirá al pagar.</translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation>Las dos frases no coinciden.</translation>
    </message>
</context>
<context>
    <name>OverviewTab</name>
    <message>
        <source>Available</source>
        <translation>Disponible</translation>
    </message>
    <message>
        <source>Money you can spend now: payments this wallet proved itself, and the change of your own payments. Money coming in counts once its proof checks out.</source>
        <translation>Dinero que puedes gastar ya: pagos que esta billetera probó por sí misma y el cambio de tus propios pagos. El dinero que está llegando cuenta cuando su prueba es correcta.</translation>
    </message>
    <message>
        <source>Receive</source>
        <extracomment>the amount in the person&apos;s currency, beside the bitcoin figure (empty until a rate is known: :meth:`set_fiat_text`)</extracomment>
        <translation>Recibir</translation>
    </message>
    <message>
        <source>Show a QR code to get paid</source>
        <translation>Muestra un código QR para cobrar</translation>
    </message>
    <message>
        <source>Pay (scan)</source>
        <translation>Pagar (escanear)</translation>
    </message>
    <message>
        <source>Scan a payment QR code, or paste an address</source>
        <translation>Escanea un código QR de pago o pega una dirección</translation>
    </message>
    <message>
        <source>Till</source>
        <translation>Caja</translation>
    </message>
    <message>
        <source>The merchant till, full screen (Ctrl+T)</source>
        <translation>La caja del comercio, a pantalla completa (Ctrl+T)</translation>
    </message>
    <message>
        <source>A watch-only wallet cannot pay.</source>
        <translation>Una billetera de solo lectura no puede pagar.</translation>
    </message>
    <message>
        <source>Recent activity</source>
        <translation>Actividad reciente</translation>
    </message>
    <message>
        <source>Details: the balance by state, and this wallet</source>
        <translation>Detalles: el saldo por estado y esta billetera</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Sincronizar ahora</translation>
    </message>
    <message>
        <source>Confirmed</source>
        <translation>Confirmado</translation>
    </message>
    <message>
        <source>Proven on this computer: each payment&apos;s Merkle proof was checked against the block headers this wallet verified itself.</source>
        <translation>Probado en este equipo: la prueba de Merkle de cada pago se comprobó con los encabezados de bloque que esta billetera verificó por sí misma.</translation>
    </message>
    <message>
        <source>Unverified</source>
        <translation>Sin verificar</translation>
    </message>
    <message>
        <source>A server says these payments are in a block, but their proofs have not been checked yet. Do not treat them as final.</source>
        <translation>Un servidor dice que estos pagos están en un bloque, pero sus pruebas aún no se han comprobado. No los des por definitivos.</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Pendiente</translation>
    </message>
    <message>
        <source>Seen in the mempool, not yet in any block. They can still be replaced or dropped. Negative while a payment you sent is pending.</source>
        <translation>Vistos en la mempool, aún en ningún bloque. Todavía pueden reemplazarse o descartarse. Es negativo mientras un pago que enviaste está pendiente.</translation>
    </message>
    <message>
        <source>Only the confirmed figure is checked by this wallet. The three are kept apart on purpose: adding them would hide what is not yet proven.</source>
        <translation>Solo la cifra confirmada está comprobada por esta billetera. Las tres se muestran por separado a propósito: sumarlas ocultaría lo que aún no está probado.</translation>
    </message>
    <message>
        <source>watch-only (no keys on this computer)</source>
        <translation>solo lectura (sin claves en este equipo)</translation>
    </message>
    <message>
        <source>seed wallet</source>
        <translation>billetera con semilla</translation>
    </message>
    <message>
        <source>receive keys fingerprint {fingerprint}</source>
        <translation>huella de las claves de recepción {fingerprint}</translation>
    </message>
    <message>
        <source>Compare this fingerprint with the one shown when the wallet was made: if it differs, the wallet&apos;s configuration was changed and its addresses may not be yours.</source>
        <translation>Compara esta huella con la que se mostró al crear la billetera: si es distinta, alguien cambió la configuración y puede que sus direcciones no sean tuyas.</translation>
    </message>
    <message>
        <source>{amount} on its way: it counts once it is confirmed.</source>
        <translation>{amount} en camino: cuenta cuando se confirme.</translation>
    </message>
    <message>
        <source>Nothing on its way.</source>
        <translation>Nada en camino.</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Sincronizar</translation>
    </message>
</context>
<context>
    <name>PasswordPage</name>
    <message>
        <source>Choose a password</source>
        <translation>Elige una contraseña</translation>
    </message>
    <message>
        <source>It encrypts your seed on this computer, and is asked for each time you pay. It is not a backup: the seed words are.</source>
        <translation>Cifra tu semilla en este equipo y se pide cada vez que pagas. No es una copia de seguridad: las palabras semilla sí lo son.</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Contraseña:</translation>
    </message>
    <message>
        <source>&amp;Again:</source>
        <translation>&amp;Repítela:</translation>
    </message>
    <message>
        <source>Use at least {n} characters.</source>
        <translation>Usa al menos {n} caracteres.</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>Las dos contraseñas no coinciden.</translation>
    </message>
</context>
<context>
    <name>PaylightApp</name>
    <message>
        <source>Open a Paylight wallet folder</source>
        <extracomment>makes the sync engine for an opened wallet; None in tests that want no network the local playground: started by the wizard, or again for a playground wallet</extracomment>
        <translation>Abrir una carpeta de billetera de Paylight</translation>
    </message>
    <message>
        <source>Paylight could not open the wallet at {path}.</source>
        <translation>Paylight no pudo abrir la billetera en {path}.</translation>
    </message>
    <message>
        <source>Cannot open wallet</source>
        <translation>No se puede abrir la billetera</translation>
    </message>
    <message>
        <source>The playground is gone</source>
        <translation>El entorno de pruebas ya no existe</translation>
    </message>
</context>
<context>
    <name>PlaygroundSession</name>
    <message>
        <source>The local playground&apos;s saved chain is no longer in {folder}, so this test wallet cannot sync: its coins existed only on that chain. The wallet itself was left as it was. To try Paylight again, create a new wallet with the playground option.</source>
        <extracomment>What a new playground wallet receives from the faucet: 1 BTC, mined into a block. The wallet database setting that marks a playground wallet: {&quot;datadir&quot;, &quot;electrum&quot;, &quot;esplora&quot;, &quot;p2p&quot; (the listeners&apos; ports), &quot;sources&quot; (see :func:`playground_mode`)}. The wizard&apos;s playground mines a block this often (seconds), so a demo payment confirms by itself, as it would on a real chain -- only faster (the window also has &quot;mine a block now&quot;).</extracomment>
        <translation>La cadena guardada del entorno de pruebas local ya no está en {folder}, así que esta billetera de prueba no puede sincronizarse: sus monedas solo existían en esa cadena. La billetera en sí quedó como estaba. Para volver a probar Paylight, crea una billetera nueva con la opción del entorno de pruebas.</translation>
    </message>
</context>
<context>
    <name>PosWindow</name>
    <message>
        <source>Paylight till — {name}</source>
        <extracomment>How long a till&apos;s QR code stays valid: a customer pays at the counter, now. the pages of :attr:`PosWindow.pages`</extracomment>
        <translation>Caja de Paylight — {name}</translation>
    </message>
    <message>
        <source>Type the price in {code}</source>
        <extracomment>the unit typed in: a bitcoin Unit, or the local currency&apos;s amount.Unit</extracomment>
        <translation>Escribe el precio en {code}</translation>
    </message>
    <message>
        <source>New sale · {name}</source>
        <translation>Nueva venta · {name}</translation>
    </message>
    <message>
        <source>There is no current {code} rate to price by: type the price in BTC, or set a rate (Local currency).</source>
        <translation>No hay una tasa de {code} actual para poner precio: escribe el precio en BTC o fija una tasa (Moneda local).</translation>
    </message>
    <message>
        <source>Type the amount to charge.</source>
        <translation>Escribe el importe que vas a cobrar.</translation>
    </message>
    <message>
        <source>Charge {amount}?</source>
        <translation>¿Cobrar {amount}?</translation>
    </message>
    <message>
        <source>{amount} is more than this till&apos;s limit of {limit} a sale. Charge it anyway?</source>
        <translation>{amount} supera el límite de esta caja de {limit} por venta. ¿Cobrarlo de todos modos?</translation>
    </message>
    <message>
        <source>Charge it</source>
        <translation>Cobrarlo</translation>
    </message>
    <message>
        <source>Change the amount</source>
        <translation>Cambiar el importe</translation>
    </message>
    <message>
        <source>A payment for this sale was seen but is not in a block yet. Stop following it and start a new sale? (It stays in the wallet&apos;s requests.)</source>
        <translation>Se vio un pago para esta venta, pero aún no está en un bloque. ¿Dejar de seguirlo y empezar una venta nueva? (Sigue en las solicitudes de la billetera.)</translation>
    </message>
    <message>
        <source>Cancel this sale? Its QR code will no longer be shown (a payment made to it later still arrives in the wallet).</source>
        <translation>¿Cancelar esta venta? Su código QR dejará de mostrarse (un pago que se haga después igual llega a la billetera).</translation>
    </message>
    <message>
        <source>Abandon this sale?</source>
        <translation>¿Abandonar esta venta?</translation>
    </message>
    <message>
        <source>Abandon it</source>
        <translation>Abandonarla</translation>
    </message>
    <message>
        <source>Keep waiting</source>
        <translation>Seguir esperando</translation>
    </message>
    <message>
        <source>Close the till?</source>
        <translation>¿Cerrar la caja?</translation>
    </message>
    <message>
        <source>A sale is open. Close the till and stop following it?</source>
        <translation>Hay una venta abierta. ¿Cerrar la caja y dejar de seguirla?</translation>
    </message>
    <message>
        <source>Close the till</source>
        <translation>Cerrar la caja</translation>
    </message>
    <message>
        <source>Keep the till open</source>
        <translation>Dejar la caja abierta</translation>
    </message>
    <message>
        <source>OK to hand over</source>
        <translation>Puedes entregar</translation>
    </message>
    <message>
        <source>Wait for a block</source>
        <translation>Espera a un bloque</translation>
    </message>
    <message>
        <source>{amount} seen, not in a block yet. It counts once its block&apos;s proof checks out.</source>
        <translation>Se vieron {amount}, aún no en un bloque. Cuenta cuando la prueba de su bloque sea correcta.</translation>
    </message>
    <message>
        <source>In a block, its Merkle proof checked here ({n} confirmation(s)).</source>
        <translation>En un bloque; su prueba de Merkle se comprobó aquí ({n} confirmación(es)).</translation>
    </message>
    <message>
        <source>{amount} more than asked.</source>
        <translation>{amount} más de lo pedido.</translation>
    </message>
    <message>
        <source>Rate locked for this sale: {price} ({source}).</source>
        <translation>Tasa fijada para esta venta: {price} ({source}).</translation>
    </message>
    <message>
        <source>{amount} still missing: the code asks for it.</source>
        <translation>Faltan {amount}: el código los pide.</translation>
    </message>
    <message>
        <source>The code is valid for {n} more minute(s).</source>
        <translation>El código vale {n} minuto(s) más.</translation>
    </message>
    <message>
        <source>Details ▾</source>
        <translation>Detalles ▾</translation>
    </message>
    <message>
        <source>Details ▸</source>
        <translation>Detalles ▸</translation>
    </message>
    <message>
        <source>Received {amount}</source>
        <translation>Recibido: {amount}</translation>
    </message>
    <message>
        <source>There is no confirmed payment to make a receipt of yet.</source>
        <translation>Aún no hay ningún pago confirmado del que hacer un recibo.</translation>
    </message>
    <message>
        <source>A receipt needs the light node&apos;s header chain, which is not open.</source>
        <translation>Un recibo necesita la cadena de encabezados del nodo ligero, que no está abierta.</translation>
    </message>
    <message>
        <source>No confirmed payment covers this charge.</source>
        <translation>Ningún pago confirmado cubre este cobro.</translation>
    </message>
    <message>
        <source>Save receipt</source>
        <translation>Guardar recibo</translation>
    </message>
    <message>
        <source>Receipts (*.json)</source>
        <translation>Recibos (*.json)</translation>
    </message>
    <message>
        <source>✓ Receipt as &amp;QR (Ctrl+R)</source>
        <translation>✓ Recibo como &amp;QR (Ctrl+R)</translation>
    </message>
    <message>
        <source>Receipt as &amp;QR (Ctrl+R)</source>
        <translation>Recibo como &amp;QR (Ctrl+R)</translation>
    </message>
    <message>
        <source>Waiting for payment…</source>
        <extracomment>the colour roles of the till&apos;s states (``wallet.gui.theme``: text_colour for text on the window, fill_colour for a banner with white text), readable on any palette</extracomment>
        <translation>Esperando el pago…</translation>
    </message>
    <message>
        <source>Payment seen</source>
        <translation>Pago visto</translation>
    </message>
    <message>
        <source>Underpaid</source>
        <translation>Pago incompleto</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Pagado</translation>
    </message>
    <message>
        <source>Paid — more than asked</source>
        <translation>Pagado: más de lo pedido</translation>
    </message>
    <message>
        <source>Expired — start a new sale</source>
        <translation>Vencido: empieza una venta nueva</translation>
    </message>
    <message>
        <source>this till waits for a block for every payment</source>
        <extracomment>what the policy&apos;s reasons say, by code (``wallet.payments.risk.Reason``)</extracomment>
        <translation>esta caja espera a un bloque para cada pago</translation>
    </message>
    <message>
        <source>the amount is above what this till hands over before a block</source>
        <translation>el importe supera lo que esta caja entrega antes de un bloque</translation>
    </message>
    <message>
        <source>the servers have not been asked about it yet</source>
        <translation>aún no se ha preguntado a los servidores por él</translation>
    </message>
    <message>
        <source>another transaction spends the same coins</source>
        <translation>otra transacción gasta las mismas monedas</translation>
    </message>
    <message>
        <source>it signals replace-by-fee: the payer can still replace it</source>
        <translation>admite reemplazo por comisión: quien paga aún puede reemplazarlo</translation>
    </message>
    <message>
        <source>its fee is unknown</source>
        <translation>su comisión es desconocida</translation>
    </message>
    <message>
        <source>there is no next-block fee estimate to compare with</source>
        <translation>no hay estimación de comisión para el próximo bloque con la que comparar</translation>
    </message>
    <message>
        <source>its fee is below the next-block estimate</source>
        <translation>su comisión está por debajo de la estimación para el próximo bloque</translation>
    </message>
    <message>
        <source>it spends coins that are not in a block yet</source>
        <translation>gasta monedas que aún no están en un bloque</translation>
    </message>
    <message>
        <source>no server could be asked whether it has it</source>
        <translation>no se pudo preguntar a ningún servidor si lo tiene</translation>
    </message>
    <message>
        <source>not every server has it</source>
        <translation>no todos los servidores lo tienen</translation>
    </message>
    <message>
        <source>only {checked} of the {total} other payments to the same addresses were checked for a conflict</source>
        <translation>solo se comprobó si hay conflicto con {checked} de los {total} otros pagos a las mismas direcciones</translation>
    </message>
    <message>
        <source>not every check could be made: {detail}</source>
        <translation>no se pudieron hacer todas las comprobaciones: {detail}</translation>
    </message>
    <message>
        <source>transaction {txid}…</source>
        <translation>transacción {txid}…</translation>
    </message>
    <message>
        <source>a server says it is in block {height}: no longer unconfirmed</source>
        <translation>un servidor dice que está en el bloque {height}: ya no está sin confirmar</translation>
    </message>
    <message>
        <source>RBF (replace-by-fee) signalled: the payer can replace it</source>
        <translation>admite RBF (reemplazo por comisión): quien paga puede reemplazarla</translation>
    </message>
    <message>
        <source>RBF (replace-by-fee) not signalled</source>
        <translation>no admite RBF (reemplazo por comisión)</translation>
    </message>
    <message>
        <source>fee unknown (a spent coin could not be fetched)</source>
        <translation>comisión desconocida (no se pudo obtener una moneda gastada)</translation>
    </message>
    <message>
        <source>fee {fee} sat, {rate} sat/vB</source>
        <translation>comisión {fee} sat, {rate} sat/vB</translation>
    </message>
    <message>
        <source>below the next-block estimate of {rate}</source>
        <translation>por debajo de la estimación para el próximo bloque, {rate}</translation>
    </message>
    <message>
        <source>at or above the next-block estimate of {rate}</source>
        <translation>a la altura de la estimación para el próximo bloque, {rate}, o por encima</translation>
    </message>
    <message>
        <source>{n} unconfirmed parent(s): it cannot confirm before them</source>
        <translation>{n} transacción(es) previa(s) sin confirmar: no puede confirmarse antes que ellas</translation>
    </message>
    <message>
        <source>parents: all in blocks</source>
        <translation>transacciones previas: todas en bloques</translation>
    </message>
    <message>
        <source>seen by {seen} of {asked} servers</source>
        <translation>la vieron {seen} de {asked} servidores</translation>
    </message>
    <message>
        <source>another transaction, {txid}…, spends the same coins</source>
        <translation>otra transacción, {txid}…, gasta las mismas monedas</translation>
    </message>
    <message>
        <source>no conflicting payment seen</source>
        <translation>no se vio ningún pago en conflicto</translation>
    </message>
    <message>
        <source>{txid}: the server says it is in block {height}; proof being checked</source>
        <translation>{txid}: el servidor dice que está en el bloque {height}; se está comprobando la prueba</translation>
    </message>
    <message>
        <source>{txid} signals replace-by-fee: the payer can still replace it</source>
        <translation>{txid} admite reemplazo por comisión: quien paga aún puede reemplazarlo</translation>
    </message>
    <message>
        <source>{txid} does not signal replace-by-fee</source>
        <translation>{txid} no admite reemplazo por comisión</translation>
    </message>
    <message>
        <source>spends {n} unconfirmed parent(s)</source>
        <translation>gasta {n} transacción(es) previa(s) sin confirmar</translation>
    </message>
    <message>
        <source>{vsize} vB · first seen {time}</source>
        <translation>{vsize} vB · visto por primera vez a las {time}</translation>
    </message>
    <message>
        <source>{txid}… was replaced by the payer</source>
        <translation>quien paga reemplazó {txid}…</translation>
    </message>
</context>
<context>
    <name>PreviewView</name>
    <message>
        <source>No picture</source>
        <translation>Sin imagen</translation>
    </message>
</context>
<context>
    <name>ProofReport</name>
    <message>
        <source>Not in a block yet: there is no proof to show.</source>
        <translation>Aún no está en un bloque: no hay prueba que mostrar.</translation>
    </message>
    <message>
        <source>A server says this transaction is in the block at height {height}.
No Merkle proof has been checked yet, so it is not counted as confirmed.</source>
        <translation>Un servidor dice que esta transacción está en el bloque de altura {height}.
Aún no se ha comprobado ninguna prueba de Merkle, así que no cuenta como confirmada.</translation>
    </message>
    <message>
        <source>This transaction was replaced; it no longer counts.</source>
        <translation>Esta transacción fue reemplazada; ya no cuenta.</translation>
    </message>
    <message>
        <source>Block height:</source>
        <translation>Altura del bloque:</translation>
    </message>
    <message>
        <source>Block hash:</source>
        <translation>Hash del bloque:</translation>
    </message>
    <message>
        <source>Position:</source>
        <translation>Posición:</translation>
    </message>
    <message>
        <source>Verified at:</source>
        <translation>Verificada el:</translation>
    </message>
    <message>
        <source>Merkle branch ({n} hashes, leaf to root):</source>
        <translation>Rama de Merkle ({n} hashes, de la hoja a la raíz):</translation>
    </message>
    <message>
        <source>Root from branch: {root}</source>
        <translation>Raíz según la rama: {root}</translation>
    </message>
    <message>
        <source>The stored branch does not hash up: {reason}</source>
        <translation>La rama guardada no lleva a una raíz válida: {reason}</translation>
    </message>
    <message>
        <source>The header at this height is in the light node&apos;s header store, which the sync engine opens; this window has no engine running yet.</source>
        <translation>El encabezado de esta altura está en el almacén de encabezados del nodo ligero, que abre el motor de sincronización; esta ventana aún no tiene el motor en marcha.</translation>
    </message>
    <message>
        <source>Header it was checked against:</source>
        <translation>Encabezado con el que se comprobó:</translation>
    </message>
    <message>
        <source>hash</source>
        <translation>hash</translation>
    </message>
    <message>
        <source>previous</source>
        <translation>anterior</translation>
    </message>
    <message>
        <source>merkle root</source>
        <translation>raíz de Merkle</translation>
    </message>
    <message>
        <source>time</source>
        <translation>hora</translation>
    </message>
    <message>
        <source>bits</source>
        <translation>bits</translation>
    </message>
    <message>
        <source>raw</source>
        <translation>en bruto</translation>
    </message>
    <message>
        <source>WARNING: the header now at this height is another block (a reorg?).</source>
        <translation>ATENCIÓN: el encabezado que ahora está a esta altura es otro bloque (¿una reorganización?).</translation>
    </message>
    <message>
        <source>The branch leads to this header&apos;s merkle root: the proof holds.</source>
        <translation>La rama lleva a la raíz de Merkle de este encabezado: la prueba es válida.</translation>
    </message>
    <message>
        <source>WARNING: the branch does not lead to this header&apos;s merkle root.</source>
        <translation>ATENCIÓN: la rama no lleva a la raíz de Merkle de este encabezado.</translation>
    </message>
</context>
<context>
    <name>PsbtDetails</name>
    <message>
        <source>Signed transaction, ready to broadcast</source>
        <translation>Transacción firmada, lista para difundir</translation>
    </message>
    <message>
        <source>Signed PSBT, ready to finalize</source>
        <translation>PSBT firmada, lista para finalizar</translation>
    </message>
    <message>
        <source>Partly signed PSBT</source>
        <translation>PSBT firmada en parte</translation>
    </message>
    <message>
        <source>Unsigned PSBT</source>
        <translation>PSBT sin firmar</translation>
    </message>
    <message>
        <source>{signed} of {count} inputs signed</source>
        <translation>{signed} de {count} entradas firmadas</translation>
    </message>
    <message>
        <source>Transaction:</source>
        <translation>Transacción:</translation>
    </message>
    <message>
        <source>Signatures:</source>
        <translation>Firmas:</translation>
    </message>
    <message>
        <source>Pays others:</source>
        <translation>Paga a otros:</translation>
    </message>
    <message>
        <source>Fee:</source>
        <translation>Comisión:</translation>
    </message>
    <message>
        <source>Fee rate:</source>
        <translation>Tasa de comisión:</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Dirección</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Importe</translation>
    </message>
    <message>
        <source>Amount from</source>
        <translation>Importe según</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>Firmada</translation>
    </message>
    <message>
        <source>Coin</source>
        <translation>Moneda</translation>
    </message>
    <message>
        <source>Whose</source>
        <translation>De quién</translation>
    </message>
    <message>
        <source>Inputs</source>
        <translation>Entradas</translation>
    </message>
    <message>
        <source>Outputs</source>
        <translation>Salidas</translation>
    </message>
    <message>
        <source>Spends:</source>
        <translation>Gasta:</translation>
    </message>
    <message>
        <source>Pays:</source>
        <translation>Paga a:</translation>
    </message>
    <message>
        <source>unknown (an input&apos;s amount is missing)</source>
        <translation>desconocida (falta el importe de una entrada)</translation>
    </message>
    <message>
        <source>{fee} — UNVERIFIED</source>
        <translation>{fee}: SIN VERIFICAR</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconocido</translation>
    </message>
    <message>
        <source>{vsize} vB</source>
        <translation>{vsize} vB</translation>
    </message>
    <message>
        <source>about {vsize} vB once signed</source>
        <translation>unos {vsize} vB una vez firmada</translation>
    </message>
    <message>
        <source>{rate} sat/vB ({size})</source>
        <translation>{rate} sat/vB ({size})</translation>
    </message>
    <message>
        <source>final</source>
        <translation>final</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>sí</translation>
    </message>
    <message>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <source>The PSBT lies about the amount spent by input(s) {inputs}: it contradicts the transaction that made the coin. It will not be signed.</source>
        <translation>La PSBT miente sobre el importe que gasta(n) la(s) entrada(s) {inputs}: contradice la transacción que creó la moneda. No se firmará.</translation>
    </message>
    <message>
        <source>The amount spent by input(s) {inputs} is UNVERIFIED: only the PSBT states it, and a SegWit signature does not commit to the other inputs&apos; amounts, so the fee may be higher than shown. Signing asks you to accept this.</source>
        <translation>El importe que gasta(n) la(s) entrada(s) {inputs} está SIN VERIFICAR: solo lo dice la PSBT, y una firma SegWit no se compromete con los importes de las demás entradas, así que la comisión puede ser mayor que la mostrada. Al firmar se te pedirá que lo aceptes.</translation>
    </message>
    <message>
        <source>verified: the wallet&apos;s records</source>
        <translation>verificado: registros de la billetera</translation>
    </message>
    <message>
        <source>verified: the full previous transaction</source>
        <translation>verificado: la transacción anterior completa</translation>
    </message>
    <message>
        <source>committed by Taproot (BIP341)</source>
        <translation>comprometido por Taproot (BIP341)</translation>
    </message>
    <message>
        <source>UNVERIFIED: only the PSBT says so</source>
        <translation>SIN VERIFICAR: solo lo dice la PSBT</translation>
    </message>
    <message>
        <source>unknown: the PSBT does not say</source>
        <translation>desconocido: la PSBT no lo dice</translation>
    </message>
    <message>
        <source>CONTRADICTED: the PSBT lies</source>
        <translation>CONTRADICHO: la PSBT miente</translation>
    </message>
    <message>
        <source>change (this wallet)</source>
        <translation>cambio (esta billetera)</translation>
    </message>
    <message>
        <source>this wallet</source>
        <translation>esta billetera</translation>
    </message>
    <message>
        <source>external</source>
        <translation>externa</translation>
    </message>
</context>
<context>
    <name>PsbtDialog</name>
    <message>
        <source>PSBT — partially signed transaction</source>
        <extracomment>a transaction was broadcast (its txid in hex)</extracomment>
        <translation>PSBT: transacción parcialmente firmada</translation>
    </message>
    <message>
        <source>No PSBT loaded</source>
        <translation>No hay ninguna PSBT cargada</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>Cargar</translation>
    </message>
    <message>
        <source>Combine with</source>
        <translation>Combinar con</translation>
    </message>
    <message>
        <source>Merge the signatures of another copy of this PSBT (signed elsewhere).</source>
        <translation>Une las firmas de otra copia de esta PSBT (firmada en otro sitio).</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Detalles</translation>
    </message>
    <message>
        <source>Show as QR code</source>
        <translation>Mostrar como código QR</translation>
    </message>
    <message>
        <source>Save to file…</source>
        <translation>Guardar en un archivo…</translation>
    </message>
    <message>
        <source>Copy to clipboard</source>
        <translation>Copiar al portapapeles</translation>
    </message>
    <message>
        <source>Show QR code</source>
        <translation>Mostrar código QR</translation>
    </message>
    <message>
        <source>Export:</source>
        <translation>Exportar:</translation>
    </message>
    <message>
        <source>Open a file…</source>
        <translation>Abrir un archivo…</translation>
    </message>
    <message>
        <source>Paste from the clipboard</source>
        <translation>Pegar del portapapeles</translation>
    </message>
    <message>
        <source>Open QR pictures…</source>
        <translation>Abrir imágenes de QR…</translation>
    </message>
    <message>
        <source>Scan with the camera…</source>
        <translation>Escanear con la cámara…</translation>
    </message>
    <message>
        <source>Sign</source>
        <translation>Firmar</translation>
    </message>
    <message>
        <source>Wallet password</source>
        <translation>Contraseña de la billetera</translation>
    </message>
    <message>
        <source>Sign although amounts are unverified (the fee may be higher than shown)</source>
        <translation>Firmar aunque los importes estén sin verificar (la comisión puede ser mayor que la mostrada)</translation>
    </message>
    <message>
        <source>I accept the fee warnings above</source>
        <translation>Acepto las advertencias de comisión de arriba</translation>
    </message>
    <message>
        <source>This wallet is watch-only: it holds no keys. Show the QR code to your signer (or save the file for it), then load the signed PSBT back here with Load → Scan with the camera.</source>
        <translation>Esta billetera es de solo lectura: no tiene claves. Muestra el código QR a tu firmante (o guarda el archivo para él) y luego vuelve a cargar aquí la PSBT firmada con Cargar → Escanear con la cámara.</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Terminar</translation>
    </message>
    <message>
        <source>Finalize</source>
        <translation>Finalizar</translation>
    </message>
    <message>
        <source>Turn the signed PSBT into the network transaction.</source>
        <translation>Convierte la PSBT firmada en la transacción para la red.</translation>
    </message>
    <message>
        <source>Broadcast…</source>
        <translation>Difundir…</translation>
    </message>
    <message>
        <source>Broadcasting needs the sync engine, and this window is not connected.</source>
        <translation>Para difundir hace falta el motor de sincronización y esta ventana no está conectada.</translation>
    </message>
    <message>
        <source>Loaded a PSBT with {inputs} input(s).</source>
        <translation>Se cargó una PSBT con {inputs} entrada(s).</translation>
    </message>
    <message>
        <source>These PSBTs cannot be combined: {why}</source>
        <translation>Estas PSBT no se pueden combinar: {why}</translation>
    </message>
    <message>
        <source>Combined: {state}.</source>
        <translation>Combinadas: {state}.</translation>
    </message>
    <message>
        <source>Reading {name}…</source>
        <translation>Leyendo {name}…</translation>
    </message>
    <message>
        <source>Open a PSBT</source>
        <translation>Abrir una PSBT</translation>
    </message>
    <message>
        <source>PSBT files (*.psbt *.txt *.b64);;All files (*)</source>
        <translation>Archivos PSBT (*.psbt *.txt *.b64);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Open pictures of the PSBT&apos;s QR code</source>
        <translation>Abrir imágenes del código QR de la PSBT</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.webp *.bmp *.gif)</source>
        <translation>Imágenes (*.png *.jpg *.jpeg *.webp *.bmp *.gif)</translation>
    </message>
    <message>
        <source>Reading {count} picture(s)…</source>
        <translation>Leyendo {count} imagen(es)…</translation>
    </message>
    <message>
        <source>The clipboard holds neither a PSBT nor a picture of its code.</source>
        <translation>El portapapeles no tiene ni una PSBT ni una imagen de su código.</translation>
    </message>
    <message>
        <source>Scan a PSBT</source>
        <translation>Escanear una PSBT</translation>
    </message>
    <message>
        <source>Show the signer&apos;s QR code to the camera. An animated code is collected part by part, in any order; keep it in view until the bar is full.</source>
        <translation>Muestra el código QR del firmante a la cámara. Un código animado se recoge parte por parte, en cualquier orden; mantenlo a la vista hasta que la barra se llene.</translation>
    </message>
    <message>
        <source>Copied the PSBT (base64) to the clipboard.</source>
        <translation>Se copió la PSBT (base64) al portapapeles.</translation>
    </message>
    <message>
        <source>Save the PSBT</source>
        <translation>Guardar la PSBT</translation>
    </message>
    <message>
        <source>PSBT file (*.psbt);;Base64 text (*.txt)</source>
        <translation>Archivo PSBT (*.psbt);;Texto base64 (*.txt)</translation>
    </message>
    <message>
        <source>Cannot write {path}: {why}</source>
        <translation>No se puede escribir {path}: {why}</translation>
    </message>
    <message>
        <source>Saved the PSBT to {path}.</source>
        <translation>Se guardó la PSBT en {path}.</translation>
    </message>
    <message>
        <source>This PSBT lies about an amount it spends; it will not be signed.</source>
        <translation>Esta PSBT miente sobre un importe que gasta; no se firmará.</translation>
    </message>
    <message>
        <source>Not signed: an input&apos;s amount is unverified, so the fee may be higher than shown. Load the PSBT into the wallet that made it, or tick “Sign although amounts are unverified” to sign anyway.</source>
        <translation>Sin firmar: el importe de una entrada está sin verificar, así que la comisión puede ser mayor que la mostrada. Carga la PSBT en la billetera que la creó, o marca «Firmar aunque los importes estén sin verificar» para firmarla igualmente.</translation>
    </message>
    <message>
        <source>Not signed: tick “I accept the fee warnings above” to sign it anyway.</source>
        <translation>Sin firmar: marca «Acepto las advertencias de comisión de arriba» para firmarla igualmente.</translation>
    </message>
    <message>
        <source>Signing…</source>
        <translation>Firmando…</translation>
    </message>
    <message>
        <source>Signed with this wallet&apos;s keys.</source>
        <translation>Firmada con las claves de esta billetera.</translation>
    </message>
    <message>
        <source>Finalized: transaction {txid}, {vsize} vB. Broadcast it, or copy it.</source>
        <translation>Finalizada: transacción {txid}, {vsize} vB. Difúndela o cópiala.</translation>
    </message>
    <message>
        <source>Broadcasting…</source>
        <translation>Difundiendo…</translation>
    </message>
    <message>
        <source>Broadcast as {txid}.</source>
        <translation>Difundida como {txid}.</translation>
    </message>
    <message>
        <source>Transaction sent</source>
        <translation>Transacción enviada</translation>
    </message>
    <message>
        <source>Made from the Send tab and not signed yet. Sign it here, or on your signer: show it the QR code or save the file for it.</source>
        <translation>Creada desde la pestaña Enviar y aún sin firmar. Fírmala aquí o en tu firmante: muéstrale el código QR o guarda el archivo para él.</translation>
    </message>
</context>
<context>
    <name>PsbtSources</name>
    <message>
        <source>The code holds no valid PSBT: {why}</source>
        <extracomment>A PSBT file larger than this is refused (a mistake, not a transaction), as by the CLI.</extracomment>
        <translation>El código no contiene ninguna PSBT válida: {why}</translation>
    </message>
    <message>
        <source>no PSBT was found</source>
        <translation>no se encontró ninguna PSBT</translation>
    </message>
    <message>
        <source>This holds no readable code: {why}</source>
        <translation>No hay ningún código legible: {why}</translation>
    </message>
    <message>
        <source>This holds only {received} of the {total} parts of an animated code: scan it with the camera, or open every frame.</source>
        <translation>Solo hay {received} de las {total} partes de un código animado: escanéalo con la cámara o abre cada fotograma.</translation>
    </message>
    <message>
        <source>There is nothing to read: the text is empty.</source>
        <translation>No hay nada que leer: el texto está vacío.</translation>
    </message>
    <message>
        <source>This is not a PSBT: {why}</source>
        <translation>No es una PSBT: {why}</translation>
    </message>
    <message>
        <source>Cannot read {path}: {why}</source>
        <translation>No se puede leer {path}: {why}</translation>
    </message>
    <message>
        <source>{path} is too large to be a PSBT.</source>
        <translation>{path} es demasiado grande para ser una PSBT.</translation>
    </message>
    <message>
        <source>{path} is not a valid PSBT: {why}</source>
        <translation>{path} no es una PSBT válida: {why}</translation>
    </message>
    <message>
        <source>{path} is neither a PSBT nor text.</source>
        <translation>{path} no es ni una PSBT ni texto.</translation>
    </message>
    <message>
        <source>No QR code was found in {name}.</source>
        <translation>No se encontró ningún código QR en {name}.</translation>
    </message>
</context>
<context>
    <name>QRView</name>
    <message>
        <source>No request yet</source>
        <translation>Aún no hay solicitud</translation>
    </message>
</context>
<context>
    <name>ReceiveTab</name>
    <message>
        <source>Never</source>
        <translation>Nunca</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 hora</translation>
    </message>
    <message>
        <source>1 day</source>
        <translation>1 día</translation>
    </message>
    <message>
        <source>1 week</source>
        <translation>1 semana</translation>
    </message>
    <message>
        <source>{amount} at {price} (rate locked)</source>
        <translation>{amount} a {price} (tasa fijada)</translation>
    </message>
    <message>
        <source>Who pays, or what for (shown to the payer)</source>
        <translation>Quién paga o por qué (lo ve quien paga)</translation>
    </message>
    <message>
        <source>Optional note for the payer</source>
        <translation>Nota opcional para quien paga</translation>
    </message>
    <message>
        <source>Create request</source>
        <translation>Crear solicitud</translation>
    </message>
    <message>
        <source>&amp;Amount:</source>
        <translation>&amp;Importe:</translation>
    </message>
    <message>
        <source>&amp;Label:</source>
        <translation>&amp;Etiqueta:</translation>
    </message>
    <message>
        <source>&amp;Message:</source>
        <translation>&amp;Mensaje:</translation>
    </message>
    <message>
        <source>&amp;Expires after:</source>
        <translation>&amp;Vence en:</translation>
    </message>
    <message>
        <source>Request a payment</source>
        <translation>Solicitar un pago</translation>
    </message>
    <message>
        <source>Leave the amount empty to let the payer choose. Each request gets a fresh address, so payments can be told apart and your history stays private.</source>
        <translation>Deja el importe vacío para que decida quien paga. Cada solicitud usa una dirección nueva, así los pagos se distinguen y tu historial sigue siendo privado.</translation>
    </message>
    <message>
        <source>Fill in the form and create a request.</source>
        <translation>Rellena el formulario y crea una solicitud.</translation>
    </message>
    <message>
        <source>Payment link</source>
        <translation>Enlace de pago</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Dirección</translation>
    </message>
    <message>
        <source>Link:</source>
        <translation>Enlace:</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>Dirección:</translation>
    </message>
    <message>
        <source>any amount</source>
        <translation>cualquier importe</translation>
    </message>
    <message>
        <source>State: {state}</source>
        <translation>Estado: {state}</translation>
    </message>
</context>
<context>
    <name>RequestsModel</name>
    <message>
        <source>Asked in bitcoin.</source>
        <translation>Pedida en bitcoin.</translation>
    </message>
    <message>
        <source>Rate locked when it was made: 1 BTC = {price} {code} ({source})</source>
        <translation>Tasa fijada al crearla: 1 BTC = {price} {code} ({source})</translation>
    </message>
</context>
<context>
    <name>RequestsTab</name>
    <message>
        <source>Requests move from waiting to seen to confirmed to paid as the sync engine finds payments.</source>
        <translation>Las solicitudes pasan de «en espera» a «visto», «confirmado» y «pagado» a medida que el motor de sincronización encuentra los pagos.</translation>
    </message>
    <message>
        <source>Payment requests</source>
        <translation>Solicitudes de pago</translation>
    </message>
    <message>
        <source>Show QR</source>
        <translation>Mostrar QR</translation>
    </message>
</context>
<context>
    <name>RestorePage</name>
    <message>
        <source>Restore from seed words</source>
        <translation>Restaurar con palabras semilla</translation>
    </message>
    <message>
        <source>Type your words in order. A few letters are enough; pick the word from the list, or paste the whole phrase into the first field.</source>
        <translation>Escribe tus palabras en orden. Bastan unas pocas letras: elige la palabra de la lista, o pega la frase completa en el primer campo.</translation>
    </message>
    <message>
        <source>{n} words</source>
        <translation>{n} palabras</translation>
    </message>
    <message>
        <source>Seed &amp;length:</source>
        <translation>&amp;Longitud de la semilla:</translation>
    </message>
</context>
<context>
    <name>ReviewDialog</name>
    <message>
        <source>Review payment</source>
        <translation>Revisar el pago</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>Para:</translation>
    </message>
    <message>
        <source>Pay to:</source>
        <translation>Pagar a:</translation>
    </message>
    <message>
        <source>Amount:</source>
        <translation>Importe:</translation>
    </message>
    <message>
        <source>Fee:</source>
        <translation>Comisión:</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ninguna</translation>
    </message>
    <message>
        <source>Change:</source>
        <translation>Cambio:</translation>
    </message>
    <message>
        <source>Total spent:</source>
        <translation>Total gastado:</translation>
    </message>
    <message>
        <source>1 coin</source>
        <translation>1 moneda</translation>
    </message>
    <message>
        <source>{n} coins</source>
        <translation>{n} monedas</translation>
    </message>
    <message>
        <source>From coins:</source>
        <translation>Con monedas:</translation>
    </message>
    <message>
        <source>Wallet password</source>
        <translation>Contraseña de la billetera</translation>
    </message>
    <message>
        <source>Sign and send</source>
        <translation>Firmar y enviar</translation>
    </message>
    <message>
        <source>Check this payment</source>
        <translation>Revisa este pago</translation>
    </message>
    <message>
        <source>&amp;Password to sign:</source>
        <translation>&amp;Contraseña para firmar:</translation>
    </message>
    <message>
        <source>This wallet is watch-only: it cannot sign.</source>
        <translation>Esta billetera es de solo lectura: no puede firmar.</translation>
    </message>
    <message>
        <source>Sending needs the sync engine (to broadcast), and this window is not connected to it. The payment above is built but will not be sent.</source>
        <translation>Para enviar hace falta el motor de sincronización (para difundirlo) y esta ventana no está conectada a él. El pago de arriba está armado, pero no se enviará.</translation>
    </message>
    <message>
        <source>Signing…</source>
        <translation>Firmando…</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Enviado</translation>
    </message>
    <message>
        <source>Sent to every server. Its transaction ID is in History.</source>
        <translation>Enviado a todos los servidores. Su ID de transacción está en el Historial.</translation>
    </message>
</context>
<context>
    <name>ScanCodeDialog</name>
    <message>
        <source>Waiting for a code…</source>
        <extracomment>``check(code)``: None to take the code, or a sentence saying why not (scanning goes on)</extracomment>
        <translation>Esperando un código…</translation>
    </message>
    <message>
        <source>Reading an animated code…</source>
        <translation>Leyendo un código animado…</translation>
    </message>
    <message>
        <source>{received} of {total} parts</source>
        <translation>{received} de {total} partes</translation>
    </message>
</context>
<context>
    <name>ScannerWidget</name>
    <message>
        <source>No camera was found. Connect a camera and press Refresh, or scan from an image file, the clipboard or the screen instead.</source>
        <extracomment>Capture sizes in order of preference. How long a started camera may stay without a picture before the next format is tried. Formats tried before giving up (the best few of the ladder; each may take the timeout). shown translated (context ScannerWidget) where they are shown</extracomment>
        <translation>No se encontró ninguna cámara. Conecta una y pulsa Actualizar, o escanea desde un archivo de imagen, el portapapeles o la pantalla.</translation>
    </message>
    <message>
        <source>Paylight is not allowed to use the camera. Allow camera access for Paylight in your system&apos;s privacy settings, then try again.</source>
        <translation>Paylight no tiene permiso para usar la cámara. Permite el acceso a la cámara para Paylight en los ajustes de privacidad del sistema y vuelve a intentarlo.</translation>
    </message>
    <message>
        <source>Scanned a bitcoin payment request.</source>
        <extracomment>The preview is repainted at most this often; decoding is not tied to it.</extracomment>
        <translation>Se escaneó una solicitud de pago en bitcoin.</translation>
    </message>
    <message>
        <source>Scanned a bitcoin address.</source>
        <translation>Se escaneó una dirección de bitcoin.</translation>
    </message>
    <message>
        <source>Scanned a partially signed transaction (PSBT).</source>
        <translation>Se escaneó una transacción parcialmente firmada (PSBT).</translation>
    </message>
    <message>
        <source>Scanned a Lightning invoice (not supported by this wallet).</source>
        <translation>Se escaneó una factura de Lightning (esta billetera no la admite).</translation>
    </message>
    <message>
        <source>Scanned text that is not a bitcoin payment.</source>
        <translation>Se escaneó un texto que no es un pago en bitcoin.</translation>
    </message>
    <message>
        <source>Scan a QR code</source>
        <translation>Escanear un código QR</translation>
    </message>
    <message>
        <source>Camera</source>
        <extracomment>parts of an animated code read from pictures (files, clipboard, screen)</extracomment>
        <translation>Cámara</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualizar</translation>
    </message>
    <message>
        <source>Open image…</source>
        <translation>Abrir imagen…</translation>
    </message>
    <message>
        <source>Paste image</source>
        <translation>Pegar imagen</translation>
    </message>
    <message>
        <source>Scan screen</source>
        <translation>Escanear pantalla</translation>
    </message>
    <message>
        <source>&amp;Camera:</source>
        <translation>&amp;Cámara:</translation>
    </message>
    <message>
        <source>Or scan from:</source>
        <translation>O escanea desde:</translation>
    </message>
    <message>
        <source>Hold the QR code in front of the camera.</source>
        <translation>Pon el código QR delante de la cámara.</translation>
    </message>
    <message>
        <source>No camera found</source>
        <translation>No se encontró ninguna cámara</translation>
    </message>
    <message>
        <source>No camera</source>
        <translation>Sin cámara</translation>
    </message>
    <message>
        <source>Starting {source}…</source>
        <translation>Iniciando {source}…</translation>
    </message>
    <message>
        <source>Open a picture of a QR code</source>
        <translation>Abrir una imagen de un código QR</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.webp *.bmp *.gif)</source>
        <translation>Imágenes (*.png *.jpg *.jpeg *.webp *.bmp *.gif)</translation>
    </message>
    <message>
        <source>No QR code was found in {file}. Try a sharper picture.</source>
        <translation>No se encontró ningún código QR en {file}. Prueba con una imagen más nítida.</translation>
    </message>
    <message>
        <source>The clipboard holds no picture with a QR code. Copy an image first.</source>
        <translation>El portapapeles no tiene ninguna imagen con un código QR. Copia primero una imagen.</translation>
    </message>
    <message>
        <source>No QR code is visible on the screen. If your desktop does not allow screen capture, take a screenshot, copy it and use Paste image.</source>
        <translation>No se ve ningún código QR en la pantalla. Si tu escritorio no permite capturar la pantalla, haz una captura, cópiala y usa Pegar imagen.</translation>
    </message>
    <message>
        <source>No picture</source>
        <translation>Sin imagen</translation>
    </message>
    <message>
        <source>waiting for the first part</source>
        <translation>esperando la primera parte</translation>
    </message>
    <message>
        <source>{received} of {total} parts</source>
        <translation>{received} de {total} partes</translation>
    </message>
    <message>
        <source>Reading an animated code: {progress}. Keep the camera on it.</source>
        <translation>Leyendo un código animado: {progress}. Mantén la cámara apuntando a él.</translation>
    </message>
    <message>
        <source>Scanned a partially signed transaction (PSBT) ({n} bytes).</source>
        <translation>Se escaneó una transacción parcialmente firmada (PSBT) ({n} bytes).</translation>
    </message>
    <message>
        <source>Scanned an animated code ({n} bytes).</source>
        <translation>Se escaneó un código animado ({n} bytes).</translation>
    </message>
    <message>
        <source>Reading an animated code…</source>
        <translation>Leyendo un código animado…</translation>
    </message>
</context>
<context>
    <name>SeedEntry</name>
    <message>
        <source>Type the {count} words in order; a few letters complete a word.</source>
        <extracomment>&quot;typing&quot;, &quot;bad&quot; (a wrong word or checksum) or &quot;ok&quot; (the phrase holds)</extracomment>
        <translation>Escribe las {count} palabras en orden; con unas pocas letras se completa cada palabra.</translation>
    </message>
    <message>
        <source>The checksum does not match: a word is wrong or the words are out of order (every word is in the list).</source>
        <translation>La suma de verificación no coincide: hay una palabra equivocada o están desordenadas (todas las palabras están en la lista).</translation>
    </message>
    <message>
        <source>✓ All words are in the list and the checksum matches.</source>
        <translation>✓ Todas las palabras están en la lista y la suma de verificación coincide.</translation>
    </message>
    <message>
        <source>{filled} of {count} words entered.</source>
        <translation>{filled} de {count} palabras escritas.</translation>
    </message>
    <message>
        <source>Word {n}: keep typing…</source>
        <translation>Palabra {n}: sigue escribiendo…</translation>
    </message>
    <message>
        <source> or </source>
        <translation> o </translation>
    </message>
    <message>
        <source>Word {n}, “{word}”, is not in the word list (did you mean {words}?).</source>
        <translation>La palabra {n}, «{word}», no está en la lista (¿quisiste decir {words}?).</translation>
    </message>
    <message>
        <source>Word {n}, “{word}”, is not in the word list.</source>
        <translation>La palabra {n}, «{word}», no está en la lista.</translation>
    </message>
</context>
<context>
    <name>SendTab</name>
    <message>
        <source>Enter an address or a bitcoin: payment link.</source>
        <translation>Escribe una dirección o un enlace de pago bitcoin:.</translation>
    </message>
    <message>
        <source>This is a Lightning invoice; Paylight pays on-chain only.</source>
        <translation>Es una factura de Lightning; Paylight solo paga en la cadena.</translation>
    </message>
    <message>
        <source>This is a PSBT, not a payment address.</source>
        <translation>Es una PSBT, no una dirección de pago.</translation>
    </message>
    <message>
        <source>This is not a bitcoin address or payment link Paylight can pay.</source>
        <translation>No es una dirección de bitcoin ni un enlace de pago que Paylight pueda pagar.</translation>
    </message>
    <message>
        <source>Pay to</source>
        <translation>Pagar a</translation>
    </message>
    <message>
        <source>Address or bitcoin: payment link</source>
        <translation>Dirección o enlace de pago bitcoin:</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>Pegar</translation>
    </message>
    <message>
        <source>Scan…</source>
        <translation>Escanear…</translation>
    </message>
    <message>
        <source>Scan a QR code with a camera, or from an image or the screen</source>
        <translation>Escanea un código QR con una cámara, o desde una imagen o la pantalla</translation>
    </message>
    <message>
        <source>Choose automatically</source>
        <extracomment>Slow / Normal / Fast with time and cost, a custom rate behind them</extracomment>
        <translation>Elegir automáticamente</translation>
    </message>
    <message>
        <source>Pay to:</source>
        <translation>Pagar a:</translation>
    </message>
    <message>
        <source>&amp;Amount:</source>
        <translation>&amp;Importe:</translation>
    </message>
    <message>
        <source>Fee:</source>
        <translation>Comisión:</translation>
    </message>
    <message>
        <source>Coins:</source>
        <translation>Monedas:</translation>
    </message>
    <message>
        <source>Review payment…</source>
        <translation>Revisar el pago…</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Borrar</translation>
    </message>
    <message>
        <source>Create PSBT…</source>
        <translation>Crear PSBT…</translation>
    </message>
    <message>
        <source>An unsigned PSBT of this payment, to sign elsewhere</source>
        <translation>Una PSBT sin firmar de este pago, para firmarla en otro sitio</translation>
    </message>
    <message>
        <source>Send a payment</source>
        <translation>Enviar un pago</translation>
    </message>
    <message>
        <source>Nothing is sent until you have reviewed the address, the amount, the fee and the change, and entered your password.</source>
        <translation>No se envía nada hasta que hayas revisado la dirección, el importe, la comisión y el cambio, y escrito tu contraseña.</translation>
    </message>
    <message>
        <source>A watch-only wallet makes a PSBT for its signer.</source>
        <extracomment>after sending: a ✓ with what was sent, to whom, and the fee, over the whole tab (made on the first payment: the window opens without it)</extracomment>
        <translation>Una billetera de solo lectura crea una PSBT para su firmante.</translation>
    </message>
    <message>
        <source>Pays {address} to “{name}”</source>
        <translation>Paga a {address} («{name}»)</translation>
    </message>
    <message>
        <source>Pays {address}</source>
        <translation>Paga a {address}</translation>
    </message>
    <message>
        <source>asks for {amount}</source>
        <translation>pide {amount}</translation>
    </message>
    <message>
        <source>Scan a payment QR code</source>
        <translation>Escanear un código QR de pago</translation>
    </message>
    <message>
        <source>Chosen automatically (frozen coins are left out)</source>
        <translation>Elegidas automáticamente (sin las monedas congeladas)</translation>
    </message>
    <message>
        <source>Only from 1 chosen coin ({amount})</source>
        <translation>Solo con 1 moneda elegida ({amount})</translation>
    </message>
    <message>
        <source>Only from {n} chosen coins ({amount})</source>
        <translation>Solo con {n} monedas elegidas ({amount})</translation>
    </message>
    <message>
        <source>Enter the amount to send.</source>
        <translation>Escribe el importe que vas a enviar.</translation>
    </message>
    <message>
        <source>This wallet already paid {amount} to this address on {when} (transaction {txid}…). Pay it again?</source>
        <translation>Esta billetera ya pagó {amount} a esta dirección el {when} (transacción {txid}…). ¿Pagar otra vez?</translation>
    </message>
    <message>
        <source>({n} payments to it so far.)</source>
        <translation>({n} pagos a ella hasta ahora.)</translation>
    </message>
    <message>
        <source>Paid before</source>
        <translation>Ya pagado</translation>
    </message>
    <message>
        <source>Pay again</source>
        <translation>Pagar otra vez</translation>
    </message>
    <message>
        <source>Do not pay</source>
        <translation>No pagar</translation>
    </message>
</context>
<context>
    <name>SentPage</name>
    <message>
        <source>Sent</source>
        <translation>Enviado</translation>
    </message>
    <message>
        <source>Copy transaction ID</source>
        <translation>Copiar el ID de la transacción</translation>
    </message>
    <message>
        <source>Every server has it. It counts as paid once it is in a block; History shows when, with its Merkle proof checked here.</source>
        <translation>Todos los servidores lo tienen. Cuenta como pagado cuando esté en un bloque; el Historial muestra cuándo, con su prueba de Merkle comprobada aquí.</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Listo</translation>
    </message>
    <message>
        <source>to &lt;b&gt;{name}&lt;/b&gt;&lt;br&gt;{address}</source>
        <translation>a &lt;b&gt;{name}&lt;/b&gt;&lt;br&gt;{address}</translation>
    </message>
    <message>
        <source>to {address}</source>
        <translation>a {address}</translation>
    </message>
    <message>
        <source>Fee: {fee}</source>
        <translation>Comisión: {fee}</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>Set up Paylight</source>
        <translation>Configurar Paylight</translation>
    </message>
    <message>
        <source>The wallet&apos;s keys are not complete; go back and finish them.</source>
        <translation>Las claves de la billetera no están completas; vuelve atrás y complétalas.</translation>
    </message>
    <message>
        <source>Stop setting up?</source>
        <translation>¿Dejar la configuración?</translation>
    </message>
    <message>
        <source>The seed words are not saved anywhere yet. If you stop now they are gone and no wallet is made.</source>
        <translation>Las palabras semilla aún no están guardadas en ninguna parte. Si lo dejas ahora, se perderán y no se creará ninguna billetera.</translation>
    </message>
    <message>
        <source>Stop and forget the words</source>
        <translation>Dejarlo y olvidar las palabras</translation>
    </message>
    <message>
        <source>Keep going</source>
        <translation>Continuar</translation>
    </message>
</context>
<context>
    <name>SignerImportPage</name>
    <message>
        <source>Watch a wallet kept on a signer</source>
        <translation>Vigilar una billetera guardada en un firmante</translation>
    </message>
    <message>
        <source>Scan or paste the account your signer exports.</source>
        <translation>Escanea o pega la cuenta que exporta tu firmante.</translation>
    </message>
    <message>
        <source>On the signer, show the account&apos;s QR code (often under Export, Connect software wallet, or Sparrow). Scan it, or paste what the signer exports.</source>
        <translation>En el firmante, muestra el código QR de la cuenta (suele estar en Exportar, Conectar billetera de software o Sparrow). Escanéalo o pega lo que exporte el firmante.</translation>
    </message>
    <message>
        <source>Scan the signer&apos;s QR code…</source>
        <translation>Escanear el código QR del firmante…</translation>
    </message>
    <message>
        <source>The signer&apos;s account export</source>
        <translation>La cuenta exportada por el firmante</translation>
    </message>
    <message>
        <source>ur:crypto-account/…, [fingerprint/84h/0h/0h]xpub…, zpub… or a descriptor</source>
        <translation>ur:crypto-account/…, [fingerprint/84h/0h/0h]xpub…, zpub… o un descriptor</translation>
    </message>
    <message>
        <source>As the signer says (native SegWit first)</source>
        <translation>Según el firmante (primero SegWit nativo)</translation>
    </message>
    <message>
        <source>My signer shows this same fingerprint</source>
        <translation>Mi firmante muestra esta misma huella</translation>
    </message>
    <message>
        <source>Address type:</source>
        <translation>Tipo de dirección:</translation>
    </message>
    <message>
        <source>Master fingerprint:</source>
        <translation>Huella maestra:</translation>
    </message>
    <message>
        <source>No keys come to this computer: it can watch payments and prepare PSBTs, and the signer signs them.</source>
        <translation>Ninguna clave llega a este equipo: puede vigilar los pagos y preparar PSBT, y el firmante las firma.</translation>
    </message>
    <message>
        <source>Scan the signer&apos;s account</source>
        <translation>Escanear la cuenta del firmante</translation>
    </message>
    <message>
        <source>Show the signer&apos;s account QR code to the camera. An animated code is collected part by part; keep it in view until the bar is full.</source>
        <translation>Muestra a la cámara el código QR de la cuenta del firmante. Un código animado se recoge parte por parte; mantenlo a la vista hasta que la barra se llene.</translation>
    </message>
    <message>
        <source>not given</source>
        <translation>no indicada</translation>
    </message>
    <message>
        <source>Read from: {source}</source>
        <translation>Leído de: {source}</translation>
    </message>
    <message>
        <source>Address type: {script}</source>
        <translation>Tipo de dirección: {script}</translation>
    </message>
    <message>
        <source>First address: &lt;tt&gt;{address}&lt;/tt&gt;</source>
        <translation>Primera dirección: &lt;tt&gt;{address}&lt;/tt&gt;</translation>
    </message>
    <message>
        <source>This export has no master fingerprint to compare; PSBTs will still name the keys, but export the account with its key origin if the signer can.</source>
        <translation>Esta exportación no tiene huella maestra con la que comparar; las PSBT igual nombrarán las claves, pero si el firmante puede, exporta la cuenta con su origen de clave.</translation>
    </message>
    <message>
        <source>Compare the fingerprint above with the one your signer shows (its settings or About screen). They must be the same.</source>
        <translation>Compara la huella de arriba con la que muestra tu firmante (en sus ajustes o en la pantalla Acerca de). Deben ser iguales.</translation>
    </message>
</context>
<context>
    <name>StartPage</name>
    <message>
        <source>Bitcoin (mainnet)</source>
        <translation>Bitcoin (red principal)</translation>
    </message>
    <message>
        <source>Regtest (local)</source>
        <translation>Regtest (local)</translation>
    </message>
    <message>
        <source>My wallet</source>
        <translation>Mi billetera</translation>
    </message>
    <message>
        <source>My wallet {n}</source>
        <translation>Mi billetera {n}</translation>
    </message>
    <message>
        <source>Welcome to Paylight</source>
        <translation>Bienvenido a Paylight</translation>
    </message>
    <message>
        <source>A Bitcoin wallet that checks its own payments. Let&apos;s set one up.</source>
        <translation>Una billetera de Bitcoin que comprueba sus propios pagos. Vamos a configurar una.</translation>
    </message>
    <message>
        <source>Create a new wallet (new seed words)</source>
        <translation>Crear una billetera nueva (palabras semilla nuevas)</translation>
    </message>
    <message>
        <source>Restore a wallet from its seed words</source>
        <translation>Restaurar una billetera con sus palabras semilla</translation>
    </message>
    <message>
        <source>Watch a wallet (xpub, zpub or descriptor — no keys here)</source>
        <translation>Vigilar una billetera (xpub, zpub o descriptor; sin claves aquí)</translation>
    </message>
    <message>
        <source>Watch-only from a signer (scan its QR)</source>
        <translation>Solo lectura desde un firmante (escanear su QR)</translation>
    </message>
    <message>
        <source>Try it on a local playground (regtest, with test coins)</source>
        <translation>Probar en un entorno de pruebas local (regtest, con monedas de prueba)</translation>
    </message>
    <message>
        <source>Runs a private regtest chain on this computer, validated by Bitcoin Core&apos;s consensus engine, and sends the new wallet 1 test BTC. Nothing touches a real network.</source>
        <translation>Ejecuta una cadena regtest privada en este equipo, validada por el motor de consenso de Bitcoin Core, y envía 1 BTC de prueba a la billetera nueva. Nada toca una red real.</translation>
    </message>
    <message>
        <source>Wallet &amp;name:</source>
        <translation>&amp;Nombre de la billetera:</translation>
    </message>
    <message>
        <source>Net&amp;work:</source>
        <translation>&amp;Red:</translation>
    </message>
    <message>
        <source>A wallet called “{name}” already exists on this network.</source>
        <translation>Ya existe una billetera llamada «{name}» en esta red.</translation>
    </message>
    <message>
        <source>Give the wallet a name.</source>
        <translation>Ponle un nombre a la billetera.</translation>
    </message>
    <message>
        <source>A wallet name has at most {n} characters.</source>
        <translation>El nombre de una billetera tiene como máximo {n} caracteres.</translation>
    </message>
    <message>
        <source>A wallet name cannot start or end with a space.</source>
        <translation>El nombre de una billetera no puede empezar ni terminar con un espacio.</translation>
    </message>
    <message>
        <source>A wallet name cannot start or end with a dot.</source>
        <translation>El nombre de una billetera no puede empezar ni terminar con un punto.</translation>
    </message>
    <message>
        <source>A wallet name cannot contain any of &lt; &gt; : &quot; / \ | ? *.</source>
        <translation>El nombre de una billetera no puede contener ninguno de estos caracteres: &lt; &gt; : &quot; / \ | ? *.</translation>
    </message>
</context>
<context>
    <name>TillPages</name>
    <message>
        <source>Close till</source>
        <extracomment>the charge page&apos;s right column at the design size</extracomment>
        <translation>Cerrar caja</translation>
    </message>
    <message>
        <source>Leave the till (Ctrl+W)</source>
        <translation>Salir de la caja (Ctrl+W)</translation>
    </message>
    <message>
        <source>Limits…</source>
        <translation>Límites…</translation>
    </message>
    <message>
        <source>The per-sale limit, and what may be handed over before a block</source>
        <translation>El límite por venta y lo que se puede entregar antes de un bloque</translation>
    </message>
    <message>
        <source>Label shown to the customer (optional)</source>
        <translation>Etiqueta que ve el cliente (opcional)</translation>
    </message>
    <message>
        <source>Label shown to the customer</source>
        <translation>Etiqueta que ve el cliente</translation>
    </message>
    <message>
        <source>Clear (Esc)</source>
        <translation>Borrar (Esc)</translation>
    </message>
    <message>
        <source>Charge  ⏎</source>
        <translation>Cobrar  ⏎</translation>
    </message>
    <message>
        <source>Payment QR code</source>
        <translation>Código QR de pago</translation>
    </message>
    <message>
        <source>Payment link</source>
        <translation>Enlace de pago</translation>
    </message>
    <message>
        <source>Copy the payment link</source>
        <translation>Copiar el enlace de pago</translation>
    </message>
    <message>
        <source>Cancel sale (Esc)</source>
        <translation>Cancelar venta (Esc)</translation>
    </message>
    <message>
        <source>Scan with any Bitcoin wallet. The code holds the address and amount.</source>
        <translation>Escanéalo con cualquier billetera de Bitcoin. El código lleva la dirección y el importe.</translation>
    </message>
    <message>
        <source>Details ▸</source>
        <translation>Detalles ▸</translation>
    </message>
    <message>
        <source>Receipt QR code</source>
        <translation>Código QR del recibo</translation>
    </message>
    <message>
        <source>The receipt: the payment&apos;s transaction, Merkle proof and block header. Anyone can check it offline (paylight receipt verify).</source>
        <translation>El recibo: la transacción del pago, su prueba de Merkle y el encabezado del bloque. Cualquiera puede comprobarlo sin conexión (paylight receipt verify).</translation>
    </message>
    <message>
        <source>&amp;Save receipt… (Ctrl+S)</source>
        <translation>&amp;Guardar recibo… (Ctrl+S)</translation>
    </message>
    <message>
        <source>Receipt as &amp;QR (Ctrl+R)</source>
        <translation>Recibo como &amp;QR (Ctrl+R)</translation>
    </message>
    <message>
        <source>New sale (N)</source>
        <translation>Nueva venta (N)</translation>
    </message>
</context>
<context>
    <name>TillSettingsDialog</name>
    <message>
        <source>Till settings</source>
        <translation>Ajustes de la caja</translation>
    </message>
    <message>
        <source>Ask before charging more than</source>
        <translation>Preguntar antes de cobrar más de</translation>
    </message>
    <message>
        <source>Hand over before a block up to</source>
        <translation>Entregar antes de un bloque hasta</translation>
    </message>
    <message>
        <source>Ask before charging more than:</source>
        <translation>Preguntar antes de cobrar más de:</translation>
    </message>
    <message>
        <source>Hand over before a block, up to:</source>
        <translation>Entregar antes de un bloque, hasta:</translation>
    </message>
    <message>
        <source>A payment not yet in a block can still be undone by the payer. Up to the amount above (0: never), the till says “OK to hand over” when every check passes: it does not signal replace-by-fee, its fee is at or above the next-block estimate, the coins it spends are in blocks, every server has it, and no other transaction spends the same coins. Otherwise it says “Wait for a block”.</source>
        <translation>Quien paga todavía puede deshacer un pago que aún no está en un bloque. Hasta el importe de arriba (0: nunca), la caja dice «Puedes entregar» cuando pasan todas las comprobaciones: no admite reemplazo por comisión, su comisión está a la altura de la estimación para el próximo bloque o por encima, las monedas que gasta están en bloques, todos los servidores lo tienen y ninguna otra transacción gasta las mismas monedas. Si no, dice «Espera a un bloque».</translation>
    </message>
</context>
<context>
    <name>ToolsMenu</name>
    <message>
        <source>T&amp;ools</source>
        <translation>&amp;Herramientas</translation>
    </message>
    <message>
        <source>&amp;PSBT…</source>
        <translation>&amp;PSBT…</translation>
    </message>
    <message>
        <source>Load, show, sign, combine and broadcast partially signed transactions</source>
        <translation>Cargar, mostrar, firmar, combinar y difundir transacciones parcialmente firmadas</translation>
    </message>
    <message>
        <source>Sign/verify &amp;message…</source>
        <translation>Firmar/verificar &amp;mensaje…</translation>
    </message>
</context>
<context>
    <name>TxDetailsDialog</name>
    <message>
        <source>Transaction details</source>
        <translation>Detalles de la transacción</translation>
    </message>
    <message>
        <source>Transaction ID:</source>
        <translation>ID de la transacción:</translation>
    </message>
    <message>
        <source>Transaction ID</source>
        <translation>ID de la transacción</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>Estado:</translation>
    </message>
    <message>
        <source>Amount:</source>
        <translation>Importe:</translation>
    </message>
    <message>
        <source>First seen:</source>
        <translation>Vista por primera vez:</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>Tamaño:</translation>
    </message>
    <message>
        <source>{vsize} vB · {inputs} in · {outputs} out</source>
        <translation>{vsize} vB · {inputs} entradas · {outputs} salidas</translation>
    </message>
    <message>
        <source>Replaced by</source>
        <translation>Reemplazada por</translation>
    </message>
    <message>
        <source>Replaced by:</source>
        <translation>Reemplazada por:</translation>
    </message>
    <message>
        <source>Proof</source>
        <translation>Prueba</translation>
    </message>
</context>
<context>
    <name>VideoFileSource</name>
    <message>
        <source>There is no video file {path}.</source>
        <translation>No existe el archivo de vídeo {path}.</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>error desconocido</translation>
    </message>
    <message>
        <source>Could not play {file}: {reason}.</source>
        <translation>No se pudo reproducir {file}: {reason}.</translation>
    </message>
</context>
<context>
    <name>WalletController</name>
    <message>
        <source>This window is not connected to the sync engine, so {what} is not available. Your wallet file is not affected.</source>
        <translation>Esta ventana no está conectada al motor de sincronización, así que no es posible {what}. Tu archivo de billetera no se ve afectado.</translation>
    </message>
    <message>
        <source>syncing with servers</source>
        <extracomment>what needs the engine, as NO_ENGINE names it</extracomment>
        <translation>sincronizar con los servidores</translation>
    </message>
    <message>
        <source>sending a payment</source>
        <translation>enviar un pago</translation>
    </message>
    <message>
        <source>The fee is a large share of the amount sent.</source>
        <extracomment>Coins the user picked on the Coins tab (&quot;spend from&quot;); empty means automatic selection. the builder&apos;s unsigned transaction (a PSBT inside), handed back to be signed The review&apos;s warnings (``wallet.account.tx_builder.ReviewWarning`` codes) in the person&apos;s words; the builder&apos;s own sentence, with its figures, follows in small print.</extracomment>
        <translation>La comisión es una parte grande del importe enviado.</translation>
    </message>
    <message>
        <source>The fee rate is above the usual ceiling.</source>
        <translation>La tasa de comisión supera el límite habitual.</translation>
    </message>
    <message>
        <source>Some of the coins spent are not in a block yet: this payment cannot confirm before they do.</source>
        <translation>Algunas de las monedas gastadas aún no están en un bloque: este pago no puede confirmarse antes que ellas.</translation>
    </message>
    <message>
        <source>The original payment does not signal that it can be replaced: only nodes that relay any replacement will pass this one on.</source>
        <translation>El pago original no indica que pueda reemplazarse: solo los nodos que retransmiten cualquier reemplazo lo harán llegar.</translation>
    </message>
</context>
<context>
    <name>WatchOnlyPage</name>
    <message>
        <source>Watch a wallet</source>
        <translation>Vigilar una billetera</translation>
    </message>
    <message>
        <source>Paste the account&apos;s extended public key (xpub, ypub, zpub, tpub, vpub…) or an output descriptor. This wallet can see payments but not spend them.</source>
        <translation>Pega la clave pública extendida de la cuenta (xpub, ypub, zpub, tpub, vpub…) o un descriptor de salida. Esta billetera puede ver los pagos, pero no gastarlos.</translation>
    </message>
    <message>
        <source>zpub6r… or wpkh([fingerprint/84h/0h/0h]xpub…/&lt;0;1&gt;/*)</source>
        <translation>zpub6r… o wpkh([fingerprint/84h/0h/0h]xpub…/&lt;0;1&gt;/*)</translation>
    </message>
    <message>
        <source>Extended public key or descriptor</source>
        <translation>Clave pública extendida o descriptor</translation>
    </message>
    <message>
        <source>Address &amp;type for xpub/tpub:</source>
        <translation>&amp;Tipo de dirección para xpub/tpub:</translation>
    </message>
    <message>
        <source>This is not an extended public key or descriptor Paylight can read.</source>
        <translation>No es una clave pública extendida ni un descriptor que Paylight pueda leer.</translation>
    </message>
    <message>
        <source>First address: {address}</source>
        <translation>Primera dirección: {address}</translation>
    </message>
    <message>
        <source>(no change chain in this descriptor)</source>
        <translation>(este descriptor no tiene cadena de cambio)</translation>
    </message>
</context>
<context>
    <name>WelcomeWindow</name>
    <message>
        <source>Create or restore a wallet…</source>
        <extracomment>How often (seconds) Python hands the GIL between threads. The default 5 ms lets the sync thread&apos;s pure-Python work hold the UI thread up for 5 ms at every handover (and SQLite releases the GIL per row fetched, so a query of n rows can wait n times); at 0.5 ms the UI keeps its frame budget during a big sync (bench/ui_latency.py).</extracomment>
        <translation>Crear o restaurar una billetera…</translation>
    </message>
    <message>
        <source>Open a wallet folder…</source>
        <translation>Abrir una carpeta de billetera…</translation>
    </message>
    <message>
        <source>No wallet is open</source>
        <translation>No hay ninguna billetera abierta</translation>
    </message>
    <message>
        <source>Paylight keeps each wallet in its own folder. Create or restore one, or open a wallet you already have.</source>
        <translation>Paylight guarda cada billetera en su propia carpeta. Crea o restaura una, o abre una billetera que ya tengas.</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Idioma del sistema</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Idioma:</translation>
    </message>
</context>
<context>
    <name>Wizard</name>
    <message>
        <source>Native SegWit (P2WPKH, bc1q…) — recommended</source>
        <translation>SegWit nativo (P2WPKH, bc1q…): recomendado</translation>
    </message>
    <message>
        <source>Taproot (P2TR, bc1p…)</source>
        <translation>Taproot (P2TR, bc1p…)</translation>
    </message>
    <message>
        <source>Nested SegWit (P2SH-P2WPKH, 3…)</source>
        <translation>SegWit anidado (P2SH-P2WPKH, 3…)</translation>
    </message>
    <message>
        <source>Legacy (P2PKH, 1…)</source>
        <translation>Heredado (P2PKH, 1…)</translation>
    </message>
</context>
<context>
    <name>WordField</name>
    <message>
        <source>Word {n}</source>
        <translation>Palabra {n}</translation>
    </message>
</context>
<context>
    <name>Workers</name>
    <message>
        <source>Something went wrong ({kind}); the details are in the log.</source>
        <translation>Algo salió mal ({kind}); los detalles están en el registro.</translation>
    </message>
</context>
</TS>
