"""Fails unless the first step's loss on the quantising crossbars is within
the first-order bound hpt-run derives for it ("reram: first-order bound on
the loss error ..., first step of the run: B"): loss_within_bound.py HOST.csv DEVICE.csv OUT.txt.
Both runs start from the same parameters, so their first losses differ only
by the crossbar products' errors."""
import csv
import sys

from reram_bound import first_step_bound


def first_loss(path):
    with open(path) as f:
        return float(next(csv.DictReader(f))["loss"])


bound = first_step_bound(sys.argv[3])
difference = abs(first_loss(sys.argv[2]) - first_loss(sys.argv[1]))
print("step 1: loss difference %.3g within the bound %.3g (%.2g of it)" %
      (difference, bound, difference / bound))
if difference > bound:
    sys.exit("the loss moved by %.3g, more than its bound %.3g" % (difference, bound))
