//===- SystolicCheckTest.cpp - the instruction rule and the timing model ---===//

#include "hardware/systolic/Check.h"
#include "hardware/systolic/Planner.h"
#include "hardware/systolic/Timing.h"

#include <gtest/gtest.h>

using namespace hpt::systolic;

namespace {

constexpr Dataflow kDataflows[] = {Dataflow::OutputStationary, Dataflow::WeightStationary,
                                   Dataflow::InputStationary};

Machine machine(Dataflow df, uint32_t rows, uint32_t cols, uint64_t words) {
  return Machine{df, ElementType::F32, rows, cols, {words, words, words}};
}

/// The first error of `stream`, "" when every instruction and the end pass.
std::string firstError(const Stream &stream) {
  StreamChecker checker;
  for (size_t i = 0; i < stream.instructions.size(); ++i)
    if (std::string error = checker.check(stream.instructions[i]); !error.empty())
      return std::to_string(i) + ": " + error;
  return checker.finish();
}

uint64_t cyclesOf(const Stream &stream) {
  uint64_t cycles = 0;
  Instruction config;
  for (const Instruction &inst : stream.instructions) {
    if (inst.opcode == Opcode::Config)
      config = inst;
    cycles += instructionCycles(inst, config);
  }
  return cycles;
}

} // namespace

TEST(SystolicCheckTest, PlannedStreamsPassTheRule) {
  for (Dataflow df : kDataflows)
    for (GemmShape gemm : {GemmShape{13, 7, 29, 1}, GemmShape{64, 64, 64, 2}, GemmShape{1, 1, 1, 1}}) {
      Plan plan = planGemm(gemm, machine(df, 8, 4, 256));
      ASSERT_TRUE(plan) << plan.error();
      EXPECT_EQ(firstError(*plan), "") << name(df);
    }
  Plan softmax = planVector({VectorOp::LayerNorm, 9, 40, 1e-5f}, machine(Dataflow::WeightStationary, 8, 8, 256));
  ASSERT_TRUE(softmax) << softmax.error();
  EXPECT_EQ(firstError(*softmax), "");
}

TEST(SystolicCheckTest, BrokenStreamsAreRefusedAtTheFirstBadInstruction) {
  Plan plan = planGemm({16, 16, 16, 1}, machine(Dataflow::WeightStationary, 8, 8, 1024));
  ASSERT_TRUE(plan);
  // [0] CONFIG, [1] MOVEIN filter, [2] PRELOAD, [3] MOVEIN ifmap, [4] COMPUTE, [5] MOVEOUT
  Stream noConfig = *plan;
  noConfig.instructions.erase(noConfig.instructions.begin());
  EXPECT_EQ(firstError(noConfig), "0: runs before any CONFIG");
  Stream wrongBuffer = *plan;
  wrongBuffer.instructions[2].buffer = Buffer::Ifmap;
  EXPECT_EQ(firstError(wrongBuffer),
            "2: preloads from ifmap, but the ws dataflow keeps filter stationary");
  Stream noPreload = *plan;
  noPreload.instructions.erase(noPreload.instructions.begin() + 2);
  EXPECT_EQ(firstError(noPreload), "3: no PRELOAD of a 8x8 tile before this fold");
  Stream unfinished = *plan;
  unfinished.instructions[4].last = false;
  unfinished.instructions.resize(6);
  EXPECT_EQ(firstError(unfinished), "the stream ends inside a fold (no COMPUTE with last=1)");
  Stream pastSram = *plan;
  pastSram.instructions[4].resultAddress = 1024 - 8;
  EXPECT_EQ(firstError(pastSram),
            "4: ofmap tile [1016, 1144) is out of range (capacity 1024 words)");
  Stream zeroArray = *plan;
  zeroArray.instructions[0].arrayCols = 0;
  EXPECT_EQ(firstError(zeroArray), "0: array dimensions must be positive");
}

