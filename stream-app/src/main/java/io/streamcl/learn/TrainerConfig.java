package io.streamcl.learn;

import java.util.function.Function;

/**
 * Hyperparameters of one trainer, validated where they enter.
 *
 * @param method       moco, simclr or siamese: the objective the trainer minimises
 * @param similarity   similarity used inside the loss
 * @param temperature  τ of InfoNCE / NT-Xent
 * @param margin       margin of the siamese contrastive loss
 * @param momentum     m of the MoCo key encoder, and of the average SimCLR publishes with {@link Published#MOMENTUM}
 * @param bankSize     K, keys in the MoCo memory bank (0 = in-batch negatives only)
 * @param learningRate Adam's learning rate
 * @param seed         seeds the initial weights
 * @param schedule     how the learning rate moves with the update count
 * @param symmetric    moco: also the loss of the second views against the keys of the first, averaged (MoCo v3)
 * @param published    which encoder's parameters a snapshot carries, and so every embedding
 * @param tableLearningRateFactor the lookup tables' rows learn at this multiple of the learning rate: a row moves
 *                     only in the steps whose batch reads it, which for most rows of a hashed bag are few
 */
public record TrainerConfig(
        Method method, Similarity similarity, float temperature, float margin, float momentum, int bankSize,
        float learningRate, long seed, LearningRateSchedule schedule, boolean symmetric, Published published,
        float tableLearningRateFactor) {

    /** A config whose tables learn at the learning rate. */
    public TrainerConfig(Method method, Similarity similarity, float temperature, float margin, float momentum,
            int bankSize, float learningRate, long seed, LearningRateSchedule schedule, boolean symmetric,
            Published published) {
        this(method, similarity, temperature, margin, momentum, bankSize, learningRate, seed, schedule, symmetric,
                published, 1f);
    }

    /** A config that publishes the query encoder. */
    public TrainerConfig(Method method, Similarity similarity, float temperature, float margin, float momentum,
            int bankSize, float learningRate, long seed, LearningRateSchedule schedule, boolean symmetric) {
        this(method, similarity, temperature, margin, momentum, bankSize, learningRate, seed, schedule, symmetric,
                Published.QUERY);
    }

    /** A config whose learning rate stays at {@code learningRate}. */
    public TrainerConfig(Method method, Similarity similarity, float temperature, float margin, float momentum,
            int bankSize, float learningRate, long seed) {
        this(method, similarity, temperature, margin, momentum, bankSize, learningRate, seed,
                LearningRateSchedule.CONSTANT, false);
    }

    /** The encoder a snapshot carries. */
    public enum Published {
        /** f_q, the encoder the loss trains. */
        QUERY,
        /**
         * An average of f_q over about 1/(1-m) steps, so less of the last few batches' noise (as BYOL and DINO
         * evaluate their EMA encoder): MoCo's key encoder f_k, or the average SimCLR keeps for it.
         */
        MOMENTUM;

        public static Published parse(String s) {
            return valueOf(s.strip().toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** The contrastive methods, each registered with the objective that implements it. */
    public enum Method {
        MOCO(MocoObjective::new),
        SIMCLR(SimClrObjective::new),
        SIAMESE(setup -> new SiameseObjective(setup.config()));

        private final Function<ContrastiveObjective.Setup, ContrastiveObjective> objective;

        Method(Function<ContrastiveObjective.Setup, ContrastiveObjective> objective) {
            this.objective = objective;
        }

        ContrastiveObjective newObjective(ContrastiveObjective.Setup setup) {
            return objective.apply(setup);
        }

        public static Method parse(String s) {
            return valueOf(s.strip().toUpperCase(java.util.Locale.ROOT));
        }
    }

    public TrainerConfig {
        require(method != null && similarity != null && schedule != null && published != null,
                "method, similarity, schedule and published are required");
        require(published == Published.QUERY || method != Method.SIAMESE, "only moco and simclr keep a momentum"
                + " encoder to publish, not " + method);
        require(temperature > 0 && Float.isFinite(temperature), "temperature must be > 0, got " + temperature);
        require(margin > 0 && Float.isFinite(margin), "margin must be > 0, got " + margin);
        require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got " + momentum);
        require(bankSize >= 0, "bankSize must be >= 0, got " + bankSize);
        require(!symmetric || method == Method.MOCO, "a symmetric loss is moco's (simclr and siamese are symmetric"
                + " already), not " + method);
        require(learningRate > 0 && Float.isFinite(learningRate), "learningRate must be > 0, got " + learningRate);
        require(tableLearningRateFactor > 0 && Float.isFinite(tableLearningRateFactor),
                "tableLearningRateFactor must be > 0, got " + tableLearningRateFactor);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
