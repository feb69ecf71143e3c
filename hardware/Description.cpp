//===- Description.cpp - the hardware description --------------------------===//
//
// The schema is written once, as the tables below; the reader and the
// writer both walk them, so they cannot disagree on a key or a unit.
//
//===----------------------------------------------------------------------===//

#include "hardware/Description.h"

#include "hardware/Json.h"

#include <cmath>
#include <fstream>
#include <sstream>

namespace hpt::hw {
namespace {

using json::Value;

enum class Bound { Positive, NonNegative, PositiveInteger, NonNegativeInteger };

/// One constant of a section: its key, the unit the file must state, what
/// values make sense, and where it is stored.
template <typename Section> struct QuantityField {
  const char *key;
  const char *unit;
  Bound bound;
  Quantity Section::*member;
};

const QuantityField<HostModel> kHostFields[] = {
    {"gemm_rate", "GFLOP/s", Bound::Positive, &HostModel::gemmRate},
    {"vector_rate", "Gelement/s", Bound::Positive, &HostModel::vectorRate},
    {"active_power", "W", Bound::NonNegative, &HostModel::activePower},
    {"static_power", "W", Bound::NonNegative, &HostModel::staticPower},
};

const QuantityField<SystolicModel> kSystolicFields[] = {
    {"instances", "cores", Bound::PositiveInteger, &SystolicModel::instances},
    {"rows", "PEs", Bound::PositiveInteger, &SystolicModel::rows},
    {"cols", "PEs", Bound::PositiveInteger, &SystolicModel::cols},
    {"ifmap_sram", "KiB", Bound::PositiveInteger, &SystolicModel::ifmapSram},
    {"filter_sram", "KiB", Bound::PositiveInteger, &SystolicModel::filterSram},
    {"ofmap_sram", "KiB", Bound::PositiveInteger, &SystolicModel::ofmapSram},
    {"clock", "GHz", Bound::Positive, &SystolicModel::clock},
    {"mac_energy", "pJ", Bound::NonNegative, &SystolicModel::macEnergy},
    {"sram_access_energy", "pJ", Bound::NonNegative, &SystolicModel::sramAccessEnergy},
    {"dram_energy", "pJ/byte", Bound::NonNegative, &SystolicModel::dramEnergy},
    {"vector_op_energy", "pJ", Bound::NonNegative, &SystolicModel::vectorOpEnergy},
    {"static_power", "W", Bound::NonNegative, &SystolicModel::staticPower},
};

const QuantityField<Link> kLinkFields[] = {
    {"bandwidth", "GB/s", Bound::Positive, &Link::bandwidth},
    {"latency", "ns", Bound::NonNegative, &Link::latency},
    {"energy", "pJ/byte", Bound::NonNegative, &Link::energy},
};

using pim::ReramModel;
const QuantityField<ReramModel> kReramFields[] = {
    {"instances", "chips", Bound::PositiveInteger, &ReramModel::instances},
    {"device_tech", "nm", Bound::Positive, &ReramModel::deviceTech},
    {"cell_area", "um^2", Bound::NonNegative, &ReramModel::cellArea},
    {"cell_bits", "bits", Bound::PositiveInteger, &ReramModel::cellBits},
    {"read_voltage_low", "V", Bound::NonNegative, &ReramModel::readVoltageLow},
    {"read_voltage_high", "V", Bound::NonNegative, &ReramModel::readVoltageHigh},
    {"read_latency", "ns", Bound::NonNegative, &ReramModel::readLatency},
    {"resistance_high", "ohm", Bound::Positive, &ReramModel::resistanceHigh},
    {"resistance_low", "ohm", Bound::Positive, &ReramModel::resistanceLow},
    {"xbar_rows", "cells", Bound::PositiveInteger, &ReramModel::xbarRows},
    {"xbar_cols", "cells", Bound::PositiveInteger, &ReramModel::xbarCols},
    {"subarray_rows", "cells", Bound::PositiveInteger, &ReramModel::subarrayRows},
    {"transistor_tech", "nm", Bound::Positive, &ReramModel::transistorTech},
    {"dac_bits", "bits", Bound::PositiveInteger, &ReramModel::dacBits},
    {"dac_power", "W", Bound::NonNegative, &ReramModel::dacPower},
    {"dac_sample_rate", "GS/s", Bound::Positive, &ReramModel::dacSampleRate},
    {"dac_area", "um^2", Bound::NonNegative, &ReramModel::dacArea},
    {"adc_bits", "bits", Bound::PositiveInteger, &ReramModel::adcBits},
    {"adc_power", "W", Bound::NonNegative, &ReramModel::adcPower},
    {"adc_sample_rate", "GS/s", Bound::Positive, &ReramModel::adcSampleRate},
    {"adc_area", "um^2", Bound::NonNegative, &ReramModel::adcArea},
    {"adc_gate_area", "um^2", Bound::NonNegative, &ReramModel::adcGateArea},
    {"crossbars_per_weight", "crossbars", Bound::PositiveInteger, &ReramModel::crossbarsPerWeight},
    {"sub_position", "index", Bound::NonNegativeInteger, &ReramModel::subPosition},
    {"groups", "crossbars", Bound::PositiveInteger, &ReramModel::groups},
    {"dacs_per_subarray", "DACs", Bound::PositiveInteger, &ReramModel::dacsPerSubarray},
    {"adcs_per_subarray", "ADCs", Bound::PositiveInteger, &ReramModel::adcsPerSubarray},
    {"pe_input_buffer", "KB", Bound::NonNegative, &ReramModel::peInputBuffer},
    {"pe_input_buffer_area", "um^2", Bound::NonNegative, &ReramModel::peInputBufferArea},
    {"tile_output_buffer", "KB", Bound::NonNegative, &ReramModel::tileOutputBuffer},
    {"tile_output_buffer_area", "um^2", Bound::NonNegative, &ReramModel::tileOutputBufferArea},
    {"digital_clock", "MHz", Bound::Positive, &ReramModel::digitalClock},
    {"adder_tech", "nm", Bound::Positive, &ReramModel::adderTech},
    {"adder_area", "um^2", Bound::NonNegative, &ReramModel::adderArea},
    {"adder_power", "W", Bound::NonNegative, &ReramModel::adderPower},
    {"shiftreg_tech", "nm", Bound::Positive, &ReramModel::shiftRegTech},
    {"shiftreg_area", "um^2", Bound::NonNegative, &ReramModel::shiftRegArea},
    {"shiftreg_power", "W", Bound::NonNegative, &ReramModel::shiftRegPower},
    {"reg_tech", "nm", Bound::Positive, &ReramModel::regTech},
    {"reg_area", "um^2", Bound::NonNegative, &ReramModel::regArea},
    {"reg_power", "W", Bound::NonNegative, &ReramModel::regPower},
    {"joint_module_tech", "nm", Bound::Positive, &ReramModel::jointModuleTech},
    {"joint_module_area", "um^2", Bound::NonNegative, &ReramModel::jointModuleArea},
    {"joint_module_power", "W", Bound::NonNegative, &ReramModel::jointModulePower},
    {"pes_per_tile", "PEs", Bound::PositiveInteger, &ReramModel::pesPerTile},
    {"pooling_window", "inputs", Bound::PositiveInteger, &ReramModel::poolingWindow},
    {"pooling_units", "units", Bound::PositiveInteger, &ReramModel::poolingUnits},
    {"pooling_tech", "nm", Bound::Positive, &ReramModel::poolingTech},
    {"inter_tile_bandwidth", "bit/ns", Bound::Positive, &ReramModel::interTileBandwidth},
    {"intra_tile_bandwidth", "bit/ns", Bound::Positive, &ReramModel::intraTileBandwidth},
    {"buffer_tech", "nm", Bound::Positive, &ReramModel::bufferTech},
    {"buffer_bus", "bits", Bound::PositiveInteger, &ReramModel::bufferBus},
    {"tile_rows", "tiles", Bound::PositiveInteger, &ReramModel::tileRows},
    {"tile_cols", "tiles", Bound::PositiveInteger, &ReramModel::tileCols},
    {"input_buffer_latency", "ns/byte", Bound::NonNegative, &ReramModel::inputBufferLatency},
    {"output_buffer_latency", "ns/byte", Bound::NonNegative, &ReramModel::outputBufferLatency},
    {"buffer_energy", "pJ/byte", Bound::NonNegative, &ReramModel::bufferEnergy},
    {"weight_bits", "bits", Bound::PositiveInteger, &ReramModel::weightBits},
    {"input_bits", "bits", Bound::PositiveInteger, &ReramModel::inputBits},
    {"write_voltage", "V", Bound::Positive, &ReramModel::writeVoltage},
    {"write_pulse_width", "ns", Bound::Positive, &ReramModel::writePulseWidth},
    {"write_levels", "levels", Bound::PositiveInteger, &ReramModel::writeLevels},
    {"endurance", "writes", Bound::PositiveInteger, &ReramModel::endurance},
    {"programming_noise", "fraction", Bound::NonNegative, &ReramModel::programmingNoise},
    {"read_noise", "fraction", Bound::NonNegative, &ReramModel::readNoise},
    {"drift_exponent", "exponent", Bound::NonNegative, &ReramModel::driftExponent},
    {"drift_reference", "s", Bound::Positive, &ReramModel::driftReference},
    {"stuck_off", "fraction", Bound::NonNegative, &ReramModel::stuckOff},
    {"stuck_on", "fraction", Bound::NonNegative, &ReramModel::stuckOn},
};

const QuantityField<gpu::GpuModel> kGpuFields[] = {
    {"instances", "GPUs", Bound::PositiveInteger, &gpu::GpuModel::instances},
    {"fp32_rate", "TFLOP/s", Bound::Positive, &gpu::GpuModel::fp32Rate},
    {"tf32_rate", "TFLOP/s", Bound::Positive, &gpu::GpuModel::tf32Rate},
    {"bf16_rate", "TFLOP/s", Bound::Positive, &gpu::GpuModel::bf16Rate},
    {"memory_bandwidth", "GB/s", Bound::Positive, &gpu::GpuModel::memoryBandwidth},
    {"memory", "GiB", Bound::Positive, &gpu::GpuModel::memory},
    {"compute_efficiency", "fraction", Bound::Positive, &gpu::GpuModel::computeEfficiency},
    {"memory_efficiency", "fraction", Bound::Positive, &gpu::GpuModel::memoryEfficiency},
    {"launch_latency", "us", Bound::NonNegative, &gpu::GpuModel::launchLatency},
    {"active_power", "W", Bound::NonNegative, &gpu::GpuModel::activePower},
    {"static_power", "W", Bound::NonNegative, &gpu::GpuModel::staticPower},
};

/// Indices large enough for any machine, small enough that products of
/// them stay exact in 64 bits.
constexpr double kMaxCount = 1u << 30;

const char *const kDeviceNames[] = {"host", "systolic", "reram", "gpu"};

/// Builds "source: path: message" errors as a reader descends.
class Reader {
public:
  explicit Reader(std::string source) : source(std::move(source)) {}

