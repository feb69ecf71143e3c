"""Benchmark: one Wind training step (12 layers, d_model 512, 57 tokens,
batch 1, AdamW) on the host only, and with every op the systolic array runs
placed on the Atleus-like array (configs/atleus-like.json: the products, and
on its vector unit softmax, layer norm, the elementwise ops, dropout, their
gradients and the AdamW updates), simulated functionally (the array computes
the results; planned streams computed whole), instruction by instruction
(--sim instructions: every stream walked, the same bits) and timing-only (the
host computes, the stream's cycles are charged), on this machine, in one run.

Prints the measured wall time per step of each (median of --steps steps after
--warmup), the ratios to the host-only step (target for functional: <= 2), and
the simulated step time and energy on the description (modelled, from
hpt-run --profile: docs/accounting.md). Threads: OMP_NUM_THREADS = cores,
OPENBLAS_NUM_THREADS = 1, as bench/wind_train_step.py.

    /usr/bin/python3 bench/systolic_wind_step.py [--build build] [--steps 5]
    /usr/bin/python3 bench/systolic_wind_step.py --quick   # 2 layers, 1 + 2 steps
"""
import argparse
import csv
import os
import re
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HW = os.path.join(ROOT, "configs", "atleus-like.json")


def compile_bundles(build, workdir, layers):
    generate = [sys.executable, os.path.join(ROOT, "models/generate.py"), "--app", "wind"]
    if layers:
        generate += ["--layers", str(layers)]
    model = subprocess.run(generate, check=True, stdout=subprocess.PIPE, text=True).stdout
    train = subprocess.run([os.path.join(build, "bin/hpt-opt"),
                            "--hpt-autodiff=optimizer=adamw lr=1e-4 weight-decay=1e-4"],
                           input=model, check=True, stdout=subprocess.PIPE, text=True).stdout
    placed = subprocess.run(
        [os.path.join(build, "bin/hpt-opt"),
         "--hpt-place=gemm=systolic vector=systolic optimizer=systolic unsupported=host hw=" + HW,
         "--hpt-systolic-tile=hw=" + HW, "--convert-hpt-to-sa"],
        input=train, check=True, stdout=subprocess.PIPE, text=True).stdout
    bundles = {}
    for name, module in (("host", train), ("systolic", placed)):
        bundles[name] = os.path.join(workdir, name + ".hptb")
        subprocess.run([os.path.join(build, "bin/hpt-translate"), "--hpt-to-bundle", "-o",
                        bundles[name]], input=module, check=True, text=True)
    return bundles


def step_ms(build, bundle, extra, steps, warmup, workdir, env):
    timings = os.path.join(workdir, "timings.csv")
    out = subprocess.run([os.path.join(build, "bin/hpt-run"), bundle, "--data", "synthetic",
                          "--steps", str(warmup + steps), "--quiet", "--no-eval", "--timings",
                          timings] + extra, check=True, stdout=subprocess.PIPE, text=True,
                         env=env).stdout
    with open(timings) as f:
        ms = [float(row["ms"]) for row in csv.DictReader(f)][warmup:]
    return statistics.median(ms), out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    layers, steps, warmup = (2, 2, 1) if args.quick else (0, args.steps, args.warmup)
    env = dict(os.environ, OMP_NUM_THREADS=str(os.cpu_count()), OPENBLAS_NUM_THREADS="1")
    with tempfile.TemporaryDirectory() as workdir:
        bundles = compile_bundles(args.build, workdir, layers)
        host, _ = step_ms(args.build, bundles["host"], [], steps, warmup, workdir, env)
        functional, _ = step_ms(args.build, bundles["systolic"], [], steps, warmup, workdir, env)
        walked, _ = step_ms(args.build, bundles["systolic"], ["--sim", "instructions"], steps,
                            warmup, workdir, env)
        timing, profile = step_ms(args.build, bundles["systolic"], ["--sim", "timing", "--profile"],
                                  steps, warmup, workdir, env)
        size = os.path.getsize(bundles["systolic"])
    modelled = re.search(r"simulated time ([0-9.]+) us, energy ([0-9.]+) uJ", profile)
    print("Wind training step (%s layers, AdamW), %d cores, median of %d steps after %d"
          % (layers or 12, os.cpu_count(), steps, warmup))
    print("  %-34s %10s %8s" % ("", "ms/step", "vs host"))
    print("  %-34s %10.1f %8s" % ("host only", host, "1.00"))
    print("  %-34s %10.1f %8.2f" % ("systolic, functional (measured)", functional,
                                     functional / host))
    print("  %-34s %10.1f %8.2f" % ("systolic, --sim instructions (measured)", walked,
                                     walked / host))
    print("  %-34s %10.1f %8.2f" % ("systolic, --sim timing (measured)", timing, timing / host))
    print("  target: functional <= 2.00 x host: %s" % ("met" if functional <= 2 * host else "MISSED"))
    if modelled:
        print("  simulated step on atleus-like (modelled): %.1f us, %.1f uJ"
              % (float(modelled.group(1)), float(modelled.group(2))))
    print("  bundle with device sections: %.2f MB" % (size / 1e6))


if __name__ == "__main__":
    main()
