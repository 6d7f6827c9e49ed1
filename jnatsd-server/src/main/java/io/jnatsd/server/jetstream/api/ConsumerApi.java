package io.jnatsd.server.jetstream.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.jnatsd.common.GoTime;
import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.server.jetstream.JetStream;
import io.jnatsd.server.jetstream.JsAccount;
import io.jnatsd.server.jetstream.Stream;
import io.jnatsd.server.jetstream.consumer.Consumer;
import io.jnatsd.server.jetstream.consumer.ConsumerConfig;
import io.jnatsd.server.jetstream.consumer.ConsumerConfigChecks;
import io.jnatsd.server.jetstream.consumer.ConsumerInfo;
import io.jnatsd.server.jetstream.consumer.Consumers;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The consumer endpoints of the JetStream API, each with nats-server's checks in nats-server's order and its response
 * shapes: {@code CONSUMER.CREATE} (all subject forms), {@code CONSUMER.DURABLE.CREATE}, {@code INFO}, {@code DELETE},
 * {@code NAMES}, {@code LIST}, {@code PAUSE}, {@code UNPIN} ({@code server/jetstream_api.go jsConsumer*Request}).
 * {@code CONSUMER.MSG.NEXT} and {@code CONSUMER.RESET} are served by each consumer's own subscriptions.
 * <p>
 * Called on the dispatcher's workers; stateless apart from the engine, so thread-safe.
 */
// nats-server: jetstream_api.go jsConsumerCreateRequest, jsConsumerNamesRequest, jsConsumerListRequest,
// jsConsumerInfoRequest, jsConsumerDeleteRequest, jsConsumerPauseRequest, jsConsumerUnpinRequest (standalone paths)
final class ConsumerApi extends ApiEndpoints {

    private static final NatsLogger LOG = NatsLogger.get(ConsumerApi.class);
    private static final String PRE = "io.nats.jetstream.api.v1.";
    static final String CREATE = PRE + "consumer_create_response";
    static final String NAMES = PRE + "consumer_names_response";
    static final String LIST = PRE + "consumer_list_response";
    static final String INFO = PRE + "consumer_info_response";
    static final String DELETE = PRE + "consumer_delete_response";
    static final String PAUSE = PRE + "consumer_pause_response";
    static final String UNPIN = PRE + "consumer_unpin_response";
    private static final Pattern GROUP_NAME = Pattern.compile("^[a-zA-Z0-9/_=-]{1,16}$");

    ConsumerApi(JetStream js, ApiResponder responder) {
        super(js, responder);
    }

    /** {@code consumers} of a names response. */
    record Names(@JsonProperty("consumers") List<String> consumers) {
    }

    /** {@code consumers}, {@code missing}, {@code offline} of a list response. */
    record Infos(@JsonProperty("consumers") List<ConsumerInfo> consumers,
                 @JsonProperty("missing") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> missing,
                 @JsonProperty("offline") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> offline) {
    }

    /** A pause response's fields. */
    record Paused(@JsonProperty("paused") boolean paused, @JsonProperty("pause_until") String pauseUntil,
                  @JsonProperty("pause_remaining") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
                  long pauseRemaining) {
    }


    static ConsumerInfo withDynamicMetadata(ConsumerInfo info) {
        return info.withConfig(ConsumerConfigChecks.withDynamicMetadata(info.config()));
    }

    private static int tokens(String subject) {
        int n = 1;
        for (int i = 0; i < subject.length(); i++) {
            if (subject.charAt(i) == '.') {
                n++;
            }
        }
        return n;
    }

    // ---- create ------------------------------------------------------------------------------------------------

