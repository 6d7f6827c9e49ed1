package io.jnatsd.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.jnatsd.common.GoJson;
import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.jwt.AccountClaims;
import io.jnatsd.jwt.Jwt;
import io.jnatsd.jwt.JwtCodec;
import io.jnatsd.jwt.JwtException;
import io.jnatsd.nkeys.NKey;
import io.jnatsd.nkeys.NKeyType;
import io.jnatsd.server.account.AccountResolver;
import io.jnatsd.server.account.DirAccountResolver;
import io.jnatsd.server.account.JwtAccount;
import io.jnatsd.server.account.JwtAccounts;
import io.jnatsd.server.conn.Connection;
import io.jnatsd.server.conn.Subscription;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * The account resolver's requests on the system account ({@code server/accounts.go DirAccResolver.Start},
 * {@code CacheDirAccResolver.Start}, {@code respondToUpdate}, {@code handleListRequest},
 * {@code handleDeleteRequest}; {@code server/events.go accountClaimUpdate}):
 * <pre>
 *   $SYS.REQ.ACCOUNT.&lt;acc&gt;.CLAIMS.UPDATE, $SYS.ACCOUNT.&lt;acc&gt;.CLAIMS.UPDATE   every resolver
 *   $SYS.REQ.CLAIMS.UPDATE                                                   directory resolvers
 *   $SYS.REQ.ACCOUNT.&lt;acc&gt;.CLAIMS.LOOKUP, $SYS.REQ.CLAIMS.PACK (queue responder),
 *   $SYS.REQ.CLAIMS.LIST, $SYS.REQ.CLAIMS.DELETE                               full resolver
 * </pre>
 * Requests are handled one at a time on a virtual thread (they do file I/O), never on the publisher's event loop.
 */
final class ResolverService implements AutoCloseable {

    private static final NatsLogger LOG = NatsLogger.get(ResolverService.class);

    private final JwtAccounts accounts;
    private final AccountResolver resolver;
    private final Connection system;
    private final OperatorMode.ServerInfoSource info;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(Thread.ofVirtual()
            .name("jnatsd-resolver").factory());
    private final List<Subscription> subscriptions = new ArrayList<>();

    private ResolverService(JwtAccounts accounts, Connection system, OperatorMode.ServerInfoSource info) {
        this.accounts = accounts;
        this.resolver = accounts.resolver();
        this.system = system;
        this.info = info;
    }

    static ResolverService start(JwtAccounts accounts, Connection system, OperatorMode.ServerInfoSource info) {
        ResolverService service = new ResolverService(accounts, system, info);
        service.subscribe("$SYS.REQ.ACCOUNT.*.CLAIMS.UPDATE", null, service::onAccountUpdate);
        service.subscribe("$SYS.ACCOUNT.*.CLAIMS.UPDATE", null, service::onAccountUpdate);
        if (service.resolver instanceof DirAccountResolver dir) {
            service.subscribe("$SYS.REQ.CLAIMS.UPDATE", null, service::onClaimsUpdate);
            if (!dir.isCache()) {
                service.subscribe("$SYS.REQ.ACCOUNT.*.CLAIMS.LOOKUP", null, service::onLookup);
                service.subscribe("$SYS.REQ.CLAIMS.PACK", "responder", service::onPack);
                service.subscribe("$SYS.REQ.CLAIMS.LIST", null, service::onList);
                service.subscribe("$SYS.REQ.CLAIMS.DELETE", null, service::onDelete);
            }
        }
        return service;
    }

    private interface Handler {
        void handle(String subject, String reply, byte[] payload);
    }

    private void subscribe(String subject, String queue, Handler handler) {
        subscriptions.add(system.subscribeInternal(subject, queue,
                (sub, publisher, subj, reply, headers, payload) -> {
                    try {
                        worker.execute(() -> {
                            try {
                                handler.handle(subj, reply, payload);
                            } catch (RuntimeException e) {
                                LOG.error("Resolver request on " + subj + " failed: " + e, e);
                            }
                        });
                    } catch (RejectedExecutionException e) {
                        LOG.debug("Resolver request on " + subj + " dropped: shutting down");
                    }
                }));
    }

