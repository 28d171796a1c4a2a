package org.vitbench.datasets.canvas;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import org.vitbench.api.Dataset;
import org.vitbench.api.Image;
import org.vitbench.api.Sample;
import org.vitbench.api.Seeds;

/**
 * Items of a grey dataset (Fashion-MNIST) placed on a larger textured canvas beside distractors,
 * with the item's own pixels as the ground-truth mask.
 *
 * <p>Sample {@code i} is composed from item {@code i} of the split and from
 * {@code (seed, sample id)} alone, through three generators
 * {@code Seeds.of(seed, id, "texture" | "placement" | "distractors")}; it is therefore identical
 * however often, in whatever order and with whatever {@code limit} it is read. Composition:
 * <ol>
 *   <li>the background is {@link Texture#paint}, values at most {@value Texture#MAX};
 *   <li>the item's top-left corner is uniform over every position that keeps it inside the
 *       canvas; each canvas pixel under it becomes {@code max(background, item)};
 *   <li>the mask is 1 where the item's value exceeds {@link #MASK_THRESHOLD}
 *       ({@value Texture#MAX}, the brightest background, so every mask pixel shows the item's own
 *       value) and 0 elsewhere;
 *   <li>each distractor comes from another item of the split, chosen uniformly: either that item
 *       shrunk to half size by 2 x 2 averaging, or the brightest of four random half-size crops
 *       of it, with equal probability. Of 16 random positions the first that puts none of its
 *       non-zero pixels on the mask is taken, else the one with the fewest; it is drawn with
 *       {@code max} on every pixel outside the mask, never on the mask, so the item stays whole.
 * </ol>
 *
 * <p>Sample ids are {@code canvas-<split>-<index, 5 digits>}; they do not encode size, seed or
 * distractors, so results of differently configured canvases must not be mixed. Thread-safe if
 * the item dataset is.
 */
public final class CanvasDataset implements Dataset {

    /** Item values above this are the mask. */
    public static final float MASK_THRESHOLD = Texture.MAX;

    private static final int PLACEMENT_TRIES = 16;
    private static final int CROP_TRIES = 4;

    private final String name;
    private final String split;
    private final Dataset items;
    private final int count;
    private final CanvasOptions options;

    /**
     * @param name dataset and split, e.g. {@code fashion-mnist-canvas/test}
     * @param split {@code train} or {@code test}, for the sample ids
     * @param items the grey items, each at most {@code options.size()} pixels high and wide
     * @param count samples exposed, the first {@code count} items; 1 to {@code items.size()}
     * @param options canvas size, seed and distractors
     */
    public CanvasDataset(String name, String split, Dataset items, int count, CanvasOptions options) {
        if (count < 1 || count > items.size()) {
            throw new IllegalArgumentException("count must be 1 to " + items.size() + ", got " + count);
        }
        this.name = name;
        this.split = split;
        this.items = items;
        this.count = count;
        this.options = Objects.requireNonNull(options);
    }

    /** The id of sample {@code index} of {@code split}, e.g. {@code canvas-test-00042}. */
    public static String sampleId(String split, int index) {
        return String.format(Locale.ROOT, "canvas-%s-%05d", split, index);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> classNames() {
        return items.classNames();
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public boolean hasMasks() {
        return true;
    }

    public CanvasOptions options() {
        return options;
    }

    @Override
    public Sample get(int index) {
        Objects.checkIndex(index, count);
        String id = sampleId(split, index);
        Sample item = items.get(index);
        Image image = checked(item);
        int side = options.size();
        float[] canvas = Texture.paint(side, random(id, "texture"));
        float[] mask = new float[side * side];

        SplittableRandom placement = random(id, "placement");
        int top = placement.nextInt(side - image.height() + 1);
        int left = placement.nextInt(side - image.width() + 1);
        float[] values = image.pixels();
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                float v = values[y * image.width() + x];
                int p = (top + y) * side + left + x;
                canvas[p] = Math.max(canvas[p], v);
                if (v > MASK_THRESHOLD) {
                    mask[p] = 1f;
                }
            }
        }

        SplittableRandom random = random(id, "distractors");
        for (int d = 0; d < options.distractors(); d++) {
            drawDistractor(canvas, mask, side, distractor(index, random), random);
        }
        return new Sample(id, item.label(), new Image(1, side, side, canvas), mask);
    }

    private SplittableRandom random(String id, String component) {
        return new SplittableRandom(Seeds.of(options.seed(), id, component));
    }

    private Image checked(Sample item) {
        Image image = item.image();
        if (image.channels() != 1 || image.height() > options.size() || image.width() > options.size()) {
            throw new IllegalStateException("item " + item.id() + " is " + image.channels() + "x" + image.height()
                    + "x" + image.width() + "; a " + options.size() + " px canvas takes grey items of at most "
                    + options.size() + "x" + options.size());
        }
        return image;
    }

    /** A half-size image, {@code [h/2][w/2]}, made from another item than {@code index}. */
    private float[][] distractor(int index, SplittableRandom random) {
        int n = items.size();
        // With a single item there is no other; it then lends a piece of itself.
        int other = n == 1 ? index : random.nextInt(n - 1);
        if (n > 1 && other >= index) {
            other++;
        }
        Image image = checked(items.get(other));
        int h = image.height() / 2;
        int w = image.width() / 2;
        float[] v = image.pixels();
        int width = image.width();
        float[][] patch = new float[h][w];
        if (random.nextBoolean()) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = 2 * y * width + 2 * x;
                    patch[y][x] = (v[p] + v[p + 1] + v[p + width] + v[p + width + 1]) / 4f;
                }
            }
            return patch;
        }
        double best = -1;
        for (int t = 0; t < CROP_TRIES; t++) {
            int top = random.nextInt(image.height() - h + 1);
            int left = random.nextInt(width - w + 1);
            double sum = 0;
            float[][] crop = new float[h][w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    crop[y][x] = v[(top + y) * width + left + x];
                    sum += crop[y][x];
                }
            }
            if (sum > best) {
                best = sum;
                patch = crop;
            }
        }
        return patch;
    }

    private static void drawDistractor(float[] canvas, float[] mask, int side, float[][] patch,
            SplittableRandom random) {
        int h = patch.length;
        int w = h == 0 ? 0 : patch[0].length;
        int bestTop = 0;
        int bestLeft = 0;
        int fewest = Integer.MAX_VALUE;
        for (int t = 0; t < PLACEMENT_TRIES && fewest > 0; t++) {
            int top = random.nextInt(side - h + 1);
            int left = random.nextInt(side - w + 1);
            int onMask = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (patch[y][x] > 0f && mask[(top + y) * side + left + x] != 0f) {
                        onMask++;
                    }
                }
            }
            if (onMask < fewest) {
                fewest = onMask;
                bestTop = top;
                bestLeft = left;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = (bestTop + y) * side + bestLeft + x;
                if (mask[p] == 0f) {
                    canvas[p] = Math.max(canvas[p], patch[y][x]);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "CanvasDataset[" + name + ", " + count + " samples, " + options + "]";
    }
}
