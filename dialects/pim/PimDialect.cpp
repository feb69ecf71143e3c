//===- PimDialect.cpp - the ReRAM processing-in-memory dialect ------------===//

#include "dialects/pim/PimDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectImplementation.h"

#include <cmath>

using namespace mlir;
using namespace hpt::pim;

#include "dialects/pim/PimDialect.cpp.inc"

void PimDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/pim/PimOps.cpp.inc"
      >();
}

#define GET_OP_CLASSES
#include "dialects/pim/PimOps.cpp.inc"

hpt::hw::pim::CrossbarGeometry hpt::pim::geometryOf(CrossbarsOp op) {
  hw::pim::CrossbarGeometry g;
  g.rows = int64_t(op.getXbarRows());
  g.cols = int64_t(op.getXbarCols());
  g.cellBits = int64_t(op.getCell());
  g.weightBits = int64_t(op.getBits());
  g.inputBits = int64_t(op.getInput());
  g.dacBits = int64_t(op.getDac());
  g.adcBits = int64_t(op.getAdc());
  g.dacsPerCrossbar = g.rows;
  g.adcsPerCrossbar = int64_t(op.getAdcs());
  g.differential = op.getDifferential();
  g.groups = int64_t(op.getGroups());
  g.pesPerTile = int64_t(op.getPesPerTile());
  return g;
}

hpt::hw::pim::WeightTiling hpt::pim::tilingOf(CrossbarsOp op) {
  hw::Expected<hw::pim::WeightTiling> t =
      hw::pim::tileWeight(geometryOf(op), int64_t(op.getRows()), int64_t(op.getCols()), "");
  return t ? *t : hw::pim::WeightTiling{};
}

LogicalResult CrossbarsOp::verify() {
  for (auto [name, bits] : {std::pair{"bits", getBits()}, {"cell", getCell()},
                            {"input", getInput()}, {"dac", getDac()}, {"adc", getAdc()}})
    if (bits > 16)
      return emitOpError() << name << " = " << bits << ": at most 16 bits";
  if (getDifferential() && getBits() < 2)
    return emitOpError("a ± pair needs a sign bit and at least one magnitude bit (bits >= 2)");
  if (getInput() < 2)
    return emitOpError("signed inputs need at least 2 bits");
  hw::Expected<hw::pim::WeightTiling> t = hw::pim::tileWeight(
      geometryOf(*this), int64_t(getRows()), int64_t(getCols()), "pim.crossbars");
  if (!t)
    return emitOpError(t.error());
  const std::pair<const char *, std::pair<uint64_t, int64_t>> counts[] = {
      {"row blocks", {getRowBlocks(), t->rowBlocks}}, {"col blocks", {getColBlocks(), t->colBlocks}},
      {"slices", {getSlices(), t->slices}},           {"crossbars", {getCrossbars(), t->crossbars}},
      {"pes", {getPes(), t->pes}},                    {"tiles", {getTiles(), t->tiles}}};
  for (const auto &[name, pair] : counts)
    if (int64_t(pair.first) != pair.second)
      return emitOpError() << name << " = " << pair.first << ", but the weight's tiling has "
                           << pair.second;
  if (std::abs(getUtilisation().convertToDouble() - t->utilisation) > 1e-6)
    return emitOpError() << "utilisation " << getUtilisation().convertToDouble()
                         << ", but the weight's tiling has " << t->utilisation;
  return success();
}

namespace {

/// The `pim.crossbars` a kernel op names, or failure after an error.
FailureOr<CrossbarsOp> crossbarsNamed(Operation *op, FlatSymbolRefAttr name) {
  auto crossbars = SymbolTable::lookupNearestSymbolFrom<CrossbarsOp>(op, name);
  if (!crossbars)
    return op->emitOpError() << "names " << name << ", which is no pim.crossbars";
  return crossbars;
}

/// Whether `type` is a ranked tensor of `element` with `shape`.
bool hasShape(Type type, ArrayRef<int64_t> shape, Type element) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.getShape() == shape && tensor.getElementType() == element;
}

