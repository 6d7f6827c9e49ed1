package io.jnatsd.subject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A test subscription: subject, optional queue, settable queue weight (as a route's remote queue sub). */
final class TestSub implements SublistEntry {

    final String subjectText;
    final String queueText;
    private final byte[] subject;
    private final byte[] queue;
    volatile int weight = 1;

    private TestSub(String subject, String queue) {
        this.subjectText = subject;
        this.queueText = queue;
        this.subject = subject.getBytes(StandardCharsets.UTF_8);
        this.queue = queue == null ? null : queue.getBytes(StandardCharsets.UTF_8);
    }

    static TestSub sub(String subject) {
        return new TestSub(subject, null);
    }

    static TestSub qsub(String subject, String queue) {
        return new TestSub(subject, queue);
    }

    static TestSub remoteQsub(String subject, String queue, int weight) {
        TestSub sub = new TestSub(subject, queue);
        sub.weight = weight;
        return sub;
    }

    @Override
    public byte[] subject() {
        return subject;
    }

    @Override
    public byte[] queue() {
        return queue;
    }

    @Override
    public int queueWeight() {
        return weight;
    }

    @Override
    public String toString() {
        return queueText == null ? subjectText : subjectText + " [" + queueText + "]";
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<TestSub> plain(SublistResult<TestSub> result) {
        List<TestSub> subs = new ArrayList<>();
        for (int i = 0; i < result.plainCount(); i++) {
            subs.add(result.plain(i));
        }
        return subs;
    }

    /** Queue groups by name, members in result order. */
    static Map<String, List<TestSub>> queues(SublistResult<TestSub> result) {
        Map<String, List<TestSub>> groups = new TreeMap<>();
        for (int g = 0; g < result.queueGroupCount(); g++) {
            List<TestSub> members = new ArrayList<>();
            for (int i = 0; i < result.queueGroupSize(g); i++) {
                members.add(result.queueMember(g, i));
            }
            List<TestSub> previous = groups.put(members.get(0).queueText, members);
            if (previous != null) {
                throw new AssertionError("queue group " + members.get(0).queueText + " appears twice");
            }
        }
        return groups;
    }
}
