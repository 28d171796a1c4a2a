package org.vitbench.runner.run;

import java.nio.file.Path;
import org.vitbench.api.ConfigurationException;

/**
 * What a run does with its heatmaps besides scoring them. Neither setting changes a result, so
 * neither is in the config hash, and a resumed run may change both.
 *
 * @param cache the heatmap cache directory ({@code --heatmap-cache}, config key
 *     {@code heatmap-cache}), or null for {@code <out>/heatmaps}
 * @param gallerySamples how many of the run's first samples the report's heatmap gallery shows
 *     for every method ({@code --gallery-samples}, config key {@code gallery-samples}); 0 turns the
 *     gallery off
 */
public record HeatmapOutputs(Path cache, int gallerySamples) {

    /** Four samples: their rows of thumbnails keep the report's section about one screen high. */
    public static final int DEFAULT_GALLERY_SAMPLES = 4;
    /** The heatmap cache's directory in the run's output when none is given. */
    public static final String DEFAULT_DIR = "heatmaps";

    /** The defaults: the cache in the output directory, a gallery of 4 samples. */
    static final HeatmapOutputs DEFAULT = new HeatmapOutputs(null, DEFAULT_GALLERY_SAMPLES);

    public HeatmapOutputs {
        if (gallerySamples < 0) {
            throw new ConfigurationException("invalid gallery size " + gallerySamples
                    + "; allowed: 0 (no gallery) or a positive number of samples");
        }
    }

    /** The cache directory of a run writing to {@code out}. */
    Path cacheDir(Path out) {
        return cache != null ? cache : out.resolve(DEFAULT_DIR);
    }
}