  Failure failAt(const std::string &path, const std::string &message) const {
    return fail(source + ": " + path + ": " + message);
  }

  /// The object at `path`, or a failure.
  Expected<const Value *> object(const Value *value, const std::string &path) const {
    if (!value)
      return failAt(path, "missing");
    if (!value->isObject())
      return failAt(path, "must be an object");
    return value;
  }

  /// Fails on a key of `object` that `known` does not list.
  std::optional<Failure> unknownKeys(const Value &object, const std::string &path,
                                     const std::vector<std::string> &known) const {
    for (const auto &[key, value] : object.asObject()) {
      (void)value;
      bool listed = false;
      for (const std::string &k : known)
        listed |= k == key;
      if (!listed)
        return failAt(join(path, key), "unknown key (expected one of " + list(known) + ")");
    }
    return std::nullopt;
  }

  Expected<Quantity> quantity(const Value &section, const std::string &path, const char *key,
                              const char *unit, Bound bound) const {
    std::string at = join(path, key);
    Expected<const Value *> entry = object(section.find(key), at);
    if (!entry)
      return fail(entry.error());
    if (std::optional<Failure> extra =
            unknownKeys(**entry, at, {"value", "unit", "source"}))
      return *extra;
    const Value *value = (*entry)->find("value");
    if (!value || !value->isNumber())
      return failAt(at + ".value", "must be a number");
    const Value *unitValue = (*entry)->find("unit");
    if (!unitValue || !unitValue->isString() || unitValue->asString() != unit)
      return failAt(at + ".unit", std::string("must be \"") + unit + "\"" +
                                      (unitValue && unitValue->isString()
                                           ? ", got \"" + unitValue->asString() + "\""
                                           : ""));
    Expected<std::string> source = sourceOf(**entry, at);
    if (!source)
      return fail(source.error());
    double v = value->asNumber();
    if (std::optional<Failure> bad = checkBound(v, bound, at + ".value", *value))
      return *bad;
    return Quantity{v, *source};
  }

