"""Matmul FLOPs of one forward pass of each HpT model, in closed form.

An oracle for hpt-print-model-stats written from the reference table
(docs/reference/hpt-models.md), not from models/generate.py: every Linear of in -> out over
R rows costs 2*R*in*out, each attention layer adds 2*2*T*T*d for Q.K^T and
A.V over all heads. Reads the JSON statistics of one model on stdin and exits
non-zero on a mismatch.
"""
import json
import sys

# tokens, in features, FFN, per-token head widths (from the encoder output or
# the concat), decoder widths (from the flattened head).
APPS = {
    "swe": (323, 19, 2048, [1024, 256, 256, 128, 16], [323 * 16, 1292, 323]),
    "covid": (50, 19, 2048, [1024, 256, 64], [50 * 64, 512, 256, 50]),
    "wind": (57, 12, 1024, [512, 128, 64], [57 * 64, 512, 128, 57]),
    "weather": (29, 13, 2048, [1024, 256, 256, 128, 64], [29 * 64, 928, 29]),
}
D, LAYERS, EMBED_HIDDEN = 512, 12, 256


def chain(rows, widths):
    return sum(2 * rows * a * b for a, b in zip(widths, widths[1:]))


def matmul_flops(app):
    tokens, features, ffn, per_token, decoder = APPS[app]
    embed = chain(tokens, [features, EMBED_HIDDEN, D])
    layer = 4 * 2 * tokens * D * D + 2 * 2 * tokens * tokens * D + chain(tokens, [D, ffn, D])
    return embed + LAYERS * layer + chain(tokens, per_token) + chain(1, decoder)


def train_step_flops(app):
    """Forward + backward: every product twice more (dX and dW), except the
    first layer's dX, which no one needs (the data has no gradient)."""
    tokens, features = APPS[app][0], APPS[app][1]
    return 3 * matmul_flops(app) - 2 * tokens * features * EMBED_HIDDEN


def main():
    app = sys.argv[1]
    train = len(sys.argv) > 2 and sys.argv[2] == "--train-step"
    stats = json.load(sys.stdin)
    got = stats["flops"]["matmul"]
    want = train_step_flops(app) if train else matmul_flops(app)
    print(f"{app}: matmul FLOPs {got:,} (closed form {want:,})")
    if got != want:
        sys.exit(f"{app}: hpt counts {got:,} matmul FLOPs, the closed form gives {want:,}")


if __name__ == "__main__":
    main()
