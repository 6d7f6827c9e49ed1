package io.jnatsd.config;

import java.util.Objects;

/**
 * A stream or service an account imports from another ({@code imports} entries of an account in config mode,
 * {@code server/opts.go parseImportStreamOrService}; also built from account JWT imports in operator mode).
 * <p>
 * A stream import delivers what the exporter publishes on {@code subject} to subscribers of the importing account,
 * under {@code prefix.subject} or the subject {@code to} maps it to. A service import lets clients of the importing
 * account publish requests on {@code to} (default: {@code subject}) that reach the exporter's {@code subject}.
 * <p>
 * Immutable.
 *
 * @param service    true for a service, false for a stream
 * @param account    the exporting account's name
 * @param subject    the subject in the exporting account
 * @param prefix     streams: the literal prefix of the local subject, or empty
 * @param to         the local subject (streams: a transform of {@code subject}), or empty
 * @param share      services: requestor details are shared with the exporter's latency results
 * @param allowTrace streams: message tracing may cross into the importing account
 * @param token      operator mode: the activation token (a JWT), or empty
 */
public record ImportOptions(boolean service, String account, String subject, String prefix, String to,
                            boolean share, boolean allowTrace, String token) {

    public ImportOptions {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(subject, "subject");
        prefix = Objects.requireNonNullElse(prefix, "");
        to = Objects.requireNonNullElse(to, "");
        token = Objects.requireNonNullElse(token, "");
    }

    /** A stream import of {@code subject} from {@code account} under {@code prefix} (empty: none). */
    public static ImportOptions stream(String account, String subject, String prefix) {
        return new ImportOptions(false, account, subject, prefix, "", false, false, "");
    }

    /** A service import of {@code subject} from {@code account}, published locally on {@code to}. */
    public static ImportOptions service(String account, String subject, String to) {
        return new ImportOptions(true, account, subject, "", to, false, false, "");
    }

    /** The local subject of a service import: {@code to}, or the exporter's subject. */
    public String localServiceSubject() {
        return to.isEmpty() ? subject : to;
    }
}
