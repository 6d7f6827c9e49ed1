package io.jnatsd.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A stream or service an account exports ({@code exports} entries of an account in config mode,
 * {@code server/opts.go parseExportStreamOrService}; also built from account JWT exports in operator mode).
 * <p>
 * Who may import it: anyone when {@code accounts} is null and neither a token nor an account token position is
 * required; else the accounts named in {@code accounts}, or (with {@code accountTokenPosition} N) any account whose
 * name is token N of the imported subject, or (with {@code tokenRequired}) an account presenting an activation
 * token ({@code server/accounts.go setExportAuth}, {@code checkAuth}).
 * <p>
 * Immutable.
 *
 * @param service              true for a service, false for a stream
 * @param subject              the exported subject (may hold wildcards)
 * @param accounts             the accounts allowed to import it, or null for a public export
 * @param tokenRequired        importers need an activation token (operator mode {@code token_req})
 * @param revocations          activation revocations: importer account (or {@code *}) to Unix seconds
 * @param responseType         services: how many responses a request may get
 * @param responseThreshold    services: how long a request waits for its response; null for the default
 *                             ({@link #DEFAULT_RESPONSE_THRESHOLD})
 * @param latency              services: latency tracking, or null
 * @param accountTokenPosition 1-based position of the token that must be the importer's account name, 0 for none
 * @param allowTrace           services: message tracing may cross into the exporting account
 */
public record ExportOptions(boolean service, String subject, List<String> accounts, boolean tokenRequired,
                            Map<String, Long> revocations, ResponseType responseType, Duration responseThreshold,
                            Latency latency, int accountTokenPosition, boolean allowTrace) {

    /** How long a service export waits for responses by default (DEFAULT_SERVICE_EXPORT_RESPONSE_THRESHOLD). */
    public static final Duration DEFAULT_RESPONSE_THRESHOLD = Duration.ofMinutes(2);

    public ExportOptions {
        Objects.requireNonNull(subject, "subject");
        accounts = accounts == null ? null : List.copyOf(accounts);
        revocations = Map.copyOf(Objects.requireNonNullElse(revocations, Map.of()));
        responseType = Objects.requireNonNullElse(responseType, ResponseType.SINGLETON);
    }

    /** A public stream export of {@code subject}. */
    public static ExportOptions stream(String subject) {
        return new ExportOptions(false, subject, null, false, null, null, null, null, 0, false);
    }

    /** A public singleton service export of {@code subject}. */
    public static ExportOptions service(String subject) {
        return new ExportOptions(true, subject, null, false, null, null, null, null, 0, false);
    }

    /** A copy limited to {@code value} (null: public). */
    public ExportOptions withAccounts(List<String> value) {
        return new ExportOptions(service, subject, value, tokenRequired, revocations, responseType,
                responseThreshold, latency, accountTokenPosition, allowTrace);
    }

    /** A copy with {@code value} as the response type. */
    public ExportOptions withResponseType(ResponseType value) {
        return new ExportOptions(service, subject, accounts, tokenRequired, revocations, value, responseThreshold,
                latency, accountTokenPosition, allowTrace);
    }

    /** A copy with {@code value} as the response threshold. */
    public ExportOptions withResponseThreshold(Duration value) {
        return new ExportOptions(service, subject, accounts, tokenRequired, revocations, responseType, value,
                latency, accountTokenPosition, allowTrace);
    }

    /** A copy with {@code value} as latency tracking (null: none). */
    public ExportOptions withLatency(Latency value) {
        return new ExportOptions(service, subject, accounts, tokenRequired, revocations, responseType,
                responseThreshold, value, accountTokenPosition, allowTrace);
    }

    /** A copy with {@code value} as the account token position. */
    public ExportOptions withAccountTokenPosition(int value) {
        return new ExportOptions(service, subject, accounts, tokenRequired, revocations, responseType,
                responseThreshold, latency, value, allowTrace);
    }

    /** The response threshold in force: the configured one or the default. */
    public Duration effectiveResponseThreshold() {
        return responseThreshold == null ? DEFAULT_RESPONSE_THRESHOLD : responseThreshold;
    }

    /** Whether anyone may import it without naming, token or position checks. */
    public boolean isPublic() {
        return (accounts == null || accounts.isEmpty()) && !tokenRequired && accountTokenPosition == 0;
    }

    /** Service response types ({@code server/accounts.go ServiceRespType}). */
    public enum ResponseType {
        /** One response per request (the default). */
        SINGLETON("Singleton"),
        /** Any number of responses until the threshold passes without one. */
        STREAMED("Streamed"),
        /** As streamed (nats-server treats both alike). */
        CHUNKED("Chunked");

        private final String goName;

        ResponseType(String goName) {
            this.goName = goName;
        }

        /** nats-server's name ({@code ServiceRespType.String}). */
        public String goName() {
            return goName;
        }
    }

    /**
     * Service latency tracking ({@code latency} of a service export, {@code server/accounts.go serviceLatency}).
     *
     * @param subject         where the measurements are published, in the exporting account
     * @param samplingPercent 1..100, or 0 when requests carrying tracing headers decide
     */
    public record Latency(String subject, int samplingPercent) {

        /** Sampling decided by the request's tracing headers. */
        public static final int HEADER_SAMPLING = 0;
        /** {@code latency: "<subject>"} samples every request. */
        public static final int DEFAULT_SAMPLING = 100;
    }
}
