package org.vitbench.methods.gradient;

import java.util.Locale;

/**
 * Rules for {@code integral_0^1 g(a) da ~ sum_k w_k g(a_k)} along the straight path of Integrated
 * Gradients, named as Captum's {@code approximation_methods} names them (whitebox brief, 3.11).
 * Nodes are returned in increasing order; weights sum to 1 up to rounding.
 */
enum Quadrature {
    /** Gauss-Legendre on [0, 1]: {@code a_k = (1 + t_k) / 2}, {@code w_k = omega_k / 2}; Captum's default. */
    GAUSS_LEGENDRE,
    /** Trapezoid rule on {@code n} equally spaced nodes including both ends; needs {@code n >= 2}. */
    RIEMANN_TRAPEZOID,
    /** Left Riemann sum: {@code a_k = k / n}, {@code w_k = 1 / n}. */
    RIEMANN_LEFT,
    /** Right Riemann sum: {@code a_k = (k + 1) / n}. */
    RIEMANN_RIGHT,
    /** Midpoint rule: {@code a_k = (k + 1/2) / n}. */
    RIEMANN_MIDDLE;

    /** The parameter value, e.g. {@code gauss-legendre}. */
    String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Quadrature parse(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** The smallest number of nodes the rule accepts. */
    int minSteps() {
        return this == RIEMANN_TRAPEZOID ? 2 : 1;
    }

    /**
     * @param n number of nodes, at least {@link #minSteps()}
     * @return {@code {nodes, weights}}, each of length {@code n}
     */
    double[][] rule(int n) {
        if (n < minSteps()) {
            throw new IllegalArgumentException(id() + " needs at least " + minSteps() + " steps, got " + n);
        }
        double[] a = new double[n];
        double[] w = new double[n];
        switch (this) {
            case GAUSS_LEGENDRE -> gaussLegendre(n, a, w);
            case RIEMANN_TRAPEZOID -> {
                for (int k = 0; k < n; k++) {
                    a[k] = (double) k / (n - 1);
                    w[k] = (k == 0 || k == n - 1 ? 0.5 : 1.0) / (n - 1);
                }
            }
            default -> {
                double shift = this == RIEMANN_LEFT ? 0.0 : this == RIEMANN_RIGHT ? 1.0 : 0.5;
                for (int k = 0; k < n; k++) {
                    a[k] = (k + shift) / n;
                    w[k] = 1.0 / n;
                }
            }
        }
        return new double[][] {a, w};
    }

    /**
     * Nodes of the Legendre polynomial {@code P_n} by Newton's method from the guess
     * {@code cos(pi (i + 3/4) / (n + 1/2))}, weights {@code 2 / ((1 - t^2) P_n'(t)^2)}, both mapped
     * from [-1, 1] to [0, 1].
     */
    private static void gaussLegendre(int n, double[] a, double[] w) {
        for (int i = 0; i < n; i++) {
            double t = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            for (int iteration = 0; iteration < 100; iteration++) {
                double[] p = legendre(n, t);
                double step = p[0] / p[1];
                t -= step;
                if (Math.abs(step) < 1e-16) {
                    break;
                }
            }
            double derivative = legendre(n, t)[1]; // at the converged node, not the last iterate
            // Guesses run from t near 1 downwards, so node i goes to position n - 1 - i (increasing).
            a[n - 1 - i] = (1 + t) / 2;
            w[n - 1 - i] = 1.0 / ((1 - t * t) * derivative * derivative); // omega / 2
        }
    }

    /** {@code {P_n(t), P_n'(t)}} by Bonnet's recursion, for {@code |t| < 1}. */
    private static double[] legendre(int n, double t) {
        double p0 = 1; // P_{j-1}
        double p1 = t; // P_j
        for (int j = 2; j <= n; j++) {
            double p2 = ((2 * j - 1) * t * p1 - (j - 1) * p0) / j;
            p0 = p1;
            p1 = p2;
        }
        return new double[] {p1, n * (t * p1 - p0) / (t * t - 1)};
    }
}
