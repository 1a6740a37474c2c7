package io.streamcl.learn;

/**
 * What one optimizer step did.
 *
 * @param step          steps taken so far, this one included
 * @param loss          the loss of this step's batch
 * @param positiveTop1  fraction of the batch whose own second view is its most similar in-batch key
 * @param batchSize     items in the batch
 * @param millis        wall time of the step
 */
public record StepResult(long step, float loss, float positiveTop1, int batchSize, double millis) {}
