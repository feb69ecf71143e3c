"""Checks hpt-run's profile of an HpT run against itself and against the
ReRAM write model: check_hpt_profile.py PROFILE.json PROFILE.csv STEPS SWITCH
(the CSV written with --trace-steps 0, so that it holds every execution).

- The phases are full (SWITCH steps), the switch, lora (STEPS - SWITCH).
- Per phase, the CSV's rows add up to the JSON's totals: busy time per
  device, op and link energy (plus static power, which has no row).
- The run's totals are the phases' sums, and the baseline is the mean
  full-parameter step times STEPS.
- The full phase runs on the GPU only; the LoRA phase never does, and no
  op of it writes a cell: the only writes are the switch's load, whose
  pulses are every weight's pulses in the wear report (each cell written at
  most once)."""
import collections
import csv
import json
import sys

profile = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2])))
steps, switch = int(sys.argv[3]), int(sys.argv[4])


def close(a, b, what, tolerance=1e-6):
    if abs(a - b) > tolerance * max(abs(a), abs(b), 1e-30):
        sys.exit("%s: %.12g != %.12g" % (what, a, b))


phases = {p["phase"]: p for p in profile["phases"]}
order = [p["phase"] for p in profile["phases"]]
if order != ["full", "switch", "lora"]:
    sys.exit("phases %s, expected full, switch, lora" % order)
if phases["full"]["steps"] != switch or phases["lora"]["steps"] != steps - switch:
    sys.exit("steps per phase: full %d, lora %d" % (phases["full"]["steps"], phases["lora"]["steps"]))
for name, phase in phases.items():
    mine = [r for r in rows if r["phase"] == name]
    busy = collections.defaultdict(float)
    for r in mine:
        if r["kind"] != "transfer":
            busy[r["device"]] += float(r["duration_us_modelled"]) * 1e-6
    for device in phase["devices"]:
        close(busy[device["device"]], device["busy_seconds"], "%s: %s busy" % (name, device["device"]))
    ops = sum(float(r["energy_pj_modelled"]) for r in mine if r["kind"] != "transfer")
    links = sum(float(r["energy_pj_modelled"]) for r in mine if r["kind"] == "transfer")
    close(ops, phase["op_pj"], name + ": op energy")
    close(links, phase["transfer_pj"], name + ": link energy")
    close(ops + links + phase["static_pj"], phase["energy_pj"], name + ": energy")
close(sum(p["seconds"] for p in phases.values()), profile["total"]["seconds"], "total time")
close(sum(p["energy_pj"] for p in phases.values()), profile["total"]["energy_pj"], "total energy")
c = profile["comparison"]
close(c["hybrid_seconds"], profile["total"]["seconds"], "hybrid time")
close(c["baseline_seconds"], c["full_step_seconds"] * steps, "baseline time")
close(c["baseline_energy_pj"], c["full_step_energy_pj"] * steps, "baseline energy")
close(c["speedup"], c["baseline_seconds"] / c["hybrid_seconds"], "speed-up")
if {d["device"] for d in phases["full"]["devices"]} != {"gpu"}:
    sys.exit("the full phase ran on %s" % [d["device"] for d in phases["full"]["devices"]])
lora_devices = {d["device"] for d in phases["lora"]["devices"]}
if "gpu" in lora_devices or "reram" not in lora_devices or "systolic" not in lora_devices:
    sys.exit("the LoRA phase ran on %s" % sorted(lora_devices))
writes = [r for r in rows if int(r["write_pulses"]) > 0 or int(r["cells_written"]) > 0]
if [r["phase"] for r in writes] != ["switch"]:
    sys.exit("cells written outside the switch: %s" % [(r["phase"], r["op"]) for r in writes])
load = writes[0]
wear = profile["reram"]["weights"]
worn = sum(w["pulses"] for w in wear)
if int(load["write_pulses"]) != worn or max(w["max_writes_per_cell"] for w in wear) != 1:
    sys.exit("the switch wrote %s pulses, the cells hold %d" % (load["write_pulses"], worn))
print("phases full %d, switch, lora %d: rows add up to the totals; %s s, %.6g J; baseline %.6g s, "
      "%.6g J; the switch wrote %d cells with %d pulses, nothing after it"
      % (switch, steps - switch, "%.6g" % profile["total"]["seconds"],
         profile["total"]["energy_pj"] * 1e-12, c["baseline_seconds"],
         c["baseline_energy_pj"] * 1e-12, int(load["cells_written"]), int(load["write_pulses"])))
