package io.jnatsd.server.ocsp;

import io.jnatsd.common.logging.NatsLogger;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Asks OCSP responders over HTTP (java.net.http, HTTP/1.1) the way nats-server does: the stapler POSTs the request
 * and falls back to a GET of {@code <url>/<base64>} per responder ({@code server/ocsp.go getRemoteStatus}); peer
 * verification GETs {@code <url>/<url-escaped base64>} ({@code server/certidp/ocsp_responder.go}). Failures carry
 * Go's {@code net/http} wording ({@code Post "<url>": dial tcp <host:port>: connect: connection refused}).
 * <p>
 * Thread-safe; calls block for at most the client's timeout per responder, so they never run on an event loop.
 */
public final class OcspHttp implements AutoCloseable {

    private static final NatsLogger LOG = NatsLogger.get(OcspHttp.class);

    private final HttpClient client;
    private final Duration timeout;

    /** A client giving each exchange at most {@code timeout}. */
    public OcspHttp(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /**
     * The stapler's fetch: for each responder, POST, then GET; the first body of a status below 300 wins.
     *
     * @throws OcspException {@code exhausted ocsp servers: <post error>\n<get error>} (Go's {@code errors.Join}
     *                       of the last responder's two failures)
     */
    // nats-server: ocsp.go getRemoteStatus (postRequestBytes, getRequestBytes)
    byte[] fetchForStaple(List<String> responders, byte[] request) throws OcspException {
        String failure = null;
        for (String responder : responders) {
            String url = responder.endsWith("/") ? responder.substring(0, responder.length() - 1) : responder;
            String postError;
            try {
                return post(url, request);
            } catch (OcspException e) {
                postError = e.getMessage();
            }
            try {
                return getForStaple(url, request);
            } catch (OcspException e) {
                failure = postError + "\n" + e.getMessage();
            }
        }
        throw new OcspException("exhausted ocsp servers: " + failure);
    }

    private byte[] post(String url, byte[] request) throws OcspException {
        long start = System.nanoTime();
        HttpResponse<byte[]> response;
        try {
            HttpRequest httpRequest = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                    .header("Content-Type", "application/ocsp-request")
                    .header("Accept", "application/ocsp-response")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build();
            response = client.send(httpRequest, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | IllegalArgumentException e) {
            throw new OcspException(goError("Post", url, e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OcspException("Post \"" + url + "\": context canceled", e);
        }
        logReceived("POST", response.statusCode(), url, start);
        if (response.statusCode() > 299) {
            throw new OcspException("non-ok http status on POST request (reqlen=" + request.length + "): "
                    + response.statusCode());
        }
        return response.body();
    }

    private byte[] getForStaple(String base, byte[] request) throws OcspException {
        String encoded = Base64.getEncoder().encodeToString(request);
        String url = base + "/" + encoded;
        long start = System.nanoTime();
        HttpResponse<byte[]> response = get(url);
        logReceived("GET", response.statusCode(), url, start);
        if (response.statusCode() > 299) {
            throw new OcspException("non-ok http status on GET request (reqlen=" + encoded.length() + "): "
                    + response.statusCode());
        }
        return response.body();
    }

    /**
     * Peer verification's fetch: GET {@code <url>/<url-escaped base64 request>} of each responder in turn; the
     * first 200 wins.
     *
     * @throws OcspException {@code exhausted OCSP responders: <last error>}
     */
    // nats-server: certidp/ocsp_responder.go FetchOCSPResponse
    byte[] fetchForPeer(List<URI> responders, byte[] request, NatsLogger log) throws OcspException {
        if (responders.isEmpty()) {
            throw new OcspException("no available OCSP servers");
        }
        String encoded = URLEncoder.encode(Base64.getEncoder().encodeToString(request), StandardCharsets.UTF_8);
        String failure = null;
        for (URI responder : responders) {
            String url = responder.toString();
            log.debug("Trying OCSP responder url [" + url + "]");
            if (url.endsWith("/")) {
                url = url.substring(0, url.length() - 1);
            }
            try {
                HttpResponse<byte[]> response = get(url + "/" + encoded);
                if (response.statusCode() != 200) {
                    throw new OcspException("bad OCSP responder http status: [" + response.statusCode() + "]");
                }
                return response.body();
            } catch (OcspException e) {
                failure = e.getMessage();
            }
        }
        throw new OcspException("exhausted OCSP responders: " + failure);
    }

    private HttpResponse<byte[]> get(String url) throws OcspException {
        try {
            HttpRequest httpRequest = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
            return client.send(httpRequest, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | IllegalArgumentException e) {
            throw new OcspException(goError("Get", url, e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OcspException("Get \"" + url + "\": context canceled", e);
        }
    }

    private static void logReceived(String method, int status, String url, long startNanos) {
        if (LOG.isDebugEnabled()) {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            LOG.debug("Received OCSP response (method=" + method + ", status=" + status + ", url=" + url
                    + ", duration=" + String.format(Locale.ROOT, "%.3f", seconds) + "s)");
        }
    }

    /** A failed exchange in Go's {@code *url.Error} wording, as far as the JDK's exception tells. */
    static String goError(String method, String url, Exception e) {
        String prefix = method + " \"" + url + "\": ";
        if (e instanceof HttpConnectTimeoutException || e instanceof HttpTimeoutException) {
            return prefix + "context deadline exceeded (Client.Timeout exceeded while awaiting headers)";
        }
        if (e instanceof ConnectException) {
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException bad) {
                return prefix + "connect: connection refused";
            }
            int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            return prefix + "dial tcp " + uri.getHost() + ":" + port + ": connect: connection refused";
        }
        if (e instanceof IllegalArgumentException) {
            return prefix + "unsupported protocol scheme";
        }
        String message = e.getMessage();
        return prefix + (message == null || message.isEmpty() ? e.getClass().getSimpleName() : message);
    }

    @Override
    public void close() {
        client.close();
    }
}
