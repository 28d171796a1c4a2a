package org.vitbench.datasets.folder;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Dataset;
import org.vitbench.api.DatasetProvider;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Preprocessing;
import org.vitbench.api.ProviderInfo;

/**
 * Provides {@code image-folder}: an {@link ImageFolder} of PNG and JPEG files, one sub-folder per
 * class, resized and centre cropped to a square ({@link ResizeCrop}) as the model's library
 * prepares images at evaluation.
 *
 * <p>Parameters: {@code dir} (required) the folder; {@code size} (1 to 4096) the output height and
 * width; {@code channels} 1 or 3; {@code interpolation} {@code bilinear} or {@code bicubic};
 * {@code crop-pct} the share of the resized image the centre crop keeps, in (0, 1];
 * {@code resize} {@code shorter-side} or {@code squash}; {@code masks} (optional) a folder of binary
 * PNG masks laid out like the images, for the localisation metrics (see {@link ImageFolder}). Opened for a model ({@link #open(Parameters,
 * ModelInfo)}, as every command does), each parameter not given is the model's (its input size and
 * channels, and its checkpoint's {@link Preprocessing}); opened without one, {@code size} is
 * required and the others default to 3 channels, bilinear, crop share 1, shorter side.
 */
public final class ImageFolderProvider implements DatasetProvider {

    /** The provider id. */
    public static final String ID = "image-folder";

    /** Largest accepted {@code size}. */
    public static final int MAX_SIZE = 4096;

    private static final Set<String> KEYS = Set.of("dir", "size", "channels", "interpolation", "crop-pct", "resize",
            "masks");
    private static final Map<String, Preprocessing.Resize> RESIZE = Map.of("shorter-side",
            Preprocessing.Resize.SHORTER_SIDE, "squash", Preprocessing.Resize.SQUASH);

    @Override
    public ProviderInfo info() {
        return new ProviderInfo(ID, "Image folder", "PNG/JPEG images, one sub-folder per class, resized and centre "
                + "cropped as the model's checkpoint says; parameters: dir (required), size, channels (1 or 3), "
                + "interpolation (bilinear or bicubic), crop-pct (0 to 1], resize (shorter-side or squash), each "
                + "defaulting to the model's; masks (optional): a folder of binary PNG masks laid out like the images, "
                + "for the localisation metrics");
    }

    @Override
    public Dataset open(Parameters parameters) {
        return open(parameters, null);
    }

    @Override
    public Dataset open(Parameters parameters, ModelInfo model) {
        parameters.requireOnly(KEYS);
        String dir = parameters.getString("dir", "");
        if (dir.isBlank()) {
            throw new ConfigurationException("parameter 'dir' of " + ID + " is required: the folder with one"
                    + " sub-folder of images per class; pass for example " + ID + ":dir=/path/to/images");
        }
        if (model == null && !parameters.has("size")) {
            throw new ConfigurationException("parameter 'size' of " + ID + " is required when no model is given: the"
                    + " output height and width in pixels; pass for example " + ID + ":dir=" + dir + ",size=224");
        }
        Preprocessing p = model == null ? null : model.preprocessing();
        int size = parameters.getInt("size", model == null ? 0 : model.imageSize(), 1, MAX_SIZE);
        int channels = Integer.parseInt(parameters.getChoice("channels",
                model == null ? "3" : Integer.toString(model.channels()), Set.of("1", "3")));
        Interpolation interpolation = Interpolation.parse(parameters.getChoice("interpolation",
                p == null ? "bilinear" : p.interpolation(), Set.of("bilinear", "bicubic")));
        double cropPct = parameters.getDouble("crop-pct", p == null ? 1.0 : p.cropPct(), Double.MIN_VALUE, 1.0);
        if (!(cropPct > 0 && cropPct <= 1)) {
            throw new ConfigurationException("parameter 'crop-pct' of " + ID + " must be in (0, 1], got " + cropPct
                    + " (timm's crop_pct: 0.875 keeps the centre 87.5 % of the resized image)");
        }
        String defaultResize = p == null || p.resize() == Preprocessing.Resize.SHORTER_SIDE ? "shorter-side" : "squash";
        Preprocessing.Resize resize = RESIZE.get(parameters.getChoice("resize", defaultResize, RESIZE.keySet()));
        String masks = parameters.getString("masks", "");
        ImageFolder folder = ImageFolder.open(Path.of(dir), size, channels, interpolation, cropPct, resize,
                masks.isBlank() ? null : Path.of(masks));
        if (model != null && folder.classNames().size() > model.classNames().size()) {
            // labels index the sorted folder names: extra folders would carry labels the model cannot predict
            throw new ConfigurationException("image folder " + dir + " has " + folder.classNames().size()
                    + " class folders but model " + model.name() + " has " + model.classNames().size() + " classes; "
                    + "labels are the folders' sorted positions, so give at most " + model.classNames().size()
                    + " class folders, ordered as the model's classes");
        }
        return folder;
    }
}
