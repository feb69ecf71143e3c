//===- Config.cpp - SCALE-Sim configs, topologies, hardware.json -----------===//

#include "runtime/systolic/Config.h"

#include "runtime/core/Error.h"
#include "runtime/core/Limits.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace hpt::systolic {
namespace {

using rt::Error;

std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error(path + ": cannot open");
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

std::string trim(const std::string &s) {
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

/// A positive integer, or an error at `where`; zero and negatives are
/// rejected because every SCALE-Sim dimension and size is at least 1.
uint64_t positive(const std::string &text, const std::string &where, const std::string &what) {
  std::string t = trim(text);
  char *end = nullptr;
  errno = 0;
  long long v = std::strtoll(t.c_str(), &end, 10);
  if (t.empty() || *end || errno)
    throw Error(where + ": " + what + " '" + t + "' is not an integer");
  if (v <= 0)
    throw Error(where + ": " + what + " must be positive, got " + t);
  return static_cast<uint64_t>(v);
}

/// An address offset: zero allowed.
uint64_t nonNegative(const std::string &text, const std::string &where, const std::string &what) {
  return trim(text) == "0" ? 0 : positive(text, where, what);
}

uint64_t ceilDiv(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

} // namespace

ArchConfig parseArchConfig(const std::string &text, const std::string &source) {
  ArchConfig cfg;
  std::istringstream lines(text);
  std::string line, section;
  bool seen[6] = {}; // rows, cols, 3 SRAMs, dataflow
  for (size_t lineNo = 1; std::getline(lines, line); ++lineNo) {
    std::string where = source + ":" + std::to_string(lineNo);
    line = trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';')
      continue;
    if (line.front() == '[') {
      if (line.back() != ']')
        throw Error(where + ": unterminated section header");
      section = lower(trim(line.substr(1, line.size() - 2)));
      continue;
    }
    size_t sep = line.find_first_of(":=");
    if (sep == std::string::npos)
      throw Error(where + ": expected 'key: value' or 'key = value'");
    if (section.empty())
      throw Error(where + ": entry before any [section]");
    std::string key = lower(trim(line.substr(0, sep))), value = trim(line.substr(sep + 1));
    if (key == "run_name") cfg.runName = value;
    else if (key == "arrayheight") cfg.arrayRows = positive(value, where, key), seen[0] = true;
    else if (key == "arraywidth") cfg.arrayCols = positive(value, where, key), seen[1] = true;
    else if (key == "ifmapsramszkb") cfg.sramKb[0] = positive(value, where, key), seen[2] = true;
    else if (key == "filtersramszkb") cfg.sramKb[1] = positive(value, where, key), seen[3] = true;
    else if (key == "ofmapsramszkb") cfg.sramKb[2] = positive(value, where, key), seen[4] = true;
    else if (key == "ifmapoffset") cfg.offset[0] = nonNegative(value, where, key);
    else if (key == "filteroffset") cfg.offset[1] = nonNegative(value, where, key);
    else if (key == "ofmapoffset") cfg.offset[2] = nonNegative(value, where, key);
    else if (key == "bandwidth") cfg.bandwidth = positive(value, where, key);
    else if (key == "memorybanks") cfg.memoryBanks = positive(value, where, key);
    else if (key == "dataflow") {
      std::string df = lower(value);
      if (df == "os") cfg.dataflow = Dataflow::OutputStationary;
      else if (df == "ws") cfg.dataflow = Dataflow::WeightStationary;
      else if (df == "is") cfg.dataflow = Dataflow::InputStationary;
      else throw Error(where + ": Dataflow must be os, ws or is, got '" + value + "'");
      seen[5] = true;
    } else if (key == "interfacebandwidth") {
      std::string mode = lower(value);
      if (mode != "calc" && mode != "user")
        throw Error(where + ": InterfaceBandwidth must be CALC or USER, got '" + value + "'");
      cfg.userBandwidth = mode == "user";
    }
    // Other SCALE-Sim keys (sparsity, layout, ...) do not affect this model.
  }
  const char *names[] = {"ArrayHeight", "ArrayWidth", "IfmapSramSzkB",
                         "FilterSramSzkB", "OfmapSramSzkB", "Dataflow"};
  for (int i = 0; i < 6; ++i)
    if (!seen[i])
      throw Error(source + ": missing " + names[i]);
  return cfg;
}

ArchConfig readArchConfig(const std::string &path) { return parseArchConfig(readFile(path), path); }

std::vector<Layer> parseTopology(const std::string &text, TopologyKind kind,
                                 const std::string &source) {
  std::vector<Layer> layers;
  std::istringstream lines(text);
  std::string line;
  size_t need = kind == TopologyKind::Gemm ? 4 : 8;
  for (size_t lineNo = 1; std::getline(lines, line); ++lineNo) {
    if (lineNo == 1 || trim(line).empty() || trim(line)[0] == '#')
      continue; // the first line is SCALE-Sim's header
    std::string where = source + ":" + std::to_string(lineNo);
    std::vector<std::string> cells;
    std::istringstream cellStream(line);
    for (std::string cell; std::getline(cellStream, cell, ',');)
      cells.push_back(trim(cell));
    while (!cells.empty() && cells.back().empty())
      cells.pop_back(); // SCALE-Sim rows end in a comma
    if (cells.size() < need)
      throw Error(where + ": expected " + std::to_string(need) + " columns, got " +
                  std::to_string(cells.size()));
    Layer layer;
    layer.name = cells[0];
    if (kind == TopologyKind::Gemm) {
      layer.M = positive(cells[1], where, "M");
      layer.N = positive(cells[2], where, "N");
      layer.K = positive(cells[3], where, "K");
    } else {
      uint64_t h = positive(cells[1], where, "IFMAP Height");
      uint64_t w = positive(cells[2], where, "IFMAP Width");
      uint64_t fh = positive(cells[3], where, "Filter Height");
      uint64_t fw = positive(cells[4], where, "Filter Width");
      uint64_t c = positive(cells[5], where, "Channels");
      uint64_t nf = positive(cells[6], where, "Num Filter");
      uint64_t s = positive(cells[7], where, "Strides");
      if (fh > h || fw > w)
        throw Error(where + ": filter " + std::to_string(fh) + "x" + std::to_string(fw) +
                    " is larger than the ifmap " + std::to_string(h) + "x" + std::to_string(w));
      std::optional<uint64_t> M = rt::checkedMul(ceilDiv(h - fh + s, s), ceilDiv(w - fw + s, s));
      std::optional<uint64_t> filterArea = rt::checkedMul(fh, fw);
      std::optional<uint64_t> K = filterArea ? rt::checkedMul(*filterArea, c) : std::nullopt;
      if (!M || !K)
        throw Error(where + ": the layer's GEMM has dimensions beyond 2^64");
      layer.M = *M;
      layer.K = *K;
      layer.N = nf;
    }
    layers.push_back(layer);
  }
  if (layers.empty())
    throw Error(source + ": no layers");
  return layers;
}

std::vector<Layer> readTopology(const std::string &path, TopologyKind kind) {
  return parseTopology(readFile(path), kind, path);
}

HardwareConfig parseHardwareConfig(const std::string &text, const std::string &source) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception &e) {
    throw Error(source + ": not JSON: " + e.what());
  }
  auto value = [&](const char *key) {
    std::string where = source + ": systolic." + key;
    if (!doc.is_object() || !doc.contains("systolic") || !doc["systolic"].is_object())
      throw Error(source + ": missing object 'systolic'");
    const nlohmann::json &s = doc["systolic"];
    if (!s.contains(key))
      throw Error(where + " is missing");
    if (!s[key].is_object() || !s[key].contains("value") || !s[key]["value"].is_number())
      throw Error(where + " must be {\"value\": <number>, \"unit\": ..., \"source\": ...}");
    if (!s[key].contains("unit") || !s[key]["unit"].is_string() || !s[key].contains("source") ||
        !s[key]["source"].is_string())
      throw Error(where + " needs string 'unit' and 'source'");
    double v = s[key]["value"].get<double>();
    if (v < 0)
      throw Error(where + " must not be negative");
    return v;
  };
  HardwareConfig hw;
  hw.macEnergyPj = value("mac_energy");
  hw.sramAccessEnergyPj = value("sram_access_energy");
  hw.dramEnergyPjPerByte = value("dram_energy_per_byte");
  return hw;
}

HardwareConfig readHardwareConfig(const std::string &path) {
  return parseHardwareConfig(readFile(path), path);
}

} // namespace hpt::systolic
