//===- AccountingTest.cpp - the accounting model on hand-built programs ----===//

#include "hardware/Accounting.h"

#include <gtest/gtest.h>

using namespace hpt::hw;

namespace {

/// A host and two systolic cores; links host-systolic (1 us + 1 GB/s,
/// 10 pJ/byte) and systolic-systolic (0.5 us + 2 GB/s, 1 pJ/byte); static
/// power 1 W (host) and 0.1 W per core.
Description twoDevices(bool coreToCoreLink = true) {
  Description d;
  d.name = "test";
  d.host.gemmRate = {100, "test"};
  d.host.vectorRate = {1, "test"};
  d.host.activePower = {10, "test"};
  d.host.staticPower = {1, "test"};
  SystolicModel s;
  s.instances = {2, "test"};
  s.staticPower = {0.1, "test"};
  d.systolic = s;
  d.links.push_back({DeviceKind::Host, DeviceKind::Systolic, {1, "t"}, {1000, "t"}, {10, "t"}});
  if (coreToCoreLink)
    d.links.push_back(
        {DeviceKind::Systolic, DeviceKind::Systolic, {2, "t"}, {500, "t"}, {1, "t"}});
  return d;
}

Placement on(DeviceKind kind, std::optional<uint32_t> instance = std::nullopt) {
  return {kind, instance};
}

// x (1000 bytes, on the host) and a parameter w feed a systolic op; the host
// computes z from x meanwhile; a last systolic op needs both results.
//   t0 on systolic: x moves host -> core 0 over [0, 2] us (1 us + 1000 B at
//      1 GB/s), runs [2, 4];
//   t1 on the host: runs [0, 5];
//   t2 on systolic: core 0 holds y since 4; z moves host -> core 0 over
//      [5, 7]; core 1 would need y too and is no earlier: core 0, [7, 8].
std::vector<ValueInfo> values() {
  return {{1000, on(DeviceKind::Host, 0)}, {4096, std::nullopt, /*resident=*/true},
          {1000, {}}, {1000, {}}, {1000, {}}};
}

std::vector<Task> program(std::optional<uint32_t> lastInstance = std::nullopt) {
  return {{on(DeviceKind::Systolic), 2e-6, 100, {0, 1}, {2}},
          {on(DeviceKind::Host), 5e-6, 50, {0}, {3}},
          {on(DeviceKind::Systolic, lastInstance), 1e-6, 10, {2, 3}, {4}}};
}

} // namespace

TEST(AccountingTest, MakespanOfAHandBuiltTwoDeviceProgram) {
  Expected<Timeline> t = schedule(twoDevices(), values(), program());
  ASSERT_TRUE(t) << t.error();
  ASSERT_EQ(t->tasks.size(), 3u);
  EXPECT_EQ(t->tasks[0].instance, 0u);
  EXPECT_DOUBLE_EQ(t->tasks[0].start, 2e-6);
  EXPECT_DOUBLE_EQ(t->tasks[0].end, 4e-6);
  EXPECT_DOUBLE_EQ(t->tasks[1].start, 0);
  EXPECT_DOUBLE_EQ(t->tasks[1].end, 5e-6);
  EXPECT_EQ(t->tasks[2].instance, 0u);
  EXPECT_DOUBLE_EQ(t->tasks[2].start, 7e-6);
  EXPECT_DOUBLE_EQ(t->makespan, 8e-6);
  ASSERT_EQ(t->transfers.size(), 2u);
  EXPECT_EQ(t->transfers[0].value, 0u);
  EXPECT_DOUBLE_EQ(t->transfers[0].end, 2e-6);
  EXPECT_EQ(t->transfers[1].value, 3u);
  EXPECT_DOUBLE_EQ(t->transfers[1].start, 5e-6);
  EXPECT_DOUBLE_EQ(t->transfers[1].end, 7e-6);
  // Ops 160 pJ; transfers 2 x 1000 B x 10 pJ/B; static (1 + 2 x 0.1) W x 8 us.
  EXPECT_DOUBLE_EQ(t->opEnergyPj, 160);
  EXPECT_DOUBLE_EQ(t->transferEnergyPj, 20000);
  EXPECT_NEAR(t->staticEnergyPj, 1.2 * 8e-6 * 1e12, 1e-3);
}

TEST(AccountingTest, APinnedInstanceMovesItsInputsBetweenCores) {
  // t2 pinned to core 1: y moves core 0 -> 1 over the core link [4, 5] us,
  // z host -> core 1 over [5, 7]; the op runs [7, 8].
  Expected<Timeline> t = schedule(twoDevices(), values(), program(1));
  ASSERT_TRUE(t) << t.error();
  EXPECT_EQ(t->tasks[2].instance, 1u);
  ASSERT_EQ(t->transfers.size(), 3u);
  EXPECT_EQ(t->transfers[1].fromKind, DeviceKind::Systolic);
  EXPECT_EQ(t->transfers[1].toInstance, 1u);
  EXPECT_DOUBLE_EQ(t->transfers[1].start, 4e-6);
  EXPECT_DOUBLE_EQ(t->transfers[1].end, 5e-6);
  EXPECT_DOUBLE_EQ(t->tasks[2].start, 7e-6);
  EXPECT_DOUBLE_EQ(t->transferEnergyPj, 20000 + 1000);
}

