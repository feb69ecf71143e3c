"""Writes a hardware description whose ReRAM cells program with more noise
(reram.programming_noise, a fraction of the conductance range):
noisier_cells.py IN.json SIGMA OUT.json."""
import json
import sys

description = json.load(open(sys.argv[1]))
noise = description["reram"]["programming_noise"]
noise["value"] = float(sys.argv[2])
noise["source"] = "test: noisier cells than the description's (" + noise["source"] + ")"
description["name"] += ", noisier cells"
json.dump(description, open(sys.argv[3], "w"), indent=1)
