//===- SystolicTest.cpp - systolic-array simulator ------------------------===//

#include "hardware/systolic/Planner.h"
#include "hardware/systolic/Quantize.h"
#include "hardware/systolic/Stream.h"
#include "runtime/core/Error.h"
#include "runtime/host/Kernels.h"
#include "runtime/systolic/Simulator.h"
#include "runtime/systolic/Topology.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
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

TEST(Systolic, CountingAStreamEqualsRunningIt) {
  // countStream (the compiler's cost model) and the timing-only simulator
  // count the same, instruction by instruction; on OS 8x8 the product is
  // SCALE-Sim v2's 290815-cycle GEMM.
  for (Dataflow df : kDataflows) {
    const Machine machine{df, ElementType::F32, 8, 8, {4096, 4096, 4096}};
    std::vector<Stream> streams = {
        orThrow(planGemm({128, 1024, 128}, machine)),
        orThrow(planGemm({45, 70, 33, 1, true}, machine)),
        orThrow(planGemm({20, 30, 17, 3}, machine)),
        orThrow(planVector({VectorOp::LayerNorm, 12, 40, 1e-5f}, machine)),
        orThrow(planVector({VectorOp::Adam, 9, 30, 0}, machine))};
    for (const Stream &stream : streams) {
      Report run = Simulator(false).run(stream);
      hpt::hw::Expected<Counts> counted = countStream(stream, "planned");
      ASSERT_TRUE(counted) << counted.error();
      EXPECT_EQ(counted->cycles, run.cycles) << name(df);
      EXPECT_EQ(counted->macs, run.macs);
      EXPECT_EQ(counted->vectorElementOps, run.vectorElementOps);
      for (int b = 0; b < 3; ++b) {
        EXPECT_EQ(counted->sramReads[b], run.sramReads[b]);
        EXPECT_EQ(counted->sramWrites[b], run.sramWrites[b]);
        EXPECT_EQ(counted->dramReads[b], run.dramReads[b]);
        EXPECT_EQ(counted->dramWrites[b], run.dramWrites[b]);
      }
    }
    if (df == Dataflow::OutputStationary) {
      EXPECT_EQ(orThrow(countStream(streams[0], "os")).cycles, 290815u + 1);
    }
  }
  Stream bad;
  bad.instructions.push_back(Instruction{});
  bad.instructions[0].opcode = Opcode::Compute;
  hpt::hw::Expected<Counts> refused = countStream(bad, "bad.sa");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().find("bad.sa: instruction 0 (compute): runs before any CONFIG"), std::string::npos)
      << refused.error();
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
// Plans read from a bundle are untrusted: sizes near 2^64, whose chunk
// counts would wrap in 64 bits, are refused by the instruction count before
// any stream is built (they used to hang the reader).
TEST(Systolic, PlansWhoseCountsWouldWrapAreRefusedBeforeTheyAreBuilt) {
  const Machine machine{Dataflow::WeightStationary, ElementType::F32, 4, 4, {256, 256, 256}};
  const uint64_t huge = UINT64_MAX;
  for (Dataflow df : kDataflows) {
    Machine m = machine;
    m.dataflow = df;
    for (const GemmShape &g : {GemmShape{1, 1, huge}, GemmShape{huge, 1, 1}, GemmShape{1, huge, 1}}) {
      // K near 2^64 wraps the chunk count; M or N that large the result size.
      Plan plan = planGemm(g, m, 1 << 20);
      ASSERT_FALSE(plan) << name(df);
      const std::string expected =
          g.K == huge ? "instructions, more than the limit" : "more elements than fit 64 bits";
      EXPECT_NE(plan.error().find(expected), std::string::npos) << plan.error();
    }
  }
  Plan rows = planVector({VectorOp::Relu, huge, 1, 0}, machine, 1 << 20);
  ASSERT_FALSE(rows);
  EXPECT_NE(rows.error().find("instructions, more than the limit"), std::string::npos)
      << rows.error();
}

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