// SCALE-Sim's closed form (docs/systolic.md) against the sum of the
// per-instruction costs over the planned stream: two derivations of one count.
TEST(SystolicCheckTest, ClosedFormEqualsThePlannedStreamsCycles) {
  for (Dataflow df : kDataflows)
    for (GemmShape gemm : {GemmShape{13, 7, 29, 1}, GemmShape{100, 33, 70, 3}, GemmShape{5, 300, 9, 1}}) {
      Machine m = machine(df, 8, 4, 4096);
      Plan plan = planGemm(gemm, m);
      ASSERT_TRUE(plan) << plan.error();
      GemmCycles closed = gemmCycles(gemm, m);
      EXPECT_EQ(closed.total + 1, cyclesOf(*plan)) << name(df) << " " << gemm.M;
    }
  // A hand count: 16 x 16 · 16 x 16 on an 8 x 8 WS array: K and N fold by
  // 2 each (4 folds), each T + 2R + C - 2 = 16 + 16 + 8 - 2 = 38 cycles.
  GemmCycles ws = gemmCycles({16, 16, 16, 1}, machine(Dataflow::WeightStationary, 8, 8, 1024));
  EXPECT_EQ(ws.folds, 4u);
  EXPECT_EQ(ws.foldCycles, 38u);
  EXPECT_EQ(ws.total, 4u * 38u - 1u);
  Machine vm = machine(Dataflow::WeightStationary, 8, 8, 1024);
  Plan softmax = planVector({VectorOp::Softmax, 20, 40, 0}, vm);
  ASSERT_TRUE(softmax);
  EXPECT_EQ(vectorCycles({VectorOp::Softmax, 20, 40, 0}, vm), cyclesOf(*softmax));
  EXPECT_EQ(cyclesOf(*softmax), 3u * 20u * 5u);
}

TEST(SystolicCheckTest, EnergyAddsItsComponents) {
  Counts counts;
  counts.macs = 10;
  counts.sramReads[0] = 2;
  counts.dramReads[1] = 3; // 3 fp32 words = 12 bytes
  counts.vectorElementOps = 5;
  Energy e = energyOf(counts, ElementType::F32, {1.5, 10, 64, 2});
  EXPECT_DOUBLE_EQ(e.mac, 15);
  EXPECT_DOUBLE_EQ(e.sram, 20);
  EXPECT_DOUBLE_EQ(e.dram, 12 * 64.0);
  EXPECT_DOUBLE_EQ(e.vector, 10);
  EXPECT_DOUBLE_EQ(e.total(), 15 + 20 + 768 + 10);
  EXPECT_DOUBLE_EQ(energyOf(counts, ElementType::I8, {0, 0, 64, 0}).dram, 3 * 64.0);
}

TEST(SystolicCheckTest, ABiasAddsOneVectorPassAfterTheFolds) {
  for (Dataflow df : kDataflows) {
    Machine m = machine(df, 8, 4, 4096);
    GemmShape linear{13, 7, 29, 1, /*bias=*/true};
    Plan plan = planGemm(linear, m);
    ASSERT_TRUE(plan) << plan.error();
    EXPECT_EQ(firstError(*plan), "") << name(df);
    EXPECT_EQ(plan->instructions.front().dramWords[2], 13u * 7u + 7u);
    const Instruction &last = plan->instructions[plan->instructions.size() - 2];
    EXPECT_EQ(last.opcode, Opcode::Vector);
    EXPECT_EQ(last.vectorOp, VectorOp::AddRow);
    GemmShape plain = linear;
    plain.bias = false;
    // One pass over 13 rows of ceil(7 / 4) = 2 lanes' worth.
    EXPECT_EQ(gemmCycles(linear, m).total, gemmCycles(plain, m).total + 13 * 2);
    EXPECT_EQ(gemmCycles(linear, m).total + 1, cyclesOf(*plan));
  }
  EXPECT_EQ(planGemm({4, 4, 4, 2, true}, machine(Dataflow::WeightStationary, 4, 4, 256)).error(),
            "a bias is added to single products only");
}
