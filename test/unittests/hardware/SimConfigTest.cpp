//===- SimConfigTest.cpp - MNSIM 2.0's SimConfig.ini ---------------------===//

#include "hardware/pim/SimConfig.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace hpt::hw;
using namespace hpt::hw::pim;

namespace {

std::string fileText(const std::string &path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

SimConfig load(const char *name) {
  const std::string path = std::string(HPT_SOURCE_DIR "/configs/mnsim/") + name;
  Expected<SimConfig> config = SimConfig::parse(fileText(path), path);
  EXPECT_TRUE(config) << config.error();
  return *config;
}

} // namespace

// MNSIM's own SimConfig.ini and its variants read as MNSIM reads them: the
// values the reference README lists for them (docs of the reference set).
TEST(SimConfig, ReadsMnsimsConfigs) {
  SimConfig d = load("default.ini");
  EXPECT_EQ(*d.numbers("Crossbar level", "Xbar_Size"), (std::vector<double>{256, 256}));
  EXPECT_EQ(*d.number("Crossbar level", "Subarray_Size"), 256);
  EXPECT_EQ(*d.numbers("Device level", "Device_Resistance"), (std::vector<double>{1e6, 1e4}));
  EXPECT_EQ(*d.number("Device level", "Read_Latency"), 3.16);
  EXPECT_EQ(*d.number("Interface level", "ADC_Choice"), 6);
  EXPECT_EQ(*d.number("Interface level", "DAC_Choice"), 1);
  EXPECT_EQ(*d.number("Process element level", "Xbar_Polarity"), 2);
  EXPECT_EQ(*d.text("Device level", "Device_Type"), "NVM");
  // configparser compares keys and sections without case.
  EXPECT_EQ(*d.numbers("crossbar LEVEL", "xbar_size"), (std::vector<double>{256, 256}));
  EXPECT_EQ(unmodelledSetting(d), "");
  // xbar128 changes the crossbar and subarray sizes only.
  SimConfig x = load("xbar128.ini");
  EXPECT_EQ(*x.numbers("Crossbar level", "Xbar_Size"), (std::vector<double>{128, 128}));
  EXPECT_EQ(*x.number("Crossbar level", "Subarray_Size"), 128);
  EXPECT_EQ(*x.number("Interface level", "ADC_Choice"), 6);
  for (const char *name : {"adc8_mux8.ini", "cell2bit.ini", "dac2.ini"})
    EXPECT_EQ(unmodelledSetting(load(name)), "") << name;
}

// Bad values name the file, the line, the section and the key.
TEST(SimConfig, NamesTheKeyOfABadValue) {
  auto error = [](const std::string &text) {
    Expected<SimConfig> config = SimConfig::parse(text, "s.ini");
    if (!config)
      return config.error();
    Expected<std::vector<double>> size = config->numbers("Crossbar level", "Xbar_Size");
    return size ? unmodelledSetting(*config) : size.error();
  };
  EXPECT_EQ(error("[Crossbar level]\nXbar_Size = 256,x\n"),
            "s.ini:2: [Crossbar level] Xbar_Size: '256,x' is not a list of finite numbers");
  EXPECT_EQ(error("[Crossbar level]\nXbar_Size = 256,nan\n"),
            "s.ini:2: [Crossbar level] Xbar_Size: '256,nan' is not a list of finite numbers");
  EXPECT_EQ(error("[Crossbar level]\nSubarray_Size = 256\n"),
            "s.ini: [Crossbar level] Xbar_Size: missing");
  EXPECT_EQ(error("[Crossbar level]\nXbar_Size = 8,8\n# a comment\nxbar_size = 4,4\n"),
            "s.ini:4: [Crossbar level] xbar_size: repeats line 2");
  EXPECT_EQ(error("Xbar_Size = 8,8\n"), "s.ini:1: entry before any [section]");
  EXPECT_EQ(error("[Crossbar level\n"), "s.ini:1: unterminated section header");
  EXPECT_EQ(error("[Crossbar level]\nXbar_Size 8\n"),
            "s.ini:2: expected 'key: value' or 'key = value'");
  EXPECT_EQ(error("[Crossbar level]\nXbar_Size = 8,8\n[Algorithm Configuration]\n"
                  "Simulation_Level = 1\n"),
            "s.ini:4: [Algorithm Configuration] Simulation_Level: 1 asks for MNSIM's accuracy "
            "path, which hpt does not model (set it to 0)");
  EXPECT_EQ(error("[Crossbar level]\nXbar_Size = 8,8\n[Algorithm Configuration]\nNoC_enable = 1\n"),
            "s.ini:4: [Algorithm Configuration] NoC_enable: 1 asks for MNSIM's network-on-chip "
            "model, which hpt does not model (set it to 0)");
}
