package org.vitbench.models;

import org.vitbench.api.ConfigurationException;

/** Weights that do not fit the architecture: a missing, unknown or mis-shaped key. */
public class CheckpointMismatchException extends ConfigurationException {

    private static final long serialVersionUID = 1L;

    public CheckpointMismatchException(String message) {
        super(message);
    }
}
