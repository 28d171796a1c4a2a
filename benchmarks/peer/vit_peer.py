#!/usr/bin/env python3
"""PyTorch eager peer of vitbench's ForwardBenchmark and MaskedEvaluationBenchmark.

A self-contained ViT that computes what timm's ``VisionTransformer`` computes for the plain
ImageNet architectures (``vit_{tiny,small,base}_patch16_224``) with timm's non-fused attention
path: Conv2d patch embedding, class token and learned position embedding, pre-norm blocks
(LayerNorm eps 1e-6, qkv Linear with bias, softmax(q k^T * dh^-0.5) v, output projection, GELU MLP
of ratio 4), final LayerNorm and a 1000-class head on the class token; and ``embedded``, the shape
of vitbench's embedded Fashion-MNIST model (1 x 28 x 28, patch 4, D 64, 6 blocks, 4 heads, MLP
ratio 2, 10 classes). Weights are random (seeded, timm's initialisation scheme); everything runs
in float32 under ``torch.no_grad()``.

To do the same work as vitbench, whose models take images in [0, 1], the forward first normalises
the images with the model's mean and std (two elementwise ops), as vitbench's model does.

Subcommands (global options before the subcommand)::

    vit_peer.py --model vit_tiny_patch16_224 --threads 2 forward --batch-size 16 --seconds 2
    vit_peer.py --model vit_base_patch16_224 --threads 2 masked --removal token-drop \\
        --kept-fraction 0.5 --masks 16 --chunk 16 --seconds 2
    vit_peer.py --model vit_tiny_patch16_224 --threads 2 memory --batch-size 64
    vit_peer.py --model embedded --threads 2 integrated-gradients --images 16 --seconds 2
    vit_peer.py --model embedded --threads 2 kernel-shap --samples 4096 --perturbations-per-eval 256
    vit_peer.py --model vit_tiny_patch16_224 selftest

``forward`` and ``masked`` warm up for ``--warmup-runs`` runs, then time ``--runs`` runs of at
least ``--seconds`` each (whole calls only, as a JMH iteration) and print one JSON line with the
configuration, every run's throughput and their median (images/s or masks/s).

``memory`` prints the peak resident memory one forward adds (MB, median of --repeats; the first
repeat is the one to compare, later ones reuse memory the allocator kept), the twin of vitbench's
``org.vitbench.benchmarks.ForwardMemory``.

``integrated-gradients`` and ``kernel-shap`` time captum's ``IntegratedGradients`` and
``KernelShap`` (captum 0.7/0.8, ``captum/attr/_core/{integrated_gradients,kernel_shap,lime}.py``)
re-implemented step for step, since captum cannot be installed offline here: the same path
points, quadrature, coalition stream, weights, batching of perturbations and regression
(scikit-learn's ``LinearRegression`` with sample weights, as captum's ``SkLearnLinearRegression``;
numpy's weighted least squares with an intercept if scikit-learn is missing). They print
images/s, the twin of vitbench's ``MethodBenchmark`` (ms per image).

``masked`` mirrors vitbench's ``MaskedEvaluator`` and ``VisionTransformer``: one image is repeated
``--chunk`` times per forward pass. ``attention-mask`` runs all 197 tokens and excludes removed
patch tokens as keys in every block through an additive bias (0 or -inf; the class token always
visible). ``token-drop`` embeds the chunk (position embedding added), then keeps only the class
token and the kept patch tokens; masks with equal kept counts run together, as in vitbench.
"""

import argparse
import json
import math
import os
import platform
import re
import statistics
import sys
import time

import numpy as np

try:
    import torch
    import torch.nn.functional as F
    from torch import nn
except ImportError as missing:  # pragma: no cover - environment problem
    sys.exit(f"vit_peer.py: cannot import torch ({missing}); install it, e.g. apt-get install -y python3-torch")

