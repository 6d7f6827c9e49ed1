package io.jnatsd.subject;

/**
 * One level of the trie: the literal children of the previous token, plus at most one {@code *} and one {@code >}
 * child. Written under the {@link Sublist} write lock; read optimistically (wildcard fields may be seen stale).
 */
final class Level {

    final TokenTable literals = new TokenTable();
    Node partialWildcard;                       // '*'
    Node fullWildcard;                          // '>'

    boolean isEmpty() {
        return literals.size == 0 && partialWildcard == null && fullWildcard == null;
    }

    void removeNode(Node node) {
        if (node == partialWildcard) {
            partialWildcard = null;
        } else if (node == fullWildcard) {
            fullWildcard = null;
        } else {
            literals.remove(node);
        }
    }
}