    // nats-server: jetstream_api.go jsConsumerCreateRequest
    void create(ApiRequest r) {
        ApiRequests.ConsumerCreate req = decode(r, CREATE, ApiRequests.CONSUMER_CREATE,
                ApiRequests.ConsumerCreate.class);
        if (req == null) {
            return;
        }
        JsAccount jsa = begin(r, CREATE);
        if (jsa == null) {
            return;
        }
        ConsumerConfig cfg = req.config() == null ? ConsumerConfig.builder().build() : req.config();
        int n = tokens(r.subject());
        String streamName;
        String consumerName;
        String filtered = "";
        boolean legacyEphemeral = false;
        boolean legacyDurable = false;
        if (n < 5) {
            LOG.warn("Malformed JetStream API Request: " + io.jnatsd.common.GoQuote.quote(r.bodyText()));
            return;
        } else if (n == 5) {
            legacyEphemeral = true;
            streamName = r.token(4);
            consumerName = cfg.name() == null ? "" : cfg.name();
        } else if (r.token(3).equals("DURABLE")) {
            legacyDurable = true;
            if (n != 7) {
                responder.error(r, CREATE, JsApiError.CONSUMER_DURABLE_NAME_NOT_IN_SUBJECT.error());
                return;
            }
            streamName = r.token(5);
            consumerName = r.token(6);
        } else {
            streamName = r.token(4);
            consumerName = r.token(5);
            if (n > 6) {
                int at = 0;
                for (int i = 0; i < 6; i++) {
                    at = r.subject().indexOf('.', at) + 1;
                }
                filtered = r.subject().substring(at);
            }
        }
        if (!streamName.equals(req.stream() == null ? "" : req.stream())) {
            responder.error(r, CREATE, JsApiError.STREAM_MISMATCH.error());
            return;
        }
        if (!consumerName.isEmpty() && (consumerName.contains("/") || consumerName.contains("\\"))) {
            responder.error(r, CREATE, JsApiError.CONSUMER_NAME_CONTAINS_PATH_SEPARATORS.error());
            return;
        }
        ConsumerConfig.Builder b = cfg.toBuilder();
        if (legacyDurable) {
            if (cfg.durable() == null || cfg.durable().isEmpty()) {
                responder.error(r, CREATE, JsApiError.CONSUMER_DURABLE_NAME_NOT_SET.error());
                return;
            }
            if (!consumerName.equals(cfg.durable())) {
                responder.error(r, CREATE, JsApiError.CONSUMER_DURABLE_NAME_NOT_MATCH_SUBJECT.error());
                return;
            }
            b.name = consumerName;
        } else if (!legacyEphemeral) {
            if (cfg.isDurable() && !consumerName.equals(cfg.durable())) {
                responder.error(r, CREATE, JsApiError.CONSUMER_DURABLE_NAME_NOT_MATCH_SUBJECT.error());
                return;
            }
            b.name = consumerName;
        }
        if (legacyEphemeral && cfg.isDurable()) {
            responder.error(r, CREATE, JsApiError.CONSUMER_EPHEMERAL_WITH_DURABLE_NAME.error());
            return;
        }
        if (!filtered.isEmpty() && cfg.filterSubjects() != null && !cfg.filterSubjects().isEmpty()) {
            responder.error(r, CREATE, JsApiError.CONSUMER_MULTIPLE_FILTERS_NOT_ALLOWED.error());
            return;
        }
        if (!filtered.isEmpty() && !filtered.equals(cfg.filterSubject() == null ? "" : cfg.filterSubject())) {
            responder.error(r, CREATE, JsApiError.CONSUMER_CREATE_FILTER_SUBJECT_MISMATCH.error());
            return;
        }
        if (cfg.replicas() > 1) {
            responder.error(r, CREATE, JsApiError.STREAM_REPLICAS_NOT_SUPPORTED.error());
            return;
        }
        Stream stream = jsa.lookup(streamName);
        if (stream == null) {
            responder.error(r, CREATE, JsApiError.STREAM_NOT_FOUND.error());
            return;
        }
        Consumer existing = Consumers.lookup(stream, consumerName);
        if (existing != null) {
            b.pauseUntil = existing.config().pauseUntil();
        } else if (b.pauseUntil != null) {
            Instant t = GoTimeParse.parse(b.pauseUntil);
            b.pauseUntil = t.equals(Instant.EPOCH.minusSeconds(62135596800L)) ? null : GoTime.rfc3339Nano(t);
        }
        if (b.optStartTime != null) {
            b.optStartTime = GoTime.rfc3339Nano(GoTimeParse.parse(b.optStartTime));
        }
        ConsumerConfig requested = ConsumerConfigChecks.withStaticMetadata(b.build());
        String action = req.action() == null ? "" : req.action();
        Consumer o;
        try {
            o = Consumers.add(stream, requested, action, req.pedantic());
        } catch (ApiException e) {
            ApiError err = e.error();
            if (err.is(JsApiError.CONSUMER_STORE_FAILED)) {
                LOG.warn("Consumer create failed for '" + r.account().name() + " > " + streamName + " > "
                        + (cfg.durable() == null ? "" : cfg.durable()) + "': " + err.description());
                err = JsApiError.CONSUMER_CREATE.error("error creating store for consumer");
            }
            responder.error(r, CREATE, err);
            return;
        } catch (RuntimeException e) {
            responder.error(r, CREATE, ApiException.unless(e, JsApiError.CONSUMER_CREATE));
            return;
        }
        responder.ok(r, CREATE, ApiJson.tree(withDynamicMetadata(o.info())));
    }

