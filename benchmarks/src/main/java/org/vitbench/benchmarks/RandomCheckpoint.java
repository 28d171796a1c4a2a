package org.vitbench.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vitbench.models.Checkpoints;
import org.vitbench.models.Initialization;
import org.vitbench.models.ModelConfig;
import org.vitbench.models.checkpoint.Safetensors;
import org.vitbench.models.checkpoint.Tensor;

/**
 * Writes a timm hub directory ({@code config.json} as timm writes it, {@code model.safetensors})
 * of a timm ViT architecture with seeded random weights, for runs at the real sizes where no
 * pretrained weights can be downloaded:
 * {@code java -cp benchmarks/target/benchmarks.jar org.vitbench.benchmarks.RandomCheckpoint
 * vit_base_patch16_224 DIR [CLASSES]} (default 1000 classes); then {@code ./vitbench run --model checkpoint:path=DIR ...}.
 */
public final class RandomCheckpoint {

    private RandomCheckpoint() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2 && args.length != 3) {
            System.err.println("usage: RandomCheckpoint TIMM_ARCHITECTURE DIR [CLASSES] (e.g. vit_base_patch16_224 "
                    + "/tmp/vit-b 10)");
            System.exit(2);
        }
        Fixtures.configureDjl();
        String name = args[0];
        Path dir = Path.of(args[1]);
        int classes = args.length == 3 ? Integer.parseInt(args[2]) : Fixtures.TIMM_CLASSES;
        ModelConfig config = Fixtures.timmConfig(name, classes);
        Files.createDirectories(dir);
        ObjectNode root = Checkpoints.json().createObjectNode();
        root.put("architecture", name);
        root.put("num_classes", classes);
        root.put("num_features", config.architecture().dim());
        root.put("global_pool", "token");
        ObjectNode pretrained = root.putObject("pretrained_cfg");
        pretrained.put("tag", "random_seed_" + Fixtures.SEED);
        ArrayNode size = pretrained.putArray("input_size");
        size.add(3).add(config.architecture().imageSize()).add(config.architecture().imageSize());
        pretrained.put("interpolation", "bicubic");
        pretrained.put("crop_pct", 0.9);
        pretrained.put("crop_mode", "center");
        ArrayNode mean = pretrained.putArray("mean");
        ArrayNode std = pretrained.putArray("std");
        for (int c = 0; c < 3; c++) {
            mean.add(Fixtures.IMAGENET_MEAN[c]);
            std.add(Fixtures.IMAGENET_STD[c]);
        }
        pretrained.put("num_classes", classes);
        Checkpoints.json().writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), root);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            for (Map.Entry<String, NDArray> e : Initialization.initialise(config.architecture(), manager, Fixtures.SEED)
                    .entrySet()) {
                tensors.put(e.getKey(), new Tensor("F32", e.getValue().getShape().getShape(),
                        e.getValue().toFloatArray()));
            }
        }
        Safetensors.write(dir.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
        System.out.println("wrote " + name + " with random weights (seed " + Fixtures.SEED + ") to " + dir);
    }
}
