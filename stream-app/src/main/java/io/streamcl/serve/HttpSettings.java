package io.streamcl.serve;

import io.streamcl.config.Settings;

/**
 * Where the HTTP server listens, and the token it asks for.
 *
 * @param host  the address it binds
 * @param port  0 for any free port; -1 when there is no server
 * @param token empty when no endpoint needs one
 */
public record HttpSettings(String host, int port, String token) {

    public static HttpSettings from(Settings s) {
        return new HttpSettings(s.get(Settings.HTTP_HOST), s.get(Settings.HTTP_PORT), s.get(Settings.HTTP_TOKEN));
    }

    public boolean enabled() {
        return port >= 0;
    }

    @Override
    public String toString() { // never the token: this may end up in a log line
        return "HttpSettings[host=" + host + ", port=" + port + ", token=" + (token.isEmpty() ? "none" : "set") + "]";
    }
}
