//===- SystolicTest.cpp - systolic-array simulator ------------------------===//

#include "hardware/systolic/Planner.h"
#include "hardware/systolic/Quantize.h"
#include "hardware/systolic/Stream.h"
#include "runtime/core/Error.h"
#include "runtime/systolic/Simulator.h"
#include "runtime/systolic/Topology.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>

using namespace hpt::systolic;
using hpt::hw::ArchConfig;
using hpt::rt::orThrow;

namespace {

Stream lowerGemm(const Layer &layer, const ArchConfig &cfg, ElementType e = ElementType::F32,
                 uint64_t maxStreamBytes = hpt::hw::physicalMemoryBytes()) {
  return planLayer(layer, cfg.machine(e), maxStreamBytes);
}

ArchConfig arch(Dataflow df, uint32_t rows, uint32_t cols, uint64_t kb) {
  ArchConfig a;
  a.arrayRows = rows;
  a.arrayCols = cols;
  a.sramKb[0] = a.sramKb[1] = a.sramKb[2] = kb;
  a.dataflow = df;
  return a;
}

struct GemmRun {
  Report report;
  std::vector<double> a, b, out;
};

GemmRun runGemm(const Layer &l, const ArchConfig &cfg, ElementType e, bool functional, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> real(-1, 1);
  std::uniform_int_distribution<int> int8(-128, 127);
  GemmRun run;
  run.a.resize(l.M * l.K);
  run.b.resize(l.K * l.N);
  for (auto *v : {&run.a, &run.b})
    for (double &x : *v)
      x = e == ElementType::F32 ? double(real(rng)) : double(int8(rng));
  Simulator sim(functional);
  if (functional) {
    sim.setDram(Buffer::Ifmap, encodeWords(e, run.a));
    sim.setDram(Buffer::Filter, encodeWords(e, run.b));
  }
  run.report = sim.run(lowerGemm(l, cfg, e));
  run.out = decodeWords(e, sim.dramData(Buffer::Ofmap));
  return run;
}

std::vector<double> reference(const Layer &l, const GemmRun &r) {
  std::vector<double> out(l.M * l.N, 0.0);
  for (uint64_t m = 0; m < l.M; ++m)
    for (uint64_t k = 0; k < l.K; ++k)
      for (uint64_t n = 0; n < l.N; ++n)
        out[m * l.N + n] += r.a[m * l.K + k] * r.b[k * l.N + n];
  return out;
}

template <typename F> std::string errorOf(F &&f) {
  try {
    f();
  } catch (const hpt::rt::Error &e) {
    return e.what();
  }
  return "";
}

const Dataflow kDataflows[] = {Dataflow::OutputStationary, Dataflow::WeightStationary,
                               Dataflow::InputStationary};

} // namespace

TEST(Systolic, Fp32MatchesFp64ReferenceForEveryDataflowAndRaggedShape) {
  const Layer layers[] = {{"a", 100, 30, 50}, {"b", 33, 65, 17}, {"c", 64, 48, 300}};
  for (Dataflow df : kDataflows)
    for (auto [r, c] : {std::pair{8, 16}, {16, 8}, {7, 5}})
      for (const Layer &l : layers) {
        // 2 kB SRAMs force the streamed operand into several chunks.
        GemmRun run = runGemm(l, arch(df, r, c, 2), ElementType::F32, true, 7);
        std::vector<double> ref = reference(l, run);
        double diff = 0, norm = 0;
        for (size_t i = 0; i < ref.size(); ++i) {
          diff += (run.out[i] - ref[i]) * (run.out[i] - ref[i]);
          norm += ref[i] * ref[i];
        }
        EXPECT_LT(std::sqrt(diff / norm), 1e-5) << name(df) << " " << r << "x" << c << " " << l.name;
      }
}

TEST(Systolic, Int8AccumulatesExactlyInInt32) {
  for (Dataflow df : kDataflows) {
    Layer l{"q", 37, 29, 301};
    GemmRun run = runGemm(l, arch(df, 8, 8, 2), ElementType::I8, true, 3);
    EXPECT_EQ(run.out, reference(l, run)) << name(df);
  }
}

