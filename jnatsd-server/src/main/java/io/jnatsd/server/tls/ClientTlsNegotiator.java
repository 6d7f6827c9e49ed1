package io.jnatsd.server.tls;

import io.jnatsd.config.TlsOptions;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;

import javax.net.ssl.SSLSession;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Brings one client connection of a TLS-enabled port to a settled transport, in one of nats-server's four flows
 * ({@code server.go createClientEx}, {@code client.go doTLSHandshake}):
 * <ul>
 *   <li><b>TLS required</b>: the INFO goes out in plaintext (the {@link SslHandler} lets the first flush through
 *       unencrypted), then the client starts the handshake.</li>
 *   <li><b>handshake_first</b>: the handshake comes first; the INFO is sent, encrypted, once it completes.</li>
 *   <li><b>handshake_first with a fallback delay</b>: if the client sends nothing within the delay the INFO is sent
 *       first after all and the flow continues as "TLS required" (or "mixed").</li>
 *   <li><b>allow_non_tls</b> (mixed): the INFO goes out in plaintext; the client's first byte decides: {@code 0x16}
 *       (a TLS handshake record) starts TLS, anything else (or nothing within the TLS timeout) stays plaintext.</li>
 * </ul>
 * The handshake is timed with the TLS {@code timeout}; a failure, a timeout or a pinned-certificate mismatch closes
 * only this connection. {@code connection_rate_limit} refuses handshakes beyond the limit. What happens is reported to
 * a {@link Listener} (the connection).
 * <p>
 * One instance per channel, confined to the channel's event loop.
 */
public final class ClientTlsNegotiator {

    /** What the negotiation tells the connection. Called on the channel's event loop. */
    public interface Listener {

        /** The TLS handshake starts (the client may now send its ClientHello). */
        void onTlsHandshakeStarted();

        /** The handshake completed (and the certificate is pinned, if pinning is on). */
        void onTlsEstablished(SSLSession session);

        /** The client of a mixed port chose plaintext (or sent nothing within the TLS timeout). */
        void onTlsNotUsed();

        /** handshake_first: the client sent nothing within the fallback delay; send the INFO now. */
        void onHandshakeFirstFallback();

        /** The handshake failed; {@code probe} failures (plaintext peer, timeout) are only worth a debug line. */
        void onTlsHandshakeError(String error, boolean probe);

        /** The handshake did not complete within the TLS timeout. */
        void onTlsHandshakeTimeout();

        /** {@code connection_rate_limit} refused this handshake. */
        void onTlsThrottled();
    }

    /** Pipeline name of the handler running TLS. */
    public static final String SSL_HANDLER_NAME = "ssl";
    /** Pipeline name of the handler waiting for the client's first bytes. */
    static final String SNIFFER_NAME = "tls-sniff";
    private static final String DISCARD_NAME = "tls-discard";
    private static final String GUARD_NAME = "tls-close-guard";

    private static final byte TLS_HANDSHAKE_RECORD = 0x16;

    private enum Plan { REQUIRED, FIRST, FIRST_WITH_FALLBACK, MIXED, THROTTLED }

    private enum State { NEW, SNIFFING, HANDSHAKING, DONE }

    private final TlsContext context;
    private final Channel channel;
    private final Plan plan;
    private final boolean infoAfterHandshake;
    private Listener listener;
    private State state = State.NEW;
    private boolean fallbackPending;
    /** The handshake failed (not timed out): the engine's alert may still be on its way out. */
    private boolean handshakeFailed;
    private SslHandler sslHandler;
    private ScheduledFuture<?> timer;

    private ClientTlsNegotiator(TlsContext context, Channel channel, Plan plan, boolean infoAfterHandshake) {
        this.context = context;
        this.channel = channel;
        this.plan = plan;
        this.infoAfterHandshake = infoAfterHandshake;
    }

