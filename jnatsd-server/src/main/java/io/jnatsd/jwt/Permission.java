package io.jnatsd.jwt;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Objects;

/**
 * Allowed and denied subjects for publish or subscribe ({@code types.go Permission}); subscribe entries may carry a
 * queue after a space. Immutable.
 *
 * @param allow subjects allowed; empty means no allow list
 * @param deny  subjects denied
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Permission(List<String> allow, List<String> deny) {

    /** No restriction. */
    public static final Permission NONE = new Permission(List.of(), List.of());

    public Permission {
        allow = List.copyOf(Objects.requireNonNullElse(allow, List.of()));
        deny = List.copyOf(Objects.requireNonNullElse(deny, List.of()));
    }

    public static Permission allow(String... subjects) {
        return new Permission(List.of(subjects), List.of());
    }

    public static Permission deny(String... subjects) {
        return new Permission(List.of(), List.of(subjects));
    }

    /** Whether neither list has entries. */
    @JsonIgnore
    public boolean isEmpty() {
        return allow.isEmpty() && deny.isEmpty();
    }
}
