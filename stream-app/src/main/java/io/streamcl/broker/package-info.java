/**
 * An in-JVM Kafka broker (KRaft, one node) for the demo, the {@code broker} command and the tests; it
 * listens on 127.0.0.1 only.
 */
package io.streamcl.broker;
