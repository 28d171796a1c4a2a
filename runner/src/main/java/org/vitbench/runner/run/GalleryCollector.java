package org.vitbench.runner.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.vitbench.api.AtomicFiles;
import org.vitbench.api.MethodSpec;
import org.vitbench.api.ResultRecord;
import org.vitbench.api.Sample;
import org.vitbench.reports.Gallery;
import org.vitbench.reports.Overlay;
import org.vitbench.runner.summary.Aggregator;

/**
 * Draws the report's heatmap gallery while the run explains: the first few samples' target-class
 * heatmaps of every method, one PNG each into {@code <out>/gallery/}, written the moment a method
 * explains such a sample (atomically), so a resumed run keeps what earlier runs drew. The index
 * with labels and captions is written at the end of the run. Workers may offer at once: each
 * (method, sample) is its own file.
 */
final class GalleryCollector {

    /** The least width of a thumbnail in screen pixels: 28-pixel images are drawn 4 pixels per pixel. */
    static final int THUMBNAIL = 112;

    private final Path dir;
    private final List<Sample> samples;
    private final List<Unit.Method> methods;
    private final Map<String, Integer> sampleIndex = new HashMap<>();
    private final Map<MethodSpec, Integer> methodIndex = new HashMap<>();

    /**
     * @param out the run directory
     * @param samples the gallery's samples (the first ones of the run), possibly none
     * @param methods the run's methods, in config order
     */
    GalleryCollector(Path out, List<Sample> samples, List<Unit.Method> methods) {
        this.dir = out.resolve(Gallery.DIR);
        this.samples = List.copyOf(samples);
        this.methods = List.copyOf(methods);
        for (int i = 0; i < samples.size(); i++) {
            sampleIndex.put(samples.get(i).id(), i);
        }
        for (int j = 0; j < methods.size(); j++) {
            methodIndex.put(methods.get(j).spec(), j);
        }
    }

    /** Draws {@code map} when {@code sample} is in the gallery; a map with a non-finite value is left out. */
    void offer(Unit.Method method, Sample sample, float[] map, int grid) {
        Integer i = sampleIndex.get(sample.id());
        Integer j = methodIndex.get(method.spec());
        if (i == null || j == null || BatchRun.nonFinite(map) != null) {
            return;
        }
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        // the legend first, so that every PNG present has its legend
        writeText(dir.resolve(Gallery.file(j, i) + ".legend"), Overlay.legend(map));
        int scale = Math.max(1, (THUMBNAIL + sample.image().width() - 1) / sample.image().width());
        Overlay.write(Overlay.render(sample.image(), map, grid, scale), dir.resolve(Gallery.file(j, i)));
    }

    private static void writeText(Path file, String text) {
        AtomicFiles.writeString(file, text);
    }

    /**
     * Writes the index for the PNGs present (also those an earlier, interrupted run drew), with
     * captions from the run's records (true and predicted class, the class explained) and the class
     * names. Without gallery samples it removes an earlier run's index, so the report shows none.
     */
    void finish(List<ResultRecord> records, List<String> classNames) {
        if (samples.isEmpty()) {
            try {
                Files.deleteIfExists(dir.resolve(Gallery.INDEX));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot remove " + dir.resolve(Gallery.INDEX) + ": "
                        + e.getMessage(), e);
            }
            return;
        }
        Map<String, ResultRecord> first = new HashMap<>();
        records.forEach(r -> first.putIfAbsent(r.sampleId(), r));
        List<String> captions = samples.stream().map(s -> {
            ResultRecord r = first.get(s.id());
            String label = s.label() >= 0 && s.label() < classNames.size() ? classNames.get(s.label()) : "?";
            String target = r != null && r.target() >= 0 && r.target() < classNames.size() ? classNames.get(r.target())
                    : "?";
            return s.id() + " \u00b7 true " + label + " \u00b7 predicted " + target;
        }).toList();
        String[][] legend = new String[methods.size()][samples.size()];
        for (int j = 0; j < methods.size(); j++) {
            for (int i = 0; i < samples.size(); i++) {
                Path png = dir.resolve(Gallery.file(j, i));
                Path text = dir.resolve(Gallery.file(j, i) + ".legend");
                try {
                    legend[j][i] = Files.isRegularFile(png) && Files.isRegularFile(text) ? Files.readString(text) : null;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("cannot read " + text + ": " + e.getMessage(), e);
                }
            }
        }
        // rows carry the report's labels (the id alone when the run has one configuration of a method)
        Map<MethodSpec, String> labels = Aggregator.methodLabels(records);
        Gallery.writeIndex(dir, methods.stream().map(m -> labels.getOrDefault(m.spec(), m.spec().canonical())).toList(),
                captions, legend);
    }
}