namespace {

std::vector<float> randomFloats(std::mt19937 &rng, uint64_t count, float lo, float hi) {
  std::uniform_real_distribution<float> real(lo, hi);
  std::vector<float> v(count);
  for (float &x : v)
    x = real(rng);
  return v;
}

std::vector<float> concat(std::initializer_list<const std::vector<float> *> parts) {
  std::vector<float> out;
  for (const std::vector<float> *p : parts)
    out.insert(out.end(), p->begin(), p->end());
  return out;
}

std::vector<float> slice(const std::vector<float> &v, uint64_t at, uint64_t count) {
  return std::vector<float>(v.begin() + at, v.begin() + at + count);
}

/// "" when `a` and `b` hold the same bits, else the first element that
/// differs (so that -0 and 0, or two NaNs, count as what they are).
std::string firstDifference(const std::vector<float> &a, const std::vector<float> &b) {
  if (a.size() != b.size())
    return "sizes " + std::to_string(a.size()) + " and " + std::to_string(b.size());
  for (size_t i = 0; i < a.size(); ++i)
    if (std::memcmp(&a[i], &b[i], sizeof(float)) != 0)
      return "element " + std::to_string(i) + ": " + std::to_string(a[i]) + " vs " +
             std::to_string(b[i]);
  return "";
}

/// Plans a vector pass, runs it instruction by instruction on `ofmap` laid
/// out as the planner expects, and returns the ofmap region afterwards.
std::vector<float> runVectorPass(const VectorShape &shape, const Machine &machine,
                                 std::vector<float> ofmap, Report *report = nullptr,
                                 uint64_t *vectorInstructions = nullptr) {
  Stream stream = orThrow(planVector(shape, machine));
  if (vectorInstructions)
    *vectorInstructions = std::count_if(
        stream.instructions.begin(), stream.instructions.end(),
        [](const Instruction &i) { return i.opcode == Opcode::Vector; });
  Simulator sim(true);
  sim.setDram(Buffer::Ofmap, std::move(ofmap));
  Report r = sim.run(stream);
  if (report)
    *report = r;
  return sim.dramData(Buffer::Ofmap);
}

} // namespace

