//===- hpt-translate.cpp - hpt's mlir-translate ---------------------------===//
//
// Translations out of MLIR: --hpt-to-bundle writes the executable bundle that
// hpt-run loads; --hpt-to-gpu-ir and --hpt-to-ptx print the GPU kernels'
// lowering; --sa-to-stream(-binary) writes an sa.stream for the systolic
// simulator (hpt-sim-systolic -s).
//
//===----------------------------------------------------------------------===//

#include "hpt/Target/Bundle.h"
#include "hpt/Target/GpuProgram.h"
#include "hpt/Target/PimProgram.h"
#include "hpt/Target/SaStream.h"

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  hpt::registerToBundleTranslation();
  hpt::registerGpuTranslations();
  hpt::registerSaStreamTranslations();
  hpt::registerPimProgramTranslation();
  return mlir::failed(mlir::mlirTranslateMain(argc, argv, "hpt translation driver\n"));
}
