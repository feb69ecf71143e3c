"""A PyTorch reference for hpt bundles: evaluates a bundle function (normally
"forward") op by op with torch operators, so that autograd gives the
gradients hpt's compiler derives, and torch.optim gives the updates hpt-run's
kernels apply.

The reference is independent of hpt's kernels: every op is a stock PyTorch
operator (F.linear, F.layer_norm, F.gelu, torch.softmax, ...), and the fused
hpt.self_attention is torch.nn.functional.multi_head_attention_forward (or,
with attention="explicit", a per-head softmax(QK^T/sqrt(d))V written out).
What it shares with hpt on purpose is the data and the randomness: the
synthetic samples and the dropout masks come from hpt_rng (a numpy copy of
hpt's Philox generator), and the initial parameters are read from the archive
hpt-run --export-params writes.

Float32 on the CPU throughout; call torch.set_num_threads(1) first when
several tests run in parallel.
"""

import math

import numpy as np
import torch
import torch.nn.functional as F

import hpt_rng

FORWARD_OPS = {
    "get_param", "linear", "matmul", "batch_matmul", "layer_norm", "softmax", "relu",
    "gelu", "scale", "dropout", "positional_encoding", "add", "concat", "reshape",
    "transpose", "slice", "mse_loss", "self_attention",
}


class UnsupportedBundle(Exception):
    pass


def function(bundle, name):
    for fn in bundle["functions"]:
        if fn["name"] == name:
            return fn
    raise UnsupportedBundle("the bundle has no function '%s'" % name)


def init_params(bundle):
    """The parameters hpt-run's ParamStore starts from (init spec + seed):
    ones, zeros, or uniform_fan_in = U(-1/sqrt(fan_in), 1/sqrt(fan_in)) from
    fillUniform(seed, stream 0). Used to check --export-params."""
    out = {}
    for spec in bundle["params"]:
        shape = tuple(spec["shape"])
        count = int(np.prod(shape)) if shape else 1
        if spec["init"] == "ones":
            value = np.ones(count, dtype=np.float32)
        elif spec["init"] == "zeros":
            value = np.zeros(count, dtype=np.float32)
        elif spec["init"] == "uniform_fan_in":
            bound = np.float32(1.0 / math.sqrt(spec["fan_in"]))
            value = hpt_rng.fill_uniform(count, -bound, bound, spec["seed"], 0)
        else:
            raise UnsupportedBundle("unknown init '%s' of %s" % (spec["init"], spec["name"]))
        out[spec["name"]] = value.reshape(shape)
    return out


def positional_table(tokens, d):
    """The sinusoidal table as the HpT scripts build it (float32 torch):
    PE[t, 2i] = sin(t * div_i), PE[t, 2i+1] = cos(t * div_i),
    div_i = exp(2i * (-ln(10000) / d))."""
    pe = torch.zeros(tokens, d)
    position = torch.arange(0, tokens, dtype=torch.float).unsqueeze(1)
    div_term = torch.exp(torch.arange(0, d, 2).float() * (-math.log(10000.0) / d))
    pe[:, 0::2] = torch.sin(position * div_term)
    pe[:, 1::2] = torch.cos(position * div_term)
    return pe


def attention_mha(x, w, heads, training):
    """hpt.self_attention through torch's own multi-head attention."""
    wq, bq, wk, bk, wv, bv, wo, bo = w
    xt = x.transpose(0, 1)  # [T, B, D], torch's layout
    out, _ = F.multi_head_attention_forward(
        xt, xt, xt, x.shape[-1], heads,
        torch.cat([wq, wk, wv]), torch.cat([bq, bk, bv]),
        None, None, False, 0.0, wo, bo,
        training=training, need_weights=False)
    return out.transpose(0, 1)


