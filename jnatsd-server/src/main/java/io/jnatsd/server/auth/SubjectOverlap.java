package io.jnatsd.server.auth;

import io.jnatsd.subject.Subjects;

/**
 * Whether two subjects, either of which may hold wildcards, could both match one literal subject (nats-server
 * {@code sublist.go SubjectsCollide}). Used to decide whether a wildcard subscription needs the delivery-time deny
 * filter. Stateless; thread-safe.
 */
final class SubjectOverlap {

    private SubjectOverlap() {
    }

    // nats-server: sublist.go SubjectsCollide
    static boolean collide(String a, String b) {
        return Subjects.subjectsCollide(a, b);
    }
}
