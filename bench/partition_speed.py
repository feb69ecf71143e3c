#!/usr/bin/python3
"""How long hpt-partition takes (docs/partition.md, "Speed").

  /usr/bin/python3 bench/partition_speed.py [--app swe] [--repeat 5]

Compiles the app's full-parameter and LoRA training steps, then times
hpt-opt --hpt-partition on each, policy hpt and policy cost (latency and
energy), on the Atleus-like machine: the median wall time of --repeat runs,
parsing and printing the module included.
"""
import argparse
import os
import statistics
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OPT = os.path.join(ROOT, "build", "bin", "hpt-opt")
HW = os.path.join(ROOT, "configs", "atleus-like.json")


def compile_step(app, lora, out):
    model = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "models", "generate.py"),
                            "--app", app], check=True, stdout=subprocess.PIPE).stdout
    passes = (["--hpt-lora=rank=8",
               "--hpt-autodiff=function=forward_lora train-function=train_step_lora"]
              if lora else ["--hpt-autodiff"])
    subprocess.run([OPT, *passes, "-o", out], input=model, check=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--app", default="swe")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        print("hpt-partition on the %s model, %s (median of %d runs, wall time)" %
              (args.app, HW, args.repeat))
        for lora, function in ((False, "train_step"), (True, "train_step_lora")):
            path = os.path.join(work, function + ".mlir")
            compile_step(args.app, lora, path)
            ops = sum(1 for line in open(path) if " = hpt." in line or "hpt.adamw_update" in line)
            for policy, objective in (("hpt", "latency"), ("cost", "latency"), ("cost", "energy")):
                times = []
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    subprocess.run([OPT, path, "-o", os.devnull,
                                    "--hpt-partition=function=%s hw=%s policy=%s objective=%s" %
                                    (function, HW, policy, objective)], check=True)
                    times.append(time.perf_counter() - start)
                print("  %-16s ~%5d ops  policy %-4s %-8s %.3f s" %
                      (function, ops, policy, objective, statistics.median(times)))
            start = time.perf_counter()
            subprocess.run([OPT, path, "-o", os.devnull], check=True)
            print("  %-16s parsing and printing alone: %.3f s" %
                  (function, time.perf_counter() - start))


if __name__ == "__main__":
    main()
