package io.jnatsd.server.monitor;

import java.util.ArrayList;
import java.util.List;

/**
 * The services the system account exports and every other account imports (nats-server's
 * {@code addSystemAccountExports} and {@code registerSystemImports}, events.go, and with JetStream the API's
 * {@code setupJetStreamExports} and {@code enableAllJetStreamServiceImportsAndMappings}, jetstream.go): what
 * {@code /accountz} lists and what {@code io.jnatsd.server.events.SystemRequests} and the JetStream API answer in the
 * importing account's name. Stateless.
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

    /** The JetStream API, exported by the system account and imported (shared) by every other account. */
    private static final String JS_ALL_API = "$JS.API.>";

    /** The system account's exports (none for other accounts), with the JetStream API's when JetStream is on. */
    // nats-server: events.go addSystemAccountExports, jetstream.go setupJetStreamExports
    public static List<Service> exports(boolean systemAccount, boolean jetStream) {
        if (!systemAccount) {
            return List.of();
        }
        if (!jetStream) {
            return SYSTEM_EXPORTS;
        }
        List<Service> all = new ArrayList<>(SYSTEM_EXPORTS);
        all.add(new Service(JS_ALL_API, "Singleton"));
        return all;
    }

    /**
     * What {@code account} (not the system account) imports from the system account, with the JetStream API when
     * JetStream is on (whether the account has JetStream or not, so that it is told it has none).
     */
    // nats-server: events.go registerSystemImports, jetstream.go enableAllJetStreamServiceImportsAndMappings
    public static List<Import> imports(String account, boolean jetStream) {
        String connz = "$SYS.REQ.ACCOUNT." + account + ".CONNZ";
        List<Import> all = new ArrayList<>(List.of(
                new Import("$SYS.REQ.ACCOUNT.PING.CONNZ", connz, false),
                new Import("$SYS.REQ.SERVER.PING.CONNZ", connz, false),
                new Import("$SYS.REQ.ACCOUNT.PING.STATZ", "$SYS.REQ.ACCOUNT." + account + ".STATZ", false),
                new Import("$SYS.REQ.USER.INFO", "$SYS.REQ.USER." + account + ".INFO", true)));
        if (jetStream) {
            all.add(new Import(JS_ALL_API, JS_ALL_API, true));
        }
        return List.copyOf(all);
    }
}