    // ---- names / list / info -----------------------------------------------------------------------------------

    // nats-server: jetstream_api.go jsConsumerNamesRequest
    void names(ApiRequest r) {
        Page page = page(r, NAMES, new Names(List.of()));
        if (page == null) {
            return;
        }
        int total = page.all().size();
        int offset = page.offset();
        List<String> names = new ArrayList<>();
        for (Consumer o : page.all().subList(offset, total)) {
            names.add(o.name());
            if (names.size() >= StreamApi.NAMES_LIMIT) {
                break;
            }
        }
        responder.ok(r, NAMES, new StreamApi.Paged(total, offset, StreamApi.NAMES_LIMIT), new Names(names));
    }

    /** A NAMES or LIST request's consumers and its offset into them. */
    private record Page(List<Consumer> all, int offset) {
    }

    /**
     * The checks NAMES and LIST share (the account, the request's offset, the stream): the page, or null after an
     * error response ({@code zero} is the empty body of one).
     */
    private Page page(ApiRequest r, String type, Object zero) {
        JsAccount jsa = begin(r, type, StreamApi.Paged.ZERO, zero);
        if (jsa == null) {
            return null;
        }
        int offset = 0;
        if (ApiJson.isObjectOrArray(r.body())) {
            ApiRequests.StreamNames req = decode(r, type, ApiRequests.CONSUMERS, ApiRequests.StreamNames.class,
                    StreamApi.Paged.ZERO, zero);
            if (req == null) {
                return null;
            }
            offset = Math.max(req.offset(), 0);
        }
        Stream stream = jsa.lookup(r.token(4));
        if (stream == null) {
            responder.error(r, type, JsApiError.STREAM_NOT_FOUND.error(), StreamApi.Paged.ZERO, zero);
            return null;
        }
        List<Consumer> all = Consumers.list(stream);
        return new Page(all, Math.min(offset, all.size()));
    }

    // nats-server: jetstream_api.go jsConsumerListRequest
    void list(ApiRequest r) {
        Page page = page(r, LIST, new Infos(List.of(), null, null));
        if (page == null) {
            return;
        }
        int total = page.all().size();
        int offset = page.offset();
        List<ConsumerInfo> infos = new ArrayList<>();
        for (Consumer o : page.all().subList(offset, total)) {
            if (!o.isClosed()) {
                infos.add(o.info());
            }
            if (infos.size() >= StreamApi.LIST_LIMIT) {
                break;
            }
        }
        responder.ok(r, LIST, new StreamApi.Paged(total, offset, StreamApi.LIST_LIMIT), new Infos(infos, null, null));
    }

    // nats-server: jetstream_api.go jsConsumerInfoRequest
    void info(ApiRequest r) {
        if (!ApiJson.isEmptyRequest(r.body())) {
            responder.error(r, INFO, JsApiError.NOT_EMPTY_REQUEST.error());
            return;
        }
        Consumer o = lookup(r, INFO);
        if (o == null) {
            return;
        }
        responder.ok(r, INFO, ApiJson.tree(withDynamicMetadata(o.info())));
    }

