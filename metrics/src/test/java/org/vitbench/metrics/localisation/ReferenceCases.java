package org.vitbench.metrics.localisation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Rows {@code map | mask | value | value ...} of a reference script's output under {@code /localisation}. */
final class ReferenceCases {

    /** One row: the pixel map, the mask, and the numbers after them. */
    record Case(String line, float[] map, float[] mask, double[] values) {
    }

    private ReferenceCases() {
    }

    static List<Case> read(String resource) {
        String text;
        try (InputStream in = ReferenceCases.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Case> cases = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\|");
            double[] values = new double[parts.length - 2];
            for (int i = 2; i < parts.length; i++) {
                values[i - 2] = Double.parseDouble(parts[i].strip());
            }
            cases.add(new Case(line, floats(parts[0]), floats(parts[1]), values));
        }
        return cases;
    }

    private static float[] floats(String csv) {
        String[] items = csv.strip().split(",");
        float[] out = new float[items.length];
        for (int i = 0; i < items.length; i++) {
            out[i] = Float.parseFloat(items[i]);
        }
        return out;
    }
}
