"""Replays an hpt-run --switch-log (HpT's full -> LoRA switch rule) with numpy
and scipy only, and fails on any check whose logged outcome the rule does not
give (docs/reference/hpt-models.md, "Phase switch").

  replay_switch.py LOG --window W --epoch-size N [--alpha A]
      [--loss-threshold H] [--weight-threshold H] [--rebaseline-each-epoch
      [--rebaseline-clears-d]] [--losses CSV] [--steps S]

- Overlap checks: scipy.stats.ttest_ind(full_losses, lora_losses,
  equal_var=True) gives the logged t and p (1e-9 relative or 1e-12 absolute),
  L and L_lora are the means of the two series, and the decision is "switch"
  iff p > alpha (a NaN p is "re-clone"). Each series holds W losses, and the
  copy's first loss is the full model's (a fresh clone: its adapters add 0).
- Window checks: the rule replayed from the logged L and d series alone. A
  series x (its last three values) is settled under threshold h iff
  (x0-x1)/x0 < h, (x1-x2)/x1 < h and x1-x2 < x0-x1. Loss test: settled(L);
  weight test: settled(d); a check with no earlier M (the first one, or the
  first of each epoch with --rebaseline-each-epoch) only takes M as its
  baseline and logs no d. The L and d series persist across epochs (the d
  series also across a re-baseline, as PhaseSwitch::startEpoch keeps it;
  --rebaseline-clears-d replays the other reading, a d series that restarts
  with the baseline).
- The sequence: checks fall at the ends of the full windows of each epoch
  (iteration = epoch * N + j * W, 1 <= j <= N // W: a partial window at the
  end of an epoch is dropped) and none is skipped; window checks until
  "overlap", then overlap checks ("re-clone" is followed by another one)
  until "switch", after which nothing.
- With --losses (hpt-run --losses CSV of the same run): each window's L is
  the mean of the full model's losses over its W iterations, and an overlap
  check's full_losses are those losses. With --steps (the run's length): a run
  that did not switch logged every window that ended within it.
"""
import argparse
import csv
import json
import math
import sys

import numpy as np
from scipy import stats

DECISIONS = ["baseline", "continue", "overlap", "re-clone", "switch"]
KEYS = ["iteration", "epoch", "check", "L", "d", "t", "p", "L_lora", "loss_test",
        "weight_test", "decision", "rank"]


def settled(x, h):
    if len(x) < 3:
        return False
    older, newer = x[0] - x[1], x[1] - x[2]
    return older / x[0] < h and newer / x[1] < h and newer < older


