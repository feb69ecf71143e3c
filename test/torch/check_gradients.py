"""One training step of hpt against PyTorch autograd.

    check_gradients.py --bundle m.hptb --params p0.hpta --grads g1.hpta \
        --losses losses.csv [--data-seed 1] [--expect-dropout]

hpt-run must have run with `--data synthetic --no-shuffle` (so step 1 sees
training sample 0) and written the initial parameters (--export-params), the
gradients of step 1 (--dump-grads) and the losses (--losses). This script
evaluates the bundle's @forward with PyTorch operators on the same sample, with
the same dropout masks (training step 0), back-propagates with autograd and
compares:

  * the initial parameters with the bundle's init specs (exactly; skipped with
    --no-init-check, when hpt-run started from --init-from),
  * the loss of step 1 (relative error <= --loss-tol, default 1e-5),
  * every trainable parameter's gradient: ||g_hpt - g_torch|| / ||g_torch||
    <= --grad-tol (default 1e-4). The key biases of the attention layers are
    the exception: softmax over the keys is invariant to q.bk, so their exact
    gradient is zero; both sides must then be rounding noise,
    ||g|| <= --zero-tol * ||all gradients|| (default 1e-6).

With --lora, hpt-run ran `--schedule lora` (the bundle's LoRA program), and the
reference is hpt_lora's: @forward with LoRA adapters written in torch on the
targeted projections and everything but the adapters and the trainable groups
frozen. The gradient sets must then be exactly the trainable set on both
sides: hpt's dump has no frozen tensor, and in torch the frozen ones have
requires_grad=False and no .grad. A gradient that is exactly zero on the
torch side (the adapters' A while B is still 0) must be exactly zero in hpt.

Prints a table and the maximum; exits 1 on any violation.
"""

import argparse
import sys
import time

import numpy as np
import torch

