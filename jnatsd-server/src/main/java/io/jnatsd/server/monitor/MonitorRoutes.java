package io.jnatsd.server.monitor;

import io.jnatsd.common.GoJson;
import io.jnatsd.common.GoQuote;
import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.config.OptionsBaseline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The monitoring endpoints over HTTP: nats-server's mux of {@code startMonitoring} and its {@code Handle*}
 * functions (server.go, monitor.go). Paths are exact (under {@code http_base_path}); any method is accepted; bad
 * query values get 400 with nats-server's text; unknown paths Go's {@code 404 page not found}. JSON is indented as
 * {@code json.MarshalIndent} does (two spaces, three for {@code /ipqueuesz} and {@code /raftz}, none for
 * {@code /healthz}). Thread-safe; {@link #handle} blocks while connections are read, so it runs off the event
 * loops.
 */
final class MonitorRoutes {

    private static final NatsLogger LOG = NatsLogger.get(MonitorRoutes.class);

    /** The endpoint paths (server.go constants), relative to the base path. */
    static final String ROOT = "/";
    static final String VARZ = "/varz";
    static final String CONNZ = "/connz";
    static final String ROUTEZ = "/routez";
    static final String GATEWAYZ = "/gatewayz";
    static final String LEAFZ = "/leafz";
    static final String SUBSZ = "/subsz";
    static final String SUBSCRIPTIONSZ = "/subscriptionsz";
    static final String STACKSZ = "/stacksz";
    static final String ACCOUNTZ = "/accountz";
    static final String ACCSTATZ = "/accstatz";
    static final String JSZ = "/jsz";
    static final String HEALTHZ = "/healthz";
    static final String IPQUEUESZ = "/ipqueuesz";
    static final String RAFTZ = "/raftz";
    static final String EXPVARZ = "/debug/vars";
    /** jnatsd's Prometheus endpoint (not in nats-server). */
    static final String METRICS = "/metrics";

    private interface Endpoint {
        HttpReply answer(QueryParams query, String callback, Map<String, String> requestHeaders)
                throws QueryParams.BadParameter, MonitorException;
    }

    private final Monitoring monitoring;
    private final String basePath;
    private final Map<String, Endpoint> routes = new LinkedHashMap<>();
    private final MetricsExporter metrics;

    MonitorRoutes(Monitoring monitoring, String configuredBasePath) {
        this.monitoring = monitoring;
        this.basePath = OptionsBaseline.normalizeBasePath(configuredBasePath);
        this.metrics = monitoring.metrics();
        route(ROOT, (q, cb, h) -> root());
        route(VARZ, (q, cb, h) -> varz(cb));
        route(CONNZ, this::connz);
        route(ROUTEZ, this::routez);
        route(GATEWAYZ, this::gatewayz);
        route(LEAFZ, this::leafz);
        route(SUBSZ, this::subsz);
        route(SUBSCRIPTIONSZ, this::subsz);
        route(STACKSZ, (q, cb, h) -> HttpReply.json(200, monitoring.stacks().getBytes(StandardCharsets.UTF_8),
                cb));
        route(ACCOUNTZ, this::accountz);
        route(ACCSTATZ, this::accstatz);
        route(JSZ, this::jsz);
        route(HEALTHZ, this::healthz);
        route(IPQUEUESZ, this::ipqueuesz);
        route(RAFTZ, (q, cb, h) -> HttpReply.text(404, "No Raft nodes registered"));
        route(EXPVARZ, (q, cb, h) -> expvar());
        route(METRICS, (q, cb, h) -> metrics.scrape(q, h));
    }

    private void route(String path, Endpoint endpoint) {
        routes.put(join(basePath, path), endpoint);
    }

    /** Go's {@code path.Join(base, p)}. */
    static String join(String base, String path) {
        return clean(base + "/" + path);
    }

    /** The normalised base path. */
    String basePath() {
        return basePath;
    }

    /**
     * Answers one request.
     *
     * @param method  the HTTP method (all are accepted)
     * @param path    the decoded request path
     * @param rawQuery the query string after {@code ?} (possibly empty), for redirects
     * @param query   the decoded query
     * @param headers the request headers (lower-case names)
     */
    HttpReply handle(String method, String path, String rawQuery, QueryParams query, Map<String, String> headers) {
        String cleaned = clean(path.isEmpty() ? "/" : path);
        if (path.endsWith("/") && !cleaned.equals("/")) {
            cleaned = cleaned + "/";
        }
        if (!cleaned.equals(path) && !"CONNECT".equals(method)) {
            // nats-server: Go net/http ServeMux redirects unclean paths
            String location = cleaned + (rawQuery.isEmpty() ? "" : "?" + rawQuery);
            return HttpReply.movedPermanently(location, "GET".equals(method) || "HEAD".equals(method));
        }
        Endpoint endpoint = routes.get(path);
        if (endpoint == null) {
            return HttpReply.notFound();
        }
        String callback = query.get("callback");
        try {
            return endpoint.answer(query, callback, headers);
        } catch (QueryParams.BadParameter | MonitorException e) {
            return HttpReply.text(400, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("monitoring: error answering " + path + ": " + e, e);
            return HttpReply.text(500, e.toString());
        }
    }

    private HttpReply indented(Object value, String callback) {
        return HttpReply.json(200, GoJson.writeIndentedBytes(value, "  "), callback);
    }

    // nats-server: monitor.go HandleRoot
    private HttpReply root() {
        monitoring.countRequest(ROOT);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/html; charset=utf-8");
        return new HttpReply(200, headers, IndexPage.render(basePath, Monitoring.version())
                .getBytes(StandardCharsets.UTF_8));
    }

    // nats-server: monitor.go HandleVarz
    private HttpReply varz(String callback) {
        monitoring.countRequest(VARZ);
        return indented(monitoring.varz(), callback);
    }

    // nats-server: monitor.go HandleConnz
    private HttpReply connz(QueryParams q, String callback, Map<String, String> headers)
            throws QueryParams.BadParameter, MonitorException {
        String sortText = q.get("sort");
        boolean auth = q.bool("auth");
        boolean[] subs = q.subs();
        int offset = q.integer("offset");
        int limit = q.integer("limit");
        long cid = q.unsigned("cid");
        ConnzOptions.ConnState state = q.state();
        monitoring.countRequest(CONNZ);
        SortOption sort = null;
        if (!sortText.isEmpty()) {
            sort = SortOption.parse(sortText);
            if (sort == null) {
                throw new MonitorException("invalid sorting option: " + sortText);
            }
        }
        ConnzOptions options = new ConnzOptions(sort, auth, subs[0], subs[1], offset, limit, cid, q.get("mqtt_client"),
                state, q.get("user"), q.get("acc"), "");
        return indented(monitoring.connz(options), callback);
    }

    // nats-server: monitor.go HandleRoutez
    private HttpReply routez(QueryParams q, String callback, Map<String, String> headers)
            throws QueryParams.BadParameter {
        q.subs();
        monitoring.countRequest(ROUTEZ);
        return indented(monitoring.routez(), callback);
    }

    // nats-server: monitor.go HandleGatewayz
    private HttpReply gatewayz(QueryParams q, String callback, Map<String, String> headers)
            throws QueryParams.BadParameter {
        monitoring.countRequest(GATEWAYZ);
        q.subs();
        q.bool("accs");
        return indented(monitoring.gatewayz(), callback);
    }

    // nats-server: monitor.go HandleLeafz
    private HttpReply leafz(QueryParams q, String callback, Map<String, String> headers)
            throws QueryParams.BadParameter {
        monitoring.countRequest(LEAFZ);
        q.bool("subs");
        return indented(monitoring.leafz(), callback);
    }

    // nats-server: monitor.go HandleSubsz
    private HttpReply subsz(QueryParams q, String callback, Map<String, String> headers)
            throws QueryParams.BadParameter, MonitorException {
        monitoring.countRequest(SUBSZ);
        boolean subs = q.bool("subs");
        int offset = q.integer("offset");
        int limit = q.integer("limit");
        return indented(monitoring.subsz(subs, offset, limit, q.get("acc"), q.get("test")), callback);
    }

    // nats-server: monitor.go HandleAccountz
    private HttpReply accountz(QueryParams q, String callback, Map<String, String> headers)
            throws MonitorException {
        monitoring.countRequest(ACCOUNTZ);
        return indented(monitoring.accountz(q.get("acc")), callback);
    }

    // nats-server: monitor.go HandleAccountStatz
    private HttpReply accstatz(QueryParams q, String callback, Map<String, String> headers)
            throws QueryParams.BadParameter {
        monitoring.countRequest(ACCSTATZ);
        boolean unused = q.bool("unused");
        return indented(monitoring.accountStatz(List.of(), unused), callback);
    }

    // nats-server: monitor.go HandleJsz
    private HttpReply jsz(QueryParams q, String callback, Map<String, String> headers)
            throws QueryParams.BadParameter, MonitorException {
        monitoring.countRequest(JSZ);
        boolean accounts = q.bool("accounts");
        boolean streams = q.bool("streams");
        boolean consumers = q.bool("consumers");
        boolean directConsumers = q.bool("direct-consumers");
        boolean config = q.bool("config");
        int offset = q.integer("offset");
        int limit = q.integer("limit");
        boolean leaderOnly = q.bool("leader-only");
        boolean raft = q.bool("raft");
        boolean streamLeaderOnly = q.bool("stream-leader-only");
        JszOptions options = new JszOptions(q.get("acc"), accounts, streams, consumers, directConsumers, config,
                leaderOnly, offset, limit, raft, streamLeaderOnly);
        return indented(monitoring.jsz(options), callback);
    }

    // nats-server: monitor.go HandleHealthz
    private HttpReply healthz(QueryParams q, String callback, Map<String, String> headers)
            throws QueryParams.BadParameter {
        monitoring.countRequest(HEALTHZ);
        boolean jsEnabled = q.bool("js-enabled");
        if (jsEnabled) {
            LOG.warn("Healthcheck: js-enabled deprecated, use js-enabled-only instead");
        }
        boolean jsEnabledOnly = q.bool("js-enabled-only");
        boolean serverOnly = q.bool("js-server-only");
        boolean metaOnly = q.bool("js-meta-only");
        boolean details = q.bool("details");
        HealthStatus status = monitoring.healthz(new HealthzOptions(jsEnabled, jsEnabledOnly, serverOnly, metaOnly,
                q.get("account"), q.get("stream"), q.get("consumer"), details));
        if (status.error() != null && !status.error().isEmpty()) {
            LOG.warn("Healthcheck failed: " + GoQuote.quote(status.error()));
        } else if (status.errors() != null && !status.errors().isEmpty()) {
            LOG.warn("Healthcheck failed: " + status.errors().size() + " errors");
        }
        return HttpReply.json(status.statusCode(), GoJson.writeBytes(status.withoutCode()), callback);
    }

    // nats-server: monitor.go HandleIPQueuesz
    private HttpReply ipqueuesz(QueryParams q, String callback, Map<String, String> headers)
            throws QueryParams.BadParameter {
        boolean all = q.bool("all");
        return HttpReply.json(200, GoJson.writeIndentedBytes(monitoring.ipqueuesz(all, q.get("queues")), "   "),
                callback);
    }

    /** Go's {@code expvar.Handler}: one {@code "name": value} line per variable. */
    private HttpReply expvar() {
        StringBuilder body = new StringBuilder("{\n");
        boolean first = true;
        for (Map.Entry<String, Object> e : monitoring.expvarz().entrySet()) {
            if (!first) {
                body.append(",\n");
            }
            first = false;
            body.append(GoJson.write(e.getKey())).append(": ").append(GoJson.write(e.getValue()));
        }
        body.append("\n}\n");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        return new HttpReply(200, headers, body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Go's {@code path.Clean} for a rooted path. */
    static String clean(String path) {
        Deque<String> parts = new ArrayDeque<>();
        for (String element : path.split("/")) {
            if (element.isEmpty() || element.equals(".")) {
                continue;
            }
            if (element.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(element);
            }
        }
        return "/" + String.join("/", parts);
    }
}
