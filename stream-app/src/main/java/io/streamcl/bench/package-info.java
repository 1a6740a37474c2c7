/**
 * The sections of the {@code bench} command (throughput, latency, memory, backfill, quality, sweep,
 * speed-ups) and what they measure with; figures land in BENCHMARKS.md.
 */
package io.streamcl.bench;
