#!/usr/bin/python3
"""Draws an hpt-partition report: the function's ops in program order,
coloured by the device each was placed on and grouped by the layer they
belong to (the parameter they read), over the step's modelled schedule.

  /usr/bin/python3 tools/plots/partition.py REPORT.json -o partition.svg

Top: one bar per op at its modelled start and end, a row per device.
Bottom: per layer, how many of its ops went to each device. Figures are
modelled (hardware/Cost.h, hardware/Accounting.h).
"""
import argparse
import collections
import json
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

COLOURS = {"host": "#7f7f7f", "gpu": "#2ca02c", "systolic": "#1f77b4", "reram": "#d62728"}
DEVICES = ["host", "gpu", "systolic", "reram"]


def layer_of(param):
    """enc.3.attn.wq -> enc.3; lora.enc.3.attn.wq.a -> enc.3; embed.0.w -> embed."""
    name = param[len("lora."):] if param.startswith("lora.") else param
    match = re.match(r"(enc\.\d+)", name)
    if match:
        return match.group(1)
    return name.split(".")[0] if name else ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report")
    parser.add_argument("-o", "--output", required=True, help="an .svg or .png file")
    args = parser.parse_args()
    report = json.load(open(args.report))
    ops = report["ops"]

    layers, current = [], "input"
    for op in ops:
        layer = layer_of(op.get("param", ""))
        current = layer or current
        layers.append(current)
    order = list(dict.fromkeys(layers))
    counts = {layer: collections.Counter() for layer in order}
    for op, layer in zip(ops, layers):
        counts[layer][op["device"]] += 1

    figure, (timeline, share) = plt.subplots(2, 1, figsize=(12, 7),
                                             gridspec_kw={"height_ratios": [1, 1.4]})
    used = [d for d in DEVICES if any(op["device"] == d for op in ops)]
    for row, device in enumerate(used):
        spans = [(op["start"] * 1e6, max((op["end"] - op["start"]) * 1e6, 1e-3))
                 for op in ops if op["device"] == device]
        timeline.broken_barh(spans, (row - 0.4, 0.8), facecolors=COLOURS[device])
    timeline.set_yticks(range(len(used)), used)
    timeline.set_xlabel("modelled time in the step (us)")
    step = report["step"]
    timeline.set_title("hpt-partition @%s on %s, policy %s, objective %s: %.4g us, %.4g uJ (modelled)"
                       % (report["function"], report["hardware"], report["policy"],
                          report["objective"], step["seconds"] * 1e6, step["energy_pj"] * 1e-6))

    bottom = [0] * len(order)
    for device in used:
        heights = [counts[layer][device] for layer in order]
        share.bar(range(len(order)), heights, bottom=bottom, color=COLOURS[device], label=device)
        bottom = [b + h for b, h in zip(bottom, heights)]
    share.set_xticks(range(len(order)), order, rotation=60, ha="right", fontsize=8)
    share.set_ylabel("ops")
    share.legend(loc="upper right")
    figure.tight_layout()
    figure.savefig(args.output)
    print("wrote %s: %d ops, %d layers, devices %s" % (args.output, len(ops), len(order),
                                                         ", ".join(used)))


if __name__ == "__main__":
    main()
