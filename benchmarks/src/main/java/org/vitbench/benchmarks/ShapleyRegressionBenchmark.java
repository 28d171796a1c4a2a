package org.vitbench.benchmarks;

import java.util.concurrent.TimeUnit;
import org.apache.commons.rng.simple.RandomSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.vitbench.models.masking.CoalitionGame;
import org.vitbench.models.masking.ShapleyRegression;
import org.vitbench.models.masking.ShapleyRegression.Estimate;
import org.vitbench.models.masking.ShapleyRegression.Settings;
import org.vitbench.models.masking.ShapleyRegression.Variant;

/**
 * KernelSHAP's own cost beyond the model: {@link ShapleyRegression#estimate} (sampling, the running
 * sums of {@code A} and {@code b}, the constrained solves, the variance blocks) on a game whose
 * evaluation costs almost nothing (an additive game with seeded random weights plus a pairwise
 * term, one output as {@code kernel-shap} explains one class). Divided by the time per image of
 * {@code MethodBenchmark -p 'method=kernel-shap:budget=4096;threshold=0'}, it is the share of a
 * KernelSHAP explanation that is not model evaluation. Milliseconds per estimate.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ShapleyRegressionBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 2, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
public class ShapleyRegressionBenchmark {

    /** Players: 49 (the embedded model's 7 x 7 patches) or 196 (a 14 x 14 ViT-B/16 grid). */
    @Param({"49", "196"})
    public int players;

    /** Game evaluations per estimate, the two end points included. */
    @Param({"4096"})
    public int budget;

    /** The stopping threshold; 0 spends the whole budget (kernel-shap's default is 0.2). */
    @Param({"0", "0.2"})
    public double threshold;

    private CoalitionGame game;
    private Settings settings;

    @Setup
    public void setUp() {
        double[] weights = RandomSource.XO_RO_SHI_RO_128_PP.create(Fixtures.SEED).doubles(players).toArray();
        game = new CoalitionGame() {
            @Override
            public int players() {
                return players;
            }

            @Override
            public int outputs() {
                return 1;
            }

            @Override
            public double[][] values(boolean[][] coalitions) {
                double[][] out = new double[coalitions.length][1];
                for (int r = 0; r < coalitions.length; r++) {
                    double sum = 0;
                    int size = 0;
                    for (int i = 0; i < players; i++) {
                        if (coalitions[r][i]) {
                            sum += weights[i];
                            size++;
                        }
                    }
                    // a non-additive part, so that the estimate has variance and convergence is tested
                    out[r][0] = sum + 0.01 * size * size;
                }
                return out;
            }
        };
        // kernel-shap's defaults: 32 paired subsets per iteration, ceil(10 P / 32) iterations per variance block
        settings = new Settings(32, true, threshold, 0, 5, budget, Variant.KERNEL);
    }

    @Benchmark
    public Estimate estimate() {
        return ShapleyRegression.estimate(game, settings, RandomSource.XO_RO_SHI_RO_128_PP.create(Fixtures.SEED));
    }
}
