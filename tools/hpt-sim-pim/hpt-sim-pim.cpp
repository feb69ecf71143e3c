//===- hpt-sim-pim.cpp - MNSIM 2.0's model on a layer list -----------------===//
//
//   hpt-sim-pim -c SimConfig.ini -t LAYERS.csv -o OUT.csv
//   hpt-sim-pim --hw DESCRIPTION.json -t LAYERS.csv -o OUT.csv
//   hpt-sim-pim --hw DESCRIPTION.json -p PROGRAM.txt [-o OUT.csv]
//
// An MNSIM 2.0 user switches by changing the command: the chip is MNSIM's
// SimConfig.ini (or the ReRAM section of an hpt hardware description, which
// the same ini imports into), the network a layer list (hardware/pim/LayerList.h), and
// OUT.csv has MNSIM's per-layer figures in the columns of hpt's reference
// set, one row per layer and a TOTAL row (docs/pim.md). With -p it runs a
// compiled pim program (hpt-translate --pim-to-program) through hpt's own
// model instead: every write and read with its time, energy and counts.
//
//===----------------------------------------------------------------------===//

#include "hardware/Description.h"
#include "hardware/pim/LayerList.h"
#include "hardware/pim/Mnsim.h"
#include "hardware/pim/Program.h"
#include "hardware/pim/Tiling.h"

#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

using namespace hpt::hw;
using namespace hpt::hw::pim;

namespace {

constexpr const char *kHeader =
    "net,config,wbits,abits,layer,type,in_ch,out_ch,kernel,stride,padding,in_size,out_size,"
    "mx,my,PEs,tiles,crossbars,max_row,max_col,max_PE_per_tile,n_outputs,begin_ns,finish_ns,"
    "layer_latency_ns,occupancy,sum_buffer_lat_ns,sum_buffer_r_lat_ns,sum_buffer_w_lat_ns,"
    "sum_computing_lat_ns,sum_DAC_lat_ns,sum_xbar_lat_ns,sum_ADC_lat_ns,sum_digital_lat_ns,"
    "sum_iReg_lat_ns,sum_oReg_lat_ns,sum_input_demux_lat_ns,sum_output_mux_lat_ns,"
    "sum_shiftreg_lat_ns,sum_adder_lat_ns,sum_jointmodule_lat_ns,sum_pooling_lat_ns,"
    "sum_intra_tile_lat_ns,sum_inter_tile_lat_ns,area_um2,area_xbar_um2,area_ADC_um2,"
    "area_DAC_um2,area_digital_um2,area_buf_um2,area_pooling_um2,power_W,power_xbar_W,"
    "power_ADC_W,power_DAC_W,power_digital_W,power_buf_W,energy_nJ,energy_xbar_nJ,energy_ADC_nJ,"
    "energy_DAC_nJ,energy_digital_nJ,energy_adder_nJ_not_in_total,energy_shiftreg_nJ,"
    "energy_iReg_nJ,energy_oReg_nJ,energy_input_demux_nJ,energy_output_mux_nJ,"
    "energy_jointmodule_nJ,energy_buf_nJ,energy_buf_r_nJ,energy_buf_w_nJ,energy_pooling_nJ";

struct Options {
  std::string config, hw, layers, program, out, net;
};

[[noreturn]] void usage(const std::string &why) {
  std::cerr << "hpt-sim-pim: " << why << "\n"
            << "usage: hpt-sim-pim -c SimConfig.ini -t LAYERS.csv -o OUT.csv [--net NAME]\n"
            << "       hpt-sim-pim --hw DESCRIPTION.json -t LAYERS.csv -o OUT.csv [--net NAME]\n"
            << "       hpt-sim-pim --hw DESCRIPTION.json -p PROGRAM.txt [-o OUT.csv]\n";
  std::exit(2);
}

Options parseArgs(int argc, char **argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc)
        usage("missing value after " + a);
      return argv[++i];
    };
    if (a == "-c")
      o.config = value();
    else if (a == "--hw")
      o.hw = value();
    else if (a == "-t")
      o.layers = value();
    else if (a == "-p")
      o.program = value();
    else if (a == "-o")
      o.out = value();
    else if (a == "--net")
      o.net = value();
    else if (a == "-h" || a == "--help")
      usage("MNSIM 2.0's latency, energy and area model (hpt's mnsim preset)");
    else
      usage("unknown argument " + a);
  }
  if (o.config.empty() == o.hw.empty())
    usage("give the chip as -c SimConfig.ini or as --hw DESCRIPTION.json");
  if (!o.program.empty() && !o.layers.empty())
    usage("give a layer list (-t) or a pim program (-p), not both");
  if (o.program.empty() && (o.layers.empty() || o.out.empty()))
    usage("-t and -o are required");
  return o;
}

