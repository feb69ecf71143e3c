"""Runs hpt-sim-systolic on every SCALE-Sim v2 reference case and compares.

usage: check_fidelity.py <hpt-sim-systolic> <reference.csv> <workdir>

Required to match: total cycles (exact), overall utilisation, mapping
efficiency and compute utilisation (within 0.01 percentage points), SRAM
ifmap/filter reads and ofmap writes (exact). DRAM counts are reported only.
Also runs SCALE-Sim's golden AlexNet conv1 case. Exits 1 on any mismatch.
"""
import csv
import os
import subprocess
import sys

sim, reference, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)

CFG = """[general]
run_name = {name}
[architecture_presets]
ArrayHeight: {rows}
ArrayWidth: {cols}
IfmapSramSzkB: {kb}
FilterSramSzkB: {kb}
OfmapSramSzkB: {kb}
IfmapOffset: 0
FilterOffset: 10000000
OfmapOffset: 20000000
Bandwidth: {bw}
Dataflow: {df}
MemoryBanks: 1
[run_presets]
InterfaceBandwidth: {ibw}
"""


def run(name, rows, cols, kb, bw, df, ibw, topo_header, topo_row, kind):
    d = os.path.join(work, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "arch.cfg"), "w") as f:
        f.write(CFG.format(name=name, rows=rows, cols=cols, kb=kb, bw=bw, df=df, ibw=ibw))
    with open(os.path.join(d, "topo.csv"), "w") as f:
        f.write(topo_header + "\n" + topo_row + "\n")
    subprocess.run([sim, "-c", os.path.join(d, "arch.cfg"), "-t", os.path.join(d, "topo.csv"),
                    "-p", os.path.join(d, "out"), "-i", kind], check=True, stdout=subprocess.DEVNULL)

    def row(report):
        with open(os.path.join(d, "out", name, report)) as f:
            r = list(csv.reader(f, skipinitialspace=True))
        return dict(zip([h.strip() for h in r[0]], r[1]))

    return row("COMPUTE_REPORT.csv"), row("DETAILED_ACCESS_REPORT.csv")


EXACT = [("total_cycles", "Total Cycles", 0), ("sram_ifmap_reads", "SRAM IFMAP Reads", 1),
         ("sram_filter_reads", "SRAM Filter Reads", 1), ("sram_ofmap_writes", "SRAM OFMAP Writes", 1)]
PCT = [("overall_util_pct", "Overall Util %"), ("mapping_eff_pct", "Mapping Efficiency %"),
       ("compute_util_pct", "Compute Util %")]
DRAM = [("dram_ifmap_reads", "DRAM IFMAP Reads"), ("dram_filter_reads", "DRAM Filter Reads"),
        ("dram_ofmap_writes", "DRAM OFMAP Writes")]


def compare(name, ref, comp, detail):
    bad = []
    for key, col, which in EXACT:
        got = int(float((comp, detail)[which][col]))
        if got != int(ref[key]):
            bad.append(f"{key}: {got} != {ref[key]}")
    for key, col in PCT:
        if abs(float(comp[col]) - float(ref[key])) > 0.01:
            bad.append(f"{key}: {comp[col]} != {ref[key]}")
    for b in bad:
        print(f"MISMATCH {name}: {b}")
    return not bad


with open(reference) as f:
    rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
matched, total = {}, {}
dram_matched = 0
for i, ref in enumerate(rows):
    df = ref["dataflow"]
    name = f"case{i}_{df}_{ref['array_rows']}x{ref['array_cols']}_{ref['M']}_{ref['N']}_{ref['K']}"
    comp, detail = run(name, ref["array_rows"], ref["array_cols"], ref["sram_kb_each"],
                       ref["bandwidth_words_per_cycle"], df, ref["interface_bw"],
                       "Layer,M,N,K,", f"L0,{ref['M']},{ref['N']},{ref['K']},", "gemm")
    total[df] = total.get(df, 0) + 1
    matched[df] = matched.get(df, 0) + compare(name, ref, comp, detail)
    dram_matched += all(int(float(detail[col])) == int(ref[key]) for key, col in DRAM)

# SCALE-Sim's golden test: AlexNet conv1 on a 32x32 WS array, 64 kB SRAMs.
golden = {"total_cycles": 112283, "overall_util_pct": 91.683, "mapping_eff_pct": 94.53125,
          "sram_ifmap_reads": 3294225, "sram_filter_reads": 34848, "sram_ofmap_writes": 3484800}
comp, detail = run("alexnet_conv1", 32, 32, 64, 10, "ws", "CALC",
                   "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,",
                   "Conv1,224,224,11,11,3,96,4,", "conv")
bad = []
for key, col, which in EXACT:
    if int(float((comp, detail)[which][col])) != golden[key]:
        bad.append(f"{key}: {(comp, detail)[which][col]} != {golden[key]}")
for key, col in PCT[:2]:
    if abs(float(comp[col]) - golden[key]) > 0.01:
        bad.append(f"{key}: {comp[col]} != {golden[key]}")
if int(float(comp["Stall Cycles"])) != 0:
    bad.append("stall cycles != 0")
for b in bad:
    print(f"MISMATCH alexnet_conv1: {b}")

print("dataflow  matched/total")
for df in sorted(total):
    print(f"{df:8}  {matched[df]}/{total[df]}")
print(f"all       {sum(matched.values())}/{sum(total.values())}")
print(f"alexnet_conv1 golden: {'matched' if not bad else 'MISMATCH'}")
print(f"(informational) DRAM read/write counts matched in {dram_matched}/{len(rows)} cases")
sys.exit(0 if not bad and sum(matched.values()) == len(rows) else 1)
