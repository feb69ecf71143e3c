//===- hpt-opt.cpp - the hpt optimizer driver -----------------------------===//
//
// Like mlir-opt, with the hpt dialect, its passes, and the upstream dialects
// and passes hpt uses.
//
//===----------------------------------------------------------------------===//

#include "dialects/hpt/HptDialect.h"
#include "dialects/pim/PimDialect.h"
#include "dialects/sa/SaDialect.h"
#include "hpt/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/Extensions/InlinerExtension.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  registry.insert<hpt::HptDialect, hpt::pim::PimDialect, hpt::sa::SaDialect, mlir::func::FuncDialect,
                  mlir::arith::ArithDialect, mlir::tensor::TensorDialect,
                  mlir::linalg::LinalgDialect, mlir::math::MathDialect>();
  mlir::func::registerInlinerExtension(registry);
  mlir::registerTransformsPasses();
  hpt::registerHptPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "hpt optimizer driver\n", registry));
}
