"""The loss of every LoRA step of an HpT run computed exactly at the
parameters that run reached: exact_lora_losses.py SWITCH STEPS DIR OUT.csv
-- HPT-RUN BUNDLE ARGS...

The run (HPT-RUN BUNDLE ARGS, with --switch-at SWITCH among ARGS) is taken
one step at a time through checkpoints in DIR: resumed bit for bit, as
hpt-run promises. Before each LoRA step its state is also resumed for that
one step under --sim timing, where the host computes the crossbars' and the
arrays' products: the loss that step would have without quantisation, at
the same parameters. OUT.csv holds those losses (step,loss), for comparing
each step with its own first-order bound."""
import csv
import os
import subprocess
import sys


def run(command, *args):
    result = subprocess.run(command + list(args), capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("%s failed (%d):\n%s" % (" ".join(command + list(args)), result.returncode, result.stderr))


def last_loss(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    if not rows:
        sys.exit("%s: no loss was written" % path)
    return int(rows[-1]["step"]), float(rows[-1]["loss"])


separator = sys.argv.index("--")
switch, steps = int(sys.argv[1]), int(sys.argv[2])
directory, out = sys.argv[3], sys.argv[4]
command = sys.argv[separator + 1:]
os.makedirs(directory, exist_ok=True)

checkpoint = os.path.join(directory, "at-%d.hpta" % switch)
run(command, "--steps", str(switch), "--checkpoint", checkpoint)
exact = []
for step in range(switch, steps):
    losses = os.path.join(directory, "exact-%d.csv" % (step + 1))
    run(command, "--steps", str(step + 1), "--resume", checkpoint, "--sim", "timing", "--losses", losses)
    exact.append(last_loss(losses))
    if step + 1 < steps:
        following = os.path.join(directory, "at-%d.hpta" % (step + 1))
        run(command, "--steps", str(step + 1), "--resume", checkpoint, "--checkpoint", following)
        checkpoint = following
with open(out, "w") as f:
    f.write("step,loss\n")
    for step, loss in exact:
        f.write("%d,%.9g\n" % (step, loss))
print("exact losses of %d LoRA steps" % len(exact))
