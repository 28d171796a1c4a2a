package org.vitbench.datasets.folder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Dataset;
import org.vitbench.api.Image;
import org.vitbench.api.Preprocessing;
import org.vitbench.api.Sample;

/**
 * A folder with one sub-folder of images per class, as torchvision's {@code ImageFolder}: class
 * names are the sub-folder names in sorted order and labels index them; samples are the
 * {@code .png}, {@code .jpg} and {@code .jpeg} files (any case) directly inside each class folder,
 * sorted by name, with ids {@code image-folder/<class>/<file>}. Hidden entries (names starting
 * with {@code .}), other files and files directly in the root are ignored; nested folders are not
 * searched.
 *
 * <p>Optional ground-truth masks for the localisation metrics: a second folder laid out like the
 * first, one PNG per image with the image's name and extension {@code .png}
 * ({@code masks/<class>/<stem>.png}) and the image's pixel size. A mask pixel is the object when any
 * of its channels is non-zero (binary masks; convert label maps with "void" borders first). The
 * mask is resized and cropped by the same code and with the same settings as its image, then
 * thresholded at one half, so mask and image stay aligned pixel for pixel.
 *
 * <p>The folder is listed when opened (and, with masks, every mask file checked to exist); each
 * {@link #get} reads, converts ({@link ImageDecoder}) and resizes ({@link ResizeCrop}) one file, so
 * nothing is cached and a file that cannot be decoded fails that call, naming the file.
 * Thread-safe: the listing is immutable.
 */
public final class ImageFolder implements Dataset {

    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg");

    private record Entry(Path file, int label, String id, Path mask) {
    }

    private final String name;
    private final List<String> classNames;
    private final List<Entry> entries;
    private final int size;
    private final int channels;
    private final Interpolation interpolation;
    private final double cropPct;
    private final Preprocessing.Resize resize;
    private final boolean hasMasks;

    private ImageFolder(String name, List<String> classNames, List<Entry> entries, int size, int channels,
            Interpolation interpolation, double cropPct, Preprocessing.Resize resize, boolean hasMasks) {
        this.name = name;
        this.classNames = List.copyOf(classNames);
        this.entries = List.copyOf(entries);
        this.size = size;
        this.channels = channels;
        this.interpolation = interpolation;
        this.cropPct = cropPct;
        this.resize = resize;
        this.hasMasks = hasMasks;
    }

    /**
     * Lists {@code dir}.
     *
     * @param size output height and width
     * @param channels 1 or 3
     * @throws ConfigurationException when {@code dir} is missing, has no class folders, or a class
     *     folder has no images
     */
    public static ImageFolder open(Path dir, int size, int channels, Interpolation interpolation) {
        return open(dir, size, channels, interpolation, 1.0, Preprocessing.Resize.SHORTER_SIDE);
    }

    /**
     * Lists {@code dir}; images are prepared with {@link ResizeCrop#apply(Image, int, Interpolation,
     * double, Preprocessing.Resize)}.
     *
     * @param cropPct the share of the resized image the centre crop keeps, in (0, 1]
     * @param resize which sides the resize sets
     */
    public static ImageFolder open(Path dir, int size, int channels, Interpolation interpolation, double cropPct,
            Preprocessing.Resize resize) {
        return open(dir, size, channels, interpolation, cropPct, resize, null);
    }

    /**
     * Lists {@code dir} and, when {@code masks} is not {@code null}, finds each image's mask in it.
     *
     * @throws ConfigurationException also when {@code masks} is not a directory or misses masks
     *     (the message names the first missing files and how many there are)
     */
    public static ImageFolder open(Path dir, int size, int channels, Interpolation interpolation, double cropPct,
            Preprocessing.Resize resize, Path masks) {
        if (!Files.exists(dir)) {
            throw new ConfigurationException("image folder " + dir + " does not exist; pass dir= a folder with one"
                    + " sub-folder of PNG or JPEG images per class");
        }
        if (!Files.isDirectory(dir)) {
            throw new ConfigurationException("image folder " + dir + " is not a directory; pass dir= a folder with"
                    + " one sub-folder of PNG or JPEG images per class");
        }
        List<Path> classDirs = list(dir, true);
        if (classDirs.isEmpty()) {
            throw new ConfigurationException("image folder " + dir + " has no class sub-folders; put the images of"
                    + " each class in a sub-folder named after the class, e.g. " + dir.resolve("cat").resolve("1.png"));
        }
        List<String> classNames = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        for (Path classDir : classDirs) {
            String className = classDir.getFileName().toString();
            int label = classNames.size();
            classNames.add(className);
            List<Path> files = list(classDir, false).stream().filter(ImageFolder::isImage).toList();
            if (files.isEmpty()) {
                empty.add(classDir.toString());
            }
            for (Path file : files) {
                entries.add(new Entry(file, label, "image-folder/" + className + "/" + file.getFileName(),
                        masks == null ? null : maskOf(masks, className, file)));
            }
        }
        if (!empty.isEmpty()) {
            throw new ConfigurationException("class folder" + (empty.size() == 1 ? " " : "s ")
                    + String.join(", ", empty)
                    + " of image folder " + dir + " hold" + (empty.size() == 1 ? "s" : "") + " no PNG or JPEG"
                    + " images (.png, .jpg, .jpeg); add images or remove the folder" + (empty.size() == 1 ? "" : "s"));
        }
        if (masks != null) {
            checkMasks(masks, entries);
        }
        Path folderName = dir.toAbsolutePath().normalize().getFileName();
        return new ImageFolder("image-folder/" + (folderName == null ? dir : folderName), classNames, entries, size,
                channels, interpolation, cropPct, resize, masks != null);
    }

