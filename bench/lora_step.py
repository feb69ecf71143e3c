"""Benchmark: full-parameter training step vs LoRA training step of the Wind
model (12 layers, d_model 512, 57 tokens, batch 1), in hpt-run and in PyTorch,
on this machine, in one run.

hpt-run: one bundle with both programs (`hpt-opt --hpt-lora` adds @forward_lora:
adapters on Q and V of every encoder layer, r 8, alpha 64, dropout 0.1; the
adapters and the embed/reduce/decode MLPs trainable), trained with
`--schedule full` and `--schedule lora`; the step times come from `--timings`.
PyTorch: bench/torch_lora_step.py (bench/torch_wind_step.py's model; plain-torch
LoRA on the Q and V nn.Linear of each layer, the same trainable set).

Every measurement is the median of --steps steps after --warmup warm-up steps.
Thread budget, as in bench/wind_train_step.py: hpt-run gets every core (OpenMP
over its single-threaded products: OMP_NUM_THREADS = cores,
OPENBLAS_NUM_THREADS = 1); PyTorch runs in each configuration that does not
oversubscribe the cores (torch threads x OpenBLAS threads <= cores) and the
fastest one of each step kind is compared (--torch-config pins one).

Targets: hpt LoRA / hpt full <= 0.55 and hpt LoRA / PyTorch LoRA <= 0.6.
--profile adds one hpt-run --profile run of each step kind and prints its top ops.
hpt-run's products run on its AVX-512 panel kernel where the CPU has one
(docs/runtime.md, "Matrix products"); HPT_PANEL_GEMM=0 in the environment puts
them all on OpenBLAS, for comparison.

    /usr/bin/python3 bench/lora_step.py [--build build] [--steps 12] [--profile]
    /usr/bin/python3 bench/lora_step.py --quick      # 2 layers, 1 + 4 steps: a smoke test
"""
import argparse
import csv
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wind_train_step import ROOT, measure  # noqa: E402

LORA_TARGET = 0.55   # hpt LoRA step / hpt full step
TORCH_TARGET = 0.6   # hpt LoRA step / PyTorch LoRA step


def compile_wind_lora(build, layers, workdir):
    """The Wind model with `layers` encoder layers, compiled with @train_step
    (full, AdamW lr 3e-5) and @train_step_lora (AdamW lr 1e-4) into one bundle."""
    bundle = os.path.join(workdir, f"wind{layers}.hptb")
    model = subprocess.run([sys.executable, os.path.join(ROOT, "models/generate.py"), "--app",
                            "wind", "--layers", str(layers)],
                           check=True, stdout=subprocess.PIPE, text=True).stdout
    steps = subprocess.run(
        [os.path.join(build, "bin/hpt-opt"), "--hpt-lora",
         "--hpt-autodiff=optimizer=adamw lr=3e-5 weight-decay=1e-4",
         "--hpt-autodiff=function=forward_lora train-function=train_step_lora optimizer=adamw "
         "lr=1e-4 weight-decay=1e-4"],
        input=model, check=True, stdout=subprocess.PIPE, text=True).stdout
    subprocess.run([os.path.join(build, "bin/hpt-translate"), "--hpt-to-bundle", "-o", bundle],
                   input=steps, check=True, text=True)
    return bundle


def hpt_env(cores):
    return dict(os.environ, OMP_NUM_THREADS=str(cores), OPENBLAS_NUM_THREADS="1")


def hpt_step(build, bundle, schedule, warmup, steps, cores, workdir):
    """(median ms/step, peak RSS MiB, fastest ms/step) of `hpt-run --schedule SCHEDULE`
    after warm-up."""
    timings = os.path.join(workdir, f"{schedule}.csv")
    _, peak = measure([os.path.join(build, "bin/hpt-run"), bundle, "--data", "wind",
                       "--schedule", schedule, "--steps", str(warmup + steps), "--quiet",
                       "--no-eval", "--timings", timings], hpt_env(cores))
    with open(timings) as f:
        ms = [float(row["ms"]) for row in csv.DictReader(f)][warmup:]
    return statistics.median(ms), peak, min(ms)


def hpt_profile(build, bundle, schedule, steps, cores):
    """(ms/step in ops, [(op, calls, ms/step, share %)]) of `hpt-run --profile`."""
    out, _ = measure([os.path.join(build, "bin/hpt-run"), bundle, "--data", "wind",
                      "--schedule", schedule, "--steps", str(steps), "--quiet", "--no-eval",
                      "--profile"], hpt_env(cores))
    total = float(re.search(r"host wall time in ops ([\d.]+) ms", out).group(1))
    ops = [(m[1], int(m[2]), float(m[3]), 100 * float(m[3]) / total)
           for m in re.finditer(r"^\s+host\s+(\w+)\s+(\d+)\s+([\d.]+)\s", out, re.M)]
    return total, ops