IMAGENET = ((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))
# name -> image size, patch size, channels, embedding dim D, depth, heads, MLP ratio, classes, (mean, std):
# timm's vision_transformer.py sizes, and the shape of vitbench's embedded Fashion-MNIST model
# (models/src/main/resources/org/vitbench/models/embedded/vit-fashion-mnist/config.json)
ARCHITECTURES = {
    "vit_tiny_patch16_224": (224, 16, 3, 192, 12, 3, 4, 1000, IMAGENET),
    "vit_small_patch16_224": (224, 16, 3, 384, 12, 6, 4, 1000, IMAGENET),
    "vit_base_patch16_224": (224, 16, 3, 768, 12, 12, 4, 1000, IMAGENET),
    "embedded": (28, 4, 1, 64, 6, 4, 2, 10, ((0.2860406,), (0.35302424,))),
}
LAYER_NORM_EPS = 1e-6
SEED = 20240607  # vitbench's Fixtures.SEED; the random draws differ (another generator), the work does not
REMOVALS = ("attention-mask", "token-drop")
REFERENCE_BLAS = "/blas/libblas.so"  # Debian's netlib reference BLAS: about 2 GFLOP/s, unusable for timing


class Attention(nn.Module):
    """timm's Attention with fused_attn off: explicit scores, optional additive key bias."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.qkv = nn.Linear(dim, 3 * dim, bias=True)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, key_bias=None):
        b, n, d = x.shape
        # [B, n, 3D] -> [B, n, 3, H, dh] -> [3, B, H, n, dh]
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)
        attn = (q * self.scale) @ k.transpose(-2, -1)  # [B, H, n, n]
        if key_bias is not None:
            attn = attn + key_bias  # [B, 1, 1, n]: 0 visible, -inf removed
        attn = attn.softmax(dim=-1)
        x = (attn @ v).transpose(1, 2).reshape(b, n, d)
        return self.proj(x)


class Mlp(nn.Module):
    """fc1, exact GELU, fc2."""

    def __init__(self, dim, hidden):
        super().__init__()
        hidden = int(hidden)
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class Block(nn.Module):
    """Pre-norm transformer block: x + attn(norm1(x)), then x + mlp(norm2(x))."""

    def __init__(self, dim, heads, mlp_ratio):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=LAYER_NORM_EPS)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=LAYER_NORM_EPS)
        self.mlp = Mlp(dim, mlp_ratio * dim)

    def forward(self, x, key_bias=None):
        x = x + self.attn(self.norm1(x), key_bias)
        return x + self.mlp(self.norm2(x))


class PeerViT(nn.Module):
    """A plain timm ViT (class token, token pooling) on images in [0, 1]."""

    def __init__(self, image_size, patch_size, channels, dim, depth, heads, mlp_ratio, classes, mean_std):
        super().__init__()
        self.image_size, self.channels, self.classes = image_size, channels, classes
        self.grid = image_size // patch_size
        self.patches = self.grid * self.grid
        self.register_buffer("mean", torch.tensor(mean_std[0]).view(1, channels, 1, 1))
        self.register_buffer("std", torch.tensor(mean_std[1]).view(1, channels, 1, 1))
        self.patch_embed = nn.Conv2d(channels, dim, kernel_size=patch_size, stride=patch_size)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, self.patches + 1, dim))
        self.blocks = nn.ModuleList(Block(dim, heads, mlp_ratio) for _ in range(depth))
        self.norm = nn.LayerNorm(dim, eps=LAYER_NORM_EPS)
        self.head = nn.Linear(dim, classes)
        self._init_weights()

    def _init_weights(self):
        """timm's init_weights(''): trunc-normal(0.02) weights and pos_embed, 1e-6 normal CLS, zero biases."""
        nn.init.trunc_normal_(self.pos_embed, std=0.02, a=-0.04, b=0.04)
        nn.init.normal_(self.cls_token, std=1e-6)
        for module in self.modules():
            if isinstance(module, (nn.Linear, nn.Conv2d)):
                nn.init.trunc_normal_(module.weight, std=0.02, a=-0.04, b=0.04)
                nn.init.zeros_(module.bias)

    def embed(self, images):
        """[B, C, S, S] in [0, 1] -> tokens [B, 1 + P, D], class token first, position embedding added."""
        x = (images - self.mean) / self.std
        x = self.patch_embed(x).flatten(2).transpose(1, 2)  # [B, D, g, g] -> [B, P, D]
        cls = self.cls_token.expand(x.shape[0], -1, -1)
        return torch.cat((cls, x), dim=1) + self.pos_embed

    def run(self, tokens, key_bias=None):
        """Blocks, final norm and head on the class token: [B, n, D] -> logits [B, K]."""
        for block in self.blocks:
            tokens = block(tokens, key_bias)
        return self.head(self.norm(tokens)[:, 0])

    def forward(self, images):
        return self.run(self.embed(images))

    def attention_masked(self, images, keep):
        """All tokens run; removed patches are masked as keys. keep: bool [B, P]."""
        visible = torch.cat((torch.ones(keep.shape[0], 1, dtype=torch.bool), keep), dim=1)  # [B, N]
        zeros = torch.zeros(visible.shape)
        key_bias = torch.where(visible, zeros, torch.full(visible.shape, float("-inf")))
        return self.run(self.embed(images), key_bias.view(keep.shape[0], 1, 1, -1))

    def token_dropped(self, images, keep):
        """Only the class token and kept patch tokens run; rows with equal kept counts run together."""
        tokens = self.embed(images)  # [B, N, D]
        counts = keep.sum(dim=1)
        logits = torch.empty(keep.shape[0], self.classes)
        for count in torch.unique(counts).tolist():
            rows = (counts == count).nonzero(as_tuple=True)[0]
            # token indices [b_g, 1 + count]: the class token, then the kept patches in grid order
            kept = keep[rows].nonzero(as_tuple=True)[1].view(len(rows), count) + 1
            index = torch.cat((torch.zeros(len(rows), 1, dtype=torch.long), kept), dim=1)
            group = tokens[rows.unsqueeze(1), index]  # [b_g, 1 + count, D]
            logits[rows] = self.run(group)
        return logits


