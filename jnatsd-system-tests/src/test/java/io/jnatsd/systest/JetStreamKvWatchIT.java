package io.jnatsd.systest;

import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.MessageTtl;
import io.nats.client.Nats;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValuePurgeOptions;
import io.nats.client.api.KeyValueStatus;
import io.nats.client.api.KeyValueWatchOption;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.api.Republish;
import io.nats.client.api.StorageType;
import io.nats.client.impl.NatsKeyValueWatchSubscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Key-Value through jnats where it needs consumers: watches with every {@link KeyValueWatchOption}, from a
 * revision, per key, wildcard and multi-key; {@code keys()} with filters, {@code history()}, {@code purgeDeletes}
 * with its threshold, bucket and per-key TTLs with limit markers, revision conflicts and the bucket options
 * (compression, republish, metadata).
 */
@SuppressWarnings("try")
class JetStreamKvWatchIT {

    private static final long WAIT_SECONDS = 10;

    @TempDir
    Path storeDir;

    private EmbeddedServer server;
    private io.nats.client.Connection nc;
    private KeyValueManagement kvm;

    @BeforeEach
    void start() throws Exception {
        server = EmbeddedServer.startJetStream(storeDir);
        nc = Nats.connect(server.url());
        kvm = nc.keyValueManagement();
    }

    @AfterEach
    void stop() throws Exception {
        nc.close();
        server.close();
    }

    /** Collects what a watch delivers; {@link #endOfData} opens once the initial values are through. */
    private static final class Collector implements KeyValueWatcher {
        final BlockingQueue<KeyValueEntry> entries = new LinkedBlockingQueue<>();
        final CountDownLatch endOfData = new CountDownLatch(1);

        @Override
        public void watch(KeyValueEntry entry) {
            entries.add(entry);
        }

        @Override
        public void endOfData() {
            endOfData.countDown();
        }

        List<KeyValueEntry> initial() throws InterruptedException {
            assertThat(endOfData.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("end of data").isTrue();
            List<KeyValueEntry> out = new ArrayList<>();
            entries.drainTo(out);
            return out;
        }

        KeyValueEntry next() throws InterruptedException {
            KeyValueEntry e = entries.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(e).as("next watched entry").isNotNull();
            return e;
        }
    }

    private static String describe(KeyValueEntry e) {
        return e.getKey() + "=" + (e.getOperation() == KeyValueOperation.PUT ? e.getValueAsString()
                : e.getOperation().name()) + "@" + e.getRevision();
    }

    private KeyValue bucket(String name, StorageType storage, int history) throws Exception {
        kvm.create(KeyValueConfiguration.builder().name(name).storageType(storage).maxHistoryPerKey(history)
                .build());
        return nc.keyValue(name);
    }

    private static void fill(KeyValue kv) throws Exception {
        kv.put("a", "1");         // 1
        kv.put("b", "1");         // 2
        kv.put("a", "2");         // 3
        kv.put("c.x", "1");       // 4
        kv.delete("b");           // 5
        kv.put("c.y", "1");       // 6
        kv.put("a", "3");         // 7
    }

