package io.streamcl.bench;

import io.streamcl.config.Settings;
import io.streamcl.eval.EvalReport;
import io.streamcl.schema.RawItem;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One kind's labelled data for the quality section, and how its converged feed is scored. */
public interface QualityScenario {

    /** Makes a scenario when its turn comes, so that only one kind's data is held at a time. */
    @FunctionalInterface
    interface Loader {
        QualityScenario load() throws IOException;
    }

    /** The kind trained. */
    String kind();

    /** One line about the data, for the report. */
    String describe();

    /** The items streamed, in order. */
    List<RawItem> trainingItems();

    /** Settings the scenario needs unless the user overrides them. */
    Map<String, String> settingDefaults();

    /**
     * Waits until the feed has converged and scores it against the untrained model and the kind's baselines.
     *
     * @param settings those of the pipeline the items went through
     * @param trainerStep the trainer's last step, whose snapshot must be visible
     */
    EvalReport evaluateFeed(Settings settings, long trainerStep, Duration timeout);
}
