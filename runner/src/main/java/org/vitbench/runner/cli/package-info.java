/**
 * The {@code vitbench} command line: {@link org.vitbench.runner.cli.Main} and one class per
 * command, the shared {@code --model} option, and the exit codes. Commands parse options and
 * delegate; the work lives in the packages below, which never depend on this one.
 *
 * <p>Package layering, checked by a test: {@code store} and {@code research} depend on no other
 * runner package; {@code summary} on {@code store}; {@code ci} and {@code run} on {@code store}
 * and {@code summary}; {@code cli} on all of them.
 */
package org.vitbench.runner.cli;
