#!/usr/bin/python3
"""HpT's result as hpt's own compiler and simulators model it: for each of
the four apps, a real hybrid run that switches, extrapolated to HpT's whole
budget, against full-parameter training on the GPU; then a sweep over the
description's parameters that move the two ratios most.

  /usr/bin/python3 bench/hpt_reproduce.py [--apps wind,swe,covid,weather]
      [--steps 300] [--window 20] [--out docs/hpt-reproduction] [--work DIR]

Per app (Wind on its data, the others on synthetic data shaped like theirs):
1. compile the model with both programs, placed by hpt-partition's HpT
   mapping on configs/atleus-like.json (full program on the GPU, LoRA program
   on ReRAM crossbars and systolic arrays);
2. `hpt-run --schedule hpt --sim timing` for --steps steps with a check window
   of --window iterations instead of HpT's (a short run cannot hold HpT's
   windows of 365-8000 iterations: said in the table);
3. extrapolate (labelled): HpT's window W, its epoch budget, and the number
   of windows the run took to switch, so the switch comes after that many
   of HpT's windows; the run's per-step figures of each phase and the
   switch's programming give the hybrid total, the profiled full step times
   the budget gives the baseline.
The sweep re-costs Wind's full and LoRA steps with hpt-partition (the cost
model the devices charge with: docs/partition.md) on descriptions that vary
one parameter, and extrapolates each the same way. Every time and energy is
modelled; losses and RMSE are measured. Writes OUT/README.md (the tables),
OUT/*.png and OUT/results.json. About 25 minutes on 2 cores cold (measured:
wind 133 s, swe 2 x 214 s, covid and weather about 2 x 105 s each, sweep
about a minute); runs already in --work are reused.
"""
import argparse
import copy
import json
import os
import shutil
import subprocess
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
HW = os.path.join(ROOT, "configs", "atleus-like.json")
PAPER_SPEEDUP, PAPER_ENERGY = 11.9, 12.05

# HpT's settings (docs/reference/hpt-models.md): window W, epochs, optimisers.
# Epoch sizes: Wind's training split is 6735 samples (docs/data.md); the
# other apps' data are not public here, so an epoch is taken to be 20 of
# HpT's windows (an assumption, labelled in the output).
SYNTHETIC = ["--data", "synthetic", "--train-samples", "4000", "--test-samples", "128"]


def synthetic_app(window, epochs, full, lora):
    return dict(window=window, epochs=epochs, epoch=20 * window,
                epoch_source="assumed: 20 windows", data=SYNTHETIC, full=full, lora=lora)


ADAMW_1E4 = "optimizer=adamw lr=1e-4 weight-decay=1e-4"
APPS = {
    "wind": dict(window=480, epochs=24, epoch=6735, epoch_source="Wind's training split",
                 data=["--data", "wind", "--wind-target", "change"],
                 full="optimizer=adamw lr=3e-5 weight-decay=1e-4", lora=ADAMW_1E4),
    "swe": synthetic_app(365, 24, full=ADAMW_1E4, lora=ADAMW_1E4),
    "covid": synthetic_app(720, 20, full="optimizer=adam lr=1e-5",
                           lora="optimizer=adamw lr=1e-5 weight-decay=1e-4"),
    "weather": synthetic_app(8000, 22, full=ADAMW_1E4, lora=ADAMW_1E4),
}


def run(cmd, **kwargs):
    started = time.time()
    result = subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs)
    return result.stdout, result.stderr, time.time() - started


def compile_app(bin_dir, app, settings, work, hw):
    """The hybrid bundle of `app` on `hw`, and its training MLIR."""
    trained = os.path.join(work, app + "-train.mlir")
    run([os.path.join(bin_dir, "hpt-opt"), os.path.join(ROOT, "models", app, app + ".mlir"),
         "--hpt-lora", "--hpt-autodiff=" + settings["full"],
         "--hpt-autodiff=function=forward_lora train-function=train_step_lora " + settings["lora"],
         "-o", trained])
    placed = os.path.join(work, app + "-placed.mlir")
    run([os.path.join(bin_dir, "hpt-opt"), trained,
         "--hpt-partition=function=train_step hw=" + hw,
         "--hpt-partition=function=train_step_lora hw=" + hw,
         "--hpt-crossbar-tile=hw=" + hw, "--hpt-systolic-tile=hw=" + hw,
         "--convert-hpt-to-pim", "--convert-hpt-to-sa", "-o", placed])
    bundle = os.path.join(work, app + ".hptb")
    run([os.path.join(bin_dir, "hpt-translate"), "--hpt-to-bundle", placed, "-o", bundle])
    return trained, bundle


