"""One PyTorch training step of the HpT Wind model, full-parameter or LoRA, timed
(the PyTorch peer of bench/lora_step.py).

The model is bench/torch_wind_step.py's `Wind` (imported, not copied). `--mode full`
trains it as it is: AdamW over every parameter. `--mode lora` is HpT's LoRA in
plain PyTorch (no PEFT), the same as `hpt-opt --hpt-lora`:

- each encoder layer's nn.MultiheadAttention (one packed in_proj) is replaced by
  `SplitAttention`, the same attention with separate Q, K, V nn.Linear layers
  (weights copied from in_proj, so the function is unchanged), and the Q and V
  layers are wrapped in `LoRALinear`:
  y = x·Wᵀ + b + (alpha/r)·B(A(dropout(x))), r 8, alpha 64, dropout 0.1,
  A uniform(±1/sqrt(in)), B zeros;
- requires_grad is False on everything except the adapters and the
  embedding, reduction and decoder MLPs (HpT's trainable set);
- AdamW over the trainable parameters only.

Prints one JSON line: {"median_ms", "min_ms", "mode", "params", "trainable",
"threads", "layers"}.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/torch_lora_step.py --mode lora --threads 2
"""
import argparse
import json
import math
import os
import statistics
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_wind_step import Wind, time_steps  # noqa: E402

TRAINABLE_GROUPS = ("embed", "reduce", "decode")


class LoRALinear(nn.Module):
    """A frozen nn.Linear plus a rank-r adapter on a dropout of its input."""

    def __init__(self, base, r=8, alpha=64.0, dropout=0.1):
        super().__init__()
        self.base = base
        self.lora_A = nn.Linear(base.in_features, r, bias=False)
        self.lora_B = nn.Linear(r, base.out_features, bias=False)
        nn.init.uniform_(self.lora_A.weight, -1 / math.sqrt(base.in_features),
                         1 / math.sqrt(base.in_features))
        nn.init.zeros_(self.lora_B.weight)
        self.dropout = nn.Dropout(dropout)
        self.scale = alpha / r

    def forward(self, x):
        return self.base(x) + self.scale * self.lora_B(self.lora_A(self.dropout(x)))


class SplitAttention(nn.Module):
    """nn.MultiheadAttention (batch_first, self-attention, no masks) with separate
    Q, K, V projections, so that each can be wrapped. Same call signature and
    result as the module it replaces inside nn.TransformerEncoderLayer."""

    def __init__(self, mha):
        super().__init__()
        assert mha.batch_first and mha._qkv_same_embed_dim
        embed = mha.embed_dim
        self.num_heads, self.head_dim, self.dropout = mha.num_heads, mha.head_dim, mha.dropout
        # False keeps nn.TransformerEncoder(Layer) off its fused inference fast
        # path, which would read a packed in_proj_weight and skip the adapters.
        self.batch_first, self._qkv_same_embed_dim = True, False
        self.q_proj, self.k_proj, self.v_proj = (nn.Linear(embed, embed) for _ in range(3))
        with torch.no_grad():
            for i, proj in enumerate((self.q_proj, self.k_proj, self.v_proj)):
                proj.weight.copy_(mha.in_proj_weight[i * embed:(i + 1) * embed])
                proj.bias.copy_(mha.in_proj_bias[i * embed:(i + 1) * embed])
        self.out_proj = mha.out_proj

    def forward(self, query, key, value, attn_mask=None, key_padding_mask=None,
                need_weights=False):
        assert attn_mask is None and key_padding_mask is None and query is key is value
        batch, tokens, embed = query.shape

        def heads(t):
            return t.view(batch, tokens, self.num_heads, self.head_dim).transpose(1, 2)

        q = heads(self.q_proj(query)) / math.sqrt(self.head_dim)
        k, v = heads(self.k_proj(key)), heads(self.v_proj(value))
        weights = torch.softmax(q @ k.transpose(-2, -1), dim=-1)
        weights = nn.functional.dropout(weights, self.dropout, self.training)
        out = (weights @ v).transpose(1, 2).reshape(batch, tokens, embed)
        return self.out_proj(out), None


def wind(layers):
    """bench/torch_wind_step.py's Wind with its first `layers` encoder layers."""
    model = Wind()
    if layers != len(model.encoder.layers):
        model.encoder.layers = nn.ModuleList(list(model.encoder.layers)[:layers])
        model.encoder.num_layers = layers
    return model


def add_lora(model, r=8, alpha=64.0, dropout=0.1):
    """HpT's LoRA: adapters on Q and V of every encoder layer; only the adapters
    and the embed/reduce/decode MLPs stay trainable. Returns the trainable list."""
    for layer in model.encoder.layers:
        attention = SplitAttention(layer.self_attn)
        attention.q_proj = LoRALinear(attention.q_proj, r, alpha, dropout)
        attention.v_proj = LoRALinear(attention.v_proj, r, alpha, dropout)
        layer.self_attn = attention
    trainable = []
    for name, param in model.named_parameters():
        param.requires_grad = name.split(".")[0] in TRAINABLE_GROUPS or "lora_" in name
        if param.requires_grad:
            trainable.append(param)
    return trainable


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=("full", "lora"), default="full")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--layers", type=int, default=12)
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = wind(args.layers)
    if args.mode == "lora":
        # Same learning rates as the bundle bench/lora_step.py compiles.
        optimizer = torch.optim.AdamW(add_lora(model), lr=1e-4, weight_decay=1e-4)
    else:
        optimizer = torch.optim.AdamW(model.parameters(), lr=3e-5, weight_decay=1e-4)
    model.train()
    times = time_steps(model, optimizer, args.steps, args.warmup)
    print(json.dumps({"median_ms": statistics.median(times), "min_ms": min(times),
                      "mode": args.mode,
                      "params": sum(p.numel() for p in model.parameters()),
                      "trainable": sum(p.numel() for p in model.parameters() if p.requires_grad),
                      "threads": args.threads, "layers": args.layers}))


if __name__ == "__main__":
    main()
