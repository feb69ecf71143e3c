//===- hpt-translate.cpp - hpt's mlir-translate ---------------------------===//
//
// Translations out of MLIR: --hpt-to-bundle writes the executable bundle that
// hpt-run loads.
//
//===----------------------------------------------------------------------===//

#include "hpt/Target/Bundle.h"

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  hpt::registerToBundleTranslation();
  return mlir::failed(mlir::mlirTranslateMain(argc, argv, "hpt translation driver\n"));
}
