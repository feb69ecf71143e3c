"""Benchmark: one training step (forward + backward + AdamW) of the full Wind
model (12 layers, d_model 512, 57 tokens, batch 1) in hpt-run and in PyTorch,
on this machine, in one run. Prints the median step time of each (>= 10 steps
after warm-up), their peak memory, and `hpt/pytorch = R`.

PyTorch runs in each configuration that does not oversubscribe the cores
(torch threads x OpenBLAS threads <= cores) and the fastest one is compared.

    /usr/bin/python3 bench/wind_train_step.py [--build build] [--steps 12]
"""
import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def measure(command, env=None):
    """Runs `command` under GNU time; returns (stdout, peak RSS MiB)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        result = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report.name] + command,
                                stdout=subprocess.PIPE, env=env, text=True)
        if result.returncode != 0:
            sys.exit(f"failed ({result.returncode}): {' '.join(command)}")
        peak_kib = int(report.read().strip().splitlines()[-1])
    return result.stdout, peak_kib / 1024


def compile_wind(build, workdir):
    bundle = os.path.join(workdir, "wind.hptb")
    model = subprocess.run([sys.executable, os.path.join(ROOT, "models/generate.py"), "--app",
                            "wind"], check=True, stdout=subprocess.PIPE, text=True).stdout
    step = subprocess.run([os.path.join(build, "bin/hpt-opt"),
                           "--hpt-autodiff=optimizer=adamw lr=1e-4 weight-decay=1e-4"],
                          input=model, check=True, stdout=subprocess.PIPE, text=True).stdout
    subprocess.run([os.path.join(build, "bin/hpt-translate"), "--hpt-to-bundle", "-o", bundle],
                   input=step, check=True, text=True)
    return bundle


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    cores = os.cpu_count()
    with tempfile.TemporaryDirectory() as workdir:
        bundle = compile_wind(args.build, workdir)
        timings = os.path.join(workdir, "timings.csv")
        _, hpt_peak = measure([os.path.join(args.build, "bin/hpt-run"), bundle, "--data", "wind",
                               "--steps", str(args.warmup + args.steps), "--quiet", "--no-eval",
                               "--timings", timings])
        ms = [float(row["ms"]) for row in csv.DictReader(open(timings))][args.warmup:]
        hpt_ms = statistics.median(ms)

    configs = [(threads, 1) for threads in range(1, cores + 1)]
    configs.append((1, cores))  # one torch thread, OpenBLAS on every core
    results = []
    for torch_threads, blas_threads in configs:
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(blas_threads),
                   OMP_NUM_THREADS=str(torch_threads))
        out, peak = measure([sys.executable, os.path.join(ROOT, "bench/torch_wind_step.py"),
                             "--threads", str(torch_threads), "--steps", str(args.steps),
                             "--warmup", str(args.warmup)], env)
        record = json.loads(out)
        results.append((record["median_ms"], torch_threads, blas_threads, peak))
        print(f"pytorch  torch threads {torch_threads}, OpenBLAS threads {blas_threads}: "
              f"median {record['median_ms']:.1f} ms/step, peak RSS {peak:.0f} MiB")
    torch_ms, torch_threads, blas_threads, torch_peak = min(results)
    print(f"hpt-run  ({cores} cores: OpenMP over single-threaded OpenBLAS calls): median {hpt_ms:.1f} ms/step over "
          f"{len(ms)} steps, peak RSS {hpt_peak:.0f} MiB")
    print(f"fastest pytorch: {torch_ms:.1f} ms/step (torch threads {torch_threads}, "
          f"OpenBLAS threads {blas_threads}), peak RSS {torch_peak:.0f} MiB")
    print(f"hpt/pytorch = {hpt_ms / torch_ms:.3f}")


if __name__ == "__main__":
    main()
