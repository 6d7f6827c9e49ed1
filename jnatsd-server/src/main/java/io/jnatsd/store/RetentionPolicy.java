package io.jnatsd.store;

/** When a stream may drop a message besides its limits: the JSON {@code retention} value. */
// nats-server: store.go RetentionPolicy
public enum RetentionPolicy implements JsonEnum {
    /** Keep messages until a limit (count, bytes, age, per subject) removes them. */
    LIMITS,
    /** Keep a message while a consumer that matches it has not acknowledged it. */
    INTEREST,
    /** Remove a message once one consumer acknowledged it. */
    WORK_QUEUE;

    /** The JSON spelling ({@code "limits"}, {@code "interest"}, {@code "workqueue"}: no underscore, as in Go). */
    @Override
    public String jsonName() {
        return this == WORK_QUEUE ? "workqueue" : JsonEnum.super.jsonName();
    }
}
