package org.vitbench.api;

/** A usage error: an unknown id, an invalid parameter or config value, a missing file. */
public class ConfigurationException extends VitbenchException {

    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