def close(a, b, rel=1e-9, absolute=1e-12):
    if a is None or b is None or (isinstance(b, float) and math.isnan(b)):
        # hpt writes a non-finite value as null.
        return a is None and (b is None or math.isnan(b))
    return abs(a - b) <= max(absolute, rel * abs(b))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("log")
    parser.add_argument("--window", type=int, required=True)
    parser.add_argument("--epoch-size", type=int, required=True)
    parser.add_argument("--alpha", type=float, default=0.01)
    parser.add_argument("--loss-threshold", type=float, default=0.1)
    parser.add_argument("--weight-threshold", type=float, default=0.01)
    parser.add_argument("--rebaseline-each-epoch", action="store_true")
    # The other reading of "drop the weight baseline": the d series restarts too.
    parser.add_argument("--rebaseline-clears-d", action="store_true")
    parser.add_argument("--losses")
    parser.add_argument("--steps", type=int)
    args = parser.parse_args()
    W, N = args.window, args.epoch_size

    errors = []

    def fail(event, what):
        where = "line %d (iteration %s)" % (event["line"], event.get("iteration"))
        errors.append("%s: %s" % (where, what))

    losses = None
    if args.losses:
        # %.9g of a float32: rounding the decimal to float32 gives it back.
        losses = {int(row["step"]): float(np.float32(row["loss"]))
                  for row in csv.DictReader(open(args.losses))}

    checks, ranks, epoch_ends = [], [], []
    for number, text in enumerate(open(args.log), 1):
        event = json.loads(text)
        event["line"] = number
        if event.get("event") == "rank":
            ranks.append(event)
        elif event.get("event") == "check":
            checks.append(event)
        elif event.get("event") == "epoch-end":
            epoch_ends.append(event)
        else:
            fail(event, "unknown event %r" % event.get("event"))
    if not checks:
        sys.exit("replay_switch: %s holds no check" % args.log)

    def next_window_end(iteration):
        """The first window end after `iteration` (1-based steps)."""
        epoch, offset = divmod(iteration, N)
        j = offset // W + 1
        if j * W > N:
            epoch, j = epoch + 1, 1
        return epoch * N + j * W

    counts = {name: 0 for name in DECISIONS}
    max_dt = max_dp = max_dl = 0.0
    window_replayed = overlap_replayed = 0
    # The rule's state: last three L and d, whether M has a baseline.
    Ls, ds, has_baseline, last_epoch = [], [], False, None
    expect = "window"  # the kind of check the sequence needs next
    previous = None
    for e in checks:
        missing = [k for k in KEYS if k not in e]
        if missing:
            fail(e, "keys missing: %s" % ", ".join(missing))
            continue
        if e["decision"] not in DECISIONS:
            fail(e, "unknown decision %r" % e["decision"])
            continue
        counts[e["decision"]] += 1
        it, epoch = e["iteration"], e["epoch"]

        # Where the check falls.
        if expect == "nothing":
            fail(e, "a check after the switch")
        if previous is not None and it <= previous["iteration"]:
            fail(e, "iteration %d does not follow %d" % (it, previous["iteration"]))
        if epoch != (it - 1) // N:
            fail(e, "epoch %d, but iteration %d lies in epoch %d" % (epoch, it, (it - 1) // N))
        offset = it - epoch * N
        if offset % W or not W <= offset <= (N // W) * W:
            fail(e, "iteration %d is not the end of a full window of epoch %d" % (it, epoch))
        wanted = next_window_end(previous["iteration"] if previous else 0)
        if it != wanted:
            fail(e, "the check of the window ending at iteration %d is missing" % wanted)
        if e["check"] != expect and expect != "nothing":
            fail(e, "a check of kind %r where the sequence needs %r" % (e["check"], expect))
        window_iterations = range(it - W + 1, it + 1)
        if losses is not None:
            missing_steps = [s for s in window_iterations if s not in losses]
            if missing_steps:
                fail(e, "--losses has no step %d" % missing_steps[0])
            else:
                mean = sum(losses[s] for s in window_iterations) / W
                dl = abs(e["L"] - mean)
                max_dl = max(max_dl, dl)
                if not close(e["L"], mean, rel=1e-12):
                    fail(e, "L %r is not the mean %r of the losses of iterations %d..%d"
                         % (e["L"], mean, it - W + 1, it))

        if e["check"] == "window":
            window_replayed += 1
            if args.rebaseline_each_epoch and epoch != last_epoch:
                has_baseline = False
                if args.rebaseline_clears_d:
                    ds = []
            last_epoch = epoch
            Ls = (Ls + [e["L"]])[-3:]
            if has_baseline:
                if e["d"] is None:
                    fail(e, "no d although M has a baseline")
                else:
                    ds = (ds + [e["d"]])[-3:]
            elif e["d"] is not None:
                fail(e, "a d although M has no baseline")
            loss_test = settled(Ls, args.loss_threshold)
            weight_test = has_baseline and settled(ds, args.weight_threshold)
            decision = ("baseline" if not has_baseline else
                        "overlap" if loss_test and weight_test else "continue")
            has_baseline = True
            got = (e["loss_test"], e["weight_test"], e["decision"])
            if got != (loss_test, weight_test, decision):
                fail(e, "loss_test, weight_test, decision: hpt %s, replay %s (L %s, d %s)"
                     % (got, (loss_test, weight_test, decision), Ls, ds))
            for key in ("t", "p", "L_lora"):
                if e[key] is not None:
                    fail(e, "a window check with %s" % key)
            if "full_losses" in e or "lora_losses" in e:
                fail(e, "a window check with loss series")
            expect = "overlap" if decision == "overlap" else "window"
        elif e["check"] == "overlap":
            overlap_replayed += 1
            full, lora = e.get("full_losses"), e.get("lora_losses")
            if not isinstance(full, list) or not isinstance(lora, list):
                fail(e, "an overlap check without full_losses and lora_losses")
                continue
            if len(full) != W or len(lora) != W:
                fail(e, "%d full and %d LoRA losses, not W = %d each" % (len(full), len(lora), W))
            if full and lora and not close(lora[0], full[0], rel=1e-6):
                fail(e, "the copy's first loss %r is not the full model's %r: not a fresh clone"
                     % (lora[0], full[0]))
            if losses is not None and all(s in losses for s in window_iterations):
                if full != [losses[s] for s in window_iterations]:
                    fail(e, "full_losses are not the run's losses of iterations %d..%d"
                         % (it - W + 1, it))
            a, b = np.asarray(full, dtype=float), np.asarray(lora, dtype=float)
            with np.errstate(all="ignore"):
                test = stats.ttest_ind(a, b, equal_var=True)
            t, p = float(test.statistic), float(test.pvalue)
            if not close(e["t"], t):
                fail(e, "t: hpt %r, scipy %r" % (e["t"], t))
            if not close(e["p"], p):
                fail(e, "p: hpt %r, scipy %r" % (e["p"], p))
            if e["t"] is not None and not math.isnan(t):
                max_dt = max(max_dt, abs(e["t"] - t))
            if e["p"] is not None and not math.isnan(p):
                max_dp = max(max_dp, abs(e["p"] - p))
            if not close(e["L"], float(np.mean(a)), rel=1e-12):
                fail(e, "L %r is not the mean of full_losses %r" % (e["L"], float(np.mean(a))))
            if not close(e["L_lora"], float(np.mean(b)), rel=1e-12):
                fail(e, "L_lora %r is not the mean of lora_losses %r"
                     % (e["L_lora"], float(np.mean(b))))
            decision = "switch" if p > args.alpha else "re-clone"  # NaN > alpha is False
            if e["decision"] != decision:
                fail(e, "decision: hpt %s, replay %s (p %r, alpha %r)"
                     % (e["decision"], decision, p, args.alpha))
            if e["d"] is not None or e["loss_test"] or e["weight_test"]:
                fail(e, "an overlap check with d or passed window tests")
            expect = "nothing" if e["decision"] == "switch" else "overlap"
        else:
            fail(e, "unknown check %r" % e["check"])
        previous = e

    if args.steps is not None and expect != "nothing":
        wanted = next_window_end(checks[-1]["iteration"])
        if wanted <= args.steps:
            errors.append("no check at iteration %d, within the run's %d steps"
                          % (wanted, args.steps))
    # An overlap window cut short by the end of an epoch is logged as a
    # re-clone at that epoch's last iteration, between two overlap checks.
    for end in epoch_ends:
        it = end.get("iteration")
        before = [e for e in checks if e["iteration"] < it]
        if it % N or end.get("epoch") != it // N - 1 or end.get("decision") != "re-clone":
            errors.append("line %d: an epoch-end event that is not a re-clone at an epoch's end"
                          % end["line"])
        elif not before or before[-1]["decision"] not in ("overlap", "re-clone"):
            errors.append("line %d: an epoch-end re-clone outside an overlap" % end["line"])
    overlap_iterations = {e["iteration"] for e in checks if e["decision"] == "overlap"}
    for r in ranks:
        if r.get("iteration") not in overlap_iterations:
            errors.append("line %d: a rank choice at iteration %s, where no overlap began"
                          % (r["line"], r.get("iteration")))

    switch = [e for e in checks if e["decision"] == "switch"]
    print("checks: %d (window %d, overlap %d), rank lines %d, epoch-end re-clones %d"
          % (len(checks), window_replayed, overlap_replayed, len(ranks), len(epoch_ends)))
    print("decisions: " + ", ".join("%s %d" % (name, counts[name]) for name in DECISIONS))
    if switch:
        print("switch at iteration %d (epoch %d)" % (switch[0]["iteration"], switch[0]["epoch"]))
    else:
        print("no switch")
    print("max |t - scipy t| %.3g, max |p - scipy p| %.3g, max |L - mean loss| %.3g"
          % (max_dt, max_dp, max_dl))
    if errors:
        for line in errors[:20]:
            print("MISMATCH " + line)
        sys.stdout.flush()  # before the message on stderr
        sys.exit("replay_switch: %d check(s) disagree with the rule" % len(errors))
    print("replay: all %d checks agree with the rule" % len(checks))


if __name__ == "__main__":
    main()
