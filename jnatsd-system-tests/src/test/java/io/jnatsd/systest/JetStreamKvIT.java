package io.jnatsd.systest;

import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.ObjectStore;
import io.nats.client.ObjectStoreManagement;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueStatus;
import io.nats.client.api.ObjectInfo;
import io.nats.client.api.ObjectMeta;
import io.nats.client.api.ObjectStoreConfiguration;
import io.nats.client.api.ObjectStoreStatus;
import io.nats.client.api.StorageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Key-Value and Object Store through jnats, as far as they need no consumer: buckets (create, status, names,
 * delete), put/get/create/update with revision checks, delete and purge markers, history by revision through direct
 * gets; object store buckets, puts, infos, links, deletes and status.
 */
@SuppressWarnings("try")
class JetStreamKvIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path storeDir;

    private EmbeddedServer server;
    private io.nats.client.Connection nc;

    @BeforeEach
    void start() throws Exception {
        server = EmbeddedServer.startJetStream(storeDir);
        nc = Nats.connect(server.url());
    }

    @AfterEach
    void stop() throws Exception {
        nc.close();
        server.close();
    }

    private static String text(KeyValueEntry e) {
        return new String(e.getValue(), StandardCharsets.UTF_8);
    }

    @Test
    void keyValueBasics() throws Exception {
        KeyValueManagement kvm = nc.keyValueManagement();
        KeyValueStatus status = kvm.create(KeyValueConfiguration.builder().name("cfg").maxHistoryPerKey(5)
                .storageType(StorageType.Memory).build());
        assertThat(status.getBucketName()).isEqualTo("cfg");
        assertThat(status.getMaxHistoryPerKey()).isEqualTo(5);
        assertThat(kvm.getBucketNames()).containsExactly("cfg");
        KeyValue kv = nc.keyValue("cfg");
        long r1 = kv.put("db.url", "postgres://a");
        assertThat(r1).isEqualTo(1);
        long r2 = kv.put("db.url", "postgres://b");
        assertThat(text(kv.get("db.url"))).isEqualTo("postgres://b");
        assertThat(text(kv.get("db.url", r1))).isEqualTo("postgres://a");
        assertThat(kv.get("db.url").getRevision()).isEqualTo(r2);
        assertThat(kv.get("missing")).isNull();
        long r3 = kv.update("db.url", "postgres://c".getBytes(StandardCharsets.UTF_8), r2);
        assertThat(r3).isEqualTo(3);
        assertThatThrownBy(() -> kv.update("db.url", "x".getBytes(StandardCharsets.UTF_8), r2))
                .isInstanceOfSatisfying(JetStreamApiException.class, e -> {
                    assertThat(e.getApiErrorCode()).isEqualTo(10071);
                    assertThat(e.getErrorDescription()).isEqualTo("wrong last sequence: 3");
                });
        assertThat(kv.create("new.key", "v".getBytes(StandardCharsets.UTF_8))).isEqualTo(4);
        assertThatThrownBy(() -> kv.create("new.key", "w".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(JetStreamApiException.class);
        kv.delete("new.key");
        KeyValueEntry deleted = kv.get("new.key");
        assertThat(deleted).isNull();
        assertThat(kv.create("new.key", "again".getBytes(StandardCharsets.UTF_8))).isEqualTo(6);
        kv.purge("db.url");
        assertThat(kv.get("db.url")).isNull();
        assertThat(kv.getStatus().getEntryCount()).isEqualTo(4);   // db.url: its purge marker; new.key: 3 revisions
        Message marker = nc.request("$JS.API.DIRECT.GET.KV_cfg.$KV.cfg.db.url", new byte[0], TIMEOUT);
        assertThat(marker.getHeaders().getFirst("KV-Operation")).isEqualTo(KeyValueOperation.PURGE.name());
        kvm.update(KeyValueConfiguration.builder(kvm.getStatus("cfg").getConfiguration()).maxHistoryPerKey(10)
                .build());
        assertThat(kvm.getStatus("cfg").getMaxHistoryPerKey()).isEqualTo(10);
        kvm.delete("cfg");
        assertThat(kvm.getBucketNames()).isEmpty();
    }

    @Test
    void objectStoreBasics() throws Exception {
        ObjectStoreManagement osm = nc.objectStoreManagement();
        ObjectStoreStatus status = osm.create(ObjectStoreConfiguration.builder("files")
                .storageType(StorageType.Memory).build());
        assertThat(status.getBucketName()).isEqualTo("files");
        assertThat(osm.getBucketNames()).containsExactly("files");
        ObjectStore os = nc.objectStore("files");
        byte[] data = "hello object store".getBytes(StandardCharsets.UTF_8);
        ObjectInfo info = os.put(ObjectMeta.objectName("greeting.txt"), new ByteArrayInputStream(data));
        assertThat(info.getSize()).isEqualTo(data.length);
        assertThat(info.getChunks()).isEqualTo(1);
        ObjectInfo again = os.getInfo("greeting.txt");
        assertThat(again.getNuid()).isEqualTo(info.getNuid());
        assertThat(again.getDigest()).isEqualTo(info.getDigest());
        ObjectInfo link = os.addLink("alias", again);
        assertThat(link.isLink()).isTrue();
        assertThat(os.getStatus().getSize()).isPositive();
        os.delete("greeting.txt");
        assertThat(os.getInfo("greeting.txt", true).isDeleted()).isTrue();
        assertThat(os.getInfo("greeting.txt")).isNull();
        os.seal();
        assertThat(os.getStatus().isSealed()).isTrue();
        osm.delete("files");
        assertThat(osm.getBucketNames()).isEmpty();
    }
}
