package io.jnatsd.server.auth;

import io.jnatsd.config.AuthOptions;
import io.jnatsd.config.AuthOptions.ResponsePermission;
import io.jnatsd.config.AuthOptions.SubjectPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClientPermissionsTest {

    private static ClientPermissions perms(SubjectPermission pub, SubjectPermission sub, ResponsePermission resp) {
        return new ClientPermissions(Permissions.compile(new AuthOptions.Permissions(pub, sub, resp), true));
    }

    private static boolean pub(ClientPermissions p, String subject) {
        byte[] b = ("xx" + subject).getBytes(StandardCharsets.UTF_8);
        return p.publishAllowed(b, 2, b.length - 2);            // a slice, as the parser hands it over
    }

    private static boolean denied(ClientPermissions p, String subject, String queue) {
        byte[] b = subject.getBytes(StandardCharsets.UTF_8);
        return p.deliveryDenied(b, 0, b.length, queue == null ? null : queue.getBytes(StandardCharsets.UTF_8));
    }

    private static void delivered(ClientPermissions p, String reply) {
        byte[] b = reply.getBytes(StandardCharsets.UTF_8);
        p.trackReply(b, 0, b.length);
    }

    @Test
    void shouldLetDenyWinOverAllow() {
        ClientPermissions p = perms(new SubjectPermission(List.of("foo.>", "bar"), List.of("foo.bar")), null, null);
        assertThat(p.restrictsPublish()).isTrue();
        assertThat(pub(p, "foo.baz")).isTrue();
        assertThat(pub(p, "foo.bar")).isFalse();
        assertThat(pub(p, "foo.bar")).isFalse();             // now from the cache
        assertThat(pub(p, "bar")).isTrue();
        assertThat(pub(p, "baz")).isFalse();
        assertThat(pub(p, "foo")).isFalse();
    }

    @Test
    void shouldDenyOnlyWithADenyList() {
        ClientPermissions p = perms(SubjectPermission.deny("*.secret"), null, null);
        assertThat(pub(p, "a.secret")).isFalse();
        assertThat(pub(p, "a.public")).isTrue();
    }

    @Test
    void shouldAllowNothingWithAnEmptyPublishAllowList() {
        ClientPermissions p = perms(new SubjectPermission(List.of(), null), null, null);
        assertThat(p.restrictsPublish()).isTrue();
        assertThat(pub(p, "anything")).isFalse();
        // an empty subscribe allow list restricts nothing (nats-server: len(Allow) > 0)
        ClientPermissions s = perms(null, new SubjectPermission(List.of(), null), null);
        assertThat(s.restrictsPublish()).isFalse();
        assertThat(s.canSubscribe("anything", null)).isTrue();
    }

    @Test
    void shouldStayCorrectWhileTheCacheIsPruned() {
        ClientPermissions p = perms(SubjectPermission.allow("ok.*"), null, null);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 300; i++) {
                assertThat(pub(p, "ok." + i)).isTrue();
                assertThat(pub(p, "no." + i)).isFalse();
            }
        }
    }

    /** The queue-group permutations of security.md 3.3 (client.go processSubEx comment). */
    @ParameterizedTest(name = "allow {0}: SUB {1} {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "foo       | foo | -  | true",
        "foo       | foo | v1 | true",
        "foo v1    | foo | -  | false",
        "foo v1    | foo | v1 | true",
        "foo v1    | foo | v2 | false",
        "foo,foo v1| foo | -  | true",
        "foo,foo v1| foo | v1 | true",
        "foo,foo v1| foo | v2 | false",
        "foo v.*   | foo | v.1| true",
        "foo v.*   | foo | w.1| false",
        "foo *     | foo | *  | true",
        "foo.*     | foo.bar | - | true",
        "foo.*     | foo.*   | - | true",
        "foo.*     | foo.>   | - | true",      // quirk: the subject's '>' is a literal token that '*' matches
        "foo.bar   | foo.*   | - | false",
        ">         | a.b.c   | q | true"})
    void shouldApplySubscribeAllowWithQueues(String allow, String subject, String queue, boolean expected) {
        ClientPermissions p = perms(null, new SubjectPermission(List.of(allow.split(",")), null), null);
        assertThat(p.canSubscribe(subject, queue)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "deny {0}: SUB {1} {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "foo     | foo   | -  | false",
        "foo     | foo   | v1 | false",
        "foo v1  | foo   | -  | true",
        "foo v1  | foo   | v1 | false",
        "foo v1  | foo   | v2 | true",
        "foo v.> | foo   | v.a.b | false",
        "foo.>   | foo.* | -  | false",
        "foo.bar | foo.* | -  | true",
        "foo.bar | >     | -  | true",
        "foo.bar | foo.bar | - | false"})
    void shouldApplySubscribeDenyWithQueues(String deny, String subject, String queue, boolean expected) {
        ClientPermissions p = perms(null, new SubjectPermission(null, List.of(deny)), null);
        assertThat(p.canSubscribe(subject, queue)).isEqualTo(expected);
    }

    @Test
    void shouldFilterDeliveriesOnceAWildcardSubscriptionOverlapsADeny() {
        ClientPermissions p = perms(null, new SubjectPermission(null, List.of("foo.bar", "baz q1")), null);
        assertThat(denied(p, "foo.bar", null)).isFalse();      // no overlapping subscription yet
        assertThat(p.canSubscribe("other.*", null)).isTrue();
        assertThat(denied(p, "foo.bar", null)).isFalse();      // other.* cannot overlap
        assertThat(p.canSubscribe("foo.*", null)).isTrue();
        assertThat(denied(p, "foo.bar", null)).isTrue();
        assertThat(denied(p, "foo.bar", null)).isTrue();       // cached
        assertThat(denied(p, "foo.baz", null)).isFalse();
        assertThat(denied(p, "baz", "q1")).isTrue();
        assertThat(denied(p, "baz", "q2")).isFalse();
        assertThat(denied(p, "baz", null)).isFalse();
        p.resetDeliveryFilter();
        assertThat(denied(p, "foo.bar", null)).isFalse();
    }

    @Test
    void shouldFilterDeliveriesForQueueSubscriptionsOnADeniedQueue() {
        ClientPermissions p = perms(null, new SubjectPermission(null, List.of("foo q1")), null);
        assertThat(p.canSubscribe("foo", "q2")).isTrue();
        assertThat(denied(p, "foo", "q1")).isTrue();
        assertThat(denied(p, "foo", "q2")).isFalse();
    }

    @Test
    void shouldAllowOneResponseWithinTwoMinutesByDefault() {
        ClientPermissions p = perms(null, null, ResponsePermission.defaults());
        // any response permission turns off the blanket publish allow
        assertThat(p.restrictsPublish()).isTrue();
        assertThat(pub(p, "_INBOX.1")).isFalse();              // reply before the request was delivered
        delivered(p, "_INBOX.1");
        assertThat(p.trackedReplies()).isEqualTo(1);
        assertThat(pub(p, "_INBOX.1")).isTrue();
        assertThat(pub(p, "_INBOX.1")).isFalse();              // max 1
        assertThat(p.trackedReplies()).isZero();
        assertThat(pub(p, "other")).isFalse();
    }

    @Test
    void shouldCountAResponseWhenTheSameReplyIsDeliveredAgain() {
        ClientPermissions p = perms(null, null, new ResponsePermission(2, Duration.ofMinutes(1)));
        delivered(p, "r");
        delivered(p, "r");                                     // nats-server: the check uses one response up
        assertThat(pub(p, "r")).isTrue();
        assertThat(pub(p, "r")).isFalse();
    }

    @Test
    void shouldAllowUnlimitedResponsesWithMaxMinusOne() {
        ClientPermissions p = perms(SubjectPermission.allow("ok"), null, new ResponsePermission(-1,
                Duration.ofMinutes(1)));
        delivered(p, "r");
        for (int i = 0; i < 10; i++) {
            assertThat(pub(p, "r")).isTrue();
        }
        assertThat(pub(p, "ok")).isTrue();
        delivered(p, "ok");                                    // publishable anyway: not tracked
        assertThat(p.trackedReplies()).isEqualTo(1);
    }

    @Test
    void shouldDenyResponsesAfterTheyExpire() {
        ClientPermissions p = perms(null, null, new ResponsePermission(5, Duration.ofNanos(1)));
        delivered(p, "r");
        long start = System.nanoTime();
        while (System.nanoTime() - start < 10) {
            Thread.onSpinWait();                               // let the 1 ns expiry pass, without sleeping
        }
        assertThat(pub(p, "r")).isFalse();
    }

    @Test
    void shouldApplyResponseDefaultsForZeroValues() {
        Permissions compiled = Permissions.compile(new AuthOptions.Permissions(SubjectPermission.deny("x"), null,
                new ResponsePermission(0, Duration.ZERO)), true);
        assertThat(compiled.response()).isEqualTo(ResponsePermission.defaults());
        assertThat(compiled.source().response()).isEqualTo(new ResponsePermission(0, Duration.ZERO));
    }

    @Test
    void shouldTellWhichSubjectsCollide() {
        assertThat(SubjectOverlap.collide("foo.bar", "foo.*")).isTrue();
        assertThat(SubjectOverlap.collide("foo.*", "foo.bar")).isTrue();
        assertThat(SubjectOverlap.collide("foo.bar", "foo.baz")).isFalse();
        assertThat(SubjectOverlap.collide("foo.*", "*.bar")).isTrue();
        assertThat(SubjectOverlap.collide("foo.*", "foo.*.x")).isFalse();
        assertThat(SubjectOverlap.collide("foo.>", "foo.*.x")).isTrue();
        assertThat(SubjectOverlap.collide("a.*", "b.>")).isFalse();
        assertThat(SubjectOverlap.collide(">", "x")).isTrue();
        assertThat(SubjectOverlap.collide("a.*.c", "a.>")).isTrue();
        assertThat(SubjectOverlap.collide("a.*", "a.b.>")).isFalse();
    }

    @Test
    void shouldSkipInvalidEntriesWhenCompiling() {
        ClientPermissions p = perms(new SubjectPermission(List.of("ok", "bad subject", "a..b"),
                List.of("d q")), new SubjectPermission(List.of("x y z", "fine"), null), null);
        assertThat(pub(p, "ok")).isTrue();
        assertThat(pub(p, "d")).isFalse();                     // the queue part of a publish deny is dropped
        assertThat(p.canSubscribe("fine", null)).isTrue();
        assertThat(p.canSubscribe("x", null)).isFalse();
    }

    @Test
    void shouldSplitSubjectQueueEntries() {
        assertThat(Permissions.splitSubjectQueue(" foo  bar ")).containsExactly("foo", "bar");
        assertThat(Permissions.splitSubjectQueue("foo")).containsExactly("foo", null);
        assertThat(Permissions.splitSubjectQueue("a b c")).isNull();
        assertThat(Permissions.splitSubjectQueue("  ")).isNull();
        assertThat(Permissions.splitSubjectQueue("a..b q")).isNull();
    }

    @Test
    void shouldPruneTheCachesAsNatsServerDoes() {
        SubjectKeyCache deny = new SubjectKeyCache(256, 32);
        for (int i = 0; i <= 256; i++) {
            byte[] b = ("s" + i).getBytes(StandardCharsets.UTF_8);
            deny.put(b, 0, b.length, null, true);
        }
        assertThat(deny.size()).isEqualTo(257 - 33);
        SubjectKeyCache publish = new SubjectKeyCache(128, 1000);
        for (int i = 0; i <= 128; i++) {
            byte[] b = ("s" + i).getBytes(StandardCharsets.UTF_8);
            publish.put(b, 0, b.length, null, true);
        }
        assertThat(publish.size()).isZero();
        byte[] q = "q".getBytes(StandardCharsets.UTF_8);
        byte[] s = "subj".getBytes(StandardCharsets.UTF_8);
        deny.put(s, 0, s.length, q, false);
        assertThat(deny.get(s, 0, s.length, q)).isFalse();
        assertThat(deny.get(s, 0, s.length, null)).isNull();
        assertThat(deny.get(s, 1, 3, q)).isNull();
    }
}
