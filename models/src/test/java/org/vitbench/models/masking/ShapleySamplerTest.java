package org.vitbench.models.masking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;

class ShapleySamplerTest {

    private static UniformRandomProvider random(long seed) {
        return RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    }

    @Test
    void sizeProbabilitiesFollowTheKernelAndSumToOne() {
        int p = 9;
        ShapleySampler sampler = new ShapleySampler(p);
        double norm = 0;
        for (int k = 1; k < p; k++) {
            norm += 1.0 / (k * (p - k));
        }
        double sum = 0;
        for (int k = 1; k < p; k++) {
            assertEquals(1.0 / (k * (p - k)) / norm, sampler.sizeProbability(k), 1e-15, "size " + k);
            sum += sampler.sizeProbability(k);
        }
        assertEquals(1.0, sum, 1e-12);
        assertEquals(0.0, sampler.sizeProbability(0));
        assertEquals(0.0, sampler.sizeProbability(p));
    }

    /**
     * The size histogram of 200,000 draws at P = 49 against the kernel: a chi-square goodness-of-fit
     * test at a fixed seed must not reject at the 0.1% level. A sampler with the ViT Shapley
     * repository's binomial sizes fails it by a wide margin (its size 1 has about a third of the
     * kernel's mass), so the test can fail.
     */
    @Test
    void theSizeHistogramMatchesTheShapleyKernel() {
        int p = 49;
        int draws = 200_000;
        ShapleySampler sampler = new ShapleySampler(p);
        UniformRandomProvider random = random(42);
        long[] observed = new long[p - 1];
        for (int n = 0; n < draws; n++) {
            boolean[] s = sampler.sample(random);
            int k = 0;
            for (boolean b : s) {
                k += b ? 1 : 0;
            }
            assertTrue(k >= 1 && k <= p - 1, "size " + k + " is never drawn");
            observed[k - 1]++;
        }
        double[] expected = new double[p - 1];
        for (int k = 1; k < p; k++) {
            expected[k - 1] = sampler.sizeProbability(k) * draws;
        }
        double pValue = new ChiSquareTest().chiSquareTest(expected, observed);
        assertTrue(pValue > 1e-3, "chi-square p-value " + pValue);

        // The binomial alternative is rejected by the same test, so the test has power.
        long[] binomial = new long[p - 1];
        for (int n = 0; n < draws; n++) {
            int k = 0;
            double keep = random.nextDouble();
            for (int i = 0; i < p; i++) {
                k += random.nextDouble() < keep ? 1 : 0;
            }
            if (k >= 1 && k <= p - 1) {
                binomial[k - 1]++;
            }
        }
        double[] scaled = expected.clone();
        long kept = java.util.Arrays.stream(binomial).sum();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = expected[i] * kept / draws;
        }
        assertTrue(new ChiSquareTest().chiSquareTest(scaled, binomial) < 1e-6, "the test cannot tell sizes apart");
    }

    /** Given its size, every player is equally likely: inclusion frequency k / P within 5 sigma. */
    @Test
    void subsetsOfAGivenSizeAreUniform() {
        int p = 10;
        int size = 3;
        int draws = 50_000;
        ShapleySampler sampler = new ShapleySampler(p);
        UniformRandomProvider random = random(7);
        int[] counts = new int[p];
        for (int n = 0; n < draws; n++) {
            boolean[] s = sampler.subset(size, random);
            int k = 0;
            for (int i = 0; i < p; i++) {
                if (s[i]) {
                    counts[i]++;
                    k++;
                }
            }
            assertEquals(size, k);
        }
        double q = (double) size / p;
        double sigma = Math.sqrt(draws * q * (1 - q));
        for (int i = 0; i < p; i++) {
            assertEquals(draws * q, counts[i], 5 * sigma, "player " + i);
        }
    }

    @Test
    void pairedRowsAreComplements() {
        boolean[][] rows = new ShapleySampler(7).samplePaired(20, random(1));
        assertEquals(40, rows.length);
        for (int r = 0; r < rows.length; r += 2) {
            for (int i = 0; i < 7; i++) {
                assertEquals(!rows[r][i], rows[r + 1][i], "pair " + r / 2 + ", player " + i);
            }
        }
    }

    @Test
    void fewerThanTwoPlayersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ShapleySampler(1));
    }
}