bool readFile(const std::string &path, std::string &text) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  text = buffer.str();
  return true;
}

/// Writes `text` to `path`; false, with the reason printed, when it cannot.
bool writeFile(const std::string &path, const std::string &text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (out.flush())
    return true;
  std::cerr << "hpt-sim-pim: error: " << path << ": cannot write\n";
  return false;
}

std::string stem(const std::string &path) {
  const size_t slash = path.find_last_of('/');
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  const size_t dot = base.rfind('.');
  return dot == std::string::npos ? base : base.substr(0, dot);
}

/// The shortest text that reads back to the same double.
std::string number(double value) {
  char text[64];
  auto [end, ec] = std::to_chars(text, text + sizeof text, value);
  return std::string(text, end);
}

std::string size(int64_t h, int64_t w) { return std::to_string(h) + "x" + std::to_string(w); }

/// One CSV row, by column name; columns it lacks stay blank.
using Row = std::map<std::string, std::string>;

void putFigures(Row &row, const Components &area, const Components &power,
                const Components &energy) {
  row["area_um2"] = number(area.total);
  row["area_xbar_um2"] = number(area.xbar);
  row["area_ADC_um2"] = number(area.adc);
  row["area_DAC_um2"] = number(area.dac);
  row["area_digital_um2"] = number(area.digital);
  row["area_buf_um2"] = number(area.buffer);
  row["area_pooling_um2"] = number(area.pooling);
  row["power_W"] = number(power.total);
  row["power_xbar_W"] = number(power.xbar);
  row["power_ADC_W"] = number(power.adc);
  row["power_DAC_W"] = number(power.dac);
  row["power_digital_W"] = number(power.digital);
  row["power_buf_W"] = number(power.buffer);
  row["energy_nJ"] = number(energy.total);
  row["energy_xbar_nJ"] = number(energy.xbar);
  row["energy_ADC_nJ"] = number(energy.adc);
  row["energy_DAC_nJ"] = number(energy.dac);
  row["energy_digital_nJ"] = number(energy.digital);
  row["energy_adder_nJ_not_in_total"] = number(energy.adder);
  row["energy_buf_nJ"] = number(energy.buffer);
  row["energy_buf_r_nJ"] = number(energy.bufferRead);
  row["energy_buf_w_nJ"] = number(energy.bufferWrite);
  row["energy_pooling_nJ"] = number(energy.pooling);
}

Row layerRow(size_t index, const Layer &layer, const LayerFigures &f) {
  const bool weights = layer.kind == LayerKind::Conv || layer.kind == LayerKind::Fc;
  const bool window = layer.kind == LayerKind::Conv || layer.kind == LayerKind::Pooling;
  Row row;
  if (weights)
    row["wbits"] = std::to_string(layer.weightBits);
  row["abits"] = std::to_string(layer.activationBits);
  row["layer"] = std::to_string(index);
  row["type"] = name(layer.kind);
  // MNSIM gives an element_sum no shape of its own.
  const bool shaped = layer.kind != LayerKind::ElementSum;
  if (shaped) {
    row["in_ch"] = std::to_string(layer.inCh);
    row["out_ch"] = std::to_string(layer.outCh);
  }
  if (window) {
    row["kernel"] = std::to_string(layer.kernel);
    row["stride"] = std::to_string(layer.stride);
    row["padding"] = std::to_string(layer.padding);
  }
  if (shaped && layer.kind != LayerKind::Fc)
    row["in_size"] = size(layer.inH, layer.inW);
  if (shaped)
    row["out_size"] = size(layer.outH(), layer.outW());
  row["mx"] = std::to_string(f.mx);
  row["my"] = std::to_string(f.my);
  row["PEs"] = std::to_string(f.pes);
  row["tiles"] = std::to_string(f.tiles);
  row["crossbars"] = std::to_string(f.crossbars);
  row["max_row"] = std::to_string(f.maxRow);
  row["max_col"] = std::to_string(f.maxCol);
  row["max_PE_per_tile"] = std::to_string(f.maxPePerTile);
  row["n_outputs"] = std::to_string(f.outputs);
  row["begin_ns"] = number(f.begin_ns);
  row["finish_ns"] = number(f.finish_ns);
  row["layer_latency_ns"] = number(f.layerLatency_ns);
  row["occupancy"] = number(f.occupancy);
  const LatencySums &s = f.sums;
  row["sum_buffer_lat_ns"] = number(s.buffer);
  row["sum_buffer_r_lat_ns"] = number(s.bufferRead);
  row["sum_buffer_w_lat_ns"] = number(s.bufferWrite);
  row["sum_computing_lat_ns"] = number(s.computing);
  row["sum_DAC_lat_ns"] = number(s.dac);
  row["sum_xbar_lat_ns"] = number(s.xbar);
  row["sum_ADC_lat_ns"] = number(s.adc);
  row["sum_digital_lat_ns"] = number(s.digital);
  row["sum_iReg_lat_ns"] = number(s.iReg);
  row["sum_oReg_lat_ns"] = number(s.oReg);
  row["sum_input_demux_lat_ns"] = number(s.inputDemux);
  row["sum_output_mux_lat_ns"] = number(s.outputMux);
  row["sum_shiftreg_lat_ns"] = number(s.shiftReg);
  row["sum_adder_lat_ns"] = number(s.adder);
  row["sum_jointmodule_lat_ns"] = number(s.jointModule);
  row["sum_pooling_lat_ns"] = number(s.pooling);
  row["sum_intra_tile_lat_ns"] = number(s.intraTile);
  row["sum_inter_tile_lat_ns"] = number(s.interTile);
  putFigures(row, f.area_um2, f.power_W, f.energy_nJ);
  const Components &e = f.energy_nJ;
  row["energy_shiftreg_nJ"] = number(e.shiftReg);
  row["energy_iReg_nJ"] = number(e.iReg);
  row["energy_oReg_nJ"] = number(e.oReg);
  row["energy_input_demux_nJ"] = number(e.inputDemux);
  row["energy_output_mux_nJ"] = number(e.outputMux);
  row["energy_jointmodule_nJ"] = number(e.jointModule);
  return row;
}

