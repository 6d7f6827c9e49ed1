package io.jnatsd.server.jetstream;

import com.fasterxml.jackson.databind.JsonNode;
import io.jnatsd.common.GoJson;

import java.io.IOException;
import java.math.BigInteger;

/**
 * Counter messages ({@code allow_msg_counter}): the stored payload {@code {"val":"<total>"}}
 * ({@code server/stream.go CounterValue}). Stateless; thread-safe.
 */
// nats-server: stream.go CounterValue
final class Counters {

    private Counters() {
    }

    /** The total a stored counter message holds, or null when it is not a counter payload (10172). */
    static BigInteger value(byte[] payload) {
        try {
            JsonNode node = GoJson.mapper().readTree(payload);
            if (node == null || !node.isObject()) {
                return null;
            }
            JsonNode val = node.get("val");
            if (val == null || val.isNull()) {
                return BigInteger.ZERO;
            }
            if (!val.isTextual()) {
                return null;
            }
            try {
                return new BigInteger(val.asText());
            } catch (NumberFormatException e) {
                return BigInteger.ZERO;
            }
        } catch (IOException e) {
            return null;
        }
    }
}
