package io.jnatsd.bench.tool;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Steps shared by the cases that publish and receive: waiting for publishers and deliveries with progress output,
 * and collecting connection errors. Stateless; called on the runner thread.
 */
final class Runs {

    private Runs() {
    }

    /** Waits for the publishers, printing progress; stops them if they overrun. */
    static void joinPublishers(List<Publisher> pubs, RunEnv env, String label) throws InterruptedException {
        long deadline = System.nanoTime() + env.publishTimeoutNanos();
        long t0 = System.nanoTime();
        for (Publisher p : pubs) {
            while (!p.join(250)) {
                long sum = pubs.stream().mapToLong(Publisher::published).sum();
                double s = (System.nanoTime() - t0) / 1e9;
                env.progress().tick(String.format(Locale.ROOT, "%s: %.1f s, %s msgs published", label, s,
                        Format.count(sum)));
                if (System.nanoTime() - deadline > 0) {
                    pubs.forEach(Publisher::stop);
                    pubs.forEach(q -> q.conn().close());
                    p.join(TimeUnit.SECONDS.toMillis(10));
                    break;
                }
            }
        }
    }

    /** Waits until the readers have {@code expected} messages together, or the drain timeout passes. */
    static void awaitDelivery(List<Subscriber> readers, long expected, RunEnv env, String label) {
        if (readers.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + env.options().drainTimeoutNanos;
        while (true) {
            long sum = 0;
            boolean allEnded = true;
            for (Subscriber s : readers) {
                sum += s.received();
                allEnded &= s.ended();
            }
            if (sum >= expected || allEnded || System.nanoTime() - deadline > 0) {
                return;
            }
            env.progress().tick(String.format(Locale.ROOT, "%s: waiting for deliveries, %s of %s", label,
                    Format.count(sum), Format.count(expected)));
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** Counts a connection's errors into {@code detail}; returns how many. */
    static long connErrors(NatsConn conn, Throwable failure, boolean closedByServer, List<String> detail) {
        long n = conn.errors();
        if (n > 0) {
            detail.add("-ERR '" + conn.lastError() + "'" + (n > 1 ? " (" + n + " times)" : ""));
        }
        if (failure != null) {
            n++;
            detail.add(String.valueOf(failure.getMessage() == null ? failure : failure.getMessage()));
        }
        if (closedByServer) {
            n++;
            detail.add("the server closed a receiving connection");
        }
        return n;
    }

    /** Closes quietly. */
    static void close(NatsConn conn) {
        if (conn != null) {
            conn.close();
        }
    }
}
