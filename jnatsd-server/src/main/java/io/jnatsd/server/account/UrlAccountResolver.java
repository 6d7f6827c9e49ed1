package io.jnatsd.server.account;

import io.jnatsd.server.tls.ClientTlsConfig;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The {@code URL("...")} resolver ({@code server/accounts.go URLAccResolver}): {@code GET <base><account key>};
 * status 200 gives the JWT. Read-only: pushed updates are not stored. {@code https} URLs use the
 * {@code resolver_tls} block when one is configured (a client certificate, the CAs to trust, {@code insecure}),
 * else the JDK's defaults. Thread-safe; {@link #fetch} blocks for at most the fetch timeout.
 */
public final class UrlAccountResolver implements AccountResolver {

    private final String baseUrl;
    private final Duration timeout;
    private volatile HttpClient client;

    /** A resolver for {@code baseUrl} (ending in {@code /}) giving up after {@code timeout}. */
    public UrlAccountResolver(String baseUrl, Duration timeout) {
        this(baseUrl, timeout, null);
    }

    /**
     * A resolver for {@code baseUrl} giving up after {@code timeout}, with {@code tls} for https (null: the JDK's
     * defaults).
     */
    // nats-server: server.go configureResolver (AccountResolverTLSConfig on the resolver's transport)
    public UrlAccountResolver(String baseUrl, Duration timeout, ClientTlsConfig tls) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
        this.timeout = timeout;
        this.client = newClient(timeout, tls);
    }

    private static HttpClient newClient(Duration timeout, ClientTlsConfig tls) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL);
        if (tls != null) {
            builder.sslContext(tls.sslContext()).sslParameters(tls.parameters());
        }
        return builder.build();
    }

    /**
     * Uses {@code tls} for later fetches (a reloaded {@code resolver_tls}; null for the JDK's defaults), as
     * nats-server's reload reconfigures the resolver's transport.
     */
    // nats-server: server.go configureResolver (CloseIdleConnections, new TLSClientConfig)
    public void setTls(ClientTlsConfig tls) {
        HttpClient old = client;
        client = newClient(timeout, tls);
        old.close();
    }

    // nats-server: accounts.go URLAccResolver.Fetch
    @Override
    public String fetch(String accountKey) throws IOException {
        String url = baseUrl + accountKey;
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("could not fetch <" + url + ">: interrupted", e);
        }
        if (response.statusCode() != 200) {
            throw new IOException("could not fetch <" + url + ">: " + response.statusCode() + " "
                    + reason(response.statusCode()));
        }
        return response.body();
    }

    private static String reason(int status) {
        return switch (status) {
            case 404 -> "Not Found";
            case 500 -> "Internal Server Error";
            case 403 -> "Forbidden";
            default -> "";
        };
    }

    @Override
    public void store(String accountKey, String jwt) throws IOException {
        throw new IOException("store operation not supported for URL Resolver");
    }

    @Override
    public boolean isReadOnly() {
        return true;
    }

    @Override
    public void close() {
        client.close();
    }
}
