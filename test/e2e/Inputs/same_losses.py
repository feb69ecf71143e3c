"""Fails unless two hpt-run --losses CSVs hold the same steps and every loss
agrees within `tolerance` relative: same_losses.py A.csv B.csv TOLERANCE."""
import csv
import sys


def losses(path):
    with open(path) as f:
        return [(int(row["step"]), float(row["loss"])) for row in csv.DictReader(f)]


a, b, tolerance = losses(sys.argv[1]), losses(sys.argv[2]), float(sys.argv[3])
if [s for s, _ in a] != [s for s, _ in b] or not a:
    sys.exit("the runs cover different steps: %d and %d" % (len(a), len(b)))
worst = max(abs(x - y) / max(abs(x), 1e-30) for (_, x), (_, y) in zip(a, b))
print("%d steps, max relative loss difference %.3g" % (len(a), worst))
if worst > tolerance:
    sys.exit("the losses differ by %.3g relative (tolerance %g)" % (worst, tolerance))
