//===- MnsimTest.cpp - the mnsim preset against closed forms --------------===//
//
// test/hardware/mnsim-fidelity.test compares every figure with MNSIM's own
// outputs; these check pieces of the model against arithmetic done by hand,
// and the importer's and the layer list's handling of their inputs.
//
//===----------------------------------------------------------------------===//

#include "hardware/pim/LayerList.h"
#include "hardware/pim/Mnsim.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

using namespace hpt::hw;
using namespace hpt::hw::pim;

namespace {

std::string defaultIni() {
  std::ifstream in(std::string(HPT_SOURCE_DIR) + "/configs/mnsim/default.ini");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// default.ini with one `Key = value` line replaced.
Expected<ReramModel> reramWith(const std::string &key, const std::string &value) {
  std::string text = defaultIni();
  if (!key.empty())
    text = std::regex_replace(text, std::regex("\n" + key + " = [^\n]*"),
                              "\n" + key + " = " + value);
  Expected<SimConfig> config = SimConfig::parse(text, "c.ini");
  if (!config)
    return fail(config.error());
  return importMnsim(*config);
}

Expected<MnsimChip> chipWith(const std::string &key, const std::string &value) {
  Expected<ReramModel> reram = reramWith(key, value);
  if (!reram)
    return fail(reram.error());
  return mnsimChip(*reram, "c.ini");
}

const char *kHeader = "name,type,in_h,in_w,in_ch,out_ch,kernel,stride,padding,wbits,abits,inputs\n";

std::vector<Layer> layers(const std::string &rows) {
  Expected<std::vector<Layer>> parsed = parseLayerList(kHeader + rows, "n.csv");
  EXPECT_TRUE(parsed) << parsed.error();
  return parsed ? *parsed : std::vector<Layer>{};
}

std::string layerError(const std::string &rows) {
  Expected<std::vector<Layer>> parsed = parseLayerList(kHeader + rows, "n.csv");
  return parsed ? "" : parsed.error();
}

TEST(Mnsim, ImportsDefaultConfig) {
  Expected<MnsimChip> chip = chipWith("", "");
  ASSERT_TRUE(chip) << chip.error();
  // ADC choice 6 (ADC.py tables): 6 bits, 1.26 mW, 1 GS/s, 1650 um^2.
  EXPECT_EQ(chip->adc.bits, 6);
  EXPECT_DOUBLE_EQ(chip->adc.power_W, 1.26e-3);
  EXPECT_DOUBLE_EQ(chip->adc.sampleRate_GSps, 1);
  EXPECT_DOUBLE_EQ(chip->adc.area_um2, 1650);
  EXPECT_EQ(chip->dac.bits, 1);
  EXPECT_EQ(chip->subarrays(), 1);
  EXPECT_EQ(chip->pesPerTile, 4);
  EXPECT_EQ(chip->tileRows * chip->tileCols, 64 * 64);
  EXPECT_DOUBLE_EQ(chip->digitalPeriod_ns(), 2);
}

TEST(Mnsim, DigitalPimUsesSenseAmplifiers) {
  // ADC.py l.21: PIM_Type 1 replaces the ADC choice by 8 (a 1-bit sense amp).
  Expected<MnsimChip> chip = chipWith("PIM_Type", "1");
  ASSERT_TRUE(chip) << chip.error();
  EXPECT_EQ(chip->adc.bits, 1);
  EXPECT_DOUBLE_EQ(chip->adc.power_W, 0.1086 * 15e-6);
  EXPECT_TRUE(chip->digitalPim);
}

TEST(Mnsim, RefusesWhatMnsimFailsOn) {
  Expected<ReramModel> dacs = reramWith("DAC_Num", "0");
  ASSERT_FALSE(dacs);
  EXPECT_NE(dacs.error().find("c.ini:104: [Process element level] DAC_Num: must be given"),
            std::string::npos)
      << dacs.error();
  Expected<ReramModel> pooling = reramWith("Pooling_unit_num", "32");
  ASSERT_FALSE(pooling);
  EXPECT_NE(pooling.error().find("[Tile level] Pooling_unit_num: MNSIM 2.0 models 64"),
            std::string::npos)
      << pooling.error();
  Expected<ReramModel> spiral = reramWith("Tile_Num", "8,4");
  ASSERT_FALSE(spiral);
  EXPECT_NE(spiral.error().find("Tile_Connection = 2 (spiral) needs a square grid"),
            std::string::npos);
}

TEST(Mnsim, GemmMappingAndConversionsByHand) {
  Expected<MnsimChip> chip = chipWith("", "");
  ASSERT_TRUE(chip);
  // Y[1x512] = X[1x512] W[512x512], 9-bit weights on ± pairs: 8 magnitude
  // slices x 2 column blocks by 2 row blocks of 256 rows.
  Expected<NetworkFigures> net =
      simulateMnsim(*chip, layers("g,conv,1,1,512,512,1,1,0,9,9,\n"), "n.csv");
  ASSERT_TRUE(net) << net.error();
  const LayerFigures &g = net->layers[0];
  EXPECT_EQ(g.mx, 16);
  EXPECT_EQ(g.my, 2);
  EXPECT_EQ(g.pes, 32);
  EXPECT_EQ(g.tiles, 8);
  EXPECT_EQ(g.crossbars, 64);
  // Each PE converts its 256 columns for 9 input bits (1-bit DAC) and 2
  // groups of 128 rows (128 DACs): 32 * 256 * 9 * 2 conversions of
  // (6 + 2) ns at 1.26 mW = 10.08 pJ.
  EXPECT_NEAR(g.energy_nJ.adc, 32.0 * 256 * 9 * 2 * 10.08e-3, 1e-9);
  // 9 * 2 * 2 = 36 passes of DAC (3 ns), crossbar and ADC (8 ns).
  EXPECT_NEAR(g.sums.dac, 36 * 3.0, 1e-12);
  EXPECT_NEAR(g.sums.adc, 36 * 8.0, 1e-12);
}

TEST(Mnsim, RefusesAnOversizedNetwork) {
  Expected<MnsimChip> chip = chipWith("Tile_Num", "2,2");
  ASSERT_TRUE(chip);
  Expected<NetworkFigures> net =
      simulateMnsim(*chip, layers("g,conv,1,1,1024,1024,1,1,0,9,9,\n"), "n.csv");
  ASSERT_FALSE(net);
  EXPECT_EQ(net.error(), "n.csv: the network needs 32 tiles; c.ini has 4 (Tile_Num)");
}

TEST(LayerList, ReadsShapesAndDefaults) {
  const std::vector<Layer> net = layers("c1,conv,8,8,3,16,3,1,1,8,8,\n"
                                        "c2,conv,8,8,16,16,3,1,1,8,8,\n"
                                        "sum,element_sum,,,,,,,,,8,-1;-2\n"
                                        "pool,pooling,8,8,16,,2,2,0,,8,\n"
                                        "fc,fc,,,256,10,,,,8,8,\n");
  ASSERT_EQ(net.size(), 5u);
  EXPECT_TRUE(net[0].inputs.empty());
  EXPECT_EQ(net[1].inputs, std::vector<int64_t>{-1});
  EXPECT_EQ(net[2].inputs, (std::vector<int64_t>{-1, -2}));
  // An element_sum has its producers' shape; pooling keeps the channels.
  EXPECT_EQ(net[2].outH(), 8);
  EXPECT_EQ(net[2].outCh, 16);
  EXPECT_EQ(net[3].outCh, 16);
  EXPECT_EQ(net[3].outH(), 4);
  EXPECT_EQ(net[4].inH, 1);
}

TEST(LayerList, NamesTheLineAndColumn) {
  EXPECT_EQ(layerError("c1,conv,8,8,3,16,3,1,1,8,8,\nfc,fc,,,100,10,,,,8,8,\n"),
            "n.csv:3: in_ch: 100 does not match the 1024 outputs of layer 'c1'");
  EXPECT_EQ(layerError("c1,conv,8,8,3,16,9,1,0,8,8,\n"),
            "n.csv:2: kernel: a 9-wide kernel does not fit the padded 8x8 input");
  EXPECT_EQ(layerError("c1,conv,8,8,3,16,3,1,1,8,8,\nsum,element_sum,,,,,,,,,8,\n"),
            "n.csv:3: inputs: an element_sum adds two or more layers");
  EXPECT_EQ(layerError("c1,matmul,8,8,3,16,3,1,1,8,8,\n"),
            "n.csv:2: type: 'matmul' is not conv, fc, pooling or element_sum");
  EXPECT_EQ(layerError("c1,conv,8,8,3,16,3,0,1,8,8,\n"),
            "n.csv:2: stride: 0 is outside [1, 1024]");
  EXPECT_EQ(layerError("c1,fc,2,1,3,16,,,,8,8,\n"), "n.csv:2: in_h: 2 is outside [1, 1]");
  EXPECT_EQ(parseLayerList("", "e.csv").error(),
            "e.csv: no header line 'name,type,in_h,in_w,in_ch,out_ch,kernel,stride,padding,"
            "wbits,abits,inputs'");
}

} // namespace
