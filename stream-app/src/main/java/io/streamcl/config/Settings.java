package io.streamcl.config;

import static io.streamcl.config.Setting.choiceSetting;
import static io.streamcl.config.Setting.floatSetting;
import static io.streamcl.config.Setting.fractionSetting;
import static io.streamcl.config.Setting.intSetting;
import static io.streamcl.config.Setting.longSetting;
import static io.streamcl.config.Setting.stringSetting;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The application's settings: one immutable object, every value parsed and validated at start.
 * Precedence, lowest first: defaults, a properties file, environment ({@code STREAMCL_*}), flags.
 */
public final class Settings {
    private static final int MAX = Integer.MAX_VALUE;

    // --- Kafka ---
    public static final Setting<String> BOOTSTRAP_SERVERS = stringSetting("bootstrap.servers", "localhost:9092",
            "Kafka brokers to connect to");
    public static final Setting<String> APPLICATION_ID = stringSetting("application.id", "streamcl",
            "Kafka Streams application id: instances with the same id share the work");
    public static final Setting<String> STATE_DIR = stringSetting("state.dir",
            Path.of(System.getProperty("java.io.tmpdir"), "streamcl-state").toString(), "Kafka Streams state directory");
    public static final Setting<String> PROCESSING_GUARANTEE = choiceSetting("processing.guarantee", "exactly_once_v2",
            List.of("exactly_once_v2", "at_least_once"), "Kafka Streams processing guarantee");
    public static final Setting<Integer> STREAM_THREADS = intSetting("num.stream.threads", 2, 1, 64,
            "stream threads; 2 lets embedding run beside training");
    public static final Setting<String> TOPIC_RAW_ITEMS = stringSetting("topic.raw-items", "raw-items",
            "input topic of Avro RawItem (key = item id)");
    public static final Setting<String> TOPIC_DEAD_LETTERS = stringSetting("topic.dead-letters", "raw-items-dlq",
            "where records that cannot be used go, with the reason (Avro DeadLetter)");
    public static final Setting<String> TOPIC_MODELS = stringSetting("topic.models", "models",
            "compacted topic of Avro ModelSnapshot (key = kind): the model registry");
    public static final Setting<String> TOPIC_EMBEDDINGS = stringSetting("topic.embeddings", "embeddings",
            "output topic of Avro Embedding (key = item id)");
    public static final Setting<String> TOPIC_TRAIN_PREFIX = stringSetting("topic.train-prefix", "train-",
            "prefix of the one-partition topic per kind that feeds its single trainer");
    public static final Setting<String> TOPIC_STATUS = stringSetting("topic.embedding-status", "embedding-status",
            "compacted topic of Avro EmbeddingStatus (key = <kind>/<partition>): a partition's completion marker for"
                    + " each served version");
    public static final Setting<Integer> TOPIC_PARTITIONS = intSetting("topic.partitions", 4, 1, 10_000,
            "partitions of raw-items and embeddings when the app creates them");

