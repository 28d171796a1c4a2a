package org.vitbench.runner.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.ModelInfo;
import org.vitbench.models.masking.MaskedEvaluator;

/**
 * The memory a run was given ({@code --memory}, config key {@code memory}): the whole process,
 * native and Java. Once the models are loaded, what the process holds (its resident set), the room
 * the Java heap may still grow into, twice the model's weights (for models loaded later: a ViT
 * Shapley surrogate and explainer, randomised copies) and a tenth of the total for everything else
 * are set aside; the rest, divided by {@link #TRANSIENT_FACTOR} for the buffers the per-input
 * estimate misses, is the activation budget of one forward pass, from which the methods and
 * metrics size their chunks and the runner its batches (batch sizes change no result). Without
 * {@code --memory}, passes use {@link org.vitbench.api.Context#DEFAULT_MEMORY_BUDGET} and the
 * configured batch size, as before.
 *
 * @param bytes the process's budget
 */
public record MemoryBudget(long bytes) {

    /** How far one pass's resident memory exceeded its estimate, measured on ViT-B/16 (1.43), rounded up. */
    static final double TRANSIENT_FACTOR = 1.5;

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(?:i?b)?",
            Pattern.CASE_INSENSITIVE);

    public MemoryBudget {
        if (bytes <= 0) {
            throw new ConfigurationException("memory must be positive, got " + bytes + " bytes");
        }
    }

    /** Parses {@code 8g}, {@code 8GiB}, {@code 512m}, {@code 1.5G} or a byte count; units are powers of 1024. */
    public static MemoryBudget parse(String text, String where) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new ConfigurationException(where + " '" + text + "' is not a memory size; write for example 8g, "
                    + "8GiB or 512m (units k, m, g, t are powers of 1024)");
        }
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        double value = Double.parseDouble(m.group(1)) * (1L << shift);
        if (!(value >= 1 && value < Long.MAX_VALUE)) {
            throw new ConfigurationException(where + " '" + text + "' is out of range");
        }
        return new MemoryBudget((long) value);
    }

    /**
     * The activation budget of one pass in a process that holds {@code resident} bytes and whose
     * heap may grow by {@code heapHeadroom} more.
     *
     * @throws ConfigurationException when not even one input of {@code model} fits, naming what
     *     uses the memory and what to give
     */
    long activations(ModelInfo model, long resident, long heapHeadroom) {
        long reserved = resident + heapHeadroom + 2 * weightBytes(model) + bytes / 10;
        // the per-input estimate misses transient buffers: a ViT-B/16 chunk of 19 inputs peaked 1.43x
        // its estimate (4.1 GB estimated, 5.8 GB resident above the run's base), so a third is kept back
        long left = (long) ((bytes - reserved) / TRANSIENT_FACTOR);
        long one = 2 * MaskedEvaluator.bytesPerCopy(model); // one input with its gradients
        if (left < one) {
            throw new ConfigurationException("memory " + format(bytes) + " is too small for model " + model.name()
                    + ": the process holds " + format(resident) + ", the Java heap may grow by " + format(heapHeadroom)
                    + ", later models need about " + format(2 * weightBytes(model)) + " and a tenth is kept spare, "
                    + "which leaves " + format(Math.max(0, left)) + " where one input's activations need "
                    + format(one) + "; give --memory " + format(reserved + (long) (TRANSIENT_FACTOR * one)
                            + (reserved + one) / 9 + 1)
                    + " or more, or a smaller Java heap (VITBENCH_JAVA_OPTS=-Xmx2g)");
        }
        return left;
    }

    /** Samples per run batch: the configured size, or fewer when their gradients would not fit. */
    static int batchSize(int configured, ModelInfo model, long activations) {
        long fit = activations / (2 * MaskedEvaluator.bytesPerCopy(model));
        return (int) Math.max(1, Math.min(configured, fit));
    }

    /** Float32 bytes of a ViT's weights: blocks, patch embedding, position embedding and head. */
    static long weightBytes(ModelInfo m) {
        long d = m.dim();
        long blocks = (long) m.depth() * (12 * d * d + 13 * d);
        long embed = (long) m.channels() * m.patchSize() * m.patchSize() * d + (m.numTokens() + 1) * d;
        long head = (long) m.numClasses() * (d + 1) * 2;
        return Float.BYTES * (blocks + embed + head);
    }

    /** This process's resident set from {@code /proc/self/status}, or the used Java heap where there is none. */
    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall back below
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    /** How far the Java heap may still grow. */
    static long heapHeadroom() {
        Runtime r = Runtime.getRuntime();
        return Math.max(0, r.maxMemory() - (r.totalMemory() - r.freeMemory()));
    }

    static String format(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%d MiB", bytes >> 20);
    }
}
