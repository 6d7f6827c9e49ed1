/**
 * HTTP(S) monitoring: nats-server's {@code server/monitor.go}, {@code monitor_sort_opts.go} and the monitoring part
 * of {@code server/server.go} ({@code startMonitoring}).
 * <ul>
 *   <li>{@link io.jnatsd.server.monitor.Monitoring} builds what every endpoint reports ({@code /varz},
 *       {@code /connz}, {@code /subsz}, {@code /accountz}, {@code /accstatz}, {@code /healthz}, ...) as records
 *       written with {@link io.jnatsd.common.GoJson}; the {@code $SYS} requests of {@code io.jnatsd.server.events}
 *       reuse it. {@code JetStreamReports} builds JetStream's parts ({@code /jsz}, the {@code jetstream} object of
 *       {@code /varz} and STATSZ, the JetStream checks of {@code /healthz}) from the engine's read-only accessors
 *       ({@code server/monitor.go} {@code Jsz}, {@code accountDetail}, {@code healthz}).</li>
 *   <li>{@link io.jnatsd.server.monitor.MonitorServer} is the Netty HTTP listener ({@code codec-http} on the
 *       server's event loops); {@code MonitorRoutes} maps paths (under {@code http_base_path}) to endpoints, with
 *       nats-server's parameter decoding and error texts ({@code QueryParams}).</li>
 *   <li>{@code MetricsExporter} serves {@code /metrics} (Prometheus), JetStream's figures included when it is
 *       on.</li>
 * </ul>
 * Threads: a request is read on an event loop and answered on a virtual thread, because connections are read
 * through {@link io.jnatsd.server.conn.Connection#snapshot}, which runs on each connection's own event loop and is
 * waited for. Nothing here is on the message path.
 */
package io.jnatsd.server.monitor;