    @Test
    void watchAllWithEveryOption() throws Exception {
        KeyValue kv = bucket("W", StorageType.File, 10);
        fill(kv);
        Collector plain = new Collector();
        Collector history = new Collector();
        Collector ignoreDelete = new Collector();
        Collector metaOnly = new Collector();
        Collector updatesOnly = new Collector();
        Collector fromRevision = new Collector();
        try (NatsKeyValueWatchSubscription s1 = kv.watchAll(plain);
             NatsKeyValueWatchSubscription s2 = kv.watchAll(history, KeyValueWatchOption.INCLUDE_HISTORY);
             NatsKeyValueWatchSubscription s3 = kv.watchAll(ignoreDelete, KeyValueWatchOption.IGNORE_DELETE);
             NatsKeyValueWatchSubscription s4 = kv.watchAll(metaOnly, KeyValueWatchOption.META_ONLY);
             NatsKeyValueWatchSubscription s5 = kv.watchAll(updatesOnly, KeyValueWatchOption.UPDATES_ONLY);
             NatsKeyValueWatchSubscription s6 = kv.watchAll(fromRevision, 4)) {
            assertThat(plain.initial()).extracting(JetStreamKvWatchIT::describe)
                    .containsExactly("c.x=1@4", "b=DELETE@5", "c.y=1@6", "a=3@7");
            assertThat(history.initial()).extracting(JetStreamKvWatchIT::describe)
                    .containsExactly("a=1@1", "b=1@2", "a=2@3", "c.x=1@4", "b=DELETE@5", "c.y=1@6", "a=3@7");
            assertThat(ignoreDelete.initial()).extracting(JetStreamKvWatchIT::describe)
                    .containsExactly("c.x=1@4", "c.y=1@6", "a=3@7");
            List<KeyValueEntry> meta = metaOnly.initial();
            assertThat(meta).extracting(KeyValueEntry::getRevision).containsExactly(4L, 5L, 6L, 7L);
            assertThat(meta).allSatisfy(e -> assertThat(e.getValue()).isNull());
            assertThat(meta).extracting(KeyValueEntry::getDataLen).containsExactly(1L, 0L, 1L, 1L);
            assertThat(updatesOnly.initial()).isEmpty();
            assertThat(fromRevision.initial()).extracting(JetStreamKvWatchIT::describe)
                    .containsExactly("c.x=1@4", "b=DELETE@5", "c.y=1@6", "a=3@7");

            kv.put("d", "1");          // 8
            kv.purge("a");             // 9
            for (Collector c : List.of(plain, history, updatesOnly, fromRevision)) {
                assertThat(describe(c.next())).isEqualTo("d=1@8");
                assertThat(describe(c.next())).isEqualTo("a=PURGE@9");
            }
            assertThat(describe(ignoreDelete.next())).isEqualTo("d=1@8");
            assertThat(metaOnly.next().getRevision()).isEqualTo(8);
            assertThat(metaOnly.next().getOperation()).isEqualTo(KeyValueOperation.PURGE);
            kv.put("e", "1");          // 10: the purge was skipped by ignoreDelete
            assertThat(describe(ignoreDelete.next())).isEqualTo("e=1@10");
        }
    }

    @Test
    void perKeyWildcardAndMultiKeyWatches() throws Exception {
        KeyValue kv = bucket("K", StorageType.Memory, 5);
        fill(kv);
        Collector one = new Collector();
        Collector wild = new Collector();
        Collector multi = new Collector();
        Collector oneHistory = new Collector();
        Collector empty = new Collector();
        try (NatsKeyValueWatchSubscription s1 = kv.watch("a", one);
             NatsKeyValueWatchSubscription s2 = kv.watch("c.*", wild);
             NatsKeyValueWatchSubscription s3 = kv.watch(List.of("a", "b"), multi);
             NatsKeyValueWatchSubscription s4 = kv.watch("a", oneHistory, 2, KeyValueWatchOption.INCLUDE_HISTORY);
             NatsKeyValueWatchSubscription s5 = kv.watch("nothing.here", empty)) {
            assertThat(one.initial()).extracting(JetStreamKvWatchIT::describe).containsExactly("a=3@7");
            assertThat(wild.initial()).extracting(JetStreamKvWatchIT::describe).containsExactly("c.x=1@4", "c.y=1@6");
            assertThat(multi.initial()).extracting(JetStreamKvWatchIT::describe).containsExactly("b=DELETE@5", "a=3@7");
            assertThat(oneHistory.initial()).extracting(JetStreamKvWatchIT::describe).containsExactly("a=2@3", "a=3@7");
            assertThat(empty.initial()).isEmpty();
            kv.put("c.z", "2");
            kv.put("a", "4");
            assertThat(describe(wild.next())).isEqualTo("c.z=2@8");
            assertThat(describe(one.next())).isEqualTo("a=4@9");
            assertThat(describe(multi.next())).isEqualTo("a=4@9");
            assertThat(describe(oneHistory.next())).isEqualTo("a=4@9");
            assertThat(empty.entries).isEmpty();
        }
    }

