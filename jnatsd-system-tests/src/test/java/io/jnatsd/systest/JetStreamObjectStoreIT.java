package io.jnatsd.systest;

import io.jnatsd.config.JetStreamOptions;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.ObjectStore;
import io.nats.client.ObjectStoreManagement;
import io.nats.client.api.ObjectInfo;
import io.nats.client.api.ObjectMeta;
import io.nats.client.api.ObjectMetaOptions;
import io.nats.client.api.ObjectStoreConfiguration;
import io.nats.client.api.ObjectStoreStatus;
import io.nats.client.api.ObjectStoreWatchOption;
import io.nats.client.api.ObjectStoreWatcher;
import io.nats.client.api.StorageType;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsObjectStoreWatchSubscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Object Store through jnats: put and get through streams, byte arrays and files (many chunks, custom chunk
 * sizes), info, list, delete, object and bucket links, metadata updates, seal, watch and status.
 */
@SuppressWarnings("try")
class JetStreamObjectStoreIT {

    private static final long WAIT_SECONDS = 10;

    @TempDir
    Path dir;

    private EmbeddedServer server;
    private io.nats.client.Connection nc;
    private ObjectStoreManagement osm;

    @BeforeEach
    void start() throws Exception {
        server = EmbeddedServer.start(b -> b.jetStream(JetStreamOptions.DISABLED.toBuilder().enabled(true)
                .storeDir(dir.resolve("js").toString()).build()));
        nc = Nats.connect(server.url());
        osm = nc.objectStoreManagement();
    }