    private static Path maskOf(Path masks, String className, Path image) {
        String fileName = image.getFileName().toString();
        return masks.resolve(className).resolve(fileName.substring(0, fileName.lastIndexOf('.')) + ".png");
    }

    private static void checkMasks(Path masks, List<Entry> entries) {
        if (!Files.isDirectory(masks)) {
            throw new ConfigurationException("mask folder " + masks + " is not a directory; pass masks= a folder laid"
                    + " out like the images, one PNG per image: masks/<class>/<image name>.png");
        }
        List<String> missing = entries.stream().map(Entry::mask).filter(m -> !Files.isRegularFile(m))
                .map(Path::toString).toList();
        if (!missing.isEmpty()) {
            throw new ConfigurationException(missing.size() + " of " + entries.size() + " images have no mask in "
                    + masks + ", for example " + String.join(", ", missing.subList(0, Math.min(3, missing.size())))
                    + "; add a binary PNG mask with the image's name and size for each, or leave out masks=");
        }
    }

    private static List<Path> list(Path dir, boolean directories) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> directories ? Files.isDirectory(p) : Files.isRegularFile(p))
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new ConfigurationException("cannot list " + dir + ": " + e, e);
        }
    }

    private static boolean isImage(Path file) {
        String fileName = file.getFileName().toString();
        int dot = fileName.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int size() {
        return entries.size();
    }

    /**
     * Reads sample {@code index} as a {@code channels x size x size} image.
     *
     * @throws ConfigurationException naming the file when it cannot be decoded
     */
    @Override
    public Sample get(int index) {
        Entry entry = entries.get(index);
        Image decoded = ImageDecoder.read(entry.file(), channels);
        Image image = ResizeCrop.apply(decoded, size, interpolation, cropPct, resize);
        return new Sample(entry.id(), entry.label(), image, entry.mask() == null ? null : mask(entry, decoded));
    }

    /** The entry's mask, binarised, resized and cropped as its image, thresholded at 1/2. */
    private float[] mask(Entry entry, Image decoded) {
        Image read = ImageDecoder.read(entry.mask(), 3);
        if (read.height() != decoded.height() || read.width() != decoded.width()) {
            throw new ConfigurationException("mask " + entry.mask() + " is " + read.width() + "x" + read.height()
                    + " pixels, but its image " + entry.file() + " is " + decoded.width() + "x" + decoded.height()
                    + "; save the mask at the image's size");
        }
        int n = read.height() * read.width();
        float[] binary = new float[n];
        float[] rgb = read.pixels();
        for (int i = 0; i < n; i++) {
            binary[i] = rgb[i] > 0 || rgb[n + i] > 0 || rgb[2 * n + i] > 0 ? 1f : 0f;
        }
        Image resized = ResizeCrop.apply(new Image(1, read.height(), read.width(), binary), size, interpolation,
                cropPct, resize);
        float[] out = resized.pixels();
        for (int i = 0; i < out.length; i++) {
            out[i] = out[i] >= 0.5f ? 1f : 0f;
        }
        return out;
    }

    @Override
    public boolean hasMasks() {
        return hasMasks;
    }

    @Override
    public String toString() {
        return "ImageFolder[" + name + ", " + entries.size() + " samples, " + channels + "x" + size + "x" + size + ", "
                + interpolation.id() + ", crop " + cropPct + " " + resize + (hasMasks ? ", masks" : "") + "]";
    }
}
