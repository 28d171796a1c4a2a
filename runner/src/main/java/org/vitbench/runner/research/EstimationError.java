package org.vitbench.runner.research;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.rng.simple.RandomSource;
import org.vitbench.api.Batches;
import org.vitbench.api.Context;
import org.vitbench.api.Explainer;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Removal;
import org.vitbench.api.Sample;
import org.vitbench.api.Seeds;
import org.vitbench.api.VitModel;
import org.vitbench.metrics.statistics.Correlation;
import org.vitbench.models.masking.CoalitionGame;
import org.vitbench.models.masking.MaskedEvaluator;
import org.vitbench.models.masking.MaskedEvaluator.Output;
import org.vitbench.models.masking.ShapleyRegression;
import org.vitbench.models.masking.ShapleyRegression.Estimate;
import org.vitbench.models.masking.ShapleyRegression.Settings;

/**
 * How far Shapley estimates are from ground truth on one image, as ViT Shapley measures it (Covert,
 * Kim, Lee 2023, section 5 "estimation error"): the ground truth is KernelSHAP run long (to its
 * budget or convergence), the KernelSHAP trajectory is checkpointed at the given budgets, and other
 * methods' maps are compared with the same truth. Per estimate: the L2 distance to the truth for the
 * target class and its mean over the other classes, and the Pearson and Spearman correlations of
 * the target class's maps.
 *
 * <p>The game is the model's softmax output with patches removed ({@code removal}). The truth uses
 * its own generator ({@code Seeds.of(seed, sampleId, "kernel-shap/truth")}); the trajectory uses the
 * {@code kernel-shap} method's seed, so its value at budget {@code b} is exactly the map of
 * {@code kernel-shap:budget=b} with the same subsets per iteration and no convergence stop.
 */
public final class EstimationError {

    /** KernelSHAP settings of the ground truth and of the trajectory. */
    public record Plan(Removal removal, Settings truth, Settings trajectory, List<Integer> budgets, int batchSize) {
    }

    /**
     * The ground truth of one sample: {@code values [K][P]}, and its own uncertainty: the
     * convergence ratio and {@code l2Std = sqrt(sum_i std_i^2)} of the target class, the expected L2
     * error of the truth itself (NaN when the run was too short for block estimates).
     */
    public record Truth(int target, double[][] values, long evaluations, double ratio, double l2Std) {
    }

    /**
     * One estimate compared with the truth: L2 distances, and Pearson and Spearman correlations
     * for the target class and averaged over the other classes, and the seconds the estimate took
     * (for the KernelSHAP trajectory, the time until that budget was reached).
     */
    public record Row(String estimator, long evaluations, double l2Target, double l2NonTarget, double pearson,
            double spearman, double pearsonNonTarget, double spearmanNonTarget, double seconds) {
    }

    private EstimationError() {
    }

    public static Truth truth(VitModel model, NDArray image, String sampleId, int target, long seed, Plan plan) {
        CoalitionGame game = game(model, image, plan);
        Estimate e = ShapleyRegression.estimate(game, plan.truth(),
                RandomSource.XO_RO_SHI_RO_128_PP.create(Seeds.of(seed, sampleId, "kernel-shap/truth")));
        double variance = 0;
        for (double s : e.std()[target]) {
            variance += s * s;
        }
        return new Truth(target, e.values(), e.evaluations(), e.ratio(), Math.sqrt(variance));
    }

