"""Reference values for SensitivityTest: Quantus' MaxSensitivity and AvgSensitivity
(quantus/metrics/robustness/max_sensitivity.py and avg_sensitivity.py, evaluate_batch) with their
defaults (similarity_func=difference, norm_numerator=norm_denominator=fro_norm, abs=False,
normalise=False, return_nan_when_prediction_changes=False, so np.nanmax / np.nanmean of
||a - a'|| / ||a||), re-implemented with NumPy because Quantus is not installed here. Quantus adds
batch_uniform_noise, U(-lower_bound, lower_bound), to the tensor the model is given; here that is
the normalised image (x - mean) / std. The explanation function is one the Java test builds too:
per patch, the sum over channels and pixels of the squared normalised input, so a noise scale in
the wrong space changes the numbers. The noise is drawn here and written out, so both sides use
the same copies. Run with Debian's python3:
python3 sensitivity_reference.py > sensitivity_reference.txt

Then LocalLipschitzEstimate (local_lipschitz_estimate.py) with its defaults: batch_gaussian_noise
N(0, 0.1) on the normalised input, normalise=True with normalise_by_max (here per map, Quantus'
value for a batch of one), the maps compared as pixel maps (the patch map repeated over its P x P
pixels), similarity_func=lipschitz_constant with distance_euclidean for numerator and denominator
(eps 1e-10), np.nanmax.

Columns: kind (sensitivity or lipschitz) | image (C * S * S values in [0, 1]) | noise (N rows of
C * S * S, rows joined by ';') | per-copy values (N) | max | mean."""
import numpy as np

C, S, P, N, RADIUS = 3, 8, 4, 6, 0.2
MEAN = np.array([0.4, 0.5, 0.3]).reshape(C, 1, 1)
STD = np.array([0.2, 0.25, 0.3]).reshape(C, 1, 1)


def explain(x_normalised):
    """Per patch (row-major over the S/P x S/P grid): sum of squares over channels and pixels."""
    g = S // P
    sq = (x_normalised ** 2).sum(axis=0)
    return sq.reshape(g, P, g, P).sum(axis=(1, 3)).flatten()


def quantus_sensitivities(x_normalised, noise):
    a = explain(x_normalised).reshape(1, -1)
    out = []
    for u in noise:
        a_perturbed = explain(x_normalised + u.reshape(C, S, S)).reshape(1, -1)
        sensitivities = a - a_perturbed  # difference
        numerator = np.linalg.norm(sensitivities, axis=-1)  # fro_norm
        denominator = np.linalg.norm(a, axis=-1)  # fro_norm of a_batch
        out.append(float((numerator / denominator)[0]))
    return np.array(out)


def normalise_by_max(a):
    return a if np.all(a == 0.0) else a / np.max(np.abs(a))


def pixels(patch_map):
    g = S // P
    return np.kron(patch_map.reshape(g, g), np.ones((P, P))).flatten()


def quantus_lipschitz(x_normalised, noise):
    a = pixels(normalise_by_max(explain(x_normalised)))
    out = []
    for u in noise:
        x_perturbed = x_normalised + u.reshape(C, S, S)
        b = pixels(normalise_by_max(explain(x_perturbed)))
        numerator = ((a - b) ** 2).sum(axis=-1) ** 0.5  # distance_euclidean
        denominator = ((x_normalised.flatten() - x_perturbed.flatten()) ** 2).sum(axis=-1) ** 0.5
        out.append(float(numerator / (denominator + 1e-10)))
    return np.array(out)


def fmt(v):
    return ",".join(repr(float(t)) for t in np.asarray(v).flatten())


rng = np.random.default_rng(20261207)
print("# kind | image | noise | per-copy values | max | mean")
for kind in ("sensitivity", "lipschitz"):
    for case in range(4):
        image = rng.uniform(0, 1, size=(C, S, S)).astype(np.float32)
        if kind == "sensitivity":
            noise = rng.uniform(-RADIUS, RADIUS, size=(N, C * S * S)).astype(np.float32)
        else:
            noise = rng.normal(0, 0.1, size=(N, C * S * S)).astype(np.float32)
        x = ((image - MEAN) / STD).astype(np.float64)
        f = quantus_sensitivities if kind == "sensitivity" else quantus_lipschitz
        values = f(x, noise.astype(np.float64))
        print(" | ".join([kind, fmt(image), ";".join(fmt(u) for u in noise), fmt(values),
                          repr(float(np.nanmax(values))), repr(float(np.nanmean(values)))]))