def per_step(profile):
    """Per-step figures of each phase of an hpt-run --profile-json (s, pJ)."""
    phases = {p["phase"]: p for p in profile["phases"]}
    figures = {}
    for name in ("full", "overlap", "lora"):
        if name in phases:
            p = phases[name]
            figures[name] = dict(steps=p["steps"], seconds=p["seconds"] / p["steps"],
                                 energy=p["energy_pj"] / p["steps"])
    switch = phases.get("switch", dict(seconds=0.0, energy_pj=0.0))
    figures["switch"] = dict(seconds=switch["seconds"], energy=switch["energy_pj"])
    c = profile["comparison"]
    figures["gpu_full"] = dict(seconds=c["full_step_seconds"], energy=c["full_step_energy_pj"])
    return figures


def extrapolate(figures, run_window, settings):
    """HpT's whole budget from the run's per-step figures (modelled)."""
    scale = settings["window"] / run_window
    full_steps = figures["full"]["steps"] * scale
    overlap_steps = figures.get("overlap", dict(steps=0))["steps"] * scale
    budget = settings["epochs"] * settings["epoch"]
    lora_steps = budget - full_steps - overlap_steps
    if lora_steps <= 0:
        return None
    full, lora, switch = figures["gpu_full"], figures["lora"], figures["switch"]
    overlap = figures.get("overlap", full)
    hybrid_s = (full_steps * full["seconds"] + overlap_steps * overlap["seconds"] +
                switch["seconds"] + lora_steps * lora["seconds"])
    hybrid_e = (full_steps * full["energy"] + overlap_steps * overlap["energy"] +
                switch["energy"] + lora_steps * lora["energy"])
    base_s, base_e = budget * full["seconds"], budget * full["energy"]
    return dict(budget=budget, switch=full_steps + overlap_steps, hybrid_seconds=hybrid_s,
                hybrid_energy_pj=hybrid_e, baseline_seconds=base_s, baseline_energy_pj=base_e,
                speedup=base_s / hybrid_s, energy_ratio=base_e / hybrid_e,
                lora_share_seconds=lora_steps * lora["seconds"] / hybrid_s,
                lora_share_energy=lora_steps * lora["energy"] / hybrid_e)


def train(args, app, settings, bundle, work, forced=None):
    """One hpt-run of the hybrid bundle; its profile and wall time. A run
    with the same settings in `work` is reused (delete the folder to redo)."""
    suffix = "-forced" if forced else ""
    profile_json = os.path.join(work, "profile%s.json" % suffix)
    profile_csv = os.path.join(work, "profile%s.csv" % suffix)
    key = dict(steps=args.steps, window=args.window, eval=args.eval_samples, forced=forced)
    done = os.path.join(work, "run%s.json" % suffix)
    if os.path.exists(done) and json.load(open(done))["key"] == key:
        return json.load(open(profile_json)), json.load(open(done))["wall"]
    cmd = [os.path.join(args.build, "bin", "hpt-run"), bundle, "--schedule", "hpt", "--sim",
           "timing", "--steps", str(args.steps), "--switch-preset", app,
           "--switch-window", str(args.window), "--quiet", "--eval-samples", str(args.eval_samples),
           "--profile-json", profile_json, "--profile-csv", profile_csv, "--trace-steps", "1",
           "--losses", os.path.join(work, "losses%s.csv" % suffix),
           "--switch-log", os.path.join(work, "switch%s.jsonl" % suffix)] + settings["data"]
    if forced:
        cmd += ["--switch-at", str(forced)]
    out, err, wall = run(cmd, env=dict(os.environ, OMP_NUM_THREADS=str(args.threads)))
    open(os.path.join(work, "hpt-run%s.txt" % suffix), "w").write(out + err)
    json.dump(dict(key=key, wall=wall), open(done, "w"))
    return json.load(open(profile_json)), wall


