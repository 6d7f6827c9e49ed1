package io.jnatsd.bench.tool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A publishing thread: writes pre-encoded batches ({@link PubBatch}, rotating through several when subjects vary)
 * until its duration or message count is reached, respecting a {@link FlowGate}, then sends {@code PING} and waits
 * for the {@code PONG} so that the server has processed every message before the run is timed.
 * <p>
 * Owned by its own thread between {@link #start} and {@link #join}; the counters it publishes
 * ({@link #published}) may be read from any thread.
 */
final class Publisher implements Runnable {

    private static final VarHandle PUBLISHED;

    static {
        try {
            PUBLISHED = MethodHandles.lookup().findVarHandle(Publisher.class, "published", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final NatsConn conn;
    private final PubBatch[] batches;
    private final long maxMsgs;
    private final long durationNanos;
    private final long flushTimeoutNanos;
    private final FlowGate gate;
    private Thread thread;

    private volatile boolean stop;
    @SuppressWarnings("unused") // through PUBLISHED
    private volatile long published;
    private long startNanos;
    private long writesDoneNanos;
    private long flushedNanos;
    private long cpuNanos;
    private volatile Throwable failure;

    Publisher(NatsConn conn, PubBatch[] batches, long maxMsgs, long durationNanos, long flushTimeoutNanos,
            FlowGate gate) {
        this.conn = conn;
        this.batches = batches.clone();
        this.maxMsgs = maxMsgs;
        this.durationNanos = durationNanos;
        this.flushTimeoutNanos = flushTimeoutNanos;
        this.gate = gate;
    }

    /** Starts the publishing thread. */
    void start(String name) {
        thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        long cpu0 = ThreadCpu.currentNanos();
        startNanos = System.nanoTime();
        try {
            publish();
            writesDoneNanos = System.nanoTime();
            conn.flush(flushTimeoutNanos);
            flushedNanos = System.nanoTime();
        } catch (Throwable e) {
            if (!stop) {
                failure = e;
            }
        } finally {
            cpuNanos = ThreadCpu.currentNanos() - cpu0;
        }
    }

    private void publish() throws java.io.IOException {
        long seq = 1;
        int next = 0;
        while (!stop && seq <= maxMsgs && System.nanoTime() - startNanos < durationNanos) {
            PubBatch batch = batches[next];
            int n = (int) Math.min(batch.frames(), maxMsgs - seq + 1);
            long last = seq + n - 1;
            if (last > gate.allowedUpTo()) {
                awaitGate(last);
                continue;
            }
            int len = batch.fill(seq, n);
            conn.write(batch.view(len));
            seq += n;
            PUBLISHED.setRelease(this, seq - 1);
            next = next + 1 == batches.length ? 0 : next + 1;
        }
    }

    private void awaitGate(long last) {
        for (int spins = 0; spins < 64 && last > gate.allowedUpTo(); spins++) {
            Thread.onSpinWait();
        }
        if (last > gate.allowedUpTo()) {
            LockSupport.parkNanos(20_000);
        }
    }

    /** Stops publishing early (and makes a blocked flush fail quietly once the connection is closed). */
    void stop() {
        stop = true;
    }

    /** Waits for the thread; returns false if it is still running after {@code timeoutMs}. */
    boolean join(long timeoutMs) throws InterruptedException {
        thread.join(Math.max(1, timeoutMs));
        return !thread.isAlive();
    }

    /** Messages written so far. */
    long published() {
        return (long) PUBLISHED.getAcquire(this);
    }

    /** When the thread started publishing ({@link System#nanoTime}). Valid after {@link #join}. */
    long startNanos() {
        return startNanos;
    }

    /** When the last batch was written. Valid after {@link #join}. */
    long writesDoneNanos() {
        return writesDoneNanos;
    }

    /** When the final PONG arrived (0 if it did not). Valid after {@link #join}. */
    long flushedNanos() {
        return flushedNanos;
    }

    /** CPU time the thread used. Valid after {@link #join}. */
    long cpuNanos() {
        return cpuNanos;
    }

    /** Why the thread failed, or {@code null}. */
    Throwable failure() {
        return failure;
    }

    /** The connection, for its {@code -ERR} count. */
    NatsConn conn() {
        return conn;
    }
}
