package io.jnatsd.server.conn;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jnatsd.common.GoQuote;
import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.config.GoDuration;
import io.jnatsd.config.ServerOptions;
import io.jnatsd.jwt.AccountClaims;
import io.jnatsd.jwt.SigningKey;
import io.jnatsd.nkeys.Nonces;
import io.jnatsd.protocol.ProtocolError;
import io.jnatsd.protocol.ProtocolHandler;
import io.jnatsd.protocol.ProtocolParser;
import io.jnatsd.protocol.PublishLine;
import io.jnatsd.server.ServerInfo;
import io.jnatsd.server.account.Account;
import io.jnatsd.server.account.JwtAccount;
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

    private Connection(ConnectionHost host, ConnectionKind kind, long cid, Channel channel, EventLoop eventLoop,
                       ByteBufAllocator allocator, String ip, int port) {
        this.host = host;
        this.kind = kind;
        this.cid = cid;
        this.channel = channel;
        this.eventLoop = eventLoop;
        this.ip = ip;
        this.port = port;
        this.startTime = Instant.now();
        this.startNanos = System.nanoTime();
        this.outbound = new Outbound(allocator);
        this.parser = new ProtocolParser(this, host.options().maxControlLine());
        this.logPrefix = prefix(kind, ip, port, cid);
        this.lastInNanos = startNanos;
        this.lastActivityNanos = startNanos;
    }

    private static String prefix(ConnectionKind kind, String ip, int port, long cid) {
        return kind.isInternal() ? kind.logId() + " - " : ip + ":" + port + " - " + kind.logId() + ":" + cid + " - ";
    }

    /** A network client connection on {@code channel}; call {@link #onAccepted()} once it is active. */
    public static Connection client(ConnectionHost host, long cid, Channel channel) {
        InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
        String ip = remote == null ? "" : remote.getAddress().getHostAddress();
        int port = remote == null ? 0 : remote.getPort();
        return new Connection(host, ConnectionKind.CLIENT, cid, channel, channel.eventLoop(), channel.alloc(), ip,
                port);
    }

    /** An internal connection (system, JetStream or account client) bound to {@code account}. */
    public static Connection internal(ConnectionHost host, ConnectionKind kind, long cid, Account account) {
        if (!kind.isInternal()) {
            throw new IllegalArgumentException("kind: " + kind + " (expected: an internal kind)");
        }
        Connection c = new Connection(host, kind, cid, null, null, ByteBufAllocator.DEFAULT, "", 0);
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
        return new ConnectionSnapshot(cid, kind, kind == ConnectionKind.CLIENT ? "nats" : "", ip, port, startTime,
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
        Authenticator auth = host.authenticator();
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
            appendProtocol(Frames.infoLine(host.info().forClient(cid, infoClientIp(), nonce)));
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
            logPrefix = prefix(kind, ip, port, cid);
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
    private void armStartTimers(ServerOptions opts) {
        if (authExpected) {
            Duration timeout = opts.authTimeout();
            authTimer = eventLoop.schedule(this::onAuthTimeout, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        armPingTimer(opts.pingInterval());
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
            if (reason.flushesBeforeClose()) {
                outbound.drain(writeToChannel);
                channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            } else {
                outbound.discard();
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
        }
        if (account != null) {
            account.sublist().removeBatch(subs);
        }
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
        Duration interval = opts.pingInterval();
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
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (eventLoop == null || kind != ConnectionKind.CLIENT) {
            done.complete(null);
            return done;
        }
        Runnable task = () -> {
            try {
                reauthorizeOnLoop(auth);
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
        AuthResult result = authenticate(auth);
        if (!result.authorized()) {
            authViolation(failureState(result));
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
        if (channel == null || !flushScheduled.compareAndSet(false, true)) {
            return;
        }
        if (eventLoop.inEventLoop()) {
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
        boolean stripHeaders = pa.hasHeaders() && !headers;
        boolean asHmsg = pa.hasHeaders() && headers;
        int bodyOffset = stripHeaders ? pa.payloadOffset + pa.headerLength : pa.payloadOffset;
        int bodyLength = stripHeaders ? pa.totalLength - pa.headerLength : pa.totalLength;
        byte[] sid = sub.sid();
        // nats-server: client.go msgHeader copies the publisher's size tokens as sent (e.g. "01").
        boolean rawSizes = !stripHeaders && pa.totalSizeLength > 0;
        int headerSizeLength = !asHmsg ? 0 : rawSizes ? pa.headerSizeLength : Frames.decimalLength(pa.headerLength);
        int sizeLength = rawSizes ? pa.totalSizeLength : Frames.decimalLength(bodyLength);
        int lineLength = (asHmsg ? Frames.HMSG.length : Frames.MSG.length) + pa.subjectLength + 1 + sid.length + 1
                + (pa.replyLength > 0 ? pa.replyLength + 1 : 0) + (asHmsg ? headerSizeLength + 1 : 0) + sizeLength + 2;
        int frameLength = lineLength + bodyLength + 2;
        boolean reachedMax;
        ClientPermissions perms = permissions;
        // nats-server: client.go deliverMsg, subscribe deny filter (checked outside the outbound lock, see lock order)
        if (perms != null && perms.deliveryDenied(pa.subject, 0, pa.subjectLength, sub.queue())) {
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
            out.writeBytes(pa.subject, 0, pa.subjectLength);
            out.writeByte(' ');
            out.writeBytes(sid);
            out.writeByte(' ');
            if (pa.replyLength > 0) {
                out.writeBytes(pa.reply, 0, pa.replyLength);
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
            ProtocolTrace.delivery(logPrefix, traceOptions(), sub, pa, asHmsg, bodyOffset, bodyLength);
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
            return;
        }
        runOnEventLoop(() -> {
            subscriptions.remove(sub.sidString(), sub);
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
        MessageHandler handler = sub.handler();
        if (handler != null) {
            if (!receiver.deliverInternal(sub, this, pa)) {
                return false;
            }
            deliveryBatch.internalMsgs++;
            deliveryBatch.internalBytes += pa.totalLength;
            return true;
        }
        return receiver.enqueueMessage(sub, pa, deliveryBatch);
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
    private boolean routeResult(SublistResult<Subscription> result, PublishArgs pa, DeliveryBatch deliveryBatch) {
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
            sid = Long.toString(subscriptions.size() + 1L + System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
            sub = new Subscription(this, subject.getBytes(StandardCharsets.UTF_8),
                    queue == null ? null : queue.getBytes(StandardCharsets.UTF_8), sid, handler);
            account.sublist().insert(sub);
            subscriptions.put(sub.sidString(), sub);
        }
        return sub;
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
        Authenticator auth = host.authenticator();
        if (kind == ConnectionKind.CLIENT && auth.allowsImplicitConnect(Authenticator.STANDARD)) {
            if (authTimer != null) {
                authTimer.cancel(false);
                authTimer = null;
            }
            connectReceived = true;
            AuthResult result = authenticate(auth);
            if (result.authorized()) {
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
                Authenticator.STANDARD));
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
        proxyKey = result.proxyKey();
        if (result.assignsPermissions()) {
            permissions = result.permissions() == null ? null : new ClientPermissions(result.permissions());
        }
        return result;
    }

    /** Moves this client to the account a custom authenticator chose ({@code $G} or {@code $SYS}). */
    private boolean bindAccount(String name) {
        Account target = Account.GLOBAL.equals(name) ? host.globalAccount()
                : Account.SYSTEM.equals(name) ? host.systemAccount() : null;
        if (target == null) {
            return false;
        }
        if (target != account) {
            Account previous = account;
            account.removeClient();
            target.addClient();
            account = target;
            host.onAccountConnectionsChanged(previous);
            host.onAccountConnectionsChanged(target);
        }
        return true;
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
    private boolean authenticateJwt(JwtAuthenticator jwtAuth) {
        JwtAuthResult r = jwtAuth.authenticate(clientOptions.jwt, clientOptions.signature,
                Authenticator.nonceBytes(nonce), ip, Authenticator.STANDARD);
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
            return false;
        }
        JwtAccount acc = r.account();
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
            host.onAccountConnectionsChanged(previous);
            host.onAccountConnectionsChanged(target);
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
        return !closed;
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
     * new limits apply. Any thread.
     */
    // nats-server: accounts.go updateAccountClaimsWithRefresh (client checks)
    public void onAccountClaimsUpdated(JwtAccount updated, boolean removed) {
        if (eventLoop != null && !eventLoop.inEventLoop()) {
            runOnEventLoop(() -> onAccountClaimsUpdated(updated, removed));
            return;
        }
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
        Credentials c = credentials();
        LOG.error(logPrefix + "authentication error" + (c.hasIdentity() ? " - " + c.describe() : ""));
        host.onAuthorizationFailed(this, reason);
        sendErr("Authorization Violation");
        closeConnection(reason);
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
            Duration first = host.options().pingInterval();
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
        Authenticator authenticator = host.authenticator();
        if (authenticator.jwt() == null) {
            clientOptions.jwt = null;           // nats-server discards the JWT outside operator mode
        }
        if (!firstConnect) {
            // nats-server 2.15: a second CONNECT drops the subscriptions registered so far.
            removeAllSubscriptions();
        }
        if (kind == ConnectionKind.CLIENT && authenticator.jwt() != null) {
            CompletableFuture<?> fetch = channel == null ? null : authenticator.jwt().prefetch(clientOptions.jwt);
            if (fetch != null) {
                // The account must come from a remote resolver: wait off the event loop, keep what follows the
                // CONNECT unread, then finish (nats-server blocks only this client's goroutine).
                parser.pause();
                channel.config().setAutoRead(false);
                fetch.whenComplete((ignored, error) -> runOnEventLoop(() -> onAccountFetched(firstConnect)));
                return true;
            }
            if (!authenticateJwt(authenticator.jwt())) {
                return false;
            }
        } else if (kind == ConnectionKind.CLIENT) {
            AuthResult result = authenticate(authenticator);
            if (!result.authorized()) {
                authViolation(failureState(result));
                return false;
            }
            host.onClientAuthorized(this);
        }
        return completeConnect(firstConnect);
    }

    /** The operator-mode account fetch of a paused CONNECT ended: authenticate, finish it, read on. */
    private void onAccountFetched(boolean firstConnect) {
        if (closed) {
            return;
        }
        JwtAuthenticator jwtAuth = host.authenticator().jwt();
        if (jwtAuth == null || !authenticateJwt(jwtAuth) || !completeConnect(firstConnect)) {
            return;
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
        StringBuilder prefix = new StringBuilder(ip).append(':').append(port).append(" - ").append(kind.logId())
                .append(':').append(cid);
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
        int maxPayload = host.options().maxPayload();
        int ownLimit = payloadLimitBytes;
        if (ownLimit >= 0 && ownLimit < maxPayload) {
            maxPayload = ownLimit;
        }
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
            ServerInfo info = host.info().withConnectInfo(cid, ip, account.name(), account == sys);
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
