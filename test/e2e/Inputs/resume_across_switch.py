"""Interrupts an hpt-run --schedule hpt run in each phase and resumes it:
resume_across_switch.py HPT_RUN BUNDLE WORKDIR [hpt-run options...]

Runs the schedule uninterrupted (with --switch-log), finds from the log a step
in the full phase, one inside an overlap window and one after the switch,
then for each: trains to that step with --checkpoint, resumes to the end with
--resume, and compares the resumed losses with the uninterrupted ones (they
must be identical, bit for bit, as printed). Prints one line per phase."""
import json
import os
import subprocess
import sys

hpt_run, bundle, work = sys.argv[1:4]
options = sys.argv[4:]
steps = int(options[options.index("--steps") + 1])
log = os.path.join(work, "switch.jsonl")
base = [hpt_run, bundle, "--quiet", "--no-eval"] + options
env = dict(os.environ, OPENBLAS_NUM_THREADS="1")


def run(extra):
    subprocess.run(base + extra, check=True, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def losses(path):
    with open(path) as f:
        return [line.strip() for line in f][1:]


full = os.path.join(work, "full.csv")
run(["--losses", full, "--switch-log", log])
checks = [json.loads(line) for line in open(log) if '"check"' in line]
overlap = next(c for c in checks if c["decision"] == "overlap")
switch = next(c for c in checks if c["decision"] == "switch")
points = {"full": overlap["iteration"] // 2,
          "overlap": overlap["iteration"] + (switch["iteration"] - overlap["iteration"]) // 2,
          "lora": (switch["iteration"] + steps) // 2}
print("switch at iteration %d (overlap from %d)" % (switch["iteration"], overlap["iteration"]))
reference = losses(full)
for phase, step in points.items():
    ckpt = os.path.join(work, "%s.ckpt" % phase)
    resumed = os.path.join(work, "%s.csv" % phase)
    run(["--steps", str(step), "--checkpoint", ckpt])
    run(["--resume", ckpt, "--losses", resumed])
    got = losses(resumed)
    same = got == reference[step:]
    print("resumed in the %s phase at step %d: %d losses %s" %
          (phase, step, len(got), "identical" if same else "DIFFER"))
    if not same:
        sys.exit(1)
