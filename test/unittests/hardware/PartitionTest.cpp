//===- PartitionTest.cpp - the partition search ---------------------------===//

#include "hardware/Partition.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

using namespace hpt::hw;

namespace {

/// A host, two systolic cores and a GPU, every pair linked.
Description machine() {
  Description d;
  d.name = "test";
  d.host.gemmRate = {1, "t"};
  d.host.vectorRate = {1, "t"};
  d.host.activePower = {1, "t"};
  d.host.staticPower = {0.5, "t"};
  SystolicModel s;
  s.instances = {2, "t"};
  s.staticPower = {0.1, "t"};
  d.systolic = s;
  gpu::GpuModel g;
  g.instances = {1, "t"};
  g.staticPower = {2, "t"};
  d.gpu = g;
  const DeviceKind kinds[] = {DeviceKind::Host, DeviceKind::Systolic, DeviceKind::Gpu};
  for (size_t a = 0; a < 3; ++a)
    for (size_t b = a; b < 3; ++b)
      if (kinds[a] != DeviceKind::Host || kinds[b] != DeviceKind::Host)
        d.links.push_back({kinds[a], kinds[b], {1 + double(a + b), "t"}, {100, "t"}, {3, "t"}});
  return d;
}

/// A random program of `count` ops, each reading one or two earlier values
/// (the two inputs on the host first), with one to three candidates.
PartitionProblem randomProblem(const Description &d, size_t count, uint32_t seed) {
  std::mt19937 gen(seed);
  auto uniform = [&](double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(gen);
  };
  PartitionProblem p;
  p.description = &d;
  p.values = {{4000, Placement{DeviceKind::Host, 0}, false},
              {2000, Placement{DeviceKind::Host, 0}, false}};
  const DeviceKind kinds[] = {DeviceKind::Host, DeviceKind::Systolic, DeviceKind::Gpu};
  for (size_t i = 0; i < count; ++i) {
    PartitionOp op;
    const size_t reads = 1 + gen() % 2;
    for (size_t r = 0; r < reads; ++r)
      op.inputs.push_back(gen() % p.values.size());
    op.outputs = {p.values.size()};
    p.values.push_back({uint64_t(500 + gen() % 5000), std::nullopt, false});
    const size_t candidates = 1 + gen() % 3;
    const size_t first = gen() % 3;
    for (size_t c = 0; c < candidates; ++c)
      op.candidates.push_back({kinds[(first + c) % 3], uniform(1e-6, 1e-5), uniform(1e3, 1e6)});
    p.ops.push_back(std::move(op));
  }
  return p;
}

/// The least objective over every placement, by plain enumeration.
double bruteForce(const PartitionProblem &p, Objective objective) {
  double best = std::numeric_limits<double>::infinity();
  std::vector<size_t> placement(p.ops.size(), 0);
  for (;;) {
    best = std::min(best, objectiveValue(objective, scoreOf(p, placement)));
    size_t i = 0;
    while (i < p.ops.size() && ++placement[i] == p.ops[i].candidates.size())
      placement[i++] = 0;
    if (i == p.ops.size())
      return best;
  }
}

TEST(PartitionTest, SearchEqualsExhaustiveOnSmallGraphs) {
  const Description d = machine();
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    const PartitionProblem p = randomProblem(d, 2 + seed % 11, seed); // 2 to 12 ops
    const std::vector<size_t> start(p.ops.size(), 0);
    for (Objective objective : {Objective::Latency, Objective::Energy, Objective::Edp}) {
      const std::vector<size_t> found = searchPlacement(p, objective, start);
      EXPECT_EQ(objectiveValue(objective, scoreOf(p, found)), bruteForce(p, objective))
          << "seed " << seed;
    }
  }
}

