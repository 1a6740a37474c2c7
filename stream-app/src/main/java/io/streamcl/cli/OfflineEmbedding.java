package io.streamcl.cli;

import io.streamcl.eval.EmbeddingFile;
import io.streamcl.eval.ExportedEmbedding;
import io.streamcl.ingest.InvalidItemException;
import io.streamcl.kind.EmbeddingInput;
import io.streamcl.kind.EntityHistory;
import io.streamcl.kind.ItemKind;
import io.streamcl.learn.Embedder;
import io.streamcl.schema.RawItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The embed path without Kafka: items decoded and turned into encoder input by their kind, exactly as the
 * stream's embedder does, and written in batches. For kinds with entities (users), each entity's history is
 * kept in memory over the whole file, and the entity is written once at the end, from its final history.
 */
final class OfflineEmbedding {
    private static final int BATCH = 256;

    record Counts(long items, long skipped) {}

    private OfflineEmbedding() {}

    static Counts run(ItemKind<?> kind, ItemSource source, Embedder embedder, Map<String, String> model,
            EmbeddingFile.Writer writer) throws IOException {
        return typed(kind, source, embedder, model, writer);
    }

    private static <I> Counts typed(ItemKind<I> kind, ItemSource source, Embedder embedder, Map<String, String> model,
            EmbeddingFile.Writer writer) throws IOException {
        Batch batch = new Batch(embedder, model, writer);
        Optional<EntityHistory<I>> history = kind.entityHistory();
        Map<String, byte[]> histories = new LinkedHashMap<>();
        long items = 0;
        long[] skipped = {0};
        try (Stream<RawItem> raw = source.items(bad -> {
            skipped[0]++;
            System.err.println("skipped " + bad);
        })) {
            for (Iterator<RawItem> it = raw.iterator(); it.hasNext(); ) {
                RawItem item = it.next();
                I decoded;
                try {
                    decoded = kind.decode(item);
                } catch (InvalidItemException e) {
                    skipped[0]++;
                    System.err.println("skipped " + item.getId() + ": " + e.getMessage());
                    continue;
                }
                for (EmbeddingInput in : kind.embeddingInputs(item.getId(), decoded)) {
                    batch.add(in);
                }
                history.ifPresent(h -> {
                    String entity = h.entityId(decoded);
                    h.update(Optional.ofNullable(histories.get(entity)), decoded)
                            .ifPresent(bytes -> histories.put(entity, bytes));
                });
                items++;
            }
        }
        history.ifPresent(h -> histories.forEach((entity, bytes) -> batch.add(h.embeddingInput(entity, bytes))));
        batch.flush();
        return new Counts(items, skipped[0]);
    }

    /** Inputs waiting to be embedded together. */
    private static final class Batch {
        private final Embedder embedder;
        private final Map<String, String> model;
        private final EmbeddingFile.Writer writer;
        private final List<EmbeddingInput> inputs = new ArrayList<>(BATCH);

        Batch(Embedder embedder, Map<String, String> model, EmbeddingFile.Writer writer) {
            this.embedder = embedder;
            this.model = model;
            this.writer = writer;
        }

        void add(EmbeddingInput in) {
            inputs.add(in);
            if (inputs.size() == BATCH) {
                flush();
            }
        }

        void flush() {
            float[][] vectors = embedder.embed(inputs.stream().map(EmbeddingInput::input).toList());
            try {
                for (int i = 0; i < vectors.length; i++) {
                    writer.write(new ExportedEmbedding(inputs.get(i).key(), inputs.get(i).kind(), model.get("name"),
                            Long.parseLong(model.get("version")), Long.parseLong(model.get("step")), vectors[i]));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            inputs.clear();
        }
    }
}
