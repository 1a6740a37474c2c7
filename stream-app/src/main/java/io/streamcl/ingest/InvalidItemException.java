package io.streamcl.ingest;

/**
 * An item that cannot be used, with a reason a person can act on (it goes to the dead-letter topic),
 * e.g. "RAW_U8 image 28x28x1 needs 784 bytes, got 700".
 */
public final class InvalidItemException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidItemException(String reason) {
        super(reason);
    }

    public InvalidItemException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
