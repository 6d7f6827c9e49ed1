package io.jnatsd.bench.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SeqCheckTest {

    @Test
    void shouldAcceptEveryMessageInOrder() {
        SeqCheck c = SeqCheck.ordered(16);
        for (long s = 1; s <= 100; s++) {
            c.accept(s);
        }

        assertThat(c.complete(100)).isTrue();
        assertThat(c.received()).isEqualTo(100);
        assertThat(c.complete(101)).isFalse();
    }

    @Test
    void shouldCountGapsAsMissing() {
        SeqCheck c = SeqCheck.ordered(8);
        c.accept(1);
        c.accept(2);
        c.accept(5);

        assertThat(c.missing()).isEqualTo(2);
        assertThat(c.last()).isEqualTo(5);
        assertThat(c.complete(5)).isFalse();
    }

    @Test
    void shouldCountDuplicatesAndReorderingAsBackwards() {
        SeqCheck c = SeqCheck.ordered(8);
        c.accept(1);
        c.accept(2);
        c.accept(2);
        c.accept(1);
        c.accept(3);

        assertThat(c.backwards()).isEqualTo(2);
        assertThat(c.missing()).isZero();
        assertThat(c.complete(3)).isFalse();
    }

    @Test
    void shouldCheckShortPayloadsModuloTheirWidth() {
        SeqCheck c = SeqCheck.ordered(1);
        for (long s = 1; s <= 600; s++) {
            c.accept(s & 0xFF);
        }

        assertThat(c.complete(600)).isTrue();

        SeqCheck gap = SeqCheck.ordered(1);
        gap.accept(1);
        gap.accept(3);
        assertThat(gap.missing()).isEqualTo(1);
    }

    @Test
    void shouldOnlyCountEmptyPayloads() {
        SeqCheck c = SeqCheck.ordered(0);
        c.accept(0);
        c.accept(0);

        assertThat(c.complete(2)).isTrue();
        assertThat(c.complete(3)).isFalse();
    }

    @Test
    void shouldAcceptAnIncreasingSubsetForQueueMembers() {
        SeqCheck c = SeqCheck.increasing(8);
        c.accept(2);
        c.accept(5);
        c.accept(9);
        c.accept(9);

        assertThat(c.missing()).isZero();
        assertThat(c.backwards()).isEqualTo(1);
        assertThat(c.received()).isEqualTo(4);
    }

    @Test
    void shouldMergeQueueMembersIntoExactlyOnceDelivery() {
        SeqCoverage a = new SeqCoverage();
        SeqCoverage b = new SeqCoverage();
        for (long s = 1; s <= 200_000; s++) {
            (s % 3 == 0 ? a : b).add(s);
        }

        assertThat(SeqCoverage.merge(List.of(a, b), 200_000)).isEqualTo(new SeqCoverage.Merged(0, 0));
    }

    @Test
    void shouldFindMissingAndDuplicatedQueueDeliveries() {
        SeqCoverage a = new SeqCoverage();
        SeqCoverage b = new SeqCoverage();
        a.add(1);
        a.add(2);
        b.add(2);       // delivered to two members
        a.add(4);       // 3 never delivered
        a.add(4);       // twice to the same member
        b.add(70);      // beyond what was published

        assertThat(SeqCoverage.merge(List.of(a, b), 5)).isEqualTo(new SeqCoverage.Merged(2, 3));
    }
}
