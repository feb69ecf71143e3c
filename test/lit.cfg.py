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
config.substitutions.append(("%python", config.python_executable))

tool_dirs = [config.hpt_tools_dir]
if config.hpt_compiler_tools_dir:
    tool_dirs.append(config.hpt_compiler_tools_dir)
llvm_config.add_tool_substitutions(
    ["hpt-opt", "hpt-translate", "hpt-run", "hpt-sim-systolic"], tool_dirs)
