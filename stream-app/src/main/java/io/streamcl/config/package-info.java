/**
 * Typed settings (properties file &lt; environment &lt; flags), validated where they enter, and the Kafka
 * client properties built from them (security included). Every other package reads settings from here;
 * each kind brings its own settings as a {@link io.streamcl.config.SettingGroup}, so nothing here knows a kind.
 */
package io.streamcl.config;
