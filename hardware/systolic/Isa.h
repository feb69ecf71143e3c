//===- Isa.h - the systolic-array instruction set ---------------*- C++ -*-===//
//
// The instructions of hpt's systolic-array machine (the `sa` dialect's ops
// one to one): an R x C array of MAC units with output-, weight- or
// input-stationary dataflow, three double-buffered SRAMs (ifmap, filter,
// ofmap) in front of DRAM, and a vector unit beside the array. It is the
// machine SCALE-Sim v2 models, in the spirit of Gemmini's ISA.
//
// A GEMM ofmap[M, N] = ifmap[M, K] · filter[K, N] runs as folds. Per dataflow
// (SCALE-Sim's operand view), S_r x S_c operand elements are mapped on the
// array and T are streamed through it:
//   OS: S_r = M, S_c = N, T = K     WS: S_r = K, S_c = N, T = M
//   IS: S_r = K, S_c = M, T = N
// and there are ceil(S_r/R)·ceil(S_c/C) folds. One fold is: a PRELOAD of the
// stationary operand (WS: filter, IS: ifmap; none for OS), one or more
// COMPUTEs that stream T lines through the array (split in chunks when the
// streamed tile does not fit half an SRAM; the first carries `first`, the
// last `last`), and the drain of its outputs into the ofmap SRAM.
//
// Tiles in SRAM are row-major in the tensors' own orientation (rows x cols
// of ifmap[M,K], filter[K,N], ofmap[M,N]); docs/systolic.md lists, per
// dataflow, which tile each COMPUTE address names.
//
// Addresses are element indices (words): DRAM addresses index the region of
// the instruction's buffer (ifmap, filter, ofmap), SRAM addresses its SRAM.
// An instruction that reaches past a region's or an SRAM's capacity, or runs
// before a CONFIG, is an error naming the instruction's index.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_HARDWARE_SYSTOLIC_ISA_H
#define HPT_HARDWARE_SYSTOLIC_ISA_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hpt::systolic {

enum class Dataflow : uint8_t { OutputStationary, WeightStationary, InputStationary };
enum class Buffer : uint8_t { Ifmap, Filter, Ofmap };
enum class ElementType : uint8_t { F32, I8 }; ///< I8 operands accumulate in int32
/// The vector unit's ops on a rows x cols tile of the ofmap SRAM, which they
/// overwrite with their result. Besides the tile an op reads its operand
/// tiles (operandTiles of them, each rows x cols, one after the other from
/// `operandAddress[0]`) and a block of blockWords words at
/// `operandAddress[1]`:
/// - Add, Mul: the second tensor. The gradients (ReluGrad, GeluGrad,
///   SoftmaxGrad) take the upstream gradient as the tile and their forward
///   operand (relu's and GELU's input, softmax's output) as the operand tile.
/// - LayerNorm: block gamma, beta. AddRow adds its block (a bias) to every row.
/// - LayerNormGrad: the tile dy becomes dx; operand tile x; block gamma,
///   dgamma, dbeta, where the two sums accumulate over rows (from zero when
///   the instruction has `first`).
/// - The optimizer steps: the tile is the parameter; operand tiles the
///   gradient, then the state the step updates in place (SgdMomentum: the
///   momentum buffer; Adam: m, v); the block its coefficients (the
///   *Word enums), computed by the host once per step.
enum class VectorOp : uint8_t {
  Softmax, LayerNorm, Add, Scale, Relu, Gelu, AddRow, ReluGrad, GeluGrad, SoftmaxGrad,
  Mul, LayerNormGrad, Sgd, SgdMomentum, Adam
};

/// Coefficient blocks of the optimizer steps, word by word. Sgd:
/// w += negLr·(g + weightDecay·w).
enum SgdWord : uint8_t { kSgdNegLr, kSgdWeightDecay, kSgdWords };
/// SgdMomentum: g' = g + weightDecay·w; buf = first ? g' : momentum·buf +
/// oneMinusDampening·g'; w += negLr·(nesterov ? g' + momentum·buf : buf).
enum SgdMomentumWord : uint8_t {
  kMomentumNegLr, kMomentumMomentum, kMomentumOneMinusDampening, kMomentumWeightDecay,
  kMomentumNesterov, kMomentumFirst, kSgdMomentumWords
};
/// Adam (AdamW: decay = 1 − lr·wd, l2 = 0; Adam: decay = 1, l2 = wd):
/// w' = decay·w; g' = g + l2·w'; m = beta1·m + oneMinusBeta1·g';
/// v = beta2·v + oneMinusBeta2·g'²; w = w' + negStepSize·m / (√v / sqrtBias2 + eps).
enum AdamWord : uint8_t {
  kAdamBeta1, kAdamOneMinusBeta1, kAdamBeta2, kAdamOneMinusBeta2, kAdamNegStepSize,
  kAdamSqrtBias2, kAdamEps, kAdamDecay, kAdamL2, kAdamWords
};

