//===- Patterns.h - rewrite patterns shared between passes ------*- C++ -*-===//

#ifndef HPT_TRANSFORMS_PATTERNS_H
#define HPT_TRANSFORMS_PATTERNS_H

#include "mlir/IR/PatternMatch.h"

namespace hpt {

/// hpt.self_attention -> linear/reshape/transpose/batch_matmul/scale/softmax.
void populateDecomposeAttentionPatterns(mlir::RewritePatternSet &patterns);

} // namespace hpt

#endif // HPT_TRANSFORMS_PATTERNS_H
