package org.vitbench.runner.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.vitbench.api.Category;
import org.vitbench.api.Context;
import org.vitbench.api.Dataset;
import org.vitbench.api.DatasetProvider;
import org.vitbench.api.Direction;
import org.vitbench.api.Explainer;
import org.vitbench.api.ExplainerInfo;
import org.vitbench.api.ExplainerProvider;
import org.vitbench.api.Family;
import org.vitbench.api.ForwardTrace;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Image;
import org.vitbench.api.Metric;
import org.vitbench.api.MetricInfo;
import org.vitbench.api.MetricProvider;
import org.vitbench.api.MetricResult;
import org.vitbench.api.MetricSpec;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.ModelProvider;
import org.vitbench.api.Parameters;
import org.vitbench.api.Preprocessing;
import org.vitbench.api.ProviderInfo;
import org.vitbench.api.Registry;
import org.vitbench.api.Removal;
import org.vitbench.api.Requirement;
import org.vitbench.api.Sample;
import org.vitbench.api.Seeds;
import org.vitbench.api.TraceOptions;
import org.vitbench.api.VitModel;

/**
 * Small plug-ins for runner tests. The model sees 1x4x4 images as a 2x2 patch grid and its
 * logit k is the mean pixel of patch k, so the "oracle" explanation (the patch means) is exactly
 * what drives the prediction and deletion by it is the best possible.
 */
public final class Fakes {

    static final int GRID = 2;
    static final int P = GRID * GRID;

    /** Samples explained by each fake method since the registry was built. */
    public final AtomicInteger explained = new AtomicInteger();

    /** Fake method instances closed since the registry was built. */
    public final AtomicInteger closed = new AtomicInteger();

    /** Ends the busy loop of the hostile "spin" method. */
    static volatile boolean releaseSpinners;

    /** When set, "oracle" explains with the negated patch means: a deliberately degraded method. */
    volatile boolean degradeOracle;

    private Fakes() {
    }

    /** A registry of fresh fakes and the counter they share. */
    static Fakes create() {
        return new Fakes();
    }

    Registry registry() {
        return Registry.of(
                List.of(explainer("oracle", false, (ctx, s) -> degradeOracle ? negated(patchMeans(s.image()))
                        : patchMeans(s.image())),
                        explainer("noise", false, (ctx, s) -> noise(ctx.seed(), s.id())),
                        explainer("crash", false, (ctx, s) -> {
                            throw new IllegalStateException("boom <b>");
                        }),
                        explainer("nan-on-odd", false, (ctx, s) -> {
                            float[] m = patchMeans(s.image());
                            if (Integer.parseInt(s.id().substring(2)) % 2 == 1) {
                                m[1] = Float.NaN;
                            }
                            return m;
                        })),
                List.of(new DeletionProvider(), new SumProvider(), new AllClassesProvider()),
                List.of(new DataProvider()), List.of(new ModelProviderImpl()));
    }

    /**
     * The fakes plus misbehaving plug-ins: methods that throw errors, exhaust a call's memory,
     * recurse without end, set the interrupt flag, sleep or spin forever, or write into the
     * shared pixels, and a metric whose curves do not match its x-axis.
     */
    Registry hostileRegistry() {
        Registry plain = registry();
        List<ExplainerProvider> explainers = new ArrayList<>(plain.explainers().values());
        explainers.add(explainer("scribble", false, (ctx, s) -> {
            float[] m = patchMeans(s.image());
            Arrays.fill(s.image().pixels(), 0f);
            return m;
        }));
        explainers.add(explainer("assert", false, (ctx, s) -> {
            throw new AssertionError("invariant broken");
        }));
        explainers.add(explainer("overflow", false, (ctx, s) -> new float[recurse(0)]));
        explainers.add(explainer("huge", false, (ctx, s) -> new float[Integer.MAX_VALUE]));
        explainers.add(explainer("interrupt", false, (ctx, s) -> {
            Thread.currentThread().interrupt();
            return patchMeans(s.image());
        }));
        explainers.add(explainer("sleep", false, (ctx, s) -> {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
            return null;
        }));
        explainers.add(explainer("spin", false, (ctx, s) -> {
            // deaf to interrupts; only the test's release ends it, so abandoned threads do not slow later tests
            while (!releaseSpinners) {
                Thread.onSpinWait();
            }
            throw new IllegalStateException("released");
        }));
        List<MetricProvider> metrics = new ArrayList<>(plain.metrics().values());
        metrics.add(new BadCurveProvider());
        return Registry.of(explainers, metrics, List.of(new DataProvider()), List.of(new ModelProviderImpl()));
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    /** Curves of five points on an x-axis of three. */
    static final class BadCurveProvider implements MetricProvider {
        static final MetricInfo INFO = new MetricInfo("fake-bad-curve", "Fake bad curve", Category.FAITHFULNESS,
                Direction.HIGHER_IS_BETTER, Set.of(), List.of("default"), "test fake");

        @Override
        public MetricInfo info() {
            return INFO;
        }

        @Override
        public Metric create(Parameters parameters) {
            parameters.requireOnly(Set.of());
            MetricSpec spec = MetricSpec.of("fake-bad-curve", "default", Map.of());
            return metric(INFO, spec, (context, batch, targets, heatmaps) -> {
                double[] scores = new double[batch.size()];
                double[][] curves = new double[batch.size()][5];
                return new MetricResult(scores, curves, new double[3]);
            });
        }
    }

    /** What a fake metric computes. */
    interface Evaluation {
        MetricResult apply(Context context, List<Sample> batch, int[] targets, Heatmaps heatmaps);
    }

    /** A fake metric: its description, spec and computation. */
    static Metric metric(MetricInfo info, MetricSpec spec, Evaluation evaluation) {
        return new Metric() {
            @Override
            public MetricInfo info() {
                return info;
            }

            @Override
            public MetricSpec spec() {
                return spec;
            }

            @Override
            public MetricResult evaluate(Context context, List<Sample> batch, int[] targets, Heatmaps heatmaps) {
                return evaluation.apply(context, batch, targets, heatmaps);
            }
        };
    }

    /** Patch means of a 1x4x4 image, row-major over the 2x2 grid. */
    private static float[] negated(float[] m) {
        float[] out = m.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = -out[i];
        }
        return out;
    }

