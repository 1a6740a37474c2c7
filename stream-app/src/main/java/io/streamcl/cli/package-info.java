/**
 * The commands users type (picocli): demo, broker, run, produce, export, embed, eval, models, promote,
 * bench, settings. The outermost layer: it composes the other packages, and none of them imports it.
 */
package io.streamcl.cli;