    // --- learning ---
    /** Read with this; its default is every registered kind (see {@link #core}). */
    public static final Setting<List<String>> KINDS = Setting.nameListSetting("kinds", "",
            "kinds of items to learn, each with its trainer; items of any other kind go to the dead-letter topic");
    public static final Setting<String> DEVICE = choiceSetting("device", "auto", List.of("auto", "cpu", "gpu"),
            "where the encoder trains and embeds; auto takes a GPU when the loaded libtorch has CUDA");
    public static final Setting<Long> SEED = longSetting("seed", 42, "seed of initialisation, augmentation and sampling");
    public static final Setting<String> METHOD = choiceSetting("method", "moco", List.of("moco", "simclr", "siamese"),
            "moco: momentum key encoder + memory bank; simclr: NT-Xent over 2B views; siamese: margin contrastive pairs");
    public static final Setting<String> SIMILARITY = choiceSetting("similarity", "cosine",
            List.of("cosine", "dot", "neg-euclidean"), "similarity inside the loss");
    public static final Setting<Integer> BATCH_SIZE = intSetting("batch.size", 256, 2, 65_536, "items per training step");
    public static final Setting<Integer> BATCH_LINGER_MS = intSetting("batch.linger.ms", 1000, 1, 3_600_000,
            "with no new items for this long, train on what the replay buffer holds");
    public static final Setting<Integer> BANK_SIZE = intSetting("bank.size", 4096, 0, 1 << 20,
            "MoCo memory bank of negative keys (0 = in-batch negatives only)");
    public static final Setting<Float> MOMENTUM = new Setting<>("momentum",
            "EMA factor m of the key encoder: k = m k + (1 - m) q", "0.99", s -> Float.valueOf(s.strip()),
            v -> !v.isNaN() && v >= 0f && v < 1f, "in [0, 1)");
    public static final Setting<Float> TEMPERATURE = floatSetting("temperature", 0.1f, 0f, 100f,
            "softmax temperature of InfoNCE / NT-Xent");
    public static final Setting<Float> MARGIN = floatSetting("margin", 1.0f, 0f, 100f, "siamese margin");
    public static final Setting<Float> LEARNING_RATE = floatSetting("learning.rate", 0.003f, 0f, 10f, "Adam learning rate");
    public static final Setting<String> LOSS_SYMMETRIC = choiceSetting("loss.symmetric", "off", List.of("on", "off"),
            "moco: on also learns the second views against the keys of the first (MoCo v3), for twice the compute"
                    + " per step");
    public static final Setting<String> SNAPSHOT_ENCODER = choiceSetting("snapshot.encoder", "query",
            List.of("query", "momentum"), "the encoder a snapshot carries, and so every embedding: query, the one the"
                    + " loss trains; momentum, an average of it over about 1/(1-momentum) steps (moco's key encoder;"
                    + " simclr keeps one for it)");
    public static final Setting<Integer> LEARNING_RATE_WARMUP = intSetting("learning.rate.warmup-steps", 0, 0, MAX,
            "the learning rate rises linearly from 0 over this many first steps");
    public static final Setting<Integer> LEARNING_RATE_DECAY = intSetting("learning.rate.decay-steps", 0, 0, MAX,
            "after the warm-up, a half-cosine from the learning rate down to learning.rate.floor of it over this many"
                    + " steps, then held there; 0: no decay");
    public static final Setting<Float> LEARNING_RATE_TABLE_FACTOR = floatSetting("learning.rate.table-factor", 1f, 0f,
            1000f, "the rows of a lookup table (a sentence's or an event's hashed features) learn at this multiple of"
                    + " the learning rate: a row moves only in the steps whose batch reads it");
    public static final Setting<Float> LEARNING_RATE_FLOOR = fractionSetting("learning.rate.floor", 0.1f,
            "the fraction of the learning rate the decay ends at (above 0, so a stream keeps being followed)");
    public static final Setting<Integer> REPLAY_UPDATES = intSetting("replay.updates-per-item", 10, 1, 1000,
            "how many training steps each item takes part in (replay, Purushwalkam et al. 2022)");
    public static final Setting<Integer> TRAINER_THREADS = intSetting("trainer.threads", 0, 0, 1024,
            "threads libtorch runs each trainer's operators on; 0: one per core (or OMP_NUM_THREADS)");
    public static final Setting<Integer> REPLAY_CAPACITY = intSetting("replay.capacity", 4096, 2, 1 << 22,
            "items held for replay; a step samples the batch from them");
    public static final Setting<Integer> REPLAY_MAX_BACKLOG = intSetting("replay.max-backlog", 16_384, 0, 1 << 24,
            "decoded items that may wait for room in the replay buffer while the trainer is busy; past this it samples:"
                    + " the items it learned from the most give up their remaining uses");
    public static final Setting<Integer> CHECKPOINT_INTERVAL_MS = intSetting("checkpoint.interval.ms", 60_000, 1_000,
            Integer.MAX_VALUE, "how often a trainer also saves its whole state (both encoders, optimizer, bank) to its"
                    + " changelogged store, an idle one too when it has learned since; a restarted trainer goes on"
                    + " from there, offered again the items it had not learned from by then");
    public static final Setting<Integer> SNAPSHOT_EVERY = intSetting("snapshot.every-steps", 50, 1, MAX,
            "publish a ModelSnapshot every N steps");
    public static final Setting<Integer> EMBEDDING_DIM = intSetting("embedding.dim", 256, 2, 8192,
            "published embedding size (backbone output)");
    public static final Setting<Integer> PROJECTION_DIM = intSetting("projection.dim", 64, 2, 8192,
            "projection head output, used only by the loss");
    public static final Setting<Integer> EMBED_BATCH_SIZE = intSetting("embed.batch.size", 64, 1, 65_536,
            "items embedded together");
    public static final Setting<Integer> REEMBED_RECENT = intSetting("reembed.recent-items", 0, 0, 1_000_000,
            "deprecated and ignored: every embed task now re-embeds its whole catalogue under each served version");
    public static final Setting<Integer> CATALOGUE_MAX_ITEMS = intSetting("catalogue.max-items", 1_000_000, 1, MAX,
            "per embed task: ids whose encoder input is kept for re-embedding; past it the least recently sent goes");
    public static final Setting<Long> CATALOGUE_MAX_AGE_MS = new Setting<>("catalogue.max-age-ms",
            "per embed task: ids not sent again for this long leave the catalogue; 0: no age limit", "0",
            s -> Long.valueOf(s.strip()), v -> v >= 0, ">= 0");
    public static final Setting<Integer> BACKFILL_RATE = intSetting("backfill.items-per-second", 0, 0, MAX,
            "per embed task: the most catalogue entries re-embedded per second under a new served version; 0: no limit"
                    + " (arriving items always go first)");
    public static final Setting<Integer> PROMOTION_INTERVAL_MS = intSetting("promotion.interval.ms", 30_000, 0, MAX,
            "at most one automatic promotion of a snapshot to the served version per interval (the trainer's last"
                    + " snapshot when it goes idle is promoted at once)");
    public static final Setting<Integer> PROMOTION_MAX_WAIT_MS = intSetting("promotion.max-wait-ms", 300_000, 0, MAX,
            "a promotion waits for the served version to be complete on every partition, at most this long");
    public static final Setting<Float> PROMOTION_TOLERANCE = new Setting<>("promotion.tolerance",
            "how much worse than the served version a snapshot's probe figures (pair top-1, and alignment +"
                    + " uniformity) may be, each in its own units, and still be promoted", "0.1", s -> Float.valueOf(s.strip()),
            v -> !v.isNaN() && v >= 0f && v <= 10f, "in [0, 10]");
    public static final Setting<Integer> PROMOTION_PROBE_ITEMS = intSetting("promotion.probe-items", 256, 2, 65_536,
            "positive pairs, from the first items a trainer sees, that every snapshot is measured on (kept with its"
                    + " checkpoint)");
    public static final Setting<Long> EVENT_TIME_MAX_FUTURE_MS = new Setting<>("event-time.max-future-ms",
            "an item whose event time is further ahead of the app's clock than this is a dead letter (a corrupt or"
                    + " skewed clock); any past time is accepted", "86400000", s -> Long.valueOf(s.strip()),
            v -> v >= 0, ">= 0");
    public static final Setting<Integer> EMBED_LINGER_MS = intSetting("embed.linger.ms", 50, 1, 60_000,
            "longest wait before a partial embedding batch goes out");