    static float[] patchMeans(Image image) {
        float[] m = new float[P];
        float[] px = image.pixels();
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                m[(y / 2) * GRID + x / 2] += px[y * 4 + x] / 4f;
            }
        }
        return m;
    }

    private static float[] noise(long seed, String sampleId) {
        SplittableRandom random = new SplittableRandom(Seeds.of(seed, sampleId, "noise"));
        float[] m = new float[P];
        for (int i = 0; i < P; i++) {
            m[i] = (float) random.nextDouble();
        }
        return m;
    }

    interface MapFunction {
        float[] apply(Context context, Sample sample);
    }

    private ExplainerProvider explainer(String id, boolean allClasses, MapFunction f) {
        ExplainerInfo info = new ExplainerInfo(id, id, Family.BASELINE, Set.of(), allClasses, "test fake");
        return new ExplainerProvider() {
            @Override
            public ExplainerInfo info() {
                return info;
            }

            @Override
            public Explainer create(Parameters parameters) {
                parameters.requireOnly(Set.of("scale"));
                return new Explainer() {
                    @Override
                    public ExplainerInfo info() {
                        return info;
                    }

                    @Override
                    public Parameters parameters() {
                        return parameters;
                    }

                    @Override
                    public Heatmaps explain(Context context, List<Sample> batch, int[] targets) {
                        explained.addAndGet(batch.size());
                        float[][] maps = new float[batch.size()][];
                        for (int b = 0; b < batch.size(); b++) {
                            maps[b] = f.apply(context, batch.get(b));
                        }
                        return Heatmaps.of(GRID, maps);
                    }

                    @Override
                    public void close() {
                        closed.incrementAndGet();
                    }
                };
            }
        };
    }

    /**
     * Deletion on the fake model: remove patches by decreasing heatmap value; the curve is the
     * remaining share of the target logit, the score its mean. Lower is better.
     */
    static final class DeletionProvider implements MetricProvider {
        static final MetricInfo INFO = new MetricInfo("fake-deletion", "Fake deletion", Category.FAITHFULNESS,
                Direction.LOWER_IS_BETTER, Set.of(), List.of("default", "steep"), "test fake");

        @Override
        public MetricInfo info() {
            return INFO;
        }

        @Override
        public Metric create(Parameters parameters) {
            parameters.requireOnly(Set.of("preset"));
            String preset = parameters.getChoice("preset", "default", Set.of("default", "steep"));
            MetricSpec spec = MetricSpec.of("fake-deletion", preset, Map.of("removal", "zero"));
            return metric(INFO, spec, (context, batch, targets, heatmaps) -> {
                double[] scores = new double[batch.size()];
                double[][] curves = new double[batch.size()][P + 1];
                double[] x = new double[P + 1];
                for (int t = 0; t <= P; t++) {
                    x[t] = (double) t / P;
                }
                for (int b = 0; b < batch.size(); b++) {
                    float[] means = patchMeans(batch.get(b).image());
                    Integer[] order = {0, 1, 2, 3};
                    float[] h = heatmaps.target()[b];
                    Arrays.sort(order, (i, j) -> Float.compare(h[j], h[i]));
                    double total = 0;
                    for (float m : means) {
                        total += m;
                    }
                    double remaining = total;
                    for (int t = 0; t <= P; t++) {
                        curves[b][t] = total == 0 ? 0 : remaining / total;
                        if (t < P) {
                            remaining -= means[order[t]];
                        }
                    }
                    scores[b] = Arrays.stream(curves[b]).average().orElseThrow();
                }
                return new MetricResult(scores, curves, x);
            });
        }
    }

    /** The heatmap's value at the target patch; higher is better; no curves. */
    static final class SumProvider implements MetricProvider {
        static final MetricInfo INFO = new MetricInfo("fake-sum", "Fake sum", Category.COMPLEXITY,
                Direction.HIGHER_IS_BETTER, Set.of(), List.of("default"), "test fake");

        @Override
        public MetricInfo info() {
            return INFO;
        }

        @Override
        public Metric create(Parameters parameters) {
            MetricSpec spec = MetricSpec.of("fake-sum", "default", Map.of());
            return metric(INFO, spec, (context, batch, targets, heatmaps) -> {
                double[] scores = new double[batch.size()];
                for (int b = 0; b < batch.size(); b++) {
                    scores[b] = heatmaps.target()[b][targets[b] % P];
                }
                return MetricResult.of(scores);
            });
        }
    }

    /** A metric that needs per-class heatmaps, so pairs with target-only methods are skipped. */
    static final class AllClassesProvider implements MetricProvider {
        static final MetricInfo INFO = new MetricInfo("fake-all-classes", "Fake all classes", Category.FAITHFULNESS,
                Direction.HIGHER_IS_BETTER, Set.of(Requirement.ALL_CLASSES), List.of("default"), "test fake");

        @Override
        public MetricInfo info() {
            return INFO;
        }

        @Override
        public Metric create(Parameters parameters) {
            MetricSpec spec = MetricSpec.of("fake-all-classes", "default", Map.of());
            return metric(INFO, spec, (context, batch, targets, heatmaps) -> {
                throw new AssertionError("a skipped pair must not be evaluated");
            });
        }
    }

    /** {@code size} (default 10) deterministic 1x4x4 images with ids {@code s-000, s-001, ...}. */
    static final class DataProvider implements DatasetProvider {
        @Override
        public ProviderInfo info() {
            return new ProviderInfo("fake-data", "Fake data", "deterministic 4x4 images; parameter size");
        }

        @Override
        public Dataset open(Parameters parameters) {
            parameters.requireOnly(Set.of("size"));
            int size = parameters.getInt("size", 10, 1, 1000);
            return new Dataset() {
                @Override
                public String name() {
                    return "fake-data/test";
                }

                @Override
                public List<String> classNames() {
                    return List.of("c0", "c1", "c2", "c3");
                }

                @Override
                public int size() {
                    return size;
                }

                @Override
                public Sample get(int index) {
                    SplittableRandom random = new SplittableRandom(1000 + index);
                    float[] px = new float[16];
                    for (int i = 0; i < px.length; i++) {
                        px[i] = (float) random.nextDouble();
                    }
                    return new Sample(String.format("s-%03d", index), index % 4, new Image(1, 4, 4, px));
                }
            };
        }
    }

    static final class ModelProviderImpl implements ModelProvider {
        @Override
        public ProviderInfo info() {
            return new ProviderInfo("fake-model", "Fake model", "logit k = mean pixel of patch k; no parameters");
        }

        @Override
        public VitModel load(Parameters parameters) {
            parameters.requireOnly(Set.of());
            return new FakeModel();
        }
    }

    /** Logit k is the mean of patch k. */
    public static final class FakeModel implements VitModel {
        private final NDManager manager = NDManager.newBaseManager();
        private final ModelInfo info = new ModelInfo("fake-vit", 1, 4, 2, 1, 1, 4, List.of("c0", "c1", "c2", "c3"),
                new Preprocessing(new float[] {0}, new float[] {1}, "bilinear"));

        @Override
        public ModelInfo info() {
            return info;
        }

        @Override
        public NDManager manager() {
            return manager;
        }

        @Override
        public NDArray logits(NDArray images) {
            float[] px = images.toFloatArray();
            int b = (int) images.getShape().get(0);
            List<float[]> rows = new ArrayList<>();
            for (int i = 0; i < b; i++) {
                rows.add(patchMeans(new Image(1, 4, 4, Arrays.copyOfRange(px, i * 16, (i + 1) * 16))));
            }
            float[] flat = new float[b * P];
            for (int i = 0; i < b; i++) {
                System.arraycopy(rows.get(i), 0, flat, i * P, P);
            }
            return images.getManager().create(flat, new Shape(b, P));
        }

        @Override
        public NDArray logits(NDArray images, NDArray keep, Removal removal) {
            return logits(images).mul(keep);
        }

        @Override
        public ForwardTrace trace(NDArray images, TraceOptions options) {
            throw new UnsupportedOperationException("the fake model has no internals");
        }

        @Override
        public void close() {
            manager.close();
        }
    }
}
