"""One PyTorch training step of the HpT Wind model, timed (a benchmark peer).

The model is built the way the HpT scripts build it (nn.TransformerEncoder,
post-LN, 12 layers, d_model 512, 8 heads, FFN 1024, dropout 0.1; embedding
12->256->512; head 512->128->64 per token, 57*64->512->128->57), MSE loss and
AdamW: the configuration of docs/reference/anchors.md. Prints one JSON line:
{"median_ms": ..., "params": ..., "threads": ..., "device": ...}.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/torch_wind_step.py --threads 1 --steps 12

--device cuda times it on the GPU in eager mode, fp32 with TF32 off (the
peer of hpt-run's CUDA device; bench/gpu_check.sh runs it).
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn


class Wind(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Sequential(nn.Linear(12, 256), nn.Linear(256, 512))
        layer = nn.TransformerEncoderLayer(512, 8, dim_feedforward=1024, dropout=0.1,
                                           batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=12)
        self.reduce = nn.Sequential(nn.Linear(512, 128), nn.Dropout(0.1), nn.Linear(128, 64),
                                    nn.ReLU(), nn.Dropout(0.1))
        self.decode = nn.Sequential(nn.Linear(57 * 64, 512), nn.ReLU(), nn.Linear(512, 128),
                                    nn.ReLU(), nn.Linear(128, 57))

    def forward(self, x):
        h = self.encoder(self.embed(x.transpose(1, 2)))
        return self.decode(self.reduce(h).flatten(1))


def time_steps(model, optimizer, steps, warmup, device):
    """Wall time (ms) of each of `steps` training steps (forward, MSE,
    backward, optimizer) on one random sample, after `warmup` untimed ones;
    on a GPU, each until the GPU has finished it."""
    x, t = torch.randn(1, 12, 57, device=device), torch.randn(1, 57, device=device)
    synchronize = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    times = []
    for step in range(warmup + steps):
        synchronize()
        start = time.perf_counter()
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), t)
        loss.backward()
        optimizer.step()
        synchronize()
        if step >= warmup:
            times.append((time.perf_counter() - start) * 1e3)
    return times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.manual_seed(0)
    model = Wind().to(args.device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=1e-4)
    times = time_steps(model, optimizer, args.steps, args.warmup, args.device)
    print(json.dumps({"median_ms": statistics.median(times),
                      "params": sum(p.numel() for p in model.parameters()),
                      "threads": args.threads, "device": args.device}))


if __name__ == "__main__":
    main()
