"""Does HpT's Wind model learn the hourly change at batch 1? A PyTorch check,
independent of hpt (docs/hpt-schedule.md, "Quality on the Wind data").

Trains bench/torch_wind_step.py's Wind model (the architecture hpt compiles) on
the change target of docs/data.md (z[h] - z[h-1], inputs z[h-12..h-1], the HpT
split and normalisation), one shuffled sample per step, AdamW, and prints:
- per 100 steps, the mean training loss next to the loss of predicting no
  change on the same samples (persistence);
- at the start and the end, over 50 fixed training samples in eval mode: the
  output's standard deviation across samples (near 0 = the model predicts a
  constant, whatever the input) and the share of ReLU units dead on all 50;
- ridge regression from the 12x57 inputs to the change, the linear reference.

    OPENBLAS_CORETYPE=Haswell /usr/bin/python3 bench/torch_wind_collapse.py --steps 800
"""
import argparse
import json
import os
import sys

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_wind_step import Wind  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HISTORY, TEST_ROWS = 12, range(480, 2120)


def change_samples(path):
    """(normalised speeds z, training target rows) with the HpT split."""
    speeds = np.loadtxt(path, delimiter=",")
    train_rows = np.ones(len(speeds), bool)
    train_rows[TEST_ROWS.start:TEST_ROWS.stop] = False
    z = ((speeds - speeds[train_rows].mean(0)) / speeds[train_rows].std(0)).astype(np.float32)
    targets = np.array([h for h in range(HISTORY, len(z)) if h not in TEST_ROWS])
    return z, targets


def ridge_train_mse(z, targets, penalty=10.0):
    x = np.stack([np.append(z[h - HISTORY:h].ravel(), 1.0) for h in targets])
    y = np.stack([z[h] - z[h - 1] for h in targets])
    w = np.linalg.solve(x.T @ x + penalty * np.eye(x.shape[1]), x.T @ y)
    return float(((x @ w - y) ** 2).mean())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=800)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", default=os.path.join(ROOT, "data/wind/MS_winds.dat"))
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    z, targets = change_samples(args.data)

    def sample(h):
        return torch.from_numpy(z[h - HISTORY:h][None]), torch.from_numpy((z[h] - z[h - 1])[None])

    model = Wind()
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    probe_rows = rng.choice(targets, 50, replace=False)
    probe_x = torch.cat([sample(h)[0] for h in probe_rows])
    relus = {"reduce": model.reduce[3], "decode.0": model.decode[1], "decode.1": model.decode[3]}
    outputs = {}
    for name, relu in relus.items():
        relu.register_forward_hook(lambda mod, i, o, name=name: outputs.__setitem__(name, o))

    def probe(when):
        model.eval()
        with torch.no_grad():
            y = model(probe_x)
        model.train()
        dead = {name: round(float((outputs[name] <= 0).all(0).float().mean()), 3) for name in relus}
        print(json.dumps({"at": when, "output_std_across_samples": float(y.std(0).mean()),
                          "dead_relu_share": dead}), flush=True)

    print(json.dumps({"ridge_train_mse": ridge_train_mse(z, targets),
                      "persistence_train_mse": float(np.mean([(z[h] - z[h - 1]) ** 2
                                                              for h in targets]))}), flush=True)
    probe("start")
    order = rng.permutation(targets)
    losses, persistence = [], []
    for step in range(args.steps):
        x, t = sample(order[step % len(order)])
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), t)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        persistence.append(float((t ** 2).mean()))
        if (step + 1) % 100 == 0:
            print(json.dumps({"steps": step + 1, "loss": round(np.mean(losses[-100:]), 4),
                              "persistence": round(np.mean(persistence[-100:]), 4)}), flush=True)
    probe("end")


if __name__ == "__main__":
    main()