    /** {@code $SYS.REQ.ACCOUNT.<acc>.CLAIMS.UPDATE} and the legacy {@code $SYS.ACCOUNT.<acc>.CLAIMS.UPDATE}. */
    private void onAccountUpdate(String subject, String reply, byte[] payload) {
        String[] tokens = subject.split("\\.");
        String accountKey = tokens.length == 6 ? tokens[3] : tokens.length == 5 ? tokens[2] : "";
        if (accountKey.isEmpty()) {
            LOG.debug("Received account claims update on bad subject \"" + subject + "\"");
            return;
        }
        if (payload.length == 0) {
            respond(reply, accountKey, "jwt update error", "request body is empty");
            return;
        }
        Jwt jwt;
        AccountClaims claims;
        try {
            jwt = JwtCodec.decode(new String(payload, StandardCharsets.UTF_8));
            claims = jwt.account();
        } catch (JwtException e) {
            respond(reply, resolver instanceof DirAccountResolver ? "n/a" : accountKey,
                    "jwt update resulted in error", e.getMessage());
            return;
        }
        if (!jwt.subject().equals(accountKey)) {
            respond(reply, accountKey, "jwt update resulted in error", "subject does not match jwt content");
            return;
        }
        update(reply, jwt, claims);
    }

    /** {@code $SYS.REQ.CLAIMS.UPDATE}: the account comes from the JWT subject. */
    private void onClaimsUpdate(String subject, String reply, byte[] payload) {
        Jwt jwt;
        AccountClaims claims;
        try {
            jwt = JwtCodec.decode(new String(payload, StandardCharsets.UTF_8));
            claims = jwt.account();
        } catch (JwtException e) {
            respond(reply, "n/a", "jwt update resulted in error", e.getMessage());
            return;
        }
        update(reply, jwt, claims);
    }

    private void update(String reply, Jwt jwt, AccountClaims claims) {
        String key = jwt.subject();
        if (accounts.isStrictOperatorKey(jwt.issuer())) {
            respond(reply, key, "jwt update resulted in error", "operator requires issuer to be a signing key");
            return;
        }
        if (resolver instanceof DirAccountResolver dir) {
            if (dir.isCache() && accounts.loaded(key) == null) {
                respond(reply, key, "jwt update cache skipped", null);
                return;
            }
            try {
                dir.store(key, jwt.token());
            } catch (IOException e) {
                respond(reply, key, "jwt update resulted in error", e.getMessage());
                return;
            }
            // nats-server: the store's change callback applies the JWT to a loaded account (trust checked there)
            applyIfLoaded(jwt, claims);
            respond(reply, key, dir.isCache() ? "jwt updated cache" : "jwt updated", null);
            return;
        }
        JwtAccount loaded = accounts.loaded(key);
        if (loaded == null || loaded.jwt() == null) {
            respond(reply, key, "jwt update skipped", null);
            return;
        }
        if (!accounts.isTrusted(jwt.issuer()) || !claims.authorization().validationIssues().isEmpty()) {
            respond(reply, key, "jwt update resulted in error", "account validation failed");
            return;
        }
        try {
            if (!resolver.isReadOnly()) {
                resolver.store(key, jwt.token());
            }
        } catch (IOException e) {
            respond(reply, key, "jwt update resulted in error", e.getMessage());
            return;
        }
        accounts.applyUpdate(jwt, claims, true);
        respond(reply, key, "jwt updated", null);
    }

    private void applyIfLoaded(Jwt jwt, AccountClaims claims) {
        JwtAccount loaded = accounts.loaded(jwt.subject());
        if (loaded == null) {
            return;
        }
        if (!accounts.isTrusted(jwt.issuer()) || !claims.authorization().validationIssues().isEmpty()) {
            LOG.error("DirResolver - Update for account \"" + jwt.subject()
                    + "\" resulted in error account validation failed");
            return;
        }
        accounts.applyUpdate(jwt, claims, true);
    }

