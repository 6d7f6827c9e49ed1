package io.jnatsd.config;

/** Version strings. jnatsd reports the nats-server version whose behaviour it follows, as clients and tools expect. */
public final class Versions {
    /** The nats-server version jnatsd is compatible with, reported in INFO, -v and monitoring. */
    public static final String VERSION = "2.15.0-dev";
    /** The client protocol version. */
    public static final int PROTO = 1;
    /** JetStream API level reported in INFO. */
    public static final int JS_API_LEVEL = 0;
    /** jnatsd's own version. */
    public static final String JNATSD_VERSION = "0.1.0";

    private Versions() {
    }
}
