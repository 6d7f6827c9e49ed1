package io.jnatsd.server.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.jnatsd.common.GoJson;
import io.jnatsd.common.GoTime;
import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.config.AuthOptions;
import io.jnatsd.server.NatsServer;
import io.jnatsd.server.account.Account;
import io.jnatsd.server.conn.ClosedState;
import io.jnatsd.server.conn.Connection;
import io.jnatsd.server.conn.ConnectionKind;
import io.jnatsd.server.conn.ConnectionSnapshot;
import io.jnatsd.server.conn.Subscription;
import io.jnatsd.server.monitor.AccountStatz;
import io.jnatsd.server.monitor.ConnzOptions;
import io.jnatsd.server.monitor.HealthzOptions;
import io.jnatsd.server.monitor.JszOptions;
import io.jnatsd.server.monitor.MonitorException;
import io.jnatsd.server.monitor.Monitoring;
import io.jnatsd.server.monitor.SortOption;
import io.jnatsd.subject.Subjects;
import io.jnatsd.subject.SublistResult;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;
import java.util.zip.GZIPOutputStream;

/**
 * The requests the system account answers (nats-server's events.go {@code initEventTracking}, {@code zReq} and its
 * handlers): {@code $SYS.REQ.SERVER.PING[.<endpoint>]}, {@code $SYS.REQ.SERVER.<id>.<endpoint>} (with the
 * endpoint's options and the server filters in the body), {@code RELOAD}, {@code KICK}, {@code LDM},
 * {@code $SYS.REQ.ACCOUNT.<acc>.<endpoint>}, {@code $SYS.REQ.ACCOUNT.PING.STATZ}, {@code $SYS.REQ.USER.INFO},
 * {@code $SYS.DEBUG.SUBSCRIBERS} and {@code $SYS.REQ.ACCOUNT.NSUBS}. Replies use nats-server's envelope
 * ({@code {"server":{...},"data":{...}}} or {@code "error":{"code","description"}}); a request whose filters do not
 * match this server gets no reply. Every other account imports {@code CONNZ}, {@code STATZ} and {@code USER.INFO}
 * from the system account through service imports ({@code io.jnatsd.server.AccountWiring}); they arrive here as
 * {@code $SYS.REQ.ACCOUNT.<acc>.CONNZ}, {@code .STATZ} and {@code $SYS.REQ.USER.<acc>.INFO}.
 * <p>
 * Handlers run on the system thread of {@link SystemEvents}, never on the publisher's event loop.
 */
final class SystemRequests implements AutoCloseable {

    private static final NatsLogger LOG = NatsLogger.get(SystemRequests.class);

    private static final Map<String, GoOptions.Type> FILTERS = Map.of("server_name", GoOptions.Type.STRING,
            "cluster", GoOptions.Type.STRING, "host", GoOptions.Type.STRING, "exact_match", GoOptions.Type.BOOL,
            "tags", GoOptions.Type.STRINGS, "domain", GoOptions.Type.STRING);

    /** The server endpoints answered on {@code PING.<name>} and {@code <id>.<name>}. */
    static final List<String> SERVER_ENDPOINTS = List.of("IDZ", "STATSZ", "VARZ", "SUBSZ", "CONNZ", "ROUTEZ",
            "GATEWAYZ", "LEAFZ", "ACCOUNTZ", "JSZ", "HEALTHZ", "EXPVARZ", "IPQUEUESZ", "RAFTZ");

    private final NatsServer server;
    private final SystemEvents events;
    private final Monitoring monitoring;
    private final Connection system;
    private final List<Subscription> subscriptions = new ArrayList<>();

    /** nats-server's {@code ServerAPIResponse}. */
    record Response(@JsonProperty("server") EventServerInfo server,
                    @JsonProperty("data") @JsonInclude(Include.NON_NULL) Object data,
                    @JsonProperty("error") @JsonInclude(Include.NON_NULL) ApiError error) {
    }

    /**
     * A failed answer whose function returned a typed nil in nats-server ({@code return s.Connz(...)}): the reply
     * then carries {@code "data": null} next to the error.
     */
    record FailedResponse(@JsonProperty("server") EventServerInfo server,
                          @JsonProperty("data") @JsonInclude(Include.ALWAYS) Object data,
                          @JsonProperty("error") ApiError error) {
    }