    /** The KernelSHAP trajectory at each budget, compared with the truth. */
    public static List<Row> trajectory(VitModel model, NDArray image, String sampleId, long seed, Plan plan, Truth truth) {
        CoalitionGame game = game(model, image, plan);
        long longest = plan.budgets().get(plan.budgets().size() - 1);
        Map<Integer, Estimate> atBudget = new LinkedHashMap<>();
        long start = System.nanoTime();
        ShapleyRegression.estimate(game, plan.trajectory().withBudget(longest),
                RandomSource.XO_RO_SHI_RO_128_PP.create(Seeds.of(seed, sampleId, "kernel-shap")), e -> {
                    for (int budget : plan.budgets()) {
                        // the last estimate within each budget: a run with that budget stops here
                        if (e.evaluations() <= budget && e.evaluations() + plan.trajectory().evaluationsPerIteration() > budget) {
                            atBudget.put(budget, e);
                        }
                    }
                });
        // Time pro rata of evaluations: the estimator evaluates coalitions ahead in blocks of at least
        // 1,024, so a clock read per iteration would give small budgets the time of the first block.
        // Sizes are drawn i.i.d., so the cost per evaluation is the same at every budget on average.
        double secondsPerEvaluation = (System.nanoTime() - start) / 1e9 / Math.max(1, lastEvaluations(atBudget));
        List<Row> rows = new ArrayList<>();
        for (int budget : plan.budgets()) {
            Estimate e = atBudget.get(budget);
            if (e != null) {
                rows.add(compare("kernel-shap@" + budget, e.evaluations(), e.values(), truth,
                        secondsPerEvaluation * e.evaluations()));
            }
        }
        return rows;
    }

    private static long lastEvaluations(Map<Integer, Estimate> atBudget) {
        return atBudget.values().stream().mapToLong(Estimate::evaluations).max().orElse(1);
    }

    /** A method's per-class maps (or its target map) compared with the truth. */
    public static Row method(String label, Explainer explainer, VitModel model, NDManager manager, Sample sample, long seed,
            Truth truth) {
        Heatmaps maps;
        long start = System.nanoTime();
        try (NDManager scope = manager.newSubManager()) {
            maps = explainer.explain(new Context(model, seed, scope), List.of(sample), new int[] {truth.target()});
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int k = truth.values().length;
        double[][] values = new double[k][];
        for (int c = 0; c < k; c++) {
            float[] map = maps.perClass() != null ? maps.perClass()[0][c] : c == truth.target() ? maps.target()[0] : null;
            values[c] = map == null ? null : toDouble(map);
        }
        return compare(label, -1, values, truth, seconds);
    }

    /** Compares {@code [K][P]} estimates (rows may be null when a method explains the target only). */
    static Row compare(String label, long evaluations, double[][] values, Truth truth, double seconds) {
        int t = truth.target();
        double l2Target = l2(values[t], truth.values()[t]);
        double other = 0;
        double pearsonOther = 0;
        double spearmanOther = 0;
        int n = 0;
        int nPearson = 0;
        int nSpearman = 0;
        for (int c = 0; c < values.length; c++) {
            if (c != t && values[c] != null) {
                other += l2(values[c], truth.values()[c]);
                n++;
                double r = Correlation.pearson(values[c], truth.values()[c]);
                double rho = Correlation.spearman(values[c], truth.values()[c]);
                if (Double.isFinite(r)) {
                    pearsonOther += r;
                    nPearson++;
                }
                if (Double.isFinite(rho)) {
                    spearmanOther += rho;
                    nSpearman++;
                }
            }
        }
        return new Row(label, evaluations, l2Target, n == 0 ? Double.NaN : other / n,
                Correlation.pearson(values[t], truth.values()[t]),
                Correlation.spearman(values[t], truth.values()[t]),
                nPearson == 0 ? Double.NaN : pearsonOther / nPearson,
                nSpearman == 0 ? Double.NaN : spearmanOther / nSpearman, seconds);
    }

    private static CoalitionGame game(VitModel model, NDArray image, Plan plan) {
        MaskedEvaluator evaluator = new MaskedEvaluator(plan.removal(), plan.batchSize());
        return evaluator.game(model, image, Output.PROBABILITIES, 0, (d, t) -> { });
    }

    static double l2(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    static double[] toDouble(float[] map) {
        double[] out = new double[map.length];
        for (int i = 0; i < map.length; i++) {
            out[i] = map[i];
        }
        return out;
    }

    /** The image of one sample, {@code [1, C, S, S]} on {@code manager}. */
    public static NDArray image(NDManager manager, Sample sample, VitModel model) {
        return Batches.images(manager, List.of(sample), model.info());
    }
}