/// The bits every layer shares, or blank.
std::string commonBits(const std::vector<Layer> &layers, bool weights) {
  std::string common;
  for (const Layer &layer : layers) {
    if (weights && layer.kind != LayerKind::Conv && layer.kind != LayerKind::Fc)
      continue;
    const std::string bits = std::to_string(weights ? layer.weightBits : layer.activationBits);
    if (!common.empty() && common != bits)
      return "";
    common = bits;
  }
  return common;
}

Row totalRow(const std::vector<Layer> &layers, const NetworkFigures &net) {
  Row row;
  row["wbits"] = commonBits(layers, true);
  row["abits"] = commonBits(layers, false);
  row["layer"] = "TOTAL";
  row["PEs"] = std::to_string(net.pes);
  row["tiles"] = std::to_string(net.tiles);
  row["crossbars"] = std::to_string(net.crossbars);
  row["finish_ns"] = number(net.latency_ns);
  row["layer_latency_ns"] = number(net.latency_ns);
  putFigures(row, net.area_um2, net.power_W, net.energy_nJ);
  return row;
}

void writeRow(std::ostream &out, const std::vector<std::string> &columns, Row row) {
  for (size_t i = 0; i < columns.size(); ++i)
    out << (i ? "," : "") << row[columns[i]];
  out << "\n";
}

/// The chip: MNSIM's SimConfig.ini imported, or a description's section.
Expected<ReramModel> readChip(const Options &o) {
  if (!o.hw.empty()) {
    Expected<Description> description = readDescription(o.hw);
    if (!description)
      return fail(description.error());
    if (!description->reram)
      return fail(o.hw + ": reram: missing (the description has no ReRAM section)");
    return *description->reram;
  }
  std::string text;
  if (!readFile(o.config, text))
    return fail(o.config + ": cannot read");
  Expected<SimConfig> config = SimConfig::parse(text, o.config);
  if (!config)
    return fail(config.error());
  return importMnsim(*config);
}

