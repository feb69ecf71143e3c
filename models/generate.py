#!/usr/bin/env python3
"""Writes the HpT models as hpt-dialect MLIR.

The four applications of HpT (Dahal et al., IEEE TPDS 2025) share one shape:
an input embedding MLP, a post-LN transformer encoder over spatial tokens, a
per-token reduction MLP, a flatten over tokens and a decoder MLP, trained with
an MSE loss. Each graph follows docs/reference/hpt-models.md ("Exact forward graphs"); every
size is a parameter, so smaller variants (fewer layers, narrower) come from the
same code.

    /usr/bin/python3 models/generate.py --app wind > wind.mlir
    /usr/bin/python3 models/generate.py --app swe --layers 2 > swe-2l.mlir
    /usr/bin/python3 models/generate.py --write-all models   # the committed files
"""

import argparse
import dataclasses
import math
import os
import sys
from typing import Callable, List, Optional, Tuple, Union

# (out width, activation or None, dropout probability or None); a width may be
# a function of the token count (the decoders of SWE and Weather scale with it).
Width = Union[int, Callable[[int], int]]
Layer = Tuple[Width, Optional[str], Optional[float]]


@dataclasses.dataclass
class App:
    name: str
    summary: str
    tokens: int
    in_features: int
    heads: int
    ffn: int
    layers: int = 12
    d_model: int = 512
    embed_hidden: int = 256
    embed_act: Optional[str] = None
    # The input arrives as (1, in_features, tokens) and is transposed (Wind).
    features_first: bool = False
    # Dropout(p)(E + PE); None: the PE'd copy feeds nothing and is left out.
    pe_dropout: Optional[float] = None
    encoder_input: str = "E"          # "E" (embedding) or "P" (embedding + PE)
    concat_with: Optional[str] = None  # None, "E" or "P": joined to H on features
    reduction: List[Layer] = dataclasses.field(default_factory=list)
    decoder: List[Layer] = dataclasses.field(default_factory=list)
    # Target and prediction keep a trailing unit axis: (1, T, 1) instead of (1, T).
    unit_axis: bool = False
    layer_dropout: float = 0.1
    # Replaces every dropout probability when set (0: dropout ops that copy).
    dropout_override: Optional[float] = None


def TOKENS(tokens: int) -> int:
    """The width of a decoder's last layer: one output per token."""
    return tokens


APPS = {
    "swe": App(
        name="swe", summary="SWE: snow water equivalent, 323 SNOTEL stations x 19 features",
        tokens=323, in_features=19, heads=16, ffn=2048, embed_act="gelu",
        pe_dropout=0.2, encoder_input="P", concat_with="E",
        reduction=[(256, None, 0.2), (256, "relu", 0.2), (128, None, 0.2), (16, "relu", 0.2)],
        decoder=[(lambda t: 4 * t, "gelu", 0.1), (TOKENS, None, None)], unit_axis=True),
    "covid": App(
        name="covid", summary="COVID: deaths by county, 50 counties x 19 features",
        tokens=50, in_features=19, heads=8, ffn=2048,
        pe_dropout=0.001, encoder_input="E", concat_with="P",
        reduction=[(256, None, 0.1), (64, "relu", 0.1)],
        decoder=[(512, "relu", None), (256, "relu", None), (TOKENS, None, None)]),
    "wind": App(
        name="wind", summary="Wind: hourly wind speed, 57 stations x 12 hours of history",
        tokens=57, in_features=12, heads=8, ffn=1024, features_first=True,
        encoder_input="E",
        reduction=[(128, None, 0.1), (64, "relu", 0.1)],
        decoder=[(512, "relu", None), (128, "relu", None), (TOKENS, None, None)]),
    "weather": App(
        name="weather", summary="Weather: AWN air temperature, 29 stations x 13 features",
        tokens=29, in_features=13, heads=16, ffn=2048, embed_act="gelu",
        pe_dropout=0.2, encoder_input="P", concat_with="E",
        reduction=[(256, None, 0.2), (256, "relu", 0.2), (128, None, 0.2), (64, "relu", 0.2)],
        decoder=[(lambda t: 32 * t, "gelu", 0.1), (TOKENS, None, None)], unit_axis=True),
    "tiny": App(
        name="tiny", summary="tiny: a 2-layer, 64-wide model of the SWE/Weather shape for fast tests",
        tokens=8, in_features=4, heads=4, ffn=128, layers=2, d_model=64, embed_hidden=32,
        embed_act="gelu", pe_dropout=0.1, encoder_input="P", concat_with="E",
        reduction=[(32, None, 0.1), (8, "relu", 0.1)],
        decoder=[(lambda t: 4 * t, "gelu", 0.1), (TOKENS, None, None)], unit_axis=True),
}


