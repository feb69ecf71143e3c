"""Fails unless two hpt archives (checkpoints, --dump-grads) hold tensors of
the same names and shapes that agree per tensor within `tolerance`:
max |a - b| <= tolerance * max |b|.
same_tensors.py A B TOLERANCE [--skip REGEX] leaves out the tensors whose
names REGEX matches."""
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "torch"))
import hpt_formats  # noqa: E402

_, a = hpt_formats.read_archive(sys.argv[1], verify=True)
_, b = hpt_formats.read_archive(sys.argv[2], verify=True)
tolerance = float(sys.argv[3])
skip = re.compile(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[4] == "--skip" else None
a = {k: v for k, v in a.items() if not (skip and skip.search(k))}
b = {k: v for k, v in b.items() if not (skip and skip.search(k))}
if sorted(a) != sorted(b) or not a:
    sys.exit("the archives hold different tensors: %d and %d" % (len(a), len(b)))
worst, where = 0.0, ""
for name in sorted(a):
    if a[name].shape != b[name].shape:
        sys.exit("%s: shapes %s and %s" % (name, a[name].shape, b[name].shape))
    scale = max(float(np.abs(b[name]).max()), 1e-30)
    difference = float(np.abs(a[name] - b[name]).max()) / scale
    if not np.isfinite(difference) or difference > worst:
        worst, where = difference, name
print("%d tensors, max relative difference %.3g" % (len(a), worst))
if not worst <= tolerance:
    sys.exit("%s differs by %.3g relative (tolerance %g)" % (where, worst, tolerance))