def run_app(args, app, settings):
    work = os.path.join(args.work, app)
    os.makedirs(work, exist_ok=True)
    bin_dir = os.path.join(args.build, "bin")
    _, bundle = compile_app(bin_dir, app, settings, work, HW)
    profile, wall = train(args, app, settings, bundle, work)
    note = None
    if not profile["run"]["switches"]:
        # The rule did not pass: switch where the run's own windows would
        # have allowed it earliest (baseline, three checks, an overlap), and
        # say so.
        forced = 5 * args.window
        note = ("HpT's rule did not pass within %d steps; the switch was forced after "
                "iteration %d (--switch-at) and the extrapolation takes as many windows"
                % (args.steps, forced))
        profile, wall = train(args, app, settings, bundle, work, forced)
    suffix = "-forced" if note else ""
    profile_json = os.path.join(work, "profile%s.json" % suffix)
    profile_csv = os.path.join(work, "profile%s.csv" % suffix)
    switches = profile["run"]["switches"]
    result = dict(app=app, wall_seconds=wall, run_steps=args.steps, run_window=args.window,
                  hpt_window=settings["window"], epochs=settings["epochs"],
                  epoch=settings["epoch"], epoch_source=settings["epoch_source"],
                  switched_at=switches[0]["iteration"], switch_check=switches[0]["check"],
                  note=note, eval=profile.get("eval"), run=profile["comparison"])
    result["per_step"] = per_step(profile)
    result["hpt_budget"] = extrapolate(result["per_step"], args.window, settings)
    if result["hpt_budget"]:
        result["lora_step_for_paper"] = dict(
            seconds=required_lora_step(result["per_step"], args.window, settings, "speedup",
                                       PAPER_SPEEDUP),
            energy_pj=required_lora_step(result["per_step"], args.window, settings,
                                         "energy_ratio", PAPER_ENERGY))
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "plots", "hpt_run.py"),
                    profile_json, profile_csv, "-o", os.path.join(work, "plots")], check=True,
                   capture_output=True)
    return result, profile


# --- the sweep -------------------------------------------------------------

def description_with(change):
    d = json.load(open(HW))
    change(d)
    return d


def gpu_preset(bin_dir, name, work):
    out = os.path.join(work, "gpu-%s.json" % name)
    subprocess.run([os.path.join(bin_dir, "hpt-hw"), "gpu-preset", name, "--base", HW],
                   check=True, stdout=open(out, "w"))
    return json.load(open(out))


def step_costs(bin_dir, trained, description, work, tag):
    """(full step, LoRA step, programming) of Wind on `description` by
    hpt-partition's HpT mapping: seconds and pJ (modelled)."""
    hw = os.path.join(work, tag + ".json")
    json.dump(description, open(hw, "w"), indent=1)
    costs = {}
    for function in ("train_step", "train_step_lora"):
        report = os.path.join(work, "%s-%s.json" % (tag, function))
        run([os.path.join(bin_dir, "hpt-opt"), trained, "-o", os.devnull,
             "--hpt-partition=function=%s hw=%s report=%s" % (function, hw, report)])
        costs[function] = json.load(open(report))
    full, lora = costs["train_step"]["step"], costs["train_step_lora"]["step"]
    programming = costs["train_step_lora"]["reram_programming"]
    return (dict(seconds=full["seconds"], energy=full["energy_pj"]),
            dict(seconds=lora["seconds"], energy=lora["energy_pj"]),
            dict(seconds=programming["seconds"], energy=programming["energy_pj"]))


