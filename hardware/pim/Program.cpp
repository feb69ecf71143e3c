//===- Program.cpp - a compiled pim program as text -----------------------===//

#include "hardware/pim/Program.h"

#include <charconv>
#include <sstream>

namespace hpt::hw::pim {
namespace {

std::vector<std::string> words(const std::string &line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string word; in >> word;)
    out.push_back(word);
  return out;
}

bool count(const std::string &text, int64_t &out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && out > 0 && out <= (1 << 30);
}

} // namespace

Expected<PimProgram> parsePimProgram(std::string_view text, const std::string &source) {
  PimProgram program;
  size_t line = 0, start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos)
      end = text.size();
    const std::string raw(text.substr(start, end - start));
    start = end + 1;
    ++line;
    const std::vector<std::string> w = words(raw);
    if (w.empty() || w[0][0] == '#')
      continue;
    const std::string at = source + ":" + std::to_string(line) + ": ";
    auto weightNamed = [&](const std::string &name, size_t &index) {
      for (size_t i = 0; i < program.weights.size(); ++i)
        if (program.weights[i].name == name) {
          index = i;
          return true;
        }
      return false;
    };
    if (w[0] == "crossbars") {
      ProgramWeight weight;
      if (w.size() != 6 || w[2] != "weight" || w[4] != "x" || !count(w[3], weight.rows) ||
          !count(w[5], weight.cols))
        return fail(at + "expected 'crossbars NAME weight ROWS x COLS'");
      weight.name = w[1];
      size_t earlier;
      if (weightNamed(weight.name, earlier))
        return fail(at + "crossbars '" + weight.name + "' are declared twice");
      program.weights.push_back(weight);
      continue;
    }
    ProgramStep step;
    step.line = line;
    if (w[0] == "program") {
      if (w.size() != 2)
        return fail(at + "expected 'program NAME'");
      step.kind = ProgramStep::Kind::Program;
    } else if (w[0] == "read") {
      const bool kernel = w.size() == 6 && w[4] == "kernel";
      if ((w.size() != 4 && !kernel) || (w[2] != "forward" && w[2] != "transposed") ||
          !count(w[3], step.vectors))
        return fail(at + "expected 'read NAME forward|transposed VECTORS [kernel NAME]'");
      step.transposed = w[2] == "transposed";
      if (kernel)
        step.kernel = w[5];
    } else {
      return fail(at + "'" + w[0] + "' is not crossbars, program or read");
    }
    if (!weightNamed(w[1], step.weight))
      return fail(at + "crossbars '" + w[1] + "' are not declared above");
    program.steps.push_back(step);
  }
  return program;
}

std::string toText(const PimProgram &program) {
  std::ostringstream out;
  out << "# hpt pim program: crossbars, programs and reads (docs/pim.md)\n";
  for (const ProgramWeight &w : program.weights)
    out << "crossbars " << w.name << " weight " << w.rows << " x " << w.cols << "\n";
  for (const ProgramStep &s : program.steps) {
    const std::string &name = program.weights[s.weight].name;
    if (s.kind == ProgramStep::Kind::Program)
      out << "program " << name << "\n";
    else
      out << "read " << name << " " << (s.transposed ? "transposed" : "forward") << " "
          << s.vectors << (s.kernel.empty() ? "" : " kernel " + s.kernel) << "\n";
  }
  return out.str();
}

} // namespace hpt::hw::pim
