//===- SaDialect.cpp - the systolic-array instruction dialect -------------===//

#include "dialects/sa/SaDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace hpt::sa;

#include "dialects/sa/SaDialect.cpp.inc"
#include "dialects/sa/SaEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/sa/SaAttrs.cpp.inc"

void SaDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/sa/SaOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/sa/SaAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Instructions
//===----------------------------------------------------------------------===//

LogicalResult PreloadOp::verify() {
  if (getBuffer() == Buffer::ofmap)
    return emitOpError("preloads a stationary operand from ifmap or filter SRAM");
  return success();
}

//===----------------------------------------------------------------------===//
// Stream bookkeeping
//===----------------------------------------------------------------------===//

namespace {
/// What the stream's sa.config declares, and the checks it implies.
class Machine {
public:
  explicit Machine(ConfigOp config)
      : config(config),
        sramWords{int64_t(config.getIfmapWords()), int64_t(config.getFilterWords()),
                  int64_t(config.getOfmapWords())},
        dramWords{int64_t(config.getIfmapDramWords()), int64_t(config.getFilterDramWords()),
                  int64_t(config.getOfmapDramWords())} {}

  /// [address, address + words) must lie in `buffer`.
  LogicalResult touches(Operation *op, Buffer buffer, int64_t address, int64_t words) const {
    int64_t capacity = capacityOf(buffer);
    if (address + words <= capacity)
      return success();
    return op->emitOpError("reaches ") << stringifyBuffer(buffer) << " word "
                                        << address + words - 1 << ", past the SRAM's "
                                        << capacity << " words";
  }

  /// A rows x cols tile at `address` with row `stride` must lie in the
  /// buffer's DRAM region.
  LogicalResult dramTouches(Operation *op, Buffer buffer, int64_t address, int64_t rows,
                            int64_t cols, int64_t stride) const {
    int64_t last = address + (rows - 1) * stride + cols - 1;
    int64_t region = dramRegionOf(buffer);
    if (last < region)
      return success();
    return op->emitOpError("reaches ") << stringifyBuffer(buffer) << " DRAM word " << last
                                        << ", past the region's " << region << " words";
  }

  LogicalResult fits(Operation *op, int64_t rows, int64_t cols) const {
    if (rows <= static_cast<int64_t>(config.getRows()) &&
        cols <= static_cast<int64_t>(config.getCols()))
      return success();
    return op->emitOpError("uses ") << rows << " x " << cols << " PEs of a "
                                    << config.getRows() << " x " << config.getCols()
                                    << " array";
  }

  Dataflow dataflow() const { return config.getDataflow(); }

  /// The SRAM holding the operand that stays in the array during a fold.
  std::optional<Buffer> stationaryBuffer() const {
    switch (dataflow()) {
    case Dataflow::ws:
      return Buffer::filter;
    case Dataflow::is:
      return Buffer::ifmap;
    case Dataflow::os:
      return std::nullopt;
    }
    return std::nullopt;
  }

private:
  int64_t dramRegionOf(Buffer buffer) const { return dramWords[static_cast<int>(buffer)]; }
  int64_t capacityOf(Buffer buffer) const { return sramWords[static_cast<int>(buffer)]; }