TEST(PartitionTest, BeyondTheLimitNeverWorseThanTheStartAndDeterministic) {
  const Description d = machine();
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    const PartitionProblem p = randomProblem(d, 30, seed);
    const std::vector<size_t> start(p.ops.size(), 0);
    for (Objective objective : {Objective::Latency, Objective::Energy, Objective::Edp}) {
      const std::vector<size_t> found = searchPlacement(p, objective, start, /*limit=*/1);
      EXPECT_LE(objectiveValue(objective, scoreOf(p, found)),
                objectiveValue(objective, scoreOf(p, start)));
      EXPECT_EQ(found, searchPlacement(p, objective, start, 1));
    }
  }
}

/// `d` with one ReRAM chip, linked to the host at no cost.
Description withReram(Description d) {
  pim::ReramModel r;
  r.instances = {1, "t"};
  d.reram = r;
  d.links.push_back({DeviceKind::Host, DeviceKind::Reram, {1, "t"}, {0, "t"}, {0, "t"}});
  return d;
}

TEST(PartitionTest, AWeightIsProgrammedOncePerStep) {
  // Two ReRAM reads of one weight and one of another: programming charged
  // once per weight, 5 us + 7 us and 100 + 300 pJ.
  Description d = withReram(machine());
  PartitionProblem p;
  p.description = &d;
  p.values = {{0, Placement{DeviceKind::Host, 0}, false}, {0, {}, false}, {0, {}, false},
              {0, {}, false}};
  for (size_t i = 0; i < 3; ++i)
    p.ops.push_back({{{DeviceKind::Reram, 1e-6, 10}}, {i}, {i + 1}, i < 2 ? "w" : "v"});
  p.programming = {{"w", {5e-6, 100}}, {"v", {7e-6, 300}}};
  const StepScore s = scoreOf(p, {0, 0, 0});
  ASSERT_TRUE(s.feasible);
  EXPECT_DOUBLE_EQ(s.programmingPj, 400);
  EXPECT_DOUBLE_EQ(s.seconds, 3e-6 + 12e-6);
  EXPECT_DOUBLE_EQ(s.energyPj, 30 + 400 + s.staticPj);
}

/// Weights read by one op each, on ReRAM or the systolic array at the given
/// energies (pJ), with no static power and nothing to move: a weight saves
/// exactly its systolic energy minus its ReRAM energy.
struct NoiseCase {
  Description d = withReram(machine());
  PartitionProblem p;

  NoiseCase(const std::vector<std::pair<double, double>> &reramAndSystolicPj) {
    d.host.staticPower = {0, "t"};
    d.systolic->staticPower = {0, "t"};
    p.description = &d;
    p.values = {{0, Placement{DeviceKind::Host, 0}, false}};
    for (size_t i = 0; i < reramAndSystolicPj.size(); ++i) {
      p.values.push_back({0, std::nullopt, false});
      p.ops.push_back({{{DeviceKind::Reram, 1e-6, reramAndSystolicPj[i].first},
                        {DeviceKind::Systolic, 1e-6, reramAndSystolicPj[i].second}},
                       {0},
                       {i + 1},
                       std::string(1, char('a' + i))});
    }
  }
};

TEST(PartitionTest, BeyondTheLimitAWeightsProductsMoveTogether) {
  // Two reads of one weight, 10 pJ each on ReRAM plus 60 pJ of programming
  // once, or 50 pJ each on the array. Op by op ReRAM never pays (70 > 50),
  // so the start and the greedy schedule both take the array (100 pJ);
  // moving the weight's two products together gives 80 pJ.
  NoiseCase n({{10, 50}, {10, 50}});
  for (PartitionOp &op : n.p.ops)
    op.weight = "w";
  n.p.programming = {{"w", {0, 60}}};
  const std::vector<size_t> start = {1, 1};
  ASSERT_EQ(greedyPlacement(n.p, Objective::Energy), start);
  const std::vector<size_t> found = searchPlacement(n.p, Objective::Energy, start, /*limit=*/1);
  EXPECT_EQ(found, (std::vector<size_t>{0, 0}));
  EXPECT_DOUBLE_EQ(scoreOf(n.p, found).energyPj, 80);
}

