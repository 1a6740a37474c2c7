package io.streamcl.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.streamcl.cli.Main;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Checks docker-compose.yml and the Dockerfile against the app: services, loopback-only ports, commands, topics. */
class DockerComposeFileTest {

    /** The topics the app creates with default settings. */
    private static final Set<String> APP_TOPICS = new java.util.TreeSet<>(io.streamcl.topology.TopicSetup.topicNames(
            io.streamcl.kind.KindRegistry.standard().defaultSettings(),
            io.streamcl.kind.ItemKinds.fromSettings(io.streamcl.kind.KindRegistry.standard().defaultSettings())));

    private static final List<String> APP_SERVICES = List.of("stream-app", "producer", "stream-app-gpu");
    /** Subcommands the design names (DESIGN.md, cli/); the picocli check below is the stronger one. */
    private static final Set<String> DESIGNED_SUBCOMMANDS =
            Set.of("demo", "broker", "run", "produce", "export", "eval", "bench");
    private static final Pattern LOOPBACK_PORT = Pattern.compile("^127\\.0\\.0\\.1:\\d+(-\\d+)?:\\d+(-\\d+)?(/(tcp|udp))?$");

    private static Path root;
    private static JsonNode compose;

    @BeforeAll
    static void load() throws IOException {
        root = repoRoot();
        compose = new ObjectMapper(new YAMLFactory()).readTree(root.resolve("docker-compose.yml").toFile());
    }

    @Test
    void shouldDefineKafkaTheAppTheProducerAndAGpuVariant() {
        assertThat(fieldNames(compose.path("services")))
                .containsExactlyInAnyOrder("kafka", "stream-app", "producer", "stream-app-gpu");
        assertThat(compose.at("/services/kafka/image").asText()).startsWith("apache/kafka:");
        for (String app : APP_SERVICES) {
            assertThat(compose.at("/services/" + app + "/build").asText()).as(app + " build").isEqualTo(".");
            assertThat(dependsOn(compose.at("/services/" + app))).as(app + " depends_on").contains("kafka");
        }
        assertThat(compose.at("/services/kafka/profiles").isMissingNode()).isTrue();
        assertThat(compose.at("/services/stream-app/profiles").isMissingNode()).isTrue();
    }

    @Test
    void shouldPublishHostPortsOnLoopbackOnly() {
        List<String> published = new ArrayList<>();
        compose.path("services").fields().forEachRemaining(s -> s.getValue().path("ports").forEach(p -> {
            String mapping = p.isObject()
                    ? p.path("host_ip").asText() + ":" + p.path("published").asText() + ":" + p.path("target").asText()
                    : p.asText();
            assertThat(mapping).as("port of %s", s.getKey()).matches(LOOPBACK_PORT);
            published.add(s.getKey() + "=" + mapping);
        }));
        assertThat(published).anyMatch(p -> p.startsWith("kafka=127.0.0.1:9092:"));
        assertThat(published).contains("stream-app=127.0.0.1:8080:8080");
        assertThat(compose.at("/services/stream-app/environment/STREAMCL_HTTP_HOST").asText()).isEqualTo("0.0.0.0");
    }

