package io.jnatsd.server.conn;

import io.jnatsd.common.GoJson;
import io.jnatsd.common.GoTime;
import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.config.ExportOptions;
import io.jnatsd.server.account.Account;
import io.jnatsd.server.account.ResponseImport;
import io.jnatsd.server.account.ServiceExport;
import io.jnatsd.server.account.ServiceImport;
import io.jnatsd.subject.Subjects;
import io.jnatsd.subject.SublistResult;
import io.jnatsd.subject.transform.SubjectMappings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Routing across accounts for service imports ({@code server/client.go processServiceImport},
 * {@code setupResponseServiceImport}; {@code server/accounts.go addRespServiceImport}, {@code newServiceReply},
 * {@code removeRespServiceImport}, {@code checkForReverseEntry}, {@code checkExpiredResponses},
 * {@code shouldSample} and the latency results).
 * <p>
 * A request caught in the importing account by a service import's subscription is published again in the
 * exporting account on the import's subject, with a {@code Nats-Request-Info} header describing the requestor and
 * its reply subject replaced by a fresh {@code _R_.<prefix>.<random>} subject. The exporting account keeps a
 * {@link ResponseImport} for that subject and catches responses with one wildcard subscription on
 * {@code _R_.<prefix>.>}; each response goes back to the requestor's account on the original reply subject. A
 * mapping goes after a singleton's response, an empty response, an undeliverable response, the requestor's loss
 * of interest in its reply subject, or the export's response threshold.
 * <p>
 * Everything runs on the publisher's thread, synchronously, like any delivery; the threshold sweeps run on the
 * account's scheduler. Stateless apart from the accounts' maps.
 */
final class ServiceImports {

