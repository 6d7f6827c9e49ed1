/**
 * The file engine: {@link io.jnatsd.store.file.FileStreamStore} keeps a stream in append-only block files
 * ({@code msgs/<n>.blk}: records with CRC-32C, see {@code Records} and {@code BlockFiles}), a whole-state index
 * ({@code msgs/index.db}) for fast clean restarts, tombstones for removals, per-subject block hints (the store, limit,
 * purge and query logic shared with the memory engine is in {@link io.jnatsd.store.AbstractStreamStore}), S2
 * compression of
 * sealed blocks ({@link io.jnatsd.store.file.S2}) and encryption at rest
 * ({@link io.jnatsd.store.file.StoreEncryption}: ChaCha20-Poly1305 or AES-GCM, re-keying from {@code prev_key}).
 * Consumer state lives in {@code obs/<consumer>/} ({@code FileConsumerStore}). The on-disk format is documented in
 * {@code docs/storage.md}.
 *
 * <p>Behaviour of nats-server {@code server/filestore.go} (design ours). Threads: as the SPI; a block's loaded
 * records are guarded by the block's monitor, taken under the store's read or write lock, never the other way
 * round.
 */
package io.jnatsd.store.file;
