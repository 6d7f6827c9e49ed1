package io.jnatsd.systest;

import io.jnatsd.server.conn.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamStatusException;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.nats.client.api.ServerInfo;
import io.nats.client.impl.Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The core server as the official Java client ({@code io.nats:jnats}) sees it: pub/sub, wildcards, queue groups,
 * request/reply, headers, no responders, auto-unsubscribe, no echo, max payload, reconnect, ordering and fan-out.
 */
@SuppressWarnings("try") // jnats' Connection.close() declares InterruptedException
class JnatsClientIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static EmbeddedServer server;

    @BeforeAll
    static void startServer() {
        server = EmbeddedServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static io.nats.client.Connection connect() throws Exception {
        return connect(new Options.Builder());
    }

    private static io.nats.client.Connection connect(Options.Builder options) throws Exception {
        return Nats.connect(options.server(server.url()).connectionTimeout(TIMEOUT).build());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Message message) {
        return new String(message.getData(), StandardCharsets.UTF_8);
    }

    /** Reads {@code count} messages from {@code sub} and returns their subjects. */
    private static List<String> nextSubjects(Subscription sub, int count) throws InterruptedException {
        List<String> subjects = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Message m = sub.nextMessage(TIMEOUT);
            assertThat(m).as("message %d of %d", i + 1, count).isNotNull();
            subjects.add(m.getSubject());
        }
        return subjects;
    }

    @Test
    void shouldConnectAndSeeTheServerInfo() throws Exception {
        try (io.nats.client.Connection nc = connect()) {
            assertThat(nc.getStatus()).isEqualTo(io.nats.client.Connection.Status.CONNECTED);
            ServerInfo info = nc.getServerInfo();
            assertThat(info.getServerId()).isEqualTo(server.server().serverId());
            assertThat(info.getVersion()).isEqualTo("2.15.0-dev");
            assertThat(info.getProtocolVersion()).isEqualTo(1);
            assertThat(info.isHeadersSupported()).isTrue();
            assertThat(nc.getMaxPayload()).isEqualTo(1_048_576L);
            assertThat(nc.RTT()).isPositive();
        }
    }

    @Test
    void shouldPublishAndSubscribe() throws Exception {
        try (io.nats.client.Connection nc = connect()) {
            Subscription sub = nc.subscribe("greet");
            nc.flush(TIMEOUT);
            nc.publish("greet", bytes("hello"));
            Message m = sub.nextMessage(TIMEOUT);
            assertThat(m).isNotNull();
            assertThat(m.getSubject()).isEqualTo("greet");
            assertThat(text(m)).isEqualTo("hello");
            assertThat(m.getReplyTo()).isNull();
        }
    }

    @Test
    void shouldMatchSingleAndMultiTokenWildcards() throws Exception {
        try (io.nats.client.Connection nc = connect()) {
            Subscription star = nc.subscribe("wild.*");
            Subscription tail = nc.subscribe("wild.>");
            Subscription exact = nc.subscribe("wild.a.b");
            nc.flush(TIMEOUT);
            for (String subject : List.of("wild", "wild.a", "wild.a.b", "wild.a.b.c", "other.a", "wild.end")) {
                nc.publish(subject, bytes(subject));
            }
            // "wild.end" comes last on each subscription: nothing else can arrive before it
            assertThat(nextSubjects(star, 2)).containsExactly("wild.a", "wild.end");
            assertThat(nextSubjects(tail, 4)).containsExactly("wild.a", "wild.a.b", "wild.a.b.c", "wild.end");
            assertThat(nextSubjects(exact, 1)).containsExactly("wild.a.b");
            nc.publish("wild.a.b", bytes("again"));
            assertThat(text(exact.nextMessage(TIMEOUT))).isEqualTo("again");
        }
    }

    @Test
    void shouldDeliverEachQueueMessageToExactlyOneMember() throws Exception {
        int total = 400;
        try (io.nats.client.Connection a = connect(); io.nats.client.Connection b = connect();
             io.nats.client.Connection watcher = connect(); io.nats.client.Connection pub = connect()) {
            List<Set<String>> got = List.of(ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet());
            AtomicInteger duplicates = new AtomicInteger();
            AtomicInteger done = new AtomicInteger();
            List<io.nats.client.Connection> members = List.of(a, b);
            for (int i = 0; i < 2; i++) {
                Set<String> mine = got.get(i);
                // one dispatcher per member: its queue message and the "done" marker are handled in arrival order
                Dispatcher d = members.get(i).createDispatcher(m -> {
                    if (m.getSubject().equals("work.done")) {
                        done.incrementAndGet();
                    } else if (!mine.add(text(m))) {
                        duplicates.incrementAndGet();
                    }
                });
                d.subscribe("work", "workers");
                d.subscribe("work.done");
                members.get(i).flush(TIMEOUT);
            }
            Set<String> all = ConcurrentHashMap.newKeySet();
            watcher.createDispatcher(m -> all.add(text(m))).subscribe("work");
            watcher.flush(TIMEOUT);

            for (int i = 0; i < total; i++) {
                pub.publish("work", bytes(Integer.toString(i)));
            }
            pub.publish("work.done", new byte[0]);
            pub.flush(TIMEOUT);

            Await.until(TIMEOUT, () -> "done markers: " + done.get(), () -> done.get() == 2);
            Await.until(TIMEOUT, () -> "plain subscriber got " + all.size(), () -> all.size() == total);
            assertThat(duplicates.get()).isZero();
            assertThat(got.get(0)).doesNotContainAnyElementsOf(got.get(1));
            Set<String> union = new HashSet<>(got.get(0));
            union.addAll(got.get(1));
            assertThat(union).hasSize(total).isEqualTo(all);
            assertThat(got.get(0)).as("member a got some").isNotEmpty();
            assertThat(got.get(1)).as("member b got some").isNotEmpty();
        }
    }

    @Test
    void shouldAnswerRequests() throws Exception {
        try (io.nats.client.Connection responder = connect(); io.nats.client.Connection requester = connect()) {
            Dispatcher d = responder.createDispatcher(m -> responder.publish(m.getReplyTo(),
                    bytes("echo:" + text(m))));
            d.subscribe("svc.echo");
            responder.flush(TIMEOUT);

            Message reply = requester.request("svc.echo", bytes("ping"), TIMEOUT);
            assertThat(reply).isNotNull();
            assertThat(text(reply)).isEqualTo("echo:ping");

            List<CompletableFuture<Message>> futures = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                futures.add(requester.request("svc.echo", bytes("n" + i)));
            }
            for (int i = 0; i < 50; i++) {
                assertThat(text(futures.get(i).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))).isEqualTo("echo:n" + i);
            }
        }
    }

    @Test
    void shouldRoundTripMultiValueHeaders() throws Exception {
        try (io.nats.client.Connection nc = connect()) {
            Subscription sub = nc.subscribe("hdr");
            nc.flush(TIMEOUT);
            Headers headers = new Headers().add("X-Multi", "one", "two", "three").add("X-Single", "solo")
                    .add("X-Spaces", "a b  c");
            nc.publish("hdr", "re.ply", headers, bytes("body"));

            Message m = sub.nextMessage(TIMEOUT);
            assertThat(m).isNotNull();
            assertThat(m.hasHeaders()).isTrue();
            assertThat(m.getHeaders().get("X-Multi")).containsExactly("one", "two", "three");
            assertThat(m.getHeaders().get("X-Single")).containsExactly("solo");
            assertThat(m.getHeaders().get("X-Spaces")).containsExactly("a b  c");
            assertThat(m.getReplyTo()).isEqualTo("re.ply");
            assertThat(text(m)).isEqualTo("body");
        }
    }

    @Test
    void shouldFailRequestWithNoRespondersStatus() throws Exception {
        try (io.nats.client.Connection nc = connect(new Options.Builder().reportNoResponders())) {
            CompletableFuture<Message> future = nc.request("nobody.home", bytes("anyone?"));
            assertThatThrownBy(() -> future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(JetStreamStatusException.class)
                    .satisfies(e -> assertThat(((JetStreamStatusException) e).getStatus().getCode()).isEqualTo(503));
        }
        try (io.nats.client.Connection nc = connect()) {
            // without reportNoResponders jnats cancels the request future on the 503
            CompletableFuture<Message> future = nc.request("nobody.home", bytes("anyone?"));
            assertThatThrownBy(() -> future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(CancellationException.class);
            assertThat(future.isCancelled()).isTrue();
            // the blocking form turns the cancellation into a null reply, long before its timeout
            assertThat(nc.request("nobody.home", bytes("anyone?"), TIMEOUT)).isNull();
        }
    }

    @Test
    void shouldStopAfterAutoUnsubscribeLimit() throws Exception {
        try (io.nats.client.Connection nc = connect(new Options.Builder().connectionName("auto-unsub"));
             io.nats.client.Connection pub = connect()) {
            Subscription sync = nc.subscribe("auto.sync");
            sync.unsubscribe(3);
            AtomicInteger dispatched = new AtomicInteger();
            AtomicInteger dispatchedAtEnd = new AtomicInteger(-1);
            // one dispatcher thread: "auto.end" is handled after every earlier "auto.async" message
            Dispatcher d = nc.createDispatcher();
            Subscription async = d.subscribe("auto.async", m -> dispatched.incrementAndGet());
            d.unsubscribe(async, 2);
            d.subscribe("auto.end", m -> dispatchedAtEnd.set(dispatched.get()));
            nc.flush(TIMEOUT);
            Connection onServer = server.clientNamed("auto-unsub").orElseThrow();
            assertThat(onServer.subscriptionCount()).isEqualTo(3);

            for (int i = 0; i < 5; i++) {
                pub.publish("auto.sync", bytes("s" + i));
                pub.publish("auto.async", bytes("a" + i));
            }
            pub.publish("auto.end", new byte[0]);
            pub.flush(TIMEOUT);

            assertThat(List.of(text(sync.nextMessage(TIMEOUT)), text(sync.nextMessage(TIMEOUT)),
                    text(sync.nextMessage(TIMEOUT)))).containsExactly("s0", "s1", "s2");
            Await.until(TIMEOUT, "end marker", () -> dispatchedAtEnd.get() >= 0);
            assertThat(dispatchedAtEnd.get()).isEqualTo(2);
            // the server removed both limited subscriptions itself; only "auto.end" is left
            Await.until(TIMEOUT, () -> "server subs: " + onServer.subscriptionCount(),
                    () -> onServer.subscriptionCount() == 1);
            assertThat(sync.isActive()).isFalse();
        }
    }

    @Test
    void shouldNotEchoOwnMessagesWithNoEcho() throws Exception {
        try (io.nats.client.Connection quiet = connect(new Options.Builder().noEcho());
             io.nats.client.Connection other = connect()) {
            Subscription own = quiet.subscribe("echo.test");
            Subscription theirs = other.subscribe("echo.test");
            quiet.flush(TIMEOUT);
            other.flush(TIMEOUT);

            quiet.publish("echo.test", bytes("from-quiet"));
            quiet.flush(TIMEOUT);
            other.publish("echo.test", bytes("from-other"));

            assertThat(text(theirs.nextMessage(TIMEOUT))).isEqualTo("from-quiet");
            assertThat(text(theirs.nextMessage(TIMEOUT))).isEqualTo("from-other");
            assertThat(text(own.nextMessage(TIMEOUT))).isEqualTo("from-other");
        }
    }

    @Test
    void shouldCarryPayloadsUpToExactlyMaxPayload() throws Exception {
        byte[] payload = new byte[1_048_576];
        new Random(1).nextBytes(payload);
        try (io.nats.client.Connection nc = connect()) {
            Subscription sub = nc.subscribe("big");
            nc.flush(TIMEOUT);
            nc.publish("big", payload);
            Message m = sub.nextMessage(TIMEOUT);
            assertThat(m).isNotNull();
            assertThat(m.getData()).isEqualTo(payload);

            byte[] tooBig = new byte[1_048_577];
            assertThatThrownBy(() -> nc.publish("big", tooBig)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("1048577 vs 1048576");
            nc.publish("big", bytes("still fine"));
            assertThat(text(sub.nextMessage(TIMEOUT))).isEqualTo("still fine");
        }
    }

    @Test
    void shouldReconnectAfterServerRestartOnTheSamePort() throws Exception {
        EmbeddedServer first = EmbeddedServer.start();
        int port = first.port();
        AtomicInteger reconnects = new AtomicInteger();
        // (no reconnectJitter(ZERO): jnats 2.26.2 then never retries after the first refused attempt)
        Options.Builder options = new Options.Builder().server(first.url()).connectionTimeout(TIMEOUT)
                .reconnectWait(Duration.ofMillis(50)).maxReconnects(-1)
                .connectionListener((conn, event) -> {
                    if (event == io.nats.client.ConnectionListener.Events.RECONNECTED) {
                        reconnects.incrementAndGet();
                    }
                });
        EmbeddedServer second = null;
        try (io.nats.client.Connection nc = Nats.connect(options.build())) {
            List<String> received = Collections.synchronizedList(new ArrayList<>());
            nc.createDispatcher(m -> received.add(text(m))).subscribe("restart.test");
            nc.flush(TIMEOUT);
            nc.publish("restart.test", bytes("before"));
            Await.until(TIMEOUT, "message before the restart", () -> received.contains("before"));

            first.close();
            Await.until(TIMEOUT, "client to notice the restart",
                    () -> nc.getStatus() != io.nats.client.Connection.Status.CONNECTED);
            second = startOnPort(port);

            Await.until(Duration.ofSeconds(20), () -> "reconnect, status " + nc.getStatus(),
                    () -> reconnects.get() == 1 && nc.getStatus() == io.nats.client.Connection.Status.CONNECTED);
            nc.flush(TIMEOUT);
            assertThat(nc.getServerInfo().getServerId()).isEqualTo(second.server().serverId());
            try (io.nats.client.Connection pub = Nats.connect(second.url())) {
                pub.publish("restart.test", bytes("after"));
                pub.flush(TIMEOUT);
            }
            Await.until(TIMEOUT, () -> "message after the restart: " + received, () -> received.contains("after"));
            assertThat(received).containsExactly("before", "after");
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    /** Binds {@code port} again; the old listener's port may take a moment to become free. */
    private static EmbeddedServer startOnPort(int port) {
        AtomicReference<EmbeddedServer> started = new AtomicReference<>();
        AtomicReference<RuntimeException> last = new AtomicReference<>();
        Await.until(TIMEOUT, () -> "rebinding port " + port + ": " + last.get(), () -> {
            try {
                started.set(EmbeddedServer.startOnPort(port, b -> b));
                return true;
            } catch (RuntimeException e) {
                last.set(e);
                return false;
            }
        });
        return started.get();
    }

    @Test
    void shouldPreserveOrderPerPublisher() throws Exception {
        int total = 10_000;
        try (io.nats.client.Connection sub = connect(); io.nats.client.Connection pub = connect()) {
            List<Integer> received = Collections.synchronizedList(new ArrayList<>(total));
            Dispatcher d = sub.createDispatcher(m -> received.add(Integer.parseInt(text(m))));
            d.setPendingLimits(-1, -1);
            d.subscribe("ordered");
            sub.flush(TIMEOUT);
            for (int i = 0; i < total; i++) {
                pub.publish("ordered", bytes(Integer.toString(i)));
            }
            pub.flush(TIMEOUT);
            Await.until(Duration.ofSeconds(30), () -> "received " + received.size(), () -> received.size() >= total);
            List<Integer> expected = new ArrayList<>(total);
            for (int i = 0; i < total; i++) {
                expected.add(i);
            }
            assertThat(received).isEqualTo(expected);
            assertThat(sub.getStatistics().getDroppedCount()).isZero();
        }
    }

    @Test
    void shouldPreserveOrderPerPublisherWithConcurrentPublishers() throws Exception {
        int publishers = 4;
        int perPublisher = 5_000;
        try (io.nats.client.Connection sub = connect()) {
            int[] next = new int[publishers];
            AtomicInteger received = new AtomicInteger();
            AtomicInteger outOfOrder = new AtomicInteger();
            Dispatcher d = sub.createDispatcher(m -> {
                String[] parts = text(m).split(":");
                int publisher = Integer.parseInt(parts[0]);
                if (Integer.parseInt(parts[1]) != next[publisher]++) {
                    outOfOrder.incrementAndGet();
                }
                received.incrementAndGet();
            });
            d.setPendingLimits(-1, -1);
            d.subscribe("fan.in");
            sub.flush(TIMEOUT);
            List<Thread> threads = new ArrayList<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            for (int p = 0; p < publishers; p++) {
                int id = p;
                threads.add(Thread.ofPlatform().start(() -> {
                    try (io.nats.client.Connection pub = connect()) {
                        for (int i = 0; i < perPublisher; i++) {
                            pub.publish("fan.in", bytes(id + ":" + i));
                        }
                        pub.flush(TIMEOUT);
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join(TIMEOUT.toMillis() * 3);
            }
            assertThat(failure.get()).isNull();
            int total = publishers * perPublisher;
            Await.until(Duration.ofSeconds(30), () -> "received " + received.get() + " of " + total,
                    () -> received.get() >= total);
            assertThat(received.get()).isEqualTo(total);
            assertThat(outOfOrder.get()).isZero();
            assertThat(next).containsOnly(perPublisher);
        }
    }

    @Test
    void shouldFanOutToEverySubscriberExactlyOnce() throws Exception {
        int connections = 8;
        int subsPerConnection = 5;
        int messages = 500;
        List<io.nats.client.Connection> subscribers = new ArrayList<>();
        try (io.nats.client.Connection pub = connect()) {
            List<AtomicInteger> counts = new ArrayList<>();
            List<AtomicInteger> countsAtEnd = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                io.nats.client.Connection nc = connect();
                subscribers.add(nc);
                for (int s = 0; s < subsPerConnection; s++) {
                    AtomicInteger count = new AtomicInteger();
                    AtomicInteger atEnd = new AtomicInteger(-1);
                    counts.add(count);
                    countsAtEnd.add(atEnd);
                    Dispatcher d = nc.createDispatcher(m -> {
                        if (m.getData().length == 0) {
                            atEnd.set(count.get());
                        } else {
                            count.incrementAndGet();
                        }
                    });
                    d.setPendingLimits(-1, -1);
                    d.subscribe(s % 2 == 0 ? "fan.out" : "fan.*");
                }
                nc.flush(TIMEOUT);
            }
            for (int i = 0; i < messages; i++) {
                pub.publish("fan.out", bytes("m" + i));
            }
            pub.publish("fan.out", new byte[0]);
            pub.flush(TIMEOUT);

            Await.until(Duration.ofSeconds(30), () -> "end markers at " + countsAtEnd,
                    () -> countsAtEnd.stream().allMatch(c -> c.get() >= 0));
            assertThat(countsAtEnd).extracting(AtomicInteger::get)
                    .hasSize(connections * subsPerConnection).containsOnly(messages);
        } finally {
            for (io.nats.client.Connection nc : subscribers) {
                nc.close();
            }
        }
    }
}
