package org.vitbench.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Parameters;
import org.vitbench.api.VitModel;

class DevicesTest {

    @TempDir
    Path dir;

    @Test
    void theThreeFormsParse() {
        assertEquals(Device.cpu(), Devices.parse("cpu", 0));
        assertEquals(Device.gpu(0), Devices.parse("gpu", 1));
        assertEquals(Device.gpu(0), Devices.parse("gpu:0", 1));
        assertEquals(Device.gpu(1), Devices.parse("gpu:1", 2));
        assertEquals(Device.gpu(12), Devices.parse("gpu:12", 13));
        assertEquals(Device.cpu(), Devices.of(Parameters.empty()), "cpu is the default");
        assertEquals(Device.cpu(), Devices.of(Parameters.of("embedded", Map.of("device", "cpu"))));
    }

    @Test
    void formatIsTheInverseOfParse() {
        for (String name : new String[] {"cpu", "gpu:0", "gpu:3"}) {
            assertEquals(name, Devices.format(Devices.parse(name, 4)));
        }
        assertEquals("gpu:0", Devices.format(Devices.parse("gpu", 1)), "the short form is written in full");
    }

    @Test
    void badValuesAreNamedWithTheAllowedForms() {
        for (String bad : new String[] {"", "CPU", "cuda", "gpu:", "gpu:-1", "gpu:+1", "gpu: 1", "gpu1", "gpu:1.0",
                "gpu:a", "cpu:0", " gpu", "gpu:99999999999"}) {
            ConfigurationException e = assertThrows(ConfigurationException.class, () -> Devices.parse(bad, 4), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("cpu (the default), gpu (the same as gpu:0) or gpu:N"), e.getMessage());
        }
        assertThrows(ConfigurationException.class, () -> Devices.parse(null, 4));
    }

    @Test
    void aGpuBeyondTheVisibleOnesFailsWithTheWayToRunOnTheCpu() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> Devices.parse("gpu:1", 1));
        assertTrue(e.getMessage().contains("no CUDA device 1 is visible"), e.getMessage());
        assertTrue(e.getMessage().contains("sees 1 GPU:") || e.getMessage().contains("sees 1 GPU."), e.getMessage());
        assertTrue(e.getMessage().contains("device=cpu"), e.getMessage());
    }

    /** This machine has no GPU: asking for one fails through the real engine and through each provider. */
    @Test
    void onThisCpuMachineAGpuIsNotVisible() {
        assumeTrue(Engine.getInstance().getGpuCount() == 0, "a GPU is visible");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> Devices.parse("gpu"));
        assertTrue(e.getMessage().contains("no CUDA device 0 is visible"), e.getMessage());
        assertTrue(e.getMessage().contains("sees 0 GPUs"), e.getMessage());
        assertTrue(e.getMessage().contains("--model embedded:device=cpu"), e.getMessage());
        Parameters gpu = Parameters.of("embedded", Map.of("device", "gpu:0"));
        assertThrows(ConfigurationException.class, () -> new EmbeddedModelProvider().load(gpu));
        assertThrows(ConfigurationException.class, () -> new EmbeddedSurrogateProvider().load(gpu));
        assertThrows(ConfigurationException.class, () -> new CheckpointModelProvider().load(
                gpu.with("path", dir.toString())));
    }

    @Test
    void aMisspeltDeviceFailsInTheProviderBeforeAnythingLoads() {
        Parameters bad = Parameters.of("checkpoint", Map.of("device", "gpu0", "path", "/does/not/exist"));
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> new CheckpointModelProvider().load(bad));
        assertTrue(e.getMessage().contains("'gpu0'"), e.getMessage());
    }

    @Test
    void deviceCpuLoadsAndForwardsOnTheCpu() throws Exception {
        Parameters cpu = Parameters.of("embedded", Map.of("device", "cpu"));
        for (VitModel model : new VitModel[] {new EmbeddedModelProvider().load(cpu),
                new EmbeddedSurrogateProvider().load(cpu)}) {
            try (model; NDManager m = model.manager().newSubManager()) {
                assertEquals(Device.cpu(), model.manager().getDevice());
                NDArray images = m.zeros(new ai.djl.ndarray.types.Shape(2, model.info().channels(),
                        model.info().imageSize(), model.info().imageSize()));
                assertEquals(Device.cpu(), images.getDevice(), "batches from the model's manager share its device");
                NDArray logits = model.logits(images);
                assertEquals(Device.cpu(), logits.getDevice());
                assertEquals(2 * model.info().numClasses(), logits.toFloatArray().length);
            }
        }
        try (VisionTransformer tiny = TinyVit.create(3); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Checkpoints.save(dir, tiny.config(), tiny.weights());
            try (VitModel loaded = new CheckpointModelProvider().load(
                    Parameters.of("checkpoint", Map.of("path", dir.toString(), "device", "cpu")))) {
                assertEquals(Device.cpu(), loaded.manager().getDevice());
                for (NDArray w : ((VisionTransformer) loaded).weights().values()) {
                    assertEquals(Device.cpu(), w.getDevice());
                }
                NDArray images = TinyVit.images(m, TinyVit.CONFIG, 2, 1);
                assertArrayEquals(tiny.logits(images).toFloatArray(), loaded.logits(images).toFloatArray(), 0f);
            }
        }
    }
}
