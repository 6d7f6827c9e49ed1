package io.jnatsd.server.jetstream;

import io.jnatsd.common.Nuid;
import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.server.account.Account;
import io.jnatsd.server.conn.ClientInfo;
import io.jnatsd.server.conn.Connection;
import io.jnatsd.server.conn.Subscription;
import io.jnatsd.server.jetstream.api.ApiError;
import io.jnatsd.server.jetstream.api.ApiException;
import io.jnatsd.server.jetstream.api.ApiJson;
import io.jnatsd.server.jetstream.api.JsApiError;
import io.jnatsd.store.StreamSnapshot;
import io.jnatsd.store.StreamState;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * Stream snapshots and restores over NATS ({@code STREAM.SNAPSHOT}, {@code STREAM.RESTORE}): a snapshot is written
 * with {@link StreamSnapshot} to a temporary file, then sent to the requestor's deliver subject in chunks (128 KiB by
 * default, clamped to 1 KiB..1 MiB) whose replies ({@code $JS.SNAPSHOT.ACK.<stream>.<id>.<length>.<index>}) the
 * client acknowledges, at most a window (8 MiB by default, 1 KiB..32 MiB) in flight, ended by a {@code 204} status
 * (or {@code 408 No Interest}, {@code 408 No Flow Response} after 5 seconds without an acknowledgement, {@code 500}).
 * A restore gives the client a subject ({@code $JS.SNAPSHOT.RESTORE.<stream>.<id>}) to send chunks to, each
 * acknowledged with an empty message once written (by a virtual thread, so the publisher's event loop never writes
 * to disk); an empty chunk ends it and gets the {@code stream_create_response}; 5 seconds without a chunk abandon it ({@code server/jetstream_api.go jsStreamSnapshotRequest}, {@code streamSnapshot},
 * {@code processStreamRestore}).
 * <p>
 * The bytes are jnatsd's snapshot format (see {@code docs/storage.md}), not nats-server's S2-compressed tar: a
 * snapshot restores into jnatsd, not into nats-server. Each transfer runs on its own virtual thread.
 */
// nats-server: jetstream_api.go jsStreamSnapshotRequest, streamSnapshot, jsStreamRestoreRequest,
// processStreamRestore
public final class Snapshots {

    private static final NatsLogger LOG = NatsLogger.get(Snapshots.class);
    static final int DEFAULT_CHUNK = 128 * 1024;
    static final int DEFAULT_WINDOW = 8 * 1024 * 1024;
    static final long ACK_TIMEOUT_MS = 5_000;
    static final long RESTORE_IDLE_MS = 5_000;

    private final JetStream js;

    Snapshots(JetStream js) {
        this.js = js;
    }

