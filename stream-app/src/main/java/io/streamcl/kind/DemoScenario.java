package io.streamcl.kind;

import io.streamcl.config.Settings;
import io.streamcl.eval.EvalReport;
import io.streamcl.learn.Embedder;
import io.streamcl.schema.ModelSnapshot;
import io.streamcl.schema.RawItem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** What the demo streams for one kind of item, and how it scores what was learned. */
public interface DemoScenario {

    /** The kind trained (its models and train topic). */
    String kind();

    /** One line about the data, for the user. */
    String describe();

    /** The items streamed to raw-items, in order. */
    List<RawItem> trainingItems();

    /** Settings this demo needs unless the user overrides them. */
    Map<String, String> settingDefaults();

    /** The Embedding.kind of what it streams whose ids the feed must hold before it counts as converged. */
    String feedKind();

    /** How many ids of {@link #feedKind()} the streamed items give. */
    int feedIds();

    /**
     * The final table: the served snapshot against the untrained one and the kind's baselines, and the feed
     * itself (the embeddings topic as a consumer holds it once it has converged).
     *
     * @param feed     id to vector, from the converged embeddings topic; all on {@code served}'s version
     * @param encoders the encoder a snapshot of this kind holds, on the device the settings choose
     */
    EvalReport evaluate(Settings settings, ModelSnapshot untrained, ModelSnapshot served, Map<String, float[]> feed,
            Function<ModelSnapshot, Embedder> encoders);

    /** Makes a kind's demo from the {@code demo} command's options. */
    @FunctionalInterface
    interface Factory {
        /** @throws IOException if its data cannot be read */
        DemoScenario create(Options options) throws IOException;
    }

    /**
     * The {@code demo} command's options; each kind's demo reads its own.
     *
     * @param items training items to stream; negative: the demo's own default
     * @param testImages held-out images, or null to hold out the last 20% of {@code trainImages}
     */
    record Options(Path trainImages, Path trainLabels, Path testImages, Path testLabels, Path sentences,
            String textColumn, String labelColumn, String documentColumn, int items, int users, long seed) {

        /** {@link #items}, or {@code fallback} when the user gave none. */
        public int itemsOr(int fallback) {
            return items < 0 ? fallback : items;
        }
    }
}
