package io.jnatsd.server.conn;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jnatsd.common.GoQuote;
import io.jnatsd.common.GoTime;
import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.config.AccountOptions;
import io.jnatsd.config.AuthCalloutOptions;
import io.jnatsd.config.AuthOptions;
import io.jnatsd.config.GoDuration;
import io.jnatsd.config.ServerOptions;
import io.jnatsd.jwt.AccountClaims;
import io.jnatsd.jwt.AuthorizationRequestClaims;
import io.jnatsd.jwt.Jwt;
import io.jnatsd.jwt.JwtCodec;
import io.jnatsd.jwt.JwtException;
import io.jnatsd.jwt.SigningKey;
import io.jnatsd.nkeys.Nonces;
import io.jnatsd.protocol.ProtocolError;
import io.jnatsd.protocol.ProtocolHandler;
import io.jnatsd.protocol.ProtocolParser;
import io.jnatsd.protocol.PublishLine;
import io.jnatsd.server.ServerInfo;
import io.jnatsd.server.account.Account;
import io.jnatsd.server.account.JwtAccount;
import io.jnatsd.server.account.ServiceImport;
import io.jnatsd.server.account.StreamImport;
import io.jnatsd.server.auth.AuthCallout;
import io.jnatsd.server.auth.AuthResult;
import io.jnatsd.server.auth.Authenticator;
import io.jnatsd.server.auth.ClientAuthentication;
import io.jnatsd.server.auth.ClientPermissions;
import io.jnatsd.server.auth.Credentials;
import io.jnatsd.server.auth.JwtAuthResult;
import io.jnatsd.server.auth.JwtAuthenticator;
import io.jnatsd.server.auth.Permissions;
import io.jnatsd.subject.InvalidSubjectException;
import io.jnatsd.subject.MatchCache;
import io.jnatsd.subject.SublistResult;
import io.jnatsd.subject.Subjects;
import io.jnatsd.subject.transform.SubjectMappings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.util.NetUtil;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;

/**
 * One connection of any {@link ConnectionKind}: nats-server's {@code client}. It parses what its peer sends, routes
 * published messages to matching subscriptions, and owns an {@link Outbound} that other connections append to.
 * <p>
 * Threads: everything that reads the socket, parses, subscribes, runs timers and closes happens on the
 * connection's event loop ({@link #eventLoop}). Publishers on other loops call only {@link #enqueueMessage} (under
 * the outbound lock) and {@link #scheduleFlush}. Internal connections (system, JetStream, account) have no channel;
 * their subscriptions carry a {@link MessageHandler} that is called on the publisher's thread.
 * <p>
 * Lock order: a publisher holds at most one receiver's outbound lock at a time, and never while calling into the
 * sublist or into {@link ClientPermissions}.
 */
public final class Connection implements ProtocolHandler {

    private static final NatsLogger LOG = NatsLogger.get(Connection.class);
    /**
     * User event asking the transport to decode what it still buffers, after a paused parser was resumed (see
     * {@link io.jnatsd.protocol.ProtocolParser#pause()}).
     */
    public static final Object RESUME_READING = new Object() {
        @Override
        public String toString() {
            return "RESUME_READING";
        }
    };

