package io.jnatsd.server.jetstream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The configuration JetStream runs with once started: the options resolved against the machine (memory and disk
 * sizes, the store directory with {@code /jetstream} appended) ({@code server/jetstream.go JetStreamConfig}).
 * Immutable.
 *
 * @param maxMemory          memory streams may use in total, bytes
 * @param maxStore           file streams may use in total, bytes
 * @param storeDir           the store directory ({@code <store_dir>/jetstream})
 * @param syncIntervalNanos  how often file stores fsync
 * @param syncAlways         fsync every write
 * @param domain             the JetStream domain, or empty
 * @param compressOk         always true: stream compression is supported
 * @param uniqueTag          the unique tag, or empty
 * @param strict             strict API JSON
 */
// nats-server: jetstream.go JetStreamConfig
public record JetStreamConfig(@JsonProperty("max_memory") long maxMemory,
                              @JsonProperty("max_storage") long maxStore,
                              @JsonProperty("store_dir") @JsonInclude(JsonInclude.Include.NON_EMPTY) String storeDir,
                              @JsonProperty("sync_interval") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
                              long syncIntervalNanos,
                              @JsonProperty("sync_always") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
                              boolean syncAlways,
                              @JsonProperty("domain") @JsonInclude(JsonInclude.Include.NON_EMPTY) String domain,
                              @JsonProperty("compress_ok") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
                              boolean compressOk,
                              @JsonProperty("unique_tag") @JsonInclude(JsonInclude.Include.NON_EMPTY) String uniqueTag,
                              @JsonProperty("strict") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean strict) {
}