    @Test
    void keysHistoryAndPurgeDeletes() throws Exception {
        KeyValue kv = bucket("H", StorageType.File, 10);
        fill(kv);
        assertThat(kv.keys()).containsExactlyInAnyOrder("a", "c.x", "c.y");
        assertThat(kv.keys("c.*")).containsExactlyInAnyOrder("c.x", "c.y");
        assertThat(kv.keys(List.of("a", "b"))).containsExactly("a");
        assertThat(kv.keys("none.>")).isEmpty();
        assertThat(kv.history("a")).extracting(JetStreamKvWatchIT::describe)
                .containsExactly("a=1@1", "a=2@3", "a=3@7");
        assertThat(kv.history("b")).extracting(JetStreamKvWatchIT::describe).containsExactly("b=1@2", "b=DELETE@5");
        assertThat(kv.history("unknown")).isEmpty();

        kv.purge("c.x");
        assertThat(kv.history("c.x")).extracting(JetStreamKvWatchIT::describe).containsExactly("c.x=PURGE@8");
        // markers younger than the threshold keep their marker, older ones are purged with everything
        kv.purgeDeletes(KeyValuePurgeOptions.builder().deleteMarkersThreshold(Duration.ofHours(1)).build());
        assertThat(kv.history("b")).extracting(JetStreamKvWatchIT::describe).containsExactly("b=DELETE@5");
        assertThat(kv.history("c.x")).extracting(JetStreamKvWatchIT::describe).containsExactly("c.x=PURGE@8");
        kv.purgeDeletes(KeyValuePurgeOptions.builder().deleteMarkersNoThreshold().build());
        assertThat(kv.history("b")).isEmpty();
        assertThat(kv.history("c.x")).isEmpty();
        assertThat(kv.keys()).containsExactlyInAnyOrder("a", "c.y");
        KeyValueStatus status = kv.getStatus();
        assertThat(status.getEntryCount()).isEqualTo(4);   // a: 3 revisions, c.y: 1
    }

