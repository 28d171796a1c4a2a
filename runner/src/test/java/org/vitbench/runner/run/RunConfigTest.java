package org.vitbench.runner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vitbench.api.ConfigurationException;
import org.vitbench.runner.cli.RunCommand;

class RunConfigTest {

    private static final RunConfig CONFIG = new RunConfig(PluginSpec.parse("checkpoint:path=/m/a b.safetensors"),
            PluginSpec.parse("checkpoint:path=/m/surrogate"),
            PluginSpec.parse("fashion-mnist:split=test,dir=/d"), 50,
            List.of(PluginSpec.parse("kernel-shap:budget=64"), PluginSpec.of("random")),
            List.of(PluginSpec.parse("deletion:preset=vit-shapley")), 7, 16, Path.of("out"));

    @Test
    void theCanonicalYamlReadsBackToTheSameConfig() {
        ConfigFile file = ConfigFile.parse(CONFIG.canonicalYaml(), "canonical");

        RunConfig back = new RunConfig(file.model(), file.evaluationModel(), file.dataset(), file.limit(), file.methods(), file.metrics(),
                file.seed(), 16, Path.of("out"));

        assertEquals(CONFIG, back);
        assertEquals(CONFIG.hash(), back.hash());
        assertTrue(CONFIG.canonicalYaml().contains("dataset: \"fashion-mnist:dir=/d,split=test\"\n"),
                CONFIG.canonicalYaml());
    }

    @Test
    void theHashCoversResultsButNotBatchSizeOrOutput() {
        RunConfig otherExecution = new RunConfig(CONFIG.model(), CONFIG.evaluationModel(), CONFIG.dataset(), 50, CONFIG.methods(),
                CONFIG.metrics(), 7, 3, Path.of("elsewhere"));
        RunConfig otherSeed = new RunConfig(CONFIG.model(), CONFIG.evaluationModel(), CONFIG.dataset(), 50, CONFIG.methods(), CONFIG.metrics(),
                8, 16, Path.of("out"));

        assertEquals(CONFIG.hash(), otherExecution.hash());
        assertNotEquals(CONFIG.hash(), otherSeed.hash());
        assertEquals(16, CONFIG.hash().length());
    }

    @Test
    void pluginMapsAndSingleValuesAreAccepted() {
        ConfigFile file = ConfigFile.parse("model: {id: checkpoint, path: /x}\nmethods: random\nmetrics:\n"
                + "  - {id: deletion, preset: vit-shapley}\n", "t");

        assertEquals(PluginSpec.of("checkpoint", Map.of("path", "/x")), file.model());
        assertEquals(List.of(PluginSpec.of("random")), file.methods());
        assertEquals(List.of(PluginSpec.of("deletion", Map.of("preset", "vit-shapley"))), file.metrics());
        assertEquals(null, file.seed());
    }

