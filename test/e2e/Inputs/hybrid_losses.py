"""Compares an HpT run on the hybrid bundle with the host-only run of the
same schedule (both --switch-at N): hybrid_losses.py HOST.csv HYBRID.csv
HYBRID.json N EXACT.csv.

Up to the switch the full program runs on the (modelled) GPU, which the
host computes: the losses agree within 1e-5 relative. In each LoRA step
the crossbars quantise their products; EXACT.csv (exact_lora_losses.py)
holds the loss the same step gives without quantisation, at the
parameters the hybrid run reached. Each hybrid loss must lie within that
step's first-order bound (hpt-run's --profile-json, reram.loss_error_bounds;
derived in docs/pim.md) plus 1e-5 relative for the systolic arrays' fp32
sums. The first LoRA step starts from the host run's parameters, so its
exact loss is the host's within 1e-5."""
import csv
import json
import sys


def losses(path):
    with open(path) as f:
        return [(int(r["step"]), float(r["loss"])) for r in csv.DictReader(f)]


host, hybrid = losses(sys.argv[1]), losses(sys.argv[2])
bounds = json.load(open(sys.argv[3])).get("reram", {}).get("loss_error_bounds", [])
switch, exact = int(sys.argv[4]), losses(sys.argv[5])
if [s for s, _ in host] != [s for s, _ in hybrid] or len(host) <= switch:
    sys.exit("the runs have %d and %d steps, the switch comes after %d" % (len(host), len(hybrid), switch))
lora = hybrid[switch:]
if [s for s, _ in exact] != [s for s, _ in lora]:
    sys.exit("%s covers steps %s, the LoRA phase %s" % (sys.argv[5], [s for s, _ in exact], [s for s, _ in lora]))
if len(bounds) != len(lora):
    sys.exit("%s bounds %d steps, the LoRA phase has %d" % (sys.argv[3], len(bounds), len(lora)))


def relative(a, b):
    return abs(a - b) / abs(a)


full = max(relative(h, y) for (_, h), (_, y) in zip(host[:switch], hybrid[:switch]))
if full > 1e-5:
    sys.exit("full phase: relative loss difference %.3g > 1e-5" % full)
start = relative(host[switch][1], exact[0][1])
if start > 1e-5:
    sys.exit("step %d: the exact loss %.9g is not the host's %.9g" % (exact[0][0], exact[0][1], host[switch][1]))
used = 0.0
for (step, quantised), (_, loss), bound in zip(lora, exact, bounds):
    allowed = bound + 1e-5 * abs(loss)
    if abs(quantised - loss) > allowed:
        sys.exit("step %d: loss %.9g differs from the exact %.9g by %.3g, beyond its bound %.3g"
                 % (step, quantised, loss, abs(quantised - loss), allowed))
    used = max(used, abs(quantised - loss) / allowed)
print("full phase: %d steps within %.2g relative; LoRA phase: %d steps, each within its own bound "
      "of the exact loss at its parameters (at most %.2g of the bound); the first exact loss is the "
      "host's within %.2g" % (switch, full, len(lora), used, start))