    /** {@code $SYS.REQ.ACCOUNT.<acc>.CLAIMS.LOOKUP}: the stored JWT, or an empty message. */
    private void onLookup(String subject, String reply, byte[] payload) {
        if (reply == null || reply.isEmpty()) {
            return;
        }
        String[] tokens = subject.split("\\.");
        if (tokens.length != 6) {
            return;
        }
        String jwt;
        try {
            jwt = resolver.fetch(tokens[3]);
        } catch (IOException e) {
            LOG.error("DirResolver - Error looking up account \"" + tokens[3] + "\": " + e.getMessage());
            return;
        }
        system.publishInternal(reply, null, null, jwt == null ? new byte[0] : jwt.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code $SYS.REQ.CLAIMS.PACK}: one empty message when hashes match, else every JWT then an empty one. */
    private void onPack(String subject, String reply, byte[] theirHash) {
        if (reply == null || reply.isEmpty()) {
            return;
        }
        DirAccountResolver dir = (DirAccountResolver) resolver;
        if (Arrays.equals(theirHash, dir.hash())) {
            system.publishInternal(reply, null, null, new byte[0]);
            return;
        }
        try {
            for (Map.Entry<String, String> e : dir.pack().entrySet()) {
                system.publishInternal(reply, null, null,
                        (e.getKey() + "|" + e.getValue()).getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            LOG.error("DirResolver - Pack request error: " + e.getMessage());
            return;
        }
        system.publishInternal(reply, null, null, new byte[0]);
    }

    /** {@code $SYS.REQ.CLAIMS.LIST}: {@code {"server":{...},"data":["<acc>",...]}}. */
    private void onList(String subject, String reply, byte[] payload) {
        if (reply == null || reply.isEmpty()) {
            return;
        }
        List<String> ids;
        try {
            ids = new ArrayList<>(((DirAccountResolver) resolver).pack().keySet());
        } catch (IOException e) {
            LOG.error("list request error: " + e.getMessage());
            return;
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("server", info.serverInfo());
        response.put("data", ids);
        system.publishInternal(reply, null, null, GoJson.writeBytes(response));
    }

    /** {@code $SYS.REQ.CLAIMS.DELETE}: a generic JWT self-signed by an operator key listing {@code accounts}. */
    // nats-server: accounts.go handleDeleteRequest
    private void onDelete(String subject, String reply, byte[] payload) {
        DirAccountResolver dir = (DirAccountResolver) resolver;
        String requester = "";
        String error = null;
        List<String> ids = new ArrayList<>();
        try {
            Jwt jwt = JwtCodec.decode(new String(payload, StandardCharsets.UTF_8));
            requester = jwt.subject();
            JsonNode list = jwt.nats().get("accounts");
            if (!dir.allowsDelete()) {
                error = "delete must be enabled in server config";
            } else if (!jwt.claims().isSelfSigned()) {
                error = "not self signed";
            } else if (!accounts.isTrusted(jwt.issuer())) {
                error = "not trusted";
            } else if (list == null || !list.isArray()) {
                error = "malformed request";
            } else {
                for (JsonNode entry : list) {
                    String acc = entry.isTextual() ? entry.asText() : "";
                    if (acc.isEmpty() || !NKey.isValidPublicKey(acc, NKeyType.ACCOUNT)) {
                        error = "malformed request";
                        break;
                    }
                    if (acc.equals(accounts.systemAccountKey())) {
                        error = "not allowed to delete system account";
                        break;
                    }
                    ids.add(acc);
                }
            }
        } catch (JwtException e) {
            error = e.getMessage();
        }
        if (error != null) {
            respond(reply, "", "delete accounts request by " + requester + " failed", error);
            return;
        }
        List<String> errors = new ArrayList<>();
        int deleted = 0;
        for (String acc : ids) {
            try {
                dir.delete(acc);
                accounts.remove(acc);
                deleted++;
            } catch (IOException e) {
                errors.add(e.getMessage());
            }
        }
        if (errors.isEmpty()) {
            respond(reply, "", "deleted " + deleted + " accounts", null);
        } else {
            respond(reply, "", "deleted " + deleted + " accounts, failed for " + errors.size(),
                    String.join("\n", errors));
        }
    }

    /** The reply of an update or delete: {@code data} with code 200, or {@code error} with code 500. */
    // nats-server: accounts.go respondToUpdate
    private void respond(String reply, String account, String message, String error) {
        if (error == null) {
            LOG.debug(account.isEmpty() ? message : message + " - " + account);
        } else {
            LOG.error(message + " - " + account + " - " + error);
        }
        if (reply == null || reply.isEmpty()) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (!account.isEmpty()) {
            body.put("account", account);
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("server", info.serverInfo());
        if (error == null) {
            body.put("code", 200);
            body.put("message", message);
            response.put("data", body);
        } else {
            body.put("code", 500);
            body.put("description", message + " - " + error);
            response.put("error", body);
        }
        system.publishInternal(reply, null, null, GoJson.writeBytes(response));
    }

    @Override
    public void close() {
        for (Subscription sub : subscriptions) {
            system.unsubscribeInternal(sub);
        }
        worker.shutdownNow();
    }
}
