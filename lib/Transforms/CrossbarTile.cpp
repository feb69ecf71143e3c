//===- CrossbarTile.cpp - frozen weights into bit-sliced crossbar blocks --===//

#include "hpt/Transforms/Passes.h"

#include "dialects/hpt/HptOps.h"
#include "dialects/pim/PimDialect.h"
#include "hpt/Analysis/Hardware.h"
#include "hpt/Transforms/Placement.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

namespace hpt {
#define GEN_PASS_DEF_HPTCROSSBARTILE
#include "hpt/Transforms/Passes.h.inc"
} // namespace hpt

using namespace mlir;
using namespace hpt;

namespace {

/// The frozen read of a product on ReRAM, or failure after an error at it.
FailureOr<FrozenRead> frozenReadAt(Operation *op) {
  if (std::optional<FrozenRead> read = frozenReadOf(op))
    return *read;
  if (auto matmul = dyn_cast<MatmulOp>(op); matmul && matmul.getTransposeLhs())
    return op->emitError("hpt-crossbar-tile: a crossbar reads vectors as rows; this "
                         "product transposes its left operand");
  return op->emitError("hpt-crossbar-tile: a product on reram reads a frozen parameter as "
                       "operand 1 (hpt.linear or hpt.matmul); this one does not");
}

struct HptCrossbarTilePass : hpt::impl::HptCrossbarTileBase<HptCrossbarTilePass> {
  using Base::Base;

  /// The geometry: the description's ReRAM section when `hw` names one, the
  /// options given beside it overriding it (and recorded in it, so that
  /// later costs use what was tiled).
  FailureOr<hw::pim::CrossbarGeometry> chooseGeometry() {
    ModuleOp module = getOperation();
    hw::pim::CrossbarGeometry g;
    g.rows = rows;
    g.cols = cols;
    g.cellBits = cellBits;
    g.weightBits = weightBits;
    g.inputBits = inputBits;
    g.dacBits = dacBits;
    g.adcBits = adcBits;
    g.adcsPerCrossbar = adcs;
    g.differential = differential;
    g.groups = groups;
    g.pesPerTile = pesPerTile;
    g.tilesPerChip = tiles;
    g.chips = chips;
    if (!hw.empty()) {
      FailureOr<hw::Description> description = loadHardware(hw, "hpt-crossbar-tile", module);
      if (failed(description))
        return failure();
      if (!description->reram)
        return mlir::emitError(module.getLoc(), "hpt-crossbar-tile: ") << hw << " has no reram section";
      const hw::pim::CrossbarGeometry given = hw::pim::geometryOf(*description->reram);
      applyDescription(g, given);
      overrideDescription(*description->reram, g);
      if (failed(recordHardware(module, *description, "hpt-crossbar-tile")))
        return failure();
    }
    g.dacsPerCrossbar = g.rows;
    if (failed(checkGeometry(g)))
      return failure();
    return g;
  }

  /// Takes the description's value wherever the option was not given.
  void applyDescription(hw::pim::CrossbarGeometry &g, const hw::pim::CrossbarGeometry &d) {
    auto pick = [](const Option<int64_t> &option, int64_t &into, int64_t described) {
      if (!option.hasValue())
        into = described;
    };
    pick(rows, g.rows, d.rows);
    pick(cols, g.cols, d.cols);
    pick(cellBits, g.cellBits, d.cellBits);
    pick(weightBits, g.weightBits, d.weightBits);
    pick(inputBits, g.inputBits, d.inputBits);
    pick(dacBits, g.dacBits, d.dacBits);
    pick(adcBits, g.adcBits, d.adcBits);
    pick(adcs, g.adcsPerCrossbar, d.adcsPerCrossbar);
    pick(groups, g.groups, d.groups);
    pick(pesPerTile, g.pesPerTile, d.pesPerTile);
    pick(tiles, g.tilesPerChip, d.tilesPerChip);
    pick(chips, g.chips, d.chips);
    if (!differential.hasValue())
      g.differential = d.differential;
  }

