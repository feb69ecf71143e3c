//===- MnsimChip.cpp - MNSIM's SimConfig.ini as a chip --------------------===//
//
// The importer: each value MNSIM's hardware model reads, checked and resolved
// as MNSIM resolves it (Hardware_Model/*.py at ca39ccb). The ADC and DAC
// tables are MNSIM's (ADC.py l.33-93, DAC.py l.34-63), with MNSIM's own
// citations in docs/pim.md.
//
//===----------------------------------------------------------------------===//

#include "hardware/pim/Mnsim.h"

#include <cmath>

namespace hpt::hw::pim {
namespace {

/// One row of MNSIM's converter tables.
struct TableConverter {
  int bits;
  double power_W, sampleRate_GSps, area_um2;
};

// ADC.py ADC_precision_dict, ADC_power_dict, ADC_sample_rate_dict and
// ADC_area_dict, choices 1..9. Choice 9's precision is 8 here (ADC.py l.62)
// although MNSIM's interface.py uses 6 for its accuracy path.
constexpr TableConverter kAdcTable[9] = {
    {10, 6.92e-3, 1.5, 1600}, {8, 2e-3, 1.28, 1200},         {8, 4e-3, 1.1, 1650},
    {6, 1.26e-3, 1, 580},     {8, 4e-3, 1.1, 1650},          {6, 1.26e-3, 1, 1650},
    {4, 0.7e-3, 1, 500},      {1, 0.1086 * 15e-6, 1, 1},     {8, 8 * 0.0073 * 1e-3, 6, 15899},
};

// DAC.py DAC_precision_dict, DAC_power_dict, DAC_area_dict, choices 1..7; a
// table DAC samples at 1 GS/s. The 8-bit DAC's 0.4992 W is MNSIM's value.
constexpr TableConverter kDacTable[7] = {
    {1, 0.0039e-3, 1, 0.166}, {2, 0.0078e-3, 1, 0.332}, {3, 0.0156e-3, 1, 0.664},
    {4, 0.0312e-3, 1, 1.328}, {6, 0.1248e-3, 1, 5.312}, {8, 0.4992, 1, 21.248},
    {1, 0.0039e-3, 1, 0.166},
};

/// Reads values of one config with errors that name the key.
class Reader {
public:
  explicit Reader(const SimConfig &config) : config(config) {}

  bool failed() const { return !error.empty(); }
  const std::string &message() const { return error; }

  double number(const char *section, const char *key) {
    if (failed())
      return 0;
    Expected<double> value = config.number(section, key);
    if (!value) {
      error = value.error();
      return 0;
    }
    return *value;
  }

  std::vector<double> numbers(const char *section, const char *key) {
    if (failed())
      return {};
    Expected<std::vector<double>> values = config.numbers(section, key);
    if (!values) {
      error = values.error();
      return {};
    }
    return *values;
  }

  std::string text(const char *section, const char *key) {
    if (failed())
      return {};
    Expected<std::string> value = config.text(section, key);
    if (!value) {
      error = value.error();
      return {};
    }
    return *value;
  }

  /// A value at least `low`.
  double atLeast(const char *section, const char *key, double low) {
    const double value = number(section, key);
    if (!failed() && value < low)
      refuse(section, key, "must be at least " + show(low) + ", got " + show(value));
    return value;
  }

  /// A whole number in [low, high].
  int64_t integer(const char *section, const char *key, int64_t low, int64_t high) {
    const double value = number(section, key);
    if (failed())
      return 0;
    if (value != std::floor(value) || value < double(low) || value > double(high)) {
      refuse(section, key,
             "must be a whole number in [" + std::to_string(low) + ", " + std::to_string(high) +
                 "], got " + show(value));
      return 0;
    }
    return int64_t(value);
  }

  /// A list of exactly `count` whole numbers in [low, high].
  std::vector<int64_t> integers(const char *section, const char *key, size_t count,
                                int64_t low, int64_t high) {
    const std::vector<double> values = numbers(section, key);
    if (failed())
      return {};
    std::vector<int64_t> out;
    for (double value : values) {
      if (value != std::floor(value) || value < double(low) || value > double(high)) {
        refuse(section, key, "must hold whole numbers in [" + std::to_string(low) + ", " +
                                 std::to_string(high) + "]");
        return {};
      }
      out.push_back(int64_t(value));
    }
    if (out.size() != count) {
      refuse(section, key,
             "must hold " + std::to_string(count) + " numbers, got " + std::to_string(out.size()));
      return {};
    }
    return out;
  }

