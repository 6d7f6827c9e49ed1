package io.jnatsd.store;

import java.util.Locale;

/**
 * A store enum spelled in JSON (stream and consumer configurations, meta files) as its constant's name in lower case:
 * {@code DiscardPolicy.NEW} is {@code "new"}, {@code AckPolicy.FLOW_CONTROL} is {@code "flow_control"}. An enum
 * spelled otherwise overrides {@link #jsonName()} ({@code RetentionPolicy.WORK_QUEUE} is {@code "workqueue"}).
 */
// nats-server: store.go / consumer.go MarshalJSON of the policy types
public interface JsonEnum {

    /** The constant's name (implemented by every enum). */
    String name();

    /** The JSON spelling. */
    default String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
