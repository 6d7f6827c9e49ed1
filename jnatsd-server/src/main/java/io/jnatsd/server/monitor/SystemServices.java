package io.jnatsd.server.monitor;

import java.util.List;

/**
 * The services the system account exports and every other account imports (nats-server's
 * {@code addSystemAccountExports} and {@code registerSystemImports}, events.go): what {@code /accountz} lists and
 * what {@code io.jnatsd.server.events.SystemRequests} answers in the importing account's name. Stateless.
 */
public final class SystemServices {

    private SystemServices() {
    }

    /**
     * An export of the system account.
     *
     * @param subject      the exported subject
     * @param responseType {@code Streamed} or {@code Singleton}
     */
    public record Service(String subject, String responseType) {
    }

    /**
     * An import of an account from the system account.
     *
     * @param from  what the importing account publishes to
     * @param to    the system account's subject it reaches
     * @param share whether the requester's details travel with it
     */
    public record Import(String from, String to, boolean share) {
    }

    private static final List<Service> SYSTEM_EXPORTS = List.of(
            new Service("$SYS.REQ.ACCOUNT.*.CONNZ", "Streamed"),
            new Service("$SYS.REQ.ACCOUNT.*.STATZ", "Streamed"),
            new Service("$SYS.DEBUG.SUBSCRIBERS", "Singleton"),
            new Service("$SYS.REQ.USER.*.INFO", "Singleton"));

    /** The system account's exports (none for other accounts). */
    // nats-server: events.go addSystemAccountExports
    public static List<Service> exports(boolean systemAccount) {
        return systemAccount ? SYSTEM_EXPORTS : List.of();
    }

    /** What {@code account} (not the system account) imports from the system account. */
    // nats-server: events.go registerSystemImports
    public static List<Import> imports(String account) {
        String connz = "$SYS.REQ.ACCOUNT." + account + ".CONNZ";
        return List.of(
                new Import("$SYS.REQ.ACCOUNT.PING.CONNZ", connz, false),
                new Import("$SYS.REQ.SERVER.PING.CONNZ", connz, false),
                new Import("$SYS.REQ.ACCOUNT.PING.STATZ", "$SYS.REQ.ACCOUNT." + account + ".STATZ", false),
                new Import("$SYS.REQ.USER.INFO", "$SYS.REQ.USER." + account + ".INFO", true));
    }
}