  /// Writes the options given into the recorded ReRAM section.
  void overrideDescription(hw::pim::ReramModel &m, const hw::pim::CrossbarGeometry &g) {
    const std::string source = "hpt-crossbar-tile option";
    auto set = [&](const Option<int64_t> &option, hw::Quantity &q, int64_t value) {
      if (option.hasValue())
        q = {double(value), source + " " + option.getArgStr().str()};
    };
    set(rows, m.xbarRows, g.rows);
    set(rows, m.subarrayRows, g.rows);
    set(rows, m.dacsPerSubarray, g.rows);
    set(cols, m.xbarCols, g.cols);
    set(cellBits, m.cellBits, g.cellBits);
    set(weightBits, m.weightBits, g.weightBits);
    set(inputBits, m.inputBits, g.inputBits);
    set(dacBits, m.dacBits, g.dacBits);
    set(adcBits, m.adcBits, g.adcBits);
    set(groups, m.groups, g.groups);
    set(pesPerTile, m.pesPerTile, g.pesPerTile);
    set(chips, m.instances, g.chips);
    if (adcs.hasValue()) // per crossbar: subarrays share them out
      m.adcsPerSubarray = {double(g.adcsPerCrossbar) / (m.xbarRows.value / m.subarrayRows.value),
                           source + " adcs"};
    if (tiles.hasValue()) {
      m.tileRows = {1, source + " tiles"};
      m.tileCols = {double(g.tilesPerChip), source + " tiles"};
    }
    if (differential.hasValue())
      m.crossbarsPerWeight = {g.differential ? 2.0 : 1.0, source + " differential"};
  }

  LogicalResult checkGeometry(const hw::pim::CrossbarGeometry &g) {
    ModuleOp module = getOperation();
    const std::pair<const char *, int64_t> counts[] = {
        {"rows", g.rows},          {"cols", g.cols},           {"cell-bits", g.cellBits},
        {"weight-bits", g.weightBits}, {"input-bits", g.inputBits}, {"dac-bits", g.dacBits},
        {"adc-bits", g.adcBits},   {"adcs", g.adcsPerCrossbar}, {"groups", g.groups},
        {"pes-per-tile", g.pesPerTile}, {"tiles", g.tilesPerChip}, {"chips", g.chips}};
    for (auto [name, value] : counts)
      if (value < 1)
        return mlir::emitError(module.getLoc(), "hpt-crossbar-tile: ") << name << " = " << value
                                                        << ": must be at least 1";
    for (auto [name, value] : {std::pair{"cell-bits", g.cellBits}, {"weight-bits", g.weightBits},
                               {"input-bits", g.inputBits}, {"dac-bits", g.dacBits},
                               {"adc-bits", g.adcBits}})
      if (value > 16)
        return mlir::emitError(module.getLoc(), "hpt-crossbar-tile: ") << name << " = " << value
                                                        << ": at most 16 bits";
    if (g.differential && g.weightBits < 2)
      return mlir::emitError(module.getLoc(), "hpt-crossbar-tile: weight-bits = ")
             << g.weightBits << " leaves no magnitude bit on a ± pair";
    if (g.inputBits < 2)
      return mlir::emitError(module.getLoc(), "hpt-crossbar-tile: input-bits = ")
             << g.inputBits << ": signed inputs need at least 2 bits";
    if (g.adcsPerCrossbar > g.cols)
      return mlir::emitError(module.getLoc(), "hpt-crossbar-tile: adcs = ")
             << g.adcsPerCrossbar << ": more ADCs than the crossbar's " << g.cols << " columns";
    return success();
  }