    @Test
    void revisionConflictsOnCreateUpdateDeleteAndPurge() throws Exception {
        KeyValue kv = bucket("R", StorageType.Memory, 3);
        long r1 = kv.create("k", "v1".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> kv.create("k", "v2".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(JetStreamApiException.class, e -> {
                    assertThat(e.getApiErrorCode()).isEqualTo(10071);
                    assertThat(e.getErrorDescription()).isEqualTo("wrong last sequence: 1");
                });
        assertThatThrownBy(() -> kv.update("k", "v2", r1 + 5)).isInstanceOf(JetStreamApiException.class);
        assertThatThrownBy(() -> kv.delete("k", r1 + 5)).isInstanceOf(JetStreamApiException.class);
        assertThatThrownBy(() -> kv.purge("k", r1 + 5)).isInstanceOf(JetStreamApiException.class);
        kv.delete("k", r1);
        long r3 = kv.create("k", "v3".getBytes(StandardCharsets.UTF_8));   // create over a delete marker
        assertThat(r3).isEqualTo(3);
        kv.purge("k", r3);
        assertThat(kv.get("k")).isNull();
        assertThat(kv.history("k")).extracting(JetStreamKvWatchIT::describe).containsExactly("k=PURGE@4");
    }

    @Test
    void bucketTtlPerKeyTtlAndLimitMarkers() throws Exception {
        kvm.create(KeyValueConfiguration.builder().name("T").storageType(StorageType.Memory)
                .ttl(Duration.ofSeconds(1)).limitMarker(Duration.ofSeconds(1)).build());
        assertThat(nc.jetStreamManagement().getStreamInfo("KV_T").getConfiguration().getAllowMessageTtl()).isTrue();
        assertThat(nc.jetStreamManagement().getStreamInfo("KV_T").getConfiguration().getSubjectDeleteMarkerTtl())
                .isEqualTo(Duration.ofSeconds(1));
        KeyValue kv = nc.keyValue("T");
        Collector watch = new Collector();
        try (NatsKeyValueWatchSubscription s = kv.watchAll(watch, KeyValueWatchOption.INCLUDE_HISTORY)) {
            assertThat(watch.initial()).isEmpty();
            kv.put("short", "v");
            assertThat(describe(watch.next())).isEqualTo("short=v@1");
            // max_age removes the value and leaves a delete marker that itself lives one second
            KeyValueEntry marker = watch.next();
            assertThat(marker.getKey()).isEqualTo("short");
            assertThat(marker.getOperation()).isIn(KeyValueOperation.PURGE, KeyValueOperation.DELETE);
            assertThat(kv.get("short")).isNull();
        }
        kvm.create(KeyValueConfiguration.builder().name("P").storageType(StorageType.File)
                .limitMarker(Duration.ofSeconds(30)).build());
        KeyValue perKey = nc.keyValue("P");
        Collector w2 = new Collector();
        try (NatsKeyValueWatchSubscription s = perKey.watchAll(w2, KeyValueWatchOption.INCLUDE_HISTORY)) {
            assertThat(w2.initial()).isEmpty();
            perKey.create("session", "x".getBytes(StandardCharsets.UTF_8), MessageTtl.seconds(1));
            perKey.put("stays", "y");
            assertThat(describe(w2.next())).isEqualTo("session=x@1");
            assertThat(describe(w2.next())).isEqualTo("stays=y@2");
            KeyValueEntry expired = w2.next();
            assertThat(expired.getKey()).isEqualTo("session");
            assertThat(expired.getOperation()).isIn(KeyValueOperation.PURGE, KeyValueOperation.DELETE);
            assertThat(perKey.get("session")).isNull();
            assertThat(perKey.get("stays").getValueAsString()).isEqualTo("y");
            perKey.purge("stays", MessageTtl.seconds(1));
            assertThat(describe(w2.next())).isEqualTo("stays=PURGE@4");
        }
    }

    @Test
    void bucketListNamesStatusAndOptions() throws Exception {
        kvm.create(KeyValueConfiguration.builder().name("opts").storageType(StorageType.File).compression(true)
                .description("described").metadata(Map.of("team", "core")).maxBucketSize(1 << 20)
                .maximumValueSize(1024).republish(Republish.builder().source(">").destination("repub.>").build())
                .build());
        bucket("plain", StorageType.Memory, 1);
        assertThat(kvm.getBucketNames()).containsExactlyInAnyOrder("opts", "plain");
        assertThat(kvm.getStatuses()).extracting(KeyValueStatus::getBucketName)
                .containsExactlyInAnyOrder("opts", "plain");
        KeyValueStatus st = kvm.getStatus("opts");
        assertThat(st.isCompressed()).isTrue();
        assertThat(st.getDescription()).isEqualTo("described");
        assertThat(st.getMetadata()).containsEntry("team", "core");
        assertThat(st.getMaxBucketSize()).isEqualTo(1 << 20);
        assertThat(st.getMaximumValueSize()).isEqualTo(1024);
        assertThat(st.getBackingStore()).isEqualTo("JetStream");
        assertThat(st.getRepublish().getDestination()).isEqualTo("repub.>");
        KeyValue kv = nc.keyValue("opts");
        io.nats.client.Subscription repub = nc.subscribe("repub.>");
        nc.flush(Duration.ofSeconds(WAIT_SECONDS));
        kv.put("k", "v");
        io.nats.client.Message m = repub.nextMessage(Duration.ofSeconds(WAIT_SECONDS));
        assertThat(m.getSubject()).isEqualTo("repub.$KV.opts.k");
        assertThat(new String(m.getData(), StandardCharsets.UTF_8)).isEqualTo("v");
        assertThatThrownBy(() -> kv.put("big", new byte[2048])).isInstanceOf(JetStreamApiException.class);
        assertThat(kv.get("k").getValueAsString()).isEqualTo("v");
    }
}