def torch_step(mode, torch_threads, blas_threads, layers, warmup, steps):
    """(median ms/step, peak RSS MiB, record) of bench/torch_lora_step.py."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(blas_threads),
               OMP_NUM_THREADS=str(torch_threads))
    out, peak = measure([sys.executable, os.path.join(ROOT, "bench/torch_lora_step.py"),
                         "--mode", mode, "--threads", str(torch_threads), "--layers",
                         str(layers), "--steps", str(steps), "--warmup", str(warmup)], env)
    record = json.loads(out)
    return record["median_ms"], peak, record


def verdict(value, target):
    return f"{value:.3f} (target <= {target}: {'met' if value <= target else 'MISSED'})"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--layers", type=int, default=12)
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--torch-config", metavar="T,B",
                        help="only this PyTorch configuration: T torch threads, B OpenBLAS "
                             "threads (default: every one with T x B <= cores)")
    parser.add_argument("--profile", action="store_true",
                        help="also run hpt-run --profile on each step kind, print the top ops")
    parser.add_argument("--top", type=int, default=8, help="ops shown per profile")
    parser.add_argument("--cores", type=int, default=os.cpu_count(),
                        help="cores both sides may use (default: all of this machine's)")
    parser.add_argument("--quick", action="store_true",
                        help="smoke test: 2 layers, 1 warm-up + 4 measured steps")
    args = parser.parse_args()
    if args.quick:
        args.layers, args.warmup, args.steps = 2, 1, 4
    cores = args.cores
    if args.torch_config:
        torch_threads, blas_threads = map(int, args.torch_config.split(","))
        configs = [(torch_threads, blas_threads)]
    else:
        configs = [(threads, 1) for threads in range(1, cores + 1)]
        if cores > 1:
            configs.append((1, cores))  # one torch thread, OpenBLAS on every core
    print(f"Wind, {args.layers} layers; median of {args.steps} steps after {args.warmup} "
          f"warm-up; {cores} cores", flush=True)

    hpt, profiles = {}, {}
    with tempfile.TemporaryDirectory() as workdir:
        bundle = compile_wind_lora(args.build, args.layers, workdir)
        for schedule in ("full", "lora"):
            hpt[schedule] = hpt_step(args.build, bundle, schedule, args.warmup, args.steps,
                                     cores, workdir)
            print(f"hpt-run  {schedule:4}: median {hpt[schedule][0]:.1f} ms/step (fastest "
                  f"{hpt[schedule][2]:.1f}), peak RSS {hpt[schedule][1]:.0f} MiB", flush=True)
        if args.profile:
            for schedule in ("full", "lora"):
                profiles[schedule] = hpt_profile(args.build, bundle, schedule,
                                                 args.warmup + args.steps, cores)

    torch = {}
    for mode in ("full", "lora"):
        results = []
        for torch_threads, blas_threads in configs:
            ms, peak, record = torch_step(mode, torch_threads, blas_threads, args.layers,
                                          args.warmup, args.steps)
            results.append((ms, torch_threads, blas_threads, peak))
            print(f"pytorch  {mode:4}: torch threads {torch_threads}, OpenBLAS threads "
                  f"{blas_threads}: median {ms:.1f} ms/step (fastest {record['min_ms']:.1f}), "
                  f"peak RSS {peak:.0f} MiB "
                  f"({record['trainable']:,} of {record['params']:,} parameters trained)",
                  flush=True)
        torch[mode] = min(results)

    hpt_full, hpt_lora = hpt["full"][0], hpt["lora"][0]
    torch_full, torch_lora = torch["full"][0], torch["lora"][0]
    print()
    print("| | full ms/step | LoRA ms/step | LoRA/full |")
    print("|---|---|---|---|")
    print(f"| hpt-run ({cores} cores) | {hpt_full:.1f} | {hpt_lora:.1f} | "
          f"{verdict(hpt_lora / hpt_full, LORA_TARGET)} |")
    print(f"| PyTorch (full: {torch['full'][1]} torch x {torch['full'][2]} BLAS threads; "
          f"LoRA: {torch['lora'][1]} x {torch['lora'][2]}) | {torch_full:.1f} | "
          f"{torch_lora:.1f} | {torch_lora / torch_full:.3f} |")
    print(f"| hpt/PyTorch | {hpt_full / torch_full:.3f} | "
          f"{verdict(hpt_lora / torch_lora, TORCH_TARGET)} | |")
    print()
    print(f"hpt LoRA / hpt full = {verdict(hpt_lora / hpt_full, LORA_TARGET)}")
    print(f"hpt LoRA / PyTorch LoRA = {verdict(hpt_lora / torch_lora, TORCH_TARGET)}")

    for schedule, (total, ops) in profiles.items():
        print(f"\nhpt-run --profile, {schedule} step ({args.warmup + args.steps} steps, "
              f"{total:.1f} ms/step in ops, warm-up included):")
        for op, calls, ms, share in ops[:args.top]:
            print(f"  {op:20} {calls // (args.warmup + args.steps):6} calls/step "
                  f"{ms:9.2f} ms/step {share:6.1f}%")


if __name__ == "__main__":
    main()