    /**
     * An error of the request itself rather than of the endpoint (a malformed subject, a failed reload or kick):
     * nats-server's {@code return nil, err}, so the reply has no {@code data}.
     */
    static final class RequestError extends Exception {
        private static final long serialVersionUID = 1L;

        RequestError(String message) {
            super(message, null, false, false);
        }
    }

    /** nats-server's {@code ApiError}. */
    record ApiError(@JsonProperty("code") int code,
                    @JsonProperty("description") @JsonInclude(Include.NON_DEFAULT) String description) {
    }

    /** {@code $SYS.REQ.USER.INFO}'s data: nats-server's {@code UserInfo}. */
    record UserInfo(@JsonProperty("user") String user,
                    @JsonProperty("account") String account,
                    @JsonProperty("account_name") @JsonInclude(Include.NON_DEFAULT) String accountName,
                    @JsonProperty("user_name") @JsonInclude(Include.NON_DEFAULT) String userName,
                    @JsonProperty("permissions") @JsonInclude(Include.NON_NULL) Map<String, Object> permissions,
                    @JsonProperty("expires") @JsonInclude(Include.NON_DEFAULT) long expiresNanos) {
    }

    /** {@code IDZ}'s reply: nats-server's {@code ServerID}. */
    record ServerId(@JsonProperty("name") String name, @JsonProperty("host") String host,
                    @JsonProperty("id") String id) {
    }

    /** What an endpoint answers: data, or a failure ({@link MonitorException}). */
    private interface Answer {
        Object get(GoOptions options) throws MonitorException, RequestError;
    }

    private SystemRequests(NatsServer server, SystemEvents events) {
        this.server = server;
        this.events = events;
        this.monitoring = server.monitoring();
        this.system = server.systemClient();
    }

    // nats-server: events.go initEventTracking (request handlers), registerSystemImports
    static SystemRequests start(NatsServer server, SystemEvents events) {
        SystemRequests r = new SystemRequests(server, events);
        String id = server.serverId();
        r.subscribe("$SYS.REQ.SERVER.PING", (s, reply, hdr, body, publisher) -> r.statsz(reply, body));
        for (String name : SERVER_ENDPOINTS) {
            Handler handler = (s, reply, hdr, body, publisher) -> r.serverEndpoint(name, reply, hdr, body);
            r.subscribe("$SYS.REQ.SERVER." + id + "." + name, handler);
            r.subscribe("$SYS.REQ.SERVER.PING." + name, handler);
        }
        for (String name : List.of("SUBSZ", "CONNZ", "LEAFZ", "JSZ", "INFO", "STATZ", "CONNS")) {
            r.subscribe("$SYS.REQ.ACCOUNT.*." + name,
                    (s, reply, hdr, body, publisher) -> r.accountEndpoint(name, s, reply, hdr, body));
        }
        r.subscribe("$SYS.REQ.ACCOUNT.PING.STATZ", (s, reply, hdr, body, publisher) -> r.zReq(r.system, reply, hdr,
                body, "AccountStatzEventOptions", statzFields(), o -> r.accountPingStatz(o)));
        r.subscribe("$SYS.REQ.USER.*.INFO", (s, reply, hdr, body, publisher) -> r.userInfo(r.system, reply,
                publisher));
        r.subscribe("$SYS.REQ.USER.INFO", (s, reply, hdr, body, publisher) -> r.userInfo(r.system, reply,
                publisher));
        r.subscribe("$SYS.DEBUG.SUBSCRIBERS", (s, reply, hdr, body, publisher) -> r.debugSubscribers(reply, body,
                publisher));
        r.subscribe("$SYS.REQ.ACCOUNT.NSUBS", (s, reply, hdr, body, publisher) -> r.nsubs(reply, body));
        r.subscribe("$SYS.REQ.SERVER." + id + ".RELOAD", (s, reply, hdr, body, publisher) -> r.zReq(r.system,
                reply, hdr, body, "EventFilterOptions", Map.of(), o -> {
                    Optional<String> error = server.reloadConfigFile();
                    if (error.isPresent()) {
                        throw new RequestError(error.get());
                    }
                    return null;
                }));
        r.subscribe("$SYS.REQ.SERVER." + id + ".KICK", (s, reply, hdr, body, publisher) -> r.kick(reply, hdr, body,
                false));
        r.subscribe("$SYS.REQ.SERVER." + id + ".LDM", (s, reply, hdr, body, publisher) -> r.kick(reply, hdr, body,
                true));
        return r;
    }