  template <typename E>
  Expected<Choice<E>> choice(const Value &section, const std::string &path, const char *key,
                             const std::vector<std::string> &names) const {
    std::string at = join(path, key);
    Expected<const Value *> entry = object(section.find(key), at);
    if (!entry)
      return fail(entry.error());
    if (std::optional<Failure> extra = unknownKeys(**entry, at, {"value", "source"}))
      return *extra;
    const Value *value = (*entry)->find("value");
    Choice<E> result;
    // Each choice's enum brings its fromName (argument-dependent lookup).
    if (!value || !value->isString() || !fromName(value->asString(), result.value))
      return failAt(at + ".value", "must be one of " + list(names));
    Expected<std::string> source = sourceOf(**entry, at);
    if (!source)
      return fail(source.error());
    result.source = *source;
    return result;
  }

  Expected<DeviceKind> deviceKind(const Value *value, const std::string &at) const {
    DeviceKind kind;
    if (!value || !value->isString() || !fromName(value->asString(), kind))
      return failAt(at, "must be a device kind (host, systolic, reram, gpu)");
    return kind;
  }

  static std::string join(const std::string &path, const std::string &key) {
    return path.empty() ? key : path + "." + key;
  }

private:
  Expected<std::string> sourceOf(const Value &entry, const std::string &at) const {
    const Value *source = entry.find("source");
    if (!source || !source->isString() || source->asString().empty())
      return failAt(at + ".source", "must be a non-empty string (a citation, a measurement, "
                                    "or \"assumption: ...\")");
    return source->asString();
  }