def build_model(name):
    if name not in ARCHITECTURES:
        sys.exit(f"vit_peer.py: unknown --model {name!r}; choose one of {', '.join(ARCHITECTURES)}")
    torch.manual_seed(SEED)
    return PeerViT(*ARCHITECTURES[name]).eval()


def random_images(model, batch, seed):
    generator = torch.Generator().manual_seed(seed)
    return torch.rand(batch, model.channels, model.image_size, model.image_size, generator=generator)


def kept_count(fraction, patches):
    """round(fraction * P) with Java's Math.round (half up), as vitbench counts kept patches."""
    if not 0 <= fraction <= 1:
        sys.exit(f"vit_peer.py: --kept-fraction {fraction} is outside [0, 1]")
    return math.floor(fraction * patches + 0.5)


def keep_masks(masks, patches, kept, seed):
    """bool [masks, P], each row with exactly `kept` patches kept at seeded random positions."""
    generator = torch.Generator().manual_seed(seed)
    keep = torch.zeros(masks, patches, dtype=torch.bool)
    for row in range(masks):
        keep[row, torch.randperm(patches, generator=generator)[:kept]] = True
    return keep


def evaluate_masks(model, image, keep, removal, chunk):
    """vitbench's MaskedEvaluator.evaluate: chunks of `chunk` masked copies of one image -> logits."""
    out = []
    for start in range(0, keep.shape[0], chunk):
        rows = keep[start:start + chunk]
        images = image.repeat(rows.shape[0], 1, 1, 1)  # [1, C, S, S] -> [n, C, S, S], a copy as vitbench's
        if removal == "attention-mask":
            out.append(model.attention_masked(images, rows))
        else:
            out.append(model.token_dropped(images, rows))
    return torch.cat(out)


def gauss_legendre(steps):
    """captum's approximation_methods.gauss_legendre_builders: alphas 0.5 (1 + x_k), step sizes 0.5 w_k."""
    nodes, weights = np.polynomial.legendre.leggauss(steps)
    return list(0.5 * (1 + nodes)), list(0.5 * weights)


