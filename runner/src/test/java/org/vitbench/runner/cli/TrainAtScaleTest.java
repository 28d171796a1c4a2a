package org.vitbench.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.Parameters;
import org.vitbench.api.Preprocessing;
import org.vitbench.api.Registry;
import org.vitbench.api.VitModel;
import org.vitbench.models.published.PublishedCheckpoints;

/**
 * ViT Shapley's two training stages run on a ViT-Ti/16-shaped model at 224 pixels (196 players), a
 * published Hugging Face checkpoint, from PNG files prepared as the checkpoint says: a surrogate, then
 * an explainer on it, a few steps each, through the real commands.
 */
class TrainAtScaleTest {

    @TempDir
    Path tmp;

    @Test
    void surrogateAndExplainerTrainOnAVitTiny() throws Exception {
        Path classifier = PublishedCheckpoints.write("hf-vit-tiny", tmp.resolve("classifier"));
        Path images = tmp.resolve("images");
        String[] files = {"a/tall.png", "a/wide.png", "b/square.png"};
        for (int c = 0; c < 10; c++) { // the checkpoint has 10 classes: one folder each
            Path file = images.resolve("class-" + c).resolve("image.png");
            Files.createDirectories(file.getParent());
            try (InputStream in = getClass().getResourceAsStream("/fixtures/published/images/" + files[c % 3])) {
                Files.copy(in, file);
            }
        }
        Path surrogate = tmp.resolve("surrogate");
        run("train", "surrogate", "--from", "checkpoint:path=" + classifier, "--dataset", "image-folder:dir=" + images,
                "--out", surrogate.toString(), "--epochs", "1", "--batch-size", "4", "--validation", "2",
                "--warmup-epochs", "0.5");
        assertTrue(Files.isRegularFile(surrogate.resolve("model.safetensors")));
        Registry registry = Registry.load();
        try (VitModel c = registry.model("checkpoint").load(Parameters.of("checkpoint", Map.of("path",
                classifier.toString())));
                VitModel s = registry.model("checkpoint").load(Parameters.of("checkpoint", Map.of("path",
                        surrogate.toString())))) {
            Preprocessing a = c.info().preprocessing();
            Preprocessing b = s.info().preprocessing();
            assertEquals(List.of(a.interpolation(), a.cropPct(), a.resize()), List.of(b.interpolation(), b.cropPct(),
                    b.resize()), "the surrogate prepares images as its classifier (Hugging Face: squash to 224)");
        }
        Path explainer = tmp.resolve("explainer");
        run("train", "explainer", "--surrogate", "checkpoint:path=" + surrogate, "--dataset",
                "image-folder:dir=" + images, "--out", explainer.toString(), "--epochs", "1", "--batch-size", "4",
                "--pairs", "2", "--validation-pairs", "1", "--validation", "2", "--warmup-epochs", "0.5");
        assertTrue(Files.isRegularFile(explainer.resolve("explainer.json")));
    }

    private static void run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.execute(Registry::load, args, new PrintWriter(o, true), new PrintWriter(e, true));
        assertEquals(0, code, String.join(" ", args) + ":\n" + o + e);
    }
}
