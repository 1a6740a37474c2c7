package io.streamcl.learn;

/**
 * How the learning rate moves with the optimizer's update count t (1, 2, ...), as a factor of the base rate:
 * a linear warm-up over the first {@code warmupSteps} updates (Goyal et al. 2017: large early steps from a
 * random start are what makes contrastive training collapse or stall), then, when {@code decaySteps} > 0, a
 * half-cosine from 1 down to {@code floor} over the next {@code decaySteps} (Loshchilov &amp; Hutter 2017, as
 * MoCo v2 and SimCLR train), held at {@code floor} after that. The floor is above zero on purpose: a stream does
 * not end, and a learner whose rate has gone to zero no longer follows what arrives.
 *
 * <pre>
 * factor(t) = t / W                                                  t ≤ W
 *           = floor + (1 − floor) · ½ (1 + cos(π · min(1, (t − W) / D)))   t > W, D > 0
 *           = 1                                                      t > W, D = 0
 * </pre>
 *
 * The update count is checkpointed with Adam's moments, so a restarted trainer goes on at the same point of it.
 */
public record LearningRateSchedule(int warmupSteps, int decaySteps, float floor) {
    /** The base rate from the first update on. */
    public static final LearningRateSchedule CONSTANT = new LearningRateSchedule(0, 0, 1f);

    public LearningRateSchedule {
        if (warmupSteps < 0 || decaySteps < 0 || !(floor >= 0f && floor <= 1f)) {
            throw new IllegalArgumentException("bad learning-rate schedule: warm-up " + warmupSteps + ", decay "
                    + decaySteps + ", floor " + floor + " (steps >= 0, floor in [0, 1])");
        }
    }

    /** The factor of the base rate at update {@code t} (the first update is 1). */
    public double factor(long t) {
        if (warmupSteps > 0 && t <= warmupSteps) {
            return (double) Math.max(t, 1) / warmupSteps;
        }
        if (decaySteps == 0) {
            return 1;
        }
        double progress = Math.min(1.0, (double) (t - warmupSteps) / decaySteps);
        return floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
