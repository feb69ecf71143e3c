"""Fails unless every hpt-partition report given (policy=cost) has a step no
worse than HpT's mapping on its objective; prints the gains.
cost_not_worse.py REPORT.json..."""
import json
import sys

KEY = {"latency": "seconds", "energy": "energy_pj"}
for path in sys.argv[1:]:
    report = json.load(open(path))
    objective = report["objective"]
    step, hpt = report["step"], report["hpt_step"]
    if objective == "edp":
        cost, baseline = step["seconds"] * step["energy_pj"], hpt["seconds"] * hpt["energy_pj"]
    else:
        cost, baseline = step[KEY[objective]], hpt[KEY[objective]]
    print("%s %s: cost %.4g, HpT's mapping %.4g, %.2fx" %
          (report["function"], objective, cost, baseline, baseline / cost))
    if cost > baseline * (1 + 1e-12):
        sys.exit("%s: the cost policy is worse than HpT's mapping" % path)