std::string shapeText(ArrayRef<int64_t> shape) {
  std::string text;
  for (int64_t d : shape)
    text += std::to_string(d) + "x";
  return text;
}

} // namespace

LogicalResult ProgramOp::verify() {
  FailureOr<CrossbarsOp> crossbars = crossbarsNamed(*this, getCrossbarsAttr());
  if (failed(crossbars))
    return failure();
  const int64_t rows = int64_t(crossbars->getRows()), cols = int64_t(crossbars->getCols());
  SmallVector<int64_t> stored =
      getTransposed() ? SmallVector<int64_t>{cols, rows} : SmallVector<int64_t>{rows, cols};
  if (!hasShape(getWeight().getType(), stored, Float32Type::get(getContext())))
    return emitOpError() << "writes a tensor<" << shapeText(stored) << "f32> into "
                         << getCrossbarsAttr() << ", got " << getWeight().getType();
  return success();
}

LogicalResult QuantizeOp::verify() {
  auto input = dyn_cast<RankedTensorType>(getInput().getType());
  if (!input || input.getRank() != 2 || !input.getElementType().isF32())
    return emitOpError("quantises a rank-2 f32 tensor, one vector per row");
  if (getBits() < 2 || getBits() > 16)
    return emitOpError() << "bits = " << getBits() << ": signed values need 2 to 16 bits";
  MLIRContext *context = getContext();
  if (!hasShape(getQuantised().getType(), input.getShape(), IntegerType::get(context, 32)) ||
      !hasShape(getScales().getType(), {input.getDimSize(0)}, Float32Type::get(context)))
    return emitOpError("gives i32 values of the input's shape and one f32 scale per row");
  return success();
}

LogicalResult MvmOp::verify() {
  FailureOr<CrossbarsOp> crossbars = crossbarsNamed(*this, getCrossbarsAttr());
  if (failed(crossbars))
    return failure();
  auto input = dyn_cast<RankedTensorType>(getInput().getType());
  const int64_t rows = int64_t(crossbars->getRows()), cols = int64_t(crossbars->getCols());
  const int64_t driven = getTransposed() ? cols : rows, read = getTransposed() ? rows : cols;
  MLIRContext *context = getContext();
  if (!input || input.getRank() != 2 || input.getDimSize(1) != driven ||
      !input.getElementType().isInteger(32))
    return emitOpError() << "drives the " << driven << " "
                         << (getTransposed() ? "columns" : "rows") << " of " << getCrossbarsAttr()
                         << ": its input must be tensor<?x" << driven << "xi32>";
  const int64_t blocks = int64_t(getTransposed() ? crossbars->getColBlocks()
                                                 : crossbars->getRowBlocks());
  SmallVector<int64_t> shape = {blocks, int64_t(crossbars->getSlices()), input.getDimSize(0),
                                read};
  if (!hasShape(getPartials().getType(), shape, IntegerType::get(context, 32)))
    return emitOpError() << "gives one partial sum per block, slice, vector and line read: "
                         << "tensor<" << shapeText(shape) << "i32>";
  return success();
}

LogicalResult ShiftAddOp::verify() {
  FailureOr<CrossbarsOp> crossbars = crossbarsNamed(*this, getCrossbarsAttr());
  if (failed(crossbars))
    return failure();
  auto partials = dyn_cast<RankedTensorType>(getPartials().getType());
  if (!partials || partials.getRank() != 4 || partials.getDimSize(1) != int64_t(crossbars->getSlices()))
    return emitOpError() << "adds a pim.mvm's partial sums (blocks x " << crossbars->getSlices()
                         << " slices x vectors x lines)";
  MLIRContext *context = getContext();
  const int64_t vectors = partials.getDimSize(2), lines = partials.getDimSize(3);
  if (!hasShape(getScales().getType(), {vectors}, Float32Type::get(context)) ||
      !hasShape(getResult().getType(), {vectors, lines}, Float32Type::get(context)))
    return emitOpError("takes one f32 scale per vector and gives tensor<vectors x lines x f32>");
  return success();
}
