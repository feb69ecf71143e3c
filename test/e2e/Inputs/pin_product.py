"""Pins the product of a parameter in one function of an hpt module to a
device, as a user would (the op's hpt.device attribute), and writes the
description with its ReRAM endurance set: pin_product.py MODULE FUNCTION
PARAM DEVICE OUT.mlir [HW.json ENDURANCE OUT.json]."""
import json
import sys

module, function, param, device, out = sys.argv[1:6]
lines = open(module).read().split("\n")
inside, value, pinned = False, None, False
for i, line in enumerate(lines):
    if line.strip().startswith("func.func"):
        inside = ("func.func @%s(" % function) in line
    if inside and ("hpt.get_param @%s :" % param) in line:
        value = line.split("=")[0].strip()
    if inside and value and "hpt.linear" in line and (", %s," % value) in line:
        lines[i] = line.replace(" : (", " {hpt.device = #hpt.device<%s>} : (" % device, 1)
        pinned = True
        break
if not pinned:
    sys.exit("%s: no hpt.linear reads @%s in @%s" % (module, param, function))
open(out, "w").write("\n".join(lines))
if len(sys.argv) > 6:
    description = json.load(open(sys.argv[6]))
    description["reram"]["endurance"]["value"] = int(sys.argv[7])
    json.dump(description, open(sys.argv[8], "w"), indent=1)
