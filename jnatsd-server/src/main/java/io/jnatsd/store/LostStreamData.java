package io.jnatsd.store;

/**
 * Messages a file store could not recover (corrupt or torn records): their sequences and the bytes they held.
 *
 * @param msgs  sequences lost, ascending
 * @param bytes bytes lost
 */
// nats-server: store.go LostStreamData
public record LostStreamData(long[] msgs, long bytes) {
}
