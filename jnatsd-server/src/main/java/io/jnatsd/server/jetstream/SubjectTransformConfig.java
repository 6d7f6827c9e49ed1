package io.jnatsd.server.jetstream;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A subject transform: messages whose subject matches {@code src} get the subject {@code dest} maps them to
 * ({@code server/stream.go SubjectTransformConfig}). Immutable.
 *
 * @param source      {@code src}
 * @param destination {@code dest}
 */
// nats-server: stream.go SubjectTransformConfig
public record SubjectTransformConfig(@JsonProperty("src") String source, @JsonProperty("dest") String destination) {

    public SubjectTransformConfig {
        source = source == null ? "" : source;
        destination = destination == null ? "" : destination;
    }
}
