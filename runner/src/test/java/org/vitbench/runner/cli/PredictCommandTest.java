package org.vitbench.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vitbench.api.Registry;
import org.vitbench.models.published.PublishedCheckpoints;

/**
 * {@code vitbench predict} on published checkpoints, from PNG files through the checkpoint's own
 * preprocessing (timm: resize to size / crop_pct and centre crop, bicubic; Hugging Face: squash to
 * the input size, bilinear): the logits equal PyTorch's after torchvision's transforms on PIL images
 * (fixtures/published/make_published_fixtures.py) to 2e-3, with the same top-1.
 */
class PredictCommandTest {

    private static final List<String> IMAGES = List.of("a/tall.png", "a/wide.png", "b/square.png");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"timm-vit-tiny", "timm-deit-tiny-distilled", "timm-reg4-gap-layerscale", "hf-vit-tiny"})
    void logitsFromPngFilesEqualPyTorchsThroughTheWholePreprocessing(String layout) throws Exception {
        Path model = PublishedCheckpoints.write(layout, tmp.resolve("model"));
        Path images = tmp.resolve("images");
        for (String image : IMAGES) {
            Path file = images.resolve(image);
            Files.createDirectories(file.getParent());
            try (InputStream in = getClass().getResourceAsStream("/fixtures/published/images/" + image)) {
                Files.copy(in, file);
            }
        }
        Path out = tmp.resolve("predictions.jsonl");
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.execute(Registry::load, new String[] {"predict", "--model", "checkpoint:path=" + model,
            "--dataset", "image-folder:dir=" + images, "--out", out.toString(), "--batch-size", "2", "--quiet"},
                new PrintWriter(o, true), new PrintWriter(e, true));
        assertEquals(0, code, e.toString());
        assertTrue(o.toString().contains("predicted 3 images"), o.toString());
        JsonNode reference;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/published/" + layout + "/reference-png.json")) {
            reference = JSON.readTree(in).get("logits");
        }
        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size());
        for (String line : lines) {
            JsonNode p = JSON.readTree(line);
            String key = p.get("id").asText().substring("image-folder/".length());
            JsonNode expected = reference.get(key);
            JsonNode logits = p.get("logits");
            assertEquals(expected.size(), logits.size(), key);
            int best = 0;
            double worst = 0;
            for (int c = 0; c < logits.size(); c++) {
                worst = Math.max(worst, Math.abs(expected.get(c).asDouble() - logits.get(c).asDouble()));
                best = expected.get(c).asDouble() > expected.get(best).asDouble() ? c : best;
            }
            assertTrue(worst <= 2e-3, layout + " " + key + ": largest logit difference " + worst);
            assertEquals(best, p.get("top").get(0).get("class").asInt(), layout + " " + key + ": top-1");
            assertEquals(5, p.get("top").size());
            double probability = p.get("top").get(0).get("probability").asDouble();
            assertTrue(probability > 0 && probability <= 1, "a softmax probability: " + probability);
        }
    }
}
