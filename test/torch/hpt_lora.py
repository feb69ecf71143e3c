"""LoRA in plain PyTorch on top of the reference of the full model.

hpt-lora adds a LoRA program (@forward_lora, trained by @train_step_lora)
beside @forward. This module does not interpret that program's graph. It runs
the reference of the bundle's full @forward (hpt_reference, with the attention
written out per head) and wraps every targeted linear layer, in torch, as

    y = x.W^T + b + (alpha / r) * F.linear(F.linear(dropout(x), A), B)

with A = `lora.<weight>.a` (r x in) and B = `lora.<weight>.b` (out x r). Only
the adapters and the parameters of the trainable groups (by default `embed`,
`reduce` and `decode`: the first component of a parameter's name) have
requires_grad; everything else, including the targeted weights and their
biases, is frozen.

What it reads from the bundle, on purpose (as the full reference shares the
data and the initial parameters):
  * the LoRA hyper-parameters of the program (`"programs"` entry: rank,
    alpha, dropout, the adapters' target / a / b names);
  * for the adapter dropout masks, the seed of the dropout op that feeds each
    adapter's `a` linear in the LoRA function; the masks themselves come from
    hpt_rng, as for every other dropout of the reference.
It then checks, independently, that the targets are exactly the weights of
the linear layers of @forward (attention projections included) that match
the target globs (default `enc.*.attn.wq`, `enc.*.attn.wv`), and that the
adapters have the documented shapes.
"""

import fnmatch
import functools

import numpy as np
import torch
import torch.nn.functional as F

import hpt_reference as ref_mod
import hpt_rng
from hpt_reference import UnsupportedBundle

DEFAULT_TARGETS = ("enc.*.attn.wq", "enc.*.attn.wv")
DEFAULT_TRAINABLE = ("embed", "reduce", "decode")

# Operand index of each projection's weight in hpt.self_attention
# (x, wq, bq, wk, bk, wv, bv, wo, bo).
ATTENTION_WEIGHTS = (("q", 1), ("k", 3), ("v", 5), ("o", 7))


def lora_programs(bundle):
    return [p for p in bundle.get("programs", []) if "lora" in p]


def lora_program(bundle, eval_name=None):
    """The bundle's LoRA program ({"train", "eval", "lora": {...}}): the one
    whose eval function is `eval_name`, or the only one."""
    programs = lora_programs(bundle)
    if eval_name:
        programs = [p for p in programs if p["eval"] == eval_name]
    if len(programs) != 1:
        raise UnsupportedBundle("the bundle has %d LoRA programs%s; name one with --lora-program"
                                % (len(programs), (" with eval @" + eval_name) if eval_name else ""))
    return programs[0]


def _producers(fn):
    """value id -> the op that defines it."""
    out = {}
    for op in fn["ops"]:
        for r in op["results"]:
            out[r] = op
    return out


def adapter_dropout_seeds(bundle, program):
    """{a name: seed of the dropout that feeds the adapter's `a` linear in the
    LoRA function, or None when `a` reads the target layer's input directly
    (LoRA dropout 0)}. The dropout must read the target layer's input: a
    dropout of the model that happens to produce that input is not the
    adapter's."""
    fn = ref_mod.function(bundle, program["eval"])
    p = float(program["lora"]["dropout"])
    producer = _producers(fn)

    def linears_reading(name):
        reads = {op["results"][0] for op in fn["ops"]
                 if op["op"] == "get_param" and op["attrs"]["name"] == name}
        return [op for op in fn["ops"] if op["op"] == "linear" and op["operands"][1] in reads]

    seeds = {}
    for adapter in program["lora"]["adapters"]:
        down, base = linears_reading(adapter["a"]), linears_reading(adapter["target"])
        if len(down) != 1 or len(base) != 1:
            raise UnsupportedBundle("@%s: %s feeds %d linear layers and %s %d, expected one each"
                                    % (program["eval"], adapter["a"], len(down), adapter["target"],
                                       len(base)))
        x, h = base[0]["operands"][0], down[0]["operands"][0]
        src = producer.get(h)
        if h == x and not np.float32(p) > 0:
            seeds[adapter["a"]] = None
        elif (h != x and src is not None and src["op"] == "dropout" and src["operands"][0] == x
              and np.float32(src["attrs"]["p"]) == np.float32(p) and np.float32(p) > 0):
            seeds[adapter["a"]] = int(src["attrs"]["seed"])
        else:
            raise UnsupportedBundle("@%s: the input of %s is neither the input of %s nor a dropout "
                                    "of it with the program's p %r" % (
                                        program["eval"], adapter["a"], adapter["target"], p))
    return seeds


