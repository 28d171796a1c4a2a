package org.vitbench.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.Registry;
import org.vitbench.api.ResultRecord;
import org.vitbench.models.published.PublishedCheckpoints;
import org.vitbench.runner.store.ResultStore;

/**
 * Every registered method against every registered metric on ViT-Ti/16-shaped published checkpoints
 * at 224 pixels (196 patches, width 192, 3 heads), from PNG files with ground-truth masks: on the
 * plain layout (Hugging Face) no cell fails and only ViT Shapley's randomisation check is skipped;
 * on the register + average pooling + layer scale layout the only skipped cells are those of the
 * methods that declare the plain layout, and none fails.
 *
 * <p>For the test suite's time the checkpoints keep 2 of their 12 blocks (as a published config
 * with {@code depth} or {@code num_hidden_layers} 2 says; the randomisation check re-explains once
 * per block) and parameters that set a sampling budget are lowered; the computations are the same
 * at any depth and budget. {@code vit-shapley} needs an explainer trained for the model: the test
 * trains a surrogate and an explainer for a few steps first.
 */
class PublishedMatrixTest {

    /** Blocks kept of the checkpoints' 12. */
    private static final int DEPTH = 2;

    /** Budgets lowered for time; every other parameter is the method's default. */
    private static final List<String> METHODS = List.of("attention-rollout", "cdam", "generic-attention", "gradcam",
            "gradcam-attn", "gradcam-plus-plus", "gradient-input", "gradient-shap", "hsic:designs=16",
            "integrated-gradients:steps=4", "kernel-shap:budget=96", "layercam", "leave-one-out", "legrad",
            "lime:samples=32", "lrp", "occlusion", "random", "raw-attention", "rise:masks=32", "saliency",
            "scorecam", "smoothgrad:samples=4", "sobol:designs=4,grid=4", "tam", "transformer-attribution");

    private static final List<String> METRICS = List.of("attribution-localisation", "auc", "avg-sensitivity:samples=1",
            "complexity", "deletion", "faithfulness:subsets=16", "faithfulness-correlation:runs=8", "insertion",
            "local-lipschitz:samples=1", "max-sensitivity:samples=1", "pointing-game", "randomization", "relevance-mass", "relevance-rank",
            "runtime:warmup=0,repeats=1", "sensitivity-n:subsets=4,points=2",
            "shapley-correlation:budget=128,subsets=32", "shapley-error:budget=128,subsets=32", "sparseness",
            "top-k-intersection");

    @TempDir
    static Path tmp;

    private static Path images;
    private static Path masks;

    @BeforeAll
    static void imagesWithMasks() throws Exception {
        images = tmp.resolve("images");
        masks = tmp.resolve("masks");
        String[] files = {"a/tall.png", "a/wide.png", "b/square.png"};
        for (int c = 0; c < 10; c++) { // the checkpoints have 10 classes, and training needs one folder each
            String folder = "class-" + c;
            Path file = images.resolve(folder).resolve("image.png");
            Files.createDirectories(file.getParent());
            try (InputStream in = PublishedMatrixTest.class.getResourceAsStream("/fixtures/published/images/"
                    + files[c % 3])) {
                Files.copy(in, file);
            }
            BufferedImage image = ImageIO.read(file.toFile());
            BufferedImage mask = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
            for (int y = image.getHeight() / 4; y < image.getHeight() / 2; y++) {
                for (int x = image.getWidth() / 3; x < 2 * image.getWidth() / 3; x++) {
                    mask.setRGB(x, y, 0xffffff);
                }
            }
            Path maskFile = masks.resolve(folder).resolve("image.png");
            Files.createDirectories(maskFile.getParent());
            ImageIO.write(mask, "png", maskFile.toFile());
        }
    }

