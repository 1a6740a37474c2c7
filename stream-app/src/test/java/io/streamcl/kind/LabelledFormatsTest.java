package io.streamcl.kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcl.ingest.IdxFile;
import io.streamcl.ingest.RawItems;
import io.streamcl.schema.RawItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code produce --labels}: each item's label rides along as its {@code label} attribute, from the format's own place. */
class LabelledFormatsTest {
    @TempDir
    Path tmp;

    @Test
    void idxImagesShouldCarryTheLabelsFileLabels() throws IOException {
        Path images = tmp.resolve("images.idx");
        Path labels = tmp.resolve("labels.idx");
        IdxFile.writeImages(images, 2, 2, new byte[][] {{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 9, 9, 9}}, false);
        IdxFile.writeLabels(labels, new int[] {7, 0, 3}, true);

        assertThat(read("image", "idx", images, labels.toString())).extracting(r -> r.getAttributes().get(
                RawItems.LABEL_ATTRIBUTE)).containsExactly("7", "0", "3");
        assertThat(read("image", "idx", images, null)).allSatisfy(r -> assertThat(r.getAttributes()).isEmpty());
    }

    @Test
    void idxImagesShouldRefuseALabelsFileOfAnotherLength() throws IOException {
        Path images = tmp.resolve("images.idx");
        Path labels = tmp.resolve("labels.idx");
        IdxFile.writeImages(images, 1, 1, new byte[][] {{1}, {2}}, false);
        IdxFile.writeLabels(labels, new int[] {1, 2, 3}, false);

        assertThatThrownBy(() -> read("image", "idx", images, labels.toString())).isInstanceOf(IOException.class)
                .hasMessageContaining("has 2 images but --labels").hasMessageContaining("has 3 labels");
    }

    @Test
    void tsvSentencesShouldCarryTheLabelColumn() throws IOException {
        Path tsv = Files.writeString(tmp.resolve("s.tsv"), "text\tgenre\nthe cat sat\tnews\nrain again\tfiction\n");

        assertThat(read("sentence", "tsv", tsv, "genre")).extracting(r -> r.getAttributes().get(
                RawItems.LABEL_ATTRIBUTE)).containsExactly("news", "fiction");
        assertThatThrownBy(() -> read("sentence", "tsv", tsv, "topic")).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("--labels topic: no such column").hasMessageContaining("genre");
    }

    @Test
    void onlyFormatsWithAPlaceForLabelsShouldSayTheyTakeThem() {
        List<String> taking = new ArrayList<>();
        KindRegistry.standard().all().forEach(k -> k.formats().stream().filter(f -> f.labelsFrom() != null)
                .forEach(f -> taking.add(k.name() + "/" + f.name())));
        assertThat(taking).containsExactlyInAnyOrder("image/idx", "sentence/tsv");
    }

    private static List<RawItem> read(String kind, String format, Path input, String labels) throws IOException {
        ItemFormat f = KindRegistry.standard().byName(kind).orElseThrow().formats().stream()
                .filter(x -> x.name().equals(format)).findFirst().orElseThrow();
        ItemFormat.Options o = new ItemFormat.Options(input, null, "x-", "text", null, labels, 1, 1, 1, 1);
        try (Stream<RawItem> items = f.reader().read(o, bad -> { throw new AssertionError(bad); })) {
            return items.toList();
        }
    }
}
