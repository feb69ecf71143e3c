#!/usr/bin/python3
"""Draws an hpt-run profile (--profile-json, and --profile-csv for the
timelines) as three PNG files in a directory:

  /usr/bin/python3 tools/plots/hpt_run.py PROFILE.json PROFILE.csv -o DIR

  DIR/timeline.png  one step of each phase on a per-device timeline (the
                    first step the CSV kept of each; the switch's crossbar
                    programming as its own panel)
  DIR/energy.png    the run's energy per phase, split by device, links and
                    static power, beside the full-parameter-only baseline
  DIR/loss.png      the training loss per step, the switch marked

Time and energy are modelled (hardware/Accounting.h); the plots say so.
"""
import argparse
import collections
import csv
import json
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

COLOURS = {"host": "#7f7f7f", "gpu": "#2ca02c", "systolic": "#1f77b4", "reram": "#d62728",
           "links": "#9467bd", "static": "#bcbd22"}
DEVICES = ["host", "gpu", "systolic", "reram"]


def track_of(row):
    """A device instance ("systolic 3") or a link ("host-gpu")."""
    return row["device"] + (" " + row["instance"] if row["kind"] != "transfer" else "")


def first_steps(rows):
    """The rows of the first step the CSV kept of each phase, in phase order."""
    steps = collections.OrderedDict()
    for row in rows:
        steps.setdefault(row["phase"], int(row["step"]))
    return [(phase, [r for r in rows if r["phase"] == phase and int(r["step"]) == step], step)
            for phase, step in steps.items()]


def draw_timeline(rows, path):
    panels = first_steps(rows)
    track_lists = [sorted({track_of(r) for r in step_rows},
                          key=lambda t: (t.split(" ")[0] not in DEVICES, t))
                   for _, step_rows, _ in panels]
    heights = [max(2, len(tracks)) for tracks in track_lists]
    fig, axes = plt.subplots(len(panels), 1, figsize=(11, 1.0 + 0.75 * len(panels) + 0.25 * sum(heights)),
                             squeeze=False, gridspec_kw={"height_ratios": heights})
    for ax, (phase, step_rows, step), tracks in zip(axes[:, 0], panels, track_lists):
        start = min(float(r["start_us_modelled"]) for r in step_rows)
        for r in step_rows:
            track = track_of(r)
            colour = COLOURS["links"] if r["kind"] == "transfer" else COLOURS[r["device"]]
            ax.barh(tracks.index(track), float(r["duration_us_modelled"]),
                    left=float(r["start_us_modelled"]) - start, color=colour, height=0.7,
                    linewidth=0)
        ax.set_yticks(range(len(tracks)), tracks)
        ax.invert_yaxis()
        what = "crossbars programmed at the switch" if phase == "switch" else "one step"
        ax.set_title("%s (step %d): %s" % (phase, step, what), loc="left", fontsize=10)
        ax.set_xlabel("simulated time from the step's start, us (modelled)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def draw_energy(profile, path):
    phases = profile["phases"]
    labels = [p["phase"] for p in phases]
    parts = collections.OrderedDict((d, []) for d in DEVICES + ["links", "static"])
    for p in phases:
        by_device = {d["device"]: d["energy_pj"] for d in p["devices"]}
        for d in DEVICES:
            parts[d].append(by_device.get(d, 0.0) * 1e-12)
        parts["links"].append(p["transfer_pj"] * 1e-12)
        parts["static"].append(p["static_pj"] * 1e-12)
    comparison = profile.get("comparison")
    if comparison:
        labels.append("full-parameter\nonly (baseline)")
        for d in parts:
            parts[d].append(0.0)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    bottom = [0.0] * len(labels)
    for name, values in parts.items():
        if not any(values):
            continue
        ax.bar(labels, values, bottom=bottom, color=COLOURS[name], label=name)
        bottom = [b + v for b, v in zip(bottom, values)]
    for x, total in enumerate(bottom[:len(phases)]):
        ax.annotate("%.3g J" % total, (x, total), ha="center", va="bottom", fontsize=8)
    if comparison:
        ax.annotate("%.3g J" % (comparison["baseline_energy_pj"] * 1e-12),
                    (len(labels) - 1, comparison["baseline_energy_pj"] * 1e-12), ha="center",
                    va="bottom", fontsize=8)
        ax.bar(labels[-1], comparison["baseline_energy_pj"] * 1e-12, color="white",
               edgecolor=COLOURS[comparison["full_program_device"]], hatch="//",
               label="baseline: full step x %d steps" % comparison["steps"])
        ax.set_title("energy per phase, J (modelled); this run %.3g J, baseline %.3g J: %.2fx"
                     % (comparison["hybrid_energy_pj"] * 1e-12,
                        comparison["baseline_energy_pj"] * 1e-12, comparison["energy_ratio"]),
                     fontsize=10)
    else:
        ax.set_title("energy per phase, J (modelled)", fontsize=10)
    ax.set_ylabel("J (modelled)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def draw_loss(profile, path):
    run = profile["run"]
    first = run["first_step"]
    losses = run["losses"]
    steps = list(range(first + 1, first + 1 + len(losses)))
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.plot(steps, losses, linewidth=0.8, color="#1f77b4", label="training loss")
    for switch in run["switches"]:
        ax.axvline(switch["iteration"] + 0.5, color=COLOURS["reram"], linestyle="--",
                   label="switch to LoRA after step %d (%s)" % (switch["iteration"],
                                                              switch["check"]))
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.set_title("training loss (measured)", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", help="hpt-run --profile-json output")
    parser.add_argument("csv", help="hpt-run --profile-csv output of the same run")
    parser.add_argument("-o", "--output", required=True, help="a directory")
    args = parser.parse_args()
    profile = json.load(open(args.profile))
    rows = list(csv.DictReader(open(args.csv)))
    if not rows:
        raise SystemExit("%s: no rows (was the run profiled?)" % args.csv)
    os.makedirs(args.output, exist_ok=True)
    written = []
    for name, draw, source in (("timeline.png", draw_timeline, rows),
                               ("energy.png", draw_energy, profile),
                               ("loss.png", draw_loss, profile)):
        path = os.path.join(args.output, name)
        draw(source, path)
        written.append(path)
    print("wrote %s (%d phases: %s)" % (", ".join(written), len(profile["phases"]),
                                       ", ".join(p["phase"] for p in profile["phases"])))


if __name__ == "__main__":
    main()
