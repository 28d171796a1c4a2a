#!/usr/bin/env python3
"""Interleaved comparison of vitbench (JMH, DJL + PyTorch) with the PyTorch eager peer (vit_peer.py).

In each of --rounds rounds, every configuration (model x forward batch size, and model x masked
removal x kept fraction) runs once on each side with the same thread count, one JMH fork or one
peer process per run; the side that goes first alternates from round to round. Each run reports
the median of its measured iterations (images/s or masks/s); per configuration and side, the
figure is the median over rounds, and the table gives vitbench / peer (above 1: vitbench faster).

Stdlib only. Run from anywhere after building benchmarks/target/benchmarks.jar, e.g.

    nice -n 19 /usr/bin/python3 benchmarks/peer/interleave.py --out results.json

Writes --out (JSON: machine facts, settings, every run) after every round, a Markdown table next to
it (--markdown), and every run's output to --log-dir.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
MODELS = ("embedded", "vit_tiny_patch16_224", "vit_small_patch16_224", "vit_base_patch16_224")
# keep-masks per masked invocation: one invocation of ViT-B/16 with 512 masks takes minutes
DEFAULT_MASKS = {"embedded": 512, "vit_tiny_patch16_224": 64, "vit_small_patch16_224": 32,
                 "vit_base_patch16_224": 16}
JMH_BENCHMARKS = {
    "forward": ("org\\.vitbench\\.benchmarks\\.ForwardBenchmark\\.forward$", "images"),
    "masked": ("org\\.vitbench\\.benchmarks\\.MaskedEvaluationBenchmark\\.evaluate$", "masks"),
}
UNITS = {"forward": "images/s", "masked": "masks/s", "memory": "MB", "integrated-gradients": "images/s",
         "kernel-shap": "images/s"}
# memory: peak resident MB one forward adds (ForwardMemory, vit_peer memory); methods: captum's
# IntegratedGradients and KernelShap at their settings against MethodBenchmark (embedded model only)
KINDS = ("forward", "masked", "memory", "methods")
METHOD_KINDS = ("integrated-gradients", "kernel-shap")
# JMH for a method: whole invocations of 16 images (a KernelSHAP invocation at 4,096 evaluations
# takes half a minute to a minute), so iterations are counted, not timed
METHOD_WARMUP, METHOD_ITERATIONS, METHOD_SECONDS = 1, 3, 1.0
SIDES = ("vitbench", "peer")


class RunFailed(Exception):
    """A JMH or peer run that exited with an error or printed no result."""


def comma_list(value, convert=str):
    return [convert(v.strip()) for v in value.split(",") if v.strip()]


def parse_masks(value, models):
    """'64' for every model, or 'vit_tiny_patch16_224=64,vit_base_patch16_224=16' over the defaults."""
    masks = dict(DEFAULT_MASKS)
    if value is None:
        return masks
    if "=" not in value:
        return {m: int(value) for m in models}
    for item in comma_list(value):
        name, _, count = item.partition("=")
        if name not in MODELS:
            raise SystemExit(f"interleave.py: --masks names unknown model {name!r}; models: {', '.join(MODELS)}")
        masks[name] = int(count)
    return masks


def configurations(args):
    """The list of configurations, forward first, in model order."""
    configs = []
    for model in args.models:
        if "forward" in args.kinds:
            for b in args.batch_sizes:
                configs.append({"id": f"{model} forward b={b}", "model": model, "benchmark": "forward",
                                "batch_size": b})
        if "memory" in args.kinds:
            for b in args.batch_sizes:
                configs.append({"id": f"{model} memory b={b}", "model": model, "benchmark": "memory",
                                "batch_size": b})
        if "methods" in args.kinds and model == "embedded":
            configs.append({"id": f"{model} integrated-gradients", "model": model,
                            "benchmark": "integrated-gradients", "spec": "integrated-gradients",
                            "images": 16, "steps": 50})
            for budget in args.budgets:
                for removal in args.shap_removals:
                    # threshold 0: every image spends the whole budget, as captum's n_samples does
                    configs.append({"id": f"{model} kernel-shap {budget} {removal}", "model": model,
                                    "benchmark": "kernel-shap", "budget": budget, "removal": removal,
                                    "spec": f"kernel-shap:budget={budget};threshold=0;removal={removal}",
                                    "perturbations_per_eval": args.perturbations_per_eval, "images": 1})
        if "masked" in args.kinds:
            for removal in args.removals:
                for kept in args.kept_fractions:
                    configs.append({"id": f"{model} masked {removal} kept={kept:g}", "model": model,
                                    "benchmark": "masked", "removal": removal, "kept_fraction": kept,
                                    "masks": args.masks[model], "chunk": args.chunk})
    return configs


def duration(seconds):
    """JMH time value in milliseconds, so fractional seconds work."""
    return f"{int(round(seconds * 1000))}ms"


def memory_command(args, config):
    """vitbench's peak-memory probe: a plain JVM (not JMH), the same thread settings."""
    return [args.java, f"-Xmx{args.xmx}", "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true",
            f"-Dai.djl.pytorch.num_threads={args.threads}", "-Dai.djl.pytorch.num_interop_threads=1",
            "-cp", args.jar, "org.vitbench.benchmarks.ForwardMemory", config["model"], str(config["batch_size"])]


