package org.vitbench.runner;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Sample;

/**
 * Heatmaps kept on disk, so that metrics can be added to a study without explaining again: every
 * heatmap a run computes is stored under {@code <dir>/<key>/<sample>.bin}, the key a hash of what
 * decides it (the method's canonical spec, the explained model, the dataset and the run seed), and
 * a later run with the same cache directory ({@code --heatmap-cache}, default
 * {@code <out>/heatmaps}) reads it instead of calling the method. A batch is served from the cache
 * only when every pending sample is there, with the same target class; otherwise it is explained
 * and the cache rewritten. Files are written atomically; a damaged or foreign file is ignored with
 * a warning and the heatmap computed again.
 *
 * <p>File format (big-endian): magic {@code VBHM}, version 1, target class, grid, classes
 * {@code K} (0 when the method gives the target only), explain seconds (double), the target map
 * ({@code grid^2} floats), then {@code K} maps of every class. Not thread-safe: one run owns it.
 */
final class HeatmapCache {

    private static final Logger LOG = LoggerFactory.getLogger(HeatmapCache.class);
    private static final int MAGIC = 0x5642484d; // "VBHM"
    private static final int VERSION = 1;

    private final Path dir;
    private final String context;

    /**
     * @param dir the cache directory
     * @param context what besides the method decides a heatmap: explained model, dataset and seed
     */
    HeatmapCache(Path dir, String context) {
        this.dir = dir;
        this.context = context;
    }

    /**
     * The cached heatmaps of {@code samples} by {@code method}, or null unless every sample is there
     * with its target.
     *
     * @return the heatmaps and the mean explain seconds they took when computed
     */
    Cached load(Unit.Method method, List<Sample> samples, int[] targets) {
        Path folder = folder(method);
        float[][] maps = new float[samples.size()][];
        float[][][] perClass = null;
        double seconds = 0;
        int grid = -1;
        for (int i = 0; i < samples.size(); i++) {
            Path file = folder.resolve(fileName(samples.get(i).id()));
            Entry e;
            try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
                e = read(in);
            } catch (NoSuchFileException ex) {
                return null;
            } catch (IOException | RuntimeException ex) {
                LOG.warn("ignoring damaged cached heatmap {}: {}; it is computed again", file, ex.getMessage());
                return null;
            }
            if (e.target != targets[i] || (grid >= 0 && e.grid != grid) || (i > 0 && (e.perClass == null) != (perClass == null))) {
                return null;
            }
            grid = e.grid;
            maps[i] = e.map;
            if (e.perClass != null) {
                if (perClass == null) {
                    perClass = new float[samples.size()][][];
                }
                perClass[i] = e.perClass;
            }
            seconds += e.seconds;
        }
        return samples.isEmpty() ? null : new Cached(new Heatmaps(grid, maps, perClass), seconds / samples.size());
    }

    /** Stores the heatmaps a method computed for {@code samples} (those with a non-finite value are left out). */
    void store(Unit.Method method, List<Sample> samples, int[] targets, Heatmaps heatmaps, double secondsPerSample) {
        Path folder = folder(method);
        try {
            Files.createDirectories(folder);
            for (int i = 0; i < samples.size(); i++) {
                if (BatchRun.nonFinite(heatmaps.target()[i]) != null) {
                    continue;
                }
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (DataOutputStream out = new DataOutputStream(bytes)) {
                    float[][] classes = heatmaps.perClass() == null ? null : heatmaps.perClass()[i];
                    out.writeInt(MAGIC);
                    out.writeInt(VERSION);
                    out.writeInt(targets[i]);
                    out.writeInt(heatmaps.grid());
                    out.writeInt(classes == null ? 0 : classes.length);
                    out.writeDouble(secondsPerSample);
                    writeFloats(out, heatmaps.target()[i]);
                    if (classes != null) {
                        for (float[] c : classes) {
                            writeFloats(out, c);
                        }
                    }
                }
                Path file = folder.resolve(fileName(samples.get(i).id()));
                Path tmp = folder.resolve(file.getFileName() + ".tmp");
                Files.write(tmp, bytes.toByteArray());
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the heatmap cache in " + folder + ": " + e.getMessage()
                    + "; the results written so far are intact", e);
        }
    }

    /** Heatmaps served from the cache with the explain time they took. */
    record Cached(Heatmaps heatmaps, double secondsPerSample) {
    }

    private record Entry(int target, int grid, float[] map, float[][] perClass, double seconds) {
    }

    private static Entry read(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC || in.readInt() != VERSION) {
            throw new IOException("not a vitbench heatmap file of version " + VERSION);
        }
        int target = in.readInt();
        int grid = in.readInt();
        int classes = in.readInt();
        if (grid < 1 || grid > 4096 || classes < 0 || classes > 1_000_000) {
            throw new IOException("implausible grid " + grid + " or class count " + classes);
        }
        double seconds = in.readDouble();
        float[] map = readFloats(in, grid * grid);
        float[][] perClass = classes == 0 ? null : new float[classes][];
        for (int c = 0; c < classes; c++) {
            perClass[c] = readFloats(in, grid * grid);
        }
        if (in.read() != -1) {
            throw new IOException("trailing bytes");
        }
        return new Entry(target, grid, map, perClass, seconds);
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        for (float v : values) {
            out.writeFloat(v);
        }
    }

    private static float[] readFloats(DataInputStream in, int n) throws IOException {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.readFloat();
        }
        return values;
    }

    private Path folder(Unit.Method method) {
        return dir.resolve(hash(method.label() + '\u0000' + context));
    }

    /** A file name for any sample id: safe characters kept, the rest hex-escaped, so names never collide. */
    static String fileName(String sampleId) {
        StringBuilder sb = new StringBuilder();
        for (byte b : sampleId.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.') {
                sb.append(c);
            } else {
                sb.append('_').append(String.format("%02x", b & 0xff));
            }
        }
        return sb.append(".bin").toString();
    }

    private static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
