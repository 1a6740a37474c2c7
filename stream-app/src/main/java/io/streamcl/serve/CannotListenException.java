package io.streamcl.serve;

/** The HTTP server could not take its address: a mistake in the settings, said in words, not a crash. */
public final class CannotListenException extends RuntimeException {
    CannotListenException(String message, Throwable cause) {
        super(message, cause);
    }
}
