"""Checks a Chrome trace written by hpt-run --trace against the Trace Event
Format (the fields each event needs, complete events with a duration,
metadata naming every track) and against the --profile-csv of the same run
(the same op executions at the same simulated times): check_trace.py
TRACE.json PROFILE.csv."""
import csv
import json
import sys

trace = json.load(open(sys.argv[1]))
events = trace["traceEvents"]
assert trace.get("displayTimeUnit") in ("ms", "ns"), trace.get("displayTimeUnit")
named = {(e["pid"], e.get("tid")) for e in events if e["ph"] == "M" and e["name"] == "thread_name"}
processes = {e["pid"] for e in events if e["ph"] == "M" and e["name"] == "process_name"}
ops, transfers = [], []
for e in events:
    assert e["ph"] in ("X", "M"), e
    if e["ph"] == "M":
        continue
    for field in ("name", "cat", "ts", "dur", "pid", "tid", "args"):
        assert field in e, (field, e)
    assert isinstance(e["ts"], (int, float)) and e["ts"] >= 0, e
    assert isinstance(e["dur"], (int, float)) and e["dur"] >= 0, e
    assert e["pid"] in processes and (e["pid"], e["tid"]) in named, e
    (transfers if e["cat"] == "transfer" else ops).append(e)
# One track runs one op at a time.
by_track = {}
for e in ops:
    by_track.setdefault((e["pid"], e["tid"]), []).append((e["ts"], e["ts"] + e["dur"]))
for spans in by_track.values():
    spans.sort()
    for (s0, e0), (s1, _) in zip(spans, spans[1:]):
        assert s1 >= e0 - 1e-6, ("overlapping ops on one track", s0, e0, s1)
rows = list(csv.DictReader(open(sys.argv[2])))
op_rows = [r for r in rows if r["kind"] != "transfer"]
assert len(op_rows) == len(ops), (len(op_rows), len(ops))
assert len(rows) - len(op_rows) == len(transfers), (len(rows) - len(op_rows), len(transfers))
for row, e in zip(op_rows, ops):
    assert row["op"] == e["name"] and int(row["op_index"]) == e["args"].get("op_index", 0), (row, e)
    assert abs(float(row["start_us_modelled"]) - e["ts"]) <= 1e-6 * max(1, e["ts"]), (row, e)
steps = sorted({e["args"]["step"] for e in ops})
print("trace ok: %d op events on %d tracks, %d transfers, %d steps"
      % (len(ops), len(by_track), len(transfers), len(steps)))
