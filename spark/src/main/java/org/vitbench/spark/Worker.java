package org.vitbench.spark;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitbench.api.Dataset;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Registry;
import org.vitbench.api.VitModel;
import org.vitbench.runner.run.PluginSpec;
import org.vitbench.runner.run.RunResources;

/**
 * What an executor JVM keeps across tasks: the plug-in registry, and each model and dataset,
 * loaded by the first task that needs it and reused by every later one (models are safe for
 * concurrent inference, so tasks running at once share them). Nothing is released before the
 * executor exits.
 */
final class Worker implements RunResources {

    static final Worker INSTANCE = new Worker();

    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    private static final String DEVICE = "device";

    private Registry registry;
    private final Map<String, VitModel> models = new HashMap<>();
    private final Map<String, Dataset> datasets = new HashMap<>();
    private int loads;

    private Worker() {
    }

    /**
     * Settings the engine reads when it starts, unless the JVM was given them: DJL offline and
     * without usage tracking, and as many operator threads as the task has cores
     * ({@code spark.task.cpus}), so the tasks an executor runs at once share its cores. The
     * driver of a {@code local[N]} run has set them already (its cores over N).
     */
    static void configure(TaskContext task) {
        setIfMissing("ai.djl.offline", "true");
        setIfMissing("OPT_OUT_TRACKING", "true");
        setIfMissing("ai.djl.pytorch.num_threads", Integer.toString(Math.max(1, task == null ? 1 : task.cpus())));
        setIfMissing("ai.djl.pytorch.num_interop_threads", "1");
    }

    private static void setIfMissing(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    synchronized Registry registry() {
        if (registry == null) {
            registry = Registry.load();
        }
        return registry;
    }

    @Override
    public synchronized VitModel model(PluginSpec spec, Registry plugins) {
        PluginSpec placed = onTaskGpu(spec, TaskContext.get());
        return models.computeIfAbsent(placed.format(), key -> {
            long start = System.nanoTime();
            VitModel m = placed.loadModel(plugins);
            loads++;
            LOG.info("executor: loaded model {} in {} ms; later tasks in this JVM reuse it", key,
                    (System.nanoTime() - start) / 1_000_000);
            return m;
        });
    }

    @Override
    public synchronized Dataset dataset(PluginSpec spec, Registry plugins, ModelInfo model) {
        return datasets.computeIfAbsent(spec.format() + " for " + model.name() + " at " + model.imageSize() + " px",
                key -> spec.openDataset(plugins, model));
    }

    @Override
    public void release(VitModel model) {
        // kept for the executor's later tasks
    }

    /**
     * A model configured for {@code device=gpu} runs on the GPU Spark assigned to the task
     * ({@code spark.task.resource.gpu.amount=1}), so each task of a GPU executor has its own; the
     * config, and so its hash, keep saying {@code gpu}.
     */
    static PluginSpec onTaskGpu(PluginSpec spec, TaskContext task) {
        if (task == null || !"gpu".equals(spec.parameters().get(DEVICE))) {
            return spec;
        }
        ResourceInformation gpus = task.resourcesJMap().get("gpu");
        if (gpus == null || gpus.addresses().length == 0) {
            return spec;
        }
        Map<String, String> p = new TreeMap<>(spec.parameters());
        p.put(DEVICE, "gpu:" + gpus.addresses()[0]);
        return PluginSpec.of(spec.id(), p);
    }

    /** The models this JVM holds, for tests. */
    synchronized List<String> loadedModels() {
        return List.copyOf(models.keySet());
    }

    /** How many times this JVM loaded a model, for tests. */
    synchronized int loads() {
        return loads;
    }
}