    // --- serving over HTTP ---
    public static final Setting<Integer> HTTP_PORT = new Setting<>("http.port",
            "port of the HTTP server (health, readiness, metrics, lookups) that run and demo --serve start; 0: any"
                    + " free port (logged); -1: no server", "8080", s -> Integer.valueOf(s.strip()), v -> v >= -1 && v <= 65_535,
            "-1, or in [0, 65535]");
    public static final Setting<String> HTTP_HOST = new Setting<>("http.host",
            "address the HTTP server listens on, and gives the other instances for lookups they forward (0.0.0.0: every"
                    + " interface, given as this machine's address)",
            "127.0.0.1", String::strip, v -> v.matches("[A-Za-z0-9.:\\-]+"), "a host name or an IP address");
    public static final Setting<String> HTTP_TOKEN = new Setting<>("http.token",
            "when set, every HTTP endpoint but /health needs the header Authorization: Bearer <token>", "",
            String::strip, v -> v.isEmpty() || v.matches("[\\x21-\\x7e]{8,}"),
            "empty, or at least 8 printable ASCII characters without spaces");

    /**
     * The shared settings a kind may have its own value of, as {@code <kind>.<name>} ({@link Setting#perKind}): what
     * suits images (a learning rate, a batch) may not suit events, and an embedding size is the kind's own output.
     */
    public static final List<Setting<?>> PER_KIND = List.of(METHOD, BATCH_SIZE, TEMPERATURE, LEARNING_RATE,
            EMBEDDING_DIM, REPLAY_UPDATES, TRAINER_THREADS, SNAPSHOT_EVERY, PROMOTION_TOLERANCE, SNAPSHOT_ENCODER,
            MOMENTUM, LEARNING_RATE_TABLE_FACTOR);

