package org.vitbench.runner.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitbench.api.Batches;
import org.vitbench.api.Context;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Image;
import org.vitbench.api.Metric;
import org.vitbench.api.MetricResult;
import org.vitbench.api.ResultRecord;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;
import org.vitbench.runner.store.ResultStore;

/**
 * The work of one batch: predict targets, then per method take the heatmaps of the samples that
 * still have pending units from the {@link HeatmapCache} or explain those it lacks, and score them
 * with each metric. Runs inside its own {@link NDManager} scope, so no
 * native memory outlives the batch; only records leave it.
 *
 * <p>Plug-ins are called through {@link PluginCalls}: whatever one throws, or a hang, becomes
 * failed cells of its own. Each call gets copies of the samples and heatmaps, so a plug-in that
 * writes into its inputs cannot change what later plug-ins see, and its own {@link NDManager},
 * closed by the call's thread when the call ends.
 */
final class BatchRun {

    private static final Logger LOG = LoggerFactory.getLogger(BatchRun.class);

    private final VitModel model;
    private final VitModel evaluationModel;
    private final long seed;
    private final String configHash;
    private final List<Unit.Pair> pairs;
    private final ResultStore store;
    private final ConsoleProgress.Lane progress;
    private final GalleryCollector gallery;
    private final HeatmapCache heatmapCache;
    private final PluginCalls calls;

    /** Activation bytes of one forward pass (see {@link MemoryBudget}). */
    private final long memoryBudget;

    BatchRun(VitModel model, VitModel evaluationModel, long seed, String configHash, List<Unit.Pair> pairs, ResultStore store,
            ConsoleProgress.Lane progress, GalleryCollector gallery, HeatmapCache heatmapCache, long memoryBudget,
            PluginCalls calls) {
        this.memoryBudget = memoryBudget;
        this.calls = calls;
        this.model = model;
        this.evaluationModel = evaluationModel;
        this.seed = seed;
        this.configHash = configHash;
        this.pairs = pairs;
        this.store = store;
        this.progress = progress;
        this.gallery = gallery;
        this.heatmapCache = heatmapCache;
    }

    /** The records of the batch's pending units; empty when all are stored. */
    List<ResultRecord> run(List<Sample> batch) {
        Map<Unit.Method, List<Unit.Pair>> byMethod = new LinkedHashMap<>();
        boolean pending = false;
        for (Unit.Pair p : pairs) {
            byMethod.computeIfAbsent(p.method(), k -> new ArrayList<>()).add(p);
            for (Sample s : batch) {
                pending |= !store.contains(p.key(s.id()));
            }
        }
        List<ResultRecord> records = new ArrayList<>();
        if (!pending) {
            return records;
        }
        try (NDManager manager = model.manager().newSubManager()) {
            int[] targets = predictions(manager, batch);
            Context context = new Context(model, seed, manager, progress).withMemoryBudget(memoryBudget);
            for (Map.Entry<Unit.Method, List<Unit.Pair>> e : byMethod.entrySet()) {
                explainAndScore(context, e.getKey(), e.getValue(), batch, targets, records);
            }
        } catch (PluginCalls.HeapExhausted e) {
            // the run ends; the units this batch finished are kept for the rerun
            store.append(records);
            throw e;
        }
        return records;
    }

