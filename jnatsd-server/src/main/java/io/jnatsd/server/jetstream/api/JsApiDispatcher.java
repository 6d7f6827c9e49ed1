package io.jnatsd.server.jetstream.api;

import io.jnatsd.common.GoJson;
import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.server.account.Account;
import io.jnatsd.server.conn.ClientInfo;
import io.jnatsd.server.conn.Connection;
import io.jnatsd.server.conn.ConnectionKind;
import io.jnatsd.server.conn.Subscription;
import io.jnatsd.server.jetstream.Advisories;
import io.jnatsd.server.jetstream.JetStream;
import io.jnatsd.store.NatsHeaders;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The JetStream API: one internal subscription on {@code $JS.API.>} in the system account, which every account
 * reaches through its {@code $JS.API.>} service import (the request then carries {@code Nats-Request-Info}). Requests
 * are queued (info requests — INFO, STREAM.NAMES/LIST/INFO — on their own, lower-priority queue) and served by a few
 * worker virtual threads, as nats-server's {@code apiDispatch} and {@code processJSAPIRoutedRequests}. When a queue
 * reaches {@code request_queue_limit} ({@code info_queue_limit}), everything queued is dropped and an
 * {@code API.LIMIT_REACHED} advisory goes out.
 * <p>
 * Thread-safe: {@link #onRequest} runs on the publisher's thread and only queues; handlers run on the workers.
 */
// nats-server: jetstream_api.go apiDispatch, processJSAPIRoutedRequests, setJetStreamExportSubs
public final class JsApiDispatcher {

    private static final NatsLogger LOG = NatsLogger.get(JsApiDispatcher.class);
    /** Every API subject. */
    public static final String ALL_API = "$JS.API.>";
    private static final String PREFIX = "$JS.API.";

    private final JetStream js;
    private final ApiResponder responder;
    private final StreamApi streams;
    private final ConsumerApi consumers;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    private final ArrayDeque<Queued> requests = new ArrayDeque<>();      // guarded by lock
    private final ArrayDeque<Queued> infoRequests = new ArrayDeque<>();  // guarded by lock
    private final List<Thread> workers = new ArrayList<>();
    private volatile Subscription subscription;
    private volatile boolean stopped;

    /** A queued request and its handler. */
    private record Queued(ApiHandler handler, Connection publisher, String subject, String reply, byte[] header,
                          byte[] body) {
    }

    /** A dispatcher for {@code js}; {@link #start} subscribes. */
    public JsApiDispatcher(JetStream js) {
        this.js = js;
        this.responder = new ApiResponder(js);
        this.streams = new StreamApi(js, responder);
        this.consumers = new ConsumerApi(js, responder);
    }

    /** Subscribes {@code $JS.API.>} and starts the workers. */
    public void start() {
        int n = Math.clamp(Runtime.getRuntime().availableProcessors(), 2, 16);
        for (int i = 0; i < n; i++) {
            workers.add(Thread.ofVirtual().name("jnatsd-js-api-" + i).start(this::work));
        }
        subscription = js.host().systemClient().subscribeInternal(ALL_API, null, this::onRequest);
    }

    /** Unsubscribes and stops the workers. */
    public void stop() {
        stopped = true;
        Subscription sub = subscription;
        if (sub != null) {
            js.host().systemClient().unsubscribeInternal(sub);
        }
        lock.lock();
        try {
            requests.clear();
            infoRequests.clear();
            available.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The responder (shared with the stream layer for its own replies). */
    public ApiResponder responder() {
        return responder;
    }

    // ---- dispatch (publisher's thread) -----------------------------------------------------------------------------

    // nats-server: jetstream_api.go apiDispatch
    private void onRequest(Subscription sub, Connection publisher, String subject, String reply, byte[] header,
                           byte[] payload) {
        if (stopped || !subject.startsWith(PREFIX)) {
            return;
        }
        String api = subject.substring(PREFIX.length());
        if (api.equals("META.LEADER.STEPDOWN") || api.equals("SERVER.REMOVE") || api.equals("SERVER.EVACUATE")
                || api.equals("META.RESCUE") || api.startsWith("ACCOUNT.")) {
            return;                                  // the meta leader's own subscriptions (clustered mode)
        }
        Account system = js.host().systemAccount();
        boolean fromClient = publisher.kind() == ConnectionKind.CLIENT || publisher.kind() == ConnectionKind.LEAF;
        if (NatsHeaders.value(header, ApiResponder.CLIENT_INFO_HEADER) == null) {
            if (publisher.account() != system) {
                return;
            }
            if (!api.equals("INFO")) {
                if (fromClient) {
                    responder.sendSystemError(reply, subject, payload, JsApiError.NOT_ENABLED_FOR_ACCOUNT.error());
                }
                return;
            }
        }
        Route route = route(api);
        if (route == null) {
            // nats-server answers 10003 only when the request is matched outside the system account, which never
            // happens for requests through the service import (DIRECT.GET and consumer pulls have their own
            // subscriptions in the account): unknown subjects are ignored.
            return;
        }
        js.apiInflight().incrementAndGet();
        Queued q = new Queued(route.handler(), publisher, subject, reply, header, payload);
        int dropped = 0;
        lock.lock();
        try {
            ArrayDeque<Queued> queue = route.info() ? infoRequests : requests;
            long limit = route.info() ? js.options().effectiveInfoQueueLimit() : js.options().requestQueueLimit();
            queue.addLast(q);
            if (queue.size() >= limit) {
                dropped = queue.size();
                queue.clear();
            } else {
                available.signal();
            }
        } finally {
            lock.unlock();
        }
        if (dropped > 0) {
            js.apiInflight().addAndGet(-dropped);
            LOG.warn("JetStream API " + (route.info() ? "info " : "") + "queue limit reached, dropping " + dropped
                    + " requests");
            String[] h = Advisories.head(Advisories.ApiLimitReached.TYPE);
            js.advisories().publish(null, Advisories.API_LIMIT_REACHED, new Advisories.ApiLimitReached(h[0], h[1],
                    h[2], js.host().serverName(), js.domain(), dropped));
        }
    }

    /** A handler and whether its requests use the info queue. */
    private record Route(ApiHandler handler, boolean info) {
    }

    /** The handler of {@code api} (the subject after {@code $JS.API.}), or null. */
    private Route route(String api) {
        String[] t = api.split("\\.", -1);
        String head = t[0];
        if (head.equals("INFO") && t.length == 1) {
            return new Route(this::accountInfo, true);
        }
        if (head.equals("STREAM") && t.length >= 2) {
            return switch (t[1]) {
                case "CREATE" -> t.length == 3 ? new Route(streams::create, false) : null;
                case "UPDATE" -> t.length == 3 ? new Route(streams::update, false) : null;
                case "NAMES" -> t.length == 2 ? new Route(streams::names, true) : null;
                case "LIST" -> t.length == 2 ? new Route(streams::list, true) : null;
                case "INFO" -> t.length == 3 ? new Route(streams::info, true) : null;
                case "DELETE" -> t.length == 3 ? new Route(streams::delete, false) : null;
                case "PURGE" -> t.length == 3 ? new Route(streams::purge, false) : null;
                case "SNAPSHOT" -> t.length == 3 ? new Route(streams::snapshot, false) : null;
                case "RESTORE" -> t.length == 3 ? new Route(streams::restore, false) : null;
                case "MSG" -> t.length == 4 && t[2].equals("DELETE") ? new Route(streams::msgDelete, false)
                        : t.length == 4 && t[2].equals("GET") ? new Route(streams::msgGet, false) : null;
                case "LEADER" -> t.length == 4 && t[2].equals("STEPDOWN")
                        ? new Route(streams::leaderStepDown, false) : null;
                case "PEER" -> t.length == 4 && (t[2].equals("REMOVE") || t[2].equals("EVACUATE"))
                        ? new Route(streams::peerRemove, false) : null;
                case "CANCEL_MOVE" -> t.length == 3 ? new Route(streams::cancelMove, false) : null;
                default -> null;
            };
        }
        if (head.equals("CONSUMER") && t.length >= 3) {
            return switch (t[1]) {
                case "CREATE" -> new Route(consumers::create, false);
                case "DURABLE" -> t.length >= 4 && t[2].equals("CREATE") ? new Route(consumers::create, false)
                        : null;
                case "NAMES" -> t.length == 3 ? new Route(consumers::names, true) : null;
                case "LIST" -> t.length == 3 ? new Route(consumers::list, true) : null;
                case "INFO" -> t.length == 4 ? new Route(consumers::info, true) : null;
                case "DELETE" -> t.length == 4 ? new Route(consumers::delete, false) : null;
                case "PAUSE" -> t.length == 4 ? new Route(consumers::pause, false) : null;
                case "UNPIN" -> t.length == 4 ? new Route(consumers::unpin, false) : null;
                case "LEADER" -> t.length == 5 && t[2].equals("STEPDOWN")
                        ? new Route(streams::leaderStepDown, false) : null;
                default -> null;
            };
        }
        return null;
    }

    // ---- workers ---------------------------------------------------------------------------------------------------

    private void work() {
        while (!stopped) {
            Queued q;
            lock.lock();
            try {
                while (!stopped && requests.isEmpty() && infoRequests.isEmpty()) {
                    available.awaitUninterruptibly();
                }
                if (stopped) {
                    return;
                }
                q = !requests.isEmpty() ? requests.pollFirst() : infoRequests.pollFirst();
            } finally {
                lock.unlock();
            }
            try {
                serve(q);
            } catch (RuntimeException e) {
                LOG.error("JetStream API request on \"" + q.subject() + "\" failed: " + e, e);
            } finally {
                js.apiInflight().decrementAndGet();
            }
        }
    }

    // nats-server: jetstream_api.go getRequestInfo
    private void serve(Queued q) {
        ClientInfo ci = null;
        Account account;
        String info = NatsHeaders.value(q.header(), ApiResponder.CLIENT_INFO_HEADER);
        if (info != null) {
            try {
                ci = GoJson.mapper().readValue(info, ClientInfo.class);
            } catch (IOException e) {
                LOG.warn("Malformed JetStream API Request: " + io.jnatsd.common.GoQuote.quote(
                        new String(q.body(), java.nio.charset.StandardCharsets.UTF_8)));
                return;
            }
        }
        if (ci != null && ci.service() != null && !ci.service().isEmpty()) {
            account = js.host().findAccount(ci.service());
        } else if (ci != null && ci.account() != null && !ci.account().isEmpty()) {
            account = js.host().findAccount(ci.account());
        } else {
            account = q.publisher().account() != null ? q.publisher().account() : js.host().systemAccount();
        }
        if (account == null) {
            LOG.warn("Malformed JetStream API Request: " + io.jnatsd.common.GoQuote.quote(
                    new String(q.body(), java.nio.charset.StandardCharsets.UTF_8)));
            return;
        }
        q.handler().handle(new ApiRequest(q.subject(), q.reply(), q.header(), q.body(), ci, account));
    }

    // ---- INFO ------------------------------------------------------------------------------------------------------

    /** The account's usage and limits. */
    // nats-server: jetstream_api.go jsAccountInfoRequest
    private void accountInfo(ApiRequest r) {
        String type = "io.nats.jetstream.api.v1.account_info_response";
        if (ApiResponder.errorOnRequiredApiLevel(r.header())) {
            responder.error(r, type, JsApiError.REQUIRED_API_LEVEL.error());
            return;
        }
        io.jnatsd.server.jetstream.JsAccount jsa = js.account(r.account());
        if (jsa == null) {
            responder.error(r, type, JsApiError.NOT_ENABLED_FOR_ACCOUNT.error());
            return;
        }
        responder.ok(r, type, jsa.usage());
    }
}
