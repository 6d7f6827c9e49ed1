package io.jnatsd.server.conn;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON readers of a connection's CONNECT and INFO arguments. A class of their own, so that building them
 * (Jackson's bean deserializer for {@link ClientOptions}: tens of milliseconds in a fresh JVM) happens when the
 * first CONNECT arrives or when {@link #prepare()} runs, not while the server starts. Thread-safe.
 */
final class ConnectJson {

    /** CONNECT: Go's field matching (case-insensitive), no coercion across JSON types, unknown fields ignored. */
    static final ObjectReader CONNECT = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build()
            .readerFor(ClientOptions.class);

    /** INFO from a peer: only checked to be JSON. */
    static final ObjectMapper INFO = new ObjectMapper();

    private ConnectJson() {
    }

    /** Builds the readers now (the server calls it on a background thread once it is ready). */
    static void prepare() {
        // class initialisation has built them
    }
}
