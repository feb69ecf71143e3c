//===- MnsimChip.cpp - MNSIM's SimConfig.ini as a ReRAM section -----------===//
//
// The importer: each value MNSIM's hardware model reads, checked and resolved
// as MNSIM resolves it (Hardware_Model/*.py at ca39ccb), with its source. The
// ADC and DAC tables are MNSIM's (ADC.py l.33-93, DAC.py l.34-63).
//
//===----------------------------------------------------------------------===//

#include "hardware/pim/Mnsim.h"
#include "hardware/pim/MnsimTables.h"

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

/// Reads values of one config with errors that name the key, and gives each
/// the source "file:line: [Section] Key".
class Reader {
public:
  explicit Reader(const SimConfig &config) : config(config) {}

  bool failed() const { return !error.empty(); }
  const std::string &message() const { return error; }
  std::string at(const char *section, const char *key) const { return config.at(section, key); }

  Quantity number(const char *section, const char *key) {
    if (failed())
      return {};
    Expected<double> value = config.number(section, key);
    if (!value) {
      error = value.error();
      return {};
    }
    return {*value, at(section, key)};
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
  Quantity atLeast(const char *section, const char *key, double low) {
    const Quantity q = number(section, key);
    if (!failed() && q.value < low)
      refuse(section, key, "must be at least " + show(low) + ", got " + show(q.value));
    return q;
  }

  /// A positive value.
  Quantity positive(const char *section, const char *key) {
    const Quantity q = number(section, key);
    if (!failed() && !(q.value > 0))
      refuse(section, key, "must be positive, got " + show(q.value));
    return q;
  }

  /// A whole number in [low, high].
  Quantity integer(const char *section, const char *key, int64_t low, int64_t high) {
    const Quantity q = number(section, key);
    if (failed())
      return {};
    if (q.value != std::floor(q.value) || q.value < double(low) || q.value > double(high)) {
      refuse(section, key,
             "must be a whole number in [" + std::to_string(low) + ", " + std::to_string(high) +
                 "], got " + show(q.value));
      return {};
    }
    return q;
  }

  /// A list of exactly `count` whole numbers in [low, high].
  std::vector<int64_t> integers(const char *section, const char *key, size_t count, int64_t low,
                                int64_t high) {
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

  /// A technology where MNSIM reads `zero` (or less) as a default.
  Quantity tech(const char *section, const char *key, double fallback, const char *where) {
    Quantity q = number(section, key);
    if (!failed() && q.value <= 0)
      q = {fallback, q.source + " (0: MNSIM's " + std::to_string(int(fallback)) + " nm, " + where +
                         ")"};
    return q;
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

void readDevice(Reader &in, ReramModel &m) {
  const std::string type = in.text(kDevice, "Device_Type");
  if (!in.failed() && type != "NVM")
    in.refuse(kDevice, "Device_Type",
              "hpt's ReRAM section models NVM cells (MNSIM's SRAM crossbars are not ReRAM), got '" +
                  type + "'");
  m.deviceTech = in.positive(kDevice, "Device_Tech");
  m.cellArea = in.atLeast(kDevice, "Device_Area", 0);
  const std::vector<double> voltages = in.numbers(kDevice, "Read_Voltage");
  for (double v : voltages)
    if (v < 0)
      in.refuse(kDevice, "Read_Voltage", "voltages must not be negative");
  if (!in.failed()) {
    // Device.py l.66 reads the first and last level only.
    m.readVoltageLow = {voltages.front(), in.at(kDevice, "Read_Voltage") + " (first)"};
    m.readVoltageHigh = {voltages.back(), in.at(kDevice, "Read_Voltage") + " (last)"};
  }
  m.readLatency = in.atLeast(kDevice, "Read_Latency", 0);
  const Quantity levels = in.integer(kDevice, "Device_Level", 2, 1 << 16);
  const std::vector<double> resistances = in.numbers(kDevice, "Device_Resistance");
  for (double r : resistances)
    if (r <= 0)
      in.refuse(kDevice, "Device_Resistance", "resistances must be positive");
  if (!in.failed() && resistances.size() != size_t(levels.value))
    in.refuse(kDevice, "Device_Resistance",
              "lists " + std::to_string(resistances.size()) + " resistances for Device_Level = " +
                  Reader::show(levels.value));
  if (!in.failed() && !(resistances.front() > resistances.back()))
    in.refuse(kDevice, "Device_Resistance",
              "the first (off) resistance must exceed the last (on) one");
  if (in.failed())
    return;
  m.resistanceHigh = {resistances.front(), in.at(kDevice, "Device_Resistance") + " (first)"};
  m.resistanceLow = {resistances.back(), in.at(kDevice, "Device_Resistance") + " (last)"};
  // hpt's tiling stores whole bits per cell; MNSIM's counts ignore them.
  m.cellBits = {std::floor(std::log2(levels.value)),
                levels.source + " (floor(log2(Device_Level)) bits)"};
  // Device.py l.62: the write voltage is the mean of the first and last.
  const std::vector<double> writes = in.numbers(kDevice, "Write_Voltage");
  if (!in.failed()) {
    const double mean = (writes.front() + writes.back()) / 2;
    if (!(mean > 0))
      in.refuse(kDevice, "Write_Voltage", "the mean write voltage must be positive");
    m.writeVoltage = {mean, in.at(kDevice, "Write_Voltage") + " (mean of first and last, "
                                                              "MNSIM Device.py l.62)"};
  }
  m.writePulseWidth = in.positive(kDevice, "Write_Latency");
  // Weight_update.py: variation is a percentage of each state's resistance,
  // stuck-at fractions are percentages.
  const Quantity variation = in.atLeast(kDevice, "Device_Variation", 0);
  m.programmingNoise = {variation.value / 100, variation.source + " (percent)"};
  const std::vector<double> saf = in.numbers(kDevice, "Device_SAF");
  if (!in.failed()) {
    if (saf.front() < 0 || saf.back() < 0 || saf.front() + saf.back() > 100)
      in.refuse(kDevice, "Device_SAF", "must be two percentages that sum to at most 100");
    m.stuckOff = {saf.front() / 100, in.at(kDevice, "Device_SAF") + " (first, percent)"};
    m.stuckOn = {saf.back() / 100, in.at(kDevice, "Device_SAF") + " (last, percent)"};
  }
}

void readCrossbar(Reader &in, ReramModel &m) {
  const std::vector<int64_t> size = in.integers(kCrossbar, "Xbar_Size", 2, 1, kMaxCrossbar);
  if (!in.failed()) {
    m.xbarRows = {double(size[0]), in.at(kCrossbar, "Xbar_Size") + " (rows)"};
    m.xbarCols = {double(size[1]), in.at(kCrossbar, "Xbar_Size") + " (columns)"};
  }
  m.subarrayRows = in.integer(kCrossbar, "Subarray_Size", 1, kMaxCrossbar);
  if (!in.failed() && std::fmod(m.xbarRows.value, m.subarrayRows.value) != 0)
    in.refuse(kCrossbar, "Subarray_Size",
              "must divide the crossbar's " + Reader::show(m.xbarRows.value) + " rows");
  const std::string cell = in.text(kCrossbar, "Cell_Type");
  if (!in.failed() && cell != "1T1R" && cell != "0T1R")
    in.refuse(kCrossbar, "Cell_Type", "must be 1T1R or 0T1R, got '" + cell + "'");
  m.cellType = {cell == "0T1R" ? CellType::ZeroT1R : CellType::OneT1R,
                in.at(kCrossbar, "Cell_Type")};
  m.transistorTech = in.positive(kCrossbar, "Transistor_Tech");
  const Quantity area = in.integer(kCrossbar, "Area_Calculation", 0, 1);
  m.areaModel = {area.value == 1 ? AreaModel::FeatureSize : AreaModel::CellAndPeriphery,
                 area.source};
}

/// A converter from its choice, or from the explicit keys when it is -1.
/// Returns the choice, or 0 on a failure.
int readConverter(Reader &in, const char *kind, int forcedChoice, int tableSize,
                  const TableConverter *table, Quantity &bits, Quantity &power, Quantity &rate,
                  Quantity &area) {
  const std::string prefix = kind;
  const std::string choiceKey = prefix + "_Choice";
  const Quantity choiceValue = in.integer(kInterface, choiceKey.c_str(), -1, tableSize);
  int choice = int(choiceValue.value);
  if (!in.failed() && choice == 0)
    in.refuse(kInterface, choiceKey.c_str(),
              "must be -1 (explicit values) or a table choice 1.." + std::to_string(tableSize));
  if (in.failed())
    return 0;
  if (choice != -1) {
    std::string source = "MNSIM 2.0 " + prefix + ".py table, choice ";
    if (forcedChoice != 0 && choice != forcedChoice) {
      source += std::to_string(forcedChoice) + " (PIM_Type = 1 replaces " + choiceValue.source + ")";
      choice = forcedChoice;
    } else {
      source += std::to_string(choice) + " (" + choiceValue.source + ")";
    }
    const TableConverter &row = table[choice - 1];
    bits = {double(row.bits), source};
    power = {row.power_W, source};
    rate = {row.sampleRate_GSps, source};
    area = {row.area_um2, source};
    return choice;
  }
  bits = in.integer(kInterface, (prefix + "_Precision").c_str(), 1, 16);
  power = in.atLeast(kInterface, (prefix + "_Power").c_str(), 0);
  rate = in.positive(kInterface, (prefix + "_Sample_Rate").c_str());
  area = in.atLeast(kInterface, (prefix + "_Area").c_str(), 0);
  return in.failed() ? 0 : -1;
}

void readPe(Reader &in, ReramModel &m) {
  const Quantity pim = in.integer(kPe, "PIM_Type", 0, 1);
  m.pimType = {pim.value == 1 ? PimType::Digital : PimType::Analog, pim.source};
  // ADC.py l.21 and DAC.py l.20: a digital PIM uses sense amplifiers
  // (ADC choice 8) and 1-bit drivers (DAC choice 1) unless given explicitly.
  const bool digital = m.pimType.value == PimType::Digital;
  const int adc = readConverter(in, "ADC", digital ? 8 : 0, 9, kAdcTable, m.adcBits, m.adcPower,
                                m.adcSampleRate, m.adcArea);
  m.adcTiming = {adc == 9 ? AdcTiming::Ramp : AdcTiming::Sar,
                 "MNSIM 2.0 ADC.py l.110 (ramp for choice 9, " + in.at(kInterface, "ADC_Choice") +
                     ")"};
  readConverter(in, "DAC", digital ? 1 : 0, 7, kDacTable, m.dacBits, m.dacPower, m.dacSampleRate,
                m.dacArea);
  // ADC.py l.45-50: a logic gate beside each ADC.
  const Quantity op = in.integer(kInterface, "Logic_Op", -1, 2);
  const double gate = op.value == 2 ? 19.2 * 0.18 : op.value >= 0 ? 17.28 * 0.18 : 0;
  m.adcGateArea = {gate, op.source + " (MNSIM 2.0 ADC.py l.45)"};
  m.crossbarsPerWeight = in.integer(kPe, "Xbar_Polarity", 1, 2);
  m.subPosition = m.crossbarsPerWeight.value == 2
                      ? in.integer(kPe, "Sub_Position", 0, kMaxCount)
                      : Quantity{0, in.at(kPe, "Xbar_Polarity") + " (no ± pair)"};
  m.groups = in.integer(kPe, "Group_Num", 0, kMaxCount);
  if (m.groups.value == 0)
    m.groups = {1, m.groups.source + " (0: MNSIM's 1)"};
  m.dacsPerSubarray = in.integer(kPe, "DAC_Num", 0, kMaxCrossbar);
  if (!in.failed() && m.dacsPerSubarray.value == 0)
    // PE.py l.169 sizes DACs itself with an undefined name: MNSIM fails.
    in.refuse(kPe, "DAC_Num", "must be given (MNSIM 2.0 fails when it sizes DACs itself)");
  m.adcsPerSubarray = in.integer(kPe, "ADC_Num", 0, kMaxCrossbar); // 0: resolved below
  m.peInputBuffer = in.atLeast(kPe, "PE_inBuf_Size", 0);
  m.peInputBufferArea = in.atLeast(kPe, "PE_inBuf_Area", 0);
  m.tileOutputBuffer = in.atLeast(kPe, "Tile_outBuf_Size", 0);
  m.tileOutputBufferArea = in.atLeast(kPe, "Tile_outBuf_Area", 0);
}

void readDigital(Reader &in, ReramModel &m) {
  m.digitalClock = in.positive(kDigital, "Digital_Frequency");
  m.adderTech = in.positive(kDigital, "Adder_Tech");
  m.adderArea = in.atLeast(kDigital, "Adder_Area", 0);
  m.adderPower = in.atLeast(kDigital, "Adder_Power", 0);
  m.shiftRegTech = in.tech(kDigital, "ShiftReg_Tech", 65, "ShiftReg.py");
  m.shiftRegArea = in.atLeast(kDigital, "ShiftReg_Area", 0);
  m.shiftRegPower = in.atLeast(kDigital, "ShiftReg_Power", 0);
  m.regTech = in.tech(kDigital, "Reg_Tech", 65, "Reg.py");
  m.regArea = in.atLeast(kDigital, "Reg_Area", 0);
  m.regPower = in.atLeast(kDigital, "Reg_Power", 0);
  m.jointModuleTech = in.tech(kDigital, "JointModule_Tech", 65, "JointModule.py");
  m.jointModuleArea = in.atLeast(kDigital, "JointModule_Area", 0);
  m.jointModulePower = in.atLeast(kDigital, "JointModule_Power", 0);
}

void readTile(Reader &in, ReramModel &m) {
  // Tile.py reads PE_Num = 0 as 4 x 4, but interface.py l.249 divides by
  // it: MNSIM fails, so hpt asks for the count.
  const std::vector<int64_t> pes = in.integers(kTile, "PE_Num", 2, 1, kMaxCount);
  if (!in.failed())
    m.pesPerTile = {double(pes[0] * pes[1]), in.at(kTile, "PE_Num") + " (product)"};
  const std::vector<int64_t> shape = in.integers(kTile, "Pooling_shape", 2, 0, kMaxCount);
  if (!in.failed()) {
    const bool fallback = shape[0] * shape[1] == 0;
    m.poolingWindow = {double(fallback ? 9 : shape[0] * shape[1]),
                       in.at(kTile, "Pooling_shape") + (fallback ? " (0: MNSIM's 3x3)" : "")};
  }
  m.poolingUnits = in.integer(kTile, "Pooling_unit_num", 0, kMaxCrossbar);
  if (m.poolingUnits.value == 0)
    m.poolingUnits = {64, m.poolingUnits.source + " (0: MNSIM's 64)"};
  m.poolingTech = in.tech(kTile, "Pooling_Tech", 65, "Pooling.py");
  // Pooling.py l.42: at 65 nm with a 3×3 window MNSIM looks the unit count
  // up in a table that only has 64 units.
  if (!in.failed() && m.poolingTech.value == 65 && m.poolingWindow.value == 9 &&
      m.poolingUnits.value != 64)
    in.refuse(kTile, "Pooling_unit_num",
              "MNSIM 2.0 models 64 pooling units at 65 nm with a 3x3 window, got " +
                  Reader::show(m.poolingUnits.value));
  m.interTileBandwidth = in.positive(kTile, "Inter_Tile_Bandwidth");
  m.intraTileBandwidth = in.positive(kTile, "Intra_Tile_Bandwidth");
}

void readArchitecture(Reader &in, ReramModel &m) {
  m.bufferTech = in.tech(kArchitecture, "Buffer_Technology", 65, "Buffer.py");
  m.bufferBus = in.integer(kArchitecture, "Buffer_Bitwidth", 0, kMaxCrossbar);
  if (!in.failed() && m.bufferBus.value == 0)
    m.bufferBus = {256, m.bufferBus.source + " (0: MNSIM's 256 bits)"};
  if (!in.failed()) {
    // hpt's model charges a read's bytes as MNSIM's buffers do: 20 ns per bus
    // word (Buffer.py l.325), and the smallest SRAM table entry's read
    // energy per word (Buffer.py l.385) spread over its bytes.
    const double bytes = m.bufferBus.value / 8;
    const std::string source = m.bufferBus.source + " (MNSIM 2.0 Buffer.py: 20 ns per bus word)";
    m.inputBufferLatency = {20 / bytes, source};
    m.outputBufferLatency = {20 / bytes, source};
    const size_t row = m.bufferTech.value >= 90 ? 0 : m.bufferTech.value >= 65 ? 1 : 2;
    const size_t width = m.bufferBus.value <= 64 ? 0 : m.bufferBus.value <= 128 ? 1 : 2;
    m.bufferEnergy = {mnsim::kSramReadEnergy[36 * row + width] * 1e3 / bytes,
                      m.bufferBus.source + " (MNSIM 2.0 Buffer.py l.385: a 2 KB buffer's read "
                                           "energy per word)"};
  }
  const Quantity order = in.integer(kArchitecture, "Tile_Connection", 0, 3);
  m.tileOrder = {TileOrder(int(order.value)), order.source};
  const std::vector<int64_t> tiles = in.integers(kArchitecture, "Tile_Num", 2, 0, kMaxCount);
  if (in.failed())
    return;
  const bool fallback = tiles[0] == 0; // TCG l.193: 0 means 8 x 8
  const std::string source = in.at(kArchitecture, "Tile_Num");
  m.tileRows = {double(fallback ? 8 : tiles[0]), source + (fallback ? " (0: MNSIM's 8)" : "")};
  m.tileCols = {double(fallback ? 8 : tiles[1]), source + (fallback ? " (0: MNSIM's 8)" : "")};
  if (m.tileCols.value == 0)
    in.refuse(kArchitecture, "Tile_Num", "must have at least one column of tiles");
  // The spiral order (Tile_connection_graph.py generate_hui_matrix) walks
  // square shells and leaves a non-square grid.
  if (!in.failed() && m.tileOrder.value == TileOrder::Spiral &&
      m.tileRows.value != m.tileCols.value)
    in.refuse(kArchitecture, "Tile_Num",
              "Tile_Connection = 2 (spiral) needs a square grid of tiles");
}

/// What MNSIM does not describe, as hpt's assumptions.
void assumeRest(ReramModel &m, const std::string &path) {
  m.instances = {1, "assumption: one chip as " + path + " describes it"};
  m.weightBits = {8, "assumption: 8-bit weights (MNSIM takes bits per layer, not per chip)"};
  m.inputBits = {8, "assumption: 8-bit inputs and errors (MNSIM takes bits per layer)"};
  m.writeLevels = {97, "assumption: NeuroSim V2.1's default RRAM (Ag:a-Si), maxNumLevelLTP = 97"};
  m.endurance = {1e6, "assumption: full-window RRAM switching, far below the ~1e11 cycles of "
                      "incremental switching (IEDM 2018); MNSIM does not model wear"};
  m.readNoise = {0, "assumption: MNSIM 2.0 has no read noise"};
  m.driftExponent = {0, "assumption: MNSIM 2.0 has no conductance drift"};
  m.driftReference = {20, "AIHWKit PCM preset t0 = 20 s (unused while the drift exponent is 0)"};
}

} // namespace

Expected<ReramModel> importMnsim(const SimConfig &config) {
  if (std::string unmodelled = unmodelledSetting(config); !unmodelled.empty())
    return fail(unmodelled);
  Reader in(config);
  ReramModel m;
  readDevice(in, m);
  readCrossbar(in, m);
  readPe(in, m);
  readDigital(in, m);
  readTile(in, m);
  readArchitecture(in, m);
  if (in.failed())
    return fail(in.message());
  assumeRest(m, config.source());
  if (m.adcsPerSubarray.value == 0) {
    // PE.py l.146: as many ADCs as fit beside the crossbar, at most one per
    // column.
    const MnsimChip chip = mnsimChip(m, config.source());
    const double fit = std::ceil(std::sqrt(mnsimCrossbarArea(chip)) * double(chip.polarity) /
                                 std::sqrt(chip.adc.area_um2 + chip.adcGateArea_um2));
    m.adcsPerSubarray = {
        std::min((m.subPosition.value + 1) * fit, m.xbarCols.value),
        m.adcsPerSubarray.source + " (0: as many as fit beside the crossbar, MNSIM PE.py l.146)"};
  }
  return m;
}

MnsimChip mnsimChip(const ReramModel &m, const std::string &source) {
  MnsimChip c;
  c.source = source;
  c.deviceTech_nm = m.deviceTech.value;
  c.cellArea_um2 = m.cellArea.value;
  c.readVoltageFirst_V = m.readVoltageLow.value;
  c.readVoltageLast_V = m.readVoltageHigh.value;
  c.readLatency_ns = m.readLatency.value;
  c.resistanceFirst_ohm = m.resistanceHigh.value;
  c.resistanceLast_ohm = m.resistanceLow.value;
  c.zeroT1R = m.cellType.value == CellType::ZeroT1R;
  c.xbarRows = int64_t(m.xbarRows.value);
  c.xbarCols = int64_t(m.xbarCols.value);
  c.subarrayRows = int64_t(m.subarrayRows.value);
  c.transistorTech_nm = m.transistorTech.value;
  c.featureSizeArea = m.areaModel.value == AreaModel::FeatureSize;
  c.dac = {int(m.dacBits.value), m.dacPower.value, m.dacSampleRate.value, m.dacArea.value};
  c.adc = {int(m.adcBits.value), m.adcPower.value, m.adcSampleRate.value, m.adcArea.value};
  c.adcGateArea_um2 = m.adcGateArea.value;
  c.rampAdc = m.adcTiming.value == AdcTiming::Ramp;
  c.digitalPim = m.pimType.value == PimType::Digital;
  c.polarity = int(m.crossbarsPerWeight.value);
  c.subPosition = int(m.subPosition.value);
  c.groups = int(m.groups.value);
  c.dacsPerGroup = int64_t(m.dacsPerSubarray.value) * c.subarrays();
  c.adcsPerGroup = int64_t(m.adcsPerSubarray.value) * c.subarrays();
  c.peInBuf_KB = m.peInputBuffer.value;
  c.peInBufArea_um2 = m.peInputBufferArea.value;
  c.tileOutBuf_KB = m.tileOutputBuffer.value;
  c.tileOutBufArea_um2 = m.tileOutputBufferArea.value;
  c.digitalFrequency_MHz = m.digitalClock.value;
  c.adderTech_nm = m.adderTech.value;
  c.adderArea_um2 = m.adderArea.value;
  c.adderPower_W = m.adderPower.value;
  c.shiftRegTech_nm = m.shiftRegTech.value;
  c.shiftRegArea_um2 = m.shiftRegArea.value;
  c.shiftRegPower_W = m.shiftRegPower.value;
  c.regTech_nm = m.regTech.value;
  c.regArea_um2 = m.regArea.value;
  c.regPower_W = m.regPower.value;
  c.jointModuleTech_nm = m.jointModuleTech.value;
  c.jointModuleArea_um2 = m.jointModuleArea.value;
  c.jointModulePower_W = m.jointModulePower.value;
  c.pesPerTile = int64_t(m.pesPerTile.value);
  c.poolingWindow = int64_t(m.poolingWindow.value);
  c.poolingUnits = int64_t(m.poolingUnits.value);
  c.poolingTech_nm = m.poolingTech.value;
  c.interTileBandwidth = m.interTileBandwidth.value;
  c.intraTileBandwidth = m.intraTileBandwidth.value;
  c.bufferTech_nm = m.bufferTech.value;
  c.bufferBitwidth = m.bufferBus.value;
  c.tileOrder = m.tileOrder.value;
  c.tileRows = int64_t(m.tileRows.value);
  c.tileCols = int64_t(m.tileCols.value);
  return c;
}

const char *name(CellType v) { return v == CellType::ZeroT1R ? "0t1r" : "1t1r"; }
const char *name(PimType v) { return v == PimType::Digital ? "digital" : "analog"; }
const char *name(AdcTiming v) { return v == AdcTiming::Ramp ? "ramp" : "sar"; }
const char *name(AreaModel v) {
  return v == AreaModel::FeatureSize ? "feature-size" : "cell-and-periphery";
}
const char *name(TileOrder v) {
  switch (v) {
  case TileOrder::RowMajor:
    return "row-major";
  case TileOrder::Snake:
    return "snake";
  case TileOrder::Spiral:
    return "spiral";
  case TileOrder::Zigzag:
    return "zigzag";
  }
  return "?";
}

namespace {
template <typename E, size_t N> bool pick(std::string_view text, const E (&all)[N], E &out) {
  for (E v : all)
    if (text == name(v)) {
      out = v;
      return true;
    }
  return false;
}
} // namespace

bool fromName(std::string_view text, CellType &out) {
  return pick(text, {CellType::OneT1R, CellType::ZeroT1R}, out);
}
bool fromName(std::string_view text, PimType &out) {
  return pick(text, {PimType::Analog, PimType::Digital}, out);
}
bool fromName(std::string_view text, AdcTiming &out) {
  return pick(text, {AdcTiming::Sar, AdcTiming::Ramp}, out);
}
bool fromName(std::string_view text, AreaModel &out) {
  return pick(text, {AreaModel::CellAndPeriphery, AreaModel::FeatureSize}, out);
}
bool fromName(std::string_view text, TileOrder &out) {
  return pick(text, {TileOrder::RowMajor, TileOrder::Snake, TileOrder::Spiral, TileOrder::Zigzag},
              out);
}

} // namespace hpt::hw::pim
