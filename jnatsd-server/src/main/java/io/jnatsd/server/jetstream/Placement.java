package io.jnatsd.server.jetstream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * Where a clustered stream's replicas go ({@code server/jetstream_cluster.go Placement}). A standalone server keeps it
 * in the configuration only; an empty placement is dropped and {@code preferred} is refused. Immutable.
 *
 * @param cluster   the cluster name, or empty
 * @param tags      server tags, or null
 * @param preferred the preferred leader, or empty
 */
// nats-server: jetstream_cluster.go Placement
public record Placement(@JsonProperty("cluster") @JsonInclude(JsonInclude.Include.NON_EMPTY) String cluster,
                        @JsonProperty("tags") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> tags,
                        @JsonProperty("preferred") @JsonInclude(JsonInclude.Include.NON_EMPTY) String preferred) {

    /** Whether every field is empty (Go's {@code reflect.DeepEqual(p, &Placement{})}: a nil tag list only). */
    public boolean isEmpty() {
        return (cluster == null || cluster.isEmpty()) && tags == null && (preferred == null || preferred.isEmpty());
    }
}
