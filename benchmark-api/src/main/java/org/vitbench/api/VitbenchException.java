package org.vitbench.api;

/**
 * An error with a message meant for the user: it names the bad value and what is allowed or how
 * to fix it.
 */
public class VitbenchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public VitbenchException(String message) {
        super(message);
    }

    public VitbenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
