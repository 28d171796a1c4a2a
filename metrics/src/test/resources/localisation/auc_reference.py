"""Reference values for LocalisationAucTest: the ROC AUC of heatmaps against masks, computed the way
scikit-learn's roc_curve and auc do (distinct score thresholds from high to low, cumulative true and
false positive counts from (0, 0), trapezoidal area), re-implemented with NumPy because scikit-learn
is not installed here. Run with Debian's python3: python3 auc_reference.py > auc_reference.txt

Each case is an 8 x 8 image with a 4 x 4 patch grid (patch 2): a patch map upsampled by nearest
neighbour, as vitbench does, so ties between pixels are the rule, not the exception."""
import numpy as np


def roc_auc(labels, scores):
    order = np.argsort(-scores, kind="mergesort")
    s, y = scores[order], labels[order]
    distinct = np.where(np.diff(s))[0]
    ends = np.r_[distinct, y.size - 1]
    tps = np.cumsum(y)[ends]
    fps = 1 + ends - tps
    tpr = np.r_[0, tps] / tps[-1]
    fpr = np.r_[0, fps] / fps[-1]
    return float(np.trapz(tpr, fpr))


rng = np.random.default_rng(20261207)
print("# map (64 values, row-major) | mask (64 values) | auc")
for case in range(8):
    patches = rng.normal(size=(4, 4))
    if case % 3 == 0:
        patches = np.round(patches)  # more ties across patches
    pixels = np.kron(patches, np.ones((2, 2))).astype(np.float32)
    mask = np.zeros((8, 8), dtype=np.float32)
    r0, c0 = rng.integers(0, 5, size=2)
    h, w = rng.integers(2, 5, size=2)
    mask[r0:r0 + h, c0:c0 + w] = 1
    labels = mask.ravel() != 0
    value = roc_auc(labels.astype(np.int64), pixels.ravel().astype(np.float64))
    print(",".join(repr(float(v)) for v in pixels.ravel()) + " | "
          + ",".join(str(int(v)) for v in mask.ravel()) + " | " + repr(value))
