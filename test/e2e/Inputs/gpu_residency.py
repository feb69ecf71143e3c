"""Fails unless two hpt-run outputs of the same bundle on the CUDA device,
n1 and n2 training steps with no evaluation and a checkpoint at the end,
copied what keeping the parameters and Adam's state resident on the GPU
copies: to the GPU, each parameter and its two moments once and each step's
arguments,
    to(n) = 3 P + n A,
and back, each step's results (the loss, the prediction), and the
parameters and moments once, when the checkpoint reads them,
    back(n) = n R + 3 P,
with P the parameters' bytes, A the arguments' and R the results' of
@train_step.
gpu_residency.py BUNDLE N1 OUTPUT1 N2 OUTPUT2"""
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "torch"))
import hpt_formats  # noqa: E402

program = hpt_formats.read_bundle(sys.argv[1])
params = sum(4 * int(np.prod(p["shape"])) for p in program["params"])
train = next(f for f in program["functions"] if f["name"] == "train_step")
args = sum(4 * int(np.prod(shape)) for shape in train["args"])
shapes = {}
for op in train["ops"]:
    shapes.update(zip(op["results"], op["shapes"]))
results = sum(4 * int(np.prod(shapes[v])) for v in train["returns"])
for steps, path in ((int(sys.argv[2]), sys.argv[3]), (int(sys.argv[4]), sys.argv[5])):
    with open(path) as f:
        found = re.search(r"(\d+) bytes copied to the GPU and (\d+) back", f.read())
    if not found:
        sys.exit("%s: no copied bytes" % path)
    to_gpu, back = int(found.group(1)), int(found.group(2))
    expected = (3 * params + steps * args, steps * results + 3 * params)
    if (to_gpu, back) != expected:
        sys.exit("%d steps: %d bytes to the GPU and %d back, expected %d and %d"
                 % ((steps, to_gpu, back) + expected))
print("parameters and state copied to the GPU once and back once (%d bytes); each step "
      "copies %d bytes of arguments there and %d bytes of results back"
      % (3 * params, args, results))
