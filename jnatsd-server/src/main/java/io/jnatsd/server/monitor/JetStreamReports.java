package io.jnatsd.server.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jnatsd.common.GoQuote;
import io.jnatsd.config.JetStreamAccountLimits;
import io.jnatsd.config.JetStreamOptions;
import io.jnatsd.server.NatsServer;
import io.jnatsd.server.account.Account;
import io.jnatsd.server.account.JwtAccount;
import io.jnatsd.server.jetstream.AccountStats;
import io.jnatsd.server.jetstream.JetStream;
import io.jnatsd.server.jetstream.JetStreamConfig;
import io.jnatsd.server.jetstream.JsAccount;
import io.jnatsd.server.jetstream.Stream;
import io.jnatsd.server.jetstream.StreamConsumer;
import io.jnatsd.server.jetstream.StreamInfo;
import io.jnatsd.server.jetstream.api.ApiJson;
import io.jnatsd.server.jetstream.api.JsApiError;
import io.jnatsd.store.StorageType;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What monitoring reports about JetStream: {@code /jsz} and the {@code JSZ} requests, the {@code jetstream} object of
 * {@code /varz} and STATSZ, and the JetStream part of {@code /healthz} (nats-server's monitor.go {@code Jsz},
 * {@code JszAccount}, {@code accountDetail}, {@code updateJszVarz}, {@code healthz}; jetstream.go
 * {@code usageStats}). Reads the JetStream engine through its accessors and takes no lock of its own; the figures
 * of one answer are read one after the other, so they may be a moment apart, as in nats-server. Thread-safe.
 */
final class JetStreamReports {

    /** nats-server's {@code snapStagingDir}: skipped when the store directory is walked. */
    private static final String SNAP_STAGING_DIR = ".snap-staging";
    private static final String STREAMS_DIR = "streams";

    private final NatsServer server;

    JetStreamReports(NatsServer server) {
        this.server = server;
    }

    /** The running JetStream, or null when it is off, not started yet or shut down. */
    private JetStream enabled() {
        JetStream js = server.jetStream();
        return js != null && js.isEnabled() ? js : null;
    }

    // ----------------------------------------------------------------------------------------------------- jsz

    /**
     * {@code /jsz}.
     *
     * @throws MonitorException {@code filtered response: not leader} when JetStream is off and only the leader
     *                          should answer (HTTP 400; a {@code $SYS} request gets no reply)
     */
    // nats-server: monitor.go Jsz
    Jsz jsz(JszOptions o, String now) throws MonitorException {
        JetStream js = enabled();
        if (js == null) {
            if (o.leaderOnly()) {
                throw new MonitorException(MonitorException.SKIP + ": not leader", true);
            }
            return Jsz.disabled(server.serverId(), now);
        }
        boolean consumers = o.consumer();
        boolean streams = o.streams() || consumers;
        boolean accounts = o.accounts() || (streams && o.account().isEmpty());
        int offset = Math.max(0, o.offset());
        int limit = o.limit() == 0 ? Monitoring.DEFAULT_LIST_SIZE : o.limit();

        List<JsAccount> all = new ArrayList<>(js.accounts());
        all.sort(Comparator.comparing(jsa -> jsa.account().name()));
        JsAccount filtered = null;
        int streamCount = 0;
        int consumerCount = 0;
        long messages = 0;
        long bytes = 0;
        int streamsLeader = 0;
        int consumersLeader = 0;
        for (JsAccount jsa : all) {
            if (jsa.account().name().equals(o.account())) {
                filtered = jsa;
            }
            for (Stream s : jsa.streams()) {
                streamCount++;
                StreamInfo.State state = s.state();
                messages += state.messages();
                bytes += state.bytes();
                consumerCount += state.consumers();
                if (o.raft()) {
                    // nats-server: a stream or consumer without a raft node counts as led by this server
                    streamsLeader++;
                    consumersLeader += s.consumers().size();
                }
            }
        }
        List<JsAccount> detailed;
        if (filtered != null) {
            detailed = List.of(filtered);
        } else if (accounts) {
            detailed = all;
            if (limit > 0) {
                int from = Math.min(offset, all.size());
                detailed = all.subList(from, from + Math.min(limit, all.size() - from));
            }
        } else {
            detailed = List.of();
        }
        List<Jsz.AccountDetail> details = new ArrayList<>(detailed.size());
        for (JsAccount jsa : detailed) {
            details.add(accountDetail(jsa, streams, consumers, o.config()));
        }
        JetStreamVarz.Stats stats = stats(js);
        return new Jsz(stats.memory(), stats.storage(), stats.reservedMemory(), stats.reservedStorage(),
                stats.accounts(), stats.haAssets(), stats.api(), server.serverId(), now, false, js.config(),
                JsLimits.of(server.options().jetStream().limits()), streamCount, streamsLeader, consumerCount,
                consumersLeader, messages, bytes, details, all.size());
    }

