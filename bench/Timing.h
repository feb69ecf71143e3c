//===- Timing.h - how long a call takes, for the benches --------*- C++ -*-===//

#ifndef HPT_BENCH_TIMING_H
#define HPT_BENCH_TIMING_H

#include <chrono>
#include <cstdint>
#include <functional>

namespace hpt::bench {

/// Seconds per call of `work`, over at least `budget` seconds after a warm-up.
inline double secondsPerCall(const std::function<void()> &work, double budget) {
  using Clock = std::chrono::steady_clock;
  work();
  int64_t calls = 0;
  const auto start = Clock::now();
  double elapsed = 0;
  do {
    work();
    ++calls;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < budget);
  return elapsed / double(calls);
}

} // namespace hpt::bench

#endif // HPT_BENCH_TIMING_H