  void runOnOperation() override {
    FailureOr<hw::pim::CrossbarGeometry> chosen = chooseGeometry();
    if (failed(chosen))
      return signalPassFailure();
    const hw::pim::CrossbarGeometry g = *chosen;
    ModuleOp module = getOperation();
    MLIRContext *context = &getContext();
    OpBuilder builder(context);
    builder.setInsertionPointToEnd(module.getBody());
    llvm::StringMap<pim::CrossbarsOp> placed;
    int64_t nextTile = 0;
    const int64_t capacity = g.tilesPerChip * g.chips;
    WalkResult result = module.walk([&](Operation *op) {
      auto device = op->getAttrOfType<DeviceAttr>(kDeviceAttrName);
      if (!device || device.getKind() != DeviceKind::reram)
        return WalkResult::advance();
      FailureOr<FrozenRead> read = frozenReadAt(op);
      if (failed(read))
        return WalkResult::interrupt();
      ParamOp param = read->param;
      auto shape = cast<RankedTensorType>(param.getType()).getShape();
      pim::CrossbarsOp crossbars = placed.lookup(param.getSymName());
      if (!crossbars) {
        // The first read fixes the stored matrix: what it multiplies by.
        const bool transposedParam = read->readsTranspose;
        const int64_t k = transposedParam ? shape[1] : shape[0];
        const int64_t n = transposedParam ? shape[0] : shape[1];
        hw::Expected<hw::pim::WeightTiling> tiling = hw::pim::tileWeight(
            g, k, n, "hpt-crossbar-tile: @" + param.getSymName().str());
        if (!tiling) {
          op->emitError(tiling.error());
          return WalkResult::interrupt();
        }
        if (nextTile + tiling->tiles > capacity) {
          op->emitError("hpt-crossbar-tile: @")
              << param.getSymName() << " needs " << tiling->tiles << " tiles from tile "
              << nextTile << ", but the ReRAM chips hold " << capacity << " (" << g.chips
              << " x " << g.tilesPerChip << ")";
          return WalkResult::interrupt();
        }
        auto count = [](int64_t v) { return uint64_t(v); };
        crossbars = pim::CrossbarsOp::create(
            builder, param.getLoc(), ("xbar_" + param.getSymName()).str(), param.getSymName(),
            transposedParam,
            count(k), count(n), count(g.weightBits), count(g.cellBits), g.differential,
            count(g.rows), count(g.cols), count(g.groups), count(g.pesPerTile),
            count(g.inputBits), count(g.dacBits), count(g.adcBits), count(g.adcsPerCrossbar),
            count(tiling->rowBlocks), count(tiling->colBlocks), count(tiling->slices),
            count(tiling->crossbars), count(tiling->pes), count(nextTile), count(tiling->tiles),
            llvm::APFloat(tiling->utilisation));
        nextTile += tiling->tiles;
        placed[param.getSymName()] = crossbars;
      }
      const bool forward = read->readsTranspose == crossbars.getTransposedParam();
      op->setAttr("pim.crossbars", FlatSymbolRefAttr::get(crossbars.getSymNameAttr()));
      op->setAttr("pim.read", StringAttr::get(context, forward ? "forward" : "transposed"));
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      return signalPassFailure();
    if (!report.empty() && failed(writeReport(module, g, nextTile)))
      return signalPassFailure();
  }

  LogicalResult writeReport(ModuleOp module, const hw::pim::CrossbarGeometry &g,
                            int64_t usedTiles) {
    std::error_code error;
    llvm::raw_fd_ostream out(report, error, llvm::sys::fs::OF_Text);
    if (error)
      return mlir::emitError(module.getLoc(), "hpt-crossbar-tile: cannot write ") << report << ": "
                                                                  << error.message();
    out << "weight,rows,cols,row_blocks,col_blocks,slices,crossbars,pes,first_tile,tiles,"
           "utilisation\n";
    int64_t crossbars = 0, pes = 0, cells = 0;
    for (auto c : module.getOps<pim::CrossbarsOp>()) {
      out << c.getSymName() << "," << c.getRows() << "," << c.getCols() << ","
          << c.getRowBlocks() << "," << c.getColBlocks() << "," << c.getSlices() << ","
          << c.getCrossbars() << "," << c.getPes() << "," << c.getFirstTile() << ","
          << c.getTiles() << "," << llvm::format("%.6f", c.getUtilisation().convertToDouble())
          << "\n";
      crossbars += int64_t(c.getCrossbars());
      pes += int64_t(c.getPes());
      cells += int64_t(c.getRows() * c.getCols() * c.getSlices()) * (c.getDifferential() ? 2 : 1);
    }
    const double held = double(pes) * double(g.groups) * (g.differential ? 2 : 1) *
                        double(g.rows) * double(g.cols);
    out << "TOTAL,,,,,," << crossbars << "," << pes << ",0," << usedTiles << ","
        << llvm::format("%.6f", held > 0 ? double(cells) / held : 0.0) << "\n";
    out << "# chip: " << usedTiles << " of " << g.tilesPerChip * g.chips << " tiles ("
        << g.chips << " x " << g.tilesPerChip << "), " << g.rows << "x" << g.cols
        << " crossbars, " << g.cellBits << "-bit cells, " << g.weightBits << "-bit weights"
        << (g.differential ? " on +/- pairs" : ", offset binary") << "\n";
    return success();
  }
};

} // namespace
