//===- Lowering.h - one GEMM layer to a systolic stream ---------*- C++ -*-===//
//
// The stream the compiler's `sa` dialect lowering will emit: a CONFIG, then
// per fold (column folds outer, row folds inner, as SCALE-Sim walks them)
// MOVEIN of the stationary tile and PRELOAD (WS, IS), then per chunk of the
// streamed operand MOVEIN(s), COMPUTE and (WS, IS) MOVEOUT; OS moves its
// ofmap tile out once per fold. Tiles alternate between the two halves of
// each SRAM (double buffering). A tile that cannot fit half its SRAM is an
// error naming the layer.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_SYSTOLIC_LOWERING_H
#define HPT_RUNTIME_SYSTOLIC_LOWERING_H

#include "runtime/systolic/Config.h"
#include "runtime/systolic/Isa.h"

namespace hpt::sa {

Stream lowerGemm(const Layer &layer, const ArchConfig &arch,
                 ElementType element = ElementType::F32);

} // namespace hpt::sa

#endif // HPT_RUNTIME_SYSTOLIC_LOWERING_H
