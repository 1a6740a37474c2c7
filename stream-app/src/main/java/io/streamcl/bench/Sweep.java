package io.streamcl.bench;

import io.streamcl.learn.ComputeDevice;
import io.streamcl.config.Setting;
import io.streamcl.config.Settings;
import io.streamcl.eval.EncoderComparison;
import io.streamcl.kind.ImageKind;
import io.streamcl.kind.SentenceKind;
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

    /**
     * One value of a variation: its figures, and the bare run that made them. {@code variant} names what was
     * trained, "base" or {@code setting=value}: points of several variations equal to the base share it.
     */
    public record Point(String label, String setting, String value, String variant, BareLoop.Result run,
            Map<String, Double> scores) {
        public double knn() {
            return scores.get(EncoderComparison.KNN_CLEAN);
        }
    }

    /**
     * A variation from its command-line form, {@code NAME=V1;V2;...} (values are separated by ';' since some
     * contain commas, e.g. {@code image.conv-channels=16,32;32,64}); each value is checked by the setting.
     */
    public static Variation parse(String text, Settings base) {
        int eq = text.indexOf('=');
        String name = eq < 0 ? text.strip() : text.substring(0, eq).strip();
        Setting<?> setting = base.all().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--vary " + text + ": no setting named '" + name + "'"));
        List<String> values = eq < 0 ? List.of() : java.util.Arrays.stream(text.substring(eq + 1).split(";"))
                .map(String::strip).filter(v -> !v.isEmpty()).toList();
        if (values.isEmpty()) {
            throw new IllegalArgumentException("--vary " + text + ": give the values, as " + name + "=V1;V2");
        }
        for (String v : values) {
            base.with(Map.of(name, v)); // throws InvalidSettingsException with the setting's own message
        }
        return new Variation(name, setting, values);
    }

    /**
     * The knobs that matter for images, each over the range worth knowing: the loss (batch size, bank size,
     * temperature, method, symmetric), capacity (conv channels, embedding size), augmentation strength (the
     * smallest crop) and the learning-rate schedule (a cosine decay over the whole run, which takes {@code steps}
     * steps).
     */
    public static List<Variation> standard(long steps) {
        return List.of(
                new Variation("batch size", Settings.BATCH_SIZE, List.of("64", "128", "256", "512")),
                new Variation("bank size", Settings.BANK_SIZE, List.of("0", "1024", "4096", "16384")),
                new Variation("temperature", Settings.TEMPERATURE, List.of("0.05", "0.1", "0.2", "0.5")),
                new Variation("method", Settings.METHOD, List.of("moco", "simclr", "siamese")),
                new Variation("symmetric loss", Settings.LOSS_SYMMETRIC, List.of("off", "on")),
                new Variation("conv channels", ImageKind.IMAGE_CONV_CHANNELS, List.of("16,32", "32,64", "16,32,64")),
                new Variation("embedding size", Settings.EMBEDDING_DIM, List.of("64", "128", "256", "512")),
                new Variation("smallest crop", ImageKind.IMAGE_CROP_MIN, List.of("0.2", "0.4", "0.6", "0.8")),
                learningRateDecay(steps));
    }

    /**
     * The same questions for sentences: the loss (method, batch size, temperature), capacity (feature vector
     * and embedding sizes), augmentation strength (word dropout, the shortest span kept) and the schedule. The
     * method is the sentence kind's own ({@code sentence.method}), since the kind has its own default.
     */
    public static List<Variation> standardSentences(long steps, Settings base) {
        return List.of(
                labelled("method", parse("sentence.method=moco;simclr", base)),
                new Variation("batch size", Settings.BATCH_SIZE, List.of("128", "256", "512")),
                new Variation("temperature", Settings.TEMPERATURE, List.of("0.05", "0.1", "0.2", "0.5")),
                new Variation("feature vector size", SentenceKind.SENTENCE_TOKEN_DIM, List.of("32", "64", "128")),
                new Variation("embedding size", Settings.EMBEDDING_DIM, List.of("128", "256", "512")),
                new Variation("word dropout", SentenceKind.SENTENCE_WORD_DROPOUT, List.of("0.1", "0.3", "0.5")),
                new Variation("shortest span", SentenceKind.SENTENCE_SPAN_CROP, List.of("0.2", "0.3", "0.6")),
                learningRateDecay(steps));
    }

    private static Variation labelled(String label, Variation v) {
        return new Variation(label, v.setting(), v.values());
    }

    private static Variation learningRateDecay(long steps) {
        return new Variation("learning-rate decay (steps)", Settings.LEARNING_RATE_DECAY,
                List.of("0", Long.toString(Math.max(1, steps))));
    }

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
                    trained = train(s, v, value, key);
                    trainedOnce.put(key, trained);
                }
                Point p = new Point(v.label(), v.setting().name(), value, key, trained.run(), trained.scores());
                out.add(p);
                progress.accept(p);
            }
        }
        return out;
    }

    private Point train(Settings variantSettings, Variation v, String value, String variant) {
        Settings s = variantSettings.forKind(kinds.apply(variantSettings).name()); // as the pipeline's trainer sees them
        StandaloneKind<I> kind = kinds.apply(s);
        BareLoop.Result run = BareLoop.run(kind, () -> device.trainer(kind.encoderSpec(),
                LearnerTopology.trainerConfig(s), null, 0), LearnerTopology.replayPlan(s), ids, train,
                s.get(Settings.TRAINER_THREADS));
        try (Embedder e = device.embedder(kind.encoderSpec(), run.parameters())) {
            return new Point(v.label(), v.setting().name(), value, variant, run, comparison.apply(kind).encoder(e));
        }
    }
}
