package io.streamcl.cli;

import io.streamcl.config.Settings;
import io.streamcl.eval.EvalReport;
import io.streamcl.schema.ModelSnapshot;
import io.streamcl.schema.RawItem;
import java.util.List;
import java.util.Map;

/** What the demo streams for one kind of item, and how it scores what was learned. */
interface DemoScenario {

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
     * @param feed id to vector, from the converged embeddings topic; all on {@code served}'s version
     */
    EvalReport evaluate(Settings settings, ModelSnapshot untrained, ModelSnapshot served, Map<String, float[]> feed);
}