def jmh_command(args, config, result_file):
    if config["benchmark"] == "memory":
        return memory_command(args, config)
    # -jvmArgsAppend replaces the @Fork arguments, so they are repeated here.
    jvm = (f"-Xmx{args.xmx} -Dai.djl.offline=true -DOPT_OUT_TRACKING=true "
           f"-Dai.djl.pytorch.num_threads={args.threads} -Dai.djl.pytorch.num_interop_threads=1")
    if config["benchmark"] in METHOD_KINDS:
        return [args.java, "-jar", args.jar, "org\\.vitbench\\.benchmarks\\.MethodBenchmark\\.explain$",
                "-p", f"method={config['spec']}", "-f", "1", "-foe", "true",
                "-wi", str(METHOD_WARMUP), "-w", duration(METHOD_SECONDS), "-i", str(METHOD_ITERATIONS),
                "-r", duration(METHOD_SECONDS), "-rf", "json", "-rff", result_file, "-jvmArgsAppend", jvm]
    regex, _ = JMH_BENCHMARKS[config["benchmark"]]
    params = ["-p", f"model={config['model']}"]
    if config["benchmark"] == "forward":
        params += ["-p", f"batchSize={config['batch_size']}"]
    else:
        params += ["-p", f"removal={config['removal']}", "-p", f"keptFraction={config['kept_fraction']}",
                   "-p", f"batchSize={config['chunk']}", "-p", f"masks={config['masks']}"]
    return [args.java, "-jar", args.jar, regex, *params, "-f", "1", "-foe", "true",
            "-wi", str(args.warmup_iterations), "-w", duration(args.seconds),
            "-i", str(args.iterations), "-r", duration(args.seconds),
            "-rf", "json", "-rff", result_file, "-jvmArgsAppend", jvm]


def peer_command(args, config):
    command = [args.python, os.path.join(HERE, "vit_peer.py"), "--model", config["model"],
               "--threads", str(args.threads), config["benchmark"]]
    if config["benchmark"] == "memory":
        return command + ["--batch-size", str(config["batch_size"])]
    if config["benchmark"] in METHOD_KINDS:
        command += ["--images", str(config["images"])]
        if config["benchmark"] == "integrated-gradients":
            command += ["--steps", str(config["steps"])]
        else:
            command += ["--samples", str(config["budget"]), "--perturbations-per-eval",
                        str(config["perturbations_per_eval"])]
        return command + ["--seconds", str(METHOD_SECONDS), "--runs", str(METHOD_ITERATIONS),
                          "--warmup-runs", str(METHOD_WARMUP)]
    if config["benchmark"] == "forward":
        command += ["--batch-size", str(config["batch_size"])]
    else:
        command += ["--removal", config["removal"], "--kept-fraction", str(config["kept_fraction"]),
                    "--masks", str(config["masks"]), "--chunk", str(config["chunk"])]
    return command + ["--seconds", str(args.seconds), "--runs", str(args.iterations),
                      "--warmup-runs", str(args.warmup_iterations)]