    private static final NatsLogger LOG = NatsLogger.get(ServiceImports.class);
    private static final byte[] JS_ACK_PREFIX = "$JS.ACK.".getBytes(StandardCharsets.US_ASCII);
    /** The reply suffix of a fast batch publish ({@code FastBatchSuffix}). */
    private static final byte[] FAST_BATCH_SUFFIX = ".$FI".getBytes(StandardCharsets.US_ASCII);
    /** Every account's import of the system account's JetStream API ({@code jsAllAPI}). */
    private static final String JS_ALL_API = "$JS.API.>";
    private static final byte[] JS_DIRECT_GET_PREFIX = "$JS.API.DIRECT.GET.".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] JS_REQUEST_NEXT_PREFIX = "$JS.API.CONSUMER.MSG.NEXT."
            .getBytes(StandardCharsets.US_ASCII);
    /** The header carrying the requestor's client info into the exporting account ({@code ClientInfoHdr}). */
    static final String CLIENT_INFO_HEADER = "Nats-Request-Info";
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
            .toCharArray();
    private static final int EVENT_ID_LENGTH = 22;
    private static final int SERVER_HASH_LENGTH = 8;

    private ServiceImports() {
    }

    /**
     * Whether {@code pa} is a consumer pull ({@code $JS.API.CONSUMER.MSG.NEXT.}) or a direct get
     * ({@code $JS.API.DIRECT.GET.}) that matched the import of the system account's {@code $JS.API.>}: those are
     * answered by the consumer's or stream's own subscription in the importing account, so the import does not
     * forward them and does not count as a delivery; with no such subscription the requestor gets its no-responders
     * status (a pull on a deleted consumer: 503).
     */
    // nats-server: client.go processServiceImport (checkJS)
    private static boolean isJetStreamOwnSubscriptionRequest(Connection publisher, ServiceImport si,
                                                             PublishArgs pa) {
        return JS_ALL_API.equals(si.to()) && si.exporter() == publisher.host().systemAccount()
                && (startsWith(pa.subject, pa.subjectLength, JS_REQUEST_NEXT_PREFIX)
                || startsWith(pa.subject, pa.subjectLength, JS_DIRECT_GET_PREFIX));
    }

    /** One service export a message went through, to stop import cycles ({@code pubArg.psi}). */
    record Hop(ServiceExport export, boolean share, Hop previous) {
    }

    // ------------------------------------------------------------------------------------------- requests

    /**
     * A message published in the importing account matched {@code si}'s subscription: forward it to the exporter.
     *
     * @return whether it reached a subscriber in the exporting account
     */
    // nats-server: client.go processServiceImport (a request)
    static boolean processRequest(Connection publisher, ServiceImport si, PublishArgs pa, DeliveryBatch batch) {
        if (si.isInvalid() || inChain(pa, si.export()) || isJetStreamOwnSubscriptionRequest(publisher, si, pa)) {
            return false;
        }
        Account exporter = si.exporter();
        ExportOptions.Latency latency = si.export() == null ? null : si.export().latency();
        Map<String, List<String>> headers = pa.hasHeaders() ? parseHeaders(pa) : Map.of();
        Sample sample = shouldSample(latency, headers);
        String replySubject = null;
        ResponseImport response = null;
        if (pa.replyLength > 0) {
            if (startsWith(pa.reply, pa.replyLength, JS_ACK_PREFIX)) {
                replySubject = new String(pa.reply, 0, pa.replyLength, StandardCharsets.UTF_8);
            } else {
                response = addResponseImport(publisher.host(), exporter, si.importer(),
                        new String(pa.reply, 0, pa.replyLength, StandardCharsets.UTF_8), si, si.export(),
                        sample.tracking(), sample.headers(), latency != null ? publisher : null);
                replySubject = response.subject();
            }
        } else if (latency != null && sample.tracking()) {
            sendLatency(exporter, latency, badRequest(publisher.clientInfo(si.share()), sample.headers()));
        }
        String subject = new String(pa.subject, 0, pa.subjectLength, StandardCharsets.UTF_8);
        String to = si.transform() != null ? si.transform().apply(subject) : si.usePublished() ? subject : si.to();
        SubjectMappings mappings = exporter.mappings();
        if (mappings != null) {
            String mapped = mappings.select(to, "");
            if (mapped != null) {
                to = mapped;
            }
        }
        byte[] header = requestInfoHeader(publisher, si, pa);
        PublishArgs forwarded = forward(pa, to, replySubject, header);
        forwarded.serviceImportHops = new Hop(si.export(), si.share(), pa.serviceImportHops);
        boolean delivered = route(publisher, exporter, forwarded, batch);
        if (!delivered && response != null) {
            removeResponse(response, ResponseImport.Removal.NO_DELIVERY);
        }
        return delivered;
    }

    /** The request's {@code Nats-Request-Info}: the requestor's info, or the previous hop's with this account. */
    private static byte[] requestInfoHeader(Connection publisher, ServiceImport si, PublishArgs pa) {
        Account system = publisher.host().systemAccount();
        boolean systemImport = si.exporter() == system;
        Hop previous = pa.serviceImportHops;
        boolean share = previous != null ? previous.share() : si.share();
        ClientInfo info = null;
        if (previous != null && pa.hasHeaders()) {
            List<String> existing = parseHeaders(pa).get(CLIENT_INFO_HEADER);
            if (existing != null && !existing.isEmpty()) {
                try {
                    info = GoJson.mapper().readValue(existing.getFirst(), ClientInfo.class)
                            .withService(si.importer().name());
                    if (!share && (si.share() || systemImport)) {
                        info = info.withServer(publisher.host().info().serverName());
                    }
                } catch (java.io.IOException e) {
                    info = null;
                }
            }
        }
        if (info == null) {
            info = publisher.clientInfo(share);
            if (info != null && endsWith(pa.reply, pa.replyLength, FAST_BATCH_SUFFIX)) {
                // a fast batch publish: the stream reads the batch from the original reply subject
                info = info.withReply(new String(pa.reply, 0, pa.replyLength, StandardCharsets.UTF_8));
            }
            if (info != null && !share && systemImport) {
                info = info.withServer(publisher.host().info().serverName());
            }
        }
        return info == null ? null : GoJson.writeBytes(info);
    }

    // ------------------------------------------------------------------------------------------ responses

    /**
     * A message published in {@code holder} on one of its {@code _R_.} reply subjects: send it back to the
     * requestor's account on the original reply subject.
     *
     * @return whether it reached a subscriber in the requestor's account
     */
    // nats-server: accounts.go processServiceImportResponse, client.go processServiceImport (a response)
    static boolean processResponse(Connection publisher, Account holder, PublishArgs pa, DeliveryBatch batch) {
        if (!holder.hasResponses()) {
            return false;
        }
        ResponseImport rsi = holder.response(new String(pa.subject, 0, pa.subjectLength, StandardCharsets.UTF_8));
        if (rsi == null || inChain(pa, rsi.export())) {
            return false;
        }
        Account requester = rsi.requesterAccount();
        String replySubject = null;
        if (pa.replyLength > 0) {
            if (startsWith(pa.reply, pa.replyLength, JS_ACK_PREFIX)) {
                replySubject = new String(pa.reply, 0, pa.replyLength, StandardCharsets.UTF_8);
            } else {
                replySubject = addResponseImport(publisher.host(), requester, holder,
                        new String(pa.reply, 0, pa.replyLength, StandardCharsets.UTF_8), rsi.origin(), rsi.export(),
                        false, null, null).subject();
            }
        }
        boolean sentLatency = false;
        if (rsi.tracking() && rsi.markDelivered()) {
            sentLatency = sendTrackingLatency(rsi, publisher);
        }
        String to = rsi.reply();
        SubjectMappings mappings = requester.mappings();
        if (mappings != null) {
            String mapped = mappings.select(to, "");
            if (mapped != null) {
                to = mapped;
            }
        }
        PublishArgs forwarded = forward(pa, to, replySubject, null);
        forwarded.serviceImportHops = new Hop(rsi.export(), pa.serviceImportHops == null
                ? rsi.origin() != null && rsi.origin().share() : pa.serviceImportHops.share(), pa.serviceImportHops);
        boolean delivered = route(publisher, requester, forwarded, batch);
        boolean singleton = rsi.responseType() == ExportOptions.ResponseType.SINGLETON;
        boolean remove = !delivered || singleton || pa.totalLength == 0;
        if (rsi.tracking() && !sentLatency) {
            remove = false;
        }
        if (!singleton && delivered) {
            rsi.touch();
        }
        if (remove) {
            removeResponse(rsi, delivered ? ResponseImport.Removal.OK : ResponseImport.Removal.NO_DELIVERY);
        }
        return delivered;
    }

    /**
     * Creates the mapping of a request's reply in {@code holder} (where the request is served), subscribing the
     * holder's {@code _R_.} wildcard the first time.
     */
    // nats-server: accounts.go addRespServiceImport, newServiceReply, createRespWildcard
    static ResponseImport addResponseImport(ConnectionHost host, Account holder, Account requester, String reply,
                                            ServiceImport origin, ServiceExport export, boolean tracking,
                                            Map<String, List<String>> trackingHeaders, Connection requestor) {
        String prefix = holder.replyPrefix(wildcard -> {
            Connection internal = holder.internalClient();
            if (internal != null) {
                internal.subscribeResponses(wildcard, holder);
            }
        });
        String subject = Account.newReply(prefix);
        if (tracking) {
            subject = subject + "." + serverHash(host.info().serverName()) + ".T";
        }
        ResponseImport rsi = new ResponseImport(subject, holder, requester, reply, origin, export, tracking,
                trackingHeaders, requestor);
        holder.addResponse(rsi);
        if (export != null) {
            armSweeper(export);
        }
        requester.addReverseEntry(reply, holder, subject);
        return rsi;
    }

    /**
     * Removes a response mapping; a tracked request that never got its response reports 503 or 504.
     */
    // nats-server: accounts.go removeRespServiceImport
    static void removeResponse(ResponseImport rsi, ResponseImport.Removal reason) {
        if (rsi == null || !rsi.holder().removeResponse(rsi)) {
            return;
        }
        if (rsi.tracking() && rsi.requestor() != null && !rsi.didDeliver() && reason != ResponseImport.Removal.OK
                && rsi.export() != null && rsi.export().latency() != null) {
            boolean unavailable = reason == ResponseImport.Removal.NO_DELIVERY;
            sendLatency(rsi.holder(), rsi.export().latency(), failure(rsi, unavailable ? 503 : 504,
                    unavailable ? "Service Unavailable" : "Service Timeout"));
        }
        rsi.requesterAccount().removeReverseEntry(rsi.reply(), rsi.subject());
    }

    /**
     * A subscription on {@code subject} left {@code account}: when nothing in the account listens on a reply
     * subject of pending requests any more, their response mappings go (408 for tracked ones).
     */
    // nats-server: accounts.go checkForReverseEntry (checkInterest), checkForReverseEntries
    static void onInterestRemoved(Account account, String subject) {
        if (!account.hasReverseEntries()) {
            return;
        }
        if (Subjects.subjectIsLiteral(subject)) {
            dropIfNoInterest(account, subject);
            return;
        }
        for (String reply : account.reverseEntryReplies()) {
            if (Subjects.subjectIsLiteral(reply) && Subjects.subjectMatchesFilter(reply, subject)) {
                dropIfNoInterest(account, reply);
            }
        }
    }

    private static void dropIfNoInterest(Account account, String reply) {
        byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
        if (account.sublist().hasInterest(bytes, 0, bytes.length)) {
            return;
        }
        for (Account.ReverseEntry entry : account.takeReverseEntries(reply)) {
            ResponseImport rsi = entry.holder().response(entry.subject());
            if (rsi == null || rsi.didDeliver() || !entry.holder().removeResponse(rsi)) {
                continue;
            }
            if (rsi.tracking() && rsi.requestor() != null && rsi.export() != null
                    && rsi.export().latency() != null) {
                sendLatency(rsi.holder(), rsi.export().latency(), failure(rsi, 408, "Request Timeout"));
            }
        }
    }

    /** Makes sure the export's threshold sweeper runs. */
    // nats-server: accounts.go setResponseThresholdTimer
    private static void armSweeper(ServiceExport export) {
        ScheduledExecutorService scheduler = export.account().scheduler();
        if (scheduler == null) {
            return;
        }
        synchronized (export) {
            if (export.sweeper() != null) {
                return;
            }
            schedule(export, scheduler);
        }
    }

    /** Caller holds the export's monitor. */
    private static void schedule(ServiceExport export, ScheduledExecutorService scheduler) {
        try {
            export.sweeper(scheduler.schedule(() -> sweep(export), export.thresholdNanos(),
                    TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException e) {
            export.sweeper(null);       // shutting down
        }
    }

    /** Removes the export's response mappings older than its threshold (504 for tracked ones). */
    // nats-server: accounts.go checkExpiredResponses
    static void sweep(ServiceExport export) {
        Account holder = export.account();
        long oldest = System.nanoTime() - export.thresholdNanos();
        List<ResponseImport> all = holder.responsesOf(export);
        int remaining = all.size();
        for (ResponseImport rsi : all) {
            if (rsi.timestampNanos() - oldest <= 0) {
                removeResponse(rsi, ResponseImport.Removal.TIMEOUT);
                remaining--;
            }
        }
        synchronized (export) {
            export.sweeper(null);
            ScheduledExecutorService scheduler = holder.scheduler();
            if (remaining > 0 && scheduler != null) {
                schedule(export, scheduler);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ forwarding

    /** Whether {@code export} is already on the message's path (an import cycle). */
    private static boolean inChain(PublishArgs pa, ServiceExport export) {
        for (Hop hop = pa.serviceImportHops; hop != null; hop = hop.previous()) {
            if (hop.export() == export) {
                return true;
            }
        }
        return false;
    }

    /** A copy of {@code pa} for another account: new subject, reply and (optionally) client info header. */
    private static PublishArgs forward(PublishArgs pa, String subject, String reply, byte[] clientInfoJson) {
        PublishArgs out = new PublishArgs();
        out.setSubject(subject.getBytes(StandardCharsets.UTF_8));
        byte[] replyBytes = reply == null ? new byte[0] : reply.getBytes(StandardCharsets.UTF_8);
        out.reply = replyBytes;
        out.replyLength = replyBytes.length;
        out.fromServiceImport = true;
        int headerLength = Math.max(0, pa.headerLength);
        if (clientInfoJson == null) {
            out.payload = pa.payload;
            out.payloadOffset = pa.payloadOffset;
            out.headerLength = pa.headerLength;
            out.totalLength = pa.totalLength;
            return out;
        }
        byte[] header = withHeader(pa, headerLength, CLIENT_INFO_HEADER, clientInfoJson);
        int bodyLength = pa.totalLength - headerLength;
        ByteBuf body = Unpooled.buffer(header.length + bodyLength + 2);
        body.writeBytes(header);
        body.writeBytes(pa.payload, pa.payloadOffset + headerLength, bodyLength + 2);
        out.payload = body;
        out.payloadOffset = 0;
        out.headerLength = header.length;
        out.totalLength = header.length + bodyLength;
        return out;
    }

    /**
     * The message's header block with {@code key} set to {@code value} (an existing one replaced), as
     * nats-server's {@code client.setHeader} builds it.
     */
    static byte[] withHeader(PublishArgs pa, int headerLength, String key, byte[] value) {
        StringBuilder out = new StringBuilder(headerLength + key.length() + value.length + 16);
        if (headerLength > 4) {
            String existing = pa.payload.toString(pa.payloadOffset, headerLength - 2, StandardCharsets.UTF_8);
            String kept = removeHeader(existing, key);
            out.append(kept.isEmpty() ? "NATS/1.0\r\n" : kept);
        } else {
            out.append("NATS/1.0\r\n");
        }
        out.append(key).append(": ").append(new String(value, StandardCharsets.UTF_8)).append("\r\n\r\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code header} (ending with the last field's CRLF) without the lines of {@code key}. */
    // nats-server: client.go removeHeaderIfPresent
    private static String removeHeader(String header, String key) {
        String h = header;
        while (true) {
            int start = headerKeyIndex(h, key);
            if (start < 1 || h.charAt(start - 1) != '\n') {
                return h;
            }
            int end = h.indexOf("\r\n", start);
            if (end < 0) {
                return h;
            }
            h = h.substring(0, start) + h.substring(end + 2);
            if (h.length() <= "NATS/1.0\r\n".length()) {
                return "";
            }
        }
    }

    // nats-server: client.go getHeaderKeyIndex
    private static int headerKeyIndex(String h, String key) {
        int offset = 0;
        while (true) {
            int index = h.indexOf(key, offset);
            if (index < 2) {
                return -1;
            }
            if (index >= h.length() - 1 || h.charAt(index - 1) != '\n' || h.charAt(index - 2) != '\r') {
                offset = index + key.length();
                continue;
            }
            if (index + key.length() >= h.length()) {
                return -1;
            }
            if (h.charAt(index + key.length()) != ':') {
                offset = index + key.length();
                continue;
            }
            return index;
        }
    }

    private static boolean route(Connection publisher, Account target, PublishArgs pa, DeliveryBatch batch) {
        SublistResult<Subscription> result = target.sublist().match(pa.subject, 0, pa.subjectLength);
        return !result.isEmpty() && publisher.routeResult(result, pa, batch);
    }

    private static boolean endsWith(byte[] value, int length, byte[] suffix) {
        if (value == null || length < suffix.length) {
            return false;
        }
        for (int i = 0; i < suffix.length; i++) {
            if (value[length - suffix.length + i] != suffix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] value, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (value[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    // -------------------------------------------------------------------------------------------- latency

    /** Whether a request is sampled, and the tracing headers that decided it (null when none). */
    record Sample(boolean tracking, Map<String, List<String>> headers) {
        static final Sample NO = new Sample(false, null);
        static final Sample YES = new Sample(true, null);
    }

    private static final String UBER = "Uber-Trace-Id";
    private static final String TRACE_PARENT = "Traceparent";
    private static final String B3 = "B3";
    private static final String B3_SAMPLED = "X-B3-Sampled";
    private static final String B3_TRACE_ID = "X-B3-Traceid";
    private static final String B3_PARENT_SPAN_ID = "X-B3-Parentspanid";
    private static final String B3_SPAN_ID = "X-B3-Spanid";
    private static final String TRACE_STATE = "Tracestate";
    private static final String UBER_CONTEXT_PREFIX = "Uberctx-";

    /** Whether to measure a request: by the sampling percentage, else by its tracing headers. */
    // nats-server: accounts.go shouldSample
    static Sample shouldSample(ExportOptions.Latency latency, Map<String, List<String>> h) {
        if (latency == null) {
            return Sample.NO;
        }
        int sampling = latency.samplingPercent();
        if (sampling >= 100) {
            return Sample.YES;
        }
        // nats-server: rand.Int31n(100) <= sampling, so 50 samples 51 requests in 100
        if (sampling > 0 && ThreadLocalRandom.current().nextInt(100) <= sampling) {
            return Sample.YES;
        }
        if (h.isEmpty()) {
            return Sample.NO;
        }
        List<String> uber = h.get(UBER);
        if (uber != null && !uber.isEmpty()) {
            String[] tk = uber.getFirst().split(":", -1);
            if (tk.length == 4 && !tk[3].isEmpty() && tk[3].length() <= 2) {
                try {
                    int flags = Integer.parseInt(tk[3], 16);
                    if ((flags & 1) == 1) {
                        Map<String, List<String>> out = new LinkedHashMap<>();
                        out.put(UBER, uber);
                        h.forEach((k, v) -> {
                            if (k.startsWith(UBER_CONTEXT_PREFIX)) {
                                out.put(k, v);
                            }
                        });
                        return new Sample(true, out);
                    }
                } catch (NumberFormatException e) {
                    return Sample.NO;
                }
            }
            return Sample.NO;
        }
        List<String> sampled = h.get(B3_SAMPLED);
        if (sampled != null && !sampled.isEmpty() && sampled.getFirst().equals("1")) {
            return new Sample(true, b3Headers(h));
        }
        if (sampled != null && !sampled.isEmpty() && sampled.getFirst().equals("0")) {
            return Sample.NO;
        }
        if (h.containsKey(B3_TRACE_ID)) {
            return new Sample(true, b3Headers(h));
        }
        List<String> b3 = h.get(B3);
        if (b3 != null && !b3.isEmpty()) {
            String[] tk = b3.getFirst().split("-", -1);
            if ((tk.length > 2 && tk[2].equals("0")) || (tk.length == 1 && tk[0].equals("0"))) {
                return Sample.NO;
            }
            return new Sample(true, Map.of(B3, b3));
        }
        List<String> parent = h.get(TRACE_PARENT);
        if (parent != null && !parent.isEmpty()) {
            String[] tk = parent.getFirst().split("-", -1);
            boolean sample = false;
            if (tk.length == 4 && tk[3].length() == 2) {
                try {
                    sample = (Integer.parseInt(tk[3], 16) & 1) == 1 && Integer.parseInt(tk[3], 16) <= 0x7f;
                } catch (NumberFormatException e) {
                    sample = false;
                }
            }
            if (sample) {
                Map<String, List<String>> out = new LinkedHashMap<>();
                out.put(TRACE_PARENT, parent);
                if (h.containsKey(TRACE_STATE)) {
                    out.put(TRACE_STATE, h.get(TRACE_STATE));
                }
                return new Sample(true, out);
            }
        }
        return Sample.NO;
    }

    private static Map<String, List<String>> b3Headers(Map<String, List<String>> h) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String key : List.of(B3_SAMPLED, B3_TRACE_ID, B3_PARENT_SPAN_ID, B3_SPAN_ID)) {
            if (h.containsKey(key)) {
                out.put(key, h.get(key));
            }
        }
        return out;
    }

    /**
     * The message's header fields by canonical MIME key (Go's {@code textproto} form: {@code X-B3-Traceid}), each
     * with its values in order; the status line is skipped.
     */
    static Map<String, List<String>> parseHeaders(PublishArgs pa) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (pa.headerLength <= 0) {
            return out;
        }
        String block = pa.payload.toString(pa.payloadOffset, pa.headerLength, StandardCharsets.UTF_8);
        String[] lines = block.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String key = canonicalKey(line.substring(0, colon).strip());
            out.computeIfAbsent(key, k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
        }
        return out;
    }

    /** Go's {@code textproto.CanonicalMIMEHeaderKey}. */
    static String canonicalKey(String key) {
        StringBuilder out = new StringBuilder(key.length());
        boolean upper = true;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == ' ') {
                return key;                     // Go leaves keys with spaces alone
            }
            out.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return out.toString();
    }

    /** The 200 result of a response delivered back to a tracked requestor. */
    // nats-server: accounts.go sendTrackingLatency
    private static boolean sendTrackingLatency(ResponseImport rsi, Connection responder) {
        if (!(rsi.requestor() instanceof Connection requestor) || rsi.export() == null
                || rsi.export().latency() == null) {
            return true;
        }
        long now = System.nanoTime();
        long serviceRtt = now - rsi.timestampNanos();
        ClientInfo requestorInfo = requestor.clientInfo(rsi.origin() != null && rsi.origin().share());
        ClientInfo responderInfo = responder.clientInfo(true);
        long responderRtt = responderInfo == null ? 0 : responderInfo.rttNanos();
        long requestorRtt = requestorInfo == null ? 0 : requestorInfo.rttNanos();
        Instant start = rsi.requestInstant().minusNanos(requestorRtt);
        long service = serviceRtt - responderRtt;
        long total = requestorRtt + serviceRtt;
        long system = 0;
        if (responderRtt > 0) {
            system = System.nanoTime() - now;
            total += system;
        }
        ServiceLatencyEvent event = new ServiceLatencyEvent(ServiceLatencyEvent.TYPE, eventId(),
                GoTime.rfc3339Nano(Instant.now()), 200, "", requestorInfo, responderInfo, rsi.trackingHeaders(),
                GoTime.rfc3339Nano(start), Math.max(0, service), Math.max(0, system), total);
        sendLatency(rsi.holder(), rsi.export().latency(), event);
        return true;
    }

    private static ServiceLatencyEvent badRequest(ClientInfo requestor, Map<String, List<String>> headers) {
        long rtt = requestor == null ? 0 : requestor.rttNanos();
        return new ServiceLatencyEvent(ServiceLatencyEvent.TYPE, eventId(), GoTime.rfc3339Nano(Instant.now()), 400,
                "Bad Request", requestor, null, headers, GoTime.rfc3339Nano(Instant.now().minusNanos(rtt)), 0, 0, 0);
    }

    private static ServiceLatencyEvent failure(ResponseImport rsi, int status, String description) {
        ClientInfo requestor = rsi.requestor() instanceof Connection c
                ? c.clientInfo(rsi.origin() != null && rsi.origin().share()) : null;
        long rtt = requestor == null ? 0 : requestor.rttNanos();
        return new ServiceLatencyEvent(ServiceLatencyEvent.TYPE, eventId(), GoTime.rfc3339Nano(Instant.now()),
                status, description, requestor, null, rsi.trackingHeaders(),
                GoTime.rfc3339Nano(rsi.requestInstant().minusNanos(rtt)), 0, 0, 0);
    }

    /** Publishes a latency result in the exporting account, from its internal client. */
    // nats-server: accounts.go sendLatencyResult, events.go sendInternalAccountMsg
    private static void sendLatency(Account exporter, ExportOptions.Latency latency, ServiceLatencyEvent event) {
        Connection internal = exporter.internalClient();
        if (internal == null) {
            LOG.debug("No internal client in account " + exporter.name() + " for latency results");
            return;
        }
        internal.publishInternal(latency.subject(), null, null, GoJson.writeBytes(event));
    }

    /** A unique event id: 22 base62 characters, as a NUID. */
    static String eventId() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        char[] out = new char[EVENT_ID_LENGTH];
        for (int i = 0; i < out.length; i++) {
            out[i] = BASE62[rnd.nextInt(BASE62.length)];
        }
        return new String(out);
    }

    /** The 8-character hash of the server name that tracked replies end with ({@code events.go getHashSize}). */
    static String serverHash(String serverName) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(serverName.getBytes(StandardCharsets.UTF_8));
            char[] out = new char[SERVER_HASH_LENGTH];
            for (int i = 0; i < out.length; i++) {
                out[i] = BASE62[(sha[i] & 0xff) % BASE62.length];
            }
            return new String(out);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }
}
