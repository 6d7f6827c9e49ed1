package io.jnatsd.server.jetstream.consumer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Where a consumer starts ({@code server/store.go DeliverPolicy}); {@code undefined} reads as {@link #ALL}. */
// nats-server: store.go DeliverPolicy
public enum DeliverPolicy {
    ALL("all"),
    LAST("last"),
    NEW("new"),
    BY_START_SEQUENCE("by_start_sequence"),
    BY_START_TIME("by_start_time"),
    LAST_PER_SUBJECT("last_per_subject");

    private final String json;

    DeliverPolicy(String json) {
        this.json = json;
    }

    /** The JSON name. */
    @JsonValue
    public String json() {
        return json;
    }

    /** The policy named {@code s} ({@code undefined} is all). */
    @JsonCreator
    public static DeliverPolicy of(String s) {
        if ("undefined".equals(s)) {
            return ALL;
        }
        for (DeliverPolicy p : values()) {
            if (p.json.equals(s)) {
                return p;
            }
        }
        throw new IllegalArgumentException("can not unmarshal \"" + s + "\"");
    }
}
