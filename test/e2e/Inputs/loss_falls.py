"""Fails unless the mean loss of the last tenth of a run is below `ratio` times
that of the first tenth (reads hpt-run --losses CSV)."""
import csv
import sys

losses = [float(row["loss"]) for row in csv.DictReader(open(sys.argv[1]))]
ratio = float(sys.argv[2])
window = max(1, len(losses) // 10)
first = sum(losses[:window]) / window
last = sum(losses[-window:]) / window
print(f"first {first:.6f} last {last:.6f} ratio {last / first:.3f}")
if not last < ratio * first:
    sys.exit(f"the loss did not fall: first tenth {first:.6f}, last tenth {last:.6f}")