TEST(Systolic, TimingOnlyAndFunctionalCountTheSame) {
  for (Dataflow df : kDataflows) {
    Layer l{"t", 45, 70, 33};
    Report timing = runGemm(l, arch(df, 8, 16, 1), ElementType::F32, false, 1).report;
    Report functional = runGemm(l, arch(df, 8, 16, 1), ElementType::F32, true, 1).report;
    EXPECT_EQ(timing.totalCycles, functional.totalCycles);
    EXPECT_EQ(timing.macs, uint64_t(45) * 70 * 33);
    for (int b = 0; b < 3; ++b) {
      EXPECT_EQ(timing.sramReads[b], functional.sramReads[b]);
      EXPECT_EQ(timing.dramWrites[b], functional.dramWrites[b]);
    }
  }
}

TEST(Systolic, CyclesFollowScaleSimFoldModel) {
  // OS 8x8, M=128 N=1024 K=128: SCALE-Sim v2 reports 290815 cycles.
  Report os = runGemm({"r", 128, 1024, 128}, arch(Dataflow::OutputStationary, 8, 8, 64),
                      ElementType::F32, false, 0).report;
  EXPECT_EQ(os.totalCycles, 290815u);
  EXPECT_NEAR(os.computeUtilizationPct(), 90.1408450704198, 1e-9);
  Report ws = runGemm({"r", 128, 128, 1024}, arch(Dataflow::WeightStationary, 8, 8, 64),
                      ElementType::F32, false, 0).report;
  EXPECT_EQ(ws.totalCycles, 307199u);
  EXPECT_NEAR(ws.overallUtilizationPct(), 85.33361111201533, 1e-9);
}

TEST(Systolic, TextAndBinaryStreamsRoundTrip) {
  Stream s = lowerGemm({"rt", 20, 30, 40}, arch(Dataflow::InputStationary, 8, 4, 1));
  s.instructions[1].scalar = 0.5f; // a field only the binary form carries for MOVEIN
  Stream fromBinary = *parseBinary(toBinary(s), "mem");
  ASSERT_EQ(fromBinary.instructions.size(), s.instructions.size());
  EXPECT_TRUE(toBinary(fromBinary) == toBinary(s));
  s.instructions[1].scalar = 0;
  Stream fromText = *parseText(toText(s), "mem");
  EXPECT_TRUE(toBinary(fromText) == toBinary(s));
  EXPECT_EQ(toText(fromText), toText(s));
}

TEST(Systolic, MalformedStreamsNameLineOrIndex) {
  EXPECT_NE(errorOf([] { orThrow(parseText("fence\nbogus x=1\n", "s.txt")); }).find("s.txt:2: unknown opcode"),
            std::string::npos);
  EXPECT_NE(errorOf([] { orThrow(parseText("compute stream=x\n", "s.txt")); }).find("s.txt:1: bad value 'x'"),
            std::string::npos);
  EXPECT_NE(errorOf([] { orThrow(parseText("fence rows=1\n", "s.txt")); }).find("s.txt:1: 'rows' is not a field"),
            std::string::npos);
  std::string bin = toBinary(lowerGemm({"b", 4, 4, 4}, arch(Dataflow::WeightStationary, 4, 4, 1)));
  std::string truncated = bin.substr(0, bin.size() - 136);
  EXPECT_NE(errorOf([&] { orThrow(parseBinary(truncated, "s.bin")); }).find("truncated at instruction"),
            std::string::npos);
  std::string corrupt = bin;
  corrupt.back() ^= 1;
  EXPECT_NE(errorOf([&] { orThrow(parseBinary(corrupt, "s.bin")); }).find("checksum"), std::string::npos);
  std::string badVersion = bin;
  badVersion[8] = 9;
  EXPECT_NE(errorOf([&] { orThrow(parseBinary(badVersion, "s.bin")); }).find("version 9"), std::string::npos);
}