TEST(AccountingTest, BusyInstancesAndLinksSerialise) {
  // Two independent systolic ops on inputs from the host share the one
  // host-systolic link: the second input arrives at 4 us, so the second op
  // goes to the free core 1 and ends at 4 + 3 = 7 us.
  std::vector<ValueInfo> v = {{1000, on(DeviceKind::Host, 0)},
                              {1000, on(DeviceKind::Host, 0)}, {8, {}}, {8, {}}};
  std::vector<Task> tasks = {{on(DeviceKind::Systolic), 3e-6, 0, {0}, {2}},
                             {on(DeviceKind::Systolic), 3e-6, 0, {1}, {3}}};
  Expected<Timeline> t = schedule(twoDevices(), v, tasks);
  ASSERT_TRUE(t) << t.error();
  EXPECT_EQ(t->tasks[0].instance, 0u);
  EXPECT_DOUBLE_EQ(t->tasks[0].end, 5e-6);
  EXPECT_EQ(t->tasks[1].instance, 1u);
  EXPECT_DOUBLE_EQ(t->tasks[1].start, 4e-6);
  EXPECT_DOUBLE_EQ(t->makespan, 7e-6);
}

TEST(AccountingTest, ImpossibleSchedulesNameTheTask) {
  std::vector<Task> gpu = {{on(DeviceKind::Gpu), 1e-6, 0, {0}, {2}}};
  EXPECT_EQ(schedule(twoDevices(), values(), gpu).error(),
            "task 0: placed on gpu, which the description does not have");
  std::vector<Task> third = {{on(DeviceKind::Systolic, 2), 1e-6, 0, {0}, {2}}};
  EXPECT_EQ(schedule(twoDevices(), values(), third).error(),
            "task 0: instance 2 of systolic, which has 2");
  EXPECT_EQ(schedule(twoDevices(false), values(), program(1)).error(),
            "task 2: value 2 must move from systolic to systolic, and the description has "
            "no link between them");
  std::vector<Task> early = {{on(DeviceKind::Host), 1e-6, 0, {3}, {4}}};
  EXPECT_EQ(schedule(twoDevices(), values(), early).error(),
            "task 0: reads value 3, which no earlier task wrote");
}

TEST(AccountingTest, AValueMovesFromACopyLinkedToItsConsumer) {
  // x reaches core 0 over [0, 2] us; the ReRAM device, linked to the host
  // only (1 GB/s, 5 pJ/byte, no latency), reads the host's copy of it: a
  // transfer over [0, 1] us, then the read [1, 2].
  Description d = twoDevices();
  pim::ReramModel r;
  r.instances = {1, "test"};
  d.reram = r;
  d.links.push_back({DeviceKind::Host, DeviceKind::Reram, {1, "t"}, {0, "t"}, {5, "t"}});
  std::vector<Task> tasks = {{on(DeviceKind::Systolic), 2e-6, 0, {0}, {2}},
                             {on(DeviceKind::Reram), 1e-6, 0, {0}, {3}}};
  Expected<Timeline> t = schedule(d, values(), tasks);
  ASSERT_TRUE(t) << t.error();
  ASSERT_EQ(t->transfers.size(), 2u);
  EXPECT_EQ(t->transfers[1].fromKind, DeviceKind::Host);
  EXPECT_EQ(t->transfers[1].toKind, DeviceKind::Reram);
  EXPECT_DOUBLE_EQ(t->tasks[1].end, 2e-6);
  EXPECT_DOUBLE_EQ(t->transferEnergyPj, 1000 * 10 + 1000 * 5);
}

TEST(AccountingTest, HostModelChargesMeasuredRates) {
  HostModel host;
  host.gemmRate = {200, "t"};   // GFLOP/s
  host.vectorRate = {0.5, "t"}; // Gelement/s
  host.activePower = {10, "t"};
  EXPECT_DOUBLE_EQ(hostSeconds(host, 2e9, 0), 0.01);
  EXPECT_DOUBLE_EQ(hostSeconds(host, 0, 1e6), 0.002);
  EXPECT_DOUBLE_EQ(hostEnergyPj(host, 0.002), 0.02 * 1e12);
}

TEST(AccountingTest, StaticPowerOfTheKindsAProgramUses) {
  // A 50 W GPU in the description: a program without GPU ops does not pay
  // for it; one GPU op makes it draw over the whole makespan.
  Description d = twoDevices();
  gpu::GpuModel g;
  g.instances = {1, "test"};
  g.staticPower = {50, "test"};
  d.gpu = g;
  d.links.push_back({DeviceKind::Host, DeviceKind::Gpu, {1, "t"}, {1000, "t"}, {10, "t"}});
  Expected<Timeline> without = schedule(d, values(), program());
  ASSERT_TRUE(without) << without.error();
  EXPECT_NEAR(without->staticEnergyPj, 1.2 * 8e-6 * 1e12, 1e-3);
  // Only the host: the systolic cores are released too.
  std::vector<Task> hostOnly = {{on(DeviceKind::Host), 5e-6, 50, {0}, {3}}};
  Expected<Timeline> host = schedule(d, values(), hostOnly);
  ASSERT_TRUE(host) << host.error();
  EXPECT_NEAR(host->staticEnergyPj, 1 * 5e-6 * 1e12, 1e-3);
  // x moves to the GPU over [0, 2] us, the op runs [2, 3]: (1 + 50) W x 3 us.
  std::vector<Task> onGpu = {{on(DeviceKind::Gpu), 1e-6, 0, {0}, {2}}};
  Expected<Timeline> gpu = schedule(d, values(), onGpu);
  ASSERT_TRUE(gpu) << gpu.error();
  EXPECT_DOUBLE_EQ(gpu->makespan, 3e-6);
  EXPECT_NEAR(gpu->staticEnergyPj, 51 * 3e-6 * 1e12, 1e-3);
}
