package org.vitbench.models.published;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.vitbench.api.ConfigurationException;
import org.vitbench.models.ModelConfig;
import org.vitbench.models.VitConfig;

class TimmHubTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ModelConfig read(String json) throws Exception {
        JsonNode root = JSON.readTree(json);
        assertTrue(TimmHub.isTimmConfig(root));
        return TimmHub.read(root, "config.json");
    }

    @Test
    void theNameGivesTheArchitecture() throws Exception {
        VitConfig b = read("{\"architecture\": \"vit_base_patch16_384\", \"num_classes\": 1000}").architecture();
        assertEquals(new VitConfig(384, 16, 3, 768, 12, 12, 4, 1000, true, 1e-6), b);
        VitConfig h = read("{\"architecture\": \"vit_huge_patch14_224\"}").architecture();
        assertEquals(1280, h.dim());
        assertEquals(32, h.depth());
        assertEquals(16, h.heads());
        assertEquals(256, h.numPatches());
        VitConfig d3 = read("{\"architecture\": \"deit3_small_patch16_224\"}").architecture();
        assertTrue(d3.layerScale() && d3.tokens().noEmbedClass() && d3.tokens().cls());
        assertEquals(196, d3.positionTokens());
        VitConfig dist = read("{\"architecture\": \"deit_small_distilled_patch16_224\"}").architecture();
        assertTrue(dist.tokens().distillation());
        assertEquals(198, dist.numTokens());
        VitConfig reg = read("{\"architecture\": \"vit_base_patch16_reg4_gap_256\"}").architecture();
        assertEquals(new VitConfig.Tokens(false, false, 4, true), reg.tokens());
        assertEquals(VitConfig.Pool.AVG, reg.pool());
        assertTrue(reg.fcNorm());
        assertFalse(reg.plainLayout());
    }

    @Test
    void modelArgsAndTheInputSizeOverrideTheName() throws Exception {
        ModelConfig c = read("{\"architecture\": \"vit_small_patch16_224.augreg_in21k\", \"num_classes\": 7, "
                + "\"model_args\": {\"depth\": 6, \"qkv_bias\": false, \"global_pool\": \"avg\", \"fc_norm\": false, "
                + "\"drop_path_rate\": 0.1}, \"pretrained_cfg\": {\"input_size\": [1, 96, 96], \"mean\": [0.1], "
                + "\"std\": [0.2], \"interpolation\": \"bilinear\", \"crop_pct\": 1.0}}");
        VitConfig a = c.architecture();
        assertEquals(6, a.depth());
        assertFalse(a.qkvBias());
        assertEquals(VitConfig.Pool.AVG, a.pool());
        assertFalse(a.fcNorm(), "fc_norm false keeps the per-token norm");
        assertEquals(96, a.imageSize());
        assertEquals(1, a.channels());
        assertEquals(7, a.numClasses());
        assertEquals("bilinear", c.interpolation());
        assertEquals(1.0, c.cropPct());
        assertEquals(org.vitbench.api.Preprocessing.Resize.SHORTER_SIDE, c.preprocessing().resize());
        assertEquals("class-6", c.classNames().get(6));
    }

    @Test
    void anArchitectureOutsideTheTableNamesTheFamiliesAndModelArgs() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> read("{\"architecture\": \"vit_base_patch16_clip_224\"}"));
        assertTrue(e.getMessage().contains("vit_base_patch16_clip_224") && e.getMessage().contains("deit3_")
                && e.getMessage().contains("model_args"), e.getMessage());
    }

    @Test
    void anUnsupportedModelArgIsNamed() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> read("{\"architecture\": \"vit_tiny_patch16_224\", \"model_args\": {\"pre_norm\": true}}"));
        assertTrue(e.getMessage().contains("pre_norm") && e.getMessage().contains("supported"), e.getMessage());
        ConfigurationException pool = assertThrows(ConfigurationException.class,
                () -> read("{\"architecture\": \"vit_tiny_patch16_224\", \"model_args\": {\"global_pool\": \"map\"}}"));
        assertTrue(pool.getMessage().contains("'map'"), pool.getMessage());
    }

    @Test
    void hostileSizesAreRefusedBeforeAnythingIsAllocated() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> read("{\"architecture\": \"vit_tiny_patch16_224\", \"model_args\": {\"depth\": 1000000000}}"));
        assertTrue(e.getMessage().contains("depth"), e.getMessage());
    }
}