TEST(Systolic, BadInstructionsAreRejectedWithTheirIndex) {
  Stream s = lowerGemm({"x", 16, 16, 16}, arch(Dataflow::WeightStationary, 8, 8, 1));
  Stream noConfig = s;
  noConfig.instructions.erase(noConfig.instructions.begin());
  EXPECT_NE(errorOf([&] { Simulator(false).run(noConfig, "p"); })
                .find("p: instruction 0 (movein): runs before any CONFIG"),
            std::string::npos);
  Stream outOfRange = s;
  outOfRange.instructions[1].sramAddress = 1020; // 8x8 tile past the 1024-word SRAM
  EXPECT_NE(errorOf([&] { Simulator(true).run(outOfRange, "p"); })
                .find("p: instruction 1 (movein): filter SRAM tile [1020, 1084) is out of range"),
            std::string::npos);
  Stream badDram = s;
  badDram.instructions[1].dramAddress = 16 * 16;
  EXPECT_NE(errorOf([&] { Simulator(false).run(badDram, "p"); }).find("instruction 1 (movein): filter DRAM tile"),
            std::string::npos);
  Stream computeFirst = s;
  computeFirst.instructions.erase(computeFirst.instructions.begin() + 1,
                                  computeFirst.instructions.begin() + 3); // drop MOVEIN, PRELOAD
  EXPECT_NE(errorOf([&] { Simulator(false).run(computeFirst, "p"); }).find("no PRELOAD"),
            std::string::npos);
}

// Sizes from a stream or topology are checked before anything is allocated
// or built, and ranges that overflow 64 bits are errors, not wrap-arounds.
TEST(Systolic, SizesBeyondTheLimitsAreRefused) {
  Stream s = lowerGemm({"x", 16, 16, 16}, arch(Dataflow::WeightStationary, 8, 8, 1));
  EXPECT_NE(errorOf([&] { Simulator(true, {4096, "--max-memory"}).run(s, "p"); })
                .find("p: instruction 0 (config): the SRAMs, DRAM regions and accumulators "
                      "would take"),
            std::string::npos);
  Stream huge = s;
  huge.instructions[0].sramWords[0] = UINT64_MAX;
  EXPECT_NE(errorOf([&] { Simulator(true).run(huge, "p"); }).find("more than 2^64 bytes"),
            std::string::npos);
  Stream wrapping = s;
  wrapping.instructions[1].stride = UINT64_MAX / 2; // (rows - 1) x stride overflows
  EXPECT_NE(errorOf([&] { Simulator(false).run(wrapping, "p"); })
                .find("instruction 1 (movein): filter DRAM tile at 0 spans more than 2^64 words"),
            std::string::npos);
  EXPECT_NE(errorOf([] {
              lowerGemm({"L", 100000, 100000, 100000}, arch(Dataflow::OutputStationary, 8, 8, 1),
                        ElementType::F32, 1 << 30);
            }).find("layer L: the stream would hold "),
            std::string::npos);
  Machine machine{Dataflow::OutputStationary, ElementType::F32, 8, 8, {1024, 1024, 1024}};
  EXPECT_EQ(planGemm({1ull << 40, 1ull << 40, 1ull << 40}, machine).error(),
            "the operands have more elements than fit 64 bits");
}

TEST(Systolic, TileTooBigForItsSramIsRejected) {
  EXPECT_NE(errorOf([] { lowerGemm({"big", 64, 64, 64}, arch(Dataflow::WeightStationary, 32, 32, 1)); })
                .find("layer big: a 1024-word tile does not fit half of the filter SRAM (512 words"),
            std::string::npos);
}

TEST(Systolic, MalformedConfigAndTopologyNameTheLine) {
  EXPECT_NE(errorOf([] { orThrow(hpt::hw::parseArchConfig("[architecture_presets]\nArrayHeight: 8\nDataflow: xs\n", "a.cfg")); })
                .find("a.cfg:3: Dataflow must be os, ws or is"),
            std::string::npos);
  EXPECT_NE(errorOf([] { orThrow(hpt::hw::parseArchConfig("[architecture_presets]\nArrayHeight: 8\n", "a.cfg")); })
                .find("a.cfg: missing ArrayWidth"),
            std::string::npos);
  EXPECT_NE(errorOf([] { parseTopology("h\nL0,4,0,4,\n", TopologyKind::Gemm, "t.csv"); })
                .find("t.csv:2: N must be positive"),
            std::string::npos);
  EXPECT_NE(errorOf([] { parseTopology("h\nC,5,5,7,7,3,8,1,\n", TopologyKind::Conv, "t.csv"); })
                .find("t.csv:2: filter 7x7 is larger than the ifmap 5x5"),
            std::string::npos);
  std::vector<Layer> conv =
      parseTopology("h\nConv1,224,224,11,11,3,96,4,\n", TopologyKind::Conv, "t.csv");
  EXPECT_EQ(conv[0].M, 55u * 55u);
  EXPECT_EQ(conv[0].K, 363u);
  EXPECT_EQ(conv[0].N, 96u);
}