TEST(PartitionTest, NoiseAwareKeepsTheMostEnergyPerSensitivityWithinTheBudget) {
  // Saved pJ / sensitivity: a 100/0.01, b 50/0.001, c 300/0.05, d saves
  // nothing (-30), e 5/0: e, b, a fit 0.02 (0 + 0.001 + 0.01), c would not.
  NoiseCase n({{10, 110}, {10, 60}, {10, 310}, {50, 20}, {10, 15}});
  const std::map<std::string, double> sensitivity = {
      {"a", 0.01}, {"b", 0.001}, {"c", 0.05}, {"d", 0.0}, {"e", 0.0}};
  Expected<NoiseAwarePlacement> chosen =
      noiseAwarePlacement(n.p, std::vector<size_t>(5, 0), sensitivity, 0.02);
  ASSERT_TRUE(chosen) << chosen.error();
  EXPECT_EQ(chosen->placement, (std::vector<size_t>{0, 0, 1, 1, 0}));
  EXPECT_DOUBLE_EQ(chosen->spent, 0.011);
  std::vector<std::string> order;
  for (const AnalogChoice &c : chosen->choices)
    order.push_back(c.weight);
  EXPECT_EQ(order, (std::vector<std::string>{"e", "b", "a", "c", "d"}));
  const AnalogChoice &c = chosen->choices[3];
  EXPECT_EQ(c.reason, AnalogReason::OverBudget);
  EXPECT_DOUBLE_EQ(c.savedPj, 300);
  EXPECT_DOUBLE_EQ(c.spentBefore, 0.011);
  EXPECT_EQ(chosen->choices[4].reason, AnalogReason::SavesNothing);
  EXPECT_DOUBLE_EQ(chosen->choices[4].savedPj, -30);
  EXPECT_TRUE(chosen->choices[0].analog);
}

TEST(PartitionTest, NoiseAwareSkipsAWeightThatDoesNotFitAndTakesALaterOne) {
  // b (ratio 100/0.004) does not fit 0.005 after a (200/0.002); c
  // (10/0.001) still does. A zero budget keeps only noiseless weights.
  NoiseCase n({{0, 200}, {0, 100}, {0, 10}});
  const std::map<std::string, double> sensitivity = {{"a", 0.002}, {"b", 0.004}, {"c", 0.001}};
  Expected<NoiseAwarePlacement> chosen =
      noiseAwarePlacement(n.p, std::vector<size_t>(3, 0), sensitivity, 0.005);
  ASSERT_TRUE(chosen) << chosen.error();
  EXPECT_EQ(chosen->placement, (std::vector<size_t>{0, 1, 0}));
  Expected<NoiseAwarePlacement> none =
      noiseAwarePlacement(n.p, std::vector<size_t>(3, 0), sensitivity, 0);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->placement, (std::vector<size_t>{1, 1, 1}));
  EXPECT_DOUBLE_EQ(none->spent, 0);
}

TEST(PartitionTest, NoiseAwareRefusesAnUnmeasuredWeightThatCouldMove) {
  NoiseCase n({{0, 200}, {0, 100}});
  Expected<NoiseAwarePlacement> chosen =
      noiseAwarePlacement(n.p, std::vector<size_t>(2, 0), {{"a", 0.1}}, 1);
  ASSERT_FALSE(chosen);
  EXPECT_EQ(chosen.error(), "no sensitivity measured for weight 'b'");
  // With ReRAM its only device (a pinned product), b stays and needs none.
  n.p.ops[1].candidates.pop_back();
  chosen = noiseAwarePlacement(n.p, std::vector<size_t>(2, 0), {{"a", 0.1}}, 0);
  ASSERT_TRUE(chosen) << chosen.error();
  EXPECT_EQ(chosen->placement, (std::vector<size_t>{1, 0}));
  EXPECT_EQ(chosen->choices.front().weight, "b");
  EXPECT_EQ(chosen->choices.front().reason, AnalogReason::NoDigitalDevice);
  EXPECT_TRUE(chosen->choices.front().analog);
}

} // namespace