    private interface Handler {
        void handle(String subject, String reply, byte[] headers, byte[] body, Connection publisher);
    }

    private void subscribe(String subject, Handler handler) {
        subscriptions.add(system.subscribeInternal(subject, null, (sub, publisher, subj, reply, hdr, payload) ->
                events.execute(() -> handler.handle(subj, reply, hdr, payload, publisher))));
    }

    // -------------------------------------------------------------------------------------------------- zReq

    /**
     * nats-server's {@code zReq}: decode the options (a bad body gets code 400), drop requests for other servers,
     * answer {@code data} (or code 500 with the handler's error; no reply for a skipped answer), compressed as the
     * {@code Accept-Encoding} header asks.
     */
    // nats-server: events.go zReq
    private void zReq(Connection client, String reply, byte[] hdr, byte[] body, String struct,
                      Map<String, GoOptions.Type> fields, Answer answer) {
        if (reply == null || reply.isEmpty()) {
            return;
        }
        Map<String, GoOptions.Type> all = new LinkedHashMap<>(fields);
        all.putAll(FILTERS);
        GoOptions options;
        try {
            options = GoOptions.decode(body, struct, all);
        } catch (GoOptions.DecodeException e) {
            reply(client, reply, null, new ApiError(400, e.getMessage()), null);
            return;
        }
        if (body != null && body.length > 0 && filtered(options)) {
            return;
        }
        Object data;
        try {
            data = answer.get(options);
        } catch (MonitorException e) {
            if (!e.skipsReply()) {
                FailedResponse failed = new FailedResponse(events.serverInfo(), null,
                        new ApiError(500, e.getMessage()));
                client.publishInternal(reply, null, null, GoJson.writeBytes(failed));
            }
            return;
        } catch (RequestError e) {
            reply(client, reply, null, new ApiError(500, e.getMessage()), null);
            return;
        }
        reply(client, reply, data, null, hdr);
    }

