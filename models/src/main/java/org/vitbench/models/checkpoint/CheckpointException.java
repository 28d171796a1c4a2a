package org.vitbench.models.checkpoint;

import java.nio.file.Path;
import org.vitbench.api.ConfigurationException;

/**
 * A checkpoint that cannot be used: missing, malformed, truncated, or holding tensors vitbench
 * does not load. The message names the file and the problem (the key or the byte range).
 */
public class CheckpointException extends ConfigurationException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public CheckpointException(Path file, String problem) {
        super(message(file, problem));
        this.file = file;
    }

    public CheckpointException(Path file, String problem, Throwable cause) {
        super(message(file, problem), cause);
        this.file = file;
    }

    /** The checkpoint file the problem was found in. */
    public Path file() {
        return file;
    }

    private static String message(Path file, String problem) {
        return "checkpoint " + file + ": " + problem;
    }
}