    /**
     * The settings every app has whatever its kinds, in the order of the README's table; {@code kinds} defaults to
     * every kind registered.
     */
    public static SettingGroup core(List<String> kindNames) {
        return new SettingGroup(List.of(
                BOOTSTRAP_SERVERS, APPLICATION_ID, STATE_DIR, PROCESSING_GUARANTEE, STREAM_THREADS,
                TOPIC_RAW_ITEMS, TOPIC_DEAD_LETTERS, TOPIC_MODELS, TOPIC_EMBEDDINGS, TOPIC_STATUS, TOPIC_TRAIN_PREFIX,
                TOPIC_PARTITIONS, EVENT_TIME_MAX_FUTURE_MS,
                KINDS.withDefault(String.join(",", kindNames)), DEVICE, SEED, METHOD, SIMILARITY, BATCH_SIZE,
                BATCH_LINGER_MS, BANK_SIZE, MOMENTUM, TEMPERATURE, MARGIN, LOSS_SYMMETRIC, SNAPSHOT_ENCODER, LEARNING_RATE,
                LEARNING_RATE_WARMUP, LEARNING_RATE_DECAY,
                LEARNING_RATE_FLOOR, LEARNING_RATE_TABLE_FACTOR, REPLAY_UPDATES, TRAINER_THREADS, REPLAY_CAPACITY,
                REPLAY_MAX_BACKLOG, SNAPSHOT_EVERY, CHECKPOINT_INTERVAL_MS, EMBEDDING_DIM, PROJECTION_DIM,
                EMBED_BATCH_SIZE, EMBED_LINGER_MS, REEMBED_RECENT, CATALOGUE_MAX_ITEMS, CATALOGUE_MAX_AGE_MS, BACKFILL_RATE,
                PROMOTION_INTERVAL_MS, PROMOTION_MAX_WAIT_MS, PROMOTION_TOLERANCE, PROMOTION_PROBE_ITEMS,
                HTTP_PORT, HTTP_HOST, HTTP_TOKEN),
                List.of(s -> "on".equals(s.get(LOSS_SYMMETRIC)) && !"moco".equals(s.get(METHOD))
                        ? "loss.symmetric=on is for method moco (simclr and siamese are symmetric already)" : null,
                        s -> "momentum".equals(s.get(SNAPSHOT_ENCODER)) && "siamese".equals(s.get(METHOD))
                        ? "snapshot.encoder=momentum is for methods moco and simclr (siamese keeps no momentum encoder)"
                        : null,
                        s -> s.get(REPLAY_CAPACITY) < s.get(BATCH_SIZE) ? "replay.capacity (" + s.get(REPLAY_CAPACITY)
                        + ") must be >= batch.size (" + s.get(BATCH_SIZE) + "): a step samples its batch from the replay"
                        + " buffer" : null));
    }

    private final List<SettingGroup> groups;
    private final Map<String, Object> values;
    private final Map<String, String> sources;
    /** The Kafka client security settings passed through (see {@link KafkaClientSecurity}), by name. */
    private final Map<String, String> clientSecurity;

    private Settings(List<SettingGroup> groups, Map<String, Object> values, Map<String, String> sources,
            Map<String, String> clientSecurity) {
        this.groups = List.copyOf(groups);
        this.values = Collections.unmodifiableMap(values);
        this.sources = Collections.unmodifiableMap(sources);
        this.clientSecurity = Collections.unmodifiableMap(clientSecurity);
    }

    /** Defaults only. */
    public static Settings defaults(List<SettingGroup> groups) {
        return load(groups, null, Map.of(), Map.of());
    }