    /**
     * {@code $SYS.REQ.ACCOUNT.<acc>.JSZ}: one account's details.
     *
     * @throws MonitorException {@code jetstream not enabled}, {@code account "x" not found},
     *                          {@code account "x" not jetstream enabled} (code 500)
     */
    // nats-server: monitor.go JszAccount
    Jsz.AccountDetail jszAccount(JszOptions o) throws MonitorException {
        JetStream js = server.jetStream();
        if (js == null) {
            throw new MonitorException("jetstream not enabled");
        }
        Account account = server.lookupAccount(o.account());
        if (account == null) {
            throw new MonitorException("account " + GoQuote.quote(o.account()) + " not found");
        }
        JsAccount jsa = js.account(account);
        if (jsa == null) {
            throw new MonitorException("account " + GoQuote.quote(o.account()) + " not jetstream enabled");
        }
        return accountDetail(jsa, o.streams(), o.consumer(), o.config());
    }

    // nats-server: monitor.go accountDetail
    private Jsz.AccountDetail accountDetail(JsAccount jsa, boolean streams, boolean consumers, boolean config) {
        Account account = jsa.account();
        String name = account.name();
        String nameTag = nameTag(name);
        AccountStats usage = jsa.usage();
        long reservedMemory = 0;
        long reservedStorage = 0;
        JetStreamAccountLimits flat = jsa.limits().get("");
        if (flat != null) {
            reservedMemory = flat.maxMemoryBytes();
            reservedStorage = flat.maxStoreBytes();
        }
        AccountStats.Api api = new AccountStats.Api(0, usage.api().total(), usage.api().errors(), 0);
        List<Jsz.StreamDetail> details = new ArrayList<>();
        if (streams) {
            StreamInfo.ClusterInfo cluster = new StreamInfo.ClusterInfo(null, server.serverName());
            for (Stream s : jsa.streams()) {
                details.add(new Jsz.StreamDetail(s.name(), StreamInfo.time(s.createdNanos()), cluster,
                        config ? ApiJson.mapper().valueToTree(s.config()) : null, s.state(),
                        consumers ? consumerDetails(s, config) : null));
            }
        }
        return new Jsz.AccountDetail(nameTag == null ? name : nameTag, name, usage.memory(), usage.storage(),
                reservedMemory, reservedStorage, 0, 0, api, details);
    }

    /** The consumers' infos as JSON trees, without their {@code config} unless asked for. */
    private static List<Object> consumerDetails(Stream s, boolean config) {
        List<Object> out = new ArrayList<>();
        for (Object info : s.consumerInfos()) {
            JsonNode tree = ApiJson.mapper().valueToTree(info);
            if (!config && tree instanceof ObjectNode object) {
                object.remove("config");
            }
            out.add(tree);
        }
        return out;
    }

    /** An operator-mode account's name tag, or null. */
    private String nameTag(String name) {
        if (server.jwtAccounts() == null) {
            return null;
        }
        JwtAccount ja = server.jwtAccounts().loaded(name);
        return ja == null || ja.nameTag() == null || ja.nameTag().isEmpty() ? null : ja.nameTag();
    }

    // nats-server: jetstream.go usageStats
    private static JetStreamVarz.Stats stats(JetStream js) {
        return new JetStreamVarz.Stats(js.used(StorageType.MEMORY), js.used(StorageType.FILE),
                js.reserved(StorageType.MEMORY), js.reserved(StorageType.FILE), js.accounts().size(), 0,
                js.apiStats());
    }

    // ---------------------------------------------------------------------------------------------- varz, statsz

    /**
     * The {@code jetstream} object of {@code /varz} ({@code withStoreDir}) or of STATSZ (without the store
     * directory); {@link JetStreamVarz#OFF} without JetStream.
     */
    // nats-server: monitor.go updateJszVarz, createVarz (max_memory/max_storage from the options); events.go
    // sendStatsz (JetStream)
    JetStreamVarz varz(boolean withStoreDir) {
        JetStream js = server.jetStream();
        JetStreamConfig cfg = js == null ? null : js.config();
        if (cfg == null) {
            return JetStreamVarz.OFF;
        }
        JetStreamOptions opts = server.options().jetStream();
        long maxMemory = cfg.maxMemory();
        long maxStore = cfg.maxStore();
        if (withStoreDir) {
            // nats-server: createVarz reports the configured sizes over the resolved ones
            maxMemory = opts.maxMemoryBytes() > 0 ? opts.maxMemoryBytes() : maxMemory;
            maxStore = opts.maxStoreBytes() > 0 ? opts.maxStoreBytes() : maxStore;
        }
        JetStreamConfig shown = new JetStreamConfig(maxMemory, maxStore, withStoreDir ? cfg.storeDir() : null,
                cfg.syncIntervalNanos(), cfg.syncAlways(), cfg.domain(), cfg.compressOk(), cfg.uniqueTag(),
                cfg.strict());
        return new JetStreamVarz(shown, stats(js), JsLimits.of(opts.limits()));
    }

    // --------------------------------------------------------------------------------------------------- healthz