    private Consumer lookup(ApiRequest r, String type, Object... zero) {
        JsAccount jsa = begin(r, type, zero);
        if (jsa == null) {
            return null;
        }
        Stream stream = jsa.lookup(r.token(4));
        if (stream == null) {
            responder.error(r, type, JsApiError.STREAM_NOT_FOUND.error(), zero);
            return null;
        }
        Consumer o = Consumers.lookup(stream, r.token(5));
        if (o == null) {
            responder.error(r, type, JsApiError.CONSUMER_NOT_FOUND.error(), zero);
            return null;
        }
        return o;
    }

    // ---- delete / pause / unpin --------------------------------------------------------------------------------

    // nats-server: jetstream_api.go jsConsumerDeleteRequest
    void delete(ApiRequest r) {
        Stream stream = streamOfEmptyRequest(r, DELETE);
        if (stream == null) {
            return;
        }
        Consumer o = Consumers.lookup(stream, r.token(5));
        if (o == null) {
            responder.error(r, DELETE, JsApiError.CONSUMER_NOT_FOUND.error());
            return;
        }
        try {
            Consumers.delete(o);
        } catch (RuntimeException e) {
            responder.error(r, DELETE, ApiException.unless(e, JsApiError.STREAM_GENERAL_ERROR));
            return;
        }
        responder.ok(r, DELETE, new StreamApi.Success(true));
    }

    // nats-server: jetstream_api.go jsConsumerPauseRequest
    void pause(ApiRequest r) {
        Paused zero = new Paused(false, GoTime.ZERO, 0);
        String until = null;
        if (ApiJson.isObjectOrArray(r.body())) {
            ApiRequests.ConsumerPause req = decode(r, PAUSE, ApiRequests.CONSUMER_PAUSE,
                    ApiRequests.ConsumerPause.class, zero);
            if (req == null) {
                return;
            }
            until = req.pauseUntil();
        }
        Consumer o = lookup(r, PAUSE, zero);
        if (o == null) {
            return;
        }
        Instant t = until == null ? null : GoTimeParse.parse(until);
        String utc = t == null || t.getEpochSecond() == -62135596800L && t.getNano() == 0 ? null
                : GoTime.rfc3339Nano(t);
        o.pause(utc);
        long now = js.storeEnvironment().nowNanos();
        long at = t == null ? 0 : t.getEpochSecond() * 1_000_000_000L + t.getNano();
        boolean paused = utc != null && at > now;
        responder.ok(r, PAUSE, new Paused(paused, utc == null ? GoTime.ZERO : utc, paused ? at - now : 0));
    }

    // nats-server: jetstream_api.go jsConsumerUnpinRequest
    void unpin(ApiRequest r) {
        if (ApiResponder.errorOnRequiredApiLevel(r.header())) {
            responder.error(r, UNPIN, JsApiError.REQUIRED_API_LEVEL.error());
            return;
        }
        ApiRequests.ConsumerUnpin req;
        try {
            req = ApiJson.decode(r.body(), ApiRequests.CONSUMER_UNPIN, ApiRequests.ConsumerUnpin.class, false);
        } catch (ApiJson.DecodeException e) {
            responder.error(r, UNPIN, JsApiError.INVALID_JSON.error(e.getMessage()));
            return;
        }
        if (r.body().length == 0) {
            responder.error(r, UNPIN, JsApiError.INVALID_JSON.error("unexpected end of JSON input"));
            return;
        }
        String group = req.group() == null ? "" : req.group();
        if (group.isEmpty()) {
            responder.error(r, UNPIN, JsApiError.INVALID_JSON.error("consumer group not specified"));
            return;
        }
        if (!GROUP_NAME.matcher(group).matches()) {
            responder.error(r, UNPIN, JsApiError.CONSUMER_INVALID_GROUP_NAME.error());
            return;
        }
        Consumer o = lookup(r, UNPIN);
        if (o == null) {
            return;
        }
        if (!o.unpin(group)) {
            responder.error(r, UNPIN, JsApiError.CONSUMER_INVALID_PRIORITY_GROUP.error());
            return;
        }
        responder.ok(r, UNPIN);
    }
}
