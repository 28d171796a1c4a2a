package org.vitbench.datasets.folder;

import java.nio.file.Path;
import java.util.Set;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Dataset;
import org.vitbench.api.DatasetProvider;
import org.vitbench.api.Parameters;
import org.vitbench.api.ProviderInfo;

/**
 * Provides {@code image-folder}: an {@link ImageFolder} of PNG and JPEG files, one sub-folder per
 * class, resized and centre cropped to a square ({@link ResizeCrop}).
 *
 * <p>Parameters: {@code dir} (required) the folder; {@code size} (required, 1 to 4096) the output
 * height and width, normally the model's input size; {@code channels} 1 or 3 (default 3);
 * {@code interpolation} {@code bilinear} (default) or {@code bicubic}, normally the model's.
 */
public final class ImageFolderProvider implements DatasetProvider {

    /** The provider id. */
    public static final String ID = "image-folder";

    /** Largest accepted {@code size}. */
    public static final int MAX_SIZE = 4096;

    @Override
    public ProviderInfo info() {
        return new ProviderInfo(ID, "Image folder", "PNG/JPEG images, one sub-folder per class, resized (shorter side)"
                + " and centre cropped; parameters: dir (required), size (required), channels (1 or 3, default 3),"
                + " interpolation (bilinear or bicubic, default bilinear)");
    }

    @Override
    public Dataset open(Parameters parameters) {
        parameters.requireOnly(Set.of("dir", "size", "channels", "interpolation"));
        String dir = parameters.getString("dir", "");
        if (dir.isBlank()) {
            throw new ConfigurationException("parameter 'dir' of " + ID + " is required: the folder with one"
                    + " sub-folder of images per class; pass for example " + ID + ":dir=/path/to/images,size=224");
        }
        if (!parameters.has("size")) {
            throw new ConfigurationException("parameter 'size' of " + ID + " is required: the output height and"
                    + " width in pixels, normally the model's input size; pass for example " + ID + ":dir=" + dir
                    + ",size=224");
        }
        int size = parameters.getInt("size", 0, 1, MAX_SIZE);
        int channels = Integer.parseInt(parameters.getChoice("channels", "3", Set.of("1", "3")));
        Interpolation interpolation = Interpolation.parse(
                parameters.getChoice("interpolation", "bilinear", Set.of("bilinear", "bicubic")));
        return ImageFolder.open(Path.of(dir), size, channels, interpolation);
    }
}