def run_logged(command, env, log_path, timeout):
    """Runs command, writing its command line and output to log_path; returns stdout."""
    with open(log_path, "w") as log:
        log.write("$ " + shlex.join(command) + "\n")
        log.flush()
        try:
            done = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                  timeout=timeout)
        except subprocess.TimeoutExpired as e:
            log.write(e.stdout or "")
            raise RunFailed(f"timed out after {timeout} s; see {log_path}")
        except OSError as e:
            raise RunFailed(f"cannot start {command[0]}: {e}")
        log.write(done.stdout)
    if done.returncode != 0:
        tail = "\n".join(done.stdout.strip().splitlines()[-5:])
        raise RunFailed(f"exit code {done.returncode}; see {log_path}:\n{tail}")
    return done.stdout


def run_vitbench(args, config, env, log_path):
    if config["benchmark"] == "memory":
        return run_peer(args, config, env, log_path, memory_command(args, config))
    fd, result_file = tempfile.mkstemp(prefix="jmh-", suffix=".json")
    os.close(fd)
    try:
        command = jmh_command(args, config, result_file)
        run_logged(command, env, log_path, args.timeout)
        with open(result_file) as f:
            text = f.read()
    finally:
        os.unlink(result_file)
    if not text.strip():
        raise RunFailed(f"JMH wrote no result; see {log_path}")
    results = json.loads(text)
    if config["benchmark"] in METHOD_KINDS:
        # MethodBenchmark: milliseconds per image per iteration -> images/s
        metric = results[0]["primaryMetric"]
        iterations = [1000.0 / value for fork in metric["rawData"] for value in fork]
        return {"median": statistics.median(iterations), "runs": iterations, "jmh_score": metric["score"],
                "jmh_unit": metric["scoreUnit"], "jdk": results[0].get("jdkVersion"), "command": shlex.join(command)}
    _, counter = JMH_BENCHMARKS[config["benchmark"]]
    if len(results) != 1 or counter not in results[0].get("secondaryMetrics", {}):
        raise RunFailed(f"JMH result has no single '{counter}' counter; see {log_path}")
    metric = results[0]["secondaryMetrics"][counter]
    iterations = [value for fork in metric["rawData"] for value in fork]
    return {"median": statistics.median(iterations), "runs": iterations, "jmh_score": metric["score"],
            "jmh_error": metric["scoreError"], "jdk": results[0].get("jdkVersion"),
            "command": shlex.join(command)}


def run_peer(args, config, env, log_path, command=None):
    command = command or peer_command(args, config)
    out = run_logged(command, env, log_path, args.timeout)
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if not lines:
        raise RunFailed(f"the peer printed no JSON line; see {log_path}")
    result = json.loads(lines[-1])
    result["command"] = shlex.join(command)
    return result


def read_first(path, pattern):
    try:
        with open(path) as f:
            for line in f:
                m = re.match(pattern, line)
                if m:
                    return m.group(1).strip()
    except OSError:
        pass
    return None


def physical_cores():
    cores = set()
    physical = None
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("physical id"):
                    physical = line.split(":")[1].strip()
                elif line.startswith("core id"):
                    cores.add((physical, line.split(":")[1].strip()))
    except OSError:
        pass
    return len(cores) or None


def jar_properties(jar, name):
    """key=value lines of a properties file inside the jar; empty when it is missing."""
    try:
        with zipfile.ZipFile(jar) as z:
            text = z.read(name).decode()
    except (OSError, KeyError, zipfile.BadZipFile):
        return {}
    pairs = (line.partition("=") for line in text.splitlines() if "=" in line and not line.startswith("#"))
    return {key.strip(): value.strip() for key, _, value in pairs}


def command_output(command):
    try:
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
        return done.stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return None


def machine_facts(args):
    memory_kb = read_first("/proc/meminfo", r"MemTotal:\s*(\d+) kB")
    java = command_output([args.java, "-version"]) or ""
    engine = jar_properties(args.jar, "pytorch-engine.properties")
    native = jar_properties(args.jar, "native/lib/pytorch.properties")
    torch = command_output([args.python, "-c", "import torch; print(torch.__version__)"])
    return {
        "cpu_model": read_first("/proc/cpuinfo", r"model name\s*:\s*(.*)"),
        "logical_cpus": os.cpu_count(),
        "physical_cores": physical_cores(),
        "memory_gib": round(int(memory_kb) / 2**20, 1) if memory_kb else None,
        "kernel": platform.release(),
        "jdk": " / ".join(java.splitlines()[:2]),
        "djl": engine.get("djl_version"),
        "vitbench_pytorch": native.get("version") or engine.get("pytorch_version"),
        "vitbench_pytorch_flavor": native.get("flavor"),
        "peer_torch": torch,
        "peer_python": args.python,
        "intra_op_threads": args.threads,
        "inter_op_threads": 1,
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"),
        "niceness": os.getpriority(os.PRIO_PROCESS, 0),
        "vitbench_commit": command_output(["git", "-C", REPO, "rev-parse", "HEAD"]),
    }


