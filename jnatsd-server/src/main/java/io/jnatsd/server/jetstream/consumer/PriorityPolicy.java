package io.jnatsd.server.jetstream.consumer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How pull requests of priority groups are served (ADR-42, {@code server/consumer.go PriorityPolicy}). */
// nats-server: consumer.go PriorityPolicy
public enum PriorityPolicy {
    NONE("none"),
    OVERFLOW("overflow"),
    PINNED_CLIENT("pinned_client"),
    PRIORITIZED("prioritized");

    private final String json;

    PriorityPolicy(String json) {
        this.json = json;
    }

    /** The JSON name. */
    @JsonValue
    public String json() {
        return json;
    }

    /** The policy named {@code s}. */
    @JsonCreator
    public static PriorityPolicy of(String s) {
        for (PriorityPolicy p : values()) {
            if (p.json.equals(s)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown priority policy: \"" + s + "\"");
    }
}