def integrated_gradients(model, inputs, target, steps):
    """captum IntegratedGradients.attribute(inputs, target=target, n_steps=steps) at its defaults:
    zero baselines, method="gausslegendre", internal_batch_size=None (every path point of every
    image in one forward and one backward), multiply_by_inputs=True."""
    alphas, step_sizes = gauss_legendre(steps)
    baselines = torch.zeros_like(inputs)
    # captum: torch.cat([baseline + alpha * (input - baseline) for alpha in alphas], dim=0).requires_grad_()
    scaled = torch.cat([baselines + alpha * (inputs - baselines) for alpha in alphas], dim=0).requires_grad_()
    expanded_target = target.repeat(steps)  # captum's _expand_target, ExpansionTypes.repeat
    with torch.enable_grad():
        outputs = model(scaled)
        selected = torch.gather(outputs, 1, expanded_target.reshape(len(outputs), 1))  # _select_targets
        grads = torch.autograd.grad(torch.unbind(selected), scaled)[0]  # captum's compute_gradients
    scaled_grads = grads.contiguous().view(steps, -1) * torch.tensor(step_sizes).float().view(steps, 1)
    total_grads = scaled_grads.reshape((steps, inputs.shape[0]) + tuple(inputs.shape[1:])).sum(0)  # _reshape_and_sum
    return total_grads * (inputs - baselines)


def patch_feature_mask(model):
    """Patch ids 0..P-1 over the image, [1, C, S, S]: a patch is one KernelSHAP player, as in vitbench."""
    patch = model.image_size // model.grid
    rows = torch.arange(model.image_size) // patch
    ids = rows.view(-1, 1) * model.grid + rows.view(1, -1)
    return ids.expand(1, model.channels, -1, -1)


def kernel_shap_samples(num_features):
    """captum's KernelShap.kernel_shap_perturb_generator: all ones, all zeros, then forever a size k
    drawn with probability proportional to (M - 1) / (k (M - k)) and the k largest of M Gaussians."""
    counts = torch.arange(num_features, dtype=torch.float)
    probs = (num_features - 1) / (counts * (num_features - counts))
    probs[0] = 0.0
    num_select = torch.distributions.Categorical(probs)
    yield torch.ones(1, num_features, dtype=torch.long)
    yield torch.zeros(1, num_features, dtype=torch.long)
    while True:
        selected = num_select.sample()
        rand_vals = torch.randn(1, num_features)
        threshold = torch.kthvalue(rand_vals, num_features - selected).values.item()
        yield (rand_vals > threshold).long()


def fit_linear_regression(x, y, w):
    """captum's SkLearnLinearRegression.fit: sklearn LinearRegression() with sample weights -> coef_."""
    try:
        from sklearn.linear_model import LinearRegression
    except ImportError:
        # what LinearRegression.fit does: weighted centring, sqrt-weight rescaling, least squares
        w = w / w.sum()
        x_mean, y_mean = w @ x, w @ y
        root = np.sqrt(w)[:, None]
        coef = np.linalg.lstsq(root * (x - x_mean), root[:, 0] * (y - y_mean), rcond=None)[0]
        return coef, "numpy.linalg.lstsq"
    model = LinearRegression()
    model.fit(x, y, sample_weight=w)
    return model.coef_, "sklearn.linear_model.LinearRegression"


def kernel_shap(model, image, target, feature_mask, num_features, samples, perturbations_per_eval):
    """captum KernelShap(forward).attribute(image, target=target, feature_mask=feature_mask,
    n_samples=samples, perturbations_per_eval=...) for one image, zero baseline: Lime's loop."""
    baselines = torch.zeros_like(image)
    generator = kernel_shap_samples(num_features)
    interpretable, similarities, outputs, current = [], [], [], []

    def evaluate(batch):
        combined = torch.cat(batch, dim=0)  # captum's _reduce_list
        out = model(combined)
        return torch.gather(out, 1, target.repeat(len(batch)).reshape(len(batch), 1)).flatten()

    for _ in range(samples):
        sample = next(generator)
        interpretable.append(sample)
        binary = sample[0][feature_mask].bool()  # captum's default_from_interp_rep_transform
        current.append(binary.to(image.dtype) * image + (~binary).to(image.dtype) * baselines)
        selected = int(sample.sum(dim=1).item())  # kernel_shap_similarity_kernel
        similarities.append(torch.tensor([1000000.0 if selected in (0, num_features) else 1.0]))
        if len(current) == perturbations_per_eval:
            outputs.append(evaluate(current))
            current = []
    if current:
        outputs.append(evaluate(current))
    x = torch.cat(interpretable).float().numpy()
    y = torch.cat(outputs).float().numpy()
    w = torch.cat(similarities).float().numpy()
    coef, fitter = fit_linear_regression(x, y, w)
    coefs = torch.tensor(coef, dtype=torch.float).flatten()
    attribution = torch.zeros_like(image)  # captum's _convert_output_shape
    for feature in range(num_features):
        attribution += coefs[feature].item() * (feature_mask == feature).float()
    return attribution, fitter


