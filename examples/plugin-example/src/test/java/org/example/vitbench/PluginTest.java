package org.example.vitbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Parameters;
import org.vitbench.api.Registry;

/** The plug-in found beside the core through the SPI, exact on toy inputs, and run by the real vitbench command. */
class PluginTest {

    @TempDir
    Path tmp;

    @Test
    void theRegistryFindsThePluginBesideTheCore() {
        Registry registry = Registry.load();
        assertTrue(registry.explainers().containsKey("center-prior"));
        assertTrue(registry.metrics().containsKey("top-k-share"));
        assertTrue(registry.explainers().containsKey("random"), "the core methods are still there");
        assertTrue(registry.metrics().containsKey("deletion"), "the core metrics are still there");
    }

    @Test
    void thePluginDoesNoRawScalarArithmeticOnArrays() {
        org.vitbench.api.contract.GraphSafetyCheck.assertClean(CenterPrior.class);
    }

    @Test
    void theMethodAndTheMetricMatchTheirFormulas() {
        float[] map = CenterPrior.map(3, 1.0);
        assertEquals(1.0f, map[4]);
        assertEquals((float) Math.exp(-0.5), map[1]);
        assertEquals((float) Math.exp(-1.0), map[0]);
        assertEquals(5.0 / 6.0, TopKShare.share(new float[] {1, -3, 2, 0}, 2), 1e-15);
        assertEquals(0.5, TopKShare.share(new float[] {1, 1, 1, 1}, 2), 1e-15);
        assertEquals(0.5, TopKShare.share(new float[4], 2), 1e-15, "an all-zero map is a constant one");
        assertEquals(1.0, TopKShare.share(new float[] {0, 2, 0}, 5), 1e-15, "k beyond the grid");
    }

    @Test
    void badParametersAreRejectedWithTheirName() {
        ConfigurationException sigma = assertThrows(ConfigurationException.class,
                () -> CenterPrior.DECLARATION.create(Parameters.of(CenterPrior.ID, Map.of("sigma", "0"))));
        assertEquals("invalid value '0' for parameter 'sigma' of center-prior; allowed: auto, or a number from 0.001 to "
                + "1000.0",
                sigma.getMessage());
        ConfigurationException k = assertThrows(ConfigurationException.class,
                () -> TopKShare.DECLARATION.create(Parameters.of(TopKShare.ID, Map.of("k", "0"))));
        assertTrue(k.getMessage().contains("'k' of top-k-share"), k.getMessage());
        assertThrows(ConfigurationException.class,
                () -> CenterPrior.DECLARATION.create(Parameters.of(CenterPrior.ID, Map.of("radius", "2"))));
    }

    @Test
    void theVitbenchCommandRunsThePluginFromTheClassPath() throws Exception {
        Path out = tmp.resolve("run");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                "org.vitbench.runner.cli.Main", "run", "--limit", "2", "--method", "center-prior", "--method", "random",
                "--metric", "top-k-share:k=3", "--metric", "deletion", "--out", out.toString(), "--quiet"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);

        ObjectMapper json = new ObjectMapper();
        int seen = 0;
        for (String line : Files.readAllLines(out.resolve("results.jsonl"))) {
            JsonNode r = json.readTree(line);
            assertEquals("ok", r.get("status").asText(), line);
            if (r.get("method").asText().equals("center-prior") && r.get("metric").asText().equals("top-k-share")) {
                // the embedded model's 7 x 7 grid, sigma 7 / 4
                assertEquals(TopKShare.share(CenterPrior.map(7, 7 / 4.0), 3), r.get("score").asDouble(), 1e-12);
                seen++;
            }
        }
        assertEquals(2, seen, "one record per image for the plug-in's method and metric");
        assertTrue(Files.readString(out.resolve("report.html")).contains("top-k-share"));
    }
}
