package org.vitbench.methods.baseline;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.vitbench.api.Context;
import org.vitbench.api.Explainer;
import org.vitbench.api.ExplainerInfo;
import org.vitbench.api.Family;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.MethodDeclaration;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;
import org.vitbench.api.Seeds;

/**
 * Random maps: every patch gets an independent uniform value in [0, 1). The floor that every
 * method should beat on every metric.
 *
 * <p>Each sample's generator is seeded by {@code Seeds.of(runSeed, sampleId, "random")}, so a
 * sample's map depends on neither its batch, nor its position in it, nor the target class (the same
 * map explains every class). The generator is {@link RandomSource#XO_RO_SHI_RO_128_PP}. No model
 * call and no native memory are involved. Takes no parameters. Immutable and thread-safe.
 */
public final class RandomBaseline implements Explainer {

    /** The stable id. */
    public static final String ID = "random";

    private static final ExplainerInfo INFO = new ExplainerInfo(ID, "Random", Family.BASELINE, Set.of(), false,
            "baseline");

    /** The registration: no parameters. */
    public static final MethodDeclaration DECLARATION = MethodDeclaration.of(INFO, List.of(),
            arguments -> new RandomBaseline());

    @Override
    public ExplainerInfo info() {
        return INFO;
    }

    @Override
    public Parameters parameters() {
        return Parameters.of(ID, Map.of());
    }

    @Override
    public Heatmaps explain(Context context, List<Sample> batch, int[] targets) {
        if (targets.length != batch.size()) {
            throw new IllegalArgumentException(targets.length + " targets for " + batch.size() + " samples");
        }
        int grid = context.model().info().grid();
        float[][] maps = new float[batch.size()][];
        for (int b = 0; b < maps.length; b++) {
            maps[b] = map(context.seed(), batch.get(b).id(), grid * grid);
        }
        return Heatmaps.of(grid, maps);
    }

    /** The map of one sample: {@code patches} uniform values in [0, 1). */
    static float[] map(long runSeed, String sampleId, int patches) {
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(Seeds.of(runSeed, sampleId, ID));
        float[] map = new float[patches];
        for (int i = 0; i < patches; i++) {
            map[i] = rng.nextFloat();
        }
        return map;
    }

    @Override
    public String toString() {
        return ID;
    }
}
