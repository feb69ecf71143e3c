//===- CublasGemm.cpp - a product as cuBLAS's sgemm sees it ---------------===//

#include "runtime/gpu/CublasGemm.h"

#include "runtime/core/Error.h"

namespace hpt::rt {

CublasGemm cublasGemmFor(const OpSpec &op, const std::vector<Shape> &shapes) {
  const Shape &lhs = shapes[size_t(op.operands.at(0))], &rhs = shapes[size_t(op.operands.at(1))];
  const Shape &out = shapes[size_t(op.results.at(0))];
  // Row-major C[M×N] = op(L)·op(R) with op(L) M×K.
  bool transL = false, transR = false;
  int64_t M = 0, N = 0, K = 0, batch = 1;
  if (op.op == "linear") { // x[rows, in] · W[out, in]ᵀ
    M = numElements(lhs) / lhs.back();
    K = lhs.back();
    N = rhs[0];
    transR = true;
  } else if (op.op == "matmul" || op.op == "batch_matmul") {
    transL = op.attrs.contains("transpose_lhs");
    transR = op.attrs.contains("transpose_rhs");
    M = out[out.size() - 2];
    N = out.back();
    K = transL ? lhs[lhs.size() - 2] : lhs.back();
    batch = numElements(out) / (M * N);
  } else {
    throw Error("cuBLAS runs linear, matmul and batch_matmul, not " + op.op);
  }
  // Cᵀ = op(R)ᵀ·op(L)ᵀ: cuBLAS's A is R, its B is L. R read column-major
  // is Rᵀ, which is op(R)ᵀ unless R was to be transposed; likewise L.
  CublasGemm g;
  g.a = 1;
  g.b = 0;
  g.transA = transR;
  g.transB = transL;
  g.m = N;
  g.n = M;
  g.k = K;
  g.lda = transR ? K : N;
  g.ldb = transL ? M : K;
  g.ldc = N;
  g.batch = batch;
  g.strideA = K * N;
  g.strideB = M * K;
  g.strideC = M * N;
  return g;
}

} // namespace hpt::rt
