/**
 * What differs between kinds of item, in one place per kind: {@link io.streamcl.kind.ItemKind} ties a
 * payload to its decoder (ingest), its augmenter (augment) and its encoder (learn), and its
 * {@link io.streamcl.kind.KindDefinition} adds its settings, readers, partitioning and demo. The registry
 * {@link io.streamcl.kind.KindRegistry} is the one list of kinds ({@link io.streamcl.kind.ItemKinds}: those
 * enabled). A new kind of item is its classes here and one registration; the settings, the topology and the
 * commands only ever talk to these interfaces.
 */
package io.streamcl.kind;