    @AfterEach
    void stop() throws Exception {
        nc.close();
        server.close();
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] read(ObjectStore os, String name) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        os.get(name, out);
        return out.toByteArray();
    }

    @Test
    void putAndGetThroughStreamsBytesAndFiles() throws Exception {
        for (StorageType storage : List.of(StorageType.File, StorageType.Memory)) {
            String bucket = "data-" + storage.name().toLowerCase();
            ObjectStore os = nc.objectStore(osm.create(ObjectStoreConfiguration.builder(bucket)
                    .storageType(storage).build()).getBucketName());
            byte[] big = random(1_000_003, 1);   // 8 chunks of 128 KiB, the last one short
            ObjectInfo info = os.put(ObjectMeta.objectName("big.bin"), new ByteArrayInputStream(big));
            assertThat(info.getChunks()).isEqualTo(8);
            assertThat(info.getSize()).isEqualTo(big.length);
            assertThat(read(os, "big.bin")).isEqualTo(big);

            byte[] small = "tiny".getBytes(StandardCharsets.UTF_8);
            ObjectInfo custom = os.put(ObjectMeta.builder("chunky").chunkSize(3).description("three byte chunks")
                    .build(), new ByteArrayInputStream(small));
            assertThat(custom.getChunks()).isEqualTo(2);
            assertThat(custom.getObjectMeta().getObjectMetaOptions().getChunkSize()).isEqualTo(3);
            assertThat(read(os, "chunky")).isEqualTo(small);

            ObjectInfo empty = os.put("empty", new byte[0]);
            assertThat(empty.getChunks()).isZero();
            assertThat(read(os, "empty")).isEmpty();

            Path file = dir.resolve(bucket + ".dat");
            Files.write(file, random(300_000, 2));
            ObjectInfo fromFile = os.put(file.toFile());
            assertThat(fromFile.getObjectName()).isEqualTo(bucket + ".dat");
            assertThat(read(os, bucket + ".dat")).isEqualTo(Files.readAllBytes(file));

            // a second put of the same name replaces the object and drops the old chunks
            byte[] replaced = random(200_000, 3);
            os.put("big.bin", replaced);
            assertThat(read(os, "big.bin")).isEqualTo(replaced);
            assertThat(os.getInfo("big.bin").getChunks()).isEqualTo(2);
            assertThat(os.getList()).extracting(ObjectInfo::getObjectName)
                    .containsExactlyInAnyOrder("big.bin", "chunky", "empty", bucket + ".dat");
            assertThat(os.getStatus().getSize()).isLessThan(big.length);
        }
    }

    @Test
    void infoListDeleteLinksAndMetadata() throws Exception {
        ObjectStore os = nc.objectStore(osm.create(ObjectStoreConfiguration.builder("docs")
                .storageType(StorageType.File).description("documents").metadata(Map.of("k", "v")).build())
                .getBucketName());
        ObjectStore other = nc.objectStore(osm.create(ObjectStoreConfiguration.builder("other")
                .storageType(StorageType.Memory).build()).getBucketName());
        Headers h = new Headers().add("X-Origin", "test");
        ObjectInfo a = os.put(ObjectMeta.builder("a.txt").headers(h).metadata(Map.of("lang", "en")).build(),
                new ByteArrayInputStream("alpha".getBytes(StandardCharsets.UTF_8)));
        os.put("b.txt", "beta".getBytes(StandardCharsets.UTF_8));
        ObjectInfo got = os.getInfo("a.txt");
        assertThat(got.getHeaders().getFirst("X-Origin")).isEqualTo("test");
        assertThat(got.getObjectMeta().getMetadata()).containsEntry("lang", "en");
        assertThat(got.getDigest()).isEqualTo(a.getDigest()).startsWith("SHA-256=");

        ObjectInfo link = os.addLink("link-to-a", got);
        assertThat(link.isLink()).isTrue();
        assertThat(link.getLink().getObjectName()).isEqualTo("a.txt");
        assertThat(new String(read(os, "link-to-a"), StandardCharsets.UTF_8)).isEqualTo("alpha");
        ObjectInfo bucketLink = os.addBucketLink("to-other", other);
        assertThat(bucketLink.getLink().isBucketLink()).isTrue();
        assertThatThrownBy(() -> os.addLink("bad", link)).isInstanceOf(IllegalArgumentException.class);

        ObjectInfo renamed = os.updateMeta("b.txt", ObjectMeta.builder("b2.txt").description("renamed")
                .metadata(Map.of("x", "y")).build());
        assertThat(renamed.getObjectName()).isEqualTo("b2.txt");
        assertThat(os.getInfo("b.txt")).isNull();
        assertThat(os.getInfo("b2.txt").getDescription()).isEqualTo("renamed");
        assertThat(new String(read(os, "b2.txt"), StandardCharsets.UTF_8)).isEqualTo("beta");
        assertThatThrownBy(() -> os.updateMeta("a.txt", ObjectMeta.objectName("b2.txt")))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(os.getList()).extracting(ObjectInfo::getObjectName)
                .containsExactlyInAnyOrder("a.txt", "b2.txt", "link-to-a", "to-other");
        ObjectInfo deleted = os.delete("a.txt");
        assertThat(deleted.isDeleted()).isTrue();
        assertThat(deleted.getChunks()).isZero();
        assertThat(os.getInfo("a.txt")).isNull();
        assertThat(os.getInfo("a.txt", true).isDeleted()).isTrue();
        assertThat(os.getList()).extracting(ObjectInfo::getObjectName)
                .containsExactlyInAnyOrder("b2.txt", "link-to-a", "to-other");
        assertThatThrownBy(() -> read(os, "a.txt")).isInstanceOf(IllegalArgumentException.class);

        ObjectStoreStatus status = os.getStatus();
        assertThat(status.getDescription()).isEqualTo("documents");
        assertThat(status.getMetadata()).containsEntry("k", "v");
        assertThat(status.getBackingStore()).isEqualTo("JetStream");
        assertThat(status.isSealed()).isFalse();
        os.seal();
        assertThat(os.getStatus().isSealed()).isTrue();
        assertThatThrownBy(() -> os.put("late", new byte[]{1})).isInstanceOf(JetStreamApiException.class);
        assertThat(osm.getStatuses()).extracting(ObjectStoreStatus::getBucketName)
                .containsExactlyInAnyOrder("docs", "other");
    }

    /** Collects what an object store watch delivers. */
    private static final class Collector implements ObjectStoreWatcher {
        final BlockingQueue<ObjectInfo> infos = new LinkedBlockingQueue<>();
        final CountDownLatch endOfData = new CountDownLatch(1);

        @Override
        public void watch(ObjectInfo info) {
            infos.add(info);
        }

        @Override
        public void endOfData() {
            endOfData.countDown();
        }

        ObjectInfo next() throws InterruptedException {
            ObjectInfo i = infos.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(i).as("next watched object").isNotNull();
            return i;
        }
    }

    @Test
    void watchSeesPutsAndDeletes() throws Exception {
        ObjectStore os = nc.objectStore(osm.create(ObjectStoreConfiguration.builder("w")
                .storageType(StorageType.Memory).build()).getBucketName());
        os.put("first", new byte[]{1});
        os.put("gone", new byte[]{2});
        os.delete("gone");
        Collector all = new Collector();
        Collector live = new Collector();
        Collector history = new Collector();
        try (NatsObjectStoreWatchSubscription s1 = os.watch(all);
             NatsObjectStoreWatchSubscription s2 = os.watch(live, ObjectStoreWatchOption.IGNORE_DELETE,
                     ObjectStoreWatchOption.UPDATES_ONLY);
             NatsObjectStoreWatchSubscription s3 = os.watch(history, ObjectStoreWatchOption.INCLUDE_HISTORY)) {
            assertThat(all.endOfData.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(live.endOfData.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(history.endOfData.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(all.infos).extracting(i -> i.getObjectName() + ":" + i.isDeleted())
                    .containsExactly("first:false", "gone:true");
            assertThat(history.infos).extracting(i -> i.getObjectName() + ":" + i.isDeleted())
                    .containsExactly("first:false", "gone:true");
            assertThat(live.infos).isEmpty();
            all.infos.clear();
            os.put("second", new byte[]{3});
            os.delete("first");
            assertThat(all.next().getObjectName()).isEqualTo("second");
            ObjectInfo del = all.next();
            assertThat(del.getObjectName()).isEqualTo("first");
            assertThat(del.isDeleted()).isTrue();
            assertThat(live.next().getObjectName()).isEqualTo("second");
            os.put("third", new byte[]{4});
            assertThat(live.next().getObjectName()).isEqualTo("third");
        }
    }
}