    private void reply(Connection client, String reply, Object data, ApiError error, byte[] requestHeaders) {
        String encoding = error == null ? acceptEncoding(requestHeaders) : null;
        Response response = new Response(events.serverInfo(), data, error);
        byte[] json = GoJson.writeBytes(response);
        byte[] headers = null;
        if (encoding != null && json.length > 0) {
            json = switch (encoding) {
                case "gzip" -> gzip(json);
                case "snappy" -> snappyFramed(json);
                default -> json;
            };
            headers = ("NATS/1.0\r\nContent-Encoding: " + encoding + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        }
        client.publishInternal(reply, null, headers, json);
    }

    /** nats-server's {@code filterRequest}: true when the request is not for this server. */
    // nats-server: events.go filterRequest
    private boolean filtered(GoOptions o) {
        String name = o.string("server_name");
        String host = o.string("host");
        String cluster = o.string("cluster");
        String myName = server.serverName();
        String myHost = server.info().host();
        if (o.bool("exact_match")) {
            if ((!name.isEmpty() && !name.equals(myName)) || (!host.isEmpty() && !host.equals(myHost))
                    || !cluster.isEmpty()) {
                return true;
            }
        } else if ((!name.isEmpty() && !myName.contains(name)) || (!host.isEmpty() && !myHost.contains(host))
                || !cluster.isEmpty()) {
            return true;
        }
        for (String tag : o.strings("tags")) {
            boolean found = false;
            for (String mine : server.options().serverTags()) {
                found |= mine.equalsIgnoreCase(tag);
            }
            if (!found) {
                return true;
            }
        }
        String domain = o.string("domain");
        return !domain.isEmpty() && !domain.equals(server.options().jetStream().domain());
    }

    /** The compression an {@code Accept-Encoding} header asks for, or null. */
    // nats-server: events.go getAcceptEncoding
    static String acceptEncoding(byte[] headers) {
        if (headers == null || headers.length == 0) {
            return null;
        }
        String value = null;
        for (String line : new String(headers, StandardCharsets.UTF_8).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Accept-Encoding")) {
                value = line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                break;
            }
        }
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.contains("snappy") || value.contains("s2")) {
            return "snappy";
        }
        return value.contains("gzip") ? "gzip" : "identity";
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 32);
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /**
     * {@code data} in the Snappy framing format that nats-server's {@code s2.WriterSnappyCompat} writes and any
     * Snappy stream reader reads: the stream identifier, then uncompressed-data chunks with masked CRC-32C checksums
     * (jnatsd has no Snappy compressor, and the format allows uncompressed chunks).
     */
    static byte[] snappyFramed(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 32);
        out.writeBytes(new byte[] {(byte) 0xff, 6, 0, 0, 's', 'N', 'a', 'P', 'p', 'Y'});
        for (int off = 0; off < data.length; off += 65536) {
            int n = Math.min(65536, data.length - off);
            CRC32C crc = new CRC32C();
            crc.update(data, off, n);
            int c = (int) crc.getValue();
            int masked = ((c >>> 15) | (c << 17)) + 0xa282ead8;
            int length = n + 4;
            out.write(0x01);
            out.write(length & 0xff);
            out.write((length >>> 8) & 0xff);
            out.write((length >>> 16) & 0xff);
            out.write(masked & 0xff);
            out.write((masked >>> 8) & 0xff);
            out.write((masked >>> 16) & 0xff);
            out.write((masked >>> 24) & 0xff);
            out.write(data, off, n);
        }
        return out.toByteArray();
    }

    // ------------------------------------------------------------------------------------------ server endpoints

    // nats-server: events.go statszReq (the legacy $SYS.REQ.SERVER.PING and STATSZ)
    private void statsz(String reply, byte[] body) {
        String target = reply == null || reply.isEmpty() ? events.statszSubject() : reply;
        if (target.equals(events.statszSubject())) {
            events.resetStatszLimit();
        }
        if (body != null && body.length > 0) {
            GoOptions options;
            try {
                options = GoOptions.decode(body, "StatszEventOptions", FILTERS);
            } catch (GoOptions.DecodeException e) {
                Response response = new Response(events.serverInfo(), null, new ApiError(400, e.getMessage()));
                system.publishInternal(target, null, null, GoJson.writeBytes(response));
                return;
            }
            if (filtered(options)) {
                return;
            }
        }
        events.sendStatsz(target);
    }

    private void serverEndpoint(String name, String reply, byte[] hdr, byte[] body) {
        switch (name) {
            case "STATSZ" -> statsz(reply, body);
            case "IDZ" -> {
                if (reply != null && !reply.isEmpty()) {
                    system.publishInternal(reply, null, null, GoJson.writeBytes(new ServerId(server.serverName(),
                            server.info().host(), server.serverId())));
                }
            }
            case "VARZ" -> zReq(system, reply, hdr, body, "VarzEventOptions", Map.of(), o -> monitoring.varz());
            case "SUBSZ" -> zReq(system, reply, hdr, body, "SubszEventOptions", subszFields(),
                    o -> monitoring.subsz(o.bool("subscriptions"), o.integer("offset"), o.integer("limit"),
                            o.string("account"), o.string("test")));
            case "CONNZ" -> zReq(system, reply, hdr, body, "ConnzEventOptions", connzFields(),
                    o -> monitoring.connz(connzOptions(o)));
            case "ROUTEZ" -> zReq(system, reply, hdr, body, "RoutezEventOptions", Map.of("subscriptions",
                    GoOptions.Type.BOOL, "subscriptions_detail", GoOptions.Type.BOOL), o -> monitoring.routez());
            case "GATEWAYZ" -> zReq(system, reply, hdr, body, "GatewayzEventOptions", Map.of("name",
                    GoOptions.Type.STRING, "accounts", GoOptions.Type.BOOL, "account_name", GoOptions.Type.STRING,
                    "subscriptions", GoOptions.Type.BOOL, "subscriptions_detail", GoOptions.Type.BOOL),
                    o -> monitoring.gatewayz());
            case "LEAFZ" -> zReq(system, reply, hdr, body, "LeafzEventOptions", leafzFields(),
                    o -> monitoring.leafz());
            case "ACCOUNTZ" -> zReq(system, reply, hdr, body, "AccountzEventOptions",
                    Map.of("account", GoOptions.Type.STRING), o -> monitoring.accountz(o.string("account")));
            case "JSZ" -> zReq(system, reply, hdr, body, "JszEventOptions", jszFields(),
                    o -> monitoring.jsz(jszOptions(o, o.string("account"))));
            case "HEALTHZ" -> zReq(system, reply, hdr, body, "HealthzEventOptions", healthzFields(),
                    o -> monitoring.healthz(new HealthzOptions(o.bool("js-enabled"), o.bool("js-enabled-only"),
                            o.bool("js-server-only"), o.bool("js-meta-only"), o.string("account"), o.string("stream"),
                            o.string("consumer"), o.bool("details"))));
            case "EXPVARZ" -> zReq(system, reply, hdr, body, "ExpvarzEventOptions", Map.of(), o -> {
                Map<String, Object> vars = monitoring.expvarz();
                Map<String, Object> ordered = new LinkedHashMap<>();
                ordered.put("memstats", vars.get("memstats"));
                ordered.put("cmdline", vars.get("cmdline"));
                return ordered;
            });
            case "IPQUEUESZ" -> zReq(system, reply, hdr, body, "IpqueueszEventOptions", Map.of("all",
                    GoOptions.Type.BOOL, "filter", GoOptions.Type.STRING),
                    o -> monitoring.ipqueuesz(o.bool("all"), o.string("filter")));
            case "RAFTZ" -> zReq(system, reply, hdr, body, "RaftzEventOptions", Map.of("account",
                    GoOptions.Type.STRING, "group", GoOptions.Type.STRING), o -> Map.of());
            default -> LOG.debug("Unknown system endpoint " + name);
        }
    }

    private static Map<String, GoOptions.Type> connzFields() {
        Map<String, GoOptions.Type> m = new LinkedHashMap<>();
        m.put("sort", GoOptions.Type.SORT);
        m.put("auth", GoOptions.Type.BOOL);
        m.put("subscriptions", GoOptions.Type.BOOL);
        m.put("subscriptions_detail", GoOptions.Type.BOOL);
        m.put("offset", GoOptions.Type.INT);
        m.put("limit", GoOptions.Type.INT);
        m.put("cid", GoOptions.Type.UINT64);
        m.put("mqtt_client", GoOptions.Type.STRING);
        m.put("state", GoOptions.Type.STATE);
        m.put("user", GoOptions.Type.STRING);
        m.put("acc", GoOptions.Type.STRING);
        m.put("filter_subject", GoOptions.Type.STRING);
        return m;
    }

    private static Map<String, GoOptions.Type> subszFields() {
        return Map.of("offset", GoOptions.Type.INT, "limit", GoOptions.Type.INT, "subscriptions",
                GoOptions.Type.BOOL, "account", GoOptions.Type.STRING, "test", GoOptions.Type.STRING);
    }

    private static Map<String, GoOptions.Type> leafzFields() {
        return Map.of("subscriptions", GoOptions.Type.BOOL, "account", GoOptions.Type.STRING);
    }

    private static Map<String, GoOptions.Type> statzFields() {
        return Map.of("accounts", GoOptions.Type.STRINGS, "include_unused", GoOptions.Type.BOOL);
    }

    private static Map<String, GoOptions.Type> jszFields() {
        Map<String, GoOptions.Type> m = new LinkedHashMap<>();
        m.put("account", GoOptions.Type.STRING);
        for (String b : List.of("accounts", "streams", "consumer", "direct_consumer", "config", "leader_only", "raft",
                "stream_leader_only")) {
            m.put(b, GoOptions.Type.BOOL);
        }
        m.put("offset", GoOptions.Type.INT);
        m.put("limit", GoOptions.Type.INT);
        return m;
    }

    /** {@code JSzOptions} from the request body, for {@code account} (the subject's or the body's). */
    private static JszOptions jszOptions(GoOptions o, String account) {
        return new JszOptions(account, o.bool("accounts"), o.bool("streams"), o.bool("consumer"),
                o.bool("direct_consumer"), o.bool("config"), o.bool("leader_only"), o.integer("offset"),
                o.integer("limit"), o.bool("raft"), o.bool("stream_leader_only"));
    }

    private static Map<String, GoOptions.Type> healthzFields() {
        Map<String, GoOptions.Type> m = new LinkedHashMap<>();
        for (String b : List.of("js-enabled", "js-enabled-only", "js-server-only", "js-meta-only", "details")) {
            m.put(b, GoOptions.Type.BOOL);
        }
        for (String s : List.of("account", "stream", "consumer")) {
            m.put(s, GoOptions.Type.STRING);
        }
        return m;
    }

    /** {@code ConnzOptions} from the request body; an unknown sort fails as nats-server's {@code Connz} does. */
    private static ConnzOptions connzOptions(GoOptions o) throws MonitorException {
        String sortText = o.string("sort");
        SortOption sort = null;
        if (!sortText.isEmpty()) {
            sort = SortOption.parse(sortText);
            if (sort == null) {
                throw new MonitorException("invalid sorting option: " + sortText);
            }
        }
        ConnzOptions.ConnState state = switch (o.integer("state")) {
            case 1 -> ConnzOptions.ConnState.CLOSED;
            case 2 -> ConnzOptions.ConnState.ALL;
            default -> ConnzOptions.ConnState.OPEN;
        };
        return new ConnzOptions(sort, o.bool("auth"), o.bool("subscriptions"), o.bool("subscriptions_detail"),
                o.integer("offset"), o.integer("limit"), o.longValue("cid"), o.string("mqtt_client"), state,
                o.string("user"), o.string("acc"), o.string("filter_subject"));
    }

    // ----------------------------------------------------------------------------------------- account endpoints

    // nats-server: events.go initEventTracking (monAccSrvc), connsRequest
    private void accountEndpoint(String name, String subject, String reply, byte[] hdr, byte[] body) {
        String[] tokens = subject.split("\\.", -1);
        String acc = tokens.length == 5 ? tokens[3] : null;
        Answer malformed = o -> {
            throw new RequestError("subject \"" + subject + "\" is malformed");
        };
        switch (name) {
            case "SUBSZ" -> zReq(system, reply, hdr, body, "SubszEventOptions", subszFields(), acc == null
                    ? malformed : o -> monitoring.subsz(true, o.integer("offset"), o.integer("limit"), acc,
                    o.string("test")));
            case "CONNZ" -> zReq(system, reply, hdr, body, "ConnzEventOptions", connzFields(), acc == null
                    ? malformed : o -> monitoring.connz(connzOptions(o).withAccount(acc)));
            case "LEAFZ" -> zReq(system, reply, hdr, body, "LeafzEventOptions", leafzFields(), acc == null
                    ? malformed : o -> monitoring.leafz());
            case "JSZ" -> zReq(system, reply, hdr, body, "JszEventOptions", jszFields(), acc == null
                    ? malformed : o -> monitoring.jszAccount(jszOptions(o, acc)));
            case "INFO" -> zReq(system, reply, hdr, body, "AccInfoEventOptions", Map.of(), acc == null
                    ? malformed : o -> monitoring.accountInfo(acc));
            case "STATZ" -> zReq(system, reply, hdr, body, "AccountStatzEventOptions", statzFields(), acc == null
                    ? malformed : o -> {
                        if ("PING".equals(acc)) {
                            throw new MonitorException("filtered response", true);
                        }
                        return accountStatz(acc, o);
                    });
            case "CONNS" -> conns(acc, reply, body);
            default -> LOG.debug("Unknown account endpoint " + name);
        }
    }

    private AccountStatz accountStatz(String account, GoOptions o) throws MonitorException {
        AccountStatz statz = monitoring.accountStatz(List.of(account), o.bool("include_unused"));
        if (statz.accounts().isEmpty() && !o.bool("include_unused")) {
            throw new MonitorException("filtered response", true);
        }
        return statz;
    }

    private AccountStatz accountPingStatz(GoOptions o) throws MonitorException {
        AccountStatz statz = monitoring.accountStatz(o.strings("accounts"), o.bool("include_unused"));
        if (statz.accounts().isEmpty() && !o.bool("include_unused")) {
            throw new MonitorException("filtered response", true);
        }
        return statz;
    }

    /** {@code $SYS.REQ.ACCOUNT.<acc>.CONNS}: this server's connection count of the account, if it has any. */
    // nats-server: events.go connsRequest
    private void conns(String acc, String reply, byte[] body) {
        if (acc == null) {
            LOG.error("System - Bad subject account connections request message");
            return;
        }
        String requested = acc;
        if (body != null && body.length > 0) {
            try {
                requested = GoJson.mapper().readTree(body).path("acc").asText(acc);
            } catch (IOException e) {
                LOG.error("System - Error unmarshalling account connections request message: " + e.getMessage());
                return;
            }
        }
        if (!requested.equals(acc)) {
            LOG.error("System - Error unmarshalled account does not match subject");
            return;
        }
        Account account = server.lookupAccount(acc);
        if (account == null || account.clientCount() == 0 || reply == null || reply.isEmpty()) {
            return;
        }
        AccountStatz.AccountStat stat = monitoring.accountStat(account);
        String id = events.newEventId();
        String now = GoTime.format(Instant.now());
        events.publish(reply, null, null, si -> SystemEvents.accountConnections(id, now, si, stat));
    }

    // ------------------------------------------------------------------------------------------ user info

    /** {@code $SYS.REQ.USER.INFO}: the requester's user, account, permissions and remaining validity. */
    // nats-server: events.go userInfoReq, client.go publicPermissions, claimExpiration
    private void userInfo(Connection client, String reply, Connection requester) {
        if (reply == null || reply.isEmpty()) {
            return;
        }
        if (requester == null || requester.kind() != ConnectionKind.CLIENT) {
            reply(client, reply, null, new ApiError(400, null), null);
            return;
        }
        ConnectionSnapshot s = requester.snapshot(false).join();
        if (s == null) {
            return;
        }
        Account account = requester.account();
        String accountName = account == null ? "" : monitoring.accountStat(account).name();
        Map<String, Object> permissions = null;
        AuthOptions.Permissions p = requester.permissionsSource();
        if (p != null) {
            permissions = new LinkedHashMap<>();
            permissions.put("publish", subjectPermission(p.publish()));
            permissions.put("subscribe", subjectPermission(p.subscribe()));
            if (p.response() != null) {
                Map<String, Object> responses = new LinkedHashMap<>();
                responses.put("max", p.response().maxMessages());
                responses.put("ttl", p.response().expires().toNanos());
                permissions.put("responses", responses);
            }
        }
        long expires = 0;
        Instant expiry = requester.authExpiry();
        if (expiry != null) {
            expires = Duration.between(Instant.now(), expiry).toSeconds() * 1_000_000_000L;
        }
        UserInfo info = new UserInfo(s.authorizedUser(), s.account() == null ? "" : s.account(), accountName, null,
                permissions, expires);
        reply(client, reply, info, null, null);
    }

    private static Map<String, Object> subjectPermission(AuthOptions.SubjectPermission p) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (p != null && p.allow() != null && !p.allow().isEmpty()) {
            out.put("allow", p.allow());
        }
        if (p != null && p.deny() != null && !p.deny().isEmpty()) {
            out.put("deny", p.deny());
        }
        return out;
    }

    // ----------------------------------------------------------------------------------------- kick, ldm

    // nats-server: events.go kickClient, ldmClient; server.go DisconnectClientByID, LDMClientByID
    private void kick(String reply, byte[] hdr, byte[] body, boolean lameDuck) {
        long cid;
        try {
            if (body == null || body.length == 0) {
                throw new IOException("unexpected end of JSON input");
            }
            cid = GoJson.mapper().readTree(body).path("cid").asLong();
        } catch (IOException e) {
            LOG.error("System - Error unmarshalling kick client request: " + e.getMessage());
            return;
        }
        zReq(system, reply, hdr, body, "EventFilterOptions", Map.of("cid", GoOptions.Type.UINT64), o -> {
            Connection target = null;
            for (Connection c : server.clients()) {
                if (c.cid() == cid) {
                    target = c;
                    break;
                }
            }
            if (target == null) {
                throw new RequestError(lameDuck ? "no such client id" : "no such client or leafnode id");
            }
            if (!lameDuck) {
                target.closeConnection(ClosedState.KICKED);
                return null;
            }
            ConnectionSnapshot s = target.snapshot(false).join();
            if (s == null || !s.asyncInfo()) {
                throw new RequestError(
                        "client does not support Lame Duck Mode or is not ready to receive the notification");
            }
            target.sendAsyncInfo(server.info().withLameDuckMode(s.cid(), s.ip()));
            return null;
        });
    }

    // ----------------------------------------------------------------------------------- subscriber counts

    /** {@code $SYS.DEBUG.SUBSCRIBERS}: the number of client subscriptions of the requester's account. */
    // nats-server: events.go debugSubscribers (single server: no peers to ask)
    private void debugSubscribers(String reply, byte[] body, Connection requester) {
        if (requester == null || requester.kind() != ConnectionKind.CLIENT || reply == null || reply.isEmpty()) {
            return;
        }
        Account account = requester.account() == null ? server.systemAccount() : requester.account();
        String[] args = new String(body, StandardCharsets.UTF_8).strip().split(" ");
        String subject = args[0];
        String queue = args.length > 1 ? args[1] : null;
        system.publishInternal(reply, null, null, Integer.toString(countSubscribers(account, subject, queue))
                .getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code $SYS.REQ.ACCOUNT.NSUBS}: this server's subscriber count of an account's subject. */
    // nats-server: events.go nsubsRequest
    private void nsubs(String reply, byte[] body) {
        if (body == null || body.length == 0) {
            LOG.error("System - request requires a body");
            return;
        }
        String acc;
        String subject;
        String queue = null;
        try {
            var node = GoJson.mapper().readTree(body);
            acc = node.path("acc").asText("");
            subject = node.path("subject").asText("");
            if (node.hasNonNull("queue")) {
                queue = new String(node.get("queue").binaryValue(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            LOG.error("System - Error unmarshalling account nsubs request message: " + e.getMessage());
            return;
        }
        Account account = server.lookupAccount(acc);
        if (account == null || account.clientCount() == 0 || reply == null || reply.isEmpty()) {
            return;
        }
        system.publishInternal(reply, null, null, Integer.toString(countSubscribers(account, subject, queue))
                .getBytes(StandardCharsets.US_ASCII));
    }

    // nats-server: events.go totalSubs (client subscriptions; a queue filter counts only that group)
    private static int countSubscribers(Account account, String subject, String queue) {
        int count = 0;
        if (Subjects.subjectIsLiteral(subject)) {
            SublistResult<Subscription> r = account.sublist().match(subject);
            if (queue == null) {
                for (int i = 0; i < r.plainCount(); i++) {
                    count += r.plain(i).connection().kind() == ConnectionKind.CLIENT ? 1 : 0;
                }
            }
            for (int g = 0; g < r.queueGroupCount(); g++) {
                for (int i = 0; i < r.queueGroupSize(g); i++) {
                    Subscription sub = r.queueMember(g, i);
                    if ((queue == null || queue.equals(sub.queueString()))
                            && sub.connection().kind() == ConnectionKind.CLIENT) {
                        count++;
                    }
                }
            }
            return count;
        }
        List<Subscription> all = new ArrayList<>();
        account.sublist().all(all);
        for (Subscription sub : all) {
            if (sub.connection().kind() == ConnectionKind.CLIENT
                    && Subjects.subjectMatchesFilter(sub.subjectString(), subject)
                    && (queue == null || queue.equals(sub.queueString()))) {
                count++;
            }
        }
        return count;
    }

    @Override
    public void close() {
        for (Subscription sub : subscriptions) {
            sub.connection().unsubscribeInternal(sub);
        }
        subscriptions.clear();
    }
}
