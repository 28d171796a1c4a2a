package org.vitbench.models.masking;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * KernelSHAP as a constrained regression with the efficiency constraint imposed exactly (Covert
 * &amp; Lee 2021, "Improving KernelSHAP: Practical Shapley Value Estimation via Linear Regression",
 * AISTATS, arXiv 2012.01536; the estimator of iancovert/shapley-regression that ViT Shapley uses as
 * its baseline and ground truth).
 *
 * <p>Coalitions {@code S} are drawn from the Shapley kernel ({@link ShapleySampler}), optionally
 * each with its complement. With {@code A = E[1_S 1_S^T]} and {@code b = E[1_S (v(S) - v(empty))]}
 * estimated by sample means (or {@code A} known exactly, the unbiased variant), the values are the
 * solution of the Lagrangian of the weighted least-squares problem:
 * <pre>
 *   phi = A^-1 (b - 1 (1^T A^-1 b - (v(all) - v(empty))) / (1^T A^-1 1))
 * </pre>
 * so {@code sum_i phi_i = v(all) - v(empty)} holds for every output at every budget (to rounding).
 * A paired draw contributes {@code (1_S 1_S^T + 1_S' 1_S'^T) / 2} and the matching mean of
 * {@code b}. When the estimated {@code A} is singular (few samples), its pseudo-inverse is used; the
 * constraint still holds exactly.
 *
 * <p><b>Convergence.</b> As in shapley-regression: every {@code varianceBatches} iterations, the
 * samples of that block alone give an independent estimate; once {@code minVarianceSamples} such
 * estimates exist, {@code std = sqrt(var * varianceBatches / iterations)} with {@code var} their
 * variance (denominator n, numpy's default), and the run stops when
 * {@code max over outputs of max_i std_i / (max_i phi_i - min_i phi_i)} falls below the threshold.
 * The budget in game evaluations stops it otherwise. All outputs (classes) share the coalitions.
 *
 * <p>Stateless; {@link #estimate} is safe to call from several threads with separate generators.
 */
public final class ShapleyRegression {

    /** How {@code A} is obtained. */
    public enum Variant {
        /** The sample mean of {@code 1_S 1_S^T}: KernelSHAP (shapley-regression's {@code shapley.py}). */
        KERNEL,
        /** The exact {@code A} of the kernel distribution: unbiased KernelSHAP ({@code shapley_unbiased.py}). */
        UNBIASED
    }

    /**
     * The settings of one run.
     *
     * @param subsets coalitions drawn per iteration (shapley-regression's {@code batch_size});
     *     with paired sampling each costs two evaluations
     * @param paired whether each coalition is evaluated with its complement
     * @param threshold stop when the std ratio falls below it; 0 disables convergence detection
     * @param varianceBatches iterations per independent block estimate; 0 means shapley-regression's
     *     default {@code ceil(10 P / subsets)}
     * @param minVarianceSamples block estimates needed before convergence can be declared (5)
     * @param budget the most game evaluations, the two for {@code v(empty)} and {@code v(all)}
     *     included; must allow one iteration
     * @param variant estimated or exact {@code A}
     */
    public record Settings(int subsets, boolean paired, double threshold, int varianceBatches,
            int minVarianceSamples, long budget, Variant variant) {

        /** shapley-regression's defaults: 512 paired subsets per iteration, threshold 0.01, no budget. */
        public static final Settings DEFAULT = new Settings(512, true, 0.01, 0, 5, Long.MAX_VALUE, Variant.KERNEL);

        public Settings {
            Objects.requireNonNull(variant, "variant");
            if (subsets < 1) {
                throw new IllegalArgumentException("subsets per iteration must be at least 1, got " + subsets);
            }
            if (!(threshold >= 0) || Double.isInfinite(threshold)) {
                throw new IllegalArgumentException("threshold must be finite and at least 0, got " + threshold);
            }
            if (varianceBatches < 0 || minVarianceSamples < 2) {
                throw new IllegalArgumentException("varianceBatches must be at least 0 and minVarianceSamples at least 2, got "
                        + varianceBatches + " and " + minVarianceSamples);
            }
            if (budget < minimumBudget(subsets, paired)) {
                throw new IllegalArgumentException("a budget of " + budget + " evaluations does not allow one iteration of "
                        + subsets + (paired ? " paired" : "") + " subsets; it must be at least "
                        + minimumBudget(subsets, paired));
            }
        }

        /** Evaluations per iteration. */
        public int evaluationsPerIteration() {
            return paired ? 2 * subsets : subsets;
        }

        /** The smallest budget with one iteration: {@code 2 + evaluationsPerIteration()}. */
        public static long minimumBudget(int subsets, boolean paired) {
            return 2L + (paired ? 2L * subsets : subsets);
        }

        public Settings withBudget(long budget) {
            return new Settings(subsets, paired, threshold, varianceBatches, minVarianceSamples, budget, variant);
        }

        public Settings withThreshold(double threshold) {
            return new Settings(subsets, paired, threshold, varianceBatches, minVarianceSamples, budget, variant);
        }

        int varianceBatches(int players) {
            return varianceBatches > 0 ? varianceBatches : (int) Math.ceil(10.0 * players / subsets);
        }
    }

    /**
     * An estimate.
     *
     * @param values {@code [K][P]}; each row sums to {@code total[k]} up to rounding
     * @param std {@code [K][P]} standard errors, NaN until enough block estimates exist
     * @param total {@code [K]}: {@code v(all) - v(empty)}
     * @param evaluations game evaluations so far, including {@code v(empty)} and {@code v(all)}
     * @param iterations iterations so far
     * @param ratio the convergence ratio, NaN until {@code std} exists
     * @param converged whether the ratio fell below a positive threshold
     */
    public record Estimate(double[][] values, double[][] std, double[] total, long evaluations, int iterations,
            double ratio, boolean converged) {
    }

    /** Told the estimate after every iteration (for trajectories and progress). */
    @FunctionalInterface
    public interface Listener {
        void iteration(Estimate estimate);
    }

    /**
     * Coalitions drawn ahead and evaluated per game call, at least: whole iterations up to this many
     * evaluations (within the budget). Sampling does not depend on the values, so drawing ahead
     * changes nothing in the estimates; a run that converges mid-call has evaluated at most this
     * many coalitions it does not use.
     */
    static final int EVALUATIONS_PER_CALL = 1024;

    private ShapleyRegression() {
    }

    /** {@link #estimate(CoalitionGame, Settings, UniformRandomProvider, Listener)} without a listener. */
    public static Estimate estimate(CoalitionGame game, Settings settings, UniformRandomProvider random) {
        return estimate(game, settings, random, e -> { });
    }

    /**
     * Estimates the Shapley values of every output of the game.
     *
     * @param game at least 2 players
     * @param settings sampling, convergence and budget
     * @param random the only source of randomness
     * @param listener told the estimate after each iteration
     * @return the final estimate: converged, or the last one within the budget
     * @throws IllegalArgumentException when the game has fewer than 2 players
     * @throws IllegalStateException when the game returns rows of the wrong length or non-finite values
     */
    public static Estimate estimate(CoalitionGame game, Settings settings, UniformRandomProvider random,
            Listener listener) {
        int p = game.players();
        int k = game.outputs();
        ShapleySampler sampler = new ShapleySampler(p);
        boolean[][] ends = new boolean[2][p];
        Arrays.fill(ends[1], true);
        double[][] endValues = check(game.values(ends), 2, k);
        double[] empty = endValues[0];
        double[] total = new double[k];
        for (int c = 0; c < k; c++) {
            total[c] = endValues[1][c] - empty[c];
        }
        long evaluations = 2;
        Sums all = new Sums(p, k);
        Sums block = new Sums(p, k);
        double[][] exactA = settings.variant() == Variant.UNBIASED ? exactA(sampler) : null;
        int varianceBatches = settings.varianceBatches(p);
        List<double[][]> blockEstimates = new ArrayList<>();
        Estimate estimate = null;
        int iteration = 0;
        ArrayDeque<boolean[][]> pendingCoalitions = new ArrayDeque<>();
        ArrayDeque<double[][]> pendingValues = new ArrayDeque<>();
        while (true) {
            if (pendingCoalitions.isEmpty()) {
                long allowed = (settings.budget() - evaluations) / settings.evaluationsPerIteration();
                if (allowed == 0) {
                    break;
                }
                int ahead = (int) Math.min(allowed,
                        Math.max(1, (EVALUATIONS_PER_CALL + settings.evaluationsPerIteration() - 1)
                                / settings.evaluationsPerIteration()));
                drawAndEvaluate(game, sampler, settings, random, ahead, k, pendingCoalitions, pendingValues);
            }
            boolean[][] coalitions = pendingCoalitions.poll();
            double[][] values = pendingValues.poll();
            evaluations += coalitions.length;
            iteration++;
            int step = settings.paired() ? 2 : 1;
            for (int r = 0; r < coalitions.length; r += step) {
                double weight = 1.0 / step;
                for (int s = r; s < r + step; s++) {
                    all.add(coalitions[s], values[s], empty, weight);
                    block.add(coalitions[s], values[s], empty, weight);
                }
                all.rows++;
                block.rows++;
            }
            if (iteration % varianceBatches == 0) {
                blockEstimates.add(solve(block, exactA, total));
                block = new Sums(p, k);
            }
            double[][] phi = solve(all, exactA, total);
            double[][] std = new double[k][p];
            double ratio = Double.NaN;
            if (blockEstimates.size() >= settings.minVarianceSamples()) {
                ratio = 0;
                for (int c = 0; c < k; c++) {
                    double maxStd = 0;
                    double min = Double.POSITIVE_INFINITY;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int i = 0; i < p; i++) {
                        double variance = variance(blockEstimates, c, i);
                        std[c][i] = Math.sqrt(variance * varianceBatches / iteration);
                        maxStd = Math.max(maxStd, std[c][i]);
                        min = Math.min(min, phi[c][i]);
                        max = Math.max(max, phi[c][i]);
                    }
                    // A constant estimate with no spread has converged; spread over no range has not.
                    double classRatio = maxStd == 0 ? 0 : maxStd / (max - min);
                    ratio = Math.max(ratio, classRatio);
                }
            } else {
                for (double[] row : std) {
                    Arrays.fill(row, Double.NaN);
                }
            }
            boolean converged = settings.threshold() > 0 && ratio < settings.threshold();
            estimate = new Estimate(phi, std, total.clone(), evaluations, iteration, ratio, converged);
            listener.iteration(estimate);
            if (converged) {
                break;
            }
        }
        return estimate;
    }

    /**
     * Draws the coalitions of {@code iterations} iterations in order and evaluates them in one game
     * call, so that an evaluator that groups masks by kept count (token dropping) gets dense batches.
     */
    private static void drawAndEvaluate(CoalitionGame game, ShapleySampler sampler, Settings settings,
            UniformRandomProvider random, int iterations, int outputs, Queue<boolean[][]> coalitions,
            Queue<double[][]> values) {
        int per = settings.evaluationsPerIteration();
        boolean[][] all = new boolean[iterations * per][];
        for (int it = 0; it < iterations; it++) {
            boolean[][] drawn = settings.paired()
                    ? sampler.samplePaired(settings.subsets(), random)
                    : sample(sampler, settings.subsets(), random);
            System.arraycopy(drawn, 0, all, it * per, per);
        }
        double[][] evaluated = check(game.values(all), all.length, outputs);
        for (int it = 0; it < iterations; it++) {
            coalitions.add(Arrays.copyOfRange(all, it * per, (it + 1) * per));
            values.add(Arrays.copyOfRange(evaluated, it * per, (it + 1) * per));
        }
    }

    /** Running sums of {@code A} and {@code b} over sample rows (pairs count as one row). */
    private static final class Sums {
        final double[][] a;
        final double[][] b; // [P][K]
        long rows;

        Sums(int p, int k) {
            a = new double[p][p];
            b = new double[p][k];
        }

        void add(boolean[] s, double[] value, double[] empty, double weight) {
            int p = s.length;
            for (int i = 0; i < p; i++) {
                if (!s[i]) {
                    continue;
                }
                for (int j = 0; j < p; j++) {
                    if (s[j]) {
                        a[i][j] += weight;
                    }
                }
                double[] bi = b[i];
                for (int c = 0; c < bi.length; c++) {
                    bi[c] += weight * (value[c] - empty[c]);
                }
            }
        }
    }

    /** The constrained solution {@code [K][P]} from sums (A estimated) or with the exact A. */
    private static double[][] solve(Sums sums, double[][] exactA, double[] total) {
        int p = sums.a.length;
        int k = total.length;
        double n = sums.rows;
        double[][] a = new double[p][p];
        double[][] b = new double[p][k];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                a[i][j] = exactA != null ? exactA[i][j] : sums.a[i][j] / n;
            }
            for (int c = 0; c < k; c++) {
                b[i][c] = sums.b[i][c] / n;
            }
        }
        RealMatrix matrix = new Array2DRowRealMatrix(a, false);
        DecompositionSolver solver = new LUDecomposition(matrix).getSolver();
        if (!solver.isNonSingular()) {
            solver = new SingularValueDecomposition(matrix).getSolver(); // least squares: pseudo-inverse
        }
        double[] ones = new double[p];
        Arrays.fill(ones, 1);
        double[] aInvOnes = solver.solve(new Array2DRowRealMatrix(ones)).getColumn(0);
        RealMatrix aInvB = solver.solve(new Array2DRowRealMatrix(b, false)); // [P, K]
        double onesAInvOnes = 0;
        for (double v : aInvOnes) {
            onesAInvOnes += v;
        }
        double[][] phi = new double[k][p];
        for (int c = 0; c < k; c++) {
            double[] column = aInvB.getColumn(c);
            double sum = 0;
            for (double v : column) {
                sum += v;
            }
            double lagrange = (sum - total[c]) / onesAInvOnes;
            for (int i = 0; i < p; i++) {
                phi[c][i] = column[i] - aInvOnes[i] * lagrange;
            }
        }
        return phi;
    }

    /**
     * The exact {@code A} of the kernel distribution: {@code 1/2} on the diagonal (sizes are
     * symmetric about {@code P / 2}) and {@code P(i, j in S) = sum_k p(k) k (k - 1) / (P (P - 1))}
     * elsewhere. Paired draws have the same {@code A}, because {@code p(k) = p(P - k)}.
     */
    static double[][] exactA(ShapleySampler sampler) {
        int p = sampler.players();
        double both = 0;
        for (int size = 1; size < p; size++) {
            both += sampler.sizeProbability(size) * size * (size - 1.0) / (p * (p - 1.0));
        }
        double[][] a = new double[p][p];
        for (int i = 0; i < p; i++) {
            Arrays.fill(a[i], both);
            a[i][i] = 0.5;
        }
        return a;
    }

    private static boolean[][] sample(ShapleySampler sampler, int n, UniformRandomProvider random) {
        boolean[][] rows = new boolean[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = sampler.sample(random);
        }
        return rows;
    }

    private static double variance(List<double[][]> estimates, int c, int i) {
        double mean = 0;
        for (double[][] e : estimates) {
            mean += e[c][i];
        }
        mean /= estimates.size();
        double ss = 0;
        for (double[][] e : estimates) {
            double d = e[c][i] - mean;
            ss += d * d;
        }
        return ss / estimates.size();
    }

    private static double[][] check(double[][] values, int rows, int outputs) {
        if (values.length != rows) {
            throw new IllegalStateException("the game returned " + values.length + " values for " + rows + " coalitions");
        }
        for (int r = 0; r < rows; r++) {
            if (values[r].length != outputs) {
                throw new IllegalStateException("the game returned " + values[r].length + " outputs for coalition " + r
                        + ", expected " + outputs);
            }
            for (double v : values[r]) {
                if (!Double.isFinite(v)) {
                    throw new IllegalStateException("the game returned the non-finite value " + v + " for coalition " + r);
                }
            }
        }
        return values;
    }
}
