package io.jnatsd.server.jetstream.consumer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How fast a consumer replays stored messages ({@code server/store.go ReplayPolicy}). */
// nats-server: store.go ReplayPolicy
public enum ReplayPolicy {
    INSTANT("instant"),
    ORIGINAL("original");

    private final String json;

    ReplayPolicy(String json) {
        this.json = json;
    }

    /** The JSON name. */
    @JsonValue
    public String json() {
        return json;
    }

    /** The policy named {@code s}. */
    @JsonCreator
    public static ReplayPolicy of(String s) {
        for (ReplayPolicy p : values()) {
            if (p.json.equals(s)) {
                return p;
            }
        }
        throw new IllegalArgumentException("can not unmarshal \"" + s + "\"");
    }
}