    /**
     * Reads and validates every setting of the groups. Beside those, Kafka's client security settings
     * ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}) are accepted from each source and passed
     * through to every Kafka client; any other name is an error.
     *
     * @param groups         the settings there are: the {@link #core} ones and each kind's
     * @param propertiesFile optional file of {@code name=value} lines
     * @param env            the environment ({@code STREAMCL_BATCH_SIZE=128})
     * @param flags          {@code name -> value} from the command line
     * @throws InvalidSettingsException listing every bad or unknown setting
     */
    public static Settings load(List<SettingGroup> groups, Path propertiesFile, Map<String, String> env,
            Map<String, String> flags) {
        List<Setting<?>> all = all(groups);
        List<String> problems = new ArrayList<>();
        Map<String, String> raw = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        Map<String, String> clientSecurity = new java.util.TreeMap<>();
        for (Setting<?> s : all) {
            if (raw.put(s.name(), s.defaultValue()) != null) {
                throw new IllegalArgumentException("two settings are named " + s.name());
            }
            sources.put(s.name(), "default");
        }
        if (propertiesFile != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(propertiesFile)) {
                p.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read settings file " + propertiesFile + ": " + e.getMessage(), e);
            }
            for (String name : p.stringPropertyNames()) {
                put(all, raw, sources, clientSecurity, name, p.getProperty(name), "file " + propertiesFile, problems);
            }
        }
        for (Setting<?> s : all) {
            String v = env.get(s.envName());
            if (v != null) {
                raw.put(s.name(), v);
                sources.put(s.name(), "env " + s.envName());
            }
        }
        for (String name : KafkaClientSecurity.names()) { // a secret is best kept out of files: STREAMCL_SASL_JAAS_CONFIG
            String envName = Setting.envName(name);
            if (env.get(envName) != null) {
                put(all, raw, sources, clientSecurity, name, env.get(envName), "env " + envName, problems);
            }
        }
        flags.forEach((name, v) -> put(all, raw, sources, clientSecurity, name, v, "flag", problems));

        Map<String, Object> values = new LinkedHashMap<>();
        for (Setting<?> s : all) {
            parse(s, raw.get(s.name()), sources.get(s.name()), values, problems);
        }
        Settings settings = new Settings(groups, values, sources, clientSecurity);
        if (problems.isEmpty()) {
            for (SettingGroup g : groups) {
                g.rules().stream().map(rule -> rule.problem(settings)).filter(java.util.Objects::nonNull)
                        .forEach(problems::add);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return settings;
    }

    private static List<Setting<?>> all(List<SettingGroup> groups) {
        return groups.stream().flatMap(g -> g.settings().stream()).toList();
    }

    /** Every setting there is, in the order of the README's table. */
    public List<Setting<?>> all() {
        return all(groups);
    }

    /** Returns a copy with some values replaced (validated like any other); client security is kept. */
    public Settings with(Map<String, String> overrides) {
        Map<String, String> flags = new LinkedHashMap<>(clientSecurity);
        flags.putAll(ownTexts());
        flags.putAll(overrides);
        return load(groups, null, Map.of(), flags);
    }

    /**
     * A copy for a broker this process started itself (demo, bench): its PLAINTEXT listener at {@code bootstrap},
     * without the security settings meant for the user's cluster.
     */
    public Settings withPlaintextBroker(String bootstrap) {
        Map<String, String> flags = ownTexts();
        flags.put(BOOTSTRAP_SERVERS.name(), bootstrap);
        return load(groups, null, Map.of(), flags);
    }

    /**
     * The app's own settings that were set (not left at their default) as text, by name: a copy keeps what was
     * a default a default, which {@link #forKind} tells apart.
     */
    private Map<String, String> ownTexts() {
        Map<String, String> texts = new LinkedHashMap<>();
        for (Setting<?> s : all()) {
            if (!"default".equals(source(s))) {
                texts.put(s.name(), text(s));
            }
        }
        return texts;
    }

    /**
     * The settings as one kind learns with them: each of {@link #PER_KIND} replaced by the kind's own value
     * ({@code image.learning.rate}) where it has one. A value set for the kind wins; then a shared value that was
     * set (a user's {@code learning.rate=0.01} is meant for every kind); then the kind's own default; then the
     * shared default. A kind's own default gives way to the shared one where, with what the user set, it would
     * break a rule (sentences publish an average, {@code snapshot.encoder=momentum}, which
     * {@code sentence.method=siamese} does not keep).
     *
     * @throws InvalidSettingsException if the kind's values break a rule (a batch larger than the replay buffer)
     */
    public Settings forKind(String kind) {
        Map<String, String> own = new LinkedHashMap<>();
        List<String> ownDefaults = new ArrayList<>();
        for (Setting<?> shared : PER_KIND) {
            String name = kind + "." + shared.name();
            if (!(values.get(name) instanceof String text) || text.isEmpty()) {
                continue;
            }
            boolean setForKind = !"default".equals(sources.get(name));
            boolean setShared = !"default".equals(sources.get(shared.name()));
            if (setForKind || !setShared) {
                own.put(shared.name(), text);
                if (!setForKind) {
                    ownDefaults.add(shared.name());
                }
            }
        }
        if (own.isEmpty()) {
            return this;
        }
        try {
            return with(own);
        } catch (InvalidSettingsException e) {
            for (String name : ownDefaults) {
                Map<String, String> without = new LinkedHashMap<>(own);
                without.remove(name);
                try {
                    return with(without);
                } catch (InvalidSettingsException stillBroken) {
                    // not this default: try the next one
                }
            }
            throw new InvalidSettingsException(e.problems().stream().map(p -> "for kind " + kind + ": " + p).toList());
        }
    }

    /**
     * What every Kafka client of the app is given: {@code bootstrap.servers} and the security settings passed
     * through. Holds secrets: hand it to Kafka (whose config logging masks them), never to a log line.
     */
    public Map<String, Object> kafkaClientProperties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(BOOTSTRAP_SERVERS.name(), get(BOOTSTRAP_SERVERS));
        p.putAll(clientSecurity);
        return Collections.unmodifiableMap(p);
    }

