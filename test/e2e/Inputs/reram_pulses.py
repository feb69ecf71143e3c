"""The write pulses of programming a bundle's ReRAM weights from erased
cells, by NeuroSim V2.1's pulse model as docs/pim.md states it, from the
parameter values a checkpoint holds: reram_pulses.py BUNDLE CHECKPOINT.

Each weight is quantised symmetrically per tensor to weight_bits
(q = round_half_away(w / (max|w| / (2^(b-1) - 1)))), stored as ± magnitudes
on crossbar pairs (crossbars_per_weight 2) or offset by 2^(b-1), sliced
into cell_bits per cell; a cell going from level 0 to L takes
ceil((G_L - G_0) / dG) pulses, G_L = G_off + L (G_on - G_off) / (2^c - 1),
dG = (G_on - G_off) / write_levels. Prints the cells programmed and the
pulses."""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "torch"))
import hpt_formats  # noqa: E402

sections = hpt_formats.read_bundle_sections(sys.argv[1])
reram = json.loads(sections["hardware"])["reram"]
value = {k: v["value"] for k, v in reram.items() if isinstance(v, dict) and "value" in v}
_, tensors = hpt_formats.read_archive(sys.argv[2], verify=False)
bits, cell = int(value["weight_bits"]), int(value["cell_bits"])
differential = int(value["crossbars_per_weight"]) == 2
g_off, g_on = 1 / value["resistance_high"], 1 / value["resistance_low"]
cell_top = 2 ** cell - 1
step = (g_on - g_off) / value["write_levels"]
pulses_to = [int(np.ceil(L * (g_on - g_off) / cell_top / step - 1e-9)) for L in range(cell_top + 1)]
top = 2 ** (bits - 1) - 1
stored_bits = bits - 1 if differential else bits
slices = (stored_bits + cell - 1) // cell
cells = pulses = 0
for weight in json.loads(sections["reram"])["crossbars"]:
    w = tensors["param:" + weight["param"]].astype(np.float32)
    largest = np.float32(np.abs(w).max())
    scale = largest / np.float32(top) if largest > 0 else np.float32(1)
    x = (w / scale).astype(np.float64)
    q = np.clip(np.sign(x) * np.floor(np.abs(x) + 0.5), -top, top).astype(np.int64)
    stored = [np.maximum(q, 0), np.maximum(-q, 0)] if differential else [q + 2 ** (bits - 1)]
    for s in stored:
        for k in range(slices):
            level = (s >> (k * cell)) & cell_top
            cells += int(np.count_nonzero(level))
            pulses += int(np.take(pulses_to, level).sum())
print("write model: %d cells, %d pulses" % (cells, pulses))