    @Test
    void shouldConfigureASingleNodeKafkaForTheComposeNetworkAndTheHost() {
        JsonNode env = compose.at("/services/kafka/environment");
        assertThat(env.path("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
        assertThat(List.of(env.path("KAFKA_ADVERTISED_LISTENERS").asText().split(",")))
                .anyMatch(l -> l.endsWith("://kafka:9092"))
                .anyMatch(l -> l.endsWith("://127.0.0.1:9092"));
        assertThat(env.path("KAFKA_MESSAGE_MAX_BYTES").asText()).isEqualTo("67108864");
        assertThat(env.path("KAFKA_AUTO_CREATE_TOPICS_ENABLE").asText()).isEqualTo("false");
        for (String key : List.of("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
                "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR",
                "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR")) {
            assertThat(env.path(key).asText()).as(key).isEqualTo("1");
        }
    }

    @Test
    void shouldRunTheAppAndTheProducerAgainstTheComposeBroker() {
        assertThat(command("stream-app")).startsWith("run");
        assertThat(command("stream-app-gpu")).startsWith("run");
        assertThat(command("producer")).startsWith("produce").containsSubsequence("--kind", "image")
                .containsSubsequence("--format", "idx");
        for (String app : APP_SERVICES) {
            List<String> cmd = command(app);
            assertThat(cmd.get(0)).as(app).isIn(DESIGNED_SUBCOMMANDS);
            assertThat(cmd).as(app).containsSubsequence("--bootstrap-servers", "kafka:9092");
        }

        List<String> producer = command("producer");
        String input = producer.get(producer.indexOf("--input") + 1);
        assertThat(input).startsWith("/data/");
        assertThat(texts(compose.at("/services/producer/volumes"))).contains("./data:/data:ro");
        assertThat(root.resolve("data").resolve(input.substring("/data/".length()))).as("demo input in ./data").isRegularFile();
    }

    @Test
    void shouldNameSubcommandsAndOptionsTheAppReallyHas() throws Exception {
        Optional<CommandLine> app = appCommandLine();
        assumeTrue(app.isPresent(), "io.streamcl.cli.Main does not expose its picocli command yet");
        for (String service : APP_SERVICES) {
            List<String> cmd = command(service);
            assertThat(app.get().getSubcommands()).as("subcommands, for %s", service).containsKey(cmd.get(0));
            // the whole command line as the container runs it: throws on an unknown option or a bad value
            CommandLine.ParseResult parsed = app.get().parseArgs(cmd.toArray(String[]::new));
            assertThat(parsed.subcommand()).as(service).isNotNull();
            assertThat(parsed.subcommand().commandSpec().name()).isEqualTo(cmd.get(0));
        }
    }

    @Test
    void shouldGiveTheGpuVariantADeviceAUserLibtorchAndAnNvidiaReservation() {
        JsonNode gpu = compose.at("/services/stream-app-gpu");
        assertThat(texts(gpu.path("profiles"))).containsExactly("gpu");
        assertThat(gpu.at("/environment/STREAMCL_DEVICE").asText()).isEqualTo("gpu");
        assertThat(gpu.at("/environment/PYTORCH_LIBRARY_PATH").asText()).isEqualTo("/opt/libtorch/lib");
        assertThat(gpu.at("/environment/PYTORCH_FLAVOR").asText()).isEqualTo("cu128");
        assertThat(texts(gpu.path("volumes"))).contains("./libtorch:/opt/libtorch:ro");
        assertThat(gpu.at("/deploy/resources/reservations/devices/0/driver").asText()).isEqualTo("nvidia");
        assertThat(texts(gpu.at("/deploy/resources/reservations/devices/0/capabilities"))).contains("gpu");
    }

    @Test
    void shouldListTheAppsTopics() {
        assertThat(new LinkedHashSet<>(texts(compose.path("x-streamcl-topics")))).isEqualTo(APP_TOPICS);
    }

    @Test
    void dockerfileShouldPackageThePrebuiltShadedJar() throws IOException {
        String dockerfile = Files.readString(root.resolve("Dockerfile"), StandardCharsets.UTF_8);
        List<String> lines = dockerfile.lines().map(String::strip).filter(l -> !l.startsWith("#")).toList();
        assertThat(lines).anyMatch(l -> l.matches("(?i)FROM\\s+eclipse-temurin:17-jre(\\s.*)?"));
        assertThat(lines).anyMatch(l -> l.matches("(?i)COPY\\s+stream-app/target/stream-app\\.jar\\s+/app/stream-app\\.jar"));
        // with a heap limit: G1 otherwise keeps committing heap the learner does not use (see BENCHMARKS.md's soak)
        assertThat(lines).anyMatch(l -> l.equals("ENTRYPOINT [\"java\",\"-Xmx1g\",\"-jar\",\"/app/stream-app.jar\"]"));
        assertThat(dockerfile).contains("DJL_OFFLINE=true", "OPT_OUT_TRACKING=true", "DJL_CACHE_DIR=/var/cache/djl");
    }

    private static List<String> command(String service) {
        JsonNode cmd = compose.at("/services/" + service + "/command");
        assertThat(cmd.isArray()).as("%s command is a list", service).isTrue();
        return texts(cmd);
    }

    private static Set<String> dependsOn(JsonNode service) {
        JsonNode d = service.path("depends_on");
        return d.isArray() ? new LinkedHashSet<>(texts(d)) : fieldNames(d);
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Main's picocli command: from a static no-argument factory returning CommandLine, or Main's own @Command. */
    private static Optional<CommandLine> appCommandLine() throws Exception {
        for (Method m : Main.class.getDeclaredMethods()) {
            if (Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0
                    && CommandLine.class.isAssignableFrom(m.getReturnType())) {
                m.setAccessible(true);
                return Optional.of((CommandLine) m.invoke(null));
            }
        }
        return Main.class.isAnnotationPresent(Command.class) ? Optional.of(new CommandLine(Main.class)) : Optional.empty();
    }

    /** -Dstreamcl.repo.root (set by surefire), else the nearest directory up from here with docker-compose.yml. */
    private static Path repoRoot() {
        String prop = System.getProperty("streamcl.repo.root");
        Path start = Path.of(prop != null && !prop.isBlank() ? prop : System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docker-compose.yml"))) return p;
        }
        throw new IllegalStateException("no docker-compose.yml in " + start + " or above (set -Dstreamcl.repo.root)");
    }
}