    @Test
    void badValuesNameTheKey() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ConfigFile.parse("limit: lots\n", "t"));
        assertTrue(e.getMessage().contains("invalid value \"lots\" for 'limit' in config t; allowed: an integer"),
                e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> ConfigFile.parse("model: {path: /x}\n", "t"));
        assertTrue(e.getMessage().contains("'model' in config t is a map without a string 'id'"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> ConfigFile.parse("- a\n- b\n", "t"));
        assertTrue(e.getMessage().contains("must be a map of keys"), e.getMessage());
    }

    @Test
    void invalidSettingsAreUsageErrors() {
        assertThrows(ConfigurationException.class, () -> new RunConfig(CONFIG.model(), CONFIG.evaluationModel(), CONFIG.dataset(), -1,
                CONFIG.methods(), CONFIG.metrics(), 0, 16, Path.of("o")));
        assertThrows(ConfigurationException.class, () -> new RunConfig(CONFIG.model(), CONFIG.evaluationModel(), CONFIG.dataset(), 0,
                CONFIG.methods(), CONFIG.metrics(), 0, 0, Path.of("o")));
        assertThrows(ConfigurationException.class, () -> new RunConfig(CONFIG.model(), CONFIG.evaluationModel(), CONFIG.dataset(), 0,
                List.of(), CONFIG.metrics(), 0, 16, Path.of("o")));
    }

    @Test
    void aCommaListWithoutParametersIsSeveralIds() {
        assertEquals(List.of(PluginSpec.of("attention-rollout"), PluginSpec.of("random")),
                RunCommand.specs(List.of("attention-rollout,random")));
        assertEquals(List.of(PluginSpec.of("kernel-shap", Map.of("budget", "64", "batch", "8"))),
                RunCommand.specs(List.of("kernel-shap:budget=64,batch=8")));
    }

    @Test
    void defaultsMatchTheDocumentedRun() {
        RunCommand command = new RunCommand();

        RunConfig config = command.resolve(ConfigFile.EMPTY, List.of("attention-rollout", "kernel-shap", "random"),
                List.of("deletion", "insertion"));

        assertEquals("embedded", config.model().format());
        assertEquals("embedded-surrogate", config.evaluationModel().format(),
                "ViT Shapley's protocol scores on the surrogate");
        assertEquals("fashion-mnist-embedded", config.dataset().format());
        assertEquals(100, config.limit());
        assertEquals(List.of("attention-rollout", "kernel-shap", "random"),
                config.methods().stream().map(PluginSpec::format).toList(), "every registered method");
        assertEquals(List.of("deletion", "insertion"), config.metrics().stream().map(PluginSpec::format).toList(),
                "the default metrics");
        assertEquals(0, config.seed());
        assertEquals(16, config.batchSize());
        assertEquals(Path.of("vitbench-out"), config.out());
    }

    @Test
    void metricsThatExplainAgainAreLeftOutOfTheDefaultRunByTheirDeclaration() {
        List<String> defaults = RunCommand.defaultMetrics(org.vitbench.api.Registry.load());

        assertTrue(defaults.contains("deletion") && defaults.contains("faithfulness"), defaults.toString());
        for (String reexplains : List.of("randomization", "runtime", "max-sensitivity", "avg-sensitivity",
                "local-lipschitz")) {
            assertFalse(defaults.contains(reexplains), reexplains + " explains again: " + defaults);
        }
    }

    @Test
    void anotherModelIsItsOwnEvaluationModelUnlessOneIsNamed() {
        RunCommand command = new RunCommand();
        command.model = "checkpoint:path=/m";

        RunConfig own = command.resolve(ConfigFile.EMPTY, List.of("random"), List.of("deletion"));
        command.evaluationModel = "checkpoint:path=/s";
        RunConfig named = command.resolve(ConfigFile.EMPTY, List.of("random"), List.of("deletion"));

        assertEquals(null, own.evaluationModel());
        assertEquals(own.model(), own.scoringModel());
        assertEquals("checkpoint:path=/s", named.scoringModel().format());
        assertNotEquals(own.hash(), named.hash(), "the evaluation model decides results");
    }

    @Test
    void theDeviceKeySetsBothModelsDevice() {
        ConfigFile file = ConfigFile.parse("model: embedded\ndevice: gpu:1\nshard: 2/3\n", "t");
        assertEquals("gpu:1", file.device());
        assertEquals(new Shard(2, 3), file.shard());
        RunCommand command = new RunCommand();
        RunConfig config = command.resolve(file, List.of("random"), List.of("deletion"));
        assertEquals(PluginSpec.of("embedded", Map.of("device", "gpu:1")), config.model());
        assertEquals(PluginSpec.of("embedded-surrogate", Map.of("device", "gpu:1")), config.evaluationModel());

        RunConfig cpu = command.resolve(ConfigFile.parse("device: cpu\n", "t"), List.of("random"), List.of("deletion"));
        assertEquals(RunConfig.DEFAULT_MODEL, cpu.model(), "the default device leaves the spec and its hash alone");

        ConfigurationException e = assertThrows(ConfigurationException.class, () -> command.resolve(
                ConfigFile.parse("model: embedded:device=cpu\ndevice: gpu\n", "t"), List.of("random"),
                List.of("deletion")));
        assertTrue(e.getMessage().contains("names device cpu but --device (or the config key device) is gpu"),
                e.getMessage());
    }
}
