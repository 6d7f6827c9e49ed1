package io.jnatsd.server.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The key-exchange groups the OpenSSL provider's library accepts, among those Go's {@code curve_preferences} can name.
 * OpenSSL refuses a whole groups list when one name is unknown, so each group is tried alone, once per process, on a
 * throw-away client context (the JDK provider answers the same question with {@code getSupportedSSLParameters}).
 * <p>
 * Initialised on first use (only when the OpenSSL provider is); immutable after that.
 */
final class OpenSslGroups {

    /** OpenSSL group names, in {@link JsseNames}' spelling, that the library accepts. */
    static final Set<String> SUPPORTED = probe();

    private OpenSslGroups() {
    }

    private static Set<String> probe() {
        Set<String> supported = new LinkedHashSet<>();
        if (!OpenSsl.isAvailable()) {
            return Set.of();
        }
        for (String group : JsseNames.opensslGroupNames()) {
            try {
                SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL)
                        .option(OpenSslContextOption.GROUPS, new String[] {group}).build();
                supported.add(group);
            } catch (SSLException | RuntimeException e) {
                // not in this library
            }
        }
        return Set.copyOf(supported);
    }
}