    private void explainAndScore(Context context, Unit.Method method, List<Unit.Pair> methodPairs,
            List<Sample> batch, int[] targets, List<ResultRecord> records) {
        List<Integer> todo = new ArrayList<>();
        for (int b = 0; b < batch.size(); b++) {
            for (Unit.Pair p : methodPairs) {
                if (!store.contains(p.key(batch.get(b).id()))) {
                    todo.add(b);
                    break;
                }
            }
        }
        if (todo.isEmpty()) {
            return;
        }
        List<Sample> samples = todo.stream().map(batch::get).toList();
        int[] sampleTargets = todo.stream().mapToInt(b -> targets[b]).toArray();
        progress.begin(explainTask(method), method.spec().methodId() + " explaining");
        Explained x = explain(context, method, samples, sampleTargets);
        progress.end(samples.size(), 0);
        for (int i = 0; i < samples.size(); i++) {
            if (x.reasons()[i] == null && gallery != null) {
                gallery.offer(method, samples.get(i), x.maps()[i], model.info().grid());
            }
        }
        for (Unit.Pair pair : methodPairs) {
            int before = records.size();
            List<Integer> scored = new ArrayList<>();
            for (int i = 0; i < samples.size(); i++) {
                Sample s = samples.get(i);
                if (store.contains(pair.key(s.id()))) {
                    continue;
                }
                if (x.reasons()[i] != null) {
                    records.add(failed(s, sampleTargets[i], pair, x.reasons()[i], x.seconds()[i], 0));
                } else {
                    scored.add(i);
                }
            }
            if (scored.isEmpty()) {
                progress.advance(records.size() - before);
            } else {
                progress.begin(scoreTask(pair), pair.metric().info().id() + " scoring " + pair.method().spec().methodId());
                score(context, pair, samples, sampleTargets, x, scored, records);
                progress.end(scored.size(), records.size() - before);
            }
        }
    }

    /** The progress task of a method's explanations (see {@link ConsoleProgress#plan}). */
    static String explainTask(Unit.Method method) {
        return "explain " + method.spec().canonical();
    }

    /** The progress task of a method x metric's scoring. */
    static String scoreTask(Unit.Pair pair) {
        return "score " + pair.metric().spec().hash() + " " + pair.method().spec().canonical();
    }

