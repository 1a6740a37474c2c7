package io.streamcl.serve;

import io.streamcl.schema.Embedding;
import java.util.List;

/**
 * The JSON of {@code GET /embeddings/{id}}: the record as the embeddings topic holds it, with the model that
 * made it. Floats are written in their shortest exact form, so that a reader parsing them as floats gets the
 * feed's bits back.
 */
record EmbeddingView(String id, String kind, Model model, List<Float> vector) {

    /** The snapshot that made the vector: which encoder, which version, after how many steps. */
    record Model(String name, long version, long step) {}

    static EmbeddingView of(Embedding e) {
        return new EmbeddingView(e.getId().toString(), e.getKind().toString(),
                new Model(e.getModel().getName().toString(), e.getModel().getVersion(), e.getModel().getStep()),
                e.getVector());
    }
}
