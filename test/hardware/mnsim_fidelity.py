#!/usr/bin/python3
"""Checks hpt-sim-pim against MNSIM 2.0's own outputs, row by row.

  mnsim_fidelity.py --sim build/bin/hpt-sim-pim --configs configs/mnsim \
      --nets configs/mnsim/nets --work DIR REFERENCE.csv...

Each (net, config) of a reference CSV is run through hpt-sim-pim: `gemm_M_K_N`
as a 1x1 conv on an M x 1 image, `gemmw_M_K_N` on 1 x M, a bundled net from
its layer list, with `_wXaY` setting X-bit weights and Y-bit activations on
every layer. Counts and text must be equal; figures within 1e-9 relative
(1e-12 absolute near zero). Prints rows matched per config and fails on the
first (net, config) with a mismatch, naming the column.
"""
import argparse
import csv
import os
import re
import subprocess
import sys
from collections import OrderedDict

HEADER = "name,type,in_h,in_w,in_ch,out_ch,kernel,stride,padding,wbits,abits,inputs"
RELATIVE, ABSOLUTE = 1e-9, 1e-12


def layer_list(net, nets_dir):
    """The layer list of a reference net name, as CSV text."""
    bits = re.fullmatch(r"(.*)_w(\d+)a(\d+)", net)
    base, wbits, abits = (bits.group(1), bits.group(2), bits.group(3)) if bits else (net, "9", "9")
    gemm = re.fullmatch(r"gemm(w?)_(\d+)_(\d+)_(\d+)", base)
    if gemm:
        wide, m, k, n = gemm.groups()
        h, w = ("1", m) if wide else (m, "1")
        return f"{HEADER}\n{base},conv,{h},{w},{k},{n},1,1,0,{wbits},{abits},\n"
    rows = []
    with open(os.path.join(nets_dir, base + ".csv")) as f:
        for line in f:
            cells = line.rstrip("\n").split(",")
            if line.startswith("#") or line.strip() == HEADER or len(cells) != 12:
                rows.append(line.rstrip("\n"))
                continue
            if cells[9]:
                cells[9] = wbits
            cells[10] = abits
            rows.append(",".join(cells))
    return "\n".join(rows) + "\n"


def same(mine, theirs):
    if mine == theirs:
        return True
    try:
        a, b = float(mine), float(theirs)
    except ValueError:
        return False
    return abs(a - b) <= max(RELATIVE * abs(b), ABSOLUTE)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sim", required=True)
    parser.add_argument("--configs", required=True)
    parser.add_argument("--nets", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("reference", nargs="+")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)

    groups = OrderedDict()
    for path in args.reference:
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                groups.setdefault((row["config"], row["net"]), []).append(row)

    matched, worst = OrderedDict(), 0.0
    for (config, net), expected in groups.items():
        layers = os.path.join(args.work, f"{net}.{config}.layers.csv")
        out = os.path.join(args.work, f"{net}.{config}.out.csv")
        with open(layers, "w") as f:
            f.write(layer_list(net, args.nets))
        run = subprocess.run([args.sim, "-c", os.path.join(args.configs, config + ".ini"),
                              "-t", layers, "-o", out, "--net", net],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             universal_newlines=True)
        if run.returncode != 0:
            sys.exit(f"{net} on {config}: hpt-sim-pim failed:\n{run.stdout}")
        with open(out, newline="") as f:
            got = list(csv.DictReader(f))
        if len(got) != len(expected):
            sys.exit(f"{net} on {config}: {len(got)} rows, MNSIM has {len(expected)}")
        for mine, theirs in zip(got, expected):
            for column, value in theirs.items():
                # A pooling or element_sum row's weight bits mean nothing; MNSIM
                # prints the net's.
                if (column == "wbits" and theirs["type"] in ("pooling", "element_sum")
                        and mine[column] == ""):
                    continue
                if not same(mine[column], value):
                    sys.exit(f"{net} on {config}, layer {theirs['layer']}: {column} = "
                             f"{mine[column]!r}, MNSIM {value!r}")
                try:
                    b = float(value)
                    if b != 0:
                        worst = max(worst, abs(float(mine[column]) - b) / abs(b))
                except ValueError:
                    pass
        matched[config] = matched.get(config, 0) + len(expected)
    for config, rows in matched.items():
        print(f"{config}: {rows}/{rows} rows match MNSIM 2.0")
    print(f"nets x configs: {len(groups)}; largest relative difference {worst:.3g}")


if __name__ == "__main__":
    main()
