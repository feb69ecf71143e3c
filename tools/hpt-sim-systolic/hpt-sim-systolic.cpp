//===- hpt-sim-systolic.cpp - SCALE-Sim v2 compatible command line ---------===//
//
//   hpt-sim-systolic -c <cfg> -t <topology.csv> -p <outdir> [-i gemm|conv]
//                    [--functional [--check]] [--element f32|i8] [--hw description.json]
//                    [--dump-stream FILE]
//   hpt-sim-systolic -s <stream> [--hw description.json]
//
// The second form simulates one stream file (text or binary, e.g. from
// `hpt-translate --sa-to-stream`) in timing-only mode and prints its counts.
//
// Writes <outdir>/<run_name>/COMPUTE_REPORT.csv, BANDWIDTH_REPORT.csv and
// DETAILED_ACCESS_REPORT.csv with SCALE-Sim v2's columns (one row per layer).
//
//===----------------------------------------------------------------------===//

#include "runtime/core/Error.h"
#include "runtime/core/Limits.h"
#include "runtime/systolic/Simulator.h"
#include "runtime/systolic/Topology.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>

using namespace hpt::systolic;

namespace {

struct Options {
  std::string cfg, topology, outdir, hw = HPT_SOURCE_DIR "/configs/atleus-like.json", dump,
      stream;
  TopologyKind kind = TopologyKind::Conv; // SCALE-Sim's default
  bool functional = false;
  bool check = false; ///< --check: compare a functional run with an fp64 GEMM
  ElementType element = ElementType::F32;
  hpt::rt::MemoryLimit memory;
};

[[noreturn]] void usage(const std::string &why) {
  std::cerr << "hpt-sim-systolic: " << why << "\n"
            << "usage: hpt-sim-systolic -c <cfg> -t <topology.csv> -p <outdir> [-i gemm|conv]\n"
            << "       [--functional [--check]] [--element f32|i8] [--hw description.json] [--dump-stream FILE]\n"
            << "       hpt-sim-systolic -s <stream> [--hw description.json]\n"
            << "       --max-memory SIZE: refuse work that needs more (default: physical memory)\n";
  std::exit(2);
}

Options parseArgs(int argc, char **argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage("missing value after " + a);
      return argv[++i];
    };
    if (a == "-c") o.cfg = value();
    else if (a == "-t") o.topology = value();
    else if (a == "-p") o.outdir = value();
    else if (a == "-i") {
      std::string k = value();
      if (k == "gemm") o.kind = TopologyKind::Gemm;
      else if (k == "conv") o.kind = TopologyKind::Conv;
      else usage("-i takes gemm or conv, got " + k);
    } else if (a == "--functional") o.functional = true;
    else if (a == "--check") o.check = o.functional = true;
    else if (a == "--element") {
      std::string e = value();
      if (e == "f32") o.element = ElementType::F32;
      else if (e == "i8") o.element = ElementType::I8;
      else usage("--element takes f32 or i8, got " + e);
    } else if (a == "--hw") o.hw = value();
    else if (a == "--dump-stream") o.dump = value();
    else if (a == "-s") o.stream = value();
    else if (a == "--max-memory") {
      std::string size = value();
      std::optional<uint64_t> bytes = hpt::rt::parseByteSize(size);
      if (!bytes) usage("--max-memory needs a size such as 4096, 512M or 16G, got " + size);
      o.memory.bytes = *bytes;
    }
    else usage("unknown argument " + a);
  }
  if (o.stream.empty() && (o.cfg.empty() || o.topology.empty() || o.outdir.empty()))
    usage("-c, -t and -p are required (or -s with a stream)");
  return o;
}

std::vector<double> randomTensor(uint64_t n, ElementType e, std::mt19937_64 &rng) {
  std::vector<double> v(n);
  std::uniform_real_distribution<float> real(-1.0f, 1.0f);
  std::uniform_int_distribution<int> int8(-128, 127);
  for (double &x : v)
    x = e == ElementType::F32 ? double(real(rng)) : double(int8(rng));
  return v;
}