/// Runs a compiled pim program through hpt's own ReRAM model.
int runProgram(const Options &o, const ReramModel &reram, const std::string &chipPath) {
  std::string text;
  if (!readFile(o.program, text)) {
    std::cerr << "hpt-sim-pim: error: " << o.program << ": cannot read\n";
    return 1;
  }
  Expected<PimProgram> program = parsePimProgram(text, o.program);
  if (!program) {
    std::cerr << "hpt-sim-pim: error: " << program.error() << "\n";
    return 1;
  }
  const CrossbarGeometry geometry = geometryOf(reram);
  std::vector<WeightTiling> tilings;
  int64_t tiles = 0;
  for (const ProgramWeight &w : program->weights) {
    Expected<WeightTiling> t = tileWeight(geometry, w.rows, w.cols, o.program + ": " + w.name);
    if (!t) {
      std::cerr << "hpt-sim-pim: error: " << t.error() << "\n";
      return 1;
    }
    tiles += t->tiles;
    tilings.push_back(*t);
  }
  if (tiles > geometry.tilesPerChip * geometry.chips) {
    std::cerr << "hpt-sim-pim: error: " << o.program << ": the weights need " << tiles
              << " tiles; " << chipPath << " has " << geometry.tilesPerChip * geometry.chips
              << "\n";
    return 1;
  }
  std::ostringstream csv;
  csv << "line,step,weight,read,vectors,latency_ns,energy_pJ,adc_pJ,dac_pJ,cell_pJ,digital_pJ,"
         "conversions,write_pulses\n";
  double latency = 0, energy = 0, writeLatency = 0, writeEnergy = 0;
  int64_t conversions = 0, pulses = 0;
  for (const ProgramStep &step : program->steps) {
    const ProgramWeight &w = program->weights[step.weight];
    const WeightTiling &t = tilings[step.weight];
    csv << step.line << ",";
    if (step.kind == ProgramStep::Kind::Program) {
      const WriteCost cost = writeCostEstimate(reram, t);
      csv << "program," << w.name << ",,," << number(cost.latency_ns) << ","
          << number(cost.energy_pJ) << ",,,,,," << cost.pulses << "\n";
      writeLatency += cost.latency_ns;
      writeEnergy += cost.energy_pJ;
      pulses += cost.pulses;
      continue;
    }
    const ReramCost cost = readCost(reram, t, step.vectors, step.transposed);
    csv << "read," << w.name << "," << (step.transposed ? "transposed" : "forward") << ","
        << step.vectors << "," << number(cost.latency_ns) << "," << number(cost.energy_pJ) << ","
        << number(cost.adcEnergy_pJ) << "," << number(cost.dacEnergy_pJ) << ","
        << number(cost.cellEnergy_pJ) << "," << number(cost.digitalEnergy_pJ) << ","
        << cost.conversions << ",\n";
    latency += cost.latency_ns;
    energy += cost.energy_pJ;
    conversions += cost.conversions;
  }
  if (!o.out.empty() && !writeFile(o.out, csv.str()))
    return 1;
  std::printf("hpt-sim-pim: %zu weights, %zu steps of %s on %s (hpt preset, modelled)\n",
              program->weights.size(), program->steps.size(), o.program.c_str(),
              chipPath.c_str());
  std::printf("  tiles %lld of %lld\n", static_cast<long long>(tiles),
              static_cast<long long>(geometry.tilesPerChip * geometry.chips));
  std::printf("  reads: %.6g ns one after another, %.6g nJ, %lld conversions\n", latency,
              energy * 1e-3, static_cast<long long>(conversions));
  std::printf("  writes (estimated: levels spread evenly): %.6g ns, %.6g nJ, %lld pulses\n",
              writeLatency, writeEnergy * 1e-3, static_cast<long long>(pulses));
  if (!o.out.empty())
    std::printf("  wrote %s\n", o.out.c_str());
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  const Options o = parseArgs(argc, argv);
  Expected<ReramModel> reram = readChip(o);
  if (!reram) {
    std::cerr << "hpt-sim-pim: error: " << reram.error() << "\n";
    return 1;
  }
  const std::string chipPath = o.hw.empty() ? o.config : o.hw;
  if (!o.program.empty())
    return runProgram(o, *reram, chipPath);
  const MnsimChip chip = mnsimChip(*reram, chipPath);
  std::string layerText;
  if (!readFile(o.layers, layerText)) {
    std::cerr << "hpt-sim-pim: error: " << o.layers << ": cannot read\n";
    return 1;
  }
  Expected<std::vector<Layer>> layers = parseLayerList(layerText, o.layers);
  if (!layers) {
    std::cerr << "hpt-sim-pim: error: " << layers.error() << "\n";
    return 1;
  }
  Expected<NetworkFigures> net = simulateMnsim(chip, *layers, o.layers);
  if (!net) {
    std::cerr << "hpt-sim-pim: error: " << net.error() << "\n";
    return 1;
  }
  std::vector<std::string> columns;
  for (std::string_view rest = kHeader; !rest.empty();) {
    const size_t comma = rest.find(',');
    columns.emplace_back(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  std::ostringstream csv;
  csv << kHeader << "\n";
  auto named = [&](Row row) {
    row["net"] = o.net.empty() ? stem(o.layers) : o.net;
    row["config"] = stem(chipPath);
    return row;
  };
  for (size_t i = 0; i < layers->size(); ++i)
    writeRow(csv, columns, named(layerRow(i, (*layers)[i], net->layers[i])));
  writeRow(csv, columns, named(totalRow(*layers, *net)));
  if (!writeFile(o.out, csv.str()))
    return 1;
  std::printf("hpt-sim-pim: %zu layers on %s (mnsim preset, MNSIM 2.0's model)\n",
              layers->size(), chipPath.c_str());
  std::printf("  PEs %lld, tiles %lld, crossbars %lld\n", (long long)net->pes,
              (long long)net->tiles, (long long)net->crossbars);
  std::printf("  latency %.6g ns, energy %.6g nJ, area %.6g um^2, power %.6g W\n", net->latency_ns,
              net->energy_nJ.total, net->area_um2.total, net->power_W.total);
  std::printf("  wrote %s\n", o.out.c_str());
  return 0;
}