    /**
     * The heatmaps of one method for the samples, per sample: from the cache where it has them,
     * the rest explained in one call and stored. Should cached and fresh heatmaps disagree on
     * whether every class is explained (the method changed without its spec), all are explained
     * again, so that metrics see one kind.
     */
    private Explained explain(Context context, Unit.Method method, List<Sample> samples, int[] targets) {
        int n = samples.size();
        Explained x = new Explained(n);
        HeatmapCache.Entry[] hits = heatmapCache == null ? new HeatmapCache.Entry[n]
                : heatmapCache.load(method, samples, targets, model.info().grid());
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (hits[i] == null) {
                missing.add(i);
            } else {
                x.maps()[i] = hits[i].map();
                x.perClass()[i] = hits[i].perClass();
                // cached heatmaps keep the time their computation took, so runtime figures stay the method's
                x.seconds()[i] = hits[i].seconds();
            }
        }
        if (!missing.isEmpty()) {
            compute(context, method, samples, targets, missing, x);
        }
        if (missing.size() < n && x.mixesPerClass()) {
            LOG.warn("{}: cached heatmaps and new ones differ in explaining every class; explaining all {} samples "
                    + "of the batch again", method.spec(), n);
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                all.add(i);
            }
            compute(context, method, samples, targets, all, x);
        }
        return x;
    }

    /** Explains the samples at {@code indices} in one call, fills them into {@code x} and caches them. */
    private void compute(Context context, Unit.Method method, List<Sample> samples, int[] targets, List<Integer> indices,
            Explained x) {
        List<Sample> sub = indices.stream().map(samples::get).toList();
        int[] subTargets = indices.stream().mapToInt(i -> targets[i]).toArray();
        long t0 = System.nanoTime();
        PluginCalls.Outcome<Heatmaps> outcome = calls.call(method.spec() + " explaining " + sub.size() + " samples",
                sub.size(), () -> {
                    try (NDManager own = model.manager().newSubManager()) {
                        Context c = new Context(model, context.seed(), own, context.progress())
                                .withMemoryBudget(memoryBudget).withEvaluationModel(evaluationModel);
                        return method.explainer().explain(c, copies(sub), subTargets.clone());
                    }
                });
        double seconds = (System.nanoTime() - t0) / 1e9 / sub.size();
        Heatmaps heatmaps = outcome.value();
        String failure = outcome.failure();
        if (failure == null) {
            failure = heatmaps == null ? "method returned no heatmaps"
                    : heatmaps.batchSize() != sub.size() || heatmaps.grid() != model.info().grid()
                    ? "method returned " + heatmaps.batchSize() + " heatmaps on a " + heatmaps.grid() + "x"
                            + heatmaps.grid() + " grid for " + sub.size() + " samples on the model's "
                            + model.info().grid() + "x" + model.info().grid() + " grid"
                    : null;
        }
        if (failure != null) {
            LOG.warn("{} failed on a batch of {} samples: {}", method.spec(), sub.size(), failure);
        }
        if (failure == null && heatmapCache != null) {
            heatmapCache.store(method, sub, subTargets, heatmaps, seconds);
        }
        for (int k = 0; k < indices.size(); k++) {
            int i = indices.get(k);
            x.seconds()[i] = seconds;
            x.maps()[i] = failure == null ? heatmaps.target()[k] : null;
            x.perClass()[i] = failure == null && heatmaps.perClass() != null ? heatmaps.perClass()[k] : null;
            x.reasons()[i] = failure != null ? failure : nonFinite(x.maps()[i]);
        }
    }

    /**
     * One method's heatmaps of the pending samples, by sample.
     *
     * @param maps target-class maps, null where the sample failed
     * @param perClass maps of every class, null where the method explains the target only or failed
     * @param seconds explain time per sample
     * @param reasons why the sample failed, null where it did not
     */
    private record Explained(float[][] maps, float[][][] perClass, double[] seconds, String[] reasons) {

        Explained(int n) {
            this(new float[n][], new float[n][][], new double[n], new String[n]);
        }

        /** Whether some usable samples have every class's maps and others the target's only. */
        boolean mixesPerClass() {
            boolean with = false;
            boolean without = false;
            for (int i = 0; i < maps.length; i++) {
                if (reasons[i] == null) {
                    with |= perClass[i] != null;
                    without |= perClass[i] == null;
                }
            }
            return with && without;
        }
    }

    private void score(Context context, Unit.Pair pair, List<Sample> samples, int[] targets, Explained x,
            List<Integer> scored, List<ResultRecord> records) {
        Metric metric = pair.metric();
        List<Sample> sub = scored.stream().map(samples::get).toList();
        int[] subTargets = scored.stream().mapToInt(i -> targets[i]).toArray();
        float[][] maps = scored.stream().map(i -> x.maps()[i]).toArray(float[][]::new);
        float[][][] perClass = x.perClass()[scored.get(0)] == null ? null
                : scored.stream().map(i -> x.perClass()[i]).toArray(float[][][]::new);
        long t0 = System.nanoTime();
        PluginCalls.Outcome<MetricResult> outcome = calls.call(metric.info().id() + " scoring " + pair.method().spec()
                + " on " + sub.size() + " samples", sub.size(), () -> {
                    try (NDManager own = evaluationModel.manager().newSubManager()) {
                        Context scoring = new Context(evaluationModel, context.seed(), own, context.progress())
                                .withExplained(pair.method().explainer(), model).withMemoryBudget(memoryBudget);
                        return metric.evaluate(scoring, copies(sub), subTargets.clone(),
                                new Heatmaps(model.info().grid(), copy(maps), perClass == null ? null : copy(perClass)));
                    }
                });
        double metricSeconds = (System.nanoTime() - t0) / 1e9 / sub.size();
        MetricResult result = outcome.value();
        String failure = outcome.failure() != null ? outcome.failure() : malformed(result, sub.size());
        if (failure != null) {
            LOG.warn("{} failed on {} x {} samples: {}", metric.info().id(), pair.method().spec(), sub.size(),
                    failure);
        }
        for (int j = 0; j < sub.size(); j++) {
            Sample s = sub.get(j);
            double explainSeconds = x.seconds()[scored.get(j)];
            if (failure != null) {
                records.add(failed(s, subTargets[j], pair, failure, explainSeconds, metricSeconds));
                continue;
            }
            double score = result.scores()[j];
            if (!Double.isFinite(score)) {
                records.add(failed(s, subTargets[j], pair, "metric returned a non-finite score (" + score + ")",
                        explainSeconds, metricSeconds));
                continue;
            }
            double[] curve = result.curves() == null ? null : result.curves()[j];
            records.add(ResultRecord.ok(configHash, s.id(), s.label(), subTargets[j], pair.method().spec(),
                    metric.spec(), score, curve, curve == null ? null : result.curveX(), explainSeconds, metricSeconds));
        }
    }

    private ResultRecord failed(Sample s, int target, Unit.Pair pair, String reason, double explainSeconds,
            double metricSeconds) {
        return ResultRecord.failed(configHash, s.id(), s.label(), target, pair.method().spec(), pair.metric().spec(),
                reason, explainSeconds, metricSeconds);
    }

    /** Why a metric's result cannot be stored, or null when it can. */
    static String malformed(MetricResult result, int samples) {
        if (result == null || result.scores() == null) {
            return "metric returned no result";
        }
        if (result.scores().length != samples) {
            return "metric returned " + result.scores().length + " scores for " + samples + " samples";
        }
        if (result.curves() != null) {
            if (result.curves().length != samples) {
                return "metric returned " + result.curves().length + " curves for " + samples + " samples";
            }
            int points = result.curveX() == null ? -1 : result.curveX().length;
            for (int j = 0; j < samples; j++) {
                double[] curve = result.curves()[j];
                if (curve != null && curve.length != points) {
                    return "metric returned a curve of " + curve.length + " points for an x-axis of "
                            + Math.max(points, 0) + " points";
                }
            }
        }
        return null;
    }

    /** Copies of the samples, images and masks included, for one plug-in call. */
    private static List<Sample> copies(List<Sample> samples) {
        List<Sample> out = new ArrayList<>(samples.size());
        for (Sample s : samples) {
            Image im = s.image();
            out.add(new Sample(s.id(), s.label(), new Image(im.channels(), im.height(), im.width(), im.pixels().clone()),
                    s.mask() == null ? null : s.mask().clone()));
        }
        return out;
    }

    private static float[][] copy(float[][] maps) {
        float[][] out = new float[maps.length][];
        for (int i = 0; i < maps.length; i++) {
            out[i] = maps[i] == null ? null : maps[i].clone();
        }
        return out;
    }

    private static float[][][] copy(float[][][] maps) {
        float[][][] out = new float[maps.length][][];
        for (int i = 0; i < maps.length; i++) {
            out[i] = maps[i] == null ? null : copy(maps[i]);
        }
        return out;
    }

    /** The model's predicted class per sample: the argmax of its logits. */
    private int[] predictions(NDManager manager, List<Sample> batch) {
        NDArray images = Batches.images(manager, batch, model.info());
        float[][] logits = Batches.rows(model.logits(images));
        int[] targets = new int[logits.length];
        for (int b = 0; b < logits.length; b++) {
            int best = 0;
            for (int k = 1; k < logits[b].length; k++) {
                if (logits[b][k] > logits[b][best]) {
                    best = k;
                }
            }
            targets[b] = best;
        }
        return targets;
    }

    /** {@code null} when every value is finite, else the first offending patch. */
    static String nonFinite(float[] map) {
        for (int i = 0; i < map.length; i++) {
            if (!Float.isFinite(map[i])) {
                return "non-finite heatmap: patch " + i + " = " + map[i];
            }
        }
        return null;
    }

    /** The exception's class and message, the way a failed cell shows it. */
    static String describe(Throwable ex) {
        String message = ex.getMessage();
        return ex.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