// The training ops of the vector unit against independent references: layer
// norm's gradient against its fp64 closed form, dropout (a Mul by
// dropoutNoise) against the host's dropout bit for bit, and the optimizer
// steps against the host's sgdUpdate/adamUpdate (themselves checked against
// PyTorch in HostKernelsTest) bit for bit: both evaluate Isa.h's formulas in
// the same fp32 operations in the same order (no FMA contraction), so they
// agree exactly. A 512-word ofmap SRAM splits 13 rows into several chunks, so
// the sums and the optimizer state cross chunk boundaries.
TEST(Systolic, VectorUnitRunsLayerNormGradDropoutAndOptimizers) {
  const uint64_t rows = 13, cols = 24, n = rows * cols;
  const uint64_t cyclesPerRowPass = (cols + 7) / 8; // Timing.cpp: ceil(cols / arrayCols)
  Machine machine{Dataflow::WeightStationary, ElementType::F32, 8, 8, {1024, 1024, 512}};
  std::mt19937 rng(21);
  const std::vector<float> dy = randomFloats(rng, n, -1, 1), x = randomFloats(rng, n, -3, 3);
  const std::vector<float> gamma = randomFloats(rng, cols, 0.5f, 1.5f);

  { // Layer norm's gradient. dgamma and dbeta start as garbage: the first
    // chunk's `first` must zero them, later chunks add to them.
    const float eps = 1e-5f;
    const std::vector<float> garbage(2 * cols, 123.0f);
    Report report;
    uint64_t chunks = 0;
    const std::vector<float> out =
        runVectorPass({VectorOp::LayerNormGrad, rows, cols, eps}, machine,
                      concat({&dy, &x, &gamma, &garbage}), &report, &chunks);
    EXPECT_GT(chunks, 2u);
    std::vector<double> dgamma(cols, 0.0), dbeta(cols, 0.0);
    for (uint64_t r = 0; r < rows; ++r) {
      const float *xr = x.data() + r * cols, *dyr = dy.data() + r * cols;
      double mean = 0, var = 0;
      for (uint64_t c = 0; c < cols; ++c)
        mean += double(xr[c]) / cols;
      for (uint64_t c = 0; c < cols; ++c)
        var += (xr[c] - mean) * (xr[c] - mean) / cols; // biased
      const double rstd = 1 / std::sqrt(var + double(eps));
      double meanG = 0, meanGX = 0; // mean(g), mean(g·x̂) for g = dy·γ
      for (uint64_t c = 0; c < cols; ++c) {
        const double g = double(dyr[c]) * gamma[c], xhat = (xr[c] - mean) * rstd;
        meanG += g / cols;
        meanGX += g * xhat / cols;
      }
      for (uint64_t c = 0; c < cols; ++c) {
        const double g = double(dyr[c]) * gamma[c], xhat = (xr[c] - mean) * rstd;
        const double dx = rstd * (g - meanG - xhat * meanGX);
        EXPECT_NEAR(out[r * cols + c], dx, 1e-5 * (1 + std::fabs(dx))) << "dx " << r << "," << c;
        dgamma[c] += dyr[c] * xhat;
        dbeta[c] += dyr[c];
      }
    }
    for (uint64_t c = 0; c < cols; ++c) {
      EXPECT_NEAR(out[2 * n + cols + c], dgamma[c], 1e-5 * (1 + std::fabs(dgamma[c]))) << c;
      EXPECT_NEAR(out[2 * n + 2 * cols + c], dbeta[c], 1e-5 * (1 + std::fabs(dbeta[c]))) << c;
    }
    // x and gamma are only read.
    EXPECT_EQ(firstDifference(slice(out, n, n + cols), concat({&x, &gamma})), "");
    // Four passes (mean, variance, the two sums, dx) per row.
    EXPECT_EQ(report.totalCycles + 1, 4 * rows * cyclesPerRowPass);
  }

  { // Dropout as x · noise: the host's mask and scale, bit for bit.
    const float p = 0.25f;
    const uint64_t seed = 1234, step = 7;
    std::vector<float> noise(n), want(n);
    hpt::rt::dropoutNoise(noise.data(), n, p, seed, step);
    hpt::rt::dropout(x.data(), want.data(), n, p, seed, step);
    const uint64_t dropped = std::count(noise.begin(), noise.end(), 0.0f);
    EXPECT_GT(dropped, n / 10); // the mask is neither empty nor full
    EXPECT_LT(dropped, n / 2);
    const std::vector<float> out =
        runVectorPass({VectorOp::Mul, rows, cols, 0}, machine, concat({&x, &noise}));
    EXPECT_EQ(firstDifference(slice(out, 0, n), want), "");
  }

  const std::vector<float> w0 = randomFloats(rng, n, -1, 1), g = randomFloats(rng, n, -1, 1);
  const std::vector<float> buf0 = randomFloats(rng, n, -0.5f, 0.5f);
  const std::vector<float> m0 = randomFloats(rng, n, -0.1f, 0.1f);
  const std::vector<float> v0 = randomFloats(rng, n, 0, 0.01f);

  { // Plain SGD with weight decay.
    const hpt::rt::SgdCoefficients k = hpt::rt::sgdCoefficients(0.1f, 0, 0, 0.01f, false, 3);
    std::vector<float> block(kSgdWords);
    block[kSgdNegLr] = k.negLr;
    block[kSgdWeightDecay] = k.weightDecay;
    const std::vector<float> out =
        runVectorPass({VectorOp::Sgd, rows, cols, 0}, machine, concat({&w0, &g, &block}));
    std::vector<float> w = w0;
    hpt::rt::sgdUpdate(w.data(), g.data(), nullptr, n, k);
    EXPECT_EQ(firstDifference(slice(out, 0, n), w), "") << "sgd";
  }

  // SGD with momentum: the first step sets the buffer to the gradient, a
  // later one decays it; Nesterov on and off (dampening only without it, as
  // PyTorch requires).
  for (bool nesterov : {false, true})
    for (int64_t step : {1, 4}) {
      const hpt::rt::SgdCoefficients k =
          hpt::rt::sgdCoefficients(0.05f, 0.9f, nesterov ? 0 : 0.1f, 0.01f, nesterov, step);
      std::vector<float> block(kSgdMomentumWords);
      block[kMomentumNegLr] = k.negLr;
      block[kMomentumMomentum] = k.momentum;
      block[kMomentumOneMinusDampening] = k.oneMinusDampening;
      block[kMomentumWeightDecay] = k.weightDecay;
      block[kMomentumNesterov] = k.nesterov ? 1 : 0;
      block[kMomentumFirst] = k.first ? 1 : 0;
      const std::vector<float> out = runVectorPass({VectorOp::SgdMomentum, rows, cols, 0}, machine,
                                                   concat({&w0, &g, &buf0, &block}));
      std::vector<float> w = w0, buf = buf0;
      hpt::rt::sgdUpdate(w.data(), g.data(), buf.data(), n, k);
      EXPECT_EQ(firstDifference(slice(out, 0, n), w), "") << nesterov << " step " << step;
      EXPECT_EQ(firstDifference(slice(out, 2 * n, n), buf), "") << nesterov << " step " << step;
    }

  // AdamW (decoupled decay) and Adam (L2 on the gradient), at step 5 so the
  // bias corrections matter.
  for (bool decoupled : {true, false}) {
    const hpt::rt::AdamCoefficients k =
        hpt::rt::adamCoefficients(1e-3f, 0.9, 0.999, 1e-8, 0.01, decoupled, 5);
    std::vector<float> block(kAdamWords);
    block[kAdamBeta1] = k.beta1;
    block[kAdamOneMinusBeta1] = k.oneMinusBeta1;
    block[kAdamBeta2] = k.beta2;
    block[kAdamOneMinusBeta2] = k.oneMinusBeta2;
    block[kAdamNegStepSize] = k.negStepSize;
    block[kAdamSqrtBias2] = k.sqrtBias2;
    block[kAdamEps] = k.eps;
    block[kAdamDecay] = k.decay;
    block[kAdamL2] = k.l2;
    Report report;
    uint64_t chunks = 0;
    const std::vector<float> out =
        runVectorPass({VectorOp::Adam, rows, cols, 0}, machine,
                      concat({&w0, &g, &m0, &v0, &block}), &report, &chunks);
    EXPECT_GT(chunks, 2u);
    std::vector<float> w = w0, m = m0, v = v0;
    hpt::rt::adamUpdate(w.data(), g.data(), m.data(), v.data(), n, k);
    EXPECT_EQ(firstDifference(slice(out, 0, n), w), "") << "decoupled " << decoupled;
    EXPECT_EQ(firstDifference(slice(out, 2 * n, n), m), "") << "decoupled " << decoupled;
    EXPECT_EQ(firstDifference(slice(out, 3 * n, n), v), "") << "decoupled " << decoupled;
    // Two passes (the moments, then the step) per row.
    EXPECT_EQ(report.totalCycles + 1, 2 * rows * cyclesPerRowPass);
  }
}

