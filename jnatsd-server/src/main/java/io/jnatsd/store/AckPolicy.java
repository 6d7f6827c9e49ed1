package io.jnatsd.store;

/** How a consumer acknowledges: the JSON {@code ack_policy} value, as far as consumer state storage cares. */
// nats-server: consumer.go AckPolicy
public enum AckPolicy implements JsonEnum {
    /** Nothing is acknowledged; delivery moves the ack floor. */
    NONE,
    /** Acknowledging a message acknowledges every earlier one. */
    ALL,
    /** Each message is acknowledged on its own. */
    EXPLICIT,
    /** Flow-control acknowledgements, stored like {@link #ALL}. */
    FLOW_CONTROL;
}
