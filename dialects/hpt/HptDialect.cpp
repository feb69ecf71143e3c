//===- HptDialect.cpp - hpt dialect registration --------------------------===//

#include "dialects/hpt/HptDialect.h"
#include "dialects/hpt/HptOps.h"

using namespace mlir;
using namespace hpt;

#include "dialects/hpt/HptDialect.cpp.inc"

void HptDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/hpt/HptOps.cpp.inc"
      >();
  registerAttributes();
}