TEST(Systolic, LinearWithBiasAddsTheBiasToEveryRow) {
  // y = x·W + b for x 11x9, W 9x6 (filter K x N), b 6, on every dataflow
  // with an ofmap SRAM small enough that the bias pass takes several chunks.
  const uint64_t M = 11, N = 6, K = 9;
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> real(-1, 1);
  std::vector<double> x(M * K), w(K * N), b(N);
  for (auto *v : {&x, &w, &b})
    for (double &e : *v)
      e = real(rng);
  for (Dataflow df : kDataflows) {
    Machine machine{df, ElementType::F32, 4, 4, {256, 256, 64}};
    Plan plan = planGemm({M, N, K, 1, true}, machine);
    ASSERT_TRUE(plan) << plan.error();
    std::vector<double> ofmap(M * N + N, 0.0);
    std::copy(b.begin(), b.end(), ofmap.begin() + M * N);
    Simulator sim(true);
    sim.setDram(Buffer::Ifmap, encodeWords(ElementType::F32, x));
    sim.setDram(Buffer::Filter, encodeWords(ElementType::F32, w));
    sim.setDram(Buffer::Ofmap, encodeWords(ElementType::F32, ofmap));
    sim.run(*plan);
    const std::vector<double> out = decodeWords(ElementType::F32, sim.dramData(Buffer::Ofmap));
    for (uint64_t m = 0; m < M; ++m)
      for (uint64_t n = 0; n < N; ++n) {
        double want = b[n];
        for (uint64_t k = 0; k < K; ++k)
          want += x[m * K + k] * w[k * N + n];
        EXPECT_NEAR(out[m * N + n], want, 1e-5 * (1 + std::fabs(want))) << name(df);
      }
  }
}

// The binary vector ops take the upstream gradient (or add's first tensor)
// as the tile and their second tensor after it in the ofmap region, chunked
// through an SRAM that holds a few rows of both; against fp64 formulas.
TEST(Systolic, VectorUnitComputesGradientsAndElementwiseOps) {
  const uint64_t rows = 13, cols = 24;
  std::mt19937 rng(6);
  std::uniform_real_distribution<float> real(-2, 2);
  std::vector<double> dy(rows * cols), x(rows * cols), y(rows * cols);
  for (auto *v : {&dy, &x})
    for (double &e : *v)
      e = real(rng);
  for (uint64_t r = 0; r < rows; ++r) { // y: a softmax output (positive rows summing to 1)
    double sum = 0;
    for (uint64_t c = 0; c < cols; ++c)
      sum += y[r * cols + c] = std::exp(x[r * cols + c]);
    for (uint64_t c = 0; c < cols; ++c)
      y[r * cols + c] /= sum;
  }
  const double pi = std::acos(-1.0);
  auto phi = [&](double v) { return 0.5 * std::erfc(-v / std::sqrt(2.0)); };
  Machine machine{Dataflow::WeightStationary, ElementType::F32, 8, 8, {1024, 1024, 256}};
  struct Case {
    VectorOp op;
    const std::vector<double> *second;
    std::function<double(uint64_t r, uint64_t c)> want;
  };
  std::vector<Case> cases = {
      {VectorOp::Add, &x, [&](uint64_t r, uint64_t c) { return dy[r * cols + c] + x[r * cols + c]; }},
      {VectorOp::ReluGrad, &x,
       [&](uint64_t r, uint64_t c) { return x[r * cols + c] > 0 ? dy[r * cols + c] : 0.0; }},
      {VectorOp::GeluGrad, &x,
       [&](uint64_t r, uint64_t c) {
         double v = x[r * cols + c];
         return dy[r * cols + c] * (phi(v) + v * std::exp(-v * v / 2) / std::sqrt(2 * pi));
       }},
      {VectorOp::SoftmaxGrad, &y,
       [&](uint64_t r, uint64_t c) {
         double dot = 0;
         for (uint64_t k = 0; k < cols; ++k)
           dot += dy[r * cols + k] * y[r * cols + k];
         return y[r * cols + c] * (dy[r * cols + c] - dot);
       }},
      {VectorOp::Gelu, nullptr,
       [&](uint64_t r, uint64_t c) { return dy[r * cols + c] * phi(dy[r * cols + c]); }},
      {VectorOp::Scale, nullptr, [&](uint64_t r, uint64_t c) { return 0.25 * dy[r * cols + c]; }},
  };
  for (const Case &k : cases) {
    Plan plan = planVector({k.op, rows, cols, 0.25f}, machine);
    ASSERT_TRUE(plan) << plan.error();
    std::vector<double> dram = dy;
    if (k.second)
      dram.insert(dram.end(), k.second->begin(), k.second->end());
    Simulator sim(true);
    sim.setDram(Buffer::Ofmap, encodeWords(ElementType::F32, dram));
    Report report = sim.run(*plan);
    // One pass (two for softmax's gradient) per row, ceil(24 / 8) cycles each.
    EXPECT_EQ(report.totalCycles + 1, (k.op == VectorOp::SoftmaxGrad ? 2 : 1) * rows * 3)
        << name(k.op);
    const std::vector<double> out = decodeWords(ElementType::F32, sim.dramData(Buffer::Ofmap));
    for (uint64_t r = 0; r < rows; ++r)
      for (uint64_t c = 0; c < cols; ++c) {
        double want = k.want(r, c);
        EXPECT_NEAR(out[r * cols + c], want, 1e-6 * (1 + std::fabs(want))) << name(k.op);
      }
  }
}