def swept(figures, full, lora, programming):
    """The run's step counts with the per-step figures of a description; the
    overlap step keeps its measured ratio to the full step (both on the GPU)."""
    f = copy.deepcopy(figures)
    f["gpu_full"] = dict(full)
    if "overlap" in figures:
        ratio_s = figures["overlap"]["seconds"] / figures["gpu_full"]["seconds"]
        ratio_e = figures["overlap"]["energy"] / figures["gpu_full"]["energy"]
        f["overlap"].update(seconds=full["seconds"] * ratio_s, energy=full["energy"] * ratio_e)
    f["lora"].update(seconds=lora["seconds"], energy=lora["energy"])
    f["switch"] = dict(programming)
    return f


SWEEPS = [
    ("reram.input/output_buffer_latency", "ns/byte",
     [2.5, 1.0, 0.5, 0.25, 0.1, 0.03, 0.01, 0.0],
     lambda d, v: (d["reram"]["input_buffer_latency"].update(value=v),
                   d["reram"]["output_buffer_latency"].update(value=v))),
    ("reram.adcs_per_subarray", "ADCs", [8, 16, 32, 64, 128],
     lambda d, v: d["reram"]["adcs_per_subarray"].update(value=v)),
    ("systolic.instances", "cores", [2, 4, 8, 16, 32, 64],
     lambda d, v: d["systolic"]["instances"].update(value=v)),
    ("host.vector_rate", "Gelement/s", [0.42, 1, 4, 16, 64, 1e6],
     lambda d, v: d["host"]["vector_rate"].update(value=v)),
]


def sweep(args, trained, figures, settings, work):
    bin_dir = os.path.join(args.build, "bin")
    rows = []
    for name, unit, values, change in SWEEPS:
        for value in values:
            d = description_with(lambda d: change(d, value))
            tag = "%s-%s" % (name.split(".")[0], str(value).replace(".", "_"))
            full, lora, programming = step_costs(bin_dir, trained, d, work, tag)
            x = extrapolate(swept(figures, full, lora, programming), args.window, settings)
            rows.append(dict(parameter=name, unit=unit, value=value, full=full, lora=lora,
                             speedup=x["speedup"], energy_ratio=x["energy_ratio"]))
    best = description_with(lambda d: [change(d, best_value) for (_, _, _, change), best_value
                                       in zip(SWEEPS, (0.0, 128, 16, 1e6))])
    full, lora, programming = step_costs(bin_dir, trained, best, work, "combined")
    x = extrapolate(swept(figures, full, lora, programming), args.window, settings)
    rows.append(dict(parameter="combined", unit="", value="buffers 0, 128 ADCs, 16 cores, host 1e6",
                     full=full, lora=lora, speedup=x["speedup"], energy_ratio=x["energy_ratio"]))
    for preset in ("a100-sxm", "h100-sxm"):
        full, lora, programming = step_costs(bin_dir, trained, gpu_preset(bin_dir, preset, work),
                                             work, "gpu-" + preset)
        x = extrapolate(swept(figures, full, lora, programming), args.window, settings)
        rows.append(dict(parameter="gpu preset", unit="", value=preset, full=full, lora=lora,
                         speedup=x["speedup"], energy_ratio=x["energy_ratio"]))
    return rows


def crossing(rows, parameter, key, target):
    """Where `key` crosses `target` as `parameter` runs over its sweep:
    the value interpolated linearly between the two sweep points around it,
    "every value" when all reach it, None when none does."""
    points = [(r["value"], r[key]) for r in rows if r["parameter"] == parameter]
    for (v0, y0), (v1, y1) in zip(points, points[1:]):
        if min(y0, y1) < target <= max(y0, y1):
            return "%.3g" % (v0 + (v1 - v0) * (target - y0) / (y1 - y0))
    if points and all(y >= target for _, y in points):
        return "every value"
    return None


def required_lora_step(figures, run_window, settings, key, target):
    """The LoRA step (seconds or pJ) at which the extrapolated ratio reaches
    `target`, the rest of the run as it is; None when even a free LoRA step
    cannot."""
    x = extrapolate(figures, run_window, settings)
    lora_steps = x["budget"] - x["switch"]
    name = "seconds" if key == "speedup" else "energy"
    hybrid = x["hybrid_seconds"] if key == "speedup" else x["hybrid_energy_pj"]
    baseline = x["baseline_seconds"] if key == "speedup" else x["baseline_energy_pj"]
    rest = hybrid - lora_steps * figures["lora"][name]
    allowed = (baseline / target - rest) / lora_steps
    return allowed if allowed > 0 else None


