package io.streamcl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README documents what the code does: its settings table is the `settings` command's output. */
class ReadmeTest {
    private static final Path ROOT = Path.of(System.getProperty("streamcl.repo.root", "."));

    @Test
    void shouldListEverySettingExactlyAsTheSettingsCommandPrintsIt() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.execute("settings")).isZero();
        } finally {
            System.setOut(original);
        }
        for (String line : out.toString(StandardCharsets.UTF_8).split("\\R")) {
            assertThat(readme).as("README settings table").contains(line);
        }
    }

    @Test
    void shouldGiveTheTwoCommandsOfTheQuickStart() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertThat(readme).contains("mvn -B -q -DskipTests package && java -jar stream-app/target/stream-app.jar demo");
        assertThat(readme).contains("\n    mvn -B verify\n");
        assertThat(Files.readString(ROOT.resolve(".ci/run"))).contains("mvn -B verify");
    }
}