def tensor(*shape: int) -> str:
    return "tensor<" + "".join(f"{d}x" for d in shape) + "f32>"


class Writer:
    """Emits parameters and the body of @forward, numbering seeds in order."""

    def __init__(self, dropout_override: Optional[float] = None):
        self.dropout_override = dropout_override
        self.params: List[str] = []
        self.body: List[str] = []
        self.seed = 0
        self.counter = 0

    def next_seed(self) -> int:
        self.seed += 1
        return self.seed

    def value(self, hint: str) -> str:
        self.counter += 1
        return f"%{hint}{self.counter}"

    def param(self, name: str, shape: Tuple[int, ...], init: str) -> str:
        self.params.append(f"hpt.param @{name} : {tensor(*shape)} init {init} "
                           f"seed {self.next_seed()} trainable")
        result = self.value("p")
        self.body.append(f"{result} = hpt.get_param @{name} : {tensor(*shape)}")
        return result

    def op(self, hint: str, text: str) -> str:
        result = self.value(hint)
        self.body.append(f"{result} = {text}")
        return result

    # --- layers -----------------------------------------------------------
    def linear(self, prefix: str, x: str, shape: Tuple[int, ...], out: int) -> Tuple[str, Tuple[int, ...]]:
        fan_in = shape[-1]
        init = f"<uniform_fan_in, fan_in = {fan_in}>"
        w = self.param(f"{prefix}.w", (out, fan_in), init)
        b = self.param(f"{prefix}.b", (out,), init)
        result = shape[:-1] + (out,)
        y = self.op("lin", f"hpt.linear {x}, {w}, {b} : ({tensor(*shape)}, "
                           f"{tensor(out, fan_in)}, {tensor(out)}) -> {tensor(*result)}")
        return y, result

    def activation(self, kind: Optional[str], x: str, shape: Tuple[int, ...]) -> str:
        if kind is None:
            return x
        assert kind in ("relu", "gelu"), kind
        return self.op(kind, f"hpt.{kind} {x} : {tensor(*shape)}")

    def dropout(self, p: Optional[float], x: str, shape: Tuple[int, ...]) -> str:
        if p is None:
            return x
        if self.dropout_override is not None:
            p = self.dropout_override
        return self.op("drop", f"hpt.dropout {x} p {p:.6e} seed {self.next_seed()} "
                               f": {tensor(*shape)}")

    def mlp(self, prefix: str, x: str, shape: Tuple[int, ...], layers: List[Layer],
            tokens: int = 0):
        for index, (out, act, p) in enumerate(layers):
            width = out(tokens) if callable(out) else out
            x, shape = self.linear(f"{prefix}.{index}", x, shape, width)
            x = self.activation(act, x, shape)
            x = self.dropout(p, x, shape)
        return x, shape

    def layer_norm(self, prefix: str, x: str, shape: Tuple[int, ...]) -> str:
        d = shape[-1]
        g = self.param(f"{prefix}.gamma", (d,), "<ones>")
        b = self.param(f"{prefix}.beta", (d,), "<zeros>")
        return self.op("ln", f"hpt.layer_norm {x}, {g}, {b} eps 1.000000e-05 : "
                             f"({tensor(*shape)}, {tensor(d)}, {tensor(d)}) -> {tensor(*shape)}")

    def encoder_layer(self, app: App, index: int, x: str, shape: Tuple[int, ...]) -> str:
        d = app.d_model
        prefix = f"enc.{index}"
        init = f"<uniform_fan_in, fan_in = {d}>"
        operands, types = [], []
        for proj in "qkvo":
            operands.append(self.param(f"{prefix}.attn.w{proj}", (d, d), init))
            operands.append(self.param(f"{prefix}.attn.b{proj}", (d,), init))
            types += [tensor(d, d), tensor(d)]
        attn = self.op("attn", f"hpt.self_attention {x}, {', '.join(operands)} "
                               f"heads {app.heads} head_dim {d // app.heads} : "
                               f"({tensor(*shape)}, {', '.join(types)}) -> {tensor(*shape)}")
        attn = self.dropout(app.layer_dropout, attn, shape)
        res = self.op("res", f"hpt.add {x}, {attn} : {tensor(*shape)}")
        x = self.layer_norm(f"{prefix}.ln1", res, shape)
        h, hshape = self.linear(f"{prefix}.ffn.0", x, shape, app.ffn)
        h = self.activation("relu", h, hshape)
        g, _ = self.linear(f"{prefix}.ffn.1", h, hshape, d)
        g = self.dropout(app.layer_dropout, g, shape)
        res = self.op("res", f"hpt.add {x}, {g} : {tensor(*shape)}")
        return self.layer_norm(f"{prefix}.ln2", res, shape)