def median_or_none(values):
    return statistics.median(values) if values else None


def summarise(configs, rounds):
    """Per configuration: each side's per-round medians, their median, and the ratio vitbench / peer."""
    rows = []
    for config in configs:
        per_side = {side: [r[config["id"]][side]["median"] for r in rounds
                           if side in r.get(config["id"], {}) and "median" in r[config["id"]][side]]
                    for side in SIDES}
        medians = {side: median_or_none(per_side[side]) for side in SIDES}
        ratio = medians["vitbench"] / medians["peer"] if medians["vitbench"] and medians["peer"] else None
        rows.append({**config, "unit": UNITS[config["benchmark"]], "vitbench_rounds": per_side["vitbench"],
                     "peer_rounds": per_side["peer"], "vitbench": medians["vitbench"], "peer": medians["peer"],
                     "ratio": ratio})
    return rows


def fmt(value, digits=3):
    if value is None:
        return "failed"
    return f"{value:.{digits}g}" if abs(value) < 10 ** digits else f"{value:,.0f}"


def spread(values):
    return f"{fmt(min(values))}–{fmt(max(values))}" if values else "–"


def markdown(report):
    m, s = report["machine"], report["settings"]
    lines = [
        "# vitbench vs PyTorch eager (interleaved)",
        "",
        f"- Machine: {m['cpu_model']}, {m['physical_cores']} cores / {m['logical_cpus']} logical CPUs, "
        f"{m['memory_gib']} GiB, Linux {m['kernel']}; no GPU used",
        f"- vitbench: {m['jdk']}; DJL {m['djl']}, PyTorch {m['vitbench_pytorch']} ({m['vitbench_pytorch_flavor']}); "
        f"commit {m['vitbench_commit']}",
        f"- peer: torch {m['peer_torch']} ({m['peer_python']}); BLAS {', '.join(s.get('peer_blas') or ['?'])}",
        f"- Threads: {m['intra_op_threads']} intra-op, {m['inter_op_threads']} inter-op on both sides; "
        f"OMP_WAIT_POLICY={m['omp_wait_policy']}, nice {m['niceness']}",
        f"- {s['rounds_done']} of {s['rounds']} rounds, side order alternating; per run {s['warmup_iterations']} "
        f"warm-up and {s['iterations']} measured iterations of {s['seconds']} s (median of the measured ones); "
        f"forward: random images; masked: one random image, {s['chunk']} masked copies per forward pass"
        + (f"; methods: {METHOD_WARMUP} warm-up and {METHOD_ITERATIONS} measured iterations of whole invocations "
           f"(at least {METHOD_SECONDS:g} s), vitbench 16 images per invocation (MethodBenchmark), the peer's "
           "KernelShap one image per call" if any(c["benchmark"] in METHOD_KINDS for c in report["configs"]) else ""),
        f"- Started {report['started']}, finished {report.get('finished', '(running)')}; load average at start "
        f"{report['load_start']}, at end {report.get('load_end')}",
        "",
        "Medians over rounds; for images/s and masks/s vitbench / peer above 1 means vitbench is faster, for MB "
        "(peak resident memory one forward adds) below 1 means vitbench needs less. Ranges are the per-round medians.",
        "",
        "| model | benchmark | setting | unit | vitbench | peer | vitbench / peer | vitbench range | peer range |",
        "|---|---|---|---|---:|---:|---:|---|---|",
    ]
    for row in report["summary"]:
        if row["benchmark"] in ("forward", "memory"):
            setting = f"batch {row['batch_size']}"
        elif row["benchmark"] == "integrated-gradients":
            setting = f"{row['steps']} steps, vitbench's defaults vs captum's (all points in one pass)"
        elif row["benchmark"] == "kernel-shap":
            setting = (f"{row['budget']:,} evaluations; vitbench {row['removal']}, captum pixel baseline 0, "
                       f"{row['perturbations_per_eval']} per forward")
        else:
            setting = f"{row['removal']}, kept {row['kept_fraction']:g}, {row['masks']} masks"
        ratio = f"{row['ratio']:.2f}" if row["ratio"] else "–"
        lines.append(f"| {row['model']} | {row['benchmark']} | {setting} | {row['unit']} | {fmt(row['vitbench'])} | "
                     f"{fmt(row['peer'])} | {ratio} | {spread(row['vitbench_rounds'])} | {spread(row['peer_rounds'])} |")
    if report["failures"]:
        lines += ["", "Failed runs:", ""] + [f"- round {f['round']}, {f['config']}, {f['side']}: {f['error'].splitlines()[0]}"
                                            for f in report["failures"]]
    return "\n".join(lines) + "\n"


