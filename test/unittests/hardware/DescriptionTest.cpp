//===- DescriptionTest.cpp - the hardware description ---------------------===//

#include "hardware/Description.h"
#include "hardware/Json.h"
#include "hardware/ScaleSim.h"

#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <sstream>

using namespace hpt;
using namespace hpt::hw;

namespace {

std::string shipped() {
  std::ifstream in(HPT_SOURCE_DIR "/configs/atleus-like.json");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// `value` with the member at `path` (object keys, array indices in
/// decimal) replaced by `with`, or removed when `with` is empty; a missing
/// last key is added.
json::Value replaced(const json::Value &value, const std::vector<std::string> &path, size_t at,
                     const std::optional<json::Value> &with) {
  if (value.isArray()) {
    json::Value copy = json::Value::array();
    for (size_t i = 0; i < value.asArray().size(); ++i) {
      const json::Value &element = value.asArray()[i];
      if (std::to_string(i) != path[at])
        copy.push(element);
      else if (at + 1 < path.size())
        copy.push(replaced(element, path, at + 1, with));
      else if (with)
        copy.push(*with);
    }
    return copy;
  }
  json::Value copy = json::Value::object();
  bool found = false;
  for (const auto &[key, member] : value.asObject()) {
    if (key != path[at]) {
      copy.set(key, member);
      continue;
    }
    found = true;
    if (at + 1 < path.size())
      copy.set(key, replaced(member, path, at + 1, with));
    else if (with)
      copy.set(key, *with);
  }
  if (!found && with && at + 1 == path.size())
    copy.set(path[at], *with);
  return copy;
}

/// The shipped description with one member replaced (or removed).
std::string edited(const std::vector<std::string> &path, std::optional<json::Value> with) {
  json::ParseResult doc = json::parse(shipped());
  EXPECT_TRUE(doc.value) << doc.error;
  return doc.value ? json::dump(replaced(*doc.value, path, 0, with)) : "";
}

std::string errorOf(const std::string &text) {
  Expected<Description> d = parseDescription(text, "hw.json");
  EXPECT_FALSE(d) << "accepted:\n" << text;
  return d ? "" : d.error();
}

} // namespace

TEST(DescriptionTest, ShippedDescriptionReadsWithSourcedValues) {
  Expected<Description> d = readDescription(HPT_SOURCE_DIR "/configs/atleus-like.json");
  ASSERT_TRUE(d) << d.error();
  ASSERT_TRUE(d->systolic);
  const SystolicModel &s = *d->systolic;
  // Atleus's array (reference/hpt-hardware.md), everything else marked.
  EXPECT_EQ(s.rows.value, 128);
  EXPECT_EQ(s.cols.value, 32);
  EXPECT_NE(s.rows.source.find("Atleus"), std::string::npos);
  EXPECT_EQ(s.clock.source.rfind("assumption", 0), 0u);
  EXPECT_EQ(d->instances(DeviceKind::Host), 1u);
  EXPECT_EQ(d->instances(DeviceKind::Systolic), 16u);
  EXPECT_EQ(d->instances(DeviceKind::Reram), 1u);
  ASSERT_TRUE(d->reram);
  // Atleus's crossbars (reference/hpt-hardware.md), imported through MNSIM's
  // config format (configs/mnsim/atleus-like.ini).
  EXPECT_EQ(d->reram->xbarRows.value, 128);
  EXPECT_EQ(d->reram->cellBits.value, 2);
  EXPECT_EQ(d->reram->adcBits.value, 8);
  EXPECT_EQ(d->reram->dacBits.value, 1);
  EXPECT_NE(d->reram->xbarRows.source.find("Atleus"), std::string::npos);
  EXPECT_EQ(d->reram->endurance.source.rfind("assumption", 0), 0u);
  systolic::Machine m = s.machine();
  EXPECT_EQ(m.arrayRows, 128u);
  EXPECT_EQ(m.sramWords[0], 512u * 1024u);
  ASSERT_NE(d->linkBetween(DeviceKind::Systolic, DeviceKind::Host), nullptr);
  EXPECT_EQ(d->linkBetween(DeviceKind::Systolic, DeviceKind::Host)->bandwidth.value, 32);
  // HpT's GPU is not named; the A100 preset stands in, over PCIe Gen4.
  ASSERT_TRUE(d->gpu);
  EXPECT_EQ(d->instances(DeviceKind::Gpu), 1u);
  EXPECT_EQ(d->gpu->fp32Rate.value, 19.5);
  ASSERT_NE(d->linkBetween(DeviceKind::Host, DeviceKind::Gpu), nullptr);
  EXPECT_EQ(d->linkBetween(DeviceKind::Gpu, DeviceKind::Host)->bandwidth.value, 32);
  EXPECT_EQ(d->linkBetween(DeviceKind::Gpu, DeviceKind::Gpu), nullptr);
}

TEST(DescriptionTest, WritesBackToTheSameBytes) {
  Expected<Description> d = parseDescription(shipped(), "hw.json");
  ASSERT_TRUE(d) << d.error();
  std::string text = toJson(*d);
  Expected<Description> again = parseDescription(text, "written");
  ASSERT_TRUE(again) << again.error();
  EXPECT_EQ(toJson(*again), text);
  EXPECT_EQ(again->systolic->macEnergy.value, 4.6);
  EXPECT_EQ(again->systolic->macEnergy.source, d->systolic->macEnergy.source);
}

TEST(DescriptionTest, BadValuesNameTheirKey) {
  using json::Value;
  EXPECT_EQ(errorOf(edited({"systolic", "rows", "value"}, Value::integer(0))),
            "hw.json: systolic.rows.value: must be a positive integer up to 2^30, got 0");
  EXPECT_EQ(errorOf(edited({"systolic", "mac_energy", "value"}, Value::number(-4.6))),
            "hw.json: systolic.mac_energy.value: must not be negative, got -4.6");
  EXPECT_EQ(errorOf(edited({"systolic", "rows", "value"}, Value::number(12.5))),
            "hw.json: systolic.rows.value: must be a positive integer up to 2^30, got 12.5");
  EXPECT_EQ(errorOf(edited({"systolic", "clock", "unit"}, Value("MHz"))),
            "hw.json: systolic.clock.unit: must be \"GHz\", got \"MHz\"");
  EXPECT_EQ(errorOf(edited({"systolic", "mac_energi"}, Value::object())),
            "hw.json: systolic.mac_energi: unknown key (expected one of instances, rows, cols, "
            "ifmap_sram, filter_sram, ofmap_sram, clock, mac_energy, sram_access_energy, "
            "dram_energy, vector_op_energy, static_power, dataflow, element)");
  EXPECT_EQ(errorOf(edited({"systolic", "dataflow", "value"}, Value("xs"))),
            "hw.json: systolic.dataflow.value: must be one of os, ws, is");
  EXPECT_EQ(errorOf(edited({"links", "0", "between", "1"}, Value("tpu"))),
            "hw.json: links[0].between[1]: must be a device kind (host, systolic, reram, gpu)");
  EXPECT_EQ(errorOf(edited({"links", "0", "between", "1"}, Value("gpu"))),
            "hw.json: links[4].between: a second link between host and gpu");
  EXPECT_EQ(errorOf(edited({"links", "1", "between", "1"}, Value("host"))),
            "hw.json: links[1].between: a second link between systolic and host");
  EXPECT_EQ(errorOf(edited({"version"}, Value::integer(2))),
            "hw.json: version: must be 1 (this hpt reads version 1)");
}

TEST(DescriptionTest, GpuValuesAreChecked) {
  using json::Value;
  EXPECT_EQ(errorOf(edited({"gpu", "compute_efficiency", "value"}, Value::number(1.5))),
            "hw.json: gpu.compute_efficiency.value: must be a fraction of at most 1");
  EXPECT_EQ(errorOf(edited({"gpu", "memory_bandwidth", "value"}, Value::number(0))),
            "hw.json: gpu.memory_bandwidth.value: must be positive, got 0");
  EXPECT_EQ(errorOf(edited({"gpu", "precision", "value"}, Value("fp8"))),
            "hw.json: gpu.precision.value: must be one of fp32, tf32, bf16");
  EXPECT_EQ(errorOf(edited({"gpu", "fp32_rate", "unit"}, Value("GFLOP/s"))),
            "hw.json: gpu.fp32_rate.unit: must be \"TFLOP/s\", got \"GFLOP/s\"");
  EXPECT_EQ(errorOf(edited({"gpu"}, std::nullopt)),
            "hw.json: links[4].between: names gpu, which this description does not have");
}

TEST(DescriptionTest, GpuPresetsCarryTheirDatasheets) {
  // reference/hpt-hardware.md: A100 SXM 80 GB 19.5 TFLOP/s fp32, 156 TF32,
  // 312 bf16 dense, 2039 GB/s, 400 W; H100 SXM 67 fp32, 989 bf16 dense,
  // 3.35 TB/s, 700 W.
  std::optional<gpu::GpuModel> a100 = gpu::preset("a100-sxm");
  ASSERT_TRUE(a100);
  EXPECT_EQ(a100->fp32Rate.value, 19.5);
  EXPECT_EQ(a100->tf32Rate.value, 156);
  EXPECT_EQ(a100->bf16Rate.value, 312);
  EXPECT_EQ(a100->memoryBandwidth.value, 2039);
  EXPECT_EQ(a100->activePower.value, 400);
  std::optional<gpu::GpuModel> h100 = gpu::preset("h100-sxm");
  ASSERT_TRUE(h100);
  EXPECT_EQ(h100->fp32Rate.value, 67);
  EXPECT_EQ(h100->bf16Rate.value, 989);
  EXPECT_EQ(h100->memoryBandwidth.value, 3350);
  EXPECT_EQ(h100->activePower.value, 700);
  EXPECT_FALSE(gpu::preset("v100"));
  // A description with a preset reads back equal.
  Expected<Description> d = parseDescription(shipped(), "hw.json");
  ASSERT_TRUE(d) << d.error();
  d->gpu = *h100;
  Expected<Description> again = parseDescription(toJson(*d), "again.json");
  ASSERT_TRUE(again) << again.error();
  EXPECT_EQ(toJson(*again), toJson(*d));
  EXPECT_EQ(again->instances(DeviceKind::Gpu), 1u);
}

TEST(DescriptionTest, GpuRooflineByHand) {
  gpu::GpuModel a100 = *gpu::preset("a100-sxm");
  // A 57x512x512 fp32 product: 2·57·512·512 = 29,884,416 FLOP at
  // 19.5e12 · 0.7 FLOP/s = 2.1893 us; its 4·(57·512 + 512·512 + 57·512) =
  // 1,282,048 bytes at 2039e9 · 0.8 B/s = 0.78596 us; plus a 5 us launch.
  gpu::Work product{29884416, true, 1282048, 1};
  gpu::Cost cost = gpu::roofline(a100, product);
  EXPECT_TRUE(cost.computeBound);
  EXPECT_NEAR(cost.seconds, 5e-6 + 29884416 / (19.5e12 * 0.7), 1e-15);
  EXPECT_NEAR(cost.energyPj, 400 * cost.seconds * 1e12, 1e-6);
  // A relu over 57x512: 29,184 FLOP, 233,472 bytes: memory-bound.
  gpu::Work relu{29184, false, 233472, 1};
  cost = gpu::roofline(a100, relu);
  EXPECT_FALSE(cost.computeBound);
  EXPECT_NEAR(cost.seconds, 5e-6 + 233472 / (2039e9 * 0.8), 1e-15);
  // bf16 products use the tensor cores' rate; other work stays fp32.
  a100.precision.value = gpu::Precision::Bf16;
  EXPECT_EQ(gpu::peakRate(a100, product), 312e12);
  EXPECT_EQ(gpu::peakRate(a100, relu), 19.5e12);
}

TEST(DescriptionTest, ReramValuesAreChecked) {
  using json::Value;
  EXPECT_EQ(errorOf(edited({"reram", "subarray_rows", "value"}, Value::integer(100))),
            "hw.json: reram.subarray_rows.value: must divide xbar_rows");
  EXPECT_EQ(errorOf(edited({"reram", "adc_bits", "value"}, Value::integer(17))),
            "hw.json: reram.adc_bits.value: must be at most 16 bits");
  EXPECT_EQ(errorOf(edited({"reram", "dac_bits", "value"}, Value::integer(0))),
            "hw.json: reram.dac_bits.value: must be a positive integer up to 2^30, got 0");
  EXPECT_EQ(errorOf(edited({"reram", "crossbars_per_weight", "value"}, Value::integer(3))),
            "hw.json: reram.crossbars_per_weight.value: must be 1 or 2 (a ± pair of crossbars)");
  EXPECT_EQ(errorOf(edited({"reram", "resistance_low", "value"}, Value::number(2e6))),
            "hw.json: reram.resistance_high.value: must exceed resistance_low (the off state is "
            "the high one)");
  EXPECT_EQ(errorOf(edited({"reram", "adc_power", "value"}, Value::number(-1))),
            "hw.json: reram.adc_power.value: must not be negative, got -1");
  EXPECT_EQ(errorOf(edited({"reram", "stuck_on", "value"}, Value::number(1.5))),
            "hw.json: reram.stuck_on.value: must be a fraction of at most 1");
  EXPECT_EQ(errorOf(edited({"reram", "cell_type", "value"}, Value("2t2r"))),
            "hw.json: reram.cell_type.value: must be one of 1t1r, 0t1r");
  EXPECT_EQ(errorOf(edited({"reram", "tile_cols", "value"}, Value::integer(8))),
            "hw.json: reram.tile_order.value: spiral needs as many tile rows as columns");
  EXPECT_EQ(errorOf(edited({"reram", "endurance"}, std::nullopt)),
            "hw.json: reram.endurance: missing");
}

TEST(DescriptionTest, MissingKeysAndSourcesAreErrors) {
  EXPECT_EQ(errorOf(edited({"systolic", "clock"}, std::nullopt)),
            "hw.json: systolic.clock: missing");
  EXPECT_EQ(errorOf(edited({"systolic", "clock", "source"}, json::Value(""))),
            "hw.json: systolic.clock.source: must be a non-empty string (a citation, a "
            "measurement, or \"assumption: ...\")");
  EXPECT_EQ(errorOf(edited({"host"}, std::nullopt)), "hw.json: host: missing");
  EXPECT_EQ(errorOf("[1]"), "hw.json: a hardware description is a JSON object");
  EXPECT_EQ(errorOf("{\"format\": 1"),
            "hw.json: line 1, column 13: unexpected end of input, expected ',' or '}'");
}

TEST(DescriptionTest, ScaleSimConfigImportsIntoTheSystolicSection) {
  Expected<Description> base = parseDescription(shipped(), "hw.json");
  ASSERT_TRUE(base);
  Expected<ArchConfig> cfg = parseArchConfig(
      "[general]\nrun_name = t\n[architecture_presets]\nArrayHeight: 16\nArrayWidth: 8\n"
      "IfmapSramSzkB: 32\nFilterSramSzkB: 64\nOfmapSramSzkB: 16\nDataflow: os\n",
      "t.cfg");
  ASSERT_TRUE(cfg) << cfg.error();
  Expected<Description> imported = importArchConfig(*cfg, "t.cfg", *base);
  ASSERT_TRUE(imported) << imported.error();
  systolic::Machine m = imported->systolic->machine();
  EXPECT_EQ(m.arrayRows, 16u);
  EXPECT_EQ(m.arrayCols, 8u);
  EXPECT_EQ(m.dataflow, systolic::Dataflow::OutputStationary);
  EXPECT_EQ(m.sramWords[1], 64u * 1024u);
  EXPECT_EQ(imported->systolic->rows.source, "SCALE-Sim config t.cfg: ArrayHeight");
  // What the .cfg does not say stays the base description's.
  EXPECT_EQ(imported->systolic->clock.value, base->systolic->clock.value);
  EXPECT_EQ(imported->systolic->instances.value, 16);

  Expected<ArchConfig> huge = parseArchConfig(
      "[architecture_presets]\nArrayHeight: 99999999999\nArrayWidth: 8\nIfmapSramSzkB: 1\n"
      "FilterSramSzkB: 1\nOfmapSramSzkB: 1\nDataflow: os\n",
      "h.cfg");
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error(), "h.cfg:2: arrayheight 99999999999 is too large (at most 4294967295)");
}
