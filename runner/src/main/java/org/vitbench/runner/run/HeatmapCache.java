package org.vitbench.runner.run;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitbench.api.AtomicFiles;
import org.vitbench.api.Hashes;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Sample;

/**
 * Heatmaps kept on disk, so that metrics can be added to a study without explaining again: every
 * heatmap a run computes is stored as {@code <dir>/<key hash>/<sample id, escaped>.bin}, and a
 * later run with the same cache directory ({@code --heatmap-cache}, config key
 * {@code heatmap-cache}, default {@code <out>/heatmaps}) reads it instead of calling the method;
 * only the samples without a usable file are explained. The key is what decides a heatmap: the
 * method's canonical spec ({@link org.vitbench.api.MethodSpec#canonical()}), the explained
 * model's spec, name and weight fingerprint (vitbench's own ViT has one; the model API does not
 * offer it for others), the dataset's spec and the run seed; the sample id and the target class are checked per file. The batch size is not in the
 * key, because methods draw their randomness per sample (DESIGN decision 5).
 *
 * <p>File format, big-endian ({@link DataOutputStream}): magic {@code VBHM}; version 2; the key
 * text and the sample id, each as an int byte length and UTF-8; target class; grid {@code g};
 * classes {@code K} (0 when the method explains the target only); explain seconds of this sample
 * (double); the target map ({@code g^2} float32 bit patterns, row-major); then {@code K} maps of
 * every class. Float bits are stored raw, so a heatmap reads back bit for bit. Maps with a
 * non-finite value are not stored: such a sample fails again, with its reason, when explained.
 *
 * <p>Files are written atomically (a temporary file, then a move). A damaged or foreign file, or
 * one of another target class or grid, is ignored (damaged and foreign ones with a warning) and the
 * heatmap computed again; reading the cache never fails a run. Thread-safe for workers on distinct
 * samples (each sample is its own file).
 * After changing a method's code, use a fresh cache directory: code is not part of the key.
 */
final class HeatmapCache {

    private static final Logger LOG = LoggerFactory.getLogger(HeatmapCache.class);
    private static final int MAGIC = 0x5642484d; // "VBHM"
    private static final int VERSION = 2;
    /** Guards against allocating for a damaged header: far above any ViT's patch grid and class count. */
    private static final int MAX_GRID = 4096;
    private static final int MAX_CLASSES = 1_000_000;
    private static final int MAX_TEXT = 1 << 20;
    private static final int MAX_NAME = 200;

    /** Set after the first failed write: later heatmaps are not stored. */
    private volatile boolean unwritable;

    private final Path dir;
    private final String context;
    private final java.util.concurrent.atomic.AtomicInteger hits = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger stored = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * @param dir the cache directory (created when the first heatmap is stored)
     * @param context what besides the method decides a heatmap, from {@link #context}
     */
    HeatmapCache(Path dir, String context) {
        this.dir = dir;
        this.context = context;
    }

    /**
     * The part of the key that the run fixes: the explained model (spec, name and weight
     * fingerprint), the dataset and the seed. Fields are joined with NUL, which no spec contains.
     *
     * @param fingerprint the model's weight fingerprint, or null when the model has none (then a
     *     checkpoint replaced under the same path goes unnoticed: use a fresh cache)
     */
    static String context(PluginSpec model, String modelName, String fingerprint, PluginSpec dataset, long seed) {
        return "model=" + model.format() + '\u0000' + "model-name=" + modelName + '\u0000' + "model-fingerprint="
                + (fingerprint == null ? "none" : fingerprint) + '\u0000' + "dataset=" + dataset.format() + '\u0000'
                + "seed=" + seed;
    }

    /** The cache directory. */
    Path dir() {
        return dir;
    }

    /** Heatmaps read from the cache so far. */
    int hits() {
        return hits.get();
    }

    /** Heatmaps written to the cache so far. */
    int stored() {
        return stored.get();
    }

    /**
     * The cached heatmap of each sample, null where there is none usable: no file, a damaged or
     * foreign file, another target class or another grid.
     *
     * @param targets the class each sample is explained for
     * @param grid the model's patch grid
     */
    Entry[] load(Unit.Method method, List<Sample> samples, int[] targets, int grid) {
        Entry[] out = new Entry[samples.size()];
        String key = key(method);
        Path folder = folder(method);
        for (int i = 0; i < out.length; i++) {
            Path file = folder.resolve(fileName(samples.get(i).id()));
            Entry e;
            try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
                e = read(in, key, samples.get(i).id());
            } catch (NoSuchFileException ex) {
                continue;
            } catch (IOException | RuntimeException ex) {
                LOG.warn("ignoring cached heatmap {}: {}; it is computed again", file, ex.getMessage());
                continue;
            }
            if (e.target() == targets[i] && e.grid() == grid) {
                out[i] = e;
                hits.incrementAndGet();
            } else {
                LOG.debug("cached heatmap {} is for class {} on a {}x{} grid, wanted class {} on {}x{}", file,
                        e.target(), e.grid(), e.grid(), targets[i], grid, grid);
            }
        }
        return out;
    }