    /**
     * The JetStream checks of {@code /healthz}, after the server's readiness: null when healthy (or JetStream is not
     * configured), else the failed status.
     */
    // nats-server: monitor.go healthz (from "If JS is not enabled in the config, we stop.", single server)
    HealthStatus healthz(HealthzOptions o) {
        JetStream js = server.jetStream();
        if (js == null) {
            return null;
        }
        boolean details = o.details();
        if (!js.isEnabled()) {
            String error = JsApiError.NOT_ENABLED.error().toString();
            return details ? errors("JETSTREAM", "", "", "", error, 503)
                    : new HealthStatus("unavailable", 503, error, null);
        }
        if (o.jsEnabledOnly() || o.jsEnabled()) {
            return null;
        }
        Path dir = Path.of(js.config().storeDir());
        List<HealthStatus.HealthzError> problems = new ArrayList<>();
        boolean accFound = false;
        boolean streamFound = false;
        boolean consumerFound = false;
        for (Path accountDir : list(dir)) {
            String accName = accountDir.getFileName().toString();
            if (SNAP_STAGING_DIR.equals(accName)) {
                continue;
            }
            if (!o.account().isEmpty()) {
                if (!accName.equals(o.account())) {
                    continue;
                }
                accFound = true;
            }
            Account account = server.lookupAccount(accName);
            if (account != null && expired(accName)) {
                if (o.account().isEmpty()) {
                    continue;
                }
                String msg = "JetStream account '" + accName + "' is expired";
                if (!details) {
                    return new HealthStatus("unavailable", 503, msg, null);
                }
                problems.add(new HealthStatus.HealthzError("ACCOUNT", accName, null, null, msg));
                return withErrors(problems, 503);
            }
            if (account == null) {
                String msg = "JetStream account '" + accName + "' could not be resolved";
                if (!details) {
                    return new HealthStatus("unavailable", 503, msg, null);
                }
                problems.add(new HealthStatus.HealthzError("ACCOUNT", accName, null, null, msg));
                continue;
            }
            JsAccount jsa = js.account(account);
            for (Path streamDir : list(accountDir.resolve(STREAMS_DIR))) {
                String streamName = streamDir.getFileName().toString();
                if (!o.stream().isEmpty()) {
                    if (!streamName.equals(o.stream())) {
                        continue;
                    }
                    streamFound = true;
                }
                Stream stream = jsa == null ? null : jsa.lookup(streamName);
                if (stream == null) {
                    String msg = "JetStream stream '" + accName + " > " + streamName + "' could not be recovered";
                    if (!details) {
                        return new HealthStatus("unavailable", 503, msg, null);
                    }
                    problems.add(new HealthStatus.HealthzError("STREAM", accName, streamName, null, msg));
                    continue;
                }
                if (streamFound) {
                    if (!o.consumer().isEmpty()) {
                        for (StreamConsumer c : stream.consumers()) {
                            if (c.name().equals(o.consumer())) {
                                consumerFound = true;
                                break;
                            }
                        }
                    }
                    break;
                }
            }
            if (accFound) {
                break;
            }
        }
        if (!o.account().isEmpty() && !accFound) {
            String msg = "JetStream account " + GoQuote.quote(o.account()) + " not found";
            return details ? errors("ACCOUNT", o.account(), "", "", msg, 404)
                    : new HealthStatus("unavailable", 404, msg, null);
        }
        if (!o.stream().isEmpty() && !streamFound) {
            String msg = "JetStream stream " + GoQuote.quote(o.stream()) + " not found on account "
                    + GoQuote.quote(o.account());
            return details ? errors("STREAM", o.account(), o.stream(), "", msg, 404)
                    : new HealthStatus("unavailable", 404, msg, null);
        }
        if (!o.consumer().isEmpty() && !consumerFound) {
            String msg = "JetStream consumer " + GoQuote.quote(o.consumer()) + " not found for stream "
                    + GoQuote.quote(o.stream()) + " on account " + GoQuote.quote(o.account());
            return details ? errors("CONSUMER", o.account(), o.stream(), o.consumer(), msg, 404)
                    : new HealthStatus("unavailable", 404, msg, null);
        }
        return problems.isEmpty() ? null : withErrors(problems, 503);
    }

    private boolean expired(String account) {
        if (server.jwtAccounts() == null) {
            return false;
        }
        JwtAccount ja = server.jwtAccounts().loaded(account);
        return ja != null && ja.isExpired(Instant.now().getEpochSecond());
    }

    private static HealthStatus errors(String type, String account, String stream, String consumer, String error,
                                       int code) {
        return withErrors(List.of(new HealthStatus.HealthzError(type, emptyToNull(account), emptyToNull(stream),
                emptyToNull(consumer), error)), code);
    }

    private static HealthStatus withErrors(List<HealthStatus.HealthzError> errors, int code) {
        return new HealthStatus("error", code, null, List.copyOf(errors));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** The entries of {@code dir} by name ({@code os.ReadDir}); none when it cannot be read. */
    private static List<Path> list(Path dir) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            entries.forEach(out::add);
        } catch (IOException e) {
            return List.of();
        }
        out.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return out;
    }
}
