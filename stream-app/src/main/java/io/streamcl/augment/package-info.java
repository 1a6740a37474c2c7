/**
 * Step 2, views: pure, seeded Java that makes the augmented views of an item (images, sentences,
 * sequences of events). All randomness comes from {@link io.streamcl.augment.Seeds}, so a replay gives
 * the same views. No DJL, no Kafka.
 */
package io.streamcl.augment;
