package io.jnatsd.server.monitor;

import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.config.Versions;
import io.jnatsd.server.NatsServer;
import io.jnatsd.server.account.Account;
import io.jnatsd.server.jetstream.AccountStats;
import io.jnatsd.server.jetstream.JetStream;
import io.jnatsd.server.jetstream.JsAccount;
import io.jnatsd.server.jetstream.Stream;
import io.jnatsd.server.jetstream.StreamInfo;
import io.jnatsd.store.StorageType;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * {@code /metrics}: the server's figures in the Prometheus text or OpenMetrics format, built on the Prometheus Java
 * client library ({@code prometheus-metrics-core}; the format is chosen from the {@code Accept} header by
 * {@code prometheus-metrics-exposition-textformats} as the library's own HTTP exporter does). Not a nats-server
 * endpoint: jnatsd adds it so that Prometheus can scrape the server without the separate
 * {@code prometheus-nats-exporter}. Values are read at scrape time from the same counters {@code /varz} and
 * {@code /accstatz} report; {@code name[]} parameters select metrics as with the library's exporter. Thread-safe.
 */
final class MetricsExporter {

    private static final NatsLogger LOG = NatsLogger.get(MetricsExporter.class);

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final ProcessStats process = new ProcessStats();

    MetricsExporter(NatsServer server) {
        GaugeWithCallback.builder().name("nats_server_info").help("Server identity (always 1)")
                .labelNames("server_id", "server_name", "version")
                .callback(cb -> cb.call(1, server.serverId(), server.serverName(), Versions.VERSION))
                .register(registry);
        gauge("nats_server_start_time_seconds", "When the server started (Unix time)", server,
                s -> s.startTime() == null ? 0 : s.startTime().toEpochMilli() / 1000.0);
        gauge("nats_server_connections", "Open client connections", server, NatsServer::clientCount);
        counter("nats_server_connections_accepted", "Client connections accepted since start", server,
                NatsServer::totalConnections);
        gauge("nats_server_subscriptions", "Subscriptions of every account", server, s -> {
            long total = 0;
            for (Account a : s.accounts()) {
                total += a.sublist().count();
            }
            return total;
        });
        counter("nats_server_in_msgs", "Messages received from connections", server, s -> s.stats().inMsgs());
        counter("nats_server_out_msgs", "Messages delivered to connections", server, s -> s.stats().outMsgs());
        counter("nats_server_in_bytes", "Payload bytes received from connections", server,
                s -> s.stats().inBytes());
        counter("nats_server_out_bytes", "Payload bytes delivered to connections", server,
                s -> s.stats().outBytes());
        counter("nats_server_slow_consumers", "Connections closed as slow consumers", server,
                s -> s.stats().slowConsumers());
        counter("nats_server_stale_connections", "Connections closed as stale", server,
                s -> s.stats().staleConnections());
        gauge("nats_server_mem_bytes", "Resident memory of the process", server, s -> process.rssBytes());
        gauge("nats_server_cpu_percent", "CPU use of the process in percent of one core", server,
                s -> process.cpuPercent());
        accountGauge("nats_account_connections", "Open client connections of the account", server,
                Account::clientCount);
        accountGauge("nats_account_subscriptions", "Subscriptions of the account", server,
                a -> a.sublist().count());
        accountCounter("nats_account_in_msgs", "Messages the account's connections published", server,
                a -> a.stats().receivedMsgs());
        accountCounter("nats_account_in_bytes", "Payload bytes the account's connections published", server,
                a -> a.stats().receivedBytes());
        accountCounter("nats_account_out_msgs", "Messages delivered for the account's publishes", server,
                a -> a.stats().sentMsgs());
        accountCounter("nats_account_out_bytes", "Payload bytes delivered for the account's publishes", server,
                a -> a.stats().sentBytes());
        accountCounter("nats_account_slow_consumers", "Slow consumers among the account's connections", server,
                a -> a.stats().slowConsumers());
        JetStream js = server.jetStream();
        if (js != null) {
            registerJetStream(js);
        }
    }

    /** JetStream's figures: the server's (as {@code /jsz}), per account and per stream. */
    private void registerJetStream(JetStream js) {
        GaugeWithCallback.builder().name("nats_jetstream_enabled").help("Whether JetStream runs (1) or not (0)")
                .callback(cb -> cb.call(js.isEnabled() ? 1 : 0)).register(registry);
        gauge("nats_jetstream_memory_bytes", "Memory used by memory streams", js, j -> j.used(StorageType.MEMORY));
        gauge("nats_jetstream_storage_bytes", "Storage used by file streams", js, j -> j.used(StorageType.FILE));
        gauge("nats_jetstream_reserved_memory_bytes", "Memory reserved by streams' max_bytes", js,
                j -> j.reserved(StorageType.MEMORY));
        gauge("nats_jetstream_reserved_storage_bytes", "Storage reserved by streams' max_bytes", js,
                j -> j.reserved(StorageType.FILE));
        gauge("nats_jetstream_max_memory_bytes", "Memory JetStream may use (max_memory)", js,
                j -> j.config() == null ? 0 : j.config().maxMemory());
        gauge("nats_jetstream_max_storage_bytes", "Storage JetStream may use (max_storage)", js,
                j -> j.config() == null ? 0 : j.config().maxStore());
        gauge("nats_jetstream_accounts", "JetStream-enabled accounts", js, j -> j.accounts().size());
        CounterWithCallback.builder().name("nats_jetstream_api_requests").help("JetStream API requests")
                .callback(cb -> cb.call(js.apiStats().total())).register(registry);
        CounterWithCallback.builder().name("nats_jetstream_api_errors")
                .help("JetStream API requests answered with an error")
                .callback(cb -> cb.call(js.apiStats().errors())).register(registry);
        gauge("nats_jetstream_api_inflight", "JetStream API requests being served", js,
                j -> j.apiStats().inflight());
        accountJsGauge("nats_jetstream_account_memory_bytes", "Memory used by the account's streams", js,
                u -> u.memory());
        accountJsGauge("nats_jetstream_account_storage_bytes", "Storage used by the account's streams", js,
                u -> u.storage());
        accountJsGauge("nats_jetstream_account_streams", "Streams of the account", js, u -> u.streams());
        accountJsGauge("nats_jetstream_account_consumers", "Consumers of the account's streams", js,
                u -> u.consumers());
        CounterWithCallback.builder().name("nats_jetstream_account_api_requests")
                .help("JetStream API requests of the account").labelNames("account").callback(cb -> {
                    for (JsAccount jsa : js.accounts()) {
                        cb.call(jsa.usage().api().total(), jsa.account().name());
                    }
                }).register(registry);
        CounterWithCallback.builder().name("nats_jetstream_account_api_errors")
                .help("JetStream API requests of the account answered with an error").labelNames("account")
                .callback(cb -> {
                    for (JsAccount jsa : js.accounts()) {
                        cb.call(jsa.usage().api().errors(), jsa.account().name());
                    }
                }).register(registry);
        streamGauge("nats_jetstream_stream_messages", "Messages in the stream", js, StreamInfo.State::messages);
        streamGauge("nats_jetstream_stream_bytes", "Bytes of the stream's messages", js, StreamInfo.State::bytes);
        streamGauge("nats_jetstream_stream_first_seq", "The stream's first sequence", js,
                StreamInfo.State::firstSeq);
        streamGauge("nats_jetstream_stream_last_seq", "The stream's last sequence", js, StreamInfo.State::lastSeq);
        streamGauge("nats_jetstream_stream_consumers", "Consumers of the stream", js, StreamInfo.State::consumers);
    }

    private void accountJsGauge(String name, String help, JetStream js, ToDoubleFunction<AccountStats> value) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("account").callback(cb -> {
            for (JsAccount jsa : js.accounts()) {
                cb.call(value.applyAsDouble(jsa.usage()), jsa.account().name());
            }
        }).register(registry);
    }

    /** A per-stream gauge (labels {@code account}, {@code stream}, {@code storage}) read from the fast state. */
    private void streamGauge(String name, String help, JetStream js, ToDoubleFunction<StreamInfo.State> value) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("account", "stream", "storage").callback(cb -> {
            for (JsAccount jsa : js.accounts()) {
                for (Stream s : jsa.streams()) {
                    cb.call(value.applyAsDouble(s.state()), jsa.account().name(), s.name(),
                            s.config().storage() == StorageType.MEMORY ? "memory" : "file");
                }
            }
        }).register(registry);
    }

    /** A gauge without labels read from {@code source} (the server, or its JetStream). */
    private <T> void gauge(String name, String help, T source, ToDoubleFunction<T> value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.applyAsDouble(source)))
                .register(registry);
    }

    private void counter(String name, String help, NatsServer server, ToDoubleFunction<NatsServer> value) {
        CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.applyAsDouble(server)))
                .register(registry);
    }

    private void accountGauge(String name, String help, NatsServer server, ToDoubleFunction<Account> value) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("account").callback(cb -> {
            for (Account a : server.accounts()) {
                cb.call(value.applyAsDouble(a), a.name());
            }
        }).register(registry);
    }

    private void accountCounter(String name, String help, NatsServer server, ToDoubleFunction<Account> value) {
        CounterWithCallback.builder().name(name).help(help).labelNames("account").callback(cb -> {
            for (Account a : server.accounts()) {
                cb.call(value.applyAsDouble(a), a.name());
            }
        }).register(registry);
    }

    /** The scrape: the format the {@code Accept} header asks for, restricted to {@code name[]} if given. */
    HttpReply scrape(QueryParams query, Map<String, String> requestHeaders) {
        List<String> names = query.all("name[]");
        MetricSnapshots snapshots = names.isEmpty() ? registry.scrape()
                : registry.scrape(Set.copyOf(names)::contains);
        ExpositionFormatWriter writer = formats.findWriter(requestHeaders.get("accept"));
        ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
        try {
            writer.write(body, snapshots);
        } catch (IOException e) {
            LOG.error("monitoring: writing metrics failed: " + e);
            return HttpReply.text(500, e.toString());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", writer.getContentType());
        return new HttpReply(200, headers, body.toByteArray());
    }

    /** The registry, for embedders that want to add their own metrics to {@code /metrics}. */
    PrometheusRegistry registry() {
        return registry;
    }
}