    /**
     * Takes the snapshot, then answers with {@code respond} (config and state) and streams the chunks.
     * Runs on the calling thread until done.
     *
     * @param respond gets the state the snapshot was taken at, or the error
     */
    // nats-server: jetstream_api.go jsStreamSnapshotRequest (the goroutine), streamSnapshot
    public void snapshot(Stream stream, ClientInfo client, String deliver, boolean noConsumers, int chunkSize,
                         int windowSize, Consumer<Object> respond) {
        LOG.notice("Starting snapshot for stream '" + stream.account().account().name() + " > " + stream.name()
                + "'");
        String start = StreamInfo.now();
        Path file;
        StreamState state;
        try {
            file = Files.createTempFile("jnatsd-snapshot-", ".snap");
            try (OutputStream out = Files.newOutputStream(file)) {
                state = StreamSnapshot.write(stream.store(), Stream.metaJson(stream.config(), stream.createdNanos()),
                        !noConsumers, out);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Snapshot of stream '" + stream.account().account().name() + " > " + stream.name()
                    + "' failed: " + e.getMessage());
            respond.accept(JsApiError.STREAM_SNAPSHOT.error(e.getMessage()));
            return;
        }
        try {
            StreamInfo.State st = StreamInfo.State.of(state, stream.consumers().size());
            respond.accept(st);
            Account acc = stream.account().account();
            String[] h = Advisories.head(Advisories.SnapshotCreate.TYPE);
            js.advisories().publish(acc, Advisories.SNAPSHOT_CREATE + stream.name(), new Advisories.SnapshotCreate(
                    h[0], h[1], h[2], stream.name(), st, Advisories.forAdvisory(client), js.domain()));
            String error = send(stream, deliver, file, chunkSize, windowSize);
            String[] c = Advisories.head(Advisories.SnapshotComplete.TYPE);
            js.advisories().publish(acc, Advisories.SNAPSHOT_COMPLETE + stream.name(), new Advisories
                    .SnapshotComplete(c[0], c[1], c[2], stream.name(), start, StreamInfo.now(),
                    Advisories.forAdvisory(client), js.domain(), error));
            if (error != null) {
                LOG.warn("Snapshot for stream '" + acc.name() + " > " + stream.name() + "' failed: " + error);
            } else {
                LOG.notice("Completed snapshot of " + JetStream.friendlyBytes(state.bytes()) + " for stream '"
                        + acc.name() + " > " + stream.name() + "'");
            }
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.debug("Could not delete " + file + ": " + e.getMessage());
            }
        }
    }

    /** Streams {@code file} to {@code deliver} with flow control; the error text, or null. */
    // nats-server: jetstream_api.go streamSnapshot
    private String send(Stream stream, String deliver, Path file, int chunkSize, int windowSize) {
        int chunk = Math.clamp(chunkSize == 0 ? DEFAULT_CHUNK : chunkSize, 1024, 1024 * 1024);
        int window = Math.clamp(windowSize == 0 ? DEFAULT_WINDOW : windowSize, 1024, 32 * 1024 * 1024);
        window = Math.max(window, chunk);
        int maxInflight = window / chunk;
        Connection client = stream.client();
        Account acc = stream.account().account();
        if (!interested(acc, deliver)) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (!interested(acc, deliver) && System.nanoTime() < until) {
                sleep(10);
            }
        }
        Semaphore slots = new Semaphore(maxInflight);
        String ackSubject = "$JS.SNAPSHOT.ACK." + stream.name() + "." + Nuid.next();
        Subscription ackSub = client.subscribeInternal(ackSubject + ".>", null, (s, p, subj, r, hdr, msg) ->
                slots.release());
        byte[] status = null;
        String error = null;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[chunk];
            for (int index = 1; ; index++) {
                if (!slots.tryAcquire(ACK_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                    error = "no flow response";
                    status = JsHeaders.status(408, "No Flow Response");
                    break;
                }
                if (!interested(acc, deliver)) {
                    error = "no interest";
                    status = JsHeaders.status(408, "No Interest");
                    break;
                }
                int n = in.readNBytes(buf, 0, chunk);
                if (n < chunk) {
                    if (n > 0) {
                        client.publishInternal(deliver, null, null, java.util.Arrays.copyOf(buf, n));
                    }
                    break;
                }
                if (status == null) {
                    status = "NATS/1.0 204\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                }
                client.publishInternal(deliver, ackSubject + "." + n + "." + index, null, buf);
            }
        } catch (IOException e) {
            error = e.getMessage();
            status = ("NATS/1.0 500 " + e.getMessage() + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
            status = JsHeaders.status(500, "interrupted");
        } finally {
            client.unsubscribeInternal(ackSub);
        }
        client.publishInternal(deliver, null, status, new byte[0]);
        return error;
    }

    private static boolean interested(Account acc, String subject) {
        byte[] b = subject.getBytes(StandardCharsets.UTF_8);
        return acc.sublist().hasInterest(b, 0, b.length);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts a restore of {@code cfg} (checked): subscribes the restore subject and returns it; the chunks are
     * collected in a temporary file and the stream is created from it when the empty chunk arrives.
     *
     * @param finish gets the final {@code stream_create_response} body and the reply to send it to
     */
    // nats-server: jetstream_api.go processStreamRestore
    public String restore(JsAccount jsa, StreamConfig cfg, ClientInfo client, Finish finish) throws IOException {
        String name = cfg.name();
        Account acc = jsa.account();
        LOG.notice("Starting restore for stream '" + acc.name() + " > " + name + "'");
        String start = StreamInfo.now();
        String[] h = Advisories.head(Advisories.RestoreCreate.TYPE);
        js.advisories().publish(acc, Advisories.RESTORE_CREATE + name, new Advisories.RestoreCreate(h[0], h[1], h[2],
                name, Advisories.forAdvisory(client), js.domain()));
        String subject = "$JS.SNAPSHOT.RESTORE." + name + "." + Nuid.next();
        Path file = Files.createTempFile("jnatsd-restore-", ".snap");
        Connection c = jsa.client();
        LinkedBlockingQueue<byte[][]> chunks = new LinkedBlockingQueue<>();
        Subscription sub = c.subscribeInternal(subject, null, (s, p, subj, reply, hdr, msg) -> chunks.add(
                new byte[][] {reply == null ? null : reply.getBytes(StandardCharsets.UTF_8), msg}));
        Thread.ofVirtual().name("jnatsd-js-restore").start(() -> {
            long total = 0;
            try (OutputStream out = Files.newOutputStream(file)) {
                while (true) {
                    byte[][] chunk = chunks.poll(RESTORE_IDLE_MS, TimeUnit.MILLISECONDS);
                    if (chunk == null) {
                        LOG.warn("restore for stream '" + acc.name() + " > " + name + "' is stalled");
                        return;
                    }
                    if (chunk[0] == null) {
                        LOG.warn("restore for stream '" + acc.name() + " > " + name
                                + "' requires reply subject for each chunk");
                        return;
                    }
                    String reply = new String(chunk[0], StandardCharsets.UTF_8);
                    if (chunk[1].length == 0) {
                        c.unsubscribeInternal(sub);
                        out.close();
                        finish.done(reply, complete(jsa, cfg, file, total, client, start));
                        return;
                    }
                    try {
                        out.write(chunk[1]);
                    } catch (IOException e) {
                        c.publishInternal(reply, null, null, ApiJson.response(
                                "io.nats.jetstream.api.v1.stream_create_response",
                                JsApiError.STREAM_RESTORE.error(e.getMessage())));
                        return;
                    }
                    total += chunk[1].length;
                    c.publishInternal(reply, null, null, new byte[0]);
                }
            } catch (IOException e) {
                LOG.warn("Restore failed for stream '" + acc.name() + " > " + name + "': " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                c.unsubscribeInternal(sub);
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.debug("Could not delete " + file + ": " + e.getMessage());
                }
            }
        });
        return subject;
    }

    /** Where the final response of a restore goes. */
    @FunctionalInterface
    public interface Finish {
        /** Sends {@code response} to {@code reply}. */
        void done(String reply, byte[] response);
    }

    // nats-server: jetstream_api.go processStreamRestore (finish)
    private byte[] complete(JsAccount jsa, StreamConfig cfg, Path file, long total, ClientInfo client,
                            String start) {
        String type = "io.nats.jetstream.api.v1.stream_create_response";
        byte[] response;
        String acc = jsa.account().name();
        try {
            Stream stream;
            try (InputStream in = Files.newInputStream(file)) {
                stream = jsa.restoreStream(cfg, in);
            }
            StreamInfo info = new StreamInfo(StreamConfigChecks.withDynamicMetadata(stream.config()),
                    StreamInfo.time(stream.createdNanos()), stream.state(), null, null, StreamInfo.now());
            response = ApiJson.response(type, null, info);
            LOG.notice("Completed restore of " + JetStream.friendlyBytes(total) + " for stream '" + acc + " > "
                    + cfg.name() + "'");
        } catch (ApiException e) {
            response = ApiJson.response(type, e.error());
            LOG.warn("Restore failed for " + JetStream.friendlyBytes(total) + " for stream '" + acc + " > "
                    + cfg.name() + "': " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            ApiError err = JsApiError.STREAM_RESTORE.error(e.getMessage() == null ? e.toString() : e.getMessage());
            response = ApiJson.response(type, err);
            LOG.warn("Restore failed for stream '" + acc + " > " + cfg.name() + "': " + err.description());
        }
        String[] h = Advisories.head(Advisories.RestoreComplete.TYPE);
        js.advisories().publish(jsa.account(), Advisories.RESTORE_COMPLETE + cfg.name(),
                new Advisories.RestoreComplete(h[0], h[1], h[2], cfg.name(), start, StreamInfo.now(), total,
                        Advisories.forAdvisory(client), js.domain()));
        return response;
    }
}
