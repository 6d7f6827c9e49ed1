package io.jnatsd.server.account;

import io.jnatsd.jwt.Jwt;
import io.jnatsd.jwt.JwtCodec;
import io.jnatsd.jwt.JwtException;
import io.jnatsd.nkeys.NKey;
import io.jnatsd.nkeys.NKeyType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The directory resolvers ({@code server/accounts.go DirAccResolver}, {@code CacheDirAccResolver};
 * {@code server/dirstore.go DirJWTStore}): one file {@code <dir>/<account key>.jwt} per account, no sharding.
 * <ul>
 *   <li>{@code full}: holds every account; {@code limit} (0: unlimited) refuses new accounts once reached
 *       ({@code jwt store is full}); deletes rename to {@code .jwt.deleted}, or remove with {@code hard_delete};</li>
 *   <li>{@code cache}: holds at most {@code limit} accounts (default 1000), evicting the least recently used, and
 *       forgets entries older than {@code ttl}.</li>
 * </ul>
 * Writes keep the stored JWT when the new one has the same {@code jti} or an older {@code iat}
 * ({@code saveIfNewer}). The store hash is the XOR of the SHA-256 of every stored JWT. Thread-safe: every operation
 * holds this object's monitor (file I/O included, as nats-server's store lock does).
 */
public final class DirAccountResolver implements AccountResolver {

    /** File suffix of a stored account. */
    static final String SUFFIX = ".jwt";
    /** Suffix a soft delete renames a file to. */
    static final String DELETED_SUFFIX = ".jwt.deleted";

    private final Path dir;
    private final boolean cache;
    private final long limit;
    private final Duration ttl;
    private final boolean allowDelete;
    private final boolean hardDelete;
    private final Clock clock;
    private final LinkedHashMap<String, Long> storedAtMillis = new LinkedHashMap<>(16, 0.75f, true); // LRU order
    private final byte[] hash = new byte[32];