def measure(call, units_per_call, seconds, runs, warmup_runs):
    """Throughputs (units/s) of `runs` timed runs, each whole calls for at least `seconds`, after warm-up."""
    def one_run():
        calls = 0
        start = time.perf_counter()
        while True:
            call()
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                return calls * units_per_call / elapsed

    for _ in range(warmup_runs):
        one_run()
    return [one_run() for _ in range(runs)]


def blas_libraries():
    """The BLAS libraries this process has loaded (torch links libblas.so.3 on Debian)."""
    try:
        with open("/proc/self/maps") as maps:
            return sorted({line.split()[-1] for line in maps if re.search(r"blas|mkl", line) and "/" in line})
    except OSError:
        return []


def check_blas(allow_reference):
    libraries = blas_libraries()
    if any(REFERENCE_BLAS in lib for lib in libraries) and not allow_reference:
        sys.exit("vit_peer.py: torch is using the reference BLAS (" + ", ".join(libraries) + "), about 2 GFLOP/s, "
                 "so timings would measure it rather than PyTorch. Install an optimised one, e.g. "
                 "'apt-get install -y libopenblas0-openmp' (Debian switches libblas.so.3 to it), or pass "
                 "--allow-reference-blas to run anyway")
    return libraries


def report(args, extra, throughputs, unit):
    line = {
        "side": "peer",
        "model": args.model,
        "threads": torch.get_num_threads(),
        "interop_threads": torch.get_num_interop_threads(),
        **extra,
        "unit": unit,
        "median": statistics.median(throughputs),
        "runs": throughputs,
        "seconds_per_run": args.seconds,
        "warmup_runs": args.warmup_runs,
        "torch": torch.__version__,
        "python": platform.python_version(),
        "blas": blas_libraries(),
    }
    print(json.dumps(line), flush=True)


def command_forward(args, model):
    if args.batch_size < 1:
        sys.exit(f"vit_peer.py: --batch-size must be at least 1, got {args.batch_size}")
    images = random_images(model, args.batch_size, SEED)
    throughputs = measure(lambda: model(images), args.batch_size, args.seconds, args.runs, args.warmup_runs)
    report(args, {"benchmark": "forward", "batch_size": args.batch_size}, throughputs, "images/s")


def command_masked(args, model):
    if args.masks < 1 or args.chunk < 1:
        sys.exit(f"vit_peer.py: --masks and --chunk must be at least 1, got {args.masks} and {args.chunk}")
    kept = kept_count(args.kept_fraction, model.patches)
    image = random_images(model, 1, SEED)
    keep = keep_masks(args.masks, model.patches, kept, SEED)
    throughputs = measure(lambda: evaluate_masks(model, image, keep, args.removal, args.chunk), args.masks,
                          args.seconds, args.runs, args.warmup_runs)
    extra = {"benchmark": "masked", "removal": args.removal, "kept_fraction": args.kept_fraction, "kept": kept,
             "patches": model.patches, "masks": args.masks, "chunk": args.chunk}
    report(args, extra, throughputs, "masks/s")


def targets_of(model, images):
    """The predicted classes, as vitbench's benchmarks explain them."""
    with torch.no_grad():
        return model(images).argmax(dim=1)


def command_integrated_gradients(args, model):
    if args.images < 1 or args.steps < 1:
        sys.exit(f"vit_peer.py: --images and --steps must be at least 1, got {args.images} and {args.steps}")
    images = random_images(model, args.images, SEED)
    target = targets_of(model, images)
    throughputs = measure(lambda: integrated_gradients(model, images, target, args.steps), args.images,
                          args.seconds, args.runs, args.warmup_runs)
    extra = {"benchmark": "integrated-gradients", "images": args.images, "steps": args.steps,
             "method": "gausslegendre", "internal_batch_size": None}
    report(args, extra, throughputs, "images/s")