// Per-tensor symmetric quantisation onto an int8 array: the int32 products
// are exact, and every dequantised element stays within the analytic bound
// of Quantize.h against the fp64 product of the float operands.
TEST(Systolic, Int8GemmStaysWithinTheQuantisationBound) {
  const uint64_t M = 23, N = 17, K = 300;
  std::mt19937 rng(8);
  std::normal_distribution<float> normal(0, 1);
  std::vector<float> a(M * K), b(K * N);
  for (float &x : a)
    x = normal(rng);
  for (float &x : b)
    x = 0.05f * normal(rng);
  const double sa = symmetricScale(a.data(), a.size()), sb = symmetricScale(b.data(), b.size());
  std::vector<double> qa(a.size()), qb(b.size());
  for (size_t i = 0; i < a.size(); ++i)
    qa[i] = quantize(a[i], sa);
  for (size_t i = 0; i < b.size(); ++i)
    qb[i] = quantize(b[i], sb);
  for (Dataflow df : kDataflows) {
    Machine machine{df, ElementType::I8, 16, 8, {4096, 4096, 4096}};
    Plan plan = planGemm({M, N, K}, machine);
    ASSERT_TRUE(plan) << plan.error();
    Simulator sim(true);
    sim.setDram(Buffer::Ifmap, encodeWords(ElementType::I8, qa));
    sim.setDram(Buffer::Filter, encodeWords(ElementType::I8, qb));
    sim.run(*plan);
    const std::vector<double> out = decodeWords(ElementType::I8, sim.dramData(Buffer::Ofmap));
    double worstShare = 0;
    for (uint64_t i = 0; i < M; ++i)
      for (uint64_t j = 0; j < N; ++j) {
        double exactInt = 0, exact = 0;
        for (uint64_t k = 0; k < K; ++k) {
          exactInt += qa[i * K + k] * qb[k * N + j];
          exact += double(a[i * K + k]) * b[k * N + j];
        }
        ASSERT_EQ(out[i * N + j], exactInt) << name(df);
        double error = std::fabs(out[i * N + j] * sa * sb - exact);
        double bound = gemmErrorBound(a.data(), b.data(), K, N, i, j, sa, sb);
        ASSERT_LE(error, bound) << name(df) << " (" << i << ", " << j << ")";
        worstShare = std::max(worstShare, error / bound);
      }
    // The bound is not vacuous: errors reach a visible share of it.
    EXPECT_GT(worstShare, 0.01) << name(df);
  }
}

