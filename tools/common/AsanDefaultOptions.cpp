//===- AsanDefaultOptions.cpp - ASan defaults for programs that link MLIR -===//
//
// LLVM's headers poison and unpoison the slabs of their bump allocators when
// they are compiled with AddressSanitizer. Debian's LLVM/MLIR libraries are
// not, so code inside them uses memory that the headers poisoned, and ASan
// reports a use-after-poison that is no bug. Every executable that links MLIR
// (hpt-opt, hpt-translate, the dialect unit tests, the MLIR fuzz target)
// compiles this file: manual poisoning is off, ASan's own checks stay on.
// Without ASan nothing calls it.
//
//===----------------------------------------------------------------------===//

extern "C" const char *__asan_default_options() { return "allow_user_poisoning=0"; }
