package io.streamcl.serve;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The {@code http.token} check: {@code Authorization: Bearer <token>}, compared in constant time. */
final class BearerToken {
    private final byte[] expected;

    /** @param token empty: every request is allowed */
    BearerToken(String token) {
        this.expected = token.isEmpty() ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    boolean required() {
        return expected != null;
    }

    /** Whether a request with this {@code Authorization} header (null when absent) may pass. */
    boolean allows(String authorization) {
        if (expected == null) {
            return true;
        }
        // MessageDigest.isEqual takes the same time wherever the first difference is: a token cannot be guessed
        // a character at a time from how long a refusal takes
        return authorization != null
                && MessageDigest.isEqual(expected, authorization.strip().getBytes(StandardCharsets.UTF_8));
    }
}
