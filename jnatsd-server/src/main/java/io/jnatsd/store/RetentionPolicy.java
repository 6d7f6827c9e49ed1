package io.jnatsd.store;

/** When a stream may drop a message besides its limits: the JSON {@code retention} value. */
// nats-server: store.go RetentionPolicy
public enum RetentionPolicy {
    /** Keep messages until a limit (count, bytes, age, per subject) removes them. */
    LIMITS("limits"),
    /** Keep a message while a consumer that matches it has not acknowledged it. */
    INTEREST("interest"),
    /** Remove a message once one consumer acknowledged it. */
    WORK_QUEUE("workqueue");

    private final String jsonName;

    RetentionPolicy(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The JSON spelling ({@code "limits"}, {@code "interest"}, {@code "workqueue"}). */
    public String jsonName() {
        return jsonName;
    }
}