class Adapter:
    """One LoRA adapter: x.W^T + b + scale * F.linear(F.linear(dropout(x), A), B)."""

    def __init__(self, target, a, b, scale, p, seed):
        self.target, self.a, self.b = target, a, b  # names
        self.scale, self.p, self.seed = scale, p, seed
        self.uses = 0

    def __call__(self, params, x, w, bias, training, step):
        self.uses += 1
        y = F.linear(x, w, bias)
        h = x
        if training and np.float32(self.p) > 0:
            noise = hpt_rng.dropout_noise(x.numel(), self.p, self.seed, step)
            h = x * torch.from_numpy(noise).reshape(x.shape)
        return y + self.scale * F.linear(F.linear(h, params[self.a]), params[self.b])


class LoraReference(ref_mod.Reference):
    """The reference of the program's base function (@forward) with the LoRA
    adapters in torch. `alpha` overrides the program's (negative tests);
    `targets` are the globs the adapter targets must match; `groups` the
    trainable groups."""

    def __init__(self, bundle, params, program, groups=DEFAULT_TRAINABLE,
                 targets=DEFAULT_TARGETS, alpha=None):
        lora = program["lora"]
        super().__init__(bundle, params, fn=lora.get("base", "forward"), attention="explicit")
        self.program = program
        self.rank = int(lora["rank"])
        self.alpha = float(lora["alpha"] if alpha is None else alpha)
        self.dropout = float(lora["dropout"])
        self.scale = self.alpha / self.rank
        self.groups = tuple(groups)
        seeds = adapter_dropout_seeds(bundle, program)

        self._weight_of = {}  # value id of a get_param -> parameter name
        for op in self.fn["ops"]:
            if op["op"] == "get_param":
                self._weight_of[op["results"][0]] = op["attrs"]["name"]
        self.adapters = {}
        for entry in lora["adapters"]:
            w = self.specs.get(entry["target"])
            if w is None or len(w["shape"]) != 2:
                raise UnsupportedBundle("adapter target %s is not a matrix parameter" % entry["target"])
            out_dim, in_dim = w["shape"]
            for name, shape in ((entry["a"], [self.rank, in_dim]), (entry["b"], [out_dim, self.rank])):
                if name not in self.specs or list(self.specs[name]["shape"]) != shape:
                    raise UnsupportedBundle("adapter %s: expected shape %s, the bundle has %s" % (
                        name, shape, self.specs.get(name, {}).get("shape")))
            self.adapters[entry["target"]] = Adapter(entry["target"], entry["a"], entry["b"],
                                                     self.scale, self.dropout, seeds[entry["a"]])

        # The targets, found independently: the weights of @forward's linear
        # layers and attention projections that match the globs.
        weights = set()
        for op in self.fn["ops"]:
            if op["op"] == "linear":
                weights.add(self._weight_of.get(op["operands"][1]))
            elif op["op"] == "self_attention":
                weights.update(self._weight_of.get(op["operands"][i]) for _, i in ATTENTION_WEIGHTS)
        weights.discard(None)
        self.expected_targets = sorted(w for w in weights
                                       if any(fnmatch.fnmatchcase(w, g) for g in targets))

        adapter_params = {n for a in self.adapters.values() for n in (a.a, a.b)}
        self._trainable = [n for n in self.specs
                           if n in adapter_params or n.split(".")[0] in self.groups]
        for name, t in self.params.items():
            t.requires_grad_(name in self._trainable)

    def trainable(self):
        return list(self._trainable)

    def frozen(self):
        return [n for n in self.specs if n not in self._trainable]

    def problems(self):
        """Disagreements between the bundle's LoRA program and what this side
        derives on its own (targets, trainable groups)."""
        out = []
        got = sorted(self.adapters)
        if got != self.expected_targets:
            out.append("adapter targets %s, the globs select %s" % (got, self.expected_targets))
        for g in self.groups:
            if not any(n.split(".")[0] == g for n in self.specs):
                out.append("trainable group '%s' names no parameter" % g)
        return out

    def describe(self):
        n_groups = sum(1 for n in self._trainable if n.split(".")[0] in self.groups)
        seeds = [a.seed for _, a in sorted(self.adapters.items()) if a.seed is not None]
        return ("lora: rank %d, alpha %g (scale %g), dropout %g (%s), %d adapters on %s; "
                "%d trainable tensors (%d in %s, %d adapter), %d frozen" % (
                    self.rank, self.alpha, self.scale, self.dropout,
                    ("seeds " + ",".join(map(str, seeds))) if seeds else "no masks",
                    len(self.adapters), ", ".join(sorted(self.adapters)), len(self._trainable), n_groups,
                    ",".join(self.groups), len(self._trainable) - n_groups, len(self.frozen())))

    def run(self, args, training, step=0, trace=None):
        for a in self.adapters.values():
            a.uses = 0
        out = super().run(args, training, step, trace)
        unused = [t for t, a in self.adapters.items() if a.uses != 1]
        if unused:
            raise UnsupportedBundle("adapters not applied exactly once: %s" % ", ".join(unused))
        return out

    def _adapter(self, value):
        return self.adapters.get(self._weight_of.get(value))

    def _eval(self, op, x, training, step):
        kind = op["op"]
        if kind == "linear":
            adapter = self._adapter(op["operands"][1])
            if adapter is not None:
                return [adapter(self.params, x[0], x[1], x[2] if len(x) > 2 else None,
                                training, step)]
        if kind == "self_attention":
            projections = {}
            for role, i in ATTENTION_WEIGHTS:
                adapter = self._adapter(op["operands"][i])
                if adapter is not None:
                    projections[role] = functools.partial(adapter, self.params,
                                                          training=training, step=step)
            if projections:
                heads, head_dim = int(op["attrs"]["heads"]), int(op["attrs"]["head_dim"])
                if x[0].dim() != 3 or x[0].shape[-1] != heads * head_dim:
                    raise UnsupportedBundle("self_attention: input %s does not split into %d x %d"
                                            % (list(x[0].shape), heads, head_dim))
                return [ref_mod.attention_explicit(x[0], x[1:], heads, head_dim, projections)]
        return super()._eval(op, x, training, step)


