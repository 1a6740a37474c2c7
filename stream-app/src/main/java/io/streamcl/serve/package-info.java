/**
 * Step 5, serving: an HTTP server beside the stream ({@link io.streamcl.serve.LearnerServer}) that says whether
 * the app is alive and ready, exposes its metrics to Prometheus, and answers lookups of the embeddings from the
 * stores the topology keeps, routing a lookup to the instance that holds the key, and draws a live dashboard of
 * the pipeline's figures and a projection of its recent embeddings. It reads what the topology
 * made and changes nothing in it; only {@code cli} uses it.
 */
package io.streamcl.serve;
