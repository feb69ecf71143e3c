"""What a bundle's training step asks of the GPU: its cuBLAS products and
its kernel launches (the GPU section, docs/gpu.md).

    python3 bench/gpu_bundle_stats.py BUNDLE [FUNCTION]     (default train_step)
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "test", "torch"))
import hpt_formats  # noqa: E402

function = sys.argv[2] if len(sys.argv) > 2 else "train_step"
gpu = json.loads(hpt_formats.read_bundle_sections(sys.argv[1])["gpu"])
launches = {k["name"]: len(k["launches"]) for k in gpu["kernels"]}
ops = [op for op in gpu["ops"] if op["function"] == function]
print("%s: %d ops on the GPU, %d products through cuBLAS, none generated (no generated GEMM to "
      "hold to 70 %% of cuBLAS), %d kernel launches" % (
          function, len(ops), sum(op.get("library") == "cublas" for op in ops),
          sum(launches[op["kernel"]] for op in ops if "kernel" in op)))
