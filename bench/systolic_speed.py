"""Speed of hpt-sim-systolic against SCALE-Sim v2's recorded wall times.

usage: systolic_speed.py [build/bin/hpt-sim-systolic]

1. Every reference case (test/systolic/Inputs/scalesim_gemm_reference.csv) in
   timing-only mode: hpt's wall time (the whole process) next to SCALE-Sim's
   recorded scalesim_wall_s, and the ratio (target >= 1000x overall).
2. The ResNet-50 conv layers (bench/resnet50_conv.csv: one layer per distinct
   shape of He et al. 2016 -- 7x7/2 conv1 on a 224x224 input (padded to 230),
   and each stage's 1x1 / 3x3 / 1x1 bottleneck plus projection; 3x3 inputs are
   padded by one) on a 32x32 WS array, timing-only.
3. Functional-mode GFLOP/s (2*M*N*K per second) on a few reference GEMMs.
"""
import csv
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIM = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "bin", "hpt-sim-systolic")
REF = os.path.join(ROOT, "test", "systolic", "Inputs", "scalesim_gemm_reference.csv")
work = tempfile.mkdtemp(prefix="systolic_speed_")


def cfg(df, rows, cols, kb):
    path = os.path.join(work, f"{df}_{rows}x{cols}_{kb}.cfg")
    with open(path, "w") as f:
        f.write(f"[general]\nrun_name = bench\n[architecture_presets]\nArrayHeight: {rows}\n"
                f"ArrayWidth: {cols}\nIfmapSramSzkB: {kb}\nFilterSramSzkB: {kb}\n"
                f"OfmapSramSzkB: {kb}\nDataflow: {df}\n[run_presets]\nInterfaceBandwidth: CALC\n")
    return path


def timed(args, repeat=3):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([SIM] + args, check=True, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - start)
    return best


with open(REF) as f:
    rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
print(f"{'case':34} {'hpt s':>9} {'scalesim s':>11} {'ratio':>9}")
hpt_total = ref_total = 0.0
gemms = []
for i, r in enumerate(rows):
    topo = os.path.join(work, f"t{i}.csv")
    with open(topo, "w") as f:
        f.write(f"Layer,M,N,K,\nL0,{r['M']},{r['N']},{r['K']},\n")
    gemms.append((r, topo))
    c = cfg(r["dataflow"], r["array_rows"], r["array_cols"], r["sram_kb_each"])
    t = timed(["-c", c, "-t", topo, "-p", os.path.join(work, "out"), "-i", "gemm"])
    ref = float(r["scalesim_wall_s"])
    hpt_total += t
    ref_total += ref
    name = f"{r['dataflow']} {r['array_rows']}x{r['array_cols']} {r['M']}x{r['N']}x{r['K']}"
    print(f"{name:34} {t:9.4f} {ref:11.3f} {ref / t:8.0f}x")
print(f"{'overall':34} {hpt_total:9.4f} {ref_total:11.3f} {ref_total / hpt_total:8.0f}x")

resnet = os.path.join(ROOT, "bench", "resnet50_conv.csv")
t = timed(["-c", cfg("ws", 32, 32, 64), "-t", resnet, "-p", os.path.join(work, "resnet"), "-i", "conv"])
with open(os.path.join(work, "resnet", "bench", "COMPUTE_REPORT.csv")) as f:  # <outdir>/<run_name>/
    cycles = sum(int(row[1]) for row in list(csv.reader(f, skipinitialspace=True))[1:])
print(f"\nResNet-50 conv layers (17 shapes, 32x32 WS, timing-only): {t:.4f} s, {cycles} cycles")

print(f"\n{'functional GEMM':34} {'s':>9} {'GFLOP/s':>9}")
for r, topo in gemms[:3] + gemms[8:9] + gemms[14:15]:
    c = cfg(r["dataflow"], r["array_rows"], r["array_cols"], r["sram_kb_each"])
    t = timed(["-c", c, "-t", topo, "-p", os.path.join(work, "out"), "-i", "gemm", "--functional"], 1)
    flops = 2 * int(r["M"]) * int(r["N"]) * int(r["K"])
    name = f"{r['dataflow']} {r['array_rows']}x{r['array_cols']} {r['M']}x{r['N']}x{r['K']}"
    print(f"{name:34} {t:9.3f} {flops / t / 1e9:9.2f}")
