package io.jnatsd.store;

import java.util.HashMap;
import java.util.Map;

/**
 * A map from literal subjects to per-subject state with wildcard matching: a hash map answers exact lookups (the
 * publish path), and a token trie answers filters with {@code *} and {@code >} without visiting subjects that cannot
 * match.
 * <p>
 * Not thread-safe: the owning store guards it with its lock.
 *
 * @param <V> per-subject state
 */
// nats-server: stree/stree.go SubjectTree (Find, Insert, Delete, Match, IterFast); our own design
public final class SubjectIndex<V> {

    /** Receives matches; returns false to stop the walk. */
    @FunctionalInterface
    public interface Visitor<V> {
        boolean visit(String subject, V value);
    }

    private static final class Node<V> {
        HashMap<String, Node<V>> children;
        String subject;
        V value;

        boolean isEmpty() {
            return value == null && (children == null || children.isEmpty());
        }
    }

    private final HashMap<String, V> bySubject = new HashMap<>();
    private Node<V> root = new Node<>();

    /** The state of {@code subject}, or null. */
    public V get(String subject) {
        return bySubject.get(subject);
    }

    /** Number of subjects. */
    public int size() {
        return bySubject.size();
    }

    /** Adds or replaces the state of {@code subject}. */
    public void put(String subject, V value) {
        if (bySubject.put(subject, value) != null) {
            // already in the trie: replace the value there too
            Node<V> n = find(subject);
            if (n != null) {
                n.value = value;
            }
            return;
        }
        Node<V> n = root;
        int start = 0;
        int len = subject.length();
        while (true) {
            int dot = subject.indexOf('.', start);
            int end = dot < 0 ? len : dot;
            String token = subject.substring(start, end);
            if (n.children == null) {
                n.children = new HashMap<>(4);
            }
            n = n.children.computeIfAbsent(token, t -> new Node<>());
            if (dot < 0) {
                break;
            }
            start = dot + 1;
        }
        n.subject = subject;
        n.value = value;
    }

    /** Removes {@code subject}; returns its state or null. */
    public V remove(String subject) {
        V v = bySubject.remove(subject);
        if (v != null) {
            removeFromTrie(root, subject, 0);
        }
        return v;
    }

    private boolean removeFromTrie(Node<V> n, String subject, int start) {
        int dot = subject.indexOf('.', start);
        int end = dot < 0 ? subject.length() : dot;
        String token = subject.substring(start, end);
        Node<V> child = n.children == null ? null : n.children.get(token);
        if (child == null) {
            return false;
        }
        if (dot < 0) {
            child.value = null;
            child.subject = null;
        } else {
            removeFromTrie(child, subject, dot + 1);
        }
        if (child.isEmpty()) {
            n.children.remove(token);
        }
        return true;
    }

    private Node<V> find(String subject) {
        Node<V> n = root;
        int start = 0;
        while (n != null) {
            int dot = subject.indexOf('.', start);
            int end = dot < 0 ? subject.length() : dot;
            n = n.children == null ? null : n.children.get(subject.substring(start, end));
            if (dot < 0) {
                return n;
            }
            start = dot + 1;
        }
        return null;
    }

    /** Removes everything. */
    public void clear() {
        bySubject.clear();
        root = new Node<>();
    }

    /** Visits every subject (unordered). Returns false when the visitor stopped the walk. */
    public boolean forEach(Visitor<V> visitor) {
        for (Map.Entry<String, V> e : bySubject.entrySet()) {
            if (!visitor.visit(e.getKey(), e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Visits every subject matched by {@code filter} (literal, wildcard, or {@code >}/empty for all). Returns false
     * when the visitor stopped the walk.
     */
    public boolean match(String filter, Visitor<V> visitor) {
        if (filter == null || filter.isEmpty() || filter.equals(">")) {
            return forEach(visitor);
        }
        if (SubjectMatch.isLiteral(filter)) {
            V v = bySubject.get(filter);
            return v == null || visitor.visit(filter, v);
        }
        String[] tokens = filter.split("\\.", -1);
        return match(root, tokens, 0, visitor);
    }

    private boolean match(Node<V> n, String[] tokens, int i, Visitor<V> visitor) {
        if (i == tokens.length) {
            return n.value == null || visitor.visit(n.subject, n.value);
        }
        if (n.children == null) {
            return true;
        }
        String t = tokens[i];
        if (t.equals(">") && i == tokens.length - 1) {
            for (Node<V> c : n.children.values()) {
                if (!all(c, visitor)) {
                    return false;
                }
            }
            return true;
        }
        if (t.equals("*")) {
            for (Node<V> c : n.children.values()) {
                if (!match(c, tokens, i + 1, visitor)) {
                    return false;
                }
            }
            return true;
        }
        Node<V> c = n.children.get(t);
        return c == null || match(c, tokens, i + 1, visitor);
    }

    private boolean all(Node<V> n, Visitor<V> visitor) {
        if (n.value != null && !visitor.visit(n.subject, n.value)) {
            return false;
        }
        if (n.children != null) {
            for (Node<V> c : n.children.values()) {
                if (!all(c, visitor)) {
                    return false;
                }
            }
        }
        return true;
    }
}
