"""Writes a hardware description without its GPU section and the GPU's
links (for placements hpt-run can run before the GPU device exists):
without_gpu.py IN.json OUT.json."""
import json
import sys

description = json.load(open(sys.argv[1]))
description.pop("gpu", None)
description["links"] = [l for l in description.get("links", []) if "gpu" not in l["between"]]
json.dump(description, open(sys.argv[2], "w"), indent=1)
