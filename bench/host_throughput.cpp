//===- host_throughput.cpp - the host model's throughput table -------------===//
//
// hpt charges host-placed ops by a throughput table (docs/accounting.md): this
// bench measures it on the machine it runs on, on the shapes of HpT's Wind
// step (57 tokens, d_model 512, FFN 1024), and prints the two rates as
// hardware-description entries with their date and machine, ready to paste
// into configs/<name>.json.
//
//   build/bin/hpt-bench-host [--threads N] [--seconds S]
//
//===----------------------------------------------------------------------===//

#include "bench/Timing.h"
#include "runtime/host/Kernels.h"

#include <omp.h>

#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <iostream>
#include <random>
#include <string>
#include <vector>

using namespace hpt::rt;

namespace {

using hpt::bench::secondsPerCall;

std::vector<float> randomVector(size_t n, std::mt19937 &rng) {
  std::uniform_real_distribution<float> real(-1, 1);
  std::vector<float> v(n);
  for (float &x : v)
    x = real(rng);
  return v;
}

std::string cpuModel() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("model name", 0) == 0)
      return line.substr(line.find(':') + 2);
  return "unknown CPU";
}

std::string today() {
  char text[16];
  std::time_t now = std::time(nullptr);
  std::strftime(text, sizeof text, "%Y-%m-%d", std::gmtime(&now));
  return text;
}

} // namespace

int main(int argc, char **argv) {
  double budget = 1.0;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--threads") && i + 1 < argc)
      omp_set_num_threads(std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--seconds") && i + 1 < argc)
      budget = std::atof(argv[++i]);
    else {
      std::cerr << "usage: hpt-bench-host [--threads N] [--seconds S]\n";
      return 2;
    }
  }
  const int64_t rows = 57, d = 512, ffn = 1024;
  std::mt19937 rng(1);
  std::vector<float> x = randomVector(rows * ffn, rng), w = randomVector(ffn * ffn, rng),
                     bias = randomVector(ffn, rng), y(rows * ffn), gamma(d, 1.0f),
                     beta(d, 0.0f);

  // Matrix products: the Wind step's linear layers (Q, K, V, O; FFN in, out).
  double flops = 0, gemmSeconds = 0;
  for (auto [in, out, count] : {std::tuple{d, d, 4}, {d, ffn, 1}, {ffn, d, 1}}) {
    double t = secondsPerCall([&] { linearForward(x.data(), w.data(), bias.data(), y.data(),
                                                  rows, in, out); }, budget);
    flops += count * 2.0 * rows * in * out;
    gemmSeconds += count * t;
    std::printf("linear %lldx%lld -> %lld: %.3f ms, %.1f GFLOP/s\n", (long long)rows,
                (long long)in, (long long)out, 1e3 * t, 2.0 * rows * in * out / t * 1e-9);
  }
  // Vector work: layer norm, softmax over the 57 x 57 scores of 8 heads,
  // GELU and a residual add, as the step runs them.
  double elements = 0, vectorSeconds = 0;
  auto vector = [&](const char *what, double count, const std::function<void()> &work) {
    double t = secondsPerCall(work, budget);
    elements += count;
    vectorSeconds += t;
    std::printf("%s: %.1f us, %.2f Gelement/s\n", what, 1e6 * t, count / t * 1e-9);
  };
  vector("layer_norm 57x512", rows * d, [&] {
    layerNormForward(x.data(), gamma.data(), beta.data(), y.data(), rows, d, 1e-5f);
  });
  vector("softmax 8x57x57", 8 * rows * rows,
         [&] { softmaxForward(x.data(), y.data(), 8 * rows, rows, 1); });
  vector("gelu 57x1024", rows * ffn,
         [&] { geluForward(x.data(), y.data(), rows * ffn, false); });
  vector("add 57x512", rows * d, [&] { add(x.data(), w.data(), y.data(), rows * d); });

  std::string where = "measured: bench/host_throughput.cpp (hpt-bench-host), " + today() +
                      ", " + cpuModel() + ", " + std::to_string(omp_get_max_threads()) +
                      " threads";
  std::printf("\n\"gemm_rate\": {\"value\": %.1f, \"unit\": \"GFLOP/s\", \"source\": \"%s\"},\n",
              flops / gemmSeconds * 1e-9, where.c_str());
  std::printf("\"vector_rate\": {\"value\": %.2f, \"unit\": \"Gelement/s\", \"source\": \"%s\"}\n",
              elements / vectorSeconds * 1e-9, where.c_str());
  return 0;
}
