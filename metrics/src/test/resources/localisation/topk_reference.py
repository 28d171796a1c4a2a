"""Reference values for TopKIntersectionTest and AttributionLocalisationTest: Quantus'
TopKIntersection and AttributionLocalisation (quantus/metrics/localisation/top_k_intersection.py
and attribution_localisation.py, evaluate_instance), re-implemented with NumPy because Quantus is
not installed here. Run with Debian's python3: python3 topk_reference.py > topk_reference.txt

Each case is an 8 x 8 one-channel image. Odd cases are continuous random pixel maps (no ties), where
Quantus' own steps (np.argsort, the last k indices) are followed literally. Even cases are a 4 x 4
patch map upsampled by nearest neighbour (patch 2), as vitbench scores ViT maps, so the k-th place
usually falls inside a tie; there each pixel of the tie straddling the cut is selected with
probability (places left) / (tie size), the expectation over random orders of the tie, computed
pixel by pixel.

Columns: map | mask | k | top-k | top-k with concept influence | attribution localisation |
attribution localisation weighted (C = 1)."""
import numpy as np


def quantus_top_k(a, s, k):
    """evaluate_instance of TopKIntersection, concept_influence=False: argsort, last k, intersection / k."""
    top = np.zeros(a.shape)
    np.put_along_axis(top, np.argsort(a, axis=None)[-k:], 1, axis=None)
    return 1.0 / k * np.sum(np.logical_and(s.astype(bool), top.astype(bool)))


def expected_top_k(a, s, k):
    """The same share with ties at the cut counted by expectation: selection probability per pixel."""
    flat = a.ravel()
    threshold = np.sort(flat)[::-1][k - 1]  # the k-th largest value
    above = flat > threshold
    tie = flat == threshold
    probability = above.astype(float) + tie * (k - above.sum()) / tie.sum()
    return float(np.sum(probability * (s.ravel() != 0)) / k)


def attribution_localisation(a, s, channels, weighted):
    """evaluate_instance of AttributionLocalisation after abs=True and normalise_by_max."""
    a = np.abs(a).ravel().astype(np.float64)
    a = a / np.max(np.abs(a))
    s = s.ravel().astype(bool)
    ratio = float(np.sum(s)) / (channels * s.size)
    inside = float(np.sum(a[s]) / np.sum(a))
    return inside * ratio if weighted else inside


rng = np.random.default_rng(20261208)
print("# map (64 values, row-major) | mask (64 values) | k | top-k | top-k concept influence | "
      "attribution localisation | weighted")
for case in range(12):
    if case % 2:
        pixels = rng.normal(size=(8, 8)).astype(np.float32)
    else:
        patches = rng.normal(size=(4, 4))
        if case % 4 == 0:
            patches = np.round(patches)  # ties across patches too
        pixels = np.kron(patches, np.ones((2, 2))).astype(np.float32)
    mask = np.zeros((8, 8), dtype=np.float32)
    r0, c0 = rng.integers(0, 5, size=2)
    h, w = rng.integers(2, 5, size=2)
    mask[r0:r0 + h, c0:c0 + w] = 1
    k = int(rng.integers(1, 40))
    a = pixels.astype(np.float64)
    if case % 2:
        top = quantus_top_k(a, mask, k)
        assert abs(top - expected_top_k(a, mask, k)) < 1e-12  # no ties: both readings agree
    else:
        top = expected_top_k(a, mask, k)
    influence = top * mask.size / np.sum(mask != 0)
    print(",".join(repr(float(v)) for v in pixels.ravel()) + " | " + ",".join(str(int(v)) for v in mask.ravel())
          + f" | {k} | {top!r} | {influence!r} | {attribution_localisation(a, mask, 1, False)!r} | "
          + repr(attribution_localisation(a, mask, 1, True)))
