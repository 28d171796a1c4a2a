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
 * <p>The folder is listed when opened; each {@link #get} reads, converts ({@link ImageDecoder}) and
 * resizes ({@link ResizeCrop}) one file, so nothing is cached and a file that cannot be decoded fails
 * that call, naming the file. Thread-safe: the listing is immutable.
 */
public final class ImageFolder implements Dataset {

    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg");

    private record Entry(Path file, int label, String id) {
    }

    private final String name;
    private final List<String> classNames;
    private final List<Entry> entries;
    private final int size;
    private final int channels;
    private final Interpolation interpolation;
    private final double cropPct;
    private final Preprocessing.Resize resize;

    private ImageFolder(String name, List<String> classNames, List<Entry> entries, int size, int channels,
            Interpolation interpolation, double cropPct, Preprocessing.Resize resize) {
        this.name = name;
        this.classNames = List.copyOf(classNames);
        this.entries = List.copyOf(entries);
        this.size = size;
        this.channels = channels;
        this.interpolation = interpolation;
        this.cropPct = cropPct;
        this.resize = resize;
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
                entries.add(new Entry(file, label, "image-folder/" + className + "/" + file.getFileName()));
            }
        }
        if (!empty.isEmpty()) {
            throw new ConfigurationException("class folder" + (empty.size() == 1 ? " " : "s ")
                    + String.join(", ", empty)
                    + " of image folder " + dir + " hold" + (empty.size() == 1 ? "s" : "") + " no PNG or JPEG"
                    + " images (.png, .jpg, .jpeg); add images or remove the folder" + (empty.size() == 1 ? "" : "s"));
        }
        Path folderName = dir.toAbsolutePath().normalize().getFileName();
        return new ImageFolder("image-folder/" + (folderName == null ? dir : folderName), classNames, entries, size,
                channels, interpolation, cropPct, resize);
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
        Image image = ResizeCrop.apply(ImageDecoder.read(entry.file(), channels), size, interpolation, cropPct, resize);
        return new Sample(entry.id(), entry.label(), image);
    }

    @Override
    public String toString() {
        return "ImageFolder[" + name + ", " + entries.size() + " samples, " + channels + "x" + size + "x" + size + ", "
                + interpolation.id() + ", crop " + cropPct + " " + resize + "]";
    }
}
