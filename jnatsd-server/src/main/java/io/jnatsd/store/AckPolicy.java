package io.jnatsd.store;

/** How a consumer acknowledges: the JSON {@code ack_policy} value, as far as consumer state storage cares. */
// nats-server: consumer.go AckPolicy
public enum AckPolicy {
    /** Nothing is acknowledged; delivery moves the ack floor. */
    NONE("none"),
    /** Acknowledging a message acknowledges every earlier one. */
    ALL("all"),
    /** Each message is acknowledged on its own. */
    EXPLICIT("explicit"),
    /** Flow-control acknowledgements, stored like {@link #ALL}. */
    FLOW_CONTROL("flow_control");

    private final String jsonName;

    AckPolicy(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The JSON spelling. */
    public String jsonName() {
        return jsonName;
    }
}
