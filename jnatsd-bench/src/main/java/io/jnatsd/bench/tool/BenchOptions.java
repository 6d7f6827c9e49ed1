package io.jnatsd.bench.tool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The command line of {@code jnatsd-bench}, parsed and defaulted. {@code --smoke} first switches every default to
 * a tiny value, then explicit flags apply on top. The fields are set only by {@link #parse} and read-only after it;
 * the instance is created and read on the runner thread.
 */
final class BenchOptions {

    /** Every scenario, in the order they run. */
    static final List<String> SCENARIOS = List.of("pub", "fanout", "queue", "reqrep", "idle", "subs", "payload",
            "startup", "tls-pub", "tls-1to1", "tls-handshake", "js-sync", "js-async",
            "js-push", "js-pull", "js-ordered");
    /** The scenarios that run over TLS (on the TLS instance of each server). */
    static final Set<String> TLS_SCENARIOS = Set.of("tls-pub", "tls-1to1", "tls-handshake");
    /** nats-server's usual install location on Debian/Ubuntu, tried before the PATH. */
    static final Path DEBIAN_NATS_SERVER = Path.of("/usr/sbin/nats-server");

    /** The flags that take a value (see {@link #applyValue}). */
    private static final Set<String> VALUE_FLAGS = Set.of("--url", "-s", "--server", "--nats-server", "--jnatsd",
            "--rounds", "--warmup", "--duration", "--ceiling-duration", "--drain-timeout", "--start-timeout", "--msgs",
            "--sizes", "--pubs", "--fanout-subs", "--queue-members", "--payload-sizes", "--reqrep-size",
            "--reqrep-warmup", "--idle-conns", "--sub-counts", "--wildcard-pcts", "--subs-size", "--startup-runs",
            "--batch-bytes", "--read-buffer", "--window-bytes", "--pid", "--json", "--csv", "--chart", "--scenarios",
            "--tls-ca", "--tls-client", "--tls-sizes", "--tls-versions", "--handshake-conns", "--jnatsd-java-opts",
            "--jnatsd-variant", "--js-sizes", "--js-storage", "--js-inflight",
            "--js-consume-msgs", "--js-batch");

    ServerUrl url = ServerUrl.of("127.0.0.1", ServerUrl.DEFAULT_PORT);
    boolean compare;
    boolean smoke;
    boolean quiet;
    boolean help;
    boolean ceiling = true;
    Path natsServer;
    Path jnatsd;
    int rounds = 3;
    long warmupNanos = seconds(3);
    long durationNanos = seconds(1);
    long ceilingDurationNanos = millis(400);
    long drainTimeoutNanos = seconds(20);
    long startTimeoutNanos = seconds(300);
    long msgs;
    List<Integer> sizes = List.of(16, 1024, 65536);
    int pubs = 1;
    List<Integer> fanoutSubs = List.of(1, 2, 4, 8);
    List<Integer> queueMembers = List.of(4);
    List<Integer> payloadSizes = List.of(0, 16, 64, 256, 1024, 4096, 16384, 65536);
    int reqrepSize = 16;
    int reqrepWarmup = 200;
    int idleConns = 1000;
    List<Integer> subCounts = List.of(1_000, 10_000, 100_000, 1_000_000);
    List<Integer> wildcardPcts = List.of(0, 20);
    int subsSize = 16;
    int startupRuns = 3;
    List<Integer> jsSizes = List.of(16, 1024, 65536);
    List<String> jsStorage = List.of("file", "memory");
    int jsInflight = 256;
    long jsConsumeMsgs = 200_000;
    int jsBatch = 256;
    int batchBytes = 128 * 1024;
    int readBufferBytes = 256 * 1024;
    long windowBytes = 8L << 20;
    long pid = -1;
    Path json;
    Path csv;
    Path chart;
    Set<String> scenarios = new LinkedHashSet<>(SCENARIOS);
    boolean tls;
    Path tlsCa;
    String tlsClient;
    List<Integer> tlsSizes = List.of(16, 1024, 65536);
    List<String> tlsVersions = List.of("1.3", "1.2");
    int handshakeConns = 2;
    String jnatsdJavaOpts = "";
    Map<String, String> jnatsdVariants = new LinkedHashMap<>();
    List<String> args = List.of();

    private BenchOptions() {
    }

    /** Parses {@code argv}; throws {@link IllegalArgumentException} with a message for the user on bad input. */
    static BenchOptions parse(String... argv) {
        BenchOptions o = new BenchOptions();
        o.args = List.of(argv);
        for (String a : argv) {
            if (a.equals("--smoke")) {
                o.applySmokeDefaults();
            }
        }
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            if (!arg.startsWith("-")) {
                positional.add(arg);
                continue;
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (isSwitch(name)) {
                if (value != null) {
                    throw new IllegalArgumentException(name + " takes no value");
                }
                o.applySwitch(name);
                continue;
            }
            if (!VALUE_FLAGS.contains(name)) {
                throw new IllegalArgumentException("unknown flag " + name + " (see --help)");
            }
            if (value == null) {
                if (i + 1 >= argv.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                value = argv[++i];
            }
            o.applyValue(name, value);
        }
        if (!positional.isEmpty()) {
            o.scenarios = scenarioSet(String.join(",", positional));
        }
        o.check();
        return o;
    }

    private void applySmokeDefaults() {
        smoke = true;
        compare = true;
        rounds = 1;
        warmupNanos = 0;
        durationNanos = millis(150);
        ceilingDurationNanos = millis(100);
        drainTimeoutNanos = seconds(10);
        sizes = List.of(16, 1024);
        fanoutSubs = List.of(1, 4);
        queueMembers = List.of(4);
        payloadSizes = List.of(0, 5, 65536);
        reqrepWarmup = 20;
        idleConns = 50;
        tlsSizes = List.of(16, 65536);
        subCounts = List.of(1_000, 10_000);
        wildcardPcts = List.of(0, 20);
        startupRuns = 1;
        jsSizes = List.of(16, 1024);
        jsConsumeMsgs = 2_000;
    }

    private static boolean isSwitch(String name) {
        return switch (name) {
            case "--compare", "--smoke", "--quiet", "-q", "--help", "-h", "--no-ceiling", "--tls" -> true;
            default -> false;
        };
    }

    private void applySwitch(String name) {
        switch (name) {
            case "--compare" -> compare = true;
            case "--smoke" -> smoke = true;
            case "--quiet", "-q" -> quiet = true;
            case "--help", "-h" -> help = true;
            case "--no-ceiling" -> ceiling = false;
            case "--tls" -> tls = true;
            default -> throw new IllegalArgumentException("unknown flag " + name);
        }
    }

    private void applyValue(String name, String v) {
        switch (name) {
            case "--url", "-s", "--server" -> url = ServerUrl.parse(v);
            case "--nats-server" -> natsServer = Path.of(v);
            case "--jnatsd" -> jnatsd = Path.of(v);
            case "--rounds" -> rounds = positive(name, v);
            case "--warmup" -> warmupNanos = duration(name, v);
            case "--duration" -> durationNanos = duration(name, v);
            case "--ceiling-duration" -> ceilingDurationNanos = duration(name, v);
            case "--drain-timeout" -> drainTimeoutNanos = duration(name, v);
            case "--start-timeout" -> startTimeoutNanos = duration(name, v);
            case "--msgs" -> msgs = positive(name, v);
            case "--sizes" -> sizes = sizeList(name, v);
            case "--pubs" -> pubs = positive(name, v);
            case "--fanout-subs" -> fanoutSubs = positiveList(name, v);
            case "--queue-members" -> queueMembers = positiveList(name, v);
            case "--payload-sizes" -> payloadSizes = sizeList(name, v);
            case "--reqrep-size" -> reqrepSize = size(name, v);
            case "--reqrep-warmup" -> reqrepWarmup = nonNegative(name, v);
            case "--idle-conns" -> idleConns = positive(name, v);
            case "--sub-counts" -> subCounts = positiveList(name, v);
            case "--wildcard-pcts" -> wildcardPcts = percentList(name, v);
            case "--subs-size" -> subsSize = size(name, v);
            case "--startup-runs" -> startupRuns = positive(name, v);
            case "--js-sizes" -> jsSizes = sizeList(name, v);
            case "--js-storage" -> jsStorage = storageList(name, v);
            case "--js-inflight" -> jsInflight = positive(name, v);
            case "--js-consume-msgs" -> jsConsumeMsgs = positive(name, v);
            case "--js-batch" -> jsBatch = positive(name, v);
            case "--batch-bytes" -> batchBytes = Math.max(1, size(name, v));
            case "--read-buffer" -> readBufferBytes = Math.max(1024, size(name, v));
            case "--window-bytes" -> windowBytes = Math.max(1, size(name, v));
            case "--pid" -> pid = positive(name, v);
            case "--json" -> json = Path.of(v);
            case "--csv" -> csv = Path.of(v);
            case "--chart" -> chart = Path.of(v);
            case "--scenarios" -> scenarios = scenarioSet(v);
            case "--tls-ca" -> tlsCa = Path.of(v);
            case "--tls-client" -> tlsClient = choice(name, v, TlsClient.JDK, TlsClient.OPENSSL);
            case "--tls-sizes" -> tlsSizes = sizeList(name, v);
            case "--tls-versions" -> tlsVersions = versionList(name, v);
            case "--handshake-conns" -> handshakeConns = positive(name, v);
            case "--jnatsd-java-opts" -> jnatsdJavaOpts = v.strip();
            case "--jnatsd-variant" -> addVariant(name, v);
            default -> throw new IllegalArgumentException("unknown flag " + name + " (see --help)");
        }
    }

    private void addVariant(String name, String v) {
        int eq = v.indexOf('=');
        String label = eq < 0 ? v.strip() : v.substring(0, eq).strip();
        if (label.isEmpty() || !label.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(name + ": '" + v + "' (expected: NAME=JAVA_OPTS, NAME of letters,"
                    + " digits, '.', '_', '-')");
        }
        if (label.equals("jnatsd") || label.equals("nats-server") || jnatsdVariants.containsKey(label)) {
            throw new IllegalArgumentException(name + ": the name " + label + " is taken");
        }
        jnatsdVariants.put(label, eq < 0 ? "" : v.substring(eq + 1).strip());
    }

    /** Whether a selected scenario runs over TLS. */
    boolean anyTlsScenario() {
        return scenarios.stream().anyMatch(TLS_SCENARIOS::contains);
    }

    /** Whether a selected scenario runs over plaintext. */
    boolean anyPlainScenario() {
        return scenarios.stream().anyMatch(s -> !TLS_SCENARIOS.contains(s));
    }

    /** The generator's TLS settings: {@code --tls-ca} and {@code --tls-client} over the defaults. */
    TlsClient tlsClient(Path caFile) {
        TlsClient c = TlsClient.defaults().withCaFile(caFile);
        return tlsClient == null ? c : c.withProvider(tlsClient);
    }

    private void check() {
        if (natsServer == null && compare) {
            natsServer = findNatsServer();
            if (natsServer == null && !smoke) {
                throw new IllegalArgumentException("--compare needs nats-server: none at " + DEBIAN_NATS_SERVER
                        + " or on the PATH; give its path with --nats-server");
            }
        }
        if (natsServer != null && !Files.isExecutable(natsServer)) {
            throw new IllegalArgumentException("--nats-server " + natsServer + " is not an executable file");
        }
        if (compare && jnatsd == null) {
            jnatsd = defaultJnatsd();
        }
        if (!jnatsdVariants.isEmpty() && !compare) {
            throw new IllegalArgumentException("--jnatsd-variant needs --compare");
        }
        if (tlsCa != null && !Files.isReadable(tlsCa)) {
            throw new IllegalArgumentException("--tls-ca " + tlsCa + " is not a readable file");
        }
        if (tls || tlsCa != null || url.tls() != null) {
            url = url.withTls(tlsClient(tlsCa));
        }
        if (jnatsd != null && !Files.isRegularFile(jnatsd)) {
            throw new IllegalArgumentException("--jnatsd " + jnatsd + " does not exist (give bin/jnatsd or the"
                    + " path of jnatsd.jar)");
        }
    }

    /** nats-server at the Debian location or on the PATH, or {@code null}. */
    static Path findNatsServer() {
        if (Files.isExecutable(DEBIAN_NATS_SERVER)) {
            return DEBIAN_NATS_SERVER;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path p = Path.of(dir, "nats-server");
                if (!dir.isEmpty() && Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /** {@code bin/jnatsd} of the checkout the benchmark runs from ({@code jnatsd.bench.home}, set by the launcher). */
    static Path defaultJnatsd() {
        String home = System.getProperty("jnatsd.bench.home");
        if (home != null) {
            return Path.of(home, "bin", "jnatsd");
        }
        return Path.of("bin", "jnatsd");
    }

    private static Set<String> scenarioSet(String v) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : v.split(",")) {
            String name = s.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (name.equals("all")) {
                out.addAll(SCENARIOS);
            } else if (SCENARIOS.contains(name)) {
                out.add(name);
            } else {
                throw new IllegalArgumentException("unknown scenario '" + name + "' (expected: "
                        + String.join(", ", SCENARIOS) + ", all)");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no scenario selected");
        }
        // run in the canonical order whatever order they were named in
        Set<String> ordered = new LinkedHashSet<>();
        for (String s : SCENARIOS) {
            if (out.contains(s)) {
                ordered.add(s);
            }
        }
        return ordered;
    }

    static long seconds(long s) {
        return TimeUnit.SECONDS.toNanos(s);
    }

    static long millis(long ms) {
        return TimeUnit.MILLISECONDS.toNanos(ms);
    }

    /** {@code 1.5}, {@code 1.5s}, {@code 300ms}, {@code 2m} as nanoseconds. */
    static long duration(String name, String v) {
        String t = v.trim().toLowerCase(Locale.ROOT);
        double scale = 1e9;
        if (t.endsWith("ms")) {
            scale = 1e6;
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            scale = 60e9;
            t = t.substring(0, t.length() - 1);
        }
        try {
            double d = Double.parseDouble(t);
            if (d < 0 || Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return (long) (d * scale);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": bad duration '" + v + "' (e.g. 2, 1.5s, 300ms)");
        }
    }

    /** {@code 16}, {@code 1K}, {@code 1KB}, {@code 64k}, {@code 1M} (binary multiples) as bytes. */
    static int size(String name, String v) {
        String t = v.trim().toUpperCase(Locale.ROOT);
        if (t.endsWith("IB")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("B")) {
            t = t.substring(0, t.length() - 1);
        }
        long scale = 1;
        if (t.endsWith("K")) {
            scale = 1024;
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("M")) {
            scale = 1024 * 1024;
            t = t.substring(0, t.length() - 1);
        }
        try {
            long n = Long.parseLong(t.trim()) * scale;
            if (n < 0 || n > 64L * 1024 * 1024) {
                throw new NumberFormatException();
            }
            return (int) n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": bad size '" + v + "' (e.g. 0, 16, 1K, 64KB)");
        }
    }

    private static List<Integer> sizeList(String name, String v) {
        List<Integer> out = new ArrayList<>();
        for (String s : v.split(",")) {
            if (!s.isBlank()) {
                out.add(size(name, s));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(name + ": empty list");
        }
        return List.copyOf(out);
    }

    private static List<String> storageList(String name, String v) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : v.split(",")) {
            String t = s.trim().toLowerCase(Locale.ROOT);
            if (t.equals("file") || t.equals("memory")) {
                out.add(t);
            } else if (!t.isEmpty()) {
                throw new IllegalArgumentException(name + ": unknown storage '" + s.trim() + "' (expected: file,"
                        + " memory)");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(name + ": empty list");
        }
        return List.copyOf(out);
    }

    private static String choice(String name, String v, String... allowed) {
        String t = v.strip().toLowerCase(Locale.ROOT);
        if (!List.of(allowed).contains(t)) {
            throw new IllegalArgumentException(name + ": '" + v + "' (expected: " + String.join(" or ", allowed) + ")");
        }
        return t;
    }

    private static List<String> versionList(String name, String v) {
        List<String> out = new ArrayList<>();
        for (String s : v.split(",")) {
            String t = s.strip();
            if (t.isEmpty()) {
                continue;
            }
            if (!t.equals("1.3") && !t.equals("1.2")) {
                throw new IllegalArgumentException(name + ": '" + t + "' (expected: 1.3, 1.2)");
            }
            out.add(t);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(name + ": empty list");
        }
        return List.copyOf(out);
    }

    /** True if a selected scenario needs JetStream on the server. */
    boolean needsJetStream() {
        return scenarios.stream().anyMatch(s -> s.startsWith("js-"));
    }

    private static List<Integer> positiveList(String name, String v) {
        List<Integer> out = new ArrayList<>();
        for (String s : v.split(",")) {
            if (!s.isBlank()) {
                out.add(positive(name, s.trim().toLowerCase(Locale.ROOT).replace("k", "000").replace("m", "000000")));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(name + ": empty list");
        }
        return List.copyOf(out);
    }

    private static List<Integer> percentList(String name, String v) {
        List<Integer> out = new ArrayList<>();
        for (String s : v.split(",")) {
            if (!s.isBlank()) {
                int p = nonNegative(name, s.trim().replace("%", ""));
                if (p > 100) {
                    throw new IllegalArgumentException(name + ": " + p + " (expected: 0..100)");
                }
                out.add(p);
            }
        }
        return List.copyOf(out);
    }

    private static int positive(String name, String v) {
        int n = nonNegative(name, v);
        if (n == 0) {
            throw new IllegalArgumentException(name + ": 0 (expected: > 0)");
        }
        return n;
    }

    private static int nonNegative(String name, String v) {
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": bad number '" + v + "'");
        }
    }

    /** The {@code --help} text. */
    static String usage() {
        return """
                Usage: jnatsd-bench [options] [scenario ...]

                Benchmarks a NATS server over the raw client protocol, or jnatsd against nats-server side by side.
                Scenarios (default: all, or --scenarios LIST): pub fanout queue reqrep idle subs payload startup
                  tls-pub tls-1to1 tls-handshake
                  js-sync js-async js-push js-pull js-ordered (JetStream: servers started by --compare get -js and a store directory;
                  with --url the server must have JetStream enabled)

                Target:
                  --url URL               server to benchmark (default nats://127.0.0.1:4222; user:pass@ allowed;
                                          tls://host:port speaks TLS on every connection)
                  --compare               start jnatsd and nats-server on free loopback ports and compare them;
                                          for the tls-* scenarios each also gets an instance with a tls {} block
                                          and a throw-away CA and server certificate
                  --nats-server PATH      nats-server binary (default /usr/sbin/nats-server, else the PATH)
                  --jnatsd PATH           bin/jnatsd of this checkout (default), or a jnatsd.jar
                  --jnatsd-java-opts OPTS JVM options for jnatsd (passed as JNATSD_JAVA_OPTS)
                  --jnatsd-variant NAME=OPTS  also run jnatsd with these JVM options, reported as NAME, side by side
                                          (repeatable), e.g. jnatsd-openssl=-Djnatsd.tls.provider=openssl
                  --pid PID               server process for 'idle' memory in --url mode (default: found by port)
                  --smoke                 every scenario for a fraction of a second on fresh servers; exits 2 if
                                          any message was lost (no speed checks)

                Runs:
                  --rounds N              rounds per case, alternating servers (default 3); medians are reported
                  --warmup DUR            warm-up per server before measuring (default 3s; as long again for
                                          its TLS instance)
                  --duration DUR          length of each throughput / latency run (default 1s)
                  --msgs N                publish exactly N messages per run instead
                  --drain-timeout DUR     how long to wait for the last messages (default 20s)
                  --start-timeout DUR     how long a launched server may take to accept clients (default 300s,
                                          which covers bin/jnatsd building its jar on first use)
                  --no-ceiling            skip measuring the generator's own ceiling
                  --ceiling-duration DUR  length of each ceiling measurement (default 400ms)

                Scenario parameters (lists are comma separated; sizes take K/KB/M):
                  --sizes LIST            payload sizes for pub, fanout, queue (default 16,1K,64K)
                  --pubs N                publisher connections for pub (default 1)
                  --fanout-subs LIST      subscriber counts for fanout, 1 publisher (default 1,2,4,8)
                  --queue-members LIST    queue group sizes (default 4)
                  --payload-sizes LIST    1:1 payload sweep (default 0,16,64,256,1K,4K,16K,64K)
                  --reqrep-size N         request/reply payload (default 16); --reqrep-warmup N requests (200)
                  --idle-conns N          idle connections with one subscription each (default 1000)
                  --sub-counts LIST       distinct subscriptions for subs (default 1k,10k,100k,1m)
                  --wildcard-pcts LIST    share of wildcard subscriptions for subs (default 0,20)
                  --subs-size N           payload for subs (default 16)
                  --startup-runs N        launches per server per round for startup (default 3)
                  --js-sizes LIST         payload sizes for js-sync and js-async (default 16,1K,64K)
                  --js-storage LIST       stream storage for js-sync and js-async (default file,memory)
                  --js-inflight N         unacknowledged messages js-async keeps in flight (default 256)
                  --js-consume-msgs N     messages js-push/js-pull/js-ordered pre-fill and consume (default 200k,
                                          fewer for large payloads: 192 MB at most)
                  --js-batch N            messages per pull request for js-pull (default 256)

                TLS:
                  --tls                   speak TLS to --url (as tls://)
                  --tls-ca FILE           CA certificates (PEM) to verify --url's server (default: the JVM's roots)
                  --tls-client NAME       the generator's TLS: openssl (BoringSSL, the default where it loads) or jdk
                  --tls-sizes LIST        payload sizes for tls-pub and tls-1to1 (default 16,1K,64K)
                  --tls-versions LIST     protocol versions for tls-handshake (default 1.3,1.2)
                  --handshake-conns N     connections handshaking at the same time in tls-handshake (default 2)

                Generator:
                  --batch-bytes N         bytes per socket write (default 128K)
                  --read-buffer N         bytes per socket read (default 256K)
                  --window-bytes N        how far a publisher may run ahead of its slowest reader (default 8M)

                Output:
                  --json FILE  --csv FILE  --chart DIR (PNG charts)  --quiet (no progress on stderr)
                """;
    }
}