/// ||out - ref|| / ||ref|| against an fp64 GEMM of the same operands.
double relativeError(const Layer &l, const std::vector<double> &a, const std::vector<double> &b,
                     const std::vector<double> &out) {
  double diff = 0, norm = 0;
  std::vector<double> row(l.N);
  for (uint64_t m = 0; m < l.M; ++m) {
    std::fill(row.begin(), row.end(), 0.0);
    for (uint64_t k = 0; k < l.K; ++k)
      for (uint64_t n = 0; n < l.N; ++n)
        row[n] += a[m * l.K + k] * b[k * l.N + n];
    for (uint64_t n = 0; n < l.N; ++n) {
      diff += (out[m * l.N + n] - row[n]) * (out[m * l.N + n] - row[n]);
      norm += row[n] * row[n];
    }
  }
  return norm == 0 ? std::sqrt(diff) : std::sqrt(diff / norm);
}

/// ifmap, filter and ofmap of a functional run, in doubles.
std::optional<uint64_t> functionalTensorBytes(const Layer &l) {
  using hpt::rt::checkedAdd, hpt::rt::checkedMul;
  std::optional<uint64_t> words = 0;
  for (auto [a, b] : {std::pair{l.M, l.K}, {l.K, l.N}, {l.M, l.N}}) {
    std::optional<uint64_t> size = checkedMul(a, b);
    words = size && words ? checkedAdd(*words, *size) : std::nullopt;
  }
  return words ? checkedMul(*words, sizeof(double)) : std::nullopt;
}

/// The energy constants of the description's systolic section (the
/// array itself comes from the .cfg or the stream).
EnergyCosts energyCosts(const std::string &path) {
  hpt::hw::Description description = readDescriptionFile(path);
  if (!description.systolic)
    throw hpt::rt::Error(path + ": no systolic section, so no energy constants");
  return description.systolic->energyCosts();
}

std::ofstream openReport(const std::string &dir, const char *file, const std::string &header) {
  std::string path = dir + "/" + file;
  std::ofstream out(path);
  if (!out)
    throw hpt::rt::Error(path + ": cannot write");
  out.precision(17);
  out << header << "\n";
  return out;
}

} // namespace

/// -s: one stream, timing only, counts on stdout.
void simulateStreamFile(const Options &o) {
  Stream stream = readStreamFile(o.stream);
  Report r = Simulator(false, o.memory).run(stream, o.stream);
  EnergyCosts costs = energyCosts(o.hw);
  std::cout << o.stream << ": " << stream.instructions.size() << " instructions, "
            << r.totalCycles << " cycles, " << r.folds.size() << " folds, overall util "
            << r.overallUtilizationPct() << " %, mapping efficiency " << r.mappingEfficiencyPct()
            << " %, compute util " << r.computeUtilizationPct() << " %\n"
            << "  MACs " << r.macs << ", SRAM reads ifmap " << r.sramReads[0] << " filter "
            << r.sramReads[1] << ", ofmap writes " << r.sramWrites[2] << ", energy "
            << r.energy(costs).total() << " pJ\n";
}