def add_arguments(ap):
    """The --lora options of check_gradients.py and check_training.py."""
    g = ap.add_argument_group("LoRA (hpt-run --schedule lora)")
    g.add_argument("--lora", action="store_true",
                   help="check the bundle's LoRA program against LoRA in torch on @forward")
    g.add_argument("--lora-program", default=None,
                   help="eval function of the LoRA program (default: the only one)")
    g.add_argument("--lora-targets", default=",".join(DEFAULT_TARGETS),
                   help="globs the adapter targets must be exactly the matches of")
    g.add_argument("--lora-trainable", default=",".join(DEFAULT_TRAINABLE),
                   help="groups (first name component) trained beside the adapters")
    g.add_argument("--lora-alpha", type=float, default=None,
                   help="use this alpha in torch instead of the bundle's (negative test)")


def make_reference(bundle, params, a):
    """(reference, train function name, problems) for the options `a`: the
    full reference of @forward, or with --lora the LoRA one."""
    if not a.lora:
        return ref_mod.Reference(bundle, params, attention=a.attention), "train_step", []
    program = lora_program(bundle, a.lora_program)
    ref = LoraReference(bundle, params, program,
                        groups=[g for g in a.lora_trainable.split(",") if g],
                        targets=[t for t in a.lora_targets.split(",") if t],
                        alpha=a.lora_alpha)
    return ref, program["train"], ref.problems()


def update_params(bundle, train_fn):
    """The parameters the update ops of `train_fn` write."""
    return [op["attrs"]["param"] for op in ref_mod.function(bundle, train_fn)["ops"]
            if op["op"].endswith("_update")]
