package io.jnatsd.subject;

/**
 * The members of one queue group on one trie node, keyed by the queue name bytes. Same threading as
 * {@link SubSet}: written under the {@link Sublist} write lock, read optimistically.
 */
final class QueueGroup {

    final byte[] name;                          // private copy of the queue name
    final SubSet members = new SubSet();

    QueueGroup(byte[] name) {
        this.name = name;
    }
}
