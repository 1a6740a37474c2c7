/**
 * Typed settings (properties file &lt; environment &lt; flags), validated where they enter, and the Kafka
 * client properties built from them (security included). Every other package reads settings from here.
 */
package io.streamcl.config;
