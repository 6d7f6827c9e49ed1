package io.jnatsd.systest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prepares the JSON answers of jnatsd and nats-server for a side-by-side comparison: parsing, times replaced by a
 * placeholder, and fields newer than nats-server 2.9.10 dropped from jnatsd's answer (any other extra field fails).
 */
final class GoJsonDiff {

    private static final ObjectMapper JSON = new ObjectMapper();

    private GoJsonDiff() {
    }

    /** {@code s} as a JSON object, or null when it is not one (a status line, no response). */
    static JsonNode parse(String s) {
        if (!s.startsWith("{")) {
            return null;
        }
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            return null;
        }
    }

    /** Times (RFC 3339, not Go's zero time) become a placeholder, at any depth. */
    static void normalize(JsonNode node) {
        if (node instanceof ObjectNode o) {
            Iterator<Map.Entry<String, JsonNode>> it = o.fields();
            List<String> times = new ArrayList<>();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isTextual() && e.getValue().asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z")
                        && !e.getValue().asText().startsWith("0001-")) {
                    times.add(e.getKey());
                } else {
                    normalize(e.getValue());
                }
            }
            times.forEach(t -> o.put(t, "<time>"));
        } else if (node != null && node.isArray()) {
            node.forEach(GoJsonDiff::normalize);
        }
    }

    /** Drops from {@code ours} the fields 2.9.10 does not write, failing on an extra field not in {@code newer}. */
    static void removeNewer(JsonNode ours, JsonNode theirs, String what, Set<String> newer) {
        if (ours instanceof ObjectNode o && theirs instanceof ObjectNode t) {
            List<String> extra = new ArrayList<>();
            o.fieldNames().forEachRemaining(f -> {
                if (!t.has(f)) {
                    extra.add(f);
                }
            });
            for (String f : extra) {
                assertThat(newer).as(what + ": unexpected field " + f).contains(f);
                o.remove(f);
            }
            o.fieldNames().forEachRemaining(f -> removeNewer(o.get(f), t.get(f), what, newer));
        } else if (ours != null && ours.isArray() && theirs != null && theirs.isArray()) {
            for (int i = 0; i < Math.min(ours.size(), theirs.size()); i++) {
                removeNewer(ours.get(i), theirs.get(i), what, newer);
            }
        }
    }
}
