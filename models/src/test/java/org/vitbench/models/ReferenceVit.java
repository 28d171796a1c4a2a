package org.vitbench.models;

import java.util.Map;

/**
 * An independent, loop-by-loop ViT forward in double precision, written from the timm source
 * semantics (pre-norm blocks, fused qkv rows q|k|v, erf GELU, CLS pooling) without DJL: the oracle
 * for the DJL forward. {@code keep} (nullable) applies attention masking as in ViT Shapley.
 */
final class ReferenceVit {

    private ReferenceVit() {
    }

    static double[] logits(VitConfig c, Map<String, float[]> w, float[] mean, float[] std, float[] image,
            boolean[] keep) {
        int g = c.grid();
        int p = c.patchSize();
        int d = c.dim();
        int n = c.numTokens();
        int s = c.imageSize();
        double[][] z = new double[n][d];
        float[] pw = w.get("patch_embed.proj.weight");
        float[] pb = w.get("patch_embed.proj.bias");
        for (int t = 0; t < d; t++) {
            z[0][t] = w.get("cls_token")[t];
        }
        for (int r = 0; r < g; r++) {
            for (int col = 0; col < g; col++) {
                int token = 1 + r * g + col;
                for (int o = 0; o < d; o++) {
                    double acc = pb[o];
                    for (int ch = 0; ch < c.channels(); ch++) {
                        for (int y = 0; y < p; y++) {
                            for (int x = 0; x < p; x++) {
                                double px = image[ch * s * s + (r * p + y) * s + col * p + x];
                                double norm = (px - mean[ch]) / std[ch];
                                acc += norm * pw[((o * c.channels() + ch) * p + y) * p + x];
                            }
                        }
                    }
                    z[token][o] = acc;
                }
            }
        }
        float[] pos = w.get("pos_embed");
        for (int t = 0; t < n; t++) {
            for (int o = 0; o < d; o++) {
                z[t][o] += pos[t * d + o];
            }
        }
        int heads = c.heads();
        int dh = c.headDim();
        for (int l = 0; l < c.depth(); l++) {
            String pre = "blocks." + l + ".";
            double[][] u = layerNorm(z, w.get(pre + "norm1.weight"), w.get(pre + "norm1.bias"), c.layerNormEps());
            double[][] qkv = linear(u, w.get(pre + "attn.qkv.weight"), w.get(pre + "attn.qkv.bias"), 3 * d);
            double[][] out = new double[n][d];
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < n; i++) {
                    double[] a = new double[n];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < n; j++) {
                        if (keep != null && j > 0 && !keep[j - 1]) {
                            a[j] = Double.NEGATIVE_INFINITY;
                            continue;
                        }
                        double dot = 0;
                        for (int e = 0; e < dh; e++) {
                            dot += qkv[i][h * dh + e] * qkv[j][d + h * dh + e];
                        }
                        a[j] = dot / Math.sqrt(dh);
                        max = Math.max(max, a[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < n; j++) {
                        a[j] = Math.exp(a[j] - max);
                        sum += a[j];
                    }
                    for (int j = 0; j < n; j++) {
                        for (int e = 0; e < dh; e++) {
                            out[i][h * dh + e] += a[j] / sum * qkv[j][2 * d + h * dh + e];
                        }
                    }
                }
            }
            add(z, linear(out, w.get(pre + "attn.proj.weight"), w.get(pre + "attn.proj.bias"), d));
            double[][] h1 = linear(layerNorm(z, w.get(pre + "norm2.weight"), w.get(pre + "norm2.bias"),
                    c.layerNormEps()), w.get(pre + "mlp.fc1.weight"), w.get(pre + "mlp.fc1.bias"), c.mlpHidden());
            for (double[] row : h1) {
                for (int e = 0; e < row.length; e++) {
                    row[e] = 0.5 * row[e] * (1 + erf(row[e] / Math.sqrt(2)));
                }
            }
            add(z, linear(h1, w.get(pre + "mlp.fc2.weight"), w.get(pre + "mlp.fc2.bias"), d));
        }
        double[][] fin = layerNorm(new double[][] {z[0]}, w.get("norm.weight"), w.get("norm.bias"), c.layerNormEps());
        return linear(fin, w.get("head.weight"), w.get("head.bias"), c.numClasses())[0];
    }

    private static void add(double[][] z, double[][] delta) {
        for (int i = 0; i < z.length; i++) {
            for (int e = 0; e < z[i].length; e++) {
                z[i][e] += delta[i][e];
            }
        }
    }

    private static double[][] linear(double[][] x, float[] weight, float[] bias, int out) {
        int in = x[0].length;
        double[][] y = new double[x.length][out];
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < out; o++) {
                double acc = bias == null ? 0 : bias[o];
                for (int e = 0; e < in; e++) {
                    acc += x[i][e] * weight[o * in + e];
                }
                y[i][o] = acc;
            }
        }
        return y;
    }

    private static double[][] layerNorm(double[][] x, float[] gamma, float[] beta, double eps) {
        double[][] y = new double[x.length][x[0].length];
        for (int i = 0; i < x.length; i++) {
            double mu = 0;
            for (double v : x[i]) {
                mu += v;
            }
            mu /= x[i].length;
            double var = 0;
            for (double v : x[i]) {
                var += (v - mu) * (v - mu);
            }
            var /= x[i].length;
            for (int e = 0; e < x[i].length; e++) {
                y[i][e] = (x[i][e] - mu) / Math.sqrt(var + eps) * gamma[e] + beta[e];
            }
        }
        return y;
    }

    /** erf to about 1e-13 (Abramowitz-Stegun 7.1.26 is too coarse): series / continued fraction. */
    static double erf(double x) {
        double ax = Math.abs(x);
        double r;
        if (ax < 3) {
            double term = ax;
            double sum = ax;
            for (int k = 1; k < 200; k++) {
                term *= -ax * ax / k;
                double add = term / (2 * k + 1);
                sum += add;
                if (Math.abs(add) < 1e-17) {
                    break;
                }
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            double f = 0;
            for (int k = 60; k >= 1; k--) {
                f = k / 2.0 / (ax + f);
            }
            r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
        }
        return x < 0 ? -r : r;
    }
}
