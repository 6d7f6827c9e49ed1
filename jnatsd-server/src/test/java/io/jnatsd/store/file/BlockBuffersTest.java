package io.jnatsd.store.file;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The recycled block arrays: what is kept, and what a taker may get. */
class BlockBuffersTest {

    // sizes no store of the other tests uses, so a shared pool does not disturb these checks
    private static final int ODD = BlockBuffers.MIN_POOLED * 3 + 12_345;

    @Test
    void aReturnedLargeArrayIsHandedOutAgainWithinTheAskedBounds() {
        byte[] a = new byte[ODD];
        BlockBuffers.give(a);
        assertThat(BlockBuffers.take(ODD + 1, Long.MAX_VALUE)).as("too small for the taker").isNotSameAs(a);
        assertThat(BlockBuffers.take(ODD - 10, ODD - 1)).as("longer than the taker's maximum").isNotSameAs(a);
        assertThat(BlockBuffers.take(ODD - 10, ODD)).isSameAs(a);
        assertThat(BlockBuffers.take(ODD - 10, ODD)).as("handed out once; a new one of the full size")
                .isNotSameAs(a).hasSize(ODD);
        assertThat(BlockBuffers.take(ODD / 3, ODD)).as("a small taker gets what it asked for").hasSize(ODD / 3);
    }

    @Test
    void smallArraysAreLeftToTheCollector() {
        byte[] small = new byte[BlockBuffers.MIN_POOLED - 1];
        BlockBuffers.give(small);
        assertThat(BlockBuffers.take(BlockBuffers.MIN_POOLED - 1, BlockBuffers.MIN_POOLED - 1)).isNotSameAs(small);
    }

    @Test
    void thePoolIsBounded() {
        for (int i = 0; i < BlockBuffers.MAX_ARRAYS + 5; i++) {
            BlockBuffers.give(new byte[BlockBuffers.MIN_POOLED]);
        }
        assertThat(BlockBuffers.pooled()).isLessThanOrEqualTo(BlockBuffers.MAX_ARRAYS);
        while (BlockBuffers.pooled() > 0) {
            BlockBuffers.take(BlockBuffers.MIN_POOLED, Long.MAX_VALUE);
        }
    }
}