  void refuse(const char *section, const char *key, const std::string &why) {
    if (!failed())
      error = config.at(section, key) + ": " + why;
  }

  static std::string show(double value) {
    std::string text = std::to_string(value);
    while (text.size() > 1 && text.back() == '0')
      text.pop_back();
    if (!text.empty() && text.back() == '.')
      text.pop_back();
    return text;
  }

private:
  const SimConfig &config;
  std::string error;
};

// Bounds far beyond any chip MNSIM describes, so that sizes multiply
// without overflow and a grid of tiles fits in memory.
constexpr int64_t kMaxCrossbar = 1 << 16; // rows, columns, converters, bus bits
constexpr int64_t kMaxCount = 1024;       // groups, PEs and tiles per side, window

constexpr const char *kDevice = "Device level";
constexpr const char *kCrossbar = "Crossbar level";
constexpr const char *kInterface = "Interface level";
constexpr const char *kPe = "Process element level";
constexpr const char *kDigital = "Digital module";
constexpr const char *kTile = "Tile level";
constexpr const char *kArchitecture = "Architecture level";

void readDevice(Reader &in, MnsimChip &chip) {
  const std::string type = in.text(kDevice, "Device_Type");
  if (!in.failed() && type != "NVM" && type != "SRAM")
    in.refuse(kDevice, "Device_Type", "must be NVM or SRAM, got '" + type + "'");
  chip.sramCells = type == "SRAM";
  chip.deviceTech_nm = in.atLeast(kDevice, "Device_Tech", 1);
  chip.cellArea_um2 = in.atLeast(kDevice, "Device_Area", 0);
  const std::vector<double> voltages = in.numbers(kDevice, "Read_Voltage");
  for (double v : voltages)
    if (v < 0)
      in.refuse(kDevice, "Read_Voltage", "voltages must not be negative");
  if (!in.failed()) {
    chip.readVoltageFirst_V = voltages.front();
    chip.readVoltageLast_V = voltages.back();
  }
  chip.readLatency_ns = in.atLeast(kDevice, "Read_Latency", 0);
  if (chip.sramCells) {
    // Device.py l.40: an SRAM cell is modelled as two 1.6 MΩ states.
    chip.resistanceFirst_ohm = chip.resistanceLast_ohm = 1.6e6;
    chip.cellLevels = 2;
    return;
  }
  chip.cellLevels = int(in.integer(kDevice, "Device_Level", 2, 1 << 16));
  const std::vector<double> resistances = in.numbers(kDevice, "Device_Resistance");
  for (double r : resistances)
    if (r <= 0)
      in.refuse(kDevice, "Device_Resistance", "resistances must be positive");
  if (!in.failed() && resistances.size() != size_t(chip.cellLevels))
    in.refuse(kDevice, "Device_Resistance",
              "lists " + std::to_string(resistances.size()) + " resistances for Device_Level = " +
                  std::to_string(chip.cellLevels));
  if (!in.failed()) {
    chip.resistanceFirst_ohm = resistances.front();
    chip.resistanceLast_ohm = resistances.back();
  }
}

void readCrossbar(Reader &in, MnsimChip &chip) {
  const std::vector<int64_t> size = in.integers(kCrossbar, "Xbar_Size", 2, 1, kMaxCrossbar);
  if (!in.failed()) {
    chip.xbarRows = size[0];
    chip.xbarCols = size[1];
  }
  chip.subarrayRows = in.integer(kCrossbar, "Subarray_Size", 1, kMaxCrossbar);
  if (!in.failed() && chip.xbarRows % chip.subarrayRows != 0)
    in.refuse(kCrossbar, "Subarray_Size", "must divide the crossbar's " +
                                              std::to_string(chip.xbarRows) + " rows");
  chip.cellType = in.text(kCrossbar, "Cell_Type");
  if (!in.failed() && chip.cellType != "1T1R" && chip.cellType != "0T1R")
    in.refuse(kCrossbar, "Cell_Type", "must be 1T1R or 0T1R, got '" + chip.cellType + "'");
  chip.transistorTech_nm = in.atLeast(kCrossbar, "Transistor_Tech", 1);
  chip.areaCalculation = int(in.integer(kCrossbar, "Area_Calculation", 0, 1));
}

/// A converter from its choice, or from the explicit keys when it is -1.
Converter readConverter(Reader &in, const char *kind, int forcedChoice, int tableSize,
                        const TableConverter *table) {
  const std::string prefix = kind;
  const std::string choiceKey = prefix + "_Choice";
  Converter out;
  out.choice = int(in.integer(kInterface, choiceKey.c_str(), -1, tableSize));
  if (!in.failed() && out.choice == 0)
    in.refuse(kInterface, choiceKey.c_str(),
              "must be -1 (explicit values) or a table choice 1.." + std::to_string(tableSize));
  if (in.failed())
    return out;
  if (out.choice != -1 && forcedChoice != 0)
    out.choice = forcedChoice;
  if (out.choice != -1) {
    const TableConverter &row = table[out.choice - 1];
    out.bits = row.bits;
    out.power_W = row.power_W;
    out.sampleRate_GSps = row.sampleRate_GSps;
    out.area_um2 = row.area_um2;
    return out;
  }
  out.bits = int(in.integer(kInterface, (prefix + "_Precision").c_str(), 1, 16));
  out.power_W = in.atLeast(kInterface, (prefix + "_Power").c_str(), 0);
  out.sampleRate_GSps = in.number(kInterface, (prefix + "_Sample_Rate").c_str());
  if (!in.failed() && out.sampleRate_GSps <= 0)
    in.refuse(kInterface, (prefix + "_Sample_Rate").c_str(), "must be positive");
  out.area_um2 = in.atLeast(kInterface, (prefix + "_Area").c_str(), 0);
  return out;
}

void readPe(Reader &in, MnsimChip &chip) {
  chip.digitalPim = in.integer(kPe, "PIM_Type", 0, 1) == 1;
  // ADC.py l.21 and DAC.py l.20: a digital PIM uses sense amplifiers
  // (ADC choice 8) and 1-bit drivers (DAC choice 1) unless given explicitly.
  chip.adc = readConverter(in, "ADC", chip.digitalPim ? 8 : 0, 9, kAdcTable);
  chip.dac = readConverter(in, "DAC", chip.digitalPim ? 1 : 0, 7, kDacTable);
  chip.logicOp = int(in.integer(kInterface, "Logic_Op", -1, 2));
  chip.polarity = int(in.integer(kPe, "Xbar_Polarity", 1, 2));
  chip.subPosition = chip.polarity == 2 ? int(in.integer(kPe, "Sub_Position", 0, kMaxCount)) : 0;
  chip.groups = int(in.integer(kPe, "Group_Num", 0, kMaxCount));
  if (chip.groups == 0)
    chip.groups = 1;
  const int64_t dacs = in.integer(kPe, "DAC_Num", 0, kMaxCrossbar);
  if (!in.failed() && dacs == 0)
    // PE.py l.169 sizes DACs itself with an undefined name: MNSIM fails.
    in.refuse(kPe, "DAC_Num", "must be given (MNSIM 2.0 fails when it sizes DACs itself)");
  const int64_t adcs = in.integer(kPe, "ADC_Num", 0, kMaxCrossbar);
  chip.peInBuf_KB = in.atLeast(kPe, "PE_inBuf_Size", 0);
  chip.peInBufArea_um2 = in.atLeast(kPe, "PE_inBuf_Area", 0);
  chip.tileOutBuf_KB = in.atLeast(kPe, "Tile_outBuf_Size", 0);
  chip.tileOutBufArea_um2 = in.atLeast(kPe, "Tile_outBuf_Area", 0);
  if (in.failed())
    return;
  chip.dacsPerGroup = dacs * chip.subarrays();
  chip.adcsPerGroup = adcs * chip.subarrays();
}

void readDigital(Reader &in, MnsimChip &chip) {
  chip.digitalFrequency_MHz = in.number(kDigital, "Digital_Frequency");
  if (!in.failed() && chip.digitalFrequency_MHz <= 0)
    in.refuse(kDigital, "Digital_Frequency", "must be positive");
  chip.adderTech_nm = in.atLeast(kDigital, "Adder_Tech", 1);
  chip.adderArea_um2 = in.atLeast(kDigital, "Adder_Area", 0);
  chip.adderPower_W = in.atLeast(kDigital, "Adder_Power", 0);
  // ShiftReg.py, Reg.py, JointModule.py: a technology <= 0 means 65 nm.
  auto tech = [&](const char *key) {
    const double value = in.number(kDigital, key);
    return value <= 0 ? 65.0 : value;
  };
  chip.shiftRegTech_nm = tech("ShiftReg_Tech");
  chip.shiftRegArea_um2 = in.atLeast(kDigital, "ShiftReg_Area", 0);
  chip.shiftRegPower_W = in.atLeast(kDigital, "ShiftReg_Power", 0);
  chip.regTech_nm = tech("Reg_Tech");
  chip.regArea_um2 = in.atLeast(kDigital, "Reg_Area", 0);
  chip.regPower_W = in.atLeast(kDigital, "Reg_Power", 0);
  chip.jointModuleTech_nm = tech("JointModule_Tech");
  chip.jointModuleArea_um2 = in.atLeast(kDigital, "JointModule_Area", 0);
  chip.jointModulePower_W = in.atLeast(kDigital, "JointModule_Power", 0);
}

void readTile(Reader &in, MnsimChip &chip) {
  const std::vector<int64_t> pes = in.integers(kTile, "PE_Num", 2, 0, kMaxCount);
  if (!in.failed())
    chip.pesPerTile = pes[0] == 0 ? 16 : pes[0] * pes[1];
  if (!in.failed() && chip.pesPerTile == 0)
    in.refuse(kTile, "PE_Num", "must give a tile at least one PE");
  const std::vector<int64_t> shape = in.integers(kTile, "Pooling_shape", 2, 0, kMaxCount);
  if (!in.failed())
    chip.poolingWindow = shape[0] * shape[1] == 0 ? 9 : shape[0] * shape[1];
  chip.poolingUnits = in.integer(kTile, "Pooling_unit_num", 0, kMaxCrossbar);
  if (chip.poolingUnits == 0)
    chip.poolingUnits = 64;
  chip.poolingTech_nm = in.atLeast(kTile, "Pooling_Tech", 0);
  if (chip.poolingTech_nm == 0)
    chip.poolingTech_nm = 65;
  // Pooling.py l.42: at 65 nm with a 3×3 window MNSIM looks the unit count
  // up in a table that only has 64 units.
  if (!in.failed() && chip.poolingTech_nm == 65 && chip.poolingWindow == 9 &&
      chip.poolingUnits != 64)
    in.refuse(kTile, "Pooling_unit_num",
              "MNSIM 2.0 models 64 pooling units at 65 nm with a 3x3 window, got " +
                  std::to_string(chip.poolingUnits));
  chip.interTileBandwidth = in.number(kTile, "Inter_Tile_Bandwidth");
  if (!in.failed() && chip.interTileBandwidth <= 0)
    in.refuse(kTile, "Inter_Tile_Bandwidth", "must be positive");
  chip.intraTileBandwidth = in.number(kTile, "Intra_Tile_Bandwidth");
  if (!in.failed() && chip.intraTileBandwidth <= 0)
    in.refuse(kTile, "Intra_Tile_Bandwidth", "must be positive");
}

void readArchitecture(Reader &in, MnsimChip &chip) {
  chip.bufferTech_nm = in.atLeast(kArchitecture, "Buffer_Technology", 0);
  if (chip.bufferTech_nm == 0)
    chip.bufferTech_nm = 65;
  chip.bufferBitwidth = double(in.integer(kArchitecture, "Buffer_Bitwidth", 0, kMaxCrossbar));
  if (chip.bufferBitwidth == 0)
    chip.bufferBitwidth = 256;
  chip.tileConnection = int(in.integer(kArchitecture, "Tile_Connection", 0, 3));
  const std::vector<int64_t> tiles = in.integers(kArchitecture, "Tile_Num", 2, 0, kMaxCount);
  if (in.failed())
    return;
  chip.tileRows = tiles[0] == 0 ? 8 : tiles[0];
  chip.tileCols = tiles[0] == 0 ? 8 : tiles[1];
  if (chip.tileCols == 0)
    in.refuse(kArchitecture, "Tile_Num", "must have at least one column of tiles");
  // The spiral order (Tile_connection_graph.py generate_hui_matrix) walks
  // square shells and leaves a non-square grid.
  if (!in.failed() && chip.tileConnection == 2 && chip.tileRows != chip.tileCols)
    in.refuse(kArchitecture, "Tile_Num",
              "Tile_Connection = 2 (spiral) needs a square grid of tiles");
}

} // namespace

Expected<MnsimChip> importMnsim(const SimConfig &config) {
  if (std::string unmodelled = unmodelledSetting(config); !unmodelled.empty())
    return fail(unmodelled);
  Reader in(config);
  MnsimChip chip;
  chip.source = config.source();
  readDevice(in, chip);
  readCrossbar(in, chip);
  readPe(in, chip);
  readDigital(in, chip);
  readTile(in, chip);
  readArchitecture(in, chip);
  if (in.failed())
    return fail(in.message());
  return chip;
}

} // namespace hpt::hw::pim
