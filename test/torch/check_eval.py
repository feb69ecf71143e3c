"""hpt-run's evaluation (@forward on the test split) against PyTorch.

    check_eval.py --bundle m.hptb --checkpoint final.hpta --output run.txt \
        --test-samples 16 [--data-seed 1] [--expect-fused]

`run.txt` is hpt-run's standard output, whose line
    test: N samples, mean loss L, RMSE R synthetic units
hpt computed with the bundle's @forward in evaluation mode (no dropout) and the
parameters of the checkpoint. This script evaluates the same @forward with the
PyTorch reference (hpt.self_attention as torch's multi_head_attention_forward)
on the same synthetic test samples and parameters, and checks L and R within
--tol relative error plus the rounding of the printed digits (6 for L, 4 for
R). With --expect-fused, the bundle's @forward must contain hpt.self_attention
(so the check covers hpt's fused attention kernel). Exits 1 on a violation.
"""

import argparse
import re
import sys

import torch

import hpt_formats
import hpt_reference as ref_mod


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bundle", required=True)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--output", required=True, help="hpt-run's standard output")
    ap.add_argument("--test-samples", type=int, required=True)
    ap.add_argument("--data-seed", type=int, default=1)
    ap.add_argument("--tol", type=float, default=1e-5)
    ap.add_argument("--expect-fused", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(1)
    failures = []

    with open(a.output) as f:
        m = re.search(r"^test: (\d+) samples, mean loss ([0-9.eE+-]+), RMSE ([0-9.eE+-]+) ", f.read(), re.M)
    if not m:
        print("FAIL: no 'test:' line in %s" % a.output)
        return 1
    samples, hpt_loss, hpt_rmse = int(m.group(1)), float(m.group(2)), float(m.group(3))
    if samples != a.test_samples:
        failures.append("hpt-run evaluated %d samples, expected %d" % (samples, a.test_samples))

    bundle = hpt_formats.read_bundle(a.bundle)
    _, ckpt = hpt_formats.read_archive(a.checkpoint)
    params = {k[len("param:"):]: v for k, v in ckpt.items() if k.startswith("param:")}
    ref = ref_mod.Reference(bundle, params)
    fused = len(ref.ops_of("self_attention"))
    print("@forward: %d ops, %d fused hpt.self_attention" % (len(ref.fn["ops"]), fused))
    if a.expect_fused and not fused:
        failures.append("--expect-fused: @forward has no hpt.self_attention")

    data = ref_mod.dataset_for(bundle, "test", a.data_seed)
    loss_sum, sq, count = 0.0, 0.0, 0
    with torch.no_grad():
        for i in range(a.test_samples):
            x, t = data.sample(i)
            loss, pred = ref.run([x, t], training=False)
            loss_sum += loss.item()
            sq += float(((pred.double() - torch.from_numpy(t).double()) ** 2).sum())
            count += t.size
    torch_loss = loss_sum / a.test_samples
    torch_rmse = (sq / count) ** 0.5
    for what, h, t, digits in (("mean loss", hpt_loss, torch_loss, 6), ("RMSE", hpt_rmse, torch_rmse, 4)):
        allowed = a.tol * abs(t) + 0.5 * 10.0 ** -digits
        ok = abs(h - t) <= allowed
        print("test %-9s: hpt %.*f torch %.9f |diff| %.2e (allowed %.2e)%s" % (
            what, digits, h, t, abs(h - t), allowed, "" if ok else "  FAIL"))
        if not ok:
            failures.append("test %s differs: hpt %r torch %r" % (what, h, t))
    return ref_mod.verdict("evaluation", failures)


if __name__ == "__main__":
    sys.exit(main())
