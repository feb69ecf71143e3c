"""Checks a noise-aware placement against its loss budget:
noise_budget.py REPORT.json CHECK.json

REPORT is hpt-partition's report (policy=noise-aware), CHECK what hpt-run
--sensitivity measured on the placed bundle (other held-out samples, another
noise seed). The weights the check put on ReRAM must be the ones the
placement kept; with all of them on ReRAM together, the mean held-out loss
must move by at most the budget (a fraction of the all-digital loss)."""
import json
import sys

report = json.load(open(sys.argv[1]))["noise_aware"]
check = json.load(open(sys.argv[2]))
kept = sorted(w["param"] for w in report["weights"] if w["reram"])
measured = sorted(w["param"] for w in check["weights"])
assert kept == measured, f"the bundle's ReRAM weights {measured} are not the kept {kept}"
assert 0 < len(kept) < len(report["weights"]), "the budget should keep some weights, not all"
budget = report["loss_budget"] * check["baseline_loss"]
change = abs(check["all"]["loss"] - check["baseline_loss"])
print(f"kept {len(kept)} of {len(report['weights'])} weights on ReRAM; predicted at most "
      f"{report['kept']:.4g} ({report['kept'] / report['baseline_loss']:.2%}); "
      f"checked on {len(check['samples'])} other samples, seed {check['seeds'][0]}: "
      f"|change| {change:.4g} ({change / check['baseline_loss']:.2%}) within the budget "
      f"{budget:.4g} ({report['loss_budget']:.2%}), margin {1 - change / budget:.0%}")
assert change <= budget, "the loss budget does not hold"