# --- the report --------------------------------------------------------------

def fmt_energy(pj):
    return "%.4g J" % (pj * 1e-12)


def fmt_time(seconds):
    return "%.4g s" % seconds if seconds >= 1 else "%.4g ms" % (seconds * 1e3)


def write_plots(results, rows, out):
    done = [r for r in results if r.get("hpt_budget")]
    fig, ax = plt.subplots(figsize=(8, 4))
    x = range(len(done))
    ax.bar([i - 0.2 for i in x], [r["hpt_budget"]["speedup"] for r in done], 0.4,
           label="speed-up (time)", color="#1f77b4")
    ax.bar([i + 0.2 for i in x], [r["hpt_budget"]["energy_ratio"] for r in done], 0.4,
           label="energy ratio", color="#2ca02c")
    ax.axhline(PAPER_SPEEDUP, color="#1f77b4", linestyle="--", linewidth=0.8,
               label="HpT: up to %.1fx faster" % PAPER_SPEEDUP)
    ax.axhline(PAPER_ENERGY, color="#2ca02c", linestyle=":", linewidth=0.8,
               label="HpT: up to %.2fx less energy" % PAPER_ENERGY)
    ax.axhline(1, color="black", linewidth=0.5)
    ax.set_xticks(list(x), [r["app"] for r in done])
    ax.set_ylabel("GPU-only full-parameter / hybrid (modelled)")
    ax.set_title("HpT vs full-parameter training over HpT's budget (extrapolated, modelled)",
                 fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "ratios.png"), dpi=110)
    plt.close(fig)

    parameters = [p for p, *_ in SWEEPS]
    fig, axes = plt.subplots(1, len(parameters), figsize=(4 * len(parameters), 3.6))
    for ax, parameter in zip(axes, parameters):
        mine = [r for r in rows if r["parameter"] == parameter]
        values = [r["value"] for r in mine]
        ax.plot(values, [r["speedup"] for r in mine], "o-", label="speed-up", color="#1f77b4")
        ax.plot(values, [r["energy_ratio"] for r in mine], "s-", label="energy ratio",
                color="#2ca02c")
        ax.axhline(PAPER_SPEEDUP, color="#1f77b4", linestyle="--", linewidth=0.8)
        ax.axhline(PAPER_ENERGY, color="#2ca02c", linestyle=":", linewidth=0.8)
        if min(v for v in values if isinstance(v, (int, float))) > 0:
            ax.set_xscale("log")
        else:
            ax.set_xscale("symlog", linthresh=0.01)
        ax.set_yscale("log")
        ax.set_xlabel("%s (%s)" % (parameter, mine[0]["unit"]), fontsize=8)
        ax.set_title("Wind, HpT's budget (modelled)", fontsize=9)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "sweep.png"), dpi=110)
    plt.close(fig)


