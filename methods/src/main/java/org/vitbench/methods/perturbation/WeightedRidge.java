package org.vitbench.methods.perturbation;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.NonSymmetricMatrixException;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * Weighted ridge regression with an unpenalised intercept, for several targets that share one
 * design, with scikit-learn's {@code Ridge(alpha, fit_intercept=True)} semantics under
 * {@code sample_weight}: it minimises {@code sum_j w_j (y_j - b - x_j beta)^2 + alpha |beta|^2}.
 *
 * <p>X and y are centred by their weighted means, then
 * {@code (Xc^T W Xc + alpha I) beta = Xc^T W yc} is solved by Cholesky; when that matrix is not
 * positive definite (alpha 0 with a rank-deficient design, e.g. a constant column or fewer samples
 * than features) the minimum-norm least-squares solution from an SVD is returned instead. The
 * intercept {@code b = ybar - xbar beta} is not returned.
 */
final class WeightedRidge {

    private WeightedRidge() {
    }

    /**
     * @param x {@code [n][m]} features
     * @param y {@code [n][k]} targets, one column per target
     * @param weights {@code [n]}, non-negative with a positive sum
     * @param alpha the L2 penalty on the coefficients, 0 or more
     * @return {@code [k][m]} coefficients per target
     * @throws IllegalArgumentException when the shapes disagree, a weight is negative or NaN, or the
     *     weights sum to 0
     */
    static double[][] coefficients(double[][] x, double[][] y, double[] weights, double alpha) {
        int n = x.length;
        if (n == 0 || y.length != n || weights.length != n) {
            throw new IllegalArgumentException("ridge needs as many rows of x (" + n + "), y (" + y.length
                    + ") and weights (" + weights.length + "), at least one");
        }
        if (!(alpha >= 0)) {
            throw new IllegalArgumentException("alpha must be 0 or more, got " + alpha);
        }
        int m = x[0].length;
        int k = y[0].length;
        double total = 0;
        for (double w : weights) {
            if (!(w >= 0)) {
                throw new IllegalArgumentException("ridge weights must be non-negative, got " + w);
            }
            total += w;
        }
        if (total <= 0) {
            throw new IllegalArgumentException("ridge weights sum to 0");
        }
        double[] xMean = new double[m];
        double[] yMean = new double[k];
        for (int j = 0; j < n; j++) {
            double share = weights[j] / total;
            for (int i = 0; i < m; i++) {
                xMean[i] += share * x[j][i];
            }
            for (int c = 0; c < k; c++) {
                yMean[c] += share * y[j][c];
            }
        }
        double[][] a = new double[m][m];
        double[][] b = new double[m][k];
        double[] xc = new double[m];
        for (int j = 0; j < n; j++) {
            double w = weights[j];
            for (int i = 0; i < m; i++) {
                xc[i] = x[j][i] - xMean[i];
            }
            for (int i = 0; i < m; i++) {
                double wx = w * xc[i];
                for (int l = 0; l <= i; l++) {
                    a[i][l] += wx * xc[l];
                }
                for (int c = 0; c < k; c++) {
                    b[i][c] += wx * (y[j][c] - yMean[c]);
                }
            }
        }
        for (int i = 0; i < m; i++) {
            a[i][i] += alpha;
            for (int l = 0; l < i; l++) {
                a[l][i] = a[i][l]; // exactly symmetric, as Cholesky checks
            }
        }
        RealMatrix lhs = new Array2DRowRealMatrix(a, false);
        RealMatrix rhs = new Array2DRowRealMatrix(b, false);
        RealMatrix beta;
        try {
            beta = new CholeskyDecomposition(lhs).getSolver().solve(rhs); // [m, k]
        } catch (NonPositiveDefiniteMatrixException | NonSymmetricMatrixException e) {
            beta = new SingularValueDecomposition(lhs).getSolver().solve(rhs);
        }
        return beta.transpose().getData(); // [m, k] -> [k, m]
    }
}
