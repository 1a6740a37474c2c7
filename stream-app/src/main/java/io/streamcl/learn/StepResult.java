package io.streamcl.learn;

/**
 * What one optimizer step did.
 *
 * @param step          steps taken so far, this one included
 * @param loss          the loss of this step's batch
 * @param positiveTop1  fraction of the batch whose own second view is its most similar in-batch key
 * @param batchSize     items in the batch
 * @param millis        wall time of the step
 * @param outcome       whether the step changed the parameters (see {@link Outcome})
 */
public record StepResult(long step, float loss, float positiveTop1, int batchSize, double millis, Phases phases,
        Outcome outcome) {

    /**
     * What became of a step: applied; discarded (a non-finite loss or gradient: the parameters are as before
     * it); or discarded and the trainer went back to its last good state (after several discarded in a row,
     * or when the update itself made a parameter non-finite).
     */
    public enum Outcome { APPLIED, DISCARDED, RESTORED }

    public StepResult(long step, float loss, float positiveTop1, int batchSize, double millis, Phases phases) {
        this(step, loss, positiveTop1, batchSize, millis, phases, Outcome.APPLIED);
    }

    public boolean applied() {
        return outcome == Outcome.APPLIED;
    }

    /** Where the step's time went, in ms: the per-step breakdown benchmarks report. */
    public record Phases(double augment, double forward, double backward, double optimizer, double ema, double bank) {
        public Phases withAugment(double ms) {
            return new Phases(ms, forward, backward, optimizer, ema, bank);
        }
    }

    public StepResult withAugment(double ms) {
        return new StepResult(step, loss, positiveTop1, batchSize, millis + ms, phases.withAugment(ms), outcome);
    }
}