    /**
     * Adds the TLS handlers the flow starts with to the (new, still empty) pipeline of {@code channel}: the
     * {@link SslHandler}, or a handler that waits for the client's first bytes, or nothing when the rate limit
     * refuses the handshake. Call from the channel initializer, before the connection's own handler is added.
     */
    public static ClientTlsNegotiator install(Channel channel, TlsContext context) {
        TlsOptions options = context.options();
        boolean first = options.handshakeFirst();
        boolean fallback = first && options.handshakeFirstFallback().isPositive();
        Plan plan = first ? (fallback ? Plan.FIRST_WITH_FALLBACK : Plan.FIRST)
                : options.allowNonTls() ? Plan.MIXED : Plan.REQUIRED;
        if ((plan == Plan.REQUIRED || plan == Plan.FIRST) && !context.tryStartHandshake()) {
            plan = Plan.THROTTLED;
        }
        ClientTlsNegotiator negotiator = new ClientTlsNegotiator(context, channel, plan, first);
        ChannelPipeline pipeline = channel.pipeline();
        switch (plan) {
            case REQUIRED -> {
                negotiator.sslHandler = context.newSslHandler(channel.alloc(), true);
                pipeline.addLast(SSL_HANDLER_NAME, negotiator.sslHandler);
                pipeline.addLast(GUARD_NAME, negotiator.new CloseGuard());
            }
            case FIRST -> {
                negotiator.sslHandler = context.newSslHandler(channel.alloc(), false);
                pipeline.addLast(SSL_HANDLER_NAME, negotiator.sslHandler);
                pipeline.addLast(GUARD_NAME, negotiator.new CloseGuard());
            }
            case FIRST_WITH_FALLBACK, MIXED -> pipeline.addLast(SNIFFER_NAME, new TlsSniffer(negotiator));
            case THROTTLED -> {
                // no TLS handler: the refusal goes out in plaintext
            }
        }
        return negotiator;
    }

    /** Whether the INFO waits for the handshake (handshake_first). */
    public boolean infoAfterHandshake() {
        return infoAfterHandshake;
    }

    /** Starts the flow once the connection exists (and has sent its INFO unless it waits for the handshake). */
    public void start(Listener listener) {
        this.listener = listener;
        switch (plan) {
            case THROTTLED -> {
                state = State.DONE;
                listener.onTlsThrottled();
            }
            case REQUIRED, FIRST -> beginHandshake();
            case FIRST_WITH_FALLBACK -> {
                state = State.SNIFFING;
                fallbackPending = true;
                timer = schedule(this::onFallbackDelay, context.options().handshakeFirstFallback());
            }
            case MIXED -> {
                state = State.SNIFFING;
                timer = schedule(this::onSniffTimeout, context.handshakeTimeout());
            }
        }
    }

    /** The first bytes of the client arrived while waiting for them; {@code sniffer} is the waiting handler. */
    // nats-server: server.go createClientEx (TLS-first fallback read, allow_non_tls sniff)
    void onFirstBytes(ChannelHandlerContext sniffer, byte first) {
        if (state != State.SNIFFING) {
            return;
        }
        cancelTimer();
        if (fallbackPending) {
            fallbackPending = false;
            startTls(sniffer);
        } else if (first == TLS_HANDSHAKE_RECORD) {
            startTls(sniffer);
        } else {
            state = State.DONE;
            listener.onTlsNotUsed();
            sniffer.pipeline().remove(sniffer.handler());
        }
    }

    /** The TLS handshake replaces the sniffer; the sniffed bytes are passed on to it. */
    private void startTls(ChannelHandlerContext sniffer) {
        if (!context.tryStartHandshake()) {
            state = State.DONE;
            listener.onTlsThrottled();
            return;
        }
        sslHandler = context.newSslHandler(channel.alloc(), false);
        sniffer.pipeline().replace(sniffer.handler(), SSL_HANDLER_NAME, sslHandler);
        sniffer.pipeline().addAfter(SSL_HANDLER_NAME, GUARD_NAME, new CloseGuard());
        beginHandshake();
    }

    private void onFallbackDelay() {
        timer = null;
        if (state != State.SNIFFING || !fallbackPending) {
            return;
        }
        fallbackPending = false;
        if (context.options().allowNonTls()) {
            listener.onHandshakeFirstFallback();
            timer = schedule(this::onSniffTimeout, context.handshakeTimeout());
            return;
        }
        if (!context.tryStartHandshake()) {
            state = State.DONE;
            listener.onHandshakeFirstFallback();
            listener.onTlsThrottled();
            return;
        }
        sslHandler = context.newSslHandler(channel.alloc(), true);
        channel.pipeline().replace(SNIFFER_NAME, SSL_HANDLER_NAME, sslHandler);
        channel.pipeline().addAfter(SSL_HANDLER_NAME, GUARD_NAME, new CloseGuard());
        listener.onHandshakeFirstFallback();       // the INFO is the first, plaintext write
        beginHandshake();
    }

