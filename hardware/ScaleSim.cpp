//===- ScaleSim.cpp - SCALE-Sim v2 .cfg files as hardware descriptions ----===//

#include "hardware/ScaleSim.h"

#include "hardware/Ini.h"

#include <algorithm>
#include <cctype>
#include <limits>

namespace hpt::hw {
namespace {

/// Reads a decimal count into `out`; empty on success, else the error at
/// `where`. Values beyond the field's type are refused, not truncated.
template <typename T>
std::string readCount(const std::string &text, const std::string &where, const std::string &what,
                      bool zeroAllowed, T &out) {
  const std::string t = trimBlanks(text);
  bool digits = !t.empty() && t.size() <= 19 &&
                std::all_of(t.begin(), t.end(), [](unsigned char c) { return std::isdigit(c); });
  bool negative = t.size() > 1 && t[0] == '-' &&
                  std::all_of(t.begin() + 1, t.end(), [](unsigned char c) { return std::isdigit(c); });
  if (!digits && !negative)
    return where + ": " + what + " '" + t + "' is not an integer";
  uint64_t v = negative ? 0 : std::stoull(t);
  if (negative || (v == 0 && !zeroAllowed))
    return where + ": " + what + (zeroAllowed ? " must not be negative" : " must be positive") +
           ", got " + t;
  if (v > std::numeric_limits<T>::max())
    return where + ": " + what + " " + t + " is too large (at most " +
           std::to_string(std::numeric_limits<T>::max()) + ")";
  out = static_cast<T>(v);
  return "";
}

} // namespace

Expected<ArchConfig> parseArchConfig(std::string_view text, const std::string &source) {
  Expected<std::vector<IniEntry>> entries = parseIni(text, source);
  if (!entries)
    return fail(entries.error());
  ArchConfig cfg;
  bool seen[6] = {}; // rows, cols, 3 SRAMs, dataflow
  for (const IniEntry &entry : *entries) {
    const std::string where = source + ":" + std::to_string(entry.line);
    const std::string key = lowerCase(entry.key), &value = entry.value;
    std::string error;
    // Sizes and dimensions are at least 1; offsets may be 0.
    auto set = [&](auto &field, bool zeroAllowed = false) {
      error = readCount(value, where, key, zeroAllowed, field);
    };
    if (key == "run_name") cfg.runName = value;
    else if (key == "arrayheight") set(cfg.arrayRows), seen[0] = true;
    else if (key == "arraywidth") set(cfg.arrayCols), seen[1] = true;
    else if (key == "ifmapsramszkb") set(cfg.sramKb[0]), seen[2] = true;
    else if (key == "filtersramszkb") set(cfg.sramKb[1]), seen[3] = true;
    else if (key == "ofmapsramszkb") set(cfg.sramKb[2]), seen[4] = true;
    else if (key == "ifmapoffset") set(cfg.offset[0], true);
    else if (key == "filteroffset") set(cfg.offset[1], true);
    else if (key == "ofmapoffset") set(cfg.offset[2], true);
    else if (key == "bandwidth") set(cfg.bandwidth);
    else if (key == "memorybanks") set(cfg.memoryBanks);
    else if (key == "dataflow") {
      std::string df = lowerCase(value);
      if (df == "os") cfg.dataflow = systolic::Dataflow::OutputStationary;
      else if (df == "ws") cfg.dataflow = systolic::Dataflow::WeightStationary;
      else if (df == "is") cfg.dataflow = systolic::Dataflow::InputStationary;
      else return fail(where + ": Dataflow must be os, ws or is, got '" + value + "'");
      seen[5] = true;
    } else if (key == "interfacebandwidth") {
      std::string mode = lowerCase(value);
      if (mode != "calc" && mode != "user")
        return fail(where + ": InterfaceBandwidth must be CALC or USER, got '" + value + "'");
      cfg.userBandwidth = mode == "user";
    }
    // Other SCALE-Sim keys (sparsity, layout, ...) do not affect this model.
    if (!error.empty())
      return fail(error);
  }
  const char *names[] = {"ArrayHeight", "ArrayWidth", "IfmapSramSzkB",
                         "FilterSramSzkB", "OfmapSramSzkB", "Dataflow"};
  for (int i = 0; i < 6; ++i)
    if (!seen[i])
      return fail(source + ": missing " + names[i]);
  return cfg;
}


systolic::Machine ArchConfig::machine(systolic::ElementType element) const {
  systolic::Machine m;
  m.dataflow = dataflow;
  m.element = element;
  m.arrayRows = arrayRows;
  m.arrayCols = arrayCols;
  for (int b = 0; b < 3; ++b)
    m.sramWords[b] = sramWords(static_cast<systolic::Buffer>(b));
  return m;
}

Expected<Description> importArchConfig(const ArchConfig &cfg, const std::string &cfgPath,
                                       Description base) {
  if (!base.systolic)
    return fail(cfgPath + ": the description to import into has no systolic section");
  SystolicModel &s = *base.systolic;
  auto from = [&](const char *key) { return "SCALE-Sim config " + cfgPath + ": " + key; };
  s.rows = {double(cfg.arrayRows), from("ArrayHeight")};
  s.cols = {double(cfg.arrayCols), from("ArrayWidth")};
  s.ifmapSram = {double(cfg.sramKb[0]), from("IfmapSramSzkB")};
  s.filterSram = {double(cfg.sramKb[1]), from("FilterSramSzkB")};
  s.ofmapSram = {double(cfg.sramKb[2]), from("OfmapSramSzkB")};
  s.dataflow = {cfg.dataflow, from("Dataflow")};
  // The description's own validator judges the imported values too.
  return parseDescription(toJson(base), cfgPath + " (imported)");
}

} // namespace hpt::hw
