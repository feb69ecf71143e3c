"""The first-order bound on the loss error the crossbars add in the first
step that reads them, as hpt-run prints it ("reram: first-order bound on
the loss error ..., first step of the run: B")."""
import re
import sys


def first_step_bound(path):
    """B from hpt-run's output in `path`; exits when it printed none."""
    for line in open(path):
        found = re.match(r"reram: first-order bound on the loss error .*, first step of the run: (\S+)", line)
        if found:
            return float(found.group(1))
    sys.exit("%s: hpt-run printed no loss-error bound" % path)