    private void onSniffTimeout() {
        timer = null;
        if (state != State.SNIFFING) {
            return;
        }
        state = State.DONE;
        if (channel.pipeline().get(SNIFFER_NAME) != null) {
            channel.pipeline().remove(SNIFFER_NAME);
        }
        listener.onTlsNotUsed();
    }

    private void beginHandshake() {
        state = State.HANDSHAKING;
        listener.onTlsHandshakeStarted();
        timer = schedule(this::onHandshakeTimeout, context.handshakeTimeout());
    }

    // nats-server: server.go tlsTimeout
    private void onHandshakeTimeout() {
        timer = null;
        if (state != State.HANDSHAKING) {
            return;
        }
        state = State.DONE;
        // nats-server's -ERR waits behind the unfinished TLS session and the socket closes without a TLS alert:
        // from now on nothing this connection writes reaches the wire
        discardOutput();
        listener.onTlsHandshakeTimeout();
    }

    /** Replaces the unfinished TLS session by a sink: later writes are dropped and closing sends no TLS alert. */
    private void discardOutput() {
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(SSL_HANDLER_NAME) != null) {
            pipeline.replace(SSL_HANDLER_NAME, DISCARD_NAME, new DiscardWrites());
        }
    }

    /**
     * Sits behind the {@link SslHandler} until the handshake succeeds: a close before that (a refusal, a timeout,
     * a shutdown) closes the socket as nats-server closes a connection whose TLS session never started, without the
     * TLS alert the {@code SslHandler} would send. A close caused by a failed handshake is different: Go's TLS stack
     * has already sent its alert then ({@code bad_certificate} for a client certificate it refuses, ...), so the
     * close waits one event-loop turn, in which the {@code SslHandler} flushes the alert its engine produced and
     * closes the channel itself. Removed once TLS is established.
     */
    private final class CloseGuard extends ChannelOutboundHandlerAdapter {
        @Override
        public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
            boolean alertPending = handshakeFailed;
            state = State.DONE;
            cancelTimer();
            if (alertPending) {
                // nats-server: client.go doTLSHandshake (crypto/tls sent the alert inside Handshake())
                ctx.executor().execute(() -> ctx.close(promise));
                return;
            }
            discardOutput();
            ctx.close(promise);
        }
    }

    /** Drops every write: the output of a connection whose handshake timed out. */
    private static final class DiscardWrites extends ChannelOutboundHandlerAdapter {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
        }
    }

    /**
     * A user event reached the connection's handler.
     *
     * @return true when it was the handshake's outcome and has been handled
     */
    // nats-server: client.go doTLSHandshake (result, pinned certificates)
    public boolean onUserEvent(Object event) {
        if (!(event instanceof SslHandshakeCompletionEvent completion)) {
            return false;
        }
        if (state != State.HANDSHAKING) {
            return true;
        }
        cancelTimer();
        if (!completion.isSuccess()) {
            fail(completion.cause());
            return true;
        }
        state = State.DONE;
        if (channel.pipeline().get(GUARD_NAME) != null) {
            channel.pipeline().remove(GUARD_NAME);      // a TLS session now exists: closing ends it properly
        }
        SSLSession session = sslHandler.engine().getSession();
        if (!PinnedCerts.matches(session, context.pinnedCerts())) {
            listener.onTlsHandshakeError("certificate not pinned", false);
            return true;
        }
        listener.onTlsEstablished(session);
        return true;
    }

    /**
     * An exception reached the connection's handler.
     *
     * @return true when it ended the handshake and has been handled
     */
    public boolean onException(Throwable cause) {
        if (state != State.HANDSHAKING) {
            return false;
        }
        cancelTimer();
        fail(cause);
        return true;
    }

    /** The channel closed: no timer may fire any more. */
    public void onChannelInactive() {
        if (state != State.HANDSHAKING) {
            state = State.DONE;
            cancelTimer();
        }
    }

    private void fail(Throwable cause) {
        state = State.DONE;
        handshakeFailed = true;
        HandshakeErrors.Described described = HandshakeErrors.describe(cause);
        listener.onTlsHandshakeError(described.text(), described.probe());
    }

    private ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return channel.eventLoop().schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