def attention_explicit(x, w, heads, head_dim, projections=None):
    """hpt.self_attention written out per head (HptOps.td's definition).
    `projections` may replace the linear layer of a projection: a dict from
    "q", "k", "v" or "o" to a function (x, W, b) -> x.W^T + b + ... (hpt_lora
    puts its adapters there)."""
    wq, bq, wk, bk, wv, bv, wo, bo = w
    B, T, D = x.shape
    proj = dict(projections or {})

    def linear(role, t, weight, bias):
        return proj.get(role, F.linear)(t, weight, bias)

    def split(t):
        return t.reshape(B, T, heads, head_dim).permute(0, 2, 1, 3)

    q = split(linear("q", x, wq, bq))
    k = split(linear("k", x, wk, bk))
    v = split(linear("v", x, wv, bv))
    a = torch.softmax(torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(head_dim), dim=-1)
    ctx = torch.matmul(a, v).permute(0, 2, 1, 3).reshape(B, T, D)
    return linear("o", ctx, wo, bo)


class Reference:
    """Evaluates one function of a bundle with torch. `params` maps parameter
    names to float32 arrays; trainable ones become leaf tensors with
    requires_grad (self.params[name])."""

    def __init__(self, bundle, params, fn="forward", attention="mha"):
        self.bundle = bundle
        self.fn = function(bundle, fn)
        self.attention = attention
        self.specs = {p["name"]: p for p in bundle["params"]}
        self.params = {}
        for name, spec in self.specs.items():
            if name not in params:
                raise UnsupportedBundle("no value for parameter '%s'" % name)
            value = np.asarray(params[name], dtype=np.float32)
            if list(value.shape) != list(spec["shape"]):
                raise UnsupportedBundle("parameter '%s' has shape %s, the bundle says %s"
                                     % (name, list(value.shape), spec["shape"]))
            self.params[name] = torch.tensor(value, requires_grad=bool(spec["trainable"]))
        for op in self.fn["ops"]:
            if op["op"] not in FORWARD_OPS:
                raise UnsupportedBundle("op '%s' (%s) is not a forward op the reference runs"
                                     % (op["op"], op.get("loc", "?")))
        self._pe = {}

    def trainable(self):
        return [n for n, s in self.specs.items() if s["trainable"]]

    def frozen(self):
        return [n for n, s in self.specs.items() if not s["trainable"]]

    def ops_of(self, kind):
        return [op for op in self.fn["ops"] if op["op"] == kind]

    def key_bias_params(self):
        """Parameters feeding the key bias (operand 4) of a fused attention:
        softmax over the keys is invariant to q.bk, so their gradient is zero in
        exact arithmetic and only rounding noise in practice."""
        producer = {}
        for op in self.fn["ops"]:
            if op["op"] == "get_param":
                producer[op["results"][0]] = op["attrs"]["name"]
        return sorted({producer[op["operands"][4]] for op in self.ops_of("self_attention")
                       if op["operands"][4] in producer})

    def run(self, args, training, step=0, trace=None):
        """Evaluates the function on `args` (arrays or tensors). `training`
        turns dropout on, with the masks of hpt's training step `step` (0-based).
        Returns the function's results; `trace` (a dict) receives every value."""
        v = {}
        for i, a in enumerate(args):
            t = a if isinstance(a, torch.Tensor) else torch.tensor(np.asarray(a, dtype=np.float32))
            if list(t.shape) != list(self.fn["args"][i]):
                raise UnsupportedBundle("argument %d has shape %s, expected %s"
                                     % (i, list(t.shape), self.fn["args"][i]))
            v[i] = t
        for op in self.fn["ops"]:
            outs = self._eval(op, [v[i] for i in op["operands"]], training, step)
            for r, o, shape in zip(op["results"], outs, op["shapes"]):
                if list(o.shape) != list(shape):
                    raise UnsupportedBundle("%s at %s: result shape %s, the bundle says %s"
                                         % (op["op"], op.get("loc"), list(o.shape), shape))
                v[r] = o
        if trace is not None:
            trace.update(v)
        return [v[r] for r in self.fn["returns"]]

    def _eval(self, op, x, training, step):
        kind, attrs = op["op"], op["attrs"]
        if kind == "get_param":
            return [self.params[attrs["name"]]]
        if kind == "linear":
            return [F.linear(x[0], x[1], x[2] if len(x) > 2 else None)]
        if kind in ("matmul", "batch_matmul"):
            a = x[0].transpose(-1, -2) if "transpose_lhs" in attrs else x[0]
            b = x[1].transpose(-1, -2) if "transpose_rhs" in attrs else x[1]
            return [torch.matmul(a, b)]
        if kind == "layer_norm":
            d = x[0].shape[-1]
            return [F.layer_norm(x[0], (d,), x[1], x[2], float(attrs["eps"]))]
        if kind == "softmax":
            return [torch.softmax(x[0], dim=int(attrs.get("axis", -1)))]
        if kind == "relu":
            return [F.relu(x[0])]
        if kind == "gelu":
            return [F.gelu(x[0], approximate=attrs.get("approximate", "none"))]
        if kind == "scale":
            return [x[0] * float(attrs["factor"])]
        if kind == "dropout":
            p = float(attrs["p"])
            if not training or not np.float32(p) > 0:
                return [x[0]]
            noise = hpt_rng.dropout_noise(x[0].numel(), p, int(attrs["seed"]), step)
            return [x[0] * torch.from_numpy(noise).reshape(x[0].shape)]
        if kind == "positional_encoding":
            T, d = x[0].shape[-2], x[0].shape[-1]
            if T > int(attrs.get("max_len", 5000)) or d % 2:
                raise UnsupportedBundle("positional_encoding: bad shape %s" % list(x[0].shape))
            if (T, d) not in self._pe:
                self._pe[(T, d)] = positional_table(T, d)
            return [x[0] + self._pe[(T, d)]]
        if kind == "add":
            return [x[0] + x[1]]
        if kind == "concat":
            return [torch.cat(x, dim=int(attrs["axis"]))]
        if kind == "reshape":
            return [x[0].reshape(op["shapes"][0])]
        if kind == "transpose":
            return [x[0].permute(*attrs["permutation"])]
        if kind == "slice":
            return [x[0].narrow(int(attrs["axis"]), int(attrs["offset"]), int(attrs["size"]))]
        if kind == "mse_loss":
            if x[0].shape != x[1].shape:
                raise UnsupportedBundle("mse_loss: shapes differ")
            return [F.mse_loss(x[0], x[1], reduction="mean")]
        if kind == "self_attention":
            heads, head_dim = int(attrs["heads"]), int(attrs["head_dim"])
            if x[0].dim() != 3 or x[0].shape[-1] != heads * head_dim:
                raise UnsupportedBundle("self_attention: input %s does not split into %d x %d"
                                     % (list(x[0].shape), heads, head_dim))
            if self.attention == "explicit":
                return [attention_explicit(x[0], x[1:], heads, head_dim)]
            return [attention_mha(x[0], x[1:], heads, training)]
        raise UnsupportedBundle("unhandled op %s" % kind)


def rel_err(a, b):
    """||a - b|| / ||b|| in float64 (inf when b is 0 and a is not)."""
    a = np.asarray(a, dtype=np.float64).reshape(-1)
    b = np.asarray(b, dtype=np.float64).reshape(-1)
    num = np.linalg.norm(a - b)
    den = np.linalg.norm(b)
    if den == 0:
        return 0.0 if num == 0 else math.inf
    return float(num / den)


def dataset_for(bundle, split, seed, fn="forward"):
    f = function(bundle, fn)
    return hpt_rng.SyntheticData.like(f["args"][0], f["args"][1], split, seed)


def verdict(check, failures):
    """Prints the failures and the check's last line; the exit status."""
    for failure in failures:
        print("FAIL:", failure)
    print("%s check: %s" % (check, "FAILED" if failures else "passed"))
    return 1 if failures else 0
