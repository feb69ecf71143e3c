# -*- Python -*-
import os

import lit.formats
from lit.llvm import llvm_config

config.name = "HPT"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.hpt_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "unittests", "Inputs"]

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

config.substitutions.append(("%models", os.path.join(config.hpt_src_root, "models")))
config.substitutions.append(("%hpt_src", config.hpt_src_root))
config.substitutions.append(("%python", config.python_executable))
# The CUDA toolkit's PTX assembler (CI has the toolkit, not a GPU).
config.substitutions.append(("%ptxas", os.environ.get("HPT_PTXAS", "/usr/local/cuda/bin/ptxas")))
# The toolkit's stub driver library: it loads, and refuses to initialise.
config.substitutions.append(("%cuda_stub", "/usr/local/cuda/lib64/stubs/libcuda.so"))
# The emulated CUDA driver and cuBLAS (test/emulated-cuda), and what builds
# the host copy of a model's kernels it runs: llc, then the C++ compiler.
config.substitutions.append(
    ("%emulated_cuda", os.path.join(config.hpt_obj_root, "lib", "libhpt-emulated-cuda.so")))
config.substitutions.append(("%llc", os.path.join(config.llvm_tools_dir, "llc")))
config.substitutions.append(("%cxx", config.cxx_compiler))

tool_dirs = [config.hpt_tools_dir]
if config.hpt_compiler_tools_dir:
    tool_dirs.append(config.hpt_compiler_tools_dir)
llvm_config.add_tool_substitutions(
    ["hpt-opt", "hpt-translate", "hpt-run", "hpt-sim-systolic", "hpt-sim-pim", "hpt-hw"], tool_dirs)

# Tests that need a GPU say "REQUIRES: gpu". They are the only tests allowed
# to skip (./dev.sh test fails on any other unsupported test), and say why.
try:
    import subprocess
    gpus = subprocess.run(["nvidia-smi", "-L"], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, universal_newlines=True, timeout=30)
    has_gpu = gpus.returncode == 0 and "GPU" in gpus.stdout
except (OSError, subprocess.TimeoutExpired):
    has_gpu = False
if has_gpu:
    config.available_features.add("gpu")
else:
    lit_config.note("tests that REQUIRE gpu skip: nvidia-smi lists no GPU on this machine")
