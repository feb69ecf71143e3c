//===- SimConfig.cpp - MNSIM 2.0's SimConfig.ini --------------------------===//

#include "hardware/pim/SimConfig.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace hpt::hw::pim {
namespace {

/// `text` as one finite number, or false.
bool finiteNumber(const std::string &text, double &out) {
  if (text.empty())
    return false;
  errno = 0;
  char *end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && errno == 0 && std::isfinite(out);
}

} // namespace

Expected<SimConfig> SimConfig::parse(std::string_view text, const std::string &source) {
  Expected<std::vector<IniEntry>> entries = parseIni(text, source);
  if (!entries)
    return fail(entries.error());
  SimConfig config;
  config.path = source;
  for (const IniEntry &entry : *entries) {
    // configparser (strict) refuses a key twice in one section.
    if (const IniEntry *earlier = config.find(entry.section, entry.key))
      return fail(config.where(entry) + ": repeats line " + std::to_string(earlier->line));
    config.entries.push_back(entry);
  }
  return config;
}

const IniEntry *SimConfig::find(std::string_view section, std::string_view key) const {
  const std::string s = lowerCase(std::string(section)), k = lowerCase(std::string(key));
  for (const IniEntry &entry : entries)
    if (lowerCase(entry.section) == s && lowerCase(entry.key) == k)
      return &entry;
  return nullptr;
}

std::string SimConfig::where(const IniEntry &entry) const {
  return path + ":" + std::to_string(entry.line) + ": [" + entry.section + "] " + entry.key;
}

std::string SimConfig::at(std::string_view section, std::string_view key) const {
  if (const IniEntry *entry = find(section, key))
    return where(*entry);
  return path + ": [" + std::string(section) + "] " + std::string(key);
}

Expected<std::string> SimConfig::text(std::string_view section, std::string_view key) const {
  if (const IniEntry *entry = find(section, key))
    return entry->value;
  return fail(path + ": [" + std::string(section) + "] " + std::string(key) + ": missing");
}

Expected<double> SimConfig::number(std::string_view section, std::string_view key) const {
  const IniEntry *entry = find(section, key);
  if (!entry)
    return fail(path + ": [" + std::string(section) + "] " + std::string(key) + ": missing");
  double value;
  if (!finiteNumber(entry->value, value))
    return fail(where(*entry) + ": '" + entry->value + "' is not a finite number");
  return value;
}

Expected<std::vector<double>> SimConfig::numbers(std::string_view section,
                                                 std::string_view key) const {
  const IniEntry *entry = find(section, key);
  if (!entry)
    return fail(path + ": [" + std::string(section) + "] " + std::string(key) + ": missing");
  std::vector<double> values;
  size_t start = 0;
  while (true) {
    const size_t comma = entry->value.find(',', start);
    const std::string item = trimBlanks(entry->value.substr(start, comma - start));
    double value;
    if (!finiteNumber(item, value))
      return fail(where(*entry) + ": '" + entry->value + "' is not a list of finite numbers");
    values.push_back(value);
    if (comma == std::string::npos)
      return values;
    start = comma + 1;
  }
}

std::string unmodelledSetting(const SimConfig &config) {
  struct Setting {
    const char *section, *key, *why;
  };
  const Setting settings[] = {
      {"Algorithm Configuration", "Simulation_Level", "MNSIM's accuracy path"},
      {"Algorithm Configuration", "NoC_enable", "MNSIM's network-on-chip model"}};
  for (const Setting &s : settings) {
    Expected<double> value = config.number(s.section, s.key);
    if (value && *value != 0)
      return config.at(s.section, s.key) + ": " + *config.text(s.section, s.key) +
             " asks for " + s.why + ", which hpt does not model (set it to 0)";
  }
  return "";
}

} // namespace hpt::hw::pim
