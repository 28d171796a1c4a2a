package org.vitbench.runner.cli;

/** The exit codes of the {@code vitbench} command, the one declaration of each. */
public enum ExitCode {
    /** Success. */
    OK(0),
    /** A failure: a damaged file, an I/O error, a bug. */
    FAILURE(1),
    /** A usage or configuration error; the message says what is wrong, without a stack trace. */
    USAGE(2),
    /** {@code compare}: a score got worse than the baseline allows. */
    REGRESSION(3);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    /** The number the process exits with. */
    public int code() {
        return code;
    }
}