    private DirAccountResolver(Path dir, boolean cache, long limit, Duration ttl, boolean allowDelete,
                               boolean hardDelete, Clock clock) throws IOException {
        this.dir = dir;
        this.cache = cache;
        this.limit = limit;
        this.ttl = ttl;
        this.allowDelete = allowDelete;
        this.hardDelete = hardDelete;
        this.clock = clock;
        Files.createDirectories(dir);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String key = name.substring(0, name.length() - SUFFIX.length());
                if (NKey.isValidPublicKey(key, NKeyType.ACCOUNT)) {
                    storedAtMillis.put(key, Files.getLastModifiedTime(file).toMillis());
                    xorHash(Files.readString(file, StandardCharsets.UTF_8));
                }
            }
        }
    }

    /** A full resolver in {@code dir}. */
    public static DirAccountResolver full(Path dir, long limit, boolean allowDelete, boolean hardDelete)
            throws IOException {
        return new DirAccountResolver(dir, false, limit, Duration.ZERO, allowDelete, hardDelete, Clock.systemUTC());
    }

    /** A cache resolver in {@code dir}; {@code limit} 0 means 1000, {@code ttl} zero means no expiry. */
    public static DirAccountResolver cache(Path dir, long limit, Duration ttl) throws IOException {
        return new DirAccountResolver(dir, true, limit <= 0 ? 1000 : limit, ttl, false, false, Clock.systemUTC());
    }

    /** The directory holding the JWT files. */
    public Path directory() {
        return dir;
    }

    /** Whether this is a cache resolver. */
    public boolean isCache() {
        return cache;
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    /** Whether deletes are allowed ({@code allow_delete}). */
    public boolean allowsDelete() {
        return allowDelete;
    }

    @Override
    public synchronized String fetch(String accountKey) throws IOException {
        Path file = pathFor(accountKey);
        if (file == null) {
            return null;
        }
        Long stored = storedAtMillis.get(accountKey);
        if (cache && stored != null && ttl.isPositive() && clock.millis() - stored > ttl.toMillis()) {
            remove(accountKey, file, true);
            return null;
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Whether the store has {@code accountKey}. */
    public synchronized boolean contains(String accountKey) {
        return storedAtMillis.containsKey(accountKey);
    }

    // nats-server: dirstore.go saveIfNewer
    @Override
    public synchronized void store(String accountKey, String jwt) throws IOException {
        Path file = pathFor(accountKey);
        if (file == null) {
            throw new IOException("invalid public key");
        }
        Jwt next;
        try {
            next = JwtCodec.decode(jwt);
        } catch (JwtException e) {
            throw new IOException(e.getMessage(), e);
        }
        String existingText = null;
        if (Files.exists(file)) {
            existingText = Files.readString(file, StandardCharsets.UTF_8);
            Jwt existing = null;
            try {
                existing = JwtCodec.decode(existingText);
            } catch (JwtException e) {
                // an undecodable stored file is simply replaced
            }
            if (existing != null) {
                if (existing.claims().id().equals(next.claims().id())
                        || existing.claims().issuedAt() > next.claims().issuedAt()) {
                    return;
                }
                if (!next.subject().equals(accountKey)) {
                    throw new IOException("jwt subject nkey and provided nkey do not match");
                }
                if (!existing.subject().equals(next.subject())) {
                    throw new IOException("subject of existing and new jwt do not match");
                }
            }
        } else if (limit > 0 && storedAtMillis.size() >= limit) {
            if (!cache) {
                throw new IOException("jwt store is full");
            }
            String eldest = storedAtMillis.keySet().iterator().next();
            remove(eldest, pathFor(eldest), true);
        }
        Path tmp = dir.resolve(accountKey + SUFFIX + ".tmp");
        Files.writeString(tmp, jwt, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        if (existingText != null) {
            xorHash(existingText);
        }
        xorHash(jwt);
        storedAtMillis.put(accountKey, clock.millis());
    }

    /**
     * Deletes {@code accountKey}: renamed to {@code .jwt.deleted}, or removed with {@code hard_delete}.
     *
     * @throws IOException {@code store is not set up to for delete} when deletes are not allowed
     */
    // nats-server: dirstore.go delete
    public synchronized void delete(String accountKey) throws IOException {
        if (cache || !allowDelete) {
            throw new IOException("store is not set up to for delete");
        }
        Path file = pathFor(accountKey);
        if (file == null) {
            throw new IOException("invalid public key");
        }
        remove(accountKey, file, hardDelete);
    }

    private void remove(String accountKey, Path file, boolean hard) throws IOException {
        if (!Files.exists(file)) {
            storedAtMillis.remove(accountKey);
            return;
        }
        xorHash(Files.readString(file, StandardCharsets.UTF_8));
        if (hard) {
            Files.deleteIfExists(file);
        } else {
            Files.move(file, dir.resolve(accountKey + DELETED_SUFFIX), StandardCopyOption.REPLACE_EXISTING);
        }
        storedAtMillis.remove(accountKey);
    }

    /** The stored account keys, least recently used first. */
    public synchronized List<String> keys() {
        return new ArrayList<>(storedAtMillis.keySet());
    }

    /** The store hash: XOR of the SHA-256 of every stored JWT. */
    public synchronized byte[] hash() {
        return hash.clone();
    }

    /** Every stored, unexpired JWT by account key, for {@code $SYS.REQ.CLAIMS.PACK}. */
    // nats-server: dirstore.go PackWalk (expired JWTs are skipped)
    public synchronized Map<String, String> pack() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        long now = clock.instant().getEpochSecond();
        for (String key : new ArrayList<>(storedAtMillis.keySet())) {
            String jwt = Files.readString(pathFor(key), StandardCharsets.UTF_8);
            try {
                if (JwtCodec.decode(jwt).claims().isExpired(now)) {
                    continue;
                }
            } catch (JwtException e) {
                continue;
            }
            out.put(key, jwt);
        }
        return out;
    }

    private Path pathFor(String accountKey) {
        if (!NKey.isValidPublicKey(accountKey, NKeyType.ACCOUNT)) {
            return null;
        }
        return dir.resolve(accountKey + SUFFIX);
    }

    private void xorHash(String jwt) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(jwt.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a mandatory JDK algorithm", e);
        }
        for (int i = 0; i < hash.length; i++) {
            hash[i] ^= digest[i];
        }
    }
}
