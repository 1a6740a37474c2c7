package io.streamcl.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelsTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadGzippedIdxLabelsWithTheIdPrefix() throws IOException {
        Path file = dir.resolve("train-labels-idx1-ubyte.gz");
        TestData.writeIdxLabels(file, true, 9, 0, 3, 255);

        Labels labels = Labels.load(file, "train-");

        assertThat(labels.byId()).containsOnly(
                entry("train-0", 9), entry("train-1", 0), entry("train-2", 3), entry("train-3", 255));
        assertThat(labels.names()).hasSize(256);
        assertThat(labels.name(9)).isEqualTo("9");
    }

    @Test
    void shouldReadTheShippedFashionMnistTestLabels() throws IOException {
        Path file = Path.of(System.getProperty("streamcl.repo.root", ".."), "data", "fashion-mnist",
                "t10k-labels-idx1-ubyte.gz");
        assumeTrue(Files.exists(file), "no " + file);

        Map<String, Integer> labels = Labels.read(file, "test-");

        assertThat(labels).hasSize(10_000).containsKey("test-9999");
        assertThat(labels.values().stream().filter(l -> l == 7).count()).isEqualTo(1000);
    }

    @Test
    void shouldReadPlainIdxLabelsWithoutAPrefix() throws IOException {
        Path file = dir.resolve("labels.idx");
        TestData.writeIdxLabels(file, false, 1, 2);

        assertThat(Labels.read(file, "")).containsOnly(entry("0", 1), entry("1", 2));
    }

    @Test
    void shouldMapCsvLabelStringsInOrderOfFirstAppearance() throws IOException {
        Path file = dir.resolve("labels.csv");
        Files.writeString(file, "id,label\nsent-1,news\n\"a,\"\"b\"\"\",fiction\nsent-3,news\nsent-4,\nsent-1,news\n");

        Labels labels = Labels.load(file, "ignored-");

        assertThat(labels.byId()).containsOnly(entry("sent-1", 0), entry("a,\"b\"", 1), entry("sent-3", 0));
        assertThat(labels.names()).containsExactly("news", "fiction");
    }

    @Test
    void shouldFindColumnsByNameOrTakeTheFirstTwo() throws IOException {
        Path named = dir.resolve("named.csv");
        Files.writeString(named, "label,extra,ID\ncat,x,i1\n");
        Path positional = dir.resolve("positional.csv");
        Files.writeString(positional, "item,genre\ni1,drama\n");

        assertThat(Labels.read(named, "")).containsOnly(entry("i1", 0));
        assertThat(Labels.load(positional, "").names()).containsExactly("drama");
    }

    @Test
    void shouldAlignLabelNumbersOfTwoCsvFilesByName() throws IOException {
        Path memory = dir.resolve("memory.csv");
        Files.writeString(memory, "id,label\na,cat\nb,dog\n");
        Path queries = dir.resolve("queries.csv");
        Files.writeString(queries, "id,label\nc,dog\nd,bird\ne,cat\n");

        Labels aligned = Labels.load(queries, "").alignedTo(Labels.load(memory, ""));

        assertThat(aligned.byId()).containsOnly(entry("c", 1), entry("d", 2), entry("e", 0));
        assertThat(aligned.names()).containsExactly("cat", "dog", "bird");
    }

    @Test
    void shouldRejectMalformedFiles() throws IOException {
        Path truncated = dir.resolve("t.idx");
        Files.write(truncated, new byte[] {0, 0, 8, 1, 0, 0, 0, 5, 1, 2});
        Path images = dir.resolve("i.idx");
        Files.write(images, new byte[] {0, 0, 8, 3, 0, 0, 0, 0});
        Path conflict = dir.resolve("c.csv");
        Files.writeString(conflict, "id,label\na,x\nb,y\na,y\n");
        Path ragged = dir.resolve("r.csv");
        Files.writeString(ragged, "id,label\na,x\nb\n");

        assertThatThrownBy(() -> Labels.read(truncated, "")).hasMessageContaining("says 5 labels, found 2");
        assertThatThrownBy(() -> Labels.read(images, "")).hasMessageContaining("magic 0x00000803");
        assertThatThrownBy(() -> Labels.read(conflict, "")).hasMessageContaining("line 4: id a is labelled again");
        assertThatThrownBy(() -> Labels.read(ragged, "")).hasMessageContaining("line 3: expected 2 fields, found 1");
    }

    @Test
    void shouldRejectLabelsWithoutNames() {
        assertThatThrownBy(() -> new Labels(Map.of("a", 1), List.of("only")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
