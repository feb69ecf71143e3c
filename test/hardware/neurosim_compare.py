#!/usr/bin/python3
"""hpt's own ReRAM model on the NeuroSim-like preset against NeuroSim V1.4.

  neurosim_compare.py --sim hpt-sim-pim --hw configs/neurosim-like.json \
      --work DIR --tolerance 0.25 neurosim_given.csv

For every GEMM of the reference (`g{M}_{K}_{N}_...`: Y[M x N] = X[M x K] W[K x N],
one network each), runs its read through `hpt-sim-pim -p` and compares the
read latency and dynamic energy with NeuroSim's readLatency_ns and
readDynamicEnergy_pJ. The preset's constants are NeuroSim's where NeuroSim
states them and calibrated to its 1x512x512 and 1x512x2048 rows otherwise
(configs/neurosim-like.json says which); the other rows are predictions.
"""
import argparse
import csv
import os
import re
import subprocess
import sys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sim", required=True)
    parser.add_argument("--hw", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--tolerance", type=float, default=0.25)
    parser.add_argument("reference")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    worst = 0.0
    failed = []
    print("%-22s %12s %12s %7s %14s %14s %7s" % ("gemm M_K_N", "hpt ns", "NeuroSim ns", "ratio",
                                                "hpt pJ", "NeuroSim pJ", "ratio"))
    for row in csv.DictReader(open(args.reference)):
        if row["layer"] == "CHIP":
            continue
        m, k, n = map(int, re.match(r"g(\d+)_(\d+)_(\d+)_", row["net"]).groups())
        program = os.path.join(args.work, row["net"] + ".txt")
        with open(program, "w") as f:
            f.write("crossbars w weight %d x %d\nread w forward %d\n" % (k, n, m))
        out = os.path.join(args.work, row["net"] + ".csv")
        subprocess.run([args.sim, "--hw", args.hw, "-p", program, "-o", out], check=True,
                       stdout=subprocess.DEVNULL)
        read = [r for r in csv.DictReader(open(out)) if r["step"] == "read"][0]
        latency, energy = float(read["latency_ns"]), float(read["energy_pJ"])
        theirs_latency, theirs_energy = float(row["readLatency_ns"]), float(row["readDynamicEnergy_pJ"])
        ratios = (latency / theirs_latency, energy / theirs_energy)
        print("%-22s %12.1f %12.1f %7.3f %14.1f %14.1f %7.3f" %
              ("%d_%d_%d" % (m, k, n), latency, theirs_latency, ratios[0], energy, theirs_energy,
               ratios[1]))
        for ratio in ratios:
            worst = max(worst, abs(ratio - 1))
            if abs(ratio - 1) > args.tolerance:
                failed.append(row["net"])
    print("largest difference %.1f %% (tolerance %.0f %%)" % (100 * worst, 100 * args.tolerance))
    if failed:
        sys.exit("outside the tolerance: " + ", ".join(failed))


if __name__ == "__main__":
    main()
