/**
 * NATS NKeys: Ed25519 (and Curve25519) key pairs in the text encoding of the nats-io/nkeys library, plus the
 * nonces a server sends in INFO for clients to sign.
 *
 * <p>Follows the behaviour of github.com/nats-io/nkeys ({@code strkey.go}, {@code crc16.go}, {@code keypair.go},
 * {@code public.go}, {@code xkeys.go}, {@code errors.go}) as nats-server uses it, and {@code server/nkey.go}
 * for nonces. The Ed25519 and X25519 arithmetic is the JDK's own ({@code SunEC}); curve keys seal and open NaCl
 * boxes (nkeys' {@code xkv1} format, used by auth callout encryption) with Bouncy Castle's XSalsa20 and Poly1305
 * engines. Nothing here owns threads and every public type is immutable or stateless, so all of it is safe to
 * share.
 *
 * <p>Sealed message layout ({@code xkeys.go Seal}):
 * <pre>
 *   | "xkv1" (4) | nonce (24) | Poly1305 tag (16) | XSalsa20 ciphertext (message length) |
 * </pre>
 *
 * <p>Encoded key layout (RFC 4648 base32, upper case, no padding):
 * <pre>
 *   public key:  | prefix (1) | key (32)                   | CRC-16/XMODEM of the preceding bytes, LE (2) |
 *   seed:        | 'S' | type (2, packed) | raw seed (32)  | CRC-16/XMODEM of the preceding bytes, LE (2) |
 * </pre>
 */
package io.jnatsd.nkeys;
