//===- Topology.cpp - SCALE-Sim topologies and the simulator's files -------===//

#include "runtime/systolic/Topology.h"

#include "runtime/core/Error.h"
#include "runtime/core/Limits.h"

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

uint64_t ceilDiv(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

} // namespace

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

Stream planLayer(const Layer &layer, const Machine &machine, uint64_t maxStreamBytes) {
  Plan plan = planGemm({layer.M, layer.N, layer.K}, machine, maxStreamBytes);
  if (!plan)
    throw Error("layer " + layer.name + ": " + plan.error());
  return std::move(*plan);
}

Stream readStreamFile(const std::string &path) {
  return rt::orThrow(parseStream(readFile(path), path));
}

void writeStreamFile(const Stream &stream, const std::string &path) {
  bool binary = path.size() >= 4 && path.compare(path.size() - 4, 4, ".bin") == 0;
  std::ofstream out(path, std::ios::binary);
  if (!out)
    throw Error(path + ": cannot write");
  out << (binary ? toBinary(stream) : toText(stream));
}

hw::ArchConfig readArchConfig(const std::string &path) {
  return rt::orThrow(hw::parseArchConfig(readFile(path), path));
}

hw::Description readDescriptionFile(const std::string &path) {
  return rt::orThrow(hw::readDescription(path));
}

} // namespace hpt::systolic
