"""Fails unless, in an hpt-run --profile-csv of a run on the CUDA device,
every execution of an op the bundle's GPU section runs (a kernel or cuBLAS)
has a CUDA-event time (gpu_event_ns > 0), and no other op has one.
gpu_events.py BUNDLE PROFILE.csv"""
import csv
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "torch"))
import hpt_formats  # noqa: E402

gpu = json.loads(hpt_formats.read_bundle_sections(sys.argv[1])["gpu"])
on_gpu = {(op["function"], op["op"]) for op in gpu["ops"]}
timed = untimed = 0
with open(sys.argv[2]) as f:
    for row in csv.DictReader(f):
        if row["kind"] != "op":
            continue
        runs_there = (row["function"], int(row["op_index"])) in on_gpu
        has_time = int(row["gpu_event_ns"]) > 0
        if runs_there != has_time:
            sys.exit("%s op %s (%s): %s" % (row["function"], row["op_index"], row["op"],
                                            "no CUDA-event time" if runs_there
                                            else "a CUDA-event time, but the host ran it"))
        timed += has_time
        untimed += not has_time
print("%d GPU op executions timed by CUDA events, %d host ones not" % (timed, untimed))
