"""Reference values for FaithfulnessCorrelationTest: Quantus' FaithfulnessCorrelation.evaluate_instance
(quantus/metrics/faithfulness/faithfulness_correlation.py) with its defaults (baseline "black", i.e.
the input's minimum, replaced in every channel at the chosen pixels; logits; scipy's pearsonr),
re-implemented with NumPy and SciPy because Quantus is not installed here. The model is linear,
logits = W x over the flattened [C, H, W] image, so the Java test can build the same model, and the
random subsets (np.random.choice(H * W, subset_size, replace=False)) are drawn here and written out,
so both sides use the same ones. Run with Debian's python3:
python3 faithfulness_correlation_reference.py > faithfulness_correlation_reference.txt

Columns: image (C * 64 values) | map (64 pixel attributions) | W (K rows of C * 64, rows joined by ';')
| target | subsets (runs groups of subset_size pixel indices, joined by ';') | score."""
import numpy as np
from scipy.stats import pearsonr

C, S, K, RUNS, SUBSET = 3, 8, 3, 12, 10


def quantus_faithfulness_correlation(model, x, y, a, subsets):
    a = a.flatten()
    y_pred = float(model(x)[y])
    pred_deltas, att_sums = [], []
    for a_ix in subsets:
        x_perturbed = x.copy()
        black = float(x.min())  # perturb_baseline="black" is arr.min()
        x_perturbed.reshape(C, -1)[:, a_ix] = black  # baseline_replacement_by_indices over the spatial axes
        pred_deltas.append(float(y_pred - float(model(x_perturbed)[y])))
        att_sums.append(np.sum(a[a_ix]))
    return float(pearsonr(att_sums, pred_deltas)[0])


rng = np.random.default_rng(20261209)
np.random.seed(20261209)
print("# image | map | W | target | subsets | score")
for case in range(6):
    x = (0.3 + 0.7 * rng.random((C, S, S))).astype(np.float32)  # minimum well above 0, so "black" is not 0
    w = rng.normal(size=(K, C * S * S)).astype(np.float32)
    model = lambda image: w.astype(np.float64) @ image.astype(np.float64).ravel()
    # a map that tracks the model's per-pixel effect more or less closely
    effect = (w[0].reshape(C, S * S) * (x.reshape(C, -1) - x.min())).sum(axis=0)
    a = (effect + rng.normal(scale=case * 0.5, size=S * S)).astype(np.float32)
    y = int(rng.integers(0, K))
    subsets = [np.random.choice(S * S, SUBSET, replace=False) for _ in range(RUNS)]
    score = quantus_faithfulness_correlation(model, x, y, a, subsets)
    print(",".join(repr(float(v)) for v in x.ravel()) + " | " + ",".join(repr(float(v)) for v in a)
          + " | " + ";".join(",".join(repr(float(v)) for v in row) for row in w) + f" | {y} | "
          + ";".join(",".join(str(int(i)) for i in s) for s in subsets) + f" | {score!r}")
