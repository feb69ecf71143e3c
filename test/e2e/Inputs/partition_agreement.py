"""Checks that hpt-partition's cost model agrees with what hpt-run's devices
charge: for every op of one step that ran on DEVICES, the report's latency
and energy on its device against the profile's, within TOLERANCE relative.
partition_agreement.py REPORT.json PROFILE.csv STEP TOLERANCE DEVICE...
(STEP: a step without ReRAM writes, whose charges are reads only)."""
import csv
import json
import sys

report_path, profile_path, step, tolerance = sys.argv[1:5]
devices = sys.argv[5:]
report = json.load(open(report_path))
ops = {op["index"]: op for op in report["ops"]}
worst = {d: [0, 0.0, 0.0] for d in devices}  # ops, latency, energy
for row in csv.DictReader(open(profile_path)):
    if row["function"] != report["function"] or row["step"] != step:
        continue
    if row["device"] not in devices:
        continue
    op = ops[int(row["op_index"])]
    if op["device"] != row["device"]:
        sys.exit("op %s: placed on %s, ran on %s" % (row["op_index"], op["device"], row["device"]))
    modelled = op["costs"][row["device"]]
    pairs = ((float(row["duration_us_modelled"]) * 1e-6, modelled["seconds"]),
             (float(row["energy_pj_modelled"]), modelled["energy_pj"]))
    w = worst[row["device"]]
    w[0] += 1
    for k, (ran, model) in enumerate(pairs, start=1):
        diff = abs(ran - model) / max(abs(ran), 1e-30)
        w[k] = max(w[k], diff)
        if diff > float(tolerance):
            sys.exit("op %s (%s on %s): the cost model says %g, the device charged %g" %
                     (row["op_index"], op["op"], row["device"], model, ran))
for d in devices:
    if worst[d][0] == 0:
        sys.exit("no op ran on %s" % d)
    print("%s: %d ops, latency within %.2g, energy within %.2g" % (d, *worst[d]))