  mutable ConfigOp config; // op handles are values; their getters are not const
  int64_t sramWords[3], dramWords[3]; ///< per Buffer (ifmap, filter, ofmap)
};

/// SRAM words a fold reads and writes (SCALE-Sim's operand view): os streams
/// ifmap rows x T and filter T x cols into a rows x cols result; ws keeps a
/// rows x cols filter tile and streams T x rows ifmap into T x cols results;
/// is keeps a rows x cols ifmap tile and streams T x rows filter into T x cols.
LogicalResult checkCompute(const Machine &machine, ComputeOp op) {
  int64_t rows = op.getRows(), cols = op.getCols(), t = op.getStreamed();
  if (failed(machine.fits(op, rows, cols)))
    return failure();
  switch (machine.dataflow()) {
  case Dataflow::os:
    if (failed(machine.touches(op, Buffer::ifmap, op.getStreamedAddress(), rows * t)) ||
        failed(machine.touches(op, Buffer::filter, op.getStationaryAddress(), t * cols)))
      return failure();
    return machine.touches(op, Buffer::ofmap, op.getResult(), rows * cols);
  case Dataflow::ws:
    if (failed(machine.touches(op, Buffer::ifmap, op.getStreamedAddress(), t * rows)) ||
        failed(machine.touches(op, Buffer::filter, op.getStationaryAddress(), rows * cols)))
      return failure();
    return machine.touches(op, Buffer::ofmap, op.getResult(), t * cols);
  case Dataflow::is:
    if (failed(machine.touches(op, Buffer::filter, op.getStreamedAddress(), t * rows)) ||
        failed(machine.touches(op, Buffer::ifmap, op.getStationaryAddress(), rows * cols)))
      return failure();
    return machine.touches(op, Buffer::ofmap, op.getResult(), t * cols);
  }
  return success();
}

LogicalResult checkPreload(const Machine &machine, PreloadOp op) {
  std::optional<Buffer> stationary = machine.stationaryBuffer();
  if (!stationary)
    return op.emitOpError("has nothing to preload in an output-stationary array");
  if (op.getBuffer() != *stationary)
    return op.emitOpError("preloads from ")
           << stringifyBuffer(op.getBuffer()) << ", but the "
           << stringifyDataflow(machine.dataflow()) << " dataflow keeps "
           << stringifyBuffer(*stationary) << " stationary";
  if (failed(machine.fits(op, op.getRows(), op.getCols())))
    return failure();
  return machine.touches(op, op.getBuffer(), op.getSram(), int64_t(op.getRows()) * op.getCols());
}

LogicalResult checkInstruction(const Machine &machine, Operation &op) {
  if (auto move = dyn_cast<MoveInOp>(op))
    return success(succeeded(machine.dramTouches(&op, move.getBuffer(), move.getDram(),
                                                 move.getRows(), move.getCols(),
                                                 move.getStride())) &&
                   succeeded(machine.touches(&op, move.getBuffer(), move.getSram(),
                                             int64_t(move.getRows()) * move.getCols())));
  if (auto move = dyn_cast<MoveOutOp>(op))
    return success(succeeded(machine.dramTouches(&op, Buffer::ofmap, move.getDram(),
                                                 move.getRows(), move.getCols(),
                                                 move.getStride())) &&
                   succeeded(machine.touches(&op, Buffer::ofmap, move.getSram(),
                                             int64_t(move.getRows()) * move.getCols())));
  if (auto preload = dyn_cast<PreloadOp>(op))
    return checkPreload(machine, preload);
  if (auto compute = dyn_cast<ComputeOp>(op))
    return checkCompute(machine, compute);
  if (auto vector = dyn_cast<VectorOp>(op)) {
    int64_t words = int64_t(vector.getRows()) * vector.getCols();
    if (failed(machine.touches(&op, Buffer::ofmap, vector.getSram(), words)))
      return failure();
    // add reads a second tile; layer_norm reads gamma then beta (a row each).
    if (vector.getKind() == VectorKind::add)
      return machine.touches(&op, Buffer::ofmap, vector.getSource2(), words);
    if (vector.getKind() == VectorKind::layer_norm)
      return machine.touches(&op, Buffer::ofmap, vector.getSource2(),
                             2 * int64_t(vector.getCols()));
  }
  return success();
}
} // namespace

LogicalResult StreamOp::verifyRegions() {
  std::optional<Machine> machine;
  for (Operation &op : getBody().front()) {
    if (auto config = dyn_cast<ConfigOp>(op)) {
      machine.emplace(config);
      continue;
    }
    if (!machine)
      return op.emitOpError("comes before the stream's sa.config");
    if (failed(checkInstruction(*machine, op)))
      return failure();
  }
  return success();
}

#define GET_OP_CLASSES
#include "dialects/sa/SaOps.cpp.inc"
