package io.jnatsd.bench.tool;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A receiving connection and its reader thread: counts {@code MSG} frames and checks their sequence numbers
 * ({@link SeqCheck}, plus a {@link SeqCoverage} for a queue-group member). The count is published once per socket
 * read, not per message.
 * <p>
 * The scenario sets the connection up (subscriptions, then a flush) on its own thread, then {@link #start}s the
 * reader; from then on only the reader thread touches the connection and the checks, until {@link #stopAndJoin}.
 */
final class Subscriber implements Runnable, MsgScanner.Listener {

    private static final VarHandle RECEIVED;

    static {
        try {
            RECEIVED = MethodHandles.lookup().findVarHandle(Subscriber.class, "received", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final NatsConn conn;
    private final SeqCheck check;
    private final SeqCoverage coverage;   // queue members only
    private Thread thread;

    private volatile boolean stop;
    @SuppressWarnings("unused") // through RECEIVED
    private volatile long received;
    private volatile long lastReceiveNanos;
    private long cpuNanos;
    private volatile Throwable failure;
    private volatile boolean closedByServer;

    private Subscriber(ServerUrl url, String name, int readBufferBytes, SeqCheck check, SeqCoverage coverage)
            throws IOException {
        this.check = check;
        this.coverage = coverage;
        this.conn = NatsConn.open(url, name, readBufferBytes, this);
    }

    /** A receiver of every message of one publisher, in order. */
    static Subscriber ordered(ServerUrl url, String name, int readBufferBytes, int payloadBytes) throws IOException {
        return new Subscriber(url, name, readBufferBytes, SeqCheck.ordered(payloadBytes), null);
    }

    /** A queue-group member: an increasing subset of one publisher's messages. */
    static Subscriber member(ServerUrl url, String name, int readBufferBytes, int payloadBytes) throws IOException {
        boolean sequenced = payloadBytes >= 8;
        return new Subscriber(url, name, readBufferBytes, SeqCheck.increasing(payloadBytes),
                sequenced ? new SeqCoverage() : null);
    }

    /** The connection, for setting up subscriptions before {@link #start}. */
    NatsConn conn() {
        return conn;
    }

    @Override
    public void onMsg(byte[] line, int lineLength, long seq, int payloadBytes) {
        check.accept(seq);
        if (coverage != null) {
            coverage.add(seq);
        }
    }

    /** Whether {@link #start} was called. */
    boolean started() {
        return thread != null;
    }

    /** Starts the reader thread. */
    void start(String name) {
        thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        long cpu0 = ThreadCpu.currentNanos();
        try {
            long seen = 0;
            while (!stop) {
                int n = conn.readOnce();
                if (n < 0) {
                    closedByServer = true;
                    return;
                }
                long now = check.received();
                if (now != seen) {
                    seen = now;
                    lastReceiveNanos = System.nanoTime();
                    RECEIVED.setRelease(this, now);
                }
            }
        } catch (Throwable e) {
            if (!stop) {
                failure = e;
            }
        } finally {
            cpuNanos = ThreadCpu.currentNanos() - cpu0;
        }
    }

    /** Messages received so far. */
    long received() {
        return (long) RECEIVED.getAcquire(this);
    }

    /** When the last message arrived ({@link System#nanoTime}), 0 before the first. */
    long lastReceiveNanos() {
        return lastReceiveNanos;
    }

    /** True once the reader has stopped on its own (connection closed, or a failure). */
    boolean ended() {
        return thread != null && !thread.isAlive();
    }

    /** Stops the reader, closes the connection and waits for the thread. */
    void stopAndJoin() throws InterruptedException {
        stop = true;
        if (thread != null) {
            thread.join(NatsConn.READ_POLL_MS * 20L);
        }
        conn.close();
        if (thread != null) {
            thread.join();
        }
    }

    /** The sequence check (read after {@link #stopAndJoin}). */
    SeqCheck check() {
        return check;
    }

    /** The coverage set of a queue member with sequenced payloads, else {@code null}. */
    SeqCoverage coverage() {
        return coverage;
    }

    /** CPU time of the reader thread (after {@link #stopAndJoin}). */
    long cpuNanos() {
        return cpuNanos;
    }

    /** Why the reader failed, or {@code null}. */
    Throwable failure() {
        return failure;
    }

    /** True if the server closed the connection during the run. */
    boolean closedByServer() {
        return closedByServer;
    }
}
