package org.vitbench.datasets.folder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vitbench.api.Image;

class ResizeCropTest {

    /** A one-channel image with {@code value(y, x)} in 0..255, divided by 255. */
    private static Image grey(int height, int width, java.util.function.IntBinaryOperator value) {
        float[] pixels = new float[height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                pixels[y * width + x] = value.applyAsInt(y, x) / 255f;
            }
        }
        return new Image(1, height, width, pixels);
    }

    @Test
    void resizesTheShorterSideAsTorchvision() {
        assertArrayEquals(new int[] {224, 298}, ResizeCrop.resizedSize(300, 400, 224)); // floor(224 * 400 / 300)
        assertArrayEquals(new int[] {298, 224}, ResizeCrop.resizedSize(400, 300, 224));
        assertArrayEquals(new int[] {224, 224}, ResizeCrop.resizedSize(500, 500, 224));
    }

    @Test
    void keepsAnImageOfTheTargetSizeExactly() {
        Image image = grey(5, 5, (y, x) -> (53 * y + 17 * x) % 256);
        for (Interpolation interpolation : Interpolation.values()) {
            assertEquals(image, ResizeCrop.apply(image, 5, interpolation), interpolation.id());
        }
    }

    @Test
    void downscalesAConstantImageToTheSameConstant() {
        float[] pixels = new float[3 * 8 * 8];
        for (int i = 0; i < 64; i++) {
            pixels[i] = 200 / 255f;
            pixels[64 + i] = 100 / 255f;
            pixels[128 + i] = 7 / 255f;
        }
        for (Interpolation interpolation : Interpolation.values()) {
            Image out = ResizeCrop.apply(new Image(3, 8, 8, pixels), 4, interpolation);
            for (int i = 0; i < 16; i++) {
                assertEquals(200 / 255f, out.pixels()[i], interpolation.id());
                assertEquals(100 / 255f, out.pixels()[16 + i], interpolation.id());
                assertEquals(7 / 255f, out.pixels()[32 + i], interpolation.id());
            }
        }
    }

    /**
     * A 2x bilinear downscale widens the triangle to support 2 (antialiasing): interior outputs
     * weigh four inputs 1/8, 3/8, 3/8, 1/8, border outputs three inputs 3/7, 3/7, 1/7. Worked by
     * hand from Pillow's precompute_coeffs for a ramp of 30 per column.
     */
    @Test
    void downscalesByTwoWithPillowsAntialiasedKernel() {
        // 0.001 off the 8-bit levels: the double-precision path (an 8-bit image takes PIL's own, see ResizeCropPilTest)
        Image ramp = grey(8, 8, (y, x) -> 30 * x);
        float[] offset = ramp.pixels().clone();
        for (int i = 0; i < offset.length; i++) {
            offset[i] += 0.001f;
        }
        Image out = ResizeCrop.apply(new Image(1, 8, 8, offset), 4, Interpolation.BILINEAR);
        double[] expected = {(3 * 0 + 3 * 30 + 60) / 7.0, (30 + 3 * 60 + 3 * 90 + 120) / 8.0,
            (90 + 3 * 120 + 3 * 150 + 180) / 8.0, (150 + 3 * 180 + 3 * 210) / 7.0};
        Image pil = ResizeCrop.apply(ramp, 4, Interpolation.BILINEAR);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                assertEquals(expected[x] / 255.0 + 0.001, out.pixels()[y * 4 + x], 1e-6, "(" + y + ", " + x + ")");
                // PIL rounds to 8 bits: the nearest level of the exact value
                assertEquals((float) Math.rint(expected[x]) / 255f, pil.pixels()[y * 4 + x], "8-bit (" + y + ", " + x + ")");
            }
        }
    }

    @Test
    void cropsTheCentreRoundingHalfToEven() {
        // Shorter side 4 already: no resampling, only the crop; value 10 x + y identifies the column.
        Image wide6 = ResizeCrop.apply(grey(4, 6, (y, x) -> 10 * x + y), 4, Interpolation.BILINEAR);
        Image wide5 = ResizeCrop.apply(grey(4, 5, (y, x) -> 10 * x + y), 4, Interpolation.BILINEAR);
        Image wide7 = ResizeCrop.apply(grey(4, 7, (y, x) -> 10 * x + y), 4, Interpolation.BICUBIC);
        Image tall7 = ResizeCrop.apply(grey(7, 4, (y, x) -> 10 * y + x), 4, Interpolation.BILINEAR);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                assertEquals((10 * (x + 1) + y) / 255f, wide6.pixels()[y * 4 + x]); // left = 1
                assertEquals((10 * x + y) / 255f, wide5.pixels()[y * 4 + x]); // left = round(0.5) = 0
                assertEquals((10 * (x + 2) + y) / 255f, wide7.pixels()[y * 4 + x]); // left = round(1.5) = 2
                assertEquals((10 * (y + 2) + x) / 255f, tall7.pixels()[y * 4 + x]); // top = round(1.5) = 2
            }
        }
    }

    /**
     * timm's crop_pct: an image whose shorter side is already floor(size / crop_pct) is only
     * cropped, keeping the centre size x size (here 4 of 5 columns and rows: floor(4 / 0.8) = 5).
     * A squash sets both sides, so a 5 x 5 image is not resampled either.
     */
    @Test
    void cropPctResizesToSizeOverCropPctThenCropsTheCentre() {
        Image square5 = grey(5, 5, (y, x) -> 10 * x + y);
        Image kept = ResizeCrop.apply(square5, 4, Interpolation.BILINEAR, 0.8,
                org.vitbench.api.Preprocessing.Resize.SHORTER_SIDE);
        Image squashed = ResizeCrop.apply(square5, 4, Interpolation.BICUBIC, 0.8,
                org.vitbench.api.Preprocessing.Resize.SQUASH);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                // top = left = round(0.5) = 0
                assertEquals((10 * x + y) / 255f, kept.pixels()[y * 4 + x]);
                assertEquals((10 * x + y) / 255f, squashed.pixels()[y * 4 + x]);
            }
        }
        // a 5 x 10 image squashed to 5 x 5 (then cropped) differs from the shorter-side resize (5 x 10, cropped)
        Image wide = grey(5, 10, (y, x) -> 20 * x);
        Image a = ResizeCrop.apply(wide, 4, Interpolation.BILINEAR, 0.8, org.vitbench.api.Preprocessing.Resize.SQUASH);
        Image b = ResizeCrop.apply(wide, 4, Interpolation.BILINEAR, 0.8,
                org.vitbench.api.Preprocessing.Resize.SHORTER_SIDE);
        assertTrue(a.pixels()[3] > b.pixels()[3], "the squash keeps the whole width: its right column is brighter");
    }

    /**
     * Upscaling the step 0, 0, 255, 255 with the bicubic kernel overshoots on both sides of the
     * step (resampled column 2 weighs the 255 by -0.07); the result is clamped to [0, 1].
     */
    @Test
    void clampsBicubicOvershoot() {
        Image out = ResizeCrop.apply(grey(2, 4, (y, x) -> x < 2 ? 0 : 255), 4, Interpolation.BICUBIC);
        // resized to 4 x 8, crop columns 2..5
        for (int y = 0; y < 4; y++) {
            assertEquals(0f, out.pixels()[y * 4]);
            assertTrue(out.pixels()[y * 4 + 1] > 0f && out.pixels()[y * 4 + 1] < 0.5f);
            assertTrue(out.pixels()[y * 4 + 2] > 0.5f && out.pixels()[y * 4 + 2] < 1f);
            assertEquals(1f, out.pixels()[y * 4 + 3]);
        }
    }
}