  std::optional<Failure> checkBound(double v, Bound bound, const std::string &at,
                                    const Value &value) const {
    std::ostringstream text;
    text << v;
    switch (bound) {
    case Bound::Positive:
      if (!(v > 0))
        return failAt(at, "must be positive, got " + text.str());
      return std::nullopt;
    case Bound::NonNegative:
      if (!(v >= 0))
        return failAt(at, "must not be negative, got " + text.str());
      return std::nullopt;
    case Bound::PositiveInteger: {
      std::optional<uint64_t> integer = value.asUint64();
      if (!integer || *integer == 0 || double(*integer) > kMaxCount)
        return failAt(at, "must be a positive integer up to 2^30, got " + text.str());
      return std::nullopt;
    }
    case Bound::NonNegativeInteger: {
      std::optional<uint64_t> integer = value.asUint64();
      if (!integer || double(*integer) > kMaxCount)
        return failAt(at, "must be an integer from 0 to 2^30, got " + text.str());
      return std::nullopt;
    }
    }
    return std::nullopt;
  }

  static std::string list(const std::vector<std::string> &names) {
    std::string text;
    for (const std::string &n : names)
      text += (text.empty() ? "" : ", ") + n;
    return text;
  }

  std::string source;
};

template <typename Section, size_t N>
std::optional<Failure> readQuantities(const Reader &reader, const Value &object,
                                      const std::string &path,
                                      const QuantityField<Section> (&fields)[N],
                                      Section &section) {
  for (const QuantityField<Section> &field : fields) {
    Expected<Quantity> q = reader.quantity(object, path, field.key, field.unit, field.bound);
    if (!q)
      return fail(q.error());
    section.*field.member = *q;
  }
  return std::nullopt;
}

/// The keys a section may hold: its constants, then `extra`.
template <typename Section, size_t N>
std::vector<std::string> keysOf(const QuantityField<Section> (&fields)[N],
                                const std::vector<std::string> &extra = {}) {
  std::vector<std::string> keys;
  for (const QuantityField<Section> &field : fields)
    keys.push_back(field.key);
  keys.insert(keys.end(), extra.begin(), extra.end());
  return keys;
}

Expected<HostModel> readHost(const Reader &reader, const Value &doc) {
  Expected<const Value *> host = reader.object(doc.find("host"), "host");
  if (!host)
    return fail(host.error());
  if (std::optional<Failure> extra = reader.unknownKeys(**host, "host", keysOf(kHostFields)))
    return *extra;
  HostModel model;
  if (std::optional<Failure> bad = readQuantities(reader, **host, "host", kHostFields, model))
    return *bad;
  return model;
}

Expected<SystolicModel> readSystolic(const Reader &reader, const Value &section) {
  const std::string path = "systolic";
  if (!section.isObject())
    return reader.failAt(path, "must be an object");
  if (std::optional<Failure> extra = reader.unknownKeys(
          section, path, keysOf(kSystolicFields, {"dataflow", "element"})))
    return *extra;
  SystolicModel model;
  if (std::optional<Failure> bad =
          readQuantities(reader, section, path, kSystolicFields, model))
    return *bad;
  Expected<Choice<systolic::Dataflow>> dataflow =
      reader.choice<systolic::Dataflow>(section, path, "dataflow", {"os", "ws", "is"});
  if (!dataflow)
    return fail(dataflow.error());
  model.dataflow = *dataflow;
  Expected<Choice<systolic::ElementType>> element =
      reader.choice<systolic::ElementType>(section, path, "element", {"f32", "i8"});
  if (!element)
    return fail(element.error());
  model.element = *element;
  return model;
}

/// Values the schema's bounds cannot say: relations between keys and what
/// the models need (a divisor, a pair, converters of at most 16 bits).
std::optional<Failure> checkReram(const Reader &reader, const ReramModel &m) {
  const std::string path = "reram";
  if (std::fmod(m.xbarRows.value, m.subarrayRows.value) != 0)
    return reader.failAt(path + ".subarray_rows.value", "must divide xbar_rows");
  if (m.crossbarsPerWeight.value > 2)
    return reader.failAt(path + ".crossbars_per_weight.value",
                         "must be 1 or 2 (a ± pair of crossbars)");
  for (auto [key, bits] : {std::pair{"dac_bits", m.dacBits.value}, {"adc_bits", m.adcBits.value},
                           {"cell_bits", m.cellBits.value}, {"weight_bits", m.weightBits.value},
                           {"input_bits", m.inputBits.value}})
    if (bits > 16)
      return reader.failAt(path + "." + key + ".value", "must be at most 16 bits");
  if (m.crossbarsPerWeight.value == 2 && m.weightBits.value < 2)
    return reader.failAt(path + ".weight_bits.value",
                         "a ± pair needs a sign bit and at least one magnitude bit");
  if (m.inputBits.value < 2)
    return reader.failAt(path + ".input_bits.value", "signed inputs need at least 2 bits");
  if (!(m.resistanceHigh.value > m.resistanceLow.value))
    return reader.failAt(path + ".resistance_high.value",
                         "must exceed resistance_low (the off state is the high one)");
  for (auto [key, fraction] :
       {std::pair{"programming_noise", m.programmingNoise.value},
        {"read_noise", m.readNoise.value}, {"stuck_off", m.stuckOff.value},
        {"stuck_on", m.stuckOn.value}})
    if (fraction > 1)
      return reader.failAt(path + "." + key + ".value", "must be a fraction of at most 1");
  if (m.stuckOff.value + m.stuckOn.value > 1)
    return reader.failAt(path + ".stuck_on.value", "stuck_off + stuck_on must not exceed 1");
  if (m.tileOrder.value == pim::TileOrder::Spiral && m.tileRows.value != m.tileCols.value)
    return reader.failAt(path + ".tile_order.value", "spiral needs as many tile rows as columns");
  if (m.tileRows.value * m.tileCols.value > 1 << 20)
    return reader.failAt(path + ".tile_rows.value", "more than 2^20 tiles");
  return std::nullopt;
}

Expected<ReramModel> readReram(const Reader &reader, const Value &section) {
  const std::string path = "reram";
  if (!section.isObject())
    return reader.failAt(path, "must be an object");
  const std::vector<std::string> choices = {"cell_type", "area_model", "adc_timing", "pim_type",
                                            "tile_order"};
  if (std::optional<Failure> extra =
          reader.unknownKeys(section, path, keysOf(kReramFields, choices)))
    return *extra;
  ReramModel model;
  if (std::optional<Failure> bad = readQuantities(reader, section, path, kReramFields, model))
    return *bad;
  Expected<Choice<pim::CellType>> cell =
      reader.choice<pim::CellType>(section, path, "cell_type", {"1t1r", "0t1r"});
  Expected<Choice<pim::AreaModel>> area = reader.choice<pim::AreaModel>(
      section, path, "area_model", {"cell-and-periphery", "feature-size"});
  Expected<Choice<pim::AdcTiming>> timing =
      reader.choice<pim::AdcTiming>(section, path, "adc_timing", {"sar", "ramp"});
  Expected<Choice<pim::PimType>> pim =
      reader.choice<pim::PimType>(section, path, "pim_type", {"analog", "digital"});
  Expected<Choice<pim::TileOrder>> order = reader.choice<pim::TileOrder>(
      section, path, "tile_order", {"row-major", "snake", "spiral", "zigzag"});
  for (const std::string *error :
       {&cell.error(), &area.error(), &timing.error(), &pim.error(), &order.error()})
    if (!error->empty())
      return fail(*error);
  model.cellType = *cell;
  model.areaModel = *area;
  model.adcTiming = *timing;
  model.pimType = *pim;
  model.tileOrder = *order;
  if (std::optional<Failure> bad = checkReram(reader, model))
    return *bad;
  return model;
}

Expected<gpu::GpuModel> readGpu(const Reader &reader, const Value &section) {
  const std::string path = "gpu";
  if (!section.isObject())
    return reader.failAt(path, "must be an object");
  if (std::optional<Failure> extra =
          reader.unknownKeys(section, path, keysOf(kGpuFields, {"precision"})))
    return *extra;
  gpu::GpuModel model;
  if (std::optional<Failure> bad = readQuantities(reader, section, path, kGpuFields, model))
    return *bad;
  for (auto [key, fraction] : {std::pair{"compute_efficiency", model.computeEfficiency.value},
                               {"memory_efficiency", model.memoryEfficiency.value}})
    if (fraction > 1)
      return reader.failAt(path + "." + key + ".value", "must be a fraction of at most 1");
  Expected<Choice<gpu::Precision>> precision =
      reader.choice<gpu::Precision>(section, path, "precision", {"fp32", "tf32", "bf16"});
  if (!precision)
    return fail(precision.error());
  model.precision = *precision;
  return model;
}

Expected<std::vector<Link>> readLinks(const Reader &reader, const Value *links,
                                      const Description &description) {
  std::vector<Link> result;
  if (!links)
    return result;
  if (!links->isArray())
    return reader.failAt("links", "must be an array");
  for (size_t i = 0; i < links->asArray().size(); ++i) {
    const std::string path = "links[" + std::to_string(i) + "]";
    const Value &entry = links->asArray()[i];
    if (!entry.isObject())
      return reader.failAt(path, "must be an object");
    if (std::optional<Failure> extra =
            reader.unknownKeys(entry, path, keysOf(kLinkFields, {"between"})))
      return *extra;
    const Value *between = entry.find("between");
    if (!between || !between->isArray() || between->asArray().size() != 2)
      return reader.failAt(path + ".between", "must be an array of two device kinds");
    Link link;
    Expected<DeviceKind> a = reader.deviceKind(&between->asArray()[0], path + ".between[0]");
    if (!a)
      return fail(a.error());
    Expected<DeviceKind> b = reader.deviceKind(&between->asArray()[1], path + ".between[1]");
    if (!b)
      return fail(b.error());
    link.a = *a;
    link.b = *b;
    for (DeviceKind kind : {link.a, link.b})
      if (description.instances(kind) == 0)
        return reader.failAt(path + ".between",
                             std::string("names ") + name(kind) +
                                 ", which this description does not have");
    for (const Link &earlier : result)
      if ((earlier.a == link.a && earlier.b == link.b) ||
          (earlier.a == link.b && earlier.b == link.a))
        return reader.failAt(path + ".between", std::string("a second link between ") +
                                                    name(link.a) + " and " + name(link.b));
    if (std::optional<Failure> bad = readQuantities(reader, entry, path, kLinkFields, link))
      return *bad;
    result.push_back(link);
  }
  return result;
}

Expected<std::string> stringAt(const Reader &reader, const Value &doc, const char *key,
                               bool required) {
  const Value *value = doc.find(key);
  if (!value)
    return required ? Expected<std::string>(reader.failAt(key, "missing"))
                    : Expected<std::string>(std::string());
  if (!value->isString())
    return reader.failAt(key, "must be a string");
  return value->asString();
}

std::optional<Failure> checkHeader(const Reader &reader, const Value &doc) {
  const Value *format = doc.find("format");
  if (!format || !format->isString() || format->asString() != kDescriptionFormat)
    return reader.failAt("format", std::string("must be \"") + kDescriptionFormat + "\"");
  const Value *version = doc.find("version");
  std::optional<int64_t> v = version && version->isNumber() ? version->asInt64() : std::nullopt;
  if (!v || *v != kDescriptionVersion)
    return reader.failAt("version", "must be " + std::to_string(kDescriptionVersion) +
                                        " (this hpt reads version " +
                                        std::to_string(kDescriptionVersion) + ")");
  return reader.unknownKeys(doc, "",
                            {"format", "version", "name", "summary", "host", "systolic", "reram",
                             "gpu", "links"});
}

// ---- writer -----------------------------------------------------------------

Value quantityJson(const Quantity &q, const char *unit, Bound bound) {
  Value entry = Value::object();
  const bool integer = bound == Bound::PositiveInteger || bound == Bound::NonNegativeInteger;
  entry.set("value", integer ? Value::unsignedInteger(static_cast<uint64_t>(q.value))
                             : Value::number(q.value));
  entry.set("unit", Value(std::string(unit)));
  entry.set("source", Value(q.source));
  return entry;
}

template <typename Section, size_t N>
void writeQuantities(Value &object, const QuantityField<Section> (&fields)[N],
                     const Section &section) {
  for (const QuantityField<Section> &field : fields)
    object.set(field.key, quantityJson(section.*field.member, field.unit, field.bound));
}

template <typename Section, size_t N>
void listQuantities(std::vector<Entry> &out, const std::string &path,
                    const QuantityField<Section> (&fields)[N], const Section &section) {
  for (const QuantityField<Section> &field : fields) {
    const Quantity &q = section.*field.member;
    std::ostringstream value;
    value << q.value;
    out.push_back({path + "." + field.key, value.str(), field.unit, q.source});
  }
}

template <typename E> Value choiceJson(const Choice<E> &choice) {
  Value entry = Value::object();
  entry.set("value", Value(std::string(name(choice.value))));
  entry.set("source", Value(choice.source));
  return entry;
}

} // namespace

const char *name(DeviceKind kind) { return kDeviceNames[static_cast<size_t>(kind)]; }

bool fromName(std::string_view text, DeviceKind &out) {
  for (size_t i = 0; i < sizeof(kDeviceNames) / sizeof(kDeviceNames[0]); ++i)
    if (text == kDeviceNames[i]) {
      out = static_cast<DeviceKind>(i);
      return true;
    }
  return false;
}

systolic::Machine SystolicModel::machine() const {
  systolic::Machine m;
  m.dataflow = dataflow.value;
  m.element = element.value;
  m.arrayRows = static_cast<uint32_t>(rows.value);
  m.arrayCols = static_cast<uint32_t>(cols.value);
  // SCALE-Sim counts one element per byte of SRAM.
  m.sramWords[0] = static_cast<uint64_t>(ifmapSram.value) * 1024;
  m.sramWords[1] = static_cast<uint64_t>(filterSram.value) * 1024;
  m.sramWords[2] = static_cast<uint64_t>(ofmapSram.value) * 1024;
  return m;
}

systolic::EnergyCosts SystolicModel::energyCosts() const {
  return {macEnergy.value, sramAccessEnergy.value, dramEnergy.value, vectorOpEnergy.value};
}

uint32_t Description::instances(DeviceKind kind) const {
  switch (kind) {
  case DeviceKind::Host:
    return 1;
  case DeviceKind::Systolic:
    return systolic ? static_cast<uint32_t>(systolic->instances.value) : 0;
  case DeviceKind::Reram:
    return reram ? static_cast<uint32_t>(reram->instances.value) : 0;
  case DeviceKind::Gpu:
    return gpu ? static_cast<uint32_t>(gpu->instances.value) : 0;
  }
  return 0;
}

const Link *Description::linkBetween(DeviceKind a, DeviceKind b) const {
  for (const Link &link : links)
    if ((link.a == a && link.b == b) || (link.a == b && link.b == a))
      return &link;
  return nullptr;
}

Expected<Description> parseDescription(std::string_view text, const std::string &source) {
  json::ParseResult parsed = json::parse(text);
  if (!parsed.value)
    return fail(source + ": " + parsed.error);
  const Value &doc = *parsed.value;
  Reader reader(source);
  if (!doc.isObject())
    return fail(source + ": a hardware description is a JSON object");
  if (std::optional<Failure> bad = checkHeader(reader, doc))
    return *bad;
  Description description;
  Expected<std::string> name = stringAt(reader, doc, "name", true);
  if (!name)
    return fail(name.error());
  description.name = *name;
  Expected<std::string> summary = stringAt(reader, doc, "summary", false);
  if (!summary)
    return fail(summary.error());
  description.summary = *summary;
  Expected<HostModel> host = readHost(reader, doc);
  if (!host)
    return fail(host.error());
  description.host = *host;
  if (const Value *systolic = doc.find("systolic")) {
    Expected<SystolicModel> model = readSystolic(reader, *systolic);
    if (!model)
      return fail(model.error());
    description.systolic = *model;
  }
  if (const Value *reram = doc.find("reram")) {
    Expected<ReramModel> model = readReram(reader, *reram);
    if (!model)
      return fail(model.error());
    description.reram = *model;
  }
  if (const Value *gpu = doc.find("gpu")) {
    Expected<gpu::GpuModel> model = readGpu(reader, *gpu);
    if (!model)
      return fail(model.error());
    description.gpu = *model;
  }
  Expected<std::vector<Link>> links = readLinks(reader, doc.find("links"), description);
  if (!links)
    return fail(links.error());
  description.links = *links;
  return description;
}

Expected<Description> readDescription(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return fail(path + ": cannot open");
  std::ostringstream text;
  text << in.rdbuf();
  return parseDescription(text.str(), path);
}

std::vector<Entry> entries(const Description &description) {
  std::vector<Entry> out;
  listQuantities(out, "host", kHostFields, description.host);
  if (const std::optional<SystolicModel> &s = description.systolic) {
    listQuantities(out, "systolic", kSystolicFields, *s);
    out.push_back({"systolic.dataflow", systolic::name(s->dataflow.value), "",
                   s->dataflow.source});
    out.push_back({"systolic.element", systolic::name(s->element.value), "",
                   s->element.source});
  }
  if (const std::optional<ReramModel> &r = description.reram) {
    listQuantities(out, "reram", kReramFields, *r);
    out.push_back({"reram.cell_type", pim::name(r->cellType.value), "", r->cellType.source});
    out.push_back({"reram.area_model", pim::name(r->areaModel.value), "", r->areaModel.source});
    out.push_back({"reram.adc_timing", pim::name(r->adcTiming.value), "", r->adcTiming.source});
    out.push_back({"reram.pim_type", pim::name(r->pimType.value), "", r->pimType.source});
    out.push_back({"reram.tile_order", pim::name(r->tileOrder.value), "", r->tileOrder.source});
  }
  if (const std::optional<gpu::GpuModel> &g = description.gpu) {
    listQuantities(out, "gpu", kGpuFields, *g);
    out.push_back({"gpu.precision", gpu::name(g->precision.value), "", g->precision.source});
  }
  for (size_t i = 0; i < description.links.size(); ++i)
    listQuantities(out, "links[" + std::to_string(i) + "]", kLinkFields, description.links[i]);
  return out;
}

std::string toJson(const Description &description) {
  Value doc = Value::object();
  doc.set("format", Value(std::string(kDescriptionFormat)));
  doc.set("version", Value::integer(kDescriptionVersion));
  doc.set("name", Value(description.name));
  if (!description.summary.empty())
    doc.set("summary", Value(description.summary));
  Value host = Value::object();
  writeQuantities(host, kHostFields, description.host);
  doc.set("host", std::move(host));
  if (description.systolic) {
    Value systolic = Value::object();
    writeQuantities(systolic, kSystolicFields, *description.systolic);
    systolic.set("dataflow", choiceJson(description.systolic->dataflow));
    systolic.set("element", choiceJson(description.systolic->element));
    doc.set("systolic", std::move(systolic));
  }
  if (const std::optional<ReramModel> &r = description.reram) {
    Value reram = Value::object();
    writeQuantities(reram, kReramFields, *r);
    reram.set("cell_type", choiceJson(r->cellType));
    reram.set("area_model", choiceJson(r->areaModel));
    reram.set("adc_timing", choiceJson(r->adcTiming));
    reram.set("pim_type", choiceJson(r->pimType));
    reram.set("tile_order", choiceJson(r->tileOrder));
    doc.set("reram", std::move(reram));
  }
  if (const std::optional<gpu::GpuModel> &g = description.gpu) {
    Value gpu = Value::object();
    writeQuantities(gpu, kGpuFields, *g);
    gpu.set("precision", choiceJson(g->precision));
    doc.set("gpu", std::move(gpu));
  }
  if (!description.links.empty()) {
    Value links = Value::array();
    for (const Link &link : description.links) {
      Value entry = Value::object();
      Value between = Value::array();
      between.push(Value(std::string(name(link.a))));
      between.push(Value(std::string(name(link.b))));
      entry.set("between", std::move(between));
      writeQuantities(entry, kLinkFields, link);
      links.push(std::move(entry));
    }
    doc.set("links", std::move(links));
  }
  return json::dump(doc) + "\n";
}

} // namespace hpt::hw
