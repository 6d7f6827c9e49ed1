package io.jnatsd.bench.tool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one run of one case on one server produced: metrics in display order, the delivery check, notes (such as
 * "generator near its ceiling") and extras for the JSON output only (such as the encoded latency histogram).
 * Built by the case on the runner thread; immutable once returned.
 */
final class CaseResult {

    private final List<Metric> metrics;
    private final Verification verification;
    private final List<String> notes;
    private final Map<String, Object> extras;

    CaseResult(List<Metric> metrics, Verification verification, List<String> notes, Map<String, Object> extras) {
        this.metrics = List.copyOf(metrics);
        this.verification = verification;
        this.notes = List.copyOf(notes);
        this.extras = new LinkedHashMap<>(extras);
    }

    CaseResult(List<Metric> metrics, Verification verification, List<String> notes) {
        this(metrics, verification, notes, Map.of());
    }

    List<Metric> metrics() {
        return metrics;
    }

    /** The metric called {@code name}, if the run produced it. */
    Optional<Metric> metric(String name) {
        return metrics.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    Verification verification() {
        return verification;
    }

    List<String> notes() {
        return notes;
    }

    Map<String, Object> extras() {
        return Map.copyOf(extras);
    }

    /** The same result with one more note. */
    CaseResult withNote(String note) {
        List<String> more = new ArrayList<>(notes);
        more.add(note);
        return new CaseResult(metrics, verification, more, extras);
    }
}
