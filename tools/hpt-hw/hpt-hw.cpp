//===- hpt-hw.cpp - read, check and import hardware descriptions -----------===//
//
//   hpt-hw check FILE                     validate; list devices and constants
//   hpt-hw print FILE                     the description in canonical form
//   hpt-hw import-scalesim CFG --base FILE
//                                         FILE's description with the array,
//                                         dataflow and SRAMs of a SCALE-Sim .cfg
//   hpt-hw import-mnsim INI --base FILE   FILE's description with the ReRAM
//                                         section read from MNSIM 2.0's
//                                         SimConfig.ini
//   hpt-hw gpu-preset NAME --base FILE    FILE's description with the GPU
//                                         section of a datasheet preset
//                                         (a100-sxm, h100-sxm)
//
// Errors name the file and the key (or line); the exit status is 1 for a bad
// input and 2 for a bad command line.
//
//===----------------------------------------------------------------------===//

#include "hardware/Description.h"
#include "hardware/ScaleSim.h"
#include "hardware/pim/Mnsim.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

using namespace hpt::hw;

namespace {

[[noreturn]] void usage(const std::string &why) {
  std::cerr << "hpt-hw: " << why << "\n"
            << "usage: hpt-hw check FILE\n"
            << "       hpt-hw print FILE\n"
            << "       hpt-hw import-scalesim CFG --base FILE\n"
            << "       hpt-hw import-mnsim INI --base FILE\n"
            << "       hpt-hw gpu-preset NAME --base FILE   (NAME: a100-sxm, h100-sxm)\n";
  std::exit(2);
}

int failWith(const std::string &message) {
  std::cerr << "hpt-hw: error: " << message << "\n";
  return 1;
}

/// What a newcomer wants to see: the devices, their counts, every constant
/// with its unit and source, and how many values are assumptions.
void summarize(const Description &d) {
  std::cout << d.name << ": host";
  if (d.systolic)
    std::cout << ", " << d.instances(DeviceKind::Systolic) << " systolic cores";
  if (d.reram)
    std::cout << ", " << d.instances(DeviceKind::Reram) << " ReRAM chips";
  if (d.gpu)
    std::cout << ", " << d.instances(DeviceKind::Gpu) << " GPUs";
  std::cout << ", " << d.links.size() << " links\n";
  if (d.systolic)
    std::cout << "systolic (" << hpt::systolic::name(d.systolic->dataflow.value) << ", "
              << hpt::systolic::name(d.systolic->element.value) << ")\n";
  if (const std::optional<pim::ReramModel> &r = d.reram)
    std::cout << "reram (" << r->xbarRows.value << "x" << r->xbarCols.value << " crossbars, "
              << r->cellBits.value << " bits per cell, " << r->adcBits.value << "-bit ADCs, "
              << r->tileRows.value * r->tileCols.value << " tiles of " << r->pesPerTile.value
              << " PEs)\n";
  if (const std::optional<gpu::GpuModel> &g = d.gpu)
    std::cout << "gpu (" << g->fp32Rate.value << " TFLOP/s fp32, " << g->memoryBandwidth.value
              << " GB/s, " << gpu::name(g->precision.value) << " products)\n";
  int assumptions = 0;
  for (const Entry &entry : entries(d)) {
    std::cout << "  " << entry.key << " = " << entry.value
              << (entry.unit.empty() ? "" : " " + entry.unit) << "  [" << entry.source << "]\n";
    assumptions += entry.source.rfind("assumption", 0) == 0;
  }
  for (const Link &link : d.links)
    std::cout << "link " << name(link.a) << " - " << name(link.b) << ": " << link.bandwidth.value
              << " GB/s, " << link.latency.value << " ns, " << link.energy.value << " pJ/byte\n";
  std::cout << assumptions << " values are assumptions (source \"assumption: ...\")\n";
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 3)
    usage("missing command or file");
  std::string command = argv[1];
  if (command == "check" || command == "print") {
    if (argc != 3)
      usage(command + " takes one file");
    Expected<Description> d = readDescription(argv[2]);
    if (!d)
      return failWith(d.error());
    if (command == "print")
      std::cout << toJson(*d);
    else
      summarize(*d);
    return 0;
  }
  if (command == "import-scalesim") {
    if (argc != 5 || std::string(argv[3]) != "--base")
      usage("import-scalesim takes CFG --base FILE");
    std::string cfgPath = argv[2];
    std::ifstream in(cfgPath, std::ios::binary);
    if (!in)
      return failWith(cfgPath + ": cannot open");
    std::ostringstream text;
    text << in.rdbuf();
    Expected<ArchConfig> cfg = parseArchConfig(text.str(), cfgPath);
    if (!cfg)
      return failWith(cfg.error());
    Expected<Description> base = readDescription(argv[4]);
    if (!base)
      return failWith(base.error());
    Expected<Description> imported = importArchConfig(*cfg, cfgPath, *base);
    if (!imported)
      return failWith(imported.error());
    std::cout << toJson(*imported);
    return 0;
  }
  if (command == "import-mnsim") {
    if (argc != 5 || std::string(argv[3]) != "--base")
      usage("import-mnsim takes INI --base FILE");
    const std::string iniPath = argv[2];
    std::ifstream in(iniPath, std::ios::binary);
    if (!in)
      return failWith(iniPath + ": cannot open");
    std::ostringstream text;
    text << in.rdbuf();
    Expected<pim::SimConfig> config = pim::SimConfig::parse(text.str(), iniPath);
    if (!config)
      return failWith(config.error());
    Expected<pim::ReramModel> reram = pim::importMnsim(*config);
    if (!reram)
      return failWith(reram.error());
    Expected<Description> base = readDescription(argv[4]);
    if (!base)
      return failWith(base.error());
    Description imported = *base;
    // What MNSIM does not describe (chips, writes, wear, noise beyond its
    // variation) stays the base's where the base has a ReRAM section.
    if (const std::optional<pim::ReramModel> &old = base->reram) {
      reram->instances = old->instances;
      reram->writeLevels = old->writeLevels;
      reram->weightBits = old->weightBits;
      reram->inputBits = old->inputBits;
      reram->endurance = old->endurance;
      reram->readNoise = old->readNoise;
      reram->driftExponent = old->driftExponent;
      reram->driftReference = old->driftReference;
    }
    imported.reram = *reram;
    // Read back, so the output is a description hpt accepts.
    Expected<Description> checked = parseDescription(toJson(imported), iniPath);
    if (!checked)
      return failWith(checked.error());
    std::cout << toJson(*checked);
    return 0;
  }
  if (command == "gpu-preset") {
    if (argc != 5 || std::string(argv[3]) != "--base")
      usage("gpu-preset takes NAME --base FILE");
    std::optional<gpu::GpuModel> preset = gpu::preset(argv[2]);
    if (!preset) {
      std::string names;
      for (std::string_view n : gpu::presetNames())
        names += (names.empty() ? "" : ", ") + std::string(n);
      return failWith(std::string("no GPU preset named '") + argv[2] + "' (presets: " + names +
                      ")");
    }
    Expected<Description> base = readDescription(argv[4]);
    if (!base)
      return failWith(base.error());
    Description withGpu = *base;
    if (base->gpu)
      preset->instances = base->gpu->instances;
    withGpu.gpu = *preset;
    std::cout << toJson(withGpu);
    return 0;
  }
  usage("unknown command " + command);
}
