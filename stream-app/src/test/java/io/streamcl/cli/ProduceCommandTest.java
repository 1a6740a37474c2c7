package io.streamcl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** Options that do not fit together are refused with a line saying why, before any broker is contacted. */
class ProduceCommandTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--kind image --synthetic                            | --synthetic makes user events",
        "--kind event --synthetic --format csv               | --synthetic takes no --format or --input",
        "--kind event --synthetic --users 0                  | must be >= 1",
        "--kind event                                        | give --format and --input, or --synthetic",
        "--kind sentence --format lines                      | give --format and --input",
        "--kind event --format csv --input missing.csv       | input not found",
        "--kind event --format idx --input FILE              | --format idx does not hold event items",
        "--kind image --format movielens --input FILE        | --format movielens does not hold image items",
        "--kind event --format csv --input FILE --items FILE | --items goes with --format movielens",
        "--kind event --format movielens --input FILE --items nope.csv | items file not found",
        "--kind sentence --format tsv --input FILE           | --format tsv needs --text-column",
        "--kind event --format csv --input FILE --labels x   | --labels goes with --format idx (an IDX labels file",
        "--kind sentence --format lines --input FILE --labels x | or tsv (the column holding each label)",
        "--kind event --synthetic --topic-timeout -1         | --topic-timeout must be >= 0",
    })
    void shouldRefuseOptionsThatDoNotFitTogether(String args, String expected) throws Exception {
        Path file = Files.writeString(tmp.resolve("events.csv"), "u1,i1,1700000000\n");
        String[] argv = ("--bootstrap-servers 127.0.0.1:1 " + args.replace("FILE", file.toString())).split("\\s+");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = new CommandLine(new ProduceCommand()).execute(argv);
        } finally {
            System.setErr(old);
        }
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(expected);
    }
}
