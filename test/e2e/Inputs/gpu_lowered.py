"""Counts how convert-hpt-to-gpu lowered @train_step: gpu_lowered.py
MODULE.mlir KERNELS.ptx. Fails when an op placed on the GPU has neither a
cuBLAS call nor a kernel unless it is an alias (get_param, reshape) or a
learning rate, when a named kernel is missing from @hpt_gpu, or when a
kernel has no PTX entry."""
import re
import sys

module = open(sys.argv[1]).read()
ptx = open(sys.argv[2]).read()
body = module[module.index("func.func @train_step("):]
body = body[:body.index("\n  }\n")]
kernels = set(re.findall(r"^    func\.func @(\w+)\(", module, re.M))
entries = set(re.findall(r"\.visible \.entry (\w+)\(", ptx))
placed = library = generated = aliases = 0
used = set()
for line in body.splitlines():
    if "#hpt.device<gpu>" not in line:
        continue
    placed += 1
    op = re.search(r"(hpt\.\w+)", line).group(1)
    kernel = re.search(r"hpt\.gpu_kernel = @hpt_gpu::@(\w+)", line)
    is_library = 'hpt.gpu_library = "cublas"' in line
    if kernel:
        if kernel.group(1) not in kernels:
            sys.exit("%s names @%s, which @hpt_gpu lacks" % (op, kernel.group(1)))
        if not any(e.startswith(kernel.group(1) + "_") for e in entries):
            sys.exit("kernel @%s has no PTX entry" % kernel.group(1))
        used.add(kernel.group(1))
        generated += 1
    library += is_library
    if not kernel and not is_library:
        if op not in ("hpt.get_param", "hpt.reshape", "hpt.constant_lr", "hpt.step_lr"):
            sys.exit("%s is placed on the gpu but was not lowered" % op)
        aliases += 1
print("@train_step: %d ops on the gpu: %d cuBLAS products, %d generated kernels (%d distinct, "
      "%d PTX entries), %d aliases and learning rates"
      % (placed, library, generated, len(used), len(entries), aliases))
