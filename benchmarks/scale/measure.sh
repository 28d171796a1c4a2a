#!/usr/bin/env bash
# The README's figures at the real sizes (ViT-Ti/16 and ViT-B/16 shapes at 224 pixels, 196 patches),
# with random-weight checkpoints in timm's hub layout (no pretrained weights are needed for time and
# memory). Run from the repository root on an otherwise idle machine; every step appends to OUT.
#   bash benchmarks/scale/measure.sh [OUT]      (default OUT: target/scale)
# Steps: methods (time per image of every method), train (time per training step), memory (peak
# memory of a ViT-B/16 run with 8 images and every method). Select with STEPS="methods train".
set -euo pipefail
out=${1:-target/scale}
steps=${STEPS:-"methods train memory"}
mkdir -p "$out"
out=$(cd "$out" && pwd)
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || ./mvnw -o -B -q -P benchmarks -pl benchmarks -am package -DskipTests
checkpoint() { # timm name, dir, classes
  [ -f "$2/model.safetensors" ] || java -cp "$jar" org.vitbench.benchmarks.RandomCheckpoint "$1" "$2" "$3"
}
checkpoint vit_tiny_patch16_224 "$out/vit-ti" 10
checkpoint vit_base_patch16_224 "$out/vit-b" 10
# ten class folders (the checkpoints have 10 classes), PNGs of several sizes and aspect ratios
images="$out/images"
if [ ! -d "$images" ]; then
  src=models/src/test/resources/fixtures/published/images
  files=(a/tall.png a/wide.png b/square.png)
  for c in $(seq 0 9); do
    mkdir -p "$images/class-$c"
    cp "$src/${files[$((c % 3))]}" "$images/class-$c/image.png"
  done
fi
data="image-folder:dir=$images"
methods_all=(attention-rollout cdam generic-attention gradcam gradcam-attn gradient-input hsic integrated-gradients
  kernel-shap leave-one-out legrad lime lrp occlusion random raw-attention rise saliency smoothgrad sobol tam
  transformer-attribution)

if [[ " $steps " == *" train "* ]]; then
  # time per step: ViT Shapley's surrogate and explainer on both shapes, batch 4 (few steps; the log has steps/s)
  for m in vit-ti vit-b; do
    ./vitbench train surrogate --from "checkpoint:path=$out/$m" --dataset "$data" --out "$out/$m-surrogate" \
      --epochs 2 --batch-size 4 --validation 2 --warmup-epochs 0.5 2>&1 | tee "$out/train-surrogate-$m.log"
    ./vitbench train explainer --surrogate "checkpoint:path=$out/$m-surrogate" --dataset "$data" \
      --out "$out/$m-explainer" --epochs 2 --batch-size 4 --pairs 2 --validation-pairs 1 --validation 2 \
      --warmup-epochs 0.5 2>&1 | tee "$out/train-explainer-$m.log"
  done
fi

if [[ " $steps " == *" methods "* ]]; then
  # time per image of every method with its defaults on ViT-Ti/16 (the explain time of each result record;
  # batch 1, two images: the second is the figure), plus KernelSHAP's ViT Shapley preset capped at 8,192
  # evaluations (its converged runs need 150k to 200k: time per evaluation from this)
  [ -d "$out/vit-ti-explainer" ] || { echo "run STEPS=train first (vit-shapley needs an explainer)"; exit 2; }
  args=()
  for m in "${methods_all[@]}"; do args+=(--method "$m"); done
  ./vitbench run --model "checkpoint:path=$out/vit-ti" --dataset "$data" --limit 2 --batch-size 1 \
    "${args[@]}" --method "kernel-shap:preset=vit-shapley,budget=8192" \
    --method "vit-shapley:explainer=$out/vit-ti-explainer" --metric sparseness --out "$out/methods-vit-ti" \
    --quiet 2>&1 | tee "$out/methods-vit-ti.log"
fi

if [[ " $steps " == *" memory "* ]]; then
  # peak memory (max resident set) of a ViT-B/16 run with 8 images and every method, given 8 GiB; sampling
  # budgets are lowered for time (memory depends on the batch sizes, which come from the budget, not on counts)
  args=()
  for m in "${methods_all[@]}"; do
    case $m in
      kernel-shap) args+=(--method kernel-shap:budget=130) ;;
      lime) args+=(--method lime:samples=64) ;;
      rise) args+=(--method rise:masks=64) ;;
      sobol) args+=(--method sobol:designs=4,grid=4) ;;
      hsic) args+=(--method hsic:designs=32) ;;
      integrated-gradients) args+=(--method integrated-gradients:steps=8) ;;
      smoothgrad) args+=(--method smoothgrad:samples=8) ;;
      *) args+=(--method "$m") ;;
    esac
  done
  [ -d "$out/vit-b-explainer" ] || { echo "run STEPS=train first (vit-shapley needs an explainer)"; exit 2; }
  VITBENCH_JAVA_OPTS=-Xmx2g /usr/bin/time -v ./vitbench run --model "checkpoint:path=$out/vit-b" --dataset "$data" \
    --limit 8 --memory 8g "${args[@]}" --method "vit-shapley:explainer=$out/vit-b-explainer" --metric sparseness --metric faithfulness:subsets=16 \
    --out "$out/memory-vit-b" --quiet 2>&1 | tee "$out/memory-vit-b.log"
fi
