package org.vitbench.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vitbench.api.Randomisable;
import org.vitbench.api.VitModel;

/**
 * The {@link Randomisable} capability of {@link VisionTransformer}: the cascade of randomised
 * copies of one model for one seed: copy {@code s}
 * has the parameters of stages {@code 0 .. s} re-initialised and every other parameter the
 * original's.
 *
 * <p>Stages from the top: {@code head} (the final LayerNorm or {@code fc_norm} and the classifier,
 * with DeiT's distillation head, which act together on the pooled token), then {@code block-(L-1)} down to {@code block-0} (all parameters of one
 * block), then optionally {@code embedding} (patch projection, position embedding, class, distillation and register tokens).
 * Parameters are assigned to stages by their timm key, so the stages cover every key exactly once.
 *
 * <p>New values come from one call of {@link Initialization#initialise} (timm's initial weights:
 * truncated normal weights, zero biases, LayerNorm weight 1 and bias 0), so a randomised layer is a
 * freshly initialised layer, and the LayerNorm NaNs that uniform random gains can cause do not
 * arise. A layer keeps the same new values in every later stage, as cascading randomisation needs.
 *
 * <p>Memory: the copies do not copy the original's arrays; they share them and add only the
 * re-initialised ones, which live once in a sub-manager of the original's manager (one extra model
 * of memory for the whole cascade). Every array of the cascade therefore dies with the original at
 * the latest; {@link #close} frees them earlier. Not thread-safe to close while a copy is in use.
 */
public final class RandomisedCascade implements Randomisable.Cascade {

    /** The id of the top stage. */
    public static final String HEAD = "head";

    /** The id of the bottom stage, when the embedding is randomised too. */
    public static final String EMBEDDING = "embedding";

    private final NDManager drawn;
    private final List<String> names;
    private final List<VisionTransformer> models;

    private RandomisedCascade(NDManager drawn, List<String> names, List<VisionTransformer> models) {
        this.drawn = drawn;
        this.names = List.copyOf(names);
        this.models = List.copyOf(models);
    }

    /** Stage ids from the top: {@code head}, {@code block-(depth-1)} .. {@code block-0}, [{@code embedding}]. */
    public static List<String> stageNames(int depth, boolean embedding) {
        List<String> names = new ArrayList<>();
        names.add(HEAD);
        for (int l = depth - 1; l >= 0; l--) {
            names.add(block(l));
        }
        if (embedding) {
            names.add(EMBEDDING);
        }
        return names;
    }

    /** The stage a timm key belongs to. */
    public static String stageOf(String key) {
        if (key.startsWith("blocks.")) {
            int dot = key.indexOf('.', "blocks.".length());
            return block(Integer.parseInt(key.substring("blocks.".length(), dot)));
        }
        if (key.startsWith("head.") || key.startsWith("head_dist.") || key.startsWith("norm.")
                || key.startsWith("fc_norm.")) {
            return HEAD; // the classifier(s) and the LayerNorm that feeds them, also with average pooling
        }
        return EMBEDDING;
    }

    private static String block(int l) {
        return "block-" + l;
    }

    /**
     * Builds the cascade; the caller owns it.
     *
     * @param original the trained model; it must stay open while the cascade is used
     * @param seed the seed of the new values
     * @param embedding whether the last stage re-initialises the embedding
     */
    static RandomisedCascade build(VisionTransformer original, long seed, boolean embedding) {
        ModelConfig config = original.config();
        VitConfig arch = config.architecture();
        List<String> names = stageNames(arch.depth(), embedding);
        NDManager drawn = original.manager().newSubManager();
        List<VisionTransformer> models = new ArrayList<>();
        try {
            Map<String, NDArray> fresh = Initialization.initialise(arch, drawn, seed);
            Set<String> used = new HashSet<>();
            Map<String, NDArray> weights = new LinkedHashMap<>(original.weights());
            Set<String> keys = ParameterKeys.of(arch).keySet();
            for (String stage : names) {
                for (String key : keys) {
                    if (stageOf(key).equals(stage)) {
                        weights.put(key, fresh.get(key));
                        used.add(key);
                    }
                }
                NDManager own = original.manager().newSubManager(); // only the copy's normalisation constants
                try {
                    models.add(new VisionTransformer(renamed(config, stage, seed), own, weights));
                } catch (RuntimeException e) {
                    own.close();
                    throw e;
                }
            }
            fresh.forEach((key, array) -> {
                if (!used.contains(key)) {
                    array.close(); // the embedding's new values when it stays trained
                }
            });
            return new RandomisedCascade(drawn, names, models);
        } catch (RuntimeException e) {
            models.forEach(VisionTransformer::close);
            drawn.close();
            throw e;
        }
    }

    private static ModelConfig renamed(ModelConfig config, String stage, long seed) {
        Map<String, Object> provenance = new LinkedHashMap<>(config.provenance());
        provenance.put("randomised", "cascading from the head down to " + stage + ", seed " + seed);
        return new ModelConfig(config.name() + " randomised down to " + stage, config.architecture(), config.mean(),
                config.std(), config.interpolation(), config.classNames(), provenance, config.cropPct(),
                config.resize());
    }

    @Override
    public boolean isOpen() {
        return drawn.isOpen();
    }

    @Override
    public List<String> stages() {
        return names;
    }

    @Override
    public VitModel model(int s) {
        return models.get(s);
    }

    @Override
    public void close() {
        models.forEach(VisionTransformer::close);
        drawn.close();
    }
}
