//===- Planner.h - GEMMs and vector work as systolic streams -----*- C++ -*-===//
//
// The stream the compiler's `sa` dialect lowering will emit: a CONFIG, then
// per fold (column folds outer, row folds inner, as SCALE-Sim walks them)
// MOVEIN of the stationary tile and PRELOAD (WS, IS), then per chunk of the
// streamed operand MOVEIN(s), COMPUTE and (WS, IS) MOVEOUT; OS moves its
// ofmap tile out once per fold. Tiles alternate between the two halves of
// each SRAM (double buffering). A tile that cannot fit half its SRAM is an
// error. The compiler's convert-hpt-to-sa emits exactly this stream as `sa`
// ops, so the simulator runs what the compiler plans.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_HARDWARE_SYSTOLIC_PLANNER_H
#define HPT_HARDWARE_SYSTOLIC_PLANNER_H

#include "hardware/Expected.h"
#include "hardware/Sizes.h"
#include "hardware/systolic/Isa.h"

#include <string>
#include <variant>

namespace hpt::systolic {

/// ofmap[M, N] = ifmap[M, K] · filter[K, N], `batch` times over consecutive
/// DRAM slices (a batched matmul).
struct GemmShape {
  uint64_t M = 0, N = 0, K = 0;
  uint64_t batch = 1;
  /// A linear layer's bias: a row of N in the ofmap region after the result,
  /// added to every row by the vector unit once the folds are done.
  bool bias = false;
};

/// What a lowering needs to know about the array.
struct Machine {
  Dataflow dataflow = Dataflow::OutputStationary;
  ElementType element = ElementType::F32;
  uint32_t arrayRows = 0, arrayCols = 0;
  uint64_t sramWords[3] = {0, 0, 0}; ///< per Buffer
};

/// A stream, or why there is none (a tile that does not fit its SRAM): the
/// compiler (convert-hpt-to-sa) turns the error into a diagnostic,
/// hpt-sim-systolic into an exception.
using Plan = hw::Expected<Stream>;

/// A GEMM whose stream would take more than `maxStreamBytes` of memory (or
/// whose operands overflow 64 bits) gets an error before anything is built.
Plan planGemm(const GemmShape &gemm, const Machine &machine,
              uint64_t maxStreamBytes = hw::physicalMemoryBytes());

/// A vector-unit op on a rows x cols tensor, row by row (softmax and layer
/// norm over the last axis; `scalar` is layer norm's eps, scale's factor).
/// Layer norm's gamma and beta, or a binary op's second tensor, follow the
/// tensor in the ofmap DRAM region.
struct VectorShape {
  VectorOp op = VectorOp::Softmax;
  uint64_t rows = 0, cols = 0;
  float scalar = 0;
};

/// Rows move through the ofmap SRAM in chunks that fit half of it (after
/// layer norm's gamma and beta, which stay at its start).
Plan planVector(const VectorShape &vector, const Machine &machine,
                uint64_t maxStreamBytes = hw::physicalMemoryBytes());

/// What a planned stream computes: a GEMM or a vector pass. A bundle records
/// it beside each stream the planner made, so the runtime can check the
/// stream is that plan (and the functional simulator may compute the plan's
/// results without walking the stream, bit for bit the same).
using PlanSpec = std::variant<GemmShape, VectorShape>;

/// A place in a planned stream's DRAM regions that holds one tensor.
struct Slot {
  Buffer region = Buffer::Ofmap;
  uint64_t offset = 0, words = 0;
};

/// The tensors a plan's stream reads and writes: a GEMM's ifmap, filter and
/// result (and a bias after it; batch elements one after the other), a
/// vector pass's tensor, its operand tensors and its block's pieces.
std::vector<Slot> planSlots(const PlanSpec &spec);

/// The machine a stream's CONFIG describes.
Machine machineOf(const Instruction &config);

/// planGemm or planVector of `spec`.
Plan planOf(const PlanSpec &spec, const Machine &machine,
            uint64_t maxStreamBytes = hw::physicalMemoryBytes());

} // namespace hpt::systolic

#endif // HPT_HARDWARE_SYSTOLIC_PLANNER_H
