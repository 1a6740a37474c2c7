package io.streamcl.bench;

import io.streamcl.learn.ComputeDevice;
import io.streamcl.config.Setting;
import io.streamcl.config.Settings;
import io.streamcl.eval.EncoderComparison;
import io.streamcl.kind.StandaloneKind;
import io.streamcl.learn.ContrastiveTrainer;
import io.streamcl.learn.Embedder;
import io.streamcl.topology.LearnerTopology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The questions users ask of contrastive learning, answered by training: one setting varied at a time
 * from the base settings, each variant learned by a {@link BareLoop} from the same items and scored by
 * kNN on the same held-out items. A variant equal to the base is trained once.
 *
 * @param <I> the decoded item
 */
public final class Sweep<I> {

    /** A setting and the values it takes, labelled for tables and plots. */
    public record Variation(String label, Setting<?> setting, List<String> values) {}

    /** One trained variant: its figures, and the bare run that made them. */
    public record Point(String label, String setting, String value, BareLoop.Result run, Map<String, Double> scores) {
        public double knn() {
            return scores.get(EncoderComparison.KNN_CLEAN);
        }
    }

    /** Batch size, bank size, temperature and method, over the ranges the issue names. */
    public static final List<Variation> STANDARD = List.of(
            new Variation("batch size", Settings.BATCH_SIZE, List.of("64", "128", "256", "512")),
            new Variation("bank size", Settings.BANK_SIZE, List.of("0", "1024", "4096", "16384")),
            new Variation("temperature", Settings.TEMPERATURE, List.of("0.05", "0.1", "0.2", "0.5")),
            new Variation("method", Settings.METHOD, List.of("moco", "simclr", "siamese")));

    private final Function<Settings, StandaloneKind<I>> kinds;
    private final List<String> ids;
    private final List<I> train;
    private final Function<StandaloneKind<I>, EncoderComparison<I>> comparison;
    private final ComputeDevice device;

    /**
     * @param kinds the kind for a variant's settings
     * @param train the items every variant learns from, in order
     * @param comparison scores an encoder of the kind on the held-out items
     */
    public Sweep(Function<Settings, StandaloneKind<I>> kinds, List<String> ids, List<I> train,
            Function<StandaloneKind<I>, EncoderComparison<I>> comparison, ComputeDevice device) {
        this.kinds = kinds;
        this.ids = ids;
        this.train = train;
        this.comparison = comparison;
        this.device = device;
    }

    /** Trains and scores every value of every variation; {@code progress} hears of each point. */
    public List<Point> run(Settings base, List<Variation> variations, java.util.function.Consumer<Point> progress) {
        Map<String, Point> trainedOnce = new LinkedHashMap<>(); // a variant equal to the base is the base
        List<Point> out = new ArrayList<>();
        for (Variation v : variations) {
            for (String value : v.values()) {
                Settings s = base.with(Map.of(v.setting().name(), value));
                String key = s.text(v.setting()).equals(base.text(v.setting())) ? "base"
                        : v.setting().name() + "=" + s.text(v.setting());
                Point trained = trainedOnce.get(key);
                if (trained == null) {
                    trained = train(s, v, value);
                    trainedOnce.put(key, trained);
                }
                Point p = new Point(v.label(), v.setting().name(), value, trained.run(), trained.scores());
                out.add(p);
                progress.accept(p);
            }
        }
        return out;
    }

    private Point train(Settings s, Variation v, String value) {
        StandaloneKind<I> kind = kinds.apply(s);
        BareLoop.Result run = BareLoop.run(kind, () -> device.trainer(kind.encoderSpec(),
                LearnerTopology.trainerConfig(s), null, 0), LearnerTopology.replayPlan(s), ids, train);
        try (Embedder e = device.embedder(kind.encoderSpec(), run.parameters())) {
            return new Point(v.label(), v.setting().name(), value, run, comparison.apply(kind).encoder(e));
        }
    }
}
