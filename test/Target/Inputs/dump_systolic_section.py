"""Prints a bundle's systolic section, each op's placement and the hardware
description's name, one line each (read independently of hpt)."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "torch"))
import hpt_formats  # noqa: E402

sections = hpt_formats.read_bundle_sections(sys.argv[1])
index = json.loads(sections["systolic"])
print("streams %d, ops %d" % (len(index["streams"]), len(index["ops"])))
for op in index["ops"]:
    bound = []
    for b in op["bindings"]:
        arrow = "->" if b["output"] else "<-"
        bound.append("%s %s %%%d at %d%s" % (b["region"], arrow, b["value"], b["offset"],
                                             " transposed" if b["transpose"] else ""))
    print("@%s op %d stream %d: %s" % (op["function"], op["op"], op["stream"], "; ".join(bound)))
program = json.loads(sections["program"])
for fn in program["functions"]:
    for i, op in enumerate(fn["ops"]):
        print("program: op %d %s on %s" % (i, op["op"], op.get("device", {}).get("kind", "host")))
print("hardware: " + json.loads(sections["hardware"])["name"])
