package io.jnatsd.server.monitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.jnatsd.config.JetStreamOptions;

/**
 * The server's {@code jetstream.limits} as {@code /varz}, {@code /jsz} and STATSZ report them (nats-server's
 * {@code JSLimitOpts}, opts.go): the configured values, unset ones left out ({@code {}} when none is set).
 *
 * @param maxRequestBatch           {@code max_request_batch}
 * @param maxAckPending             {@code max_ack_pending}
 * @param maxHaAssets               {@code max_ha_assets}
 * @param maxDuplicateWindowNanos   {@code duplicate_window}, nanoseconds
 * @param maxBatchInflightPerStream {@code batch.max_inflight_per_stream}
 * @param maxBatchInflightTotal     {@code batch.max_inflight_total}
 * @param maxBatchSize              {@code batch.max_msgs}
 * @param maxBatchTimeoutNanos      {@code batch.timeout}, nanoseconds
 */
// nats-server: opts.go JSLimitOpts
public record JsLimits(
        @JsonProperty("max_request_batch") @JsonInclude(Include.NON_DEFAULT) int maxRequestBatch,
        @JsonProperty("max_ack_pending") @JsonInclude(Include.NON_DEFAULT) int maxAckPending,
        @JsonProperty("max_ha_assets") @JsonInclude(Include.NON_DEFAULT) int maxHaAssets,
        @JsonProperty("max_duplicate_window") @JsonInclude(Include.NON_DEFAULT) long maxDuplicateWindowNanos,
        @JsonProperty("max_batch_inflight_per_stream") @JsonInclude(Include.NON_DEFAULT)
        int maxBatchInflightPerStream,
        @JsonProperty("max_batch_inflight_total") @JsonInclude(Include.NON_DEFAULT) int maxBatchInflightTotal,
        @JsonProperty("max_batch_size") @JsonInclude(Include.NON_DEFAULT) int maxBatchSize,
        @JsonProperty("max_batch_timeout") @JsonInclude(Include.NON_DEFAULT) long maxBatchTimeoutNanos) {

    /** The JSON form of the configured limits. */
    static JsLimits of(JetStreamOptions.Limits l) {
        return new JsLimits(l.maxRequestBatch(), l.maxAckPending(), l.maxHaAssets(), l.duplicateWindow().toNanos(),
                l.batchMaxInflightPerStream(), l.batchMaxInflightTotal(), l.batchMaxMsgs(),
                l.batchTimeout().toNanos());
    }
}