import hpt_formats
import hpt_lora
import hpt_reference as ref_mod


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bundle", required=True)
    ap.add_argument("--params", required=True)
    ap.add_argument("--grads", required=True)
    ap.add_argument("--losses", required=True)
    ap.add_argument("--data-seed", type=int, default=1)
    ap.add_argument("--loss-tol", type=float, default=1e-5)
    ap.add_argument("--grad-tol", type=float, default=1e-4)
    ap.add_argument("--zero-tol", type=float, default=1e-6)
    ap.add_argument("--attention", choices=["mha", "explicit"], default="mha")
    ap.add_argument("--expect-dropout", action="store_true",
                    help="fail unless the model has a dropout with p > 0")
    ap.add_argument("--dropout-step", type=int, default=0,
                    help="use the dropout masks of this training step (0 = hpt's "
                         "first step; another value is a negative test)")
    ap.add_argument("--no-init-check", action="store_true",
                    help="the parameters are not the initial ones (hpt-run --init-from)")
    ap.add_argument("--label", default="")
    hpt_lora.add_arguments(ap)
    a = ap.parse_args()
    torch.set_num_threads(1)
    start = time.time()

    bundle = hpt_formats.read_bundle(a.bundle)
    _, params = hpt_formats.read_archive(a.params)
    _, grads = hpt_formats.read_archive(a.grads)
    losses = hpt_formats.read_losses(a.losses)
    failures = []

    init = ref_mod.init_params(bundle)
    if a.no_init_check:
        print("initial parameters: %d tensors, from --init-from (not compared with the init specs)"
              % len(params))
    else:
        bad_init = [n for n in init if n not in params or not np.array_equal(init[n], params[n])]
        print("initial parameters: %d tensors, %s" % (
            len(init), "identical to the init specs" if not bad_init else "MISMATCH " + ", ".join(bad_init)))
        if bad_init:
            failures.append("exported parameters differ from the init specs: " + ", ".join(bad_init))

    ref, _, problems = hpt_lora.make_reference(bundle, params, a)
    failures += problems
    if a.lora:
        print(ref.describe())
    dropouts = [float(op["attrs"]["p"]) for op in ref.ops_of("dropout")]
    live = [p for p in dropouts if np.float32(p) > 0]
    print("model: %s%d ops, %d fused attention, %d dropout (%d with p > 0, max p %g)" % (
        (a.label + ": ") if a.label else "", len(ref.fn["ops"]), len(ref.ops_of("self_attention")),
        len(dropouts), len(live), max(dropouts) if dropouts else 0))
    if a.expect_dropout and not live:
        failures.append("--expect-dropout: no dropout with p > 0 in the model")

    data = ref_mod.dataset_for(bundle, "train", a.data_seed)
    x, t = data.sample(0)
    loss, _ = ref.run([x, t], training=True, step=a.dropout_step)
    loss_err = abs(loss.item() - losses[0]) / abs(loss.item())
    print("loss step 1: hpt %.9g torch %.9g relative error %.3e (tol %.0e)" % (
        losses[0], loss.item(), loss_err, a.loss_tol))
    if not loss_err <= a.loss_tol:
        failures.append("loss differs: relative error %.3e" % loss_err)

    loss.backward()
    trainable = ref.trainable()
    missing = [n for n in trainable if n not in grads]
    extra = [n for n in grads if n not in trainable]
    if missing or extra:
        failures.append("gradient sets differ: hpt lacks %s, has extra %s" % (missing, extra))
    frozen = ref.frozen()
    if frozen:
        in_dump = [n for n in frozen if n in grads]
        in_torch = [n for n in frozen if ref.params[n].requires_grad or ref.params[n].grad is not None]
        print("frozen: %d tensors; with a gradient in hpt's dump: %d, in torch: %d" % (
            len(frozen), len(in_dump), len(in_torch)))
        if in_dump or in_torch:
            failures.append("frozen tensors with a gradient: hpt %s, torch %s" % (in_dump, in_torch))
    print("gradient sets: hpt %d tensors, torch %d trainable, %s" % (
        len(grads), len(trainable), "identical" if not (missing or extra) else "DIFFERENT"))
    total = np.sqrt(sum(float((ref.params[n].grad.double() ** 2).sum()) for n in trainable
                        if ref.params[n].grad is not None))
    zero = set(ref.key_bias_params()) & set(trainable)

    print("%-24s %12s %12s %12s" % ("parameter", "|g_torch|", "|g_hpt-g_torch|", "rel error"))
    worst, worst_name = 0.0, ""
    exact_zero = []
    for name in trainable:
        if name not in grads:
            continue
        gt = ref.params[name].grad
        gt = gt.numpy() if gt is not None else np.zeros(ref.params[name].shape, np.float32)
        gh = grads[name]
        if list(gh.shape) != list(gt.shape):
            failures.append("%s: gradient shape %s vs %s" % (name, list(gh.shape), list(gt.shape)))
            continue
        diff = float(np.linalg.norm(gh.astype(np.float64) - gt))
        if name in zero:
            nt, nh = np.linalg.norm(gt) / total, np.linalg.norm(gh) / total
            ok = nt <= a.zero_tol and nh <= a.zero_tol
            print("%-24s %12.3e %12.3e %12s  zero in exact arithmetic: |g|/|g_all| torch %.1e hpt %.1e%s" % (
                name, np.linalg.norm(gt), diff, "-", nt, nh, "" if ok else "  FAIL"))
            if not ok:
                failures.append("%s: gradient should be ~0 (torch %.2e, hpt %.2e of the total)" % (name, nt, nh))
            continue
        if not np.any(gt):
            # LoRA's A while B = 0: zero on the torch side, so exactly zero in hpt.
            ok = not np.any(gh)
            exact_zero.append(name)
            print("%-24s %12.3e %12.3e %12s  exactly zero in torch%s" % (
                name, 0.0, diff, "-", "" if ok else ", not in hpt  FAIL"))
            if not ok:
                failures.append("%s: torch's gradient is exactly 0, hpt's is not (|g| %.3e)" % (name, diff))
            continue
        err = ref_mod.rel_err(gh, gt)
        flag = "" if err <= a.grad_tol else "  FAIL"
        print("%-24s %12.3e %12.3e %12.3e%s" % (name, np.linalg.norm(gt), diff, err, flag))
        if not err <= a.grad_tol:
            failures.append("%s: relative gradient error %.3e" % (name, err))
        if err > worst or worst_name == "":
            worst, worst_name = err, name
    print("max relative gradient error: %.3e (%s), tol %.0e, %d parameters%s" % (
        worst, worst_name, a.grad_tol, len(trainable),
        (" (%d exactly zero on both sides)" % len(exact_zero)) if exact_zero else ""))
    print("time: %.1f s" % (time.time() - start))
    return ref_mod.verdict("gradient", failures)


if __name__ == "__main__":
    sys.exit(main())
