package io.jnatsd.jwt;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Objects;

/**
 * Publish, subscribe and response permissions ({@code types.go Permissions}), as in account
 * {@code default_permissions}. Immutable.
 *
 * @param publish   {@code pub}
 * @param subscribe {@code sub}
 * @param response  {@code resp}, or null for none
 */
public record Permissions(@JsonProperty("pub") Permission publish, @JsonProperty("sub") Permission subscribe,
                          @JsonProperty("resp") @JsonInclude(JsonInclude.Include.NON_NULL)
                          ResponsePermission response) {

    /** No restriction. */
    public static final Permissions NONE = new Permissions(Permission.NONE, Permission.NONE, null);

    public Permissions {
        publish = Objects.requireNonNullElse(publish, Permission.NONE);
        subscribe = Objects.requireNonNullElse(subscribe, Permission.NONE);
    }

    /** Whether nothing is restricted and no response permission is set. */
    @JsonIgnore
    public boolean isEmpty() {
        return publish.isEmpty() && subscribe.isEmpty() && response == null;
    }
}
