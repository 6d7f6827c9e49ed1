package io.jnatsd.server.jetstream;

import io.jnatsd.server.conn.Connection;
import io.jnatsd.server.conn.InternalPublisher;
import io.jnatsd.server.conn.Subscription;
import io.jnatsd.server.jetstream.api.ApiResponder;
import io.jnatsd.server.jetstream.api.ApiRequests;
import io.jnatsd.server.jetstream.api.GoTimeParse;
import io.jnatsd.store.StoreException;
import io.jnatsd.store.StoredMessage;
import io.jnatsd.store.StreamState;
import io.jnatsd.store.StreamStore;
import io.jnatsd.store.SubjectFilter;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Direct gets ({@code allow_direct}): {@code $JS.API.DIRECT.GET.<stream>} with a {@code JSApiMsgGetRequest} body (by
 * sequence, last or next by subject, by start time, batches, multi last with up-to bounds) and
 * {@code $JS.API.DIRECT.GET.<stream>.<subject>} (the subject's last message), answered with the raw messages, their
 * headers extended with {@code Nats-Stream}, {@code Nats-Subject}, {@code Nats-Sequence}, {@code Nats-Time-Stamp}
 * (and {@code Nats-Num-Pending}, {@code Nats-Last-Sequence} for batches, which end with {@code 204 EOB}); errors are
 * status messages ({@code 408 Empty Request}, {@code 408 Malformed Request}, {@code 408 Bad Request},
 * {@code 404 Message Not Found}, {@code 404 No Results}, {@code 413 Too Many Results}, {@code 412 Required Api
 * Level}) ({@code server/stream.go processDirectGetRequest}, {@code getDirectRequest}, {@code getDirectMulti}).
 * <p>
 * The subscription callbacks check the request on the publisher's thread and hand the reading to a virtual thread,
 * so a store read never blocks an event loop. The stream's queue group {@code _sys_} makes one replica answer.
 * Thread-safe.
 */
// nats-server: stream.go processDirectGetRequest, processDirectGetLastBySubjectRequest, getDirectRequest,
// getDirectMulti
final class DirectGet {

    /** The subject prefix. */
    static final String PREFIX = "$JS.API.DIRECT.GET.";
    private static final int MAX_MULTI_RESPONSES = 1024;

    private final Stream stream;

    DirectGet(Stream stream) {
        this.stream = stream;
    }

    // nats-server: stream.go processDirectGetRequest
    void onRequest(Subscription sub, Connection publisher, String subject, String reply, byte[] hdr, byte[] msg) {
        if (reply == null || reply.isEmpty()) {
            return;
        }
        if (ApiResponder.errorOnRequiredApiLevel(hdr)) {
            status(reply, 412, "Required Api Level");
            return;
        }
        if (msg.length == 0) {
            status(reply, 408, "Empty Request");
            return;
        }
        ApiRequests.MsgGet req = decode(msg);
        if (req == null) {
            status(reply, 408, "Malformed Request");
            return;
        }
        List<String> multi = req.multiLast() == null ? List.of() : req.multiLast();
        if (req.seq() == 0 && req.lastBySubj().isEmpty() && req.nextBySubj().isEmpty() && multi.isEmpty()
                && req.startTime() == null) {
            status(reply, 408, "Empty Request");
            return;
        }
        boolean lastFor = !req.lastBySubj().isEmpty();
        if ((req.seq() > 0 && lastFor) || (req.seq() > 0 && req.startTime() != null)
                || (req.startTime() != null && lastFor) || (lastFor && !req.nextBySubj().isEmpty())
                || (lastFor && req.batch() > 0) || (lastFor && !multi.isEmpty())
                || (!req.nextBySubj().isEmpty() && !multi.isEmpty())
                || (req.upToSeq() > 0 && req.upToTime() != null)) {
            status(reply, 408, "Bad Request");
            return;
        }
        Thread.ofVirtual().name("jnatsd-js-direct-get").start(() -> serve(req, reply));
    }

    // nats-server: stream.go processDirectGetLastBySubjectRequest
    void onLastBySubject(Subscription sub, Connection publisher, String subject, String reply, byte[] hdr,
                         byte[] msg) {
        if (reply == null || reply.isEmpty()) {
            return;
        }
        if (ApiResponder.errorOnRequiredApiLevel(hdr)) {
            status(reply, 412, "Required Api Level");
            return;
        }
        ApiRequests.MsgGet req = new ApiRequests.MsgGet(0, "", "", 0, 0, null, null, 0, null, false);
        if (msg.length > 0) {
            req = decode(msg);
            if (req == null) {
                status(reply, 408, "Malformed Request");
                return;
            }
        }
        String key = "";
        int dots = 0;
        for (int i = 0; i < subject.length(); i++) {
            if (subject.charAt(i) == '.') {
                if (dots == 4) {
                    if (i + 1 < subject.length()) {
                        key = subject.substring(i + 1);
                    }
                    break;
                }
                dots++;
            }
        }
        if (key.isEmpty()) {
            status(reply, 408, "Bad Request");
            return;
        }
        if (!req.lastBySubj().isEmpty() || !req.nextBySubj().isEmpty()
                || (req.multiLast() != null && !req.multiLast().isEmpty()) || req.seq() != 0 || req.batch() != 0
                || req.startTime() != null || req.upToSeq() != 0 || req.upToTime() != null) {
            status(reply, 408, "Bad Request");
            return;
        }
        ApiRequests.MsgGet last = new ApiRequests.MsgGet(0, key, "", 0, req.maxBytes(), null, null, 0, null,
                req.noHeaders());
        Thread.ofVirtual().name("jnatsd-js-direct-get").start(() -> serve(last, reply));
    }

    /** Go's lenient {@code json.Unmarshal} into the request; null when it fails. */
    private static ApiRequests.MsgGet decode(byte[] msg) {
        try {
            return io.jnatsd.server.jetstream.api.ApiJson.decode(msg, ApiRequests.MSG_GET, ApiRequests.MsgGet.class,
                    false);
        } catch (io.jnatsd.server.jetstream.api.ApiJson.DecodeException e) {
            return null;
        }
    }

    private void status(String reply, int code, String description) {
        stream.client().publishInternal(reply, null, JsHeaders.status(code, description), new byte[0]);
    }

    private void serve(ApiRequests.MsgGet req, String reply) {
        InternalPublisher out = new InternalPublisher(stream.client());
        stream.isolation().readLock().lock();
        try {
            if (req.multiLast() != null && !req.multiLast().isEmpty()) {
                multi(req, reply, out);
            } else {
                single(req, reply, out);
            }
        } finally {
            stream.isolation().readLock().unlock();
            out.flush();
        }
    }

    private void send(InternalPublisher out, String reply, byte[] hdr, StoredMessage sm) {
        int hl = hdr == null ? 0 : hdr.length;
        out.publish(reply, null, hdr, 0, hl, sm.buffer(), sm.payloadOffset(), sm.payloadLength());
    }

    private void sendStatus(InternalPublisher out, String reply, byte[] hdr) {
        out.publish(reply, null, hdr, 0, hdr.length, new byte[0], 0, 0);
    }

    /** The message's headers plus the stream headers (and batch headers when {@code batch}). */
    private byte[] headers(StoredMessage sm, boolean batch, long pending, long lastSeq) {
        StringBuilder b = new StringBuilder();
        if (sm.headerLength() == 0) {
            b.append("NATS/1.0\r\n");
        } else {
            b.append(new String(sm.buffer(), 0, sm.headerLength() - 2, StandardCharsets.UTF_8));
        }
        b.append(JsHeaders.STREAM).append(": ").append(stream.name()).append("\r\n");
        b.append(JsHeaders.SUBJECT).append(": ").append(sm.subject()).append("\r\n");
        b.append(JsHeaders.SEQUENCE).append(": ").append(sm.sequence()).append("\r\n");
        b.append(JsHeaders.TIME_STAMP).append(": ").append(StreamInfo.time(sm.timestampNanos())).append("\r\n");
        if (batch) {
            b.append(JsHeaders.NUM_PENDING).append(": ").append(pending).append("\r\n");
            b.append(JsHeaders.LAST_SEQUENCE).append(": ").append(lastSeq).append("\r\n");
        }
        return b.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private long maxBytes(ApiRequests.MsgGet req) {
        return req.maxBytes() > 0 ? req.maxBytes() : stream.jetStream().host().maxPendingBytes();
    }

    // nats-server: stream.go getDirectRequest
    private void single(ApiRequests.MsgGet req, String reply, InternalPublisher out) {
        StreamStore store = stream.store();
        long seq = req.startTime() != null ? store.sequenceFromTime(nanos(req.startTime())) : req.seq();
        String next = req.nextBySubj();
        SubjectFilter nextFilter = next.isEmpty() ? SubjectFilter.ALL : SubjectFilter.of(next);
        boolean isBatch = req.batch() > 0;
        int batch = isBatch ? req.batch() : 1;
        long pending = 0;
        long validThrough = 0;
        if (isBatch) {
            validThrough = store.lastSequence();
            pending = store.numPending(seq, nextFilter, false);
        }
        long max = maxBytes(req);
        long sent = 0;
        long lastSeq = 0;
        StoredMessage sm = new StoredMessage();
        for (int i = 0; i < batch; i++) {
            StoredMessage found;
            if (seq > 0 && next.isEmpty()) {
                found = i == 0 && !isBatch ? store.loadMessage(seq, sm) : store.loadNextMessage(SubjectFilter.ALL,
                        seq, sm);
                if (found != null) {
                    seq = found.sequence() + 1;
                }
            } else if (!next.isEmpty()) {
                found = store.loadNextMessage(nextFilter, seq, sm);
                if (found != null) {
                    seq = found.sequence() + 1;
                }
            } else {
                found = store.loadLastMessage(req.lastBySubj(), sm);
            }
            if (found == null) {
                if (batch > 1 && i > 0) {
                    break;
                }
                sendStatus(out, reply, JsHeaders.status(404, "Message Not Found"));
                return;
            }
            byte[] hdr = null;
            if (!req.noHeaders()) {
                if (isBatch && pending > 0) {
                    pending--;
                }
                hdr = headers(found, isBatch, pending, lastSeq);
            }
            lastSeq = found.sequence();
            send(out, reply, hdr, found);
            sent += found.subject().length() + found.headerLength() + found.payloadLength();
            if (sent >= max) {
                break;
            }
        }
        if (isBatch) {
            if (store.lastSequence() > validThrough) {
                pending = store.numPending(seq, nextFilter, false);
            }
            sendStatus(out, reply, JsHeaders.status(204, "EOB", JsHeaders.NUM_PENDING, Long.toString(pending),
                    JsHeaders.LAST_SEQUENCE, Long.toString(lastSeq)));
        }
    }

    // nats-server: stream.go getDirectMulti
    private void multi(ApiRequests.MsgGet req, String reply, InternalPublisher out) {
        StreamStore store = stream.store();
        long max = maxBytes(req);
        long upTo = req.upToSeq();
        if (req.upToTime() != null) {
            upTo = store.sequenceFromTime(nanos(req.upToTime()));
            StreamState state = store.fastState();
            if (upTo <= state.firstSeq()) {
                sendStatus(out, reply, JsHeaders.status(404, "No Results"));
                return;
            }
            upTo--;
        }
        if (upTo == 0) {
            upTo = store.lastSequence();
        }
        long[] seqs;
        try {
            seqs = store.multiLastSequences(req.multiLast(), upTo, MAX_MULTI_RESPONSES);
        } catch (StoreException e) {
            sendStatus(out, reply, JsHeaders.status(413, "Too Many Results"));
            return;
        }
        long start = req.seq();
        int first = 0;
        while (first < seqs.length && seqs[first] < start) {
            first++;
        }
        int total = seqs.length - first;
        if (total == 0) {
            sendStatus(out, reply, JsHeaders.status(404, "No Results"));
            return;
        }
        StoredMessage sm = new StoredMessage();
        long lastSeq = 0;
        long sentBytes = 0;
        int sent = 0;
        long pending = total;
        for (int i = first; i < seqs.length; i++) {
            StoredMessage found = store.loadMessage(seqs[i], sm);
            if (found == null) {
                sendStatus(out, reply, JsHeaders.status(404, "Message Not Found"));
                return;
            }
            pending--;
            byte[] hdr = headers(found, true, pending, lastSeq);
            lastSeq = found.sequence();
            send(out, reply, hdr, found);
            sentBytes += found.subject().length() + found.headerLength() + found.payloadLength();
            if (sentBytes >= max) {
                break;
            }
            sent++;
            if (req.batch() > 0 && sent >= req.batch()) {
                break;
            }
        }
        sendStatus(out, reply, JsHeaders.status(204, "EOB", JsHeaders.NUM_PENDING, Long.toString(pending),
                JsHeaders.LAST_SEQUENCE, Long.toString(lastSeq), JsHeaders.UP_TO_SEQUENCE, Long.toString(upTo)));
    }

    private static long nanos(String time) {
        Instant t = GoTimeParse.parse(time);
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
