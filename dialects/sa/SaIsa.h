//===- SaIsa.h - sa ops as instructions of the hardware model ---*- C++ -*-===//
//
// The sa dialect has one op per instruction of hardware/systolic/Isa.h. The
// dialect's enums list their cases in the instruction set's order (checked
// below), and instructionOf is the one reading of an op as an instruction:
// the verifier checks it with the instruction set's own rule, and
// hpt-translate writes it to streams and bundles.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_DIALECTS_SA_SAISA_H
#define HPT_DIALECTS_SA_SAISA_H

#include "dialects/sa/SaDialect.h"
#include "hardware/systolic/Isa.h"

namespace hpt::sa {

static_assert(int(Dataflow::os) == int(systolic::Dataflow::OutputStationary) &&
              int(Dataflow::ws) == int(systolic::Dataflow::WeightStationary) &&
              int(Dataflow::is) == int(systolic::Dataflow::InputStationary));
static_assert(int(Buffer::ifmap) == int(systolic::Buffer::Ifmap) &&
              int(Buffer::filter) == int(systolic::Buffer::Filter) &&
              int(Buffer::ofmap) == int(systolic::Buffer::Ofmap));
static_assert(int(ElementType::f32) == int(systolic::ElementType::F32) &&
              int(ElementType::i8) == int(systolic::ElementType::I8));
static_assert(int(VectorKind::softmax) == int(systolic::VectorOp::Softmax) &&
              int(VectorKind::layer_norm) == int(systolic::VectorOp::LayerNorm) &&
              int(VectorKind::add) == int(systolic::VectorOp::Add) &&
              int(VectorKind::scale) == int(systolic::VectorOp::Scale) &&
              int(VectorKind::relu) == int(systolic::VectorOp::Relu) &&
              int(VectorKind::gelu) == int(systolic::VectorOp::Gelu) &&
              int(VectorKind::add_row) == int(systolic::VectorOp::AddRow) &&
              int(VectorKind::relu_grad) == int(systolic::VectorOp::ReluGrad) &&
              int(VectorKind::gelu_grad) == int(systolic::VectorOp::GeluGrad) &&
              int(VectorKind::softmax_grad) == int(systolic::VectorOp::SoftmaxGrad) &&
              int(VectorKind::mul) == int(systolic::VectorOp::Mul) &&
              int(VectorKind::layer_norm_grad) == int(systolic::VectorOp::LayerNormGrad) &&
              int(VectorKind::sgd) == int(systolic::VectorOp::Sgd) &&
              int(VectorKind::sgd_momentum) == int(systolic::VectorOp::SgdMomentum) &&
              int(VectorKind::adam) == int(systolic::VectorOp::Adam));

inline Dataflow toOp(systolic::Dataflow v) { return static_cast<Dataflow>(v); }
inline systolic::Dataflow toIsa(Dataflow v) { return static_cast<systolic::Dataflow>(v); }
inline Buffer toOp(systolic::Buffer v) { return static_cast<Buffer>(v); }
inline systolic::Buffer toIsa(Buffer v) { return static_cast<systolic::Buffer>(v); }
inline ElementType toOp(systolic::ElementType v) { return static_cast<ElementType>(v); }
inline systolic::ElementType toIsa(ElementType v) {
  return static_cast<systolic::ElementType>(v);
}
inline VectorKind toOp(systolic::VectorOp v) { return static_cast<VectorKind>(v); }
inline systolic::VectorOp toIsa(VectorKind v) { return static_cast<systolic::VectorOp>(v); }

/// The instruction an op of an sa.stream stands for.
systolic::Instruction instructionOf(mlir::Operation &op);

} // namespace hpt::sa

#endif // HPT_DIALECTS_SA_SAISA_H
