package io.jnatsd.jwt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Objects;

/**
 * A stream or service an account takes from another ({@code imports.go Import}). Plain data: the server does not
 * wire it to accounts yet. Immutable.
 *
 * @param name         {@code name}
 * @param subject      {@code subject}: the exporter's subject
 * @param account      {@code account}: the exporting account's key
 * @param token        {@code token}: activation JWT (or, historically, a URL to one)
 * @param to           {@code to}: deprecated local subject
 * @param localSubject {@code local_subject}: the subject in the importing account
 * @param type         {@code type}: {@code stream} or {@code service}
 * @param share        {@code share}: share requestor details for latency tracking
 * @param allowTrace   {@code allow_trace}
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record Import(@JsonProperty("name") String name, @JsonProperty("subject") String subject,
                     @JsonProperty("account") String account, @JsonProperty("token") String token,
                     @JsonProperty("to") String to, @JsonProperty("local_subject") String localSubject,
                     @JsonProperty("type") String type, @JsonProperty("share") boolean share,
                     @JsonProperty("allow_trace") boolean allowTrace) {

    public Import {
        name = Objects.requireNonNullElse(name, "");
        subject = Objects.requireNonNullElse(subject, "");
        account = Objects.requireNonNullElse(account, "");
        token = Objects.requireNonNullElse(token, "");
        to = Objects.requireNonNullElse(to, "");
        localSubject = Objects.requireNonNullElse(localSubject, "");
        type = Objects.requireNonNullElse(type, "");
    }
}
