"""Compares a run whose frozen products go through quantising hardware with
the host's: the first step's loss (the same parameters, only the forward
products quantised) within `first` relative, and the mean loss over the run
(the trajectories part as training goes on) within `mean` relative:
quantised_losses.py HOST.csv DEVICE.csv FIRST MEAN."""
import csv
import sys


def losses(path):
    with open(path) as f:
        return [float(row["loss"]) for row in csv.DictReader(f)]


host, device = losses(sys.argv[1]), losses(sys.argv[2])
first, mean = float(sys.argv[3]), float(sys.argv[4])
if len(host) != len(device) or not host:
    sys.exit("the runs cover different steps: %d and %d" % (len(host), len(device)))
first_difference = abs(device[0] - host[0]) / abs(host[0])
mean_difference = abs(sum(device) - sum(host)) / abs(sum(host))
print("%d steps: first step %.3g relative, mean loss %.3g relative" %
      (len(host), first_difference, mean_difference))
if first_difference > first:
    sys.exit("the first step's losses differ by %.3g (tolerance %g)" % (first_difference, first))
if mean_difference > mean:
    sys.exit("the mean losses differ by %.3g (tolerance %g)" % (mean_difference, mean))