def generate(app: App) -> str:
    if app.d_model % app.heads:
        raise SystemExit(f"d_model {app.d_model} is not a multiple of heads {app.heads}")
    w = Writer(app.dropout_override)
    tokens = app.tokens
    in_shape = (1, app.in_features, tokens) if app.features_first else (1, tokens, app.in_features)
    out_shape = (1, tokens, 1) if app.unit_axis else (1, tokens)
    x = "%input"
    shape = (1, tokens, app.in_features)
    if app.features_first:
        x = w.op("tok", f"hpt.transpose %input [0, 2, 1] : {tensor(*in_shape)} -> {tensor(*shape)}")

    act = app.embed_act
    x, shape = w.mlp("embed", x, shape, [(app.embed_hidden, act, None), (app.d_model, act, None)])
    embedding = x
    with_pe = None
    if app.pe_dropout is not None:
        with_pe = w.op("pe", f"hpt.positional_encoding {embedding} : {tensor(*shape)}")
        with_pe = w.dropout(app.pe_dropout, with_pe, shape)
    named = {"E": embedding, "P": with_pe}
    if named[app.encoder_input] is None:
        raise SystemExit(f"{app.name}: encoder input P needs a positional-encoding dropout")

    x = named[app.encoder_input]
    for index in range(app.layers):
        x = w.encoder_layer(app, index, x, shape)

    if app.concat_with is not None:
        wide = shape[:-1] + (2 * shape[-1],)
        x = w.op("cat", f"hpt.concat {x}, {named[app.concat_with]} axis -1 : "
                        f"({tensor(*shape)}, {tensor(*shape)}) -> {tensor(*wide)}")
        shape = wide
    x, shape = w.mlp("reduce", x, shape, app.reduction)
    flat = (1, tokens * shape[-1])
    x = w.op("flat", f"hpt.reshape {x} : {tensor(*shape)} -> {tensor(*flat)}")
    x, shape = w.mlp("decode", x, flat, app.decoder, tokens)
    if shape != out_shape:
        x = w.op("out", f"hpt.reshape {x} : {tensor(*shape)} -> {tensor(*out_shape)}")
    loss = w.op("loss", f"hpt.mse_loss {x}, %target : {tensor(*out_shape)} -> tensor<f32>")

    lines = [
        f"// {app.summary}.",
        f"// Generated by models/generate.py --app {app.name}"
        + (" (with size overrides)" if app != APPS[app.name] else "") + "; do not edit.",
        f"// {app.layers} post-LN encoder layers, d_model {app.d_model}, {app.heads} heads, "
        f"FFN {app.ffn}, {tokens} tokens.",
        "// @forward returns (MSE loss, prediction).",
        "module {",
    ]
    lines += ["  " + p for p in w.params]
    lines.append(f"  func.func @forward(%input: {tensor(*in_shape)}, %target: {tensor(*out_shape)})"
                 f" -> (tensor<f32>, {tensor(*out_shape)}) {{")
    lines += ["    " + b for b in w.body]
    lines.append(f"    return {loss}, {x} : tensor<f32>, {tensor(*out_shape)}")
    lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--app", choices=sorted(APPS), help="model to write to stdout")
    parser.add_argument("--write-all", metavar="DIR",
                        help="write every model as DIR/<app>/<app>.mlir")
    for field in ("layers", "d_model", "heads", "ffn", "tokens", "in_features"):
        parser.add_argument("--" + field.replace("_", "-"), type=int, dest=field,
                            help=f"override the app's {field.replace('_', ' ')}")
    parser.add_argument("--dropout", type=float, dest="dropout_override",
                        help="use this probability for every dropout (0 for exact tests)")
    args = parser.parse_args(argv)
    if args.write_all:
        for name, app in APPS.items():
            os.makedirs(os.path.join(args.write_all, name), exist_ok=True)
            with open(os.path.join(args.write_all, name, name + ".mlir"), "w") as f:
                f.write(generate(app))
        return 0
    if not args.app:
        parser.error("give --app or --write-all")
    sizes = ("layers", "d_model", "heads", "ffn", "tokens", "in_features")
    overrides = {k: v for k, v in vars(args).items()
                 if k in sizes + ("dropout_override",) and v is not None}
    for key, value in overrides.items():
        if key in sizes and value <= 0:
            parser.error(f"--{key.replace('_', '-')} must be positive, got {value}")
    if args.dropout_override is not None and not 0 <= args.dropout_override < 1:
        parser.error(f"--dropout must be in [0, 1), got {args.dropout_override}")
    sys.stdout.write(generate(dataclasses.replace(APPS[args.app], **overrides)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
