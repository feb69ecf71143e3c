"""Compares an HpT run on the hybrid bundle with the host-only run of the
same schedule (both --switch-at N): hybrid_losses.py HOST.csv HYBRID.csv
HYBRID.txt N.

Up to the switch the full program runs on the (modelled) GPU, which the
host computes: the losses agree within 1e-5 relative. The first LoRA step
starts both runs from the same parameters, so its losses differ only by the
crossbars' quantisation, within the first-order bound hpt-run derives for
it (reram: "... first step of the run: B") plus 1e-5 relative for the
systolic arrays' fp32 sums. Later steps start from parameters the
quantised steps moved; their losses must stay within 3 % on average."""
import csv
import sys

from reram_bound import first_step_bound


def losses(path):
    return [float(r["loss"]) for r in csv.DictReader(open(path))]


host, hybrid = losses(sys.argv[1]), losses(sys.argv[2])
switch = int(sys.argv[4])
bound = first_step_bound(sys.argv[3])
if len(host) != len(hybrid) or len(host) <= switch + 1:
    sys.exit("the runs have %d and %d steps, the switch comes after %d" % (len(host), len(hybrid), switch))
full = max(abs(h - y) / abs(h) for h, y in zip(host[:switch], hybrid[:switch]))
if full > 1e-5:
    sys.exit("full phase: relative loss difference %.3g > 1e-5" % full)
first = abs(host[switch] - hybrid[switch])
allowed = bound + 1e-5 * abs(host[switch])
if first > allowed:
    sys.exit("first LoRA step: loss difference %.3g beyond the bound %.3g" % (first, allowed))
later = [abs(h - y) / abs(h) for h, y in zip(host[switch + 1:], hybrid[switch + 1:])]
mean = sum(later) / len(later)
if mean > 0.03:
    sys.exit("later LoRA steps: mean relative loss difference %.3g > 3 %%" % mean)
print("full phase: %d steps within %.2g relative; first LoRA step: difference %.3g within the "
      "bound %.3g; later %d steps: mean relative difference %.3g"
      % (switch, full, first, allowed, len(later), mean))