    @Test
    void everyMethodAndMetricRunOnAPlainVitTiny() throws Exception {
        Path model = PublishedCheckpoints.write("hf-vit-tiny", tmp.resolve("hf"), DEPTH);
        String dataset = "image-folder:dir=" + images + ",masks=" + masks;
        Path surrogate = tmp.resolve("surrogate");
        run("train", "surrogate", "--from", "checkpoint:path=" + model, "--dataset", dataset, "--out",
                surrogate.toString(), "--epochs", "1", "--batch-size", "4", "--validation", "2", "--warmup-epochs", "0.5");
        Path explainer = tmp.resolve("explainer");
        run("train", "explainer", "--surrogate", "checkpoint:path=" + surrogate, "--dataset", dataset, "--out",
                explainer.toString(), "--epochs", "1", "--batch-size", "4", "--pairs", "2", "--validation-pairs", "1",
                "--validation", "2", "--warmup-epochs", "0.5");
        List<String> methods = new ArrayList<>(METHODS);
        methods.add("vit-shapley:explainer=" + explainer);

        JsonNode manifest = runMatrix("checkpoint:path=" + model, dataset, methods, tmp.resolve("plain"));

        // the one declared skip: the explainer is trained for the model, so it cannot explain randomised copies
        assertEquals(1, manifest.get("skipped").size(), manifest.get("skipped").toString());
        JsonNode skipped = manifest.get("skipped").get(0);
        assertEquals("randomization", skipped.get("metric").asText());
        assertTrue(skipped.get("method").asText().startsWith("vit-shapley:"), skipped.toString());
    }

    @Test
    void onRegisterTokensAndAveragePoolingOnlyDeclaredPairsAreSkipped() throws Exception {
        Path model = PublishedCheckpoints.write("timm-reg4-gap-layerscale", tmp.resolve("reg4"), DEPTH);

        JsonNode manifest = runMatrix("checkpoint:path=" + model, "image-folder:dir=" + images + ",masks=" + masks,
                METHODS, tmp.resolve("reg4-out"));

        Set<String> skippedMethods = new TreeSet<>();
        for (JsonNode s : manifest.get("skipped")) {
            String label = s.get("method").asText();
            skippedMethods.add(label.contains(":") ? label.substring(0, label.indexOf(":")) : label);
            assertTrue(s.get("reason").asText().contains("plain ViT"), s.toString());
        }
        assertEquals(new TreeSet<>(List.of("attention-rollout", "cdam", "generic-attention", "gradcam", "gradcam-attn",
                "gradcam-plus-plus", "layercam", "legrad", "lrp", "raw-attention", "scorecam",
                "transformer-attribution")), skippedMethods);
        assertEquals(skippedMethods.size() * METRICS.size(), manifest.get("skipped").size());
    }

    /** Runs the matrix on the two images; asserts every stored cell is a success; returns run.json. */
    private static JsonNode runMatrix(String model, String dataset, List<String> methods, Path out) throws Exception {
        Path config = out.resolveSibling(out.getFileName() + ".yaml");
        StringBuilder yaml = new StringBuilder("model: \"" + model + "\"\ndataset: \"" + dataset + "\"\nlimit: 2\n"
                + "batch-size: 2\nout: \"" + out + "\"\nmethods:\n");
        methods.forEach(m -> yaml.append("  - \"").append(m).append("\"\n"));
        yaml.append("metrics:\n");
        METRICS.forEach(m -> yaml.append("  - \"").append(m).append("\"\n"));
        Files.writeString(config, yaml);

        run("run", "--config", config.toString(), "--quiet");

        JsonNode manifest = new ObjectMapper().readTree(out.resolve("run.json").toFile());
        List<ResultRecord> records = ResultStore.read(out);
        List<String> failed = records.stream().filter(r -> !r.isOk())
                .map(r -> r.methodId() + " x " + r.metricId() + ": " + r.error()).distinct().toList();
        assertEquals(List.of(), failed, "failed cells");
        int cells = methods.size() * METRICS.size() - manifest.get("skipped").size();
        assertEquals(2 * cells, records.size(), "one record per image and cell");
        return manifest;
    }

    private static void run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.execute(Registry::load, args, new PrintWriter(o, true), new PrintWriter(e, true));
        assertEquals(0, code, String.join(" ", args) + ":\n" + o + e);
    }
}
