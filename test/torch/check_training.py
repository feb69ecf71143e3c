"""N training steps of hpt-run against the same steps in PyTorch.

    check_training.py --bundle m.hptb --params p0.hpta --checkpoint final.hpta \
        --losses losses.csv --steps 20 --train-samples 4 \
        --optimizer adamw --lr 1e-3 --weight-decay 0.01 [--momentum ...]

hpt-run must have run with `--data synthetic --no-shuffle --train-samples N
--steps S` from the exported parameters (--export-params). This script trains
the PyTorch reference of the bundle's @forward (hpt_reference) on the same
samples (step k sees sample (k-1) mod N, with hpt's dropout masks of step k-1)
with torch.optim.SGD / Adam / AdamW (and StepLR, stepped once per epoch, for
--lr-schedule step) and the hyper-parameters given here, which must also be
the ones in the bundle's update ops. It checks:

  * every step's loss: |l_hpt - l_torch| / |l_torch| <= --loss-tol (1e-3),
  * every parameter after the last step (the checkpoint's "param:" tensors):
    ||w_hpt - w_torch|| / ||w_torch|| <= --param-tol (1e-3), and the same for
    the optimizer state (momentum buffer / Adam moments, "moment1:" and
    "moment2:"). The optimizer state of the attention key biases is reported
    but not compared: the loss does not depend on them, so their gradient is
    rounding noise on both sides and so are their moments (their values are
    compared: a noise gradient below Adam's eps moves them very little),
  * that training works: the mean loss over the last N steps (the last pass
    over the N samples) is at least --min-decrease (10%) below the mean over
    the first N steps, on both sides.

With --lora, hpt-run ran `--schedule lora` and the reference is hpt_lora's
(@forward with LoRA adapters in torch, everything but the adapters and the
trainable groups frozen); the optimizer gets the trainable parameters only,
the hyper-parameters are those of the LoRA program's train function, whose
update ops must write exactly the trainable set. The frozen parameters must
come out of hpt-run bit-identical to the exported ones, with no optimizer
state and no updates counted in the checkpoint.

Prints a table and the maxima; exits 1 on any violation.
"""

import argparse
import math
import sys
import time

import numpy as np
import torch

import hpt_formats
import hpt_lora
import hpt_reference as ref_mod


def expected_update_attrs(a):
    """The attributes hpt-autodiff should have given every update op."""
    if a.optimizer == "sgd":
        return "sgd_update", {"momentum": a.momentum, "dampening": a.dampening,
                              "weight_decay": a.weight_decay}
    return a.optimizer + "_update", {"beta1": a.beta1, "beta2": a.beta2, "eps": a.eps,
                                     "weight_decay": a.weight_decay}


def check_bundle_hyperparameters(bundle, a, train_fn="train_step"):
    """Problems with the optimizer in @train_fn vs the command line."""
    problems = []
    fn = ref_mod.function(bundle, train_fn)
    kind, attrs = expected_update_attrs(a)
    updates = [op for op in fn["ops"] if op["op"].endswith("_update")]
    if not updates:
        return ["@%s has no update ops" % train_fn]
    for op in updates:
        if op["op"] != kind:
            problems.append("update op %s, expected %s" % (op["op"], kind))
            break
        for key, value in attrs.items():
            if not math.isclose(float(op["attrs"][key]), value, rel_tol=1e-12, abs_tol=0):
                problems.append("%s of %s is %r, expected %r" % (key, op["attrs"]["param"],
                                                                 op["attrs"][key], value))
        if a.optimizer == "sgd" and ("nesterov" in op["attrs"]) != a.nesterov:
            problems.append("nesterov flag of %s differs" % op["attrs"]["param"])
    lrs = [op for op in fn["ops"] if op["op"] in ("constant_lr", "step_lr")]
    want = "step_lr" if a.lr_schedule == "step" else "constant_lr"
    for op in lrs:
        if op["op"] != want or not math.isclose(float(op["attrs"]["base"]), a.lr, rel_tol=1e-12):
            problems.append("learning rate op %s base %r, expected %s base %r" % (
                op["op"], op["attrs"].get("base"), want, a.lr))
        elif want == "step_lr" and (int(op["attrs"]["step_size"]) != a.step_size or
                                    not math.isclose(float(op["attrs"]["gamma"]), a.gamma)):
            problems.append("step_lr step_size/gamma differ")
    return problems


