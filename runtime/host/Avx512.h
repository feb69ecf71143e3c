//===- Avx512.h - AVX-512 code paths chosen at run time ---------*- C++ -*-===//
//
// Internal to the runtime (host kernels, the systolic simulator's fold
// steps). The kernels that use AVX-512 carry HPT_AVX512
// instead of the library being built with -mavx512f, so the binary still runs
// (on its portable paths) on a CPU without it; cpuHasAvx512f() picks the path.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_HOST_AVX512_H
#define HPT_RUNTIME_HOST_AVX512_H

// GCC 12's AVX-512 shuffle, shift and multiply intrinsics pass an
// intentionally undefined vector through their mask forms, which
// -W(maybe-)uninitialized reports at every use in the including file.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#define HPT_AVX512 __attribute__((target("avx512f")))

namespace hpt::rt {

/// Whether this CPU executes AVX-512F (checked once).
inline bool cpuHasAvx512f() {
  static const bool available = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") != 0;
  }();
  return available;
}

} // namespace hpt::rt

#endif // HPT_RUNTIME_HOST_AVX512_H
