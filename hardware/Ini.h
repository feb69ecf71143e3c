//===- Ini.h - INI files as the simulators hpt imports write them -*- C++ -*-===//
//
// SCALE-Sim's `.cfg` and MNSIM's `SimConfig.ini` are Python configparser
// files: `[Section]` headers, `key = value` or `key: value` entries, whole-
// line `#` and `;` comments. This reads one into its sections and entries,
// in order and with their line numbers, so each importer judges the values
// and names the file, line and key of a bad one.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_HARDWARE_INI_H
#define HPT_HARDWARE_INI_H

#include "hardware/Expected.h"

#include <string>
#include <string_view>
#include <vector>

namespace hpt::hw {

struct IniEntry {
  std::string section; ///< as written
  std::string key;     ///< as written
  std::string value;   ///< without surrounding blanks
  size_t line = 0;
};

/// Entries in file order. Errors name `source` and the line: a section
/// header without its `]`, a line that is no entry, an entry before any
/// section.
Expected<std::vector<IniEntry>> parseIni(std::string_view text, const std::string &source);

/// `s` in lower case (configparser compares keys so).
std::string lowerCase(std::string s);

/// `s` without leading and trailing blanks.
std::string trimBlanks(const std::string &s);

} // namespace hpt::hw

#endif // HPT_HARDWARE_INI_H
