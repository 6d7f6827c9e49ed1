package io.jnatsd.server.jetstream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Republishing of stored messages ({@code server/stream.go RePublish}): each stored message matching {@code src} is
 * published again on the subject {@code dest} maps it to, with stream headers added. Immutable.
 *
 * @param source      {@code src} (empty means {@code >} after validation)
 * @param destination {@code dest}
 * @param headersOnly {@code headers_only}: no body, {@code Nats-Msg-Size} added
 */
// nats-server: stream.go RePublish
public record RePublish(@JsonProperty("src") @JsonInclude(JsonInclude.Include.NON_EMPTY) String source,
                        @JsonProperty("dest") String destination,
                        @JsonProperty("headers_only") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
                        boolean headersOnly) {

    public RePublish {
        source = source == null ? "" : source;
        destination = destination == null ? "" : destination;
    }
}