def command_kernel_shap(args, model):
    if args.images < 1 or args.samples < 3 or args.perturbations_per_eval < 1:
        sys.exit("vit_peer.py: --images must be at least 1, --samples at least 3, --perturbations-per-eval at least 1")
    images = random_images(model, args.images, SEED)
    target = targets_of(model, images)
    feature_mask = patch_feature_mask(model)
    probabilities = (lambda x: model(x).softmax(dim=1)) if args.output == "probability" else model
    fitters = set()

    def explain_all():
        for b in range(args.images):
            _, fitter = kernel_shap(probabilities, images[b:b + 1], target[b:b + 1], feature_mask, model.patches,
                                    args.samples, args.perturbations_per_eval)
            fitters.add(fitter)

    torch.manual_seed(SEED)
    throughputs = measure(explain_all, args.images, args.seconds, args.runs, args.warmup_runs)
    extra = {"benchmark": "kernel-shap", "images": args.images, "samples": args.samples,
             "perturbations_per_eval": args.perturbations_per_eval, "output": args.output,
             "removal": "pixel baseline 0 (captum's default)", "regression": sorted(fitters)}
    report(args, extra, throughputs, "images/s")


def resident_kb(field):
    """VmRSS or VmHWM (peak resident since the last reset) of this process, in kB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    sys.exit(f"vit_peer.py: /proc/self/status has no {field}; the memory command needs Linux")


def command_memory(args, model):
    """Peak resident memory a forward of --batch-size images adds: VmHWM after it minus VmRSS before.

    A forward of one image runs first (kernels initialised, as in vitbench's ForwardMemory, where
    it also lets the JIT compile), then for each repeat the kernel's peak counter is reset (writing
    5 to /proc/self/clear_refs) and the measured forward runs."""
    images = random_images(model, args.batch_size, SEED)
    model(random_images(model, 1, SEED + 1))  # kernels initialised; leaves almost no freed memory behind
    peaks = []
    for _ in range(args.repeats):
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
        before = resident_kb("VmRSS")
        model(images)
        peaks.append((resident_kb("VmHWM") - before) / 1024)
    line = {"side": "peer", "model": args.model, "benchmark": "memory", "batch_size": args.batch_size,
            "threads": torch.get_num_threads(), "unit": "MB", "median": statistics.median(peaks), "runs": peaks,
            "torch": torch.__version__}
    print(json.dumps(line), flush=True)


def command_selftest(args, model):
    """Attention masking with every patch kept equals the plain forward; token dropping equals attention masking."""
    tolerance = 1e-4
    images = random_images(model, 2, SEED)
    plain = model(images)
    all_kept = model.attention_masked(images, torch.ones(2, model.patches, dtype=torch.bool))
    checks = {"attention-mask, all kept vs forward": (all_kept - plain).abs().max().item()}
    image = random_images(model, 1, SEED + 1)
    keep = keep_masks(1, model.patches, kept_count(0.5, model.patches), SEED)
    masked = model.attention_masked(image, keep)
    dropped = model.token_dropped(image, keep)
    checks["token-drop vs attention-mask, one random mask"] = (dropped - masked).abs().max().item()
    # several masks with different kept counts through the chunked evaluator (grouping by count)
    mixed = torch.cat([keep_masks(2, model.patches, k, SEED + k) for k in (1, 49, 98, 196)])
    by_mask = evaluate_masks(model, image, mixed, "attention-mask", 3)
    by_drop = evaluate_masks(model, image, mixed, "token-drop", 3)
    checks["token-drop vs attention-mask, 8 masks of mixed counts, chunk 3"] = (by_drop - by_mask).abs().max().item()
    scale = plain.abs().max().item()
    failed = [name for name, diff in checks.items() if not diff <= tolerance]
    for name, diff in checks.items():
        print(f"{'FAIL' if name in failed else 'ok  '} {name}: max |difference| {diff:.3g} (logits up to {scale:.3g})")
    # the checks above are vacuous if masking did nothing: half the patches removed must move the logits
    moved = (masked - model(image)).abs().max().item()
    if not moved > 100 * tolerance:
        failed.append("masking changes the logits")
    print(f"{'ok  ' if moved > 100 * tolerance else 'FAIL'} masking half the patches moves the logits by {moved:.3g} "
          f"(must exceed {100 * tolerance:.3g})")
    if failed:
        sys.exit(f"vit_peer.py selftest: {len(failed)} check(s) above {tolerance}")
    print(f"selftest passed ({args.model}, tolerance {tolerance})")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="vit_tiny_patch16_224", choices=sorted(ARCHITECTURES))
    parser.add_argument("--threads", type=int, default=None,
                        help="intra-op threads (torch.set_num_threads); inter-op threads are set to 1")
    parser.add_argument("--allow-reference-blas", action="store_true",
                        help="run even when torch uses the slow reference BLAS")
    sub = parser.add_subparsers(dest="command", required=True)

    def timed(p):
        p.add_argument("--seconds", type=float, default=2.0, help="minimum length of one timed run (JMH -r)")
        p.add_argument("--runs", type=int, default=5, help="timed runs; the median is reported (JMH -i)")
        p.add_argument("--warmup-runs", type=int, default=3, help="untimed runs first (JMH -wi)")

    forward = sub.add_parser("forward", help="images/s of the full forward pass")
    forward.add_argument("--batch-size", type=int, required=True)
    timed(forward)
    masked = sub.add_parser("masked", help="masks/s of masked evaluation of one image")
    masked.add_argument("--removal", choices=REMOVALS, required=True)
    masked.add_argument("--kept-fraction", type=float, required=True)
    masked.add_argument("--masks", type=int, default=512, help="keep-masks per call")
    masked.add_argument("--chunk", type=int, default=256, help="masked copies per forward pass")
    timed(masked)
    memory = sub.add_parser("memory", help="peak resident MB that one forward adds")
    memory.add_argument("--batch-size", type=int, required=True)
    memory.add_argument("--repeats", type=int, default=1, help="measured forwards; the median is reported")
    gradients = sub.add_parser("integrated-gradients", help="images/s of captum's IntegratedGradients, defaults")
    gradients.add_argument("--images", type=int, default=16, help="images per attribute call (one pass, as captum)")
    gradients.add_argument("--steps", type=int, default=50, help="n_steps (captum's default 50)")
    timed(gradients)
    shap = sub.add_parser("kernel-shap", help="images/s of captum's KernelShap over patches")
    shap.add_argument("--images", type=int, default=4, help="images per timed call, explained one at a time")
    shap.add_argument("--samples", type=int, default=4096, help="n_samples: model evaluations per image")
    shap.add_argument("--perturbations-per-eval", type=int, default=1,
                      help="masked images per forward (captum's default 1)")
    shap.add_argument("--output", choices=("probability", "logit"), default="probability",
                      help="the explained output (vitbench's kernel-shap explains probabilities)")
    timed(shap)
    sub.add_parser("selftest", help="check attention masking and token dropping against the plain forward")
    args = parser.parse_args(argv)
    if getattr(args, "runs", 1) < 1 or getattr(args, "warmup_runs", 0) < 0 or getattr(args, "seconds", 1) <= 0:
        parser.error("--runs must be at least 1, --warmup-runs at least 0, --seconds positive")
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.threads is not None:
        if args.threads < 1:
            sys.exit(f"vit_peer.py: --threads must be at least 1, got {args.threads}")
        torch.set_num_interop_threads(1)  # before any inter-op work, as vitbench's runs pin it to 1
        torch.set_num_threads(args.threads)
    check_blas(args.allow_reference_blas or args.command == "selftest")
    torch.set_grad_enabled(False)
    with torch.no_grad():
        model = build_model(args.model)
        {"forward": command_forward, "masked": command_masked, "memory": command_memory,
         "integrated-gradients": command_integrated_gradients, "kernel-shap": command_kernel_shap,
         "selftest": command_selftest}[args.command](args, model)


if __name__ == "__main__":
    main()
