/**
 * What differs between kinds of item, in one place per kind: {@link io.streamcl.kind.ItemKind} ties a
 * payload to its decoder (ingest), its augmenter (augment) and its encoder (learn), and the registry
 * {@link io.streamcl.kind.ItemKinds} is the one list of kinds. A new kind of item is one class here and one
 * registration; the topology and the commands only ever talk to the interface.
 */
package io.streamcl.kind;
