package io.streamcl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Every command's help renders whole: a stray '%' in a description makes picocli warn and print it raw. */
class HelpTest {

    @ParameterizedTest
    @ValueSource(strings = {"demo", "broker", "run", "produce", "export", "models", "export-model", "embed", "eval",
            "bench", "settings"})
    void helpShouldRenderWithoutWarnings(String command) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        String help;
        try {
            help = new CommandLine(new Main()).getSubcommands().get(command).getUsageMessage();
        } finally {
            System.setErr(saved);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).as("picocli's complaints").doesNotContain("WARN");
        assertThat(help).contains("Usage:");
    }
}
