package io.jnatsd.server.account;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The {@code URL("...")} resolver ({@code server/accounts.go URLAccResolver}): {@code GET <base><account key>};
 * status 200 gives the JWT. Read-only: pushed updates are not stored. Thread-safe; {@link #fetch} blocks for at
 * most the fetch timeout.
 */
public final class UrlAccountResolver implements AccountResolver {

    private final String baseUrl;
    private final Duration timeout;
    private final HttpClient client;

    /** A resolver for {@code baseUrl} (ending in {@code /}) giving up after {@code timeout}. */
    public UrlAccountResolver(String baseUrl, Duration timeout) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL)
                .build();
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
