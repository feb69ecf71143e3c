//===- Ini.cpp - INI files as the simulators hpt imports write them -------===//

#include "hardware/Ini.h"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace hpt::hw {

std::string trimBlanks(const std::string &s) {
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::string lowerCase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

Expected<std::vector<IniEntry>> parseIni(std::string_view text, const std::string &source) {
  std::vector<IniEntry> entries;
  std::istringstream lines{std::string(text)};
  std::string line, section;
  bool inSection = false;
  for (size_t lineNo = 1; std::getline(lines, line); ++lineNo) {
    const std::string where = source + ":" + std::to_string(lineNo);
    line = trimBlanks(line);
    if (line.empty() || line[0] == '#' || line[0] == ';')
      continue;
    if (line.front() == '[') {
      if (line.back() != ']')
        return fail(where + ": unterminated section header");
      section = trimBlanks(line.substr(1, line.size() - 2));
      inSection = true;
      continue;
    }
    size_t sep = line.find_first_of(":=");
    if (sep == std::string::npos)
      return fail(where + ": expected 'key: value' or 'key = value'");
    if (!inSection)
      return fail(where + ": entry before any [section]");
    entries.push_back(
        {section, trimBlanks(line.substr(0, sep)), trimBlanks(line.substr(sep + 1)), lineNo});
  }
  return entries;
}

} // namespace hpt::hw