namespace {

/// `batch` row-major rows x cols matrices stored transposed (each cols x
/// rows), as a transposed DramMapping reads them.
std::vector<float> transposedStorage(const std::vector<float> &view, uint64_t batch,
                                     uint64_t rows, uint64_t cols) {
  std::vector<float> storage(view.size());
  for (uint64_t e = 0; e < batch; ++e)
    for (uint64_t i = 0; i < rows; ++i)
      for (uint64_t j = 0; j < cols; ++j)
        storage[e * rows * cols + j * rows + i] = view[e * rows * cols + i * cols + j];
  return storage;
}

DramMapping readOnly(std::vector<float> &storage, uint64_t offset, const char *name,
                     bool transposed = false, uint64_t rows = 0, uint64_t cols = 0) {
  return {offset, storage.size(), storage.data(), false, transposed, rows, cols, name};
}

DramMapping writable(std::vector<float> &storage, uint64_t offset, const char *name) {
  return {offset, storage.size(), storage.data(), true, false, 0, 0, name};
}

} // namespace

// Simulator::runPlanned computes a planned stream's results on the mapped
// tensors without walking the stream; it must give run()'s bits exactly and
// the timing-only run's report. GEMMs on every dataflow, on arrays and SRAMs
// small enough for several row and column folds (ragged ones too), several K
// blocks (K > array rows) and several chunks, with and without bias, batched,
// and with either operand mapped transposed; then every vector op the planner
// plans, its state and block written through their own mappings, and the
// optimizers on one-column tensors (coefficient blocks of whole rows); then
// tensors not mapped whole, which must go through run().
TEST(Systolic, PlannedRunsEqualInstructionRunsBitForBit) {
  std::mt19937 rng(17);
  const GemmShape shapes[] = {{13, 11, 19, 1, false}, {13, 11, 19, 1, true}, {7, 6, 10, 3, false}};
  for (Dataflow df : kDataflows)
    for (auto [R, C] : {std::pair<uint32_t, uint32_t>{4, 4}, {8, 4}})
      for (const GemmShape &shape : shapes)
        for (bool aT : {false, true})
          for (bool bT : {false, true}) {
            const uint64_t M = shape.M, N = shape.N, K = shape.K, batch = shape.batch;
            // 64-word SRAMs: chunks of 4 to 8 streamed lines, the bias pass
            // two rows at a time.
            Machine machine{df, ElementType::F32, R, C, {64, 64, 64}};
            std::string what = std::string(name(df)) + " " + std::to_string(R) + "x" +
                               std::to_string(C) + " batch " + std::to_string(batch) +
                               (shape.bias ? " bias" : "") + (aT ? " ifmapT" : "") +
                               (bT ? " filterT" : "");
            Plan plan = planGemm(shape, machine);
            ASSERT_TRUE(plan) << what << ": " << plan.error();
            const Report counted = Simulator(false).run(*plan);
            const std::vector<float> a = randomFloats(rng, batch * M * K, -1, 1),
                                     b = randomFloats(rng, batch * K * N, -1, 1);
            std::vector<float> bias = randomFloats(rng, N, -1, 1);
            std::vector<float> aStore = aT ? transposedStorage(a, batch, M, K) : a;
            std::vector<float> bStore = bT ? transposedStorage(b, batch, K, N) : b;
            // Both outputs start as the same garbage: every word must be written.
            std::vector<float> byRun(batch * M * N, 777.0f), byPlan = byRun;
            auto map = [&](Simulator &sim, std::vector<float> &out) {
              sim.mapDram(Buffer::Ifmap, {readOnly(aStore, 0, "ifmap", aT, M, K)});
              sim.mapDram(Buffer::Filter, {readOnly(bStore, 0, "filter", bT, K, N)});
              std::vector<DramMapping> ofmap{writable(out, 0, "ofmap")};
              if (shape.bias)
                ofmap.push_back(readOnly(bias, M * N, "bias"));
              sim.mapDram(Buffer::Ofmap, ofmap);
            };
            Simulator walked(true), planned(true);
            map(walked, byRun);
            const Report walkedReport = walked.run(*plan, what);
            map(planned, byPlan);
            const Report plannedReport = planned.runPlanned(*plan, shape, counted, what);
            EXPECT_EQ(firstDifference(byRun, byPlan), "") << what;
            EXPECT_EQ(walkedReport.totalCycles, counted.totalCycles) << what;
            EXPECT_EQ(plannedReport.totalCycles, counted.totalCycles) << what;
            // And both are the product (fp64 reference, loosely): equal
            // garbage would be equal bits too.
            for (uint64_t e = 0; e < batch; ++e)
              for (uint64_t m = 0; m < M; ++m)
                for (uint64_t j = 0; j < N; ++j) {
                  double want = shape.bias ? bias[j] : 0.0;
                  for (uint64_t k = 0; k < K; ++k)
                    want += double(a[e * M * K + m * K + k]) * b[e * K * N + k * N + j];
                  ASSERT_NEAR(byRun[e * M * N + m * N + j], want, 1e-5 * (1 + std::fabs(want)))
                      << what;
                }
          }

  // Every vector op planVector accepts (add_row comes with a GEMM's bias,
  // above), 13 rows of 24 through a 512-word ofmap SRAM.
  const uint64_t rows = 13, cols = 24, n = rows * cols;
  Machine machine{Dataflow::WeightStationary, ElementType::F32, 8, 8, {1024, 1024, 512}};
  const hpt::rt::SgdCoefficients sgd = hpt::rt::sgdCoefficients(0.05f, 0.9f, 0, 0.01f, true, 3);
  const hpt::rt::AdamCoefficients adam =
      hpt::rt::adamCoefficients(1e-3f, 0.9, 0.999, 1e-8, 0.01, true, 3);
  size_t ops = 0;
  for (uint64_t raw = 0;; ++raw) {
    VectorOp op;
    if (!fromRaw(raw, op))
      break;
    if (op == VectorOp::AddRow)
      continue;
    ++ops;
    const uint64_t tiles = operandTiles(op), state = stateTiles(op);
    const float scalar = op == VectorOp::Scale ? 0.75f : 1e-5f;
    const VectorShape shape{op, rows, cols, scalar};
    Plan plan = planVector(shape, machine);
    ASSERT_TRUE(plan) << name(op) << ": " << plan.error();
    const Report counted = Simulator(false).run(*plan);
    // The tensors, in the order of the ofmap region: the tile, the operand
    // tiles, the block's pieces.
    std::vector<std::vector<float>> tensors{randomFloats(rng, n, -2, 2)};
    for (uint64_t k = 0; k < tiles; ++k) // Adam's v (the last tile) is non-negative
      tensors.push_back(randomFloats(rng, n, op == VectorOp::Adam && k == 2 ? 0 : -2, 2));
    std::vector<bool> written{true};
    for (uint64_t k = 0; k < tiles; ++k)
      written.push_back(k + state >= tiles);
    if (op == VectorOp::LayerNorm) { // gamma, beta
      tensors.push_back(randomFloats(rng, cols, 0.5f, 1.5f));
      tensors.push_back(randomFloats(rng, cols, -1, 1));
      written.insert(written.end(), {false, false});
    } else if (op == VectorOp::LayerNormGrad) { // gamma, dgamma and dbeta (garbage)
      tensors.push_back(randomFloats(rng, cols, 0.5f, 1.5f));
      tensors.push_back(std::vector<float>(cols, 123.0f));
      tensors.push_back(std::vector<float>(cols, -45.0f));
      written.insert(written.end(), {false, true, true});
    } else if (op == VectorOp::Sgd) {
      tensors.push_back({sgd.negLr, sgd.weightDecay});
      written.push_back(false);
    } else if (op == VectorOp::SgdMomentum) {
      tensors.push_back({sgd.negLr, sgd.momentum, sgd.oneMinusDampening, sgd.weightDecay,
                         sgd.nesterov ? 1.0f : 0.0f, sgd.first ? 1.0f : 0.0f});
      written.push_back(false);
    } else if (op == VectorOp::Adam) {
      tensors.push_back({adam.beta1, adam.oneMinusBeta1, adam.beta2, adam.oneMinusBeta2,
                         adam.negStepSize, adam.sqrtBias2, adam.eps, adam.decay, adam.l2});
      written.push_back(false);
    }
    uint64_t words = 0;
    for (const auto &t : tensors)
      words += t.size();
    ASSERT_EQ(words, n * (1 + tiles) + blockWords(op, cols)) << name(op);
    auto map = [&](Simulator &sim, std::vector<std::vector<float>> &data) {
      std::vector<DramMapping> mappings;
      uint64_t offset = 0;
      for (size_t t = 0; t < data.size(); ++t) {
        mappings.push_back(written[t] ? writable(data[t], offset, "written")
                                      : readOnly(data[t], offset, "read"));
        offset += data[t].size();
      }
      sim.mapDram(Buffer::Ofmap, mappings);
    };
    std::vector<std::vector<float>> byRun = tensors, byPlan = tensors;
    Simulator walked(true), planned(true);
    map(walked, byRun);
    const Report walkedReport = walked.run(*plan, name(op));
    map(planned, byPlan);
    const Report plannedReport = planned.runPlanned(*plan, shape, counted, name(op));
    for (size_t t = 0; t < tensors.size(); ++t) {
      EXPECT_EQ(firstDifference(byRun[t], byPlan[t]), "") << name(op) << " tensor " << t;
      if (written[t]) { // the op did something (else both could do nothing alike)
        EXPECT_NE(firstDifference(byRun[t], tensors[t]), "") << name(op) << " tensor " << t;
      }
    }
    EXPECT_EQ(walkedReport.totalCycles, counted.totalCycles) << name(op);
    EXPECT_EQ(plannedReport.totalCycles, counted.totalCycles) << name(op);
  }
  EXPECT_EQ(ops, 14u);

  // One-column tensors: the optimizers' coefficient blocks (2, 6, 9 words)
  // are then whole numbers of rows, yet still one block of coefficients.
  for (VectorOp op : {VectorOp::Sgd, VectorOp::SgdMomentum, VectorOp::Adam}) {
    const uint64_t tiles = operandTiles(op), state = stateTiles(op), narrow = 7;
    const VectorShape shape{op, narrow, 1, 0};
    Plan plan = planVector(shape, machine);
    ASSERT_TRUE(plan) << name(op) << ": " << plan.error();
    const Report counted = Simulator(false).run(*plan);
    std::vector<std::vector<float>> tensors;
    for (uint64_t k = 0; k <= tiles; ++k)
      tensors.push_back(randomFloats(rng, narrow, k == 3 ? 0 : -1, 1)); // Adam's v >= 0
    if (op == VectorOp::Sgd)
      tensors.push_back({sgd.negLr, sgd.weightDecay});
    else if (op == VectorOp::SgdMomentum)
      tensors.push_back({sgd.negLr, sgd.momentum, sgd.oneMinusDampening, sgd.weightDecay,
                         sgd.nesterov ? 1.0f : 0.0f, sgd.first ? 1.0f : 0.0f});
    else
      tensors.push_back({adam.beta1, adam.oneMinusBeta1, adam.beta2, adam.oneMinusBeta2,
                         adam.negStepSize, adam.sqrtBias2, adam.eps, adam.decay, adam.l2});
    auto map = [&](Simulator &sim, std::vector<std::vector<float>> &data) {
      std::vector<DramMapping> mappings;
      for (uint64_t k = 0; k <= tiles; ++k)
        mappings.push_back(k == 0 || k + state > tiles ? writable(data[k], k * narrow, "written")
                                                        : readOnly(data[k], k * narrow, "grad"));
      mappings.push_back(readOnly(data.back(), (1 + tiles) * narrow, "coefficients"));
      sim.mapDram(Buffer::Ofmap, mappings);
    };
    std::vector<std::vector<float>> byRun = tensors, byPlan = tensors;
    Simulator walked(true), planned(true);
    map(walked, byRun);
    walked.run(*plan, name(op));
    map(planned, byPlan);
    const Report plannedReport = planned.runPlanned(*plan, shape, counted, name(op));
    for (size_t t = 0; t < tensors.size(); ++t)
      EXPECT_EQ(firstDifference(byRun[t], byPlan[t]), "") << name(op) << " narrow, tensor " << t;
    EXPECT_NE(firstDifference(byRun[0], tensors[0]), "") << name(op);
    EXPECT_EQ(plannedReport.totalCycles, counted.totalCycles) << name(op);
  }

  // Not mapped whole: runPlanned goes through run(). `counted` is made wrong
  // on purpose: a run that walked the stream reports its own cycles.
  {
    const GemmShape shape{13, 11, 19, 1, true};
    Machine gemmMachine{Dataflow::WeightStationary, ElementType::F32, 4, 4, {64, 64, 64}};
    Plan plan = planGemm(shape, gemmMachine);
    ASSERT_TRUE(plan) << plan.error();
    const Report counted = Simulator(false).run(*plan);
    Report wrong = counted;
    wrong.totalCycles += 1000;
    std::vector<float> a = randomFloats(rng, 13 * 19, -1, 1), b = randomFloats(rng, 19 * 11, -1, 1);
    std::vector<float> bias = randomFloats(rng, 11, -1, 1);
    std::vector<float> aFirst = slice(a, 0, 100), aRest = slice(a, 100, a.size() - 100);
    // The ifmap as a copy in the region (setDram), or as two mappings.
    for (bool split : {false, true}) {
      std::vector<float> byRun(13 * 11, 777.0f), byPlan = byRun;
      auto map = [&](Simulator &sim, std::vector<float> &out) {
        if (split)
          sim.mapDram(Buffer::Ifmap, {readOnly(aFirst, 0, "ifmap[:100]"),
                                      readOnly(aRest, 100, "ifmap[100:]")});
        else
          sim.setDram(Buffer::Ifmap, a);
        sim.mapDram(Buffer::Filter, {readOnly(b, 0, "filter")});
        sim.mapDram(Buffer::Ofmap, {writable(out, 0, "ofmap"), readOnly(bias, 13 * 11, "bias")});
      };
      Simulator walked(true), planned(true);
      map(walked, byRun);
      walked.run(*plan);
      map(planned, byPlan);
      const Report report = planned.runPlanned(*plan, shape, wrong, "fallback");
      EXPECT_EQ(report.totalCycles, counted.totalCycles) << "split " << split;
      EXPECT_EQ(firstDifference(byRun, byPlan), "") << "split " << split;
      EXPECT_NE(byRun[0], 777.0f);
    }
    // A vector pass whose operand tile x lies in the region's own words.
    std::vector<float> dy = randomFloats(rng, n, -1, 1), x = randomFloats(rng, n, -2, 2);
    std::vector<float> gamma = randomFloats(rng, cols, 0.5f, 1.5f);
    std::vector<float> sums(2 * cols, 123.0f);
    std::vector<float> region(2 * n + 3 * cols, 0.0f);
    std::copy(x.begin(), x.end(), region.begin() + n);
    const VectorShape vshape{VectorOp::LayerNormGrad, rows, cols, 1e-5f};
    Plan vplan = planVector(vshape, machine);
    ASSERT_TRUE(vplan) << vplan.error();
    const Report vcounted = Simulator(false).run(*vplan);
    Report vwrong = vcounted;
    vwrong.totalCycles += 1000;
    std::vector<float> dyRun = dy, dyPlan = dy, sumsRun = sums, sumsPlan = sums;
    auto map = [&](Simulator &sim, std::vector<float> &tile, std::vector<float> &s) {
      sim.setDram(Buffer::Ofmap, region);
      sim.mapDram(Buffer::Ofmap, {writable(tile, 0, "dy"), readOnly(gamma, 2 * n, "gamma"),
                                  writable(s, 2 * n + cols, "dgamma, dbeta")});
    };
    Simulator walked(true), planned(true);
    map(walked, dyRun, sumsRun);
    walked.run(*vplan);
    map(planned, dyPlan, sumsPlan);
    const Report report = planned.runPlanned(*vplan, vshape, vwrong, "fallback");
    EXPECT_EQ(report.totalCycles, vcounted.totalCycles);
    EXPECT_EQ(firstDifference(dyRun, dyPlan), "");
    EXPECT_EQ(firstDifference(sumsRun, sumsPlan), "");
    EXPECT_NE(firstDifference(dyRun, dy), "");
  }
}
