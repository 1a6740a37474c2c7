package io.streamcl.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcl.ingest.BrownSplit.LabelledText;
import io.streamcl.ingest.BrownSplit.Split;
import io.streamcl.ingest.TextFileReader.TextRow;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BrownSplitTest {

    /** 40 documents "doc<d>" of 5 sentences "doc<d>/s<i>", labels "even"/"odd" by document. */
    private static List<TextRow> rows() {
        List<TextRow> rows = new ArrayList<>();
        for (int d = 0; d < 40; d++) {
            for (int i = 0; i < 5; i++) {
                rows.add(new TextRow(rows.size(), null, "doc" + d + "/s" + i,
                        Map.of("doc", "doc" + d, "topic", d % 2 == 0 ? "even" : "odd")));
            }
        }
        return rows;
    }

    private static Set<String> documents(List<LabelledText> side) {
        return side.stream().map(t -> t.text().substring(0, t.text().indexOf('/'))).collect(Collectors.toSet());
    }

    @Test
    void shouldKeepEveryDocumentOnOneSide() {
        Split split = BrownSplit.byDocument(rows(), "doc", "topic", 0.25, 1);
        Set<String> train = documents(split.train());
        Set<String> test = documents(split.test());
        assertThat(test).hasSize(10);
        assertThat(train).hasSize(30).doesNotContainAnyElementsOf(test);
        assertThat(split.test()).hasSize(50);
        assertThat(split.train()).hasSize(150);
        assertThat(split.train().get(0).label()).isIn("even", "odd");
        assertThat(split.train()).allSatisfy(t -> assertThat(t.label())
                .isEqualTo(Integer.parseInt(t.text().substring(3, t.text().indexOf('/'))) % 2 == 0 ? "even" : "odd"));
    }

    @Test
    void shouldDependOnlyOnTheSeedNotTheRowOrder() {
        Split a = BrownSplit.byDocument(rows(), "doc", "topic", 0.25, 7);
        Split b = BrownSplit.byDocument(rows(), "doc", "topic", 0.25, 7);
        assertThat(a).isEqualTo(b);
        List<TextRow> reversed = new ArrayList<>(rows());
        Collections.reverse(reversed);
        assertThat(documents(BrownSplit.byDocument(reversed, "doc", "topic", 0.25, 7).test()))
                .isEqualTo(documents(a.test()));
        Set<Set<String>> testSets = new HashSet<>();
        for (long seed = 0; seed < 10; seed++) {
            testSets.add(documents(BrownSplit.byDocument(rows(), "doc", "topic", 0.25, seed).test()));
        }
        assertThat(testSets).hasSizeGreaterThan(8);
    }

    @Test
    void shouldKeepRowOrderAndUseIdOrIndex() {
        Split split = BrownSplit.byDocument(rows(), "doc", "topic", 0.5, 3);
        List<Long> trainIds = split.train().stream().map(t -> Long.parseLong(t.id())).toList();
        assertThat(trainIds).isSorted();
        List<TextRow> withIds = List.of(
                new TextRow(0, "x", "a", Map.of("doc", "1", "topic", "t")),
                new TextRow(1, "y", "b", Map.of("doc", "2", "topic", "t")));
        Split s = BrownSplit.byDocument(withIds, "doc", "topic", 0.5, 0);
        assertThat(s.train().size() + s.test().size()).isEqualTo(2);
        assertThat(s.train()).extracting(LabelledText::id).containsAnyOf("x", "y");
    }

    @Test
    void shouldHoldOutAtLeastOneDocumentAndKeepAtLeastOne() {
        Split tiny = BrownSplit.byDocument(rows(), "doc", "topic", 0.001, 1);
        assertThat(documents(tiny.test())).hasSize(1);
        Split huge = BrownSplit.byDocument(rows(), "doc", "topic", 0.999, 1);
        assertThat(documents(huge.train())).hasSize(1);
    }

    @Test
    void shouldRejectMissingColumnsTooFewDocumentsAndBadFraction() {
        assertThatThrownBy(() -> BrownSplit.byDocument(rows(), "fileid", "topic", 0.2, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("row 0 has no column \"fileid\"");
        List<TextRow> one = List.of(new TextRow(0, null, "a", Map.of("doc", "d", "topic", "t")));
        assertThatThrownBy(() -> BrownSplit.byDocument(one, "doc", "topic", 0.2, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("need at least 2 documents to split, got 1");
        assertThatThrownBy(() -> BrownSplit.byDocument(rows(), "doc", "topic", 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("testFraction must be in (0, 1), got 1.0");
    }
}
