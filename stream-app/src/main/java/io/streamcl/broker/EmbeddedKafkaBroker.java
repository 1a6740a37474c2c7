package io.streamcl.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka cluster (KRaft, one process acting as broker and controller) inside this JVM.
 *
 * <p>Everything binds to 127.0.0.1 only: the client listener, the controller listener and the advertised
 * address. Internal topics use replication factor 1 and min ISR 1, topics are never auto-created, and
 * records up to 64 MiB are accepted (model snapshots are a megabyte or more).
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults())) {
 *   String bootstrap = kafka.bootstrapServers(); // "127.0.0.1:<port>"
 * }
 * }</pre>
 *
 * <p>With {@link Options#saslSsl()} the broker also opens a SASL_SSL listener (SCRAM-SHA-512 over TLS) for
 * clients, at {@link #saslSslBootstrapServers()}; the PLAINTEXT listener, on 127.0.0.1 only, stays for the
 * broker's own traffic and start-up probe.
 *
 * <p>With {@link Options#dataDir()} {@code null} the data lives in a temporary directory deleted on
 * {@link #close()}. A given directory is kept: it is formatted the first time (when it holds no
 * {@code meta.properties}) and reused, topics and records included, on every later start.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    /** Largest record batch the broker accepts: 64 MiB. */
    public static final int MESSAGE_MAX_BYTES = 64 * 1024 * 1024;

    /** How long {@link #start} waits for the broker to answer an Admin describeCluster. */
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private static final String HOST = "127.0.0.1";
    private static final String META_PROPERTIES = "meta.properties";
    private static final String SCRAM = "SCRAM-SHA-512";

    /**
     * How to start the broker.
     *
     * @param port client (PLAINTEXT) port on 127.0.0.1; 0 picks a free one
     * @param controllerPort KRaft controller port on 127.0.0.1; 0 picks a free one
     * @param dataDir where logs and metadata live; {@code null} means a temporary directory deleted on close
     * @param numPartitions partitions of a topic created without an explicit count
     * @param saslSsl a SASL_SSL listener to open as well; {@code null}: PLAINTEXT only
     * @param behindProxy a second PLAINTEXT client listener for clients that reach the broker through a TCP proxy;
     *     {@code null}: none
     */
    public record Options(int port, int controllerPort, Path dataDir, int numPartitions, SaslSslListener saslSsl,
            ProxiedListener behindProxy) {
        public Options {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535, was " + port);
            if (controllerPort < 0 || controllerPort > 65535) {
                throw new IllegalArgumentException("controllerPort must be 0..65535, was " + controllerPort);
            }
            if (port != 0 && port == controllerPort) {
                throw new IllegalArgumentException("port and controllerPort must differ, both were " + port);
            }
            if (numPartitions < 1) throw new IllegalArgumentException("numPartitions must be >= 1, was " + numPartitions);
            if (saslSsl != null && saslSsl.port() != 0 && (saslSsl.port() == port || saslSsl.port() == controllerPort)) {
                throw new IllegalArgumentException("the SASL_SSL port must differ from the others, was " + saslSsl.port());
            }
            if (behindProxy != null && (behindProxy.port() == port || behindProxy.port() == controllerPort
                    || saslSsl != null && behindProxy.port() == saslSsl.port())) {
                throw new IllegalArgumentException("the proxied listener's port must differ from the others, was "
                        + behindProxy.port());
            }
        }

        /** Free ports, a temporary data directory, one partition per topic, PLAINTEXT only. */
        public static Options defaults() {
            return new Options(0, 0, null, 1, null, null);
        }

        public Options withPort(int p) {
            return new Options(p, controllerPort, dataDir, numPartitions, saslSsl, behindProxy);
        }

        public Options withControllerPort(int p) {
            return new Options(port, p, dataDir, numPartitions, saslSsl, behindProxy);
        }

        public Options withDataDir(Path dir) {
            return new Options(port, controllerPort, dir, numPartitions, saslSsl, behindProxy);
        }

        public Options withNumPartitions(int n) {
            return new Options(port, controllerPort, dataDir, n, saslSsl, behindProxy);
        }

        public Options withSaslSsl(SaslSslListener listener) {
            return new Options(port, controllerPort, dataDir, numPartitions, listener, behindProxy);
        }

        public Options withProxiedListener(ProxiedListener listener) {
            return new Options(port, controllerPort, dataDir, numPartitions, saslSsl, listener);
        }
    }

    /**
     * A PLAINTEXT client listener on 127.0.0.1:{@code port} that advertises 127.0.0.1:{@code advertisedPort},
     * where a TCP proxy listens and forwards to {@code port}. Clients reconnect to the address the broker
     * advertises, so a client that bootstraps through the proxy stays behind it; clients of the other listeners,
     * and the broker's own traffic, never pass through it.
     */
    public record ProxiedListener(int port, int advertisedPort) {
        private static final String NAME = "PROXIED";

        public ProxiedListener {
            if (port < 1 || port > 65535 || advertisedPort < 1 || advertisedPort > 65535) {
                throw new IllegalArgumentException("ports must be 1..65535, were " + port + " and " + advertisedPort);
            }
        }
    }

    /**
     * A client listener that takes SCRAM-SHA-512 logins over TLS.
     *
     * <p>The users are written into the metadata log when the data directory is formatted, as
     * {@code kafka-storage format --add-scram} does, so that they exist before the first client connects; a data
     * directory formatted earlier keeps the users it was formatted with.
     *
     * @param port on 127.0.0.1; 0 picks a free one
     * @param keystore PKCS12 file with the broker's private key and certificate (its name: 127.0.0.1)
     * @param keystorePassword the keystore's and the key's password
     * @param scramUsers user name to password
     */
    public record SaslSslListener(int port, Path keystore, String keystorePassword, Map<String, String> scramUsers) {
        /** What Kafka's --add-scram syntax ({@code [name=...,password=...]}) cannot carry unquoted. */
        private static final java.util.regex.Pattern UNSAFE = java.util.regex.Pattern.compile("[\\s,=\\[\\]\"]");

        public SaslSslListener {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("SASL_SSL port must be 0..65535, was " + port);
            if (keystore == null || keystorePassword == null) {
                throw new IllegalArgumentException("a SASL_SSL listener needs a keystore and its password");
            }
            if (scramUsers == null || scramUsers.isEmpty()) {
                throw new IllegalArgumentException("a SASL_SSL listener needs at least one SCRAM user");
            }
            scramUsers.forEach((user, password) -> {
                if (user.isEmpty() || UNSAFE.matcher(user).find() || password.isEmpty()
                        || UNSAFE.matcher(password).find()) {
                    throw new IllegalArgumentException("SCRAM user " + user + ": names and passwords must be non-empty"
                            + " and hold no spaces, commas, '=', brackets or quotes");
                }
            });
            scramUsers = Map.copyOf(scramUsers);
        }

        /** Never the passwords: a record's own toString would print them. */
        @Override
        public String toString() {
            return "SaslSslListener[port=" + port + ", keystore=" + keystore + ", users=" + scramUsers.keySet() + "]";
        }
    }

    /** The broker could not be started; the message says why, in words meant for a user. */
    public static class StartException extends RuntimeException {
        public StartException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A requested port is already taken by another process. */
    public static final class PortInUseException extends StartException {
        private final int port;

        public PortInUseException(int port, String what, Throwable cause) {
            super(what + " port " + HOST + ":" + port + " is already in use (is another Kafka broker running?)", cause);
            this.port = port;
        }

        public int port() {
            return port;
        }
    }

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final boolean deleteOnClose;
    private final int port;
    private final int controllerPort;
    /** -1 without a SASL_SSL listener. */
    private final int saslSslPort;
    private final String clusterId;
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, Path dataDir, boolean deleteOnClose, int port,
            int controllerPort, int saslSslPort, String clusterId) {
        this.server = server;
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
        this.port = port;
        this.controllerPort = controllerPort;
        this.saslSslPort = saslSslPort;
        this.clusterId = clusterId;
    }

    /**
     * Formats the data directory if needed, starts the broker and waits until it answers clients.
     *
     * @throws PortInUseException if a requested port is taken
     * @throws StartException if the broker fails to start or is not ready within {@link #READY_TIMEOUT}
     */
    public static EmbeddedKafkaBroker start(Options options) {
        int port = options.port() == 0 ? freePort(-1) : checkFree(options.port(), "Kafka broker");
        int controllerPort = options.controllerPort() == 0
                ? freePort(port) : checkFree(options.controllerPort(), "Kafka controller");
        SaslSslListener saslSsl = options.saslSsl();
        int saslSslPort = saslSsl == null ? -1 : saslSsl.port() == 0
                ? freePort(port, controllerPort) : checkFree(saslSsl.port(), "Kafka SASL_SSL");
        boolean temporary = options.dataDir() == null;
        Path dataDir;
        try {
            dataDir = temporary
                    ? Files.createTempDirectory("streamcl-kafka-")
                    : Files.createDirectories(options.dataDir().toAbsolutePath().normalize());
        } catch (IOException e) {
            throw new StartException("cannot create Kafka data directory " + options.dataDir() + ": " + e, e);
        }

        KafkaRaftServer server = null;
        try {
            Properties props = brokerProperties(port, controllerPort, dataDir, options.numPartitions());
            if (saslSsl != null) {
                addSaslSslListener(props, saslSsl, saslSslPort);
            }
            if (options.behindProxy() != null) {
                checkFree(options.behindProxy().port(), "Kafka proxied listener");
                addProxiedListener(props, options.behindProxy());
            }
            String clusterId = formatIfNeeded(dataDir, props, saslSsl);
            server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
            server.startup();
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, dataDir, temporary, port, controllerPort,
                    saslSslPort, clusterId);
            broker.awaitReady(READY_TIMEOUT);
            return broker;
        } catch (RuntimeException | Error e) {
            if (server != null) stopQuietly(server);
            if (temporary) deleteRecursively(dataDir);
            if (e instanceof StartException se) throw se;
            if (isBindFailure(e)) throw new PortInUseException(port, "Kafka", e);
            throw new StartException("Kafka broker failed to start on " + HOST + ":" + port + ": " + e, e);
        }
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:<port>} of the SASL_SSL listener, for {@code bootstrap.servers}. */
    public String saslSslBootstrapServers() {
        if (saslSslPort < 0) throw new IllegalStateException("this broker has no SASL_SSL listener");
        return HOST + ":" + saslSslPort;
    }

    public int controllerPort() {
        return controllerPort;
    }

    /** The data directory (absolute), temporary or given. */
    public Path dataDir() {
        return dataDir;
    }

    /** The KRaft cluster id stored in the data directory's meta.properties. */
    public String clusterId() {
        return clusterId;
    }

    /** Stops the broker and controller, waits until they are down, then deletes a temporary data directory. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        stopQuietly(server);
        if (deleteOnClose) deleteRecursively(dataDir);
    }

    private static Properties brokerProperties(int port, int controllerPort, Path dataDir, int numPartitions) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.put("log.dirs", dataDir.toString());
        p.put("num.partitions", Integer.toString(numPartitions));
        p.put("auto.create.topics.enable", "false");
        p.put("message.max.bytes", Integer.toString(MESSAGE_MAX_BYTES));
        p.put("replica.fetch.max.bytes", Integer.toString(MESSAGE_MAX_BYTES));
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // the log cleaner (compacted topics: offsets, models, embeddings) allocates this on the heap at start;
        // Kafka's 128 MiB default is sized for production brokers, not one inside an application
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
        return p;
    }

    /**
     * The SASL_SSL listener beside PLAINTEXT, which stays the inter-broker listener: a single node talks to itself
     * (transaction markers, say) on 127.0.0.1 without needing credentials of its own.
     */
    private static void addSaslSslListener(Properties p, SaslSslListener saslSsl, int saslSslPort) {
        String listener = "SASL_SSL://" + HOST + ":" + saslSslPort;
        p.put("listeners", p.getProperty("listeners") + "," + listener);
        p.put("advertised.listeners", p.getProperty("advertised.listeners") + "," + listener);
        p.put("listener.security.protocol.map", p.getProperty("listener.security.protocol.map") + ",SASL_SSL:SASL_SSL");
        p.put("sasl.enabled.mechanisms", SCRAM);
        String prefix = "listener.name.sasl_ssl.";
        p.put(prefix + "ssl.keystore.type", "PKCS12");
        p.put(prefix + "ssl.keystore.location", saslSsl.keystore().toAbsolutePath().toString());
        p.put(prefix + "ssl.keystore.password", saslSsl.keystorePassword());
        p.put(prefix + "ssl.key.password", saslSsl.keystorePassword());
        // the broker checks logins against the SCRAM credentials in its metadata; the module only has to be named
        p.put(prefix + SCRAM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    }

    /** The proxied listener beside PLAINTEXT, which stays the inter-broker listener, never through the proxy. */
    private static void addProxiedListener(Properties p, ProxiedListener proxied) {
        String name = ProxiedListener.NAME;
        p.put("listeners", p.getProperty("listeners") + "," + name + "://" + HOST + ":" + proxied.port());
        p.put("advertised.listeners", p.getProperty("advertised.listeners") + "," + name + "://" + HOST + ":"
                + proxied.advertisedPort());
        p.put("listener.security.protocol.map", p.getProperty("listener.security.protocol.map") + "," + name
                + ":PLAINTEXT");
    }

    /**
     * Same as {@code kafka-storage.sh format -t <random id> -c server.properties [--add-scram ...]}, unless already
     * formatted.
     */
    private static String formatIfNeeded(Path dataDir, Properties props, SaslSslListener saslSsl) {
        Path meta = dataDir.resolve(META_PROPERTIES);
        if (Files.exists(meta)) return readClusterId(meta);
        Path cfg = null;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            cfg = Files.createTempFile("streamcl-kafka-", ".properties");
            try (Writer w = Files.newBufferedWriter(cfg, StandardCharsets.UTF_8)) {
                props.store(w, "streamcl embedded KRaft broker");
            }
            String clusterId = Uuid.randomUuid().toString();
            int rc;
            try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
                java.util.List<String> args = new java.util.ArrayList<>(
                        java.util.List.of("format", "-t", clusterId, "-c", cfg.toString()));
                if (saslSsl != null) {
                    saslSsl.scramUsers().forEach((user, password) -> args.addAll(java.util.List.of(
                            "--add-scram", SCRAM + "=[name=" + user + ",password=" + password + "]")));
                }
                rc = StorageTool.execute(args.toArray(String[]::new), ps);
            }
            if (rc != 0) throw new IllegalStateException("exit code " + rc);
            return clusterId;
        } catch (Exception e) {
            // the tool may echo what it was given, and the broker's config file holds the keystore password
            throw new StartException(withoutSecrets("cannot format Kafka data directory " + dataDir + ": "
                    + e.getMessage() + (out.size() > 0 ? " (" + out.toString(StandardCharsets.UTF_8).trim() + ")" : ""),
                    saslSsl), null);
        } finally {
            if (cfg != null) {
                try {
                    Files.deleteIfExists(cfg);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    private static String withoutSecrets(String message, SaslSslListener saslSsl) {
        if (saslSsl == null) return message;
        String shown = message.replace(saslSsl.keystorePassword(), "[hidden]");
        for (String password : saslSsl.scramUsers().values()) {
            shown = shown.replace(password, "[hidden]");
        }
        return shown;
    }

    private static String readClusterId(Path meta) {
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new StartException("cannot read " + meta + ": " + e, e);
        }
        return p.getProperty("cluster.id");
    }

    /** Throws if the broker does not answer in time; the caller stops it. */
    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "streamcl-embedded-broker-probe"))) {
            while (System.nanoTime() < deadline) {
                long leftMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                int callMs = (int) Math.min(leftMs, 5_000);
                try {
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(callMs))
                            .nodes().get(callMs + 1_000L, TimeUnit.MILLISECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    last = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StartException("interrupted while waiting for the Kafka broker to start", e);
                }
            }
        }
        throw new StartException("Kafka broker on " + bootstrapServers() + " did not become ready within "
                + timeout.toSeconds() + " s" + (last == null ? "" : ": " + last), last);
    }

    private static int checkFree(int port, String what) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(HOST), port), 1);
            return port;
        } catch (IOException e) {
            throw new PortInUseException(port, what, e);
        }
    }

    private static int freePort(int... avoid) {
        for (int i = 0; i < 10; i++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
                int port = s.getLocalPort();
                if (java.util.Arrays.stream(avoid).noneMatch(a -> a == port)) return port;
            } catch (IOException e) {
                throw new StartException("cannot find a free port on " + HOST + ": " + e, e);
            }
        }
        throw new StartException("cannot find a free port on " + HOST, null);
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException) return true;
            String m = t.getMessage();
            if (m != null && m.contains("Address already in use")) return true;
        }
        return false;
    }

    /** Stops and awaits; an interrupted caller is served too (Kafka's controlled shutdown fails if interrupted). */
    private static void stopQuietly(KafkaRaftServer server) {
        boolean interrupted = Thread.interrupted();
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException ignored) {
            // already failed or stopped: nothing more to release
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort: a temp dir left behind is not worth failing a shutdown for
        }
    }
}