int main(int argc, char **argv) {
  Options o = parseArgs(argc, argv);
  try {
    if (!o.stream.empty()) {
      simulateStreamFile(o);
      return 0;
    }
    hpt::hw::ArchConfig arch = readArchConfig(o.cfg);
    std::vector<Layer> layers = readTopology(o.topology, o.kind);
    EnergyCosts costs = energyCosts(o.hw);
    if (arch.userBandwidth)
      std::cerr << "hpt-sim-systolic: warning: InterfaceBandwidth USER is not modelled; "
                   "simulating CALC (no DRAM stalls)\n";
    // SCALE-Sim's layout: <outdir>/<run_name>/*.csv.
    std::string dir = o.outdir + "/" + arch.runName;
    std::filesystem::create_directories(dir);
    auto compute = openReport(dir, "COMPUTE_REPORT.csv",
                              "LayerID, Total Cycles, Stall Cycles, Overall Util %, "
                              "Mapping Efficiency %, Compute Util %,");
    auto bandwidth = openReport(dir, "BANDWIDTH_REPORT.csv",
                                "LayerID, Avg IFMAP SRAM BW, Avg FILTER SRAM BW, Avg OFMAP SRAM BW, "
                                "Avg IFMAP DRAM BW, Avg FILTER DRAM BW, Avg OFMAP DRAM BW,");
    auto detail = openReport(
        dir, "DETAILED_ACCESS_REPORT.csv",
        "LayerID, SRAM IFMAP Start Cycle, SRAM IFMAP Stop Cycle, SRAM IFMAP Reads, "
        "SRAM Filter Start Cycle, SRAM Filter Stop Cycle, SRAM Filter Reads, "
        "SRAM OFMAP Start Cycle, SRAM OFMAP Stop Cycle, SRAM OFMAP Writes, "
        "DRAM IFMAP Start Cycle, DRAM IFMAP Stop Cycle, DRAM IFMAP Reads, "
        "DRAM Filter Start Cycle, DRAM Filter Stop Cycle, DRAM Filter Reads, "
        "DRAM OFMAP Start Cycle, DRAM OFMAP Stop Cycle, DRAM OFMAP Writes,");
    auto energy = openReport(dir, "ENERGY_REPORT.csv", "LayerID, MACs, Energy (pJ),");
    Stream dumped;
    std::mt19937_64 rng(2024);
    for (size_t id = 0; id < layers.size(); ++id) {
      const Layer &layer = layers[id];
      if (o.functional)
        o.memory.check(functionalTensorBytes(layer), "layer " + layer.name + ": a functional run");
      Stream stream = planLayer(layer, arch.machine(o.element), o.memory.bytes);
      if (!o.dump.empty())
        dumped.instructions.insert(dumped.instructions.end(), stream.instructions.begin(),
                                   stream.instructions.end());
      Simulator sim(o.functional, o.memory);
      std::vector<double> a, b;
      if (o.functional) {
        a = randomTensor(layer.M * layer.K, o.element, rng);
        b = randomTensor(layer.K * layer.N, o.element, rng);
        sim.setDram(Buffer::Ifmap, encodeWords(o.element, a));
        sim.setDram(Buffer::Filter, encodeWords(o.element, b));
      }
      Report r = sim.run(stream, "layer " + layer.name);
      double cyc = double(std::max<uint64_t>(r.totalCycles, 1));
      compute << id << ", " << r.totalCycles << ", " << r.stallCycles << ", "
              << r.overallUtilizationPct() << ", " << r.mappingEfficiencyPct() << ", "
              << r.computeUtilizationPct() << ",\n";
      bandwidth << id << ", " << r.sramReads[0] / cyc << ", " << r.sramReads[1] / cyc << ", "
                << r.sramWrites[2] / cyc << ", " << r.dramReads[0] / cyc << ", "
                << r.dramReads[1] / cyc << ", " << r.dramWrites[2] / cyc << ",\n";
      uint64_t last = r.totalCycles;
      detail << id << ", 0, " << last << ", " << r.sramReads[0] << ", 0, " << last << ", "
             << r.sramReads[1] << ", 0, " << last << ", " << r.sramWrites[2] << ", 0, " << last
             << ", " << r.dramReads[0] << ", 0, " << last << ", " << r.dramReads[1] << ", 0, "
             << last << ", " << r.dramWrites[2] << ",\n";
      double energyPj = r.energy(costs).total();
      energy << id << ", " << r.macs << ", " << energyPj << ",\n";
      std::cout << "layer " << layer.name << " (M=" << layer.M << " N=" << layer.N
                << " K=" << layer.K << "): " << r.totalCycles << " cycles, "
                << r.overallUtilizationPct() << " % util, " << energyPj * 1e-6 << " uJ";
      if (o.check)
        std::cout << ", functional rel. error vs fp64 "
                  << relativeError(layer, a, b, decodeWords(o.element, sim.dramData(Buffer::Ofmap)));
      std::cout << "\n";
    }
    if (!o.dump.empty())
      writeStreamFile(dumped, o.dump);
  } catch (const std::exception &e) {
    std::cerr << "hpt-sim-systolic: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
