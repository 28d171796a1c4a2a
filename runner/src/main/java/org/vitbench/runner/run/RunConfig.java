package org.vitbench.runner.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Hashes;

/**
 * The resolved configuration of a run. The fields that decide results (model, dataset, limit,
 * methods, metrics, seed) form the canonical config and its hash; the batch size and the output
 * directory do not change any result (DESIGN decision 5) and are left out, so a run can resume
 * with another batch size.
 *
 * @param model the model provider and its parameters: the model that is explained, and whose
 *     prediction is each sample's target class
 * @param evaluationModel the model the metrics evaluate (ViT Shapley's protocol evaluates on the
 *     surrogate), or {@code null} for the explained model itself
 * @param dataset the dataset provider and its parameters
 * @param limit evaluate the first {@code limit} samples of the dataset; 0 means all
 * @param methods explanation methods, in report order
 * @param metrics metrics, in report order
 * @param seed the run seed
 * @param batchSize samples per batch
 * @param out the output directory
 */
public record RunConfig(PluginSpec model, PluginSpec evaluationModel, PluginSpec dataset, int limit, List<PluginSpec> methods,
        List<PluginSpec> metrics, long seed, int batchSize, Path out) {

    public static final PluginSpec DEFAULT_MODEL = PluginSpec.of("embedded");
    /**
     * The default run scores on the embedded model's ViT Shapley surrogate, as the ViT Shapley
     * protocol of insertion, deletion and faithfulness does; another model is its own evaluation
     * model unless one is named.
     */
    public static final PluginSpec DEFAULT_EVALUATION_MODEL = PluginSpec.of("embedded-surrogate");
    public static final PluginSpec DEFAULT_DATASET = PluginSpec.of("fashion-mnist-embedded");
    /** 100 images keep the default run of every method to a few minutes on 2 CPU cores. */
    public static final int DEFAULT_LIMIT = 100;
    public static final long DEFAULT_SEED = 0;
    public static final int DEFAULT_BATCH_SIZE = 16;
    public static final Path DEFAULT_OUT = Path.of("vitbench-out");

    private static final ObjectMapper JSON = new ObjectMapper();

    public RunConfig {
        methods = List.copyOf(methods);
        metrics = List.copyOf(metrics);
        if (limit < 0) {
            throw new ConfigurationException("invalid limit " + limit
                    + "; allowed: 0 (all samples) or a positive number of samples");
        }
        if (batchSize < 1) {
            throw new ConfigurationException("invalid batch size " + batchSize
                    + "; allowed: a positive number of samples");
        }
        if (methods.isEmpty()) {
            throw new ConfigurationException("no method given; add --method ID (see 'vitbench list')");
        }
        if (metrics.isEmpty()) {
            throw new ConfigurationException("no metric given; add --metric ID (see 'vitbench list')");
        }
    }

    /** The model the metrics evaluate: the evaluation model if one is named, else the explained model. */
    PluginSpec scoringModel() {
        return evaluationModel != null ? evaluationModel : model;
    }

    /** A copy with the given methods and metrics (used to record resolved parameters). */
    RunConfig withPlugins(List<PluginSpec> newMethods, List<PluginSpec> newMetrics) {
        return new RunConfig(model, evaluationModel, dataset, limit, newMethods, newMetrics, seed, batchSize, out);
    }

    /**
     * The config as YAML that {@code --config} reads back; strings are double-quoted (JSON
     * escapes are valid YAML), keys in a fixed order. This text is what {@link #hash()} digests.
     */
    public String canonicalYaml() {
        StringBuilder sb = new StringBuilder();
        sb.append("model: ").append(quote(model.format())).append('\n');
        if (evaluationModel != null) {
            sb.append("evaluation-model: ").append(quote(evaluationModel.format())).append('\n');
        }
        sb.append("dataset: ").append(quote(dataset.format())).append('\n');
        sb.append("limit: ").append(limit).append('\n');
        sb.append("methods:\n");
        methods.forEach(m -> sb.append("  - ").append(quote(m.format())).append('\n'));
        sb.append("metrics:\n");
        metrics.forEach(m -> sb.append("  - ").append(quote(m.format())).append('\n'));
        sb.append("seed: ").append(seed).append('\n');
        return sb.toString();
    }

    /**
     * The run that {@link #canonicalYaml()} describes, with the given batch size and output
     * directory: how a worker of a distributed run receives its config.
     */
    public static RunConfig fromCanonicalYaml(String yaml, int batchSize, Path out) {
        ConfigFile f = ConfigFile.parse(yaml, "of the run");
        return new RunConfig(f.model(), f.evaluationModel(), f.dataset(), f.limit(), f.methods(), f.metrics(), f.seed(),
                batchSize, out);
    }

    /** The first 16 hex digits of SHA-256 over {@link #canonicalYaml()}. */
    String hash() {
        return Hashes.shortHash(canonicalYaml());
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string always serialises", e);
        }
    }
}
