package io.jnatsd.server.monitor;

/**
 * What {@code /healthz} and the {@code HEALTHZ} requests ask for (nats-server's {@code HealthzOptions},
 * monitor.go).
 *
 * @param jsEnabled     deprecated {@code js-enabled}: as {@code jsEnabledOnly}
 * @param jsEnabledOnly only check that JetStream is enabled
 * @param jsServerOnly  only check that the server is ready (skip JetStream)
 * @param jsMetaOnly    only check the meta layer (clustered only; a standalone server ignores it)
 * @param account       the account to check, or empty
 * @param stream        the stream to check (needs {@code account}), or empty
 * @param consumer      the consumer to check (needs {@code stream}), or empty
 * @param details       report problems as a list
 */
// nats-server: monitor.go HealthzOptions
public record HealthzOptions(boolean jsEnabled, boolean jsEnabledOnly, boolean jsServerOnly, boolean jsMetaOnly,
                             String account, String stream, String consumer, boolean details) {

    public HealthzOptions {
        account = account == null ? "" : account;
        stream = stream == null ? "" : stream;
        consumer = consumer == null ? "" : consumer;
    }
}
