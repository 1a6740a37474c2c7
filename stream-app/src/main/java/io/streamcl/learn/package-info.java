/**
 * Step 3, the maths: encoders per kind ({@link io.streamcl.learn.EncoderSpec}), the contrastive objectives
 * and their losses, the memory bank and momentum encoder, the trainer and its checkpoints, the embedder
 * that runs a frozen snapshot, and the replay buffer and training loop that feed the trainer. Runs on a
 * {@link io.streamcl.learn.ComputeDevice}. Knows nothing of Kafka: the same code trains from a topic, a
 * file or a test.
 */
package io.streamcl.learn;
