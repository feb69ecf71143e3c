"""For every op of a profiled step that ran on the systolic array, checks the
cycles in hpt-run's --profile-csv against SCALE-Sim v2's closed form for its
shape and dataflow (docs/systolic.md: F folds of L cycles, Total = F*L - 1,
plus one vector pass for a bias; vector work: passes x rows x ceil(cols/C)),
computed here from the bundle's program and
hardware sections, and against what hpt-sim-systolic -s reports for the op's
stream, extracted from the bundle:
check_cycles.py BUNDLE PROFILE.csv HPT-SIM-SYSTOLIC WORKDIR."""
import csv
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "torch"))
import hpt_formats  # noqa: E402

bundle, profile, simulator, workdir = sys.argv[1:5]
sections = hpt_formats.read_bundle_sections(bundle)
program = json.loads(sections["program"])
hardware = json.loads(sections["hardware"])
index = json.loads(sections["systolic"])
R = hardware["systolic"]["rows"]["value"]
C = hardware["systolic"]["cols"]["value"]
dataflow = hardware["systolic"]["dataflow"]["value"]
functions = {f["name"]: f for f in program["functions"]}
streams = {(o["function"], o["op"]): o["stream"] for o in index["ops"]}


# Passes of the vector unit over each row (docs/systolic.md, "The vector unit").
VECTOR_PASSES = {"softmax": 3, "layer_norm": 3, "softmax_grad": 2, "relu": 1, "gelu": 1,
                 "scale": 1, "add": 1, "relu_grad": 1, "gelu_grad": 1, "dropout": 1,
                 "layer_norm_grad": 4, "sgd_update": 1, "adam_update": 2, "adamw_update": 2}


def ceil(a, b):
    return -(-a // b)


def shapes_of(fn):
    shapes = {i: s for i, s in enumerate(fn["args"])}
    for op in fn["ops"]:
        for r, s in zip(op["results"], op["shapes"]):
            shapes[r] = s
    return shapes


def closed_form(fn, op):
    """SCALE-Sim's Total Cycles of an op the array runs."""
    shapes = shapes_of(fn)
    # An optimizer update has no result: it works on its gradient's shape.
    out = op["shapes"][0] if op["shapes"] else shapes[op["operands"][0]]
    if op["op"] in VECTOR_PASSES:  # the vector unit: one lane per column
        rows = 1
        for d in out[:-1]:
            rows *= d
        return VECTOR_PASSES[op["op"]] * rows * ceil(out[-1], C) - 1
    if op["op"] == "linear":
        w = shapes[op["operands"][1]]
        M = 1
        for d in out[:-1]:
            M *= d
        N, K, batch, bias = w[0], w[1], 1, len(op["operands"]) == 3
    else:
        a = shapes[op["operands"][0]]
        M, N = out[-2], out[-1]
        K = a[-2] if op["attrs"].get("transpose_lhs") else a[-1]
        batch = 1
        for d in out[:-2]:
            batch *= d
        bias = False
    Sr, Sc, T = {"os": (M, N, K), "ws": (K, N, M), "is": (K, M, N)}[dataflow]
    folds = batch * ceil(Sr, R) * ceil(Sc, C)
    fold = T + R + C - 2 + (0 if dataflow == "os" else R)
    return folds * fold - 1 + (M * ceil(N, C) if bias else 0)


def simulated(stream):
    """hpt-sim-systolic -s's cycle count for stream `stream` of the bundle."""
    entry = index["streams"][stream]
    path = os.path.join(workdir, "stream%d.bin" % stream)
    with open(path, "wb") as f:
        f.write(sections["systolic.streams"][entry["offset"]:entry["offset"] + entry["bytes"]])
    text = subprocess.run([simulator, "-s", path], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"instructions, (\d+) cycles", text).group(1))


checked, by_stream = 0, {}
gemms = 0
for row in csv.DictReader(open(profile)):
    if row["device"] != "systolic":
        continue
    fn = functions[row["function"]]
    op = fn["ops"][int(row["op_index"])]
    total = int(row["cycles"]) - 1  # the profile counts cycles; SCALE-Sim the last index
    want = closed_form(fn, op)
    assert total == want, (row["function"], row["op_index"], op["op"], total, want)
    stream = streams[(row["function"], int(row["op_index"]))]
    if stream not in by_stream:
        by_stream[stream] = simulated(stream)
    assert total == by_stream[stream], (op["op"], total, by_stream[stream])
    checked += 1
    gemms += op["op"] in ("linear", "matmul", "batch_matmul")
print("cycles ok: %d ops (%d products) equal the closed form and hpt-sim-systolic -s on %d streams"
      % (checked, gemms, len(by_stream)))