TEST(Systolic, BatchedGemmsRunOnConsecutiveDramSlices) {
  // Three 13x9 · 9x6 GEMMs in one stream: each batch element's result equals
  // its own fp64 product, and the cycles are three times one GEMM's.
  const uint64_t batch = 3, M = 13, N = 6, K = 9;
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> real(-1, 1);
  std::vector<double> a(batch * M * K), b(batch * K * N);
  for (auto *v : {&a, &b})
    for (double &x : *v)
      x = real(rng);
  for (Dataflow df : kDataflows) {
    Machine machine{df, ElementType::F32, 4, 4, {2048, 2048, 2048}};
    Plan batched = planGemm({M, N, K, batch}, machine);
    Plan single = planGemm({M, N, K, 1}, machine);
    ASSERT_TRUE(batched) << batched.error();
    Simulator sim(true);
    sim.setDram(Buffer::Ifmap, encodeWords(ElementType::F32, a));
    sim.setDram(Buffer::Filter, encodeWords(ElementType::F32, b));
    Report report = sim.run(*batched);
    Report one = Simulator(false).run(*single);
    EXPECT_EQ(report.totalCycles + 1, batch * (one.totalCycles + 1)) << name(df);
    const std::vector<double> out = decodeWords(ElementType::F32, sim.dramData(Buffer::Ofmap));
    for (uint64_t e = 0; e < batch; ++e)
      for (uint64_t m = 0; m < M; ++m)
        for (uint64_t n = 0; n < N; ++n) {
          double want = 0;
          for (uint64_t k = 0; k < K; ++k)
            want += a[e * M * K + m * K + k] * b[e * K * N + k * N + n];
          EXPECT_NEAR(out[e * M * N + m * N + n], want, 1e-5 * (1 + std::fabs(want)))
              << name(df) << " batch " << e;
        }
  }
}

TEST(Systolic, VectorUnitComputesSoftmaxAndLayerNorm) {
  // 20 rows of 40 through a 1 kB ofmap SRAM (several chunks), against fp64.
  const uint64_t rows = 20, cols = 40;
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> real(-3, 3);
  std::vector<double> x(rows * cols), gamma(cols), beta(cols);
  for (double &v : x)
    v = real(rng);
  for (uint64_t c = 0; c < cols; ++c) {
    gamma[c] = 0.5 + 0.01 * c;
    beta[c] = -0.2 + 0.02 * c;
  }
  Machine machine{Dataflow::WeightStationary, ElementType::F32, 8, 8, {1024, 1024, 1024}};
  for (VectorOp op : {VectorOp::Softmax, VectorOp::LayerNorm}) {
    Plan plan = planVector({op, rows, cols, 1e-5f}, machine);
    ASSERT_TRUE(plan) << plan.error();
    std::vector<double> dram = x;
    if (op == VectorOp::LayerNorm) {
      dram.insert(dram.end(), gamma.begin(), gamma.end());
      dram.insert(dram.end(), beta.begin(), beta.end());
    }
    Simulator sim(true);
    sim.setDram(Buffer::Ofmap, encodeWords(ElementType::F32, dram));
    Report report = sim.run(*plan);
    // Three passes over every row, ceil(40 / 8 lanes) = 5 cycles per row and pass.
    EXPECT_EQ(report.totalCycles + 1, 3 * rows * 5) << name(op);
    const std::vector<double> out = decodeWords(ElementType::F32, sim.dramData(Buffer::Ofmap));
    for (uint64_t r = 0; r < rows; ++r) {
      const double *row = x.data() + r * cols;
      double mx = *std::max_element(row, row + cols), sum = 0, mean = 0, var = 0;
      for (uint64_t c = 0; c < cols; ++c) {
        sum += std::exp(row[c] - mx);
        mean += row[c] / cols;
      }
      for (uint64_t c = 0; c < cols; ++c)
        var += (row[c] - mean) * (row[c] - mean) / cols;
      for (uint64_t c = 0; c < cols; ++c) {
        double want = op == VectorOp::Softmax
                          ? std::exp(row[c] - mx) / sum
                          : (row[c] - mean) / std::sqrt(var + 1e-5) * gamma[c] + beta[c];
        EXPECT_NEAR(out[r * cols + c], want, 1e-6 * (1 + std::fabs(want))) << name(op);
      }
    }
  }
  // A row that cannot fit half of the ofmap SRAM is refused as a value.
  EXPECT_EQ(planVector({VectorOp::Softmax, 2, 600, 0}, machine).error(),
            "a 600-word row does not fit half of the ofmap SRAM (512 words per row after a "
            "0-word block)");
}