    private static final byte[] GATEWAY_REPLY_PREFIX = "_GR_.".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVICE_REPLY_PREFIX = "_R_.".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] JS_ACK_PREFIX = "$JS.ACK.".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RAFT_PREFIX = "$NRG.".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OLD_GATEWAY_REPLY_PREFIX = "$GR.".getBytes(StandardCharsets.US_ASCII);
    private static final String SYSTEM_QUEUE_GROUP = "_sys_";
    /** nats-server's firstClientPingInterval: the first PING after CONNECT measures the RTT. */
    private static final Duration FIRST_CLIENT_PING_INTERVAL = Duration.ofSeconds(2);
    /** nats-server closes a client found above its JWT subscription limit this long after telling it. */
    private static final long MAX_SUBS_CLOSE_DELAY_MILLIS = 20;
    private static final long RTT_MEASUREMENT_INTERVAL_NANOS = TimeUnit.HOURS.toNanos(1);
    private static final int MATCH_CACHE_ENTRIES = 512;

    private final ConnectionHost host;
    private final ConnectionKind kind;
    private final long cid;
    private final Channel channel;
    private final WebSocketState webSocket;  // null unless a WebSocket client
    private final EventLoop eventLoop;
    private volatile String ip;             // the PROXY header may replace the socket's peer (event loop)
    private volatile int port;
    private final Instant startTime;
    private final long startNanos;
    final Outbound outbound;
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final Runnable flushTask = this::flushFromTask;
    /** Hands a drained chunk to the channel (one instance, so a flush allocates no sink). */
    private final Outbound.ChunkSink writeToChannel = this::writeChunk;
    private final ProtocolParser parser;
    private final DeliveryBatch batch = new DeliveryBatch();
    private final PublishArgs publishArgs = new PublishArgs();
    private final MatchCache<Subscription> matchCache = new MatchCache<>(MATCH_CACHE_ENTRIES);
    private final Map<String, Subscription> subscriptions = new HashMap<>();
    private final ClientOptions clientOptions = new ClientOptions();

    /** Written by publishers of any thread, see {@link DeliveryBatch}; a stale value only costs a duplicate add. */
    long flushBatchToken;

    private volatile boolean closed;        // written under the outbound lock, read anywhere
    private volatile boolean slowConsumer;  // set under the outbound lock: no more messages are queued
    private volatile ClosedState closedState;
    private volatile String logPrefix;
    private volatile Instant stopTime;
    private Account account;
    private volatile ClientPermissions permissions; // null: none; written on the event loop, read by publishers
    private boolean authExpected;           // auth was required when the connection was accepted
    private String nonce;                   // the nonce sent in INFO, or null
    private boolean connectReceived;
    private boolean firstPongSent;
    private boolean headers;
    private boolean echo = true;
    private boolean inReadBatch;
    private boolean trace;
    private volatile boolean awaitingTls;   // written on the event loop
    private boolean awaitingProxyHeader;    // proxy_protocol: the header phase has not ended yet
    private boolean infoDeferred;
    private volatile SSLSession tlsSession;

    // counters: in* on the event loop; out* under the outbound lock
    private long inMsgs;
    private long inBytes;
    private long batchInMsgs;
    private long batchInBytes;
    long outMsgs;
    long outBytes;

    private int pingsOut;
    private long lastInNanos;
    /**
     * nats-server's {@code client.last}: the last read batch with messages or subscription changes, or the last
     * delivery flush to this connection. Written by the owner loop and by publishers' batches (racy but monotonic
     * enough for monitoring; not volatile, to keep a fence off the delivery path).
     */
    long lastActivityNanos;
    private boolean tlsFirst;               // the TLS handshake came before the INFO (handshake_first)
    private volatile ConnectionSnapshot closedSnapshot; // what monitoring keeps once closed
    private long batchStartNanos;
    private long rttNanos;
    private long rttStartNanos;
    private ScheduledFuture<?> pingTimer;
    private ScheduledFuture<?> authTimer;
    private String proxyKey;                // the trusted proxy this client came through, or null
    private ScheduledFuture<?> writeDeadlineTimer;
    private ScheduledFuture<?> expiryTimer;     // user JWT expiry or end of its connect window
    private volatile Instant authExpiry;        // when the user JWT (or its connect window) ends, or null

    // operator mode: the authenticated user JWT (event loop only, except the volatile limits)
    private volatile JwtUser jwtUser;           // null outside operator mode or before CONNECT
    private volatile int payloadLimitBytes = -1; // from the user/account JWT: -1 none (server max_payload applies)
    private int subscriptionLimit = -1;         // from the user/account JWT: -1 none
    private boolean calloutAuthorized;          // admitted by the auth callout (event loop only)
    private long internalSids = 1;              // internal kinds: next sid (under the subscriptions monitor)

    private Connection(ConnectionHost host, ConnectionKind kind, long cid, Channel channel, EventLoop eventLoop,
                       ByteBufAllocator allocator, String ip, int port, WebSocketState webSocket) {
        this.host = host;
        this.kind = kind;
        this.cid = cid;
        this.channel = channel;
        this.eventLoop = eventLoop;
        this.ip = ip;
        this.port = port;
        this.webSocket = webSocket;
        this.startTime = Instant.now();
        this.startNanos = System.nanoTime();
        this.outbound = new Outbound(allocator);
        this.parser = new ProtocolParser(this, host.options().maxControlLine());
        this.lastInNanos = startNanos;
        if (webSocket != null) {
            webSocket.connection(this);
            this.tlsSession = webSocket.tlsSession();
        }
        this.logPrefix = basePrefix() + " - ";
        this.lastActivityNanos = startNanos;
    }

    /**
     * {@code <ip>:<port> - cid:<n>} ({@code wid} for a WebSocket client, whose {@code X-Forwarded-For} address
     * comes first: {@code <forwarded>/<ip>:<port>}), or the internal kind's tag.
     */
    // nats-server: client.go initClient (ncs)
    private String basePrefix() {
        if (kind.isInternal()) {
            return kind.logId();
        }
        StringBuilder b = new StringBuilder();
        if (webSocket != null && webSocket.forwardedFor() != null) {
            String forwarded = webSocket.forwardedFor();
            b.append(forwarded.indexOf(':') >= 0 ? "[" + forwarded + "]" : forwarded).append('/');
        }
        return b.append(ip).append(':').append(port).append(" - ").append(webSocket != null ? "wid" : kind.logId())
                .append(':').append(cid).toString();
    }

    /** A network client connection on {@code channel}; call {@link #onAccepted()} once it is active. */
    public static Connection client(ConnectionHost host, long cid, Channel channel) {
        InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
        String ip = remote == null ? "" : remote.getAddress().getHostAddress();
        int port = remote == null ? 0 : remote.getPort();
        return new Connection(host, ConnectionKind.CLIENT, cid, channel, channel.eventLoop(), channel.alloc(), ip,
                port, null);
    }

    /**
     * A WebSocket client on {@code channel}, whose upgrade negotiated {@code state}; call {@link #onAccepted(int)}
     * once the upgrade response is written.
     */
    public static Connection webSocketClient(ConnectionHost host, long cid, Channel channel, WebSocketState state) {
        InetSocketAddress remote = channel.remoteAddress() instanceof InetSocketAddress a ? a : null;
        String ip = remote == null ? "" : remote.getAddress().getHostAddress();
        int port = remote == null ? 0 : remote.getPort();
        return new Connection(host, ConnectionKind.CLIENT, cid, channel, channel.eventLoop(), channel.alloc(), ip,
                port, state);
    }

    /** An internal connection (system, JetStream or account client) bound to {@code account}. */
    public static Connection internal(ConnectionHost host, ConnectionKind kind, long cid, Account account) {
        if (!kind.isInternal()) {
            throw new IllegalArgumentException("kind: " + kind + " (expected: an internal kind)");
        }
        Connection c = new Connection(host, kind, cid, null, null, ByteBufAllocator.DEFAULT, "", 0, null);
        c.account = account;
        c.clientOptions.verbose = false;
        c.clientOptions.pedantic = false;
        c.headers = true;
        c.connectReceived = true;
        c.echo = false;                         // nats-server's internal clients do not hear themselves
        return c;
    }

    // ------------------------------------------------------------------------------------------------ accessors

    public ConnectionKind kind() {
        return kind;
    }

    public long cid() {
        return cid;
    }

    /** Whether this is a WebSocket client. */
    public boolean isWebSocket() {
        return webSocket != null;
    }

    /**
     * nats-server's {@code clientTypeString()}: {@code nats} for a plain client, {@code websocket} for a WebSocket
     * one, empty for other kinds (what monitoring reports as {@code type}).
     */
    public String clientType() {
        if (kind != ConnectionKind.CLIENT) {
            return "";
        }
        return webSocket != null ? "websocket" : "nats";
    }

    /** The {@code allowed_connection_types} name of this client: {@code STANDARD} or {@code WEBSOCKET}. */
    // nats-server: client.go connectionTypeAllowed
    private String connectionType() {
        return webSocket != null ? Authenticator.WEBSOCKET : Authenticator.STANDARD;
    }

    /** The authenticator that applies to this client (WebSocket clients have their listener's overrides). */
    private Authenticator authenticator() {
        return webSocket != null ? host.webSocketAuthenticator() : host.authenticator();
    }

    /** The INFO template of this client's listener. */
    private ServerInfo infoTemplate() {
        return webSocket != null ? host.webSocketInfo() : host.info();
    }

    /**
     * The INFO template of asynchronous INFOs (connect info, lame duck): the listener's host, port and TLS, but the
     * server's own {@code auth_required} (nats-server copies the server's INFO, without the WebSocket override).
     */
    // nats-server: client.go processPing, generateClientInfoJSON
    private ServerInfo asyncInfoTemplate() {
        return webSocket != null ? host.webSocketInfo().withAuthRequired(host.info().authRequired()) : host.info();
    }

    /** The ping interval: the WebSocket block's {@code ping_interval} when set, else the server's. */
    private Duration pingInterval() {
        ServerOptions opts = host.options();
        if (webSocket != null && !opts.websocket().pingInterval().isZero()) {
            return opts.websocket().pingInterval();
        }
        return opts.pingInterval();
    }

    /** The largest payload this client may publish: the server's max_payload, lowered by its user JWT. */
    public int maxPayload() {
        int maxPayload = host.options().maxPayload();
        int ownLimit = payloadLimitBytes;
        return ownLimit >= 0 && ownLimit < maxPayload ? ownLimit : maxPayload;
    }

    public String ip() {
        return ip;
    }

    public int port() {
        return port;
    }

    public Instant startTime() {
        return startTime;
    }

    /** When the connection closed, or null while open. */
    public Instant stopTime() {
        return stopTime;
    }

    public Account account() {
        return account;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Why the connection closed, or null while open. */
    public ClosedState closedState() {
        return closedState;
    }

    /** The CONNECT options (name, lang, version, ...). Read on the event loop, or after close. */
    public ClientOptions clientOptions() {
        return clientOptions;
    }

    public long inMsgs() {
        return inMsgs;
    }

    public long inBytes() {
        return inBytes;
    }

    public long outMsgs() {
        return outMsgs;
    }

    public long outBytes() {
        return outBytes;
    }

    /** The last measured round trip time. */
    public Duration rtt() {
        return Duration.ofNanos(rttNanos);
    }

    /** Number of subscriptions. Event loop only. */
    public int subscriptionCount() {
        return subscriptions.size();
    }

    /** A copy of the subscriptions. Event loop only. */
    public List<Subscription> subscriptions() {
        return new ArrayList<>(subscriptions.values());
    }

    /**
     * A consistent view of this connection for monitoring, taken on its event loop (an internal connection's at
     * once). Once the connection has closed, the view taken when it closed. Any thread; never completes
     * exceptionally, but completes with null if the connection's loop has stopped before it was ever closed.
     */
    // nats-server: monitor.go ConnInfo.fill (under the client lock)
    public CompletableFuture<ConnectionSnapshot> snapshot(boolean withSubscriptions) {
        if (eventLoop == null || eventLoop.inEventLoop()) {
            return CompletableFuture.completedFuture(currentSnapshot(withSubscriptions));
        }
        CompletableFuture<ConnectionSnapshot> result = new CompletableFuture<>();
        try {
            eventLoop.execute(() -> result.complete(currentSnapshot(withSubscriptions)));
        } catch (RejectedExecutionException e) {
            result.complete(closedSnapshot);
        }
        return result;
    }

    /** The view kept when the connection closed (client kinds), or null while open. Any thread. */
    public ConnectionSnapshot closedSnapshot() {
        return closedSnapshot;
    }

    private ConnectionSnapshot currentSnapshot(boolean withSubscriptions) {
        ConnectionSnapshot last = closedSnapshot;
        return closed && last != null ? last : snapshotOnLoop(withSubscriptions, null);
    }

    /** Builds the snapshot; event loop only (or any thread for an internal connection). */
    private ConnectionSnapshot snapshotOnLoop(boolean withSubscriptions, Instant stop) {
        if (rttNanos == 0 && channel != null && !closed && clientOptions.lang != null
                && !clientOptions.lang.isEmpty()) {
            // nats-server: monitor.go getRTT asks a real client for its RTT (sendRTTPingLocked)
            rttStartNanos = System.nanoTime();
            enqueueProtocol(Frames.PING);
        }
        List<ConnectionSnapshot.SubscriptionSnapshot> subs = null;
        int numSubs;
        long pending;
        String accountName = account == null ? null : account.name();
        List<Subscription> current;
        if (channel == null) {
            synchronized (subscriptions) {
                current = new ArrayList<>(subscriptions.values());
            }
        } else {
            current = withSubscriptions ? new ArrayList<>(subscriptions.values()) : null;
        }
        numSubs = current != null ? current.size() : subscriptions.size();
        outbound.lock();
        try {
            pending = outbound.bufferedBytesLocked();
            if (withSubscriptions) {
                subs = new ArrayList<>(current.size());
                for (Subscription sub : current) {
                    subs.add(new ConnectionSnapshot.SubscriptionSnapshot(accountName, sub.subjectString(),
                            sub.queueString(), sub.sidString(), sub.delivered, sub.maxMessages, cid));
                }
            }
        } finally {
            outbound.unlock();
        }
        pending += channelPendingBytes();
        SSLSession session = tlsSession;
        String tlsVersion = null;
        String tlsCipher = null;
        if (session != null) {
            String protocol = session.getProtocol();
            tlsVersion = protocol.startsWith("TLSv") ? (protocol.length() == 5 ? protocol.substring(4) + ".0"
                    : protocol.substring(4)) : protocol;
            tlsCipher = session.getCipherSuite();
        }
        JwtUser user = jwtUser;
        String jwt = clientOptions.jwt;
        if (user != null && user.bearer()) {
            jwt = "";                           // nats-server: monitor.go redactBearerJWT
        }
        Instant lastActivity = startTime.plusNanos(Math.max(0, lastActivityNanos - startNanos));
        return new ConnectionSnapshot(cid, kind, kind == ConnectionKind.CLIENT ? clientType() : "", ip, port, startTime,
                lastActivity, stop, rttNanos, pending, inMsgs, outMsgs, inBytes, outBytes, clientOptions.name,
                clientOptions.lang, clientOptions.version, tlsVersion, tlsCipher, peerCertificates(), tlsFirst,
                authorizedUser(), accountName, jwt, user == null ? null : user.issuer(),
                user == null ? null : user.account().nameTag(), proxyKey, clientOptions.protocol,
                clientOptions.protocol >= 1 && firstPongSent, numSubs, subs);
    }

    /** The permissions of this client as configured (or from its JWT), or null when unrestricted. Any thread. */
    public io.jnatsd.config.AuthOptions.Permissions permissionsSource() {
        ClientPermissions perms = permissions;
        return perms == null ? null : perms.permissions().source();
    }

    /** When this client's authentication expires (user JWT expiry or connect window), or null. Any thread. */
    public Instant authExpiry() {
        return authExpiry;
    }

    /** nats-server's {@code getRawAuthUser}: nkey, user, JWT user key or a redacted token; empty when none. */
    // nats-server: client.go getRawAuthUser
    private String authorizedUser() {
        if (clientOptions.nkey != null && !clientOptions.nkey.isEmpty()) {
            return clientOptions.nkey;
        }
        if (clientOptions.user != null && !clientOptions.user.isEmpty()) {
            return clientOptions.user;
        }
        JwtUser user = jwtUser;
        if (user != null) {
            return user.userKey();
        }
        if (clientOptions.token != null && !clientOptions.token.isEmpty()) {
            return "[REDACTED]";
        }
        return "";
    }

    @Override
    public String toString() {
        String prefix = logPrefix;
        return prefix.substring(0, prefix.length() - 3);
    }

    // --------------------------------------------------------------------------------------------- lifecycle

    /**
     * Starts a network connection: joins the global account, sends INFO, enforces max_connections and arms the
     * auth and ping timers. Event loop only.
     *
     * @param clientCount the number of clients including this one
     */
    public void onAccepted(int clientCount) {
        accept(clientCount, false, false);
    }

    /**
     * Starts a network connection whose transport is still being negotiated (TLS): as {@link #onAccepted(int)},
     * except that the timers wait for {@link #onTlsEstablished} or {@link #onTlsNotUsed}, and the INFO too when
     * {@code infoAfterHandshake} (handshake_first). Event loop only.
     */
    public void onAcceptedAwaitingTls(int clientCount, boolean infoAfterHandshake) {
        accept(clientCount, true, infoAfterHandshake);
    }

    // nats-server: server.go createClientEx (INFO, max connections, then TLS, then the auth and ping timers)
    private void accept(int clientCount, boolean tls, boolean deferInfo) {
        ServerOptions opts = host.options();
        Authenticator auth = authenticator();
        account = host.globalAccount();
        account.addClient();
        host.onAccountConnectionsChanged(account);
        awaitingTls = tls;
        infoDeferred = deferInfo;
        if (LOG.isDebugEnabled()) {
            LOG.debug(logPrefix + "Client connection created");
        }
        authExpected = auth.authRequired();
        if (auth.nonceRequired()) {
            nonce = Nonces.newNonce();
        }
        if (!deferInfo) {
            // not flushed yet: a refusal below leaves in the same write (on a TLS port, the plaintext one before
            // the handshake)
            appendProtocol(Frames.infoLine(infoTemplate().forClient(cid, infoClientIp(), nonce)));
        }
        if (opts.maxConnections() <= 0 || clientCount > opts.maxConnections()) {
            LOG.error(logPrefix + "maximum connections exceeded");
            sendErr("maximum connections exceeded");
            closeConnection(ClosedState.MAX_CONNECTIONS_EXCEEDED);
            return;
        }
        if (!tls && !awaitingProxyHeader) {
            armStartTimers(opts);
        }
        scheduleFlush();
    }

    /**
     * {@code proxy_protocol}: the socket may start with a PROXY header, so the INFO leaves out {@code client_ip}
     * (it would be the proxy's) and the timers wait for {@link #onProxyHeader}. Call before
     * {@link #onAccepted(int)}. Event loop only.
     */
    // nats-server: server.go createClientEx (generateClientInfoJSON(info, !opts.ProxyProtocol))
    public void awaitProxyHeader() {
        awaitingProxyHeader = true;
    }

    /** The client_ip of an INFO sent now: none while a PROXY header may still change the address. */
    private String infoClientIp() {
        return awaitingProxyHeader ? null : ip;
    }

    /**
     * The PROXY header phase ended: {@code source} (null when there was no header, or a LOCAL/UNKNOWN one) is the
     * client's real address from now on, for logs, monitoring and authentication. Arms the timers unless TLS is
     * still being negotiated. Event loop only.
     */
    // nats-server: server.go createClientEx (proxyConn, c.host/c.port overridden)
    public void onProxyHeader(InetSocketAddress source) {
        if (closed || !awaitingProxyHeader) {
            return;
        }
        awaitingProxyHeader = false;
        if (source != null) {
            ip = NetUtil.toAddressString(source.getAddress());
            port = source.getPort();
            logPrefix = basePrefix() + " - ";
        }
        if (!awaitingTls) {
            armStartTimers(host.options());
        }
    }

    /**
     * The PROXY header was malformed, unsupported or incomplete: logs nats-server's warning and closes with
     * Protocol Violation, without {@code -ERR}. Event loop only.
     */
    // nats-server: server.go createClientEx ("Error reading PROXY protocol header from %s: %v")
    public void onProxyHeaderError(String error) {
        if (closed || !awaitingProxyHeader) {
            return;                             // closed by the server, or never started (shutdown)
        }
        awaitingProxyHeader = false;
        String peer = ip.indexOf(':') >= 0 ? "[" + ip + "]:" + port : ip + ":" + port;
        LOG.warn("Error reading PROXY protocol header from " + peer + ": " + error);
        closeConnection(ClosedState.PROTOCOL_VIOLATION);
    }

    /** The timers that start once the transport is settled (after the PROXY header and TLS handshake, if any). */
    // nats-server: server.go createClientEx, websocket.go createWSClient (the WebSocket auth timeout)
    private void armStartTimers(ServerOptions opts) {
        if (authExpected) {
            Duration timeout = opts.authTimeout();
            if (webSocket != null && !opts.websocket().authTimeout().isZero()) {
                timeout = opts.websocket().authTimeout();
            }
            authTimer = eventLoop.schedule(this::onAuthTimeout, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        armPingTimer(pingInterval());
    }

    /**
     * Builds the CONNECT reader ahead of the first client: the server calls it on a background thread once it
     * listens, so that the first CONNECT does not wait for Jackson. Any thread.
     */
    public static void prepareConnectReader() {
        ConnectJson.prepare();
    }

    /** Marks the start of a read batch: caches the trace switch for the batch. Event loop only. */
    public void beginReadBatch() {
        inReadBatch = true;
        trace = LOG.isTraceEnabled();
        batchStartNanos = System.nanoTime();   // the clock is read once per read batch, as nats-server's readLoop
    }

    /** Parses bytes from the socket. Event loop only. */
    public void onRead(ByteBuf in) {
        if (closed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        parser.parse(in);
        if (parser.isStopped()) {
            in.skipBytes(in.readableBytes());
        }
    }

    /**
     * Ends a read batch: adds the batch's counters to the server's and gives every receiver appended to during
     * the batch (this connection included) one flush. Event loop only.
     */
    public void endReadBatch() {
        inReadBatch = false;
        ServerStats stats = host.stats();
        Account acc = account;
        if (batchInMsgs != 0) {
            stats.inMsgs.add(batchInMsgs);
            stats.inBytes.add(batchInBytes);
            stats.inClientMsgs.add(batchInMsgs);
            stats.inClientBytes.add(batchInBytes);
            if (acc != null) {
                acc.stats().addReceived(batchInMsgs, batchInBytes);
            }
            batchInMsgs = 0;
            batchInBytes = 0;
            lastActivityNanos = batchStartNanos;
        }
        batch.flush(stats, acc, batchStartNanos);
    }

    /** The peer closed or the channel failed. Event loop only. */
    public void onChannelInactive() {
        closeConnection(ClosedState.CLIENT_CLOSED);
    }

    /** A read or write failure on the channel. Event loop only. */
    public void onChannelException(Throwable cause) {
        if (closed) {
            return;
        }
        if (cause instanceof IOException) {
            if (LOG.isDebugEnabled()) {
                LOG.debug(logPrefix + "Client read error: " + cause.getMessage());
            }
            closeConnection(ClosedState.READ_ERROR);
        } else {
            LOG.error(logPrefix + "Unexpected error: " + cause, cause);
            closeConnection(ClosedState.READ_ERROR);
        }
    }

    /** The channel's writability changed: arms or clears the write deadline. Event loop only. */
    public void onWritabilityChanged(boolean writable) {
        if (writable) {
            if (writeDeadlineTimer != null) {
                writeDeadlineTimer.cancel(false);
                writeDeadlineTimer = null;
            }
        } else {
            armWriteDeadline();
        }
    }

    /**
     * Closes the connection for {@code reason}: first reason wins; subscriptions leave the account, queued output
     * is flushed unless the reason forbids it, then the socket closes. Any thread.
     */
    public void closeConnection(ClosedState reason) {
        if (eventLoop != null && !eventLoop.inEventLoop()) {
            runOnEventLoop(() -> closeConnection(reason));
            return;
        }
        outbound.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closedState = reason;
        } finally {
            outbound.unlock();
        }
        stopTime = Instant.now();
        cancelTimers();
        if (kind == ConnectionKind.CLIENT) {
            closedSnapshot = snapshotOnLoop(true, stopTime);
        }
        removeAllSubscriptions();
        if (account != null && kind == ConnectionKind.CLIENT) {
            account.removeClient();
            host.onAccountConnectionsChanged(account);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug(logPrefix + kind.displayName() + " connection closed: " + reason.text());
        }
        if (channel != null) {
            if (reason.flushesBeforeClose() || (webSocket != null && webSocket.flushOnClose())) {
                outbound.drain(writeToChannel);
                if (webSocket != null) {
                    // nats-server: client.go markConnAsClosed (the close frame goes out after what is queued)
                    ByteBuf frame = webSocket.takeCloseFrame(reason, channel.alloc());
                    if (frame != null) {
                        channel.write(new WebSocketState.ControlFrame(frame), channel.voidPromise());
                    }
                }
                channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            } else {
                outbound.discard();
                if (webSocket != null) {
                    webSocket.discardCloseFrame();
                }
                channel.close();
            }
        }
        host.onConnectionClosed(this);
    }

    private void cancelTimers() {
        if (pingTimer != null) {
            pingTimer.cancel(false);
            pingTimer = null;
        }
        if (authTimer != null) {
            authTimer.cancel(false);
            authTimer = null;
        }
        if (writeDeadlineTimer != null) {
            writeDeadlineTimer.cancel(false);
            writeDeadlineTimer = null;
        }
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
            expiryTimer = null;
        }
    }

    private void removeAllSubscriptions() {
        if (subscriptions.isEmpty()) {
            return;
        }
        List<Subscription> subs = new ArrayList<>(subscriptions.values());
        subscriptions.clear();
        for (Subscription sub : subs) {
            sub.closed = true;
            removeShadows(sub);
        }
        if (account != null) {
            account.sublist().removeBatch(subs);
            for (Subscription sub : subs) {
                onInterestRemoved(sub);
            }
        }
    }

    /**
     * Adds, for each stream import of the account the subscription's subject overlaps, a shadow subscription in
     * the exporting account's sublist that delivers to this client. Owner thread.
     */
    // nats-server: client.go addShadowSubscriptions, addShadowSub
    private void addShadowSubscriptions(Subscription sub) {
        StreamImport[] imports = account.streamImports();
        if (imports.length == 0 || sub.special) {
            return;
        }
        String subject = sub.subjectString();
        List<Subscription> shadows = null;
        for (StreamImport im : imports) {
            if (im.isInvalid()) {
                continue;
            }
            String shadowSubject = ShadowSubjects.shadowSubject(subject, im);
            if (shadowSubject == null) {
                continue;
            }
            Subscription shadow = new Subscription(this, shadowSubject.getBytes(StandardCharsets.UTF_8), sub.queue(),
                    sub.sid(), null, im, sub, null, null);
            if (LOG.isDebugEnabled()) {
                LOG.debug(logPrefix + "Creating import subscription on " + GoQuote.quote(shadowSubject)
                        + " from account " + GoQuote.quote(im.exporter().name()));
            }
            try {
                im.exporter().sublist().insert(shadow);
            } catch (InvalidSubjectException e) {
                if (LOG.isDebugEnabled()) {
                    LOG.debug(logPrefix + "Could not add shadow import subscription for account "
                            + GoQuote.quote(im.exporter().name()));
                }
                continue;
            }
            if (shadows == null) {
                shadows = new ArrayList<>(imports.length);
            }
            shadows.add(shadow);
        }
        sub.shadows = shadows == null ? null : shadows.toArray(Subscription[]::new);
    }

    /** Takes the subscription's shadows out of the exporters' sublists. Owner thread. */
    private static void removeShadows(Subscription sub) {
        Subscription[] shadows = sub.shadows;
        if (shadows == null) {
            return;
        }
        sub.shadows = null;
        for (Subscription shadow : shadows) {
            shadow.closed = true;
            shadow.streamImport.exporter().sublist().remove(shadow);
        }
    }

    /**
     * Rebuilds the shadow subscriptions of every subscription after the account's stream imports changed
     * (reload, account update). Any thread; the work runs on the event loop.
     */
    // nats-server: client.go processSubsOnConfigReload (accounts whose stream imports changed)
    public void refreshStreamImports() {
        if (eventLoop != null && !eventLoop.inEventLoop()) {
            runOnEventLoop(this::refreshStreamImports);
            return;
        }
        if (closed || kind.isInternal()) {
            return;
        }
        for (Subscription sub : subscriptions.values()) {
            removeShadows(sub);
            addShadowSubscriptions(sub);
        }
    }

    /** A subscription left the account: response mappings waiting on its subject may go. */
    private void onInterestRemoved(Subscription sub) {
        Account acc = account;
        if (acc != null && acc.hasReverseEntries() && !isReservedReply(sub.subject())) {
            ServiceImports.onInterestRemoved(acc, sub.subjectString());
        }
    }

    // nats-server: client.go isReservedReply
    private static boolean isReservedReply(byte[] subject) {
        return startsWith(subject, SERVICE_REPLY_PREFIX) || startsWith(subject, JS_ACK_PREFIX)
                || startsWith(subject, GATEWAY_REPLY_PREFIX) || startsWith(subject, OLD_GATEWAY_REPLY_PREFIX);
    }

    private static boolean startsWith(byte[] value, byte[] prefix) {
        if (value.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (value[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------------- TLS

    /** The TLS handshake starts. Event loop only. */
    public void onTlsHandshakeStarted() {
        if (LOG.isDebugEnabled()) {
            LOG.debug(logPrefix + "Starting TLS client connection handshake");
        }
    }

    /**
     * The TLS handshake completed: sends the INFO if it waited for the handshake (with {@code tls_required}) and
     * arms the timers. Event loop only.
     */
    // nats-server: server.go createClientEx (after doTLSServerHandshake)
    public void onTlsEstablished(SSLSession session) {
        if (closed) {
            return;
        }
        tlsSession = session;
        awaitingTls = false;
        if (infoDeferred) {
            infoDeferred = false;
            tlsFirst = true;
            enqueueProtocol(Frames.infoLine(host.info().forClient(cid, ip, nonce).withTlsRequired(true)));
        }
        if (!awaitingProxyHeader) {
            armStartTimers(host.options());
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug(logPrefix + "TLS handshake complete");
            String protocol = session.getProtocol();
            LOG.debug(logPrefix + "TLS version " + (protocol.startsWith("TLSv") ? protocol.substring(4) : protocol)
                    + ", cipher suite " + session.getCipherSuite());
        }
        scheduleFlush();
    }

    /** The client of an allow_non_tls port stays in plaintext: arms the timers. Event loop only. */
    public void onTlsNotUsed() {
        if (closed) {
            return;
        }
        awaitingTls = false;
        if (!awaitingProxyHeader) {
            armStartTimers(host.options());
        }
    }

    /**
     * handshake_first with a fallback delay: the client did not start TLS in time, so the INFO (with the server's
     * {@code tls_required}) goes out first after all. Event loop only.
     */
    public void sendDeferredInfo() {
        if (closed || !infoDeferred) {
            return;
        }
        infoDeferred = false;
        enqueueProtocol(Frames.infoLine(host.info().forClient(cid, host.options().proxyProtocol() ? null : ip,
                nonce)));
        scheduleFlush();
    }

    /** The TLS handshake failed: logs it as nats-server does and closes. Event loop only. */
    // nats-server: client.go doTLSHandshake
    public void onTlsHandshakeError(String error, boolean probe) {
        if (closed) {
            return;
        }
        if (probe) {
            if (LOG.isDebugEnabled()) {
                LOG.debug(logPrefix + "TLS handshake error: " + error);
            }
        } else {
            LOG.error(logPrefix + "TLS handshake error: " + error);
        }
        closeConnection(ClosedState.TLS_HANDSHAKE_ERROR);
    }

    /**
     * The TLS handshake did not finish in time. As in nats-server the {@code -ERR} is queued behind the unfinished
     * TLS session, so the client never reads it; the connection closes without flushing. Event loop only.
     */
    // nats-server: server.go tlsTimeout
    public void onTlsHandshakeTimeout() {
        if (closed) {
            return;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug(logPrefix + "TLS handshake timeout");
        }
        sendErr("Secure Connection - TLS Required");
        closeConnection(ClosedState.TLS_HANDSHAKE_ERROR);
    }

    /** {@code connection_rate_limit} refused the handshake. Event loop only. */
    // nats-server: server.go createClientEx (connRateCounter)
    public void onTlsThrottled() {
        if (closed) {
            return;
        }
        sendErr("Connection throttling is active. Please try again later.");
        closeConnection(ClosedState.MAX_CONNECTIONS_EXCEEDED);
    }

    /** The TLS session, or null for a plaintext connection or before the handshake completes. Any thread. */
    public SSLSession tlsSession() {
        return tlsSession;
    }

    /** Whether the connection still waits for its TLS negotiation to settle. Any thread. */
    public boolean isAwaitingTls() {
        return awaitingTls;
    }

    // -------------------------------------------------------------------------------------------- WebSocket

    /** A ping frame: answered at once with a pong that carries the same payload. Event loop only. */
    // nats-server: websocket.go wsHandleControlFrame (wsPingMessage)
    public void onWebSocketPing(byte[] payload) {
        if (closed) {
            return;
        }
        ByteBuf pong = WebSocketState.controlFrame(channel.alloc(), WebSocketState.OPCODE_PONG, payload);
        channel.writeAndFlush(new WebSocketState.ControlFrame(pong), channel.voidPromise());
    }

    /**
     * The client sent a close frame: what is queued is flushed, then {@code echo} (the complete close frame to send
     * back), and the connection closes as Client Closed. Event loop only.
     */
    // nats-server: websocket.go wsHandleControlFrame (wsCloseMessage, then io.EOF)
    public void onWebSocketClose(ByteBuf echo) {
        if (closed) {
            echo.release();
            return;
        }
        webSocket.queueClose(echo, false);
        closeConnection(ClosedState.CLIENT_CLOSED);
    }

    /**
     * A frame broke the WebSocket protocol: logs {@code read error: <message>}, sends what is queued and a close
     * frame with status 1002 and {@code message}, and closes as Read Error. (nats-server queues the same frame but
     * usually closes the socket before its writer sends it.) Event loop only.
     */
    // nats-server: websocket.go wsHandleProtocolError, client.go readLoop ("read error: %v", ReadError)
    public void onWebSocketProtocolError(String message) {
        if (closed) {
            return;
        }
        webSocket.queueClose(WebSocketState.closeFrame(channel.alloc(), WebSocketState.CLOSE_PROTOCOL_ERROR,
                message), true);
        onWebSocketReadError(message);
    }

    /**
     * A WebSocket message could not be read (a compressed message too large or corrupt): logs
     * {@code read error: <message>} and closes as Read Error, without a close frame. Event loop only.
     */
    // nats-server: client.go readLoop ("read error: %v", ReadError skips the flush)
    public void onWebSocketReadError(String message) {
        if (closed) {
            return;
        }
        LOG.error(logPrefix + "read error: " + message);
        closeConnection(ClosedState.READ_ERROR);
    }

    // ----------------------------------------------------------------------------------------- timers

    private void armPingTimer(Duration interval) {
        if (pingTimer != null) {
            pingTimer.cancel(false);
        }
        pingTimer = eventLoop.schedule(this::onPingTimer, interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    // nats-server: client.go processPingTimer
    private void onPingTimer() {
        pingTimer = null;
        if (closed) {
            return;
        }
        ServerOptions opts = host.options();
        Duration interval = pingInterval();
        if (LOG.isDebugEnabled()) {
            LOG.debug(logPrefix + kind.displayName() + " Ping Timer");
        }
        long now = System.nanoTime();
        boolean needRtt = rttNanos == 0 || now - rttStartNanos > RTT_MEASUREMENT_INTERVAL_NANOS;
        long sinceIn = now - lastInNanos;
        if (sinceIn < interval.toNanos() && !needRtt) {
            if (LOG.isDebugEnabled()) {
                LOG.debug(logPrefix + "Delaying PING due to remote client data or ping "
                        + GoDuration.format(Duration.ofSeconds(Math.round(sinceIn / 1e9))) + " ago");
            }
        } else {
            if (pingsOut + 1 > opts.pingMax()) {
                if (LOG.isDebugEnabled()) {
                    LOG.debug(logPrefix + "Stale Client Connection - Closing");
                }
                host.stats().staleConnections.increment();
                enqueueProtocol(Frames.errLine("Stale Connection"));
                closeConnection(ClosedState.STALE_CONNECTION);
                return;
            }
            sendPing();
        }
        armPingTimer(interval);
        scheduleFlush();
    }

    private void sendPing() {
        pingsOut++;
        rttStartNanos = System.nanoTime();
        traceOut("PING", null);
        enqueueProtocol(Frames.PING);
    }

    private void onAuthTimeout() {
        authTimer = null;
        if (closed) {
            return;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug(logPrefix + "Authentication Timeout");
        }
        sendErr("Authentication Timeout");
        closeConnection(ClosedState.AUTHENTICATION_TIMEOUT);
    }

    private void armWriteDeadline() {
        if (writeDeadlineTimer != null || closed || channel == null) {
            return;
        }
        Duration deadline = host.options().writeDeadline();
        writeDeadlineTimer = eventLoop.schedule(this::onWriteDeadline, deadline.toNanos(), TimeUnit.NANOSECONDS);
    }

    // nats-server: client.go handleWriteTimeout
    private void onWriteDeadline() {
        writeDeadlineTimer = null;
        if (closed || channel.isWritable()) {
            return;
        }
        ChannelOutboundBuffer pending = channel.unsafe().outboundBuffer();
        long bytes = pending == null ? 0 : pending.totalPendingWriteBytes();
        int chunks = pending == null ? 0 : pending.size();
        ServerOptions.WriteTimeoutPolicy policy = host.options().writeTimeoutPolicy();
        boolean retry = policy == ServerOptions.WriteTimeoutPolicy.RETRY
                || (policy == ServerOptions.WriteTimeoutPolicy.DEFAULT && kind != ConnectionKind.CLIENT);
        LOG.notice(logPrefix + "Slow Consumer Detected: WriteDeadline of "
                + GoDuration.format(host.options().writeDeadline()) + " exceeded with " + chunks + " chunks of "
                + bytes + " total bytes.");
        if (retry) {
            armWriteDeadline();
            return;
        }
        host.stats().slowConsumers.increment();
        if (account != null) {
            account.stats().slowConsumers.increment();
        }
        closeConnection(ClosedState.SLOW_CONSUMER_WRITE_DEADLINE);
    }

    // ------------------------------------------------------------------------------------------- outbound

    /** Appends protocol bytes (INFO, PONG, +OK, -ERR, ...) to this connection's own outbound. Event loop only. */
    private void enqueueProtocol(byte[] bytes) {
        if (!appendProtocol(bytes)) {
            return;
        }
        if (inReadBatch) {
            batch.add(this);
        } else {
            scheduleFlush();
        }
    }

    /**
     * Checks this client against a reloaded authorization: closes it with an authorization violation when its
     * credentials no longer pass, installs its user's new permissions and removes the subscriptions they forbid.
     * Any thread; the work runs on the event loop and the future completes when it is done.
     */
    // nats-server: reload.go reloadAuthorization, client.go processSubsOnConfigReload
    public CompletableFuture<Void> reauthorize(Authenticator auth) {
        return reauthorize(auth, java.util.Set.of());
    }

    /**
     * {@link #reauthorize(Authenticator)}, then, when the client's account is in {@code streamImportsChanged},
     * rebuilds its shadow subscriptions for the account's new stream imports.
     */
    public CompletableFuture<Void> reauthorize(Authenticator auth, java.util.Set<Account> streamImportsChanged) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (eventLoop == null || kind != ConnectionKind.CLIENT) {
            done.complete(null);
            return done;
        }
        Runnable task = () -> {
            try {
                reauthorizeOnLoop(auth);
                if (!closed && streamImportsChanged.contains(account)) {
                    refreshStreamImports();
                }
            } finally {
                done.complete(null);
            }
        };
        if (eventLoop.inEventLoop()) {
            task.run();
        } else {
            try {
                eventLoop.execute(task);
            } catch (RejectedExecutionException e) {
                done.complete(null);
            }
        }
        return done;
    }

    private void reauthorizeOnLoop(Authenticator auth) {
        if (closed || jwtUser != null || auth.jwt() != null) {
            return;                             // operator-mode clients are re-checked on account updates
        }
        // nats-server: reload.go proxiesReload (connections of a removed trusted proxy are closed)
        if (proxyKey != null && !auth.trustsProxy(proxyKey)) {
            authViolation(ClosedState.PROXY_NOT_TRUSTED);
            return;
        }
        if (movedToAnotherAccount(auth)) {
            closeConnection(ClosedState.CLIENT_CLOSED);
            return;
        }
        if (calloutAuthorized) {
            return;                             // nats-server asks the callout service again; jnatsd keeps it
        }
        AuthResult result = authenticate(auth);
        if (!result.authorized()) {
            authViolation(failureState(result));
            return;
        }
        if (closed) {
            return;
        }
        ClientPermissions perms = permissions;
        if (perms == null) {
            return;
        }
        perms.resetDeliveryFilter();
        List<Subscription> forbidden = new ArrayList<>();
        for (Subscription sub : subscriptions.values()) {
            if (!perms.canSubscribe(sub.subjectString(), sub.queueString())) {
                forbidden.add(sub);
            }
        }
        String user = credentials().describe();
        for (Subscription sub : forbidden) {
            subscriptions.remove(sub.sidString(), sub);
            sub.closed = true;
            account.sublist().remove(sub);
            removeShadows(sub);
            onInterestRemoved(sub);
            String subject = GoQuote.quote(sub.subjectString());
            String sid = GoQuote.quote(sub.sidString());
            if (sub.queue() != null) {
                String queue = GoQuote.quote(sub.queueString());
                sendErr("Permissions Violation for Subscription to " + subject + " using queue " + queue + " (sid "
                        + sid + ")");
                LOG.notice("Removed sub " + subject + " using queue " + queue + " (sid " + sid + ") for " + user
                        + " - not authorized");
            } else {
                sendErr("Permissions Violation for Subscription to " + subject + " (sid " + sid + ")");
                LOG.notice("Removed sub " + subject + " (sid " + sid + ") for " + user + " - not authorized");
            }
        }
    }

    /**
     * Whether the reloaded configuration binds this client's user to another account, or no longer has it: such
     * clients are closed (Client Closed) and reconnect, as nats-server does. nats-server also closes single-user
     * clients on every reload (its users map is empty then); jnatsd re-checks those like the others.
     */
    // nats-server: reload.go clientHasMovedToDifferentAccount
    private boolean movedToAnotherAccount(Authenticator auth) {
        if (!auth.hasUsers()) {
            return false;
        }
        String nkey = clientOptions.nkey;
        String user = clientOptions.user;
        if ((nkey == null || nkey.isEmpty()) && (user == null || user.isEmpty())) {
            return false;
        }
        String target = auth.accountOfUser(nkey, user);
        return target == null || !target.equals(account.name());
    }

    /** Appends without asking for a flush; false when there is nowhere to write. Event loop only. */
    private boolean appendProtocol(byte[] bytes) {
        if (channel == null) {
            return false;
        }
        outbound.lock();
        try {
            if (closed) {
                return false;
            }
            outbound.reserve(bytes.length).writeBytes(bytes);
        } finally {
            outbound.unlock();
        }
        return true;
    }

    /**
     * Closes this client because a reload lowered max_connections: {@code -ERR 'maximum connections exceeded'},
     * then closed as Maximum Connections Exceeded. Any thread.
     */
    // nats-server: client.go maxConnExceeded
    public void closeMaxConnectionsExceeded() {
        if (eventLoop != null && !eventLoop.inEventLoop()) {
            runOnEventLoop(this::closeMaxConnectionsExceeded);
            return;
        }
        if (closed) {
            return;
        }
        LOG.error(logPrefix + "maximum connections exceeded");
        sendErr("maximum connections exceeded");
        closeConnection(ClosedState.MAX_CONNECTIONS_EXCEEDED);
    }

    /** Applies a reloaded max_control_line to this connection's parser. Any thread. */
    public void applyMaxControlLine(int bytes) {
        if (eventLoop != null && !eventLoop.inEventLoop()) {
            runOnEventLoop(() -> applyMaxControlLine(bytes));
            return;
        }
        parser.maxControlLineBytes(bytes);
    }

    /**
     * Sends an asynchronous INFO (lame duck, new connect URLs), as nats-server does only to clients that announced
     * protocol 1 and already got their first PONG; the others receive the news with that first PONG. Any thread.
     */
    // nats-server: route.go sendAsyncInfoToClients
    public void sendAsyncInfo(ServerInfo info) {
        if (eventLoop != null && !eventLoop.inEventLoop()) {
            runOnEventLoop(() -> sendAsyncInfo(info));
            return;
        }
        if (clientOptions.protocol < 1 || !firstPongSent) {
            return;
        }
        enqueueProtocol(Frames.infoLine(info));
        scheduleFlush();
    }

    /** Sends the lame duck mode INFO (to clients {@link #sendAsyncInfo} would send an INFO to). Any thread. */
    // nats-server: server.go sendLDMToClients
    public void sendLameDuckInfo() {
        if (eventLoop != null && !eventLoop.inEventLoop()) {
            runOnEventLoop(this::sendLameDuckInfo);
            return;
        }
        sendAsyncInfo(asyncInfoTemplate().withLameDuckMode(cid, ip));
    }

    private void sendErr(String text) {
        traceOut("-ERR", text);
        enqueueProtocol(Frames.errLine(text));
    }

    private void sendOk() {
        traceOut("OK", null);
        enqueueProtocol(Frames.OK);
    }

    /** Asks for one flush on this connection's event loop. Any thread; idempotent until the flush runs. */
    void scheduleFlush() {
        scheduleFlush(false);
    }

    /**
     * Schedules one flush of the outbound buffer; with {@code deferred}, on the connection's own event loop too it
     * runs as a task after the loop's current I/O instead of at once.
     */
    void scheduleFlush(boolean deferred) {
        if (channel == null || !flushScheduled.compareAndSet(false, true)) {
            return;
        }
        if (!deferred && eventLoop.inEventLoop()) {
            flushFromTask();
        } else {
            runOnEventLoop(flushTask);
        }
    }

    /**
     * Hands {@code task} to this connection's event loop. During shutdown the loop may already refuse tasks; the
     * connection is then being closed with it, so the task is dropped.
     */
    private void runOnEventLoop(Runnable task) {
        try {
            eventLoop.execute(task);
        } catch (RejectedExecutionException e) {
            if (LOG.isDebugEnabled()) {
                LOG.debug(logPrefix + "Event loop stopped, task dropped: " + e.getMessage());
            }
        }
    }

    private void writeChunk(ByteBuf chunk) {
        channel.write(chunk, channel.voidPromise());
    }

    private void flushFromTask() {
        flushScheduled.set(false);
        if (closed) {
            return;
        }
        long bytes = outbound.drain(writeToChannel);
        if (bytes > 0) {
            channel.flush();
            if (!channel.isWritable()) {
                armWriteDeadline();
            }
        }
    }

    // ------------------------------------------------------------------------------------------- delivery

    /**
     * Appends a message for {@code sub} (a subscription of this connection) to the outbound. Called on the
     * publisher's thread.
     *
     * @return whether the message was queued
     */
    boolean enqueueMessage(Subscription sub, PublishArgs pa, DeliveryBatch publisherBatch) {
        return enqueueMessage(sub, pa, pa.subject, pa.subjectLength, publisherBatch);
    }

    /**
     * {@link #enqueueMessage(Subscription, PublishArgs, DeliveryBatch)} under another subject than the published
     * one (a stream import's local subject).
     */
    boolean enqueueMessage(Subscription sub, PublishArgs pa, byte[] subject, int subjectLength,
                           DeliveryBatch publisherBatch) {
        boolean stripHeaders = pa.hasHeaders() && !headers;
        boolean asHmsg = pa.hasHeaders() && headers;
        int bodyOffset = stripHeaders ? pa.payloadOffset + pa.headerLength : pa.payloadOffset;
        int bodyLength = stripHeaders ? pa.totalLength - pa.headerLength : pa.totalLength;
        byte[] sid = sub.sid();
        // nats-server: client.go msgHeader copies the publisher's size tokens as sent (e.g. "01").
        boolean rawSizes = !stripHeaders && pa.totalSizeLength > 0;
        int headerSizeLength = !asHmsg ? 0 : rawSizes ? pa.headerSizeLength : Frames.decimalLength(pa.headerLength);
        int sizeLength = rawSizes ? pa.totalSizeLength : Frames.decimalLength(bodyLength);
        int lineLength = (asHmsg ? Frames.HMSG.length : Frames.MSG.length) + subjectLength + 1 + sid.length + 1
                + (pa.replyLength > 0 ? pa.replyLength + 1 : pa.emptyReply ? 1 : 0) + (asHmsg ? headerSizeLength + 1 : 0)
                + sizeLength + 2;
        int frameLength = lineLength + bodyLength + 2;
        boolean reachedMax;
        ClientPermissions perms = permissions;
        // nats-server: client.go deliverMsg, subscribe deny filter (checked outside the outbound lock, see lock order)
        if (perms != null && perms.deliveryDenied(subject, 0, subjectLength, sub.queue())) {
            return false;
        }
        outbound.lock();
        try {
            if (closed || slowConsumer || sub.closed) {
                return false;
            }
            if (sub.maxMessages > 0 && sub.delivered >= sub.maxMessages) {
                return false;
            }
            long maxPending = host.options().maxPendingBytes();
            if (kind == ConnectionKind.CLIENT
                    && outbound.bufferedBytesLocked() + channelPendingBytes() + frameLength > maxPending) {
                markSlowConsumerLocked(maxPending);
                return false;
            }
            sub.delivered++;
            reachedMax = sub.maxMessages > 0 && sub.delivered >= sub.maxMessages;
            ByteBuf out = outbound.reserve(frameLength);
            out.writeBytes(asHmsg ? Frames.HMSG : Frames.MSG);
            out.writeBytes(subject, 0, subjectLength);
            out.writeByte(' ');
            out.writeBytes(sid);
            out.writeByte(' ');
            if (pa.replyLength > 0) {
                out.writeBytes(pa.reply, 0, pa.replyLength);
                out.writeByte(' ');
            } else if (pa.emptyReply) {
                out.writeByte(' ');
            }
            if (rawSizes) {
                if (asHmsg) {
                    out.writeBytes(pa.payload, pa.headerSizeOffset, pa.headerSizeLength);
                    out.writeByte(' ');
                }
                out.writeBytes(pa.payload, pa.totalSizeOffset, pa.totalSizeLength);
            } else {
                if (asHmsg) {
                    Frames.writeDecimal(out, pa.headerLength);
                    out.writeByte(' ');
                }
                Frames.writeDecimal(out, bodyLength);
            }
            out.writeBytes(Frames.CRLF);
            out.writeBytes(pa.payload, bodyOffset, bodyLength + 2);
            outMsgs++;
            outBytes += bodyLength;
        } finally {
            outbound.unlock();
        }
        if (perms != null && pa.replyLength > 0) {
            perms.trackReply(pa.reply, 0, pa.replyLength);
        }
        publisherBatch.outMsgs++;
        publisherBatch.outBytes += bodyLength;
        publisherBatch.add(this);
        if (LOG.isTraceEnabled()) {
            ProtocolTrace.delivery(logPrefix, traceOptions(), sub, pa, subject, subjectLength, asHmsg, bodyOffset,
                    bodyLength);
        }
        if (reachedMax) {
            onAutoUnsubscribed(sub);
        }
        return true;
    }

    private long channelPendingBytes() {
        ChannelOutboundBuffer pending = channel == null ? null : channel.unsafe().outboundBuffer();
        return pending == null ? 0 : pending.totalPendingWriteBytes();
    }

    /**
     * Outbound lock held. The connection stops taking messages at once and closes later on its loop, never under
     * the lock.
     */
    private void markSlowConsumerLocked(long maxPending) {
        slowConsumer = true;
        host.stats().slowConsumers.increment();
        if (account != null) {
            account.stats().slowConsumers.increment();
        }
        LOG.notice(logPrefix + "Slow Consumer Detected: MaxPending of " + maxPending + " Exceeded");
        runOnEventLoop(() -> closeConnection(ClosedState.SLOW_CONSUMER_PENDING_BYTES));
    }

    private void onAutoUnsubscribed(Subscription sub) {
        sub.closed = true;
        account.sublist().remove(sub);
        if (eventLoop == null) {
            synchronized (subscriptions) {
                subscriptions.remove(sub.sidString(), sub);
            }
            removeShadows(sub);
            return;
        }
        runOnEventLoop(() -> {
            subscriptions.remove(sub.sidString(), sub);
            removeShadows(sub);
            onInterestRemoved(sub);
            if (LOG.isDebugEnabled()) {
                LOG.debug(logPrefix + "Auto-unsubscribe limit of " + sub.maxMessages + " reached for sid '"
                        + sub.sidString() + "'");
            }
        });
    }

    /**
     * Routes {@code pa} to every matching subscription of this connection's account: each plain subscription and
     * one member of each queue group. Called on this (publishing) connection's thread.
     *
     * @return whether any subscription received the message
     */
    private boolean route(PublishArgs pa, DeliveryBatch deliveryBatch) {
        Account acc = account;
        long generation = acc.sublist().generation();
        SublistResult<Subscription> result = matchCache.get(pa.subject, 0, pa.subjectLength, generation);
        if (result == null) {
            result = acc.sublist().match(pa.subject, 0, pa.subjectLength);
            matchCache.put(pa.subject, 0, pa.subjectLength, generation, result);
        }
        return !result.isEmpty() && routeResult(result, pa, deliveryBatch);
    }

    private boolean deliverTo(Subscription sub, PublishArgs pa, DeliveryBatch deliveryBatch) {
        Connection receiver = sub.connection();
        if (receiver == this && !echo) {
            return false;
        }
        if (sub.closed) {
            return false;
        }
        if (sub.special) {
            return deliverSpecial(receiver, sub, pa, deliveryBatch);
        }
        if (pa.messageSubject != null) {
            return receiver.enqueueMessage(sub, pa, pa.messageSubject, pa.messageSubjectLength, deliveryBatch);
        }
        return receiver.enqueueMessage(sub, pa, pa.subject, pa.subjectLength, deliveryBatch);
    }

    /**
     * Delivery to a subscription that is not a plain one: an internal callback, a stream import's shadow, a
     * service import or the response mappings of an account.
     */
    private boolean deliverSpecial(Connection receiver, Subscription sub, PublishArgs pa, DeliveryBatch batch) {
        if (sub.handler() != null) {
            if (!receiver.deliverInternal(sub, this, pa)) {
                return false;
            }
            batch.internalMsgs++;
            batch.internalBytes += pa.totalLength;
            return true;
        }
        if (sub.streamImport != null) {
            return deliverThroughStreamImport(receiver, sub, pa, batch);
        }
        if (sub.serviceImport != null) {
            return ServiceImports.processRequest(this, sub.serviceImport, pa, batch);
        }
        return ServiceImports.processResponse(this, sub.responsesOf, pa, batch);
    }

    /**
     * Delivers a message of an exporting account to the importing client of a shadow subscription, under the
     * import's local subject (a JetStream delivery under its message's own subject). Messages that came through a
     * service import are not exported again.
     */
    // nats-server: client.go processMsgResults (sub.im: the stream import mapped subject)
    private boolean deliverThroughStreamImport(Connection receiver, Subscription shadow, PublishArgs pa,
                                               DeliveryBatch batch) {
        StreamImport si = shadow.streamImport;
        Subscription parent = shadow.parent;
        if (pa.fromServiceImport || si.isInvalid() || parent.closed) {
            return false;
        }
        if (pa.messageSubject != null) {
            // a JetStream delivery: the import maps only the deliver subject it was routed on; the MSG line keeps the
            // stored message's subject (nats-server swaps the roles of the two subjects for a deliver subject)
            return receiver.enqueueMessage(parent, pa, pa.messageSubject, pa.messageSubjectLength, batch);
        }
        byte[] prefix = si.prefixBytes();
        if (prefix != null) {
            int length = prefix.length + pa.subjectLength;
            byte[] scratch = pa.scratchSubject(length);
            System.arraycopy(prefix, 0, scratch, 0, prefix.length);
            System.arraycopy(pa.subject, 0, scratch, prefix.length, pa.subjectLength);
            return receiver.enqueueMessage(parent, pa, scratch, length, batch);
        }
        if (si.usePublished()) {
            return receiver.enqueueMessage(parent, pa, pa.subject, pa.subjectLength, batch);
        }
        if (si.transform() == null) {
            byte[] to = si.toBytes();
            return receiver.enqueueMessage(parent, pa, to, to.length, batch);
        }
        String mapped = si.transform().apply(new String(pa.subject, 0, pa.subjectLength, StandardCharsets.UTF_8));
        byte[] to = mapped.getBytes(StandardCharsets.UTF_8);
        return receiver.enqueueMessage(parent, pa, to, to.length, batch);
    }

    private boolean deliverInternal(Subscription sub, Connection publisher, PublishArgs pa) {
        boolean reachedMax;
        outbound.lock();
        try {
            if (sub.closed || (sub.maxMessages > 0 && sub.delivered >= sub.maxMessages)) {
                return false;
            }
            sub.delivered++;
            reachedMax = sub.maxMessages > 0 && sub.delivered >= sub.maxMessages;
            outMsgs++;
            outBytes += pa.totalLength;
        } finally {
            outbound.unlock();
        }
        String subject = new String(pa.subject, 0, pa.subjectLength, StandardCharsets.UTF_8);
        String reply = pa.replyLength == 0 ? null : new String(pa.reply, 0, pa.replyLength, StandardCharsets.UTF_8);
        byte[] hdr = null;
        int hdrLength = Math.max(0, pa.headerLength);
        if (hdrLength > 0) {
            hdr = new byte[hdrLength];
            pa.payload.getBytes(pa.payloadOffset, hdr);
        }
        byte[] payload = new byte[pa.totalLength - hdrLength];
        pa.payload.getBytes(pa.payloadOffset + hdrLength, payload);
        if (reachedMax) {
            onAutoUnsubscribed(sub);
        }
        try {
            sub.handler().onMessage(sub, publisher, subject, reply, hdr, payload);
        } catch (RuntimeException e) {
            LOG.error(logPrefix + "Internal subscription handler failed for \"" + subject + "\": " + e, e);
        }
        return true;
    }

    /**
     * Publishes from an internal connection. Any thread; the message is delivered before this returns (network
     * receivers get it queued and a flush scheduled).
     *
     * @param headers the raw header block ({@code NATS/1.0\r\n...\r\n\r\n}) or null
     */
    public void publishInternal(String subject, String reply, byte[] headers, byte[] payload) {
        byte[] subjectBytes = subject.getBytes(StandardCharsets.UTF_8);
        byte[] replyBytes = reply == null ? new byte[0] : reply.getBytes(StandardCharsets.UTF_8);
        int hdrLength = headers == null ? 0 : headers.length;
        ByteBuf body = Unpooled.buffer(hdrLength + payload.length + 2);
        if (headers != null) {
            body.writeBytes(headers);
        }
        body.writeBytes(payload).writeBytes(Frames.CRLF);
        PublishArgs pa = new PublishArgs();
        pa.subject = subjectBytes;
        pa.subjectLength = subjectBytes.length;
        pa.reply = replyBytes;
        pa.replyLength = replyBytes.length;
        // nats-server: an account client's messages carry an empty, non-nil reply: "MSG <subject> <sid>  <size>"
        pa.emptyReply = reply == null && kind == ConnectionKind.ACCOUNT;
        pa.headerLength = headers == null ? -1 : hdrLength;
        pa.payload = body;
        pa.payloadOffset = 0;
        pa.totalLength = hdrLength + payload.length;
        DeliveryBatch localBatch = new DeliveryBatch();
        SublistResult<Subscription> result = account.sublist().match(subjectBytes, 0, subjectBytes.length);
        if (!result.isEmpty()) {
            routeResult(result, pa, localBatch);
        }
        localBatch.flush(host.stats(), account, System.nanoTime());
    }

    /**
     * Delivers to every plain subscription of {@code result} and to one member of each queue group.
     *
     * @return whether any subscription received the message
     */
    // nats-server: client.go processMsgResults, queue member picked from a random start, then walked.
    boolean routeResult(SublistResult<Subscription> result, PublishArgs pa, DeliveryBatch deliveryBatch) {
        boolean delivered = false;
        for (int i = 0, n = result.plainCount(); i < n; i++) {
            delivered |= deliverTo(result.plain(i), pa, deliveryBatch);
        }
        for (int g = 0, groups = result.queueGroupCount(); g < groups; g++) {
            int size = result.queueGroupSize(g);
            int start = size == 1 ? 0 : ThreadLocalRandom.current().nextInt(size);
            for (int i = 0; i < size; i++) {
                int index = start + i;
                if (index >= size) {
                    index -= size;
                }
                if (deliverTo(result.queueMember(g, index), pa, deliveryBatch)) {
                    delivered = true;
                    break;
                }
            }
        }
        return delivered;
    }

    /**
     * Subscribes an internal connection with a callback. Any thread.
     *
     * @throws InvalidSubjectException when the subject is not a valid subscription subject
     */
    public Subscription subscribeInternal(String subject, String queue, MessageHandler handler) {
        if (!kind.isInternal()) {
            throw new IllegalStateException("subscribeInternal on a " + kind + " connection");
        }
        byte[] sid;
        Subscription sub;
        synchronized (subscriptions) {
            sid = Long.toString(internalSids++).getBytes(StandardCharsets.US_ASCII);
            sub = new Subscription(this, subject.getBytes(StandardCharsets.UTF_8),
                    queue == null ? null : queue.getBytes(StandardCharsets.UTF_8), sid, handler);
            account.sublist().insert(sub);
            subscriptions.put(sub.sidString(), sub);
        }
        return sub;
    }

    /**
     * Subscribes this account's internal client to the requests of a service import: {@code si.from()} in the
     * importing account. Any thread.
     *
     * @throws InvalidSubjectException when the subject is not a valid subscription subject
     */
    // nats-server: accounts.go addServiceImportSub
    public Subscription subscribeServiceImport(ServiceImport si) {
        Subscription sub = subscribeSpecial(si.from(), null, si, null);
        si.subscription(sub);
        return sub;
    }

    /**
     * Subscribes this account's internal client to the account's {@code _R_.} reply wildcard, whose messages are
     * responses routed back through {@code holder}'s response mappings. Any thread.
     */
    // nats-server: accounts.go subscribeServiceImportResponse
    public Subscription subscribeResponses(String wildcard, Account holder) {
        return subscribeSpecial(wildcard, null, null, holder);
    }

    private Subscription subscribeSpecial(String subject, StreamImport streamImport, ServiceImport serviceImport,
                                          Account responsesOf) {
        if (!kind.isInternal()) {
            throw new IllegalStateException("internal subscription on a " + kind + " connection");
        }
        Subscription sub;
        synchronized (subscriptions) {
            byte[] sid = Long.toString(internalSids++).getBytes(StandardCharsets.US_ASCII);
            sub = new Subscription(this, subject.getBytes(StandardCharsets.UTF_8), null, sid, null, streamImport,
                    null, serviceImport, responsesOf);
            account.sublist().insert(sub);
            subscriptions.put(sub.sidString(), sub);
        }
        return sub;
    }

    /** The server this connection belongs to. */
    ConnectionHost host() {
        return host;
    }

    /**
     * What events and service latency results say about this client: account and RTT, and with {@code detailed}
     * its start, address, id, name, user, language, version, JWT, issuer, kind and type, and the server's name.
     * Null for the system client. Any thread (CONNECT fields are settled once the client is authenticated).
     */
    // nats-server: client.go getClientInfo, addServerAndClusterInfo; events.go accForClient, issuerForClient
    public ClientInfo clientInfo(boolean detailed) {
        if (kind != ConnectionKind.CLIENT && kind != ConnectionKind.LEAF && kind != ConnectionKind.JETSTREAM
                && kind != ConnectionKind.ACCOUNT) {
            return null;
        }
        Account acc = account;
        String accountName = acc == null ? "N/A" : acc.name();
        if (!detailed) {
            return new ClientInfo(null, null, 0, accountName, null, null, null, null, null, rttNanos, null, null,
                    null, null, null, null, null, null, null, null, null, null, null);
        }
        ClientOptions o = clientOptions;
        JwtUser user = jwtUser;
        String issuer = null;
        if (user != null) {
            issuer = user.signingKey() != null ? user.issuer() : user.account().key();
        } else if (o.nkey != null && !o.nkey.isEmpty() && acc != null) {
            issuer = acc.name();
        }
        String rawUser = o.nkey != null && !o.nkey.isEmpty() ? o.nkey
                : o.user != null && !o.user.isEmpty() ? o.user
                : o.token != null && !o.token.isEmpty() ? "[REDACTED]" : null;
        return new ClientInfo(GoTime.rfc3339Nano(startTime, java.time.ZoneId.systemDefault()), emptyToNull(ip), cid,
                accountName, null, rawUser, o.name, o.lang, o.version, rttNanos, host.info().serverName(), null, null,
                null, o.jwt, issuer, null, null, kind.displayName(), kind == ConnectionKind.CLIENT ? clientType() : null,
                null, null, null);
    }

    /** Removes an internal subscription. Any thread. */
    public void unsubscribeInternal(Subscription sub) {
        synchronized (subscriptions) {
            subscriptions.remove(sub.sidString(), sub);
        }
        sub.closed = true;
        account.sublist().remove(sub);
    }

    // ------------------------------------------------------------------------------------- protocol handler

    @Override
    public boolean awaitingAuth() {
        return !connectReceived && authExpected;
    }

    /**
     * A first operation other than CONNECT: allowed (telnet style) when the {@code no_auth_user} may be used
     * without CONNECT and authenticates, else an authorization violation.
     */
    // nats-server: parser.go parse (authSet, NoAuthUser)
    @Override
    public boolean onOperationBeforeConnect() {
        Authenticator auth = authenticator();
        if (kind == ConnectionKind.CLIENT && auth.allowsImplicitConnect(connectionType())) {
            if (authTimer != null) {
                authTimer.cancel(false);
                authTimer = null;
            }
            connectReceived = true;
            AuthResult result = authenticate(auth);
            if (!closed && startConfigCallout(result, ConnectStage.IMPLICIT)) {
                return true;                    // the parser stays paused before this operation
            }
            if (result.authorized()) {
                if (closed) {
                    return false;
                }
                lastActivityNanos = System.nanoTime();
                host.onClientAuthorized(this);
                return true;
            }
            authViolation(failureState(result));
            return false;
        }
        authViolation(ClosedState.AUTHENTICATION_VIOLATION);
        return false;
    }

    /**
     * Checks the CONNECT credentials: fills in what {@code no_auth_user} supplies and, for a users-list or nkey
     * user, installs its permissions. Event loop only.
     */
    // nats-server: auth.go isClientAuthorized, client.go RegisterUser / RegisterNkeyUser
    private AuthResult authenticate(Authenticator auth) {
        Credentials sent = credentials();
        AuthResult result = auth.authenticate(new ClientAuthentication.Request(sent, clientOptions.jwt,
                clientOptions.name, Authenticator.nonceBytes(nonce), peerCertificates(), remoteAddress(),
                connectionType()));
        Credentials effective = result.credentials();
        clientOptions.user = emptyToNull(effective.user());
        clientOptions.password = emptyToNull(effective.password());
        clientOptions.nkey = emptyToNull(effective.nkey());
        if (!result.authorized()) {
            if (result.debugReason() != null && LOG.isDebugEnabled()) {
                LOG.debug(logPrefix + result.debugReason());
            }
            return result;
        }
        if (auth.mapsCertificates() && !sent.user().isEmpty()) {
            // nats-server: auth.go processClientOrLeafAuthentication (tlsMap)
            LOG.warn("User " + GoQuote.quote(sent.user()) + " found in connect proto, but user required from cert");
        }
        if (result.accountName() != null && !bindAccount(result.accountName())) {
            LOG.error(logPrefix + "custom authentication: account " + GoQuote.quote(result.accountName())
                    + " not found");
            return new AuthResult(false, false, false, null, result.credentials(), null, false, null, null);
        }
        if (closed) {
            return result;                      // refused by the account's connection limit
        }
        proxyKey = result.proxyKey();
        if (result.assignsPermissions()) {
            permissions = result.permissions() == null ? null : new ClientPermissions(result.permissions());
        }
        return result;
    }

    /**
     * Moves this client to the account of its user (or the one a custom authenticator chose), within the
     * account's connection limit, and applies the account's limits. False when there is no such account; a client
     * the limit refuses is told and closed (true is returned: the name was fine).
     */
    // nats-server: client.go registerWithAccount, reportErrRegisterAccount, maxAccountConnExceeded
    private boolean bindAccount(String name) {
        Account target = host.lookupAccount(name);
        if (target == null) {
            return false;
        }
        // nats-server counts the other clients of the account (a re-registration after a reload included)
        int max = target.limits().maxConnections();
        int others = target == account ? target.clientCount() - 1 : target.clientCount();
        if (kind == ConnectionKind.CLIENT && max >= 0 && others >= max) {
            LOG.error(logPrefix + "maximum account active connections exceeded");
            sendErr("maximum account active connections exceeded");
            closeConnection(ClosedState.MAX_ACCOUNT_CONNECTIONS_EXCEEDED);
            return true;
        }
        if (target != account) {
            Account previous = account;
            account.removeClient();
            target.addClient();
            account = target;
            matchCache.clear();
            host.onAccountConnectionsChanged(previous);
            host.onAccountConnectionsChanged(target);
        }
        applyConfigLimits();
        return true;
    }

    /**
     * Config mode: the account's {@code max_subscriptions} and {@code max_payload} (the server's own limits apply
     * on top where they are checked); a client already at the subscription limit is told and closed shortly after.
     */
    // nats-server: client.go applyAccountLimits (without a user JWT)
    private void applyConfigLimits() {
        if (jwtUser != null || kind != ConnectionKind.CLIENT) {
            return;
        }
        AccountOptions.Limits limits = account.limits();
        payloadLimitBytes = limits.maxPayload();
        subscriptionLimit = limits.maxSubscriptions();
        if (subscriptionLimit >= 0 && subscriptions.size() >= subscriptionLimit) {
            LOG.error(logPrefix + "maximum subscriptions exceeded");
            sendErr("maximum subscriptions exceeded");
            eventLoop.schedule(() -> closeConnection(ClosedState.MAX_SUBSCRIPTIONS_EXCEEDED),
                    MAX_SUBS_CLOSE_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** The TLS client's certificate chain, leaf first; empty without TLS or a client certificate. */
    private List<X509Certificate> peerCertificates() {
        SSLSession session = tlsSession;
        if (session == null) {
            return List.of();
        }
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate cert : session.getPeerCertificates()) {
                if (cert instanceof X509Certificate x509) {
                    chain.add(x509);
                }
            }
            return chain;
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    /** The client's address: the socket's peer, or the source of its PROXY header. */
    public InetSocketAddress remoteAddress() {
        if (ip.isEmpty()) {
            return null;
        }
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(ip);
        return address == null ? InetSocketAddress.createUnresolved(ip, port) : new InetSocketAddress(address, port);
    }

    /** The close reason of a failed authentication (client.go getAuthErrClosedState). */
    private static ClosedState failureState(AuthResult result) {
        return result.proxyNotTrusted() ? ClosedState.PROXY_NOT_TRUSTED
                : result.proxyRequired() ? ClosedState.PROXY_REQUIRED : ClosedState.AUTHENTICATION_VIOLATION;
    }

    /**
     * The user JWT of this client as authenticated: what account updates are checked against.
     *
     * @param userKey        JWT {@code sub}
     * @param issuer         JWT {@code iss}
     * @param issuedAt       JWT {@code iat}
     * @param bearer         whether it is a bearer token
     * @param account        the bound account
     * @param signingKey     the account signing key that issued it as it was then, or null (account key)
     * @param maxSubs        the user's (or scope's) subscription limit, -1 unlimited
     * @param maxPayload     the user's (or scope's) payload limit, -1 unlimited
     * @param defaultPerms   whether the permissions are the account's defaults
     * @param authenticator  what checked it (recompiles default permissions on account updates)
     */
    private record JwtUser(String userKey, String issuer, long issuedAt, boolean bearer, JwtAccount account,
                           SigningKey signingKey, long maxSubs, long maxPayload, boolean defaultPerms,
                           JwtAuthenticator authenticator) {
    }

    /**
     * Operator mode: checks the CONNECT's user JWT, binds the client to its account (within the account's
     * connection limit), installs permissions and limits and arms the expiry timer. False after rejecting the
     * client. Event loop only.
     */
    // nats-server: auth.go processClientOrLeafAuthentication (JWT), client.go registerWithAccount,
    // applyAccountLimits, setExpiration
    private AuthStep authenticateJwt(JwtAuthenticator jwtAuth, ConnectStage stage) {
        JwtAuthResult r = jwtAuth.authenticate(clientOptions.jwt, clientOptions.signature,
                Authenticator.nonceBytes(nonce), ip, connectionType());
        if (startOperatorCallout(r, stage)) {
            return AuthStep.WAITING;
        }
        if (!r.authorized()) {
            if (r.debugReason() != null && LOG.isDebugEnabled()) {
                LOG.debug(logPrefix + r.debugReason());
            }
            if (r.errorReason() != null) {
                LOG.error(logPrefix + r.errorReason());
            }
            LOG.error(logPrefix + "authentication error" + (r.userKey().isEmpty() ? ""
                    : " - JWT User " + GoQuote.quote(r.userKey())));
            sendErr("Authorization Violation");
            ClosedState reason = r.proxyRequired() ? ClosedState.PROXY_REQUIRED : ClosedState.AUTHENTICATION_VIOLATION;
            host.onAuthorizationFailed(this, reason);
            closeConnection(reason);
            return AuthStep.REJECTED;
        }
        JwtAccount acc = r.account();
        if (!bindJwtAccount(acc)) {
            return AuthStep.REJECTED;
        }
        permissions = r.permissions() == null ? null : new ClientPermissions(r.permissions());
        SigningKey scope = acc.key().equals(r.issuer()) ? null : acc.signingKey(r.issuer());
        jwtUser = new JwtUser(r.userKey(), r.issuer(), r.issuedAt(), r.bearer(), acc, scope, r.maxSubscriptions(),
                r.maxPayloadBytes(), r.defaultPermissions(), jwtAuth);
        clientOptions.nkey = r.userKey();
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
            expiryTimer = null;
        }
        authExpiry = r.expiresAt();
        if (r.expiresAt() != null) {
            long delayNanos = Math.max(0, Duration.between(Instant.now(), r.expiresAt()).toNanos());
            expiryTimer = eventLoop.schedule(this::onUserExpired, delayNanos, TimeUnit.NANOSECONDS);
        }
        applyJwtLimits();
        if (!closed) {
            host.onClientAuthorized(this);
        }
        return closed ? AuthStep.REJECTED : AuthStep.DONE;
    }

    /**
     * Moves this client to an operator-mode account within its connection limit; false after closing the client
     * for exceeding it.
     */
    private boolean bindJwtAccount(JwtAccount acc) {
        Account target = acc.account();
        if (target != account) {
            long maxConnections = acc.maxConnections();
            if (maxConnections >= 0 && target.clientCount() >= maxConnections) {
                LOG.error(logPrefix + "Max Account Connections Exceeded");
                sendErr("maximum account active connections exceeded");
                closeConnection(ClosedState.MAX_ACCOUNT_CONNECTIONS_EXCEEDED);
                return false;
            }
            Account previous = account;
            account.removeClient();
            account = target;
            target.addClient();
            matchCache.clear();
            host.onAccountConnectionsChanged(previous);
            host.onAccountConnectionsChanged(target);
        }
        return true;
    }

    /** How far authenticating a CONNECT got. */
    private enum AuthStep {
        /** Authenticated: go on with the CONNECT. */
        DONE,
        /** The auth callout was asked; reading stays paused until its answer is applied. */
        WAITING,
        /** Refused; the connection is closed. */
        REJECTED
    }

    /** What an auth callout answer completes. */
    private enum ConnectStage {
        /** The first CONNECT. */
        FIRST_CONNECT,
        /** A later CONNECT. */
        CONNECT,
        /** The first operation of a client that may skip CONNECT ({@code no_auth_user}). */
        IMPLICIT
    }

    /** Operator mode: a CONNECT without a user JWT uses {@code default_sentinel} (an undecodable one too). */
    // nats-server: auth.go processClientOrLeafAuthentication (DefaultSentinel)
    private void applyDefaultSentinel() {
        String sentinel = host.options().defaultSentinel();
        if (sentinel.isEmpty()) {
            return;
        }
        String sent = clientOptions.jwt;
        if (sent != null && !sent.isEmpty()) {
            try {
                JwtCodec.decode(sent).user();
                return;
            } catch (JwtException e) {
                // not a user JWT: the sentinel stands in
            }
        }
        clientOptions.jwt = sentinel;
    }

    /**
     * Config mode, after the local checks: asks the callout service when {@code auth_callout} is set and this client
     * is delegated (bound to {@code $G}, or to an account {@code allowed_accounts} lists, or that list is empty) and
     * is not one of its {@code auth_users}. The callout's answer replaces the local verdict.
     *
     * @return whether the callout was asked (reading is paused until its answer is applied)
     */
    // nats-server: auth.go processClientOrLeafAuthentication (the deferred auth callout block)
    private boolean startConfigCallout(AuthResult local, ConnectStage stage) {
        AuthCalloutOptions config = host.options().authCallout();
        if (config == null || kind != ConnectionKind.CLIENT || local.proxyNotTrusted() || host.authCallout() == null) {
            return false;
        }
        if (!account.name().equals(Account.GLOBAL) && !config.allowedAccounts().isEmpty()
                && !config.allowedAccounts().contains(account.name())) {
            return false;
        }
        String userId = rawAuthUser(null);
        if (config.authUsers().contains(userId)) {
            return false;
        }
        startCallout(config, null, userId, local.proxyRequired(), local.proxyKey() != null, stage);
        return true;
    }

    /**
     * Operator mode, after the local checks of the user JWT: asks the callout service when the JWT's account was
     * found and delegates to one ({@code authorization.auth_users} set) and the user is not one of its auth users.
     */
    // nats-server: auth.go processClientOrLeafAuthentication (the deferred auth callout block, juc != nil)
    private boolean startOperatorCallout(JwtAuthResult local, ConnectStage stage) {
        JwtAccount acc = local.account();
        if (kind != ConnectionKind.CLIENT || host.authCallout() == null || !AuthCallout.hasExternalAuth(acc)) {
            return false;
        }
        String userId = rawAuthUser(local.authorized() ? local.userKey() : "");
        if (AuthCallout.isExternalAuthUser(acc, userId)) {
            return false;
        }
        startCallout(null, acc, userId, local.proxyRequired(), false, stage);
        return true;
    }

    /**
     * nats-server's {@code getRawAuthUser}: the nkey, else the user name, else (with a JWT) the user key once it
     * is authenticated, else {@code [REDACTED]} for a token.
     *
     * @param jwtUserKey operator mode: the authenticated user key, or empty; null in config mode
     */
    private String rawAuthUser(String jwtUserKey) {
        ClientOptions o = clientOptions;
        if (!isEmpty(o.nkey)) {
            return o.nkey;
        }
        if (!isEmpty(o.user)) {
            return o.user;
        }
        if (!isEmpty(o.jwt)) {
            return jwtUserKey == null ? "" : jwtUserKey;
        }
        return isEmpty(o.token) ? "" : "[REDACTED]";
    }

    /** Pauses reading and asks the callout service; its answer is applied on this event loop. */
    private void startCallout(AuthCalloutOptions config, JwtAccount jwtAccount, String userId,
                              boolean proxyRequired, boolean trustedProxy, ConnectStage stage) {
        parser.pause();
        if (channel != null) {
            channel.config().setAutoRead(false);
        }
        JwtAuthenticator jwtAuth = authenticator().jwt();
        AuthCallout.Client client = calloutClient(userId, proxyRequired, trustedProxy);
        host.authCallout().authorize(client, config, jwtAccount, host.options().authTimeout(), eventLoop)
                .whenComplete((outcome, error) -> runOnEventLoop(() -> onCalloutOutcome(outcome, config, jwtAccount,
                        jwtAuth, stage)));
    }

    /** The request's {@code client_info}, {@code connect_opts} and {@code client_tls}. */
    // nats-server: auth_callout.go fillClientInfo, fillConnectOpts, the TLS part of processClientOrLeafCallout
    private AuthCallout.Client calloutClient(String userId, boolean proxyRequired, boolean trustedProxy) {
        ClientOptions o = clientOptions;
        List<String> tags = null;
        String nameTag = null;
        if (!isEmpty(o.jwt) && !userId.isEmpty()) {
            try {
                Jwt jwt = JwtCodec.decode(o.jwt);
                tags = jwt.tags().isEmpty() ? null : jwt.tags();
                nameTag = emptyToNull(jwt.claims().name());
            } catch (JwtException e) {
                // an undecodable JWT has no tags
            }
        }
        AuthorizationRequestClaims.ConnectOptions connect = new AuthorizationRequestClaims.ConnectOptions(o.jwt,
                o.nkey, o.signature, o.token, o.user, o.password, o.name, o.lang, o.version, o.protocol);
        return new AuthCallout.Client(ip, cid, emptyToNull(userId), o.name, tags, nameTag, kind.displayName(),
                clientType(), isEmpty(o.signature) ? null : nonce, connect, calloutTls(), proxyRequired,
                trustedProxy, logPrefix);
    }

    /**
     * The TLS session as the request shows it: version ({@code 1.2}, {@code 1.3}), cipher suite, and the client's
     * certificates as PEM, under {@code verified_chains} when the listener verifies client certificates (the chain
     * the client sent: JSSE does not expose the chain it built), else under {@code certs}. Null without TLS.
     */
    private AuthorizationRequestClaims.ClientTls calloutTls() {
        SSLSession session = tlsSession;
        if (session == null || awaitingTls) {
            return null;
        }
        String protocol = session.getProtocol();
        String version = protocol.startsWith("TLSv") ? protocol.substring(4) : protocol;
        List<String> pems = new ArrayList<>();
        java.util.Base64.Encoder pem = java.util.Base64.getMimeEncoder(64, new byte[]{'\n'});
        for (X509Certificate cert : peerCertificates()) {
            try {
                pems.add("-----BEGIN CERTIFICATE-----\n" + pem.encodeToString(cert.getEncoded())
                        + "\n-----END CERTIFICATE-----\n");
            } catch (java.security.cert.CertificateEncodingException e) {
                LOG.debug(logPrefix + "Client certificate not encodable: " + e.getMessage());
            }
        }
        boolean verified = webSocket != null ? host.options().websocket().tls().verify()
                : host.options().tls().verify();
        if (verified && !pems.isEmpty()) {
            return new AuthorizationRequestClaims.ClientTls(version, session.getCipherSuite(), null, List.of(pems));
        }
        return new AuthorizationRequestClaims.ClientTls(version, session.getCipherSuite(), pems.isEmpty() ? null
                : pems, null);
    }

    /**
     * Applies the callout's answer: a refusal is an authorization violation (logged as nats-server does: when the
     * service's reply was refused, {@code authentication error} is logged before and after the reason); an
     * authorized user is placed in its account with its permissions (publishing on the callout subject denied
     * when that is the callout account), its name, and an expiry timer, then the CONNECT completes and reading
     * resumes.
     */
    // nats-server: auth_callout.go processReply, auth.go (deferred block: mergeDenyPermissions), client.go
    // RegisterNkeyUser, setExpiration
    private void onCalloutOutcome(AuthCallout.Outcome outcome, AuthCalloutOptions config, JwtAccount calloutAccount,
                                  JwtAuthenticator jwtAuth, ConnectStage stage) {
        if (closed) {
            return;
        }
        if (!(outcome instanceof AuthCallout.Authorized user)) {
            AuthCallout.Denied denied = outcome instanceof AuthCallout.Denied d ? d
                    : new AuthCallout.Denied("", false, false);
            ClosedState reason = denied.proxyRequired() ? ClosedState.PROXY_REQUIRED
                    : ClosedState.AUTHENTICATION_VIOLATION;
            if (denied.checkedReply()) {
                logAuthError();
                LOG.warn(denied.reason());
            }
            authViolation(reason);          // with the auth error events (host.onAuthorizationFailed)
            return;
        }
        clientOptions.jwt = null;               // the permissions come from the callout's user JWT
        String authAccount;
        if (user.jwtAccount() != null) {
            if (!bindJwtAccount(user.jwtAccount())) {
                LOG.warn("Could not register auth callout user: maximum account active connections exceeded");
                return;
            }
            jwtUser = new JwtUser(user.userKey(), user.issuer(), user.issuedAt(), user.bearer(), user.jwtAccount(),
                    user.signingKey(), -1, -1, user.defaultPermissions(), jwtAuth);
            authAccount = calloutAccount.key();
        } else {
            jwtUser = null;
            if (!bindAccount(user.accountName())) {
                LOG.warn("Could not register auth callout user: account missing");
                authViolation(ClosedState.AUTHENTICATION_VIOLATION);
                return;
            }
            if (closed) {
                LOG.warn("Could not register auth callout user: maximum account active connections exceeded");
                return;
            }
            authAccount = config.account();
        }
        AuthOptions.Permissions perms = user.permissions();
        if (account.name().equals(authAccount)) {
            perms = denyPublish(perms, AuthCallout.SUBJECT);
        }
        permissions = perms == null ? null
                : new ClientPermissions(Permissions.compile(perms, !host.options().disableSublistCache()));
        if (!user.name().isEmpty()) {
            clientOptions.user = user.name();
            clientOptions.nkey = null;
            clientOptions.token = null;
        }
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
            expiryTimer = null;
        }
        if (user.expiresAt() != null) {
            long delayNanos = Math.max(0, Duration.between(Instant.now(), user.expiresAt()).toNanos());
            expiryTimer = eventLoop.schedule(this::onUserExpired, delayNanos, TimeUnit.NANOSECONDS);
        }
        calloutAuthorized = true;
        applyJwtLimits();
        if (closed) {
            return;
        }
        lastActivityNanos = System.nanoTime();
        host.onClientAuthorized(this);
        if (stage != ConnectStage.IMPLICIT && !completeConnect(stage == ConnectStage.FIRST_CONNECT)) {
            return;
        }
        parser.resume();
        if (channel != null) {
            channel.config().setAutoRead(true);
            channel.pipeline().fireUserEventTriggered(RESUME_READING);
        }
    }

    /** {@code permissions} with publishing on {@code subject} also denied ({@code mergeDenyPermissions}). */
    private static AuthOptions.Permissions denyPublish(AuthOptions.Permissions permissions, String subject) {
        if (permissions == null) {
            return AuthOptions.Permissions.publish(new AuthOptions.SubjectPermission(null, List.of(subject)));
        }
        AuthOptions.SubjectPermission pub = permissions.publish();
        List<String> deny = new ArrayList<>(pub == null || pub.deny() == null ? List.of() : pub.deny());
        if (!deny.contains(subject)) {
            deny.add(subject);
        }
        return new AuthOptions.Permissions(new AuthOptions.SubjectPermission(pub == null ? null : pub.allow(), deny),
                permissions.subscribe(), permissions.response());
    }

    /** The user JWT (or its connect window) ran out. */
    // nats-server: client.go authExpired
    private void onUserExpired() {
        expiryTimer = null;
        if (closed) {
            return;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug(logPrefix + "User Authentication Expired");
        }
        sendErr("User Authentication Expired");
        closeConnection(ClosedState.AUTHENTICATION_EXPIRED);
    }

    /**
     * Effective payload and subscription limits: the user's (or its scope's), lowered by the account's; the
     * server's own limits apply on top where they are checked. A client already at the new subscription limit is
     * told and closed shortly after, as nats-server does. Event loop only.
     */
    // nats-server: client.go applyAccountLimits
    private void applyJwtLimits() {
        JwtUser user = jwtUser;
        if (user == null) {
            return;
        }
        long payload = user.maxPayload();
        long subs = user.maxSubs();
        AccountClaims ac = user.account().claims();
        if (ac != null) {
            payload = minLimit(payload, ac.limits().maxPayloadBytes());
            subs = minLimit(subs, ac.limits().maxSubscriptions());
        }
        payloadLimitBytes = (int) Math.clamp(payload, -1, Integer.MAX_VALUE);
        subscriptionLimit = (int) Math.clamp(subs, -1, Integer.MAX_VALUE);
        if (subscriptionLimit >= 0 && subscriptions.size() >= subscriptionLimit) {
            LOG.error(logPrefix + "maximum subscriptions exceeded");
            sendErr("maximum subscriptions exceeded");
            eventLoop.schedule(() -> closeConnection(ClosedState.MAX_SUBSCRIPTIONS_EXCEEDED),
                    MAX_SUBS_CLOSE_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private static long minLimit(long value, long limit) {
        return limit != -1 && (value == -1 || limit < value) ? limit : value;
    }

    /**
     * Re-checks this client after its account JWT changed: a removed or expired account ends it ("Account
     * Authentication Expired"), a bearer token the account now refuses or a signing key that was removed or
     * changed is an authorization violation, a revocation ends it ("User Authentication Revoked"); otherwise the
     * new limits apply. Any thread; the future completes once the client has been re-checked on its event loop.
     */
    // nats-server: accounts.go updateAccountClaimsWithRefresh (client checks)
    public CompletableFuture<Void> onAccountClaimsUpdated(JwtAccount updated, boolean removed) {
        if (eventLoop != null && !eventLoop.inEventLoop()) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            try {
                eventLoop.execute(() -> {
                    try {
                        applyAccountClaims(updated, removed);
                    } finally {
                        done.complete(null);
                    }
                });
            } catch (RejectedExecutionException e) {
                done.complete(null);
            }
            return done;
        }
        applyAccountClaims(updated, removed);
        return CompletableFuture.completedFuture(null);
    }

    private void applyAccountClaims(JwtAccount updated, boolean removed) {
        JwtUser user = jwtUser;
        if (closed || user == null || user.account() != updated) {
            return;
        }
        if (removed || updated.isExpired(Instant.now().getEpochSecond())) {
            onAccountExpired();
            return;
        }
        AccountClaims ac = updated.claims();
        if (ac == null) {
            return;
        }
        if (user.bearer() && ac.limits().disallowBearer()) {
            authViolation(ClosedState.AUTHENTICATION_VIOLATION);
            return;
        }
        if (ac.isRevoked(user.userKey(), user.issuedAt())) {
            LOG.debug(logPrefix + "User Authentication Revoked");
            sendErr("User Authentication Revoked");
            closeConnection(ClosedState.REVOCATION);
            return;
        }
        if (!updated.key().equals(user.issuer())) {
            SigningKey now = updated.signingKey(user.issuer());
            if (now == null || !now.equals(user.signingKey())) {
                authViolation(ClosedState.AUTHENTICATION_VIOLATION);
                return;
            }
        }
        if (user.defaultPerms()) {
            // nats-server: client.go updateDefaultPermissions
            Permissions defaults = user.authenticator().defaultPermissions(ac);
            permissions = defaults == null ? null : new ClientPermissions(defaults);
        }
        applyJwtLimits();
    }

    /** The bound account's JWT expired or the account was deleted. Any thread. */
    // nats-server: client.go accountAuthExpired
    public void onAccountExpired() {
        if (eventLoop != null && !eventLoop.inEventLoop()) {
            runOnEventLoop(this::onAccountExpired);
            return;
        }
        if (closed) {
            return;
        }
        LOG.debug(logPrefix + "Account Authentication Expired");
        sendErr("Account Authentication Expired");
        closeConnection(ClosedState.AUTHENTICATION_EXPIRED);
    }

    /** Closes this client because its account is over its connection limit. Any thread. */
    // nats-server: client.go maxAccountConnExceeded
    public void closeAccountConnectionsExceeded() {
        if (eventLoop != null && !eventLoop.inEventLoop()) {
            runOnEventLoop(this::closeAccountConnectionsExceeded);
            return;
        }
        if (closed) {
            return;
        }
        sendErr("maximum account active connections exceeded");
        closeConnection(ClosedState.MAX_ACCOUNT_CONNECTIONS_EXCEEDED);
    }

    /** The operator-mode account this client is bound to, or null. */
    public JwtAccount jwtAccount() {
        JwtUser user = jwtUser;
        return user == null ? null : user.account();
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    private Credentials credentials() {
        return new Credentials(clientOptions.user, clientOptions.password, clientOptions.token, clientOptions.nkey,
                clientOptions.signature, clientOptions.proxySignature);
    }

    /**
     * Rejects the client: logs {@code authentication error} with the identity it claimed (never a secret), sends
     * {@code -ERR 'Authorization Violation'} and closes.
     */
    // nats-server: client.go authViolation
    private void authViolation(ClosedState reason) {
        logAuthError();
        host.onAuthorizationFailed(this, reason);
        sendErr("Authorization Violation");
        closeConnection(reason);
    }

    /** {@code authentication error}, with the identity the client claimed ({@code - User "x"}, ...). */
    private void logAuthError() {
        Credentials c = credentials();
        LOG.error(logPrefix + "authentication error" + (c.hasIdentity() ? " - " + c.describe() : ""));
    }

    @Override
    public boolean onConnect(ByteBuf buf, int offset, int length) {
        String json = buf.toString(offset, length, StandardCharsets.UTF_8);
        if (trace) {
            traceIn("CONNECT", ProtocolTrace.redactConnect(json));
        }
        if (authTimer != null) {
            authTimer.cancel(false);
            authTimer = null;
        }
        lastInNanos = System.nanoTime();
        lastActivityNanos = lastInNanos;
        if (kind == ConnectionKind.CLIENT) {
            rttNanos = Math.max(1, lastInNanos - startNanos);
            Duration first = pingInterval();
            if (first.compareTo(FIRST_CLIENT_PING_INTERVAL) > 0) {
                first = FIRST_CLIENT_PING_INTERVAL;
            }
            long jitterNanos = ThreadLocalRandom.current().nextLong(Math.max(1, first.toNanos() / 5));
            armPingTimer(first.plusNanos(jitterNanos));
        }
        try {
            ConnectJson.CONNECT.withValueToUpdate(clientOptions).readValue(json);
        } catch (JsonProcessingException e) {
            LOG.error(logPrefix + e.getOriginalMessage());
            closeConnection(ClosedState.PROTOCOL_VIOLATION);
            return false;
        } catch (RuntimeException e) {
            LOG.error(logPrefix + e.getMessage());
            closeConnection(ClosedState.PROTOCOL_VIOLATION);
            return false;
        }
        boolean firstConnect = !connectReceived;
        connectReceived = true;
        echo = clientOptions.echo;
        headers = !host.options().noHeaderSupport() && clientOptions.headers;
        if (webSocket != null) {
            applyCookies();
        }
        Authenticator authenticator = authenticator();
        if (authenticator.jwt() == null) {
            clientOptions.jwt = null;           // nats-server discards the JWT outside operator mode
        }
        if (!firstConnect) {
            // nats-server 2.15: a second CONNECT drops the subscriptions registered so far.
            removeAllSubscriptions();
        }
        if (kind == ConnectionKind.CLIENT && authenticator.jwt() != null) {
            applyDefaultSentinel();
            CompletableFuture<?> fetch = channel == null ? null : authenticator.jwt().prefetch(clientOptions.jwt);
            if (fetch != null) {
                // The account must come from a remote resolver: wait off the event loop, keep what follows the
                // CONNECT unread, then finish (nats-server blocks only this client's goroutine).
                parser.pause();
                channel.config().setAutoRead(false);
                fetch.whenComplete((ignored, error) -> runOnEventLoop(() -> onAccountFetched(firstConnect)));
                return true;
            }
            ConnectStage stage = firstConnect ? ConnectStage.FIRST_CONNECT : ConnectStage.CONNECT;
            switch (authenticateJwt(authenticator.jwt(), stage)) {
                case REJECTED -> {
                    return false;
                }
                case WAITING -> {
                    return true;
                }
                case DONE -> {
                }
            }
        } else if (kind == ConnectionKind.CLIENT) {
            AuthResult result = authenticate(authenticator);
            if (!closed && !authenticator.isCustom() && startConfigCallout(result,
                    firstConnect ? ConnectStage.FIRST_CONNECT : ConnectStage.CONNECT)) {
                return true;
            }
            if (!result.authorized()) {
                authViolation(failureState(result));
                return false;
            }
            if (closed) {
                return false;
            }
            host.onClientAuthorized(this);
        }
        return completeConnect(firstConnect);
    }

    /**
     * The WebSocket upgrade's cookies stand in for CONNECT fields the client left empty: {@code jwt_cookie} for
     * {@code jwt}, {@code user_cookie} for {@code user}, {@code pass_cookie} for {@code pass}, {@code token_cookie}
     * for {@code auth_token}.
     */
    // nats-server: client.go processConnect ("if websocket client, maybe some options through cookies")
    private void applyCookies() {
        if (isEmpty(clientOptions.jwt)) {
            clientOptions.jwt = emptyToNull(webSocket.cookieJwt());
        }
        if (isEmpty(clientOptions.user)) {
            clientOptions.user = emptyToNull(webSocket.cookieUsername());
        }
        if (isEmpty(clientOptions.password)) {
            clientOptions.password = emptyToNull(webSocket.cookiePassword());
        }
        if (isEmpty(clientOptions.token)) {
            clientOptions.token = emptyToNull(webSocket.cookieToken());
        }
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }

    /** The operator-mode account fetch of a paused CONNECT ended: authenticate, finish it, read on. */
    private void onAccountFetched(boolean firstConnect) {
        if (closed) {
            return;
        }
        JwtAuthenticator jwtAuth = authenticator().jwt();
        if (jwtAuth == null) {
            return;
        }
        AuthStep step = authenticateJwt(jwtAuth, firstConnect ? ConnectStage.FIRST_CONNECT : ConnectStage.CONNECT);
        if (step != AuthStep.DONE || !completeConnect(firstConnect)) {
            return;                             // rejected, or the auth callout resumes reading itself
        }
        parser.resume();
        channel.config().setAutoRead(true);
        channel.pipeline().fireUserEventTriggered(RESUME_READING);
    }

    /** The checks of a CONNECT after authentication; false after closing the connection. */
    private boolean completeConnect(boolean firstConnect) {
        if (clientOptions.newAccount || (clientOptions.account != null && !clientOptions.account.isEmpty())) {
            authViolation(ClosedState.AUTHENTICATION_VIOLATION);
            return false;
        }
        if (firstConnect && kind == ConnectionKind.CLIENT) {
            updateLogPrefix();
        }
        if (clientOptions.protocol < 0 || clientOptions.protocol > 1) {
            sendErr("invalid client protocol");
            closeConnection(ClosedState.BAD_CLIENT_PROTOCOL_VERSION);
            return false;
        }
        if (clientOptions.noResponders && !headers) {
            sendErr("no responders requires headers support");
            closeConnection(ClosedState.NO_RESPONDERS_REQUIRES_HEADERS);
            return false;
        }
        if (clientOptions.verbose) {
            sendOk();
        }
        return true;
    }

    // nats-server: client.go processConnect, the ncs log label "v<version>:<lang>:<name>" and the account/user
    // label "<account>/<user:name|nkey:key|token>".
    private void updateLogPrefix() {
        String version = clientOptions.version;
        String lang = clientOptions.lang;
        String name = clientOptions.name;
        StringBuilder ncs = new StringBuilder();
        if (version != null && !version.isEmpty()) {
            ncs.append('v').append(version);
        }
        if (lang != null && !lang.isEmpty()) {
            if (!ncs.isEmpty()) {
                ncs.append(':');
            }
            ncs.append(lang);
        }
        if (name != null && !name.isEmpty()) {
            if (!ncs.isEmpty()) {
                ncs.append(':');
            }
            ncs.append(name);
        }
        String userLabel = credentials().label();
        String acs = userLabel.isEmpty() || account == null ? "" : account.name() + "/" + userLabel;
        StringBuilder prefix = new StringBuilder(basePrefix());
        if (!ncs.isEmpty()) {
            prefix.append(" - ").append(GoQuote.quote(ncs.toString()));
        }
        if (!acs.isEmpty()) {
            prefix.append(" - ").append(GoQuote.quote(acs));
        }
        logPrefix = prefix.append(" - ").toString();
    }

    @Override
    public boolean onPublishSize(int headerLength, int totalLength) {
        if (headerLength >= 0 && !headers) {
            LOG.error(logPrefix + "message headers not supported");
            closeConnection(ClosedState.PROTOCOL_VIOLATION);
            return false;
        }
        int maxPayload = maxPayload();
        if (totalLength > maxPayload) {
            LOG.error(logPrefix + "maximum payload exceeded: " + totalLength + " vs " + maxPayload);
            sendErr("Maximum Payload Violation");
            closeConnection(ClosedState.MAX_PAYLOAD_EXCEEDED);
            return false;
        }
        return true;
    }

    @Override
    public boolean onPublish(ByteBuf buf, PublishLine line) {
        PublishArgs pa = publishArgs;
        int totalLength = line.totalLength();
        pa.setSubjectAndReply(line);
        pa.headerLength = line.headerLength();
        pa.payload = buf;
        pa.payloadOffset = line.payloadOffset();
        pa.totalLength = totalLength;
        pa.headerSizeOffset = line.headerSizeOffset();
        pa.headerSizeLength = line.headerSizeLength();
        pa.totalSizeOffset = line.totalSizeOffset();
        pa.totalSizeLength = line.totalSizeLength();
        inMsgs++;
        inBytes += totalLength;
        batchInMsgs++;
        batchInBytes += totalLength;
        lastInNanos = inReadBatch ? batchStartNanos : System.nanoTime();
        if (trace) {
            ProtocolTrace.publishLine(logPrefix, buf, line);
        }
        if (clientOptions.pedantic && !Subjects.isValidLiteralSubject(pa.subject, 0, pa.subjectLength)) {
            sendErr("Invalid Publish Subject");
        }
        boolean dropped = false;
        SubjectMappings mappings = account.mappings();
        if (mappings != null && (kind == ConnectionKind.CLIENT || kind == ConnectionKind.LEAF)) {
            dropped = !mapSubject(pa, mappings);
        }
        if (trace) {
            ProtocolTrace.publishPayload(logPrefix, traceOptions(), buf, line);
        }
        if (kind == ConnectionKind.CLIENT) {
            if (pa.subjectStartsWith(GATEWAY_REPLY_PREFIX)) {
                publishViolation(pa);
                return true;
            }
            ClientPermissions perms = permissions;
            if (perms != null && perms.restrictsPublish() && !perms.publishAllowed(pa.subject, 0, pa.subjectLength)) {
                publishViolation(pa);
                return true;
            }
            if (pa.subjectStartsWith(RAFT_PREFIX) && account != host.systemAccount()) {
                publishViolation(pa);
                return true;
            }
            if (pa.replyLength > 0 && (pa.replyStartsWith(SERVICE_REPLY_PREFIX) || pa.replyStartsWith(JS_ACK_PREFIX)
                    || pa.replyStartsWith(GATEWAY_REPLY_PREFIX))) {
                String reply = new String(pa.reply, 0, pa.replyLength, StandardCharsets.UTF_8);
                sendErr("Permissions Violation for Publish with Reply of " + GoQuote.quote(reply));
                LOG.error(logPrefix + "Publish Violation - Reply " + GoQuote.quote(reply));
                return true;
            }
        }
        if (clientOptions.verbose) {
            sendOk();
        }
        boolean delivered = !dropped && route(pa, batch);
        if (!delivered && pa.replyLength > 0 && clientOptions.noResponders) {
            sendNoResponders(pa);
        }
        return !closed;
    }

    /**
     * Applies the account's subject mappings to the published subject (before permissions, as nats-server).
     *
     * @return false when the mapping drops the message (its subject becomes empty)
     */
    // nats-server: client.go selectMappedSubject, parser.go processInboundMsg (the MAPPING trace)
    private boolean mapSubject(PublishArgs pa, SubjectMappings mappings) {
        String subject = new String(pa.subject, 0, pa.subjectLength, StandardCharsets.UTF_8);
        String mapped = mappings.select(subject, "");
        if (mapped == null) {
            return true;
        }
        if (trace) {
            ProtocolTrace.op(logPrefix, "<<-", "MAPPING", subject + " -> " + mapped);
        }
        pa.setSubject(mapped.getBytes(StandardCharsets.UTF_8));
        return !mapped.isEmpty();
    }

    private void publishViolation(PublishArgs pa) {
        String subject = new String(pa.subject, 0, pa.subjectLength, StandardCharsets.UTF_8);
        sendErr("Permissions Violation for Publish to " + GoQuote.quote(subject));
        LOG.error(logPrefix + "Publish Violation - Subject " + GoQuote.quote(subject));
    }

    // nats-server: client.go processInboundClientMsg, the 503 status sent on the requestor's reply subscription.
    private void sendNoResponders(PublishArgs pa) {
        SublistResult<Subscription> replies = account.sublist().match(pa.reply, 0, pa.replyLength);
        Subscription target = null;
        for (int i = 0, n = replies.plainCount(); i < n; i++) {
            if (replies.plain(i).connection() == this) {
                target = replies.plain(i);
                break;
            }
        }
        if (target == null) {
            return;
        }
        String subject = new String(pa.subject, 0, pa.subjectLength, StandardCharsets.UTF_8);
        String reply = new String(pa.reply, 0, pa.replyLength, StandardCharsets.UTF_8);
        int hdrLength = 32 + pa.subjectLength;
        String frame = "HMSG " + reply + " " + target.sidString() + " " + hdrLength + " " + hdrLength
                + "\r\nNATS/1.0 503\r\nNats-Subject: " + subject + "\r\n\r\n\r\n";
        enqueueProtocol(frame.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean onSubscribe(ByteBuf buf, int subjectOffset, int subjectLength, int queueOffset, int queueLength,
                               int sidOffset, int sidLength) {
        lastInNanos = inReadBatch ? batchStartNanos : System.nanoTime();
        lastActivityNanos = lastInNanos;
        byte[] subject = new byte[subjectLength];
        buf.getBytes(subjectOffset, subject);
        byte[] queue = null;
        if (queueLength > 0) {
            queue = new byte[queueLength];
            buf.getBytes(queueOffset, queue);
        }
        byte[] sid = new byte[sidLength];
        buf.getBytes(sidOffset, sid);
        String sidKey = new String(sid, StandardCharsets.UTF_8);
        if (trace) {
            traceIn("SUB", buf.toString(subjectOffset, sidOffset + sidLength - subjectOffset,
                    StandardCharsets.UTF_8));
        }
        String subjectText = new String(subject, StandardCharsets.UTF_8);
        if (kind == ConnectionKind.CLIENT) {
            String queueText = queue == null ? null : new String(queue, StandardCharsets.UTF_8);
            ClientPermissions perms = permissions;
            if ((perms != null && !perms.canSubscribe(subjectText, queueText))
                    || SYSTEM_QUEUE_GROUP.equals(queueText)) {
                subscriptionViolation(subjectText, queueText, sidKey);
                return true;
            }
        }
        ServerOptions opts = host.options();
        if (kind == ConnectionKind.CLIENT && opts.maxSubTokens() > 0
                && Subjects.numTokens(subject, 0, subject.length) > opts.maxSubTokens()) {
            sendErr("Permissions Violation for Subscription to " + GoQuote.quote(subjectText) + ", too many tokens");
            LOG.error(logPrefix + "Subscription Violation Too Many Tokens - Subject " + GoQuote.quote(subjectText)
                    + ", SID " + sidKey);
            return true;
        }
        if ((opts.maxSubscriptions() > 0 && subscriptions.size() >= opts.maxSubscriptions())
                || (subscriptionLimit >= 0 && subscriptions.size() >= subscriptionLimit)) {
            LOG.error(logPrefix + "maximum subscriptions exceeded");
            sendErr("maximum subscriptions exceeded");
            return true;
        }
        if (!subscriptions.containsKey(sidKey)) {
            Subscription sub = new Subscription(this, subject, queue, sid, null);
            try {
                account.sublist().insert(sub);
            } catch (InvalidSubjectException e) {
                sendErr("Invalid Subject");
                return true;
            }
            subscriptions.put(sidKey, sub);
            if (account.streamImports().length > 0) {
                addShadowSubscriptions(sub);
            }
        }
        if (clientOptions.verbose) {
            sendOk();
        }
        return true;
    }

    // nats-server: client.go subPermissionViolation
    private void subscriptionViolation(String subject, String queue, String sid) {
        if (queue == null) {
            sendErr("Permissions Violation for Subscription to " + GoQuote.quote(subject));
            LOG.error(logPrefix + "Subscription Violation - Subject " + GoQuote.quote(subject) + ", SID " + sid);
        } else {
            sendErr("Permissions Violation for Subscription to " + GoQuote.quote(subject) + " using queue "
                    + GoQuote.quote(queue));
            LOG.error(logPrefix + "Subscription Violation - Subject " + GoQuote.quote(subject) + ", Queue: "
                    + GoQuote.quote(queue) + ", SID " + sid);
        }
    }

    @Override
    public boolean onUnsubscribe(ByteBuf buf, int sidOffset, int sidLength, int maxMessages) {
        lastInNanos = inReadBatch ? batchStartNanos : System.nanoTime();
        lastActivityNanos = lastInNanos;
        String sid = buf.toString(sidOffset, sidLength, StandardCharsets.UTF_8);
        if (trace) {
            traceIn("UNSUB", maxMessages < 0 ? sid : sid + " " + maxMessages);
        }
        Subscription sub = subscriptions.get(sid);
        if (sub != null) {
            boolean removeNow;
            outbound.lock();
            try {
                if (maxMessages > 0 && maxMessages > sub.delivered) {
                    sub.maxMessages = maxMessages;
                    removeNow = false;
                } else {
                    sub.maxMessages = 0;
                    removeNow = true;
                }
            } finally {
                outbound.unlock();
            }
            if (removeNow) {
                subscriptions.remove(sid);
                sub.closed = true;
                account.sublist().remove(sub);
                removeShadows(sub);
                onInterestRemoved(sub);
                if (trace) {
                    LOG.trace(logPrefix + "<-> [DELSUB " + sid + "]");
                }
            } else if (LOG.isDebugEnabled()) {
                LOG.debug(logPrefix + "Deferring actual UNSUB(" + sub.subjectString() + "): " + maxMessages
                        + " max, " + sub.delivered + " received");
            }
        }
        if (clientOptions.verbose) {
            sendOk();
        }
        return true;
    }

    @Override
    public boolean onPing() {
        traceIn("PING", null);
        traceOut("PONG", null);
        enqueueProtocol(Frames.PONG);
        lastInNanos = inReadBatch ? batchStartNanos : System.nanoTime();
        if (kind != ConnectionKind.CLIENT || !connectReceived || firstPongSent) {
            return true;
        }
        firstPongSent = true;
        if (clientOptions.protocol >= 1) {
            Account sys = host.systemAccount();
            ServerInfo info = asyncInfoTemplate().withConnectInfo(cid, ip, account.name(), account == sys);
            enqueueProtocol(Frames.infoLine(info));
        }
        return true;
    }

    @Override
    public boolean onPong() {
        traceIn("PONG", null);
        pingsOut = 0;
        rttNanos = Math.max(1, System.nanoTime() - rttStartNanos);
        return true;
    }

    @Override
    public boolean onInfo(ByteBuf buf, int offset, int length) {
        String json = buf.toString(offset, length, StandardCharsets.UTF_8);
        traceIn("INFO", json);
        try {
            ConnectJson.INFO.readTree(json);
        } catch (JsonProcessingException e) {
            LOG.error(logPrefix + e.getOriginalMessage());
            closeConnection(ClosedState.PROTOCOL_VIOLATION);
            return false;
        }
        return true;
    }

    @Override
    public boolean onErr(ByteBuf buf, int offset, int length) {
        String text = buf.toString(offset, length, StandardCharsets.UTF_8);
        traceIn("-ERR", text);
        LOG.error(logPrefix + kind.displayName() + " Error " + text);
        closeConnection(ClosedState.PARSE_ERROR);
        return false;
    }

    @Override
    public boolean onOk() {
        return true;
    }

    @Override
    public void onProtocolError(ProtocolError error, String clientError, String logMessage) {
        if (clientError != null) {
            sendErr(clientError);
        }
        LOG.error(logPrefix + logMessage);
        closeConnection(error == ProtocolError.MAX_CONTROL_LINE
                ? ClosedState.MAX_CONTROL_LINE_EXCEEDED : ClosedState.PROTOCOL_VIOLATION);
    }

    // ---------------------------------------------------------------------------------------------- trace

    private ProtocolTrace.TraceOptions traceOptions() {
        ServerOptions.LoggingOptions logging = host.options().logging();
        return new ProtocolTrace.TraceOptions(logging.maxTracedMsgLen(), logging.traceHeaders());
    }

    private void traceIn(String op, String arg) {
        if (trace) {
            ProtocolTrace.op(logPrefix, "<<-", op, arg);
        }
    }

    private void traceOut(String op, String arg) {
        if (trace || (!inReadBatch && LOG.isTraceEnabled())) {
            ProtocolTrace.op(logPrefix, "->>", op, arg);
        }
    }
}