def make_optimizer(a, params):
    if a.optimizer == "sgd":
        return torch.optim.SGD(params, lr=a.lr, momentum=a.momentum, dampening=a.dampening,
                               weight_decay=a.weight_decay, nesterov=a.nesterov)
    cls = torch.optim.Adam if a.optimizer == "adam" else torch.optim.AdamW
    return cls(params, lr=a.lr, betas=(a.beta1, a.beta2), eps=a.eps,
               weight_decay=a.weight_decay)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bundle", required=True)
    ap.add_argument("--params", required=True)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--losses", required=True)
    ap.add_argument("--steps", type=int, required=True)
    ap.add_argument("--train-samples", type=int, required=True)
    ap.add_argument("--data-seed", type=int, default=1)
    ap.add_argument("--optimizer", choices=["sgd", "adam", "adamw"], required=True)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--momentum", type=float, default=0.0)
    ap.add_argument("--dampening", type=float, default=0.0)
    ap.add_argument("--nesterov", action="store_true")
    ap.add_argument("--beta1", type=float, default=0.9)
    ap.add_argument("--beta2", type=float, default=0.999)
    ap.add_argument("--eps", type=float, default=1e-8)
    ap.add_argument("--weight-decay", type=float, default=0.0)
    ap.add_argument("--lr-schedule", choices=["constant", "step"], default="constant")
    ap.add_argument("--step-size", type=int, default=1)
    ap.add_argument("--gamma", type=float, default=0.1)
    ap.add_argument("--loss-tol", type=float, default=1e-3)
    ap.add_argument("--param-tol", type=float, default=1e-3)
    ap.add_argument("--state-tol", type=float, default=1e-3,
                    help="tolerance of the optimizer state (moments), which amplifies "
                         "float noise more than the parameters do")
    ap.add_argument("--min-decrease", type=float, default=0.10)
    ap.add_argument("--attention", choices=["mha", "explicit"], default="mha")
    ap.add_argument("--label", default="")
    hpt_lora.add_arguments(ap)
    a = ap.parse_args()
    torch.set_num_threads(1)
    start = time.time()
    failures = []

    bundle = hpt_formats.read_bundle(a.bundle)
    _, params = hpt_formats.read_archive(a.params)
    meta, ckpt = hpt_formats.read_archive(a.checkpoint)
    hpt_losses = hpt_formats.read_losses(a.losses)
    if len(hpt_losses) != a.steps or meta.get("step") != a.steps:
        failures.append("hpt-run ran %d steps (checkpoint at step %s), expected %d" % (
            len(hpt_losses), meta.get("step"), a.steps))
    ref, train_fn, problems = hpt_lora.make_reference(bundle, params, a)
    failures += problems
    failures += ["bundle: " + p for p in check_bundle_hyperparameters(bundle, a, train_fn)]
    names = ref.trainable()
    if a.lora:
        print(ref.describe())
        updated = hpt_lora.update_params(bundle, train_fn)
        same = sorted(updated) == sorted(names)
        print("@%s updates %d tensors: %s the torch side's trainable set" % (
            train_fn, len(updated), "exactly" if same else "NOT"))
        if not same:
            failures.append("@%s updates %s, torch trains %s" % (train_fn, sorted(updated), sorted(names)))
        if meta.get("schedule", {}).get("kind") != "lora":
            failures.append("the checkpoint's schedule is %r, not lora" % meta.get("schedule"))
    opt = make_optimizer(a, [ref.params[n] for n in names])
    sched = (torch.optim.lr_scheduler.StepLR(opt, step_size=a.step_size, gamma=a.gamma)
             if a.lr_schedule == "step" else None)
    data = ref_mod.dataset_for(bundle, "train", a.data_seed)
    samples = [data.sample(i) for i in range(min(a.train_samples, a.steps))]
    hp = {k: getattr(a, k) for k in ("lr", "momentum", "dampening", "nesterov", "beta1", "beta2",
                                     "eps", "weight_decay")}
    print("training %s%s, %d steps over %d samples, %s lr schedule %s" % (
        (a.label + ": ") if a.label else "", a.optimizer, a.steps, a.train_samples,
        ", ".join("%s=%g" % kv for kv in hp.items() if
                  (a.optimizer == "sgd") == (kv[0] in ("momentum", "dampening", "nesterov"))
                  or kv[0] in ("lr", "weight_decay")),
        a.lr_schedule))

    torch_losses = []
    print("%5s %14s %14s %12s" % ("step", "hpt loss", "torch loss", "rel error"))
    worst_loss = 0.0
    for step in range(a.steps):
        x, t = samples[step % a.train_samples]
        opt.zero_grad(set_to_none=True)
        loss, _ = ref.run([x, t], training=True, step=step)
        loss.backward()
        opt.step()
        if sched is not None and (step + 1) % a.train_samples == 0:
            sched.step()  # once per epoch, as hpt's step_lr reads the epoch
        torch_losses.append(loss.item())
        if step < len(hpt_losses):
            err = abs(hpt_losses[step] - loss.item()) / abs(loss.item())
            worst_loss = max(worst_loss, err)
            flag = "" if err <= a.loss_tol else "  FAIL"
            print("%5d %14.9f %14.9f %12.3e%s" % (step + 1, hpt_losses[step], loss.item(), err, flag))
            if not err <= a.loss_tol:
                failures.append("step %d: loss relative error %.3e" % (step + 1, err))
    print("max relative loss error: %.3e over %d steps (tol %.0e)" % (worst_loss, a.steps, a.loss_tol))

    n = a.train_samples
    for side, curve in (("hpt", np.array(hpt_losses)), ("torch", np.array(torch_losses))):
        if len(curve) < 2 * n:
            failures.append("%s: %d steps are too few to compare the first and last %d" % (side, len(curve), n))
            continue
        first, last = curve[:n].mean(), curve[-n:].mean()
        drop = 1 - last / first
        ok = drop >= a.min_decrease
        print("loss decrease %-5s: mean of the first %d steps %.6f, of the last %d steps %.6f: %.1f%% (>= %.0f%%)%s" % (
            side, n, first, n, last, 100 * drop, 100 * a.min_decrease, "" if ok else "  FAIL"))
        if not ok:
            failures.append("%s: the loss fell by %.1f%% only" % (side, 100 * drop))

    noise = set(ref.key_bias_params())  # their moments are rounding noise
    print("%-24s %12s %12s %12s" % ("parameter", "param", "moment1", "moment2"))
    worst = {"param": (0.0, ""), "moment1": (0.0, ""), "moment2": (0.0, "")}
    for name in names:
        state = opt.state[ref.params[name]]
        torch_values = {"param": ref.params[name].detach().numpy()}
        if a.optimizer == "sgd":
            if state.get("momentum_buffer") is not None:
                torch_values["moment1"] = state["momentum_buffer"].numpy()
        else:
            torch_values["moment1"] = state["exp_avg"].numpy()
            torch_values["moment2"] = state["exp_avg_sq"].numpy()
        cols = []
        for kind in ("param", "moment1", "moment2"):
            if kind not in torch_values:
                if kind + ":" + name in ckpt:
                    failures.append("%s: hpt has %s, torch has none" % (name, kind))
                cols.append("%12s" % "-")
                continue
            key = kind + ":" + name
            if key not in ckpt:
                failures.append("%s: the checkpoint has no %s" % (name, key))
                cols.append("%12s" % "missing")
                continue
            err = ref_mod.rel_err(ckpt[key], torch_values[kind])
            cols.append("%12.3e" % err)
            if name in noise and kind != "param":
                continue
            if not err <= (a.param_tol if kind == "param" else a.state_tol):
                failures.append("%s: %s relative error %.3e" % (name, kind, err))
            if err >= worst[kind][0]:
                worst[kind] = (err, name)
        note = "  (moments not compared: zero gradient in exact arithmetic)" if name in noise else ""
        bad = any(f.startswith(name + ":") for f in failures)
        print("%-24s %s%s%s" % (name, " ".join(cols), note, "  FAIL" if bad else ""))
    frozen = ref.frozen()
    if frozen:
        changed = [n for n in frozen if "param:" + n not in ckpt
                   or not np.array_equal(ckpt["param:" + n], params[n])]
        stateful = [n for n in frozen if "moment1:" + n in ckpt or "moment2:" + n in ckpt]
        counts = meta.get("updates", {})
        counted = [n for n in frozen if counts.get(n, 0) != 0]
        wrong = [n for n in names if n in counts and counts[n] != a.steps]
        print("frozen after step %d: %d tensors, %d changed, %d with optimizer state, "
              "%d with updates counted" % (a.steps, len(frozen), len(changed), len(stateful), len(counted)))
        if changed or stateful or counted:
            failures.append("frozen tensors changed %s, with state %s, with updates %s"
                            % (changed, stateful, counted))
        if wrong:
            failures.append("trainable tensors not updated %d times: %s" % (a.steps, wrong))
        torch_moved = [n for n in frozen if not np.array_equal(ref.params[n].detach().numpy(), params[n])]
        if torch_moved:
            failures.append("torch changed frozen tensors: %s" % torch_moved)
    for kind in ("param", "moment1", "moment2"):
        if worst[kind][1]:
            print("max relative %s error after step %d: %.3e (%s), tol %.0e" % (
                kind, a.steps, worst[kind][0], worst[kind][1],
                a.param_tol if kind == "param" else a.state_tol))
    print("time: %.1f s" % (time.time() - start))
    return ref_mod.verdict("training", failures)


if __name__ == "__main__":
    sys.exit(main())
