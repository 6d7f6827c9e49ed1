package io.jnatsd.config;

/**
 * Version strings. {@link #VERSION} is the nats-server version jnatsd is compatible with and reports wherever
 * nats-server reports its own (INFO, {@code -v}, the banner, monitoring), because clients and tools parse it.
 * {@link #JNATSD_VERSION} is this implementation's own version. Constants only; thread-safe.
 */
public final class Versions {

    /** The nats-server version jnatsd matches ({@code server/const.go VERSION}). */
    public static final String VERSION = "2.15.0-dev";

    /** The client protocol version ({@code server/const.go PROTO}). */
    public static final int PROTO = 1;

    /** JetStream API level reported in INFO ({@code server/jetstream_versioning.go JSApiLevel}). */
    public static final int JS_API_LEVEL = 5;

    /** The jnatsd release version. */
    public static final String JNATSD_VERSION = "0.1.0-SNAPSHOT";

    /** The program name nats-server prints in messages ({@code main.go exe}); kept because tools match it. */
    public static final String PROGRAM_NAME = "nats-server";

    private Versions() {
    }
}
