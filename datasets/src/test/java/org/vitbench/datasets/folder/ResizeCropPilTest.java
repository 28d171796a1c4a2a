package org.vitbench.datasets.folder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.vitbench.api.Image;
import org.vitbench.api.Preprocessing;

/**
 * 8-bit images are resampled exactly as PIL does (fixture made by torchvision's Resize and
 * CenterCrop on PIL images: fixtures/pil/make_pil_resize_fixture.py): every output byte equal, for
 * bilinear and bicubic, down- and upscaling, crop shares below 1 and squash.
 */
class ResizeCropPilTest {

    @Test
    void eightBitImagesMatchPilByteForByte() throws Exception {
        JsonNode cases;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/pil/pil_resize.json")) {
            cases = new ObjectMapper().readTree(in);
        }
        for (JsonNode c : cases) {
            int h = c.get("height").asInt();
            int w = c.get("width").asInt();
            int size = c.get("size").asInt();
            float[] pixels = new float[h * w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    pixels[y * w + x] = ((7 * x + 13 * y + 3 * x * y) % 256) / 255f;
                }
            }
            Image out = ResizeCrop.apply(new Image(1, h, w, pixels), size, Interpolation.parse(c.get("filter").asText()),
                    c.get("cropPct").asDouble(), c.get("resize").asText().equals("squash")
                            ? Preprocessing.Resize.SQUASH : Preprocessing.Resize.SHORTER_SIDE);
            JsonNode expected = c.get("output");
            for (int i = 0; i < size * size; i++) {
                assertEquals(expected.get(i).asInt() / 255f, out.pixels()[i], c.toString().substring(0, 90) + " pixel " + i);
            }
        }
    }
}
