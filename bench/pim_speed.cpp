//===- pim_speed.cpp - how fast the ReRAM model simulates ------------------===//
//
// 1. Functional matrix-vector products through programmed crossbars against
//    the host's sgemm of the same shape (y = x·W, M vectors of K into N):
//    the exact path (no column can clip: one integer GEMM gives the
//    bit-serial result), the clipping path (too few ADC bits: walked bit by
//    bit) and the noisy path (programming and read noise).
// 2. Timing-only simulation: hpt's read and write costs of every step of
//    compiled pim programs (hpt-translate --pim-to-program), in layers
//    (steps) per second.
//
//   build/bin/hpt-bench-pim HW.json [PROGRAM.txt ...] [--seconds S]
//
// Single-threaded (OMP_NUM_THREADS=1, OPENBLAS_NUM_THREADS=1 for sgemm).
//
//===----------------------------------------------------------------------===//

#include "bench/Timing.h"
#include "hardware/Description.h"
#include "hardware/pim/Program.h"
#include "hardware/pim/Tiling.h"
#include "runtime/pim/Crossbar.h"

#include <cblas.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace hpt;

namespace {

using hpt::bench::secondsPerCall;

std::vector<float> uniform(int64_t n, uint32_t seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> u(-1, 1);
  std::vector<float> v(static_cast<size_t>(n));
  for (float &x : v)
    x = u(gen);
  return v;
}

void functionalProducts(const hw::pim::ReramModel &reram, double budget) {
  std::printf("functional products, y[M x N] = x[M x K] W[K x N] (times host sgemm, higher "
              "is faster):\n");
  std::printf("  %-18s %12s %12s %12s %12s\n", "M x K x N", "sgemm us", "exact", "clipping",
              "noisy");
  struct Shape {
    int64_t m, k, n;
  };
  // HpT's Wind step: 57 tokens, d_model 512, FFN 1024.
  for (const Shape s : {Shape{57, 512, 512}, Shape{57, 512, 1024}, Shape{57, 1024, 512},
                        Shape{256, 512, 512}}) {
    const std::vector<float> w = uniform(s.k * s.n, 1), x = uniform(s.m * s.k, 2);
    std::vector<float> y(size_t(s.m * s.n));
    const double sgemm = secondsPerCall(
        [&] {
          cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(s.m), int(s.n), int(s.k),
                      1.0f, x.data(), int(s.k), w.data(), int(s.n), 0.0f, y.data(), int(s.n));
        },
        budget);
    // Exact: enough ADC bits for a full column.
    hw::pim::ReramModel exactChip = reram;
    exactChip.adcBits.value =
        double(hw::pim::geometryOf(reram).losslessAdcBits(int64_t(reram.xbarRows.value)));
    rt::pim::ProgrammedWeight exact(exactChip, w.data(), s.k, s.n, rt::pim::Nonidealities{},
                                    "w");
    rt::pim::ProgrammedWeight clipping(reram, w.data(), s.k, s.n, rt::pim::Nonidealities{},
                                       "w");
    rt::pim::Nonidealities noise;
    noise.programmingNoise = noise.readNoise = true;
    hw::pim::ReramModel noisyChip = exactChip;
    noisyChip.programmingNoise.value = 0.02;
    noisyChip.readNoise.value = 0.01;
    rt::pim::ProgrammedWeight noisy(noisyChip, w.data(), s.k, s.n, noise, "w");
    auto relative = [&](const rt::pim::ProgrammedWeight &p) {
      return sgemm / secondsPerCall([&] { p.forward(x.data(), s.m, y.data()); }, budget);
    };
    char shape[64];
    std::snprintf(shape, sizeof shape, "%lld x %lld x %lld", (long long)s.m, (long long)s.k,
                  (long long)s.n);
    std::printf("  %-18s %12.1f %11.3fx %11.4fx %11.4fx\n", shape, 1e6 * sgemm,
                relative(exact), relative(clipping), relative(noisy));
  }
  std::printf("  (exact: %d-bit ADCs, lossless for %g-row columns; clipping: the description's "
              "%g bits, walked bit by bit; noisy: programming 2 %%, read 1 %%)\n",
              int(hw::pim::geometryOf(reram).losslessAdcBits(int64_t(reram.xbarRows.value))),
              reram.xbarRows.value, reram.adcBits.value);
}

void timingOnly(const hw::pim::ReramModel &reram, const std::vector<std::string> &paths,
                double budget) {
  if (paths.empty())
    return;
  std::printf("timing-only simulation of compiled pim programs (hpt's read and write costs):\n");
  const hw::pim::CrossbarGeometry g = hw::pim::geometryOf(reram);
  for (const std::string &path : paths) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    hw::Expected<hw::pim::PimProgram> program = hw::pim::parsePimProgram(text.str(), path);
    if (!program) {
      std::cerr << "hpt-bench-pim: " << program.error() << "\n";
      std::exit(1);
    }
    double sink = 0;
    const double seconds = secondsPerCall(
        [&] {
          // Tile every weight and cost every step, as a cost model would.
          std::vector<hw::pim::WeightTiling> tilings;
          for (const hw::pim::ProgramWeight &w : program->weights)
            tilings.push_back(*hw::pim::tileWeight(g, w.rows, w.cols, w.name));
          for (const hw::pim::ProgramStep &step : program->steps)
            sink += step.kind == hw::pim::ProgramStep::Kind::Program
                        ? hw::pim::writeCostEstimate(reram, tilings[step.weight]).energy_pJ
                        : hw::pim::readCost(reram, tilings[step.weight], step.vectors,
                                            step.transposed)
                              .energy_pJ;
        },
        budget);
    std::printf("  %-40s %4zu weights %5zu steps: %10.0f steps/s (%.1f us per program)%s\n",
                path.c_str(), program->weights.size(), program->steps.size(),
                double(program->steps.size()) / seconds, 1e6 * seconds, sink < 0 ? "!" : "");
  }
}

} // namespace

int main(int argc, char **argv) {
  std::string hw;
  std::vector<std::string> programs;
  double budget = 0.5;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--seconds" && i + 1 < argc)
      budget = std::stod(argv[++i]);
    else if (hw.empty())
      hw = arg;
    else
      programs.push_back(arg);
  }
  if (hw.empty()) {
    std::cerr << "usage: hpt-bench-pim HW.json [PROGRAM.txt ...] [--seconds S]\n";
    return 2;
  }
  hw::Expected<hw::Description> description = hw::readDescription(hw);
  if (!description || !description->reram) {
    std::cerr << "hpt-bench-pim: " << (description ? hw + ": no reram section" : description.error())
              << "\n";
    return 1;
  }
  std::printf("hpt-bench-pim on %s (%g x %g crossbars, %g-bit cells, %g-bit weights and "
              "inputs)\n",
              hw.c_str(), description->reram->xbarRows.value, description->reram->xbarCols.value,
              description->reram->cellBits.value, description->reram->weightBits.value);
  functionalProducts(*description->reram, budget);
  timingOnly(*description->reram, programs, budget);
  return 0;
}