enum class Opcode : uint8_t {
  Config,   ///< dataflow, array, SRAM and DRAM-region sizes, element type
  MoveIn,   ///< DRAM -> ifmap/filter SRAM: a rows x cols tile
  MoveOut,  ///< ofmap SRAM -> DRAM: a rows x cols tile (accumulate: add to DRAM)
  Preload,  ///< stationary operand of a fold into the array (WS, IS)
  Compute,  ///< stream `streamed` lines through the array (part of one fold)
  Vector,   ///< a vector-unit op on rows x cols ofmap-SRAM elements
  Fence,    ///< wait until every earlier instruction is done
};

/// One instruction; fields unused by an opcode are zero.
struct Instruction {
  Opcode opcode = Opcode::Fence;
  // Config
  Dataflow dataflow = Dataflow::OutputStationary;
  ElementType element = ElementType::F32;
  uint32_t arrayRows = 0, arrayCols = 0;
  uint64_t sramWords[3] = {0, 0, 0}; ///< capacity per Buffer, in elements
  uint64_t dramWords[3] = {0, 0, 0}; ///< DRAM region size per Buffer
  uint32_t bandwidth = 0;            ///< DRAM words per cycle (0: CALC, no stalls)
  // MoveIn / MoveOut / Preload / Compute / Vector
  Buffer buffer = Buffer::Ifmap;
  uint64_t dramAddress = 0, sramAddress = 0;
  uint32_t rows = 0, cols = 0; ///< tile (MoveIn/Out, Vector) or used array rows/cols (fold)
  uint64_t stride = 0;         ///< DRAM row stride of a tile, in elements
  // Compute
  uint64_t streamed = 0;               ///< lines streamed through the array
  uint64_t operandAddress[2] = {0, 0}; ///< OS: ifmap, filter tile; WS/IS: streamed tile;
                                       ///< Vector: operand tiles, block
  uint64_t resultAddress = 0;          ///< ofmap SRAM
  bool accumulate = false;             ///< MoveOut: add to DRAM instead of overwriting
  bool first = false;                  ///< Compute: first chunk of its fold;
                                       ///< Vector: sums start from zero
  bool last = false;                   ///< Compute: last chunk of its fold
  // Vector
  VectorOp vectorOp = VectorOp::Add;
  float scalar = 0;                    ///< Scale's factor, LayerNorm's eps
};

/// A program for the machine.
struct Stream {
  std::vector<Instruction> instructions;
};

/// The names of the text stream form and of the hardware description.
const char *name(Opcode op);
const char *name(Dataflow df);
const char *name(Buffer b);
const char *name(ElementType e);
const char *name(VectorOp v);

/// The value named `text`, or false.
bool fromName(std::string_view text, Opcode &out);
bool fromName(std::string_view text, Dataflow &out);
bool fromName(std::string_view text, Buffer &out);
bool fromName(std::string_view text, ElementType &out);
bool fromName(std::string_view text, VectorOp &out);

/// Raw enum values of the binary form, or false when out of range.
bool fromRaw(uint64_t raw, Opcode &out);
bool fromRaw(uint64_t raw, Dataflow &out);
bool fromRaw(uint64_t raw, Buffer &out);
bool fromRaw(uint64_t raw, ElementType &out);
bool fromRaw(uint64_t raw, VectorOp &out);

/// The SRAM whose tile stays in the array during a fold (WS: filter, IS:
/// ifmap); false for output-stationary, which keeps its results there.
bool stationaryBuffer(Dataflow df, Buffer &out);

} // namespace hpt::systolic

#endif // HPT_HARDWARE_SYSTOLIC_ISA_H