def write_report(report, args):
    with open(args.out, "w") as f:
        json.dump(report, f, indent=2)
    with open(args.markdown, "w") as f:
        f.write(markdown(report))


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--models", type=comma_list, default=list(MODELS),
                        help="comma-separated, from " + ", ".join(MODELS))
    parser.add_argument("--kinds", type=comma_list, default=["forward", "masked"],
                        help="comma-separated, from " + ", ".join(KINDS) + " (default forward,masked)")
    parser.add_argument("--batch-sizes", type=lambda v: comma_list(v, int), default=[1, 16, 64],
                        help="forward batch sizes (default 1,16,64)")
    parser.add_argument("--removals", type=comma_list, default=["attention-mask", "token-drop"])
    parser.add_argument("--kept-fractions", type=lambda v: comma_list(v, float), default=[0.25, 0.5, 1.0])
    parser.add_argument("--chunk", type=int, default=16, help="masked copies per forward pass (JMH batchSize)")
    parser.add_argument("--budgets", type=lambda v: comma_list(v, int), default=[1024, 4096],
                        help="methods: KernelSHAP evaluations per image (default 1024,4096)")
    parser.add_argument("--shap-removals", type=comma_list, default=["token-drop", "pixel-zero"],
                        help="methods: vitbench's KernelSHAP removals (default token-drop, its default, and "
                             "pixel-zero, captum's work)")
    parser.add_argument("--perturbations-per-eval", type=int, default=256,
                        help="methods: captum KernelShap's perturbations_per_eval (its default 1 is about "
                             "5x slower on the embedded model; 256 is its fastest setting there)")
    parser.add_argument("--masks", default=None,
                        help="masks per invocation: one number, or model=count pairs (default "
                             + ", ".join(f"{k}={v}" for k, v in DEFAULT_MASKS.items()) + ")")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="intra-op threads on both sides")
    parser.add_argument("--warmup-iterations", type=int, default=3, help="JMH -wi and the peer's --warmup-runs")
    parser.add_argument("--iterations", type=int, default=5, help="JMH -i and the peer's --runs")
    parser.add_argument("--seconds", type=float, default=2.0, help="iteration time: JMH -w/-r, peer --seconds")
    parser.add_argument("--java", default="java")
    parser.add_argument("--jar", default=os.path.join(REPO, "benchmarks", "target", "benchmarks.jar"))
    parser.add_argument("--python", default=sys.executable, help="the Python with torch for the peer")
    parser.add_argument("--xmx", default="8g", help="JMH fork heap (the activations are native memory)")
    parser.add_argument("--timeout", type=float, default=None, help="seconds before one run is abandoned")
    parser.add_argument("--out", default="results.json")
    parser.add_argument("--markdown", default=None, help="default: --out with .md")
    parser.add_argument("--log-dir", default=None, help="default: --out without .json, plus -logs")
    parser.add_argument("--dry-run", action="store_true", help="print the commands of one round and stop")
    args = parser.parse_args(argv)
    for model in args.models:
        if model not in MODELS:
            parser.error(f"unknown model {model!r}; the peer builds {', '.join(MODELS)}")
    for kind in args.kinds:
        if kind not in KINDS:
            parser.error(f"unknown kind {kind!r}; use " + ", ".join(KINDS))
    for removal in args.removals:
        if removal not in ("attention-mask", "token-drop"):
            parser.error(f"unknown removal {removal!r}; use attention-mask, token-drop")
    if args.rounds < 1 or args.iterations < 1 or args.warmup_iterations < 0 or args.seconds <= 0 or args.threads < 1:
        parser.error("--rounds, --iterations and --threads must be at least 1, --warmup-iterations at least 0, "
                     "--seconds positive")
    args.masks = parse_masks(args.masks, args.models)
    stem = args.out[:-5] if args.out.endswith(".json") else args.out
    args.markdown = args.markdown or stem + ".md"
    args.log_dir = args.log_dir or stem + "-logs"
    if not args.dry_run and not os.path.isfile(args.jar):
        parser.error(f"{args.jar} does not exist; build it with ./mvnw -o -B -q -P benchmarks -pl benchmarks -am "
                     "package -DskipTests")
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    configs = configurations(args)
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), MKL_NUM_THREADS=str(args.threads))
    if args.dry_run:
        for config in configs:
            print(shlex.join(jmh_command(args, config, "RESULT.json")))
            print(shlex.join(peer_command(args, config)))
        return 0
    os.makedirs(args.log_dir, exist_ok=True)
    for path in (args.out, args.markdown):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    least = args.rounds * len(configs) * 2 * (args.warmup_iterations + args.iterations) * args.seconds
    print(f"{len(configs)} configurations x {args.rounds} rounds x 2 sides; at least {least / 60:.1f} min of "
          f"iterations, plus start-up and invocations longer than --seconds", flush=True)
    machine = machine_facts(args)
    if not machine["peer_torch"] or not re.match(r"\d", machine["peer_torch"]):
        raise SystemExit(f"interleave.py: {args.python} cannot import torch ({(machine['peer_torch'] or '?').splitlines()[-1]}); pass "
                         "--python /usr/bin/python3 or install it (apt-get install -y python3-torch)")
    if "version" not in (machine["jdk"] or ""):
        raise SystemExit(f"interleave.py: '{args.java} -version' failed ({machine['jdk']}); pass --java")
    report = {
        "started": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "load_start": [round(x, 2) for x in os.getloadavg()],
        "command": shlex.join([sys.executable, *sys.argv]),
        "machine": machine,
        "settings": {"rounds": args.rounds, "rounds_done": 0, "warmup_iterations": args.warmup_iterations,
                     "iterations": args.iterations, "seconds": args.seconds, "chunk": args.chunk,
                     "masks": args.masks, "xmx": args.xmx, "peer_blas": None},
        "configs": configs, "rounds": [], "failures": [], "summary": [],
    }
    for r in range(args.rounds):
        order = SIDES if r % 2 == 0 else SIDES[::-1]
        results = {}
        for i, config in enumerate(configs):
            results[config["id"]] = {"order": list(order)}
            for side in order:
                slug = re.sub(r"[^\w.=-]+", "_", config["id"])
                log_path = os.path.join(args.log_dir, f"round{r + 1}-{slug}-{side}.log")
                started = time.monotonic()
                try:
                    run = (run_vitbench if side == "vitbench" else run_peer)(args, config, env, log_path)
                    results[config["id"]][side] = run
                    if side == "peer":
                        report["settings"]["peer_blas"] = run.get("blas")
                    status = f"{fmt(run['median'])} {UNITS[config['benchmark']]}"
                except RunFailed as e:
                    results[config["id"]][side] = {"error": str(e)}
                    report["failures"].append({"round": r + 1, "config": config["id"], "side": side,
                                               "error": str(e)})
                    status = "FAILED: " + str(e).splitlines()[0]
                print(f"round {r + 1}/{args.rounds} [{i + 1}/{len(configs)}] {config['id']:<52} {side:<8} "
                      f"{status} ({time.monotonic() - started:.0f} s)", flush=True)
        report["rounds"].append(results)
        report["settings"]["rounds_done"] = r + 1
        report["summary"] = summarise(configs, report["rounds"])
        write_report(report, args)
    report["finished"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    report["load_end"] = [round(x, 2) for x in os.getloadavg()]
    write_report(report, args)
    print()
    print(markdown(report))
    print(f"wrote {args.out}, {args.markdown} and the run logs in {args.log_dir}/")
    return 1 if report["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