    /** The names of the client security settings passed through, sorted. */
    public java.util.Set<String> clientSecurityNames() {
        return clientSecurity.keySet();
    }

    /** A client security setting's value as it may be shown: secrets masked. */
    public String shownClientSecurity(String name) {
        return KafkaClientSecurity.shown(name, clientSecurity.get(name));
    }

    /** Where a client security setting came from: file, env or flag. */
    public String clientSecuritySource(String name) {
        return sources.get(name);
    }

    public <T> T get(Setting<T> setting) {
        @SuppressWarnings("unchecked")
        T v = (T) values.get(setting.name());
        if (v == null) {
            throw new IllegalArgumentException("unknown setting " + setting.name());
        }
        return v;
    }

    /** Where a value came from: default, file, env or flag. */
    public String source(Setting<?> setting) {
        return sources.get(setting.name());
    }

    /** The value as text, as it would be written in a properties file. */
    public String text(Setting<?> setting) {
        Object v = get(setting);
        if (v instanceof int[] ints) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < ints.length; i++) {
                b.append(i == 0 ? "" : ",").append(ints[i]);
            }
            return b.toString();
        }
        if (v instanceof List<?> names) {
            return String.join(",", names.stream().map(String::valueOf).toList());
        }
        return String.valueOf(v);
    }

    private static void put(List<Setting<?>> all, Map<String, String> raw, Map<String, String> sources, Map<String, String> clientSecurity,
            String name, String value, String source, List<String> problems) {
        if (KafkaClientSecurity.passesThrough(name)) {
            String problem = KafkaClientSecurity.problem(name, value);
            if (problem != null) {
                problems.add(name + " = '" + KafkaClientSecurity.shown(name, value) + "' (from " + source + ")"
                        + " is refused by Kafka: " + problem);
                return;
            }
            clientSecurity.put(name, value);
            sources.put(name, source);
            return;
        }
        if (!raw.containsKey(name)) {
            problems.add("unknown setting '" + name + "' (from " + source + ")" + suggestion(all, name)
                    + KafkaClientSecurity.notPassedThrough(name));
            return;
        }
        raw.put(name, value);
        sources.put(name, source);
    }

    private static String suggestion(List<Setting<?>> all, String name) {
        String best = null;
        int bestDistance = 4;
        List<String> names = new ArrayList<>(all.stream().map(Setting::name).toList());
        names.addAll(KafkaClientSecurity.names());
        for (String known : names) {
            int d = editDistance(name, known);
            if (d < bestDistance) {
                best = known;
                bestDistance = d;
            }
        }
        return best == null ? "" : "; did you mean '" + best + "'?";
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static <T> void parse(Setting<T> s, String text, String source, Map<String, Object> values,
            List<String> problems) {
        T v;
        try {
            v = s.parser().apply(text);
        } catch (RuntimeException e) {
            problems.add(s.name() + " = '" + text + "' (from " + source + ") is malformed: must be " + s.rule());
            return;
        }
        if (!s.validator().test(v)) {
            problems.add(s.name() + " = '" + text + "' (from " + source + ") is invalid: must be " + s.rule());
            return;
        }
        values.put(s.name(), v);
    }
}