    /**
     * Stores the heatmaps a method computed for {@code samples}, replacing earlier files; those
     * with a non-finite value in the target map are left out.
     *
     * A cache that cannot be written (read-only, full) is not an error: the run goes on without
     * storing, after one warning, and still reads what the cache holds.
     *
     * @param secondsPerSample the explain time per sample, kept so that runtime figures stay the method's
     */
    void store(Unit.Method method, List<Sample> samples, int[] targets, Heatmaps heatmaps, double secondsPerSample) {
        if (unwritable) {
            return;
        }
        Path folder = folder(method);
        byte[] key = key(method).getBytes(StandardCharsets.UTF_8);
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
                    writeText(out, key);
                    writeText(out, samples.get(i).id().getBytes(StandardCharsets.UTF_8));
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
                AtomicFiles.write(file, bytes.toByteArray());
                stored.incrementAndGet();
            }
        } catch (IOException | UncheckedIOException e) {
            unwritable = true;
            LOG.warn("the heatmap cache {} cannot be written ({}); the run goes on without storing heatmaps. Free space "
                    + "or give a writable --heatmap-cache to keep them for the next run", dir.toAbsolutePath(),
                    e.getMessage());
        }
    }

    /**
     * One cached heatmap.
     *
     * @param target the class it explains
     * @param grid patches per side
     * @param map the target map, {@code grid^2} values
     * @param perClass maps of every class, or null when the method explains the target only
     * @param seconds the explain time per sample when it was computed
     */
    record Entry(int target, int grid, float[] map, float[][] perClass, double seconds) {
    }

    /** The folder of a method's heatmaps: the first 16 hex digits of SHA-256 over the key. */
    Path folder(Unit.Method method) {
        return dir.resolve(hash(key(method)));
    }

    private String key(Unit.Method method) {
        return "method=" + method.spec().canonical() + '\u0000' + context;
    }

    private static Entry read(DataInputStream in, String key, String sampleId) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a vitbench heatmap file");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("heatmap file version " + version + ", this vitbench reads version " + VERSION);
        }
        String fileKey = readText(in);
        String fileSample = readText(in);
        if (!fileKey.equals(key) || !fileSample.equals(sampleId)) {
            throw new IOException("the file holds sample " + fileSample + " under another key ("
                    + fileKey.replace('\u0000', ' ') + ")");
        }
        int target = in.readInt();
        int grid = in.readInt();
        int classes = in.readInt();
        if (grid < 1 || grid > MAX_GRID || classes < 0 || classes > MAX_CLASSES) {
            throw new IOException("implausible grid " + grid + " or class count " + classes);
        }
        double seconds = in.readDouble();
        float[] map = readFloats(in, grid * grid);
        float[][] perClass = classes == 0 ? null : new float[classes][];
        for (int c = 0; c < classes; c++) {
            perClass[c] = readFloats(in, grid * grid);
        }
        if (in.read() != -1) {
            throw new IOException("trailing bytes after the maps");
        }
        return new Entry(target, grid, map, perClass, seconds);
    }

    private static void writeText(DataOutputStream out, byte[] utf8) throws IOException {
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readText(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_TEXT) {
            throw new IOException("implausible text length " + n);
        }
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        for (float v : values) {
            out.writeInt(Float.floatToRawIntBits(v));
        }
    }

    private static float[] readFloats(DataInputStream in, int n) throws IOException {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = Float.intBitsToFloat(in.readInt());
        }
        return values;
    }

    /**
     * A file name for any sample id: safe characters kept, the rest hex-escaped, so names never
     * collide; an id whose name would pass {@value #MAX_NAME} characters keeps its start and adds
     * its hash after a {@code ~}, a character that escaping never leaves.
     */
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
        if (sb.length() > MAX_NAME) {
            // file systems allow 255 bytes per name
            sb.setLength(MAX_NAME - 17);
            sb.append('~').append(hash(sampleId));
        }
        return sb.append(".bin").toString();
    }

    private static String hash(String text) {
        return Hashes.shortHash(text);
    }
}