def write_readme(results, rows, out, args):
    lines = ["# HpT reproduced: hpt's model of the hybrid machine against GPU-only training", "",
             "Written by `/usr/bin/python3 bench/hpt_reproduce.py` (%s). Hardware: `configs/atleus-like.json`"
             " (the Atleus-like default: its A100, 16 systolic cores of 128 x 32, one ReRAM chip of"
             " 16 x 16 tiles; every constant's source in the file). **Every time and energy is"
             " modelled** (the devices' own charging, docs/accounting.md); losses and RMSE are"
             " measured. HpT reports up to %.1fx shorter training and %.2fx less energy."
             % (time.strftime("%Y-%m-%d"), PAPER_SPEEDUP, PAPER_ENERGY), "",
             "## The runs (real training, `--sim timing`, %d steps, check window %d)" % (args.steps, args.window), "",
             "HpT's windows (365-8000 iterations) cannot fit a short run, so each run checks every %d"
             " iterations; the switch rule is otherwise HpT's (thresholds, t-test, per-app"
             " monitored layer)." % args.window, "",
             "| app | switched at | full step | LoRA step | overlap step | switch (programming) | test loss | RMSE | wall |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        s = r["per_step"]
        e = r["eval"] or {}
        rmse = "%.4f %s" % (e["rmse"], e["unit"]) if e else "-"
        if e.get("baselines"):
            rmse += " (" + ", ".join("%s %.4f" % (b["name"], b["rmse"]) for b in e["baselines"]) + ")"
        lines.append("| %s | %s | %s, %s | %s, %s | %s, %s | %s, %s | %s | %s | %.0f s |" % (
            r["app"], "%d%s" % (r["switched_at"], " (forced)" if r["switch_check"] == "forced" else ""),
            fmt_time(s["gpu_full"]["seconds"]),
            fmt_energy(s["gpu_full"]["energy"]), fmt_time(s["lora"]["seconds"]),
            fmt_energy(s["lora"]["energy"]), fmt_time(s["overlap"]["seconds"]) if "overlap" in s else "-",
            fmt_energy(s["overlap"]["energy"]) if "overlap" in s else "-",
            fmt_time(s["switch"]["seconds"]), fmt_energy(s["switch"]["energy"]),
            "%.4g" % e["mean_loss"] if e else "-", rmse, r["wall_seconds"]))
    for r in results:
        if r["note"]:
            lines += ["", "%s: %s." % (r["app"], r["note"])]
    lines += ["", "Within the run itself (its own steps, from hpt-run's comparison):", "",
              "| app | steps | hybrid | full-parameter only | speed-up | energy ratio |",
              "|---|---|---|---|---|---|"]
    for r in results:
        c = r["run"]
        lines.append("| %s | %d | %s, %s | %s, %s | %.3fx | %.3fx |" % (
            r["app"], c["steps"], fmt_time(c["hybrid_seconds"]), fmt_energy(c["hybrid_energy_pj"]),
            fmt_time(c["baseline_seconds"]), fmt_energy(c["baseline_energy_pj"]), c["speedup"],
            c["energy_ratio"]))
    lines += ["", "## HpT's whole budget (extrapolated from the per-step profiles; modelled)", "",
              "The switch comes after as many of HpT's windows as the run took of its own; then"
              " LoRA steps to the end of the budget (epochs x epoch size).", "",
              "| app | W | budget | switch at | hybrid | GPU-only | speed-up | energy ratio | LoRA phase's share of time, energy |",
              "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        x = r.get("hpt_budget")
        if not x:
            continue
        lines.append("| %s | %d | %d x %d (%s) | %.0f | %s, %s | %s, %s | **%.3fx** | **%.3fx** | %.0f %%, %.0f %% |" % (
            r["app"], r["hpt_window"], r["epochs"], r["epoch"], r["epoch_source"], x["switch"],
            fmt_time(x["hybrid_seconds"]), fmt_energy(x["hybrid_energy_pj"]),
            fmt_time(x["baseline_seconds"]), fmt_energy(x["baseline_energy_pj"]), x["speedup"],
            x["energy_ratio"], 100 * x["lora_share_seconds"], 100 * x["lora_share_energy"]))
    lines += ["", "The LoRA step at which hpt's model would give HpT's figures over this budget (the"
              " rest of the run unchanged):", "",
              "| app | LoRA step now | for %.1fx faster | LoRA step energy now | for %.2fx less energy |"
              % (PAPER_SPEEDUP, PAPER_ENERGY), "|---|---|---|---|---|"]
    for r in results:
        need = r.get("lora_step_for_paper")
        if not need:
            continue
        lora = r["per_step"]["lora"]
        lines.append("| %s | %s | %s | %s | %s |" % (
            r["app"], fmt_time(lora["seconds"]),
            fmt_time(need["seconds"]) if need["seconds"] else "unreachable",
            fmt_energy(lora["energy"]),
            fmt_energy(need["energy_pj"]) if need["energy_pj"] else "unreachable"))
    lines += ["", "![ratios](ratios.png)", "",
              "Wind's run (`hpt-run --profile-json`, drawn by `tools/plots/hpt_run.py`): one step of"
              " each phase per device, the energy per phase and device beside the baseline, and"
              " the loss with the switch marked.", "",
              "![Wind timeline](wind-timeline.png)", "", "![Wind energy](wind-energy.png)", "",
              "![Wind loss](wind-loss.png)", "",
              "## Sensitivity (Wind, HpT's budget, one parameter of the description at a time)", "",
              "Each point re-costs the full and LoRA steps with `hpt-partition` on the changed"
              " description; the step counts stay the run's, scaled to HpT's budget.", "",
              "| parameter | value | full step | LoRA step | speed-up | energy ratio |",
              "|---|---|---|---|---|---|"]
    for row in rows:
        lines.append("| %s | %s %s | %s, %s | %s, %s | %.3fx | %.3fx |" % (
            row["parameter"], row["value"], row["unit"], fmt_time(row["full"]["seconds"]),
            fmt_energy(row["full"]["energy"]), fmt_time(row["lora"]["seconds"]),
            fmt_energy(row["lora"]["energy"]), row["speedup"], row["energy_ratio"]))
    lines += ["", "Where each parameter takes the ratios to HpT's figures (linear between sweep points):", "",
              "| parameter | speed-up range | reaches %.1fx at | energy ratio range | reaches %.2fx at |"
              % (PAPER_SPEEDUP, PAPER_ENERGY), "|---|---|---|---|---|"]
    for parameter, *_ in SWEEPS:
        mine = [r for r in rows if r["parameter"] == parameter]
        lines.append("| %s | %.3fx .. %.3fx | %s | %.3fx .. %.3fx | %s |" % (
            parameter, min(r["speedup"] for r in mine), max(r["speedup"] for r in mine),
            crossing(rows, parameter, "speedup", PAPER_SPEEDUP) or "not in the sweep",
            min(r["energy_ratio"] for r in mine), max(r["energy_ratio"] for r in mine),
            crossing(rows, parameter, "energy_ratio", PAPER_ENERGY) or "not in the sweep"))
    lines += ["", "![sweep](sweep.png)", ""]
    open(os.path.join(out, "README.md"), "w").write("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--apps", default="wind,swe,covid,weather")
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--window", type=int, default=20)
    parser.add_argument("--eval-samples", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "hpt-reproduction"))
    parser.add_argument("--work", default="/tmp/hpt-reproduce")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    results = []
    for app in args.apps.split(","):
        result, _ = run_app(args, app, APPS[app])
        results.append(result)
        x = result.get("hpt_budget")
        print("%-8s switched at %s; run %.3fx, %.3fx; HpT's budget %s (%.0f s wall)" % (
            app, result["switched_at"], result["run"]["speedup"], result["run"]["energy_ratio"],
            "%.3fx faster, %.3fx less energy" % (x["speedup"], x["energy_ratio"]) if x else "-",
            result["wall_seconds"]), flush=True)
    rows = []
    wind = next((r for r in results if r["app"] == "wind" and r.get("per_step")), None)
    if wind:
        trained = os.path.join(args.work, "wind", "wind-train.mlir")
        rows = sweep(args, trained, wind["per_step"], APPS["wind"], os.path.join(args.work, "wind"))
        for parameter, *_ in SWEEPS + [("combined",), ("gpu preset",)]:
            for key, target in (("speedup", PAPER_SPEEDUP), ("energy_ratio", PAPER_ENERGY)):
                mine = [r[key] for r in rows if r["parameter"] == parameter]
                print("%-36s %-12s %.3fx .. %.3fx; reaches %.2fx at %s" % (
                    parameter, key, min(mine), max(mine), target,
                    crossing(rows, parameter, key, target) if parameter in dict(
                        (p, 1) for p, *_ in SWEEPS) else "-"))
    json.dump(dict(results=results, sweep=rows), open(os.path.join(args.out, "results.json"), "w"),
              indent=1)
    if wind:
        for name in ("timeline", "energy", "loss"):
            shutil.copy(os.path.join(args.work, "wind", "plots", name + ".png"),
                        os.path.join(args.out, "wind-%s.png" % name))
    write_plots(results, rows, args.out)
    write_readme(results, rows, args.out, args)
    print("wrote %s" % os.path.join(args.out, "README.md"))


if __name__ == "__main__":
    main()
